"""The theme: where templates and static files come from, the Jinja environment, and template errors."""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .config import Options
from .errors import Problem, display_path

# The default theme: the repository's top-level templates/, reached through the symlink
# explainer/theme so that an installed package carries it too.
DEFAULT_THEME = (Path(__file__).parent / "theme").resolve()


@dataclass(frozen=True, slots=True)
class Theme:
    """Where templates and static files come from: the site's own folder first, then the default."""

    folders: tuple[Path, ...]

    @classmethod
    def for_site(cls, options: Options) -> Theme:
        own = (options.root / "templates").resolve()
        folders = [own] if own.is_dir() and own != DEFAULT_THEME else []
        return cls((*folders, DEFAULT_THEME))

    def static_files(self) -> dict[str, Path]:
        """Return static files by their path under assets/, the site's own winning."""
        found: dict[str, Path] = {}
        for folder in reversed(self.folders):
            static = folder / "static"
            if static.is_dir():
                for path in sorted(static.rglob("*")):
                    if path.is_file():
                        found[path.relative_to(static).as_posix()] = path
        return dict(sorted(found.items()))


def make_environment(theme: Theme) -> jinja2.Environment:
    """Return the Jinja environment for a theme: autoescaping, undefined variables are errors."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(f) for f in theme.folders]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def template_problem(filename: str, line: int, message: str, hint: str) -> Problem:
    return Problem(display_path(filename), line, message, hint)


def template_frame(exc: BaseException) -> tuple[str, int] | None:
    """Find the innermost template file and line in a rendering traceback."""
    found = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith(".html") and frame.lineno is not None:
            found = (frame.filename, frame.lineno)
    return found
