"""Read every content file into the model, collecting problems instead of stopping at the first."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..cache import Cache
from ..errors import Problem
from ..model import Correction, Excerpt, Fact, FactGroup, Loc, Markdown, Options, Page, PartialDate, Ref, Site, SiteConfig, Source, Term
from ..text import markdown
from . import schema
from .assets import AssetReader
from .config import make_config, read_config
from .files import ContentFiles
from .quotelock import LOCK_NAME
from .sections import page_files, page_slug, reading_order, section_pages
from .targets import ASSET_SUFFIXES
from .yamlfile import LocList, LocMap, parse_yaml

FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*\r?\n?", re.DOTALL | re.MULTILINE)
KNOWN_ENTRIES = {"site.yaml", "sources", "facts", "glossary", "pages", "files", LOCK_NAME}
MEDIA_FOLDERS = {"images", "image", "img", "media", "assets", "static", "attachments", "downloads"}


class SiteReader(ContentFiles, AssetReader):
    """Loads one site; every method appends to `problems` rather than raising (files.ContentFiles reads the files)."""

    def read_yaml(self, path: Path, data: bytes) -> Any:
        text = self.text(path, data)
        if text is None:
            return None
        data_, problems = parse_yaml(text, self.show(path))
        self.problems += problems
        if data_ is None and not problems:
            self.problems.append(Problem(self.show(path), 1, "file is empty", "add content or delete the file"))
        return data_

    def file_id(self, path: Path, what: str) -> str | None:
        if schema.ID_RE.match(path.stem):
            return path.stem
        self.problems.append(Problem(self.show(path), 0, f"the file name '{path.name}' is not a valid {what} id",
                                     "rename it using lowercase a-z, 0-9 and hyphens, e.g. my-" + what + path.suffix))
        return None

    def md(self, data: LocMap, key: str, values: dict[str, Any], path: str, inline: bool) -> Markdown | None:
        if values.get(key) is None:
            return None
        doc = markdown.parse(values[key], Loc(path, data.text_line(key)), inline)
        return self.placed(doc, data.line_of(key))

    def placed(self, doc: Markdown, key_line: int) -> Markdown:
        """Put each reference on the file line where it is written (see places.py)."""
        places = self.places.get(doc.loc.path)
        return places.place(doc, key_line) if places is not None else doc

    def refs(self, data: LocMap, key: str, values: dict[str, Any], path: str) -> tuple[Ref, ...]:
        raw = data.get(key)
        lines = raw.item_lines if isinstance(raw, LocList) else []
        out: list[Ref] = []
        for index, text in enumerate(values.get(key) or ()):
            source, excerpt = text.split("#", 1)
            line = lines[index] if index < len(lines) else data.line_of(key)
            out.append(Ref(source, excerpt, Loc(path, line)))
        return tuple(out)

    def record(self, data: Any, kind: schema.Schema, path: str, line: int) -> dict[str, Any]:
        values, problems = schema.check_record(data, kind, path, line)
        self.problems += problems
        return values

    def corrections(self, data: LocMap, path: str) -> tuple[Correction, ...]:
        """The `corrections:` of a page, fact or term (absent, or not a list: none; check_record said why)."""
        raw = data.get("corrections")
        found: list[Correction] = []
        for item, line in zip(raw, raw.item_lines, strict=True) if isinstance(raw, LocList) else ():
            values = self.record(item, schema.CORRECTION, path, line)
            change, reason = (self.md(item, key, values, path, True) if isinstance(item, LocMap) else None for key in ("change", "reason"))
            if "date" in values and change is not None and reason is not None:
                found.append(Correction(values["date"], change, reason, Loc(path, item.line_of("date"))))
        return tuple(found)

    # -- site.yaml --------------------------------------------------------------------

    def config(self) -> SiteConfig | None:
        path = self.options.content_dir / "site.yaml"
        display = self.show(path)
        if not path.is_file():
            self.problems.append(Problem(display, 0, "site config not found",
                                         f"create {display} with at least: title, description, language, base_url, copyright"))
            return None
        raw = self.read(path)
        text = self.text(path, raw) if raw is not None else None
        if text is None:
            return None
        data, values, problems = read_config(text, display, self.options)
        self.problems += problems
        if data is None:
            return None
        intro = self.md(data, "intro", values, display, inline=False)
        for entry in self.listed(self.options.content_dir):
            if entry.name not in KNOWN_ENTRIES and not entry.name.startswith("."):
                media = entry.name.lower() in MEDIA_FOLDERS or Path(entry.name).suffix.lower() in ASSET_SUFFIXES
                self.problems.append(Problem(self.show(Path(entry.path)), 0, "ignored: not part of the content layout",
                                             "images and other files go in content/files/, or beside the page that shows them in "
                                             "content/pages/" if media else
                                             f"content/ holds site.yaml, sources/, facts/, glossary/, pages/, files/ (images and "
                                             f"other files) and {LOCK_NAME}", "warning"))
        return make_config(data, values, display, intro)

    # -- sources ----------------------------------------------------------------------

    def sources(self) -> tuple[Source, ...]:
        """Every source, oldest first (undated ones last), then by id."""
        found = [source for path in self.files("sources", ".yaml") if (source := self.cached(path, self.source)) is not None]
        return tuple(sorted(found, key=lambda s: (s.published is None, s.published or PartialDate(0), s.id)))

    def source(self, path: Path, raw: bytes) -> Source | None:
        data = self.read_yaml(path, raw)
        source_id = self.file_id(path, "source")
        shown = self.show(path)
        values = self.record(data, schema.SOURCE, shown, 1) if data is not None else {}
        if data is None or source_id is None or not isinstance(data, LocMap):
            self.broken.add(f"source:{source_id or path.stem}")
            return None
        excerpts = self.excerpts(data, shown)
        if not values.get("title") and not values.get("outlet"):
            self.problems.append(Problem(shown, data.line, "a source needs a title or an outlet to be named by",
                                         "add `title:` (the headline as printed) or `outlet:` (the publication)"))
        published = values.get("published")
        if published is not None and published.precision != "day" and not values.get("published_note"):
            self.problems.append(Problem(shown, data.line_of("published"), "a partial date needs a published_note",
                                         "add `published_note:` saying how the month was read or inferred"))
        return Source(
            id=source_id,
            title=values["title"],
            outlet=values["outlet"],
            author=values["author"],
            published=values["published"],
            published_note=values["published_note"],
            url=values["url"],
            language=values.get("language", ""),
            archive=values["archive"],
            note=self.md(data, "note", values, shown, inline=True),
            excerpts=excerpts,
            loc=Loc(shown, data.line),
            lines=dict(data.key_lines),
            image=self.figure(data, values, shown),
            archive_url=values["archive_url"], archive_date=values["archive_date"],
        )

    def excerpts(self, data: LocMap, path: str) -> tuple[Excerpt, ...]:
        raw = data.get("excerpts")
        if not isinstance(raw, LocList):
            return ()
        out: list[Excerpt] = []
        seen: dict[str, int] = {}
        for item, line in zip(raw, raw.item_lines, strict=True):
            values = self.record(item, schema.EXCERPT, path, line)
            if not isinstance(item, LocMap) or "id" not in values or "text" not in values:
                continue
            excerpt_id = values["id"]
            if excerpt_id in seen:
                self.problems.append(Problem(path, item.line_of("id"), f"duplicate excerpt id '{excerpt_id}' (first on line {seen[excerpt_id]})",
                                             "give each excerpt of a source its own id"))
                continue
            seen[excerpt_id] = item.line_of("id")
            out.append(Excerpt(excerpt_id, values["text"], self.md(item, "note", values, path, inline=True), Loc(path, item.text_line("text"))))
        if not raw:
            self.problems.append(Problem(path, data.line_of("excerpts"), "a source needs at least one excerpt",
                                         "add an item under `excerpts:` with `id:` and `text:`"))
        return tuple(out)

    # -- facts ------------------------------------------------------------------------

    def facts(self) -> tuple[tuple[FactGroup, ...], tuple[Fact, ...]]:
        groups: list[FactGroup] = []
        facts: list[Fact] = []
        for path in self.files("facts", ".yaml"):
            loaded = self.cached(path, self.fact_file)
            if loaded is not None:
                groups.append(loaded[0])
                facts += loaded[1]
        groups.sort(key=lambda g: (g.order, g.id))
        return tuple(groups), tuple(facts)

    def fact_file(self, path: Path, raw: bytes) -> tuple[FactGroup, tuple[Fact, ...]] | None:
        data = self.read_yaml(path, raw)
        group_id = self.file_id(path, "fact group")
        shown = self.show(path)
        if data is None or group_id is None:
            self.broken.add(f"group:{path.stem}")
            self.broken.update(written_names(raw))
            return None
        if isinstance(data, LocList):
            items, title, order, intro = data, group_id, 0, None
        elif isinstance(data, LocMap):
            values = self.record(data, schema.FACT_GROUP, shown, 1)
            listed = data.get("facts")
            if not isinstance(listed, LocList):
                return None
            items = listed
            title, order = values.get("title", group_id), values["order"]
            intro = self.md(data, "intro", values, shown, inline=True)
        else:
            self.problems.append(Problem(shown, 1, "a facts file must be a list of facts, or a mapping with `title:` and `facts:`",
                                         "start each fact with '- id: …'"))
            return None
        group = FactGroup(group_id, title, order, intro, Loc(shown, data.line))
        facts = (self.fact(item, item_line, group_id, shown) for item, item_line in zip(items, items.item_lines, strict=True))
        return group, tuple(fact for fact in facts if fact is not None)

    def fact(self, item: Any, line: int, group: str, path: str) -> Fact | None:
        values = self.record(item, schema.FACT, path, line)
        if not isinstance(item, LocMap) or "id" not in values or "claim" not in values:
            if isinstance(item, LocMap) and isinstance(item.get("id"), str):
                self.broken.add(f"fact:{item['id']}")
            return None
        evidence = self.refs(item, "evidence", values, path)
        if "evidence" in item and not evidence and "evidence" in values:
            self.problems.append(Problem(path, item.line_of("evidence"), f"fact '{values['id']}' has no evidence",
                                         "list at least one excerpt reference: `evidence: [source-id#excerpt-id]`"))
        return Fact(
            id=values["id"],
            group=group,
            claim=self.placed(markdown.parse(values["claim"], Loc(path, item.text_line("claim")), inline=True), item.line_of("claim")),
            when=values["when"],
            tags=values["tags"],
            evidence=evidence,
            note=self.md(item, "note", values, path, inline=True),
            disagreement=self.md(item, "disagreement", values, path, inline=True),
            loc=Loc(path, item.line_of("id")),
            corrections=self.corrections(item, path),
        )

    # -- glossary ---------------------------------------------------------------------

    def terms(self) -> tuple[Term, ...]:
        found = (self.cached(path, self.term) for path in self.files("glossary", ".yaml"))
        return tuple(term for term in found if term is not None)

    def term(self, path: Path, raw: bytes) -> Term | None:
        data = self.read_yaml(path, raw)
        term_id = self.file_id(path, "term")
        shown = self.show(path)
        values = self.record(data, schema.TERM, shown, 1) if data is not None else {}
        if not isinstance(data, LocMap) or term_id is None or "term" not in values or "short" not in values:
            self.broken.add(f"term:{term_id or path.stem}")
            return None
        return Term(
            id=term_id,
            term=values["term"],
            en=values["en"],
            aliases=values["aliases"],
            short=values["short"],
            body=self.md(data, "body", values, shown, inline=False),
            related=values["related"],
            evidence=self.refs(data, "evidence", values, shown),
            autolink=values["autolink"],
            loc=Loc(shown, data.line_of("term")),
            lines=dict(data.key_lines),
            not_before=values["not_before"],
            not_in=values["not_in"],
            image=self.figure(data, values, shown),
            corrections=self.corrections(data, shown),
        )

    # -- pages ------------------------------------------------------------------------

    def pages(self) -> tuple[Page, ...]:
        """Every page, in folders too (sections.py), with a page for each section that has none; in reading order."""
        base = self.options.content_dir / "pages"
        found: list[Page] = []
        seen: dict[str, str] = {}
        for path in page_files(base, self.listed, self.show, self.problems):
            page = self.cached(path, self.page)
            if page is None:
                continue
            if page.slug in seen:
                self.problems.append(Problem(page.loc.path, 0, f"two files give the page '{page.slug}': {seen[page.slug]} and "
                                             f"{page.loc.path}", "keep one: a section's own page is either its name.md or "
                                             "its folder's index.md"))
                continue
            seen[page.slug] = page.loc.path
            found.append(page)
        for made in section_pages(found, lambda inside: self.show(self.options.content_dir / inside)):
            self.paths[made.loc.path] = f"pages/{made.slug}/index.md"
            found.append(made)
        return reading_order(found)

    def page(self, path: Path, raw: bytes) -> Page | None:
        found, wrong = page_slug(path, self.options.content_dir / "pages")
        shown = self.show(path)
        slug: str | None = found
        if wrong:
            folder = wrong != path.stem
            what = f"the folder name '{wrong}'" if folder else f"the file name '{path.name}'"
            self.problems.append(Problem(shown, 0, f"{what} is not a valid page id",
                                         "rename it using lowercase a-z, 0-9 and hyphens, e.g. " + ("my-section/" if folder else "my-page.md")))
            slug = None
        text = self.text(path, raw)
        if text is None:
            return None
        match = FRONT_MATTER_RE.match(text)
        if match is None:
            self.problems.append(Problem(shown, 1, "a page must start with front matter between '---' lines",
                                         "begin the file with:\n---\ntitle: Page title\n---"))
            return None
        data, problems = parse_yaml(match.group(1), shown, first_line=2)
        self.problems += problems
        if data is None and not problems:
            self.problems.append(Problem(shown, 1, "the front matter is empty", "add at least `title:`"))
        if data is None or slug is None:
            self.broken.add(f"page:{slug or path.stem}")
            return None
        values = self.record(data, schema.PAGE, shown, 2)
        if "title" not in values:
            self.broken.add(f"page:{slug}")
            return None
        body_line = text.count("\n", 0, match.end()) + 1
        body = markdown.parse(text[match.end():], Loc(shown, body_line), inline=False)
        return Page(slug, values["title"], values["summary"], values["order"], values["glossary"], body, Loc(shown, 1),
                    values["no_autolink"], dict(data.key_lines), values["published"], values["updated"], self.corrections(data, shown),
                    values["image"])


NAME_RE = re.compile(r"[^\s\[\]{},:#'\"]+")


def written_names(raw: bytes) -> set[str]:
    """Every word of a facts file that failed to load, as the fact ids and tags it may define.

    References to them are not reported again: one YAML mistake is one error, not one more for
    each fact the file holds (a word that is no id there only hides a mistake while that file is broken).
    """
    words = set(NAME_RE.findall(raw.decode("utf-8", "replace")))
    return {f"{kind}:{word}" for word in words for kind in ("fact", "tag")}


def load_site(options: Options, cache: Cache | None = None) -> tuple[Site | None, list[Problem]]:
    """Read site.yaml and every content file; return the site (None if unreadable) and problems.

    With a cache (the preview server's), files whose bytes are unchanged since the last load are not parsed again.
    """
    section = cache.section("load") if cache is not None else None
    if section is not None:
        section.start()
    reader = SiteReader(options, section)
    if not options.content_dir.is_dir():
        shown = reader.show(options.content_dir)
        return None, [Problem(shown, 0, "content folder not found",
                              f"run from the folder holding content/, pass --content PATH, or start a new site with "
                              f"`{options.program} new DIR`")]
    config = reader.config()
    assets = reader.assets()
    sources = reader.sources()
    groups, facts = reader.facts()
    terms = reader.terms()
    pages = reader.pages()
    if section is not None:
        section.sweep()  # deleted files
    if config is None:
        return None, reader.problems
    site = Site.assemble(config, sources, groups, facts, terms, pages, frozenset(reader.broken), reader.digests, assets, reader.paths)
    return site, reader.problems
