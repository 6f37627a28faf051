"""What the built pages contain: structure on every page, links, glossary behaviour, overrides."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import MINI, Run
from support import KOREAN, soup


def html_pages(run: Run) -> list[Path]:
    return sorted(p for p in run.site.rglob("*.html"))


def test_every_page_has_lang_title_description_nav_and_footer(make_site: Callable[..., Run]) -> None:
    run = make_site()
    assert run.code == 0, run.err
    pages = html_pages(run)
    assert {p.relative_to(run.site).as_posix() for p in pages} == {
        "index.html", "intro/index.html", "facts/index.html", "glossary/index.html", "glossary/sky/index.html",
        "sources/index.html", "sources/paper/index.html", "404.html", "print/index.html", "corrections/index.html",
    }
    for page in pages:
        doc = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        assert doc.html["lang"] == "en"
        assert doc.title and doc.title.string.strip()
        assert doc.find("meta", attrs={"name": "description"})["content"].strip()
        assert doc.find("nav", class_="site-nav")
        assert "© Test" in doc.find("footer").get_text()
        assert doc.find("a", class_="skip-link")["href"] == "#main"


def test_links_are_relative_and_resolve(make_site: Callable[..., Run]) -> None:
    run = make_site()
    for page in html_pages(run):
        if page.name == "404.html":
            continue
        doc = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for tag in doc.find_all(["a", "link", "script"]):
            url = tag.get("href") or tag.get("src")
            if not url or url.startswith(("http:", "https:", "#", "mailto:")):
                continue
            target = (page.parent / url.split("#")[0]).resolve()
            if target.is_dir():
                target = target / "index.html"
            assert target.is_file(), f"{page.relative_to(run.site)} links to missing {url}"


def test_404_works_from_any_depth(make_site: Callable[..., Run]) -> None:
    run = make_site()
    doc = soup(run, "404.html")
    urls = [t.get("href") or t.get("src") for t in doc.find_all(["a", "link", "script"]) if t.get("href") or t.get("src")]
    internal = [u for u in urls if not u.startswith(("http", "#"))]
    assert internal and all(u.startswith("/mini/") for u in internal), internal


def test_canonical_and_open_graph(make_site: Callable[..., Run]) -> None:
    run = make_site()
    doc = soup(run, "glossary/sky/index.html")
    assert doc.find("link", rel="canonical")["href"] == "https://example.org/mini/glossary/sky/"
    assert doc.find("meta", property="og:locale")["content"] == "en_US"
    override = make_site({}, "build", "--base-url", "https://other.example/")
    assert soup(override, "index.html").find("link", rel="canonical")["href"] == "https://other.example/"


def test_fact_page_has_anchor_claim_and_full_evidence(make_site: Callable[..., Run]) -> None:
    run = make_site()
    fact = soup(run, "facts/index.html", tips=False).find(id="fact-sky")
    assert fact is not None
    text = fact.get_text(" ", strip=True)
    for expected in ("The sky looks blue", "The sky is blue on clear days.", "The Journal", "A. Writer", "December 5, 2023"):
        assert expected in text


def test_source_page_lists_facts_using_each_excerpt(make_site: Callable[..., Run]) -> None:
    run = make_site()
    excerpt = soup(run, "sources/paper/index.html").find(id="excerpt-one")
    assert excerpt.find("a", href="../../facts/#fact-sky")


def test_term_links_first_occurrence_per_section_with_keyboard_definition(make_site: Callable[..., Run]) -> None:
    run = make_site(base=KOREAN)
    assert run.code == 0, run.err
    doc = soup(run, "intro/index.html")
    links = doc.select("main a.term-link")
    texts = [a.get_text() for a in links]
    # section 1: first 팹리스(를) only; section 2: 팹리스(와) again, not inside the existing link, code or quiet span;
    # the fact card is a section of its own, so its claim links 팹리스 once more.
    assert texts == ["팹리스", "팹리스", "팹리스"], texts
    first = links[0]
    assert first.next_sibling.get("role") == "tooltip"
    assert first["aria-describedby"] == first.next_sibling["id"]
    assert first.next_sibling.get_text() == "설계만 하는 반도체 회사."
    assert first.parent.next_sibling.startswith("를 아는가")  # the particle stays outside the link
    ids = [t["id"] for t in doc.select("[role=tooltip]")]
    assert len(ids) == len(set(ids))
    assert not doc.find("h3").find("a")


def test_page_can_switch_linking_off(make_site: Callable[..., Run]) -> None:
    run = make_site(base=KOREAN)
    assert not soup(run, "quiet/index.html").select("main a.term-link")


def test_page_can_leave_one_term_unlinked(make_site: Callable[..., Run]) -> None:
    page = ("---\ntitle: 다른 뜻\norder: 3\nno_autolink: [fabless]\n---\n"
            "팹리스는 여기서 다른 뜻이다. 파운드리는 링크된다.\n\n## 둘째\n\n팹리스와 [[term:fabless|팹리스 회사]]\n")
    run = make_site({"content/pages/other.md": page}, base=KOREAN)
    assert run.code == 0, run.err
    texts = [a.get_text() for a in soup(run, "other/index.html").select("main a.term-link")]
    assert texts == ["파운드리", "팹리스 회사"], texts  # an explicit link still links
    assert [a.get_text() for a in soup(run, "intro/index.html").select("main a.term-link")][:1] == ["팹리스"]  # other pages do
    printed = soup(run, "print/index.html").find(id="page-other")
    assert printed is not None
    assert [a.get_text() for a in printed.select("a.term-link")] == ["파운드리", "팹리스 회사"]  # the print edition too


def test_a_term_says_where_it_is_not_the_term(make_site: Callable[..., Run]) -> None:
    term = ("term: 라마\nen: Llama\nshort: 언어 모델 계열.\nnot_before: [2, \"3\"]\nnot_in: [알파카와 라마, 라마 목장]\n")
    page = ("---\ntitle: 라마\norder: 3\n---\n알파카와 라마를 키우는 라마 목장.\n\n## 둘\n\n라마 2와 Llama-3.\n\n"
            "## 셋\n\n메타는 라마를 내놓았다.\n")
    run = make_site({"content/glossary/llama.yaml": term, "content/pages/llama.md": page}, base=KOREAN)
    assert run.code == 0, run.err
    links = soup(run, "llama/index.html").select("main a.term-link")
    assert [(a.get_text(), a["href"]) for a in links] == [("라마", "../glossary/llama/")]
    assert links[0].parent.next_sibling.startswith("를 내놓았다")


def test_term_page_does_not_link_itself_and_lists_where_it_appears(make_site: Callable[..., Run]) -> None:
    run = make_site(base=KOREAN)
    doc = soup(run, "glossary/fabless/index.html")
    assert [a["href"] for a in doc.select("main a.term-link")] == ["../foundry/"]
    appears = doc.find(id="appears").find_parent("section")
    hrefs = [a["href"] for a in appears.find_all("a")]
    assert "../../intro/" in hrefs
    assert "../foundry/" in hrefs  # the foundry term page links to 팹리스
    assert "../../facts/#fact-design" in hrefs and "../../facts/#fact-design2" in hrefs
    assert "../../quiet/" not in hrefs


def test_explicit_term_link_counts_as_first_occurrence(make_site: Callable[..., Run]) -> None:
    run = make_site({"content/pages/intro.md": "---\ntitle: 소개\n---\n[[term:fabless|팹리스들]]과 팹리스는 같다.\n"}, base=KOREAN)
    links = soup(run, "intro/index.html").select("main a.term-link")
    assert [a.get_text() for a in links] == ["팹리스들"]


def test_glossary_index_in_ganada_order_with_json_ld(make_site: Callable[..., Run]) -> None:
    run = make_site(base=KOREAN)
    doc = soup(run, "glossary/index.html")
    assert [h.get_text() for h in doc.select("main h2") if not h.find_parent(class_="page-history")] == ["ㅍ"]
    assert [dt.a.get_text() for dt in doc.select("dl.glossary dt")] == ["파운드리", "팹리스"]
    [page] = json.loads(doc.find("script", type="application/ld+json").string)["@graph"]
    data = page["mainEntity"]
    assert page["@type"] == "CollectionPage" and data["@type"] == "DefinedTermSet"
    assert [t["name"] for t in data["hasDefinedTerm"]] == ["파운드리", "팹리스"]
    [term_page] = json.loads(soup(run, "glossary/fabless/index.html").find("script", type="application/ld+json").string)["@graph"]
    term = term_page["mainEntity"]
    assert term["@type"] == "DefinedTerm" and term["alternateName"] == ["Fabless"]


def test_json_ld_cannot_close_its_script(make_site: Callable[..., Run]) -> None:
    run = make_site({"content/glossary/sky.yaml": "term: sky\nshort: </script><script>alert(1)</script>\n"})
    html = run.page("glossary/sky/index.html")
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)
    assert script and "<" not in script.group(1)
    assert json.loads(script.group(1))["@graph"][0]["description"] == "</script><script>alert(1)</script>"


def test_content_is_escaped(make_site: Callable[..., Run]) -> None:
    run = make_site({"content/glossary/sky.yaml": "term: <b>sky</b>\nshort: a & b < c\n"})
    html = run.page("glossary/sky/index.html")
    assert "&lt;b&gt;sky&lt;/b&gt;" in html and "<b>sky</b>" not in html
    assert "a &amp; b &lt; c" in html


def test_site_templates_override_defaults_one_by_one(make_site: Callable[..., Run]) -> None:
    run = make_site({"templates/footer.html": '<footer class="site-footer custom"><p>{{ config.copyright }} (custom)</p></footer>\n'})
    assert run.code == 0, run.err
    doc = soup(run, "index.html")
    assert doc.find("footer", class_="custom").get_text(strip=True) == "© Test (custom)"
    assert doc.find("nav", class_="site-nav")  # the rest still comes from the default theme


def test_template_error_names_template_file_and_line(make_site: Callable[..., Run]) -> None:
    run = make_site({"templates/footer.html": "<footer>\n{{ config.no_such_field }}\n</footer>\n"})
    assert run.code == 1
    assert re.search(r"^templates/footer\.html:2: error: template error: .*no_such_field", run.err, re.MULTILINE), run.err
    assert "Traceback" not in run.err
    syntax = make_site({"templates/footer.html": "<footer>\n{% if %}\n</footer>\n"})
    assert syntax.code == 1
    assert "templates/footer.html:2: error: template syntax error: Expected an expression, got 'end of statement block'" in syntax.err


@pytest.mark.parametrize(("wrote", "said"), [
    ("{{ config.titel }}", "SiteConfig has no field 'titel'; did you mean 'title'?"),
    ("{{ labels.glosary }}", "dict has no field 'glosary'; did you mean 'glossary'?"),
    ("{{ config.zzzqqq }}", "SiteConfig has no field 'zzzqqq' (it has: absolute, archives, author, base_path"),
])
def test_a_field_a_template_misspells_is_named_with_the_one_it_meant(make_site: Callable[..., Run], wrote: str, said: str) -> None:
    """Not Python's 'explainer.model.SiteConfig object' has no attribute: what the value is, and what it has."""
    run = make_site({"templates/footer.html": f"<footer>\n{wrote}\n</footer>\n"})
    assert run.code == 1 and f"templates/footer.html:2: error: template error: {said}" in run.err, run.err
    assert "explainer.model" not in run.err


def test_all_template_errors_and_content_errors_in_one_run(make_site: Callable[..., Run]) -> None:
    run = make_site({
        "templates/footer.html": "<footer>\n{% if %}\n</footer>\n",
        "templates/unused-partial.html": "{{ broken(\n",
        "content/glossary/sky.yaml": "term: sky\n",
    })
    assert run.code == 1
    lines = [line for line in run.err.splitlines() if ": error: " in line]
    assert [line.split(": error: ")[0] for line in lines] == [
        "content/glossary/sky.yaml:1", "templates/footer.html:2", "templates/unused-partial.html:1"], lines


def test_every_page_with_a_runtime_template_error_is_reported(make_site: Callable[..., Run]) -> None:
    run = make_site({"templates/page.html": "{% extends 'base.html' %}{% block main %}{{ page.nope }}{% endblock %}\n",
                     "templates/term.html": "{% extends 'base.html' %}\n{% block main %}{{ term.nope }}{% endblock %}\n"})
    assert run.code == 1
    assert re.search(r"^templates/page\.html:1: error: template error: .*nope", run.err, re.MULTILINE)
    assert re.search(r"^templates/term\.html:2: error: template error: .*nope", run.err, re.MULTILINE)
    assert "Build failed (render)" in run.err


def test_a_bug_in_python_called_from_a_template_is_not_blamed_on_the_template(make_site: Callable[..., Run],
                                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from explainer.render import display

    def broken(*args: object, **kwargs: object) -> str:
        raise ZeroDivisionError("a bug of ours")

    monkeypatch.setattr(display, "format_date", broken)
    monkeypatch.setattr("explainer.render.pages.format_date", broken)
    run = make_site()
    assert run.code == 3 and run.err.startswith("internal error: ZeroDivisionError: a bug of ours")


def test_timeline_groups_facts_by_month(make_site: Callable[..., Run]) -> None:
    facts = MINI["content/facts/nature.yaml"] + (
        "  - id: rain\n    claim: It rained.\n    when: 2023-12-01\n    evidence: [paper#two]\n"
        "  - id: snow\n    claim: It snowed.\n    when: 2024-01-20\n    evidence: [paper#two]\n"
    )
    run = make_site({"content/facts/nature.yaml": facts,
                     "content/pages/intro.md": "---\ntitle: Intro\n---\n[[timeline]]\n"})
    doc = soup(run, "intro/index.html", tips=False)
    months = [m.find(class_="timeline-date").get_text() for m in doc.select(".timeline-month")]
    assert months == ["December 2023", "January 2024"]
    december = [e.find(class_="timeline-claim").get_text() for e in doc.select(".timeline-month")[0].select(".timeline-entry")]
    assert december == ["The sky looks blue when the weather is clear.", "It rained."]  # month-only first, then by day


def test_site_root_links_in_claims_resolve_on_every_page(make_site: Callable[..., Run]) -> None:
    facts = MINI["content/facts/nature.yaml"].replace("claim: Grass is green.", "claim: Grass is green, see [the intro](/intro/).")
    run = make_site({"content/facts/nature.yaml": facts, "content/site.yaml": MINI["content/site.yaml"] + "key_facts: [grass]\n"})
    assert run.code == 0, run.err
    assert 'href="intro/">the intro' in run.page("index.html")
    assert 'href="../intro/">the intro' in run.page("facts/index.html")


def test_a_page_without_summary_is_described_by_its_first_paragraph(make_site: Callable[..., Run]) -> None:
    long = "Word " * 60
    run = make_site({"content/pages/intro.md": f"---\ntitle: Intro\n---\n## Heading\n\nFirst *paragraph* here.\n\n{long}\n",
                     "content/pages/long.md": f"---\ntitle: Long\n---\n{long}\n"})
    description = soup(run, "intro/index.html").find("meta", attrs={"name": "description"})["content"]
    assert description == "First paragraph here."
    cut = soup(run, "long/index.html").find("meta", attrs={"name": "description"})["content"]
    assert cut.endswith("Word…") and len(cut) <= 160


def test_default_navigation_lists_pages_only_while_they_are_few(make_site: Callable[..., Run]) -> None:
    many = {f"content/pages/p{n}.md": f"---\ntitle: Page {n}\norder: {n}\n---\nText {n}.\n" for n in range(9)}
    run = make_site(many)
    nav = [a.get_text() for a in soup(run, "index.html").select("nav.site-nav a")]
    assert nav == ["Home", "Facts", "Glossary", "Sources", "Print edition"]  # the home page and the print edition always
    assert len(soup(run, "index.html").select(".chapter-list li")) == 10  # the home page lists every page
    few = make_site(dict.fromkeys(many))  # the same site without the nine extra pages
    assert [a.get_text() for a in soup(few, "index.html").select("nav.site-nav a")] == [
        "Home", "Introduction", "Facts", "Glossary", "Sources", "Print edition"]


def test_sources_are_listed_oldest_first(make_site: Callable[..., Run]) -> None:
    older = MINI["content/sources/paper.yaml"].replace("published: 2023-12-05", "published: 2022-01-01").replace("A Paper", "An Older Paper")
    undated = MINI["content/sources/paper.yaml"].replace("published: 2023-12-05\n", "").replace("A Paper", "An Undated Paper")
    run = make_site({"content/sources/b-older.yaml": older, "content/sources/a-undated.yaml": undated})
    names = [a.get_text() for a in soup(run, "sources/index.html").select(".source-name")]
    assert names == ["An Older Paper", "A Paper", "An Undated Paper"]


def test_timeline_marks_facts_whose_sources_differ_and_sources_name_their_language(make_site: Callable[..., Run]) -> None:
    second = MINI["content/sources/paper.yaml"].replace("A Paper", "Another Paper")
    facts = MINI["content/facts/nature.yaml"].replace("    evidence: [paper#one]\n",
                                                      "    evidence: [paper#one, other#one]\n    disagreement: The other says grey.\n")
    run = make_site({"content/sources/other.yaml": second, "content/facts/nature.yaml": facts,
                     "content/pages/intro.md": "---\ntitle: Intro\n---\n[[timeline]]\n"})
    entry = soup(run, "intro/index.html").select_one(".timeline-entry")
    assert entry.select_one(".timeline-differ").get_text() == "sources differ"
    assert soup(run, "sources/paper/index.html").find("dt", string="Language").find_next("dd").get_text() == "English"


def test_one_block_is_replaced_without_copying_base_html(make_site: Callable[..., Run]) -> None:
    """A site's base.html extends the default theme's own (default/base.html) and replaces only the block it names."""
    base = ('{% extends "default/base.html" %}\n'
            '{% block head %}<link rel="stylesheet" href="{{ url(\'assets/extra.css\') }}">{% endblock %}\n')
    run = make_site({"templates/base.html": base, "templates/static/extra.css": "body { margin: 0; }\n"}, "build", "--strict")
    assert run.code == 0, run.err
    page = run.page("intro/index.html")
    assert '<link rel="stylesheet" href="../assets/extra.css">' in page
    assert '<main id="main"' in page and "Look at the" in page  # everything else is the default theme's
    assert (run.site / "assets/extra.css").is_file()
