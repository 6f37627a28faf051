"""What every answer of the preview server shares: its headers, and refusing host names it does not serve."""

from __future__ import annotations

import ipaddress
import urllib.parse
from collections.abc import Callable

import tornado.web

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})
REFUSED_HOST = "This preview server answers only to localhost, 127.0.0.1 and [::1].\n"


def is_loopback(host: str) -> bool:
    """Return True when `host` is reachable from this machine only."""
    if host.strip("[]") in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def host_check(listening_on: str) -> Callable[[str], bool]:
    """The check of a request's Host header for a server on `listening_on`: a loopback server
    answers to loopback names only (so that no web page reaches it through DNS rebinding)."""
    if not is_loopback(listening_on):
        return lambda header: True
    return lambda header: is_loopback(urllib.parse.urlsplit(f"//{header}").hostname or "")


class OwnHandler(tornado.web.RequestHandler):
    """The base of every handler: never cached, never sniffed, no Server header, foreign hosts refused."""

    def host_allowed(self, header: str) -> bool:
        """Whether to answer a request with this Host header (each handler knows its server's check)."""
        raise NotImplementedError

    def prepare(self) -> None:
        if not self.host_allowed(self.request.host):
            self.set_status(403)
            self.set_header("Content-Type", "text/plain; charset=utf-8")
            self.finish(REFUSED_HOST)

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.clear_header("Server")
