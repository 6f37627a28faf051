"""Links and special files anyone may commit to a project: the build never writes through them, never reads past the
project through them, and never waits on them (regular.py)."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Run, run_cli
from explainer import inputs, store, uptodate
from explainer.content.files import read_bounded
from explainer.content.quotelock import lock_text
from explainer.regular import NotRegular, open_regular
from explainer.store import CACHE_FOLDER, cache_folder
from support import within

PRECIOUS = b"the builder's own words\n"


@pytest.fixture
def elsewhere(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of the builder's own, outside the project, with a file in it."""
    folder = tmp_path_factory.mktemp("elsewhere")
    (folder / "notes.txt").write_bytes(PRECIOUS)
    return folder


def everything(folder: Path) -> dict[str, bytes | str]:
    return {str(path.relative_to(folder)): path.read_bytes() if path.is_file() else "folder"
            for path in sorted(folder.rglob("*"))}


def test_a_committed_output_lock_link_is_refused_and_what_it_leads_to_kept(make_site: Callable[..., Run], elsewhere: Path) -> None:
    make_site()
    root = make_site().root
    lock = root / ".site.lock"
    lock.unlink()
    lock.symlink_to(elsewhere / "notes.txt")
    run = run_cli(root, "build")
    assert run.code != 0 and "is a symbolic link" in run.err and "remove the link" in run.err
    assert (elsewhere / "notes.txt").read_bytes() == PRECIOUS  # it used to be truncated, and the process id written in
    lock.unlink()
    assert run_cli(root, "build").code == 0


@pytest.mark.parametrize("linked", ["cache folder", "folder of this output"])
def test_a_committed_cache_link_is_neither_read_nor_written_through(make_site: Callable[..., Run], elsewhere: Path,
                                                                     linked: str) -> None:
    root = make_site().root
    cache = root / CACHE_FOLDER
    folder = cache_folder(root / "content", root / "site")
    if linked == "cache folder":
        store.shutil.rmtree(cache)
        cache.symlink_to(elsewhere, target_is_directory=True)
    else:
        store.shutil.rmtree(folder)
        folder.symlink_to(elsewhere, target_is_directory=True)
    before = everything(elsewhere)
    run = run_cli(root, "build", "-v")
    assert run.code == 0 and "Built" in run.out
    assert "build cache not used" in run.out and "is a symbolic link" in run.out
    assert everything(elsewhere) == before  # no record, stages, note or .gitignore written where the link leads
    notes: list[str] = []
    assert uptodate.load_stages(folder, notes.append).sections == {}  # the preview starts without it too
    assert "symbolic link" in notes[0]


def test_cache_files_are_not_read_through_links(make_site: Callable[..., Run], tmp_path_factory: pytest.TempPathFactory) -> None:
    """A record sealed by this user, reached through a link, is not used: the build runs."""
    root = make_site().root
    folder = cache_folder(root / "content", root / "site")
    kept = tmp_path_factory.mktemp("kept")
    for name in ("record", "stages"):
        os.replace(folder / name, kept / name)
        (folder / name).symlink_to(kept / name)
    run = run_cli(root, "build", "-v")
    assert run.code == 0 and "Built" in run.out and "is up to date" not in run.out


@pytest.mark.parametrize("target", ["/dev/zero", "/", "fifo"])
def test_a_content_link_to_an_endless_file_or_the_whole_machine_ends_at_once(make_site: Callable[..., Run], tmp_path: Path,
                                                                            target: str) -> None:
    """The no-change check once followed these: it hashed /dev/zero for good, walked all of / and waited on a pipe."""
    root = make_site().root
    if target == "fifo":
        os.mkfifo(tmp_path / "pipe")
        target = str(tmp_path / "pipe")
    (root / "content" / "files").mkdir(exist_ok=True)
    (root / "content" / "files" / "linked.txt").symlink_to(target)
    (root / "templates").mkdir(exist_ok=True)
    (root / "templates" / "linked").symlink_to(target)
    runs = []
    for _ in range(2):
        with within(20):
            runs.append(run_cli(root, "build"))
    first, again = runs
    assert first.code == again.code and first.code in (0, 1) and "internal error" not in first.err + again.err
    assert "is up to date" in again.out or again.code != 0  # and the link's own change is seen: it counts by where it leads


def test_a_link_leading_out_counts_by_where_it_leads(tmp_path: Path, elsewhere: Path) -> None:
    project = tmp_path / "project"
    (project / "content").mkdir(parents=True)
    link = project / "content" / "notes.txt"
    link.symlink_to(elsewhere / "notes.txt")
    real = os.path.realpath(project)
    found = inputs.tree_files(project / "content", real)
    assert found == {"notes.txt": f"link:{elsewhere / 'notes.txt'}"}
    (elsewhere / "notes.txt").write_bytes(b"changed")
    assert inputs.tree_files(project / "content", real) == found  # never read: the build refuses it anyway
    link.unlink()
    link.symlink_to(elsewhere)
    assert inputs.tree_files(project / "content", real) == {"notes.txt": f"link:{elsewhere}"}
    assert inputs.hash_tree(project / "content", real) != inputs.hash_tree(elsewhere, real)
    (project / "linked").symlink_to(elsewhere, target_is_directory=True)
    assert inputs.hash_tree(project / "linked", real) == f"link:{elsewhere}"  # a tree that is itself a link out: not walked


def test_special_files_are_refused_without_waiting(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    with within(10):  # nothing ever writes to the pipe: a read would wait for good
        with pytest.raises(NotRegular):
            open_regular(pipe)
        with pytest.raises(NotRegular):
            read_bounded(pipe, 10)
        assert inputs.hash_file(pipe) == "special"
        assert inputs.hash_file("/dev/zero") == "special"
        with pytest.raises(NotRegular):
            open_regular("/dev/null")
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "file")
    (tmp_path / "file").write_bytes(b"x")
    with open_regular(link) as handle:
        assert handle.read() == b"x"
    with pytest.raises(OSError):
        open_regular(link, follow=False)
    assert stat.S_ISLNK(os.lstat(link).st_mode)


@pytest.mark.parametrize("target", ["/dev/zero", "outside"])
def test_a_quote_lock_link_is_not_read_and_replaced_by_the_lock(tmp_path: Path, elsewhere: Path, target: str) -> None:
    project = tmp_path / "project"
    (project / "content").mkdir(parents=True)
    lock = project / "content" / "quotes.lock"
    lock.symlink_to(elsewhere / "notes.txt" if target == "outside" else target)
    with within(10):
        text, why = lock_text(lock)
    assert text is None and why is not None and "outside the project folder" in why
    (project / "content" / "inner.lock").write_text("version: 1\nsources: {}\n", encoding="utf-8")
    lock.unlink()
    lock.symlink_to("inner.lock")  # a link that stays inside the project is read as any content file
    assert lock_text(lock) == ("version: 1\nsources: {}\n", None)


def test_a_quote_lock_past_the_limit_is_not_read_whole(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    lock = tmp_path / "content" / "quotes.lock"
    lock.write_bytes(b"x" * (2 << 20))
    text, why = lock_text(lock)
    assert text is None and why is not None and "at most" in why


def test_a_committed_quote_lock_link_does_not_hang_the_build(make_site: Callable[..., Run]) -> None:
    root = make_site().root
    lock = root / "content" / "quotes.lock"
    lock.unlink(missing_ok=True)
    lock.symlink_to("/dev/zero")
    with within(20):
        run = run_cli(root, "build")
    assert run.code == 0


@pytest.mark.parametrize("where", ["content/files/config.txt", "content/pages/config.md", "templates/static/config.txt",
                                   "templates/footer.html"])
def test_a_link_into_a_hidden_folder_of_the_project_is_refused(make_site: Callable[..., Run], where: str) -> None:
    """.git/config may hold the token a CI checkout pushes with: a link to it must never publish it."""
    root = make_site().root
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text("[http]\n\textraheader = AUTHORIZATION: basic SECRET-TOKEN\n", encoding="utf-8")
    link = root / where
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(os.path.relpath(root / ".git" / "config", link.parent))
    run = run_cli(root, "build")
    assert run.code == 1 and f"{where}: error:" in run.err and "hidden folder" in run.err and "internal error" not in run.err
    assert not any(b"SECRET-TOKEN" in path.read_bytes() for path in (root / "site").rglob("*") if path.is_file())


PAPER = ("title: A Paper\noutlet: The Journal\nauthor: A. Writer\npublished: 2023-12-05\nlanguage: en\narchive: {archive}\n"
         "excerpts:\n  - id: one\n    text: SECRET_TOKEN=xx\n  - id: two\n    text: Grass is green.\n")


@pytest.mark.parametrize(("archives", "archive", "refusal"), [
    ("", "../../../../../../proc/self/environ", "must stay inside the archive folder, without '..'"),
    ("../../../../../../proc/self", "environ", "must name a text file"),
    ("/proc/self", "environ.txt", "must be relative to the folder holding content/"),
])
def test_an_archive_is_a_text_file_inside_its_folder(make_site: Callable[..., Run], archives: str, archive: str,
                                                     refusal: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """`archive:` once reached any file, and the hint showing the closest passage printed its words (the CI's environment)."""
    monkeypatch.setenv("SECRET_TOKEN", "hunter2")
    site = "title: Mini\ndescription: A tiny site.\nlanguage: en\nbase_url: https://example.org/mini/\ncopyright: © Test\n"
    run = make_site({"content/site.yaml": site + (f"archives: {archives}\n" if archives else ""),
                     "content/sources/paper.yaml": PAPER.format(archive=archive)})
    assert refusal in run.err and "hunter2" not in run.out + run.err and "internal error" not in run.err


@pytest.mark.parametrize("target", ["/proc/self/pagemap", "secret"])
def test_an_archive_linked_out_of_its_folder_is_not_read_and_its_hash_is_bounded(make_site: Callable[..., Run], elsewhere: Path,
                                                                              target: str) -> None:
    """/proc/self/pagemap is a regular file that never ends: the no-change check hashed it for good."""
    (elsewhere / "secret.txt").write_text("Words. SECRET_TOKEN=hunter2. More words.\n", encoding="utf-8")
    root = make_site({"content/sources/paper.yaml": PAPER.format(archive="paper.txt")}).root
    (root / "paper.txt").unlink(missing_ok=True)
    (root / "paper.txt").symlink_to(elsewhere / "secret.txt" if target == "secret" else target)
    runs = []
    for _ in range(2):
        with within(20):
            runs.append(run_cli(root, "build"))
    for run in runs:
        assert run.code == 0 and "outside the archive folder" in run.err and "hunter2" not in run.out + run.err
    assert "is up to date" in runs[1].out


@pytest.mark.parametrize("command", ["build", "serve"])
def test_a_committed_site_link_out_of_the_project_is_refused_unless_named(make_site: Callable[..., Run], elsewhere: Path,
                                                                          command: str) -> None:
    root = make_site().root
    store.shutil.rmtree(root / "site")
    place = elsewhere / "new-place"
    (root / "site").symlink_to(place, target_is_directory=True)
    run = run_cli(root, command, "--port", "0") if command == "serve" else run_cli(root, command)
    assert run.code != 0 and "refusing to write the site to site/: it is a symbolic link to" in run.err and "--out" in run.err
    assert not place.exists() and not (elsewhere / ".new-place.lock").exists()
    named = run_cli(root, "build", "--out", "site")  # whoever runs the build may send it anywhere
    assert named.code == 0 and (place / "index.html").is_file()


def test_a_site_link_in_a_folder_other_than_the_project_is_the_user_s(make_site: Callable[..., Run],
                                                                     tmp_path_factory: pytest.TempPathFactory) -> None:
    """Built from elsewhere with --content, the site/ of the folder the build runs in is no project's: the user made it."""
    project = make_site().root
    here = tmp_path_factory.mktemp("here")
    (here / "site").symlink_to(here / "www", target_is_directory=True)
    run = run_cli(here, "build", "--content", str(project / "content"))
    assert run.code == 0, run.err
    assert (here / "www" / "index.html").is_file()
