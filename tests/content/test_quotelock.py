"""The quote lock: written when quotes are verified against their archives, and standing in for an absent archive."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import MINI, Run, run_cli, write_tree
from explainer.content.quotelock import format_lock, read_lock, text_hash
from explainer.content.quotes import normalize_quote

ARTICLE = "A reporter wrote: The sky is   blue\non clear days. Grass is green. Nothing else happened that day, said another. " * 3
SOURCE = MINI["content/sources/paper.yaml"].replace("language: en\n", "language: en\narchive: paper.txt\n")
SITE = MINI["content/site.yaml"] + "archives: ../articles\n"
LOCK = "content/quotes.lock"


@pytest.fixture
def locked(tmp_path: Path) -> Callable[..., Run]:
    """A site whose archive sits outside it (../articles), built once with the archive, then the archive taken away."""
    site = tmp_path / "site"
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "paper.txt").write_text(ARTICLE, encoding="utf-8")
    files: dict[str, str | None] = {**MINI, "content/site.yaml": SITE, "content/sources/paper.yaml": SOURCE}
    write_tree(site, files)
    first = run_cli(site, "build", "--strict")
    assert first.code == 0, first.err
    assert f"Recorded 2 quotes verified against their archives in {LOCK}; commit it." in first.out
    (articles / "paper.txt").unlink()

    def build(changes: dict[str, str | None] | None = None, *args: str) -> Run:
        write_tree(site, changes or {})
        return run_cli(site, *(args or ("build",)))

    return build


def test_the_lock_records_hashes_and_positions_and_no_words_of_the_archive(locked: Callable[..., Run], tmp_path: Path) -> None:
    text = (tmp_path / "site" / LOCK).read_text(encoding="utf-8")
    lock, problem = read_lock(tmp_path / "site" / LOCK, LOCK)
    assert problem is None
    record = lock["paper"]
    archive = normalize_quote(ARTICLE)
    assert record.archive == "paper.txt" and record.sha256 == text_hash(archive) and record.characters == len(archive)
    assert record.excerpts["one"].at == archive.index("The sky is blue on clear days.")
    assert record.excerpts["two"].sha256 == text_hash("Grass is green.")
    assert "reporter" not in text and "Nothing else" not in text and "Grass" not in text
    assert format_lock(lock) == text  # read back, it writes the same bytes


def test_without_the_archive_unchanged_quotes_build_with_no_warning_under_strict(locked: Callable[..., Run]) -> None:
    run = locked({}, "build", "--strict")
    assert run.code == 0, run.err
    assert run.err == ""
    assert "Recorded" not in run.out  # nothing new was verified: the lock is left as it was


def test_without_the_archive_a_changed_or_new_excerpt_is_reported(locked: Callable[..., Run]) -> None:
    changed = SOURCE.replace("Grass is green.", "Grass is greener.") + "  - id: three\n    text: Nothing else happened.\n"
    facts = MINI["content/facts/nature.yaml"].replace("[paper#two]", "[paper#two, paper#three]")
    run = locked({"content/sources/paper.yaml": changed, "content/facts/nature.yaml": facts})
    assert run.code == 0, run.err
    lines = run.err.splitlines()
    assert ("content/sources/paper.yaml:11: warning: excerpt 'paper#two' changed since it was verified against archive "
            f"'paper.txt' ({LOCK}), and the archive is absent") in lines
    assert ("content/sources/paper.yaml:13: warning: excerpt 'paper#three' was never verified against archive "
            f"'paper.txt' ({LOCK}), and the archive is absent") in lines
    assert "undo the change" in run.err and "archive folder: `archives: ../articles` in site.yaml" in run.err
    strict = locked({}, "check", "--strict")
    assert strict.code == 1
    assert strict.err.count(": error: excerpt 'paper#") == 2


def test_a_removed_excerpt_leaves_the_lock_without_the_archive(locked: Callable[..., Run], tmp_path: Path) -> None:
    fewer = SOURCE.replace("  - id: two\n    text: Grass is green.\n", "")
    run = locked({"content/sources/paper.yaml": fewer, "content/facts/nature.yaml": MINI["content/facts/nature.yaml"].replace(
        "[paper#two]", "[paper#one]")}, "build", "--strict")
    assert run.code == 0, run.err
    assert f"Updated {LOCK}: excerpts no longer in the content were left out; commit it." in run.out
    lock, _ = read_lock(tmp_path / "site" / LOCK, LOCK)
    assert sorted(lock["paper"].excerpts) == ["one"]


def test_an_archive_renamed_while_absent_is_not_vouched_for(locked: Callable[..., Run]) -> None:
    run = locked({"content/sources/paper.yaml": SOURCE.replace("archive: paper.txt", "archive: papers.txt")})
    assert ("content/sources/paper.yaml:6: warning: archive 'papers.txt' not found; quotes of 'paper' are not verified "
            "(the lock verified them against 'paper.txt')") in run.err.splitlines()


def test_the_share_of_an_archive_quoted_is_measured_from_the_lock(make_site: Callable[..., Run], site_root: Path) -> None:
    (site_root / "paper.txt").write_text("The sky is blue on clear days. Grass is green. " + "Other words. " * 4, encoding="utf-8")
    with_archive = make_site({"content/sources/paper.yaml": SOURCE})
    expected = "content/sources/paper.yaml:7: warning: the excerpts of 'paper' reproduce 46% of its archive (limit 25%)"
    assert expected in with_archive.err.splitlines()
    (site_root / "paper.txt").unlink()
    without = make_site({"content/sources/paper.yaml": SOURCE})
    assert expected in without.err.splitlines() and "not verified" not in without.err


def test_a_damaged_lock_matters_only_where_an_archive_is_absent(locked: Callable[..., Run], tmp_path: Path) -> None:
    path = tmp_path / "site" / LOCK
    good = path.read_text(encoding="utf-8")
    conflicted = good.replace("sources:\n", "sources:\n<<<<<<< HEAD\n=======\n>>>>>>> other\n", 1)
    path.write_text(conflicted, encoding="utf-8")
    run = locked({})
    line = conflicted.splitlines().index("<<<<<<< HEAD") + 1
    assert f"{LOCK}:{line}: warning: the quote lock is damaged: it holds an unresolved merge conflict; quotes whose " \
           "archive is absent are not verified" in run.err.splitlines(), run.err
    assert "archive 'paper.txt' not found; quotes of 'paper' are not verified" in run.err
    assert path.read_text(encoding="utf-8") == conflicted and "Updated" not in run.out  # kept for whoever has the archive
    path.write_text(good.replace("version: 1", "version: 1\nsources: {}"), encoding="utf-8")
    duplicate = locked({})
    assert f"{LOCK}:8: warning: the quote lock is damaged: duplicate key 'sources' (first given on line 7); quotes whose " \
           "archive is absent are not verified" in duplicate.err.splitlines(), duplicate.err
    (tmp_path / "articles" / "paper.txt").write_text(ARTICLE, encoding="utf-8")  # with the archive: written again, silently
    again = locked({}, "build", "--strict")
    assert again.code == 0 and again.err == "", again.err
    assert path.read_text(encoding="utf-8") == good


def test_explainer_archives_overrides_the_folder_in_site_yaml(locked: Callable[..., Run], tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    private = tmp_path / "private"
    private.mkdir()
    (private / "paper.txt").write_text("Only the sky is blue on clear days.", encoding="utf-8")
    monkeypatch.setenv("EXPLAINER_ARCHIVES", str(private))
    run = locked({})
    assert "content/sources/paper.yaml:11: error: excerpt 'paper#two' does not occur in the archive" in run.err.splitlines()
    monkeypatch.setenv("EXPLAINER_ARCHIVES", str(tmp_path / "nowhere"))
    absent = locked({}, "check", "--strict")
    assert absent.code == 0, absent.err  # absent there too: the lock vouches


@pytest.mark.parametrize("excerpt_id", ["no", "on", "2024", "null"])
def test_ids_yaml_would_misread_survive_the_lock(make_site: Callable[..., Run], site_root: Path, excerpt_id: str) -> None:
    (site_root / "paper.txt").write_text(ARTICLE, encoding="utf-8")
    source = SOURCE.replace("id: two", f"id: '{excerpt_id}'")
    facts = MINI["content/facts/nature.yaml"].replace("[paper#two]", f"[paper#{excerpt_id}]")
    run = make_site({"content/sources/paper.yaml": source, "content/facts/nature.yaml": facts}, "build", "--strict")
    assert run.code == 0, run.err
    lock, problem = read_lock(site_root / LOCK, LOCK)
    assert problem is None and sorted(lock["paper"].excerpts) == sorted(["one", excerpt_id])


def test_the_lock_is_written_by_check_and_only_when_it_changes(make_site: Callable[..., Run], site_root: Path) -> None:
    (site_root / "paper.txt").write_text(ARTICLE, encoding="utf-8")
    first = make_site({"content/sources/paper.yaml": SOURCE}, "check")
    assert f"Recorded 2 quotes verified against their archives in {LOCK}; commit it." in first.out
    before = (site_root / LOCK).stat().st_mtime_ns
    again = make_site({"content/sources/paper.yaml": SOURCE}, "check")
    assert "Recorded" not in again.out and (site_root / LOCK).stat().st_mtime_ns == before
    assert not (site_root / "site").exists()


def test_no_lock_is_made_for_a_site_without_archives(make_site: Callable[..., Run], site_root: Path) -> None:
    run = make_site({}, "build", "--strict")
    assert run.code == 0 and not (site_root / LOCK).exists()


def test_a_lock_that_cannot_be_written_is_a_warning(make_site: Callable[..., Run], site_root: Path) -> None:
    (site_root / "paper.txt").write_text(ARTICLE, encoding="utf-8")
    (site_root / LOCK).mkdir(parents=True)  # a folder where the file should be
    run = make_site({"content/sources/paper.yaml": SOURCE})
    assert run.code == 0, run.err
    assert f"{LOCK}: warning: cannot write the quote lock" in run.err
    strict = make_site({"content/sources/paper.yaml": SOURCE}, "build", "--strict")
    assert strict.code == 1 and f"{LOCK}: error: cannot write the quote lock" in strict.err


def test_a_cache_keeps_the_lock_as_read_and_formatted_while_its_text_is_the_same(
        locked: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the preview reads and compares the lock at every rebuild: parsed once per text (and limits), formatted once per lock
    from explainer import limits
    from explainer.cache import Cache
    from explainer.content import quotelock

    path = tmp_path / "site" / LOCK
    parsed: list[str] = []
    formatted: list[object] = []
    parse, format_ = quotelock.parse_lock, quotelock.format_lock

    def counted_parse(text: str, shown: str) -> tuple[quotelock.Lock, object]:
        parsed.append(text)
        return parse(text, shown)

    def counted_format(lock: quotelock.Lock) -> str:
        formatted.append(lock)
        return format_(lock)

    monkeypatch.setattr(quotelock, "parse_lock", counted_parse)
    monkeypatch.setattr(quotelock, "format_lock", counted_format)
    memo = quotelock.lock_memo(Cache())
    first, problem = quotelock.read_lock(path, LOCK, memo)
    assert problem is None and quotelock.read_lock(path, LOCK, memo)[0] is first and len(parsed) == 1
    assert not quotelock.save_lock(first, path, memo) and not quotelock.save_lock(dict(first), path, memo)
    assert len(formatted) == 1  # compared with the file once, then known to be its text
    with limits.applied((("YAML_NODES", 5),)):  # what parses depends on the limits in force
        shrunk, damage = quotelock.read_lock(path, LOCK, memo)
    assert shrunk == {} and damage is not None and len(parsed) == 2
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("version: 1", "version:   1"), encoding="utf-8")  # the same lock, written by hand
    again, _ = quotelock.read_lock(path, LOCK, memo)
    assert again == first and len(parsed) == 3
    assert quotelock.save_lock(again, path, memo) and path.read_text(encoding="utf-8") == text  # written as explainer writes it
    fewer = {"paper": quotelock.LockedSource(first["paper"].archive, first["paper"].sha256, first["paper"].characters,
                                             {"one": first["paper"].excerpts["one"]})}
    assert quotelock.save_lock(fewer, path, memo) and quotelock.read_lock(path, LOCK)[0] == fewer
