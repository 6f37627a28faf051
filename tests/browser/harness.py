"""The browser harness: Debian's Chromium through Playwright, one context per view, every request recorded.

Nothing here downloads a browser: Playwright drives /usr/bin/chromium (`apt-get install chromium`).
A view is a window width, a colour scheme and whether JavaScript runs; each view gets one browser
context and one reused page, created on first use. Every request a page makes is recorded per
visit, and any request for an address outside the served site is aborted before it leaves the
browser (and recorded, so a test can fail on it).
"""

from __future__ import annotations

import contextlib
import time
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from bs4 import BeautifulSoup

from explainer.content.load import load_site
from explainer.errors import BuildFailed, format_report
from explainer.model import Options
from explainer.pipeline import build
from siteserver import ServedSite

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Request, Response, Route

PHONE, DESKTOP = 375, 1280
ICON_WAIT = 5.0  # seconds: the longest a visit waits for its requests and its icon
HEIGHT = {PHONE: 812, DESKTOP: 900}


@dataclass(frozen=True, slots=True)
class Built:
    """A built site: its folder and the URL path it is published under."""

    folder: Path
    base_path: str


def build_site(content: Path, out: Path) -> Built:
    """Build the site in `content` into `out`; fail the test with the build's own report if it does not build."""
    try:
        build(Options(content_dir=content, out_dir=out))
    except BuildFailed as failed:
        pytest.fail(f"{content} does not build:\n{format_report(failed.problems, show_source=False)}", pytrace=False)
    return built_at(content, out)


def built_at(content: Path, out: Path) -> Built:
    """The site in `content`, already built into `out`, with the path it is published under."""
    site, _ = load_site(Options(content_dir=content, out_dir=out))
    assert site is not None
    return Built(out, site.config.base_path)


def built_page(built: Built, path: str) -> BeautifulSoup:
    """A page of a built site, parsed (word joiners, which only hold lines together, left out)."""
    file = built.folder / (path if path.endswith(".html") else path + "index.html")
    return BeautifulSoup(file.read_text(encoding="utf-8").replace("\u2060", ""), "html.parser")


def header_bottom(page: Page) -> float:
    """Where the site's header ends, from the top of the window (negative once it has scrolled away)."""
    bottom: float = page.evaluate("() => document.querySelector('body > header').getBoundingClientRect().bottom")
    return bottom


def site_pages(site: Path) -> list[str]:
    """Every HTML page a build wrote, as URL paths relative to the site root ('', 'facts/', '404.html')."""
    paths = []
    for file in sorted(site.rglob("*.html")):
        relative = file.relative_to(site).as_posix()
        paths.append(relative.removesuffix("index.html") if file.name == "index.html" else relative)
    return paths


@dataclass(frozen=True, slots=True)
class View:
    """How a page is looked at: window width, colour scheme, JavaScript on or off."""

    width: int = DESKTOP
    scheme: str = "light"
    javascript: bool = True

    def __str__(self) -> str:
        return f"{self.width}px {self.scheme}{'' if self.javascript else ' no-JS'}"


@dataclass(frozen=True, slots=True)
class Hit:
    """One request a page made: its URL, the response status (0 when none came) and whether we blocked it."""

    url: str
    status: int
    blocked: bool = False


@dataclass
class RequestLog:
    """The requests of the current visit as the browser reports them, in order, and as the server saw them."""

    served: ServedSite
    hits: list[Hit] = field(default_factory=list)
    pending: dict[int, str] = field(default_factory=dict)
    late: list[Hit] = field(default_factory=list)  # answers other than 200 to the visit before's requests, come in this one
    server_start: int = 0  # where this visit starts in served.requests

    @property
    def allowed_prefix(self) -> str:
        return self.served.url

    def start(self) -> None:
        """Forget the previous visit."""
        self.hits.clear()
        self.pending.clear()
        self.late.clear()
        self.server_start = len(self.served.requests)

    def on_request(self, request: Request) -> None:
        self.pending[id(request)] = request.url

    def on_response(self, response: Response) -> None:
        if self.pending.pop(id(response.request), None) is not None:
            self.hits.append(Hit(response.url, response.status))
        elif response.status != 200:  # asked for by the page before (after its check, say): not lost, not this visit's
            self.late.append(Hit(response.url, response.status))

    def on_failed(self, request: Request) -> None:
        if self.pending.pop(id(request), None) is not None:
            self.hits.append(Hit(request.url, 0, blocked=not request.url.startswith(self.allowed_prefix)))

    def route(self, route: Route) -> None:
        """Let requests for the served site through; abort everything else before it leaves the browser."""
        if route.request.url.startswith(self.allowed_prefix):
            route.continue_()
        else:
            route.abort("blockedbyclient")

    def problems(self) -> list[str]:
        """Requests outside the served site, requests that failed, and responses other than 200."""
        found = []
        for hit in self.hits:
            if not hit.url.startswith(self.allowed_prefix):
                found.append(f"request outside the site: {hit.url}")
            elif hit.status != 200:
                found.append(f"{hit.url} answered {hit.status or 'nothing'}")
        found.extend(f"no response to {url}" for url in self.pending.values())
        found.extend(f"{hit.url} answered {hit.status}, late, to the visit before" for hit in self.late)
        # The server also sees what the browser asks for by itself, such as /favicon.ico.
        found.extend(f"the server answered {status} to {path}" for path, status in self.served.requests[self.server_start:]
                     if not path.startswith(self.served.base_path) or status != 200)
        return found


class Tab:
    """One view's reused page: `visit` loads a site path and records its requests."""

    def __init__(self, context: BrowserContext, served: ServedSite, view: View) -> None:
        self.context = context
        self.view = view
        self.base_url = served.url
        self.log = RequestLog(served)
        context.route("**/*", self.log.route)
        context.on("request", self.log.on_request)
        context.on("response", self.log.on_response)
        context.on("requestfailed", self.log.on_failed)
        context.on("websocket", lambda socket: self.log.hits.append(Hit(socket.url, 0, blocked=True)))
        self.page: Page = context.new_page()

    def visit(self, path: str, wait_until: str = "load") -> Page:
        """Load `path` (relative to the site root) and return the page; its requests go to `self.log`."""
        self.log.start()
        self.page.goto(self.base_url + path, wait_until=wait_until)  # type: ignore[arg-type]
        return self.page

    def problems(self) -> list[str]:
        """The request problems of this visit, once every request is answered and the page's icon fetched."""
        self.wait_for_requests()
        return self.log.problems()

    def wait_for_requests(self, limit: float = ICON_WAIT) -> None:
        """Wait until no request is pending and the page's icon was asked for (Chromium asks after `load`).

        This waits on the requests themselves, where Playwright's "networkidle" always waits 500 ms more. Chromium
        asks for an icon on every load, except one that already failed in this browser: that one it never asks again.
        """
        icon: str = self.page.evaluate("() => document.querySelector('link[rel~=icon]')?.href ?? ''")
        path = urllib.parse.urlsplit(icon).path
        requests = self.log.served.requests
        if any(asked == path and status != 200 for asked, status in requests[:self.log.server_start]):
            icon = ""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            asked = not icon or any(hit.url == icon for hit in self.log.hits) or any(
                urllib.parse.urlsplit(seen).path == path for seen, _ in requests[self.log.server_start:])
            if asked and not self.log.pending:
                return
            self.page.wait_for_timeout(10)


class Views:
    """The browser contexts of one test session, one per view, created on first use."""

    def __init__(self, browser: Browser, served: ServedSite) -> None:
        self.browser = browser
        self.served = served
        self.tabs: dict[View, Tab] = {}

    def tab(self, view: View) -> Tab:
        """The reused tab for `view`."""
        if view not in self.tabs:
            self.tabs[view] = Tab(self.context(view), self.served, view)
        return self.tabs[view]

    @contextlib.contextmanager
    def fresh(self, view: View) -> Iterator[Tab]:
        """A tab of its own for the block: what it logs is its own visits' requests, none left over from another test's."""
        context = self.context(view)
        try:
            yield Tab(context, self.served, view)
        finally:
            context.close()

    def context(self, view: View) -> BrowserContext:
        return self.browser.new_context(
            viewport={"width": view.width, "height": HEIGHT.get(view.width, 900)},
            color_scheme=view.scheme,  # type: ignore[arg-type]
            java_script_enabled=view.javascript,
            reduced_motion="reduce",
            service_workers="block",
        )

    def close(self) -> None:
        """Close every context."""
        for tab in self.tabs.values():
            tab.context.close()
        self.tabs.clear()


def report(problems: dict[str, list[str]]) -> str:
    """Format problems by page for an assertion message."""
    lines = []
    for page, found in problems.items():
        lines.append(f"{page or '(home)'}:")
        lines.extend(f"  - {problem}" for problem in found)
    return "\n".join(lines)


def each_page(pages: list[str], check: Callable[[str], list[str]]) -> dict[str, list[str]]:
    """Run `check` on every page; return the problems of the pages that have any."""
    problems = {}
    for path in pages:
        found = check(path)
        if found:
            problems[path] = found
    return problems
