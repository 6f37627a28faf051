"""Rendered pages kept between builds of a preview, reused only when provably unchanged.

A page's HTML is a function of the site's *skeleton* (the config, every source, fact and term,
each page's title, summary and order: everything but the page bodies), the theme, the page
bodies it rendered through `md()` or `plain()`, and whatever the page was keyed on (the page
itself, or a term's appearances). The cache is emptied whenever the skeleton or any theme file
changes, so an entry is reused only when the page bodies it read and its key are equal to the
new ones. Anything rendered without a cache entry is simply rendered again: new kinds of pages
are always correct, and can opt in by looking up and storing entries like narrative pages do.
Templates must read Markdown through `md()` or `plain()` (never `.text`) for this to hold.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2

from ..content.config import Options
from ..model import Fact, Markdown, Site

if TYPE_CHECKING:
    from .context import PageContext
    from .pages import Output

# (term id, the fact whose text linked it or None): one glossary link made while rendering
Record = tuple[str, Fact | None]


@dataclass(frozen=True, slots=True)
class Entry:
    """One rendered page and what it read and did, to reuse or replay."""

    key: Any  # equal keys (and bodies) give the same output
    output: Output
    records: tuple[Record, ...]
    bodies: tuple[tuple[str, Markdown], ...]  # (page slug, body) of each page body rendered


@dataclass(slots=True)
class RenderCache:
    """Entries by name (('page', slug), ('term', pass, id)), plus the compiled templates."""

    entries: dict[tuple[str, ...], Entry] = field(default_factory=dict)
    parts: dict[tuple[str, ...], tuple[Any, str]] = field(default_factory=dict)  # parts of long pages: name -> (key, html)
    env: jinja2.Environment | None = None
    skeleton: Any = None
    theme: tuple[tuple[str, tuple[int, ...]], ...] = ()
    hits: int = 0  # entries reused in the last build (for the preview server's log)

    def prepare(self, site: Site, options: Options, theme_folders: tuple[Path, ...]) -> None:
        """Start a build: drop every entry when the skeleton or the theme has changed."""
        skeleton = site_skeleton(site, options)
        theme = theme_signature(theme_folders)
        if skeleton != self.skeleton or theme != self.theme:
            self.entries.clear()
            self.parts.clear()
            if theme != self.theme:
                self.env = None
        self.skeleton, self.theme, self.hits = skeleton, theme, 0

    def lookup(self, name: tuple[str, ...], key: Any, site: Site) -> Entry | None:
        """Return the entry stored under `name` if its key and the page bodies it read are unchanged."""
        entry = self.entries.get(name)
        if entry is None or entry.key != key:
            return None
        for slug, body in entry.bodies:
            page = site.page_by_slug.get(slug)
            if page is None or page.body != body:
                return None
        self.hits += 1
        return entry

    def store(self, name: tuple[str, ...], entry: Entry) -> None:
        self.entries[name] = entry

    def invalidate(self) -> None:
        """Drop everything: the next build renders every page (the watcher saw a theme or config edit)."""
        self.entries.clear()
        self.parts.clear()
        self.env = None
        self.skeleton, self.theme = None, ()


def site_skeleton(site: Site, options: Options) -> tuple[Any, ...]:
    """Everything in the site but the page bodies, as a value to compare."""
    pages = tuple(tuple(getattr(page, f.name) for f in fields(page) if f.name != "body") for page in site.pages)
    config = site.config
    return (options, config, sorted(config.labels.items(), key=lambda item: item[0]), site.sources, site.groups,
            site.facts, site.terms, pages, site.broken)


def theme_signature(folders: tuple[Path, ...]) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """Every theme file with its stat signature: any edit, addition or removal changes it."""
    found: list[tuple[str, tuple[int, ...]]] = []
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                st = path.stat()
                found.append((str(path), (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)))
    return tuple(found)


def reuse(ctx: PageContext, name: tuple[str, ...], key: Any) -> Output | None:
    """Return a page's output from the render cache, replaying its glossary links on `ctx`; None when stale."""
    cache = ctx.renderer.cache
    entry = cache.lookup(name, key, ctx.renderer.site) if cache is not None else None
    if entry is None:
        return None
    for term_id, fact in entry.records:
        ctx.note(term_id, fact)
    return entry.output


def remember(ctx: PageContext, name: tuple[str, ...], key: Any, output: Output) -> Output:
    """Store a page's output in the render cache, with the links `ctx` made and the page bodies it read."""
    renderer = ctx.renderer
    if renderer.cache is not None:
        bodies = renderer.page_bodies
        read = tuple(sorted({(bodies[id(doc)], doc) for doc in ctx.documents if id(doc) in bodies}, key=lambda b: b[0]))
        records = tuple({(term_id, id(fact)): (term_id, fact) for term_id, fact in ctx.records}.values())
        renderer.cache.store(name, Entry(key, output, records, read))
    return output
