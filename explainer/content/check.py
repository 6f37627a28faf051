"""Rules over the whole site: every reference resolves, nothing collides (quotes are checked by quotes.py)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from ..cache import Cache, digest
from ..errors import Problem
from ..model import BUILTIN_SECTIONS, DocRef, Loc, Markdown, Options, Page, Ref, Site, Term
from ..text.markdown import REF_KINDS
from ..text.termmatch import TermMatcher
from .history import check_history
from .links import check_links, documents
from .schema import REF_RE

# Every top-level name a build writes besides the pages (pagefind: the search index's folder, search.BUNDLE),
# and a few that would confuse; tests/content/test_check.py builds a site and keeps this in step with what it writes.
RESERVED_SLUGS = frozenset({*BUILTIN_SECTIONS, "assets", "print", "pagefind", "search", "404", "index", "cards", "images", "files", "pages",
                            "corrections"})
EXCERPT_WARN_LENGTH = 200


def check_site(site: Site, options: Options, cache: Cache | None = None) -> list[Problem]:
    """Return every cross-reference and content-rule problem in the site (with a cache, some kept from the last check)."""
    problems: list[Problem] = []
    problems += _check_duplicates(site)
    problems += _check_evidence(site)
    problems += _check_terms(site)
    problems += _check_docs(site)
    problems += _check_config(site)
    problems += _check_pages(site)
    problems += _check_markdown(site, cache)
    problems += _check_excerpts(site)
    problems += check_links(site)
    problems += check_history(site)
    return problems


def _suggest(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    return f"did you mean '{close[0]}'? " if close else ""


def _check_duplicates(site: Site) -> Iterator[Problem]:
    for fact in site.facts:
        earlier = site.fact_by_id[fact.id]  # the first fact with this id
        if earlier is not fact:
            yield Problem(fact.loc.path, fact.loc.line, f"duplicate fact id '{fact.id}' (also {earlier.loc.path}:{earlier.loc.line})",
                          "fact ids must be unique across all files in content/facts/; rename one")


def _ref_problem(ref: Ref, site: Site) -> Problem | None:
    source = site.source_by_id.get(ref.source)
    if source is None and f"source:{ref.source}" in site.broken:
        return None  # already reported where the source failed to load
    if source is None:
        hint = _suggest(ref.source, sorted(site.source_by_id))
        return Problem(ref.loc.path, ref.loc.line, f"unknown source '{ref.source}' in reference '{ref.key}'",
                       f"{hint}sources are the file names in content/sources/ (without .yaml)")
    if source.excerpt(ref.excerpt) is None:
        hint = _suggest(ref.excerpt, [e.id for e in source.excerpts])
        return Problem(ref.loc.path, ref.loc.line, f"source '{ref.source}' has no excerpt '{ref.excerpt}'",
                       f"{hint}the excerpt ids of {source.loc.path} are: {', '.join(e.id for e in source.excerpts)}")
    return None


def _check_evidence(site: Site) -> Iterator[Problem]:
    for fact in site.facts:
        for ref in fact.evidence:
            problem = _ref_problem(ref, site)
            if problem:
                yield problem
        if fact.disagreement is not None and len({ref.source for ref in fact.evidence}) < 2:
            yield Problem(fact.disagreement.loc.path, fact.disagreement.loc.line,
                          f"fact '{fact.id}' describes a disagreement but cites fewer than two sources",
                          "cite an excerpt from each source that disagrees in `evidence:`")
    for term in site.terms:
        for ref in term.evidence:
            problem = _ref_problem(ref, site)
            if problem:
                yield problem


def _check_terms(site: Site) -> Iterator[Problem]:
    for term in site.terms:
        line = term.lines.get("related", term.loc.line)
        for related in term.related:
            if related == term.id:
                yield Problem(term.loc.path, line, f"term '{term.id}' lists itself as related", "remove it from `related:`")
            elif related not in site.term_by_id and f"term:{related}" not in site.broken:
                hint = _suggest(related, sorted(site.term_by_id))
                yield Problem(term.loc.path, line, f"unknown related term '{related}'",
                              f"{hint}terms are the file names in content/glossary/ (without .yaml)")
    yield from _check_forms(site)
    yield from _check_not_in(site)


def _form_keys(term: Term) -> list[tuple[str, str]]:
    """(form, key it is written under) for every form of a term, display form first."""
    keyed = [(term.term, "term")] + ([(term.en, "en")] if term.en else []) + [(alias, "aliases") for alias in term.aliases]
    return [(form, key) for form, key in keyed if form]


def _check_forms(site: Site) -> Iterator[Problem]:
    """A form may name one term only; the clash is reported where the form is an alias, else on the later term."""
    owner: dict[str, tuple[Term, str, str]] = {}
    for term in site.terms:
        for form, key in _form_keys(term):
            normal = re.sub(r"\s+", " ", form).casefold()
            if normal not in owner:
                owner[normal] = (term, key, form)
                continue
            other, other_key, other_form = owner[normal]
            if other.id == term.id:
                continue
            if other_key == "aliases" and key != "aliases":
                blamed, blamed_key, blamed_form, kept = other, other_key, other_form, term
            else:
                blamed, blamed_key, blamed_form, kept = term, key, form, other
            yield Problem(blamed.loc.path, blamed.lines.get(blamed_key, blamed.loc.line),
                          f"the form '{blamed_form}' also names term '{kept.id}' ({kept.loc.path})",
                          "a display form, English form or alias may belong to one term only; remove or change one")
        for alias in term.aliases:
            if "," in alias or "、" in alias:
                yield Problem(term.loc.path, term.lines.get("aliases", term.loc.line), f"the alias '{alias}' contains a comma",
                              "list aliases as separate items: aliases: [one, two]", "warning")


def _check_not_in(site: Site) -> Iterator[Problem]:
    """A `not_in` phrase must contain a form of its term, or it never stops a link."""
    for term in site.terms:
        if not term.not_in:
            continue
        matcher = TermMatcher([(form, term.id) for form in term.forms])
        for phrase in term.not_in:
            if not matcher.find(phrase):
                yield Problem(term.loc.path, term.lines.get("not_in", term.loc.line),
                              f"the phrase '{phrase}' in `not_in` contains no form of term '{term.id}'",
                              f"write the phrase with one of the term's forms ({', '.join(term.forms)}) as it appears in the text")


def _check_docs(site: Site) -> Iterator[Problem]:
    tags = {tag for fact in site.facts for tag in fact.tags}
    for doc in documents(site):
        for ref in doc.refs:
            problem = _doc_ref_problem(ref, doc, site, tags)
            if problem:
                yield problem


def _doc_ref_problem(ref: DocRef, doc: Markdown, site: Site, tags: set[str]) -> Problem | None:
    path = doc.loc.path
    if ref.kind == "fact" and not ref.block and not ref.label:
        where = "in a page or a Markdown body" if doc.inline else ""
        return Problem(path, ref.line, f"a fact card [[fact:{ref.target}]] must stand on a line of its own {where}".rstrip(),
                       f"put it on its own line, or link to the fact with words: [[fact:{ref.target}|your words]]")
    if ref.kind == "timeline" and not ref.block:
        return Problem(path, ref.line, "a timeline [[timeline]] must stand on a line of its own in a page or a Markdown body",
                       "put it on a line of its own, between paragraphs")
    if ref.label and ref.kind in ("quote", "timeline"):
        return Problem(path, ref.line, f"[[{ref.kind}:…]] takes no '|words'", f"remove '|{ref.label}'")
    if ref.kind not in REF_KINDS:
        return Problem(path, ref.line, f"unknown reference kind '[[{ref.kind}:…]]'",
                       f"{_suggest(ref.kind, list(REF_KINDS))}use one of: {', '.join(REF_KINDS)}")
    if f"{ref.kind}:{ref.target}" in site.broken:
        return None  # already reported where it failed to load
    if ref.kind == "fact":
        if ref.target not in site.fact_by_id:
            return Problem(path, ref.line, f"unknown fact '{ref.target}'",
                           f"{_suggest(ref.target, sorted(site.fact_by_id))}fact ids are the `id:` values in content/facts/")
    elif ref.kind == "term":
        if ref.target not in site.term_by_id:
            return Problem(path, ref.line, f"unknown glossary term '{ref.target}'",
                           f"{_suggest(ref.target, sorted(site.term_by_id))}terms are the file names in content/glossary/")
    elif ref.kind in ("quote", "cite"):
        match = REF_RE.match(ref.target)
        if match is None:
            return Problem(path, ref.line, f"'[[{ref.kind}:{ref.target}]]' is not an excerpt reference",
                           f"write [[{ref.kind}:source-id#excerpt-id]]")
        return _ref_problem(Ref(match.group(1), match.group(2), Loc(path, ref.line)), site)
    elif ref.kind == "timeline" and ref.target and ref.target not in tags and f"tag:{ref.target}" not in site.broken:
        return Problem(path, ref.line, f"no fact has the tag '{ref.target}' for this timeline",
                           f"{_suggest(ref.target, sorted(tags))}write [[timeline]] for all dated facts, or use an existing tag")
    return None


def _check_config(site: Site) -> Iterator[Problem]:
    config = site.config
    for fact_id in config.key_facts:
        if fact_id not in site.fact_by_id and f"fact:{fact_id}" not in site.broken:
            yield Problem(config.loc.path, config.key_lines.get("key_facts", 1), f"unknown fact '{fact_id}' in key_facts",
                          f"{_suggest(fact_id, sorted(site.fact_by_id))}fact ids are the `id:` values in content/facts/")
    for entry in config.nav:
        if entry not in site.page_by_slug and entry not in BUILTIN_SECTIONS and f"page:{entry}" not in site.broken:
            yield Problem(config.loc.path, config.key_lines.get("nav", 1), f"unknown navigation entry '{entry}'",
                          f"{_suggest(entry, sorted(site.page_by_slug) + list(BUILTIN_SECTIONS))}use page slugs and facts, glossary, sources")


def _check_pages(site: Site) -> Iterator[Problem]:
    for page in site.pages:
        first = page.slug.split("/")[0]
        if first in RESERVED_SLUGS:
            kind = "page" if first == page.slug else "section"
            yield Problem(page.loc.path, 0, f"the {kind} name '{first}' is taken by a built-in page",
                          f"rename the {'file' if kind == 'page' else 'folder'}; reserved names: {', '.join(sorted(RESERVED_SLUGS))}")
        for term_id in page.no_autolink:
            if term_id not in site.term_by_id and f"term:{term_id}" not in site.broken:
                yield Problem(page.loc.path, page.lines.get("no_autolink", page.loc.line), f"unknown glossary term '{term_id}' in `no_autolink`",
                              f"{_suggest(term_id, sorted(site.term_by_id))}terms are the file names in content/glossary/ (without .yaml)")


REFUSED_LINK_RE = re.compile(r"(?:\]\(\s*<?|<|href\s*=\s*[\"']?)\s*(javascript|vbscript|data|file):", re.IGNORECASE)


def _check_markdown(site: Site, cache: Cache | None = None) -> list[Problem]:
    """Warn where Markdown will not do what its author meant.

    What it finds in one file depends on that file alone: with a cache, a file whose bytes are
    unchanged is not looked at again (a preview's rebuild reads a thousand pages' tokens otherwise).
    """
    section = cache.section("markdown") if cache is not None else None
    if section is not None:
        section.start()
    by_file: dict[str, list[Markdown]] = {}
    for doc in documents(site):
        by_file.setdefault(doc.loc.path, []).append(doc)
    pages = {page.loc.path: page for page in site.pages}
    problems: list[Problem] = []
    for path, docs in by_file.items():
        held = site.digests.get(path)
        key = digest(path, held) if held is not None and section is not None else None
        found: tuple[Problem, ...] | None = section.lookup(path, key) if section is not None and key is not None else None
        if found is None:
            found = tuple(_markdown_problems(pages.get(path), docs))
            if section is not None and key is not None:
                section.store(path, key, found)
        problems += found
    if section is not None:
        section.sweep()
    return problems


def _markdown_problems(page: Page | None, docs: list[Markdown]) -> Iterator[Problem]:
    """The problems of the Markdown of one file: `page` when it is a page's, and every text written in it."""
    if page is not None:
        for token in page.body.tokens:
            if token.type == "heading_open" and token.tag == "h1" and token.map:
                yield Problem(page.loc.path, page.body.loc.line + token.map[0],
                              "a '#' heading in a page makes a second h1 (the page's title is its h1)",
                              "use '##' for the page's sections", "warning")
    for doc in docs:
        for match in REFUSED_LINK_RE.finditer(doc.text):
            line = doc.loc.line + doc.text.count("\n", 0, match.start())
            yield Problem(doc.loc.path, line, f"this {match.group(1).lower()}: link is not made (only http, https, mailto "
                          "and site links are allowed)", "link to a web address or a page of the site instead", "warning")


def _check_excerpts(site: Site) -> Iterator[Problem]:
    used: set[str] = set()
    for fact in site.facts:
        used.update(ref.key for ref in fact.evidence)
    for term in site.terms:
        used.update(ref.key for ref in term.evidence)
    for doc in documents(site):
        used.update(ref.target for ref in doc.refs if ref.kind in ("quote", "cite"))
    records_broken = any(not name.startswith("file:") for name in site.broken)  # a refused image cites nothing
    for source in site.sources:
        for excerpt in source.excerpts:
            key = f"{source.id}#{excerpt.id}"
            if key not in used and not records_broken:  # a record that failed to load may be the one citing it
                yield Problem(excerpt.loc.path, excerpt.loc.line, f"excerpt '{key}' is not cited by any fact, term or page",
                              "cite it as evidence, or remove it", "warning")
            if len(excerpt.text) > EXCERPT_WARN_LENGTH:
                yield Problem(excerpt.loc.path, excerpt.loc.line,
                              f"excerpt '{key}' is {len(excerpt.text)} characters long; quotations should be short",
                              f"quote at most about {EXCERPT_WARN_LENGTH} characters and say the rest in your own words", "warning")
