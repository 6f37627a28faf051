"""The record's own dates, checked over the whole site: corrections, when pages were published and updated, archived copies.

Readers see these dates as "last updated" and in citations, and other sites read them from the
structured data, so each must be a real day, in an order that can have happened.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..errors import Problem
from ..model import Correction, PartialDate, Site, Source

# A Wayback Machine address: /web/<timestamp, 4 to 14 digits><optional flag such as id_>/<the original address>
WAYBACK_RE = re.compile(r"^https?://(?:web|wayback)\.archive\.org/web/(\d{4,14})(?:[a-z]{2}_)?/(.+)$")


@dataclass(frozen=True, slots=True)
class Archived:
    """What a Wayback Machine address says of its copy: when it was made (to the precision given) and of what."""

    date: PartialDate | None  # None: the timestamp is no real date
    original: str


def read_wayback(url: str) -> Archived | None:
    """Read the timestamp and original address out of a Wayback Machine address; None for any other archive."""
    match = WAYBACK_RE.match(url)
    if match is None:
        return None
    stamp, original = match.groups()
    year, month, day = int(stamp[:4]), int(stamp[4:6] or 0), int(stamp[6:8] or 0)
    try:
        date = PartialDate(year, month, day) if year else None
        if date is not None:
            date.last_day()  # raises for a month or day no calendar has
    except ValueError:
        date = None
    return Archived(date, original)


def archive_date(source: Source) -> PartialDate | None:
    """The day a source's archived copy was made: as written, else as its Wayback Machine address says."""
    if source.archive_date is not None or not source.archive_url:
        return source.archive_date
    archived = read_wayback(source.archive_url)
    return archived.date if archived is not None else None


def check_history(site: Site) -> list[Problem]:
    """Return every problem with the dates of the record: corrections, pages, the site, archived copies."""
    problems: list[Problem] = []
    config = site.config
    published = config.published
    if published is not None and published.precision != "day":
        problems.append(Problem(config.loc.path, config.key_lines.get("published", 1), "`published` must be a day, such as 2024-03-10",
                                "give the day the explainer was first published: readers and citations see it"))
        published = None
    for page in site.pages:
        problems += _day(page.published, page.loc.path, page.lines.get("published", 1), "published")
        problems += _day(page.updated, page.loc.path, page.lines.get("updated", 1), "updated")
        first = page.published or published
        if page.updated and first and page.updated.precision == first.precision == "day" and page.updated < first:
            problems.append(Problem(page.loc.path, page.lines.get("updated", 1),
                                    f"`updated` ({page.updated.iso()}) is before the page was first published ({first.iso()})",
                                    "a page changes after it is published: correct one of the dates"))
        problems += _corrections(page.corrections, first, f"page '{page.slug}'")
    for fact in site.facts:
        problems += _corrections(fact.corrections, published, f"fact '{fact.id}'")
    for term in site.terms:
        problems += _corrections(term.corrections, published, f"term '{term.id}'")
    for source in site.sources:
        problems += _check_archive(source)
    return problems


def _day(value: PartialDate | None, path: str, line: int, key: str) -> Iterator[Problem]:
    if value is not None and value.precision != "day":
        yield Problem(path, line, f"`{key}` must be a day, such as 2024-03-10, not {value.iso()}",
                      "a page's dates are known to the day: readers and citations see them")


def _corrections(corrections: tuple[Correction, ...], published: PartialDate | None, owner: str) -> Iterator[Problem]:
    for correction in corrections:
        loc = correction.loc
        if correction.date.precision != "day":
            yield Problem(loc.path, loc.line, f"a correction's date must be a day, such as 2024-05-02, not {correction.date.iso()}",
                          "give the day the correction was made")
        elif published is not None and published.precision == "day" and correction.date < published:
            yield Problem(loc.path, loc.line, f"a correction of {owner} is dated {correction.date.iso()}, before it was first "
                          f"published ({published.iso()})", "a correction fixes what readers saw: check the date", "warning")


def _check_archive(source: Source) -> Iterator[Problem]:
    """The archived copy's fields, checked for form (nothing is fetched)."""
    path, lines = source.loc.path, source.lines
    if not source.archive_url:
        if source.archive_date is not None:
            yield Problem(path, lines.get("archive_date", source.loc.line), "`archive_date` without `archive_url`",
                          "add the archived copy's address as `archive_url:`, or remove `archive_date`")
        return
    line = lines.get("archive_url", source.loc.line)
    if not source.url:
        yield Problem(path, line, "an archived copy needs the original's address as well",
                      "add `url:` (the original address); the archive's address goes in `archive_url:`")
    elif _same_address(source.url, source.archive_url):
        yield Problem(path, line, "`archive_url` is the same address as `url`",
                      "give the address of a copy in a web archive, such as https://web.archive.org/web/<date>/<url>")
    wayback = read_wayback(source.archive_url)
    if wayback is None:
        if source.archive_date is None:
            yield Problem(path, line, "the archived copy needs a date: this address does not say when it was made",
                          "add `archive_date:` (the day the copy was made)")
    else:
        if wayback.date is None:
            yield Problem(path, line, "the Wayback Machine address has a timestamp that is no date",
                          "copy the address from the archive again: /web/YYYYMMDDhhmmss/<original address>")
        elif wayback.date.precision != "day" and source.archive_date is None:
            yield Problem(path, line, "the Wayback Machine address gives no day (its timestamp is shorter than YYYYMMDD)",
                          "use the copy's full address, or add `archive_date:`")
        elif source.archive_date is not None and not _agree(source.archive_date, wayback.date):
            yield Problem(path, lines.get("archive_date", line), f"`archive_date` ({source.archive_date.iso()}) is not the day "
                          f"in the archive's address ({wayback.date.iso()})", "correct `archive_date`, or leave it out: it is read from the address")
        if source.url and not _same_address(source.url, wayback.original):
            yield Problem(path, line, f"the archived copy is of another address ({wayback.original}) than `url`",
                          "archive the original address, or correct `url`", "warning")
    made = archive_date(source)
    if made is not None and source.archive_date is not None and source.archive_date.precision != "day":
        yield Problem(path, lines.get("archive_date", line), f"`archive_date` must be a day, not {source.archive_date.iso()}",
                      "give the day the copy was made")
    elif made is not None and source.published is not None and made.last_day() < source.published.first_day():
        yield Problem(path, lines.get("archive_date", line), f"the archived copy ({made.iso()}) is older than the source "
                      f"({source.published.iso()})", "check `archive_date`, `archive_url` and `published`", "warning")


def _agree(given: PartialDate, stamped: PartialDate) -> bool:
    """Whether two dates may be the same day (each to its own precision)."""
    return given.first_day() <= stamped.last_day() and stamped.first_day() <= given.last_day()


def _same_address(one: str, other: str) -> bool:
    """Whether two addresses name the same page, whatever their scheme, `www.` or closing slash."""
    def normal(url: str) -> str:
        parts = urlsplit(url.strip())
        host = parts.netloc.lower().removeprefix("www.")
        return host + parts.path.rstrip("/") + (f"?{parts.query}" if parts.query else "")
    return normal(one) == normal(other)
