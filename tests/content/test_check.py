"""One invalid mini-site per cross-reference and content-rule message, with exact lines."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import MINI, Run
from explainer.content.passage import closest_passage

FACTS = MINI["content/facts/nature.yaml"]
TERM = MINI["content/glossary/sky.yaml"]
PAGE_HEAD = "---\ntitle: Introduction\n---\n"

CASES = {
    "dangling evidence: unknown source": (
        {"content/facts/nature.yaml": FACTS.replace("[paper#two]", "[papers#two]")},
        "content/facts/nature.yaml:9: error: unknown source 'papers' in reference 'papers#two'",
    ),
    "dangling evidence: unknown excerpt": (
        {"content/facts/nature.yaml": FACTS.replace("[paper#two]", "[paper#three]")},
        "content/facts/nature.yaml:9: error: source 'paper' has no excerpt 'three'",
    ),
    "duplicate fact id": (
        {"content/facts/more.yaml": "- id: sky\n  claim: Again.\n  evidence: [paper#one]\n"},
        "content/facts/nature.yaml:3: error: duplicate fact id 'sky' (also content/facts/more.yaml:1)",
    ),
    "dangling related term": (
        {"content/glossary/sky.yaml": TERM + "related: [cloud]\n"},
        "content/glossary/sky.yaml:4: error: unknown related term 'cloud'",
    ),
    "page references unknown fact": (
        {"content/pages/intro.md": PAGE_HEAD + "\nText.\n\n[[fact:skies]]\n"},
        "content/pages/intro.md:7: error: unknown fact 'skies'",
    ),
    "page references unknown term": (
        {"content/pages/intro.md": PAGE_HEAD + "One.\nTwo [[term:cloud]] here.\n"},
        "content/pages/intro.md:5: error: unknown glossary term 'cloud'",
    ),
    "page references unknown excerpt": (
        {"content/pages/intro.md": PAGE_HEAD + "Quote: [[quote:paper#three]].\n"},
        "content/pages/intro.md:4: error: source 'paper' has no excerpt 'three'",
    ),
    "page reference of unknown kind": (
        {"content/pages/intro.md": PAGE_HEAD + "[[fakt:sky]]\n"},
        "content/pages/intro.md:4: error: unknown reference kind '[[fakt:…]]'",
    ),
    "inline fact card": (
        {"content/pages/intro.md": PAGE_HEAD + "See [[fact:sky]] here.\n"},
        "content/pages/intro.md:4: error: a fact card [[fact:sky]] must stand on a line of its own",
    ),
    "claim references unknown term": (
        {"content/facts/nature.yaml": FACTS.replace("claim: Grass is green.", "claim: Grass is [[term:green]].")},
        "content/facts/nature.yaml:8: error: unknown glossary term 'green'",
    ),
    "timeline inside a sentence": (
        {"content/pages/intro.md": PAGE_HEAD + "See [[timeline]] here.\n"},
        "content/pages/intro.md:4: error: a timeline [[timeline]] must stand on a line of its own in a page or a Markdown body",
    ),
    "timeline inside a claim (would render itself)": (
        {"content/facts/nature.yaml": FACTS.replace("claim: Grass is green.", "claim: '[[timeline]]'")},
        "content/facts/nature.yaml:8: error: a timeline [[timeline]] must stand on a line of its own in a page or a Markdown body",
    ),
    "fact card inside a claim": (
        {"content/facts/nature.yaml": FACTS.replace("claim: Grass is green.", "claim: '[[fact:sky]]'")},
        "content/facts/nature.yaml:8: error: a fact card [[fact:sky]] must stand on a line of its own in a page or a Markdown body",
    ),
    "quote with words": (
        {"content/pages/intro.md": PAGE_HEAD + "[[quote:paper#one|the sky]]\n"},
        "content/pages/intro.md:4: error: [[quote:…]] takes no '|words'",
    ),
    "timeline with unknown tag": (
        {"content/pages/intro.md": PAGE_HEAD + "[[timeline:weather]]\n"},
        "content/pages/intro.md:4: error: no fact has the tag 'weather' for this timeline",
    ),
    "disagreement with one source": (
        {"content/facts/nature.yaml": FACTS + "    disagreement: Some say it is yellow.\n"},
        "content/facts/nature.yaml:10: error: fact 'grass' describes a disagreement but cites fewer than two sources",
    ),
    "alias shared by two terms, blamed on the alias": (
        {"content/glossary/heaven.yaml": "term: heaven\nshort: Up there.\naliases: [Sky]\n"},
        "content/glossary/heaven.yaml:3: error: the form 'Sky' also names term 'sky' (content/glossary/sky.yaml)",
    ),
    "display form shared by two terms, blamed on the later file": (
        {"content/glossary/zenith.yaml": "term: Sky\nshort: Up there.\n"},
        "content/glossary/zenith.yaml:1: error: the form 'Sky' also names term 'sky' (content/glossary/sky.yaml)",
    ),
    "unknown key fact": (
        {"content/site.yaml": MINI["content/site.yaml"] + "key_facts: [cloud]\n"},
        "content/site.yaml:6: error: unknown fact 'cloud' in key_facts",
    ),
    "unknown nav entry": (
        {"content/site.yaml": MINI["content/site.yaml"] + "nav: [intro, gallery]\n"},
        "content/site.yaml:6: error: unknown navigation entry 'gallery'",
    ),
    "not_in phrase without a form of its term": (
        {"content/glossary/sky.yaml": TERM + "not_in: [clear skies, the blue sky]\n"},
        "content/glossary/sky.yaml:4: error: the phrase 'clear skies' in `not_in` contains no form of term 'sky'",
    ),
    "page leaves an unknown term unlinked": (
        {"content/pages/intro.md": "---\ntitle: Introduction\nno_autolink: [skies]\n---\nText.\n"},
        "content/pages/intro.md:3: error: unknown glossary term 'skies' in `no_autolink`",
    ),
    "reserved page name": (
        {"content/pages/facts.md": PAGE_HEAD + "Text.\n"},
        "content/pages/facts.md: error: the page name 'facts' is taken by a built-in page",
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_each_reference_error_names_file_line_and_message(make_site: Callable[..., Run], name: str) -> None:
    changes, expected = CASES[name]
    run = make_site(changes)
    assert run.code == 1, run.err
    assert expected in run.err.splitlines(), run.err


def test_quote_must_occur_in_archive(make_site: Callable[..., Run], site_root: Path) -> None:
    (site_root / "archive").mkdir()
    (site_root / "archive" / "paper.txt").write_text("The sky is   blue\non clear days. Grass is green.", encoding="utf-8")
    source = MINI["content/sources/paper.yaml"].replace("language: en\n", "language: en\narchive: archive/paper.txt\n")
    ok = make_site({"content/sources/paper.yaml": source})
    assert ok.code == 0, ok.err  # whitespace differences are ignored
    bad = make_site({"content/sources/paper.yaml": source.replace("Grass is green.", "Grass is greener.")})
    assert bad.code == 1
    assert "content/sources/paper.yaml:11: error: excerpt 'paper#two' does not occur in the archive" in bad.err.splitlines()


def test_missing_archive_warns_once_per_source_and_strict_fails(make_site: Callable[..., Run]) -> None:
    source = MINI["content/sources/paper.yaml"].replace("language: en\n", "language: en\narchive: missing.txt\n")
    run = make_site({"content/sources/paper.yaml": source})
    assert run.code == 0
    assert run.err.count("archive 'missing.txt' not found") == 1
    assert "warning:" in run.err
    strict = make_site({"content/sources/paper.yaml": source}, "build", "--strict")
    assert strict.code == 1
    assert "content/sources/paper.yaml:6: error: archive 'missing.txt' not found; quotes of 'paper' are not verified" in strict.err


def test_unused_excerpt_is_a_warning(make_site: Callable[..., Run]) -> None:
    run = make_site({"content/facts/nature.yaml": FACTS.replace("[paper#two]", "[paper#one]")})
    assert run.code == 0
    assert "content/sources/paper.yaml:10: warning: excerpt 'paper#two' is not cited by any fact, term or page" in run.err


def test_archive_in_another_encoding_is_an_error_naming_it(make_site: Callable[..., Run], site_root: Path) -> None:
    (site_root / "archive").mkdir()
    (site_root / "archive" / "paper.txt").write_bytes("하늘은 맑은 날에 파랗다. 풀은 초록색이다. 인공지능 동맹이 출범했다.".encode("euc-kr"))
    source = MINI["content/sources/paper.yaml"].replace("language: en\n", "language: en\narchive: archive/paper.txt\n")
    run = make_site({"content/sources/paper.yaml": source})
    assert run.code == 1 and "Traceback" not in run.err
    lines = run.err.splitlines()
    assert ("content/sources/paper.yaml:6: error: archive 'archive/paper.txt' is not UTF-8 text; it looks like CP949; "
            "its quotes cannot be checked") in lines, run.err
    assert "       = fix: convert it: iconv -f CP949 -t UTF-8 archive/paper.txt > utf8.txt && mv utf8.txt archive/paper.txt" in lines
    assert "not verified" not in run.err  # one problem, not a second about the same archive


def test_archive_that_is_a_folder_is_a_warning(make_site: Callable[..., Run], site_root: Path) -> None:
    (site_root / "archive.txt").mkdir()
    source = MINI["content/sources/paper.yaml"].replace("language: en\n", "language: en\narchive: archive.txt\n")
    folder = make_site({"content/sources/paper.yaml": source})
    assert "warning: archive 'archive.txt' is not a file" in folder.err


ARCHIVE = ("Lede.\nThe council said the \u201calliance\u201d would last\ntwo years \u2014 at least.\n"
           "Members may borrow up to three tools at a time, for one week.\n")
NOT_FOUND = {
    "other words": ("Members may borrow up to four tools at one time, for one week.",
                    "content/sources/paper.yaml:11: error: excerpt 'paper#two' does not occur in the archive",
                    ["       = fix: the closest passage of archive/paper.txt (line 4) differs where marked, [-archive-] {+excerpt+}:",
                     "              Members may borrow up to [-three-]{+four+} tools at [-a-]{+one+} time, for one week."]),
    "quote marks": ('the "alliance" would last two years',
                    "content/sources/paper.yaml:11: error: excerpt 'paper#two' does not occur in the archive: the archive has the "
                    "same words (line 2), with other quote marks (\u201c (U+201C) in the archive, \" in the excerpt)", []),
    "dashes and spaces": ("two years - at least.",
                          "content/sources/paper.yaml:11: error: excerpt 'paper#two' does not occur in the archive: the archive has "
                          "the same words (line 3), with other dashes (\u2014 (U+2014) in the archive, - in the excerpt)", []),
    "a space left out": ("three toolsat a time",
                         "content/sources/paper.yaml:11: error: excerpt 'paper#two' does not occur in the archive: the archive has "
                         "the same words (line 4), with other spaces (a space the excerpt leaves out)", []),
    "nothing alike": ("Quantum chromodynamics explains the strong force.",
                      "content/sources/paper.yaml:11: error: excerpt 'paper#two' does not occur in the archive",
                      ["       = fix: copy the words exactly from archive/paper.txt; no passage of it is close to this excerpt"]),
}


@pytest.mark.parametrize("name", list(NOT_FOUND))
def test_excerpt_not_in_archive_shows_the_closest_passage(make_site: Callable[..., Run], site_root: Path, name: str) -> None:
    quote, message, hint = NOT_FOUND[name]
    (site_root / "archive").mkdir(exist_ok=True)
    (site_root / "archive" / "paper.txt").write_text(ARCHIVE + "The sky is blue on clear days.\n", encoding="utf-8")
    source = MINI["content/sources/paper.yaml"].replace("language: en\n", "language: en\narchive: archive/paper.txt\n").replace(
        "    text: Grass is green.", "    text: '" + quote.replace("'", "''") + "'")
    run = make_site({"content/sources/paper.yaml": source})
    lines = run.err.splitlines()
    assert message in lines, run.err
    for line in hint:
        assert line in lines, run.err


@pytest.mark.parametrize("style", ["folded", "plain", "quoted", "literal-with-blank-line"])
def test_reference_errors_in_yaml_text_name_the_exact_line(make_site: Callable[..., Run], style: str) -> None:
    body = {
        "folded": "body: >\n  First line of text\n  and then [[term:nope]] here.\n",
        "plain": "body: First line of text\n  and then [[term:nope]] here.\n",
        "quoted": "body: \"First line of text\n  and then [[term:nope]] here.\"\n",
        "literal-with-blank-line": "body: |\n\n  First line of text\n  and then [[term:nope]] here.\n",
    }[style]
    run = make_site({"content/glossary/sky.yaml": "term: sky\nshort: Up.\n" + body})
    expected_line = {"folded": 5, "plain": 4, "quoted": 4, "literal-with-blank-line": 6}[style]
    assert f"content/glossary/sky.yaml:{expected_line}: error: unknown glossary term 'nope'" in run.err.splitlines(), run.err


def test_comma_inside_an_alias_is_a_warning(make_site: Callable[..., Run]) -> None:
    run = make_site({"content/glossary/sky.yaml": MINI["content/glossary/sky.yaml"] + "aliases: heavens, firmament\n"})
    assert "content/glossary/sky.yaml:4: warning: the alias 'heavens, firmament' contains a comma" in run.err


def test_second_h1_and_refused_links_are_warnings(make_site: Callable[..., Run]) -> None:
    run = make_site({"content/pages/intro.md": PAGE_HEAD + "# Big\n\n[click](javascript:alert(1)) and <a href=\"data:text/html,x\">x</a>\n"})
    assert run.code == 0
    lines = run.err.splitlines()
    assert "content/pages/intro.md:4: warning: a '#' heading in a page makes a second h1 (the page's title is its h1)" in lines
    assert any(line.startswith("content/pages/intro.md:6: warning: this javascript: link is not made") for line in lines)
    assert any(line.startswith("content/pages/intro.md:6: warning: this data: link is not made") for line in lines)


def test_relative_links_are_read_from_the_page_their_text_belongs_to(make_site: Callable[..., Run]) -> None:
    """A fact's text belongs to the facts page: its relative link leads to the same page wherever the card is shown."""
    facts = FACTS.replace("claim: The sky looks blue when the weather is clear.",
                          "claim: The sky looks blue, as [the introduction](../intro/) says.")
    term = "term: sky\nshort: Up.\nbody: Read [the introduction](../../intro/) and [the facts](/facts/).\n"
    run = make_site({"content/facts/nature.yaml": facts, "content/glossary/sky.yaml": term}, "build", "--strict")
    assert run.code == 0, run.err
    assert '<a href="../intro/">the introduction</a>' in run.page("facts/index.html")
    assert '<a href="./">the introduction</a>' in run.page("intro/index.html")  # the card on the page it links to
    assert '<a href="../../intro/">the introduction</a>' in run.page("glossary/sky/index.html")
    printed = run.page("print/index.html")
    assert '<a href="#page-intro">the introduction</a>' in printed and '<a href="#part-facts">the facts</a>' in printed


def test_quoting_too_much_of_an_archive_is_a_warning(make_site: Callable[..., Run], site_root: Path) -> None:
    (site_root / "archive").mkdir()
    (site_root / "archive" / "paper.txt").write_text("The sky is blue on clear days. Grass is green. " + "Other words. " * 4, encoding="utf-8")
    source = MINI["content/sources/paper.yaml"].replace("language: en\n", "language: en\narchive: archive/paper.txt\n")
    run = make_site({"content/sources/paper.yaml": source})
    assert "content/sources/paper.yaml:7: warning: the excerpts of 'paper' reproduce 46% of its archive (limit 25%)" in run.err
    relaxed = make_site({"content/sources/paper.yaml": source,
                         "content/site.yaml": MINI["content/site.yaml"] + "quote_share: 50\n"})
    assert "reproduce" not in relaxed.err


def test_a_cache_keeps_each_files_markdown_warnings_while_its_bytes_are_the_same(site_root: Path) -> None:
    from conftest import write_tree
    from explainer.cache import Cache
    from explainer.content.check import check_site
    from explainer.model import Options
    from support import site_loader

    page = "---\ntitle: Introduction\n---\n# Second title\n\nSee [this](javascript:alert(1)).\n"
    write_tree(site_root, {**MINI, "content/pages/intro.md": page})
    options, load, cache = Options(site_root / "content"), site_loader(site_root / "content"), Cache()

    def warned() -> list[str]:
        site = load()
        found = sorted(f"{p.path}:{p.line}: {p.message}" for p in check_site(site, options, cache))
        assert found == sorted(f"{p.path}:{p.line}: {p.message}" for p in check_site(site, options))  # as without a cache
        return [line for line in found if "h1" in line or "javascript" in line]

    first = warned()
    assert len(first) == 2 and warned() == first  # found, then kept
    write_tree(site_root, {"content/pages/intro.md": "---\ntitle: Introduction\n---\n\n# Second title\n"})
    assert warned() == ["content/pages/intro.md:5: a '#' heading in a page makes a second h1 (the page's title is its h1)"]
    write_tree(site_root, {"content/pages/intro.md": "---\ntitle: Introduction\n---\nNothing wrong.\n"})
    assert warned() == [] and "content/pages/intro.md" in cache.section("markdown").entries


SPOKEN = 'The minister said on Tuesday that the envoy was coming back," said the spokesman, adding more.'


@pytest.mark.parametrize(("quote", "marked"), [
    ("that the envoy was coming home", "that the envoy was coming [-back-]{+home+}"),  # not [-back," said the-]{+home+}
    ("the envoy is coming back", "the envoy [-was-]{+is+} coming back"),
    ("minister told on Tuesday that", "minister [-said-]{+told+} on Tuesday that"),
    ("xThe minister said", "[-The-]{+xThe+} minister said"),
])
def test_the_closest_passage_is_the_quotes_own_words(quote: str, marked: str) -> None:
    """A letter or two met again in the words after (or before) the quote does not widen the passage to them."""
    found = closest_passage(SPOKEN, quote)
    assert found is not None and found.marked == marked
