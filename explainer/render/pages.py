"""Turn the checked site into HTML pages in memory: Jinja templates plus the Markdown hooks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from ..content.config import BUILTIN_SECTIONS, Options
from ..errors import BuildFailed, Problem
from ..model import Page, Site, Source, Term
from ..text import korean, markdown
from ..text.glossary import Glossary
from .context import Appearances, PageContext
from .display import format_date, json_script, source_name
from .reuse import RenderCache, remember, reuse
from .theme import Theme, make_environment, template_error

NAV_PAGES = 8  # without `nav:` in site.yaml, pages are listed in the navigation only up to this many


@dataclass(frozen=True, slots=True)
class Output:
    """One file of the built site: its path inside site/ and its bytes."""

    path: str
    content: bytes


class Renderer:
    """Renders every page of one site; keeps what pages share (templates, glossary, term links)."""

    def __init__(self, site: Site, options: Options, theme: Theme, cache: RenderCache | None = None) -> None:
        self.site = site
        self.options = options
        self.theme = theme
        self.cache = cache
        self.glossary = Glossary.build(site.terms)
        self.appearances: dict[str, Appearances] = {}
        self.page_bodies = {id(page.body): page.slug for page in site.pages}  # what the render cache must check
        self.term_passes: dict[str, int] = {}
        self.env = cache.env if cache is not None and cache.env is not None else make_environment(theme)
        if cache is not None:
            cache.env = self.env
        labels = site.config.labels
        self.env.globals.update(
            site=site,
            config=site.config,
            labels=labels,
            format_date=lambda value: format_date(value, labels),
            source_name=lambda source: source_name(source, labels),
            short_name=lambda source: source.outlet or source.author or source_name(source, labels),
            language_name=lambda code: labels["languages"].get(code.split("-")[0].lower(), code),
            plain=markdown.plain_text,
        )
        self.excerpt_count = sum(len(s.excerpts) for s in site.sources)

    def globals_for(self, ctx: PageContext) -> dict[str, Any]:
        """Template variables that depend on the page being rendered."""
        return {"url": ctx.url, "site_url": ctx.site_url, "md": ctx.md, "plain": ctx.plain, "section": ctx.section, "enter_card": ctx.enter_card,
                "leave_card": ctx.leave_card, "page_terms": ctx.page_terms}

    def nav(self, ctx: PageContext) -> list[dict[str, Any]]:
        config = self.site.config
        pages = self.site.pages if len(self.site.pages) <= NAV_PAGES else ()  # a long list belongs on the home page
        entries = config.nav or (*(p.slug for p in pages), *BUILTIN_SECTIONS)
        items = []
        for entry in entries:
            page = self.site.page_by_slug.get(entry)
            title = page.title if page else config.labels[entry]
            path = f"{entry}/"
            current = ctx.path == path or (entry in ("glossary", "sources") and ctx.path.startswith(path))
            items.append({"title": title, "path": path, "current": current})
        return items

    def page(self, template: str, ctx: PageContext, *, title: str, description: str, kind: str,
             og_type: str = "article", **values: Any) -> Output:
        """Render one template for one page context."""
        variables = {
            **self.globals_for(ctx),
            "title": title,
            "description": description,
            "kind": kind,
            "og_type": og_type,
            "canonical": self.site.config.absolute("404.html" if kind == "404" else ctx.path),
            "nav": self.nav(ctx),
            **values,
        }
        filename = "404.html" if kind == "404" else f"{ctx.path}index.html"
        # A page whose context is fresh is a function of the skeleton, these values and the bodies it reads:
        # cache it (narrative and term pages render text first and have caches of their own).
        values = {name: value for name, value in variables.items() if name not in self.globals_for(ctx)}
        cacheable = not ctx.documents and not ctx.records and not any(callable(value) for value in values.values())
        name = ("output", template, filename)
        if cacheable and (reused := reuse(ctx, name, values)) is not None:
            return reused
        html = self.env.get_template(template).render(variables)
        output = Output(filename, html.encode("utf-8"))
        return remember(ctx, name, values, output) if cacheable else output

    # -- the pages ------------------------------------------------------------------------

    def home(self) -> Output:
        config = self.site.config
        ctx = PageContext(self, "", config.title, (0, ""))
        key_facts = [self.site.fact_by_id[i] for i in config.key_facts]
        return self.page("home.html", ctx, title=config.title, description=config.description, kind="home",
                         og_type="website", key_facts=key_facts, excerpt_count=self.excerpt_count)

    def narrative(self, index: int, page: Page) -> Output:
        pages = self.site.pages
        ctx = PageContext(self, f"{page.slug}/", page.title, (1, f"{index:05d}"), glossary=page.glossary)
        name = ("page", page.slug)
        reused = reuse(ctx, name, page)
        if reused is not None:
            return reused
        body = ctx.md(page.body)
        return remember(ctx, name, page, self.page("page.html", ctx, title=page.title,
                                              description=page.summary or markdown.summary(page.body) or self.site.config.description,
                                              kind="page", page=page, body=body,
                                              previous=pages[index - 1] if index > 0 else None,
                                              next=pages[index + 1] if index + 1 < len(pages) else None))

    def facts(self) -> Output:
        labels = self.site.config.labels
        ctx = PageContext(self, "facts/", labels["facts"], (4, ""))
        groups = [{"group": g, "facts": [f for f in self.site.facts if f.group == g.id]} for g in self.site.groups]
        return self.page("facts.html", ctx, title=labels["facts"], description=self.site.config.description,
                         kind="facts", groups=groups)

    def glossary_index(self) -> Output:
        labels = self.site.config.labels
        ctx = PageContext(self, "glossary/", labels["glossary"], (2, ""))
        sections = korean.group_by_section([(t.term, t) for t in self.site.terms])
        json_ld = json_script({
            "@context": "https://schema.org",
            "@type": "DefinedTermSet",
            "name": f"{self.site.config.title}: {labels['glossary']}",
            "url": self.site.config.absolute("glossary/"),
            "inLanguage": self.site.config.language,
            "hasDefinedTerm": [self.defined_term(t) for _, terms in sections for t in terms],
        })
        return self.page("glossary.html", ctx, title=labels["glossary"], description=self.site.config.description,
                         kind="glossary", sections=sections, json_ld=json_ld)

    def defined_term(self, term: Term) -> dict[str, Any]:
        data: dict[str, Any] = {
            "@type": "DefinedTerm",
            "name": term.term,
            "description": term.short,
            "url": self.site.config.absolute(f"glossary/{term.id}/"),
            "inDefinedTermSet": self.site.config.absolute("glossary/"),
        }
        if term.en or term.aliases:
            data["alternateName"] = [form for form in (term.en, *term.aliases) if form]
        return data

    def term(self, term: Term) -> Output:
        key = korean.sort_key(term.term)
        ctx = PageContext(self, f"glossary/{term.id}/", term.term, (2, "".join(map(str, key))), exclude_term=term.id)
        found = self.appearances.get(term.id, Appearances())
        self.term_passes[term.id] = self.term_passes.get(term.id, 0) + 1
        name = ("term", term.id, str(self.term_passes[term.id]))
        seen = (dict(found.pages), frozenset(found.facts))  # all a term page reads besides the skeleton
        reused = reuse(ctx, name, seen)
        if reused is not None:
            return reused
        body = ctx.md(term.body)
        related = [self.site.term_by_id[r] for r in term.related]
        fact_order = {f.id: i for i, f in enumerate(self.site.facts)}
        pages = [{"path": path, "title": title} for path, (rank, title) in
                 sorted(found.pages.items(), key=lambda item: (item[1][0], item[0])) if path != ctx.path]
        facts = sorted(found.facts.values(), key=lambda f: fact_order[f.id])
        return remember(ctx, name, seen, self.page("term.html", ctx, title=term.term, description=term.short, kind="term", term=term,
                                              body=body, related=related, appearances={"pages": pages, "facts": facts},
                                              json_ld=json_script({"@context": "https://schema.org", **self.defined_term(term)})))

    def sources_index(self) -> Output:
        labels = self.site.config.labels
        ctx = PageContext(self, "sources/", labels["sources"], (3, ""))
        return self.page("sources.html", ctx, title=labels["sources"], description=self.site.config.description,
                         kind="sources")

    def source(self, index: int, source: Source, uses: dict[str, dict[str, list[Any]]]) -> Output:
        name = source_name(source, self.site.config.labels)
        ctx = PageContext(self, f"sources/{source.id}/", name, (3, f"{index:05d}"))
        return self.page("source.html", ctx, title=name, description=f"{self.site.config.labels['source_of']}: {name}",
                         kind="source", source=source, uses=uses)

    def not_found(self) -> Output:
        labels = self.site.config.labels
        ctx = PageContext(self, "404/", labels["not_found_title"], (9, ""), absolute=True)
        return self.page("404.html", ctx, title=labels["not_found_title"], description=labels["not_found_text"], kind="404")


def excerpt_uses(site: Site) -> dict[str, dict[str, list[Any]]]:
    """Map each excerpt reference to the facts and terms citing it."""
    uses: dict[str, dict[str, list[Any]]] = {
        f"{s.id}#{e.id}": {"facts": [], "terms": []} for s in site.sources for e in s.excerpts
    }
    for fact in site.facts:
        for ref in fact.evidence:
            uses[ref.key]["facts"].append(fact)
    for term in sorted(site.terms, key=lambda t: korean.sort_key(t.term)):
        for ref in term.evidence:
            uses[ref.key]["terms"].append(term)
    return uses


def render_site(site: Site, options: Options, cache: RenderCache | None = None) -> list[Output]:
    """Render every page; term pages last, once every link to them is known.

    With a cache (the preview server's), pages whose inputs are unchanged are reused, not rendered.
    """
    from .printed import print_edition  # printed.py builds on this module's PageContext

    theme = Theme.for_site(options)
    if cache is not None:
        cache.prepare(site, options, theme.folders)
    renderer = Renderer(site, options, theme, cache)
    uses = excerpt_uses(site)
    problems: dict[tuple[str, int, str], Problem] = {}

    def attempt(make: Callable[[], Output]) -> list[Output]:
        """Render one page; a template error is noted (every page is still tried) and gives no output."""
        try:
            return [make()]
        except Exception as exc:
            problem = template_error(exc)
            if problem is None:
                raise
            problems.setdefault((problem.path, problem.line, problem.message), problem)
            return []

    outputs = attempt(renderer.home)
    for index, page in enumerate(site.pages):
        outputs += attempt(partial(renderer.narrative, index, page))
    outputs += attempt(renderer.facts) + attempt(renderer.glossary_index) + attempt(renderer.sources_index)
    for index, source in enumerate(site.sources):
        outputs += attempt(partial(renderer.source, index, source, uses))
    outputs += attempt(renderer.not_found) + attempt(partial(print_edition, renderer))
    for term in site.terms:  # first pass: gather links made from term pages to each other
        attempt(partial(renderer.term, term))
    for term in site.terms:
        outputs += attempt(partial(renderer.term, term))
    if problems:
        raise BuildFailed(problems.values(), "render")
    outputs += [Output(f"assets/{name}", path.read_bytes()) for name, path in theme.static_files().items()]
    return outputs


