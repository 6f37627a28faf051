"""Bounds on what a site's own templates spend: time, memory, the size of their numbers and of what they render.

theme.py runs a site's templates/ in Jinja's sandbox, which bounds what a template reaches; a
pull request's template could still loop for good or fill the memory. These bounds hold it, as
limits.py holds content, to limits an operator may raise:

- TEMPLATE_SECONDS: one rendering (a page's template, a macro a page's Markdown calls) runs at
  most this long, not counting what explainer does for it meanwhile (a page's Markdown, md()).
  Template code is made to report its steps: every loop round (the code generator below wraps
  each loop's sequence) and every call (the sandbox's `call`) is a `tick`, and every
  CHECK_EVERY ticks the clock is read. Jinja has no other way to repeat work: an `{% include %}`
  ticks too.
- TEMPLATE_MEMORY: the memory one rendering may take beyond what the process held when it
  started. The process's address space is bounded (RLIMIT_AS) while the rendering runs, so an
  allocation past it fails with MemoryError, reported as the template's. Linux only: elsewhere
  this bound is not enforced.
- TEMPLATE_OUTPUT: the HTML the site's templates render in one build, all pages together.
- NUMBER_BITS: a number a template multiplies or raises to a power, and a sequence it
  repeats, stay small: Python computes `9**9**9` in one step no tick can stop.

Every bound raises TemplateBound, a template error the build reports at the template's line and
stops at: a template past a bound on one page is past it on the next.
"""

from __future__ import annotations

import os
import resource
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.runtime import LoopContext

from ..limits import TEMPLATE_MEMORY, TEMPLATE_OUTPUT, TEMPLATE_SECONDS, raise_hint, shown

CHECK_EVERY = 1024  # ticks between two readings of the clock (a tick is a loop round or a call: well under a microsecond)
NUMBER_BITS = 65_536  # the largest number a template computes by * or **: about 19,700 digits
REPEATED_ITEMS = 16 * 1024 * 1024  # the longest string or list a template makes by repeating one (`'x' * n`)
STATM = "/proc/self/statm"  # the process's address space, in pages (Linux)


class TemplateBound(jinja2.TemplateRuntimeError):
    """A rendering of the site's own templates went past one of its bounds (`where`: the folder, for no one template's)."""

    def __init__(self, message: str, where: str = "") -> None:
        super().__init__(message)
        self.where = where


class TemplateTooLong(TemplateBound):
    """A rendering ran past TEMPLATE_SECONDS."""

    def __init__(self) -> None:  # raised by `tick`, at its line of the template
        seconds = TEMPLATE_SECONDS.value
        super().__init__(f"rendering ran past its limit of {seconds} second{'s' if seconds != 1 else ''} (a loop that never "
                         f"ends, or loops nested too deep?); {raise_hint(TEMPLATE_SECONDS)}")


class TemplateTooLarge(TemplateBound):
    """A rendering made more than its bounds allow: memory, a number, a repeated sequence, or the build's HTML."""


@dataclass(slots=True)
class _Rendering:
    """One rendering of template code, as its thread runs it."""

    deadline: float
    ticks: int = 0  # ticks left before the clock is read (the first reads it)
    inside: bool = True  # False while explainer's own code runs for it (`ours`): a rendering started then is one of its own


class _Renderings(threading.local):
    """The renderings a thread is inside of, innermost last (a thread's own: the preview renders in one of its own)."""

    def __init__(self) -> None:
        self.stack: list[_Rendering] = []
        self.unguarded = 0  # ticks outside any rendering: template code reached from a place `rendering` does not wrap


_RENDERINGS = _Renderings()


def tick() -> None:
    """A step of template code: every CHECK_EVERY of them, the rendering's time is checked."""
    stack = _RENDERINGS.stack
    if not stack:
        _RENDERINGS.unguarded += 1
        return
    current = stack[-1]
    current.ticks -= 1
    if current.ticks <= 0:
        current.ticks = CHECK_EVERY
        if time.monotonic() > current.deadline:
            raise TemplateTooLong()


def stepped(sequence: Iterable[Any]) -> Iterator[Any]:
    """A loop's sequence, each round a tick."""
    for item in sequence:
        tick()
        yield item


@contextmanager
def rendering() -> Iterator[None]:
    """Run template code as one rendering, bounded; inside template code already, as part of that one."""
    stack = _RENDERINGS.stack
    if stack and stack[-1].inside:
        yield
        return
    window = _open_window() if not stack else None  # nested in explainer's code for a rendering: its window holds
    stack.append(_Rendering(time.monotonic() + TEMPLATE_SECONDS.value))
    try:
        yield
    except MemoryError as exc:
        if window is None:
            raise
        raise TemplateTooLarge(f"it took more than {shown(TEMPLATE_MEMORY)} of memory; {raise_hint(TEMPLATE_MEMORY)}") \
            .with_traceback(exc.__traceback__) from None
    finally:
        stack.pop()
        _close_window(window)


def ours(function: Callable[..., Any]) -> Callable[..., Any]:
    """`function` (explainer's, handed to templates) with its time not counted against the rendering that calls it."""
    def run(*args: Any, **kwargs: Any) -> Any:
        stack = _RENDERINGS.stack
        if not stack or not stack[-1].inside:
            return function(*args, **kwargs)
        current = stack[-1]
        started = time.monotonic()
        current.inside = False
        try:
            return function(*args, **kwargs)
        finally:
            current.inside = True
            current.deadline += time.monotonic() - started
    return run


class Guarded:
    """A template's module (its macros) whose macros, called from explainer's code, are renderings of their own."""

    def __init__(self, module: Any) -> None:
        self._module = module

    def __getattr__(self, name: str) -> Any:
        found = getattr(self._module, name)
        if not callable(found):
            return found

        def call(*args: Any, **kwargs: Any) -> Any:
            with rendering():
                return found(*args, **kwargs)
        return call


@dataclass(slots=True)
class Spent:
    """The HTML the site's own templates (in `folder`, as shown) rendered in one build, in one process, in characters."""

    folder: str = ""  # none: the default theme's alone, which is not counted
    characters: int = 0

    def add(self, rendered: str) -> str:
        """Count one page's HTML as rendered, and return it; TemplateTooLarge past TEMPLATE_OUTPUT."""
        if not self.folder:
            return rendered
        self.characters += len(rendered)
        if self.characters > TEMPLATE_OUTPUT.value:
            raise TemplateTooLarge(f"the site's templates rendered more than {shown(TEMPLATE_OUTPUT)} of HTML in this build; "
                                   f"{raise_hint(TEMPLATE_OUTPUT, self.characters)}", self.folder)
        return rendered


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
        if isinstance(sequence, (str, list, tuple)) and isinstance(count, int) and len(sequence) * count > REPEATED_ITEMS:
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

