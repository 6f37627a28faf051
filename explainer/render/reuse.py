"""Rendered pages kept in the cache (cache.py, section `pages`) and reused while their inputs are unchanged.

A page's HTML is a function of
- "site": every content file but the page bodies (site.yaml, sources, facts, glossary, and each
  page's front matter), the theme's files and the build's options;
- "body:<slug>": the body of each narrative page it rendered (recorded by PageContext.read);
- its own key: what the page was rendered for beyond that (a term page: where the term appears).
A page is rendered again whenever any of them changed; pages that share a part (the print
edition's page bodies) keep the part itself the same way.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar

from ..cache import Digest, digest
from ..model import LinkRecord, Loc, Markdown, Options, Output, Site
from .context import PageContext
from .social import CardWant
from .state import Record, RenderState

T = TypeVar("T")
EMPTY = Markdown("", Loc("", 0), False, ())  # in place of a page's body, to hash what else the page says


def render_inputs(site: Site, options: Options, theme: Digest) -> dict[str, Digest]:
    """The hashes of what rendered pages may read: "site" and "body:<slug>" for each page."""
    inputs = {"site": digest(repr(options), theme, content_but_bodies(site))}
    inputs.update((f"body:{page.slug}", site.digests.get(page.loc.path) or digest(page.body.text)) for page in site.pages)
    return inputs


def content_but_bodies(site: Site) -> Digest:
    """The hash of every content file but the page files, of all the pages say besides their bodies (front matter:
    titles, dates, corrections, images; any page may show another's), and of the interface's words; once a build."""
    found: Digest | None = site.derived.get("content_but_bodies")
    if found is not None:
        return found
    bodies = {page.loc.path for page in site.pages}
    content = [f"{path}\n{value}" for path, value in sorted(site.digests.items()) if path not in bodies]
    fronts = [repr(dataclasses.replace(p, body=EMPTY)) for p in site.pages]
    labels = repr(sorted(site.config.labels.items()))  # with the interface's own words (explainer/locales)
    found = site.derived["content_but_bodies"] = digest(labels, *content, *fronts)
    return found


def cached_page(state: RenderState, ctx: PageContext, name: str, key: Any, render: Callable[[], Output]) -> Output:
    """Return the page `name` from the cache (its term links replayed on `ctx`), or render it and keep it.

    `key` is the page's own key: a value of plain data (str, int and tuples or lists of them), kept with the page
    and compared with the key asked for (a term page's is every place the term appears: hashing it for each term
    page of each build cost more than comparing it).
    """
    cache = state.cache
    if cache is None:
        return render()
    key_digest = digest(name)
    found: tuple[Output, tuple[Record, ...], CardWant | None, Any] | None = cache.lookup(
        name, key_digest, lambda value: type(value[3]) is type(key) and value[3] == key)
    if found is not None:
        output, records, card, _ = found
        ctx.replay(records)
        state.reuse_media(output.links, card)
        return output
    output = render()
    cache.store(name, key_digest, (output, tuple(dict.fromkeys(ctx.records)), ctx.card, key), {"site", *ctx.reads})
    return output


def cached_part(state: RenderState, ctx: PageContext, name: str, key: Any, reads: set[str], render: Callable[[], T]) -> T:
    """Return a part of a page (HTML that depends on nothing around it, with what else `render` says of it) from the
    cache, or render and keep it."""
    ctx.reads |= reads  # the page read them, whether its part is reused or not
    cache = state.parts
    if cache is None:
        return render()
    key_digest = digest(name, repr(key))
    found: tuple[T, tuple[LinkRecord, ...]] | None = cache.lookup(name, key_digest)
    if found is None:
        before = len(ctx.links)
        html = render()
        found = cache.store(name, key_digest, (html, tuple(ctx.links[before:])), {"site", *reads})
    else:  # the links and images the part made are the page's, and its images are still to be served
        ctx.links += found[1]
        state.reuse_media(found[1], None)
    return found[0]


def cached_links(state: RenderState, name: str, gather: Callable[[], tuple[frozenset[Record], frozenset[str]]]) -> frozenset[Record]:
    """The term links a rendering makes, from the cache's parts, or gathered and kept: `gather` returns them and the
    inputs it read besides the site (a term page's links to other terms, gathered again for every build: pages.py)."""
    parts = state.parts
    if parts is None:
        return gather()[0]
    key = digest(name)
    found: frozenset[Record] | None = parts.lookup(name, key)
    if found is None:
        records, reads = gather()
        found = parts.store(name, key, records, {"site", *reads})
    return found
