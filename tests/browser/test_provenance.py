"""A fact's permalink in a real browser: reached with Tab, its address copied with one key press and the copy announced;
without JavaScript the button is not there to mislead, and the link alone still leads to the fact."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from .harness import DESKTOP, View, Views

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

ACTIVE_JS = "() => ({cls: document.activeElement.className, copy: document.activeElement.dataset.copy || ''})"


def tab_to(page: Page, cls: str, limit: int = 400) -> dict[str, str]:
    """Press Tab until an element of class `cls` has the focus; return what it is."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        active: dict[str, str] = page.evaluate(ACTIVE_JS)
        if cls in active["cls"].split():
            return active
    raise AssertionError(f"no element .{cls} reached with Tab in {limit} presses")


def test_a_facts_address_is_copied_from_the_keyboard(views: Views) -> None:
    tab = views.tab(View(DESKTOP))
    page = tab.visit("facts/")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=tab.base_url.split("/", 3)[0] + "//"
                                   + tab.base_url.split("/", 3)[2])
    first = page.locator("button.copy-link").first
    assert first.is_visible()
    fact_id = first.evaluate("button => button.closest('article').id")
    active = tab_to(page, "copy-link")
    assert active["copy"].endswith(f"/facts/#{fact_id}") and active["copy"].startswith("https://")
    page.keyboard.press("Enter")
    status = page.locator("button.copy-link + .copy-status").first
    status.wait_for(state="visible")
    assert status.inner_text() == "링크를 복사했습니다"
    assert status.get_attribute("role") == "status"  # announced by screen readers
    assert page.evaluate("() => navigator.clipboard.readText()") == active["copy"]
    assert tab.problems() == []


def test_without_javascript_the_button_stays_hidden_and_the_link_leads_to_the_fact(views: Views) -> None:
    tab = views.tab(View(DESKTOP, javascript=False))
    page = tab.visit("facts/")
    assert page.locator("button.copy-link").count() > 0 and not page.locator("button.copy-link").first.is_visible()
    anchor = page.locator("a.fact-anchor").first
    target = anchor.get_attribute("href")
    assert target and target.startswith("#fact-")
    anchor.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("() => location.hash") == target
    assert page.evaluate("(id) => { const box = document.getElementById(id).getBoundingClientRect(); "
                         "return box.top >= 0 && box.top < innerHeight; }", target[1:])
