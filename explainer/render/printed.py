"""The print edition (print/): the whole explainer on one page in reading order, for paper and PDF.

Its cross-references stay on the page: a link that would lead to a fact, a term, a source,
an excerpt or a narrative page leads to the same thing further up or down this page, so the
edition reads as one document and its PDF keeps working links.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from markupsafe import Markup

from ..model import Markdown, Output, Page, Site, Term
from .context import PageContext
from .reuse import cached_page, cached_part
from .revisions import History, site_history
from .state import RenderState
from .variables import PrintValues

HEADING_RE = re.compile(r"<(/?)h([1-5])(?=[\s>])")


def in_page_anchor(target: str, site: Site) -> str | None:
    """Return the print edition's own anchor for a site path ('glossary/x/', 'facts/#fact-y'), or None."""
    path, _, fragment = target.partition("#")
    parts = [part for part in path.split("/") if part]
    if parts == ["facts"]:
        if fragment.startswith("tag-"):
            return None  # the lists by tag are the facts page's own: the edition leaves them out
        return f"#{fragment}" if fragment else "#part-facts"
    if parts in (["glossary"], ["sources"]):
        return f"#part-{parts[0]}"
    if len(parts) == 2 and parts[0] == "glossary" and parts[1] in site.term_by_id:
        return f"#glossary-{parts[1]}"
    if len(parts) == 2 and parts[0] == "sources" and parts[1] in site.source_by_id:
        excerpt = fragment.removeprefix("excerpt-")
        return f"#{excerpt_anchor(parts[1], excerpt)}" if fragment.startswith("excerpt-") else f"#source-{parts[1]}"
    if "/".join(parts) in site.page_by_slug:  # a page, in a section or not (guide/ferry)
        return f"#page-{'/'.join(parts)}"
    if parts == ["print"]:
        return "#top"  # the edition itself
    return None


def excerpt_anchor(source_id: str, excerpt_id: str) -> str:
    """Return the id of an excerpt in the print edition; ids never hold a dot, so two never meet."""
    return f"excerpt-{source_id}.{excerpt_id}"


def shift_headings(html: str) -> str:
    """Move every heading one level down (h2 -> h3), for a document shown under a heading of its own."""
    return HEADING_RE.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", html)


class PrintContext(PageContext):
    """The print edition's page: links to what the edition holds stay on the page."""

    def url(self, target: str) -> str:
        """Link in-page where the edition holds the target; elsewhere to the published site (a PDF has no site around it)."""
        anchor = in_page_anchor(target, self.state.site)
        if anchor:
            return anchor
        if posixpath.splitext(target.partition("#")[0])[1]:  # a file (a stylesheet, an image), not a page: this copy's own
            return super().url(target)
        return self.state.site.config.absolute(target)

    def record(self, term_id: str) -> None:
        """A link in the print edition is not an appearance: the term pages list the site's own pages."""

    def part(self, kind: str, name: str, doc: Markdown, reads: set[str], glossary: bool = True, exclude: str = "",
             skip: tuple[str, ...] = ()) -> Markup:
        """Render one page's or term's body as a part of the edition.

        A part starts a glossary section, numbers its own tooltips (tip-<kind>-<name>-N) and names
        its own headings (h-<kind>-<name>-<heading>), so its HTML depends on nothing but the part
        itself: the cache keeps it while its inputs are unchanged (a 1,000-page edition is not
        re-rendered for one edit).
        """
        def render() -> str:
            self.section()
            saved = (self.linker.enabled, self.linker.exclude, self.linker.skip, self.linker.id_prefix,
                     self.linker.count, self.anchor_prefix)
            self.linker.enabled, self.linker.exclude, self.linker.skip = glossary, exclude, frozenset(skip)
            self.linker.id_prefix, self.linker.count = f"tip-{kind}-{name}-", 0
            self.anchor_prefix = f"h-{kind}-{name}-"  # heading ids of their own too
            try:
                return shift_headings(self.md(doc))
            finally:
                (self.linker.enabled, self.linker.exclude, self.linker.skip, self.linker.id_prefix,
                 self.linker.count, self.anchor_prefix) = saved

        return Markup(cached_part(self.state, self, f"part:{kind}:{name}", (glossary, exclude, skip), reads, render))

    def page_body(self, page: Page) -> Markup:
        """Render a narrative page's body as a part of the edition, with its own glossary setting."""
        return self.part("page", page.slug, page.body, {f"body:{page.slug}"}, glossary=page.glossary, skip=page.no_autolink)

    def term_body(self, term: Term) -> Markup:
        """Render a term's explanation, never linking the term to itself."""
        return self.part("term", term.id, term.body, set(), exclude=term.id) if term.body else Markup("")


class PageMaker(Protocol):
    """Renderer.page: one template rendered for one page context."""

    def __call__(self, template: str, ctx: PageContext, values: Mapping[str, Any], *, title: str, description: str,
                 kind: str, history: History | None = None) -> Output: ...


def print_edition(state: RenderState, page: PageMaker, dated: Callable[[PageContext, str, History], History]) -> Output:
    """Render print/index.html: cover and contents, introduction, pages, facts, glossary (가나다), sources."""
    site = state.site
    labels = site.config.labels
    ctx = PrintContext(state, "print/", labels["print_edition"], (8, ""))
    ctx.lazy = False  # Chromium prints the page once loaded: an image not yet loaded would be missing from the PDF
    values: PrintValues = {"groups": state.groups, "sections": state.sections, "page_body": ctx.page_body,
                           "term_body": ctx.term_body, "excerpt_anchor": excerpt_anchor}
    history = dated(ctx, labels["print_edition"], site_history(site))  # it shows everything: every correction
    return cached_page(state, ctx, "print", (), lambda: page(
        "print.html", ctx, values, title=labels["print_edition"], description=site.config.description, kind="print",
        history=history))
