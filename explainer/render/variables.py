"""What each template receives, declared once: the tables of docs/themes.md are generated from here.

Every template gets the site-wide names (`SITE_WIDE`), the page's own functions (`PAGE_FUNCTIONS`)
and `Common`; each page template gets one of the TypedDicts below on top. The comment after a field
is its description in the docs (`python scripts/refresh_docs.py` writes the tables).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, TypedDict

from markupsafe import Markup

from ..model import Fact, Page, Source, Term
from ..text.timeline import Month
from .citation import Citation
from .revisions import History, Listed
from .social import SocialImage
from .state import GroupOfFacts, TagOfFacts

SITE_WIDE = {
    "site": "the whole site: `site.pages`, `site.facts`, `site.terms`, `site.sources`, `site.groups`, and `site.fact_by_id`, "
            "`site.term_by_id`, `site.source_by_id`, `site.page_by_slug`",
    "config": "`site.yaml`, checked: `config.title`, `config.description`, `config.language`, `config.base_url`, "
              "`config.base_path`, `config.copyright`, `config.author`, `config.publisher`, `config.locale`, `config.intro`, "
              "`config.key_facts`",
    "labels": "the interface's words in the site's language (`explainer/locales/*.yaml`, with `labels:` overrides)",
    "format_date(d, in_month=False)": "a (partial) date in the site's language; `in_month`: a day without its year (12월 5일)",
    "source_name(s)": "a source's name",
    "short_name(s)": "a source's short name, for citation marks",
    "language_name(code)": "the name of a language in the site's language",
    "look": "the site's look from site.yaml: `look.stylesheets` (site paths of the stylesheets to load after the theme's: "
            "`assets/look.css` with its accent and fonts, then its own `css:`), `look.favicon` (a site path, '' for the theme's) "
            "and `look.favicon_type`, `look.logo` (`path`, `alt`, `width`, `height`; None for none)",
    "link_to_words(url, words)": "`url` with a text fragment (`#:~:text=`) that leads the reader to `words` on that page",
    "archive_date(s)": "the day a source's archived copy was made (`archive_date`, else read from its Wayback Machine address)",
    "tag_anchor(tag)": "the id of a tag's list on the facts page (`url('facts/#' ~ tag_anchor(tag))` links to it)",
}

PAGE_FUNCTIONS = {
    "url(path)": "the URL of a site path (`'facts/#fact-x'`, `'assets/style.css'`) from this page",
    "site_url(path)": "the same, but always to the site the page is served from; on the print edition, where `url` links to "
                      "the published site, it still gives the local copy (the search box uses it for `pagefind/`)",
    "md(doc)": "a Markdown field rendered (with glossary links); templates read Markdown only through `md` and `plain`",
    "plain(doc)": "a Markdown field as plain text",
    "section(title)": "starts a new glossary-linking section and returns `title` (wrap headings you write in templates)",
    "enter_card(), leave_card()": "open and close a fact card, which links its terms on its own",
    "page_terms()": "the terms linked on this page so far (for the printed list of definitions)",
}


class NavItem(TypedDict):
    """One entry of the site navigation."""

    title: str
    path: str
    current: bool  # this page, or (a section) the page is in it
    here: bool  # this very page (aria-current="page"; a section the page is in: "true")
    children: list[NavItem]  # a section's pages and sections, in reading order (empty for a page)


class Crumb(TypedDict):
    """One step of a nested page's breadcrumbs."""

    title: str
    path: str


class TocItem(TypedDict):
    """One entry of a page's table of contents."""

    title: str
    anchor: str
    level: int


class Common(TypedDict):
    """What every page template gets about its page."""

    title: str  # the page's title
    description: str  # its meta description
    kind: str  # home, page, facts, glossary, term, sources, source, corrections, print or 404
    og_type: str  # its Open Graph type
    canonical: str  # its absolute URL
    nav: list[NavItem]  # the navigation entries: `title`, `path`, `current` (it or a section it is in), `here`, `children`
    breadcrumbs: list[Crumb]  # a page in a section: the home page and its sections (`title`, `path`), outermost first; else empty
    social_image: SocialImage | None  # the image of its link previews: `url` (absolute), `width`, `height`, `alt`; None for none
    toc: list[TocItem]  # the page's own contents, when it is long enough to need them: `title`, `anchor` (an id on it), `level` (2, 3)
    json_ld: Markup  # its structured data (schema.org JSON-LD), safe inside <script>; empty on the 404 page
    history: History | None  # its dates and corrections: `published`, `updated` (last updated), `corrections` (as on corrections.html)
    citation: Citation | None  # how to cite it: `title`, `author`, `container` (the site), `publisher`, `url`, `date`, `files`


class HomeValues(TypedDict):
    """home.html"""

    key_facts: list[Fact]  # the facts named in `key_facts` of site.yaml
    excerpt_count: int  # how many excerpts the sources have
    glance: list[Month]  # the timeline at a glance: each `date` (a month) with its dated `facts`
    timeline_page: Page | None  # the first page that shows the whole timeline (`[[timeline]]`), if any


class PageValues(TypedDict):
    """page.html"""

    page: Page  # the narrative page
    body: Markup  # its body, rendered
    previous: Page | None  # the page before it in reading order
    next: Page | None  # the page after it


class FactsValues(TypedDict):
    """facts.html"""

    groups: tuple[GroupOfFacts, ...]  # each `group` with its `facts`
    tags: tuple[TagOfFacts, ...]  # each tag (`name`, `anchor`) with its `facts`, in 가나다 order


class GlossaryValues(TypedDict):
    """glossary.html"""

    sections: tuple[tuple[str, tuple[Term, ...]], ...]  # (initial-consonant heading, terms) pairs in 가나다 order


class TermValues(TypedDict):
    """term.html"""

    term: Term  # the term
    body: Markup  # its explanation, rendered
    related: list[Term]  # its related terms
    appearances: dict[str, list[Any]]  # where it is linked from: `pages`, `terms` and `sources` (each `path`, `title`), and `facts`


class SourcesValues(TypedDict):
    """sources.html (nothing more)"""


class SourceValues(TypedDict):
    """source.html"""

    source: Source  # the source
    uses: dict[str, dict[str, list[Any]]]  # excerpt reference -> the `facts` and `terms` citing it


class PrintValues(TypedDict):
    """print.html"""

    groups: tuple[GroupOfFacts, ...]  # as for facts.html
    sections: tuple[tuple[str, tuple[Term, ...]], ...]  # as for glossary.html
    page_body: Callable[[Page], Markup]  # page_body(page): a page's body as a part of the edition
    term_body: Callable[[Term], Markup]  # term_body(term): a term's explanation, never linking the term itself
    excerpt_anchor: Callable[[str, str], str]  # excerpt_anchor(source id, excerpt id): an excerpt's id on this page


class CorrectionsValues(TypedDict):
    """corrections.html"""

    corrections: tuple[Listed, ...]  # newest first: each `correction` (`date`, `change`, `reason`), its `record`, `kind`, `path`


class NotFoundValues(TypedDict):
    """404.html (nothing more; its url() gives absolute paths)"""


TEMPLATES = (HomeValues, PageValues, FactsValues, GlossaryValues, TermValues, SourcesValues, SourceValues, CorrectionsValues,
             PrintValues, NotFoundValues)


def field_docs(kind: type) -> list[tuple[str, str]]:
    """(name, description) of each field of a TypedDict, from the comments beside them."""
    source = inspect.getsource(kind)
    found = []
    for line in source.splitlines():
        name, _, rest = line.strip().partition(":")
        if name in kind.__annotations__ and "#" in rest:
            found.append((name, rest.split("#", 1)[1].strip()))
    return found


def markdown_tables() -> str:
    """Return the tables of what templates receive, for docs/themes.md."""
    lines = ["Every template gets:", "", "| name | what it is |", "|---|---|"]
    lines += [f"| `{name}` | {text} |" for name, text in SITE_WIDE.items()]
    lines += [f"| `{name}` | {text} |" for name, text in field_docs(Common)]
    lines += [f"| `{name}` | {text} |" for name, text in PAGE_FUNCTIONS.items()]
    lines += ["", "And each page template its own:", "", "| template | also receives |", "|---|---|"]
    for kind in TEMPLATES:
        name, _, note = (kind.__doc__ or "").partition(" ")
        fields = "; ".join(f"`{field}`: {text}" for field, text in field_docs(kind)) or note.strip("()")
        lines.append(f"| `{name}` | {fields} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(markdown_tables())


def headings_toc(headings: list[TocItem]) -> list[TocItem]:
    """A narrative page's table of contents: its h2 and h3 headings, when it has at least two sections."""
    shown = [h for h in headings if h["level"] in (2, 3)]
    return shown if sum(h["level"] == 2 for h in shown) >= 2 else []
