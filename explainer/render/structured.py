"""Structured data: what each page says about itself and its claims in schema.org terms, as one JSON-LD graph.

Every page is a WebPage (an Article for a narrative page, a CollectionPage for an index) with its
dates and corrections; every fact shown as a card is a Claim: its text, the sources that make it
(`appearance`, the earliest as `firstAppearance` where the dates say which), the quotations that
support it, its corrections. Sources are CreativeWorks, given once per page and referred to by @id.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..model import Fact, Markdown, PartialDate, Site, Source, Term, distinct
from ..text import markdown
from ..text.fragment import link_to_words
from .display import source_name
from .revisions import History, Listed

CONTEXT = "https://schema.org"
PAGE_TYPES = {"page": "Article", "facts": "CollectionPage", "glossary": "CollectionPage", "sources": "CollectionPage",
              "corrections": "CollectionPage"}


def plain(site: Site, doc: Markdown) -> str:
    """A Markdown field as plain text, a reference without words named by what it points at."""
    def name(kind: str, target: str) -> str:
        if kind == "term" and target in site.term_by_id:
            return site.term_by_id[target].term
        return ""
    return markdown.plain_text(doc, name)


def organisation(name: str) -> dict[str, Any] | None:
    return {"@type": "Organization", "name": name} if name else None


def work_id(site: Site, source: Source) -> str:
    """The @id of a source's CreativeWork: its page on this site, with a fragment of its own."""
    return site.config.absolute(f"sources/{source.id}/") + "#source"


def source_work(site: Site, source: Source) -> dict[str, Any]:
    """A source as a CreativeWork: headline, publisher, author, date, its address and archived copy when known."""
    node: dict[str, Any] = {"@type": "CreativeWork", "@id": work_id(site, source), "name": source_name(source, site.config.labels)}
    if source.title:
        node["headline"] = source.title
    if source.author:
        node["author"] = {"@type": "Person", "name": source.author}
    if source.outlet:
        node["publisher"] = organisation(source.outlet)
    if source.published:
        node["datePublished"] = source.published.iso()
    if source.url:
        node["url"] = source.url
    if source.archive_url:
        node["archivedAt"] = source.archive_url
    node["inLanguage"] = source.language
    return node


def first_appearance(sources: list[Source]) -> Source | None:
    """The source that certainly made a claim first: every source dated, and this one's date over before any other's began.

    A partial date is a span (2023-12 runs through December): two that overlap leave the order unknown.
    """
    dates = [source.published for source in sources]
    if not sources or None in dates:
        return None
    spans = [(date.first_day(), date.last_day()) for date in dates if date is not None]
    for index, (_, end) in enumerate(spans):
        if all(end <= start for other, (start, _) in enumerate(spans) if other != index):
            return sources[index]
    return None


def correction(item: Listed, site: Site) -> dict[str, Any]:
    """A correction as a CorrectionComment: what changed and why, and the day."""
    text = f"{plain(site, item.correction.change)} {plain(site, item.correction.reason)}"
    return {"@type": "CorrectionComment", "text": text, "datePublished": item.correction.date.iso()}


def claim(site: Site, fact: Fact) -> dict[str, Any]:
    """A fact as a Claim, linked to the sources that make it and the words that support it."""
    config = site.config
    url = config.absolute(f"facts/#fact-{fact.id}")
    sources = [site.source_by_id[key] for key in dict.fromkeys(ref.source for ref in fact.evidence)]
    node: dict[str, Any] = {"@type": "Claim", "@id": url, "url": url, "text": plain(site, fact.claim), "inLanguage": config.language}
    if config.author:
        node["author"] = organisation(config.author)
    if config.published:
        node["datePublished"] = config.published.iso()
    if fact.when:
        node["temporalCoverage"] = fact.when.iso()
    node["appearance"] = [{"@id": work_id(site, source)} for source in sources]
    first = first_appearance(sources)
    if first is not None:
        node["firstAppearance"] = {"@id": work_id(site, first)}
    quotations = []
    for ref in fact.evidence:
        source = site.source_by_id[ref.source]
        excerpt = source.excerpt(ref.excerpt)
        assert excerpt is not None  # checked before rendering
        quotation: dict[str, Any] = {"@type": "Quotation", "text": excerpt.text, "isPartOf": {"@id": work_id(site, source)}}
        if source.url:
            quotation["url"] = link_to_words(source.url, excerpt.text)
        quotations.append(quotation)
    node["citation"] = quotations
    if fact.corrections:
        listed = sorted(fact.corrections, key=lambda c: c.date, reverse=True)
        node["dateModified"] = listed[0].date.iso()
        node["correction"] = [correction(Listed(c, fact), site) for c in listed]
    return node


def defined_term(site: Site, term: Term, *, alone: bool = True) -> dict[str, Any]:
    """A glossary term as a DefinedTerm of the site's DefinedTermSet (named in full when `alone`, on the term's own page)."""
    config = site.config
    in_set: dict[str, Any] = {"@id": term_set_id(site)}
    if alone:
        in_set = {"@type": "DefinedTermSet", **in_set, "name": f"{config.title}: {config.labels['glossary']}",
                  "url": config.absolute("glossary/")}
    data: dict[str, Any] = {
        "@type": "DefinedTerm",
        "@id": site.config.absolute(f"glossary/{term.id}/") + "#term",
        "name": term.term,
        "description": term.short,
        "url": site.config.absolute(f"glossary/{term.id}/"),
        "inDefinedTermSet": in_set,
    }
    if term.en or term.aliases:
        data["alternateName"] = [form for form in (term.en, *term.aliases) if form]
    return data


def term_set_id(site: Site) -> str:
    return site.config.absolute("glossary/") + "#glossary"


def term_set(site: Site, terms: Iterable[Term]) -> dict[str, Any]:
    """The glossary as a DefinedTermSet holding every term."""
    config = site.config
    return {"@type": "DefinedTermSet", "@id": term_set_id(site), "name": f"{config.title}: {config.labels['glossary']}",
            "url": config.absolute("glossary/"), "inLanguage": config.language,
            "hasDefinedTerm": [defined_term(site, term, alone=False) for term in terms]}


def page_graph(site: Site, *, kind: str, path: str, title: str, description: str, history: History | None,
               facts: Iterable[Fact] = (), entity: dict[str, Any] | None = None) -> dict[str, Any]:
    """The JSON-LD of one page: the page itself, the claims of the fact cards it shows, and their sources."""
    config = site.config
    url = config.absolute(path)
    page: dict[str, Any] = {"@type": PAGE_TYPES.get(kind, "WebPage"), "@id": url, "url": url, "name": title}
    if page["@type"] == "Article":
        page["headline"] = title
    page["description"] = description
    page["inLanguage"] = config.language
    page["isPartOf"] = {"@type": "WebSite", "@id": config.base_url + "#website", "name": config.title, "url": config.base_url}
    if config.author:
        page["author"] = organisation(config.author)
    if config.publisher:
        page["publisher"] = organisation(config.publisher)
    if history is not None:
        _dates(page, history.published, history.updated)
        own = [item for item in history.corrections if item.kind != "fact"]  # a fact's corrections go with its claim
        if own:
            page["correction"] = [correction(item, site) for item in own]
    if entity is not None:
        page["mainEntity"] = entity
    claims = [claim(site, fact) for fact in distinct(facts)]
    if claims:
        page["hasPart"] = [{"@id": node["@id"]} for node in claims]
    cited = dict.fromkeys(ref.source for fact in distinct(facts) for ref in fact.evidence)
    works = [source_work(site, site.source_by_id[source_id]) for source_id in cited]
    return {"@context": CONTEXT, "@graph": [page, *claims, *works]}


def _dates(node: dict[str, Any], published: PartialDate | None, updated: PartialDate | None) -> None:
    if published is not None:
        node["datePublished"] = published.iso()
    if updated is not None:
        node["dateModified"] = updated.iso()
