"""The preview's garbage collection: frozen after each build, collected in a pause, given back when the server stops."""

from __future__ import annotations

import gc
import time
import weakref
from pathlib import Path

import pytest

from conftest import MINI, write_tree
from explainer.model import Options
from explainer.preview import memory, server
from explainer.preview.events import Event, LinksChecked
from support import serving_in_thread


class Cycle:
    def __init__(self) -> None:
        self.me = self


def test_what_a_build_left_is_frozen_until_a_pause_collects_it() -> None:
    collector = memory.Collector()
    try:
        garbage = Cycle()
        alive = weakref.ref(garbage)
        collector.after_build()
        assert gc.get_freeze_count() > 0
        del garbage
        gc.collect()
        assert alive() is not None  # frozen: an ordinary collection (one in a rebuild) does not walk it
        assert not collector.due()
        for _ in range(memory.BUILDS - 1):
            collector.after_build()
        assert collector.due()
        assert collector.when_idle() >= 1 and alive() is None  # collected in the pause
        assert not collector.due() and gc.get_freeze_count() > 0
    finally:
        collector.release()
    assert gc.get_freeze_count() == 0


def test_what_a_failed_build_left_is_collected_before_it_is_frozen() -> None:
    """No link check follows a failed build, so no pause may come: a rendering stopped at a bound left its frames in
    cycles with all it made, and each failed rebuild would add as much."""
    collector = memory.Collector()
    try:
        garbage = Cycle()
        alive = weakref.ref(garbage)
        del garbage
        collector.after_build(failed=True)
        assert alive() is None
        kept = Cycle()
        kept_alive = weakref.ref(kept)
        collector.after_build(failed=True)
        assert kept_alive() is kept  # what is still in use is only frozen
    finally:
        collector.release()


def test_the_server_collects_in_a_pause_and_gives_the_collector_back(site_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(site_root, dict(MINI))
    monkeypatch.setattr(memory, "BUILDS", 1)
    monkeypatch.setattr(server, "LINK_CHECK_PAUSE", 0.05)
    events: list[Event] = []
    running = server.Server(Options(site_root / "content", site_root / "site"), "127.0.0.1", 0, events.append)
    collected: list[int] = []
    when_idle = running.collector.when_idle

    def counted() -> int:
        collected.append(when_idle())
        return collected[-1]

    monkeypatch.setattr(running.collector, "when_idle", counted)

    with serving_in_thread(running):
        deadline = time.monotonic() + 60
        while not (collected and any(isinstance(event, LinksChecked) for event in events)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert collected, "no collection in the pause after the link check"
        assert gc.get_freeze_count() > 0  # what the build left is out of the collector's walks meanwhile
    assert gc.get_freeze_count() == 0
