"""Search in a real browser: queries typed into the header's box find the right pages, by keyboard too.

For each query the expected pages are worked out here from the built site, independently of
the search code: a page (or fact) is expected when its searchable text has the query's word
standing alone or with a particle (korean.PARTICLES) attached, with any spacing between its
words; for a glossary form, any form of that term. The results shown must be exactly those,
with the term's own page first for its forms. No request may leave 127.0.0.1.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pytest

from conftest import ROOT
from explainer.content.load import load_site
from explainer.model import Options, Output
from explainer.search.documents import SearchDoc, search_documents
from explainer.search.keys import SearchKeys
from explainer.text.korean import PARTICLES, is_hangul_syllable
from explainer.text.markdown import plain_text

from .checks import describe_violations, run_axe
from .harness import DESKTOP, PHONE, Built, View, Views

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

Documents = tuple[list[SearchDoc], dict[str, tuple[str, ...]], dict[str, str]]  # docs, term forms by id, term pages by id
PARTICLE = "|".join(re.escape(p) for p in sorted(PARTICLES, key=len, reverse=True))


@dataclass(frozen=True, slots=True)
class Query:
    text: str
    why: str
    term: str = ""  # the glossary term the query names (its page must come first)
    absent: str = ""  # a longer word some pages have, which must not be found
    means: str = ""  # the word the query is looking for, when not the query itself (a particle attached)


# At least 20 queries, Korean and English: particles, aliases, spacing, names, and words that
# pages also have inside longer words. Expected pages are computed from the site, not listed.
QUERIES = [
    Query("팹리스", "a term; pages have it with particles (팹리스를, 팹리스와)", term="fabless"),
    Query("Fabless", "a term's English form finds the Korean term", term="fabless"),
    Query("팹리스를", "a query with a particle finds the term", term="fabless"),
    Query("프레너미", "a term", term="frenemy"),
    Query("Frenemy", "English form", term="frenemy"),
    Query("LLM", "an alias in capitals finds the Korean term", term="llm"),
    Query("거대언어모델", "the display form", term="llm"),
    Query("거대 언어 모델", "the same, spaced", term="llm"),
    Query("대규모 언어 모델", "another alias", term="llm"),
    Query("AI 얼라이언스", "a spaced term", term="ai-alliance"),
    Query("AI얼라이언스", "the same term without its space", term="ai-alliance"),
    Query("AI Alliance", "English form", term="ai-alliance"),
    Query("온디바이스 AI", "a spaced term", term="on-device-ai"),
    Query("On-Device AI", "English form with a hyphen", term="on-device-ai"),
    Query("메타버스", "a term", term="metaverse"),
    Query("오픈 AI", "a term written spaced", term="openai"),
    Query("OpenAI", "English form", term="openai"),
    Query("ChatGPT", "English form", term="chatgpt"),
    Query("엔비디아", "a term with particles (엔비디아의, 엔비디아가)", term="nvidia"),
    Query("메타", "a name; 메타버스 is another word", absent="메타버스"),
    Query("삼성", "a name; 삼성전자 is another word", absent="삼성전자"),
    Query("LG", "a Latin name, also in runs such as 삼성·LG와"),
    Query("구글", "a name"),
    Query("구글과", "a name with a particle finds the name", means="구글"),
    Query("메타의", "a name with a particle; still not 메타버스", absent="메타버스", means="메타"),
    Query("르쾽", "a person"),
    Query("저커버그", "a person"),
    Query("IBM", "a Latin name"),
]


def site_documents(built: Built) -> tuple[list[SearchDoc], dict[str, tuple[str, ...]], dict[str, str]]:
    """The site's search documents (their text as the index sees it), term forms by id, term pages by id."""
    outputs = [Output(p.relative_to(built.folder).as_posix(), p.read_bytes()) for p in sorted(built.folder.rglob("*.html"))]
    site, _ = load_site(Options(content_dir=ROOT / "content", out_dir=built.folder))
    assert site is not None
    titles = {fact.id: " ".join(plain_text(fact.claim).split()) for fact in site.facts}
    forms = {term.id: term.forms for term in site.terms}
    return search_documents(outputs, titles), forms, {term.id: f"glossary/{term.id}/" for term in site.terms}


def pattern(form: str) -> re.Pattern[str]:
    """The form standing alone or with a particle; spacing free where Hangul meets a letter; any case."""
    body = ""
    letters = form.strip()
    for index, char in enumerate(letters):
        if char.isspace():
            continue
        before = next((c for c in reversed(letters[:index]) if not c.isspace()), "")
        if before and (letters[index - 1].isspace() or is_hangul_syllable(before) or is_hangul_syllable(char)):
            body += r"\s*"
        body += re.escape(char)
    return re.compile(rf"(?<![^\W_])(?:{body})(?:{PARTICLE})?(?![^\W_])", re.IGNORECASE)


def expected_pages(query: Query, docs: list[SearchDoc], forms: dict[str, tuple[str, ...]]) -> set[str]:
    words = forms.get(query.term, ()) or (query.means or query.text,)
    wanted = [pattern(form) for form in words]
    return {doc.url for doc in docs if any(p.search(" ".join([doc.title, *(b.text for b in doc.blocks)])) for p in wanted)}


def open_box(page: Page) -> None:
    """On a phone the search box is a panel the header's search button opens: open it."""
    if not page.locator("#site-search").is_visible():
        page.locator(".search-toggle").click()
        page.locator("#site-search").wait_for(state="visible")


def search(page: Page, query: str) -> list[str]:
    """Type `query` into the search box; return every result's link (all of them: 'more' until none are left)."""
    open_box(page)
    box = page.locator("#site-search")
    box.fill("")
    box.click()
    page.keyboard.type(query)
    page.wait_for_selector(f'#site-search-results[data-query="{query}"]', state="attached", timeout=10000)
    more = page.locator(".search-more")
    while more.is_visible():
        before = page.locator("#site-search-results a").count()
        more.click()
        page.wait_for_function(f"document.querySelectorAll('#site-search-results a').length > {before}")
    links: list[str] = page.eval_on_selector_all("#site-search-results a", "links => links.map(a => a.href)")
    return links


def site_path(url: str, base: str) -> str:
    assert url.startswith(base), f"a result leads outside the site: {url}"
    return url[len(base):]


@pytest.fixture(scope="module")
def documents(flagship: Built) -> tuple[list[SearchDoc], dict[str, tuple[str, ...]], dict[str, str]]:
    return site_documents(flagship)


@pytest.mark.parametrize("query", QUERIES, ids=[q.text for q in QUERIES])
def test_query_finds_exactly_the_pages_with_the_word(views: Views, documents: tuple[list[SearchDoc], dict[str, tuple[str, ...]], dict[str, str]],
                                                   query: Query) -> None:
    docs, forms, term_pages = documents
    tab = views.tab(View(DESKTOP))
    page = tab.visit("")
    found = [site_path(url, tab.base_url) for url in search(page, query.text)]
    expected = expected_pages(query, docs, forms)
    assert expected or query.absent, f"{query.text!r}: the flagship has no page with this word any more; choose another query"
    assert len(found) == len(set(found)), f"{query.text!r}: a page is listed twice: {found}"
    assert set(found) == expected, (f"{query.text!r} ({query.why}): found but not expected {sorted(set(found) - expected)}, "
                                    f"expected but not found {sorted(expected - set(found))}")
    if query.term:
        assert found[0] == term_pages[query.term], f"{query.text!r}: the term's page is not first: {found[:3]}"
    if query.absent:
        longer = {doc.url for doc in docs if query.absent in " ".join(b.text for b in doc.blocks)}
        only_longer = longer - expected
        assert only_longer, f"{query.text!r}: no page has only {query.absent!r} any more; the case went untested"
        assert not only_longer & set(found)



def test_facts_are_results_that_open_at_their_anchor(views: Views) -> None:
    tab = views.tab(View(DESKTOP))
    page = tab.visit("")
    facts = [url for url in search(page, "엔비디아") if "#fact-" in url]
    assert facts, "no fact found for 엔비디아"
    page.goto(facts[0])
    anchor = facts[0].split("#", 1)[1]
    assert page.evaluate("() => location.hash.slice(1)") == anchor
    assert page.locator(f"#{anchor}").is_visible()



def test_keyboard_only_type_arrow_enter_and_tab(views: Views, documents: tuple[list[SearchDoc], dict[str, tuple[str, ...]], dict[str, str]]) -> None:
    _, _, term_pages = documents
    tab = views.tab(View(PHONE, "dark"))
    page = tab.visit("overview/")
    page.locator(".skip-link").focus()
    for _ in range(20):  # Tab from the skip link to the search box (on a phone, to the button that opens it)
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id === 'site-search' || document.activeElement.matches('.search-toggle')"):
            break
    if page.evaluate("document.activeElement.matches('.search-toggle')"):
        page.keyboard.press("Enter")  # opens the search panel, the box in it taking the focus
        # on the popover's toggle event, which the browser fires a task later
        page.wait_for_function("document.activeElement.id === 'site-search'", timeout=2000)
    assert page.evaluate("document.activeElement.id") == "site-search", "Tab never reaches the search box"
    page.keyboard.type("프레너미")
    page.wait_for_selector('#site-search-results[data-query="프레너미"]', state="attached")
    # the live region speaks once typing pauses (not at every key), then says how many results
    page.wait_for_function("() => document.querySelector('.search-status').textContent.includes('결과')", timeout=3000)
    page.keyboard.press("ArrowDown")
    first = page.evaluate("document.activeElement.getAttribute('href')")
    assert first and first.endswith(term_pages["frenemy"]), first
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.id") == "site-search", "ArrowUp from the first result goes back to the box"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#site-search-results') !== null"), "Tab from the box goes to the results"
    page.keyboard.press("Escape")
    assert page.locator(".search-panel").is_hidden() and page.evaluate("document.activeElement.id") == "site-search"
    page.keyboard.press("ArrowDown")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == tab.base_url + term_pages["frenemy"]



@pytest.mark.parametrize("view", [View(DESKTOP), View(PHONE)], ids=str)
def test_enter_in_the_box_shows_the_results_and_moves_to_the_first(views: Views, view: View, documents: Documents) -> None:
    _, _, term_pages = documents
    tab = views.tab(view)
    page = tab.visit("")
    open_box(page)
    page.locator("#site-search").fill("Fabless")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.activeElement.closest('#site-search-results') !== null", timeout=10000)
    assert page.url == tab.base_url, "Enter left the page instead of showing the results"
    assert page.locator(".search-panel").is_visible()
    assert page.evaluate("document.activeElement.getAttribute('href')").endswith(term_pages["fabless"])
    with page.expect_navigation():
        page.keyboard.press("Enter")  # the first result, now chosen, opens
    assert page.url == tab.base_url + term_pages["fabless"]


def test_results_show_title_and_the_hit_highlighted(views: Views) -> None:
    tab = views.tab(View(DESKTOP))
    page = tab.visit("")
    search(page, "팹리스")
    first = page.locator("#site-search-results li").first
    assert first.locator(".search-title").inner_text() == "팹리스"  # the term's page
    marks = page.eval_on_selector_all("#site-search-results mark", "marks => marks.map(m => m.textContent)")
    assert marks and all(mark.lower() in ("팹리스", "fabless") for mark in marks), marks  # the noun, not its particle


@pytest.mark.parametrize("view", [View(DESKTOP), View(DESKTOP, "dark"), View(PHONE), View(PHONE, "dark")], ids=str)
def test_open_results_pass_axe_and_fit_the_window(views: Views, view: View, screenshots: Path | None) -> None:
    tab = views.tab(view)
    page = tab.visit("glossary/")
    search(page, "메타")
    violations = run_axe(page)
    assert not violations, "\n".join(describe_violations(violations))
    box = page.locator(".search-panel").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= view.width, f"{view}: the results overflow: {box}"
    assert page.evaluate("document.documentElement.scrollWidth") <= view.width
    if screenshots is not None:
        page.screenshot(path=screenshots / f"search-{view.width}-{view.scheme}.png")



def test_without_javascript_the_box_opens_the_glossary(views: Views) -> None:
    tab = views.tab(View(PHONE, javascript=False))
    page = tab.visit("overview/")
    open_box(page)  # the panel opens without JavaScript too (a popover)
    page.locator("#site-search").fill("팹리스")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.split("?")[0] == tab.base_url + "glossary/"
    assert page.locator("h1").inner_text() == "용어"


QUERY_KEYS_JS = """async (queries) => {
  const table = await (await fetch(document.querySelector('form.site-search').dataset.searchBundle + 'keys.json')).json();
  return queries.map((query) => window.explainerSearch.queryKeys(query, table));
}"""


def test_the_browser_turns_every_form_of_a_term_into_its_key(views: Views, flagship: Built) -> None:
    site, _ = load_site(Options(content_dir=ROOT / "content", out_dir=flagship.folder))
    assert site is not None
    keys = SearchKeys(site.terms)
    cases: list[tuple[str, list[str]]] = []
    for term in site.terms:
        key = keys.keys[term.id]
        for form in term.forms:
            cases += [(form, [key]), (form + "를", [key]), (form.replace(" ", ""), [key]), (form.upper(), [key])]
            cases += [(f"{form} 그리고", [key, "그리고"])]  # a term, then another word
    tab = views.tab(View(DESKTOP))
    page = tab.visit("")
    got = page.evaluate(QUERY_KEYS_JS, [query for query, _ in cases])
    wrong = [f"{query!r} -> {found}, expected {expected}" for (query, expected), found in zip(cases, got, strict=True) if found != expected]
    assert not wrong, "\n".join(wrong)
    assert page.evaluate(QUERY_KEYS_JS, ["사과2 사과", "사과·배와"]) == [["사과2", "사과"], ["사과", "배와"]]  # no term: words as written
    # less a particle, by the index's rules: not after a one-syllable noun unless it is one of the short ones
    assert page.evaluate(QUERY_KEYS_JS, ["한국에서는 구글과", "배를 배와", "먹었다"]) == [["한국", "구글"], ["배", "배와"], ["먹었다"]]
    labels = page.evaluate("() => window.explainerSearch.fill('‘{q}’: none', 'q', 'zz$&')")
    assert labels == "‘zz$&’: none"


@pytest.mark.parametrize("path", ["print/", "no-such-page/"], ids=["print edition", "404 page"])
def test_search_on_pages_with_their_own_links_stays_on_the_site(views: Views, path: str,
                                                               documents: tuple[list[SearchDoc], dict[str, tuple[str, ...]], dict[str, str]]) -> None:
    # the print edition links out to the published site, the 404 page from the site's root: search must not follow
    _, _, term_pages = documents
    tab = views.tab(View(DESKTOP))
    page = tab.visit(path)
    found = search(page, "Frenemy")
    assert found and found[0] == tab.base_url + term_pages["frenemy"], found[:3]
    assert not [p for p in tab.problems() if "no-such-page" not in p], tab.problems()


def test_the_live_region_speaks_once_typing_pauses(views: Views) -> None:
    tab = views.tab(View(DESKTOP))
    page = tab.visit("")
    page.evaluate("""() => {
      window.spoken = [];
      const status = document.querySelector('.search-status');
      new MutationObserver(() => window.spoken.push(status.textContent)).observe(status, {childList: true, characterData: true, subtree: true});
    }""")
    page.locator("#site-search").click()
    page.keyboard.type("AI 얼라이언스", delay=150)  # slower than the search (120 ms), faster than the pause
    page.wait_for_function("() => window.spoken.length > 0", timeout=3000)
    page.wait_for_timeout(800)
    spoken = page.evaluate("() => window.spoken")
    assert len(spoken) == 1 and "결과" in spoken[0], spoken


# -- while typing, and what a result shows ------------------------------------------------------------


def starting_with(prefix: str, docs: list[SearchDoc], forms: dict[str, tuple[str, ...]], keys: dict[str, str]) -> set[str]:
    """The pages with a word that starts with `prefix`, or a form of a term whose key starts with it."""
    wanted = [re.compile(rf"(?<![^\W_]){re.escape(prefix)}", re.IGNORECASE)]
    wanted += [pattern(form) for term, key in keys.items() if key.startswith(prefix.lower()) for form in forms[term]]
    return {doc.url for doc in docs if any(p.search(" ".join([doc.title, *(b.text for b in doc.blocks)])) for p in wanted)}


@pytest.mark.parametrize("prefix", ["팹리", "엔비", "얼라이", "저커", "클레", "Hugg"])
def test_a_word_being_typed_finds_the_words_it_starts(views: Views, flagship: Built, prefix: str, documents: Documents) -> None:
    docs, forms, _ = documents
    site, _ = load_site(Options(content_dir=ROOT / "content", out_dir=flagship.folder))
    assert site is not None
    keys = SearchKeys(site.terms).keys
    tab = views.tab(View(DESKTOP))
    page = tab.visit("")
    found = set(site_path(url, tab.base_url) for url in search(page, prefix))
    expected = starting_with(prefix, docs, forms, keys)
    assert expected, f"no page has a word starting with {prefix!r}; choose another"
    assert found == expected, f"{prefix!r}: found but not expected {sorted(found - expected)}, expected but not found {sorted(expected - found)}"


def test_a_syllable_being_composed_does_not_empty_the_results(views: Views) -> None:
    # a Korean input method shows 팹릿 on the way to 팹리스 and 엔비디앙 on the way to 엔비디아의
    tab = views.tab(View(DESKTOP))
    page = tab.visit("")
    for composing, typed in (("팹릿", "팹리"), ("엔비디앙", "엔비디"), ("엔비디아ㅇ", "엔비디")):
        found = search(page, composing)
        assert found and set(found) == set(search(page, typed)), composing


KIND = [("#fact-", "fact_card"), ("glossary/", "search_kind_term"), ("sources/", "search_kind_source")]


def test_every_result_says_what_it_is(views: Views, flagship: Built) -> None:
    site, _ = load_site(Options(content_dir=ROOT / "content", out_dir=flagship.folder))
    assert site is not None
    labels = site.config.labels
    tab = views.tab(View(DESKTOP))
    page = tab.visit("")
    seen = set()
    for query in ("메타", "매일경제", "오픈소스"):
        search(page, query)
        for href, kind in page.eval_on_selector_all("#site-search-results a", "links => links.map(a => [a.href, "
                                                    "(a.querySelector('.search-kind') || {textContent: ''}).textContent])"):
            path = site_path(href, tab.base_url)
            label = next((labels[name] for part, name in KIND if part in path),
                         labels["search_kind_home"] if path == "" else labels["search_kind_page"])
            assert kind == label, f"{query!r}: {href} is labelled {kind!r}, not {label!r}"
            seen.add(kind)
    assert len(seen) >= 4, f"the queries found only {seen}: choose queries that reach every kind"


EXCERPTS_JS = """() => [...document.querySelectorAll('#site-search-results a')].map((a) => [
  a.querySelector('.search-title').textContent, a.querySelector('.search-excerpt').textContent])"""


def test_excerpts_neither_repeat_the_title_nor_show_page_furniture(views: Views) -> None:
    tab = views.tab(View(DESKTOP))
    page = tab.visit("")
    problems = []
    for query in ("메타", "매일경제", "엔비디아", "동아일보", "팹리스"):
        search(page, query)
        for title, excerpt in page.evaluate(EXCERPTS_JS):
            text = excerpt.replace("\u2060", "")
            # a long title (a fact's claim) must not be repeated anywhere in its excerpt; a short one (a
            # term) may come up in the text, but the excerpt does not open with it
            repeated = title[:20] in text if len(title) >= 20 else text.startswith(title)
            if repeated:
                problems.append(f"{query!r}: the excerpt of {title[:30]!r} repeats its title: {text[:60]!r}")
            if re.search(r"(매체|게재|언어|원문|필자)\.\s", text):
                problems.append(f"{query!r}: the excerpt of {title[:30]!r} shows the labels of a source's details: {text[:80]!r}")
    assert not problems, "\n".join(problems)
    search(page, "현지")  # the articles write 5일(현지 시간)
    assert any("(현지" in excerpt for _, excerpt in page.evaluate(EXCERPTS_JS)), "brackets are lost from excerpts"


@pytest.mark.parametrize("resets", [1, 2, 5])
def test_an_index_forgotten_while_it_loads_is_loaded_afresh(views: Views, resets: int) -> None:
    # The preview server says "new index" (explainer:search-index) whenever it writes one, also while the
    # page is still loading the old one: the old index's destruction must not reach the new one, which
    # then failed ("search unavailable") or found nothing, now and then. (No tab.problems(): the fetches a
    # destroyed index's worker had under way are never reported finished, so the network never goes idle.)
    tab = views.tab(View(DESKTOP))
    page = tab.visit("")
    open_box(page)
    page.locator("#site-search").focus()  # starts loading the index
    page.evaluate(f"() => {{ for (let i = 0; i < {resets}; i++) window.dispatchEvent(new Event('explainer:search-index')); }}")
    for _ in range(3):
        found = search(page, "프레너미")
        assert any(url.endswith("/glossary/frenemy/") for url in found), (found[:3], page.inner_text(".search-summary"))
        assert "결과" in page.inner_text(".search-summary")  # a count, not "search is unavailable"
        page.evaluate("() => window.dispatchEvent(new Event('explainer:search-index'))")  # forgotten once loaded, too

