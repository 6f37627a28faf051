"""A failed build leaves the previous site untouched; dangerous output folders are refused."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import MINI, Run
from explainer.errors import BuildFailed
from explainer.model import Output
from explainer.output import swap, write
from support import snapshot


def test_failed_build_leaves_previous_site_untouched(make_site: Callable[..., Run]) -> None:
    good = make_site()
    assert good.code == 0
    before = snapshot(good.site)
    bad = make_site({"content/glossary/sky.yaml": "term: [\n"})
    assert bad.code == 1
    assert "site/ was left as it was" in bad.err
    assert snapshot(bad.site) == before


def test_crash_while_writing_keeps_old_site_and_cleans_up(make_site: Callable[..., Run], site_root: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    good = make_site()
    before = snapshot(good.site)
    write_bytes = Path.write_bytes

    def full_disk(path: Path, data: bytes) -> int:
        if path.name == "full.html":
            raise OSError("disk full")
        return write_bytes(path, data)

    monkeypatch.setattr(Path, "write_bytes", full_disk)
    with pytest.raises(write.WriteFailed, match=r"cannot write the site to .*site/: disk full; .*site/ was left as it was"):
        write.write_site([Output("index.html", b"new"), Output("full.html", b"x")], good.site)
    assert snapshot(good.site) == before
    swap.finish_removals()  # the half-written folder is removed in the background: what holds the lock waits for it
    assert [p.name for p in site_root.iterdir() if p.name.startswith(".site.") and p.is_dir()] == []


def test_swap_replaces_whole_folder(site_root: Path) -> None:
    out = site_root / "site"
    write.write_site([Output("index.html", b"1"), Output("old.html", b"x")], out)
    write.write_site([Output("index.html", b"2")], out)
    assert snapshot(out) == {"index.html": b"2", write.MARKER: write.MARKER_TEXT}


def test_a_whole_write_makes_every_folder_in_any_order(site_root: Path) -> None:
    out = site_root / "site"
    files = {"a/b/c/deep.html": b"1", "a/top.html": b"2", "x/y.css": b"3", "a/b/mid.html": b"4", "index.html": b"5",
             "a/b/c/d/e.txt": b"6", "x/z/w.png": b"7"}
    write.write_site([Output(path, content) for path, content in files.items()], out)
    assert snapshot(out) == {**files, write.MARKER: write.MARKER_TEXT}


@pytest.mark.parametrize("out", [".", "content", "content/..", "content/pages"])
def test_refuses_output_over_content_or_project(make_site: Callable[..., Run], out: str) -> None:
    run = make_site({}, "build", "--out", out)
    assert run.code == 1
    assert "refusing to write the site" in run.err
    assert (run.root / "content" / "site.yaml").read_text(encoding="utf-8") == MINI["content/site.yaml"]


def test_refuses_to_replace_a_folder_explainer_did_not_write(make_site: Callable[..., Run], site_root: Path) -> None:
    (site_root / "docs").mkdir()
    (site_root / "docs" / "index.html").write_text("my own page", encoding="utf-8")
    (site_root / "docs" / "notes.md").write_text("mine", encoding="utf-8")
    run = make_site({}, "build", "--out", "docs")
    assert run.code == 1
    assert "refusing to replace docs: it holds files that explainer did not write" in run.err
    assert (site_root / "docs" / "notes.md").read_text(encoding="utf-8") == "mine"


def test_refuses_a_file_as_output(make_site: Callable[..., Run], site_root: Path) -> None:
    (site_root / "notes.txt").write_text("mine", encoding="utf-8")
    run = make_site({}, "build", "--out", "notes.txt")
    assert run.code == 1 and "it is a file, not a folder" in run.err
    assert (site_root / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_rebuilds_replace_their_own_output(make_site: Callable[..., Run]) -> None:
    assert make_site().code == 0
    again = make_site()
    assert again.code == 0, again.err
    assert (again.site / write.MARKER).is_file()


def test_two_outputs_for_one_path_are_refused_naming_both(make_site: Callable[..., Run]) -> None:
    twin = MINI["content/glossary/sky.yaml"].replace("What you see", "What one sees")
    run = make_site({"content/glossary/sky.yml": twin})  # refused when read (tests/content/test_hostile.py), before any output
    assert run.code == 1
    assert ("content/glossary/sky.yml: error: two files give the id 'sky': "
            "content/glossary/sky.yaml and content/glossary/sky.yml") in run.err
    assert not run.site.exists()
    with pytest.raises(BuildFailed) as refused:
        write.write_site([Output("a.html", b"1", "one"), Output("a.html", b"2", "two")], run.root / "out")
    assert refused.value.problems[0].message == "two files would be written to a.html: from one and from two"


def test_outputs_given_later_are_written_whole_or_in_place(site_root: Path) -> None:
    out = site_root / "site"
    asked: list[str] = []

    def index(content: bytes) -> Callable[[], list[Output]]:
        def later() -> list[Output]:
            asked.append("index")
            if not (out.exists() or any(site_root.glob(".site.new-*/index.html"))):
                raise AssertionError("asked for before the other files were written")
            return [Output("pagefind/entry.json", content)]
        return later

    first = write.write_site([Output("index.html", b"1")], out, later=index(b"a"))
    assert snapshot(out) == {"index.html": b"1", "pagefind/entry.json": b"a", write.MARKER: write.MARKER_TEXT}
    assert set(first.written.files) == {"index.html", "pagefind/entry.json"}
    second = write.write_site([Output("index.html", b"2")], out, first.written, later=index(b"b"))  # in place
    assert snapshot(out) == {"index.html": b"2", "pagefind/entry.json": b"b", write.MARKER: write.MARKER_TEXT}
    assert second.changed == ("index.html", "pagefind/entry.json") and asked == ["index", "index"]
