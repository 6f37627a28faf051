"""Incremental rebuilds (the preview server's): after any series of edits, the output is byte-identical
to a clean build of the same content, and an edit to one page's text re-renders only what it affects."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import MINI, ROOT, write_tree
from explainer.cancel import Cancelled
from explainer.errors import BuildFailed
from explainer.model import Options
from explainer.pipeline import build
from explainer.preview.rebuild import Rebuilder, Rebuilt
from support import snapshot


@pytest.fixture
def english(tmp_path: Path) -> Iterator[Path]:
    """A copy of the English example (its own footer template, an archive) to edit freely."""
    root = tmp_path / "english"
    shutil.copytree(ROOT / "examples" / "english", root)
    before = Path.cwd()
    os.chdir(root)
    try:
        yield root
    finally:
        os.chdir(before)


def clean_build(root: Path) -> dict[str, bytes]:
    out = root.parent / "clean"
    shutil.rmtree(out, ignore_errors=True)
    build(Options(root / "content", out))
    return snapshot(out)


def rebuild(rebuilder: Rebuilder, root: Path, changes: dict[str, str | None]) -> Rebuilt:
    write_tree(root, changes)
    return rebuilder.build()


def edit(root: Path, path: str, old: str, new: str) -> dict[str, str | None]:
    text = (root / path).read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    return {path: text.replace(old, new, 1)}


def test_incremental_output_is_byte_identical_to_a_clean_build(english: Path) -> None:
    rebuilder = Rebuilder(Options(english / "content", english / "site"))
    first = rebuilder.build()
    assert first.number == 1
    assert snapshot(english / "site") == clean_build(english)
    page = "content/pages/speech.md"
    steps: list[dict[str, str | None]] = [
        {page: (english / page).read_text(encoding="utf-8") + "\nA new closing paragraph about the score of years.\n"},
        edit(english, "content/glossary/hallow.yaml", "short: ", "short: Changed, "),
        # a term's own text links another term: both term pages change (each lists where the other appears)
        {"content/glossary/score.yaml": (english / "content/glossary/score.yaml").read_text(encoding="utf-8")
         .replace("body: An old way", "body: A proposition aside, an old way")},
        # the archive's lines (not its words) and the share a source's excerpts may take: the quote check says it again
        {"archive/gettysburg-bliss-copy.txt": "\n\n" + (english / "archive/gettysburg-bliss-copy.txt").read_text(encoding="utf-8")},
        edit(english, "content/site.yaml", "quote_share: 60", "quote_share: 2"),
        edit(english, "content/facts/speech.yaml", "claim: ", "claim: Reworded, "),
        {"content/pages/later.md": "---\ntitle: Later\nsummary: A second page.\norder: 9\n---\n\nWords on a second page.\n"},
        edit(english, "templates/footer.html", "</footer>", "<p>edited footer</p></footer>"),
        {"templates/term.html": (ROOT / "templates" / "term.html").read_text(encoding="utf-8").replace("<h1>", "<h1 class=own>")},
        edit(english, "content/site.yaml", "title: ", "title: Retitled "),
        {"templates/static/extra.css": "body { margin: 0 }\n"},  # a theme file that is copied, not rendered
        {"content/site.yaml": (english / "content/site.yaml").read_text(encoding="utf-8") + "labels:\n  facts: Claims\n"},
        {"content/pages/later.md": None, "templates/static/extra.css": None},
        {"templates/term.html": None},
        {page: (english / page).read_text(encoding="utf-8") + "\nSecond addition.\n"},
    ]
    for number, changes in enumerate(steps, start=2):
        result = rebuild(rebuilder, english, changes)
        assert result.number == number
        assert snapshot(english / "site") == clean_build(english), f"step {number}: {sorted(changes)}"


def test_the_flagship_stays_byte_identical_through_edits(tmp_path: Path) -> None:
    root = tmp_path / "flagship"
    shutil.copytree(ROOT / "content", root / "content")
    if (ROOT.parent / "shared").is_dir():  # the archives its sources name, so quotes are checked as in a real build
        (tmp_path / "shared").symlink_to(ROOT.parent / "shared")
    before = Path.cwd()
    os.chdir(root)
    try:
        rebuilder = Rebuilder(Options(root / "content", root / "site"))
        rebuilder.build()
        overview = (root / "content/pages/overview.md").read_text(encoding="utf-8")
        steps: list[dict[str, str | None]] = [
            {"content/pages/overview.md": overview + "\n팹리스와 파운드리는 서로 다른 일을 합니다.\n"},
            {"content/pages/overview.md": overview.replace("## 왜 손을 잡았나", "## 왜 손을 잡았을까")},
            edit(root, "content/glossary/fabless.yaml", "short: ", "short: 말하자면 "),
            edit(root, "content/facts/chips.yaml", "claim: AI 반도체", "claim: 인공지능 반도체"),
            {"content/pages/extra.md": "---\ntitle: 덧붙임\norder: 5\n---\n\n파운드리를 다시 설명합니다.\n\n[[timeline]]\n"},
            {"content/pages/extra.md": None, "content/pages/overview.md": overview},
            # a page's dates and corrections live in its file, beside its body: the corrections page and the print
            # edition show every page's (site_history), and must follow them (they once kept the old date)
            edit(root, "content/pages/chips.md", "updated: 2026-12-05", "updated: 2027-01-09"),
            edit(root, "content/pages/overview.md", "이제는 기사마다", "이제는 기사별로"),
            {"content/pages/overview.md": overview + "\n덧붙인 문단.\n"},
        ]
        for number, changes in enumerate(steps, start=2):
            rebuild(rebuilder, root, changes)
            assert snapshot(root / "site") == clean_build(root), f"step {number}: {sorted(changes)}"
    finally:
        os.chdir(before)


def test_a_failed_rebuild_writes_nothing_and_the_next_good_one_catches_up(english: Path) -> None:
    rebuilder = Rebuilder(Options(english / "content", english / "site"))
    rebuilder.build()
    before = snapshot(english / "site")
    good_term = (english / "content/glossary/hallow.yaml").read_text(encoding="utf-8")
    page = (english / "content/pages/speech.md").read_text(encoding="utf-8")
    with pytest.raises(BuildFailed) as failed:
        rebuild(rebuilder, english, {"content/glossary/hallow.yaml": "term: [\n", "content/pages/speech.md": page + "\nMore.\n"})
    assert failed.value.problems[0].path == "content/glossary/hallow.yaml"
    assert snapshot(english / "site") == before
    rebuild(rebuilder, english, {"content/glossary/hallow.yaml": good_term})
    assert snapshot(english / "site") == clean_build(english)


def test_editing_one_page_renders_only_what_it_affects(site_root: Path) -> None:
    files: dict[str, str | None] = dict(MINI)
    for number in range(1, 6):
        files[f"content/pages/extra-{number}.md"] = f"---\ntitle: Extra {number}\norder: {number + 1}\n---\n\nPage {number} under the sky.\n"
    write_tree(site_root, files)
    rebuilder = Rebuilder(Options(site_root / "content", site_root / "site"))
    rebuilder.build()
    result = rebuild(rebuilder, site_root, {"content/pages/extra-3.md": "---\ntitle: Extra 3\norder: 4\n---\n\nPage three, edited.\n"})
    # the page itself, the print edition that holds every page, and the term page that lists where
    # the term appears (it no longer does there)
    pages = tuple(path for path in result.changed if not path.startswith("pagefind/"))  # the search index follows any text
    assert pages == ("extra-3/index.html", "print/index.html", "glossary/sky/index.html")
    printed = (site_root / "site/print/index.html").read_text(encoding="utf-8")
    assert "Page three, edited." in printed and "Page 3 under" not in printed and "Page 4 under" in printed
    assert result.reused >= 5  # the five other narrative pages came from the cache
    untouched = rebuild(rebuilder, site_root, {})
    assert untouched.changed == () and untouched.removed == ()


def test_a_term_whose_text_links_another_renders_each_term_page_once(english: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the links the term pages make to each other are gathered before they are rendered; gathered from the cache while
    # the site is unchanged, gathered again when it changed (an old gathering would render them all a second time)
    from explainer.render.pages import Renderer

    rendered: list[str] = []
    render_term = Renderer._term

    def counted(self: Renderer, ctx: object, term: object, history: object) -> object:
        rendered.append(term.id)  # type: ignore[attr-defined]
        return render_term(self, ctx, term, history)  # type: ignore[arg-type]

    monkeypatch.setattr(Renderer, "_term", counted)
    rebuilder = Rebuilder(Options(english / "content", english / "site"))
    rebuilder.build()
    rendered.clear()
    page = "content/pages/speech.md"
    rebuild(rebuilder, english, {page: (english / page).read_text(encoding="utf-8") + "\nA paragraph with no term.\n"})
    assert rendered == []
    rebuild(rebuilder, english, edit(english, "content/glossary/score.yaml", "body: An old way", "body: A proposition aside, an old way"))
    assert sorted(rendered) == sorted(set(rendered)) and "proposition" in rendered and "score" in rendered
    assert snapshot(english / "site") == clean_build(english)


def test_an_edit_that_leaves_size_and_times_as_they_were_is_still_seen(site_root: Path) -> None:
    """The cache knows a file by its bytes, not by its stat (two writes within one tick of the clock look the same)."""
    write_tree(site_root, dict(MINI))
    rebuilder = Rebuilder(Options(site_root / "content", site_root / "site"))
    rebuilder.build()
    path = site_root / "content/pages/intro.md"
    before = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("Look at", "Gaze up"), encoding="utf-8")  # same size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    rebuilder.build()
    assert "Gaze up" in (site_root / "site/intro/index.html").read_text(encoding="utf-8")


def test_the_link_check_can_wait_and_be_cancelled(site_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(site_root, {**MINI, "content/pages/intro.md": "---\ntitle: Intro\n---\nSee [missing](/nope/).\n"})
    rebuilder = Rebuilder(Options(site_root / "content", site_root / "site"))
    monkeypatch.chdir(site_root)  # the warning names the content file as the user sees it from here
    built = rebuilder.build(links=False)
    assert not any("nope" in p.message for p in built.warnings)
    problems = rebuilder.check_links(lambda: False)
    assert [(p.path, p.line) for p in problems] == [("content/pages/intro.md", 4)] and "'/nope/'" in problems[0].message
    with pytest.raises(Cancelled):
        rebuilder.check_links(lambda: True)


def test_a_fast_rebuild_keeps_the_last_search_index_until_search_brings_it_up_to_date(english: Path) -> None:
    rebuilder = Rebuilder(Options(english / "content", english / "site"))
    rebuilder.build()
    index_before = {p: c for p, c in snapshot(english / "site").items() if p.startswith("pagefind/")}
    changes = edit(english, "content/pages/speech.md", "Lincoln", "Abraham Lincoln")
    write_tree(english, changes)
    fast = rebuilder.build(links=False, search=False)  # what the preview server does on every edit
    assert not [path for path in (*fast.changed, *fast.removed) if path.startswith("pagefind/")]
    assert {p: c for p, c in snapshot(english / "site").items() if p.startswith("pagefind/")} == index_before
    job = rebuilder.search_job()  # what it does once the edits pause
    assert job is not None
    written = rebuilder.write_search(job, rebuilder.index(job))
    assert written and all(path.startswith("pagefind/") for path in written)
    assert snapshot(english / "site") == clean_build(english)


def test_an_index_of_an_older_build_is_not_written(english: Path) -> None:
    rebuilder = Rebuilder(Options(english / "content", english / "site"))
    rebuilder.build()
    job = rebuilder.search_job()
    assert job is not None
    bundle = rebuilder.index(job)
    write_tree(english, edit(english, "content/pages/speech.md", "Lincoln", "Abraham Lincoln"))
    rebuilder.build(links=False, search=False)  # a newer build came while the index was made
    index_before = {p: c for p, c in snapshot(english / "site").items() if p.startswith("pagefind/")}
    assert rebuilder.write_search(job, bundle) == ()
    assert {p: c for p, c in snapshot(english / "site").items() if p.startswith("pagefind/")} == index_before
    newer = rebuilder.search_job()
    assert newer is not None and newer.written == job.written + 1
    assert rebuilder.write_search(newer, rebuilder.index(newer))
    assert snapshot(english / "site") == clean_build(english)


def test_indexing_can_be_cancelled_while_pagefind_runs(english: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rebuilder = Rebuilder(Options(english / "content", english / "site"))
    rebuilder.build()
    job = rebuilder.search_job()
    assert job is not None
    started = tmp_path / "started"
    program = tmp_path / "pagefind"  # a Pagefind that never finishes by itself
    program.write_text(f"#!/bin/sh\ntouch {started}\nexec sleep 60\n", encoding="utf-8")
    program.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(program))
    began = time.monotonic()
    with pytest.raises(Cancelled):
        rebuilder.index(job, lambda: started.exists())
    assert time.monotonic() - began < 10, "the running Pagefind was stopped, not waited for"


def test_a_site_with_images_and_sections_stays_byte_identical_through_edits(english: Path) -> None:
    """Pages taken from the render cache still publish the images, files and social cards they show."""
    import io

    from PIL import Image

    def png(width: int, colour: tuple[int, int, int]) -> bytes:
        out = io.BytesIO()
        Image.new("RGB", (width, width // 2), colour).save(out, "PNG")
        return out.getvalue()

    (english / "content/files").mkdir()
    (english / "content/files/chart.png").write_bytes(png(1200, (20, 90, 160)))
    (english / "content/files/data.csv").write_text("year,words\n1863,272\n", encoding="utf-8")
    page = "content/pages/speech.md"
    write_tree(english, {
        page: (english / page).read_text(encoding="utf-8") + "\n![Words per line](../files/chart.png){credit=own}\n\n"
                                                              "[The counts](../files/data.csv).\n",
        "content/pages/notes/reading.md": "---\ntitle: Reading it aloud\n---\n\n## Pace\n\nSlowly. [Back](../speech.md)\n",
        "content/glossary/hallow.yaml": (english / "content/glossary/hallow.yaml").read_text(encoding="utf-8")
        + "image: {file: ../files/chart.png, alt: The chart again, credit: own}\n",
        "content/site.yaml": (english / "content/site.yaml").read_text(encoding="utf-8") + 'accent: {light: "#7b2cbf", dark: "#c9a0ff"}\n',
    })
    rebuilder = Rebuilder(Options(english / "content", english / "site"))
    rebuilder.build()
    assert snapshot(english / "site") == clean_build(english)
    built = snapshot(english / "site")
    assert any(name.startswith("images/chart-") for name in built) and "files/data.csv" in built and "cards/notes/reading.png" in built
    steps: list[dict[str, str | None]] = [
        edit(english, "content/pages/notes/reading.md", "Slowly.", "Slowly, with pauses."),  # the speech page comes from the cache
        edit(english, "content/glossary/consecrate.yaml", "short: ", "short: Changed, "),
        {"content/pages/notes/reading.md": None},  # the section goes, and its card
        edit(english, page, "[The counts](../files/data.csv).\n", ""),  # the file is no longer published
    ]
    for number, changes in enumerate(steps, start=2):
        rebuild(rebuilder, english, changes)
        assert snapshot(english / "site") == clean_build(english), f"step {number}: {sorted(changes)}"
    assert "files/data.csv" not in snapshot(english / "site")


def test_the_print_edition_is_joined_from_its_frame_and_parts_as_a_whole_rendering_gives(english: Path) -> None:
    # an edit of a page body renders that part again and joins the edition from pieces typeset one by one; marks at
    # a joint, a theme that shows a part twice, and term links around the parts must come out as a whole rendering
    page = "content/pages/later.md"  # no corrections in its front matter: the frame does not read it (speech.md's it does)
    text = "---\ntitle: Later\norder: 9\n---\n\nA second page about the score of years.\n"
    write_tree(english, {page: text})
    rebuilder = Rebuilder(Options(english / "content", english / "site"))
    rebuilder.build()
    parts = rebuilder.cache.section("parts")
    frame = parts.entries["print:frame"]
    assert frame.value.usable
    head, _, body = text.partition("\n---\n")
    steps: list[dict[str, str | None]] = [
        {page: text + "\nScore·hallow 3~5 and `code·x` hallow.\n"},  # held marks inside a part: joined piecewise
        {page: f"{head}\n---\n·Score begins with a mark.\n{body}"},  # a mark at a joint: rendered whole
        {page: text + "\nEnds with a mark ·\n"},
        {page: text},
        edit(english, "content/glossary/score.yaml", "body: ", "body: ·"),  # a term's part starting with a mark
        # what a page's front matter says besides its body (dates, corrections) shows on other pages: the corrections
        # page, the print edition's frame
        {page: text.replace("order: 9\n", "order: 9\nupdated: 2031-02-03\ncorrections:\n  - date: 2031-02-03\n"
                                           "    change: The score of years was counted again.\n    reason: A reader wrote.\n")},
    ]
    for number, changes in enumerate(steps, start=2):
        rebuild(rebuilder, english, changes)
        assert snapshot(english / "site") == clean_build(english), f"step {number}: {changes}"
        if number == 2:
            assert parts.entries["print:frame"] is frame  # the frame was reused: only the edited body was rendered
            kept = dict(parts.entries)
            rebuild(rebuilder, english, {})  # nothing changed: the edition is taken whole from the cache ...
            assert parts.entries == kept  # ... and its frame and parts are kept for the next edit, not dropped
    printed = (ROOT / "templates/print.html").read_text(encoding="utf-8")
    twice = {"templates/print.html": printed.replace("{{ page_body(page) }}", "{% set b = page_body(page) %}{{ b }}{{ b }}")}
    rebuild(rebuilder, english, twice)  # a print template of the site's own: the edition is rendered whole
    assert "print:frame" not in parts.entries
    assert snapshot(english / "site") == clean_build(english)
    rebuild(rebuilder, english, {page: text + "\nOnce more.\n"})
    assert snapshot(english / "site") == clean_build(english)
    assert (english / "site/print/index.html").read_text(encoding="utf-8").count("Once more.") == 2
    trimmed = printed.replace("{{ page_body(page) }}", "{{ page_body(page) | trim }}")
    rebuild(rebuilder, english, {"templates/print.html": trimmed})  # what it does with a part, the frame would not see
    assert snapshot(english / "site") == clean_build(english)
