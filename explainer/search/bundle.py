"""The site's search index: Pagefind run over the rendered pages, with our keys for Korean.

`search_bundle` takes the rendered pages (in memory), turns each searchable page and each
fact into an index document whose words carry their keys (`searchkeys.py`), has Pagefind
index them in a private temporary folder, and returns Pagefind's files for `pagefind/`,
plus `pagefind/keys.json`, the table the browser turns queries into keys with. Only what
searching needs is kept (not Pagefind's own UI). The result is the same bytes for the same
pages: Pagefind names its files by content hashes, and the documents are written in build order.
"""

from __future__ import annotations

import gzip
import json
import subprocess
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

from ..errors import Cancelled, ExplainerError, never
from ..model import Site, Term
from ..render.pages import Output
from ..text.markdown import plain_text
from .documents import ReadCache, SearchDoc, search_documents
from .keys import SearchKeys

BUNDLE = "pagefind"
HEADWORD = "headword"  # the metadata field of a term's page that holds its forms
KEYS_FILE = "keys.json"
# Pagefind's files a search needs; the rest are its ready-made interfaces, which we do not use.
KEPT = ("pagefind.js", "pagefind-worker.js", "pagefind-entry.json")
KEPT_SUFFIXES = (".pf_meta", ".pf_index", ".pf_fragment", ".pf_filter", ".pagefind")  # all compressed
PAGEFIND_SECONDS = 600  # the longest an index may take before the build gives up on it
PAGEFIND_POLL = 0.02  # how often a running Pagefind is asked whether it is done (and told to stop when cancelled)

INSTALL_HINT = "install it with: pip install 'pagefind[bin]' (python build.py installs with the project: pip install -e .)"


class SearchUnavailable(ExplainerError):
    """Pagefind is missing or failed: the site cannot get its search index."""


@dataclass(frozen=True, slots=True)
class SearchBundle:
    """The search files of one build and what they cost."""

    outputs: tuple[Output, ...]
    documents: int
    size: int  # bytes, all files
    seconds: float


def index_html(doc: SearchDoc, keys: SearchKeys, language: str, headword: str = "") -> str:
    """Return the HTML Pagefind indexes for one result: its text with keys; title, link and kind as metadata.

    A term's page also gets its forms as the metadata field `headword`, which search.js weighs
    heavily, so that the term's page comes first for any of its forms.
    """
    parts = [f'<!doctype html>\n<html lang="{escape(language)}"><head><meta charset="utf-8"></head><body>\n<main data-pagefind-body>',
             meta("title", keys.index_text(doc.title)), meta("link", doc.url), meta("kind", doc.kind)]
    if headword:
        parts.append(meta(HEADWORD, keys.index_text(headword)))
    for block in doc.blocks:
        parts.append(f"<{block.tag}>{escape(keys.index_text(block.text), quote=False)}</{block.tag}>")
    parts.append("</main></body></html>\n")
    return "\n".join(parts)


def meta(name: str, value: str) -> str:
    """Return an element that gives Pagefind one metadata value (from an attribute: commas are safe there)."""
    return f'<span data-pagefind-meta="{name}[data-value]" data-value="{escape(value)}"></span>'


def document_path(doc: SearchDoc) -> str:
    """Return where a document is written for Pagefind: facts/#fact-x becomes facts/fact-x/index.html."""
    path, _, anchor = doc.url.partition("#")
    return f"{path}{anchor + '/' if anchor else ''}index.html"


class SearchCache:
    """What indexing keeps between builds of the preview server, so that an edit costs Pagefind's run only.

    Each page's reading (by its bytes), the glossary's keys (while the terms are the same) and
    each result's indexed HTML. One thread at a time may use it.
    """

    def __init__(self) -> None:
        self.read: ReadCache = {}
        self.terms: tuple[Term, ...] | None = None
        self.keys: SearchKeys | None = None
        self.html: dict[tuple[SearchDoc, str, str], str] = {}

    def keys_for(self, terms: Sequence[Term]) -> SearchKeys:
        if self.keys is None or self.terms != tuple(terms):
            self.terms, self.keys = tuple(terms), SearchKeys(terms)
            self.html.clear()  # indexed with the old keys
        return self.keys


def search_bundle(outputs: Sequence[Output], site: Site, cache: SearchCache | None = None,
                  cancelled: Callable[[], bool] = never) -> SearchBundle:
    """Index the rendered pages and facts with Pagefind; return the files for pagefind/.

    `cancelled` is asked now and then; when it says yes, indexing stops with errors.Cancelled.
    """
    titles = {fact.id: " ".join(plain_text(fact.claim).split()) for fact in site.facts}
    return build_bundle(outputs, site.terms, titles, site.config.language, cache or SearchCache(), cancelled)


def build_bundle(outputs: Sequence[Output], terms: Sequence[Term], fact_titles: Mapping[str, str], language: str,
                 cache: SearchCache, cancelled: Callable[[], bool] = never) -> SearchBundle:
    """Index rendered pages with the keys of `terms`; return the files for pagefind/ and what they cost."""
    started = time.perf_counter()
    keys = cache.keys_for(terms)
    docs = search_documents(outputs, fact_titles, cache.read)
    language = language.split("-")[0].lower()
    headwords = {f"glossary/{term.id}/": " ".join(term.forms) for term in terms}  # a term's page (see README: the output)
    indexed = {}
    for doc in docs:
        if cancelled():
            raise Cancelled
        found = (doc, language, headwords.get(doc.url, ""))
        indexed[found] = cache.html.get(found) or index_html(doc, keys, language, found[2])
    cache.html = indexed  # only what this build has, so the cache never outgrows the site
    with tempfile.TemporaryDirectory(prefix="explainer-search-") as temp:
        source, bundle = Path(temp, "documents"), Path(temp, "bundle")
        for (doc, _, _), html in indexed.items():
            target = source / document_path(doc)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(html, encoding="utf-8")
        run_pagefind(source, bundle, language, cancelled)
        files = [Output(f"{BUNDLE}/{path.relative_to(bundle).as_posix()}", path.read_bytes())
                 for path in sorted(bundle.rglob("*")) if path.is_file() and kept(path.name)]
    table = json.dumps(keys.query_table(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    files.append(Output(f"{BUNDLE}/{KEYS_FILE}", table.encode("utf-8")))
    return SearchBundle(tuple(files), len(docs), sum(len(f.content) for f in files), time.perf_counter() - started)


def kept(name: str) -> bool:
    """True for the Pagefind files searching needs."""
    return name in KEPT or name.endswith(KEPT_SUFFIXES)


def run_pagefind(source: Path, bundle: Path, language: str, cancelled: Callable[[], bool] = never) -> None:
    """Index every HTML file under `source` as one language; write the bundle to `bundle`.

    Pagefind's own program, run to its end (its Python library stops the program as soon as it
    answers "written", and under load files were then found still empty), or stopped when
    `cancelled` says so (errors.Cancelled).
    """
    try:
        from pagefind.service import get_executable
    except ImportError as missing:
        raise SearchUnavailable(f"the search index needs Pagefind, which is not installed; {INSTALL_HINT}") from missing
    program = get_executable()
    if program is None or not program.is_file():
        raise SearchUnavailable(f"the search index needs Pagefind's program ({program or 'pagefind'}), which is missing; {INSTALL_HINT}")
    command = [str(program), "--site", str(source), "--output-path", str(bundle), "--force-language", language, "--silent"]
    with tempfile.TemporaryFile() as said:  # a file, not a pipe: a pipe nobody reads may fill and stop the program
        try:
            process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=said, stderr=said)
        except OSError as failed:
            raise SearchUnavailable(f"Pagefind could not build the search index: {failed}") from failed
        deadline = time.monotonic() + PAGEFIND_SECONDS
        while True:
            try:
                code = process.wait(timeout=PAGEFIND_POLL)
                break
            except subprocess.TimeoutExpired:
                if cancelled() or time.monotonic() > deadline:
                    process.kill()
                    process.wait()
                    if cancelled():
                        raise Cancelled from None
                    raise SearchUnavailable(f"Pagefind took longer than {PAGEFIND_SECONDS} s and was stopped") from None
        said.seek(0)
        words = said.read().decode("utf-8", "replace").strip().splitlines()
    if code != 0:
        raise SearchUnavailable(f"Pagefind could not build the search index: {' '.join(words[-3:]) or f'it stopped with exit status {code}'}")
    problem = bundle_problem(bundle)
    if problem:
        raise SearchUnavailable(f"Pagefind did not write the whole search index ({problem}); build again")


def bundle_problem(bundle: Path) -> str:
    """Return what is not yet whole in the bundle ('' when all is): a file we keep that is empty or cut short."""
    for name in KEPT:
        path = bundle / name
        if not path.is_file() or path.stat().st_size == 0:
            return f"{name} is missing or empty"
    try:
        json.loads((bundle / "pagefind-entry.json").read_bytes())
    except ValueError:
        return "pagefind-entry.json is cut short"
    for path in sorted(bundle.rglob("*")):
        if path.is_file() and path.name.endswith(KEPT_SUFFIXES):
            try:
                whole = gzip.decompress(path.read_bytes()).startswith(b"pagefind_dcd")
            except (OSError, EOFError):
                whole = False
            if not whole:
                return f"{path.relative_to(bundle).as_posix()} is empty or cut short"
    return ""
