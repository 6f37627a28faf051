"""The record's dates: corrections, pages' published/updated, archived copies; one mini-site per message, exact lines."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import MINI, Run
from explainer.content.history import read_wayback
from explainer.model import PartialDate

SITE = MINI["content/site.yaml"]
SOURCE = MINI["content/sources/paper.yaml"]
FACTS = MINI["content/facts/nature.yaml"]
TERM = MINI["content/glossary/sky.yaml"]
PAGE = MINI["content/pages/intro.md"]
ROOMY = {"content/site.yaml": SITE + "quote_share: 100\n"}  # these archives are a sentence or two: quoting most of them is the point
WAYBACK = "https://web.archive.org/web/20231206120000/https://example.org/paper"


def with_source(*lines: str) -> dict[str, str]:
    """The mini site's source with lines added after `language:` (line 6 onwards)."""
    return {"content/sources/paper.yaml": SOURCE.replace("language: en\n", "language: en\n" + "".join(f"{line}\n" for line in lines))}


def with_fact_corrections(*lines: str) -> dict[str, str]:
    """The grass fact (claim on line 8) with `corrections:` after its evidence (line 10 onwards)."""
    return {"content/facts/nature.yaml": FACTS + "    corrections:\n" + "".join(f"      {line}\n" for line in lines)}


def with_page(*front: str) -> dict[str, str]:
    """The intro page with front matter lines after `summary:` (line 4 onwards)."""
    return {"content/pages/intro.md": PAGE.replace("summary: Where it starts.\n", "summary: Where it starts.\n" + "".join(f"{f}\n" for f in front))}


ERRORS = {
    "a correction without its reason": (
        with_fact_corrections("- date: 2024-01-02", "  change: It said grass is blue."),
        "content/facts/nature.yaml:11: error: missing required key 'reason' in correction",
    ),
    "a correction key misspelt": (
        with_fact_corrections("- date: 2024-01-02", "  change: It said grass is blue.", "  reasons: A reader wrote."),
        "content/facts/nature.yaml:13: error: unknown key 'reasons' in correction",
    ),
    "corrections not a list": (
        with_fact_corrections("date: 2024-01-02"),
        "content/facts/nature.yaml:10: error: 'corrections' must be a list of corrections, not a mapping",
    ),
    "a correction dated to the month": (
        with_fact_corrections("- date: 2024-01", "  change: It said grass is blue.", "  reason: A reader wrote."),
        "content/facts/nature.yaml:11: error: a correction's date must be a day, such as 2024-05-02, not 2024-01",
    ),
    "a term's correction not a real date": (
        {"content/glossary/sky.yaml": TERM + "corrections:\n  - date: 2024-02-30\n    change: x\n    reason: y\n"},
        "content/glossary/sky.yaml:5: error: '2024-02-30' is not a real date (day is out of range for month)",
    ),
    "a page's correction referring to an unknown fact": (
        with_page("corrections:", "  - date: 2024-01-02", "    change: See [[fact:skies|the fact]].", "    reason: Typo."),
        "content/pages/intro.md:6: error: unknown fact 'skies'",
    ),
    "a page updated to the month": (
        with_page("updated: 2024-03"),
        "content/pages/intro.md:4: error: `updated` must be a day, such as 2024-03-10, not 2024-03",
    ),
    "a page updated before it was published": (
        with_page("published: 2024-03-10", "updated: 2024-03-09"),
        "content/pages/intro.md:5: error: `updated` (2024-03-09) is before the page was first published (2024-03-10)",
    ),
    "a site published in a year": (
        {"content/site.yaml": SITE + "published: 2024\n"},
        "content/site.yaml:6: error: `published` must be a day, such as 2024-03-10",
    ),
    "an archived copy without the original": (
        with_source(f"archive_url: {WAYBACK}"),
        "content/sources/paper.yaml:6: error: an archived copy needs the original's address as well",
    ),
    "an archived copy at the original's address": (
        with_source("url: https://example.org/paper", "archive_url: http://www.example.org/paper/", "archive_date: 2024-01-01"),
        "content/sources/paper.yaml:7: error: `archive_url` is the same address as `url`",
    ),
    "an archive that does not say when": (
        with_source("url: https://example.org/paper", "archive_url: https://archive.ph/AbCdE"),
        "content/sources/paper.yaml:7: error: the archived copy needs a date: this address does not say when it was made",
    ),
    "a Wayback timestamp that is no date": (
        with_source("url: https://example.org/paper", "archive_url: https://web.archive.org/web/20231345000000/https://example.org/paper"),
        "content/sources/paper.yaml:7: error: the Wayback Machine address has a timestamp that is no date",
    ),
    "a Wayback address without a day": (
        with_source("url: https://example.org/paper", "archive_url: https://web.archive.org/web/2023/https://example.org/paper"),
        "content/sources/paper.yaml:7: error: the Wayback Machine address gives no day (its timestamp is shorter than YYYYMMDD)",
    ),
    "an archive date the address contradicts": (
        with_source("url: https://example.org/paper", f"archive_url: {WAYBACK}", "archive_date: 2023-12-08"),
        "content/sources/paper.yaml:8: error: `archive_date` (2023-12-08) is not the day in the archive's address (2023-12-06)",
    ),
    "an archive date without an archive": (
        with_source("archive_date: 2023-12-08"),
        "content/sources/paper.yaml:6: error: `archive_date` without `archive_url`",
    ),
    "an archive address that is no URL": (
        with_source("url: https://example.org/paper", "archive_url: web.archive.org/web/20231206/x"),
        "content/sources/paper.yaml:7: error: 'archive_url' must be an http:// or https:// URL, not 'web.archive.org/web/20231206/x'",
    ),
}

WARNINGS = {
    "a correction before the site was published": (
        {"content/site.yaml": SITE + "published: 2024-03-10\n",
         **with_fact_corrections("- date: 2024-01-02", "  change: It said grass is blue.", "  reason: A reader wrote.")},
        "content/facts/nature.yaml:11: warning: a correction of fact 'grass' is dated 2024-01-02, before it was first published (2024-03-10)",
    ),
    "an archive of another page": (
        with_source("url: https://example.org/paper", "archive_url: https://web.archive.org/web/20231206120000/https://example.org/other"),
        "content/sources/paper.yaml:7: warning: the archived copy is of another address (https://example.org/other) than `url`",
    ),
    "an archive older than its source": (
        with_source("url: https://example.org/paper", "archive_url: https://web.archive.org/web/20231201000000/https://example.org/paper"),
        "content/sources/paper.yaml:7: warning: the archived copy (2023-12-01) is older than the source (2023-12-05)",
    ),
}


@pytest.mark.parametrize("name", list(ERRORS))
def test_each_history_error_names_file_line_and_message(make_site: Callable[..., Run], name: str) -> None:
    changes, expected = ERRORS[name]
    run = make_site(changes)
    assert run.code == 1, run.err
    assert expected in run.err.splitlines(), run.err


@pytest.mark.parametrize("name", list(WARNINGS))
def test_each_history_warning_names_file_line_and_strict_fails(make_site: Callable[..., Run], name: str) -> None:
    changes, expected = WARNINGS[name]
    run = make_site(changes)
    assert run.code == 0, run.err
    assert expected in run.err.splitlines(), run.err
    assert make_site(changes, "build", "--strict").code == 1


def test_a_well_formed_record_builds_under_strict(make_site: Callable[..., Run]) -> None:
    changes = {
        "content/site.yaml": SITE + "published: 2023-12-06\n",
        **with_source("url: https://example.org/paper", f"archive_url: {WAYBACK}"),
        **with_fact_corrections("- date: 2024-01-02", "  change: It said *grass* is blue.", "  reason: A reader wrote."),
        **with_page("published: 2023-12-07", "updated: 2024-02-01",
                    "corrections:", "  - date: 2024-02-01", "    change: Named the [[fact:sky|sky fact]].", "    reason: It was unclear."),
        "content/glossary/sky.yaml": TERM + "corrections:\n  - date: 2024-02-03\n    change: Said 'above'.\n    reason: Was 'below'.\n",
    }
    run = make_site(changes, "build", "--strict")
    assert run.code == 0, run.err


@pytest.mark.parametrize(("url", "date", "original"), [
    ("https://web.archive.org/web/20231207031500/https://www.donga.com/news/1", PartialDate(2023, 12, 7), "https://www.donga.com/news/1"),
    ("http://web.archive.org/web/20231207id_/https://example.org/a?b=c", PartialDate(2023, 12, 7), "https://example.org/a?b=c"),
    ("https://web.archive.org/web/202312/https://example.org/", PartialDate(2023, 12), "https://example.org/"),
    ("https://web.archive.org/web/20230230000000/https://example.org/", None, "https://example.org/"),
])
def test_wayback_addresses_are_read(url: str, date: PartialDate | None, original: str) -> None:
    archived = read_wayback(url)
    assert archived is not None
    assert (archived.date, archived.original) == (date, original)


@pytest.mark.parametrize("url", ["https://archive.ph/AbCdE", "https://web.archive.org/save/https://example.org/",
                                 "https://example.org/web/20231207000000/https://example.org/"])
def test_other_addresses_are_no_wayback_copies(url: str) -> None:
    assert read_wayback(url) is None


def test_an_excerpt_a_link_cannot_find_is_a_warning(make_site: Callable[..., Run], site_root: Path) -> None:
    """Where a source has a url, its excerpts link to their words: words that start inside a word are never found."""
    (site_root / "archive").mkdir()
    (site_root / "archive" / "paper.txt").write_text("The bluesky is blue on clear days. Grass is green.", encoding="utf-8")
    source = SOURCE.replace("language: en\n", "language: en\narchive: archive/paper.txt\nurl: https://example.org/paper\n")
    run = make_site({"content/sources/paper.yaml": source.replace("The sky is blue on clear days.", "sky is blue on clear days."), **ROOMY})
    assert ("content/sources/paper.yaml:10: warning: the link to excerpt 'paper#one' cannot find its words in the original: "
            "they start or end inside the word ‘bluesky’") in run.err.splitlines(), run.err
    assert make_site({"content/sources/paper.yaml": source.replace("The sky is blue on clear days.", "bluesky is blue"), **ROOMY}).err == ""
    without_url = source.replace("url: https://example.org/paper\n", "")
    assert make_site({"content/sources/paper.yaml": without_url.replace("The sky is blue on clear days.", "sky is blue"), **ROOMY}).err == ""


def test_a_korean_excerpt_may_stop_before_its_particle(make_site: Callable[..., Run], site_root: Path) -> None:
    """전략 of 전략이다 is found without its last word; one word cut short is not found at all."""
    (site_root / "archive").mkdir()
    (site_root / "archive" / "paper.txt").write_text("기술 공유로 속도를 내겠다는 전략이다. 잔디는 초록이다.", encoding="utf-8")
    source = SOURCE.replace("language: en\n", "language: ko\narchive: archive/paper.txt\nurl: https://example.org/paper\n")
    two_words = source.replace("The sky is blue on clear days.", "속도를 내겠다는 전략").replace("Grass is green.", "잔디는 초록이다.")
    assert make_site({"content/sources/paper.yaml": two_words, **ROOMY}).err == ""
    one_word = two_words.replace("속도를 내겠다는 전략", "전략")
    run = make_site({"content/sources/paper.yaml": one_word, **ROOMY})
    assert "they start or end inside the word ‘전략이다.’" in run.err, run.err
