"""The link checker: every internal link and anchor in the rendered pages resolves.

It reads the pages in memory, before anything is written, with the standard library's
HTML tokenizer (no tree is built: a build runs it on every page, every time). A link is
internal when it is relative, root-relative, or an absolute URL under the site's base_url;
other URLs are left alone (a build makes no network requests).
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

from .errors import Problem
from .render import Output

# The attributes that make a browser fetch or navigate to a URL.
LINK_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "a": ("href",), "area": ("href",), "link": ("href",), "script": ("src",), "img": ("src",),
    "iframe": ("src",), "source": ("src",), "track": ("src",), "audio": ("src",), "video": ("src", "poster"),
    "embed": ("src",), "object": ("data",), "form": ("action",),
}
# Fragments a browser understands without a matching id (HTML: "top" scrolls to the top).
IMPLICIT_FRAGMENTS = frozenset({"", "top"})
HINT = ("fix the link in the content (a Markdown link is relative to its page, e.g. ../facts/#fact-id; "
        "[[fact:…]], [[term:…]] and [[cite:…]] references always resolve) or in the template that writes it")


@dataclass(frozen=True, slots=True)
class Link:
    """One URL in one page: where it is written and what it says."""

    page: str  # the page's path inside the site, e.g. "facts/index.html"
    line: int  # line in the rendered page
    tag: str
    url: str


@dataclass(slots=True)
class ParsedPage:
    """What the checker needs from one page: its ids (with lines) and its links."""

    ids: dict[str, list[int]] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class LinkReport:
    """What a check looked at: pages read, links seen, internal links resolved, broken ones."""

    pages: int
    links: int
    internal: int
    broken: int


class _Tokenizer(HTMLParser):
    """Collect ids and link URLs with their lines; nothing else is kept."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.found = ParsedPage()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        wanted = LINK_ATTRIBUTES.get(tag, ())
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (tag == "a" and name == "name"):
                self.found.ids.setdefault(value, []).append(line)
            elif name in wanted:
                self.found.links.append(Link(self.page, line, tag, value))


def parse_page(path: str, html: str) -> ParsedPage:
    """Read one page's ids and links."""
    tokenizer = _Tokenizer(path)
    tokenizer.feed(html)
    tokenizer.close()
    return tokenizer.found


@dataclass(frozen=True, slots=True)
class Target:
    """Where an internal link points: a path inside the site ('' is the root) and a fragment."""

    path: str
    folder: bool
    fragment: str


class Resolver:
    """Turn URLs written in a page into targets inside the site, for one base URL."""

    def __init__(self, base_url: str) -> None:
        base = urlsplit(base_url if base_url.endswith("/") else base_url + "/")
        self.scheme = base.scheme.lower()
        self.host = base.netloc.lower()
        self.base_path = base.path or "/"

    def resolve(self, link: Link) -> Target | str | None:
        """Return the target of an internal link, None for an external one, or why the link is broken."""
        url = link.url.strip()
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme in ("javascript", "vbscript"):
            return f"a {scheme}: URL is never followed; use a real address"
        if scheme or url.startswith("//"):
            if (scheme or self.scheme) not in ("http", "https") or parts.netloc.lower() != self.host:
                return None
            if not (parts.path or "/").startswith(self.base_path):
                return None  # elsewhere on the same host: another site
            return self._target(parts.path[len(self.base_path):], parts.fragment)
        if parts.path.startswith("/"):
            if not parts.path.startswith(self.base_path):
                return (f"root-relative link {url!r} lies outside the site's base path {self.base_path}: "
                        "it breaks when the site is served from a sub-path; make it relative")
            return self._target(parts.path[len(self.base_path):], parts.fragment)
        if not parts.path:
            return Target(link.page, False, unquote(parts.fragment))
        here = posixpath.dirname(link.page)
        return self._target(posixpath.join(here, parts.path), parts.fragment)

    def _target(self, path: str, fragment: str) -> Target | str:
        path = unquote(path)
        folder = path == "" or path.endswith("/") or posixpath.basename(path) in (".", "..")
        normal = posixpath.normpath(path) if path else "."
        if normal == ".." or normal.startswith("../"):
            return "leads above the site's root folder"
        return Target("" if normal == "." else normal.lstrip("/"), folder, unquote(fragment))


def locate(target: Target, files: set[str]) -> str | None:
    """Return the file a target is served from (a folder serves its index.html), or None."""
    if target.path == "":
        candidates = ["index.html"]
    elif target.folder:
        candidates = [f"{target.path}/index.html"]
    else:  # "facts" without its slash: GitHub Pages redirects to the folder
        candidates = [target.path, f"{target.path}/index.html"]
    return next((c for c in candidates if c in files), None)


def check_links(outputs: Sequence[Output], base_url: str, shown_as: str = "site") -> tuple[list[Problem], LinkReport]:
    """Check every link and anchor in the rendered pages; return warnings (one per broken link) and figures."""
    files = {o.path for o in outputs}
    pages = {o.path: parse_page(o.path, o.content.decode("utf-8")) for o in outputs if o.path.endswith(".html")}
    resolver = Resolver(base_url)
    problems: list[Problem] = []
    # reason -> every link that shows it: one template link, broken on every page, is one problem
    broken: dict[str, list[Link]] = {}
    links = internal = 0
    for page in pages.values():
        for link in page.links:
            links += 1
            target = resolver.resolve(link)
            if target is None:
                continue
            internal += 1
            if isinstance(target, str):
                broken.setdefault(f"{link.url}\n{target}", []).append(link)
            elif reason := _problem_with(target, files, pages):
                broken.setdefault(reason, []).append(link)
    for key, seen in broken.items():
        first = seen[0]
        others = len({link.page for link in seen} - {first.page})
        also = f" (also on {others} other page{'s' if others != 1 else ''})" if others else ""
        reason = key.rpartition("\n")[2]
        problems.append(Problem(f"{shown_as}/{first.page}", 0, f"line {first.line}: link {first.url!r} {reason}{also}", HINT, "warning"))
    for path, page in pages.items():
        for name, lines in page.ids.items():
            if len(lines) > 1:
                problems.append(Problem(f"{shown_as}/{path}", 0,
                                        f"line {lines[1]}: id {name!r} is used again (first on line {lines[0]}); "
                                        "a link to it reaches only the first",
                                        "give every element on a page its own id", "warning"))
    count = sum(len(seen) for seen in broken.values())
    return problems, LinkReport(len(pages), links, internal, count)


def _problem_with(target: Target, files: set[str], pages: dict[str, ParsedPage]) -> str:
    """Return why a target does not resolve, or '' when it does."""
    found = locate(target, files)
    shown = target.path + ("/" if target.folder and target.path else "")
    if found is None:
        return f"leads to no page: the site has no {shown or 'index.html'}"
    if target.fragment in IMPLICIT_FRAGMENTS or found not in pages:
        return ""
    if target.fragment not in pages[found].ids:
        return f"points to #{target.fragment}, which {found} does not have"
    return ""
