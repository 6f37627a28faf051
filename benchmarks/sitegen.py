"""Write the generated benchmark site (`corpus.py`) in the format of each tool: the same pages for all.

Usage: python benchmarks/sitegen.py OUT_DIR [--pages N] [--tools explainer,hugo,...]

Writes OUT_DIR/<tool>/ for explainer (content/ and the sources' archive/), Hugo, Eleventy, MkDocs,
Pelican and the Python floor (`floor.py`). explainer gets the references (`[[fact:…]]`, `[[term:…]]`,
`[[cite:…]]`, `[[quote:…]]`) and its facts, glossary and sources; every peer gets the same pages as
plain Markdown with the references written out (fact cards as quotations, links as links), a home
page listing them, a glossary page and a facts page, and one minimal template: everything optional off.
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from corpus import FACT_GROUPS, Corpus, Fact, make_corpus

TOOLS = ("explainer", "hugo", "eleventy", "mkdocs", "pelican", "floor")
BASE_URL = "https://example.org/bench/"
XREF_RE = re.compile(r"\[\[([a-z-]+)(?::([^\]|\n]*))?(?:\|([^\]\n]*))?\]\]")
ROOT_LINK_RE = re.compile(r"\]\(/([a-z0-9-]*)/?(#[^)\s]*)?\)")
TEMPLATE = ('<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>{title}</title></head>'
            "<body><main><h1>{title}</h1>{content}</main></body></html>\n")


@dataclass(frozen=True, slots=True)
class PlainPage:
    """A page for the peers: CommonMark whose site links are written from the root (`/page-0042/`); slug '' is the home page."""

    slug: str
    title: str
    order: int
    body: str


def write(path: Path, text: str) -> None:
    """Write UTF-8 text, making folders as needed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def q(text: str) -> str:
    """Return text as a double-quoted YAML scalar (JSON strings are YAML)."""
    return json.dumps(text, ensure_ascii=False)


def block(text: str, indent: int) -> str:
    """Return Markdown as a YAML literal block scalar at this indentation."""
    pad = " " * indent
    return "|\n" + "".join(f"{pad}{line}\n" if line else "\n" for line in text.rstrip("\n").split("\n"))


# -- explainer -------------------------------------------------------------------------------------


def write_explainer(root: Path, corpus: Corpus) -> None:
    """Write content/ (site.yaml, glossary, sources, facts, pages) and archive/ for explainer."""
    content = root / "content"
    first = corpus.pages[0].slug
    write(content / "site.yaml", f"title: 생성된 해설\ndescription: {q(corpus.pages[0].summary)}\nlanguage: ko\nbase_url: {BASE_URL}\n"
          f"copyright: © 생성된 사이트\nnav: [{first}, facts, glossary, sources]\n"
          f"key_facts: [{', '.join(f.id for f in corpus.facts[:5])}]\nintro: {q(corpus.pages[-1].summary)}\n")
    for term in corpus.terms:
        text = f"term: {q(term.term)}\nen: {q(term.en)}\naliases: [{q(term.alias)}]\nshort: {q(term.short)}\n"
        text += f"body: {block(term.body, 2)}" if term.body else ""
        text += f"related: [{', '.join(term.related)}]\n" if term.related else ""
        write(content / "glossary" / f"{term.id}.yaml", text)
    for source in corpus.sources:
        write(root / "archive" / f"{source.id}.txt", source.archive)
        excerpts = "".join(f"  - id: {e.id}\n    text: {q(e.text)}\n" for e in source.excerpts)
        write(content / "sources" / f"{source.id}.yaml",
              f"title: {q(source.title)}\noutlet: {q(source.outlet)}\nauthor: {q(source.author)}\npublished: {source.published}\n"
              f"language: {source.language}\nurl: https://example.org/news/{source.id}\narchive: archive/{source.id}.txt\n"
              f"excerpts:\n{excerpts}")
    for group in range(1, FACT_GROUPS + 1):
        facts = "".join(_fact_yaml(f) for f in corpus.facts if f.group == group)
        write(content / "facts" / f"group-{group:02d}.yaml",
              f"title: 사실 묶음 {group}\norder: {group}\nintro: {q(corpus.pages[0].summary)}\nfacts:\n{facts}")
    for page in corpus.pages:
        write(content / "pages" / f"{page.slug}.md",
              f"---\ntitle: {q(page.title)}\nsummary: {q(page.summary)}\norder: {page.order}\n---\n\n{page.body}")


def _fact_yaml(fact: Fact) -> str:
    text = f"  - id: {fact.id}\n    claim: {q(fact.claim)}\n    evidence: [{', '.join(fact.evidence)}]\n"
    text += f"    when: {fact.when}\n" if fact.when else ""
    text += f"    tags: [{', '.join(fact.tags)}]\n" if fact.tags else ""
    text += f"    disagreement: {q(fact.disagreement)}\n" if fact.disagreement else ""
    return text


# -- the same pages as plain Markdown --------------------------------------------------------------


def plain_pages(corpus: Corpus) -> list[PlainPage]:
    """Return the home page, every page with its references written out, the glossary and the facts, as plain Markdown."""
    pages = [PlainPage(p.slug, p.title, p.order, written_out(corpus, p.body)) for p in corpus.pages]
    glossary = "".join(f"## {t.term}\n\n**{t.en}**, {t.alias}: {t.short}\n\n" for t in corpus.terms)
    facts = "".join(f"## 사실 묶음 {g}\n\n" + "".join(f"- {f.claim} ({_outlets(corpus, f.evidence)})\n" for f in corpus.facts if f.group == g)
                    + "\n" for g in range(1, FACT_GROUPS + 1))
    extra = [PlainPage("glossary", "용어집", len(pages) + 1, glossary), PlainPage("facts", "사실", len(pages) + 2, facts)]
    return [home(pages + extra), *pages, *extra]


def home(pages: list[PlainPage]) -> PlainPage:
    """Return the home page: a list of every page."""
    return PlainPage("", "생성된 해설", 0, "".join(f"- [{p.title}](/{p.slug}/)\n" for p in pages))


def _outlets(corpus: Corpus, evidence: tuple[str, ...]) -> str:
    return ", ".join(corpus.excerpt(key)[0].outlet for key in evidence)


def written_out(corpus: Corpus, body: str) -> str:
    """Replace explainer's references by what a reader sees, as plain Markdown."""

    def card(fact_id: str) -> str:
        fact = corpus.fact(fact_id)
        quotes = "".join(f"\n>\n> “{e.text}” ({s.outlet})" for s, e in map(corpus.excerpt, fact.evidence))
        return f"> **사실** {fact.claim}{quotes}"

    def replace(match: re.Match[str]) -> str:
        kind, target, label = match.group(1), match.group(2) or "", match.group(3)
        if kind == "fact":
            return f"[{label}](/facts/#{target})" if label else card(target)
        if kind == "term":
            return f"[{label or corpus.term(target).term}](/glossary/#{target})"
        source, excerpt = corpus.excerpt(target)
        if kind == "cite":
            return f" ({source.outlet})"
        standalone = match.start() == 0 or body[match.start() - 1] == "\n"
        return f"> “{excerpt.text}” ({source.outlet})" if standalone else f"“{excerpt.text}”"

    return XREF_RE.sub(replace, body)


def relinked(body: str, link: Callable[[str, str], str]) -> str:
    """Rewrite site links `](/slug/#anchor)` with link(slug, anchor)."""
    return ROOT_LINK_RE.sub(lambda m: f"]({link(m.group(1), m.group(2) or '')})", body)


def front_matter(page: PlainPage) -> str:
    """Return YAML front matter with the page's title."""
    return f"---\ntitle: {q(page.title)}\n---\n\n"


def write_hugo(root: Path, pages: list[PlainPage]) -> None:
    """Write a Hugo site: one layout, no taxonomies, feeds, sitemap, robots or 404, no highlighting."""
    write(root / "hugo.toml", 'baseURL = "http://127.0.0.1/"\ntitle = "Generated"\nlanguageCode = "ko"\n'
          'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]\n'
          "[markup.highlight]\ncodeFences = false\n")
    layout = TEMPLATE.format(title="{{ .Title }}", content="{{ .Content }}")
    for name in ("single.html", "list.html"):
        write(root / "layouts" / "_default" / name, layout)
    for page in pages:
        name = "_index.md" if not page.slug else f"{page.slug}.md"
        write(root / "content" / name, f"---\ntitle: {q(page.title)}\nweight: {page.order}\n---\n\n{page.body}")


def write_eleventy(root: Path, pages: list[PlainPage]) -> None:
    """Write an Eleventy site: one Nunjucks layout, Markdown not run through a template engine."""
    write(root / "eleventy.config.js", "export default function () {\n"
          '  return { dir: { input: "src", output: "_site" }, markdownTemplateEngine: false };\n}\n')
    write(root / "package.json", '{ "name": "generated-bench", "private": true, "type": "module" }\n')
    write(root / "src" / "_includes" / "page.njk", TEMPLATE.format(title="{{ title }}", content="{{ content | safe }}"))
    write(root / "src" / "src.json", '{ "layout": "page.njk" }\n')
    for page in pages:
        write(root / "src" / f"{page.slug or 'index'}.md", front_matter(page) + page.body)


def write_mkdocs(root: Path, pages: list[PlainPage]) -> None:
    """Write an MkDocs site: a one-template theme of its own, no plugins (so no search)."""
    write(root / "mkdocs.yml", "site_name: Generated\nsite_url: http://127.0.0.1/\nuse_directory_urls: true\n"
          "theme:\n  name: null\n  custom_dir: theme\nplugins: []\n")
    write(root / "theme" / "main.html", TEMPLATE.format(title="{{ page.title }}", content="{{ page.content }}"))

    def link(slug: str, anchor: str) -> str:
        return f"{slug or 'index'}.md{anchor}"

    for page in pages:
        write(root / "docs" / f"{page.slug or 'index'}.md", f"# {page.title}\n\n{relinked(page.body, link)}")


def write_pelican(root: Path, pages: list[PlainPage]) -> None:
    """Write a Pelican site: pages only, one template of its own, no feeds, archives, tags or highlighting."""
    write(root / "pelicanconf.py", PELICAN_CONFIG)
    layout = TEMPLATE.format(title="{{ page.title }}", content="{{ page.content }}")
    write(root / "theme" / "templates" / "page.html", layout)
    write(root / "theme" / "templates" / "article.html", layout.replace("page.", "article."))
    for page in pages:
        meta = f"Title: {page.title}\nSlug: {page.slug or 'index'}\n" + ("Save_as: index.html\nUrl: \n" if not page.slug else "")
        write(root / "content" / "pages" / f"{page.slug or 'index'}.md", f"{meta}\n{page.body}")


PELICAN_CONFIG = """\
SITENAME = "Generated"
SITEURL = ""
PATH = "content"
THEME = "theme"
TIMEZONE = "UTC"
DEFAULT_LANG = "ko"
PAGE_PATHS = ["pages"]
ARTICLE_PATHS = []
STATIC_PATHS = []
THEME_STATIC_PATHS = []
DIRECT_TEMPLATES = []
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
DISPLAY_PAGES_ON_MENU = False
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
CATEGORY_SAVE_AS = ""
TAG_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
CACHE_CONTENT = False
LOAD_CONTENT_CACHE = False
MARKDOWN = {"extension_configs": {"markdown.extensions.tables": {}, "markdown.extensions.fenced_code": {}}, "output_format": "html5"}
"""


def write_floor(root: Path, pages: list[PlainPage]) -> None:
    """Write the Python floor's input: Markdown with front matter, and its one Jinja template."""
    write(root / "page.html", TEMPLATE.format(title="{{ title }}", content="{{ content }}"))
    for page in pages:
        write(root / "src" / f"{page.slug or 'index'}.md", front_matter(page) + page.body)


PEERS: dict[str, Callable[[Path, list[PlainPage]], None]] = {
    "hugo": write_hugo, "eleventy": write_eleventy, "mkdocs": write_mkdocs, "pelican": write_pelican, "floor": write_floor,
}


# -- the flagship, for latency.py ------------------------------------------------------------------


def flagship_pages(content_dir: Path) -> list[PlainPage]:
    """The flagship's pages as plain Markdown for the peers: the same text, `[[…]]` references written out."""
    from explainer.content.load import load_site
    from explainer.model import Options

    site, _ = load_site(Options(content_dir, content_dir.parent / "site"))
    assert site is not None, "the flagship content does not load"

    def written(match: re.Match[str]) -> str:
        kind, target, label = match.group(1), (match.group(2) or "").strip(), (match.group(3) or "").strip()
        if label:
            return label
        if kind == "fact":
            return str(site.fact_by_id[target].claim.text)
        if kind in ("quote", "cite"):
            source, _, excerpt_id = target.partition("#")
            excerpt = site.source_by_id[source].excerpt(excerpt_id)
            return f"“{excerpt.text}”" if kind == "quote" and excerpt else f"[{source}]"
        if kind == "term":
            return str(site.term_by_id[target].term)
        return "\n".join(f"- {f.when.iso()}: {f.claim.text}" for f in site.facts if f.when)

    def md(text: str) -> str:
        return XREF_RE.sub(written, text)

    pages = [PlainPage(p.slug, p.title, i, md(p.body.text)) for i, p in enumerate(site.pages, start=1)]
    facts = "\n\n".join(f"## {g.title}\n\n" + "\n".join(f"- {md(f.claim.text)}" for f in site.facts if f.group == g.id)
                        for g in site.groups)
    pages.append(PlainPage("facts", "facts", len(pages) + 1, facts + "\n"))
    for term in site.terms:
        pages.append(PlainPage(f"glossary-{term.id}", term.term, len(pages) + 1, f"{term.short}\n\n{md(term.body.text) if term.body else ''}\n"))
    for source in site.sources:
        quotes = "\n\n".join(f"> {e.text}" for e in source.excerpts)
        pages.append(PlainPage(f"sources-{source.id}", source.title or source.outlet, len(pages) + 1, quotes + "\n"))
    glossary = "".join(f"**{t.term}**: {t.short}\n\n" for t in site.terms)
    pages.append(PlainPage("glossary", "Glossary", len(pages) + 1, glossary))
    return [home(pages), *pages]


def write_flagship(out: Path, content_dir: Path, tools: tuple[str, ...] = ("hugo", "eleventy", "mkdocs")) -> None:
    """Write the flagship's text in each peer's format under out/<tool>/."""
    pages = flagship_pages(content_dir)
    for tool in tools:
        PEERS[tool](out / tool, pages)


def generate(out: Path, pages: int = 1000, tools: tuple[str, ...] = TOOLS) -> None:
    """Write the generated site in each tool's format under out/<tool>/."""
    corpus = make_corpus(pages)
    plain = plain_pages(corpus) if set(tools) - {"explainer"} else []
    for tool in tools:
        if tool == "explainer":
            write_explainer(out / tool, corpus)
        else:
            PEERS[tool](out / tool, plain)


def main() -> None:
    """Parse arguments and write the site."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="folder to write into (one subfolder per tool)")
    parser.add_argument("--pages", type=int, default=1000, help="number of pages (default 1000)")
    parser.add_argument("--tools", default=",".join(TOOLS), help=f"comma-separated, of {', '.join(TOOLS)} (default all)")
    args = parser.parse_args()
    generate(args.out, args.pages, tuple(args.tools.split(",")))


if __name__ == "__main__":
    main()
