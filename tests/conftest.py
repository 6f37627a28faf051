"""Shared fixtures: write a whole site from a {path: text} dict and build it."""

from __future__ import annotations

import ast
import contextlib
import io
import os
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from explainer.cli import main  # noqa: E402
from tools import CHROMIUM, launch_chromium, missing, require  # noqa: E402

MINI: dict[str, str] = {
    "content/site.yaml": (
        "title: Mini\n"
        "description: A tiny site for tests.\n"
        "language: en\n"
        "base_url: https://example.org/mini/\n"
        "copyright: © Test\n"
    ),
    "content/sources/paper.yaml": (
        "title: A Paper\n"
        "outlet: The Journal\n"
        "author: A. Writer\n"
        "published: 2023-12-05\n"
        "language: en\n"
        "excerpts:\n"
        "  - id: one\n"
        "    text: The sky is blue on clear days.\n"
        "  - id: two\n"
        "    text: Grass is green.\n"
    ),
    "content/facts/nature.yaml": (
        "title: Nature\n"
        "facts:\n"
        "  - id: sky\n"
        "    claim: The sky looks blue when the weather is clear.\n"
        "    when: 2023-12\n"
        "    evidence: [paper#one]\n"
        "  - id: grass\n"
        "    claim: Grass is green.\n"
        "    evidence: [paper#two]\n"
    ),
    "content/glossary/sky.yaml": (
        "term: sky\n"
        "short: What you see above you outdoors.\n"
        "body: The sky holds the clouds.\n"
    ),
    "content/pages/intro.md": (
        "---\n"
        "title: Introduction\n"
        "summary: Where it starts.\n"
        "---\n"
        "\n"
        "Look at the sky.\n"
        "\n"
        "[[fact:sky]]\n"
    ),
}


@dataclass
class Run:
    """The result of one command-line run on a written site."""

    code: int
    out: str
    err: str
    root: Path

    @property
    def site(self) -> Path:
        return self.root / "site"

    def page(self, path: str) -> str:
        return (self.site / path).read_text(encoding="utf-8")


# A browser test's view, as its id shows it (browser/harness.py, View.__str__): "[1280px dark]", "[375px light no-JS]";
# its width and scheme name the work unit, as a test without JavaScript compares with the same view with it.
VIEW_ID = re.compile(r"\[(?:[^\]]*-)?(\d+px (?:light|dark))(?: no-JS)?(?:-[^\]]*)?\]$")


def survey_tests() -> list[tuple[str, str, frozenset[str]]]:
    """The browser tests that read the survey (its `survey` fixture): file as node ids name it, name, parameters."""
    found = []
    for path in sorted((ROOT / "tests" / "browser").glob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_"):
                arguments = frozenset(argument.arg for argument in node.args.args)
                if "survey" in arguments:
                    found.append((path.relative_to(ROOT).as_posix(), node.name, arguments))
    return found


def survey_readers() -> frozenset[str]:
    """The browser test files with a test that reads the survey."""
    return frozenset(file for file, _, _ in survey_tests())


def work_unit(nodeid: str, readers: frozenset[str]) -> str:
    """What runs in one process when scripts/test.sh shares the suite out: the tests of the files that read the
    survey (`readers`) by the width and scheme of their view, as they share one visit to each page in each view
    (browser/survey.py); any other test with the rest of its file, whose module fixtures (a site built once, say) it
    shares. A test that reads the survey of a view must name that view in its parameters (tests/test_suite.py)."""
    path = nodeid.partition("::")[0]
    view = VIEW_ID.search(nodeid) if path in readers else None
    return f"view {view.group(1)}" if view else path


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """With `-n` (and --dist load, its default), pytest-xdist's scheduling by scope, with `work_unit` as the scope.
    (Its own grouping by mark, --dist loadgroup, groups nothing with pytest 9.2: pytest-dev/pytest-xdist#1386.)"""
    if config.getoption("dist") != "load":
        return None  # another way asked for: xdist's own
    from xdist.scheduler import LoadScopeScheduling

    readers = survey_readers()

    class ByWorkUnit(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return work_unit(nodeid, readers)

    return ByWorkUnit(config, log)


def write_tree(root: Path, files: dict[str, str | None]) -> None:
    """Write files (None deletes one) under root."""
    for relative, text in files.items():
        path = root / relative
        if text is None:
            if path.exists():
                path.unlink()
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def run_cli(root: Path, *args: str) -> Run:
    """Run the command line in `root`, capturing what it prints."""
    out, err = io.StringIO(), io.StringIO()
    before = Path.cwd()
    os.chdir(root)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(args))
    finally:
        os.chdir(before)
    return Run(code, out.getvalue(), err.getvalue(), root)


@pytest.fixture(autouse=True)
def user_cache_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The folder holding the build cache's key (store.py) in every test: the session's own, never the user's ~/.cache."""
    home = tmp_path_factory.getbasetemp() / "xdg-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., Run]:
    """Return a function that writes MINI updated with `changes` and runs the CLI on it."""

    def make(changes: dict[str, str | None] | None = None, *args: str, base: dict[str, str] | None = None) -> Run:
        files: dict[str, str | None] = dict(MINI if base is None else base)
        files.update(changes or {})
        write_tree(tmp_path, files)
        return run_cli(tmp_path, *(args or ("build",)))

    return make


@pytest.fixture(scope="session")
def built_flagship(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The flagship, built once per session as `build.py build` builds it; the tests that use it only read it."""
    out = tmp_path_factory.mktemp("flagship") / "site"
    run = run_cli(ROOT, "build", "--out", str(out), "--quiet")
    assert run.code == 0, run.err
    return out


@pytest.fixture(scope="session")
def playwright() -> Iterator[Any]:
    """Playwright, started once for the whole run (one sync instance per process is all it allows)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("Playwright is not installed: pip install -e '.[test]'")
    require(CHROMIUM)
    started = sync_playwright().start()
    yield started
    started.stop()


@pytest.fixture(scope="session")
def browser(playwright: Any) -> Iterator[Any]:
    """Debian's Chromium, headless, launched once for the whole run (never a browser Playwright downloads)."""
    chromium = launch_chromium(playwright)
    yield chromium
    chromium.close()


@pytest.fixture
def new_page(browser: Any) -> Iterator[Callable[..., Any]]:
    """Open pages (each in its own context) in the shared browser; all are closed after the test."""
    opened: list[Any] = []

    def open_page(**options: Any) -> Any:
        page = browser.new_page(**options)
        opened.append(page)
        return page

    yield open_page
    for page in opened:
        page.context.close()


@pytest.fixture
def site_root(tmp_path: Path) -> Iterator[Path]:
    """A temporary folder to write sites into."""
    yield tmp_path
