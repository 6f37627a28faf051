"""What the pages of one build share while rendering: one object, handed to every page, never reached for."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import jinja2

from ..cache import Section
from ..model import Fact, FactGroup, LinkRecord, Options, Site, Term
from ..text import korean
from ..text.glossary import Glossary
from .bounds import Spent
from .display import tag_anchor
from .pictures import Pictures
from .social import Cards, CardWant

# (term id, the id of the fact whose text linked it, or ''): one glossary link made while rendering
Record = tuple[str, str]


@dataclass(slots=True)
class Appearances:
    """Where links to one term were made, gathered while rendering."""

    pages: dict[str, tuple[tuple[int, str], str]] = field(default_factory=dict)  # path -> (sort key, title)
    facts: dict[str, Fact] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class GroupOfFacts:
    """A fact group with its facts, as the facts page and the print edition show them."""

    group: FactGroup
    facts: tuple[Fact, ...]


@dataclass(frozen=True, slots=True)
class TagOfFacts:
    """A tag with the facts that carry it, as the facts page lists them (its id: `anchor`)."""

    name: str
    anchor: str
    facts: tuple[Fact, ...]


@dataclass(slots=True)
class RenderState:
    """One build's rendering: the site, the templates, the glossary, the cache, and the term links made so far."""

    site: Site
    options: Options
    env: jinja2.Environment
    glossary: Glossary
    cache: Section | None  # the `pages` section: rendered pages kept between builds
    parts: Section | None  # the `parts` section: parts of pages (the print edition's page bodies) likewise
    groups: tuple[GroupOfFacts, ...]  # the facts by group, in order
    sections: tuple[tuple[str, tuple[Term, ...]], ...]  # the glossary in 가나다 sections
    uses: dict[str, dict[str, list[Any]]]  # excerpt reference -> the facts and terms citing it
    body_slugs: dict[str, str]  # a page's file (as shown) -> its slug: which Markdown is a page body
    tags: tuple[TagOfFacts, ...]  # the facts' tags in 가나다 order, each with its facts
    appearances: dict[str, Appearances] = field(default_factory=dict)
    sections_of: dict[str, tuple[str, ...]] = field(init=False)  # a section's slug -> its pages' and sections' slugs, in order
    pictures: Pictures = field(init=False)
    cards: Cards = field(init=False)
    spent: Spent = field(default_factory=Spent)  # the HTML a site's own templates rendered (bounds.py)

    def __post_init__(self) -> None:
        self.pictures = Pictures(self.site)
        children: dict[str, list[str]] = {}
        for page in self.site.pages:  # in reading order; every section has a page of its own (content/sections.py)
            if "/" in page.slug:
                children.setdefault(page.slug.rsplit("/", 1)[0], []).append(page.slug)
        self.sections_of = {slug: tuple(found) for slug, found in children.items()}
        self.cards = Cards(self.site)

    @classmethod
    def create(cls, site: Site, options: Options, env: jinja2.Environment, cache: Section | None,
               parts: Section | None, own: str = "") -> RenderState:
        """Arrange what every page may show once, for the whole build (`own`: the site's templates/, as shown, if any)."""
        groups = tuple(GroupOfFacts(g, tuple(f for f in site.facts if f.group == g.id)) for g in site.groups)
        sections = tuple((name, tuple(terms)) for name, terms in korean.group_by_section([(t.term, t) for t in site.terms]))
        return cls(site, options, env, Glossary.build(site.terms), cache, parts, groups, sections, excerpt_uses(site),
                   {page.loc.path: page.slug for page in site.pages}, tags_of(site.facts), spent=Spent(own))

    def reuse_media(self, links: tuple[LinkRecord, ...], card: CardWant | None) -> None:
        """A page (or part) taken from the cache still shows its images and its card: they are made as if it was rendered."""
        for record in links:
            if record.kind == "image" and record.asset in self.site.assets:
                self.pictures.variants(self.site.assets[record.asset])
        if card is not None:
            self.cards.want(card)

    def note(self, records: Iterable[Record], path: str, rank: tuple[int, str], title: str) -> None:
        """Note links to terms made on the page at `path`: (term id, the fact they were made in, or '') each.

        A page taken from the cache notes all it made at once: at 1,000 pages, that is every page at every rebuild.
        """
        appearances, facts, listed = self.appearances, self.site.fact_by_id, path != "facts/"  # the facts page is
        place = (rank, title)  # listed fact by fact
        for term_id, fact_id in records:
            found = appearances.get(term_id)
            if found is None:
                found = appearances[term_id] = Appearances()
            if fact_id:
                found.facts[fact_id] = facts[fact_id]
            if listed:
                found.pages[path] = place


def tags_of(facts: tuple[Fact, ...]) -> tuple[TagOfFacts, ...]:
    """Each tag with its facts in site order; tags that make the same id (Field notes, field-notes) are one, named as first written."""
    found: dict[str, tuple[str, list[Fact]]] = {}
    for fact in facts:
        for tag in fact.tags:
            _, tagged = found.setdefault(tag_anchor(tag), (tag, []))
            if fact not in tagged:
                tagged.append(fact)
    ordered = sorted(found.items(), key=lambda item: (korean.sort_key(item[1][0]), item[0]))
    return tuple(TagOfFacts(name, anchor, tuple(tagged)) for anchor, (name, tagged) in ordered)


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
