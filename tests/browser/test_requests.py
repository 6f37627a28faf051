"""No request leaves the site: no web fonts, analytics or CDNs, nothing outside the sub-path, no broken asset."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from siteserver import ServedSite
from tools import launch_chromium

from .harness import DESKTOP, View, Views, report
from .survey import SURVEYED, Survey

if TYPE_CHECKING:
    from playwright.sync_api import Playwright

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("view", SURVEYED, ids=str)
def test_every_request_stays_on_the_site(survey: Survey, view: View) -> None:
    problems = {visit.path: visit.requests for visit in survey.of(view) if visit.requests}
    assert not problems, f"{view}:\n{report(problems)}"


def test_a_missing_page_gets_the_styled_404_page_from_any_depth(views: Views, served: ServedSite) -> None:
    with views.fresh(View(DESKTOP)) as tab:  # nothing in its log from another test's visits
        for path in ("no-such-page", "glossary/no/such/term/"):
            page = tab.visit(path)
            document = [hit for hit in tab.log.hits if hit.url == served.url + path]
            assets = [hit for hit in tab.log.hits if hit.url != served.url + path]
            assert [hit.status for hit in document] == [404], (path, tab.log.hits)
            assert any(hit.url.endswith("/assets/style.css") for hit in assets), (path, tab.log.hits)
            assert all(hit.url.startswith(served.url) and hit.status == 200 for hit in assets), (path, tab.log.hits)
            assert page.evaluate("() => document.styleSheets.length > 0 && document.styleSheets[0].cssRules.length > 0"), path
            assert page.locator("main h1").inner_text().strip(), path


def test_a_new_browser_asks_for_nothing_outside_the_site(playwright: Playwright, served: ServedSite) -> None:
    """A browser on its first visit asks for an icon by itself (/favicon.ico unless the page names one)."""
    first = len(served.requests)
    chromium = launch_chromium(playwright)
    try:
        chromium.new_page().goto(served.url, wait_until="networkidle")
    finally:
        chromium.close()
    requests = served.requests[first:]
    assert any(path.endswith("/assets/icon.svg") for path, _ in requests), requests
    assert all(path.startswith(served.base_path) and status == 200 for path, status in requests), requests
