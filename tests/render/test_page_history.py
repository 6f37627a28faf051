"""What pages show of their history and provenance: dates, corrections, the corrections page, citations, permalinks,
links to the quoted words and archived copies."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import bibtexparser
import rispy

from conftest import MINI, Run, write_tree
from support import soup

SITE = MINI["content/site.yaml"] + "author: The Desk\npublisher: Mini Press\npublished: 2024-03-10\n"
FACTS = MINI["content/facts/nature.yaml"].replace(
    "    evidence: [paper#two]\n",
    "    evidence: [paper#two]\n"
    "    corrections:\n"
    "      - date: 2024-04-01\n"
    "        change: It said *grass* is blue.\n"
    "        reason: The paper says green.\n"
    "      - date: 2024-06-02\n"
    "        change: It named no source.\n"
    "        reason: A reader asked which paper.\n")
TERM = MINI["content/glossary/sky.yaml"] + "corrections:\n  - date: 2024-05-01\n    change: The short text said below.\n    reason: Above.\n"
PAGE = MINI["content/pages/intro.md"].replace(
    "summary: Where it starts.\n",
    "summary: Where it starts.\nupdated: 2024-03-20\ncorrections:\n  - date: 2024-03-15\n    change: A typo.\n    reason: Spelling.\n")
SOURCE = MINI["content/sources/paper.yaml"].replace(
    "language: en\n",
    "language: en\nurl: https://example.com/paper\narchive_url: https://web.archive.org/web/20231206101500/https://example.com/paper\n")
CORRECTED = {"content/site.yaml": SITE, "content/facts/nature.yaml": FACTS, "content/glossary/sky.yaml": TERM,
             "content/pages/intro.md": PAGE, "content/sources/paper.yaml": SOURCE}


def test_the_corrections_page_lists_every_correction_newest_first(make_site: Callable[..., Run]) -> None:
    run = make_site(CORRECTED)
    assert run.code == 0, run.err
    doc = soup(run, "corrections/index.html")
    items = doc.select("main ol.corrections > li")
    dates = [item.select_one(".correction-date time")["datetime"] for item in items]
    assert dates == ["2024-06-02", "2024-05-01", "2024-04-01", "2024-03-15"]
    links = [item.select_one(".correction-date a")["href"] for item in items]
    assert links == ["../facts/#fact-grass", "../glossary/sky/", "../facts/#fact-grass", "../intro/"]
    assert items[2].select_one(".correction-change").get_text(" ", strip=True) == "What changed It said grass is blue."
    assert items[2].select_one(".correction-change em").get_text() == "grass"  # Markdown, rendered
    assert "The paper says green." in items[2].select_one(".correction-reason").get_text()
    assert soup(run, "intro/index.html").find("footer").find("a", href="../corrections/")  # reachable from every page


def test_an_empty_corrections_page_says_so(make_site: Callable[..., Run]) -> None:
    run = make_site()
    assert run.code == 0, run.err
    assert "Nothing has been corrected so far." in soup(run, "corrections/index.html").find("main").get_text()


def test_a_fact_shows_its_corrections_beside_it_and_its_permalink(make_site: Callable[..., Run]) -> None:
    run = make_site(CORRECTED)
    doc = soup(run, "facts/index.html")
    grass = doc.find(id="fact-grass")
    shown = grass.select_one(".fact-corrections")
    assert shown.select_one(".fact-corrections-title").get_text(" ", strip=True) == "Corrected 2"
    assert [t["datetime"] for t in shown.select(".correction-date time")] == ["2024-06-02", "2024-04-01"]
    assert not doc.find(id="fact-sky").select_one(".fact-corrections")
    anchor = grass.select_one("a.fact-anchor")
    assert anchor["href"] == "#fact-grass" and anchor.get_text() == "Link to this fact"
    button = grass.select_one("button.copy-link")
    assert button["data-copy"] == "https://example.org/mini/facts/#fact-grass" and button.has_attr("hidden")  # shown by the script


def test_last_updated_comes_from_the_content(make_site: Callable[..., Run]) -> None:
    """A page's dates: first published (site.yaml), last updated = the latest of updated: and the corrections it lists."""
    run = make_site(CORRECTED)

    def dates(path: str) -> list[str]:
        return [t["datetime"] for t in soup(run, path).select(".page-dates time")]

    assert dates("intro/index.html") == ["2024-03-10", "2024-03-20"]  # its updated: is later than its correction
    assert dates("facts/index.html") == ["2024-03-10", "2024-06-02"]  # the grass fact's last correction
    assert dates("glossary/sky/index.html") == ["2024-03-10", "2024-05-01"]
    assert dates("sources/paper/index.html") == ["2024-03-10"]  # nothing changed since
    assert dates("corrections/index.html") == ["2024-03-10", "2024-06-02"]
    intro = soup(run, "intro/index.html")
    listed = [t["datetime"] for t in intro.select(".page-corrections .correction-date time")]
    assert listed == ["2024-03-15"]  # its own; its card (the sky fact) has none


def test_a_site_without_dates_shows_none(make_site: Callable[..., Run]) -> None:
    run = make_site()
    assert not soup(run, "intro/index.html").select(".page-dates")
    assert "(n.d.)" in soup(run, "intro/index.html").select_one(".citation").get_text()


def test_every_page_can_be_cited_and_its_files_read_back(make_site: Callable[..., Run]) -> None:
    run = make_site(CORRECTED)
    pages = sorted(p for p in run.site.rglob("index.html"))
    assert len(pages) == 9
    for page in pages:
        folder = page.parent.relative_to(run.site).as_posix()
        path = "" if folder == "." else folder + "/"
        doc = soup(run, path + "index.html")
        files = [a["href"] for a in doc.select(".cite-page .citation-files a")] if path != "print/" else []
        if path != "print/":
            assert files == ["citation.bib", "citation.ris", "citation.json"], path
        library = bibtexparser.parse_string((page.parent / "citation.bib").read_text(encoding="utf-8"))
        assert not library.failed_blocks
        [entry] = library.entries
        [record] = rispy.loads((page.parent / "citation.ris").read_text(encoding="utf-8"))
        [item] = json.loads((page.parent / "citation.json").read_text(encoding="utf-8"))
        url = "https://example.org/mini/" + path
        assert entry.fields_dict["url"].value == record["urls"][0] == item["URL"] == url
        assert record["authors"] == ["The Desk"] and record["publisher"] == "Mini Press"
        shown = doc.select_one(".citation").get_text(" ", strip=True)
        assert shown.startswith("The Desk. (") and shown.endswith(url), shown
    intro = soup(run, "intro/index.html").select_one(".citation").get_text(" ", strip=True)
    assert intro == "The Desk. (March 20, 2024). Introduction . Mini. https://example.org/mini/intro/"
    assert json.loads(run.page("intro/citation.json"))[0]["issued"] == {"date-parts": [[2024, 3, 20]]}


def test_excerpts_link_to_their_words_in_the_original_and_the_archived_copy(make_site: Callable[..., Run]) -> None:
    run = make_site(CORRECTED)
    source = soup(run, "sources/paper/index.html")
    links = [a["href"] for a in source.select("#excerpt-one .to-words a")]
    assert links == ["https://example.com/paper#:~:text=The%20sky%20is%20blue%20on%20clear%20days.",
                     "https://web.archive.org/web/20231206101500/https://example.com/paper#:~:text=The%20sky%20is%20blue%20on%20clear%20days."]
    details = source.select_one(".source-details").get_text(" ", strip=True)
    assert "archived copy" in details and "December 6, 2023" in details  # the day read from the Wayback address
    card = soup(run, "facts/index.html").find(id="fact-grass")
    assert card.select_one("figcaption .to-words a")["href"] == "https://example.com/paper#:~:text=Grass%20is%20green."
    plain = make_site()  # a source without url: no link to words
    assert not soup(plain, "sources/paper/index.html").select(".to-words")


def test_a_reused_page_shows_a_correction_added_to_another(tmp_path: Path) -> None:
    """With the preview's cache, a correction added to a page's front matter reaches every page that lists it, and the
    citation files of a page reused from the cache are still written (the same bytes as a build without a cache)."""
    from explainer.cache import Cache
    from explainer.model import Options
    from explainer.pipeline import make

    write_tree(tmp_path, {**MINI, **CORRECTED})
    options = Options(content_dir=tmp_path / "content", out_dir=tmp_path / "site")
    cache = Cache()
    make(options, cache, search=False)
    page = PAGE.replace("    reason: Spelling.\n", "    reason: Spelling.\n  - date: 2024-07-01\n    change: A date.\n    reason: Wrong year.\n")
    write_tree(tmp_path, {"content/pages/intro.md": page})
    warm = {output.path: output.content for output in make(options, cache, search=False).outputs}
    cold = {output.path: output.content for output in make(options, None, search=False).outputs}
    assert warm == cold
    assert b"2024-07-01" in warm["corrections/index.html"] and b"2024-07-01" in warm["print/index.html"]
    assert b"date = {2024-07-01}" in warm["intro/citation.bib"]
    # a later `updated:` alone (no Markdown of the page read elsewhere) moves the site's last update too
    write_tree(tmp_path, {"content/pages/intro.md": page.replace("updated: 2024-03-20", "updated: 2024-08-01")})
    warm = {output.path: output.content for output in make(options, cache, search=False).outputs}
    assert b'datetime="2024-08-01"' in warm["corrections/index.html"]
    assert warm == {output.path: output.content for output in make(options, None, search=False).outputs}
