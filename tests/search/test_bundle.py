"""The search index a build writes to pagefind/: what it holds, that it is deterministic, and its errors."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import MINI, Run, run_cli, write_tree
from explainer import pipeline
from explainer.cache import Cache
from explainer.errors import Problem
from explainer.model import Loc, Options, Term
from explainer.pipeline import make
from explainer.search import bundle
from explainer.search.bundle import document_path, index_html, process_keys, search_bundle
from explainer.search.documents import Block, SearchDoc
from explainer.search.keys import MARK, SearchKeys
from explainer.search.pagefind import Pagefind, bundle_problem
from support import shown_text, snapshot

KOREAN: dict[str, str] = {
    "content/site.yaml": (
        "title: 작은 해설\n"
        "description: 시험용 사이트.\n"
        "language: ko\n"
        "base_url: https://example.org/mini/\n"
        "copyright: © 시험\n"
    ),
    "content/sources/paper.yaml": (
        "title: 기사\n"
        "outlet: 신문\n"
        "published: 2023-12-05\n"
        "language: ko\n"
        "excerpts:\n"
        "  - id: one\n"
        "    text: 팹리스는 공장이 없다.\n"
        "  - id: two\n"
        "    text: 라마2를 공개했다.\n"
    ),
    "content/facts/chips.yaml": (
        "title: 반도체\n"
        "facts:\n"
        "  - id: no-fab\n"
        "    claim: 팹리스 기업은 공장을 갖지 않는다.\n"
        "    evidence: [paper#one]\n"
        "  - id: model\n"
        "    claim: 새 모델 라마2가 나왔다.\n"
        "    evidence: [paper#two]\n"
    ),
    "content/glossary/fabless.yaml": (
        "term: 팹리스\n"
        "en: Fabless\n"
        "short: 공장 없이 칩을 설계하는 기업.\n"
    ),
    "content/pages/intro.md": (
        "---\n"
        "title: 들어가며\n"
        "---\n"
        "\n"
        "칩을 설계하는 팹리스를 알아본다.\n"
        "\n"
        "[[quote:paper#one]]\n"
        "\n"
        "[[fact:no-fab]]\n"
    ),
}


def fragments(site: Path) -> list[dict[str, object]]:
    """Every record Pagefind stored: its url, metadata and text."""
    records = []
    for path in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        records.append(json.loads(data[len(b"pagefind_dcd"):]))
    return records


@pytest.fixture
def korean(tmp_path: Path) -> Iterator[Callable[..., Run]]:
    def build(out: str = "site") -> Run:
        write_tree(tmp_path, KOREAN)
        return run_cli(tmp_path, "build", "--out", out)

    yield build


def test_build_writes_the_search_bundle_and_says_what_it_cost(korean: Callable[..., Run]) -> None:
    run = korean()
    assert run.code == 0, run.err
    bundle = run.site / "pagefind"
    names = {p.relative_to(bundle).as_posix() for p in bundle.rglob("*") if p.is_file()}
    assert {"pagefind.js", "pagefind-worker.js", "pagefind-entry.json", "wasm.unknown.pagefind", "keys.json"} <= names
    assert any(n.endswith(".pf_meta") for n in names) and any(n.startswith("index/") for n in names)
    assert not any("-ui" in n or "highlight" in n or "playground" in n for n in names), "Pagefind's own interfaces are not shipped"
    size = sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file())
    assert f"search index {size / 1024:.0f} KiB" in run.out
    entry = json.loads((bundle / "pagefind-entry.json").read_text(encoding="utf-8"))
    assert list(entry["languages"]) == ["ko"]


def test_index_holds_pages_and_each_fact_and_leaves_out_lists(korean: Callable[..., Run]) -> None:
    run = korean()
    records = {str(r["meta"]["link"]): r for r in fragments(run.site)}  # type: ignore[index]
    assert set(records) == {"", "intro/", "glossary/fabless/", "sources/paper/", "facts/#fact-no-fab", "facts/#fact-model"}
    fact = records["facts/#fact-no-fab"]
    assert fact["meta"]["kind"] == "fact"  # type: ignore[index]
    assert shown_text(fact["meta"]["title"]) == "팹리스 기업은 공장을 갖지 않는다."  # type: ignore[index]
    term = records["glossary/fabless/"]
    assert f"{MARK}팹리스를{MARK}" not in str(term["content"])
    assert f"^{MARK}팹리스{MARK}" in str(records["intro/"]["content"]), "팹리스를 is found as 팹리스"
    assert "공장 없이" not in str(records["intro/"]["content"]), "a term's tooltip belongs to its own page"
    shown = shown_text(str(records["intro/"]["content"]))
    assert "공장이 없다" in shown and "#" not in shown, "a quote is indexed, the link mark beside it is not"


def test_two_builds_write_the_same_search_files(korean: Callable[..., Run], tmp_path: Path) -> None:
    first = korean()
    copy = tmp_path.parent / (tmp_path.name + "-first")
    shutil.copytree(first.site / "pagefind", copy)
    second = korean("again")
    assert snapshot(copy) == snapshot(second.root / "again" / "pagefind")


def test_keys_table_lists_the_glossary_forms(korean: Callable[..., Run]) -> None:
    table = json.loads((korean().site / "pagefind" / "keys.json").read_text(encoding="utf-8"))
    assert table["forms"] == {"fabless": "팹리스", "팹리스": "팹리스"}


def test_missing_pagefind_fails_the_build_and_keeps_the_site(make_site: Callable[..., Run], monkeypatch: pytest.MonkeyPatch) -> None:
    assert make_site().code == 0
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/nonexistent/pagefind")
    run = make_site({"content/pages/intro.md": MINI["content/pages/intro.md"] + "\nMore.\n"})
    assert run.code == 1
    assert "the search index needs Pagefind's program (/nonexistent/pagefind), which is missing" in run.err
    assert "pip install 'pagefind[bin]'" in run.err and "Traceback" not in run.err
    assert "More." not in run.page("intro/index.html")
    assert os.path.isfile(run.site / "pagefind" / "pagefind.js")


def test_a_failing_pagefind_fails_the_build_with_its_own_words(make_site: Callable[..., Run], monkeypatch: pytest.MonkeyPatch,
                                                             tmp_path: Path) -> None:
    assert make_site().code == 0
    program = tmp_path / "pagefind"
    program.write_text("#!/bin/sh\necho 'Error: no space left on device' >&2\nexit 3\n", encoding="utf-8")
    program.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(program))
    run = make_site({"content/pages/intro.md": MINI["content/pages/intro.md"] + "\nMore.\n"})
    assert run.code == 1
    assert "Pagefind could not build the search index: Error: no space left on device" in run.err
    assert "Traceback" not in run.err and "More." not in run.page("intro/index.html")
    assert sorted(p.name for p in run.site.parent.glob(".site.*")) == [".site.lock"]  # the pages written meanwhile: gone


def test_index_document_carries_title_link_and_kind() -> None:
    keys = SearchKeys([])
    doc = SearchDoc("facts/#fact-x", "사과를 먹다", "fact", (Block("p", "사과를 먹다", ("fact-x",), False, True),))
    html = index_html(doc, keys, "ko")
    assert 'data-pagefind-meta="link[data-value]" data-value="facts/#fact-x"' in html
    assert 'data-pagefind-meta="kind[data-value]" data-value="fact"' in html
    assert f"<p>{MARK}사과를{MARK} ^{MARK}사과{MARK} {MARK}먹다{MARK}</p>" in html  # 사 + 과를 is no stack of particles
    assert document_path(doc) == "facts/fact-x/index.html"


def test_a_process_keeps_the_keys_of_the_last_glossary_only(monkeypatch: pytest.MonkeyPatch) -> None:
    # a worker indexes a dozen slices of pages: they share one SearchKeys while the glossary is the same
    monkeypatch.setattr(bundle, "MADE_KEYS", {})
    apple = [Term("apple", "사과", "", ("애플",), "A fruit.", None, (), (), True, Loc(Path("apple.yaml"), 1))]
    pear = [Term("apple", "배", "", (), "A fruit.", None, (), (), True, Loc(Path("apple.yaml"), 1))]
    first = process_keys(apple)
    first.index_text("애플을")
    assert process_keys(list(apple)) is first
    changed = process_keys(pear)  # the same term id, another form: keys of its own
    assert changed is not first and list(bundle.MADE_KEYS.values()) == [changed]
    assert shown_text(changed.index_text("애플을 배를")) == "애플을 배를"
    assert f"^{MARK}사과{MARK}" not in changed.index_text("애플을") and f"^{MARK}배{MARK}" in changed.index_text("배를")
    assert f"^{MARK}사과{MARK}" in process_keys(apple).index_text("애플을")


def test_a_bundle_with_an_empty_or_cut_file_is_not_whole(korean: Callable[..., Run], tmp_path: Path) -> None:
    bundle = korean().site / "pagefind"
    assert bundle_problem(bundle) == ""
    index = next((bundle / "index").glob("*.pf_index"))
    whole = index.read_bytes()
    index.write_bytes(whole[: len(whole) // 2])
    assert bundle_problem(bundle) == f"index/{index.name} is empty or cut short"
    index.write_bytes(b"")
    assert bundle_problem(bundle) == f"index/{index.name} is empty or cut short"
    index.write_bytes(whole)
    (bundle / "pagefind.js").write_bytes(b"")
    assert bundle_problem(bundle) == "pagefind.js is missing or empty"


def test_a_kept_cache_gives_the_same_index_as_a_fresh_one(tmp_path: Path) -> None:
    write_tree(tmp_path, KOREAN)
    options = Options(tmp_path / "content")
    made = make(options, search=False)
    cache = Cache()
    first = search_bundle(made.outputs, made.site, cache)
    section = cache.section("search")
    assert {"read:intro/index.html", "read:facts/index.html"} <= set(section.entries)
    kept = section.entries["read:intro/index.html"].value
    again = search_bundle(made.outputs, made.site, cache)
    assert again.outputs == first.outputs and section.entries["read:intro/index.html"].value is kept  # read once
    write_tree(tmp_path, {"content/pages/intro.md": KOREAN["content/pages/intro.md"] + "\n팹리스들의 이야기.\n"})
    edited = make(options, search=False)
    cached = search_bundle(edited.outputs, made.site, cache)
    assert section.entries["read:intro/index.html"].value is not kept  # its bytes changed: read again
    assert cached.outputs == search_bundle(edited.outputs, made.site).outputs != first.outputs


def test_links_are_checked_and_pages_written_while_pagefind_indexes(make_site: Callable[..., Run], tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    events: list[str] = []
    running: list[Pagefind] = []
    start, check, wait = bundle.start_pagefind, pipeline.check_output_links, Pagefind.wait

    def started(*args: Any) -> Pagefind:
        running.append(start(*args))
        events.append("pagefind started")
        return running[-1]

    def checked(*args: Any) -> list[Problem]:
        events.append(f"links checked while pagefind {'runs' if running[0].process.poll() is None else 'had ended'}")
        return check(*args)

    def waited(self: Pagefind, *args: Any) -> None:
        staged = [folder for folder in site.parent.glob(".site.new-*") if (folder / "intro" / "index.html").is_file()]
        events.append(f"pagefind waited for, {'after' if staged else 'before'} the pages were written")
        wait(self, *args)

    monkeypatch.setattr(bundle, "start_pagefind", started)
    monkeypatch.setattr(pipeline, "check_output_links", checked)
    monkeypatch.setattr(Pagefind, "wait", waited)
    site = tmp_path / "site"
    built = make_site({}, "build", "--no-cache")
    assert built.code == 0, built.err
    assert events[0] == "pagefind started" and events[-1] == "pagefind waited for, after the pages were written"
    assert events[1].startswith("links checked while pagefind")  # it may finish first on a tiny site
    assert (built.site / "pagefind" / "pagefind-entry.json").is_file()


def test_a_link_error_stops_pagefind_and_leaves_no_documents(make_site: Callable[..., Run],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    running: list[Pagefind] = []
    start = bundle.start_pagefind

    def started(source: Path, target: Path, language: str) -> Pagefind:
        # Pagefind as slow as on a large site: still running when the link check fails
        found = start(source, target, language)
        found.process.kill()
        found.process.wait()
        found.process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
        running.append(found)
        return found

    monkeypatch.setattr(bundle, "start_pagefind", started)
    broken = {"content/pages/intro.md": "---\ntitle: Introduction\n---\nSee [the facts](/facts/#fact-skyy).\n"}
    failed = make_site(broken, "build", "--strict", "--no-cache")
    assert failed.code == 1 and "Build failed (links)" in failed.err, failed.err
    assert running and running[0].process.poll() is not None  # stopped, not left running
    assert running[0].said.closed
    assert not running[0].bundle.parent.exists()  # its documents' folder removed before the command returned


def test_pagefinds_program_is_found_where_its_package_looks(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Found without loading pagefind.service (asyncio with it), in the same places and order as it looks."""
    from pagefind.service import get_executable

    from explainer.search import pagefind

    monkeypatch.delenv("PAGEFIND_BINARY_PATH", raising=False)
    assert pagefind.pagefind_program() == get_executable()
    assert pagefind.pagefind_program() is not None and pagefind.pagefind_program().is_file()
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/elsewhere/pagefind")
    assert pagefind.pagefind_program() == get_executable() == Path("/elsewhere/pagefind")
    monkeypatch.delenv("PAGEFIND_BINARY_PATH")

    class Emptied:  # a package whose program is gone, as pagefind_bin says it: FileNotFoundError
        @staticmethod
        def get_executable() -> Path:
            raise FileNotFoundError("pagefind")

    def no_package(name: str) -> object:
        if name == "pagefind_bin":
            return Emptied
        raise ImportError(name)

    monkeypatch.setattr(pagefind.importlib, "import_module", no_package)  # neither pagefind[bin] nor [extended]
    program = tmp_path / "pagefind"
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert pagefind.pagefind_program() == program
    monkeypatch.setenv("PATH", str(tmp_path / "none"))
    assert pagefind.pagefind_program() is None
    code = "import sys; from explainer.search.pagefind import pagefind_program; pagefind_program(); print('asyncio' in sys.modules)"
    monkeypatch.setenv("PATH", os.defpath)
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "False"
