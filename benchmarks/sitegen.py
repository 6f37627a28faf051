"""Generate a large test site (default 1,000 pages of 600-900 words, with a glossary) in the formats
of explainer, Hugo, Eleventy and MkDocs, from one seeded random stream: the same pages for every tool.

Usage: python benchmarks/sitegen.py OUT_DIR [--pages N]
Writes OUT_DIR/explainer/content/, OUT_DIR/hugo/, OUT_DIR/eleventy/ and OUT_DIR/mkdocs/.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

SEED = 20231205
SYLLABLES = ("ka", "lo", "mi", "ra", "te", "su", "no", "vi", "da", "pe", "zo", "ri", "ban", "tor", "mel", "quin", "sa", "fu", "gre", "ol")
TERMS = 40
TOOLS = ("explainer", "hugo", "eleventy", "mkdocs")


@dataclass(frozen=True)
class GenPage:
    slug: str
    title: str
    summary: str
    order: int
    body: str  # Markdown, plain CommonMark every tool reads alike


@dataclass(frozen=True)
class GenTerm:
    id: str
    term: str
    short: str


def make_word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3)))


def make_content(pages: int) -> tuple[list[GenPage], list[GenTerm]]:
    """Return the pages and glossary terms, the same for every seed run."""
    rng = random.Random(SEED)
    vocabulary = sorted({make_word(rng) for _ in range(600)})
    terms = [GenTerm(f"term-{i:02d}", f"{make_word(rng).capitalize()}{i:02d}",
                     f"A made-up concept number {i} used to exercise glossary links.") for i in range(TERMS)]
    out: list[GenPage] = []
    for number in range(1, pages + 1):
        words_target = rng.randint(600, 900)
        paragraphs: list[str] = []
        count = 0
        while count < words_target:
            if paragraphs and rng.random() < 0.2:
                paragraphs.append("## " + " ".join(rng.choice(vocabulary) for _ in range(3)).capitalize())
            sentences = []
            for _ in range(rng.randint(3, 6)):
                words = [rng.choice(vocabulary) for _ in range(rng.randint(8, 16))]
                if rng.random() < 0.3:
                    words[rng.randrange(len(words))] = rng.choice(terms).term
                sentences.append(" ".join(words).capitalize() + ".")
                count += len(words)
            paragraphs.append(" ".join(sentences))
        title = f"Page {number}: " + " ".join(rng.choice(vocabulary) for _ in range(3))
        summary = " ".join(rng.choice(vocabulary) for _ in range(10)).capitalize() + "."
        out.append(GenPage(f"page-{number:04d}", title, summary, number, "\n\n".join(paragraphs) + "\n"))
    return out, terms


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def write_explainer(root: Path, pages: list[GenPage], terms: list[GenTerm]) -> None:
    content = root / "content"
    write(content / "site.yaml", "title: Generated\ndescription: A generated site for benchmarks.\nlanguage: en\n"
          "base_url: https://example.org/bench/\ncopyright: © Generated\n"
          f"nav: [{pages[0].slug}, facts, glossary, sources]\n")
    for term in terms:
        write(content / "glossary" / f"{term.id}.yaml", f"term: {term.term}\nshort: {term.short}\n")
    for page in pages:
        write(content / "pages" / f"{page.slug}.md",
              f"---\ntitle: \"{page.title}\"\nsummary: \"{page.summary}\"\norder: {page.order}\n---\n\n{page.body}")


def write_hugo(root: Path, pages: list[GenPage], terms: list[GenTerm]) -> None:
    write(root / "hugo.toml", 'baseURL = "http://127.0.0.1/"\ntitle = "Generated"\ndisableKinds = ["taxonomy", "term", "RSS"]\n'
          "[markup.goldmark.renderer]\nunsafe = false\n")
    write(root / "layouts" / "_default" / "baseof.html",
          '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>'
          "<body><main>{{ block \"main\" . }}{{ end }}</main></body></html>\n")
    write(root / "layouts" / "_default" / "single.html", '{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}\n')
    write(root / "layouts" / "_default" / "list.html",
          '{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">'
          "{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n")
    write(root / "content" / "_index.md", "---\ntitle: Generated\n---\n")
    write(root / "content" / "glossary.md", "---\ntitle: Glossary\n---\n\n" + glossary_markdown(terms))
    for page in pages:
        title = json.dumps(page.title, ensure_ascii=False)
        write(root / "content" / f"{page.slug}.md", f"---\ntitle: {title}\nweight: {page.order}\n---\n\n{page.body}")


def write_eleventy(root: Path, pages: list[GenPage], terms: list[GenTerm]) -> None:
    write(root / "eleventy.config.js", 'export default function (config) {\n  return { dir: { input: "src", output: "_site" } };\n}\n')
    write(root / "package.json", '{ "name": "generated-bench", "private": true, "type": "module" }\n')
    write(root / "src" / "_includes" / "page.njk",
          '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title></head>'
          "<body><main><h1>{{ title }}</h1>{{ content | safe }}</main></body></html>\n")
    write(root / "src" / "src.json", '{ "layout": "page.njk" }\n')
    write(root / "src" / "index.md", "---\ntitle: Generated\n---\n\n" + "".join(f"- [{p.title}]({p.slug}/)\n" for p in pages))
    write(root / "src" / "glossary.md", "---\ntitle: Glossary\n---\n\n" + glossary_markdown(terms))
    for page in pages:
        write(root / "src" / f"{page.slug}.md", f"---\ntitle: {json.dumps(page.title, ensure_ascii=False)}\n---\n\n{page.body}")


def write_mkdocs(root: Path, pages: list[GenPage], terms: list[GenTerm]) -> None:
    write(root / "mkdocs.yml", "site_name: Generated\nsite_url: http://127.0.0.1/\nuse_directory_urls: true\n")
    write(root / "docs" / "index.md", "# Generated\n\n" + "".join(f"- [{p.title}]({p.slug}.md)\n" for p in pages))
    write(root / "docs" / "glossary.md", "# Glossary\n\n" + glossary_markdown(terms))
    for page in pages:
        write(root / "docs" / f"{page.slug}.md", f"# {page.title}\n\n{page.body}")


def glossary_markdown(terms: list[GenTerm]) -> str:
    return "".join(f"**{t.term}**: {t.short}\n\n" for t in terms)


XREF_RE = re.compile(r"\[\[([a-z-]+)(?::([^\]|\n]*))?(?:\|([^\]\n]*))?\]\]")


def flagship_content(content_dir: Path) -> tuple[list[GenPage], list[GenTerm]]:
    """The flagship's pages as plain Markdown for the peers: the same text, `[[…]]` references written out."""
    from explainer.content.config import Options
    from explainer.content.load import load_site

    site, _ = load_site(Options(content_dir, content_dir.parent / "site"))
    assert site is not None, "the flagship content does not load"

    def written_out(match: re.Match[str]) -> str:
        kind, target, label = match.group(1), (match.group(2) or "").strip(), (match.group(3) or "").strip()
        if label:
            return label
        if kind == "fact":
            return site.fact_by_id[target].claim.text
        if kind in ("quote", "cite"):
            source, _, excerpt_id = target.partition("#")
            excerpt = site.source_by_id[source].excerpt(excerpt_id)
            return f"“{excerpt.text}”" if kind == "quote" and excerpt else f"[{source}]"
        if kind == "term":
            return site.term_by_id[target].term
        return "\n".join(f"- {f.when.iso()}: {f.claim.text}" for f in site.facts if f.when)

    def md(text: str) -> str:
        return XREF_RE.sub(written_out, text)

    pages = [GenPage(p.slug, p.title, p.summary, i, md(p.body.text)) for i, p in enumerate(site.pages, start=1)]
    facts = "\n\n".join(f"## {g.title}\n\n" + "\n".join(f"- {md(f.claim.text)}" for f in site.facts if f.group == g.id)
                        for g in site.groups)
    pages.append(GenPage("facts", "facts", "", len(pages) + 1, facts + "\n"))
    for term in site.terms:
        pages.append(GenPage(f"glossary-{term.id}", term.term, term.short, len(pages) + 1,
                             f"{term.short}\n\n{md(term.body.text) if term.body else ''}\n"))
    for source in site.sources:
        quotes = "\n\n".join(f"> {e.text}" for e in source.excerpts)
        pages.append(GenPage(f"sources-{source.id}", source.title or source.outlet, "", len(pages) + 1, quotes + "\n"))
    terms = [GenTerm(t.id, t.term, t.short) for t in site.terms]
    return pages, terms


def write_flagship(out: Path, content_dir: Path, tools: tuple[str, ...] = TOOLS[1:]) -> None:
    """Write the flagship's text in each peer's format under out/<tool>/."""
    pages, terms = flagship_content(content_dir)
    for tool in tools:
        WRITERS[tool](out / tool, pages, terms)


WRITERS = {"explainer": write_explainer, "hugo": write_hugo, "eleventy": write_eleventy, "mkdocs": write_mkdocs}


def generate(out: Path, pages: int = 1000, tools: tuple[str, ...] = TOOLS) -> None:
    """Write the generated site in each tool's format under out/<tool>/."""
    generated, terms = make_content(pages)
    for tool in tools:
        WRITERS[tool](out / tool, generated, terms)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="folder to write into (one subfolder per tool)")
    parser.add_argument("--pages", type=int, default=1000, help="number of pages (default 1000)")
    args = parser.parse_args()
    generate(args.out, args.pages)


if __name__ == "__main__":
    main()
