"""Turn the checked site into HTML pages in memory: one function per kind of page, in the order they are rendered."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from functools import partial
from typing import Any

import jinja2
from markupsafe import Markup

from ..cache import Cache, digest
from ..content.history import archive_date
from ..content.links import asset_uses
from ..content.schema import NAV_PAGES
from ..errors import BuildFailed, Problem, display_path
from ..model import BUILTIN_SECTIONS, Fact, Options, Output, Page, Site, Source, Term, distinct, primary_language
from ..text import korean, markdown
from ..text.fragment import link_to_words
from ..text.timeline import months_of
from ..text.typeset import hold_joined_words
from . import bounds
from .citation import Citation, all_citation_files, cite
from .context import PageContext
from .display import format_date, json_script, shortened, source_name, tag_anchor
from .look import LOOK_CSS, look_css, look_values
from .printed import PrintContext, joinable, print_edition
from .reuse import cached_links, cached_page, render_inputs
from .revisions import History, page_history, site_history
from .social import Cards
from .state import Appearances, Record, RenderState
from .structured import defined_term, page_graph, term_set
from .theme import Theme, make_environment, template_error
from .variables import (
    Common,
    CorrectionsValues,
    Crumb,
    FactsValues,
    GlossaryValues,
    HomeValues,
    NavItem,
    NotFoundValues,
    PageValues,
    SourcesValues,
    SourceValues,
    TermValues,
    TocItem,
    headings_toc,
)

TOC_EXCERPT_WORDS = 28  # characters of an excerpt shown in a source page's table of contents
TERM_RENDERINGS = 3  # renderings of the term pages at most, when a theme links terms the gathering did not foresee


def environment(site: Site, theme: Theme, theme_digest: str, cache: Cache | None) -> jinja2.Environment:
    """The theme's Jinja environment with the site-wide names; kept in the cache while the theme and site are the same."""
    section = cache.section("templates") if cache is not None else None
    key = digest(theme_digest, repr(sorted(site.config.labels.items())), repr(site.config))
    env: jinja2.Environment | None = section.lookup("environment", key) if section is not None else None
    if env is None:
        env = make_environment(theme)
        labels = site.config.labels
        env.globals.update(bounds.helpers(env, dict(
            config=site.config,
            labels=labels,
            format_date=lambda value, in_month=False: format_date(value, labels, in_month),
            source_name=lambda source: source_name(source, labels),
            short_name=lambda source: source.outlet or source.author or source_name(source, labels),
            language_name=lambda code: labels["languages"].get(primary_language(code), code),
            plain=markdown.plain_text,
            tag_anchor=tag_anchor,
            link_to_words=link_to_words,
            archive_date=archive_date,
        )))
        if section is not None:
            section.store("environment", key, env)
    env.globals["site"] = site  # the site of this build (the environment may be an earlier build's)
    env.globals["look"] = look_values(site, theme)  # from the files of this build: a logo's size may change, its name not
    return env


class Renderer:
    """Renders the pages of one site, each through the cache when there is one."""

    def __init__(self, state: RenderState) -> None:
        self.state = state
        self.site = state.site
        self.excerpt_count = sum(len(s.excerpts) for s in state.site.sources)
        self.citations: dict[str, Citation] = {}  # page path -> its citation, noted whether the page is rendered or reused
        self.nav_entries = nav_entries(state.site)
        self.fact_order = {f.id: i for i, f in enumerate(state.site.facts)}  # where each fact stands in the site's order
        self.term_links: dict[str, frozenset[Record]] = {}  # term id -> the term links its page made when last rendered

    def dated(self, ctx: PageContext, title: str, history: History) -> History:
        """Note the citation of the page at ctx.path (its files are written beside it); return its history."""
        self.citations[ctx.path] = cite(self.site.config, ctx.path, title, history.updated)
        return history

    def nav(self, ctx: PageContext) -> list[NavItem]:
        """The navigation as the page at ctx.path shows it (which entry is current)."""
        return [self.nav_item(entry, ctx) for entry in self.nav_entries]

    def nav_item(self, entry: str, ctx: PageContext) -> NavItem:
        """One entry of the navigation: a page (with its section's pages when it is a section's own), or a built-in section."""
        page = self.site.page_by_slug.get(entry)
        title = page.title if page else self.site.config.labels[entry]
        path = f"{entry}/"
        inside = entry not in self.site.page_by_slug or entry in self.state.sections_of
        current = ctx.path == path or (inside and entry not in ("facts",) and ctx.path.startswith(path))
        children = [self.nav_item(child, ctx) for child in self.state.sections_of.get(entry, ())]
        return {"title": title, "path": path, "current": current, "here": ctx.path == path, "children": children}

    def breadcrumbs(self, ctx: PageContext) -> list[Crumb]:
        """The home page and the sections a nested page is in, outermost first."""
        parts = ctx.path.rstrip("/").split("/")
        if ctx.path.rstrip("/") not in self.site.page_by_slug or len(parts) < 2:
            return []
        crumbs: list[Crumb] = [{"title": self.site.config.title, "path": ""}]
        for depth in range(1, len(parts)):
            slug = "/".join(parts[:depth])
            crumbs.append({"title": self.site.page_by_slug[slug].title, "path": f"{slug}/"})
        return crumbs

    def page(self, template: str, ctx: PageContext, values: Mapping[str, Any], *, title: str, description: str, kind: str,
             og_type: str = "article", origin: str = "", image: str = "", toc: list[TocItem] | None = None,
             history: History | None = None, facts: Iterable[Fact] = (), entity: dict[str, Any] | None = None) -> Output:
        """Render one template for one page context: the common variables, then the page kind's own `values`.

        `origin` names the content file the page shows (for messages about the output), else the template;
        `image` is the page's own social image, as written in that file; `history` its dates and corrections,
        `facts` the fact cards it shows and `entity` what it is about, for its structured data and citation
        (the 404 page has neither).
        """
        social = None
        if kind not in ("404", "print"):
            social, ctx.card = self.state.cards.image_for(ctx.path, title, image, origin or "site.yaml")
        site = self.site
        graph = None if kind == "404" else page_graph(site, kind=kind, path=ctx.path, title=title, description=description,
                                                      history=history, facts=facts, entity=entity)
        common: Common = {
            "social_image": social,
            "title": title,
            "description": description,
            "kind": kind,
            "og_type": og_type,
            "canonical": self.site.config.absolute("404.html" if kind == "404" else ctx.path),
            "nav": self.nav(ctx),
            "breadcrumbs": self.breadcrumbs(ctx),
            "toc": toc or [],
            "json_ld": json_script(graph) if graph is not None else Markup(""),
            "history": history,
            "citation": cite(site.config, ctx.path, title, history.updated) if history is not None and kind != "404" else None,
        }
        filename = "404.html" if kind == "404" else f"{ctx.path}index.html"
        # the page as rendered is let go before it is encoded: the print edition is tens of megabytes
        html = self.state.spent.add(self.state.env.get_template(template).render({**ctx.template_globals(), **common, **values}))
        html = hold_joined_words(html)
        return Output(filename, html.encode("utf-8"), origin or template, tuple(ctx.links))

    # -- the pages ------------------------------------------------------------------------

    def home(self) -> Output:
        config = self.site.config
        ctx = PageContext(self.state, "", config.title, (0, ""))
        timeline = next((p for p in self.site.pages if any(r.kind == "timeline" and not r.target for r in p.body.refs)), None)
        key_facts = [self.site.fact_by_id[i] for i in config.key_facts]
        values: HomeValues = {"key_facts": key_facts, "excerpt_count": self.excerpt_count,
                              "glance": months_of([f for f in self.site.facts if f.when]), "timeline_page": timeline}
        history = self.dated(ctx, config.title, page_history(self.site, key_facts))
        return cached_page(self.state, ctx, "home", (), lambda: self.page(
            "home.html", ctx, values, title=config.title, description=config.description, kind="home", og_type="website",
            history=history, facts=key_facts))

    def narrative(self, index: int, page: Page) -> Output:
        ctx = PageContext(self.state, f"{page.slug}/", page.title, (1, f"{index:05d}"), glossary=page.glossary,
                          skip_terms=frozenset(page.no_autolink))
        cards = self.cards(page)
        history = self.dated(ctx, page.title, page_history(self.site, (page, *cards), published=page.published, updated=page.updated))
        return cached_page(self.state, ctx, f"page:{page.slug}", index, partial(self._narrative, ctx, index, page, history, cards))

    def cards(self, page: Page) -> list[Fact]:
        """The facts a narrative page shows as cards (`[[fact:…]]` on a line of its own), in order."""
        found = (self.site.fact_by_id[ref.target] for ref in page.body.refs if ref.kind == "fact" and ref.block)
        return distinct(found)

    def _narrative(self, ctx: PageContext, index: int, page: Page, history: History, cards: list[Fact]) -> Output:
        pages = self.site.pages
        values: PageValues = {"page": page, "body": ctx.md(page.body), "previous": pages[index - 1] if index > 0 else None,
                              "next": pages[index + 1] if index + 1 < len(pages) else None}
        description = page.summary or markdown.summary(page.body) or self.site.config.description
        return self.page("page.html", ctx, values, title=page.title, description=description, kind="page", origin=page.loc.path,
                         image=page.image, toc=headings_toc(ctx.headings), history=history, facts=cards)

    def facts(self) -> Output:
        labels = self.site.config.labels
        ctx = PageContext(self.state, "facts/", labels["facts"], (4, ""))
        values: FactsValues = {"groups": self.state.groups, "tags": self.state.tags}
        toc: list[TocItem] = [{"title": g.group.title, "anchor": f"group-{g.group.id}", "level": 2} for g in self.state.groups]
        if self.state.tags:
            toc.append({"title": labels["facts_by_tag"], "anchor": "tags", "level": 2})
        history = self.dated(ctx, labels["facts"], page_history(self.site, self.site.facts))
        return cached_page(self.state, ctx, "facts", (), lambda: self.page(
            "facts.html", ctx, values, title=labels["facts"], description=self.site.config.description, kind="facts", toc=toc,
            history=history, facts=self.site.facts))

    def glossary_index(self) -> Output:
        labels = self.site.config.labels
        ctx = PageContext(self.state, "glossary/", labels["glossary"], (2, ""))
        history = self.dated(ctx, labels["glossary"], page_history(self.site, self.site.terms))
        return cached_page(self.state, ctx, "glossary", (), partial(self._glossary_index, ctx, history))

    def _glossary_index(self, ctx: PageContext, history: History) -> Output:
        config = self.site.config
        sections = self.state.sections
        values: GlossaryValues = {"sections": sections}
        entity = term_set(self.site, (t for _, terms in sections for t in terms))
        toc: list[TocItem] = [{"title": name, "anchor": f"section-{n}", "level": 2} for n, (name, _) in enumerate(sections, start=1)]
        return self.page("glossary.html", ctx, values, title=config.labels["glossary"], description=config.description, kind="glossary",
                         toc=toc, history=history, entity=entity)

    def term_context(self, term: Term, state: RenderState | None = None) -> PageContext:
        """The page context of a term's page (in `state`, by default the build's)."""
        key = "".join(map(str, korean.sort_key(term.term)))
        return PageContext(state or self.state, f"glossary/{term.id}/", term.term, (2, key), exclude_term=term.id)

    def gather_links(self, term: Term, aside: RenderState) -> tuple[frozenset[Record], frozenset[str]]:
        """The term links a default term page makes (caption, body, corrections), rendered `aside`; and what else it read."""
        ctx = self.term_context(term, aside)
        try:
            with bounds.budget():
                ctx.md(term.image.caption if term.image is not None else None)
                ctx.md(term.body)
                ctx.section()
                for item in page_history(self.site, (term,)).corrections:  # the term's own: none is a fact's
                    ctx.md(item.correction.change) + ctx.md(item.correction.reason)
        except bounds.TemplateBound:
            raise
        except Exception:  # a theme's macro failed: its rendering will report it (or render the page again)
            return frozenset(), frozenset(ctx.reads)
        return frozenset(ctx.records), frozenset(ctx.reads)

    def term(self, term: Term, rendering: int) -> Output:
        """Render a term's page; `rendering` counts its renderings in this build (from 2: the first gathers links)."""
        ctx = self.term_context(term)
        found = self.state.appearances.get(term.id)
        pages = sorted(found.pages.items()) if found else []
        facts = sorted(found.facts) if found else []
        history = self.dated(ctx, term.term, page_history(self.site, (term,)))
        # all a term page reads besides the site: where the term appears
        output = cached_page(self.state, ctx, f"term:{term.id}:{rendering}", (pages, facts), partial(self._term, ctx, term, history))
        self.term_links[term.id] = frozenset(ctx.records)
        return output

    def _term(self, ctx: PageContext, term: Term, history: History) -> Output:
        found = self.state.appearances.get(term.id)
        fact_order = self.fact_order
        # by kind of page, from the rank each page was rendered with: 0 home, 1 narrative page, 2 term, 3 source
        kinds: dict[str, list[dict[str, str]]] = {"pages": [], "terms": [], "sources": []}
        for path, (rank, title) in sorted(found.pages.items(), key=lambda item: (item[1][0], item[0])) if found else []:
            if path != ctx.path:
                kinds[{2: "terms", 3: "sources"}.get(rank[0], "pages")].append({"path": path, "title": title})
        facts = sorted(found.facts.values(), key=lambda f: fact_order[f.id]) if found else []
        values: TermValues = {"term": term, "body": ctx.md(term.body), "related": [self.site.term_by_id[r] for r in term.related],
                              "appearances": {**kinds, "facts": facts}}
        return self.page("term.html", ctx, values, title=term.term, description=term.short, kind="term", origin=term.loc.path,
                         history=history, entity=defined_term(self.site, term))

    def sources_index(self) -> Output:
        labels = self.site.config.labels
        ctx = PageContext(self.state, "sources/", labels["sources"], (3, ""))
        values: SourcesValues = {}
        history = self.dated(ctx, labels["sources"], page_history(self.site, ()))
        return cached_page(self.state, ctx, "sources", (), lambda: self.page(
            "sources.html", ctx, values, title=labels["sources"], description=self.site.config.description, kind="sources",
            history=history))

    def source(self, index: int, source: Source) -> Output:
        name = source_name(source, self.site.config.labels)
        ctx = PageContext(self.state, f"sources/{source.id}/", name, (3, f"{index:05d}"))
        values: SourceValues = {"source": source, "uses": self.state.uses}
        description = f"{self.site.config.labels['source_of']}: {name}"
        toc: list[TocItem] = [{"title": f"{n}. {shortened(e.text, TOC_EXCERPT_WORDS)}", "anchor": f"excerpt-{e.id}", "level": 2}
                              for n, e in enumerate(source.excerpts, start=1)] if len(source.excerpts) > 2 else []
        history = self.dated(ctx, name, page_history(self.site, ()))
        return cached_page(self.state, ctx, f"source:{source.id}", index, lambda: self.page(
            "source.html", ctx, values, title=name, description=description, kind="source", origin=source.loc.path, toc=toc,
            history=history))

    def corrections(self) -> Output:
        """The corrections page: every correction of the site, newest first, each linking to what it corrects."""
        labels = self.site.config.labels
        ctx = PageContext(self.state, "corrections/", labels["corrections"], (5, ""))
        history = self.dated(ctx, labels["corrections"], site_history(self.site))
        values: CorrectionsValues = {"corrections": history.corrections}
        return cached_page(self.state, ctx, "corrections", (), lambda: self.page(
            "corrections.html", ctx, values, title=labels["corrections"], description=labels["corrections_intro"],
            kind="corrections", history=history))

    def not_found(self) -> Output:
        labels = self.site.config.labels
        ctx = PageContext(self.state, "404/", labels["not_found_title"], (9, ""), absolute=True)
        values: NotFoundValues = {}
        return cached_page(self.state, ctx, "404", (), lambda: self.page(
            "404.html", ctx, values, title=labels["not_found_title"], description=labels["not_found_text"], kind="404"))


def nav_entries(site: Site) -> tuple[str, ...]:
    """The slugs the navigation lists, in order: the site's own `nav`, else its top-level pages (when few) and the built-in sections."""
    if site.config.nav:
        return tuple(site.config.nav)
    top = [page.slug for page in site.pages if "/" not in page.slug]
    return (*(top if len(top) <= NAV_PAGES else ()), *BUILTIN_SECTIONS)  # a long list belongs on the home page


def render_state(site: Site, options: Options, theme: Theme, cache: Cache | None, sections: Cache | None = None) -> RenderState:
    """What the pages of one build share, with the cache's `pages` and `parts` sections started for this build.

    `sections` (default: `cache`) is where rendered pages go; a worker process keeps its own (workers.py).
    """
    theme_digest = theme.digest()
    sections = cache if sections is None else sections
    section = sections.section("pages") if sections is not None else None
    parts = sections.section("parts") if sections is not None else None
    if section is not None and parts is not None:
        inputs = render_inputs(site, options, theme_digest)
        section.start(inputs)
        parts.start(inputs)
    own = f"{display_path(theme.own)}/" if theme.own is not None else ""
    return RenderState.create(site, options, environment(site, theme, theme_digest, cache), section, parts, own)


def render_narratives(state: RenderState, indices: Sequence[int]) -> list[Output]:
    """Render some narrative pages, each with its part of the print edition, into the state's cache sections.

    A page whose rendering fails is left out: render_site renders it again and reports its problem.
    """
    renderer = Renderer(state)
    printed, joined = PrintContext(state), joinable(state)  # the part as the edition will ask for it
    outputs: list[Output] = []
    for index in indices:
        page = state.site.pages[index]
        try:
            with bounds.budget():
                outputs.append(renderer.narrative(index, page))
            printed.piece("page", page.slug) if joined else printed.page_body(page)
        except bounds.TemplateBound:  # past a bound here, past it on every page: the caller stops
            raise
        except Exception:  # reported where render_site meets it again, with the page it belongs to
            continue
    return outputs


def render_terms(renderer: Renderer, attempt: Callable[[Callable[[], Output]], list[Output]]) -> list[Output]:
    """Render the term pages knowing their links to each other: gathered, then as rendered (a theme's may differ)."""
    state, terms = renderer.state, renderer.site.terms
    before = {term_id: (dict(found.pages), dict(found.facts)) for term_id, found in state.appearances.items()}
    aside = replace(state, cache=None, parts=None, appearances={})
    renderer.term_links = {term.id: cached_links(state, f"links:{term.id}", partial(renderer.gather_links, term, aside)) for term in terms}
    for rendering in range(2, 2 + TERM_RENDERINGS):
        known, renderer.term_links = renderer.term_links, {}
        state.appearances = {term_id: Appearances(dict(pages), dict(facts)) for term_id, (pages, facts) in before.items()}
        for term in terms:
            renderer.term_context(term).replay(tuple(sorted(known[term.id])))
        outputs = [output for term in terms for output in attempt(partial(renderer.term, term, rendering))]
        if renderer.term_links == known or len(renderer.term_links) < len(terms):  # settled, or a page failed (reported)
            break
    return outputs


def render_site(site: Site, options: Options, theme: Theme, cache: Cache | None = None) -> tuple[list[Output], Cards]:
    """Render every page; term pages last, once every link to them is known; then the images they show. Return them
    with the social cards the pages show, still to be drawn (`Cards.outputs`: the caller decides when, and where).

    With a cache, pages whose inputs are unchanged (or that workers rendered for this build) are reused, not rendered.
    """
    state = render_state(site, options, theme, cache)
    section, parts = state.cache, state.parts
    renderer = Renderer(state)
    problems: dict[tuple[str, int, str], Problem] = {}

    def attempt(make: Callable[[], Output]) -> list[Output]:
        """Render one page; a template error is noted (every page is still tried) and gives no output."""
        try:
            with bounds.budget():  # the page's templates, and the macros its Markdown calls, share one bound of time
                return [make()]
        except Exception as exc:
            problem = template_error(exc)
            if problem is None:
                raise
            problems.setdefault((problem.path, problem.line, problem.message), problem)
            past = isinstance(exc, bounds.TemplateBound)
        if past:  # past a bound on this page, past it on the next: the build stops (raised here, the error keeps no frame)
            raise BuildFailed(problems.values(), "render", site.config.base_path)
        return []

    outputs = attempt(renderer.home)
    for index, page in enumerate(site.pages):
        outputs += attempt(partial(renderer.narrative, index, page))
    outputs += attempt(renderer.facts) + attempt(renderer.glossary_index) + attempt(renderer.sources_index)
    outputs += attempt(renderer.corrections)
    for index, source in enumerate(site.sources):
        outputs += attempt(partial(renderer.source, index, source))
    outputs += attempt(renderer.not_found) + attempt(partial(print_edition, state, renderer.page, renderer.dated))
    outputs += render_terms(renderer, attempt)
    if problems:
        raise BuildFailed(problems.values(), "render", site.config.base_path)
    if section is not None and parts is not None:
        section.sweep()
        parts.sweep()
    outputs += all_citation_files(renderer.citations.values(), cache)
    outputs += [Output(f"assets/{name}", path.read_bytes(), display_path(path)) for name, path in theme.static_files().items()]
    linked = {path for path, uses in asset_uses(site).items() if "linked" in uses}
    outputs += state.pictures.outputs(linked, cache)
    look = look_css(site, theme)
    if look is not None:
        outputs.append(Output(LOOK_CSS, look, site.config.loc.path))
    return outputs, state.cards
