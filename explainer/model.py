"""The content as frozen data: what every later stage reads, never writes.

Also, from artifacts.py, the values every stage is handed: the build's Options, each file it produces
(Output) with its links (LinkRecord), and places in the content (Loc).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlsplit

from .artifacts import LinkRecord as LinkRecord
from .artifacts import Loc as Loc
from .artifacts import Options as Options
from .artifacts import Output as Output

BUILTIN_SECTIONS = ("facts", "glossary", "sources")  # the pages every site has besides its own


R = TypeVar("R")


def distinct(records: Iterable[R]) -> list[R]:
    """The records in order, each once: by identity, since a record of the site is one object (hashing a frozen
    record hashes every field, a page's whole body with it, each time)."""
    return list({id(record): record for record in records}.values())


def primary_language(tag: str) -> str:
    """Return the language of a BCP 47 tag without its region or script, lower-cased: ko-KR -> ko."""
    return tag.split("-")[0].lower()


@dataclass(frozen=True, slots=True, order=True)
class PartialDate:
    """A calendar date that may know only its year, or its year and month."""

    year: int
    month: int = 0  # 0: unknown
    day: int = 0  # 0: unknown

    @property
    def precision(self) -> str:
        """Return 'day', 'month' or 'year'."""
        return "day" if self.day else "month" if self.month else "year"

    def iso(self) -> str:
        """Return the ISO 8601 form with only the known parts (2023, 2023-12, 2023-12-07)."""
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    @classmethod
    def from_date(cls, value: dt.date) -> PartialDate:
        return cls(value.year, value.month, value.day)

    def first_day(self) -> dt.date:
        """The earliest day it may mean: 2023-12 -> 2023-12-01."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> dt.date:
        """The latest day it may mean: 2023-12 -> 2023-12-31."""
        if self.day:
            return dt.date(self.year, self.month, self.day)
        if self.month:
            following = dt.date(self.year + (self.month == 12), self.month % 12 + 1, 1)
            return following - dt.timedelta(days=1)
        return dt.date(self.year, 12, 31)


@dataclass(frozen=True, slots=True)
class DocRef:
    """A reference written inside Markdown: [[kind:target|label]] on a given line."""

    kind: str  # fact, term, quote, cite, timeline
    target: str
    line: int
    label: str = ""
    block: bool = False  # written on a line of its own


@dataclass(frozen=True, slots=True)
class DocLink:
    """A link or an image written inside Markdown: [words](target) or ![alt](target "title"){attributes}, on a given line."""

    target: str
    line: int
    image: bool = False
    alt: str = ""  # an image's text alternative, as plain text
    title: str = ""  # an image's title: the caption of a figure
    credit: str = ""  # an image's {credit="…"}: who made it ('own': the writer)
    decorative: bool = False  # an image marked {.decorative}: no text alternative, by intent


@dataclass(frozen=True, slots=True)
class Markdown:
    """Author-written Markdown, parsed once at load time; tokens are read, never mutated."""

    text: str
    loc: Loc
    inline: bool
    tokens: tuple[Any, ...] = field(compare=False, repr=False)
    refs: tuple[DocRef, ...] = ()
    links: tuple[DocLink, ...] = ()


@dataclass(frozen=True, slots=True)
class Asset:
    """A file of the content that pages may show or link to: an image, an SVG drawing, or another file (PDF, CSV …)."""

    path: str  # inside content/: files/chart.png, pages/map.png
    shown: str  # as messages show it
    kind: str  # image, vector or file
    data: bytes = field(compare=False, repr=False)
    digest: str = ""
    format: str = ""  # PNG, JPEG, GIF, WEBP, AVIF, SVG for images
    width: int = 0  # as shown, after the EXIF rotation
    height: int = 0
    alpha: bool = False
    animated: bool = False

    @property
    def url(self) -> str:
        """Where the file itself is published in the site (files/… for content/files/…, else its own path)."""
        return self.path


@dataclass(frozen=True, slots=True)
class Figure:
    """An image named in YAML (a term's or a source's `image:`): its file, text alternative, caption and credit."""

    file: str  # as written
    path: str  # inside content/, resolved from the file it is written in ('' when it names no file)
    alt: str
    caption: Markdown | None
    credit: str  # who made it; 'own' for the writer's own
    decorative: bool
    loc: Loc


@dataclass(frozen=True, slots=True)
class Ref:
    """A pointer to an excerpt, written `source-id#excerpt-id`."""

    source: str
    excerpt: str
    loc: Loc

    @property
    def key(self) -> str:
        return f"{self.source}#{self.excerpt}"


@dataclass(frozen=True, slots=True)
class Correction:
    """A correction of a page, fact or term: when, what changed, and why (shown to readers, never hidden)."""

    date: PartialDate
    change: Markdown
    reason: Markdown
    loc: Loc


@dataclass(frozen=True, slots=True)
class Excerpt:
    """A short verbatim quotation from a source."""

    id: str
    text: str
    note: Markdown | None
    loc: Loc


@dataclass(frozen=True, slots=True)
class Source:
    """One article, report or document the site quotes from."""

    id: str
    title: str
    outlet: str
    author: str
    published: PartialDate | None
    published_note: str
    url: str
    language: str
    archive: str
    note: Markdown | None
    excerpts: tuple[Excerpt, ...]
    loc: Loc
    lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)  # key -> line
    image: Figure | None = None
    archive_url: str = ""  # a copy of the original in a web archive
    archive_date: PartialDate | None = None  # when that copy was made

    def excerpt(self, excerpt_id: str) -> Excerpt | None:
        """Return the excerpt with this id, or None."""
        for item in self.excerpts:
            if item.id == excerpt_id:
                return item
        return None


@dataclass(frozen=True, slots=True)
class FactGroup:
    """A file of facts under content/facts/, with the title it is shown under."""

    id: str
    title: str
    order: int
    intro: Markdown | None
    loc: Loc


@dataclass(frozen=True, slots=True)
class Fact:
    """A claim in the site's own words, backed by one or more excerpts."""

    id: str
    group: str
    claim: Markdown
    when: PartialDate | None
    tags: tuple[str, ...]
    evidence: tuple[Ref, ...]
    note: Markdown | None
    disagreement: Markdown | None
    loc: Loc
    corrections: tuple[Correction, ...] = ()


@dataclass(frozen=True, slots=True)
class Term:
    """A glossary entry."""

    id: str
    term: str
    en: str
    aliases: tuple[str, ...]
    short: str
    body: Markdown | None
    related: tuple[str, ...]
    evidence: tuple[Ref, ...]
    autolink: bool
    loc: Loc
    lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)  # key -> line
    not_before: tuple[str, ...] = ()  # words after which a form is part of another name
    not_in: tuple[str, ...] = ()  # phrases in which a form is not this term
    image: Figure | None = None
    corrections: tuple[Correction, ...] = ()

    @property
    def forms(self) -> tuple[str, ...]:
        """Every surface form that names this term: display form, English form, aliases."""
        seen: list[str] = []
        for form in (self.term, self.en, *self.aliases):
            if form and form not in seen:
                seen.append(form)
        return tuple(seen)


@dataclass(frozen=True, slots=True)
class Page:
    """A narrative Markdown page."""

    slug: str
    title: str
    summary: str
    order: int
    glossary: bool
    body: Markdown
    loc: Loc
    no_autolink: tuple[str, ...] = ()  # terms not linked automatically on this page
    lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)  # front matter key -> line
    published: PartialDate | None = None  # first published (None: when the site was)
    updated: PartialDate | None = None  # last changed in substance, as its author says
    corrections: tuple[Correction, ...] = ()
    image: str = ""  # the page's own social image: a file inside content/ ('' : the card drawn for it)


@dataclass(frozen=True, slots=True)
class Look:
    """What site.yaml says of the site's look; file paths are inside content/ ('' where the theme's own is kept)."""

    accent: tuple[str, str] = ("", "")  # '#rrggbb' for the light and the dark scheme
    logo: str = ""
    logo_alt: str = ""
    favicon: str = ""
    css: tuple[str, ...] = ()
    social_image: str = ""
    font_latin: str = ""  # a CSS font-family list, or a font file inside content/
    font_hangul: str = ""
    cards: bool = True
    lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)  # key -> line of site.yaml


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """content/site.yaml, checked, with derived values (locale, labels); base_url always ends in '/'."""

    title: str
    description: str
    language: str
    base_url: str
    copyright: str
    author: str
    publisher: str
    locale: str
    nav: tuple[str, ...]
    intro: Markdown | None
    key_facts: tuple[str, ...]
    quote_share: int
    labels: dict[str, Any] = field(compare=False)
    loc: Loc = field(default_factory=lambda: Loc("", 0))
    key_lines: dict[str, int] = field(default_factory=dict, compare=False)
    archives: str = ""  # the folder `archive:` paths start from, relative to the site folder ('' : the site folder)
    look: Look = field(default_factory=Look)
    published: PartialDate | None = None  # when the explainer was first published

    @property
    def base_path(self) -> str:
        """The URL path the site lives under, always starting and ending with '/'."""
        return urlsplit(self.base_url).path or "/"

    @property
    def primary_language(self) -> str:
        """The site's language without its region: ko for ko-KR."""
        return primary_language(self.language)

    def absolute(self, url_path: str) -> str:
        """Return the absolute URL of a site path such as 'glossary/x/'."""
        return self.base_url + url_path.lstrip("/")


@dataclass(frozen=True, slots=True)
class Site:
    """Everything the author wrote, loaded; indexes are built once here.

    `digests` holds the content hash of every file read (by the path shown to the user): what
    the cache (cache.py) compares to know whether a result computed from them still holds.
    """

    config: SiteConfig
    sources: tuple[Source, ...]
    groups: tuple[FactGroup, ...]
    facts: tuple[Fact, ...]
    terms: tuple[Term, ...]
    pages: tuple[Page, ...]
    broken: frozenset[str] = frozenset()  # "kind:id" of records that exist but failed to load
    digests: dict[str, str] = field(default_factory=dict, compare=False, repr=False)
    assets: dict[str, Asset] = field(default_factory=dict, compare=False, repr=False)  # by path inside content/
    paths: dict[str, str] = field(default_factory=dict, compare=False, repr=False)  # a file as shown -> its path inside content/
    source_by_id: dict[str, Source] = field(default_factory=dict, compare=False, repr=False)
    fact_by_id: dict[str, Fact] = field(default_factory=dict, compare=False, repr=False)
    term_by_id: dict[str, Term] = field(default_factory=dict, compare=False, repr=False)
    page_by_slug: dict[str, Page] = field(default_factory=dict, compare=False, repr=False)
    derived: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)  # worked out once a build (asset_uses, targets)

    @classmethod
    def assemble(
        cls,
        config: SiteConfig,
        sources: tuple[Source, ...],
        groups: tuple[FactGroup, ...],
        facts: tuple[Fact, ...],
        terms: tuple[Term, ...],
        pages: tuple[Page, ...],
        broken: frozenset[str] = frozenset(),
        digests: dict[str, str] | None = None,
        assets: dict[str, Asset] | None = None,
        paths: dict[str, str] | None = None,
    ) -> Site:
        """Build a Site with its lookup tables (first definition wins on duplicates)."""
        return cls(
            config,
            sources,
            groups,
            facts,
            terms,
            pages,
            broken,
            digests or {},
            assets or {},
            paths or {},
            _index(sources, "id"),
            _index(facts, "id"),
            _index(terms, "id"),
            _index(pages, "slug"),
        )

    def excerpt(self, ref: Ref) -> Excerpt | None:
        """Return the excerpt a reference points at, or None."""
        source = self.source_by_id.get(ref.source)
        return source.excerpt(ref.excerpt) if source else None

    def corrections(self) -> list[tuple[Page | Fact | Term, Correction]]:
        """Every correction with the page, fact or term it corrects: pages, then facts, then terms, each as written."""
        records: tuple[Page | Fact | Term, ...] = (*self.pages, *self.facts, *self.terms)
        return [(record, correction) for record in records for correction in record.corrections]


def _index(items: tuple[Any, ...], attr: str) -> dict[str, Any]:
    table: dict[str, Any] = {}
    for item in items:
        table.setdefault(getattr(item, attr), item)
    return table
