"""Both cores: a build whose pages are rendered and read by worker processes is the same bytes as one in a single process."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import MINI, ROOT, run_cli, write_tree
from explainer import workers
from explainer.cache import Cache
from explainer.errors import BuildFailed
from explainer.model import Options
from explainer.pipeline import Made, make

needs_fork = pytest.mark.skipif(not workers.can_fork(), reason="worker processes start by forking (Linux)")


def made(root: Path, jobs: int, *, search: bool = True) -> tuple[list[tuple[str, bytes]], list[str]]:
    """Every file and every warning of a build in memory, with `jobs` processes."""
    result: Made = make(Options(root / "content", root / "site", jobs=jobs), search=search)
    return [(o.path, o.content) for o in result.outputs], [str(p) for p in result.warnings]


def many_pages(root: Path, count: int) -> None:
    """MINI with `count` more pages, linking to each other (one link broken) and using the glossary with particles."""
    files: dict[str, str | None] = dict(MINI)
    for number in range(count):
        files[f"content/pages/p{number:02d}.md"] = (
            f"---\ntitle: Page {number}\nsummary: Page number {number}.\n---\n\n"
            f"The sky again, page {number}. See [the next](/p{(number + 1) % count:02d}/) and [[fact:sky|the fact]].\n\n"
            + ("A [broken link](/nowhere/).\n" if number == 7 else "")
            + "\n".join(f"- item {i} of the sky" for i in range(number % 5)) + "\n")
    write_tree(root, files)


@needs_fork
@pytest.mark.parametrize("search", [True, False])
def test_a_site_built_by_workers_is_the_same_bytes_with_the_same_warnings(tmp_path: Path, search: bool) -> None:
    many_pages(tmp_path, 30)
    one, warned = made(tmp_path, 1, search=search)
    assert any("nowhere" in w for w in warned)
    assert made(tmp_path, 2, search=search) == (one, warned)
    assert made(tmp_path, 3, search=search) == (one, warned)  # more workers than cores: slices of other sizes


@needs_fork
@pytest.mark.parametrize("site", ["", "examples/english"])
def test_the_flagship_and_the_example_built_by_workers_are_the_same_bytes(tmp_path: Path, site: str) -> None:
    options = {jobs: Options(ROOT / site / "content", tmp_path / "site", jobs=jobs) for jobs in (1, 2)}
    one, two = make(options[1]), make(options[2])
    assert [(o.path, o.content) for o in two.outputs] == [(o.path, o.content) for o in one.outputs]
    assert two.warnings == one.warnings


@needs_fork
def test_workers_draw_the_cards_of_the_pages_they_render(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from explainer.media.cards import CardMaker

    many_pages(tmp_path, 30)
    drawn: list[str] = []  # by this process only: a forked worker counts in its own copy
    draw = CardMaker.draw
    monkeypatch.setattr(CardMaker, "draw", lambda self, card: drawn.append(card.title) or draw(self, card))
    made(tmp_path, 1, search=False)
    alone = list(drawn)
    drawn.clear()
    made(tmp_path, 2, search=False)
    assert {f"Page {number}" for number in range(30)} <= set(alone)
    assert set(alone) - set(drawn) >= {f"Page {number}" for number in range(30)}  # the narrative pages' cards came from workers
    assert drawn  # the build's own pages (home, facts, glossary …) are still drawn here


@needs_fork
def test_workers_draw_the_cards_of_the_pages_the_build_renders_itself_when_there_are_many(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from explainer.media.cards import CardMaker

    many_pages(tmp_path, 30)
    one, warned = made(tmp_path, 1, search=False)
    drawn: list[str] = []  # by this process only
    draw = CardMaker.draw
    monkeypatch.setattr(CardMaker, "draw", lambda self, card: drawn.append(card.title) or draw(self, card))
    monkeypatch.setattr(workers, "PARALLEL_CARDS", 2)  # the test site's own pages (home, indexes, terms) are a handful
    assert made(tmp_path, 2, search=False) == (one, warned)
    assert drawn == []  # every card came from a worker, the same bytes as drawn here
    assert sum(path.startswith("cards/") for path, _ in one) > 30
    monkeypatch.setattr(workers, "PARALLEL_CARDS", 10_000)
    assert made(tmp_path, 2, search=False) == (one, warned)
    assert drawn  # too few to start workers for: drawn here


def watched(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What this process does, in order: a card drawn, Pagefind started, a page read for its links (a worker's own
    copy of the list never comes back)."""
    from explainer.media.cards import CardMaker
    from explainer.output import linkcheck
    from explainer.search import bundle

    events: list[str] = []
    draw, start, parse = CardMaker.draw, bundle.start_pagefind, linkcheck.parse_page
    monkeypatch.setattr(CardMaker, "draw", lambda self, card: events.append("card") or draw(self, card))
    monkeypatch.setattr(bundle, "start_pagefind", lambda *args: events.append("pagefind") or start(*args))
    monkeypatch.setattr(linkcheck, "parse_page", lambda *args: events.append("read") or parse(*args))
    return events


@needs_fork
@pytest.mark.parametrize(("jobs", "beside"), [(1, 1), (2, 1), (2, 10_000)])
def test_with_workers_and_a_search_index_a_large_site_draws_the_cards_and_reads_the_links_while_pagefind_indexes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int, beside: int) -> None:
    # `beside`: the narrative pages from which a site is large enough (the test site has 30); in one process, or on a
    # small site (its Pagefind is over soon, on both cores), the cards are drawn before Pagefind starts, by the workers
    many_pages(tmp_path, 30)
    one, warned = made(tmp_path, 1, search=False)
    monkeypatch.setattr(workers, "BESIDE_PAGEFIND_PAGES", beside)
    events = watched(monkeypatch)
    files, warnings = made(tmp_path, jobs, search=True)
    assert warnings == warned
    assert sorted((path, content) for path, content in files if not path.startswith("pagefind/")) == sorted(one)  # the same
    cards, pages = sum(path.startswith("cards/") for path, _ in one), sum(path.endswith(".html") for path, _ in one)
    if jobs == 1:
        assert events == [*["card"] * cards, "pagefind", *["read"] * pages]
    elif beside == 1:  # all of them here, none by a worker, once Pagefind had started
        assert events == ["pagefind", *["card"] * cards, *["read"] * pages]
    else:  # the workers' share by the workers, the rest here before Pagefind starts
        assert events.index("pagefind") == events.count("card") < cards - 30 and events.count("read") < pages - 30


@needs_fork
def test_a_strict_build_with_workers_stops_on_a_cards_missing_character_before_pagefind_starts(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    many_pages(tmp_path, 30)
    page = tmp_path / "content/pages/p03.md"
    page.write_text(page.read_text(encoding="utf-8").replace("title: Page 3", "title: Page 3 \U0001F389"), encoding="utf-8")
    monkeypatch.setattr(workers, "BESIDE_PAGEFIND_PAGES", 1)
    events = watched(monkeypatch)
    with pytest.raises(BuildFailed) as failed:
        make(Options(tmp_path / "content", tmp_path / "site", jobs=2, strict=True), search=True)
    assert failed.value.stage == "render"
    assert [p.severity for p in failed.value.problems if "drawn without" in p.message] == ["error"]
    assert "pagefind" not in events and "card" not in events  # nothing started, nothing drawn


def test_a_small_site_or_one_job_builds_in_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "cores", lambda: 2)
    monkeypatch.setattr(workers, "busy_cores", lambda: 0.3)
    assert workers.processes(Options(Path("c")), workers.PARALLEL_PAGES - 1) == 1
    assert workers.processes(Options(Path("c"), jobs=1), 10_000) == 1
    expected = 2 if workers.can_fork() else 1
    assert workers.processes(Options(Path("c")), workers.PARALLEL_PAGES) == expected
    assert workers.processes(Options(Path("c"), jobs=3), 5) == (3 if workers.can_fork() else 1)


def test_a_build_whose_cache_holds_the_pages_never_starts_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # the preview server's cache holds every page but the one edited: rendering all of them again elsewhere would be slower
    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("workers started")

    many_pages(tmp_path, 5)
    options = Options(tmp_path / "content", tmp_path / "site", jobs=2)
    cache = Cache()
    make(options, cache, search=False)  # an empty cache (a cold build's, or the first preview): workers render
    monkeypatch.setattr(workers, "prerender", refuse)
    monkeypatch.setattr(workers, "analyse", refuse)
    make(options, cache, search=False)


@needs_fork
def test_a_cold_build_with_the_cache_on_disk_renders_in_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[int] = []
    prerender = workers.prerender
    monkeypatch.setattr(workers, "prerender", lambda *args, **kwargs: started.append(args[4]) or prerender(*args, **kwargs))
    many_pages(tmp_path, 5)
    assert run_cli(tmp_path, "build", "--jobs", "2").code == 0
    assert started == [2]
    (tmp_path / "content" / "pages" / "p01.md").write_text("---\ntitle: Edited\n---\n\nOne page edited.\n", encoding="utf-8")
    assert run_cli(tmp_path, "build", "--jobs", "2").code == 0
    assert started == [2]  # a warm build: the cache on disk holds every page but the one edited


def test_slices_hold_every_index_once_in_order() -> None:
    for total in range(0, 30):
        for count in range(1, 9):
            runs = workers.split(range(total), count)
            assert [i for run in runs for i in run] == list(range(total))
            assert len(runs) <= count and all(runs)
            sizes = [len(run) for run in runs]
            assert not sizes or max(sizes) - min(sizes) <= 1
    dealt = workers.balance([3, 5, 8, 9], [100, 1, 1, 1], 2)
    assert sorted(i for part in dealt for i in part) == [3, 5, 8, 9]
    assert [3] in dealt  # the largest page (a print edition) is a slice of its own


def test_jobs_is_a_number_of_processes(tmp_path: Path) -> None:
    write_tree(tmp_path, dict(MINI))
    with pytest.raises(SystemExit):
        run_cli(tmp_path, "build", "--jobs", "-1")
    ran = run_cli(tmp_path, "build", "-q", "--jobs", "2", "--no-search")
    assert ran.code == 0, ran.err
    assert (tmp_path / "site" / "index.html").is_file()


def test_cores_other_programs_keep_busy_now_are_not_counted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "cores", lambda: 4)
    for busy, idle in ((0.0, 4), (0.4, 4), (0.6, 3), (1.5, 2), (2.2, 2), (3.6, 1), (7.0, 1)):
        monkeypatch.setattr(workers, "busy_cores", lambda busy=busy: busy)
        monkeypatch.setattr(os, "getloadavg", lambda: (9.0, 9.0, 9.0))  # what ran in the last minute does not count
        assert workers.idle_cores() == idle
        assert workers.processes(Options(Path("c")), 1000) == (idle if workers.can_fork() else 1)


def test_busy_cores_are_measured_from_the_cpu_time_others_spend(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(workers, "cores", lambda: 2)
    readings = iter([(1000, 2000), (1010, 2020)])  # of 20 ticks on the 2 cores, 10 idle: one core busy
    monkeypatch.setattr(workers, "cpu_times", lambda allowed=None: next(readings))
    assert workers.busy_cores(0.0) == 1.0
    readings = iter([(1000, 2000), (1000, 2000)])  # no tick went by: nothing known
    assert workers.busy_cores(0.0) is None
    readings = iter([(1000, 2000), (990, 2020)])  # a reading that makes no sense is held to what can be
    assert workers.busy_cores(0.0) == 2.0
    monkeypatch.undo()
    # only the cores this process may run on count: on a large machine, others may be busy on cores it never gets
    stat = tmp_path / "stat"
    stat.write_text("cpu  50 0 50 300 20 0 0 0 0 0\ncpu0 10 0 10 100 0 0 0 0 0 0\ncpu1 30 0 30 0 0 0 0 0 0 0\n"
                    "cpu2 10 0 10 200 20 0 0 0 0 0\nintr 12345 0 0\nctxt 999\n")
    assert workers.cpu_times({0, 2}, str(stat)) == (320, 360)  # idle and waiting on the disk, and every tick
    assert workers.cpu_times(None, str(stat)) == (320, 420)
    if os.path.exists("/proc/stat"):  # this machine's, as the build reads it
        idle, total = workers.cpu_times()
        assert 0 < idle <= total
        busy = workers.busy_cores(0.05)
        assert busy is None or 0.0 <= busy <= workers.cores()


def test_without_proc_stat_the_load_average_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "cores", lambda: 4)
    monkeypatch.setattr(workers, "busy_cores", lambda: None)
    for load, idle in ((0.2, 4), (1.9, 4), (2.5, 3), (3.0, 2), (9.0, 1)):
        monkeypatch.setattr(os, "getloadavg", lambda load=load: (load, 0.0, 0.0))
        assert workers.idle_cores() == idle
        assert workers.processes(Options(Path("c")), 1000) == (idle if workers.can_fork() else 1)
    assert workers.processes(Options(Path("c"), jobs=4), 1000) == (4 if workers.can_fork() else 1)  # asked for: as asked


def test_a_system_without_a_load_average_counts_every_core(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing() -> tuple[float, float, float]:
        raise OSError("no load average")

    monkeypatch.setattr(workers, "cores", lambda: 2)
    monkeypatch.setattr(workers, "busy_cores", lambda: None)
    monkeypatch.setattr(os, "getloadavg", missing)
    assert workers.idle_cores() == 2


@needs_fork
def test_the_print_edition_of_pages_rendered_by_workers_loads_every_image_at_once(tmp_path: Path) -> None:
    # a worker renders its pages' parts of the print edition: they once came back with loading="lazy" after the
    # worker's first image (a PDF would miss them), unlike a build in one process
    import io

    from PIL import Image

    many_pages(tmp_path, 30)
    out = io.BytesIO()
    Image.new("RGB", (400, 200), (20, 90, 160)).save(out, "PNG")
    (tmp_path / "content/files").mkdir()
    (tmp_path / "content/files/chart.png").write_bytes(out.getvalue())
    for number in range(30):
        page = tmp_path / f"content/pages/p{number:02d}.md"
        page.write_text(page.read_text(encoding="utf-8") + "\n![A chart](../files/chart.png){credit=own}\n", encoding="utf-8")
    one, _ = made(tmp_path, 1, search=False)
    two, _ = made(tmp_path, 2, search=False)
    printed = dict(two)["print/index.html"].decode("utf-8")
    assert printed.count("chart") >= 30 and 'loading="lazy"' not in printed
    assert two == one


def cards_made(root: Path, monkeypatch: pytest.MonkeyPatch, idle: int) -> tuple[list[tuple[str, bytes]], list[str], list[str]]:
    """A build in one process with the disk cache's kind of cache, the watch saying `idle` cores were idle: its files, its
    warnings and the titles of the cards this process drew itself."""
    from explainer.media.cards import CardMaker

    drawn: list[str] = []  # by this process only: a forked one counts in its own copy
    draw = CardMaker.draw
    monkeypatch.setattr(CardMaker, "draw", lambda self, card: drawn.append(card.title) or draw(self, card))
    monkeypatch.setattr(workers.CoreWatch, "idle_cores", lambda self: idle)
    result = make(Options(root / "content", root / "site"), Cache(), search=False)
    return [(o.path, o.content) for o in result.outputs], [str(p) for p in result.warnings], drawn


@needs_fork
def test_a_build_in_one_process_has_a_second_draw_its_cards_when_a_core_is_idle(tmp_path: Path,
                                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    many_pages(tmp_path, 30)  # 30 narrative pages: fewer than workers render, more cards than CARDS_BESIDE
    assert workers.processes(Options(tmp_path / "content"), 32) == 1
    files, warnings, drawn_here = cards_made(tmp_path, monkeypatch, 0)
    assert len(drawn_here) >= workers.CARDS_BESIDE
    aside_files, aside_warnings, drawn_aside = cards_made(tmp_path, monkeypatch, 1)
    assert drawn_aside == []  # every card drawn by the second process
    assert aside_files == files and aside_warnings == warnings


@needs_fork
@pytest.mark.parametrize("search", [True, False])
def test_a_strict_build_with_cards_drawn_aside_stops_on_a_missing_character(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                           search: bool) -> None:
    """Before Pagefind starts, and without waiting for the second process to draw them all."""
    import explainer.search
    from explainer.media.cards import CardMaker

    many_pages(tmp_path, 30)
    page = tmp_path / "content/pages/p03.md"
    page.write_text(page.read_text(encoding="utf-8").replace("title: Page 3", "title: Page 3 \U0001F389"), encoding="utf-8")
    monkeypatch.setattr(workers.CoreWatch, "idle_cores", lambda self: 1)
    asides: list[workers.CardsAside] = []
    start = workers.cards_aside
    monkeypatch.setattr(workers, "cards_aside", lambda *args: asides.append(found := start(*args)) or found)  # type: ignore[func-returns-value]
    drawn: list[str] = []
    draw = CardMaker.draw
    monkeypatch.setattr(CardMaker, "draw", lambda self, card: drawn.append(card.title) or draw(self, card))
    started: list[object] = []
    monkeypatch.setattr(explainer.search, "start_search", lambda *args: started.append(args))
    with pytest.raises(BuildFailed) as failed:
        make(Options(tmp_path / "content", tmp_path / "site", strict=True), Cache(), search=search)
    assert failed.value.stage == "render"
    assert [p.severity for p in failed.value.problems if "drawn without" in p.message] == ["error"]
    assert asides and asides[0] is not None and drawn == [] and started == []  # the aside's path: nothing drawn here, no index


def test_the_core_watch_counts_what_others_spent_not_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "cores", lambda: 2)
    monkeypatch.setattr(os, "sysconf", lambda name: 100)  # ticks a second
    readings = iter([(100, 200), (300, 600)])  # over the stretch: 400 ticks of 2 cores, 200 of them idle
    monkeypatch.setattr(workers, "cpu_times", lambda allowed=None: next(readings))
    clock = iter([10.0, 11.0])  # this process spent 1 s (100 ticks): the others, 100 ticks of a core's 200
    assert workers.CoreWatch(lambda: next(clock)).idle_cores() == 1
    readings = iter([(100, 200), (200, 600)])  # only 100 idle: the others kept a core busy
    clock = iter([10.0, 11.0])
    assert workers.CoreWatch(lambda: next(clock)).idle_cores() == 0

    def unreadable(allowed: object = None) -> tuple[int, int]:
        raise OSError("no /proc/stat")

    monkeypatch.setattr(workers, "cpu_times", unreadable)
    assert workers.CoreWatch().idle_cores() == 0  # unknown: no second process
