"""The print edition (print/): everything in reading order on one page, its references kept on the page."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from conftest import ROOT, Run
from explainer.content.load import load_site
from explainer.model import Options, Site
from explainer.render.display import source_name
from explainer.text import korean
from explainer.text.markdown import plain_text
from support import KOREAN, soup


def main_of(run: Run) -> Tag:
    main = soup(run, "print/index.html", tips=False).find("main")
    assert isinstance(main, Tag)
    return main


def test_reading_order_and_contents(make_site: Callable[..., Run]) -> None:
    pages = {**KOREAN, "content/site.yaml": KOREAN["content/site.yaml"] + "intro: 들어가는 말.\n"}
    run = make_site(base=pages)
    assert run.code == 0, run.err
    main = main_of(run)
    parts = [tag["id"] for tag in main.select("#part-intro, [id^=page-].print-part, #part-facts, #part-glossary, #part-sources")]
    assert parts == ["part-intro", "page-intro", "page-quiet", "part-facts", "part-glossary", "part-sources"]
    toc = [a["href"] for a in main.select("nav.print-toc a")]
    assert toc == ["#part-intro", "#page-intro", "#page-quiet", "#part-facts", "#group-chips", "#part-glossary", "#part-sources"]
    ids = {tag["id"] for tag in main.find_all(id=True)}
    assert all(href[1:] in ids for href in toc)


def test_every_fact_term_and_source_is_in_it(make_site: Callable[..., Run]) -> None:
    run = make_site(base=KOREAN)
    main = main_of(run)
    for fact_id, claim in (("design", "팹리스는 공장 없이 설계만 하는 회사다."), ("design2", "많은 팹리스가 파운드리를 쓴다.")):
        card = main.find(id=f"fact-{fact_id}")
        assert card and card.find(class_="fact-claim").get_text() == claim
        assert "팹리스는 설계만 한다." in card.find(class_="evidence").get_text()  # with its evidence
    entries = main.select("#part-glossary .glossary-entry")
    assert [e["id"] for e in entries] == ["glossary-foundry", "glossary-fabless"]  # 가나다: 파운드리, 팹리스
    assert [e.dt.dfn.get_text() for e in entries] == ["파운드리", "팹리스"]
    assert "설계만 하는 반도체 회사." in entries[1].dd.get_text()
    source = main.find(id="source-paper")
    assert source and source.h3.get_text() == "기사"
    assert main.find(id="excerpt-paper.one").blockquote.get_text(strip=True) == "팹리스는 설계만 한다."


def test_references_stay_on_the_page(make_site: Callable[..., Run]) -> None:
    run = make_site(base=KOREAN)
    main = main_of(run)
    ids = {tag["id"] for tag in soup(run, "print/index.html", tips=False).find_all(id=True)}
    hrefs = [str(a["href"]) for a in main.find_all("a", href=True)]
    internal = [h for h in hrefs if h.startswith("#")]
    assert internal and all(h[1:] in ids for h in internal)
    assert {h for h in hrefs if not h.startswith("#")} == {"https://example.org/chips/", "https://example.org/"}
    links = {a.get_text(): a["href"] for a in main.select("#page-intro a.term-link")}
    assert links["팹리스"] == "#glossary-fabless"
    nav = [a["href"] for a in soup(run, "print/index.html").select("nav.site-nav a")]
    assert nav == ["https://example.org/chips/", "#page-intro", "#page-quiet", "#part-facts", "#part-glossary", "#part-sources", "#top"]


def test_page_headings_move_down_a_level_and_glossary_setting_holds(make_site: Callable[..., Run]) -> None:
    run = make_site(base=KOREAN)
    main = main_of(run)
    intro = main.find(id="page-intro")
    assert [h.name for h in intro.find_all(["h2", "h3", "h4"])] == ["h2", "h3", "h4"]  # title, ## 둘째, ### 셋째
    assert not main.find(id="page-quiet").select("a.term-link")
    assert main.find(id="glossary-fabless").select("a.term-link")[0]["href"] == "#glossary-foundry"
    assert not main.find(id="glossary-fabless").select('a.term-link[href="#glossary-fabless"]')


def test_print_edition_is_not_an_appearance_and_is_linked_from_home(make_site: Callable[..., Run]) -> None:
    run = make_site(base=KOREAN)
    appears = soup(run, "glossary/fabless/index.html").find(id="appears").find_parent("section")
    assert "../../print/" not in [a["href"] for a in appears.find_all("a")]
    assert soup(run, "index.html").find("a", href="print/").get_text() == "인쇄판"
    assert not soup(run, "print/index.html").select(".print-terms")  # its glossary is the list of definitions


def test_every_page_lists_its_terms_for_print(make_site: Callable[..., Run]) -> None:
    run = make_site({"content/pages/intro.md": "---\ntitle: 소개\n---\n팹리스는 파운드리에 맡긴다.\n\n## 다시\n\n팹리스.\n"},
                    base=KOREAN)
    aside = soup(run, "intro/index.html").find("aside", class_="print-terms")
    assert aside is not None and aside.has_attr("hidden")
    assert [dt.get_text() for dt in aside.find_all("dt")] == ["파운드리 (Foundry)", "팹리스 (Fabless)"]  # 가나다
    assert [dd.get_text() for dd in aside.find_all("dd")] == ["위탁 생산 회사.", "설계만 하는 반도체 회사."]
    assert soup(run, "quiet/index.html").find("aside", class_="print-terms") is None
    for page in run.site.rglob("*.html"):
        doc = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        sheet = doc.find("link", href=lambda h: bool(h) and h.endswith("assets/print.css"))
        assert sheet and sheet["media"] == "print", page


@pytest.fixture(scope="module")
def flagship(built_flagship: Path) -> tuple[Site, Tag]:
    out = built_flagship
    site, _ = load_site(Options(content_dir=ROOT / "content", out_dir=out))
    assert site is not None
    # the word joiners that keep a middle dot from starting a line (text/typeset.py) are not text
    doc = BeautifulSoup((Path(out) / "print" / "index.html").read_text(encoding="utf-8").replace("\u2060", ""), "html.parser")
    for tip in doc.select(".term-tip"):
        tip.decompose()
    main = doc.find("main")
    assert isinstance(main, Tag)
    return site, main


def test_flagship_print_edition_holds_every_fact_term_and_source(flagship: tuple[Site, Tag]) -> None:
    site, main = flagship
    text = " ".join(main.get_text(" ").split())
    for fact in site.facts:
        card = main.find(id=f"fact-{fact.id}")
        assert card is not None, fact.id
        assert " ".join(card.find(class_="fact-claim").get_text(" ").split()).replace(" ", "") == \
            plain_text(fact.claim).replace(" ", "")
        for ref in fact.evidence:
            excerpt = site.excerpt(ref)
            assert excerpt and " ".join(excerpt.text.split()) in " ".join(card.get_text(" ").split())
    order = [e["id"].removeprefix("glossary-") for e in main.select("#part-glossary .glossary-entry")]
    assert order == [t.id for t in sorted(site.terms, key=lambda t: korean.sort_key(t.term))]
    for term in site.terms:
        assert " ".join(term.short.split()) in text
    for source in site.sources:
        assert main.find(id=f"source-{source.id}").h3.get_text() == source_name(source, site.config.labels)
        for excerpt in source.excerpts:
            assert main.find(id=f"excerpt-{source.id}.{excerpt.id}") is not None
    for page in site.pages:
        assert main.find(id=f"page-{page.slug}").h2.get_text() == page.title
