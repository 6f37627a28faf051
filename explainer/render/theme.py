"""The theme: where templates and static files come from, the Jinja environment, and template errors."""

from __future__ import annotations

import os
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from ..cache import Cache, Digest, digest
from ..errors import Problem, display_path
from ..model import Markdown, Options

# The default theme: the repository's top-level templates/, reached through the symlink
# explainer/default_theme so that an installed package carries it too.
DEFAULT_THEME = (Path(__file__).parent.parent / "default_theme").resolve()
DEFAULT_PREFIX = "default"  # templates named default/… are the default theme's, whatever the site replaces
TEMPLATE_HINT = "check the names this template uses: docs/themes.md lists what each template receives"
MARKDOWN_HINT = "show a Markdown field with md(field), or its text with plain(field)"
UNREADABLE_HINT = "check that it is a file that may be read (a symbolic link must lead to one)"


@dataclass(frozen=True, slots=True)
class Theme:
    """Where templates and static files come from: the site's own folder first, then the default."""

    folders: tuple[Path, ...]

    @classmethod
    def for_site(cls, options: Options) -> Theme:
        own = Path(os.path.realpath(options.root / "templates"))  # realpath, not resolve(): a symlink loop is no error
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

    def templates(self) -> dict[str, Path]:
        """Every template the theme uses, by name: the site's own file where it has one."""
        found: dict[str, Path] = {}
        for folder in reversed(self.folders):
            for path in sorted(folder.rglob("*.html")):
                if "static" not in path.relative_to(folder).parts:
                    found[path.relative_to(folder).as_posix()] = path
        return dict(sorted(found.items()))

    def digest(self) -> Digest:
        """The content hash of every file of the theme, by folder and name: any edit, addition or removal changes it."""
        parts: list[str | bytes] = []
        for folder in self.folders:
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    parts += [str(path.relative_to(folder)), path.read_bytes()]
            parts.append(str(folder))
        return digest(*parts)


DICT_ATTRIBUTES = frozenset(dir(dict))  # what `obj.name` finds on a dict before its keys (obj.items is the method)


class ThemeEnvironment(jinja2.Environment):
    """Jinja with one rule of ours: a template reads Markdown only through md() or plain().

    Those two record which page bodies a page read, which is what the render cache relies on;
    a Markdown value read any other way (`page.body.text`, or shown as it is) is a template error.
    """

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in DICT_ATTRIBUTES:
            # the theme's dicts (nav, toc, crumbs…): their key, as Jinja finds it, without raising AttributeError first
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        if isinstance(obj, Markdown):
            raise jinja2.TemplateRuntimeError(f"a Markdown field is read through md() or plain(), not .{attribute}")
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if isinstance(obj, Markdown):
            raise jinja2.TemplateRuntimeError("a Markdown field is read through md() or plain(), not by index")
        return super().getitem(obj, argument)


def _finalize(value: Any) -> Any:
    """Refuse to print a Markdown value as it is (it would show Python's own text for it)."""
    if isinstance(value, Markdown):
        raise jinja2.TemplateRuntimeError("a Markdown field is shown with md() (or plain()), not printed as it is")
    return value


def make_environment(theme: Theme) -> jinja2.Environment:
    """Return the Jinja environment for a theme: autoescaping, undefined variables are errors.

    Templates are not reloaded from disk once compiled: an environment serves one version of
    the theme (the render cache makes a new one when the theme's digest changes).
    """
    # "default/base.html" is always the default theme's own: a site's base.html can extend it and replace one block
    loader = jinja2.ChoiceLoader([jinja2.PrefixLoader({DEFAULT_PREFIX: jinja2.FileSystemLoader(str(DEFAULT_THEME))}),
                                  jinja2.FileSystemLoader([str(f) for f in theme.folders])])
    return ThemeEnvironment(
        loader=loader,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        finalize=_finalize,
    )


def check_templates(theme: Theme, cache: Cache | None = None) -> list[Problem]:
    """Compile every template the theme uses, and open every static file; one problem each, all of them.

    With a cache (the preview's), a theme whose files are all the same as at the last check is not
    compiled again: its problems are those found then.
    """
    section = cache.section("theme") if cache is not None else None  # kept on disk too (not "templates")
    key = None
    if section is not None:
        try:
            key = digest(theme.digest(), os.getcwd())  # the problems name files as seen from the working folder
        except OSError:
            key = None  # a file that cannot be read: the check below says which
        found: tuple[Problem, ...] | None = section.lookup("check", key) if key is not None else None
        if found is not None:
            return list(found)
    problems = compile_templates(theme)
    if section is not None and key is not None:
        section.store("check", key, tuple(problems))
    return problems


def compile_templates(theme: Theme) -> list[Problem]:
    """`check_templates` without a cache."""
    env = make_environment(theme)
    problems: list[Problem] = []
    for name, path in theme.templates().items():
        try:
            env.parse(path.read_text(encoding="utf-8"), name, str(path))
        except jinja2.TemplateSyntaxError as exc:
            problems.append(Problem(display_path(path), exc.lineno, f"template syntax error: {exc.message}",
                                    "fix the template's {% … %} and {{ … }} tags"))
        except UnicodeDecodeError as exc:
            problems.append(Problem(display_path(path), 0, f"template is not UTF-8 text ({exc.reason})", "save it as UTF-8"))
        except OSError as exc:
            problems.append(Problem(display_path(path), 0, f"cannot read this template ({exc.strerror or exc})", UNREADABLE_HINT))
    for path in theme.static_files().values():  # copied into assets/ when rendering: each must open
        try:
            with open(path, "rb"):
                pass
        except OSError as exc:
            problems.append(Problem(display_path(path), 0, f"cannot read this file of the theme ({exc.strerror or exc})", UNREADABLE_HINT))
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
    hint = MARKDOWN_HINT if "Markdown field" in str(exc) else TEMPLATE_HINT
    return Problem(display_path(path), line, f"template error: {exc}", hint)
