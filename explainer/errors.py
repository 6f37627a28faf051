"""Problems in a user's content, and how they are shown: like a compiler."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the content, config or templates, with where and how to fix it."""

    path: str
    line: int
    message: str
    hint: str = ""
    severity: Severity = "error"

    def as_error(self) -> Problem:
        """Return this problem promoted to an error (used by --strict)."""
        return Problem(self.path, self.line, self.message, self.hint, "error")

    def sort_key(self) -> tuple[str, int, str]:
        return (self.path, self.line, self.message)


class ExplainerError(Exception):
    """Base of every error meant for a person rather than a programmer."""


class BuildFailed(ExplainerError):
    """The build stopped because of problems in the content; carries all of them.

    `base_path` is the URL path of the site as far as it was read (the preview server keeps
    serving error pages there); '' when site.yaml could not be read.
    """

    def __init__(self, problems: Iterable[Problem], stage: str = "check", base_path: str = "") -> None:
        self.problems = tuple(sorted(problems, key=Problem.sort_key))
        self.stage = stage
        self.base_path = base_path
        super().__init__(f"{len(self.problems)} problem(s) in stage {stage}")


REPORT_URL = "the explainer issue tracker"
BUG = "This is a bug in explainer, not in your content."


def describe_bug(error: BaseException, stage: str = "") -> str:
    """The one line that names a bug of ours: `internal error while <stage>: Type: message`."""
    where = f" while {stage}" if stage else ""
    return f"internal error{where}: {type(error).__name__}: {error}"


def display_path(path: str | Path, root: Path | None = None) -> str:
    """Return `path` relative to the working directory (or else `root`) when it lies inside it."""
    p = Path(path)
    for base in (Path.cwd(), root):
        if base is None:
            continue
        try:
            return str(p.resolve().relative_to(base.resolve()))
        except ValueError:
            continue
    return str(p)


def source_line(path: str, line: int) -> str:
    """Return line `line` (1-based) of the file at `path`, or '' when unreadable."""
    if line < 1:
        return ""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            for number, text in enumerate(handle, start=1):
                if number == line:
                    return text.rstrip("\n")
    except OSError:
        return ""
    return ""


def format_problem(problem: Problem, *, show_source: bool = True) -> str:
    """Format one problem as `path:line: severity: message`, the source line and the fix."""
    where = f"{problem.path}:{problem.line}" if problem.line > 0 else problem.path
    lines = [f"{where}: {problem.severity}: {problem.message}"]
    if show_source:
        text = source_line(problem.path, problem.line)
        if text.strip():
            lines.append(f"  {problem.line:>4} | {text}")
    if problem.hint:
        first, *rest = problem.hint.splitlines()
        lines.append(f"       = fix: {first}")
        lines += [f"              {line}" for line in rest]
    return "\n".join(lines)


def format_report(problems: Iterable[Problem], *, show_source: bool = True) -> str:
    """Format every problem, sorted by file and line, followed by a count."""
    ordered = sorted(problems, key=Problem.sort_key)
    body = "\n".join(format_problem(p, show_source=show_source) for p in ordered)
    errors = sum(1 for p in ordered if p.severity == "error")
    warnings = len(ordered) - errors
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' if errors != 1 else ''}")
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return f"{body}\n{' and '.join(parts)}." if ordered else ""
