"""The theme: where templates and static files come from, the Jinja environment, and template errors."""

from __future__ import annotations

import difflib
import os
import stat
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2.environment import TemplateModule
from jinja2.loaders import split_template_path
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEnvironment
from jinja2.utils import missing

from ..cache import Cache, Digest, digest
from ..errors import Problem, display_link, display_path
from ..limits import ASSET_BYTES, FILE_BYTES, Limit, raise_hint, shown, size
from ..model import Markdown, Options
from ..regular import NOT_REGULAR, OUTSIDE, open_regular, within
from . import bounds

# The default theme: the repository's top-level templates/, reached through the symlink
# explainer/default_theme so that an installed package carries it too.
DEFAULT_THEME = (Path(__file__).parent.parent / "default_theme").resolve()
PACKAGE = str(Path(__file__).parent.parent) + os.sep  # explainer's own code, where an error is a bug of ours
PLUMBING = (f"{os.sep}render{os.sep}theme.py", f"{os.sep}render{os.sep}bounds.py")  # what template code calls through
DEFAULT_PREFIX = "default"  # templates named default/… are the default theme's, whatever the site replaces
TEMPLATE_HINT = "check the names this template uses: docs/themes.md lists what each template receives"
BOUND_HINT = "make the template do less (docs/themes.md says what a site's own templates may spend)"
MARKDOWN_HINT = "show a Markdown field with md(field), or its text with plain(field)"
UNREADABLE_HINT = "check that it is a file that may be read (a symbolic link must lead to one)"
OWN_HINT = "a theme's files are read only from inside the project: copy the file into templates/ (a regular file, within the limits)"


@dataclass(frozen=True, slots=True)
class Theme:
    """Where templates and static files come from: the site's own folder first, then the default.

    The site's own templates/ is part of the project, which anyone may send a pull request to:
    its files are used only when they are regular files inside the project, within the limits
    (`refusals` says which are not), and its templates run in Jinja's sandbox (`make_environment`).
    """

    folders: tuple[Path, ...]
    project: str = ""  # the real path of the folder holding content/
    refused: tuple[tuple[Path, str], ...] = ()  # the site's templates/ itself, when it leads out of the project, and why

    @classmethod
    def for_site(cls, options: Options) -> Theme:
        project = os.path.realpath(options.root)
        written = options.root / "templates"
        own = Path(os.path.realpath(written))  # realpath, not resolve(): a symlink loop is no error
        if not own.is_dir() or own == DEFAULT_THEME:
            return cls((DEFAULT_THEME,), project)
        if not within(str(own), project) or str(own) == project:  # the project itself: its .git/ and all
            return cls((DEFAULT_THEME,), project, ((written, f"it is a symbolic link to {own}, {OUTSIDE}, or to the project "
                                                             "folder itself"),))
        return cls((own, DEFAULT_THEME), project)

    @property
    def own(self) -> Path | None:
        """The site's own templates/ folder, if it has one (its real path)."""
        return self.folders[0] if len(self.folders) > 1 else None

    def unusable(self, path: Path) -> str | None:
        """Why a file of the site's own templates/ is not used (None: it is, as is every file of the default theme)."""
        own = self.own
        if own is None or not path.is_relative_to(own):
            return None
        return unusable_file(path, self.project, ASSET_BYTES if "static" in path.relative_to(own).parts else FILE_BYTES)

    def files(self, folder: Path, pattern: str) -> list[Path]:
        """The paths under one of the theme's folders matching `pattern`, at any depth, less those it does not use: hidden
        ones (.DS_Store, .gitkeep, an editor's swap file), as in content/, and `unusable` ones."""
        return [path for path in sorted(folder.rglob(pattern))
                if not any(part.startswith(".") for part in path.relative_to(folder).parts) and self.unusable(path) is None]

    def static_files(self) -> dict[str, Path]:
        """Return static files by their path under assets/, the site's own winning."""
        found: dict[str, Path] = {}
        for folder in reversed(self.folders):
            static = folder / "static"
            if static.is_dir():
                for path in self.files(static, "*"):
                    if path.is_file():
                        found[path.relative_to(static).as_posix()] = path
        return dict(sorted(found.items()))

    def templates(self) -> dict[str, Path]:
        """Every template the theme uses, by name: the site's own file where it has one."""
        found: dict[str, Path] = {}
        for folder in reversed(self.folders):
            for path in self.files(folder, "*.html"):
                if "static" not in path.relative_to(folder).parts:
                    found[path.relative_to(folder).as_posix()] = path
        return dict(sorted(found.items()))

    def refusals(self) -> list[Problem]:
        """One problem for each file (or the folder) of the site's own templates/ that is not used, and why."""
        found = [Problem(display_link(path), 0, f"templates/ is not used: {why}", OWN_HINT) for path, why in self.refused]
        own = self.own
        if own is not None:
            for path in sorted(own.rglob("*")):
                why = self.unusable(path)  # a folder inside the project: None, as for any file it uses
                if why is not None:
                    what = "folder" if path.is_dir() else "file"
                    found.append(Problem(display_link(path), 0, f"this {what} of the theme is not used: {why}", OWN_HINT))
        return found

    def digest(self) -> Digest:
        """The content hash of every file of the theme, by folder and name: any edit, addition or removal changes it."""
        parts: list[str | bytes] = []
        for folder in self.folders:
            for path in sorted(folder.rglob("*")):
                why = self.unusable(path)  # a folder inside the project: None, as for any file it uses
                if why is not None:
                    parts += [str(path.relative_to(folder)), why]  # never read: a link out, a device, too large
                elif path.is_file():
                    with open_regular(path) as handle:
                        parts += [str(path.relative_to(folder)), handle.read()]
            parts += [str(folder), *(f"{path}:{why}" for path, why in self.refused)]
        return digest(*parts)


def unusable_file(path: Path, project: str, limit: Limit) -> str | None:
    """Why a file of a project is not used as a file of its theme: a link out of the project, no regular file, too large.

    Judged by the real path of the whole name: a template may name a file through folders that
    are links (`{% include "d/x/config" %}`, with d and x each a link that stays in the project).
    """
    real = os.path.realpath(path)
    if real != os.path.abspath(path) and not within(real, project):  # only where a link leads: .gitkeep is a file as any
        return f"it {'is a symbolic link' if os.path.islink(path) else 'leads through a symbolic link'} to {real}, {OUTSIDE}"
    try:
        status = os.stat(path)
    except OSError:
        return None  # gone, or a link that leads nowhere: reading it says why
    if stat.S_ISDIR(status.st_mode):
        return None
    if not stat.S_ISREG(status.st_mode):
        return f"it is {NOT_REGULAR}"
    if status.st_size > limit.value:
        return f"it is {size(status.st_size)}, past the limit of {shown(limit)} ({limit.what}); {raise_hint(limit, status.st_size)}"
    return None


class ProjectLoader(jinja2.FileSystemLoader):
    """The site's own templates/, loading none of the files its theme does not use (Theme.unusable)."""

    def __init__(self, theme: Theme) -> None:
        assert theme.own is not None
        super().__init__(str(theme.own))
        self.theme = theme

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        path = Path(self.searchpath[0], *split_template_path(template))
        if self.theme.unusable(path) is not None:
            raise jinja2.TemplateNotFound(template)  # check_templates said why
        return super().get_source(environment, template)


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


class Unknown(jinja2.StrictUndefined):
    """A name or field a template reads that is not there: an error that says what is there (did you mean …?)."""

    @property
    def _undefined_message(self) -> str:
        found, name = self._undefined_obj, self._undefined_name
        if self._undefined_hint or found is missing or not isinstance(name, str):
            return str(super()._undefined_message)
        names = sorted(key for key in (found if isinstance(found, dict) else dir(found))
                       if isinstance(key, str) and not key.startswith("_"))
        close = difflib.get_close_matches(name, names, n=1)
        return f"{type(found).__name__} has no field {name!r}" + (
            f"; did you mean {close[0]!r}?" if close else f" (it has: {', '.join(names[:20])}{' …' if len(names) > 20 else ''})")


def _finalize(value: Any) -> Any:
    """Refuse to print a Markdown value as it is (it would show Python's own text for it)."""
    if isinstance(value, Markdown):
        raise jinja2.TemplateRuntimeError("a Markdown field is shown with md() (or plain()), not printed as it is")
    return value


def uncompilable(exc: BaseException, name: str | None, filename: str | None) -> jinja2.TemplateSyntaxError:
    """What Jinja's parser or Python's compiler refuses of a template (nested too deep, a number too long to read), as the
    template's syntax error."""
    deep = isinstance(exc, RecursionError | IndentationError)
    return jinja2.TemplateSyntaxError("it is nested too deep to compile (nest fewer brackets, blocks and {% if %})" if deep
                                      else f"it cannot be compiled ({type(exc).__name__}: {exc})", 1, name, filename)


class BoundedTemplate(jinja2.Template):
    """A template whose renderings started from explainer's code are bounded (bounds.rendering)."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        with bounds.rendering():
            return super().render(*args, **kwargs)

    def make_module(self, vars: dict[str, Any] | None = None, shared: bool = False,
                    locals: Mapping[str, Any] | None = None) -> TemplateModule:
        with bounds.rendering():
            return super().make_module(vars, shared, locals)

    def _get_default_module(self, ctx: Context | None = None) -> TemplateModule:
        """The module `{% import %}` gives, made anew each time: Jinja keeps one for the whole build, and what one page
        left in it (a list it grew) would be there for every page after it."""
        module = super()._get_default_module(ctx)
        self._module = None
        return module


class SandboxedThemeEnvironment(ThemeEnvironment, ImmutableSandboxedEnvironment):
    """ThemeEnvironment in Jinja's sandbox: a template reaches no Python internals (`__class__`, a function's globals),
    so it can neither run code nor read files, and changes no value it is given (`append`, `update`: the immutable
    sandbox); for a site with templates of its own, which a pull request may bring.

    What a rendering spends is bounded too (bounds.py): each loop round, call, filter and include is
    a step the rendering's time is checked at, and `*` and `**` make no number or sequence past a size.
    """

    code_generator_class = bounds.BoundedCodeGenerator
    template_class = BoundedTemplate
    intercepted_binops = frozenset({"*", "**"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.globals["lipsum"]  # placeholder text, made in a loop of its own no step reaches
        self.globals["namespace"] = bounds.BoundedNamespace
        self.filters = {name: bounds.bounded_filter(name, function) for name, function in self.filters.items()}

    def compile(self, source: Any, name: str | None = None, filename: str | None = None, raw: bool = False,
                defer_init: bool = False) -> Any:
        """Compile a template within a rendering's bounds (Jinja computes constant parts of it, `'x' | center(n)`, then);
        what Python's own compiler refuses of the code Jinja makes of it is a syntax error of the template."""
        with bounds.rendering():
            try:
                return super().compile(source, name, filename, raw, defer_init)  # type: ignore[call-overload]
            except (RecursionError, SyntaxError, ValueError) as exc:
                raise uncompilable(exc, name, filename) from None

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        bounds.tick()
        return SandboxedEnvironment.call(__self, __context, __obj, *bounds.loop_call(__obj, args), **kwargs)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        bounds.check_operands(operator, left, right)
        return SandboxedEnvironment.call_binop(self, context, operator, left, right)

    @staticmethod
    def stepped(sequence: Any) -> Any:
        return bounds.stepped(sequence)

    @staticmethod
    def tick() -> None:
        bounds.tick()


def make_environment(theme: Theme) -> jinja2.Environment:
    """Return the Jinja environment for a theme: autoescaping, undefined variables are errors.

    Templates are not reloaded from disk once compiled: an environment serves one version of
    the theme (the render cache makes a new one when the theme's digest changes). The default
    theme alone, which comes with explainer, runs without the sandbox, which costs a tenth of
    rendering's time at 1,000 pages; a site's own templates/ runs every template in it.
    """
    # "default/base.html" is always the default theme's own: a site's base.html can extend it and replace one block
    default = jinja2.FileSystemLoader(str(DEFAULT_THEME))
    own: list[jinja2.BaseLoader] = [ProjectLoader(theme)] if theme.own is not None else []
    loader = jinja2.ChoiceLoader([jinja2.PrefixLoader({DEFAULT_PREFIX: default}), *own, default])
    kind = SandboxedThemeEnvironment if theme.own is not None else ThemeEnvironment
    return kind(
        loader=loader,
        autoescape=True,
        undefined=Unknown,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        finalize=_finalize,
    )


def check_templates(theme: Theme, cache: Cache | None = None, env: jinja2.Environment | None = None) -> list[Problem]:
    """Parse every template the theme uses, and open every static file; one problem each, all of them.

    With a cache (the preview's), a theme whose files are all the same as at the last check is not
    parsed again: its problems are those found then. With `env` (the environment the build renders
    with), each template is compiled in it instead, once for the check and the rendering both.
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
    problems = compile_templates(theme, env)
    if section is not None and key is not None:
        section.store("check", key, tuple(problems))
    return problems


def compile_templates(theme: Theme, env: jinja2.Environment | None = None) -> list[Problem]:
    """`check_templates` without a cache."""
    compiled = env is not None
    env = env if env is not None else make_environment(theme)
    problems: list[Problem] = theme.refusals()
    for name, path in theme.templates().items():
        try:
            if compiled:
                os.stat(path)  # what the system says of a file it cannot read (a link loop), not the loader's "not found"
                env.get_template(name)  # kept by the environment for rendering (a compile-time error is a syntax error)
            else:
                try:
                    env.parse(path.read_text(encoding="utf-8"), name, str(path))
                except (RecursionError, ValueError) as exc:  # Jinja's own parser, without a cache to compile in
                    raise uncompilable(exc, name, str(path)) from None
        except jinja2.TemplateSyntaxError as exc:
            problems.append(Problem(display_path(path), exc.lineno, f"template syntax error: {exc.message}",
                                    "fix the template's {% … %} and {{ … }} tags"))
        except UnicodeDecodeError as exc:
            problems.append(Problem(display_path(path), 0, f"template is not UTF-8 text ({exc.reason})", "save it as UTF-8"))
        except OSError as exc:
            problems.append(Problem(display_path(path), 0, f"cannot read this template ({exc.strerror or exc})", UNREADABLE_HINT))
        except bounds.TemplateBound as exc:  # compiling it went past a bound (bounds.py)
            problems.append(Problem(display_path(path), 0, f"template error: {exc}", BOUND_HINT))
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
    if isinstance(exc, bounds.TemplateBound) and not in_templates:  # what all the pages made together; memory run out
        return Problem(exc.where or "templates/", 0, f"template error: {exc}", BOUND_HINT)  # where no template line is
    if not in_templates:
        return None
    own = [found for found in in_templates if not _default(found[0])]  # the site's own templates/
    path, line = in_templates[-1]
    last = max(at for at, frame in enumerate(frames) if frame.filename.endswith(".html") and frame.lineno)
    if not isinstance(exc, jinja2.TemplateError | RecursionError) and last < len(frames) - 1:
        # raised deeper than template code: in explainer's own code, a bug of ours (the sandbox's calls, here and in
        # bounds.py, only pass it on); else by Jinja or Python on a value a site's own template gave (its error, even in a
        # macro of the default theme's it called), and ours below the default theme's alone
        if not own or any(frame.filename.startswith(PACKAGE) and not frame.filename.endswith((".html", *PLUMBING))
                          for frame in frames[last + 1:]):
            return None
        path, line = own[-1]
    elif isinstance(exc, bounds.TemplateBound) and own:  # the time may run out in a macro of the default theme's
        path, line = own[-1]
    message = "a macro or include that calls itself without end (Python's stack is full)" if isinstance(exc, RecursionError) \
        else str(exc) if isinstance(exc, jinja2.TemplateError) else f"{type(exc).__name__}: {exc}"
    hint = MARKDOWN_HINT if "Markdown field" in message else BOUND_HINT if isinstance(exc, bounds.TemplateBound) else TEMPLATE_HINT
    return Problem(display_path(path), line, f"template error: {message}", hint)


def _default(path: str) -> bool:
    """Whether a template's file is the default theme's."""
    return os.path.realpath(path).startswith(os.path.join(DEFAULT_THEME, ""))
