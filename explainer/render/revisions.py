"""What each page says of its own history: when it was first published, when it last changed, the corrections it lists.

"Last updated" comes from the content, never from file times or the clock (the same content
builds the same bytes): it is the latest of the page's first publication (its `published:`, else
site.yaml's), its own `updated:` (narrative pages) and the date of every correction it lists.
Which corrections a page lists is decided by what it shows: its own, and those of the facts shown
on it as cards, or of the terms it defines.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..model import Correction, Fact, Page, PartialDate, Site, Term, distinct

Record = Page | Fact | Term


@dataclass(frozen=True, slots=True)
class Listed:
    """A correction as pages list it, with the page, fact or term it corrects."""

    correction: Correction
    record: Record

    @property
    def kind(self) -> str:
        """'page', 'fact' or 'term'."""
        return "page" if isinstance(self.record, Page) else "fact" if isinstance(self.record, Fact) else "term"

    @property
    def path(self) -> str:
        """Where the corrected record is shown: its page, the fact's card on the facts page, the term's page."""
        record = self.record
        if isinstance(record, Page):
            return f"{record.slug}/"
        if isinstance(record, Fact):
            return f"facts/#fact-{record.id}"
        return f"glossary/{record.id}/"


@dataclass(frozen=True, slots=True)
class History:
    """A page's dates and the corrections it lists, newest first."""

    published: PartialDate | None
    updated: PartialDate | None  # the latest of `published`, the page's own `updated` and its corrections' dates
    corrections: tuple[Listed, ...]


def newest_first(listed: Iterable[Listed]) -> tuple[Listed, ...]:
    """Corrections by date, the newest first; those of one day in the order of the content."""
    return tuple(sorted(listed, key=lambda item: item.correction.date, reverse=True))  # sorted() is stable


def page_history(site: Site, records: Iterable[Record], *, published: PartialDate | None = None,
                 updated: PartialDate | None = None) -> History:
    """The history of a page showing `records` (itself, its fact cards, its terms), first published on `published`."""
    first = published or site.config.published
    listed = newest_first(Listed(c, record) for record in distinct(records) for c in record.corrections)
    dates = [date for date in (first, updated, *(item.correction.date for item in listed)) if date is not None]
    return History(first, max(dates) if dates else None, listed)


def site_history(site: Site) -> History:
    """The history of the whole site: every correction, and the latest date any page carries."""
    pages = [page_history(site, (page,), published=page.published, updated=page.updated) for page in site.pages]
    whole = page_history(site, (*site.facts, *site.terms))
    listed = newest_first(Listed(correction, record) for record, correction in site.corrections())
    dates = [date for date in (whole.updated, *(p.updated for p in pages)) if date is not None]
    return History(site.config.published, max(dates) if dates else None, listed)
