"""The print edition (print/): the whole explainer on one page in reading order, for paper and PDF.

Its cross-references stay on the page: a link that would lead to a fact, a term, a source,
an excerpt or a narrative page leads to the same thing further up or down this page, so the
edition reads as one document and its PDF keeps working links.
"""

from __future__ import annotations

import os
import posixpath
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol

import jinja2
from markupsafe import Markup

from ..cache import digest
from ..model import LinkRecord, Markdown, Output, Page, Site, Term
from ..text.typeset import hold_joined_words, sealed_frame, sealed_piece
from .context import PageContext
from .reuse import cached_page, cached_part
from .revisions import History, site_history
from .state import RenderState
from .theme import DEFAULT_THEME
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

    framing: list[tuple[str, str, int]] | None = None  # while its frame is rendered: each part asked for (kind, name, links so far)
    nonce = ""  # what marks this rendering's joints: content cannot guess it, so none of its text passes for one

    def __init__(self, state: RenderState) -> None:
        super().__init__(state, "print/", state.site.config.labels["print_edition"], (8, ""))
        self.lazy = False  # Chromium prints the page once loaded: an image not yet loaded would be missing from the PDF

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
        """One page's or term's body as a part of the edition (while the frame is rendered: the joint it goes in)."""
        if self.framing is not None:
            self.framing.append((kind, name, len(self.links)))
            return Markup(joint(self.nonce, len(self.framing) - 1))
        return Markup(self.cut(kind, name, doc, reads, glossary, exclude, skip, typeset=False)[0].decode("utf-8"))

    def cut(self, kind: str, name: str, doc: Markdown, reads: set[str], glossary: bool, exclude: str,
            skip: tuple[str, ...], typeset: bool) -> tuple[bytes, bool]:
        """Render one part, encoded, and whether it is sealed (typeset.sealed_piece): typeset, as the edition is joined,
        or as it is, for the edition rendered whole (typesetting the whole page then sees it as it stands in the page).

        A part starts a glossary section of its own, numbers its own tooltips (tip-<kind>-<name>-N)
        and names its own headings (h-<kind>-<name>-<heading>), and the section around it goes on
        after it as before: its HTML depends on nothing but the part itself, and nothing around it
        depends on the part. The cache keeps it while its inputs are unchanged (a 1,000-page edition
        is not rendered again for one edit).
        """
        def render() -> tuple[bytes, bool]:
            linker = self.linker
            saved = (linker.enabled, linker.exclude, linker.skip, linker.id_prefix, linker.count, linker.seen, self.anchor_prefix,
                     self.anchors)
            linker.enabled, linker.exclude, linker.skip = glossary, exclude, frozenset(skip)
            linker.id_prefix, linker.count, linker.seen = f"tip-{kind}-{name}-", 0, set()
            self.anchor_prefix, self.anchors = f"h-{kind}-{name}-", set()  # heading ids of their own too
            try:
                html = shift_headings(self.md(doc))
                if not typeset:
                    return html.encode("utf-8"), False
                html = hold_joined_words(html)
                return html.encode("utf-8"), sealed_piece(html)
            finally:
                (linker.enabled, linker.exclude, linker.skip, linker.id_prefix, linker.count, linker.seen,
                 self.anchor_prefix, self.anchors) = saved

        name_kept = f"{'part' if typeset else 'raw'}:{kind}:{name}"  # a site keeps one or the other: its print template decides
        found: tuple[bytes, bool] = cached_part(self.state, self, name_kept, (glossary, exclude, skip), reads, render)
        return found

    def page_body(self, page: Page) -> Markup:
        """Render a narrative page's body as a part of the edition, with its own glossary setting."""
        return self.part("page", page.slug, page.body, {f"body:{page.slug}"}, glossary=page.glossary, skip=page.no_autolink)

    def term_body(self, term: Term) -> Markup:
        """Render a term's explanation, never linking the term to itself."""
        return self.part("term", term.id, term.body, set(), exclude=term.id) if term.body else Markup("")

    def piece(self, kind: str, name: str) -> tuple[bytes, bool]:
        """The part a joint of the frame asked for, as `cut` renders it (the site is the frame's: its front matter is the same)."""
        if kind == "page":
            page = self.state.site.page_by_slug[name]
            return self.cut(kind, name, page.body, {f"body:{name}"}, page.glossary, "", page.no_autolink, typeset=True)
        term = self.state.site.term_by_id[name]
        assert term.body is not None, "the frame asks only for terms with a body"
        return self.cut(kind, name, term.body, set(), True, name, (), typeset=True)


def joint(nonce: str, index: int) -> str:
    """Where part `index` goes in a frame of the print edition: an HTML comment (a tag, as the typesetter reads it)."""
    return f"<!--explainer-part:{nonce}:{index}-->"


@dataclass(frozen=True, slots=True)
class Frame:
    """The print edition with a joint in place of each part, typeset: what it reads but the page bodies.

    `usable` is False when it cannot be joined with its parts piece by piece (a theme that shows a
    part twice, inside an attribute or verbatim text, or a mark at a joint): the edition is then rendered whole.
    """

    pieces: tuple[bytes, ...]  # encoded, between the joints: one more than the parts
    links: tuple[LinkRecord, ...]
    parts: tuple[tuple[str, str, int], ...]  # (kind, name, how many of `links` come before it)
    reads: frozenset[str]
    usable: bool


class PageMaker(Protocol):
    """Renderer.page: one template rendered for one page context."""

    def __call__(self, template: str, ctx: PageContext, values: Mapping[str, Any], *, title: str, description: str,
                 kind: str, history: History | None = None) -> Output: ...


def print_edition(state: RenderState, page: PageMaker, dated: Callable[[PageContext, str, History], History]) -> Output:
    """Render print/index.html: cover and contents, introduction, pages, facts, glossary (가나다), sources.

    It is made of its frame (the template rendered with a joint for each page body and term
    explanation) and its parts, each kept in the cache while its own inputs are unchanged: an edit
    of one page renders that page's part again, and the edition is joined from the pieces, each
    typeset on its own (hold_joined_words over tens of megabytes, and the template's every fact
    card, are not done again). When the pieces cannot be joined so, or the site has a print
    template of its own (what it does with a part, `|trim` or `|wordcount`, the frame cannot
    see), it is rendered whole.
    """
    site = state.site
    labels = site.config.labels

    def context() -> PrintContext:
        return PrintContext(state)

    def whole(ctx: PrintContext) -> Output:
        values: PrintValues = {"groups": state.groups, "sections": state.sections, "page_body": ctx.page_body,
                               "term_body": ctx.term_body, "excerpt_anchor": excerpt_anchor}
        return page("print.html", ctx, values, title=labels["print_edition"], description=site.config.description, kind="print",
                    history=history)

    ctx = context()
    history = dated(ctx, labels["print_edition"], site_history(site))  # it shows everything: every correction

    def render() -> Output:
        rendered.append(True)
        if not joinable(state):
            return whole(ctx)
        joining = context()  # a context of its own: when the pieces cannot be joined, `whole` starts from a clean one
        joined = join_frame(state, joining, frame_of(state, context, whole))
        if joined is None:
            return whole(ctx)
        ctx.reads |= joining.reads  # what the edition read, for the cache (it records no term links and has no card)
        return joined

    rendered: list[bool] = []
    output = cached_page(state, ctx, "print", (), render)
    if not rendered and state.parts is not None:  # the edition as it was: its frame and parts are kept for the next edit
        state.parts.keep()  # (else this build's end would drop them, and that edit render every part again)
    return output


def joinable(state: RenderState) -> bool:
    """Whether the edition may be joined from frame and parts: its template is the default theme's, which shows each
    part as it is."""
    try:
        filename = state.env.get_template("print.html").filename or ""
    except jinja2.TemplateError:  # reported where the edition is rendered
        return False
    return os.path.realpath(filename).startswith(os.path.join(DEFAULT_THEME, ""))


def frame_of(state: RenderState, context: Callable[[], PrintContext], whole: Callable[[PrintContext], Output]) -> Frame:
    """The frame of the print edition, from the cache while the site but the page bodies is the same, else rendered."""
    key = digest("print:frame")
    found: Frame | None = state.parts.lookup("print:frame", key) if state.parts is not None else None
    if found is not None:
        state.reuse_media(found.links, None)  # its images are still to be served
        return found
    ctx = context()
    ctx.framing, ctx.nonce = [], secrets.token_hex(16)
    output = whole(ctx)
    html, parts = output.content.decode("utf-8"), tuple(ctx.framing)
    joints: list[tuple[int, int]] = []
    for index in range(len(parts)):
        start = html.find(joint(ctx.nonce, index), joints[-1][1] if joints else 0)
        if start == -1:
            break
        joints.append((start, start + len(joint(ctx.nonce, index))))
    usable = len(joints) == len(parts) and html.count(joint(ctx.nonce, 0).rpartition(":")[0]) == len(parts) \
        and sealed_frame(html, joints)  # every joint once, in order, and each a joint of its own
    edges = [0, *(edge for span in joints for edge in span), len(html)]
    pieces = tuple(html[edges[at]:edges[at + 1]].encode("utf-8") for at in range(0, len(edges), 2)) if usable else ()
    frame = Frame(pieces, output.links, parts, frozenset(ctx.reads), usable)
    if state.parts is not None:
        state.parts.store("print:frame", key, frame, {"site", *ctx.reads})
    return frame


def join_frame(state: RenderState, ctx: PrintContext, frame: Frame) -> Output | None:
    """The edition joined from its frame and its parts (their links in the order a whole rendering records them);
    None when a frame or part is not sealed."""
    if not frame.usable:
        return None
    ctx.reads |= frame.reads
    pieces: list[bytes] = [frame.pieces[0]]
    links: list[LinkRecord] = []
    taken = 0
    for index, (kind, name, before) in enumerate(frame.parts, start=1):
        recorded = len(ctx.links)
        html, sealed = ctx.piece(kind, name)
        if not sealed:
            return None
        links += (*frame.links[taken:before], *ctx.links[recorded:])
        taken = before
        pieces += (html, frame.pieces[index])
    links += frame.links[taken:]
    ctx.links[:] = links
    return Output("print/index.html", b"".join(pieces), "print.html", tuple(links))
