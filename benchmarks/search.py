"""Search quality and cost: explainer's keyed Pagefind index against plain Pagefind, same pages, same run.

    .venv/bin/python benchmarks/search.py [--verbose] [--repeat 3]

The test set (benchmarks/search_set.yaml): pages cut from the five source articles
(../shared/articles, or $EXPLAINER_ARTICLES) without their page furniture; queries are every
form of a small glossary (display form, English form, aliases, spacing variants) and names
from the articles. A page is relevant to a query when the word stands alone in it or with a
particle (korean.PARTICLES) attached, with any spacing between its words. Two judgements:
"term": for a glossary form, the word is any form of that term (Frenemy is looking for
프레너미 too; what the issue asks for); "literal": the word is the query as typed. The judge
is a regular expression written here, not the search code.

Both indexes are built from the same pages with Pagefind 1.x (forced to one language, Korean),
then searched in headless Chromium through Pagefind's browser API: plain Pagefind with the
query as typed, explainer's with the query turned into keys by templates/static/search.js.
Every result counts (no cut-off). Prints precision and recall (micro: over all results;
macro: the mean per query), index sizes and indexing times; nothing here is part of the tests.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from explainer.model import (  # noqa: E402
    Loc,
    Output,
    Term,
)
from explainer.search.bundle import build_bundle  # noqa: E402
from explainer.search.pagefind import kept, run_pagefind  # noqa: E402
from explainer.text.korean import PARTICLES, is_hangul_syllable  # noqa: E402
from siteserver import serve_site  # noqa: E402
from tools import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

SET = Path(__file__).resolve().parent / "search_set.yaml"
ARTICLES = Path(os.environ.get("EXPLAINER_ARTICLES", ROOT.parent / "shared" / "articles"))
SHORT_LINE = 40
LONG_PARAGRAPH = 140
SENTENCE_END = re.compile(r"(?<=[.?!”’\"])\s+")
PROGRAM_FILES = ("pagefind.js", "pagefind-worker.js", ".pagefind")  # Pagefind's code, the same for any site


# ---- the test set ---------------------------------------------------------------------------

def article_lines(text: str, spec: dict[str, Any]) -> list[str]:
    """Return the article's lines from `from` up to `to`, less the dropped ones and blank lines."""
    start = text.index(spec["from"])
    end = text.index(spec["to"], start) if spec.get("to") else len(text)
    drop = set(spec.get("drop", []))
    lines = [" ".join(line.split()) for line in text[start:end].splitlines()]
    return [line for line in lines if line and line not in drop]


def cut_pages(lines: list[str]) -> list[str]:
    """Join short lines to the paragraph after them; cut long paragraphs at sentence ends."""
    paragraphs: list[str] = []
    pending = ""
    for line in lines:
        if len(line) < SHORT_LINE:
            pending = f"{pending} {line}".strip()
            continue
        paragraphs.append(f"{pending} {line}".strip())
        pending = ""
    if pending:
        paragraphs.append(pending)
    pages: list[str] = []
    for paragraph in paragraphs:
        piece = ""
        for sentence in SENTENCE_END.split(paragraph):
            if piece and len(piece) + len(sentence) > LONG_PARAGRAPH:
                pages.append(piece)
                piece = ""
            piece = f"{piece} {sentence}".strip()
        if piece:
            pages.append(piece)
    return pages


@dataclass(frozen=True)
class Query:
    text: str
    forms: tuple[str, ...]  # the forms a relevant page contains (any one of them), judged by term
    kind: str  # "term", "variant" or "name"

    @property
    def literal(self) -> tuple[str, ...]:
        return (self.text,)


@dataclass
class TestSet:
    pages: dict[str, str]  # page id -> text
    terms: list[Term]
    queries: list[Query]


def load_set() -> TestSet:
    spec = yaml.safe_load(SET.read_text(encoding="utf-8"))
    pages: dict[str, str] = {}
    for number, (name, article) in enumerate(spec["articles"].items()):
        text = unicodedata.normalize("NFC", (ARTICLES / name).read_text(encoding="utf-8"))
        for index, page in enumerate(cut_pages(article_lines(text, article))):
            pages[f"a{number}-{index:02d}"] = page
    terms: list[Term] = []
    queries: list[Query] = []
    forms_of: dict[str, tuple[str, ...]] = {}
    for index, entry in enumerate(spec["glossary"]):
        term = Term(f"t{index}", entry["term"], entry.get("en", ""), tuple(entry.get("aliases", [])), "", None, (), (), True,
                    Loc(SET, 0))
        terms.append(term)
        for form in term.forms:
            forms_of[compact(form)] = term.forms
            queries.append(Query(form, term.forms, "term"))
    for variant in spec["spacing_variants"]:
        queries.append(Query(variant, forms_of[compact(variant)], "variant"))
    queries += [Query(name, (name,), "name") for name in spec["names"]]
    return TestSet(pages, terms, queries)


def compact(text: str) -> str:
    return "".join(re.findall(r"[^\W_]+", text.lower()))


# ---- the judge: does a page hold the word, alone or with a particle? ------------------------------

PARTICLE_ALTERNATION = "|".join(re.escape(p) for p in sorted(PARTICLES, key=len, reverse=True))


def form_pattern(form: str) -> re.Pattern[str]:
    """The form standing alone, then nothing word-like or a particle; its spacing free wherever Hangul is
    beside another letter (AI 얼라이언스 = AI얼라이언스, 오픈소스 = 오픈 소스), Latin words kept whole."""
    body = ""
    letters = form.strip()
    for index, char in enumerate(letters):
        if char.isspace():
            continue
        before = next((c for c in reversed(letters[:index]) if not c.isspace()), "")
        if before and (letters[index - 1].isspace() or is_hangul_syllable(before) or is_hangul_syllable(char)):
            body += r"\s*"
        body += re.escape(char)
    return re.compile(rf"(?<![^\W_])(?:{body})(?:{PARTICLE_ALTERNATION})?(?![^\W_])", re.IGNORECASE)


def relevant(forms: tuple[str, ...], pages: dict[str, str]) -> set[str]:
    patterns = [form_pattern(form) for form in forms]
    return {page for page, text in pages.items() if any(p.search(text) for p in patterns)}


# ---- the two indexes ------------------------------------------------------------------------

def page_html(text: str) -> str:
    return f'<!doctype html>\n<html lang="ko"><head><meta charset="utf-8"></head><body><main><p>{escape(text)}</p></main></body></html>\n'


@dataclass
class Built:
    seconds: list[float] = field(default_factory=list)
    index_bytes: int = 0  # index, metadata and fragments; not Pagefind's program files
    files: int = 0


def build_plain(pages: dict[str, str], site: Path, repeat: int) -> Built:
    built = Built()
    source = site.parent / "plain-source"
    for page, text in pages.items():
        (source / "p" / page).mkdir(parents=True, exist_ok=True)
        (source / "p" / page / "index.html").write_text(page_html(text), encoding="utf-8")
    for _ in range(repeat):
        shutil.rmtree(site / "pagefind", ignore_errors=True)
        started = time.perf_counter()
        run_pagefind(source, site / "pagefind", "ko")
        built.seconds.append(time.perf_counter() - started)
    for path in (site / "pagefind").rglob("*"):
        if path.is_file() and not kept(path.name):
            path.unlink()
    measure(site / "pagefind", built)
    return built


def build_keyed(pages: dict[str, str], terms: list[Term], site: Path, repeat: int) -> Built:
    built = Built()
    outputs = [Output(f"p/{page}/index.html", page_html(text).encode("utf-8")) for page, text in pages.items()]
    bundle = None
    for _ in range(repeat):
        started = time.perf_counter()
        bundle = build_bundle(outputs, terms, {}, "ko")
        built.seconds.append(time.perf_counter() - started)
    assert bundle is not None
    for output in bundle.outputs:
        target = site / output.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(output.content)
    measure(site / "pagefind", built)
    return built


def measure(bundle: Path, built: Built) -> None:
    files = [p for p in bundle.rglob("*") if p.is_file() and not p.name.endswith(PROGRAM_FILES)]
    built.index_bytes = sum(p.stat().st_size for p in files)
    built.files = len(files)


# ---- searching in Chromium --------------------------------------------------------------------

PLAIN_SEARCH = """async (queries) => {
  const pagefind = await import(new URL('pagefind/pagefind.js', document.baseURI).href);
  await pagefind.options({ basePath: new URL('pagefind/', document.baseURI).href });
  const found = {};
  for (const query of queries) {
    const search = await pagefind.search(query);
    const data = await Promise.all(search.results.map((r) => r.data()));
    found[query] = data.map((d) => d.url.split('/p/')[1].replace(/\\/$/, ''));
  }
  return found;
}"""

KEYED_SEARCH = """async (queries) => {
  const engine = new window.explainerSearch.Engine('pagefind/', '');
  const found = {};
  for (const query of queries) {
    const search = await engine.search(query);
    const results = await search.page(0, search.total);
    found[query] = results.map((r) => r.url.replace(/^p\\//, '').replace(/\\/$/, ''));
  }
  return found;
}"""


def run_queries(root: Path, queries: list[str]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    from playwright.sync_api import sync_playwright

    harness = '<!doctype html><html lang="ko"><head><meta charset="utf-8"><script src="../search.js"></script></head><body></body></html>'
    for name in ("plain", "keyed"):
        (root / name / "index.html").write_text(harness, encoding="utf-8")
    shutil.copy(ROOT / "templates" / "static" / "search.js", root / "search.js")
    with serve_site(root, "/bench/") as served, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        results = []
        for name, script in (("plain", PLAIN_SEARCH), ("keyed", KEYED_SEARCH)):
            page = browser.new_page()
            page.goto(f"{served.url}{name}/")
            results.append(page.evaluate(script, queries))
            page.close()
        browser.close()
    return results[0], results[1]


# ---- scoring ----------------------------------------------------------------------------------

@dataclass
class Score:
    retrieved: int = 0
    relevant: int = 0
    hits: int = 0
    precisions: list[float] = field(default_factory=list)
    recalls: list[float] = field(default_factory=list)

    def add(self, found: set[str], wanted: set[str]) -> None:
        hits = len(found & wanted)
        self.retrieved += len(found)
        self.relevant += len(wanted)
        self.hits += hits
        self.precisions.append(hits / len(found) if found else 1.0)
        self.recalls.append(hits / len(wanted) if wanted else 1.0)

    def row(self) -> str:
        micro_p = self.hits / self.retrieved if self.retrieved else 1.0
        micro_r = self.hits / self.relevant if self.relevant else 1.0
        return (f"{micro_p:9.3f} {micro_r:7.3f} {statistics.mean(self.precisions):9.3f} {statistics.mean(self.recalls):7.3f}"
                f" {self.retrieved:9d} {self.hits:5d}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--verbose", action="store_true", help="list every query whose results differ from the relevant pages")
    parser.add_argument("--repeat", type=int, default=3, help="index builds to time (median shown)")
    args = parser.parse_args()
    test = load_set()
    judged = {"term": {q.text: relevant(q.forms, test.pages) for q in test.queries},
              "literal": {q.text: relevant(q.literal, test.pages) for q in test.queries}}
    print(f"{len(test.pages)} pages from {ARTICLES}, {len(test.queries)} queries "
          f"({sum(q.kind == 'term' for q in test.queries)} glossary forms, {sum(q.kind == 'variant' for q in test.queries)} "
          f"spacing variants, {sum(q.kind == 'name' for q in test.queries)} names); relevant pairs: "
          f"{sum(map(len, judged['term'].values()))} by term, {sum(map(len, judged['literal'].values()))} literal")
    with tempfile.TemporaryDirectory(prefix="search-bench-") as temp:
        root = Path(temp)
        plain = build_plain(test.pages, root / "plain", args.repeat)
        keyed = build_keyed(test.pages, test.terms, root / "keyed", args.repeat)
        plain_found, keyed_found = run_queries(root, [q.text for q in test.queries])
    systems = (("plain Pagefind", plain_found), ("explainer (keys)", keyed_found))
    print()
    print(f"{'judged':8} {'index':18} {'precision':>9} {'recall':>7} {'macro P':>9} {'macro R':>7} {'retrieved':>9} {'hits':>5}")
    for judgement, wanted in judged.items():
        for name, found in systems:
            score = Score()
            for query in test.queries:
                score.add(set(found[query.text]), wanted[query.text])
            print(f"{judgement:8} {name:18} {score.row()}")
    print()
    print(f"{'index':18} {'index size':>11} {'files':>6} {'indexing (median of ' + str(args.repeat) + ')':>26}")
    for name, built in (("plain Pagefind", plain), ("explainer (keys)", keyed)):
        print(f"{name:18} {built.index_bytes / 1024:9.1f} KiB {built.files:6d} {statistics.median(built.seconds):24.2f} s")
    print(f"ratios, explainer / plain: index size {keyed.index_bytes / plain.index_bytes:.2f}, "
          f"indexing time {statistics.median(keyed.seconds) / statistics.median(plain.seconds):.2f}")
    if args.verbose:
        for judgement, wanted in judged.items():
            print(f"\njudged {judgement}: results that differ from the relevant pages")
            for query in test.queries:
                for name, found in (("plain", plain_found), ("keys", keyed_found)):
                    got = set(found[query.text])
                    extra, missed = sorted(got - wanted[query.text]), sorted(wanted[query.text] - got)
                    if extra or missed:
                        print(f"{query.text!r:24} {name:5} extra {extra} missed {missed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
