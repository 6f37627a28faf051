"""Quotes checked against their archives: with a cache (the preview's), what was checked before is not checked again,
and what it says is always what a check without a cache says."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import MINI, write_tree
from explainer.cache import Cache
from explainer.content import quotes
from explainer.model import Options
from support import site_loader

ARTICLE = "A reporter wrote: The sky is   blue\non clear days. Grass is green. Nothing else happened that day.\n" * 3
SOURCE = MINI["content/sources/paper.yaml"].replace("language: en\n", "language: en\narchive: paper.txt\n")


@pytest.fixture
def root(tmp_path: Path) -> Path:
    write_tree(tmp_path, {**MINI, "content/sources/paper.yaml": SOURCE, "paper.txt": ARTICLE})
    return tmp_path


def test_a_cache_checks_each_source_once_and_says_what_a_check_without_one_says(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    load, options, cache = site_loader(root / "content"), Options(root / "content"), Cache()
    checked: list[str] = []
    normalized: list[int] = []
    against, normalize = quotes._against_archive, quotes.normalize_quote

    def counted(source: quotes.Source, *args: object) -> object:
        checked.append(source.id)
        return against(source, *args)  # type: ignore[arg-type]

    def counted_normalize(text: str) -> str:
        normalized.append(len(text))
        return normalize(text)

    monkeypatch.setattr(quotes, "_against_archive", counted)
    monkeypatch.setattr(quotes, "normalize_quote", counted_normalize)

    def same_as_uncached() -> quotes.QuoteCheck:
        site = load()
        fresh = quotes.verify_quotes(site, options)
        checked.clear()
        normalized.clear()
        memoized = quotes.verify_quotes(site, options, cache)
        assert memoized == fresh
        return memoized

    first = same_as_uncached()
    assert first.problems == () and first.by_archive == 2 and checked == ["paper"]
    again = same_as_uncached()
    assert again == first and checked == [] and normalized == []  # nothing read again but the bytes

    # each thing the check reads, changed: the excerpt, the archive's words, its lines only (a hint names a line), the limit
    red = SOURCE.replace("Grass is green.", "Grass is red.")
    changes = [
        ("content/sources/paper.yaml", red),  # not in the archive
        ("paper.txt", "\n\n\n" + ARTICLE),  # the same words to compare, on other lines: the hint names another line
        ("paper.txt", ARTICLE.replace("Grass is green.", "Grass is red.")),  # the words, found
        ("content/site.yaml", MINI["content/site.yaml"] + "quote_share: 1\n"),  # the share an excerpt may take
        ("content/sources/paper.yaml", red.replace("excerpts:\n", "# the excerpts\nexcerpts:\n")),
        # the line of `excerpts:` (which the share warning names) moved, every excerpt's line kept: the sources are equal
        ("content/sources/paper.yaml", red.replace("excerpts:\n", "excerpts:\n# the excerpts\n")),
    ]
    for path, text in changes:
        write_tree(root, {path: text})
        result = same_as_uncached()
        assert checked == ["paper"], path
        assert result != first, path
        first = result
    assert [problem.message for problem in first.problems] == ["the excerpts of 'paper' reproduce 15% of its archive (limit 1%)"]
    assert first.problems[0].line == SOURCE.splitlines().index("excerpts:") + 1  # the comment is below it now


def test_an_archive_read_again_after_its_limit_changed_is_refused_as_without_a_cache(root: Path) -> None:
    from explainer import limits

    site, options, cache = site_loader(root / "content")(), Options(root / "content"), Cache()
    assert quotes.verify_quotes(site, options, cache).problems == ()
    with limits.applied((("ARCHIVE_BYTES", 16),)):
        small = quotes.verify_quotes(site, options, cache)
        assert small == quotes.verify_quotes(site, options)
    assert any("too large" in problem.message for problem in small.problems)
