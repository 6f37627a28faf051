"""Reading (issue 18), in Chromium at 375 and 1280 px: facts browsed by tag and linked to in full view,
bylines that lead to the quoted words, Latin and Hangul in one face, a glossary index of even letters, a
timeline whose entries line up, term pages that say where a term appears by kind, no bare links. Each test
would fail on the theme before it; test_navigation.py holds the rest, test_search.py and
tests/output/test_pdf.py search and print.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup

from explainer.model import Site

from .harness import DESKTOP, PHONE, Built, View, Views, built_page, header_bottom, report

if TYPE_CHECKING:
    pass

pytestmark = pytest.mark.browser

# -- 2. facts: browsed by tag, a fact linked to in full view ----------------------------------------------


def test_every_tag_is_a_link_to_the_list_of_its_facts(flagship: Built, flagship_model: Site) -> None:
    facts = built_page(flagship, "facts/")
    home = built_page(flagship, "")
    cards = facts.select("article.fact") + home.select("article.fact")
    assert cards
    for card in cards:
        tags = card.select(".tags .tag")
        fact_id = (card.get("id") or "").removeprefix("fact-") or card.select_one(".fact-permalink")["href"].split("#fact-")[1]
        assert [t.get_text() for t in tags] == list(flagship_model.fact_by_id[fact_id].tags)
        for tag in tags:
            assert tag.name == "a", f"the tag {tag.get_text()!r} of {fact_id} is not a link"
            anchor = tag["href"].split("#", 1)[1]
            listed = facts.find(id=anchor)
            assert listed is not None, f"{tag['href']} leads nowhere"
            assert listed.find("a", href=f"#fact-{fact_id}"), f"the list of {tag.get_text()!r} does not list {fact_id}"


def test_a_tag_filters_the_facts_and_show_all_brings_them_back(views: Views, flagship_model: Site) -> None:
    page = views.tab(View(PHONE)).visit("facts/")
    chips = page.locator(".tag-filter .tag")
    assert chips.count() == len({tag for fact in flagship_model.facts for tag in fact.tags})
    for index in (0, chips.count() - 1):
        chip = chips.nth(index)
        name = chip.evaluate("(a) => a.firstChild.textContent.trim()")
        chip.click()
        # this chip's filter applied (after the first, the status line is never empty: it would not wait)
        page.wait_for_function("(a) => a.getAttribute('aria-current') === 'true'", arg=chip.element_handle())
        shown = page.evaluate("() => [...document.querySelectorAll('.fact[data-tags]')].filter((c) => c.checkVisibility()).map((c) => c.id)")
        expected = [f"fact-{fact.id}" for fact in flagship_model.facts if name in fact.tags]
        assert sorted(shown) == sorted(expected) and len(shown) == len(expected), name
        assert str(len(expected)) in page.locator(".filter-status").inner_text()
        assert chip.get_attribute("aria-current") == "true"
        box = page.locator(".tag-filter").bounding_box()
        assert box is not None and box["y"] >= header_bottom(page) - 1
    page.locator(".filter-reset a").click()
    shown = page.evaluate("() => [...document.querySelectorAll('.fact[data-tags]')].filter((c) => c.checkVisibility()).length")
    assert shown == len(flagship_model.facts)
    assert page.locator(".tag-index").is_visible()


RING_JS = """(id) => {
  const el = document.getElementById(id);
  const box = el.getBoundingClientRect();
  const ring = (getComputedStyle(el).boxShadow.match(/0px 0px 0px (\\d+)px/) || [0, 0])[1];
  // what covers the top of the window: the header while it stays there, else nothing
  const header = Math.max(0, document.querySelector('body > header').getBoundingClientRect().bottom);
  return {top: box.top, bottom: box.bottom, ring: Number(ring), header};
}"""


@pytest.mark.parametrize("view", [View(PHONE), View(DESKTOP, "dark")], ids=str)
def test_a_fact_linked_to_is_in_full_view_with_its_ring(views: Views, flagship_model: Site, view: View) -> None:
    tab = views.tab(view)
    problems = []
    for fact in (flagship_model.facts[0], flagship_model.facts[len(flagship_model.facts) // 2], flagship_model.facts[-1]):
        tab.visit(f"facts/#fact-{fact.id}")
        box = tab.page.evaluate(RING_JS, f"fact-{fact.id}")
        if box["ring"] < 2:
            problems.append(f"{fact.id}: no ring marks the fact linked to")
        if box["top"] - box["ring"] < box["header"] - 0.5:
            problems.append(f"{fact.id}: its top edge is hidden ({box})")
    assert not problems, f"{view}:\n" + "\n".join(problems)


# -- 3. a byline leads to the words it credits --------------------------------------------------------


def test_every_quotation_credit_leads_to_its_excerpt(flagship: Built, flagship_model: Site) -> None:
    pages = ["", "facts/", *(f"{p.slug}/" for p in flagship_model.pages), *(f"glossary/{t.id}/" for t in flagship_model.terms)]
    checked = 0
    for path in pages:
        doc = built_page(flagship, path)
        for figure in doc.select("main figure.quote"):
            quoted = " ".join(figure.blockquote.get_text(" ").split())
            links = figure.figcaption.find_all("a")
            assert links, f"{path}: a quotation without a credit"
            for link in links:
                href = link["href"]
                assert "#excerpt-" in href, f"{path}: the credit {link.get_text()!r} leads to {href}, not to the excerpt"
                source = href.split("sources/", 1)[1].split("/", 1)[0]
                excerpt = built_page(flagship, f"sources/{source}/").find(id=href.split("#", 1)[1])
                assert excerpt is not None and " ".join(excerpt.blockquote.get_text(" ").split()) == quoted, (path, href)
                assert link.get_text(strip=True) not in ("#", ""), f"{path}: a bare link to an excerpt"
                checked += 1
    assert checked >= len(flagship_model.facts)


@pytest.mark.parametrize("view", [View(PHONE), View(DESKTOP)], ids=str)
def test_following_a_credit_shows_the_excerpt_in_full_view(views: Views, view: View) -> None:
    tab = views.tab(view)
    page = tab.visit("facts/")
    credits = page.locator("article.fact figcaption a.credit")
    for index in (0, credits.count() - 1):
        tab.visit("facts/")
        link = credits.nth(index)
        href = link.get_attribute("href")
        assert href and "#excerpt-" in href
        with page.expect_navigation():
            link.click()
        anchor = href.split("#", 1)[1]
        box = page.evaluate(RING_JS, anchor)
        assert box["ring"] >= 2 and box["top"] - box["ring"] >= box["header"] - 0.5, (view, anchor, box)
        assert box["top"] < page.evaluate("innerHeight"), (view, anchor, box)


# -- 4. Latin and Hangul in one face ----------------------------------------------------------------------

FACES = [("", "main h1"), ("", ".dek"), ("overview/", "main article > p"), ("facts/", ".fact-claim"), ("glossary/", ".glossary dd")]


@pytest.mark.parametrize("view", [View(PHONE), View(DESKTOP)], ids=str)
def test_latin_letters_and_digits_are_set_in_the_face_of_the_hangul_beside_them(views: Views, view: View) -> None:
    tab = views.tab(view)
    problems = []
    for path, selector in FACES:
        page = tab.visit(path)
        text = page.locator(selector).first.inner_text()
        assert re.search(r"[A-Za-z0-9]", text) and re.search(r"[가-힣]", text), f"{path} {selector}: {text!r} is not mixed text"
        session = page.context.new_cdp_session(page)
        try:
            session.send("DOM.enable")
            session.send("CSS.enable")
            root = session.send("DOM.getDocument")["root"]["nodeId"]
            node = session.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
            used = session.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        finally:
            session.detach()
        families = sorted({font["familyName"] for font in used})
        if len(families) != 1:
            problems.append(f"{path} {selector} ({text[:30]!r}…) is drawn in {families}")
    assert not problems, f"{view}:\n" + "\n".join(problems)


# -- 6. the glossary's letters ------------------------------------------------------------------------

INK_JS = """(selector) => {
  const pen = document.createElement('canvas').getContext('2d');
  return [...document.querySelectorAll(selector)].filter((a) => a.checkVisibility()).map((a) => {
    const style = getComputedStyle(a);
    pen.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const m = pen.measureText(a.textContent.trim());
    return [a.textContent.trim(), m.actualBoundingBoxAscent + m.actualBoundingBoxDescent];
  });
}"""


@pytest.mark.parametrize(("view", "selector"), [(View(PHONE), ".jump a"), (View(DESKTOP), "#page-toc .toc-list a")], ids=["phone", "desktop"])
def test_the_glossary_letters_stand_as_tall_as_each_other(views: Views, view: View, selector: str) -> None:
    page = views.tab(view).visit("glossary/")
    inks: list[tuple[str, float]] = [(text, ink) for text, ink in page.evaluate(INK_JS, selector)]
    letters = sorted(ink for text, ink in inks if re.fullmatch(r"[ㄱ-ㅎ]", text))
    others = {text: ink for text, ink in inks if not re.fullmatch(r"[ㄱ-ㅎ]", text)}
    assert len(letters) >= 3 and others, f"the glossary no longer has both kinds of heading: {inks}"
    middle = letters[len(letters) // 2]  # the consonants' shapes differ (ㄱ is low, ㅎ tall): their median
    for text, ink in others.items():
        assert 0.8 * ink <= middle <= 1.25 * ink, f"the consonants stand {middle:.0f}px tall, {text} {ink:.0f}px: {inks}"


# -- 7. the timeline lines up ----------------------------------------------------------------------------

# Each entry's text: the left edge of each of its lines (a line's leftmost piece of text).
ALIGN_JS = """() => [...document.querySelectorAll('.timeline')].map((line) => [...line.querySelectorAll('.timeline-claim')].map((claim) => {
  const lines = new Map();
  const walker = document.createTreeWalker(claim, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest('.term-tip')) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) {
      if (r.width < 1) continue;
      const top = Math.round(r.top + r.height / 2);
      const near = [...lines.keys()].find((t) => Math.abs(t - top) < 6);
      const key = near === undefined ? top : near;
      lines.set(key, Math.min(lines.has(key) ? lines.get(key) : Infinity, Math.round(r.left)));
    }
  }
  return {text: claim.textContent.trim().slice(0, 20), lines: [...lines.entries()].sort((a, b) => a[0] - b[0]).map((l) => l[1])};
}))"""


@pytest.mark.parametrize("view", [View(PHONE), View(DESKTOP)], ids=str)
def test_timeline_entries_start_at_one_edge_whether_their_day_is_known_or_not(views: Views, view: View) -> None:
    page = views.tab(view).visit("timeline/")
    timelines: list[list[dict[str, Any]]] = page.evaluate(ALIGN_JS)
    assert timelines and any(len(claims) > 3 for claims in timelines)
    problems = []
    for claims in timelines:
        edge = min(line for claim in claims for line in claim["lines"])
        for claim in claims:
            # every line of every entry starts at the same edge: its first and its wrapped ones
            for number, left in enumerate(claim["lines"], start=1):
                if abs(left - edge) > 1:
                    problems.append(f"{claim['text']!r}: line {number} starts at x={left}, not at {edge}")
    assert not problems, f"{view}:\n" + "\n".join(problems)
    days = page.evaluate("() => [...document.querySelectorAll('.timeline-entry')].map((e) => !!e.querySelector('.timeline-day time'))")
    assert True in days and False in days, "the timeline no longer has both kinds of entry; the case went untested"


# -- 9. where a term appears, by kind -------------------------------------------------------------------

KIND_OF_LIST = {"appearance-pages": "", "appearance-terms": "glossary/", "appearance-sources": "sources/", "appearance-facts": "facts/#fact-"}


def test_a_term_page_lists_where_it_appears_by_kind_under_labels(flagship: Built, flagship_model: Site) -> None:
    labels = flagship_model.config.labels
    problems: dict[str, list[str]] = {}
    seen: set[str] = set()
    for term in flagship_model.terms:
        doc = built_page(flagship, f"glossary/{term.id}/")
        section = doc.find(id="appears").find_parent("section")
        found = []
        for listing in section.find_all("ul"):
            kind = next(c for c in listing["class"] if c.startswith("appearance-") and c != "appearance-list")
            heading = listing.find_previous_sibling("h3")
            if heading is None or heading.get("id") != listing.get("aria-labelledby"):
                found.append(f"the list {kind} has no heading of its own")
            seen.add(kind)
            expected_label = labels[kind.replace("-", "s_", 1).replace("appearances_", "appears_")]
            if heading is not None and not heading.get_text().startswith(expected_label):
                found.append(f"the list {kind} is headed {heading.get_text()!r}")
            for link in listing.find_all("a"):
                target = urljoin(f"/glossary/{term.id}/", link["href"]).lstrip("/")
                wrong = (target.startswith(("glossary/", "sources/", "facts/")) if kind == "appearance-pages"
                         else not target.startswith(KIND_OF_LIST[kind]))
                if wrong:
                    found.append(f"{link['href']} is listed under {kind}")
        if found:
            problems[term.id] = found
    assert not problems, report(problems)
    assert seen == set(KIND_OF_LIST), f"the flagship's term pages show only {seen}"


def test_no_link_is_a_bare_mark(flagship: Built) -> None:
    problems: dict[str, list[str]] = {}
    for file in sorted(flagship.folder.rglob("*.html")):
        doc = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
        for tip in doc.select(".term-tip"):
            tip.decompose()
        bare = [str(a)[:80] for a in doc.find_all("a") if not re.search(r"\w", a.get_text()) and not a.find("svg")]
        if bare:
            problems[file.relative_to(flagship.folder).as_posix()] = bare
    assert not problems, report(problems)
