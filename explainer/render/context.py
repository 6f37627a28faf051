"""One output page being rendered: its URLs, the Markdown hooks, and the glossary links it makes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from ..model import Fact, Markdown, Ref, Term
from ..text import korean, markdown
from ..text.glossary import Linker
from ..text.timeline import months_of
from .reuse import Record

if TYPE_CHECKING:
    from .pages import Renderer


@dataclass(slots=True)
class Appearances:
    """Where links to one term were made, gathered while rendering."""

    pages: dict[str, tuple[tuple[int, str], str]] = field(default_factory=dict)  # path -> (sort key, title)
    facts: dict[str, Fact] = field(default_factory=dict)


class PageContext:
    """Everything one output page needs while rendering; implements markdown.Hooks."""

    def __init__(self, renderer: Renderer, path: str, title: str, rank: tuple[int, str], *,
                 glossary: bool = True, exclude_term: str = "", absolute: bool = False) -> None:
        self.renderer = renderer
        self.path = path  # the page's URL path inside the site: "" or "glossary/x/"
        self.title = title
        self.rank = rank  # where this page sorts in "where this term appears"
        self.absolute = absolute
        self.facts: list[Fact] = []  # the fact whose text is being rendered (innermost last)
        self.linked: dict[str, None] = {}  # terms linked on this page, for the printed list of definitions
        self.records: list[Record] = []  # every glossary link made, for the render cache to replay
        self.documents: list[Markdown] = []  # every document rendered, for the render cache to check
        self.linker = Linker(renderer.glossary, lambda term_id: self.url(f"glossary/{term_id}/"), self.record,
                             enabled=glossary, exclude=exclude_term)
        self._macros: Any = None

    # -- URLs -------------------------------------------------------------------------

    def url(self, target: str) -> str:
        """Return the URL of a site path ('facts/#fact-x', 'assets/style.css') from this page."""
        if self.absolute:
            return str(self.renderer.site.config.base_path) + target
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

    def md(self, doc: Markdown | None, fact: Fact | None = None) -> Markup:
        """Render a document on this page (inside `fact` when it is part of one)."""
        if doc is None:
            return Markup("")
        self.documents.append(doc)
        if fact is not None:
            self.facts.append(fact)
        try:
            return Markup(markdown.render(doc, self))
        finally:
            if fact is not None:
                self.facts.pop()

    def plain(self, doc: Markdown) -> str:
        """Return a document's text without markup."""
        self.documents.append(doc)
        return markdown.plain_text(doc)

    def label(self, name: str) -> str:
        """One of the interface's words, in the site's language."""
        return str(self.renderer.site.config.labels[name])

    def text(self, text: str, linkable: bool) -> str:
        return self.linker.text(text, linkable)

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
        self.records.append((term_id, fact))
        self.note(term_id, fact)

    def note(self, term_id: str, fact: Fact | None) -> None:
        """Note a link to a term made on this page (from inside `fact` when given)."""
        found = self.renderer.appearances.setdefault(term_id, Appearances())
        if fact is not None:
            found.facts[fact.id] = fact
        if self.path != "facts/":  # the facts page is listed fact by fact
            found.pages[self.path] = (self.rank, self.title)

    def page_terms(self) -> list[Term]:
        """Return the terms linked on this page so far, in 가나다 order."""
        terms = [self.renderer.site.term_by_id[term_id] for term_id in self.linked]
        return sorted(terms, key=lambda term: korean.sort_key(term.term))

    def macros(self) -> Any:
        if self._macros is None:
            template = self.renderer.env.get_template("macros.html")
            self._macros = template.make_module(self.renderer.globals_for(self))
        return self._macros

    def xref(self, kind: str, target: str, label: str, block: bool) -> str:
        site = self.renderer.site
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
        raise ValueError(f"unchecked reference kind {kind!r}")  # check.py rejects unknown kinds


def relative_path(dest: str, here: str) -> str:
    """posixpath.relpath for the site's own normalised paths, without its getcwd() per call."""
    to = [part for part in dest.split("/") if part and part != "."]
    start = [part for part in here.split("/") if part and part != "."]
    common = 0
    while common < min(len(to), len(start)) and to[common] == start[common]:
        common += 1
    return "/".join([".."] * (len(start) - common) + to[common:]) or "."
