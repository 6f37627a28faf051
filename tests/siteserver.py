"""A test-only static server: a built site served on 127.0.0.1 under its base path, as GitHub Pages would.

Requests outside the base path get 404 (so links that would break on Pages break here too),
a folder URL serves its index.html, and a missing file gets the site's 404.html with status 404.
Every request is recorded in `requests` for assertions.
"""

from __future__ import annotations

import contextlib
import http.server
import posixpath
import sys
import threading
import traceback
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class ServedSite:
    """A running test server: its root URL (ending in the base path) and the paths requested."""

    url: str
    base_path: str
    requests: list[tuple[str, int]] = field(default_factory=list)  # (path, status)


def _handler(directory: Path, base_path: str, served: ServedSite) -> type[http.server.BaseHTTPRequestHandler]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # keep test output quiet
            return

        def do_GET(self) -> None:
            path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
            status, body, kind = self.resolve(path)
            served.requests.append((self.path, status))
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def resolve(self, path: str) -> tuple[int, bytes, str]:
            if path == "/" and base_path != "/":
                return 404, b"not under the base path", "text/plain"
            if not path.startswith(base_path):
                return 404, b"not under the base path", "text/plain"
            relative = posixpath.normpath(path[len(base_path):]).lstrip("/")
            target = (directory / relative).resolve() if relative not in ("", ".") else directory.resolve()
            if directory.resolve() not in (target, *target.parents):
                return 404, b"outside the site", "text/plain"
            if target.is_dir():
                target = target / "index.html"
            if target.is_file():
                return 200, target.read_bytes(), _content_type(target)
            missing = directory / "404.html"
            return 404, missing.read_bytes() if missing.is_file() else b"not found", "text/html; charset=utf-8"

    return Handler


def _content_type(path: Path) -> str:
    types = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
             ".json": "application/json", ".xml": "application/xml", ".txt": "text/plain; charset=utf-8", ".svg": "image/svg+xml",
             ".png": "image/png", ".pdf": "application/pdf"}
    return types.get(path.suffix, "application/octet-stream")


class QuietServer(http.server.ThreadingHTTPServer):
    """A server whose request threads never write into the output a later test captures.

    Its threads may outlive the block (a browser that hung up while a reply was written): socketserver
    printed that BrokenPipeError's traceback to sys.stderr, which by then was another test's,
    redirected by run_cli, and failed it ("Traceback" in what the command printed).
    """

    def handle_error(self, request: object, client_address: object) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # the browser went away: nothing the test asked about
        traceback.print_exc(file=sys.__stderr__)  # the process's own stderr, never a test's capture


@contextlib.contextmanager
def serve_site(directory: Path, base_path: str = "/repo/") -> Iterator[ServedSite]:
    """Serve `directory` at http://127.0.0.1:<free port><base_path> for the duration of the block."""
    if not base_path.startswith("/") or not base_path.endswith("/"):
        raise ValueError("base_path must start and end with '/'")
    served = ServedSite("", base_path)
    server = QuietServer(("127.0.0.1", 0), _handler(directory, base_path, served))
    served.url = f"http://127.0.0.1:{server.server_address[1]}{base_path}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield served
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
