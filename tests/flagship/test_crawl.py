"""The flagship served as GitHub Pages would serve it, under a sub-path and at a domain root, crawled from home.

The crawl follows every link, stylesheet and script from the home page over HTTP: no request
may get a 404, every page must be reachable, and every #fragment must name an element of its
page. Absolute links to the publish address (canonical, sitemap) are followed on the test
server instead. Parsing here uses beautifulsoup4, not the build's own link checker.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, run_cli
from siteserver import ServedSite, serve_site

MISSING = "no/such/deep/page/"
LINKING = {"a": "href", "link": "href", "script": "src", "img": "src", "iframe": "src", "source": "src"}


@dataclass
class Crawl:
    """What a crawl saw: pages by URL (their ids), the links followed and what went wrong."""

    served: ServedSite
    publish_base: str
    pages: dict[str, set[str]] = field(default_factory=dict)  # URL -> ids on the page
    statuses: dict[str, int] = field(default_factory=dict)
    links: list[tuple[str, str, str]] = field(default_factory=list)  # (page, URL without fragment, fragment)

    def local(self, url: str) -> str:
        """Map a URL on the publish address to the test server."""
        return self.served.url + url[len(self.publish_base):] if url.startswith(self.publish_base) else url

    def fetch(self, url: str) -> tuple[int, bytes, str]:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                return response.status, response.read(), response.headers.get_content_type()
        except urllib.error.HTTPError as error:
            return error.code, error.read(), error.headers.get_content_type()

    def read_page(self, url: str, body: bytes) -> None:
        """Record a page's ids and queue its links."""
        doc = BeautifulSoup(body, "html.parser")
        self.pages[url] = {str(tag["id"]) for tag in doc.find_all(id=True)}
        for tag in doc.find_all(list(LINKING)):
            value = tag.get(LINKING[tag.name])
            if not value:
                continue
            absolute = self.local(urllib.parse.urljoin(url, str(value)))
            target, _, fragment = absolute.partition("#")
            if urllib.parse.urlsplit(target).netloc == urllib.parse.urlsplit(self.served.url).netloc:
                self.links.append((url, target, fragment))

    def run(self, start: str) -> None:
        """Breadth-first from `start` over every same-origin URL."""
        queue = deque([start])
        while queue:
            url = queue.popleft()
            if url in self.statuses:
                continue
            status, body, kind = self.fetch(url)
            self.statuses[url] = status
            if status == 200 and kind == "text/html":
                before = len(self.links)
                self.read_page(url, body)
                queue.extend(target for _, target, _ in self.links[before:] if target not in self.statuses)


def build_flagship(out: Path, base_url: str) -> Path:
    run = run_cli(ROOT, "build", "--out", str(out), "--base-url", base_url, "--quiet")
    assert run.code == 0, run.err
    return out


@pytest.fixture(scope="module", params=["/repo/", "/"], ids=["sub-path", "domain-root"])
def crawl(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawl]:
    base_path: str = request.param
    publish_base = "https://example.org" + base_path
    site = build_flagship(tmp_path_factory.mktemp("crawl") / "site", publish_base)
    with serve_site(site, base_path) as served:
        result = Crawl(served, publish_base)
        result.run(served.url)
        result.site = site  # type: ignore[attr-defined]
        # the sitemap, robots.txt and a deep missing URL are entry points of their own
        for extra in ("sitemap.xml", "robots.txt"):
            result.run(served.url + extra)
        # 404.html is served at any depth: its links must work from there too
        missing = served.url + MISSING
        status, body, _ = result.fetch(missing)
        assert status == 404 and b"<main" in body
        result.statuses[missing] = status
        before = len(result.links)
        result.read_page(missing, body)
        for _, target, _ in result.links[before:]:
            result.run(target)
        result.pages.pop(missing)
        yield result


def test_crawl_finds_no_404(crawl: Crawl) -> None:
    broken = sorted(url for url, status in crawl.statuses.items() if status != 200 and not url.endswith(MISSING))
    assert broken == [], broken
    assert all(status == 200 for path, status in crawl.served.requests if not path.endswith(MISSING))


def test_every_page_is_reachable_from_home(crawl: Crawl) -> None:
    site: Path = crawl.site  # type: ignore[attr-defined]
    files = sorted(p.relative_to(site).as_posix() for p in site.rglob("index.html"))
    expected = {crawl.served.url + f.removesuffix("index.html") for f in files}
    assert len(expected) >= 15
    assert expected <= set(crawl.pages), sorted(expected - set(crawl.pages))


def test_every_fragment_names_an_element_of_its_page(crawl: Crawl) -> None:
    checked = 0
    missing = []
    for page, target, fragment in crawl.links:
        if not fragment or target not in crawl.pages:
            continue
        checked += 1
        if urllib.parse.unquote(fragment) not in crawl.pages[target]:
            missing.append(f"{page} -> {target}#{fragment}")
    assert missing == []
    kinds = {fragment.split("-")[0] for _, _, fragment in crawl.links if fragment}
    assert {"fact", "excerpt"} <= kinds, kinds
    folders = sum(1 for url in crawl.pages if url.endswith("/"))
    print(f"\ncrawl under {crawl.served.base_path}: {folders} pages and 404.html, {len(crawl.links)} links checked "
          f"({checked} with #fragments), {len(missing)} broken")


def test_sitemap_and_robots_point_into_the_site(crawl: Crawl) -> None:
    status, body, _ = crawl.fetch(crawl.served.url + "sitemap.xml")
    assert status == 200
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    urls = [loc.text or "" for loc in ET.fromstring(body).iter(namespace + "loc")]
    assert all(url.startswith(crawl.publish_base) for url in urls)
    assert {crawl.local(url) for url in urls} == {url for url in crawl.pages if url.endswith("/")}
    status, body, _ = crawl.fetch(crawl.served.url + "robots.txt")
    assert status == 200 and f"Sitemap: {crawl.publish_base}sitemap.xml" in body.decode()
