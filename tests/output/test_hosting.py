"""Hosting files: .nojekyll, a sitemap of absolute URLs, and robots.txt pointing at it."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable

from conftest import Run
from explainer.output.hosting import SITEMAP_NS


def sitemap_urls(run: Run) -> list[str]:
    root = ET.fromstring(run.page("sitemap.xml"))
    assert root.tag == f"{{{SITEMAP_NS}}}urlset"
    return [loc.text or "" for loc in root.iter(f"{{{SITEMAP_NS}}}loc")]


def test_sitemap_lists_every_page_by_absolute_url(make_site: Callable[..., Run]) -> None:
    run = make_site()
    assert run.code == 0, run.err
    urls = sitemap_urls(run)
    pages = sorted(p.relative_to(run.site).as_posix() for p in run.site.rglob("index.html"))
    assert sorted(urls) == sorted("https://example.org/mini/" + p.removesuffix("index.html") for p in pages)
    assert urls[0] == "https://example.org/mini/"
    assert not any("404" in url for url in urls)
    assert (run.site / ".nojekyll").read_bytes() == b""


def test_robots_points_at_the_sitemap_and_follows_base_url_override(make_site: Callable[..., Run]) -> None:
    run = make_site({}, "build", "--base-url", "https://user.github.io/project")
    assert run.page("robots.txt") == "User-agent: *\nAllow: /\n\nSitemap: https://user.github.io/project/sitemap.xml\n"
    assert all(url.startswith("https://user.github.io/project/") for url in sitemap_urls(run))
