"""Turn the checked site into HTML pages in memory: Jinja templates plus the Markdown hooks."""

from __future__ import annotations

import json
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from . import korean, markdown
from .config import BUILTIN_SECTIONS, Options
from .errors import BuildFailed, Problem, display_path
from .link import Glossary, Linker
from .model import Fact, Markdown, Page, PartialDate, Ref, Site, Source, Term
from .rendercache import Record, RenderCache, remember, reuse
from .timeline import months_of

# The default theme: the repository's top-level templates/, reached through the symlink
# explainer/theme so that an installed package carries it too.
DEFAULT_THEME = (Path(__file__).parent / "theme").resolve()


@dataclass(frozen=True, slots=True)
class Output:
    """One file of the built site: its path inside site/ and its bytes."""

    path: str
    content: bytes


@dataclass(frozen=True, slots=True)
class Theme:
    """Where templates and static files come from: the site's own folder first, then the default."""

    folders: tuple[Path, ...]

    @classmethod
    def for_site(cls, options: Options) -> Theme:
        own = (options.root / "templates").resolve()
        folders = [own] if own.is_dir() and own != DEFAULT_THEME else []
        return cls((*folders, DEFAULT_THEME))

    def static_files(self) -> dict[str, Path]:
        """Return static files by their path under assets/, the site's own winning."""
        found: dict[str, Path] = {}
        for folder in reversed(self.folders):
            static = folder / "static"
            if static.is_dir():
                for path in sorted(static.rglob("*")):
                    if path.is_file():
                        found[path.relative_to(static).as_posix()] = path
        return dict(sorted(found.items()))


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
            plain=markdown.plain_text,
        )
        self.excerpt_count = sum(len(s.excerpts) for s in site.sources)

    def globals_for(self, ctx: PageContext) -> dict[str, Any]:
        """Template variables that depend on the page being rendered."""
        return {"url": ctx.url, "md": ctx.md, "plain": ctx.plain, "section": ctx.section, "enter_card": ctx.enter_card,
                "leave_card": ctx.leave_card, "page_terms": ctx.page_terms}

    def nav(self, ctx: PageContext) -> list[dict[str, Any]]:
        config = self.site.config
        entries = config.nav or (*(p.slug for p in self.site.pages), *BUILTIN_SECTIONS)
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
                                              description=page.summary or self.site.config.description,
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


def relative_path(dest: str, here: str) -> str:
    """posixpath.relpath for the site's own normalised paths, without its getcwd() per call."""
    to = [part for part in dest.split("/") if part and part != "."]
    start = [part for part in here.split("/") if part and part != "."]
    common = 0
    while common < min(len(to), len(start)) and to[common] == start[common]:
        common += 1
    return "/".join([".."] * (len(start) - common) + to[common:]) or "."


def make_environment(theme: Theme) -> jinja2.Environment:
    """Return the Jinja environment for a theme: autoescaping, undefined variables are errors."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(f) for f in theme.folders]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


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
    try:
        outputs = [renderer.home()]
        outputs += [renderer.narrative(i, page) for i, page in enumerate(site.pages)]
        outputs.append(renderer.facts())
        outputs.append(renderer.glossary_index())
        outputs.append(renderer.sources_index())
        outputs += [renderer.source(i, source, uses) for i, source in enumerate(site.sources)]
        outputs.append(renderer.not_found())
        outputs.append(print_edition(renderer))
        for term in site.terms:  # first pass: gather links made from term pages to each other
            renderer.term(term)
        outputs += [renderer.term(term) for term in site.terms]
    except jinja2.TemplateSyntaxError as exc:
        raise BuildFailed([_template_problem(exc.filename or exc.name or "?", exc.lineno, exc.message or str(exc),
                                             "fix the template syntax")], "render") from exc
    except (jinja2.UndefinedError, jinja2.TemplateError, TypeError, AttributeError, KeyError) as exc:
        where = _template_frame(exc)
        if where is None:
            raise
        raise BuildFailed([_template_problem(where[0], where[1], f"template error: {exc}",
                                             "check the variable names this template uses against the README")], "render") from exc
    outputs += [Output(f"assets/{name}", path.read_bytes()) for name, path in theme.static_files().items()]
    return outputs


def _template_problem(filename: str, line: int, message: str, hint: str) -> Problem:
    return Problem(display_path(filename), line, message, hint)


def _template_frame(exc: BaseException) -> tuple[str, int] | None:
    """Find the innermost template file and line in a rendering traceback."""
    found = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith(".html") and frame.lineno is not None:
            found = (frame.filename, frame.lineno)
    return found


def format_date(value: PartialDate | None, labels: dict[str, Any]) -> str:
    """Format a (partial) date with the site's labels: 2023년 12월 5일, December 2023."""
    if value is None:
        return ""
    months = labels.get("months") or [str(i) for i in range(1, 13)]
    pattern = labels["date_" + value.precision]
    month_name = months[value.month - 1] if value.month else ""
    return str(pattern.format(year=value.year, month=value.month, day=value.day, month_name=month_name))


def source_name(source: Source, labels: dict[str, Any]) -> str:
    """Name a source: its headline, or its outlet and date when it has none."""
    if source.title:
        return source.title
    date = format_date(source.published, labels)
    return f"{source.outlet} ({date})" if date else source.outlet or labels["untitled"]


def json_script(data: Any) -> Markup:
    """Serialise data for a <script type="application/ld+json"> element, safe against </script>."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, indent=None)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)

