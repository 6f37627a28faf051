"""The print stylesheet as Chromium applies it: chrome gone, black on white, URLs after external links."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from conftest import Run
from support import KOREAN

pytestmark = pytest.mark.browser

PAGE = (
    "---\ntitle: 소개\n---\n팹리스는 [원문](https://example.org/article)을 보라.\n\n## 사실\n\n[[fact:design]]\n\n"
    "## 연표\n\n[[timeline]]\n"  # two sections: the page has its contents (.toc), which print hides
)
FACTS = KOREAN["content/facts/chips.yaml"].replace("evidence: [paper#one]\n", "evidence: [paper#one]\n    when: 2024-03\n    tags: [설계]\n", 1)
SITE = {**KOREAN, "content/pages/intro.md": PAGE, "content/facts/chips.yaml": FACTS}
STYLES = """(selector) => {
  const element = document.querySelector(selector);
  if (!element) return null;
  const style = getComputedStyle(element);
  const after = getComputedStyle(element, '::after');
  return {display: style.display, color: style.color, background: style.backgroundColor, breakInside: style.breakInside,
          fontFamily: style.fontFamily, wordBreak: style.wordBreak, after: after.content};
}"""


def styles(new_page: Callable[..., Any], run: Run, path: str, media: str) -> Callable[[str], dict[str, str] | None]:
    page = new_page(color_scheme="dark")
    page.emulate_media(media=media, color_scheme="dark")
    page.goto((run.site / path).as_uri())
    return lambda selector: page.evaluate(STYLES, selector)


def test_print_hides_chrome_and_prints_black_on_white(new_page: Callable[..., Any], make_site: Callable[..., Run]) -> None:
    run = make_site(base=SITE)
    assert run.code == 0, run.err
    style = styles(new_page, run, "intro/index.html", "print")
    chrome = (".site-nav", ".skip-link", ".term-tip", ".timeline-link", ".fact-permalink", ".site-header", ".toc", ".tags", ".fact-foot")
    shown = {selector: (style(selector) or {"display": "(not on the page)"})["display"] for selector in chrome}
    assert shown == dict.fromkeys(chrome, "none")
    body = style("body")
    assert body and body["color"] == "rgb(0, 0, 0)" and body["background"] == "rgb(255, 255, 255)"  # even in dark mode
    assert body["wordBreak"] == "keep-all" and "Myeongjo" in body["fontFamily"]
    assert style(".fact")["breakInside"] == "avoid"  # type: ignore[index]
    assert style('main a[href="https://example.org/article"]')["after"] == '" (https://example.org/article)"'  # type: ignore[index]
    assert style(".term-link")["after"] == "none"  # type: ignore[index]
    assert style("aside.print-terms")["display"] == "block"  # type: ignore[index]


def test_screen_is_unchanged(new_page: Callable[..., Any], make_site: Callable[..., Run]) -> None:
    run = make_site(base=SITE)
    style = styles(new_page, run, "intro/index.html", "screen")
    assert style("aside.print-terms")["display"] == "none"  # type: ignore[index]
    assert style(".site-nav")["display"] != "none"  # type: ignore[index]
    assert style('main a[href="https://example.org/article"]')["after"] == "none"  # type: ignore[index]


def test_print_edition_runs_on_with_headings_kept_with_what_follows(new_page: Callable[..., Any], make_site: Callable[..., Run]) -> None:
    run = make_site(base=SITE)
    page = new_page()
    page.emulate_media(media="print")
    page.goto((run.site / "print/index.html").as_uri())
    breaks = page.evaluate("""() => [...document.querySelectorAll('.print-part')].map(e => [e.id, getComputedStyle(e).breakBefore,
      getComputedStyle(e.querySelector('h2')).breakAfter])""")
    assert breaks == [[part, "auto", "avoid"] for part in ("page-intro", "page-quiet", "part-facts", "part-glossary", "part-sources")]
    columns = page.evaluate("() => ['#part-facts', '#part-glossary', '#part-sources']"
                            ".map(s => getComputedStyle(document.querySelector(s)).columnCount)")
    assert columns == ["auto", "2", "2"]  # the glossary and the sources, short entries, in two columns
