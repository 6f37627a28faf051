"""Files for hosting rather than reading: .nojekyll, sitemap.xml and robots.txt."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from ..model import Output, SiteConfig

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
ORIGIN = "hosting files"


def page_urls(outputs: Sequence[Output], config: SiteConfig) -> list[str]:
    """Return the absolute URL of every page (a folder's index.html), in build order; 404.html is no page."""
    return [config.absolute(o.path.removesuffix("index.html")) for o in outputs
            if o.path == "index.html" or o.path.endswith("/index.html")]


def sitemap(urls: Sequence[str]) -> bytes:
    """Return a sitemap.xml listing `urls` (no lastmod: a build carries no timestamps)."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f'<urlset xmlns="{SITEMAP_NS}">']
    lines += [f"  <url><loc>{escape(url, quote=False)}</loc></url>" for url in urls]
    lines.append("</urlset>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def robots(config: SiteConfig) -> bytes:
    """Return a robots.txt that allows everything and names the sitemap."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {config.absolute('sitemap.xml')}\n".encode()


def hosting_files(outputs: Sequence[Output], config: SiteConfig) -> list[Output]:
    """Return the files hosts and crawlers read, made from the rendered pages."""
    return [
        # GitHub Pages publishing from a branch runs Jekyll, which drops folders starting with "_"
        Output(".nojekyll", b"", ORIGIN),
        Output("sitemap.xml", sitemap(page_urls(outputs, config)), ORIGIN),
        Output("robots.txt", robots(config), ORIGIN),
    ]
