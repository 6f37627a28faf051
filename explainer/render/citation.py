""""Cite this page": a page's citation, shown on it and written beside it as BibTeX, RIS and CSL-JSON.

Each is made at build time from the content alone (the page's permanent URL, title, the site's
author and publisher, the date of its last change), so the same content gives the same bytes.
No access date is written: the reader's reference manager adds the day they read it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..cache import Cache, digest
from ..model import Output, PartialDate, SiteConfig

FILES = (  # (file name, link label, media type)
    ("citation.bib", "BibTeX", "application/x-bibtex"),
    ("citation.ris", "RIS", "application/x-research-info-systems"),
    ("citation.json", "CSL-JSON", "application/vnd.citationstyles.csl+json"),
)
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")  # BibTeX's month macros
BIBTEX_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&", "$": r"\$", "#": r"\#",
                  "_": r"\_", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}"}


@dataclass(frozen=True, slots=True)
class Citation:
    """What a citation of one page says."""

    key: str  # the BibTeX key and CSL id: the site's path and the page's, e.g. ai-alliance-glossary-gpu
    path: str  # the page's path inside the site ('' for the home page): its files are written beside it
    title: str
    container: str  # the site's title
    author: str  # the site's author (an organisation or a person, written as one name)
    publisher: str
    url: str  # the page's permanent (canonical) URL
    date: PartialDate | None  # when the page last changed
    language: str

    def same(self, kept: tuple[Citation, list[Output]]) -> bool:
        """Whether the files `kept` are this citation's (a cache entry of `all_citation_files`)."""
        return kept[0] == self

    @property
    def files(self) -> list[dict[str, str]]:
        """The downloads: each `path` (inside the site), `label` and media `type`."""
        return [{"path": self.path + name, "label": label, "type": kind} for name, label, kind in FILES]


def cite(config: SiteConfig, path: str, title: str, date: PartialDate | None) -> Citation:
    """The citation of the page at `path`, titled `title`, last changed on `date`."""
    site_part = config.base_path.strip("/") or urlsplit(config.base_url).hostname or "site"
    key = re.sub(r"[^a-z0-9]+", "-", f"{site_part}/{path}".lower()).strip("-") or "site"
    page_title = title if path else config.title
    return Citation(key, path, page_title, config.title, config.author or config.publisher, config.publisher,
                    config.absolute(path), date, config.language)


def bibtex(citation: Citation) -> str:
    """A BibTeX (and biblatex) entry: @misc, the title and a corporate author kept as written by double braces."""
    fields = [("title", "{" + _tex(citation.title) + "}")]
    if citation.author:
        fields.append(("author", "{" + _tex(citation.author) + "}"))
    fields.append(("howpublished", _tex(citation.container)))
    if citation.publisher:
        fields.append(("publisher", _tex(citation.publisher)))
    date = citation.date
    lines = [f"@misc{{{citation.key},"]
    lines += [f"  {name} = {{{value}}}," for name, value in fields]
    if date is not None:
        lines.append(f"  year = {{{date.year}}},")
        if date.month:
            lines.append(f"  month = {MONTHS[date.month - 1]},")
        lines.append(f"  date = {{{date.iso()}}},")
    lines.append(f"  url = {{{citation.url}}},")
    lines.append(f"  language = {{{citation.language}}}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def ris(citation: Citation) -> str:
    """A RIS record of type ELEC (a web page), lines ending in CR LF as the format has them."""
    lines = [("TY", "ELEC"), ("TI", citation.title)]
    if citation.author:
        lines.append(("AU", citation.author))
    lines.append(("T2", citation.container))
    if citation.publisher:
        lines.append(("PB", citation.publisher))
    if citation.date is not None:
        date = citation.date
        lines.append(("PY", f"{date.year:04d}"))
        lines.append(("DA", f"{date.year:04d}/{date.month:02d}/{date.day:02d}" if date.day else
                      f"{date.year:04d}/{date.month:02d}/" if date.month else f"{date.year:04d}///"))
    lines += [("UR", citation.url), ("LA", citation.language), ("ER", "")]
    return "".join(f"{tag}  - {_one_line(value)}\r\n" for tag, value in lines)


def csl_json(citation: Citation) -> str:
    """A CSL-JSON item list (one item, type webpage), as Zotero, Pandoc and citeproc read it."""
    item: dict[str, object] = {"id": citation.key, "type": "webpage", "title": citation.title,
                               "container-title": citation.container}
    if citation.author:
        item["author"] = [{"literal": citation.author}]
    if citation.publisher:
        item["publisher"] = citation.publisher
    if citation.date is not None:
        date = citation.date
        item["issued"] = {"date-parts": [[part for part in (date.year, date.month, date.day) if part]]}
    item["URL"] = citation.url
    item["language"] = citation.language
    return json.dumps([item], ensure_ascii=False, indent=2) + "\n"


def citation_files(citation: Citation) -> list[Output]:
    """The three downloads of one page's citation, written beside the page."""
    made = (bibtex(citation), ris(citation), csl_json(citation))
    return [Output(citation.path + name, text.encode("utf-8"), "citation") for (name, _, _), text in zip(FILES, made, strict=True)]


def all_citation_files(citations: Iterable[Citation], cache: Cache | None) -> list[Output]:
    """The downloads of every page's citation; with a cache, those of a citation unchanged since the last build are
    kept, not written out again (a preview's rebuild changes one or two of a thousand)."""
    section = cache.section("citations") if cache is not None else None
    if section is None:
        return [file for citation in citations for file in citation_files(citation)]
    section.start()
    key = digest("citation")
    outputs: list[Output] = []
    for citation in citations:
        found: tuple[Citation, list[Output]] | None = section.lookup(citation.path, key, citation.same)
        if found is None:
            found = section.store(citation.path, key, (citation, citation_files(citation)))
        outputs += found[1]
    section.sweep()
    return outputs


def _tex(text: str) -> str:
    """Text as a BibTeX value: TeX's special characters escaped, braces balanced, on one line."""
    return "".join(BIBTEX_SPECIAL.get(char, char) for char in _one_line(text))


def _one_line(text: str) -> str:
    return " ".join(text.split())
