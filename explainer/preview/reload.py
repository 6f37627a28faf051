"""Telling open pages to reload: the script every served page loads, and the event stream it listens to.

The one module that knows how a reload reaches the browser (Server-Sent Events here; a
WebSocket or polling would replace this module and nothing else). The server calls
`Reloader.announce()` once per rebuild that changed anything; every open page then reloads
once. The script is added to pages as they are served, never written into the site.
"""

from __future__ import annotations

import asyncio
import html
import re
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field

import tornado.iostream

from .handler import OwnHandler

SCRIPT_PATH = "/__explainer__/reload.js"
EVENTS_PATH = "/__explainer__/events"

# The page knows the generation it was served at; any other one means the site changed: reload, once.
# A new search index is an event of its own ("search"), passed on to the page as a DOM event.
RELOAD_SCRIPT = """\
(function () {
  "use strict";
  var script = document.currentScript;
  var served = script ? script.getAttribute("data-generation") : null;
  var events = new EventSource("EVENTS_PATH");
  events.onmessage = function (event) {
    if (served === null) { served = event.data; return; }
    if (event.data !== served) { events.close(); window.location.reload(); }
  };
  // A new search index needs no reload: the page's search (if any) starts using it.
  var searchIndex = null;
  events.addEventListener("search", function (event) {
    if (searchIndex !== null && event.data !== searchIndex) window.dispatchEvent(new Event("explainer:search-index"));
    searchIndex = event.data;
  });
})();
""".replace("EVENTS_PATH", EVENTS_PATH)

BODY_END_RE = re.compile(rb"</body\s*>", re.IGNORECASE)


@dataclass
class Reloader:
    """The site's generation, and the open event streams waiting for the next one."""

    generation: int = 0  # counts the announced changes
    search_index: int = 0  # counts the search indexes written
    started_ns: int = field(default_factory=time.time_ns)  # sets this server's generations apart from an earlier one's
    waiters: set[asyncio.Future[bool]] = field(default_factory=set)
    streams: int = 0  # event streams open now
    closed: bool = False

    @property
    def tag(self) -> str:
        """The generation as pages see it."""
        return f"{self.started_ns}.{self.generation}"

    def announce(self) -> None:
        """Tell every open page to reload, once."""
        self.generation += 1
        self.wake(True)

    def announce_search_index(self) -> None:
        """Tell every open page that the search index changed (no reload)."""
        self.search_index += 1
        self.wake(True)

    def close(self) -> None:
        """End every open event stream (the server is stopping)."""
        self.closed = True
        self.wake(False)

    def wake(self, go_on: bool) -> None:
        for waiter in list(self.waiters):
            if not waiter.done():
                waiter.set_result(go_on)


def with_reload_script(page: bytes, generation: str) -> bytes:
    """Add the reload script before the last </body> (or at the end) of an HTML page."""
    tag = f'<script src="{SCRIPT_PATH}" data-generation="{html.escape(generation)}" defer></script>'.encode()
    matches = list(BODY_END_RE.finditer(page))
    if not matches:
        return page + tag
    at = matches[-1].start()
    return page[:at] + tag + page[at:]


class _Handler(OwnHandler):
    def initialize(self, reloader: Reloader, allowed_host: Callable[[str], bool]) -> None:
        self.reloader = reloader
        self.allowed_host = allowed_host

    def host_allowed(self, header: str) -> bool:
        return self.allowed_host(header)


class ScriptHandler(_Handler):
    """The script every served page loads."""

    def get(self) -> None:
        self.set_header("Content-Type", "text/javascript; charset=utf-8")
        self.finish(RELOAD_SCRIPT)


class EventsHandler(_Handler):
    """Server-Sent Events: the current generation now, and again after each change; same origin only."""

    waiter: asyncio.Future[bool] | None = None

    async def get(self) -> None:
        reloader = self.reloader
        origin = self.request.headers.get("Origin")
        if origin is not None and urllib.parse.urlsplit(origin).netloc != self.request.host:
            self.set_status(403)
            self.finish("cross-origin event streams are refused\n")
            return
        self.set_header("Content-Type", "text/event-stream")
        reloader.streams += 1
        try:
            sent = (reloader.tag, reloader.search_index)
            self.write(f"retry: 1000\ndata: {reloader.tag}\n\nevent: search\ndata: {reloader.search_index}\n\n")
            await self.flush()
            while not reloader.closed:
                self.waiter = asyncio.get_running_loop().create_future()
                reloader.waiters.add(self.waiter)
                try:
                    go_on = await self.waiter
                finally:
                    reloader.waiters.discard(self.waiter)
                if not go_on:
                    break
                if reloader.search_index != sent[1]:
                    self.write(f"event: search\ndata: {reloader.search_index}\n\n")
                if reloader.tag != sent[0]:
                    self.write(f"data: {reloader.tag}\n\n")
                sent = (reloader.tag, reloader.search_index)
                await self.flush()
        except tornado.iostream.StreamClosedError:
            return
        finally:
            reloader.streams -= 1
        if not self._finished:
            self.finish()

    def on_connection_close(self) -> None:
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_result(False)


def routes(reloader: Reloader, allowed_host: Callable[[str], bool]) -> list[tuple[str, type[_Handler], dict[str, object]]]:
    """The reload endpoints, for the server's application."""
    arguments: dict[str, object] = {"reloader": reloader, "allowed_host": allowed_host}
    return [(SCRIPT_PATH, ScriptHandler, arguments), (EVENTS_PATH, EventsHandler, arguments)]
