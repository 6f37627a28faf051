"""The flagship site: it builds, its quotes are verbatim, and the generator knows nothing of its topic."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, run_cli
from explainer.content.load import load_site
from explainer.content.quotelock import format_lock
from explainer.content.quotes import normalize_quote, verify_quotes
from explainer.model import Options, Site
from support import articles_dir


@pytest.fixture(scope="module")
def site() -> Site:
    loaded, problems = load_site(Options(content_dir=ROOT / "content"))
    assert loaded is not None, problems
    assert not [p for p in problems if p.severity == "error"], problems
    return loaded


def test_flagship_builds_twice_byte_identically(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    first = run_cli(tmp_path, "build", "--out", "one")
    second = run_cli(tmp_path, "build", "--out", "two")
    assert first.code == 0 and second.code == 0, first.err
    one = {p.relative_to(tmp_path / "one"): p.read_bytes() for p in (tmp_path / "one").rglob("*") if p.is_file()}
    two = {p.relative_to(tmp_path / "two"): p.read_bytes() for p in (tmp_path / "two").rglob("*") if p.is_file()}
    assert one == two
    assert len([p for p in one if p.suffix == ".html"]) >= 10


def test_a_fresh_clone_builds_with_no_warning_under_strict(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A clone has content/ (and its quotes.lock) but no ../shared/articles beside it: the lock vouches for every quote.
    monkeypatch.delenv("EXPLAINER_ARCHIVES", raising=False)
    clone = tmp_path / "deep" / "clone"
    shutil.copytree(ROOT / "content", clone / "content")
    run = run_cli(clone, "build", "--strict")
    assert run.code == 0, run.err
    assert run.err == ""
    assert (clone / "content" / "quotes.lock").read_bytes() == (ROOT / "content" / "quotes.lock").read_bytes()


def test_every_excerpt_occurs_verbatim_in_its_article(site: Site) -> None:
    folder = articles_dir()
    if folder is None:
        # Without the articles (a public CI sets EXPLAINER_ARTICLES=none) the lock is what vouches for the quotes.
        if os.environ.get("CI") and os.environ.get("EXPLAINER_ARTICLES") != "none":
            pytest.fail("../shared/articles (or $EXPLAINER_ARTICLES) is missing: the quotes cannot be verified "
                        "(set EXPLAINER_ARTICLES=none where the articles cannot be, to verify through content/quotes.lock)")
        checked = verify_quotes(site, Options(content_dir=ROOT / "content", archives=ROOT / "no-articles-here"))
        assert checked.problems == () and checked.by_lock == sum(len(s.excerpts) for s in site.sources)
        return
    checked = 0
    for source in site.sources:
        assert source.archive, f"{source.id} names no archive file"
        text = normalize_quote((folder / Path(source.archive).name).read_text(encoding="utf-8"))
        for excerpt in source.excerpts:
            assert normalize_quote(excerpt.text) in text, f"{source.id}#{excerpt.id} is not verbatim in {source.archive}"
            checked += 1
    assert checked >= 10


def test_the_committed_quote_lock_is_up_to_date(site: Site) -> None:
    folder = articles_dir()
    if folder is None:
        pytest.skip("without the articles the lock cannot be recomputed (test_every_excerpt_occurs_verbatim_in_its_article checks it)")
    checked = verify_quotes(site, Options(content_dir=ROOT / "content", archives=folder))
    assert checked.by_archive == sum(len(s.excerpts) for s in site.sources)
    assert format_lock(checked.lock) == (ROOT / "content" / "quotes.lock").read_text(encoding="utf-8"), \
        "content/quotes.lock is out of date: build the flagship with the articles and commit it"


def test_foundation_content_minimums(site: Site) -> None:
    assert len(site.sources) == 5
    assert all(len(s.excerpts) >= 2 for s in site.sources)
    forms = {form for term in site.terms for form in term.forms}
    for term, english in (("프레너미", "Frenemy"), ("온디바이스 AI", "On-Device AI"), ("파운드리", "Foundry"), ("팹리스", "Fabless")):
        assert term in forms and english in forms
    assert len(site.facts) >= 10
    assert all(fact.evidence for fact in site.facts)
    assert "overview" in site.page_by_slug
    assert not any(source.url for source in site.sources), "no original URL is in the articles; none may be invented"


def test_generator_and_theme_know_nothing_of_the_topic(site: Site) -> None:
    words: set[str] = set()
    for term in site.terms:
        words.update(form for form in term.forms if len(form) >= 3)
    for source in site.sources:
        words.update(w for w in (source.outlet, source.author.split(" ")[0]) if len(w) >= 2)
    words.update({site.config.title, "얼라이언스", "엔비디아", "저커버그", "르쾽", "IBM"})
    # Latin words (LLM, AGI) count only as whole words: "staging" does not mention AGI; and a form in
    # capitals only in capitals, as the glossary matches it: Chromium's --disable-gpu is not the term GPU.
    def piece(word: str) -> str:
        if not word.isascii():
            return re.escape(word)
        body = re.escape(word) if word == word.upper() else f"(?i:{re.escape(word)})"
        return rf"(?<![A-Za-z0-9]){body}(?![A-Za-z0-9])"

    pattern = re.compile("|".join(piece(w) for w in sorted(words, key=len, reverse=True)))
    offenders = []
    for folder in ("explainer", "templates"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and path.suffix in (".py", ".html", ".css", ".js", ".yaml", ".txt"):
                for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                    match = pattern.search(line)
                    if match:
                        offenders.append(f"{path.relative_to(ROOT)}:{number}: {match.group()}")
    assert not offenders, "topic words in the generator:\n" + "\n".join(offenders)
