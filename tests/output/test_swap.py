"""The published folder always holds a whole site: swapped in one atomic exchange, put right after a
killed build, written by one build at a time, and the system's refusals (a full or read-only disk, a
folder that cannot be made) reported as such, exit status 2, with the old site kept."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import MINI, Run, run_cli, write_tree
from explainer.model import Output
from explainer.output import swap, write
from explainer.output.lock import OutputBusy, OutputLock
from support import snapshot

# A reader in a process of its own (no lock shared with the writer): it counts every moment it
# finds no site/index.html, or finds one whose marker is missing, until told to stop.
READER = """
import os, sys
site, stop = sys.argv[1], sys.argv[2]
looks = missing = 0
while not os.path.exists(stop):
    looks += 1
    if not (os.path.isfile(os.path.join(site, "index.html")) and os.path.isfile(os.path.join(site, ".explainer"))):
        missing += 1
print(looks, missing)
"""


def site_of(number: int, pages: int = 50) -> list[Output]:
    """A site whose every file says which build wrote it."""
    return [Output("index.html", f"build {number}".encode()),
            *(Output(f"page-{page}/index.html", f"build {number} page {page}".encode()) for page in range(pages))]


def ours(folder: Path) -> list[str]:
    """Our temporary folders beside `folder`."""
    return sorted(path.name for path in folder.parent.iterdir() if swap.kind_of(path.name, folder))


def test_a_reader_never_finds_the_site_missing_during_builds(tmp_path: Path) -> None:
    # With two renames a reader polling during 6 builds found no site/ 3 times.
    out = tmp_path / "site"
    write.write_site(site_of(0), out)
    stop = tmp_path / "stop"
    reader = subprocess.Popen([sys.executable, "-c", READER, str(out), str(stop)], stdout=subprocess.PIPE, text=True)
    try:
        time.sleep(0.2)
        for number in range(1, 41):
            write.write_site(site_of(number), out)
    finally:
        stop.touch()
        looks, missing = map(int, reader.communicate(timeout=30)[0].split())
    assert looks > 1000 and missing == 0, (looks, missing)
    assert (out / "index.html").read_bytes() == b"build 40"
    swap.finish_removals()  # old sites are removed in the background
    assert ours(out) == []


def test_an_old_site_is_removed_in_the_background_and_gone_when_the_command_returns(tmp_path: Path,
                                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "site"
    write.write_site(site_of(1), out)
    removing = threading.Event()
    rmtree = swap.shutil.rmtree
    monkeypatch.setattr(swap.shutil, "rmtree", lambda path, **kw: removing.wait(10) and rmtree(path, **kw))
    write.write_site(site_of(2), out)  # returns while the old site is still being removed
    assert (out / "index.html").read_bytes() == b"build 2"
    assert [name.split("-")[0] for name in ours(out)] == [".site.del"]
    removing.set()
    swap.finish_removals()
    assert ours(out) == []


def test_a_command_waits_for_the_folders_it_removes(tmp_path: Path) -> None:
    write_tree(tmp_path, MINI)
    for _ in range(2):
        assert run_cli(tmp_path, "build", "--no-cache").code == 0
        assert ours(tmp_path / "site") == []
        assert not swap._REMOVALS


def test_where_the_system_cannot_exchange_two_renames_do(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(swap, "exchange", lambda first, second: False)
    out = tmp_path / "site"
    write.write_site(site_of(1), out)
    write.write_site(site_of(2), out)
    swap.finish_removals()
    assert (out / "index.html").read_bytes() == b"build 2" and ours(out) == []


def test_exchange_swaps_two_folders_or_says_it_cannot(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "f").write_text("a", encoding="utf-8")
    (tmp_path / "b").mkdir()
    if not swap.exchange(tmp_path / "a", tmp_path / "b"):
        pytest.skip("this system or file system cannot exchange; the fallback is tested above")
    assert (tmp_path / "b" / "f").read_text(encoding="utf-8") == "a" and not any((tmp_path / "a").iterdir())
    with pytest.raises(FileNotFoundError):
        swap.exchange(tmp_path / "a", tmp_path / "missing")


def test_a_build_killed_between_two_renames_is_put_right_by_the_next_even_a_failing_one(make_site: Callable[..., Run],
                                                                                       site_root: Path) -> None:
    good = make_site()
    before = snapshot(good.site)
    # the fallback's first rename done, the second not: no site/, the old one beside it, the new one staged
    good.site.rename(site_root / ".site.old-0123abcd")
    (site_root / ".site.new-4567cdef").mkdir()
    (site_root / ".site.new-4567cdef" / write.MARKER).write_bytes(write.MARKER_TEXT)
    failed = make_site({"content/glossary/sky.yaml": "term: [\n"})
    assert failed.code == 1
    assert snapshot(good.site) == before
    assert ours(good.site) == []


def test_only_our_own_leftovers_are_removed(make_site: Callable[..., Run], site_root: Path) -> None:
    make_site()
    leftovers = {
        ".site.new-0000aaaa": {write.MARKER: "x", "half.html": "half"},  # a staging folder cut off: ours
        ".site.old-0000bbbb": {},  # empty, as just made: ours
        ".site.del-0000cccc": {"any.html": "x"},  # being removed (its marker may be gone already): ours
        ".site.new-notours1": {write.MARKER: "x"},  # not a name we give
        ".site.new-0000dddd": {"mine.txt": "someone else's"},  # our name's shape, but no marker: not ours
        ".public.new-0000eeee": {write.MARKER: "x"},  # another output folder's
    }
    for name, files in leftovers.items():
        (site_root / name).mkdir()
        for file, text in files.items():
            (site_root / name / file).write_text(text, encoding="utf-8")
    (site_root / ".site.new-0000ffff").symlink_to(site_root / "content")  # a link, never followed
    again = make_site()
    assert again.code == 0, again.err
    left = sorted(path.name for path in site_root.iterdir() if path.name.startswith((".site", ".public")))
    assert left == [".public.new-0000eeee", ".site.lock", ".site.new-0000dddd", ".site.new-0000ffff", ".site.new-notours1"]
    assert (site_root / "content" / "site.yaml").is_file()


def test_a_second_build_into_the_same_folder_is_refused_with_who_holds_it(make_site: Callable[..., Run], site_root: Path) -> None:
    assert make_site().code == 0
    before = snapshot(site_root / "site")
    with OutputLock.take(site_root / "site", "serve"):
        second = make_site()
    assert second.code == 2
    assert second.err.startswith(f"error: {site_root / 'site'} is being written by explainer serve (process {os.getpid()}); ")
    assert snapshot(site_root / "site") == before
    assert make_site().code == 0  # released


def test_the_lock_is_released_when_its_holder_is_killed(site_root: Path) -> None:
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time; from explainer.output.lock import OutputLock; "
                               f"OutputLock.take(__import__('pathlib').Path({str(site_root / 'site')!r})); print('held', flush=True); "
                               "time.sleep(60)"], stdout=subprocess.PIPE, text=True, cwd=str(site_root.parent))
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(OutputBusy):
            OutputLock.take(site_root / "site")
    finally:
        holder.kill()
        holder.wait()
        assert holder.stdout is not None
        holder.stdout.close()
    OutputLock.take(site_root / "site").release()


def test_the_preview_holds_its_folder_while_it_runs(make_site: Callable[..., Run], site_root: Path) -> None:
    from explainer.model import Options
    from explainer.preview.rebuild import Rebuilder

    write_tree(site_root, dict(MINI))
    rebuilder = Rebuilder(Options(content_dir=site_root / "content", out_dir=site_root / "site"))
    with rebuilder.holding():
        rebuilder.build()
        refused = run_cli(site_root, "build")
        rebuilder.build()
    assert refused.code == 2 and "is being written by explainer serve" in refused.err
    assert run_cli(site_root, "build").code == 0


@pytest.mark.parametrize(("code", "words"), [(errno.ENOSPC, "No space left on device"), (errno.EROFS, "Read-only file system"),
                                             (errno.EDQUOT, "Disk quota exceeded"), (errno.EIO, "Input/output error")])
def test_a_full_or_read_only_disk_is_an_error_of_the_system_and_keeps_the_old_site(
        make_site: Callable[..., Run], site_root: Path, monkeypatch: pytest.MonkeyPatch, code: int, words: str) -> None:
    good = make_site()
    before = snapshot(good.site)
    write_bytes = Path.write_bytes

    def refuse(path: Path, data: bytes) -> int:
        if "sky" in str(path):  # midway through the site
            raise OSError(code, os.strerror(code), str(path))
        return write_bytes(path, data)

    monkeypatch.setattr(Path, "write_bytes", refuse)
    run = make_site({}, "build", "--no-cache")  # nothing changed: without --no-cache the build would write nothing
    assert run.code == 2, run.err
    assert run.err.startswith(f"error: cannot write the site to site/: {words} (")
    assert run.err.rstrip().endswith("; site/ was left as it was")
    assert "Traceback" not in run.err and "internal error" not in run.err
    assert snapshot(good.site) == before and ours(good.site) == []


@pytest.mark.parametrize("cached", [True, False])
def test_a_failed_write_is_cleared_away_before_the_command_returns(make_site: Callable[..., Run], site_root: Path,
                                                                   monkeypatch: pytest.MonkeyPatch, cached: bool) -> None:
    good = make_site()
    rmtree = swap.shutil.rmtree
    monkeypatch.setattr(swap.shutil, "rmtree", lambda path, **kw: time.sleep(0.3) or rmtree(path, **kw))  # a slow disk
    write_bytes = Path.write_bytes

    def refuse(path: Path, data: bytes) -> int:
        if "sky" in str(path):  # midway through the site
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return write_bytes(path, data)

    monkeypatch.setattr(Path, "write_bytes", refuse)
    run = make_site({"content/pages/intro.md": MINI["content/pages/intro.md"] + "\nOne more line.\n"},
                    *(("build",) if cached else ("build", "--no-cache")))
    assert run.code == 2, run.err
    assert ours(good.site) == []  # the half-written folder, removed in the background, is gone when the command returns


def test_an_output_folder_whose_parent_cannot_be_made_is_an_error_of_the_system(make_site: Callable[..., Run], site_root: Path) -> None:
    (site_root / "notes.txt").write_text("mine", encoding="utf-8")
    run = make_site({}, "build", "--out", "notes.txt/site")
    assert run.code == 2, run.err
    assert run.err == f"error: cannot write to {site_root / 'notes.txt'}: a file stands where a folder belongs; " \
                      "check that the folder can be created and written, or choose another --out\n"
    assert (site_root / "notes.txt").read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize("where", ["lock", "staging"])
def test_a_read_only_output_folder_is_an_error_of_the_system(make_site: Callable[..., Run], site_root: Path,
                                                             monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    good = make_site()
    before = snapshot(good.site)
    mkdir, open_ = Path.mkdir, os.open

    def read_only_mkdir(self: Path, mode: int = 0o777, parents: bool = False, exist_ok: bool = False) -> None:
        if self.name.startswith(".site.new-"):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(self))
        mkdir(self, mode, parents, exist_ok)

    def read_only_open(path: str | Path, flags: int, mode: int = 0o777, **kwargs: object) -> int:
        if str(path).endswith(".site.lock"):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return open_(path, flags, mode, **kwargs)  # type: ignore[arg-type]

    if where == "lock":
        monkeypatch.setattr(os, "open", read_only_open)
    else:
        monkeypatch.setattr(Path, "mkdir", read_only_mkdir)
    run = run_cli(site_root, "build", "--no-cache")  # nothing changed: without --no-cache the build would write nothing
    assert run.code == 2, run.err
    expected = (f"error: cannot write to {site_root}: Read-only file system; " if where == "lock" else
                "error: cannot write the site to site/: Read-only file system (")
    assert run.err.startswith(expected), run.err
    assert "Traceback" not in run.err and "internal error" not in run.err
    assert snapshot(good.site) == before


def test_every_top_level_name_the_build_writes_is_reserved_from_pages(make_site: Callable[..., Run]) -> None:
    from explainer.content.check import RESERVED_SLUGS

    run = make_site({"content/pages/timeline.md": "---\ntitle: Time\n---\n[[timeline]]\n"})
    assert run.code == 0, run.err
    # a page writes <slug>/index.html, and a slug has no dot: only folders can collide with one
    folders = {path.name for path in run.site.iterdir() if path.is_dir()} - {"intro", "timeline"}
    assert folders and folders <= RESERVED_SLUGS, folders - RESERVED_SLUGS
