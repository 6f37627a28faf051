"""The link checker: every internal link and anchor in the rendered pages resolves.

It reads the pages in memory, before anything is written, with a scan for start tags
and their attributes (no tree is built: a build runs it on every page, every time). A link is
internal when it is relative, root-relative, or an absolute URL under the site's base_url;
other URLs are left alone (a build makes no network requests).
"""

from __future__ import annotations

import difflib
import posixpath
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import SplitResult, unquote, urlsplit

from ..cache import Section, digest
from ..cancel import Cancelled, never
from ..errors import Problem
from ..model import LinkRecord, Output

# The attributes that make a browser fetch or navigate to a URL.
LINK_ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "a": ("href",), "area": ("href",), "link": ("href",), "script": ("src",), "img": ("src",),
    "iframe": ("src",), "source": ("src",), "track": ("src",), "audio": ("src",), "video": ("src", "poster"),
    "embed": ("src",), "object": ("data",), "form": ("action",),
}
# Fragments a browser understands without a matching id (HTML: "top" scrolls to the top).
IMPLICIT_FRAGMENTS = frozenset({"", "top"})
HINT = "fix the link in the template that writes it (links written in the content are reported at their own lines)"
CONTENT_HINT = ("link a page by its file, [words](other-page.md), or the site's own parts from its root, [words](/facts/); "
                "[[fact:…]], [[term:…]] and [[cite:…]] references always resolve")


@dataclass(frozen=True, slots=True)
class Link:
    """One URL in one page: where it is written and what it says."""

    page: str  # the page's path inside the site, e.g. "facts/index.html"
    line: int  # line in the rendered page
    tag: str
    url: str


@dataclass(slots=True)
class ParsedPage:
    """What the checker needs from one page: its ids (with lines) and its links.

    The links are kept as three lists (line, tag, URL), not as a `Link` each: a site of 1,000
    pages has 240,000 of them, made by workers, handed to the build and kept in the cache, and
    an object each cost more to make, pickle and unpickle than reading them did.
    """

    path: str = ""
    ids: dict[str, list[int]] = field(default_factory=dict)
    lines: list[int] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)

    def add(self, line: int, tag: str, url: str) -> None:
        """Note one link."""
        self.lines.append(line)
        self.tags.append(tag)
        self.urls.append(url)

    @property
    def links(self) -> list[Link]:
        """The page's links in order, each a `Link`."""
        return [Link(self.path, line, tag, url) for line, tag, url in zip(self.lines, self.tags, self.urls, strict=True)]


# One comment, or one start tag with its attributes (quoted values may hold '>'); the loop unrolled, which re runs fastest.
MARKUP_RE = re.compile(r"""<(?:!--.*?--|([A-Za-z][\w:-]*)([^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*))>""", re.DOTALL)
# One attribute: its name, "=" when it has a value, and the value as written (double-quoted, single-quoted or bare).
ATTRIBUTE_RE = re.compile(r"""([^\s=/>"']+)(?:\s*(=)\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?""")
# Every attribute that matters here ends in one of these names and has a value: a tag whose lower-cased
# attributes hold none of them (most carry only a class) is not split into attributes at all.
WANTED_RE = re.compile(r"(?:id|name|{})\s*=".format("|".join(sorted({a for names in LINK_ATTRIBUTES.values() for a in names}))))
RAW_TEXT_END = {tag: re.compile(rf"</{tag}", re.IGNORECASE) for tag in ("script", "style")}  # content is not markup


def parse_page(path: str, html: str, cancelled: Callable[[], bool] = never) -> ParsedPage:
    """Read one page's ids and links with their lines.

    A scan for start tags rather than a full HTML parse: pages are read on every build,
    and the print edition of a large site is one very long page. Comments and the content
    of <script> and <style> are skipped; attribute values are unescaped as a browser would.
    """
    found = ParsedPage(path)
    position, line, counted, seen = 0, 1, 0, 0
    while position < len(html):
        restart = len(html)
        for match in MARKUP_RE.finditer(html, position):
            name, attributes = match.groups()
            if name is None:
                continue  # a comment
            seen += 1
            if seen % 4096 == 0 and cancelled():
                raise Cancelled
            if "=" in attributes and WANTED_RE.search(attributes.lower()) is not None:
                line += html.count("\n", counted, match.start())
                counted = match.start()
                _read_attributes(found, name.lower(), attributes, line)
            tag = name.lower()
            if tag in RAW_TEXT_END:  # scan again from where its content ends
                close = RAW_TEXT_END[tag].search(html, match.end())
                restart = close.start() if close else len(html)
                break
        position = restart
    return found


def _read_attributes(found: ParsedPage, tag: str, attributes: str, line: int) -> None:
    """Add the ids and links among one start tag's attributes to what was found."""
    wanted = LINK_ATTRIBUTES.get(tag, ())
    for name, equals, double, single, bare in ATTRIBUTE_RE.findall(attributes):
        if not equals:
            continue  # no value: nothing to link to or from
        name = name.lower()
        value = unescape(double or single or bare)
        if name == "id" or (tag == "a" and name == "name"):
            found.ids.setdefault(value, []).append(line)
        elif name in wanted:
            found.add(line, tag, value)


@dataclass(frozen=True, slots=True)
class Target:
    """Where an internal link points: a path inside the site ('' is the root) and a fragment."""

    path: str
    folder: bool
    fragment: str


class Resolver:
    """Turn URLs written in a page into targets inside the site, for one base URL.

    A site of 1,000 pages writes about 240,000 links but only some 13,000 different URLs, so what
    a URL says apart from the page it is on is worked out once (`_outside`, `_relative`); a relative one is then
    joined to each page's folder by counting its leading '../'. A URL with '.' or '..'
    further in, an empty segment or a '%' is resolved the long way (`resolve_anew`), which is what
    the short way must always agree with (tests/output/test_linkcheck.py).
    """

    def __init__(self, base_url: str) -> None:
        base = urlsplit(base_url)  # it ends in "/" (SiteConfig.base_url)
        self.scheme = base.scheme.lower()
        self.host = base.netloc.lower()
        self.base_path = base.path or "/"
        self.read: dict[str, Target | str | _Relative | None] = {}
        self.folders: dict[str, tuple[str, ...] | None] = {}  # a page -> its folder's segments (None: the long way)
        self.joined: dict[tuple[tuple[str, ...], str], Target] = {}  # (the folder a URL climbs to, the URL) -> target

    def resolve(self, page: str, written: str) -> Target | str | None:
        """Return the target of an internal link (a URL as written in a page), None for an external one, or why the link
        is broken."""
        if written in self.read:
            read = self.read[written]
        else:
            parts, read = self._split(written)
            if read is _INSIDE and parts is not None:
                read = _relative(parts.path, parts.fragment)
            self.read[written] = read
        if not isinstance(read, _Relative):
            return read
        if read.segments is None:
            return self.resolve_anew(page, written)
        if read.itself:
            return Target(page, False, read.fragment)
        if page not in self.folders:
            self.folders[page] = _folder(page)
        folder = self.folders[page]
        if folder is None:
            return self.resolve_anew(page, written)
        if read.up > len(folder):
            return "leads above the site's root folder"
        key = (folder[:len(folder) - read.up], written)  # pages in one folder, or climbing to the same one, share it
        if key not in self.joined:
            self.joined[key] = Target("/".join((*key[0], *(read.segments or ()))), read.folder, read.fragment)
        return self.joined[key]

    def resolve_anew(self, page: str, written: str) -> Target | str | None:
        """`resolve`, worked out from the URL alone."""
        parts, outside = self._split(written)
        if outside is not _INSIDE or parts is None:
            return outside
        if not parts.path:
            return Target(page, False, unquote(parts.fragment))
        here = posixpath.dirname(page)
        return _target(posixpath.join(here, parts.path), parts.fragment)

    def _split(self, written: str) -> tuple[SplitResult | None, Target | str | None]:
        """A URL's parts and what it leads to wherever it is written (`_outside`); no parts, and why, for what no
        browser reads as a URL."""
        url = written.strip()
        try:
            parts = urlsplit(url)
        except ValueError:  # a bracket that opens no IPv6 address (//[x)
            return None, "is not a URL a browser can follow"
        return parts, self._outside(url, parts)

    def _outside(self, url: str, parts: SplitResult) -> Target | str | None:
        """What a URL leads to wherever it is written (a target, None for another site, or why it is broken); `_INSIDE`
        for a relative one, whose target depends on the page."""
        scheme = parts.scheme.lower()
        if scheme in ("javascript", "vbscript"):
            return f"a {scheme}: URL is never followed; use a real address"
        if scheme or url.startswith("//"):
            if (scheme or self.scheme) not in ("http", "https") or parts.netloc.lower() != self.host:
                return None
            if not (parts.path or "/").startswith(self.base_path):
                return None  # elsewhere on the same host: another site
            return _target(parts.path[len(self.base_path):], parts.fragment)
        if parts.path.startswith("/"):
            if not parts.path.startswith(self.base_path):
                return (f"root-relative link {url!r} lies outside the site's base path {self.base_path}: "
                        "it breaks when the site is served from a sub-path; make it relative")
            return _target(parts.path[len(self.base_path):], parts.fragment)
        return _INSIDE


_INSIDE = Target("", False, "")  # `Resolver._outside`'s answer for a relative URL (compared by identity)


def _target(path: str, fragment: str) -> Target | str:
    path = unquote(path)
    folder = path == "" or path.endswith("/") or posixpath.basename(path) in (".", "..")
    normal = posixpath.normpath(path) if path else "."
    if normal == ".." or normal.startswith("../"):
        return "leads above the site's root folder"
    return Target("" if normal == "." else normal.lstrip("/"), folder, unquote(fragment))


@dataclass(frozen=True, slots=True)
class _Relative:
    """A relative URL, read once: the page itself, or how many folders it climbs and then the segments it names."""

    itself: bool  # a fragment alone: the page it is on
    up: int
    segments: tuple[str, ...] | None  # None: left to `resolve_anew` ('.' or '..' further in, an empty segment, a '%')
    folder: bool  # it names a folder (its path ends in '/', '.' or '..')
    fragment: str  # unquoted


def _relative(path: str, fragment: str) -> _Relative:
    """Read a relative URL's path: its leading '..' counted, the rest kept when it needs no normalizing."""
    if not path:
        return _Relative(True, 0, (), False, unquote(fragment))
    segments = path.split("/")
    folder = segments[-1] in ("", ".", "..")
    if segments[-1] == "":
        segments.pop()
    up = 0
    while up < len(segments) and segments[up] == "..":
        up += 1
    rest = segments[up:]
    if "%" in path or any(part in ("", ".", "..") for part in rest):
        return _Relative(False, 0, None, False, "")
    return _Relative(False, up, tuple(rest), folder, unquote(fragment))


def _folder(page: str) -> tuple[str, ...] | None:
    """The segments of the folder a page is in, or None when joining to it needs the long way."""
    here = posixpath.dirname(page)
    parts = here.split("/") if here else []
    if "%" in here or any(part in ("", ".", "..") for part in parts):
        return None
    return tuple(parts)


def served_file(target: Target, files: set[str]) -> str | None:
    """Return the file a target is served from (a folder serves its index.html), or None."""
    if target.path == "":
        candidates = ["index.html"]
    elif target.folder:
        candidates = [f"{target.path}/index.html"]
    else:  # "facts" without its slash: GitHub Pages redirects to the folder
        candidates = [target.path, f"{target.path}/index.html"]
    return next((c for c in candidates if c in files), None)


def parsed_pages(outputs: Sequence[Output], cache: Section | None, cancelled: Callable[[], bool] = never) -> dict[str, ParsedPage]:
    """Parse every HTML output; with a cache, a page whose bytes are the same as at its last parse is not parsed again."""
    pages: dict[str, ParsedPage] = {}
    for output in outputs:
        if not output.path.endswith(".html"):
            continue
        if cancelled():
            raise Cancelled
        key = digest(output.content) if cache is not None else ""
        known: ParsedPage | None = cache.lookup(output.path, key) if cache is not None else None
        if known is None:
            known = parse_page(output.path, output.content.decode("utf-8"), cancelled)
            if cache is not None:
                cache.store(output.path, key, known)
        pages[output.path] = known
    return pages


def check_links(outputs: Sequence[Output], base_url: str, shown_as: str = "site", cache: Section | None = None,
                cancelled: Callable[[], bool] = never) -> list[Problem]:
    """Check every link and anchor in the rendered pages; return warnings, one per broken link.

    `cancelled` is asked now and then; when it says yes, the check stops with Cancelled.
    With a cache (its `links` section), pages parsed at an earlier check with the same bytes are not parsed again.
    """
    files = {o.path for o in outputs}
    if cache is not None:
        cache.start()
    pages = parsed_pages(outputs, cache, cancelled)
    if cache is not None:
        cache.sweep()
    resolver = Resolver(base_url)
    problems: list[Problem] = []
    # reason -> every link that shows it: one template link, broken on every page, is one problem
    broken: dict[str, list[Link]] = {}
    # a link the content wrote is reported where it was written, once (a page body shows in the print edition too)
    written: dict[tuple[str, int, str], Problem] = {}
    reasons: dict[Target, str] = {}  # a target -> why it does not resolve ('' when it does): many links share one
    recorded = {o.path: {r.url: r for r in reversed(o.links) if r.kind != "anchor"} for o in outputs if o.links}
    for page in pages.values():
        if cancelled():
            raise Cancelled
        records = recorded.get(page.path, {})
        for line, tag, url in zip(page.lines, page.tags, page.urls, strict=True):
            target = resolver.resolve(page.path, url)
            if target is None:
                continue
            record = records.get(url)
            if record is not None:
                if not record.reported and (problem := _content_problem(record, target, files, pages)) is not None:
                    written.setdefault((problem.path, problem.line, record.written), problem)
                continue
            if isinstance(target, str):
                broken.setdefault(f"{url}\n{target}", []).append(Link(page.path, line, tag, url))
                continue
            if target in reasons:
                reason = reasons[target]
            else:
                reason = reasons[target] = _problem_with(target, files, pages)
            if reason:
                broken.setdefault(reason, []).append(Link(page.path, line, tag, url))
    problems += written.values()
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
    return problems


def _content_problem(record: LinkRecord, target: Target | str, files: set[str], pages: dict[str, ParsedPage]) -> Problem | None:
    """The problem with a link the content wrote, at its line, with the page or anchor it most likely meant; None when it works."""
    path, line = record.loc.path, record.loc.line
    what = "image" if record.kind == "image" else "link"
    if isinstance(target, str):
        return Problem(path, line, f"{what} '{record.written}' {target}", CONTENT_HINT, "warning")
    found = served_file(target, files)
    if found is None:
        folders = sorted({file.removesuffix("index.html").rstrip("/") for file in files if file.endswith("index.html")} - {""})
        close = difflib.get_close_matches(target.path.rstrip("/"), folders, n=1, cutoff=0.6)
        hint = (f"did you mean '{close[0]}'? " if close else "") + CONTENT_HINT
        return Problem(path, line, f"{what} '{record.written}' leads to no page", hint, "warning")
    if target.fragment in IMPLICIT_FRAGMENTS or found not in pages or target.fragment in pages[found].ids:
        return None
    close = difflib.get_close_matches(target.fragment, sorted(pages[found].ids), n=1, cutoff=0.6)
    shown = found.removesuffix("index.html") or "the home page"
    return Problem(path, line, f"{what} '{record.written}' points to #{target.fragment}, which {shown} does not have",
                   (f"did you mean '#{close[0]}'? " if close else "") + "link to a heading, fact or excerpt that is there", "warning")


def _problem_with(target: Target, files: set[str], pages: dict[str, ParsedPage]) -> str:
    """Return why a target does not resolve, or '' when it does."""
    found = served_file(target, files)
    shown = target.path + ("/" if target.folder and target.path else "")
    if found is None:
        return f"leads to no page: the site has no {shown or 'index.html'}"
    if target.fragment in IMPLICIT_FRAGMENTS or found not in pages:
        return ""
    if target.fragment not in pages[found].ids:
        return f"points to #{target.fragment}, which {found} does not have"
    return ""
