"""The build cache on disk: a build with nothing changed writes nothing; every kind of change builds again."""

from __future__ import annotations

import os
import pickle
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import MINI, ROOT, Run, run_cli
from explainer import inputs, limits, pipeline, store, uptodate
from explainer.cache import Cache
from explainer.limits import Limit
from explainer.model import Options, Output
from explainer.store import CACHE_FOLDER, cache_folder, header

UP_TO_DATE = "is up to date"
ARCHIVED = {"content/sources/paper.yaml": (
    "title: A Paper\noutlet: The Journal\nauthor: A. Writer\npublished: 2023-12-05\nlanguage: en\narchive: paper.txt\n"
    "excerpts:\n  - id: one\n    text: The sky is blue on clear days.\n  - id: two\n    text: Grass is green.\n"),
    "paper.txt": "Some words. The sky is blue on clear days. Grass is green. More words.\n"}


@pytest.fixture(autouse=True)
def fresh_explainer_hash() -> Iterator[None]:
    """Each test hashes explainer afresh (a test may change its version)."""
    inputs.hash_explainer.cache_clear()
    yield
    inputs.hash_explainer.cache_clear()


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_build_with_nothing_changed_writes_nothing_and_says_so(make_site: Callable[..., Run]) -> None:
    first = make_site()
    assert first.code == 0 and "Built" in first.out
    before = os.stat(first.site).st_ino
    files = tree(first.site)
    again = make_site()
    assert again.code == 0 and UP_TO_DATE in again.out and "Built" not in again.out
    assert os.stat(first.site).st_ino == before  # not swapped for a new folder: nothing was written
    assert tree(first.site) == files
    assert (first.root / CACHE_FOLDER / ".gitignore").read_text(encoding="utf-8").endswith("*\n")


def test_the_same_warnings_are_reported_and_strict_fails_the_same_way(make_site: Callable[..., Run]) -> None:
    unused = {"content/sources/paper.yaml": ARCHIVED["content/sources/paper.yaml"].replace("archive: paper.txt\n", "")
              + "  - id: three\n    text: Nobody cites this.\n"}
    first = make_site(unused)
    assert first.code == 0 and "warning" in first.err
    again = make_site(unused)
    assert UP_TO_DATE in again.out and again.err == first.err
    strict = [make_site(unused, "build", "--strict") for _ in range(2)]
    assert [run.code for run in strict] == [1, 1] and strict[0].err == strict[1].err and "error" in strict[0].err


CHANGES: dict[str, tuple[dict[str, str | None], tuple[str, ...]]] = {
    "a content file": ({"content/pages/intro.md": "---\ntitle: Introduction\nsummary: Where it starts.\n---\n\nLook up.\n"}, ()),
    "a new content file": ({"content/glossary/grass.yaml": "term: grass\nshort: Green.\n"}, ()),
    "a template": ({"templates/static/extra.css": "body { color: red; }\n"}, ()),
    "config": ({"content/site.yaml": "title: Mini 2\ndescription: A tiny site.\nlanguage: en\n"
                                     "base_url: https://example.org/mini/\ncopyright: © Test\n"}, ()),
    "an option": ({}, ("build", "--base-url", "https://example.com/other/")),
    "search left out": ({}, ("build", "--no-search")),
    "an archive": ({"paper.txt": "The sky is blue on clear days. Grass is green. Other words now.\n"}, ()),
}


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_every_kind_of_input_builds_again(make_site: Callable[..., Run], change: str) -> None:
    files, args = CHANGES[change]
    make_site(ARCHIVED)
    assert UP_TO_DATE in make_site(ARCHIVED).out
    changed = make_site({**ARCHIVED, **files}, *args)
    assert changed.code == 0 and "Built" in changed.out, changed.err
    assert UP_TO_DATE in make_site({**ARCHIVED, **files}, *args).out


def test_a_new_explainer_version_builds_again(make_site: Callable[..., Run], monkeypatch: pytest.MonkeyPatch) -> None:
    make_site()
    monkeypatch.setattr(inputs, "__version__", "99.0")
    inputs.hash_explainer.cache_clear()
    assert "Built" in make_site().out


def test_the_previous_facts_compared_against_is_an_input(make_site: Callable[..., Run], tmp_path: Path) -> None:
    first = make_site()
    (tmp_path / "previous.json").write_bytes((first.site / "facts.json").read_bytes())
    make_site({}, "build", "--previous", "previous.json")
    assert UP_TO_DATE in make_site({}, "build", "--previous", "previous.json").out
    (tmp_path / "previous.json").write_text("{}", encoding="utf-8")
    assert "Built" in make_site({}, "build", "--previous", "previous.json").out


@pytest.mark.parametrize("tamper", ["deleted", "added", "edited", "edited, same size"])
def test_a_file_changed_in_the_output_folder_builds_again(make_site: Callable[..., Run], tamper: str) -> None:
    first = make_site()
    files = tree(first.site)
    page = first.site / "index.html"
    if tamper == "deleted":
        page.unlink()
    elif tamper == "added":
        (first.site / "extra.html").write_text("hello", encoding="utf-8")
    elif tamper == "edited":
        page.write_text("changed", encoding="utf-8")
    else:
        data = page.read_bytes()
        page.write_bytes(data[:-1] + b"X")
    again = make_site()
    assert "Built" in again.out
    assert tree(first.site) == files


def test_warm_and_cold_builds_are_byte_identical_and_an_edit_reuses_the_rest(make_site: Callable[..., Run], tmp_path: Path) -> None:
    make_site({"content/pages/more.md": "---\ntitle: More\nsummary: More.\n---\n\nMore sky.\n"})
    edit = {"content/pages/intro.md": "---\ntitle: Introduction\nsummary: Where it starts.\n---\n\nLook at the grass.\n"}
    options = Options(content_dir=tmp_path / "content", out_dir=tmp_path / "site")
    cache = uptodate.load_stages(cache_folder(options.content_dir, tmp_path / "site"), lambda _: None)
    assert cache.sections, "the first build left its stage caches"
    assert "load" not in cache.sections, "the load stage's results are parsed again, not pickled"
    warm = make_site(edit, "build", "-v")
    assert "Built" in warm.out and "not used" not in warm.out
    pipeline.build(options, cache)  # the same build, to count what it reused
    assert cache.section("cards").hits > 0 and cache.section("links").hits > 0 and "Look at the grass." in warm.page("intro/index.html")
    cold = run_cli(tmp_path, "build", "--no-cache", "--out", "cold")
    assert cold.code == 0 and tree(tmp_path / "cold") == tree(warm.site)


def test_two_output_folders_from_one_content_folder_keep_a_cache_each(make_site: Callable[..., Run], tmp_path: Path) -> None:
    make_site({}, "build", "--out", "a")
    make_site({}, "build", "--out", "b", "--base-url", "https://example.com/b/")
    assert UP_TO_DATE in run_cli(tmp_path, "build", "--out", "a").out
    assert UP_TO_DATE in run_cli(tmp_path, "build", "--out", "b", "--base-url", "https://example.com/b/").out
    assert len([p for p in (tmp_path / CACHE_FOLDER).iterdir() if p.is_dir()]) == 2


def test_the_cache_of_an_output_folder_that_is_gone_is_removed_at_the_next_build(make_site: Callable[..., Run],
                                                                                  tmp_path: Path) -> None:
    # one cache folder per output folder: without this, every temporary output folder ever built into left one behind
    make_site({}, "build", "--out", "a")
    make_site({}, "build", "--out", "b")
    root = tmp_path / CACHE_FOLDER
    gone, kept = cache_folder(tmp_path / "content", tmp_path / "a"), cache_folder(tmp_path / "content", tmp_path / "b")
    assert (gone / store.OUTPUT).read_bytes() == os.fsencode(os.path.realpath(tmp_path / "a"))
    planted = root / "0123456789abcdef"  # a note that does not hash to its folder's name: copied or planted
    planted.mkdir()
    (planted / store.OUTPUT).write_bytes(os.fsencode(tmp_path / "nowhere"))
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / store.OUTPUT).write_bytes(os.fsencode(tmp_path / "nowhere"))
    linked = root / store.folder_name(os.fsencode(tmp_path / "nowhere"))  # a link to a folder whose note hashes right
    linked.symlink_to(outside, target_is_directory=True)
    piped = root / store.folder_name(os.fsencode(tmp_path / "elsewhere"))
    piped.mkdir()
    os.mkfifo(piped / store.OUTPUT)  # read as a note, it would wait for a writer forever
    untold = root / "fedcba9876543210"  # from before the notes: nothing says what it is for
    untold.mkdir()
    afar = []  # notes that hash right but name a place outside the project and the temporary folder, or climb out
    for named in (b"/net/example.org/site", os.fsencode(tmp_path) + b"/../../net/x"):
        afar.append(root / store.folder_name(named))
        afar[-1].mkdir()
        (afar[-1] / store.OUTPUT).write_bytes(named)
    shutil.rmtree(tmp_path / "a")
    edited = {"content/pages/intro.md": MINI["content/pages/intro.md"] + "\nOne more line.\n"}
    built = make_site(edited, "build", "--out", "b", "-v")
    assert built.code == 0 and "Built" in built.out, built.err
    said = f"{CACHE_FOLDER}/{gone.name} removed: the output folder it was for is gone"
    assert not gone.exists() and said in built.out, built.out
    assert kept.is_dir() and planted.is_dir() and linked.is_symlink() and (outside / store.OUTPUT).is_file() and untold.is_dir()
    assert (root / ".gitignore").is_file() and piped.is_dir() and all(folder.is_dir() for folder in afar)
    assert built.out.count("removed: the output folder") == 1 and str(tmp_path / "a") not in built.out  # (a note's words never shown)


def test_a_cache_folder_that_is_a_link_tidies_nothing(make_site: Callable[..., Run], tmp_path: Path) -> None:
    # committed as a link to another project's cache: nothing there is removed (nor asked after)
    other = tmp_path / "other" / CACHE_FOLDER
    stale = other / store.folder_name(os.fsencode(tmp_path / "gone"))
    stale.mkdir(parents=True)
    (stale / store.OUTPUT).write_bytes(os.fsencode(tmp_path / "gone"))
    (tmp_path / CACHE_FOLDER).symlink_to(other, target_is_directory=True)
    built = make_site({}, "build", "-v")
    assert built.code == 0 and "Traceback" not in built.err, built.err
    assert stale.is_dir() and "removed" not in built.out, built.out


def test_no_cache_builds_everything_and_keeps_nothing(make_site: Callable[..., Run], tmp_path: Path) -> None:
    runs = [make_site({}, "build", "--no-cache") for _ in range(2)]
    assert all("Built" in run.out for run in runs)
    assert not (tmp_path / CACHE_FOLDER).exists()


def cache_files(root: Path) -> list[Path]:
    return sorted(p for p in (root / CACHE_FOLDER).rglob("*") if p.is_file() and p.name != ".gitignore")


@pytest.mark.parametrize("damage", ["truncated", "corrupt", "empty"])
def test_a_damaged_cache_is_ignored(make_site: Callable[..., Run], damage: str) -> None:
    first = make_site()
    for path in cache_files(first.root):
        data = path.read_bytes()
        path.write_bytes({"truncated": data[: len(data) // 2], "corrupt": data[:-10] + b"0123456789", "empty": b""}[damage])
    again = make_site({}, "build", "-v")
    assert again.code == 0 and "Built" in again.out and "not used" in again.out
    assert UP_TO_DATE in make_site().out  # and replaced by a good one


def test_a_cache_sealed_with_another_key_is_ignored(make_site: Callable[..., Run], tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    make_site()  # sealed with this user's key
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "another-user"))
    again = make_site({}, "build", "-v")
    assert "Built" in again.out and "not sealed by this user's key" in again.out


class Planted:
    """What a crafted cache file would run when unpickled: it makes a file."""

    def __init__(self, target: Path) -> None:
        self.target = target

    def __reduce__(self) -> tuple[object, ...]:
        return (Path.touch, (self.target,))


def test_a_crafted_pickle_without_a_valid_mac_is_never_loaded(make_site: Callable[..., Run], tmp_path: Path) -> None:
    first = make_site()
    planted = tmp_path / "planted"
    folder = cache_folder(tmp_path / "content", tmp_path / "site")
    crafted = pickle.dumps(Planted(planted))
    assert not planted.exists()
    (folder / "stages").write_bytes(header("stages") + b"\0" * 32 + inputs.hash_explainer().encode() + crafted)
    (folder / "record").unlink()
    again = make_site({}, "build", "-v")
    assert again.code == 0 and "Built" in again.out and "not sealed by this user's key" in again.out
    assert not planted.exists()
    pickle.loads(crafted)  # the same bytes, unpickled, would have made it
    assert planted.exists()
    assert first.code == 0


def test_the_up_to_date_path_loads_no_render_or_search_code(make_site: Callable[..., Run], tmp_path: Path) -> None:
    make_site()
    script = ("import sys; from explainer.cli import main; code = main(['build']); "
              "print(code, sorted(m for m in sys.modules if m.startswith(('explainer.render', 'explainer.search', 'jinja2'))))")
    for _ in range(2):  # the first builds, in the same interpreter as the second
        shown = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=True,
                               env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert UP_TO_DATE in shown.stdout and shown.stdout.strip().endswith("0 []"), shown.stdout


def test_stage_caches_past_the_limit_are_not_kept(make_site: Callable[..., Run], tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store, "CACHE_BYTES", Limit(64 * 1024, "bytes", "test", "test"))
    first = make_site({}, "build", "-v")
    assert "larger than the limit: not kept" in first.out
    assert not (cache_folder(tmp_path / "content", tmp_path / "site") / "stages").exists()
    assert UP_TO_DATE in make_site().out  # the record is small, and kept


def test_the_least_size_of_the_stage_caches_is_never_more_than_they_pickle_to(make_site: Callable[..., Run],
                                                                             tmp_path: Path) -> None:
    make_site()
    stages = uptodate.load_stages(cache_folder(tmp_path / "content", tmp_path / "site"), print)
    pages = sum(len(entry.value[0].content) for entry in stages.section("pages").entries.values())
    least = uptodate.least_size(stages)
    assert pages > 0 and least >= pages  # the rendered pages count whole, with the cards and the rest
    assert least <= len(pickle.dumps(uptodate.pickled(stages), protocol=pickle.HIGHEST_PROTOCOL))


def test_what_pickle_writes_once_the_least_size_counts_once() -> None:
    shared, text = bytes(range(256)) * 64, "팹리스를 " * 1000
    cache = Cache()
    cache.section("cards").store("one", "k", shared)
    cache.section("cards").store("two", "k", shared)  # the same object: pickled once, then referred to
    cache.section("pages").store("page", "k", (Output("p/index.html", shared, "test"), text))
    cache.section("load").store("unkept", "k", b"x" * 100_000)  # a section save_stages leaves out
    least = uptodate.least_size(cache)
    assert least == len(shared) + len(text)
    assert least <= len(pickle.dumps(uptodate.pickled(cache), protocol=pickle.HIGHEST_PROTOCOL))


def test_stage_caches_that_cannot_fit_the_limit_are_not_pickled_at_all(make_site: Callable[..., Run], tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    stages = cache_folder(tmp_path / "content", tmp_path / "site") / "stages"
    assert make_site().code == 0 and stages.exists()
    least = uptodate.least_size(uptodate.load_stages(stages.parent, print))

    def forbidden(*args: object) -> None:
        raise AssertionError("pickled, though they cannot fit")

    monkeypatch.setattr(uptodate, "save_forked", forbidden)
    monkeypatch.setattr(uptodate, "save_stages", forbidden)
    counted: list[int] = []
    count = uptodate.least_size
    monkeypatch.setattr(uptodate, "least_size", lambda cache: counted.append(count(cache)) or counted[-1])
    edited = {"content/pages/intro.md": MINI["content/pages/intro.md"] + "\nOne more line.\n"}
    small = make_site(edited, "build", "-v", "--limit", f"cache-bytes={least // 2}")
    assert small.code == 0 and "Built" in small.out, small.out
    said = re.search(r"stages larger than the limit: not kept \(at least ([\d.]+) KiB, the limit (.*)\)", small.out)
    assert said is not None and said[2] == limits.size(least // 2), small.out
    assert len(counted) == 1 and float(said[1]) <= counted[0] / 1024 < float(said[1]) + 0.1  # a floor, rounded down
    assert not stages.exists()  # the last build's caches are not left to be read next time
    assert UP_TO_DATE in make_site(edited, "build", "--limit", f"cache-bytes={least // 2}").out  # the record was kept


def test_stage_caches_past_the_limit_whose_last_file_cannot_be_removed_are_only_noted(
        make_site: Callable[..., Run], tmp_path: Path) -> None:
    stages = cache_folder(tmp_path / "content", tmp_path / "site") / "stages"
    assert make_site().code == 0 and stages.is_file()
    stages.unlink()
    stages.mkdir()  # what unlink cannot remove, as a read-only folder would refuse it
    built = make_site({}, "build", "-v", "--limit", "cache-bytes=1KiB")
    assert built.code == 0 and "Built" in built.out and "Traceback" not in built.err, built.err
    assert "stages larger than the limit: not kept (at least " in built.out and "the last build's cannot be removed (" in built.out


def test_a_sealed_cache_this_code_cannot_read_is_ignored(make_site: Callable[..., Run], tmp_path: Path) -> None:
    make_site()
    folder = cache_folder(tmp_path / "content", tmp_path / "site")
    assert store.write_sealed(folder / "stages", "stages", inputs.hash_explainer().encode() + b"no pickle") is None
    (folder / "record").unlink()
    again = make_site({}, "build", "-v")
    assert again.code == 0 and "Built" in again.out and "UnpicklingError" in again.out


def saving_in(monkeypatch: pytest.MonkeyPatch, where: Path, fail: bool = False) -> None:
    """Have the stage caches' writer note which process it runs in (and fail, when `fail`)."""
    save = uptodate.save_stages

    def noted(folder: Path, cache: object) -> str | None:
        where.write_text(str(os.getpid()), encoding="utf-8")
        if fail:
            raise RuntimeError("the writer broke")
        return save(folder, cache)  # type: ignore[arg-type]

    monkeypatch.setattr(uptodate, "save_stages", noted)


def test_the_stage_caches_are_written_by_a_process_of_their_own(make_site: Callable[..., Run], tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    where = tmp_path / "writer"
    saving_in(monkeypatch, where)
    first = make_site({}, "build", "-v")
    assert first.code == 0 and "not written" not in first.out, first.out
    assert int(where.read_text(encoding="utf-8")) != os.getpid()  # a forked copy wrote them while the site was written
    stages = uptodate.load_stages(cache_folder(tmp_path / "content", tmp_path / "site"), print)
    assert stages.holds("pages")  # whole and readable
    edited = make_site({"content/pages/intro.md": MINI["content/pages/intro.md"] + "\nOne more line.\n"}, "build", "-v")
    assert edited.code == 0 and "not used" not in edited.out, edited.out


def test_a_stage_cache_writer_that_stops_is_only_noted(make_site: Callable[..., Run], tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    saving_in(monkeypatch, tmp_path / "writer", fail=True)
    built = make_site({}, "build", "-v")
    assert built.code == 0 and "Built" in built.out
    assert "stages not written: the process writing it stopped before the end" in built.out, built.out
    assert not (cache_folder(tmp_path / "content", tmp_path / "site") / "stages").exists()
    assert UP_TO_DATE in make_site().out  # the record was kept


def test_without_fork_a_cache_folder_that_cannot_be_made_is_only_noted(make_site: Callable[..., Run], tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import multiprocessing

    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])  # the caches written in the build's process
    (tmp_path / CACHE_FOLDER).write_text("not a folder\n", encoding="utf-8")
    built = make_site({}, "build", "-v")
    assert built.code == 0 and "Built" in built.out and "Traceback" not in built.err, built.err
    assert "stages cannot be written (" in built.out, built.out


@pytest.mark.parametrize("without", ["fork on this system", "a process to spare"])
def test_without_fork_the_stage_caches_are_written_in_the_build_s_process(make_site: Callable[..., Run], tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch, without: str) -> None:
    import multiprocessing

    def refused() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    where = tmp_path / "writer"
    saving_in(monkeypatch, where)
    if without == "fork on this system":
        monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    else:
        monkeypatch.setattr(os, "fork", refused)
    assert make_site().code == 0
    assert int(where.read_text(encoding="utf-8")) == os.getpid()
    assert uptodate.load_stages(cache_folder(tmp_path / "content", tmp_path / "site"), print).holds("pages")
