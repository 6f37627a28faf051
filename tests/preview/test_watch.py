"""The watcher's bursts: changes that come together are reported once (no timing in the test: the batches
are all waiting before the burst thread looks)."""

from __future__ import annotations

from pathlib import Path

from explainer.preview.watch import Watcher


def test_batches_waiting_together_are_one_burst(tmp_path: Path) -> None:
    bursts: list[set[Path]] = []
    watcher = Watcher([tmp_path], bursts.append)
    for number in range(20):  # twenty saves, handed over by the watching thread before the burst thread runs
        watcher.changes.put({tmp_path / f"page-{number}.md"})
    watcher.changes.put(None)  # the watching thread has stopped
    watcher.gather()
    assert bursts == [{tmp_path / f"page-{number}.md" for number in range(20)}]


def test_output_folder_and_editor_files_are_not_changes(tmp_path: Path) -> None:
    import watchfiles

    watcher = Watcher([tmp_path], lambda paths: None, ignore=[tmp_path / "site"])
    assert watcher.wanted(watchfiles.Change.modified, str(tmp_path / "content" / "page.md"))
    assert not watcher.wanted(watchfiles.Change.modified, str(tmp_path / "site" / "index.html"))
    assert not watcher.wanted(watchfiles.Change.modified, str(tmp_path / "content" / ".page.md.swp"))


def test_the_quote_lock_a_build_writes_is_not_a_change(tmp_path: Path) -> None:
    import watchfiles

    lock = tmp_path / "content" / "quotes.lock"
    watcher = Watcher([tmp_path], lambda paths: None, ignore=[tmp_path / "site", lock])
    assert not watcher.wanted(watchfiles.Change.modified, str(lock))
    assert not watcher.wanted(watchfiles.Change.added, str(tmp_path / "content" / ".quotes.lock.k2j4x9"))  # its atomic write
    assert watcher.wanted(watchfiles.Change.modified, str(tmp_path / "content" / "quotes.lock.txt"))
    assert watcher.wanted(watchfiles.Change.modified, str(tmp_path / "content" / "sources" / ".quotes.lock.k2j4x9"))
