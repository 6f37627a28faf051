"""What the preview server tells the command line, one event at a time, and how each is said."""

from __future__ import annotations

import traceback
from dataclasses import dataclass

from ..errors import BUG, REPORT_URL, Problem, describe_bug, format_report


@dataclass(frozen=True, slots=True)
class Said:
    """What the command line prints for one event: a line for standard output, a report for standard error."""

    out: str = ""
    err: str = ""


@dataclass(frozen=True, slots=True)
class Building:
    """The first build has begun (a big site takes a while: say so before it is done)."""

    content: str

    def said(self, shown: str, quiet: bool, debug: bool) -> Said:
        return Said() if quiet else Said(f"Building {self.content}/ …")


@dataclass(frozen=True, slots=True)
class Started:
    """The server is listening at `url` (the site's base path on it)."""

    url: str
    host: str

    def said(self, shown: str, quiet: bool, debug: bool) -> Said:
        return Said(f"Serving {shown}/ at {self.url}  (Ctrl-C to stop)")


@dataclass(frozen=True, slots=True)
class Rebuilt:
    """What one successful rebuild did."""

    number: int  # 1 for the first build, then counting up (failed builds count too)
    changed: tuple[str, ...]  # files written (new or different), as paths inside the site
    removed: tuple[str, ...]  # files no longer produced
    pages: int
    files: int
    reused: int  # pages taken from the cache instead of rendered
    warnings: tuple[Problem, ...]
    seconds: float

    def said(self, shown: str, quiet: bool, debug: bool) -> Said:
        report = format_report(self.warnings) if self.warnings else ""
        if quiet:
            return Said(err=report)
        what = "Built" if self.number == 1 else f"Rebuild {self.number - 1}:"  # the first rebuild is the second build
        changed = f"{len(self.changed)} file{'s' if len(self.changed) != 1 else ''} changed"
        if self.removed:
            changed += f", {len(self.removed)} removed"
        return Said(f"{what} {self.pages} pages in {self.seconds:.3f} s ({changed}, {self.reused} reused).", report)


@dataclass(frozen=True, slots=True)
class Failed:
    """A rebuild failed: the content's problems, or (problems empty) a bug of ours in `error`."""

    problems: tuple[Problem, ...]
    stage: str
    error: BaseException | None = None

    def said(self, shown: str, quiet: bool, debug: bool) -> Said:
        if self.error is not None:
            trace = "".join(traceback.format_exception(self.error)) if debug else ""
            stage = "" if self.stage == "internal" else self.stage
            return Said(err=f"{trace}{describe_bug(self.error, stage)}\n{BUG} Please report it at {REPORT_URL}. "
                            "The server keeps running and tries again on the next change.")
        if self.stage == "search":  # the pages were written all the same
            return Said(err=f"{format_report(self.problems)}\nSearch index not updated; the pages are served, "
                            "and search tries again after the next change.")
        return Said(err=f"{format_report(self.problems)}\nBuild failed ({self.stage}); {shown}/ was left as it was. "
                        "The browser shows these problems until the next good build.")


@dataclass(frozen=True, slots=True)
class LinksChecked:
    """The links of the last good build were checked, after it was served."""

    problems: tuple[Problem, ...]
    seconds: float

    def said(self, shown: str, quiet: bool, debug: bool) -> Said:
        report = format_report(self.problems) if self.problems else ""
        if any(p.severity == "error" for p in self.problems):
            report += "\nLink check failed (--strict); the browser shows these problems until the next good build."
        return Said(err=report)


@dataclass(frozen=True, slots=True)
class Stopped:
    """The server has shut down."""

    def said(self, shown: str, quiet: bool, debug: bool) -> Said:
        return Said("Stopped.")


Event = Building | Started | Rebuilt | Failed | LinksChecked | Stopped
