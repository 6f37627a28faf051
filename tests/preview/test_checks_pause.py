"""When the preview server starts the search index and the link check: once the edits pause, for longer on a
site where they take long, and longer again each time an edit cuts them short."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import MINI, write_tree
from explainer.cancel import Cancelled
from explainer.model import Options
from explainer.preview import server
from explainer.preview.events import Event
from support import serving_in_thread


def test_the_checks_wait_for_a_pause_as_long_as_a_share_of_what_they_took() -> None:
    least, most, share = server.LINK_CHECK_PAUSE, server.CHECKS_PAUSE_MOST, server.CHECKS_PAUSE_SHARE
    assert server.next_pause(least, 0.1, done=True) == least  # a small site's: the shortest pause
    assert server.next_pause(most, 4.0, done=True) == pytest.approx(4.0 * share)  # done: what they took, not the last pause
    assert server.next_pause(least, 600.0, done=True) == most
    pause, waits = least, []
    for _ in range(6):  # an edit cuts them short each time: the edits come faster than they finish
        pause = server.next_pause(pause, 0.2, done=False)
        waits.append(pause)
    assert waits == sorted(waits) and waits[0] == 2 * least and waits[-1] == most
    assert server.next_pause(least, 5.0 / share, done=False) == most  # cut short after as long: never less than measured
    assert server.next_pause(most, 0.5, done=True) == least  # once they run to the end, from what they took again


def test_checks_an_edit_cuts_short_wait_for_a_longer_pause_next(site_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(site_root, dict(MINI))
    monkeypatch.setattr(server, "LINK_CHECK_PAUSE", 0.05)
    monkeypatch.setattr(server, "CHECKS_PAUSE_SHARE", 0.0)  # however long the cut-short run took: the shortest pause, doubled
    events: list[Event] = []
    running = server.Server(Options(site_root / "content", site_root / "site"), "127.0.0.1", 0, events.append)
    started = threading.Event()

    def slow_index(job: object, cancelled: Callable[[], bool]) -> None:
        started.set()
        while not cancelled():  # an index that takes longer than the edits leave it
            time.sleep(0.01)
        raise Cancelled

    monkeypatch.setattr(running.rebuilder, "index", slow_index)

    with serving_in_thread(running):
        assert started.wait(60), "the checks never started"
        assert running.pause == 0.05
        page = site_root / "content/pages/intro.md"
        page.write_text(page.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
        deadline = time.monotonic() + 60
        while running.pause == 0.05 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert running.pause == 0.1  # cut short by the edit: twice the pause before the next start


def test_only_checks_that_started_change_the_pause_and_only_those_that_ended_collect(site_root: Path,
                                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(site_root, dict(MINI))
    monkeypatch.setattr(server, "LINK_CHECK_PAUSE", 0.05)
    running = server.Server(Options(site_root / "content", site_root / "site"), "127.0.0.1", 0, lambda event: None)
    collected: list[int] = []
    monkeypatch.setattr(running, "busy", lambda: False)
    monkeypatch.setattr(running.collector, "due", lambda: True)
    monkeypatch.setattr(running.collector, "when_idle", lambda: collected.append(1) or 0)
    entered = asyncio.Event()

    async def endless() -> float | None:
        entered.set()
        await asyncio.sleep(60)
        return 60.0

    async def cut() -> float | None:
        return None  # an edit stopped them (cancel_check)

    async def ending() -> float | None:
        return 0.8  # seconds of work

    async def cancelled_after(task: asyncio.Future[None], wait: Callable[[], Awaitable[object]]) -> None:
        await wait()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    async def scenario() -> list[tuple[float, int]]:
        seen = []
        monkeypatch.setattr(running, "index_and_check", endless)
        await cancelled_after(asyncio.ensure_future(running.check_links_when_idle()), lambda: asyncio.sleep(0.01))
        seen.append((running.pause, len(collected)))  # cancelled in the pause: the checks never started
        await cancelled_after(asyncio.ensure_future(running.check_links_when_idle()), entered.wait)
        seen.append((running.pause, len(collected)))  # cancelled while they ran
        monkeypatch.setattr(running, "index_and_check", cut)
        await running.check_links_when_idle()
        seen.append((running.pause, len(collected)))  # stopped by an edit
        monkeypatch.setattr(running, "index_and_check", ending)
        await running.check_links_when_idle()
        seen.append((running.pause, len(collected)))  # ran to the end
        return seen

    with ThreadPoolExecutor(1) as thread:  # a loop of its own: the browser tests' Playwright may run one in this thread
        seen = thread.submit(lambda: asyncio.run(scenario())).result(timeout=60)
    running.collector.release()
    assert seen == [(0.05, 0), (0.1, 0), (0.2, 0), (pytest.approx(0.8 * server.CHECKS_PAUSE_SHARE), 1)]


def test_an_edit_stops_the_checks_it_outdated_even_after_the_next_checks_start(site_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An edit stops the checks under way, and they stay stopped: the next run's start does not revive a job of
    theirs that had not yet looked (it waits in the checks' one thread, or is about to look)."""
    write_tree(site_root, dict(MINI))
    monkeypatch.setattr(server, "LINK_CHECK_PAUSE", 0.01)
    running = server.Server(Options(site_root / "content", site_root / "site"), "127.0.0.1", 0, lambda event: None)
    monkeypatch.setattr(running, "busy", lambda: False)
    jobs: list[object] = []
    monkeypatch.setattr(running.rebuilder, "search_job", lambda: jobs.append(object()) or jobs[-1])  # as each run starts
    monkeypatch.setattr(running.rebuilder, "write_search", lambda job, bundle: False)
    monkeypatch.setattr(running.rebuilder, "check_links", lambda cancelled: [])
    looks: list[Callable[[], bool]] = []
    gate = threading.Event()

    def index(job: object, cancelled: Callable[[], bool]) -> object:
        looks.append(cancelled)
        gate.wait(30)  # busy, not yet looking
        if cancelled():
            raise Cancelled
        return object()

    monkeypatch.setattr(running.rebuilder, "index", index)

    async def until(happened: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + 30
        while not happened():
            assert time.monotonic() < deadline, what
            await asyncio.sleep(0.005)

    async def scenario() -> tuple[bool, bool, int]:
        try:
            first = asyncio.ensure_future(running.check_links_when_idle())
            await until(lambda: bool(looks), "the first run's index never started")
            running.queue()  # an edit: the first run's pages are out of date
            first.cancel()  # as the rebuild after it does
            with contextlib.suppress(asyncio.CancelledError):
                await first
            second = asyncio.ensure_future(running.check_links_when_idle())
            await until(lambda: len(jobs) == 2, "the second run never started")
            outdated, current = looks[0](), running.cancel_check.is_set()  # its index waits behind the first's
        finally:
            gate.set()
        await asyncio.wait_for(second, 30)
        return outdated, current, len(looks)

    with ThreadPoolExecutor(1) as thread:  # a loop of its own: the browser tests' Playwright may run one in this thread
        outdated, current, runs = thread.submit(lambda: asyncio.run(scenario())).result(timeout=90)
    running.checker.shutdown(wait=True)
    running.executor.shutdown(wait=True)
    running.collector.release()
    assert outdated, "the first run's index was revived by the second run's start"
    assert not current and runs == 2  # the second run's own: not stopped by the edit before it, and it ran
