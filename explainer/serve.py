"""The preview server: the built site under its base path, rebuilt and reloaded when the sources change.

One tornado process on 127.0.0.1 by default. The watcher (watch.py) reports bursts of changes;
each burst gives one rebuild (rebuild.py, in a worker thread) and, when anything changed, one
reload message to every open page over Server-Sent Events. Page requests that arrive during a
rebuild wait for it, so nobody sees a half-updated site. A failed build keeps the last good
site on disk and serves an error page listing the problems in place of every page until the
next good build. Only files inside the built site are served, and the paths of the server's
own endpoints start with /__explainer__/, outside any base path a site can have.
"""

from __future__ import annotations

import asyncio
import ipaddress
import mimetypes
import os
import signal
import socket
import time
import urllib.parse
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tornado.httpserver
import tornado.iostream
import tornado.netutil
import tornado.web

from . import previewpage
from .config import Options
from .errors import BuildFailed, ExplainerError, Problem
from .rebuild import Rebuilder, Rebuilt
from .render import DEFAULT_THEME
from .watch import Watcher

OWN = "/__explainer__/"
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})


@dataclass(frozen=True, slots=True)
class Started:
    """The server is listening at `url` (the site's base path on it)."""

    url: str
    host: str


@dataclass(frozen=True, slots=True)
class Failed:
    """A rebuild failed: the content's problems, or (problems empty) an internal error."""

    problems: tuple[Problem, ...]
    stage: str
    error: BaseException | None = None


@dataclass(frozen=True, slots=True)
class Stopped:
    """The server has shut down."""


Event = Started | Rebuilt | Failed | Stopped


class PortInUse(ExplainerError):
    """The chosen port is taken by another program."""


def is_loopback(host: str) -> bool:
    """Return True when `host` is reachable from this machine only."""
    if host.strip("[]") in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass
class Preview:
    """The state every request reads: where the site is, its base path, the last build's outcome."""

    options: Options
    host: str
    port: int
    report: Callable[[Event], None]
    base_path: str = "/"
    failure: Failed | None = None
    generation: int = 0  # counts the builds whose result pages show; sent to pages as the reload signal
    builds: int = 0  # every build run, successful or not (the counter tests and the status endpoint read)
    started_ns: int = field(default_factory=time.time_ns)  # sets this server's generations apart from an earlier one's
    waiters: set[asyncio.Future[bool]] = field(default_factory=set)
    idle: asyncio.Event = field(default_factory=asyncio.Event)
    stopping: bool = False

    @property
    def tag(self) -> str:
        return f"{self.started_ns}.{self.generation}"

    def announce(self) -> None:
        """Tell every open page to reload, once."""
        self.generation += 1
        for waiter in list(self.waiters):
            if not waiter.done():
                waiter.set_result(True)

    def allowed_host(self, header: str) -> bool:
        """Refuse requests for other host names on a loopback server (DNS rebinding)."""
        if not is_loopback(self.host):
            return True
        name = urllib.parse.urlsplit(f"//{header}").hostname or ""
        return is_loopback(name)


class Server:
    """Builds, serves, watches and rebuilds one site until stopped."""

    def __init__(self, options: Options, host: str, port: int, report: Callable[[Event], None]) -> None:
        self.rebuilder = Rebuilder(options)
        self.preview = Preview(self.rebuilder.options, host, port, report)
        self.pending: set[Path] = set()
        self.changes = asyncio.Event()
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="explainer-build")
        self.loop: asyncio.AbstractEventLoop | None = None
        self.stopped = asyncio.Event()

    async def run(self) -> None:
        """Serve until SIGINT or SIGTERM (Ctrl-C), then shut down cleanly."""
        self.loop = asyncio.get_running_loop()
        preview = self.preview
        sockets = self.bind()
        # watch first, so that an edit made during the first build is not missed
        watcher = Watcher(self.watched(), self.on_burst, ignore=[preview.options.out_dir])
        await asyncio.to_thread(watcher.start)
        await self.rebuild()
        app = tornado.web.Application([
            (OWN + "reload.js", ScriptHandler, {"preview": preview}),
            (OWN + "events", EventsHandler, {"preview": preview}),
            (OWN + "status", StatusHandler, {"preview": preview}),
            (r"/.*", SiteHandler, {"preview": preview}),
        ], log_function=lambda handler: None)
        server = tornado.httpserver.HTTPServer(app, xheaders=False)
        server.add_sockets(sockets)
        for signum in (signal.SIGINT, signal.SIGTERM):
            with _suppress_not_main_thread():
                self.loop.add_signal_handler(signum, self.stop)
        port = sockets[0].getsockname()[1]
        shown_host = f"[{preview.host}]" if ":" in preview.host else preview.host
        preview.report(Started(f"http://{shown_host}:{port}{preview.base_path}", preview.host))
        builder = asyncio.ensure_future(self.build_on_change())
        try:
            await self.stopped.wait()
        finally:
            preview.stopping = True
            builder.cancel()
            watcher.stop()
            server.stop()
            for waiter in list(preview.waiters):
                if not waiter.done():
                    waiter.set_result(False)
            await asyncio.wait_for(server.close_all_connections(), timeout=5)
            self.executor.shutdown(wait=True)
            for signum in (signal.SIGINT, signal.SIGTERM):
                with _suppress_not_main_thread():
                    self.loop.remove_signal_handler(signum)
            preview.report(Stopped())

    def stop(self) -> None:
        """Ask the server to shut down (safe from any thread)."""
        if self.loop is not None:
            self.loop.call_soon_threadsafe(self.stopped.set)

    def bind(self) -> list[socket.socket]:
        preview = self.preview
        try:
            return tornado.netutil.bind_sockets(preview.port, preview.host)
        except OSError as exc:
            if exc.errno in (98, 48, 10048):  # EADDRINUSE on Linux, macOS, Windows
                raise PortInUse(f"port {preview.port} on {preview.host} is already in use; choose another with --port") from exc
            raise ExplainerError(f"cannot listen on {preview.host}:{preview.port}: {exc.strerror}; check --host and --port") from exc

    def watched(self) -> list[Path]:
        """The content folder and the theme folders (the site's own and the default)."""
        options = self.preview.options
        folders = [options.content_dir, DEFAULT_THEME]
        own_theme = options.root / "templates"
        if own_theme.is_dir():
            folders.append(own_theme)
        return [folder for folder in folders if folder.is_dir()]

    def on_burst(self, paths: set[Path]) -> None:
        """Called by the watcher's thread once per burst: hand the paths to the event loop."""
        if self.loop is not None:
            self.loop.call_soon_threadsafe(self.queue, paths)

    def queue(self, paths: set[Path]) -> None:
        self.pending |= paths
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
        paths, self.pending = self.pending, set()
        preview.idle.clear()
        loop = asyncio.get_running_loop()
        try:
            outcome = await loop.run_in_executor(self.executor, self.build_once, paths)
        finally:
            preview.idle.set()
        preview.builds += 1
        preview.base_path = self.rebuilder.base_path
        before = preview.failure
        if isinstance(outcome, Failed):
            preview.failure = outcome
            if before is None or before.problems != outcome.problems or outcome.error is not None:
                preview.announce()
        else:
            preview.failure = None
            if before is not None or outcome.changed or outcome.removed:
                preview.announce()
        preview.report(outcome)

    def build_once(self, paths: set[Path]) -> Rebuilt | Failed:
        """One build, in the worker thread: never raises, so the server outlives any build."""
        try:
            self.rebuilder.forget(paths)
            return self.rebuilder.build()
        except BuildFailed as failed:
            return Failed(failed.problems, failed.stage)
        except ExplainerError as refused:  # e.g. the output folder no longer looks like a built site
            return Failed((Problem(str(self.preview.options.out_dir), 0, str(refused)),), "write")
        except Exception as exc:  # a bug in explainer: keep serving, show it, let the next edit try again
            self.rebuilder.caches.pages.invalidate()
            return Failed((), "internal", exc)


class _suppress_not_main_thread:
    """Signal handlers can be set in the main thread only; tests run servers in other threads."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> bool:
        return kind in (ValueError, RuntimeError, NotImplementedError)


class PreviewHandler(tornado.web.RequestHandler):
    def initialize(self, preview: Preview) -> None:
        self.preview = preview

    def prepare(self) -> None:
        if not self.preview.allowed_host(self.request.host):
            self.plain(403, "This preview server answers only to localhost, 127.0.0.1 and [::1].\n")

    def log_exception(self, kind: type[BaseException] | None, value: BaseException | None, tb: Any) -> None:
        """A bug while answering a request: one line through the command line's report, never a traceback."""
        if value is not None and not isinstance(value, tornado.web.HTTPError):
            self.preview.report(Failed((), f"serving {self.request.path}", value))

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.clear_header("Server")

    def plain(self, status: int, text: str) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(text)

    def send(self, status: int, body: bytes, kind: str) -> None:
        self.set_status(status)
        self.set_header("Content-Type", kind)
        self.set_header("Content-Length", str(len(body)))
        if self.request.method != "HEAD":
            self.write(body)
        self.finish()


class SiteHandler(PreviewHandler):
    """Files of the built site, under the base path; `/` redirects there."""

    async def get(self) -> None:
        await self.preview.idle.wait()
        self.serve(self.request.path)

    async def head(self) -> None:
        await self.get()

    def serve(self, raw: str) -> None:
        preview = self.preview
        base = preview.base_path
        try:
            path = urllib.parse.unquote(raw, errors="strict") if "%" in raw else raw
        except UnicodeDecodeError:  # percent-encoded bytes that are not UTF-8 name no file of ours
            self.page(404, previewpage.not_found_plain(base))
            return
        if raw in ("/", base.rstrip("/")) and raw != base:
            self.redirect(base)
            return
        if not path.startswith(base):
            self.page(404, previewpage.outside_base(base))
            return
        relative = path[len(base):]
        parts = relative.split("/")
        if "\\" in relative or "\0" in relative or relative.startswith("/") or any(p in (".", "..") for p in parts):
            self.page(404, previewpage.not_found_plain(base))
            return
        if preview.failure is not None and previewpage.is_page(relative):
            self.page(500, previewpage.error_page(preview.failure.problems, preview.failure.stage, preview.failure.error,
                                                             preview.options.out_dir))
            return
        target = locate(preview.options.out_dir, [p for p in parts if p])
        if target is not None and os.path.isdir(target):
            if relative and not relative.endswith("/"):
                self.redirect(raw + "/", permanent=True)
                return
            target = locate(preview.options.out_dir, [*[p for p in parts if p], "index.html"])
        if target is not None and os.path.isfile(target):
            self.file(200, target)
            return
        missing = locate(preview.options.out_dir, ["404.html"])
        if missing is not None and os.path.isfile(missing):
            self.file(404, missing)
        else:
            self.page(404, previewpage.not_found_plain(base))

    def file(self, status: int, path: str) -> None:
        with open(path, "rb") as handle:
            body = handle.read()
        kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/javascript", "application/json", "application/xml"):
            kind += "; charset=utf-8"
        if kind.startswith("text/html"):
            body = previewpage.with_reload_script(body, self.preview.tag)
        self.send(status, body, kind)

    def page(self, status: int, html: str) -> None:
        self.send(status, previewpage.with_reload_script(html.encode("utf-8"), self.preview.tag), "text/html; charset=utf-8")


def locate(folder: Path, parts: list[str]) -> str | None:
    """Return the real path of folder/parts when it lies inside folder (symlinks followed), else None."""
    root = os.path.realpath(folder)
    target = os.path.realpath(os.path.join(root, *parts))
    return target if target == root or target.startswith(root + os.sep) else None


class ScriptHandler(PreviewHandler):
    """The script every served page loads: reload when the server says the site changed."""

    def get(self) -> None:
        self.send(200, previewpage.RELOAD_SCRIPT.encode("utf-8"), "text/javascript; charset=utf-8")


class StatusHandler(PreviewHandler):
    """The server's state as JSON: build counter, generation, whether the last build failed."""

    def get(self) -> None:
        preview = self.preview
        failure = preview.failure
        self.set_header("Content-Type", "application/json")
        self.finish({"builds": preview.builds, "generation": preview.tag, "ok": failure is None,
                     "problems": len(failure.problems) if failure else 0, "base_path": preview.base_path})


class EventsHandler(PreviewHandler):
    """Server-Sent Events: the current generation now, and again after each change."""

    waiter: asyncio.Future[bool] | None = None

    async def get(self) -> None:
        preview = self.preview
        origin = self.request.headers.get("Origin")
        if origin is not None and urllib.parse.urlsplit(origin).netloc != self.request.host:
            self.plain(403, "cross-origin event streams are refused\n")
            return
        self.set_header("Content-Type", "text/event-stream")
        try:
            self.write(f"retry: 1000\ndata: {preview.tag}\n\n")
            await self.flush()
            while not preview.stopping:
                self.waiter = asyncio.get_running_loop().create_future()
                preview.waiters.add(self.waiter)
                try:
                    go_on = await self.waiter
                finally:
                    preview.waiters.discard(self.waiter)
                if not go_on:
                    break
                self.write(f"data: {preview.tag}\n\n")
                await self.flush()
        except tornado.iostream.StreamClosedError:
            return
        if not self.request.connection or not self._finished:
            self.finish()

    def on_connection_close(self) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(False)


def serve(options: Options, host: str, port: int, report: Callable[[Event], None]) -> None:
    """Build, serve and watch the site until Ctrl-C; `report` receives every event to show the user."""
    asyncio.run(Server(options, host, port, report).run())

