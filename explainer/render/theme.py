"""The theme: where templates and static files come from, the Jinja environment, and template errors."""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from pathlib import Path

import jinja2

from ..content.config import Options
from ..errors import Problem, display_path

# The default theme: the repository's top-level templates/, reached through the symlink
# explainer/theme so that an installed package carries it too.
DEFAULT_THEME = (Path(__file__).parent.parent / "default_theme").resolve()


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


TEMPLATE_HINT = "check the names this template uses: the README lists what each template receives (Themes)"


def templates(theme: Theme) -> dict[str, Path]:
    """Every template the theme uses, by name: the site's own file where it has one."""
    found: dict[str, Path] = {}
    for folder in reversed(theme.folders):
        for path in sorted(folder.rglob("*.html")):
            if "static" not in path.relative_to(folder).parts:
                found[path.relative_to(folder).as_posix()] = path
    return dict(sorted(found.items()))


def check_templates(theme: Theme) -> list[Problem]:
    """Compile every template the theme uses; one problem per syntax error, all of them."""
    env = make_environment(theme)
    problems: list[Problem] = []
    for name, path in templates(theme).items():
        try:
            env.parse(path.read_text(encoding="utf-8"), name, str(path))
        except jinja2.TemplateSyntaxError as exc:
            problems.append(Problem(display_path(path), exc.lineno, f"template syntax error: {exc.message}",
                                    "fix the template's {% … %} and {{ … }} tags"))
        except UnicodeDecodeError as exc:
            problems.append(Problem(display_path(path), 0, f"template is not UTF-8 text ({exc.reason})", "save it as UTF-8"))
    return problems


def template_error(exc: BaseException) -> Problem | None:
    """The problem to report for an error raised while rendering, or None when it is a bug of ours.

    Jinja's own errors (an undefined name, a missing include) are the template's; any other
    exception is the template's only when raised in template code itself. It is reported at
    the innermost template line. (Jinja rewrites tracebacks, so its own frames are not seen.)
    """
    if isinstance(exc, jinja2.TemplateSyntaxError):  # an {% include %} of a file with bad syntax
        return Problem(display_path(exc.filename or exc.name or "?"), exc.lineno, f"template syntax error: {exc.message}",
                       "fix the template's {% … %} and {{ … }} tags")
    frames = traceback.extract_tb(exc.__traceback__)
    in_templates = [(f.filename, f.lineno) for f in frames if f.filename.endswith(".html") and f.lineno]
    if not in_templates or not (isinstance(exc, jinja2.TemplateError) or frames[-1].filename.endswith(".html")):
        return None
    path, line = in_templates[-1]
    return Problem(display_path(path), line, f"template error: {exc}", TEMPLATE_HINT)
