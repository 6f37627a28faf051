"""facts.json and glossary.json: the explainer's data published beside its pages, for other sites and newsroom tools.

A documented, versioned format (docs/output.md; JSON Schemas in explainer/output/schemas/): `format`
names the file, `version` its layout. A key added keeps the version; a key removed, renamed or given
another meaning makes a new one. Every key is always present (null or [] when there is nothing);
text is plain (no Markdown); URLs are absolute. The same content gives the same bytes.
"""

from __future__ import annotations

import json
from typing import Any

from ..cache import Cache, digest
from ..content.history import archive_date
from ..model import Correction, Output, PartialDate, Ref, Site, Source, Term
from ..render.reuse import content_but_bodies
from ..render.revisions import History, site_history
from ..render.structured import plain
from ..text import korean
from ..text.fragment import link_to_words

VERSION = 1
FACTS = "facts.json"
GLOSSARY = "glossary.json"
ORIGIN = "published data"


def dataset_files(site: Site, cache: Cache | None = None) -> list[Output]:
    """Return facts.json and glossary.json for the site.

    They read everything but the pages' bodies, and of the pages only their titles and dates: with
    a cache, they are kept while those are the same (an edit of a page's text leaves them as they are).
    """
    section = cache.section("dataset") if cache is not None else None
    if section is None:
        return dataset_outputs(site)
    key = digest(content_but_bodies(site), repr(site.config))  # the options' too (--base-url)
    found: list[Output] = section.kept("files", key, lambda: dataset_outputs(site))
    return list(found)


def dataset_outputs(site: Site) -> list[Output]:
    """facts.json and glossary.json, made (`dataset_files`): the site's dates worked out once for both."""
    history = site_history(site)
    return [Output(FACTS, dump(facts_data(site, history)), ORIGIN), Output(GLOSSARY, dump(glossary_data(site, history)), ORIGIN)]


def dump(data: dict[str, Any]) -> bytes:
    """JSON as published: UTF-8, keys in the order written, one level of indent per level, a final newline."""
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def facts_data(site: Site, history: History) -> dict[str, Any]:
    """Every fact with its evidence (the quoted words, where they are), its dates and corrections; the groups and sources."""
    config = site.config
    return {
        "format": "explainer-facts",
        "version": VERSION,
        "site": site_data(site, history),
        "groups": [{"id": g.id, "title": g.title} for g in site.groups],
        "facts": [{
            "id": fact.id,
            "url": config.absolute(f"facts/#fact-{fact.id}"),
            "group": fact.group,
            "claim": plain(site, fact.claim),
            "when": _date(fact.when),
            "tags": list(fact.tags),
            "note": plain(site, fact.note) if fact.note else None,
            "disagreement": plain(site, fact.disagreement) if fact.disagreement else None,
            "evidence": [evidence(site, ref) for ref in fact.evidence],
            "corrections": corrections(site, fact.corrections),
        } for group in site.groups for fact in site.facts if fact.group == group.id],
        "sources": [source_data(site, source) for source in site.sources],
    }


def glossary_data(site: Site, history: History) -> dict[str, Any]:
    """Every term in 가나다 order with its forms, definitions, related terms, evidence and corrections."""
    config = site.config
    terms = sorted(site.terms, key=lambda t: korean.sort_key(t.term))
    return {
        "format": "explainer-glossary",
        "version": VERSION,
        "site": site_data(site, history),
        "terms": [term_data(site, term, config.absolute(f"glossary/{term.id}/")) for term in terms],
        "sources": [source_data(site, source) for source in site.sources
                    if any(ref.source == source.id for term in site.terms for ref in term.evidence)],
    }


def term_data(site: Site, term: Term, url: str) -> dict[str, Any]:
    return {
        "id": term.id,
        "url": url,
        "term": term.term,
        "en": term.en or None,
        "aliases": list(term.aliases),
        "short": term.short,
        "body": plain(site, term.body) if term.body else None,
        "related": list(term.related),
        "evidence": [evidence(site, ref) for ref in term.evidence],
        "corrections": corrections(site, term.corrections),
    }


def site_data(site: Site, history: History) -> dict[str, Any]:
    config = site.config
    return {"title": config.title, "description": config.description, "url": config.base_url, "language": config.language,
            "author": config.author or None, "publisher": config.publisher or None,
            "published": _date(history.published), "updated": _date(history.updated)}


def evidence(site: Site, ref: Ref) -> dict[str, Any]:
    """One quotation: its words, its source, and where to read them (the original, with a text fragment; the archived copy)."""
    source = site.source_by_id[ref.source]
    excerpt = source.excerpt(ref.excerpt)
    assert excerpt is not None  # checked before anything is published
    return {
        "source": source.id,
        "excerpt": excerpt.id,
        "text": excerpt.text,
        "url": link_to_words(source.url, excerpt.text) if source.url else None,
        "archive_url": link_to_words(source.archive_url, excerpt.text) if source.archive_url else None,
        "page": site.config.absolute(f"sources/{source.id}/#excerpt-{excerpt.id}"),
    }


def source_data(site: Site, source: Source) -> dict[str, Any]:
    return {
        "id": source.id,
        "title": source.title or None,
        "outlet": source.outlet or None,
        "author": source.author or None,
        "published": _date(source.published),
        "language": source.language,
        "url": source.url or None,
        "archive_url": source.archive_url or None,
        "archive_date": _date(archive_date(source)),
        "page": site.config.absolute(f"sources/{source.id}/"),
    }


def corrections(site: Site, listed: tuple[Correction, ...]) -> list[dict[str, Any]]:
    """A record's corrections, oldest first (as the record's history reads)."""
    return [{"date": c.date.iso(), "change": plain(site, c.change), "reason": plain(site, c.reason)}
            for c in sorted(listed, key=lambda c: c.date)]


def _date(value: PartialDate | None) -> str | None:
    return value.iso() if value is not None else None
