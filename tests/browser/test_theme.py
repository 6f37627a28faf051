"""The default theme holds up under the hard shapes of content the flagship may not have yet.

A wide table with glossary links deep in its cells, code and an address longer than a phone's
width, nested lists, quotations, a fact card and a timeline: every check the flagship passes must
pass here too, so that a content change cannot be the first to find a weak spot of the theme.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from conftest import write_tree
from siteserver import serve_site

from .checks import walk_with_tab
from .harness import DESKTOP, PHONE, View, Views, build_site, report
from .survey import SURVEYED, Survey, Visit

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

SHAPES = """\
---
title: 과수원의 한 해를 여러 모양의 글로 적어 본 페이지
summary: 표, 코드, 긴 주소, 겹친 목록과 인용.
---

과수원에서는 봄마다 접목을 합니다.

[[fact:spring]]

## 표

| 달 | 일 | 설명 | 도구 | 사람 | 날씨 | 비고 | 더 적을 것 |
|---|---|---|---|---|---|---|---|
| 3월 | 가지치기 | 묵은 가지를 잘라 낸다 | 전정가위 | 두 사람 | 맑음 | 없음 | 올해는 과수원 북쪽부터 |
| 4월 | 접목 | 어린 가지를 붙인다 | 칼과 끈 | 한 사람 | 흐림 | 비가 오면 미룸 | 접목한 자리를 싸맨다 |

## 코드와 긴 주소

```
python build.py build --content /a/very/long/folder/name/that/does/not/fit/on/a/phone/screen/content --out site
```

주소 https://example.org/a/very/long/path/that/does/not/fit/on/a/phone/screen/at/all/index.html 와
긴 낱말 Pneumonoultramicroscopicsilicovolcanoconiosis-and-Antidisestablishmentarianism 도 넘치지 않아야 합니다.
인라인 코드 `explainer.cli.main(["build", "--content", "content", "--out", "site"])` 와 <kbd>Esc</kbd>, ~~지운 글~~.

## 목록

1. 봄: 가지를 고른다
   - 여름: 열매를 솎는다
     - 가을: 사과를 따고, 겨울이 오기 전에 나무마다 접목이 잘 붙었는지 하나하나 살펴서 적어 둔다
2. 겨울: 쉰다

## 인용과 연표

> 과수원 일지에는 이렇게 적혀 있습니다. 접목은 봄에 합니다.
>
> > 인용 속의 인용입니다.

[[timeline]]

## 끝

줄 끝까지 길게 이어 쓴 문장의 마지막에 용어가 오도록 적은 문장입니다 가나다라마바사 과수원
"""

SITE: dict[str, str | None] = {
    "content/site.yaml": (
        "title: 과수원 이야기\n"
        "description: 사과 과수원의 한 해를 설명하는 작은 사이트.\n"
        "language: ko\n"
        "base_url: https://example.org/orchard/\n"
        "copyright: © 과수원 이야기\n"
    ),
    "content/sources/diary.yaml": (
        "title: 과수원 일지\n"
        "outlet: 과수원 소식\n"
        "published: 2023-05-02\n"
        "language: ko\n"
        "excerpts:\n"
        "  - id: graft\n"
        "    text: 봄에는 접목을 하고 가을에는 사과를 딴다.\n"
    ),
    "content/facts/year.yaml": (
        "- id: spring\n"
        "  claim: 과수원에서는 봄에 접목을 한다.\n"
        "  when: 2023-04\n"
        "  evidence: [diary#graft]\n"
    ),
    "content/glossary/graft.yaml": "term: 접목\nshort: 한 나무의 가지를 다른 나무의 줄기에 붙여 함께 자라게 하는 방법.\n",
    "content/glossary/orchard.yaml": "term: 과수원\nshort: 과일나무를 모아 심어 가꾸는 밭.\n",
    "content/pages/shapes.md": SHAPES,
}


@pytest.fixture(scope="module")
def shapes(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Views]:
    """The sample site, built and served under its sub-path, with its own browser contexts."""
    root = tmp_path_factory.mktemp("shapes")
    write_tree(root, SITE)
    built = build_site(root / "content", root / "site")
    with serve_site(built.folder, built.base_path) as served:
        views = Views(browser, served)
        yield views
        views.close()


def problems_of(visit: Visit) -> list[str]:
    """Everything a survey found wrong with one page."""
    return visit.axe + visit.tooltips + visit.layout + visit.requests + [f"not shown: {item}" for item in visit.unrendered]


@pytest.mark.parametrize("view", SURVEYED, ids=str)
def test_hard_shapes_pass_every_page_check(shapes: Views, view: View) -> None:
    [visit] = Survey(shapes, ["shapes/"], None).of(view)
    found = problems_of(visit)
    assert not found, f"{view}:\n{report({visit.path: found})}"
    if view.javascript:
        assert visit.tooltips_shown >= 4, "the sample page lost some of its glossary links"


@pytest.mark.parametrize("view", [View(DESKTOP), View(PHONE, javascript=False)], ids=str)
def test_hard_shapes_pass_the_keyboard_walk(shapes: Views, view: View) -> None:
    page = shapes.tab(view).visit("shapes/")
    placed = page.evaluate("""() => ["td .term-link", "li li li .term-link", "blockquote .term-link", ".prose > p:last-of-type .term-link"]
        .filter((selector) => !document.querySelector(selector))""")
    assert placed == [], "these glossary links are missing from the sample page"
    stops, problems = walk_with_tab(page, scripted=view.javascript)
    assert not problems, f"{view}:\n" + "\n".join(problems)
    assert sum(1 for stop in stops if stop["tip"]) >= 4
