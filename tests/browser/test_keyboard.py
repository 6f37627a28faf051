"""Keyboard: a skip link first, every link reachable with Tab, focus always visible, glossary tooltips readable on focus."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from .checks import walk_with_tab
from .harness import DESKTOP, PHONE, View, Views, each_page, report

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser


SKIP_JS = """() => {
  const el = document.activeElement;
  const box = el.getBoundingClientRect();
  return {id: el.id, inView: box.top >= -2 && box.top < innerHeight, inMain: !!el.closest("main")};
}"""


def skip_link_problems(page: Page, skip_link: str) -> list[str]:
    """Follow the skip link (a selector): focus must land on the main content, and Tab go on inside it."""
    page.locator(skip_link).focus()
    page.keyboard.press("Enter")
    problems = []
    target = page.evaluate(SKIP_JS)
    if target["id"] != "main" or not target["inView"]:
        problems.append(f"after the skip link, focus is on #{target['id'] or '?'}, not on the main content in view")
    page.keyboard.press("Tab")
    if not page.evaluate(SKIP_JS)["inMain"]:
        problems.append("after the skip link, the next Tab leaves the main content")
    return problems


@pytest.mark.parametrize("view", [View(DESKTOP, "dark"), View(PHONE, javascript=False)], ids=str)
def test_skip_link_then_tab_reaches_everything_with_visible_focus_and_readable_tooltips(views: Views, pages: list[str], view: View) -> None:
    from playwright.sync_api import expect

    tab = views.tab(view)
    terms = 0

    def check(path: str) -> list[str]:
        nonlocal terms
        page = tab.visit(path)
        stops, problems = walk_with_tab(page, scripted=view.javascript)
        for stop in stops:
            tip = stop["tip"]
            if tip is None or not tip.get("text"):
                continue
            terms += 1
            try:  # what a screen reader announces after the link's name is the tooltip's text
                expect(page.locator(f'[data-kbd="{stop["key"]}"]')).to_have_accessible_description(tip["text"], timeout=1000)
            except AssertionError:
                problems.append(f"the accessible description of {stop['describe']} is not its tooltip's text")
        if stops and stops[0]["isSkipLink"]:  # the walk checked that the first Tab stop is the skip link
            problems += skip_link_problems(page, f'[data-kbd="{stops[0]["key"]}"]')
        return problems

    problems = each_page(pages, check)
    assert not problems, f"{view}:\n{report(problems)}"
    assert terms > 0, "no page of the flagship has a glossary link: the tooltips went untested"


TIP_SHOWN_JS = "(id) => document.getElementById(id).checkVisibility()"


def test_escape_dismisses_a_tooltip_and_it_comes_back(views: Views, pages: list[str]) -> None:
    tab = views.tab(View(DESKTOP))
    tried = 0

    def check(path: str) -> list[str]:
        nonlocal tried
        page = tab.visit(path)
        links = page.locator(".term-link")
        if links.count() == 0:
            return []
        tried += 1
        link = links.first
        tip = link.get_attribute("aria-describedby")
        problems = []
        link.focus()
        page.keyboard.press("Escape")
        if page.evaluate(TIP_SHOWN_JS, tip):
            problems.append("Escape does not dismiss the tooltip of a focused glossary link")
        page.evaluate("() => document.activeElement.blur()")
        link.focus()
        if not page.evaluate(TIP_SHOWN_JS, tip):
            problems.append("a dismissed tooltip does not come back when its link is focused again")
        page.evaluate("() => document.activeElement.blur()")
        link.hover()
        box = page.locator(f"#{tip}").bounding_box()
        if box is None:
            problems.append("hovering a glossary link does not show its tooltip")
        else:  # the pointer can move from the link onto the tooltip without it vanishing (WCAG 1.4.13)
            # from the line of the link next to the tooltip (a link that wraps has one box per line)
            boxes = link.evaluate("l => [...l.getClientRects()].map(r => ({x: r.x, y: r.y, width: r.width, height: r.height}))")
            start = boxes[-1] if box["y"] > boxes[0]["y"] else boxes[0]
            whole = link.bounding_box()
            assert whole is not None
            link.hover(position={"x": start["x"] - whole["x"] + 1, "y": start["y"] - whole["y"] + start["height"] / 2})
            x = min(max(start["x"] + start["width"] / 2, box["x"] + 4), box["x"] + box["width"] - 4)
            page.mouse.move(x, start["y"] + start["height"] / 2)
            page.mouse.move(x, box["y"] + min(box["height"] / 2, 12) if box["y"] > start["y"] else box["y"] + box["height"] - 6, steps=10)
            if not page.evaluate(TIP_SHOWN_JS, tip):
                problems.append("the tooltip vanishes when the pointer moves onto it")
            page.keyboard.press("Escape")
            if page.evaluate(TIP_SHOWN_JS, tip):
                problems.append("Escape does not dismiss a hovered tooltip")
        page.mouse.move(0, 0)
        return problems

    problems = each_page(pages, check)
    assert not problems, report(problems)
    assert tried > 0, "no page of the flagship has a glossary link"
