"""The preview server's HTTP side: what every request reads (Preview) and the request handlers.

Only files inside the built site are served, under the site's base path; the server's own
endpoints (the reload script and its event stream from reload.py, a status report) live under
/__explainer__/, outside any base path a site can have. See serve.py for the rest of the server.
"""

from __future__ import annotations

import asyncio
import ipaddress
import mimetypes
import os
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tornado.web

from ..content.config import Options
from ..errors import Problem
from . import errorpage, reload
from .reload import Reloader

OWN = "/__explainer__/"
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})


@dataclass(frozen=True, slots=True)
class Failed:
    """A rebuild failed: the content's problems, or (problems empty) an internal error."""

    problems: tuple[Problem, ...]
    stage: str
    error: BaseException | None = None


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
    report: Callable[[Any], None]  # serve.Event -> None: how the command line shows what happens
    base_path: str = "/"
    failure: Failed | None = None
    builds: int = 0  # every build run, successful or not (the counter tests and the status endpoint read)
    reloader: Reloader = field(default_factory=Reloader)
    idle: asyncio.Event = field(default_factory=asyncio.Event)  # unset while a rebuild runs

    def allowed_host(self, header: str) -> bool:
        """Refuse requests for other host names on a loopback server (DNS rebinding)."""
        if not is_loopback(self.host):
            return True
        name = urllib.parse.urlsplit(f"//{header}").hostname or ""
        return is_loopback(name)


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
            self.page(404, errorpage.not_found_plain(base))
            return
        if raw in ("/", base.rstrip("/")) and raw != base:
            self.redirect(base)
            return
        if not path.startswith(base):
            self.page(404, errorpage.outside_base(base))
            return
        relative = path[len(base):]
        parts = relative.split("/")
        if "\\" in relative or "\0" in relative or relative.startswith("/") or any(p in (".", "..") for p in parts):
            self.page(404, errorpage.not_found_plain(base))
            return
        if preview.failure is not None and errorpage.is_page(relative):
            self.page(500, errorpage.error_page(preview.failure.problems, preview.failure.stage, preview.failure.error,
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
            self.page(404, errorpage.not_found_plain(base))

    def file(self, status: int, path: str) -> None:
        with open(path, "rb") as handle:
            body = handle.read()
        kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/javascript", "application/json", "application/xml"):
            kind += "; charset=utf-8"
        if kind.startswith("text/html"):
            body = reload.with_reload_script(body, self.preview.reloader.tag)
        self.send(status, body, kind)

    def page(self, status: int, html: str) -> None:
        self.send(status, reload.with_reload_script(html.encode("utf-8"), self.preview.reloader.tag), "text/html; charset=utf-8")


def locate(folder: Path, parts: list[str]) -> str | None:
    """Return the real path of folder/parts when it lies inside folder (symlinks followed), else None."""
    root = os.path.realpath(folder)
    target = os.path.realpath(os.path.join(root, *parts))
    return target if target == root or target.startswith(root + os.sep) else None


class StatusHandler(PreviewHandler):
    """The server's state as JSON: build counter, generation, whether the last build failed."""

    def get(self) -> None:
        preview = self.preview
        failure = preview.failure
        self.set_header("Content-Type", "application/json")
        self.finish({"builds": preview.builds, "generation": preview.reloader.tag, "ok": failure is None,
                     "problems": len(failure.problems) if failure else 0, "base_path": preview.base_path})


def make_app(preview: Preview) -> tornado.web.Application:
    """The routes: the server's own endpoints, then every other path as a file of the site."""
    return tornado.web.Application([
        *reload.routes(preview.reloader, preview.allowed_host),
        (OWN + "status", StatusHandler, {"preview": preview}),
        (r"/.*", SiteHandler, {"preview": preview}),
    ], log_function=lambda handler: None)
