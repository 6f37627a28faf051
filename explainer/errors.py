"""Problems in a user's content, and how they are shown: like a compiler."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from . import limits

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
    """Base of every error meant for a person rather than a programmer; the command line exits with `exit_status`."""

    exit_status = 1


class CannotWrite(ExplainerError):
    """The system refused to let the output be written: a folder that cannot be made, a full or read-only disk,
    another build holding the folder. Nothing in the content is wrong; exit status 2."""

    exit_status = 2


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
    return shown_from(os.path.realpath(path), path, display_bases(root))  # realpath: a symlink loop is no error


def display_link(path: str | Path, root: Path | None = None) -> str:
    """`display_path` of where a symbolic link stands (display_path names where it leads)."""
    folder, name = os.path.split(os.fspath(path))
    shown = display_path(folder or ".", root)
    return name if shown == "." else os.path.join(shown, name)


def display_bases(root: Path | None = None) -> tuple[str, ...]:
    """The folders `display_path` shows paths from, as real paths: the working directory, then `root`."""
    return tuple(os.path.realpath(base) for base in (Path.cwd(), root) if base is not None)


def shown_from(real: str, path: str | Path, bases: tuple[str, ...]) -> str:
    """`display_path` of `path` whose real path is `real`, from `bases` (display_bases): real paths, so that the part
    after a base and a separator is the path from it, as Path.relative_to gives it."""
    for base in bases:
        if real == base:
            return "."
        inside = base if base.endswith(os.sep) else base + os.sep  # the root folder ends with one already
        if real.startswith(inside):
            return real[len(inside):]
    return str(Path(path))


def source_line(path: str, line: int) -> str:
    """Return line `line` (1-based) of the file at `path` as a report shows it, or '' when unreadable.

    At most limits.SHOWN_CHARS characters of it, control characters written as \\xNN: a line of
    binary data must neither flood the terminal nor drive it. Lines are read in bounded pieces,
    so a file that is one endless line costs no more memory than a short one.
    """
    if line < 1:
        return ""
    cap = limits.SHOWN_CHARS.value
    try:
        with open(path, encoding="utf-8", errors="replace", newline=None) as handle:
            number = 1
            while number < line:
                piece = handle.readline(READ_PIECE)
                if not piece:
                    return ""
                if piece.endswith("\n"):
                    number += 1
            text = handle.readline(cap * 4 + 1)
    except OSError:
        return ""
    text = text.rstrip("\n")
    shown = visible(text)
    cut = len(text) > cap * 4 or len(shown) > cap
    return shown[:cap] + ("…" if cut else "")


READ_PIECE = 65_536
MESSAGE_CHARS = 600
CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """Text with its control characters (but tab and newline) written as \\xNN: a report never drives the terminal."""
    return CONTROL_RE.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def format_problem(problem: Problem, *, show_source: bool = True) -> str:
    """Format one problem as `path:line: severity: message`, the source line and the fix."""
    path = visible(problem.path)
    where = f"{path}:{problem.line}" if problem.line > 0 else path
    message = visible(problem.message)
    if len(message) > MESSAGE_CHARS:  # a message quotes content (a key, a value): quoted whole, a long one would flood the report
        message = message[:MESSAGE_CHARS - 1] + "…"
    lines = [f"{where}: {problem.severity}: {message}"]
    if show_source:
        text = source_line(problem.path, problem.line)
        if text.strip():
            lines.append(f"  {problem.line:>4} | {text}")
    if problem.hint:
        first, *rest = visible(problem.hint).splitlines()
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
