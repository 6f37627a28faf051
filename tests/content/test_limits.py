"""Every input has a documented limit, refused at once with its file (and line), in bounded time and memory;
files and folders that cannot be read are problems like any other."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import MINI, Run, run_cli, write_tree
from explainer import errors, limits
from explainer.errors import Problem, format_problem
from explainer.regular import OUTSIDE
from support import ROOT, snapshot, within
from tools import require

TERM = MINI["content/glossary/sky.yaml"]
FIFTY_MB = 50 * 1024 * 1024


def write_big(path: Path, head: bytes, unit: bytes, size: int) -> None:
    """A file of `size` bytes: `head`, then `unit` repeated (written in pieces, never held whole)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    piece = unit * (1024 * 1024 // len(unit))
    with open(path, "wb") as handle:
        handle.write(head)
        written = len(head)
        while written < size:
            chunk = piece[: size - written]
            handle.write(chunk)
            written += len(chunk)


@pytest.mark.parametrize(("name", "head", "unit"), [
    ("content/facts/many.yaml", b"title: Many\nfacts:\n", b"  - id: f\n    claim: A fact.\n    evidence: [paper#one]\n"),
    ("content/glossary/sky.yaml", b"term: sky\nshort: x\nbody: |\n", b"  A long body of text, line after line.\n"),
    ("content/pages/intro.md", b"---\ntitle: Intro\n---\n", b"A page that goes on and on. " * 3 + b"\n"),
    ("content/pages/intro.md", b"", b"\0"),  # 50 MB of NUL bytes: one line of 50 MB
])
def test_a_50_mb_file_is_refused_at_once_in_bounded_memory(make_site: Callable[..., Run], site_root: Path,
                                                          name: str, head: bytes, unit: bytes) -> None:
    # It took 20 to 58 s and up to 0.9 GB (a fact list of 50 MB did not finish in 300 s and passed 4 GB).
    write_tree(site_root, dict(MINI))
    write_big(site_root / name, head, unit, FIFTY_MB)
    with within(10, 40):
        run = run_cli(site_root, "build")
    assert run.code == 1
    assert f"{name}: error: this file is 50 MiB; a content file may have at most 512 KiB" in run.err.splitlines()
    assert "if you trust this content, raise the limit with `--limit file-bytes=63MiB`" in run.err  # 50 MiB and a quarter more
    assert len(run.err) < 2000  # the report quotes no part of the file's 50 MB


def test_a_line_past_the_limit_is_refused_and_quoted_in_a_bounded_slice(make_site: Callable[..., Run]) -> None:
    run = make_site({"content/pages/intro.md": "---\ntitle: Intro\n---\n" + "\x00\x1b[2J" * 4000 + "\n"})
    assert run.code == 1
    lines = run.err.splitlines()
    assert "content/pages/intro.md:4: error: line 4 has 20,000 characters; a line may have at most 10,000 characters" in lines
    quoted = next(line for line in lines if line.startswith("     4 | "))
    assert quoted == "     4 | " + ("\\x00\\x1b[2J" * 20)[: limits.SHOWN_CHARS.value] + "…"
    assert "\x1b" not in run.err and "\x00" not in run.err  # nothing that drives the terminal


def test_an_endless_line_costs_the_report_no_memory(tmp_path: Path) -> None:
    path = tmp_path / "one-line.md"
    write_big(path, b"first\n", b"\0", FIFTY_MB)
    with within(10, 5):
        shown = format_problem(Problem(str(path), 2, "too long"))
        assert errors.source_line(str(path), 3) == ""
    assert shown.splitlines()[1] == "     2 | " + "\\x00" * 40 + "…"


@pytest.mark.parametrize("changes", [
    {"content/glossary/sky.yaml": TERM + "aliases:\n" + "  - x\n" * 20_001},
    {"content/facts/many.yaml": "[\n" + ",\n".join(["{id: f, claim: c}"] * 7000) + "]\n"},
], ids=["list items", "flow mappings"])
def test_more_values_than_the_limit_in_one_file_are_refused(make_site: Callable[..., Run], changes: dict[str, str]) -> None:
    with within(20, 200):
        run = make_site(changes)
    assert run.code == 1
    assert "error: more than 20,000 values in one file" in run.err


def test_a_folder_of_more_files_than_the_limit_is_refused(make_site: Callable[..., Run], site_root: Path) -> None:
    folder = site_root / "content" / "glossary"
    folder.mkdir(parents=True)
    for number in range(limits.FOLDER_FILES.value + 1):
        (folder / f"t{number}.yaml").write_bytes(b"term: t\nshort: x\n")
    run = make_site({"content/glossary/sky.yaml": None})
    assert run.code == 1
    assert "content/glossary: error: more than 5,000 files in one folder; none of them was read" in run.err.splitlines()
    assert "if you trust this content, raise the limit with `--limit folder-files=6300`" in run.err  # 5,001 files and a quarter more


@pytest.mark.parametrize("folder", ["content/pages", "content/pages/guide"])
def test_a_folder_of_pages_is_held_to_the_limit_too(make_site: Callable[..., Run], site_root: Path, folder: str) -> None:
    pages = {f"{folder}/p{number}.md": f"---\ntitle: P{number}\n---\n\nWords.\n" for number in range(4)}
    assert make_site(pages, "build", "--limit", "folder-files=10").code == 0
    run = make_site(pages, "build", "--limit", "folder-files=3")
    assert run.code == 1
    assert f"{folder}: error: more than 3 files in one folder; none of them was read" in run.err.splitlines()


def test_content_past_the_total_limit_is_refused(make_site: Callable[..., Run], site_root: Path) -> None:
    body = "  " + "words " * 80 + "\n"
    for number in range(40):  # 40 files of 450 KiB: each within its limit, 17.6 MiB together
        write_tree(site_root, {f"content/glossary/t{number:02}.yaml": "term: t\nshort: x\nbody: |\n" + body * (450 * 1024 // len(body))})
    run = make_site({})
    assert run.code == 1
    assert "content: error: the content files pass 16 MiB together (at content/glossary/t36.yaml); the rest were not read" in run.err
    assert "if you trust this content, raise the limit with `--limit content-bytes=22MiB`" in run.err  # all 17.6 MiB, not 16


def test_a_symbolic_link_out_of_the_project_is_not_read(site_root: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    secret = tmp_path_factory.mktemp("elsewhere") / "environ"
    secret.write_text("---\nSECRET=do-not-print\n", encoding="utf-8")
    write_tree(site_root, dict(MINI))
    os.symlink(secret, site_root / "content" / "pages" / "leak.md")
    run = run_cli(site_root, "build")
    assert run.code == 1
    assert f"content/pages/leak.md: error: a symbolic link to {secret}, {OUTSIDE}" in run.err.splitlines()
    assert "do-not-print" not in run.err


@pytest.mark.parametrize("make_link", [
    lambda folder: os.symlink("loop.yaml", folder / "loop.yaml"),  # a file that is a loop
    lambda folder: os.symlink("missing.yaml", folder / "gone.yaml"),  # a link to nothing
    lambda folder: os.symlink(folder.parent, folder / "up.yaml"),  # a link to a folder
], ids=["symlink loop", "dangling symlink", "symlink to a folder"])
def test_a_file_that_cannot_be_read_is_a_problem(make_site: Callable[..., Run], site_root: Path,
                                                 make_link: Callable[[Path], object]) -> None:
    write_tree(site_root, {**MINI, **{"site/.explainer": "x", "site/index.html": "old"}})
    before = snapshot(site_root / "site")
    make_link(site_root / "content" / "glossary")
    run = run_cli(site_root, "build")
    assert run.code == 1, run.err
    assert "error: cannot read this file (" in run.err and "Traceback" not in run.err and "internal error" not in run.err
    assert snapshot(site_root / "site") == before


def test_a_glossary_folder_that_is_a_symlink_loop_is_a_problem(site_root: Path) -> None:
    write_tree(site_root, {name: text for name, text in MINI.items() if "glossary" not in name})
    os.symlink("glossary", site_root / "content" / "glossary")
    run = run_cli(site_root, "build")
    assert run.code == 1, run.err
    assert "content/glossary: error: cannot list this folder (Too many levels of symbolic links)" in run.err.splitlines()


def test_unreadable_files_and_folders_are_problems(site_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Permissions do not stop root (these tests may run as root), so the system's refusal is stood in for.
    from explainer.content import files

    write_tree(site_root, dict(MINI))
    read_bounded, scandir = files.read_bounded, os.scandir

    def refuse_file(path: Path, limit: int) -> bytes:
        if path.name == "paper.yaml":
            raise PermissionError(13, "Permission denied", str(path))
        return read_bounded(path, limit)

    def refuse_folder(path: object) -> object:
        if str(path).endswith("pages"):
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(files, "read_bounded", refuse_file)
    monkeypatch.setattr(files.os, "scandir", refuse_folder)
    run = run_cli(site_root, "build")
    assert run.code == 1
    lines = run.err.splitlines()
    assert "content/sources/paper.yaml: error: cannot read this file (Permission denied)" in lines
    assert "content/pages: error: cannot list this folder (Permission denied)" in lines


def test_unreadable_files_and_folders_are_problems_for_real() -> None:
    """Real permissions, not simulated ones. Root reads every file whatever its mode, so as root the
    build runs as the unprivileged user `nobody` (util-linux's setpriv) in a folder everyone may enter."""
    root = Path(tempfile.mkdtemp(prefix="explainer-permissions-"))
    try:
        write_tree(root, dict(MINI))
        for path in [root, *root.rglob("*")]:
            path.chmod(0o777 if path.is_dir() else 0o644)  # the build writes site/ here as whoever runs it
        (root / "content" / "sources" / "paper.yaml").chmod(0)
        (root / "content" / "pages").chmod(0)
        command = [sys.executable, str(ROOT / "build.py"), "build"]
        if os.geteuid() == 0:
            command = [require("setpriv"), "--reuid=65534", "--regid=65534", "--clear-groups", *command]
        run = subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=120, check=False)
    finally:
        (root / "content" / "pages").chmod(0o755)
        shutil.rmtree(root, ignore_errors=True)
    assert run.returncode == 1, run.stderr
    assert "content/sources/paper.yaml: error: cannot read this file (Permission denied)" in run.stderr.splitlines()
    assert "content/pages: error: cannot list this folder (Permission denied)" in run.stderr.splitlines()


def test_the_limits_table_in_the_docs_is_generated() -> None:
    text = (ROOT / "docs" / "content.md").read_text(encoding="utf-8")
    start, end = text.index("<!-- limits:start -->\n"), text.index("<!-- limits:end -->")
    assert text[start + len("<!-- limits:start -->\n"):end].strip() == limits.markdown_table().strip(), \
        "run: python scripts/refresh_docs.py"


def test_a_template_or_theme_file_that_cannot_be_read_is_a_problem(site_root: Path) -> None:
    write_tree(site_root, {**MINI, "templates/static/extra.css": "x"})
    os.symlink("loop.html", site_root / "templates" / "loop.html")
    os.symlink("loop.css", site_root / "templates" / "static" / "loop.css")
    run = run_cli(site_root, "build")
    assert run.code == 1, run.err
    lines = run.err.splitlines()
    assert "templates/loop.html: error: cannot read this template (Too many levels of symbolic links)" in lines
    assert "Traceback" not in run.err and "internal error" not in run.err
