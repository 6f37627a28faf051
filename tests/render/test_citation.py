"""Citations: BibTeX, RIS and CSL-JSON read back by the libraries made for them, and shown on every page."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware
from jsonschema import Draft7Validator

from explainer.model import PartialDate
from explainer.render.citation import Citation, bibtex, citation_files, csl_json, ris

CSL_SCHEMA = json.loads((Path(__file__).parent.parent / "data" / "csl-data.json").read_text(encoding="utf-8"))
KOREAN = Citation("ai-alliance-overview", "overview/", "한눈에 보는 AI 동맹", "AI 동맹 해설", "explainer 편집팀", "explainer",
                  "https://explainer.github.io/ai-alliance/overview/", PartialDate(2026, 12, 5), "ko")
HOSTILE = Citation("x-y", "y/", 'Braces {and} 100% of $5 & #1_a~b\\c "quoted"\nnext line', "Site } {", "A & B {Ltd}", "",
                   "https://example.org/x/y/", PartialDate(2024, 2), "en")


def read_bibtex(text: str) -> dict[str, Any]:
    """The one entry of a .bib file, its values decoded from TeX; the parse must not fail anywhere."""
    library = bibtexparser.parse_string(text, append_middleware=[LatexDecodingMiddleware()])
    assert not library.failed_blocks, [block.error for block in library.failed_blocks]
    [entry] = library.entries
    return {"type": entry.entry_type, "key": entry.key, **{name: field.value for name, field in entry.fields_dict.items()}}


def test_bibtex_reads_back() -> None:
    entry = read_bibtex(bibtex(KOREAN))
    assert entry == {"type": "misc", "key": "ai-alliance-overview", "title": "한눈에 보는 AI 동맹", "author": "explainer 편집팀",
                     "howpublished": "AI 동맹 해설", "publisher": "explainer", "year": "2026", "month": "dec", "date": "2026-12-05",
                     "url": "https://explainer.github.io/ai-alliance/overview/", "language": "ko"}


def test_bibtex_escapes_what_tex_would_read_as_markup() -> None:
    """Braces, %, $, &, #, _, ~ and backslashes in a title cannot unbalance the entry or start a TeX command."""
    text = bibtex(HOSTILE)
    entry = read_bibtex(text)
    assert entry["title"] == 'Braces {and} 100% of $5 & #1_a~b\\c "quoted" next line'
    assert entry["author"] == "A & B {Ltd}"
    assert entry["howpublished"] == "Site } {"
    assert entry["month"] == "feb" and entry["date"] == "2024-02"
    assert "publisher" not in entry  # none given


def test_ris_reads_back() -> None:
    [record] = rispy.loads(ris(KOREAN))
    assert record == {"type_of_reference": "ELEC", "title": "한눈에 보는 AI 동맹", "authors": ["explainer 편집팀"],
                      "secondary_title": "AI 동맹 해설", "publisher": "explainer", "year": "2026", "date": "2026/12/05",
                      "urls": ["https://explainer.github.io/ai-alliance/overview/"], "language": "ko"}
    assert ris(KOREAN).endswith("ER  - \r\n") and "\n" not in ris(KOREAN).replace("\r\n", "")


def test_ris_keeps_one_line_per_tag() -> None:
    [record] = rispy.loads(ris(HOSTILE))
    assert record["title"] == 'Braces {and} 100% of $5 & #1_a~b\\c "quoted" next line'
    assert record["date"] == "2024/02/"


@pytest.mark.parametrize("citation", [KOREAN, HOSTILE])
def test_csl_json_follows_its_schema(citation: Citation) -> None:
    data = json.loads(csl_json(citation))
    errors = [error.message for error in Draft7Validator(CSL_SCHEMA).iter_errors(data)]
    assert errors == []
    [item] = data
    assert item["type"] == "webpage" and item["URL"] == citation.url and item["title"] == citation.title


def test_csl_json_dates_keep_their_precision() -> None:
    assert json.loads(csl_json(KOREAN))[0]["issued"] == {"date-parts": [[2026, 12, 5]]}
    assert json.loads(csl_json(HOSTILE))[0]["issued"] == {"date-parts": [[2024, 2]]}


def test_an_undated_page_is_cited_without_a_date() -> None:
    undated = Citation("k", "", "Home", "Site", "", "", "https://example.org/", None, "en")
    assert "year" not in bibtex(undated) and "DA  -" not in ris(undated) and "issued" not in csl_json(undated)
    assert "author" not in bibtex(undated) and "AU  -" not in ris(undated) and "author" not in csl_json(undated)


def test_the_files_sit_beside_the_page() -> None:
    assert [output.path for output in citation_files(KOREAN)] == ["overview/citation.bib", "overview/citation.ris",
                                                                  "overview/citation.json"]


def test_a_cache_keeps_each_pages_files_while_its_citation_is_the_same() -> None:
    from dataclasses import replace

    from explainer.cache import Cache
    from explainer.render.citation import all_citation_files

    cache = Cache()
    made = all_citation_files([KOREAN, HOSTILE], cache)
    assert made == [*citation_files(KOREAN), *citation_files(HOSTILE)]
    kept = all_citation_files([KOREAN, HOSTILE], cache)
    assert kept == made and kept[0] is made[0]  # the same files, not made again
    dated = replace(KOREAN, date=PartialDate(2026, 12, 6))
    again = all_citation_files([dated], cache)
    assert again == citation_files(dated) and b"2026" in again[0].content and again[0] is not made[0]
    assert set(cache.section("citations").entries) == {"overview/"}  # a page gone takes its files with it
