"""Bounds on what a site's own templates spend: time, memory, the size of their values and of what they render.

theme.py runs a site's templates/ in Jinja's sandbox, which bounds what a template reaches and
lets it change no value it is given (the immutable sandbox). A pull request's template could
still loop for good or fill the memory. These bounds hold it, as limits.py holds content, to
limits an operator may raise:

- TEMPLATE_SECONDS: the renderings of one page (its template, the macros its Markdown calls,
  `budget`) run at most this long together. Template code is made to report its steps: every
  loop round (the code generator below wraps each loop's sequence), every call (the sandbox's
  `call`), every filter and every item a filter draws from another (`bounded_filter`) is a
  `tick`, and every CHECK_EVERY ticks the clock is read. An `{% include %}` ticks too.
- TEMPLATE_MEMORY: the memory one rendering may take beyond what the process held when it
  started. The process's address space is bounded (RLIMIT_AS) while the rendering runs, so an
  allocation past it fails with MemoryError, reported as the template's. Nothing a rendering
  makes outlives it: an imported template's module is made anew for each (`fresh_module`), and
  nothing given to templates can be changed. Linux only: elsewhere this bound is not enforced.
- TEMPLATE_OUTPUT: the HTML the site's templates render in one build, all pages together.
- Python computes some things in one step no tick can stop, so their size is bounded before:
  a number made by `*` or `**` (NUMBER_BITS), a sequence repeated by `*` (REPEATED_ITEMS), the
  text `wordwrap` and `int` take (FILTER_TEXT), and the nesting of a value kept in a namespace
  (NESTING: hashing a tuple nested 400,000 deep overflows Python's own stack).

Every bound raises TemplateBound, a template error the build reports at the template's line and
stops at: a template past a bound on one page is past it on the next.
"""

from __future__ import annotations

import functools
import os
import resource
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import jinja2
import jinja2.debug  # loaded now: Jinja loads it at its first error, which may come when a rendering ran out of memory
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.runtime import LoopContext
from jinja2.utils import Namespace

from ..limits import TEMPLATE_MEMORY, TEMPLATE_OUTPUT, TEMPLATE_SECONDS, raise_hint, shown

CHECK_EVERY = 256  # ticks between two readings of the clock (a tick is a loop round, a call or a filter: microseconds)
NUMBER_BITS = 65_536  # the largest number a template computes by * or **: about 19,700 digits
REPEATED_ITEMS = 16 * 1024 * 1024  # the longest string or list a template makes by repeating one (`'x' * n`)
# characters these filters take: wordwrap's time grows faster than the text, int's number too; urlize and striptags
# take a second or more for a few million, in loops of Python's own
FILTER_TEXT = {"wordwrap": 100_000, "int": 4_300, "urlize": 1_000_000, "striptags": 4_000_000}
# Filters that draw every item of what they are given, in a loop of Python's own (sum's of lists grows as the square):
# each item is a step. (Others get a list as it is: `length` and `last` need one.)
DRAWING_FILTERS = frozenset({"batch", "groupby", "join", "list", "map", "max", "min", "reject", "rejectattr", "select",
                             "selectattr", "slice", "sort", "sum", "unique"})
NESTING = 100  # levels of lists, tuples and dicts in a value a template keeps in a namespace
STATM = "/proc/self/statm"  # the process's address space, in pages (Linux)


class TemplateBound(jinja2.TemplateRuntimeError):
    """A rendering of the site's own templates went past one of its bounds (`where`: the folder, for no one template's)."""

    def __init__(self, message: str, where: str = "") -> None:
        super().__init__(message)
        self.where = where


class TemplateTooLong(TemplateBound):
    """A page's renderings ran past TEMPLATE_SECONDS."""

    def __init__(self) -> None:  # raised by `tick`, at its line of the template
        seconds = TEMPLATE_SECONDS.value
        super().__init__(f"the page's templates ran past their limit of {seconds} second{'s' if seconds != 1 else ''} "
                         f"(a loop that never ends, or loops nested too deep?); {raise_hint(TEMPLATE_SECONDS)}")


class TemplateTooLarge(TemplateBound):
    """A rendering made more than its bounds allow: memory, a number, a repeated sequence, or the build's HTML."""


@dataclass(slots=True)
class _Rendering:
    """The rendering a thread runs: when it must end, and its ticks until the clock is read again."""

    deadline: float
    ticks: int = 0  # the first tick reads the clock


@dataclass(slots=True)
class _Budget:
    """The template time one unit of a build's work (a page) has left."""

    left: float


class _Renderings(threading.local):
    """What a thread renders (a thread's own: the preview renders in one of its own)."""

    def __init__(self) -> None:
        self.current: _Rendering | None = None
        self.budget: _Budget | None = None
        self.unguarded = 0  # ticks outside any rendering: template code reached from a place `rendering` does not wrap


_RENDERINGS = _Renderings()


def check() -> None:
    """Read the clock now (before a filter, which may take long in a loop of its own: the next tick may be far off)."""
    current = _RENDERINGS.current
    if current is not None and time.monotonic() > current.deadline:
        raise TemplateTooLong()


def tick() -> None:
    """A step of template code: every CHECK_EVERY of them, the rendering's time is checked."""
    current = _RENDERINGS.current
    if current is None:
        _RENDERINGS.unguarded += 1
        return
    current.ticks -= 1
    if current.ticks <= 0:
        current.ticks = CHECK_EVERY
        if time.monotonic() > current.deadline:
            raise TemplateTooLong()


def stepped(sequence: Iterable[Any]) -> Iterator[Any]:
    """A sequence drawn from, each item a tick."""
    for item in sequence:
        tick()
        yield item


@contextmanager
def budget() -> Iterator[None]:
    """One unit of the build's work (a page, with the macros its Markdown calls): its renderings share TEMPLATE_SECONDS."""
    state = _RENDERINGS
    if state.budget is not None:
        yield
        return
    state.budget = _Budget(TEMPLATE_SECONDS.value)
    try:
        yield
    finally:
        state.budget = None


@contextmanager
def rendering() -> Iterator[None]:
    """Run template code as one rendering, bounded; inside a rendering already (md() from a template), as part of it."""
    state = _RENDERINGS
    if state.current is not None:
        yield
        return
    started = time.monotonic()
    state.current = _Rendering(started + (state.budget.left if state.budget is not None else TEMPLATE_SECONDS.value))
    window = _open_window()
    try:
        yield
    except MemoryError as exc:
        raise TemplateTooLarge(f"it took more than {shown(TEMPLATE_MEMORY)} of memory; {raise_hint(TEMPLATE_MEMORY)}") \
            .with_traceback(exc.__traceback__) from None
    finally:
        state.current = None
        _close_window(window)
        if state.budget is not None:
            state.budget.left -= time.monotonic() - started


class Guarded:
    """A template's module whose macros, called from explainer's code, are renderings (with Jinja's template lines)."""

    def __init__(self, module: Any, env: jinja2.Environment) -> None:
        self._module = module
        self._env = env

    def __getattr__(self, name: str) -> Any:
        found = getattr(self._module, name)
        if not callable(found):
            return found

        def call(*args: Any, **kwargs: Any) -> Any:
            with rendering():
                try:
                    return found(*args, **kwargs)
                except Exception:  # raised again, at the template's lines (as Jinja's own render does)
                    self._env.handle_exception()
        return call


@dataclass(slots=True)
class Spent:
    """The HTML the site's own templates (in `folder`, as shown) rendered in one build, in one process, in bytes of memory
    (a character outside Latin-1 takes two or four)."""

    folder: str = ""  # none: the default theme's alone, which is not counted
    held: int = 0

    def add(self, rendered: str) -> str:
        """Count one page's HTML as rendered, and return it; TemplateTooLarge past TEMPLATE_OUTPUT."""
        if not self.folder:
            return rendered
        self.held += sys.getsizeof(rendered)
        if self.held > TEMPLATE_OUTPUT.value:
            raise TemplateTooLarge(f"the site's templates rendered more than {shown(TEMPLATE_OUTPUT)} of HTML in this build; "
                                   f"{raise_hint(TEMPLATE_OUTPUT, self.held)}", self.folder)
        return rendered


def helpers(env: jinja2.Environment, values: dict[str, Any]) -> dict[str, Any]:
    """The names a template is given (as they are, outside the sandbox: this is on every page's way); in the sandbox, each
    function of explainer's there says what it could not do with what a template gave it (`url(5)`) as the template's
    error, not explainer's."""
    if not env.sandboxed:
        return values
    return {name: _helper(name, value) if callable(value) and not isinstance(value, type) else value
            for name, value in values.items()}


def _helper(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(function)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except (jinja2.TemplateError, MemoryError, RecursionError):
            raise
        except Exception as exc:
            raise jinja2.TemplateRuntimeError(f"{name}() cannot use what it was given ({type(exc).__name__}: {exc})") from exc
    return run


def bounded_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """A filter of Jinja's, in the sandbox: the clock read before it, each item it draws a tick (from another filter's
    output, or anything DRAWING_FILTERS draw from), and the text of FILTER_TEXT's filters bounded."""
    most = FILTER_TEXT.get(name)
    drawing = name in DRAWING_FILTERS

    def step(arg: Any) -> Any:
        if isinstance(arg, Iterator) or (drawing and isinstance(arg, Iterable) and not isinstance(arg, str | Mapping)):
            return stepped(arg)
        return arg

    @functools.wraps(function)  # keeps what Jinja reads of it (pass_context and the like)
    def run(*args: Any, **kwargs: Any) -> Any:
        check()
        if most is not None and any(isinstance(arg, str) and len(arg) > most for arg in args):
            raise TemplateTooLarge(f"the {name} filter takes at most {most:,} characters")
        return function(*map(step, args), **kwargs)
    return run


class BoundedNamespace(Namespace):
    """Jinja's namespace(), keeping no value nested past NESTING (the one way a template carries a value from one loop
    round to the next, and so builds a deep one)."""

    def __setitem__(self, name: str, value: Any) -> None:
        _check_nesting(value)
        super().__setitem__(name, value)


def _check_nesting(value: Any) -> None:
    """TemplateTooLarge when `value` holds lists, tuples, sets or dicts nested past NESTING (each one looked at once)."""
    depths: dict[int, int] = {}
    pending: list[tuple[Any, int]] = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if not isinstance(item, list | tuple | set | frozenset | dict) or depths.get(id(item), 0) >= depth:
            continue
        if depth > NESTING:
            raise TemplateTooLarge(f"a value nested more than {NESTING} levels deep")
        tick()
        depths[id(item)] = depth
        # a dict's keys and values, not its (key, value) pairs: a pair made here and let go could lend its id to another
        children = [part for pair in item.items() for part in pair] if isinstance(item, dict) else item
        pending.extend((child, depth + 1) for child in children)


def check_operands(operator: str, left: Any, right: Any) -> None:
    """Refuse `left * right` or `left ** right` that would make a number past NUMBER_BITS or a sequence past
    REPEATED_ITEMS (each made in one step of Python's, too long for `tick` to stop)."""
    if isinstance(left, bool) or isinstance(right, bool):
        return
    if isinstance(left, int) and isinstance(right, int):
        bits = left.bit_length() * max(right, 0) if operator == "**" else left.bit_length() + right.bit_length()
        if bits > NUMBER_BITS:
            raise TemplateTooLarge(f"a number of more than {NUMBER_BITS:,} bits (`{operator}`): a template computes no such number")
    elif operator == "*":
        sequence, count = (left, right) if isinstance(right, int) else (right, left)
        if isinstance(sequence, str | list | tuple) and isinstance(count, int) and len(sequence) * count > REPEATED_ITEMS:
            raise TemplateTooLarge(f"a sequence repeated past {REPEATED_ITEMS:,} items or characters (`*`)")


class BoundedCodeGenerator(CodeGenerator):
    """Jinja's code generator with every loop's sequence stepped (`tick` each round) and every include a tick."""

    def visit_For(self, node: nodes.For, frame: Frame) -> None:
        node.iter = nodes.Call(nodes.EnvironmentAttribute("stepped"), [node.iter], [], None, None, lineno=node.iter.lineno)
        super().visit_For(node, frame)

    def visit_Include(self, node: nodes.Include, frame: Frame) -> None:
        self.writeline("environment.tick()", node)
        super().visit_Include(node, frame)


def loop_call(obj: Any, args: tuple[Any, ...]) -> tuple[Any, ...]:
    """The arguments of a call from template code, with the sequence a recursive loop recurses into stepped."""
    if isinstance(obj, LoopContext) and args:
        return (stepped(args[0]), *args[1:])
    return args


def _address_space() -> int | None:
    """The process's address space in bytes, or None where it cannot be read."""
    try:
        with open(STATM, "rb") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _open_window() -> tuple[int, int] | None:
    """Bound the address space to what it is now plus TEMPLATE_MEMORY; return the bound to put back, or None."""
    used = _address_space()
    if used is None:
        return None
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    wanted = used + TEMPLATE_MEMORY.value
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft <= wanted:
        return None  # the operator's own bound is tighter
    try:
        resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
    except (ValueError, OSError):
        return None
    return soft, hard


def _close_window(window: tuple[int, int] | None) -> None:
    if window is not None:
        resource.setrlimit(resource.RLIMIT_AS, window)


_STARTED_WITH = resource.getrlimit(resource.RLIMIT_AS)  # the address space this process may have, bounded by no rendering


def unbounded_child() -> None:
    """(In a child process, before its program starts) the address space as this process had it at start: a program
    started while another thread renders (the preview indexes while it rebuilds) is not held to the rendering's bound."""
    resource.setrlimit(resource.RLIMIT_AS, _STARTED_WITH)


def child_setup() -> Callable[[], None] | None:
    """What a child process must run before its program, `unbounded_child`, while a rendering bounds this process; else
    None (a child set up by nothing is started the quick way, without copying this process)."""
    return unbounded_child if resource.getrlimit(resource.RLIMIT_AS) != _STARTED_WITH else None
