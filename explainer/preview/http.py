"""The preview server's HTTP side: what every request reads (Preview) and the request handlers.

Only files inside the built site are served, under the site's base path; the server's own
endpoints (the reload script and its event stream from reload.py, a status report) live under
/__explainer__/, outside any base path a site can have. See server.py for the rest of the server.
"""

from __future__ import annotations

import asyncio
import hashlib
import mimetypes
import os
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tornado.web

from ..model import Options
from .errorpage import error_page, is_page, not_found_plain, outside_base
from .events import Event, Failed
from .handler import OwnHandler, host_check
from .reload import Reloader, with_reload_script
from .reload import routes as reload_routes

OWN = "/__explainer__/"


@dataclass
class Preview:
    """The state every request reads: where the site is, its base path, the last build's outcome."""

    options: Options
    host: str
    port: int
    report: Callable[[Event], None]  # how the command line shows what happens
    base_path: str = "/"
    failure: Failed | None = None
    builds: int = 0  # every build run, successful or not (the counter tests and the status endpoint read)
    bursts: int = 0  # bursts of changes the watcher reported (each gives one build)
    busy: Callable[[], bool] = lambda: False  # whether a build runs or changes wait for one
    reloader: Reloader = field(default_factory=Reloader)
    idle: asyncio.Event = field(default_factory=asyncio.Event)  # unset while a rebuild runs

    @property
    def out_dir(self) -> Path:
        assert self.options.out_dir is not None, "the preview serves the folder it writes"
        return self.options.out_dir

    def allowed_host(self, header: str) -> bool:
        """Refuse requests for other host names on a loopback server (DNS rebinding)."""
        return host_check(self.host)(header)


class PreviewHandler(OwnHandler):
    def initialize(self, preview: Preview) -> None:
        self.preview = preview

    def host_allowed(self, header: str) -> bool:
        return self.preview.allowed_host(header)

    def log_exception(self, kind: type[BaseException] | None, value: BaseException | None, tb: Any) -> None:
        """A bug while answering a request: one line through the command line's report, never a traceback."""
        if value is not None and not isinstance(value, tornado.web.HTTPError):
            self.preview.report(Failed((), f"serving {self.request.path}", value))

    def plain(self, status: int, text: str) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(text)

    def send(self, status: int, body: bytes, kind: str) -> None:
        self.set_status(status)
        self.set_header("Content-Type", kind)
        self.set_header("Content-Length", str(len(body)))
        # the body's own tag (as tornado makes it from what is written), for HEAD too, where nothing is written
        self.set_header("Etag", f'"{hashlib.sha1(body, usedforsecurity=False).hexdigest()}"')
        if status == 200 and self.check_etag_header():  # what tornado does for a tag of its own making
            self.set_status(304)
            self.finish()
            return
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
            self.page(404, not_found_plain(base))
            return
        if raw in ("/", base.rstrip("/")) and raw != base:
            self.redirect(base)
            return
        if not path.startswith(base):
            self.page(404, outside_base(base))
            return
        relative = path[len(base):]
        parts = relative.split("/")
        if "\\" in relative or "\0" in relative or relative.startswith("/") or any(p in (".", "..") for p in parts):
            self.page(404, not_found_plain(base))
            return
        if preview.failure is not None and is_page(relative):
            self.page(500, error_page(preview.failure.problems, preview.failure.stage, preview.failure.error,
                                      preview.out_dir, preview.options.program))
            return
        target = inside(preview.out_dir, [p for p in parts if p])
        if target is not None and os.path.isdir(target):
            if relative and not relative.endswith("/"):
                self.redirect(raw + "/", permanent=True)
                return
            target = inside(preview.out_dir, [*[p for p in parts if p], "index.html"])
        if target is not None and os.path.isfile(target):
            self.file(200, target)
            return
        missing = inside(preview.out_dir, ["404.html"])
        if missing is not None and os.path.isfile(missing):
            self.file(404, missing)
        else:
            self.page(404, not_found_plain(base))

    def file(self, status: int, path: str) -> None:
        with open(path, "rb") as handle:
            body = handle.read()
        kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
        if kind.startswith("text/") or kind in ("application/javascript", "application/json", "application/xml"):
            kind += "; charset=utf-8"
        if kind.startswith("text/html"):
            body = with_reload_script(body, self.preview.reloader.tag)
        self.send(status, body, kind)

    def page(self, status: int, html: str) -> None:
        self.send(status, with_reload_script(html.encode("utf-8"), self.preview.reloader.tag), "text/html; charset=utf-8")


def inside(folder: Path, parts: list[str]) -> str | None:
    """Return the real path of folder/parts when it lies inside folder (symlinks followed), else None."""
    root = os.path.realpath(folder)
    target = os.path.realpath(os.path.join(root, *parts))
    return target if target == root or target.startswith(root + os.sep) else None


class StatusHandler(PreviewHandler):
    """The server's state as JSON: builds and bursts so far, whether it is busy, the generation, open event streams,
    whether the last build failed."""

    def get(self) -> None:
        preview = self.preview
        failure = preview.failure
        self.set_header("Content-Type", "application/json")
        self.finish({"builds": preview.builds, "bursts": preview.bursts, "busy": preview.busy(), "generation": preview.reloader.tag,
                     "streams": preview.reloader.streams, "ok": failure is None,
                     "problems": len(failure.problems) if failure else 0, "base_path": preview.base_path})


def make_app(preview: Preview) -> tornado.web.Application:
    """The routes: the server's own endpoints, then every other path as a file of the site."""
    return tornado.web.Application([
        *reload_routes(preview.reloader, preview.allowed_host),
        (OWN + "status", StatusHandler, {"preview": preview}),
        (r"/.*", SiteHandler, {"preview": preview}),
    ], log_function=lambda handler: None)
