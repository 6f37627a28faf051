"""What a site's own templates may spend (render/bounds.py): a pull request's template that loops for good, fills the
memory or renders without end stops the build at once, at its line, with the limit to raise if it is trusted."""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import MINI, ROOT, Run, run_cli, write_tree
from explainer.errors import BuildFailed
from explainer.model import Options
from explainer.pipeline import make
from explainer.render import bounds
from explainer.render import theme as themes
from explainer.render.theme import DEFAULT_THEME
from support import within

FOREVER = "{% for i in range(100000) %}{% for j in range(100000) %}{{ j }}{% endfor %}{% endfor %}"
ONE_SECOND = ("--limit", "template-seconds=1")


def footer(body: str) -> dict[str, str]:
    return {"templates/footer.html": f"<footer>\n{body}\n</footer>\n"}


def one_error(run: Run, message: str, where: str = "templates/footer.html:2: error: template error: ") -> None:
    """The build failed with one problem (it stopped at the first page), at the template's line, saying `message`."""
    assert run.code == 1, run.err
    assert f"{where}{message}" in run.err, run.err
    assert "\n1 error." in run.err and "internal error" not in run.err and not (run.root / "site").exists()


@pytest.mark.parametrize("body", [
    FOREVER,  # loops nested too deep
    "{% macro twice(n) %}{% if n %}{{ twice(n - 1) }}{{ twice(n - 1) }}{% endif %}{% endmacro %}{{ twice(60) }}",  # calls
    "{% for n in [60] recursive %}{% if n %}{{ loop([n - 1, n - 1]) }}{% endif %}{% endfor %}",  # a recursive loop
])
def test_a_template_that_runs_for_good_stops_the_build_at_its_line(make_site: Callable[..., Run], body: str) -> None:
    with within(60):
        run = make_site(footer(body), "build", *ONE_SECOND)
    one_error(run, "the page's templates ran past their limit of 1 second")
    assert "--limit template-seconds=" in run.err


@pytest.mark.parametrize("files", [
    footer("{% macro again() %}{{ again() }}{% endmacro %}{{ again() }}"),
    footer('{% include "footer.html" %}'),
])
def test_a_template_that_calls_itself_without_end_is_the_templates_error(make_site: Callable[..., Run],
                                                                        files: dict[str, str]) -> None:
    """Python's stack fills: the template's error at its line, not explainer's ("internal error")."""
    with within(60):
        run = make_site(files)
    assert run.code == 1 and "templates/footer.html:2: error: template error: a macro or include that calls itself" in run.err, \
        run.err


@pytest.mark.parametrize(("body", "message"), [
    ("{{ 'a' | center('b') }}", "TypeError: "),  # raised inside a filter of Jinja's
    ("{{ [1, 'a'] | sort }}", "TypeError: '<' not supported"),
    ("{{ 1 // 0 }}", "ZeroDivisionError: "),
])
def test_python_refusing_a_templates_values_is_the_templates_error(make_site: Callable[..., Run], body: str, message: str) -> None:
    """Not explainer's bug ("internal error"): the template gave Jinja or Python values they refuse."""
    one_error(make_site(footer(body)), message)


def test_includes_that_multiply_are_steps_too(make_site: Callable[..., Run]) -> None:
    """Each level includes the next twice: 2**40 renderings with no loop and no call in them."""
    levels = {f"templates/level{n}.html": f'{{% include "level{n + 1}.html" %}}{{% include "level{n + 1}.html" %}}'
              for n in range(40)}
    levels["templates/level40.html"] = "x"
    with within(60):
        run = make_site({**levels, **footer('{% include "level0.html" %}')}, "build", *ONE_SECOND)
    assert run.code == 1 and "the page's templates ran past their limit of 1 second" in run.err and "\n1 error." in run.err, run.err


def test_a_macro_the_markdown_calls_is_bounded_too(make_site: Callable[..., Run]) -> None:
    """The fact card of `[[fact:sky]]` is a macro called from explainer's code, not from a template."""
    macros = (DEFAULT_THEME / "macros.html").read_text(encoding="utf-8")
    start = "{% macro fact_card(fact, anchor=False) -%}\n"
    assert start in macros
    with within(60):
        run = make_site({"templates/macros.html": macros.replace(start, start + FOREVER + "\n")}, "build", *ONE_SECOND)
    assert run.code == 1 and "templates/macros.html:" in run.err and "ran past their limit of 1 second" in run.err, run.err
    assert "\n1 error." in run.err


@pytest.mark.skipif(not Path(bounds.STATM).exists(), reason="the memory bound holds on Linux, where CI builds")
@pytest.mark.parametrize("body", [
    "{% set ns = namespace(s='x') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s | length }}",
    "{% set ns = namespace(l=[1]) %}{% for i in range(40) %}{% set ns.l = ns.l + ns.l %}{% endfor %}{{ ns.l | length }}",
    "{{ 'x' | center(2000000000) | length }}",
])
def test_a_template_that_fills_the_memory_stops_the_build(make_site: Callable[..., Run], body: str) -> None:
    with within(60):
        run = make_site(footer(body), "build", "--limit", "template-memory=256MiB")
    one_error(run, "it took more than 256 MiB of memory")
    assert "--limit template-memory=512MiB" in run.err


@pytest.mark.parametrize(("body", "message"), [
    ("{{ 9 ** (9 ** 9) }}", "a number of more than 65,536 bits (`**`)"),
    ("{% set n = 2 ** 20000 %}{% set m = n * n %}{{ m * m }}", "a number of more than 65,536 bits (`*`)"),
    ("{{ 2 ** 20000 }}", "ValueError: Exceeds the limit (4300 digits) for integer string conversion"),
    ("{{ 'x' * 100000000 }}", "a sequence repeated past 16,777,216 items or characters (`*`)"),
    ("{{ [0] * 100000000 }}", "a sequence repeated past 16,777,216 items or characters (`*`)"),
])
def test_a_number_or_a_sequence_made_in_one_step_is_bounded(make_site: Callable[..., Run], body: str, message: str) -> None:
    with within(60):
        run = make_site(footer(body))
    one_error(run, message)


def test_the_html_of_a_build_is_bounded(make_site: Callable[..., Run]) -> None:
    run = make_site(footer("{{ 'x' * 1000 }}"), "build", "--limit", "template-output=2KiB")
    assert run.code == 1 and "the site's templates rendered more than 2 KiB of HTML in this build" in run.err, run.err
    assert "\n1 error." in run.err and "--limit template-output=" in run.err


def test_templates_within_their_bounds_render_as_before(make_site: Callable[..., Run]) -> None:
    body = ("{% for i in range(3) %}{{ i * 2 }}{% endfor %} {{ 'ab' * 2 }} {{ 2 ** 10 }} "
            "{% for n in [[1, [2]]] recursive %}{% if n is iterable %}{{ loop(n) }}{% else %}{{ n }}{% endif %}{% endfor %}")
    run = make_site(footer(body), "build", *ONE_SECOND)
    assert run.code == 0, run.err
    assert "<footer>\n024 abab 1024 12</footer>" in run.page("index.html")


@pytest.mark.parametrize("files", [
    # the Markdown md() renders, called in a loop: its time is the template's
    footer("{% for i in range(100000) %}{% set x = md(page.body) if page is defined and page.body else md(none) %}{% endfor %}"),
    # filters of Jinja's that loop in Python: each item one draws from another is a step
    footer("{{ [1] | slice(10 ** 12) | map('length') | sum }}"),
    footer("{{ [1] | slice(10 ** 12) | select | list | length }}"),
    footer("{{ ([[0]] * 100000) | sum(start=[]) | length }}"),
])
def test_what_a_template_asks_of_python_is_its_time_too(make_site: Callable[..., Run], files: dict[str, str]) -> None:
    with within(60):
        run = make_site(files, "build", *ONE_SECOND)
    one_error(run, "the page's templates ran past their limit of 1 second")


def test_the_macros_of_a_page_share_its_time(make_site: Callable[..., Run]) -> None:
    """Each fact card a page's Markdown shows is a macro called from explainer's code: each just under the limit, they
    are still stopped, together, at the page's."""
    macros = (DEFAULT_THEME / "macros.html").read_text(encoding="utf-8")
    start = "{% macro fact_card(fact, anchor=False) -%}\n"
    slow = "{% for i in range(1000) %}{% for j in range(300) %}{% endfor %}{% endfor %}\n"  # a tenth of a second or so
    page = "---\ntitle: Cards\n---\n\n" + "\n\n".join(["[[fact:sky]]"] * 80) + "\n"
    with within(90):
        run = make_site({"templates/macros.html": macros.replace(start, start + slow), "content/pages/many-cards.md": page},
                        "build", "-j", "1", *ONE_SECOND)
    assert run.code == 1 and "templates/macros.html:" in run.err and "ran past their limit of 1 second" in run.err, run.err


@pytest.mark.parametrize(("body", "message"), [
    ("{{ ('x' * 1000000) | wordwrap(1) | length }}", "the wordwrap filter takes at most 100,000 characters"),
    ("{{ ('f' * 4000000) | int(base=16) }}", "the int filter takes at most 4,300 characters"),
    ("{{ ('a ' * 600000) | urlize | length }}", "the urlize filter takes at most 1,000,000 characters"),
    ("{% set ns = namespace(t=()) %}{% for i in range(4) %}{% for j in range(100000) %}{% set ns.t = (ns.t,) %}{% endfor %}"
     "{% endfor %}{{ {ns.t: 1} | length }}",
     "a value nested more than 100 levels deep"),
    ("{% set ns = namespace(d={}) %}{% for i in range(200) %}{% set ns.d = {'key': ns.d, 'also': [ns.d]} %}{% endfor %}",
     "a value nested more than 100 levels deep"),
])
def test_what_python_would_do_in_one_long_step_is_refused_before(make_site: Callable[..., Run], body: str, message: str) -> None:
    """Quadratic text wrapping, a huge number read from text, hashing a tuple nested 400,000 deep (which overflows Python's
    own stack: the build used to die of a segmentation fault)."""
    with within(60):
        run = make_site(footer(body), "build", *ONE_SECOND)
    one_error(run, message)


def test_nothing_a_page_keeps_outlives_it(make_site: Callable[..., Run]) -> None:
    """An imported template's module is made anew for each import: a list one page grew is not there for the next (and
    lists are not grown in place at all)."""
    files = {"templates/store.html": "{% set ns = namespace(kept=[]) %}",
             **footer('{% import "store.html" as s %}{% set ns = s.ns %}{% set ns.kept = ns.kept + [1] %}{{ ns.kept | length }}')}
    run = make_site(files)
    assert run.code == 0, run.err
    assert all("<footer>\n1\n</footer>" in run.page(page) for page in ("index.html", "facts/index.html", "glossary/index.html"))


@pytest.mark.parametrize(("body", "message"), [
    ("{{ url(5) }}", "url() cannot use what it was given (AttributeError"),
    ("{{ md('x') }}", "md() cannot use what it was given"),
    ("{{ format_date(3) }}", "format_date() cannot use what it was given"),
])
def test_a_helper_given_what_it_cannot_use_is_the_templates_error(make_site: Callable[..., Run], body: str, message: str) -> None:
    run = make_site(footer(body))
    assert run.code == 1 and f"templates/footer.html:2: error: template error: {message}" in run.err, run.err
    assert "internal error" not in run.err


def test_a_number_too_long_to_read_in_a_template_is_its_error(make_site: Callable[..., Run]) -> None:
    for command in ("build", "check"):
        run = make_site(footer("{{ " + "1" * 5000 + " }}"), command)
        assert run.code == 1 and "templates/footer.html:1: error: template syntax error: it cannot be compiled (ValueError" \
            in run.err, run.err


@pytest.mark.parametrize("body", ["{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}",
                                  "{% if true %}" * 120 + "x" + "{% endif %}" * 120,
                                  "{{ " + "[" * 150 + "1" + "]" * 150 + " }}"])
def test_a_template_too_deep_to_compile_is_its_error(make_site: Callable[..., Run], body: str) -> None:
    for command in ("build", "check"):
        run = make_site(footer(body), command)
        assert run.code == 1 and "templates/footer.html:1: error: template syntax error: it is nested too deep" in run.err, \
            run.err


def test_a_macro_called_for_the_markdown_is_reported_at_its_own_line(make_site: Callable[..., Run]) -> None:
    """Called from explainer's code, not from a template Jinja renders: its line is still the template's, not Python's."""
    macros = (DEFAULT_THEME / "macros.html").read_text(encoding="utf-8")
    start = "{% macro fact_card(fact, anchor=False) -%}\n"
    line = macros[:macros.index(start)].count("\n") + 2
    run = make_site({"templates/macros.html": macros.replace(start, start + "{{ 1 // 0 }}\n")})
    assert run.code == 1 and f"templates/macros.html:{line}: error: template error: ZeroDivisionError" in run.err, run.err


def test_every_template_the_sandbox_runs_is_inside_a_bounded_rendering(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The flagship, every template of the default theme in the sandbox: no step of template code outside a rendering."""
    monkeypatch.setattr(themes, "ThemeEnvironment", themes.SandboxedThemeEnvironment)  # what make_environment picks
    before = bounds._RENDERINGS.unguarded
    run = run_cli(ROOT, "build", "--out", str(tmp_path / "site"), "--quiet", "--no-cache", "-j", "1", "--no-search")
    assert run.code == 0, run.err
    assert bounds._RENDERINGS.unguarded == before


def test_workers_stop_at_the_bound_as_the_build_does(tmp_path: Path) -> None:
    """A site large enough for workers: they render no more once past the bound, and the build reports it once."""
    files = {**MINI, **footer(FOREVER)}
    files.update({f"content/pages/p{n:02d}.md": f"---\ntitle: Page {n}\n---\n\nThe sky, page {n}.\n" for n in range(60)})
    write_tree(tmp_path, files)
    with within(90):
        run = run_cli(tmp_path, "build", "-j", "2", *ONE_SECOND)
    one_error(run, "the page's templates ran past their limit of 1 second")


def test_a_rendering_in_a_thread_of_its_own_is_bounded(make_site: Callable[..., Run]) -> None:
    """The preview builds in a thread of its own: the bound holds there as in the command line's."""
    root = make_site({}).root
    write_tree(root, footer(FOREVER))
    failed: list[BaseException] = []

    def build() -> None:
        try:
            make(Options(root / "content", root / "site", jobs=1, limits=(("TEMPLATE_SECONDS", 1),)), search=False)
        except BaseException as exc:  # what the thread ended with is the test's
            failed.append(exc)

    thread = threading.Thread(target=build)
    thread.start()
    thread.join(60)
    assert not thread.is_alive()
    assert failed and "ran past their limit of 1 second" in str(failed[0].problems[0])  # type: ignore[attr-defined]


@pytest.mark.skipif(not Path(bounds.STATM).exists(), reason="the memory bound holds on Linux, where CI builds")
def test_a_program_started_while_a_page_renders_is_not_held_to_its_memory_bound() -> None:
    """The preview indexes (Pagefind's program) in one thread while it renders in another: the child process gets the
    address space the build started with, not the rendering's."""
    import subprocess
    import sys

    from explainer import limits

    more = (bounds._address_space() or 0) + 256 * 2 ** 20  # past the bound whatever this process holds (untouched pages)
    grow = [sys.executable, "-c", f"b = bytearray({more}); b[-1] = 1"]
    with limits.applied((("TEMPLATE_MEMORY", 32 * 2 ** 20),)), bounds.rendering():
        held = subprocess.run(grow, capture_output=True, check=False)
        freed = subprocess.run(grow, capture_output=True, check=False, preexec_fn=bounds.unbounded_child)
        setup = bounds.child_setup()
    assert held.returncode != 0 and b"MemoryError" in held.stderr  # what the bound does to a child that inherits it
    assert freed.returncode == 0, freed.stderr
    assert setup is bounds.unbounded_child and bounds.child_setup() is None  # what start_pagefind passes, then and now


def test_a_filter_looping_in_python_is_stopped_at_its_next_call(make_site: Callable[..., Run]) -> None:
    """striptags takes a second for a few million characters, in one step: the clock is read at every filter."""
    with within(60):
        run = make_site(footer("{% for i in range(1000) %}{{ ('<>' * 1500000) | striptags | length }}{% endfor %}"),
                        "build", *ONE_SECOND)
    one_error(run, "the page's templates ran past their limit of 1 second")


def test_the_html_of_a_build_is_counted_as_memory_holds_it(make_site: Callable[..., Run]) -> None:
    """An emoji is one character and four bytes: the bound is on the bytes."""
    run = make_site(footer("{{ '😀' * 1000 }}"), "build", "--limit", "template-output=16KiB")
    assert run.code == 1 and "rendered more than 16 KiB of HTML in this build" in run.err, run.err


def test_a_value_a_site_template_gives_a_macro_of_the_default_theme_is_its_own_error(make_site: Callable[..., Run]) -> None:
    run = make_site(footer('{% import "macros.html" as m with context %}{{ m.timeline(5) }}'))
    assert run.code == 1 and "templates/footer.html:2: error: template error: TypeError: 'int' object is not iterable" in run.err, \
        run.err


def test_a_failed_build_keeps_nothing_the_template_made(make_site: Callable[..., Run]) -> None:
    """The preview keeps the failure it shows: it must not keep the rendering's frames, and what they held, with it."""
    root = make_site({}).root
    write_tree(root, footer("{% set big = [1] * 1000000 %}" + FOREVER))
    try:
        make(Options(root / "content", root / "site", jobs=1, limits=(("TEMPLATE_SECONDS", 1),)), search=False)
    except BuildFailed as failed:
        assert failed.__context__ is None and failed.__cause__ is None and failed.__traceback__ is not None
        held = [frame.f_locals for frame, _ in traceback.walk_tb(failed.__traceback__)]
        assert not any(isinstance(value, list) and len(value) == 1000000 for found in held for value in found.values())
    else:
        raise AssertionError("the build did not fail")
