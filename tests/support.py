"""Helpers the tests share (fixtures live in conftest.py): sample sites, reading built pages, the article folder."""

from __future__ import annotations

import contextlib
import os
import signal
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from bs4 import BeautifulSoup

if TYPE_CHECKING:
    from conftest import Run
    from explainer.model import Site
    from explainer.preview.server import Server

ROOT = Path(__file__).resolve().parent.parent

# A small Korean site: particles on terms, a page without glossary links, headings and spans that link nothing.
KOREAN = {
    "content/site.yaml": (
        "title: 반도체 해설\ndescription: 반도체 업계를 설명한다.\nlanguage: ko\n"
        "base_url: https://example.org/chips/\ncopyright: © 테스트\n"
    ),
    "content/sources/paper.yaml": (
        "title: 기사\noutlet: 신문\npublished: 2024-03-07\nlanguage: ko\nexcerpts:\n"
        "  - id: one\n    text: 팹리스는 설계만 한다.\n    note: 팹리스에 관한 설명.\n"
    ),
    "content/facts/chips.yaml": (
        "title: 반도체\nfacts:\n"
        "  - id: design\n    claim: 팹리스는 공장 없이 설계만 하는 회사다.\n    evidence: [paper#one]\n"
        "  - id: design2\n    claim: 많은 팹리스가 파운드리를 쓴다.\n    evidence: [paper#one]\n"
    ),
    "content/glossary/fabless.yaml": "term: 팹리스\nen: Fabless\nshort: 설계만 하는 반도체 회사.\nbody: 팹리스는 [[term:foundry]]에 생산을 맡긴다.\n",
    "content/glossary/foundry.yaml": "term: 파운드리\nen: Foundry\nshort: 위탁 생산 회사.\nbody: 파운드리는 팹리스의 칩을 만든다.\n",
    "content/pages/intro.md": (
        "---\ntitle: 소개\nsummary: 시작.\norder: 1\n---\n"
        "팹리스를 아는가? 팹리스는 설계만 한다.\n\n## 둘째\n\n여기서도 팹리스와 [파운드리](https://example.org/)를 본다.\n"
        "`팹리스` 코드와 [팹리스]{.no-glossary} 조용히.\n\n### 셋째 팹리스\n\n[[fact:design]]\n"
    ),
    "content/pages/quiet.md": "---\ntitle: 조용한 페이지\norder: 2\nglossary: false\n---\n팹리스는 여기서 링크되지 않는다.\n",
}


def soup(run: Run, path: str, tips: bool = True) -> BeautifulSoup:
    doc = BeautifulSoup(run.page(path), "html.parser")
    if not tips:
        for tip in doc.select(".term-tip"):
            tip.decompose()
    return doc


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder`, by its path inside it, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def articles_dir() -> Path | None:
    """The folder of source articles: $EXPLAINER_ARTICLES, else ../shared/articles beside the checkout.

    EXPLAINER_ARTICLES=none says that this machine has no copy (a public CI): None, and the flagship's
    quotes are verified through content/quotes.lock.
    """
    configured = os.environ.get("EXPLAINER_ARTICLES")
    if configured == "none":
        return None
    candidate = Path(configured) if configured else ROOT.parent / "shared" / "articles"
    return candidate if candidate.is_dir() else None


def shown_text(indexed: str) -> str:
    """The words of a search-indexed text as the browser shows them: keys left out, the key mark removed."""
    from explainer.search.keys import JOIN, MARK

    return " ".join(word.replace(MARK, "") for word in indexed.split(" ") if not word.startswith(JOIN + MARK))


class OverBudget(BaseException):
    """A block of code took longer, or allocated more, than its bound.

    Not an Exception: the command line turns every Exception into "internal error" (exit 3), and
    a bound reached inside a build must stop the test there, not let the next command run unbounded.
    """


@contextlib.contextmanager
def within(seconds: float, megabytes: float | None = None) -> Iterator[None]:
    """Fail the block when it runs past `seconds` (stopped there by SIGALRM: a hang fails fast) or its Python
    allocations peak above `megabytes` (tracemalloc). A bound for inputs that used to take minutes or gigabytes,
    set many times above what they take now: a guard against hangs, not a measurement."""
    def expire(signum: int, frame: object) -> None:
        raise OverBudget(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    tracing = megabytes is not None and not tracemalloc.is_tracing()
    if tracing:
        tracemalloc.start()
        tracemalloc.reset_peak()
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        peak = tracemalloc.get_traced_memory()[1] if tracing else 0
        if tracing:
            tracemalloc.stop()
    if megabytes is not None and peak > megabytes * 1024 * 1024:
        raise OverBudget(f"allocated {peak / 1024 / 1024:.0f} MB at its peak (bound {megabytes} MB)")


def site_loader(content: Path) -> Callable[[], Site]:
    """What loads the site in `content` again each time it is called (as a preview's rebuild does), failing on problems."""
    from explainer.content.load import load_site
    from explainer.model import Options

    options = Options(content)

    def load() -> Site:
        site, problems = load_site(options)
        assert site is not None, problems
        return site

    return load


@contextlib.contextmanager
def serving_in_thread(server: Server) -> Iterator[None]:
    """Run a preview server (explainer.preview.server.Server) in a thread of its own for the `with` block, then stop
    it and check that its thread ended."""
    import asyncio
    import threading

    def run() -> None:
        with server.rebuilder.holding():
            asyncio.run(server.run())

    thread = threading.Thread(target=run)
    thread.start()
    try:
        yield
    finally:
        server.stop()
        thread.join(timeout=30)
    assert not thread.is_alive(), "the server's thread did not end"
