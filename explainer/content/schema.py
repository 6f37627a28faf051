"""The content contract, declared once: every field of every file kind, its type, default and meaning.

The field tables of docs/content.md are generated from these declarations
(`python -m explainer.content.schema`), and a test keeps them in step.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from .. import limits
from ..errors import Problem
from .values import ID_RE as ID_RE  # the patterns and the conversion other modules read from here
from .values import LANG_RE as LANG_RE
from .values import PARTIAL_RE as PARTIAL_RE
from .values import REF_RE as REF_RE
from .values import _kind
from .values import convert as convert
from .yamlfile import UNREADABLE, LocList, LocMap

NAV_PAGES = 8  # without `nav:`, pages are listed in the navigation only while there are at most this many
UNSET: Any = object()  # a field declared without a default of its own takes its type's empty value

# What an optional key that is left out means, by type, unless its field declares a default.
EMPTY: dict[str, Any] = {"text": "", "markdown": None, "inline": None, "id": "", "date": None, "url": "", "path": "", "folder": "", "language": "",
                         "texts": (), "ids": (), "refs": (), "labels": {}, "list": None, "record": None, "color": None}


@dataclass(frozen=True, slots=True)
class Field:
    """One key a file may contain; `default` is what an optional key left out means."""

    name: str
    type: str
    doc: str
    required: bool = False
    item: str = ""  # for "list" of records and "record": the schema name of each record
    default: Any = UNSET

    @property
    def value_when_absent(self) -> Any:
        """The value an optional key has when left out: its declared default, else its type's empty value."""
        return EMPTY[self.type] if self.default is UNSET else self.default


@dataclass(frozen=True, slots=True)
class Schema:
    """The keys one kind of record accepts."""

    name: str  # as shown in messages: "fact", "source", ...
    where: str  # the file it lives in, for the docs
    fields: tuple[Field, ...]

    def field(self, name: str) -> Field | None:
        for item in self.fields:
            if item.name == name:
                return item
        return None


TYPES = {
    "text": "a string",
    "markdown": "Markdown (block)",
    "inline": "Markdown (inline: emphasis, links, [[…]] references)",
    "id": "an id: lowercase ASCII letters, digits and hyphens",
    "integer": "a whole number",
    "boolean": "true or false",
    "date": "a date: 2023-12-07, or a partial date 2023-12 or 2023",
    "url": "an http(s) URL",
    "path": f"a relative path to a text file (.txt, .md, .markdown, .html, .htm) inside its folder, such as one.txt or 2023/one.txt (at most "
            f"{limits.shown(limits.ARCHIVE_PATH)})",
    "folder": f"a relative folder path, such as archive or ../articles (at most {limits.shown(limits.ARCHIVE_PATH)})",
    "language": "a BCP 47 language tag (ko, en, ko-KR)",
    "texts": "a list of strings",
    "ids": "a list of ids",
    "refs": "a list of excerpt references source-id#excerpt-id",
    "labels": "a mapping of label name to string",
    "list": "a list of records",
    "record": "a mapping of keys to values",
    "color": "a colour in quotes, `\"#rrggbb\"` (YAML reads # as a comment), or a mapping `light:` and `dark:` of two",
}

SITE = Schema(
    "site config",
    "content/site.yaml",
    (
        Field("title", "text", "The site's name, shown in the header and in every page title.", True),
        Field("description", "text", "One or two sentences: what the explainer explains. Meta description of the home page.", True),
        Field("language", "language", "Language of the content (`<html lang>`), e.g. `ko`.", True),
        Field("base_url", "url",
              "Where the site will be published, with any sub-path: `https://user.github.io/repo/`. `--base-url` overrides it.", True),
        Field("copyright", "text", "The copyright line in every page's footer.", True),
        Field("author", "text", "Who wrote the explainer."),
        Field("publisher", "text", "Who publishes it (shown in the footer and structured data)."),
        Field("locale", "text", "Open Graph locale such as `ko_KR`; derived from `language` when absent."),
        Field("nav", "texts", "Navigation order: page slugs and the built-in sections `facts`, `glossary`, `sources`. "
              f"Without it: pages by `order` (when there are at most {NAV_PAGES}; the home page lists them all), then the three sections."),
        Field("intro", "markdown", "Markdown shown at the top of the home page."),
        Field("key_facts", "ids", "Ids of facts shown on the home page as key facts."),
        Field("labels", "labels", "Overrides for the interface's words (see `explainer/locales/*.yaml` for the names)."),
        Field("archives", "folder", "The folder holding the sources' archive copies (each source's `archive:` is a path inside "
              "it), relative to the folder holding `content/`: `archive`, or `../articles` outside the repository. "
              "`$EXPLAINER_ARCHIVES` overrides it. Default: the folder holding `content/`."),
        Field("quote_share", "integer", "Warn when a source's excerpts reproduce more than this percentage of its archive "
              "text: quote briefly, say the rest in your own words.", default=25),
        Field("accent", "color", "The colour of links and highlights: `\"#8a2be2\"`, or `{light: \"#8a2be2\", dark: \"#c9a0ff\"}` "
              "for each colour scheme. Checked for WCAG AA contrast (4.5:1) against the theme's backgrounds in both schemes."),
        Field("logo", "record", "An image shown beside the site's name in the header: `{file: files/logo.svg, alt: …}` "
              "(`alt`: what it says, or leave it out when it only repeats the name).", item="logo"),
        Field("favicon", "text", "The browser tab's icon, a file inside `content/` (SVG, PNG or ICO). Default: the theme's."),
        Field("css", "texts", "Stylesheets of your own, files inside `content/` (`files/site.css`), loaded after the theme's: "
              "they may set its custom properties (docs/themes.md) or add rules."),
        Field("social_image", "text", "The image link previews show for every page, a PNG or JPEG file inside `content/` "
              "(1200 × 630 pixels suits every service); a page's own `image:` comes first. Default: a card drawn for each page."),
        Field("fonts", "record", "The fonts of the text: `latin:` and `hangul:`, each a CSS font-family list "
              "(`\"Inter, sans-serif\"`) or a font file inside `content/` (WOFF2, WOFF, TTF or OTF; a TTF or OTF also draws "
              "the social cards).", item="fonts"),
        Field("cards", "boolean", "Set to false to draw no social cards (link previews then show no image).", default=True),
        Field("published", "date", "When the explainer was first published, to the day: the date its pages and its claims carry "
              "as published (in citations and structured data) unless a page gives its own. Without it they carry no date."),
    ),
)

LOGO = Schema(
    "logo",
    "content/site.yaml → logo",
    (
        Field("file", "text", "The image, a file inside `content/` (SVG, PNG, WebP, JPEG).", True),
        Field("alt", "text", "What the logo says, when that is more than the site's name beside it."),
    ),
)

FONTS = Schema(
    "fonts",
    "content/site.yaml → fonts",
    (
        Field("latin", "text", "For Latin letters and digits: a CSS font-family list or a font file inside `content/`."),
        Field("hangul", "text", "For Hangul: a CSS font-family list or a font file inside `content/`."),
    ),
)

IMAGE = Schema(
    "image",
    "`image:` of a term or a source",
    (
        Field("file", "text", "The image, a path from the YAML file (`../files/chip.png`) or from `content/` (`/files/chip.png`).",
              True),
        Field("alt", "text", "What the image shows, for readers who cannot see it. Required unless `decorative: true`."),
        Field("caption", "inline", "A caption shown under the image."),
        Field("credit", "text", "Who made the image, as it should be credited (`Jane Doe / CC BY 4.0`); `own` when you made "
              "it yourself (nothing is shown). Required.", True),
        Field("decorative", "boolean", "Set to true for an image that only decorates: it has no `alt`, and screen readers skip it.",
              default=False),
    ),
)

CORRECTION = Schema(
    "correction",
    "corrections: of a page (front matter), a fact or a term",
    (
        Field("date", "date", "The day the correction was made (2024-05-02); it counts as the day the record last changed.", True),
        Field("change", "inline", "What changed: what the text said, and what it says now.", True),
        Field("reason", "inline", "Why: what showed it was wrong (a source read again, a reader's report).", True),
    ),
)

EXCERPT = Schema(
    "excerpt",
    "content/sources/<source-id>.yaml → excerpts",
    (
        Field("id", "id", "Unique within the source; cited as `source-id#excerpt-id`.", True),
        Field("text", "text", "The quotation, verbatim (a short excerpt, not a paragraph).", True),
        Field("note", "inline", "Context for the quotation: who speaks, what it refers to."),
    ),
)

SOURCE = Schema(
    "source",
    "content/sources/<source-id>.yaml",
    (
        Field("title", "text", "The headline exactly as printed. Leave it out when the text has none."),
        Field("outlet", "text", "The publication. Leave it out when the text does not name it."),
        Field("author", "text", "The writer, as credited. Leave it out when not named."),
        Field("published", "date", "Publication date; a partial date (`2023-12`) when only the month is known."),
        Field("published_note", "text", "How the date was read or inferred; required when `published` is partial."),
        Field("url", "url", "The original address; only when known for certain, never guessed. Each excerpt then links to "
              "its words there (a text fragment, `#:~:text=`)."),
        Field("archive_url", "url", "A copy of the original in a web archive, shown beside it as “archived copy”: "
              "`https://web.archive.org/web/20231207031500/https://…`. Needs `url`; checked for form only, never fetched."),
        Field("archive_date", "date", "The day the archived copy was made. Read from a Wayback Machine address when left out "
              "(and checked against it when given); required for any other archive."),
        Field("language", "language", "Language of the source.", True),
        Field("archive", "path", "Path of a plain-text copy of the source, relative to the archive folder (`archives:` in site.yaml, "
              "else the folder holding `content/`); every excerpt must occur in it. Where it is absent, content/quotes.lock "
              "vouches for the excerpts verified before."),
        Field("note", "inline", "Anything a reader should know about the source."),
        Field("image", "record", "An image shown on the source's page (see `image` below).", item="image"),
        Field("excerpts", "list", "The quotations the site uses from this source.", True, "excerpt"),
    ),
)

FACT = Schema(
    "fact",
    "content/facts/<group>.yaml → facts",
    (
        Field("id", "id", "Unique across the site; the anchor `#fact-<id>`.", True),
        Field("claim", "inline", "One or two sentences in the site's own words.", True),
        Field("evidence", "refs", "The excerpts that support the claim (at least one).", True),
        Field("when", "date", "When it happened; places the fact on timelines (a partial date sits in its month)."),
        Field("tags", "texts", "Free labels for grouping and filtering."),
        Field("note", "inline", "A remark shown under the claim."),
        Field("disagreement", "inline", "How the sources differ on this point; shown prominently. Needs evidence from at least two sources."),
        Field("corrections", "list", "Corrections of the claim, oldest first: shown beside it and on the corrections page. "
              "A claim that changed since the last published build needs one.", item="correction"),
    ),
)

FACT_GROUP = Schema(
    "fact group",
    "content/facts/<group>.yaml",
    (
        Field("title", "text", "The group's heading on the facts page.", True),
        Field("facts", "list", "The facts in this group.", True, "fact"),
        Field("order", "integer", "Position of the group on the facts page (then by file name).", default=0),
        Field("intro", "inline", "A sentence shown under the group's heading."),
    ),
)

TERM = Schema(
    "term",
    "content/glossary/<term-id>.yaml",
    (
        Field("term", "text", "The display form, e.g. `사과`.", True),
        Field("short", "text", "A one-sentence definition, shown on hover and focus.", True),
        Field("en", "text", "The English form, e.g. `Apple`."),
        Field("aliases", "texts", "Other surface forms that should link to this term."),
        Field("body", "markdown", "The longer explanation on the term's page."),
        Field("related", "ids", "Ids of related terms."),
        Field("evidence", "refs", "Excerpts where a source defines or uses the term."),
        Field("autolink", "boolean", "Set to false to link this term only where a page links it explicitly.", default=True),
        Field("not_before", "texts", "Words that make the term part of another name when they follow it after a space or "
              "hyphen, so it is not linked there: `[\"2\", \"3\"]` for a term whose numbered versions are names of their own. "
              "By default a version number after a term still links the term."),
        Field("not_in", "texts", "Phrases in which the term's form is an ordinary word in another sense, never linked "
              "(with any particle, spacing or case, as the term itself is matched). Each must contain a form of the term."),
        Field("image", "record", "An image shown on the term's page (see `image` below).", item="image"),
        Field("corrections", "list", "Corrections of the definition: shown at the foot of the term's page and on the corrections page.",
              item="correction"),
    ),
)

PAGE = Schema(
    "page",
    "content/pages/<slug>.md (front matter)",
    (
        Field("title", "text", "The page's title.", True),
        Field("summary", "text", "One sentence for the home page and the description meta tag (default: the start of the first paragraph)."),
        Field("order", "integer", "Reading order (home page, print edition, previous/next links).", default=0),
        Field("glossary", "boolean", "Set to false to switch automatic glossary links off for the whole page.", default=True),
        Field("no_autolink", "ids", "Terms not linked automatically on this page, where the word means something else; "
              "an explicit `[[term:…]]` still links them."),
        Field("published", "date", "When the page was first published, to the day. Default: `published` of site.yaml."),
        Field("updated", "date", "When the page last changed in substance, to the day (a correction counts by itself). "
              "The page's “last updated” is the latest of `published`, `updated` and the corrections it lists."),
        Field("corrections", "list", "Corrections of the page: shown at its foot and on the corrections page.", item="correction"),
        Field("image", "text", "The image link previews show for this page, a PNG or JPEG (what every preview shows; no SVG), "
              "a path from the page's file (`chart.png`) or from `content/` (`/files/chart.png`). Default: `social_image` in "
              "site.yaml, else a card drawn for the page."),
    ),
)

SCHEMAS = {s.name: s for s in (SITE, LOGO, FONTS, EXCERPT, SOURCE, FACT, FACT_GROUP, TERM, PAGE, IMAGE, CORRECTION)}


def check_record(data: Any, schema: Schema, path: str, line: int) -> tuple[dict[str, Any], list[Problem]]:
    """Check a mapping against a schema; return converted values, optional keys left out at their defaults.

    A required key that is missing (or wrong) is absent from the values: its problem is reported.
    """
    problems: list[Problem] = []
    if not isinstance(data, LocMap):
        problems.append(
            Problem(path, line, f"a {schema.name} must be a mapping of keys to values, not {_kind(data)}",
                    f"write it as `key: value` lines; allowed keys: {_names(schema)}")
        )
        return {}, problems
    values: dict[str, Any] = {}
    for key, raw in data.items():
        spec = schema.field(key)
        key_line = data.line_of(key)
        if _unreadable(raw):
            continue  # yamlfile reported why
        if spec is None:
            close = difflib.get_close_matches(key, [f.name for f in schema.fields], n=1)
            hint = f"did you mean '{close[0]}'? " if close else ""
            problems.append(Problem(path, key_line, f"unknown key '{key}' in {schema.name}",
                                    f"{hint}allowed keys: {_names(schema)}"))
            continue
        if spec.type == "list":
            values[key] = raw  # records are checked by the caller, item by item
            if not isinstance(raw, LocList):
                problems.append(Problem(path, key_line, f"'{key}' must be a list of {spec.item}s, not {_kind(raw)}",
                                        f"write each {spec.item} as an item starting with '- '"))
            continue
        if spec.type == "record":
            if isinstance(raw, LocMap):
                values[key] = raw  # checked by the caller against SCHEMAS[spec.item]
            else:
                problems.append(Problem(path, key_line, f"'{key}' must be a mapping of keys to values, not {_kind(raw)}",
                                        f"write it as `{key}:` and, on the lines below it, indented: "
                                        + ", ".join(f"`{f.name}: …`" for f in SCHEMAS[spec.item].fields[:2])))
            continue
        value, message = convert(raw, spec.type)
        if message:
            problems.append(Problem(path, key_line, f"'{key}' {message}", f"'{key}' takes {TYPES[spec.type]}"))
        elif value is not None:
            values[key] = value
    misspelt = {close for key in data if schema.field(key) is None
                for close in difflib.get_close_matches(key, [f.name for f in schema.fields], n=1)}
    for spec in schema.fields:
        if spec.required and spec.name not in data and spec.name not in misspelt:
            problems.append(Problem(path, data.line, f"missing required key '{spec.name}' in {schema.name}",
                                    f"add `{spec.name}:` ({TYPES[spec.type]}): {spec.doc}"))
        elif not spec.required and spec.name not in values:
            values[spec.name] = spec.value_when_absent
    return values, problems


def _unreadable(raw: Any) -> bool:
    """Whether a value is, or directly holds, a value yamlfile could not read (and has reported)."""
    if isinstance(raw, dict):
        raw = list(raw.values())
    return raw is UNREADABLE or (isinstance(raw, list) and any(item is UNREADABLE for item in raw))


def _names(schema: Schema) -> str:
    return ", ".join(f.name for f in schema.fields)


def markdown_tables() -> str:
    """Return the field tables of docs/content.md, one per file kind, generated from the declarations."""
    parts: list[str] = []
    for schema in SCHEMAS.values():
        parts.append(f"### {schema.name}: `{schema.where}`\n")
        parts.append("| key | type | required | meaning |")
        parts.append("|---|---|---|---|")
        for spec in schema.fields:
            type_ = f"list of {spec.item}s" if spec.type == "list" else TYPES[spec.type]
            default = "" if spec.default is UNSET else f" Default: `{_shown(spec.default)}`."
            parts.append(f"| `{spec.name}` | {type_} | {'yes' if spec.required else ''} | {spec.doc}{default} |")
        parts.append("")
    return "\n".join(parts)


def _shown(value: Any) -> str:
    """A default as written in YAML."""
    return str(value).lower() if isinstance(value, bool) else str(value)


if __name__ == "__main__":
    print(markdown_tables())
