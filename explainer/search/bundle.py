"""The site's search index: Pagefind run over the rendered pages, with our keys for Korean.

`search_bundle` takes the rendered pages (in memory), turns each searchable page and each
fact into an index document whose words carry their keys (`keys.py`), has Pagefind
index them in a private temporary folder, and returns Pagefind's files for `pagefind/`,
plus `pagefind/keys.json`, the table the browser turns queries into keys with. Only what
searching needs is kept (not Pagefind's own UI). The result is the same bytes for the same
pages: Pagefind names its files by content hashes, and the documents are written in build order.
The entry file, which names all the others, comes last: a writer that writes in order never
publishes an entry naming files not yet written.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

from ..cache import Cache, Section, digest
from ..cancel import Cancelled, never
from ..model import Output, Site, Term
from ..output.swap import remove_soon
from ..text.markdown import plain_text
from .documents import BODY_ATTRIBUTE, FACTS_PAGE, SearchDoc, cached_read, page_document, search_documents
from .keys import SearchKeys
from .pagefind import ENTRY, Pagefind, kept, start_pagefind

BUNDLE = "pagefind"
HEADWORD = "headword"  # the metadata field of a term's page that holds its forms
KEYS_FILE = "keys.json"
ORIGIN = "the search index"


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


def search_bundle(outputs: Sequence[Output], site: Site, cache: Cache | None = None,
                  cancelled: Callable[[], bool] = never) -> SearchBundle:
    """Index the rendered pages and facts with Pagefind; return the files for pagefind/.

    `cancelled` is asked now and then; when it says yes, indexing stops with cancel.Cancelled.
    With a cache (its `search` section), the pages, keys and documents of an earlier index are reused while the same.
    """
    return start_search(outputs, site, cache, cancelled).finish(cancelled)


def start_search(outputs: Sequence[Output], site: Site, cache: Cache | None = None,
                 cancelled: Callable[[], bool] = never) -> PendingBundle:
    """Start indexing the rendered pages and facts: Pagefind runs in its own process while the build goes on (`finish`)."""
    titles = {fact.id: " ".join(plain_text(fact.claim).split()) for fact in site.facts}
    section = cache.section("search") if cache is not None else None
    return start_bundle(outputs, site.terms, titles, site.config.primary_language, section, cancelled)


def build_bundle(outputs: Sequence[Output], terms: Sequence[Term], fact_titles: Mapping[str, str], language: str,
                 cache: Section | None = None, cancelled: Callable[[], bool] = never) -> SearchBundle:
    """Index rendered pages with the keys of `terms` in `language` (ko, en); return the files for pagefind/ and what they cost."""
    return start_bundle(outputs, terms, fact_titles, language, cache, cancelled).finish(cancelled)


def start_bundle(outputs: Sequence[Output], terms: Sequence[Term], fact_titles: Mapping[str, str], language: str,
                 cache: Section | None = None, cancelled: Callable[[], bool] = never) -> PendingBundle:
    """Write the index documents of `build_bundle` into a private folder and start Pagefind on them."""
    started = time.perf_counter()
    if cache is not None:
        cache.start()
    keys = search_keys(terms, cache)
    docs = search_documents(outputs, fact_titles, cache, cancelled)
    headwords = term_headwords(terms)
    indexed: list[tuple[SearchDoc, str]] = []
    for doc in docs:
        if cancelled():
            raise Cancelled
        indexed.append((doc, document_html(doc, keys, language, headwords, cache)))
    if cache is not None:
        cache.sweep()  # only what this index has, so the cache never outgrows the site (and it is whole while Pagefind runs)
    temp = Path(tempfile.mkdtemp(prefix="explainer-search-"))
    try:
        source = temp / "documents"
        for doc, html in indexed:
            if cancelled():
                raise Cancelled
            target = source / document_path(doc)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(html, encoding="utf-8")
        running = start_pagefind(source, temp / "bundle", language)
    except BaseException:
        remove_soon(temp)
        raise
    return PendingBundle(running, temp, keys, len(docs), started)


class PendingBundle:
    """A search index being made: Pagefind runs in its own process while the build checks links and writes the site."""

    def __init__(self, running: Pagefind, temp: Path, keys: SearchKeys, documents: int, started: float) -> None:
        self.running, self.temp, self.keys, self.documents, self.started = running, temp, keys, documents, started
        self.left = False  # whether Pagefind's folder has been let go of (abandon)

    def finish(self, cancelled: Callable[[], bool] = never) -> SearchBundle:
        """Wait for Pagefind; return the files for pagefind/ (its own, then keys.json, the entry file last)."""
        try:
            self.running.wait(cancelled)
            bundle = self.running.bundle
            files = [Output(f"{BUNDLE}/{path.relative_to(bundle).as_posix()}", path.read_bytes(), ORIGIN)
                     for path in sorted(bundle.rglob("*")) if path.is_file() and kept(path.name)]
        finally:
            self.abandon()
        table = json.dumps(self.keys.query_table(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        files.append(Output(f"{BUNDLE}/{KEYS_FILE}", table.encode("utf-8"), ORIGIN))
        files.sort(key=lambda output: output.path == f"{BUNDLE}/{ENTRY}")  # the entry last
        return SearchBundle(tuple(files), self.documents, sum(len(f.content) for f in files), time.perf_counter() - self.started)

    def abandon(self) -> None:
        """Stop Pagefind if it still runs; its folder (a folder for each document) is removed while the build writes the site."""
        self.running.stop()
        if not self.left:
            self.left = True
            remove_soon(self.temp)


def term_headwords(terms: Sequence[Term]) -> dict[str, str]:
    """The headword metadata of each term's page, by its URL (see docs/output.md)."""
    return {f"glossary/{term.id}/": " ".join(term.forms) for term in terms}


def document_html(doc: SearchDoc, keys: SearchKeys, language: str, headwords: Mapping[str, str], cache: Section | None) -> str:
    """The HTML Pagefind indexes for one result, from the cache while the result and the keys are the same."""
    headword = headwords.get(doc.url, "")
    if cache is None:
        return index_html(doc, keys, language, headword)
    key = digest(repr(doc), language, headword, keys.digest)
    html: str = cache.kept(f"html:{doc.url}", key, lambda: index_html(doc, keys, language, headword))
    return html


def keys_digest(terms: Sequence[Term]) -> str:
    """The hash of what the keys are made from: every term's forms and exceptions."""
    return digest(repr([(term.id, term.term, term.forms, term.not_before, term.not_in) for term in terms]))


def search_keys(terms: Sequence[Term], cache: Section | None) -> SearchKeys:
    """The keys of the glossary's terms, from the cache while their forms are the same."""
    if cache is None:
        return process_keys(terms)
    key = keys_digest(terms)
    keys: SearchKeys = cache.kept("keys", key, lambda: process_keys(terms))
    return keys


MADE_KEYS: dict[str, SearchKeys] = {}  # the keys last made in this process (index_pages, search_keys), by keys_digest


def process_keys(terms: Sequence[Term]) -> SearchKeys:
    """The keys of `terms`, made once in this process while the terms are the same.

    A worker reads a dozen slices of pages in one process: they share the compiled glossary and
    the pieces of the words met so far, instead of starting again for each slice.
    """
    key = keys_digest(terms)
    keys = MADE_KEYS.get(key)
    if keys is None:
        MADE_KEYS.clear()  # only the last glossary: a preview server changes it without end
        keys = MADE_KEYS[key] = SearchKeys(terms, key)
    return keys


def index_pages(outputs: Sequence[Output], site: Site, cache: Section) -> None:
    """Read rendered pages and make their index HTML ahead of search_bundle, into `cache` (a worker process's share).

    Only pages that mark what is indexed (data-pagefind-body) get their HTML here: whether the
    others are results depends on the whole site, which search_bundle sees.
    """
    keys = process_keys(site.terms)
    headwords = term_headwords(site.terms)
    language = site.config.primary_language
    for output in outputs:
        wanted = BODY_ATTRIBUTE in output.content or output.path == FACTS_PAGE  # as search_documents reads them
        if not output.path.endswith(".html") or output.path == "404.html" or not wanted:
            continue
        page = cached_read(output, cache)
        doc = page_document(page, True) if page.marked else None
        if doc is not None:
            document_html(doc, keys, language, headwords, cache)
