"""One output page being rendered: its URLs, the Markdown hooks, the glossary links it makes, what it read."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from ..content.targets import resolve
from ..model import Asset, DocLink, Fact, Figure, LinkRecord, Loc, Markdown, Ref, Term
from ..text import korean, markdown, markup
from ..text.glossary import Linker
from ..text.timeline import months_of
from . import bounds
from .display import slug
from .pictures import Picture
from .social import CardWant
from .state import Record, RenderState
from .variables import TocItem

# Ids the theme gives elements of its own: a heading whose id would be one of them (or start like
# one of the families) gets HEADING_PREFIX in front, so that an author's "## Main" never takes #main.
THEME_IDS = frozenset({"main", "top", "site-nav", "site-search", "site-search-form", "site-search-results", "page-toc",
                       "key-facts", "start-here", "glance", "in-sources", "related", "appears", "tags", "print-toc"})
THEME_ID_FAMILIES = ("fact-", "term-", "tip-", "excerpt-", "group-", "tag-", "section-", "source-", "glossary-", "page-",
                     "part-", "letter-", "appears-", "h-")
HEADING_PREFIX = "h-"


class PageContext:
    """Everything one output page needs while rendering; implements markup.Hooks.

    It records what the render cache must know about the page: the page bodies it read
    (`reads`, through md() and plain(), the only way templates reach Markdown) and the
    glossary links it made (`records`), which a reused page replays.
    """

    def __init__(self, state: RenderState, path: str, title: str, rank: tuple[int, str], *,
                 glossary: bool = True, exclude_term: str = "", skip_terms: frozenset[str] = frozenset(),
                 absolute: bool = False) -> None:
        self.state = state
        self.path = path  # the page's URL path inside the site: "" or "glossary/x/"
        self.title = title
        self.rank = rank  # where this page sorts in "where this term appears"
        self.absolute = absolute
        self.facts: list[Fact] = []  # the fact whose text is being rendered (innermost last)
        self.linked: dict[str, None] = {}  # terms linked on this page, for the printed list of definitions
        self.records: list[Record] = []  # every glossary link made, for the render cache to replay
        self.reads: set[str] = set()  # the cache inputs read: "body:<slug>" of each page body rendered
        self.links: list[LinkRecord] = []  # every link and image the page's Markdown made, with where it was written
        self.lazy = True  # images after the first load lazily (not on paper: a PDF is printed at once)
        self.shown_images = 0
        self.card: CardWant | None = None  # the social card the page shows, for the render cache to replay
        self.headings: list[TocItem] = []  # headings of the Markdown rendered so far, for the table of contents
        self.anchors: set[str] = set()  # ids given to headings on this page
        self.anchor_prefix = ""  # put before every heading id (the print edition: one per part)
        self.linker = Linker(state.glossary, lambda term_id: self.url(f"glossary/{term_id}/"), self.record,
                             enabled=glossary, exclude=exclude_term, skip=skip_terms)
        self._macros: Any = None
        self._urls: dict[str, str] = {}  # site path -> its URL from this page

    # -- URLs -------------------------------------------------------------------------

    def url(self, target: str) -> str:
        """Return the URL of a site path ('facts/#fact-x', 'assets/style.css') from this page."""
        found = self._urls.get(target)
        if found is None:
            found = self._urls[target] = self._url(target)
        return found

    def _url(self, target: str) -> str:
        """The URL of a site path from this page, worked out (url() keeps each: a page links the same places many times)."""
        if self.absolute:
            return self.state.site.config.base_path + target
        target_path, _, fragment = target.partition("#")
        here = self.path.rstrip("/") or "."
        if target_path.rstrip("/") == self.path.rstrip("/"):
            return f"#{fragment}" if fragment else "./"
        dest = target_path.rstrip("/") or "."
        rel = relative_path(dest, here)
        if target_path.endswith("/") or target_path == "":
            rel = rel + "/" if rel != "." else "./"
        return rel + (f"#{fragment}" if fragment else "")

    def site_url(self, target: str) -> str:
        """Like url(), but always to this site's own copy, also where url() links elsewhere (the print edition).

        For what must come from the site the page is served from, such as the search index.
        """
        return PageContext.url(self, target)

    # -- Markdown hooks -----------------------------------------------------------------

    def read(self, doc: Markdown) -> None:
        """Note that this page shows `doc`: when it is a page's body, the page depends on that body (Markdown written
        elsewhere in a page's file, a correction, is part of "site", which every page reads)."""
        body = self.state.body_slugs.get(doc.loc.path)
        if body is not None and doc is self.state.site.page_by_slug[body].body:
            self.reads.add(f"body:{body}")

    def md(self, doc: Markdown | None, fact: Fact | None = None) -> Markup:
        """Render a document on this page (inside `fact` when it is part of one)."""
        if doc is None:
            return Markup("")
        self.read(doc)
        if fact is not None:
            self.facts.append(fact)
        try:
            return Markup(markup.render(doc, self))
        finally:
            if fact is not None:
                self.facts.pop()

    def plain(self, doc: Markdown) -> str:
        """Return a document's text without markup."""
        self.read(doc)
        return markdown.plain_text(doc)

    def link(self, link: DocLink, path: str) -> str:
        """The URL of a link written in the Markdown of the file shown as `path`; the link is recorded with its line."""
        site = self.state.site
        target = resolve(link.target, site.paths.get(path, ""), site)
        if target.kind in ("external", "missing", "outside"):
            href = link.target
        elif target.kind == "asset":
            href = self.url(site.assets[target.path].url + (f"#{target.fragment}" if target.fragment else ""))
        else:
            href = self.url(target.site_path())
        self.links.append(LinkRecord(href, link.target, Loc(path, link.line), reported=target.kind in ("missing", "outside")))
        return href

    def image(self, link: DocLink, path: str, figure: bool) -> str:
        """An image written in the Markdown of the file shown as `path`, as the theme's `picture` macro shows it."""
        site = self.state.site
        target = resolve(link.target, site.paths.get(path, ""), site)
        words: dict[str, Any] = {"alt": "" if link.decorative else link.alt, "caption": Markup.escape(link.title) if figure else Markup(""),
                 "credit": "" if link.credit == "own" else link.credit, "decorative": link.decorative, "figure": figure}
        if target.kind == "asset" and site.assets[target.path].kind in ("image", "vector"):
            picture = self.picture(site.assets[target.path], **words)
        else:  # a file of the theme (/assets/…); anything else the checks have refused
            picture = Picture(self.url(target.site_path()) if target.kind == "site" else link.target, 0, 0, **words)
        self.links.append(LinkRecord(picture.src, link.target, Loc(path, link.line), "image",
                                     target.path if target.kind == "asset" else "", target.kind in ("missing", "outside")))
        return str(self.macros().picture(picture))

    def figure(self, figure: Figure) -> Markup:
        """A term's or a source's image (`image:` in its YAML file), as the theme's `picture` macro shows it."""
        site = self.state.site
        target = resolve(figure.file, site.paths.get(figure.loc.path, ""), site)
        asset = site.assets.get(target.path) if target.kind == "asset" else None
        if asset is None:
            return Markup("")  # the checks have reported it
        caption = self.md(figure.caption) if figure.caption is not None else Markup("")
        picture = self.picture(asset, alt="" if figure.decorative else figure.alt, caption=caption,
                               credit="" if figure.credit == "own" else figure.credit, decorative=figure.decorative, figure=True)
        self.links.append(LinkRecord(picture.src, figure.file, figure.loc, "image", asset.path))
        return Markup(self.macros().picture(picture))

    def picture(self, asset: Asset, **words: Any) -> Picture:
        """The picture of one image on this page: lazily loaded unless it is the page's first."""
        lazy, self.lazy = self.lazy and self.shown_images > 0, self.lazy
        self.shown_images += 1
        return self.state.pictures.picture(asset, self.url, lazy=lazy, label=self.label("image_credit"), **words)

    def label(self, name: str) -> str:
        """One of the interface's words, in the site's language."""
        return str(self.state.site.config.labels[name])

    def text(self, text: str, linkable: bool) -> str:
        return self.linker.text(text, linkable)

    def anchor(self, text: str, level: int, loc: Loc) -> str:
        """Give a heading of rendered Markdown its id (unique on the page), note it for the table of contents, record it."""
        title = " ".join(text.split())
        base = slug(title) or "section"
        if self.anchor_prefix or base in THEME_IDS or base.startswith(THEME_ID_FAMILIES):
            base = (self.anchor_prefix or HEADING_PREFIX) + base
        anchor, number = base, 1
        while anchor in self.anchors:
            number += 1
            anchor = f"{base}-{number}"
        self.anchors.add(anchor)
        self.headings.append({"title": title, "anchor": anchor, "level": level})
        self.links.append(LinkRecord(anchor, anchor, loc, "anchor"))
        return anchor

    def section(self, title: str = "") -> str:
        """Start a new section for glossary linking; returns `title` so templates can wrap headings."""
        self.linker.section()
        return title

    def enter_card(self) -> str:
        """Open a fact card: it links its terms on its own, whatever the prose around it linked."""
        self.linker.enter()
        return ""

    def leave_card(self) -> str:
        self.linker.leave()
        return ""

    def record(self, term_id: str) -> None:
        fact = self.facts[-1] if self.facts else None
        self.linked[term_id] = None
        self.records.append((term_id, fact.id if fact else ""))
        self.state.note(self.records[-1:], self.path, self.rank, self.title)

    def replay(self, records: tuple[Record, ...]) -> None:
        """Note again the term links a page made when it was rendered (it is reused from the cache)."""
        self.records += records  # as if made again: the term pages' links are compared with those they were rendered knowing
        self.state.note(records, self.path, self.rank, self.title)

    def page_terms(self) -> list[Term]:
        """Return the terms linked on this page so far, in 가나다 order."""
        terms = [self.state.site.term_by_id[term_id] for term_id in self.linked]
        return sorted(terms, key=lambda term: korean.sort_key(term.term))

    def template_globals(self) -> dict[str, Any]:
        """Template variables that depend on the page being rendered."""
        return bounds.helpers(self.state.env, {"url": self.url, "site_url": self.site_url, "md": self.md, "plain": self.plain,
                                               "section": self.section, "enter_card": self.enter_card,
                                               "leave_card": self.leave_card, "page_terms": self.page_terms,
                                               "figure": self.figure})

    def macros(self) -> Any:
        if self._macros is None:
            template = self.state.env.get_template("macros.html")
            module = template.make_module(self.template_globals())
            self._macros = bounds.Guarded(module, self.state.env) if self.state.env.sandboxed else module  # each call bounded
        return self._macros

    def xref(self, kind: str, target: str, label: str, block: bool) -> str:
        site = self.state.site
        macros = self.macros()
        if kind == "fact":
            fact = site.fact_by_id[target]
            if block:
                return str(macros.fact_card(fact))
            return f'<a class="fact-link" href="{Markup.escape(self.url("facts/#fact-" + fact.id))}">{Markup.escape(label)}</a>'
        if kind in ("quote", "cite"):
            source, _, excerpt = target.partition("#")
            ref = Ref(source, excerpt, site.source_by_id[source].loc)
            return str(macros.quote(ref, block) if kind == "quote" else macros.cite(ref, label))
        if kind == "term":
            term = site.term_by_id[target]
            return self.linker.link(term.id, label or term.term)
        if kind == "timeline":
            facts = [f for f in site.facts if f.when and (not target or target in f.tags)]
            return str(macros.timeline(months_of(facts)))
        raise ValueError(f"unchecked reference kind {kind!r}")  # content/check.py rejects unknown kinds


def relative_path(dest: str, here: str) -> str:
    """posixpath.relpath for the site's own normalised paths, without its getcwd() per call."""
    to = [part for part in dest.split("/") if part and part != "."]
    start = [part for part in here.split("/") if part and part != "."]
    common = 0
    while common < min(len(to), len(start)) and to[common] == start[common]:
        common += 1
    return "/".join([".."] * (len(start) - common) + to[common:]) or "."
