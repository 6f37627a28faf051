"""The preview server: the built site under its base path, rebuilt and reloaded when the sources change.

One tornado process on 127.0.0.1 by default (http.py answers the requests). The watcher (watch.py) reports bursts of changes;
each burst gives one rebuild (rebuild.py, in a worker thread) and, when anything changed, one
reload message to every open page over Server-Sent Events. Page requests that arrive during a
rebuild wait for it, so nobody sees a half-updated site. A failed build keeps the last good
site on disk and serves an error page listing the problems in place of every page until the
next good build. Only files inside the built site are served, and the paths of the server's
own endpoints start with /__explainer__/, outside any base path a site can have.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import tornado.httpserver

from ..cache import Cache
from ..cancel import Cancelled
from ..content.quotelock import lock_path
from ..errors import BuildFailed, ExplainerError, Problem, display_path
from ..model import Options
from ..render.theme import DEFAULT_THEME
from .events import Building, Event, Failed, LinksChecked, Rebuilt, Started, Stopped
from .http import Preview, make_app
from .listen import listening
from .memory import Collector
from .rebuild import Rebuilder
from .watch import Watcher

T = TypeVar("T")

# The search index and the link check wait for this pause in the edits: they read every page,
# and must never delay the next rebuild (a new change cancels them).
LINK_CHECK_PAUSE = 0.3
# Where they take long, they wait for a longer pause: this share of what they last took, at most
# CHECKS_PAUSE_MOST; and twice the last pause (as long) each time an edit cut them short, since the
# edits then come faster than they finish. Started between edits a second apart (an editor that
# saves while one types), they were cancelled at each edit, and slowed each rebuild beside them: at
# 1,000 pages, where they take about 9 s, edit to served took 0.41-0.43 s (0.35-0.41 s since), 0.34 s
# with them held back (benchmarks/latency.py, edits a second apart).
CHECKS_PAUSE_SHARE = 0.25
CHECKS_PAUSE_MOST = 2.0


def next_pause(pause: float, took: float, done: bool) -> float:
    """The pause in the edits the search index and link check wait for next, after they took `took` seconds and
    ran to the end (`done`) or were cut short, having waited for `pause`."""
    measured = max(LINK_CHECK_PAUSE, min(CHECKS_PAUSE_MOST, took * CHECKS_PAUSE_SHARE))
    return measured if done else min(CHECKS_PAUSE_MOST, max(measured, pause * 2))


class PortInUse(ExplainerError):
    """The chosen port is taken by another program."""


class Server:
    """Builds, serves, watches and rebuilds one site until stopped."""

    def __init__(self, options: Options, host: str, port: int, report: Callable[[Event], None], cache: Cache | None = None) -> None:
        self.rebuilder = Rebuilder(options, cache)
        self.preview = Preview(self.rebuilder.options, host, port, report, busy=self.busy)
        self.pending = False  # changes seen that no build has taken in yet
        self.changes = asyncio.Event()
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="explainer-build")
        self.checker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="explainer-links")
        self.cancel_check = threading.Event()  # set by an edit: the checks under way stop (a new one for each run)
        self.link_check: asyncio.Future[None] | None = None
        self.pause: float = LINK_CHECK_PAUSE  # the pause in the edits the search index and link check wait for (next_pause)
        self.collector = Collector()  # garbage collected in pauses, not in rebuilds (memory.py)
        self.loop: asyncio.AbstractEventLoop | None = None
        self.stopped = asyncio.Event()
        self.watcher = self.content_watcher()

    async def run(self) -> None:
        """Serve until SIGINT or SIGTERM (Ctrl-C), then shut down cleanly (after the build under way, if any)."""
        self.loop = asyncio.get_running_loop()
        preview = self.preview
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(ValueError, RuntimeError, NotImplementedError):  # not the main thread (tests)
                self.loop.add_signal_handler(signum, self.stop)
        sockets = self.bind()
        # watch first, so that an edit made during the first build is not missed
        # the output folder and the quote lock are written by the builds themselves: no change of the user's
        watcher = self.watcher
        # the site's folder itself, not its depth: a templates/ (or content/) made after serve started is watched from then on
        root_watcher = Watcher([self.preview.options.root], self.on_root_change, recursive=False)
        server: tornado.httpserver.HTTPServer | None = None
        builder: asyncio.Future[None] | None = None
        try:
            await asyncio.to_thread(watcher.start)
            await asyncio.to_thread(root_watcher.start)
            preview.report(Building(display_path(self.rebuilder.options.content_dir)))
            await self.rebuild()
            if not self.stopped.is_set():
                server = tornado.httpserver.HTTPServer(make_app(preview), xheaders=False)
                server.add_sockets(sockets)
                port = sockets[0].getsockname()[1]
                host = preview.host or sockets[0].getsockname()[0]  # '' is every interface: named by its first address
                shown_host = f"[{host}]" if ":" in host else host
                preview.report(Started(f"http://{shown_host}:{port}{preview.base_path}", preview.host))
                builder = asyncio.ensure_future(self.build_on_change())
                await self.stopped.wait()
        finally:
            if builder is not None:
                builder.cancel()
            root_watcher.stop()
            self.watcher.stop()
            preview.reloader.close()
            if server is not None:
                server.stop()
                await asyncio.wait_for(server.close_all_connections(), timeout=5)
            for sock in sockets:
                sock.close()
            self.cancel_check.set()
            if self.link_check is not None:
                self.link_check.cancel()
            self.executor.shutdown(wait=True)
            self.checker.shutdown(wait=True)
            self.collector.release()
            for signum in (signal.SIGINT, signal.SIGTERM):
                with contextlib.suppress(ValueError, RuntimeError, NotImplementedError):
                    self.loop.remove_signal_handler(signum)
            preview.report(Stopped())

    def stop(self) -> None:
        """Ask the server to shut down (safe from any thread)."""
        if self.loop is not None:
            self.loop.call_soon_threadsafe(self.stopped.set)

    def bind(self) -> list[socket.socket]:
        preview = self.preview
        try:
            return listening(preview.host, preview.port)
        except OSError as exc:
            where = preview.host or "every interface"
            if exc.errno in (98, 48, 10048):  # EADDRINUSE on Linux, macOS, Windows
                raise PortInUse(f"port {preview.port} on {where} is already in use; choose another with --port") from exc
            raise ExplainerError(f"cannot listen on {where}:{preview.port}: {reason(exc)}; check --host and --port") from exc

    def watched(self) -> list[Path]:
        """The content folder and the theme folders (the site's own and the default)."""
        options = self.preview.options
        folders = [options.content_dir, DEFAULT_THEME]
        own_theme = options.root / "templates"
        if own_theme.is_dir():
            folders.append(own_theme)
        return [folder for folder in folders if folder.is_dir()]

    def content_watcher(self) -> Watcher:
        """A watcher of the folders watched(): the output folder and the quote lock are written by builds, not by the user."""
        return Watcher(self.watched(), self.on_burst, ignore=[self.rebuilder.out_dir, lock_path(self.rebuilder.options.content_dir)])

    def on_root_change(self, paths: set[Path]) -> None:
        """Called by the root watcher's thread: when the folders to watch changed (templates/ made or removed), watch anew."""
        if {path.name for path in paths} & {"templates", "content"} and self.loop is not None:
            self.loop.call_soon_threadsafe(lambda: asyncio.ensure_future(self.rewatch()))

    async def rewatch(self) -> None:
        """Replace the content watcher by one over the folders there are now, then build (what the new folder holds counts)."""
        if set(self.watcher.folders) == {folder.resolve() for folder in self.watched()}:
            return
        old, self.watcher = self.watcher, self.content_watcher()
        await asyncio.to_thread(old.stop)
        await asyncio.to_thread(self.watcher.start)
        self.queue()

    def on_burst(self, paths: set[Path]) -> None:
        """Called by the watcher's thread once per burst: tell the event loop (which files does not matter:
        the cache knows an unchanged file by its bytes)."""
        if self.loop is not None:
            self.loop.call_soon_threadsafe(self.queue)

    def queue(self) -> None:
        self.pending = True
        self.preview.bursts += 1
        self.cancel_check.set()  # its pages are about to be out of date
        self.changes.set()

    async def build_on_change(self) -> None:
        """Rebuild once for each burst, and once more for the bursts that came during a rebuild."""
        while True:
            await self.changes.wait()
            self.changes.clear()
            await self.rebuild()

    async def rebuild(self) -> None:
        """Run one build in the worker thread, holding page requests until it is done."""
        preview = self.preview
        self.pending = False
        preview.idle.clear()
        loop = asyncio.get_running_loop()
        outcome: Rebuilt | Failed | None = None
        try:
            outcome = await loop.run_in_executor(self.executor, self.build_once)
        finally:
            self.collector.after_build(failed=not isinstance(outcome, Rebuilt))
            preview.idle.set()
        preview.builds += 1
        preview.base_path = self.rebuilder.base_path
        before = preview.failure
        if isinstance(outcome, Failed):
            preview.failure = outcome
            if before is None or before.problems != outcome.problems or outcome.error is not None:
                preview.reloader.announce()
        else:
            preview.failure = None
            if before is not None or outcome.changed or outcome.removed:
                preview.reloader.announce()
        preview.report(outcome)
        if isinstance(outcome, Rebuilt):
            if self.link_check is not None:
                self.link_check.cancel()
            self.link_check = asyncio.ensure_future(self.check_links_when_idle())

    def busy(self) -> bool:
        """True while a build runs or changes wait for one."""
        return self.changes.is_set() or self.pending or not self.preview.idle.is_set()

    async def check_links_when_idle(self) -> None:
        """Once the edits pause, index what is served for search, then check its links.

        Both run in their own thread, beside any build, and a new change cancels them: neither
        ever delays a rebuild. The index is written (in the build thread) only if no newer build came.
        """
        await asyncio.sleep(self.pause)
        if self.busy():
            return
        # an Event of this run's own: clearing the one shared with an older run would revive its job, still running
        # in the checks' thread, if it had not yet looked since the edit that stopped it
        self.cancel_check.set()
        self.cancel_check = threading.Event()
        started, took = time.perf_counter(), None
        try:
            took = await self.index_and_check()
        finally:  # also when cut short (a new edit, the server stopping): they ran at least that long
            self.pause = next_pause(self.pause, time.perf_counter() - started if took is None else took, took is not None)
        if took is not None and self.collector.due() and not self.busy():  # the edits paused for all that: collect
            # garbage now, not in a rebuild
            await asyncio.get_running_loop().run_in_executor(self.checker, self.collector.when_idle)

    async def index_and_check(self) -> float | None:
        """Index what is served for search, then check its links; return the seconds their work took in its threads
        (not the wait behind other work there) once both ended, a failure being an end; None when an edit cut them short."""
        loop = asyncio.get_running_loop()
        spent, cancelled = [0.0], self.cancel_check.is_set  # this run's, whatever run comes after

        def timed(work: Callable[..., T]) -> Callable[..., T]:
            def run(*args: Any) -> T:
                begun = time.perf_counter()
                try:
                    return work(*args)
                finally:
                    spent[0] += time.perf_counter() - begun
            return run

        job = self.rebuilder.search_job()  # no build runs now (busy says so), and none starts before the next await
        if job is not None:
            try:
                bundle = await loop.run_in_executor(self.checker, timed(self.rebuilder.index), job, cancelled)
            except Cancelled:
                return None
            except ExplainerError as refused:  # e.g. Pagefind missing: the pages are served all the same
                self.preview.report(Failed((Problem(display_path(self.rebuilder.out_dir), 0, str(refused)),), "search"))
            except Exception as exc:  # a bug: keep serving, show it
                self.preview.report(Failed((), "search", exc))
            else:
                if self.busy():
                    return None  # a newer build is coming; the pause after it indexes again
                try:
                    written = await loop.run_in_executor(self.executor, timed(self.rebuilder.write_search), job, bundle)
                except ExplainerError as refused:  # a full disk, say: the pages stay served, the next build writes whole
                    self.rebuilder.last = None
                    self.preview.report(Failed((Problem(display_path(self.rebuilder.out_dir), 0, str(refused)),), "search"))
                    return spent[0]
                if written:
                    self.preview.reloader.announce_search_index()
        if self.busy():
            return None
        started = time.perf_counter()
        try:
            problems = await loop.run_in_executor(self.checker, timed(self.rebuilder.check_links), cancelled)
        except Cancelled:
            return None
        preview = self.preview
        if any(p.severity == "error" for p in problems):  # --strict: the browser shows them too
            preview.failure = Failed(problems, "links")
            preview.reloader.announce()
        preview.report(LinksChecked(problems, time.perf_counter() - started))
        return spent[0]

    def build_once(self) -> Rebuilt | Failed:
        """One build, in the worker thread: never raises, so the server outlives any build."""
        try:
            return self.rebuilder.build(links=False, search=False)
        except BuildFailed as failed:
            return Failed(failed.problems, failed.stage)
        except ExplainerError as refused:  # e.g. the output folder no longer looks like a built site
            return Failed((Problem(display_path(self.rebuilder.out_dir), 0, str(refused)),), "write")
        except Exception as exc:  # a bug (or a full disk): keep serving, show it, start afresh on the next edit
            self.rebuilder.reset()
            return Failed((), "internal", exc)


def serve(options: Options, host: str, port: int, report: Callable[[Event], None], cache: Cache | None = None) -> None:
    """Build, serve and watch the site until Ctrl-C, from `cache` when given; `report` receives every event to show the user."""
    server = Server(options, host, port, report, cache)
    with server.rebuilder.holding():
        asyncio.run(server.run())


def reason(exc: OSError) -> str:
    """Why a socket could not listen, in the system's words (socket.create_server adds the address to them)."""
    return os.strerror(exc.errno) if isinstance(exc.errno, int) and exc.errno > 0 else str(exc.strerror or exc)
