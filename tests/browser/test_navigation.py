"""Finding one's way (issue 18), in Chromium at 375 and 1280 px: a header that leaves a phone's screen to the
content and stays in reach, the menu and the page's contents (panels on a phone, columns on a desktop), the
home page's lead, the desktop's width used, targets a thumb can hit, a definition on a first tap, a 404 page
with its footer at the foot. Each test would fail on the theme before it; test_reading.py holds the rest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from explainer.model import Site

from .harness import DESKTOP, PHONE, Built, View, Views, built_page, header_bottom, report
from .survey import SURVEYED, Survey

if TYPE_CHECKING:
    pass

pytestmark = pytest.mark.browser

HEADER_MOST = 64  # px: the header is one line, on a phone as on a desktop


# -- 1. the header, the menu, contents for long pages ---------------------------------------------------


@pytest.mark.parametrize("view", SURVEYED, ids=str)
def test_the_header_is_one_line_on_every_page(survey: Survey, view: View) -> None:
    problems = {v.path: [f"the header is {v.header:.0f}px tall"] for v in survey.of(view) if v.header > HEADER_MOST}
    assert not problems, f"{view}:\n{report(problems)}"


@pytest.mark.parametrize("view", [View(PHONE), View(PHONE, "dark", javascript=False)], ids=str)
def test_on_a_phone_the_menu_stays_in_reach_and_opens_the_whole_navigation(views: Views, flagship_model: Site, view: View) -> None:
    page = views.tab(view).visit("facts/")
    page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight / 2)")
    assert page.evaluate("() => document.querySelector('body > header').getBoundingClientRect().top") == 0, "the header scrolled away"
    nav = page.locator("#site-nav")
    assert nav.is_hidden(), "on a phone the navigation is folded away until asked for"
    page.locator(".menu-toggle").click()
    assert nav.is_visible()
    titles = [t.strip() for t in nav.locator("a").all_inner_texts()]
    labels, pages = flagship_model.config.labels, flagship_model.page_by_slug
    expected = [labels["home"], *(pages[e].title if e in pages else labels[e] for e in flagship_model.config.nav), labels["print_edition"]]
    assert titles == expected
    box = nav.bounding_box()
    assert box is not None and box["y"] >= header_bottom(page) - 1 and box["x"] + box["width"] <= view.width
    page.keyboard.press("Escape")
    assert nav.is_hidden(), "Escape closes the menu"


def test_on_a_desktop_navigation_and_contents_stay_beside_the_page(views: Views) -> None:
    page = views.tab(View(DESKTOP)).visit("members/")
    page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight - innerHeight * 2)")
    boxes = page.evaluate("""() => Object.fromEntries(['#site-nav', 'main', '#page-toc'].map((s) => {
      const b = document.querySelector(s).getBoundingClientRect(); return [s, {left: b.left, right: b.right, top: b.top, bottom: b.bottom}]; }))""")
    top = header_bottom(page)
    for column in ("#site-nav", "#page-toc"):
        assert top <= boxes[column]["top"] < 900, f"{column} is not in view beside the page after scrolling: {boxes[column]}"
    assert boxes["#site-nav"]["right"] <= boxes["main"]["left"] and boxes["main"]["right"] <= boxes["#page-toc"]["left"]


def test_long_pages_have_contents_that_lead_to_their_sections(flagship: Built, flagship_model: Site) -> None:
    problems: dict[str, list[str]] = {}
    for page in flagship_model.pages:
        doc = built_page(flagship, f"{page.slug}/")
        article = doc.select_one("main article")
        assert article is not None
        headings = [(h["id"], " ".join(h.get_text(" ").split())) for h in article.select("h2[id], h3[id]")]
        toc = [(a["href"].lstrip("#"), " ".join(a.get_text(" ").split())) for a in doc.select("#page-toc .toc-list a")]
        if sum(1 for h in article.find_all("h2")) >= 2 and toc != headings:
            problems[page.slug] = [f"contents {toc} but sections {headings}"]
    assert not problems, report(problems)
    assert sum(bool(built_page(flagship, f"{p.slug}/").select("#page-toc")) for p in flagship_model.pages) >= 3


@pytest.mark.parametrize("view", [View(DESKTOP), View(PHONE)], ids=str)
def test_contents_take_the_reader_to_a_section_in_full_view(views: Views, view: View) -> None:
    page = views.tab(view).visit("members/")
    if view.width == PHONE:
        page.locator(".toc-toggle").click()
    links = page.locator("#page-toc .toc-list a")
    assert links.count() >= 3
    target = links.nth(2).get_attribute("href")
    assert target
    links.nth(2).click()
    page.wait_for_function("(id) => decodeURIComponent(location.hash) === id", arg=target)
    top = page.evaluate("(id) => document.getElementById(id.slice(1)).getBoundingClientRect().top", target)
    assert header_bottom(page) <= top < page.evaluate("innerHeight / 2"), f"the section is at y={top}"
    assert page.locator("#page-toc").is_visible() == (view.width == DESKTOP), "on a phone the contents close once followed"
    page.locator(".to-top a").click()
    page.wait_for_function("() => window.scrollY === 0")


@pytest.mark.parametrize("view", [View(PHONE), View(DESKTOP)], ids=str)
def test_the_home_page_shows_the_site_title_once(views: Views, flagship_model: Site, view: View) -> None:
    page = views.tab(view).visit("")
    shown = page.evaluate("""(title) => [...document.querySelectorAll('body *')].filter((el) => el.checkVisibility()
      && [...el.childNodes].some((n) => n.nodeType === 3 && n.data.trim() === title) && el.getBoundingClientRect().top < innerHeight).length""",
                          flagship_model.config.title)
    assert shown == 1


# -- 10. the home page, the width of a desktop, a first tap, targets, the 404 page -----------------------


def test_the_home_page_leads_with_key_facts_and_the_timeline_at_a_glance(flagship: Built, views: Views, flagship_model: Site) -> None:
    doc = built_page(flagship, "")
    glance = [a["href"] for a in doc.select(".glance a[href*='#fact-']")]
    assert glance == [f"facts/#fact-{fact.id}" for month in _months(flagship_model) for fact in month], "the glance leaves out dated facts"
    cards = [card.select_one(".fact-permalink")["href"] for card in doc.select(".key-facts article.fact")]
    assert cards == [f"facts/#fact-{i}" for i in flagship_model.config.key_facts]
    page = views.tab(View(DESKTOP)).visit("")
    first = page.locator(".key-facts article.fact").first.bounding_box()
    assert first is not None and first["y"] < 1.2 * 900, "the key facts are more than a screen down the home page"


def _months(flagship_model: Site) -> list[list[Any]]:
    from explainer.text.timeline import months_of

    return [list(month.facts) for month in months_of([f for f in flagship_model.facts if f.when])]


WIDTH_JS = """() => {
  const boxes = ['#site-nav', 'main', '#page-toc'].map((s) => document.querySelector(s)).filter((el) => el && el.checkVisibility())
    .map((el) => el.getBoundingClientRect());
  return Math.max(...boxes.map((b) => b.right)) - Math.min(...boxes.map((b) => b.left));
}"""


def test_a_desktop_window_is_used_not_left_empty(views: Views, pages: list[str]) -> None:
    tab = views.tab(View(DESKTOP))
    kinds = ["", "overview/", "facts/", "glossary/", "glossary/fabless/", "sources/", "sources/donga-ai-alliance/", "404.html"]
    assert set(kinds) <= set(pages)
    narrow = {path: used for path in kinds if (used := tab.visit(path).evaluate(WIDTH_JS)) < 0.75 * DESKTOP}
    assert not narrow, f"these pages use less than three quarters of a {DESKTOP}px window: {narrow}"


@pytest.mark.parametrize("view", [View(PHONE), View(PHONE, javascript=False)], ids=str)
def test_targets_on_a_phone_are_at_least_24px(survey: Survey, view: View) -> None:
    problems = {visit.path: visit.targets for visit in survey.of(view) if visit.targets}
    assert not problems, f"{view}:\n{report(problems)}"


def test_a_first_tap_on_a_term_shows_its_definition_and_a_second_follows_it(views: Views, served: Any) -> None:
    context = views.browser.new_context(viewport={"width": PHONE, "height": 812}, has_touch=True, is_mobile=True,
                                        reduced_motion="reduce", service_workers="block")
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(served.url) else route.abort())
    try:
        page = context.new_page()
        page.goto(served.url + "overview/")
        link = page.locator("main .term-link").first
        tip = link.get_attribute("aria-describedby")
        link.scroll_into_view_if_needed()
        link.tap()
        page.wait_for_timeout(300)
        assert page.url == served.url + "overview/", "a first tap left the page"
        assert page.locator(f"#{tip}").is_visible(), "a first tap does not show the definition"
        box = page.locator(f"#{tip}").bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE
        page.locator("main h1").tap()
        assert page.locator(f"#{tip}").is_hidden(), "a tap elsewhere does not put the definition away"
        link.tap()
        with page.expect_navigation():
            link.tap()
        assert "/glossary/" in page.url
    finally:
        context.close()


@pytest.mark.parametrize("view", [View(PHONE), View(DESKTOP, "dark")], ids=str)
def test_the_404_page_offers_a_way_on_with_its_footer_at_the_foot(views: Views, flagship_model: Site, view: View) -> None:
    page = views.tab(view).visit("no-such-page/")
    footer = page.locator("body > footer").bounding_box()
    assert footer is not None and abs(footer["y"] + footer["height"] - page.evaluate("innerHeight")) <= 1, footer
    links = page.locator("main a").all_inner_texts()
    assert len(links) >= len(flagship_model.config.nav) + 1
