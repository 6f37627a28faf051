"""A failed build leaves the previous site untouched; dangerous output folders are refused."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import MINI, Run
from explainer.output import write


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


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

    def files() -> object:
        yield ("index.html", b"new")
        raise OSError("disk full")

    with pytest.raises(OSError):
        write.write_site(files(), good.site)  # type: ignore[arg-type]
    assert snapshot(good.site) == before
    assert [p.name for p in site_root.iterdir() if p.name.startswith(".site.")] == []


def test_swap_replaces_whole_folder(site_root: Path) -> None:
    out = site_root / "site"
    write.write_site([("index.html", b"1"), ("old.html", b"x")], out)
    write.write_site([("index.html", b"2")], out)
    assert snapshot(out) == {"index.html": b"2", write.MARKER: write.MARKER_TEXT}


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
