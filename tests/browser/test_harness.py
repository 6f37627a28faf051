"""The harness catches what it is meant to catch: each check run on a page made to fail it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from siteserver import serve_site
from tools import missing

from .checks import FOCUS_JS, describe_violations, focus_problems, layout_problems, run_axe, small_targets, walk_with_tab
from .harness import PHONE, View, Views, site_pages

if TYPE_CHECKING:
    from playwright.sync_api import Browser

FAULTY = """<!doctype html>
<html lang="ko">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>faulty</title>
<style>
  body { margin: 0 1rem; font: 16px/1.5 sans-serif; }
  .faint { color: #c8c8c8; background: #fff; }
  .wide { width: 40rem; }
  .narrow { width: 7rem; }
  .lifted { position: relative; top: -2em; }
  a:focus { outline: none; }
  hr { border: 0; border-top: 1px solid #000; }
</style>
</head>
<body>
<main id="main">
<p class="faint">거의 보이지 않는 글씨</p>
<div class="wide">옆으로 넘치는 상자</div>
<p class="narrow">국제표준화기구국제전기기술위원회합동기술위원회</p>
<p>첫째 줄의 글</p>
<p class="lifted">위로 올라간 둘째 줄</p>
<p><a href="#a">보이지 않는 초점</a></p>
<p><span class="term"><a class="term-link" href="#t" aria-describedby="no-such-tip">용어</a></span></p>
<img src="https://fonts.example.invalid/logo.png" alt="">
<p style="width: 70px">가 삼성·LG와</p>
<hr><hr>
</main>
</body>
</html>
"""

FOLDED = """<!doctype html>
<html lang="ko">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>folded</title>
<style>body { margin: 0 1rem; font: 16px/1.5 sans-serif; } .lifted { position: relative; top: -2em; }</style>
</head>
<body>
<main id="main">
<p>첫째 줄의 글</p>
<details><summary>접힌 내용</summary><p class="lifted">접혀서 보이지 않는 글</p></details>
</main>
</body>
</html>
"""

TOOLTIPS = """<!doctype html>
<html lang="ko">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tooltips</title>
<style>
  body { margin: 0 1rem; font: 16px/1.5 sans-serif; }
  :focus-visible { outline: 3px solid #c24100; }
  .skip { position: absolute; top: -3rem; }
  .skip:focus { top: 0; }
  .term-tip { display: none; position: absolute; background: #000; color: #fff; width: 20rem; }
  .term-link:focus + .term-tip { display: block; }
  .never .term-tip { display: none !important; }
  .far .term-tip { left: 12rem; }
</style>
</head>
<body>
<a class="skip" href="#main">본문 바로 가기</a>
<main id="main">
<p class="never"><span class="term"><a class="term-link" href="#a" aria-describedby="tip-1">숨은 뜻</a>
  <span class="term-tip" role="tooltip" id="tip-1">보이지 않는 풀이</span></span></p>
<p class="far"><span class="term"><a class="term-link" href="#b" aria-describedby="tip-2">넘치는 뜻</a>
  <span class="term-tip" role="tooltip" id="tip-2">창 밖으로 넘치는 풀이</span></span></p>
</main>
</body>
</html>
"""


@pytest.fixture(scope="module")
def faulty(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Views]:
    """A one-page site with one of each fault, served under a sub-path, and its own browser contexts."""
    folder = tmp_path_factory.mktemp("faulty")
    (folder / "index.html").write_text(FAULTY, encoding="utf-8")
    (folder / "tooltips.html").write_text(TOOLTIPS, encoding="utf-8")
    (folder / "sticky.html").write_text(STICKY, encoding="utf-8")
    (folder / "folded.html").write_text(FOLDED, encoding="utf-8")
    for name in ("js", "nojs"):  # an icon each: Chromium asks for an icon that failed only once per browser
        (folder / f"iconless-{name}.html").write_text(ICONLESS.replace("no-such-icon", f"no-such-icon-{name}"), encoding="utf-8")
    with serve_site(folder, "/faulty/") as served:
        views = Views(browser, served)
        yield views
        views.close()


@pytest.mark.browser
def test_axe_reports_low_contrast(faulty: Views) -> None:
    found = describe_violations(run_axe(faulty.tab(View()).visit("")))
    assert any(line.startswith("axe color-contrast (serious) at .faint") for line in found), found


@pytest.mark.browser
def test_layout_check_reports_each_fault(faulty: Views) -> None:
    found = "\n".join(layout_problems(faulty.tab(View(PHONE)).visit("")))
    assert "the page scrolls sideways" in found
    assert '<div.wide> "옆으로 넘치는 상자" spans' in found
    assert 'Korean text without word-break: keep-all in <p.narrow>' in found
    assert 'the word "국제표준화기구국제전기기술위원회합동기술위원회" breaks across lines' in found
    assert 'text "첫째 줄의 글" overlaps "위로 올라간 둘째 줄"' in found
    folded = "\n".join(layout_problems(faulty.tab(View(PHONE)).visit("folded.html")))
    assert "접혀서 보이지 않는 글" not in folded, folded  # the inside of a closed <details> is not drawn
    assert 'a line starts with "·LG와" in <p> "가 삼성·LG와"' in found
    assert "two rules in a row" in found and "under <hr>" in found


@pytest.mark.browser
def test_target_check_reports_a_small_link_that_stands_alone_but_not_one_in_a_sentence(faulty: Views) -> None:
    found = small_targets(faulty.tab(View(PHONE)).visit(""))
    assert any(line.startswith('<a> "보이지 않는 초점" is a target of') for line in found), found
    assert any(line.startswith('<a.term-link> "용어" is a target of') for line in found), found
    in_a_sentence = small_targets(faulty.tab(View(PHONE)).visit("sticky.html"))
    assert any('"첫째 링크"' in line for line in in_a_sentence) and not any('"링크"' in line for line in in_a_sentence), in_a_sentence


STICKY = """<!doctype html>
<html lang="ko">
<head>
<meta charset="utf-8">
<title>sticky</title>
<style>
  body { margin: 0; font: 16px/1.5 sans-serif; }
  body > header { position: sticky; top: 0; height: 60px; background: #fff; }
  main p { margin: 0 0 40px; }
  :focus-visible { outline: 3px solid #c24100; }
</style>
</head>
<body>
<header><a href="#top">머리</a></header>
<main><p><a href="#a" id="first">첫째 링크</a></p>
<p>문장 속의 <a href="#s">링크</a>는 그 줄의 높이만큼이면 되니, 이 문장은 스물다섯 자를 넘게 씁니다.</p>
<p style="height: 3000px">긴 글</p></main>
</body>
</html>
"""


@pytest.mark.browser
def test_focus_check_reports_a_focused_link_under_a_sticky_header(faulty: Views, tmp_path: Path) -> None:
    page = faulty.tab(View()).visit("sticky.html")
    page.evaluate("() => { window.scrollTo(0, 30); document.getElementById('first').focus({preventScroll: true}); }")
    assert focus_problems(page.evaluate(FOCUS_JS), scripted=True) == ['<a> "첫째 링크" has focus but the sticky header covers it']
    page.evaluate("() => { window.scrollTo(0, 0); document.getElementById('first').focus({preventScroll: true}); }")
    assert focus_problems(page.evaluate(FOCUS_JS), scripted=True) == []


@pytest.mark.browser
def test_request_log_blocks_and_reports_requests_leaving_the_site(faulty: Views) -> None:
    tab = faulty.tab(View())
    tab.visit("", wait_until="networkidle")
    assert "request outside the site: https://fonts.example.invalid/logo.png" in tab.log.problems()
    assert [hit.blocked for hit in tab.log.hits if "example.invalid" in hit.url] == [True]


# A page whose icon is missing: Chromium asks for the icon only after `load`.
ICONLESS = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>iconless</title><link rel="icon" href="no-such-icon.svg" type="image/svg+xml"></head>
<body><main><p>No icon here.</p></main></body></html>
"""


@pytest.mark.browser
@pytest.mark.parametrize(("view", "name"), [(View(), "js"), (View(PHONE, javascript=False), "nojs")], ids=["scripted", "no-JS"])
def test_request_problems_wait_for_the_icon_chromium_asks_for_after_load(faulty: Views, view: View, name: str) -> None:
    tab = faulty.tab(view)
    tab.visit(f"iconless-{name}.html")
    problems = tab.problems()
    assert [problem for problem in problems if f"no-such-icon-{name}.svg answered 404" in problem], problems


@pytest.mark.browser
def test_tab_walk_reports_missing_skip_link_invisible_focus_and_broken_tooltip(faulty: Views) -> None:
    stops, problems = walk_with_tab(faulty.tab(View()).visit(""))
    assert [stop["describe"] for stop in stops] == ['<a> "보이지 않는 초점"', '<a.term-link> "용어"']
    assert [problem.split(" (outline")[0] for problem in problems] == [
        'focus is not clearly visible on <a> "보이지 않는 초점"',
        'focus is not clearly visible on <a.term-link> "용어"',
        '<a.term-link> "용어" is described by #no-such-tip, which does not exist',
        'the first Tab stop is <a> "보이지 않는 초점", not a link to the main content',
    ]


@pytest.mark.browser
def test_tab_walk_reports_tooltips_hidden_or_outside_the_window(faulty: Views) -> None:
    stops, problems = walk_with_tab(faulty.tab(View(PHONE)).visit("tooltips.html"))
    assert [stop["describe"] for stop in stops] == ['<a.skip> "본문 바로 가기"', '<a.term-link> "숨은 뜻"', '<a.term-link> "넘치는 뜻"']
    assert problems == [
        'the tooltip of <a.term-link> "숨은 뜻" is not shown on focus',
        'the tooltip of <a.term-link> "넘치는 뜻" does not fit in the window\'s width',
    ]


def test_pages_are_found_in_the_built_folder(tmp_path: Path) -> None:
    for name in ("index.html", "404.html", "a/index.html", "a/b/index.html", "print/index.html", "assets/x.css"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("", encoding="utf-8")
    assert site_pages(tmp_path) == ["404.html", "a/b/", "a/", "", "print/"]


def test_a_missing_browser_fails_under_ci_and_skips_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI is set"):
        missing("no browser")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        missing("no browser")
