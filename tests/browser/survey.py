"""One visit per page and view that runs every check that does not need key presses, shared by the tests.

Loading a page is most of a browser test's time, so each page is loaded once per view and every
static check runs on that load: axe-core, layout, requests, the colour scheme, tooltip contrast and
what is rendered. The tests (accessibility, layout, requests, no-JS) then assert on their part.
Key presses change the page's state, so the keyboard tests load pages themselves.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from .checks import FOCUS_JS, describe_violations, focus_problems, layout_problems, run_axe, small_targets
from .harness import PHONE, Tab, View, Views

# The views every page is surveyed in: both widths in both schemes, and a phone without JavaScript.
SURVEYED = (View(1280, "light"), View(1280, "dark"), View(PHONE, "light"), View(PHONE, "dark"), View(PHONE, "light", javascript=False))

# Luminance of the page's background (WCAG's relative luminance).
BACKGROUND_JS = """() => {
  const n = getComputedStyle(document.body).backgroundColor.match(/[\\d.]+/g).map(Number);
  const lin = (c) => { c /= 255; return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  return 0.2126 * lin(n[0]) + 0.7152 * lin(n[1]) + 0.0722 * lin(n[2]);
}"""

# Text-bearing elements of the main content that are not rendered (tooltips show on focus, by CSS).
UNRENDERED_JS = """() => [...document.querySelectorAll(
    "main h1, main h2, main h3, main h4, main p, main li, main dt, main dd, main blockquote, main figcaption, main td, main th")]
  .filter((el) => el.textContent.trim() && !el.closest(".term-tip, [hidden], template") && !el.checkVisibility({visibilityProperty: true}))
  .map((el) => `<${el.tagName.toLowerCase()}> "${el.textContent.trim().replace(/\\s+/g, " ").slice(0, 40)}"`)"""


@dataclass
class Visit:
    """What one page showed in one view."""

    path: str
    view: View
    axe: list[str] = field(default_factory=list)
    tooltips: list[str] = field(default_factory=list)  # each tooltip shown: where it opens, axe's colour contrast
    tooltips_shown: int = 0
    layout: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    background: float = 0.0
    main_text: str = ""
    controls: set[str] = field(default_factory=set)  # the text of the buttons in <main>: controls, which scripts may add
    unrendered: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)  # links and buttons under 24 x 24 px, not in running text
    header: float = 0.0  # the height of the site's header, px


def settle(tab: Tab, quiet: float = 0.15, limit: float = 3.0) -> None:
    """Wait until the page has made no request for `quiet` seconds (a script may fetch after load)."""
    deadline = time.monotonic() + limit
    seen, since = -1, time.monotonic()
    while time.monotonic() < deadline:
        count = len(tab.log.hits) + len(tab.log.pending)
        if count != seen or tab.log.pending:
            seen, since = count, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return
        tab.page.wait_for_timeout(25)


def visit(tab: Tab, path: str, screenshots: Path | None) -> Visit:
    """Load `path` in the tab's view and run every static check on it."""
    view = tab.view
    page = tab.visit(path)
    if view == SURVEYED[0]:  # late requests come from scripts, the same in every view: one view waits for them
        settle(tab)
    found = Visit(path, view)
    found.requests = tab.problems()
    if not any(hit.url.endswith("/assets/style.css") for hit in tab.log.hits):
        found.requests.append("the stylesheet was not requested (are requests being recorded?)")
    found.layout = layout_problems(page)
    found.targets = small_targets(page)
    found.header = page.evaluate("() => { const h = document.querySelector('body > header'); return h ? h.getBoundingClientRect().height : 0; }")
    found.background = page.evaluate(BACKGROUND_JS)
    found.main_text = page.locator("main").inner_text()
    found.controls = set(page.eval_on_selector_all("main button", "buttons => buttons.map(b => b.innerText.trim())"))
    found.unrendered = page.evaluate(UNRENDERED_JS)
    if view.javascript:
        found.axe = describe_violations(run_axe(page))
    if view.javascript:  # each glossary tooltip, shown by focusing its link (the Tab walk covers no-JS)
        links = page.locator(".term-link")
        for index in range(links.count()):
            link = links.nth(index)
            link.focus()
            found.tooltips += focus_problems(page.evaluate(FOCUS_JS), scripted=True)
            if index == 0 and view.width != PHONE:  # the theme gives every tooltip the same colours, whatever the width
                tip = link.get_attribute("aria-describedby")
                found.tooltips += describe_violations(run_axe(page, f"#{tip}", rules=("color-contrast",)))
            found.tooltips_shown += 1
        page.evaluate("() => document.activeElement && document.activeElement.blur()")
    if screenshots is not None and view.javascript:
        page.screenshot(path=screenshots / shot_name(path, view), full_page=True)
    return found


def shot_name(path: str, view: View) -> str:
    """A file name for a page's screenshot in a view: 'glossary-foundry.375-dark.png'."""
    stem = path.removesuffix("/").removesuffix(".html").replace("/", "-") or "home"
    return f"{stem}.{view.width}-{view.scheme}.png"


class Survey:
    """Every page surveyed in a view, computed on first use and kept for the session."""

    def __init__(self, views: Views, pages: list[str], screenshots: Path | None) -> None:
        self.views = views
        self.pages = pages
        self.screenshots = screenshots
        self.done: dict[View, list[Visit]] = {}

    def of(self, view: View) -> list[Visit]:
        """Each page's visit in `view`."""
        if view not in self.done:
            tab = self.views.tab(view)
            self.done[view] = [visit(tab, path, self.screenshots) for path in self.pages]
        return self.done[view]
