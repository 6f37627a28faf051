"""What the search index is built from: the text of each rendered page, and each fact on its own.

A page's searchable text follows Pagefind's own markup, so a theme controls it the way it
would control Pagefind: when any page of the site marks an element `data-pagefind-body`,
only such elements are indexed (and pages without one are left out); otherwise each page's
`<main>` is. Inside, elements marked `data-pagefind-ignore`, navigation, tooltips (their text
is a term's definition, which belongs to the term's page), hidden elements, scripts and
forms are left out. On the facts page, every element whose id starts with `fact-` becomes a
result of its own, linking to that anchor; the facts page itself is not a result.

Each page is parsed into a tree by lexbor (through selectolax: a browser's HTML5 parser in C, five
times faster here than the standard library's tokenizer, which took half of a large site's build)
and its text read block by block: inline
elements join their text without a space (<a>사과</a>를 is the word 사과를), blocks and
<br> separate words, and headings keep their level (Pagefind weighs them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ..cache import Section, digest
from ..cancel import Cancelled, never
from ..model import Output

FACTS_PAGE = "facts/index.html"
BODY_ATTRIBUTE = b"data-pagefind-body"
FACT_PREFIX = "fact-"
NOT_PAGES = frozenset({"404.html", FACTS_PAGE})
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
BLOCKS = HEADINGS | frozenset({
    "address", "article", "aside", "blockquote", "caption", "dd", "details", "dialog", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "header", "hr", "li", "main", "ol", "p", "pre", "section",
    "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})
SKIPPED = frozenset({"script", "style", "template", "noscript", "nav", "svg", "form", "button", "select",
                     "textarea", "head", "iframe", "object"})


@dataclass(frozen=True, slots=True)
class Block:
    """A run of text between block boundaries: a heading (h1–h6) or a paragraph (p)."""

    tag: str
    text: str
    ids: tuple[str, ...]  # ids of the elements it is inside, outermost first
    in_body: bool  # inside an element marked data-pagefind-body
    in_main: bool


@dataclass(frozen=True, slots=True)
class SearchDoc:
    """One search result to be: where it links (a site path, maybe with #anchor), its title and its text."""

    url: str
    title: str
    kind: str  # "fact", "term" (a glossary entry's page), "source", "home" or "page"
    blocks: tuple[Block, ...]


@dataclass(slots=True)
class _Open:
    tag: str
    id: str
    body: bool


# inside an element left out, only these still matter: a block ends the text before it, <br> separates words
BOUNDARIES = ", ".join(sorted(BLOCKS))


class TextCollector:
    """Collect a page's text blocks with the state of the elements around them, walking a parsed tree."""

    def __init__(self) -> None:
        self.stack: list[_Open] = []
        self.blocks: list[Block] = []
        self.buffer: list[str] = []
        self.marked = False  # the page has a data-pagefind-body element
        self.h1 = ""

    def flush(self) -> None:
        text = " ".join("".join(self.buffer).split())
        self.buffer.clear()
        if not text:
            return
        tag = next((o.tag for o in reversed(self.stack) if o.tag in HEADINGS), "p")
        ids = tuple(o.id for o in self.stack if o.id)
        in_main = any(o.tag == "main" for o in self.stack)
        self.blocks.append(Block(tag, text, ids, any(o.body for o in self.stack), in_main))
        if tag == "h1" and in_main and not self.h1:
            self.h1 = text

    def walk(self, root: LexborNode) -> None:
        """Collect the text under `root`, element by element, in document order.

        With a stack of its own, not recursion: a page may nest elements deeper than Python recurses.
        """
        frames: list[tuple[Iterator[LexborNode], bool]] = [(root.iter(include_text=True), False)]
        while frames:
            children, block = frames[-1]
            child = next(children, None)
            if child is None:  # the end of an element (or of the root, which opened nothing)
                frames.pop()
                if frames:
                    self.close(block)
                continue
            tag = child.tag
            if tag == "-text":
                self.buffer.append(child.text_content or "")
                continue
            if tag == "br":
                self.buffer.append(" ")
                continue
            if tag is None or tag.startswith("-"):  # a comment or the doctype
                continue
            block = tag in BLOCKS
            if block:
                self.flush()
            if tag in VOID:
                continue
            values = child.attributes
            body = "data-pagefind-body" in values
            self.marked = self.marked or body
            self.stack.append(_Open(tag, values.get("id") or "", body))
            if (tag in SKIPPED or "data-pagefind-ignore" in values or "hidden" in values
                    or values.get("role") == "tooltip" or values.get("aria-hidden") == "true"):
                self.skip(child)  # its text is left out, its boundaries are not
                self.close(block)
            else:
                frames.append((child.iter(include_text=True), block))

    def close(self, block: bool) -> None:
        """End the innermost open element: a block ends its text."""
        if block:
            self.flush()
        self.stack.pop()

    def skip(self, node: LexborNode) -> None:
        """Pass over an element whose text is left out: a block inside still ends the text before it, a <br> a word."""
        if next(node.iter(), None) is None:  # text only (most are a term's tooltip): nothing to look for
            return
        if node.css_first(BOUNDARIES) is not None:
            self.flush()
        elif node.css_first("br") is not None:
            self.buffer.append(" ")


@dataclass(frozen=True, slots=True)
class ReadPage:
    """A rendered page as the search index sees it."""

    path: str
    h1: str
    marked: bool
    blocks: tuple[Block, ...]


def read_page(path: str, html: str | bytes) -> ReadPage:
    """Read one rendered page into text blocks (parsed as a browser would, by lexbor through selectolax)."""
    reader = TextCollector()
    tree = LexborHTMLParser(html)
    if tree.root is not None:
        reader.walk(tree.root)
    reader.flush()
    return ReadPage(path, reader.h1, reader.marked, tuple(reader.blocks))


def cached_read(output: Output, cache: Section) -> ReadPage:
    """Return the page's reading from the cache when its bytes are the same as when it was read, else read it and keep it."""
    key = digest(output.content)
    page: ReadPage = cache.kept(f"read:{output.path}", key, lambda: read_page(output.path, output.content))
    return page


def page_url(path: str) -> str:
    """Return the site path a page is reached at: glossary/x/index.html -> glossary/x/."""
    return path.removesuffix("index.html")


def search_documents(outputs: Sequence[Output], fact_titles: Mapping[str, str], cache: Section | None = None,
                     cancelled: Callable[[], bool] = never) -> list[SearchDoc]:
    """Return every result the index should hold: pages, then facts, each in build order.

    With a cache (the preview server keeps one), a page whose bytes did not change is not read again.
    cancel.Cancelled when `cancelled` says so (asked after each page: the preview's rebuild must not share
    the interpreter with an index no longer wanted).
    """
    html = [o for o in outputs if o.path.endswith(".html") and o.path != "404.html"]
    marked = any(BODY_ATTRIBUTE in o.content for o in html)
    # when some pages are marked, the others are read only for the facts (a cheap test first: the print edition is big)
    wanted = [o for o in html if not marked or BODY_ATTRIBUTE in o.content or o.path == FACTS_PAGE]
    pages: list[ReadPage] = []
    for output in wanted:
        if cancelled():
            raise Cancelled
        pages.append(cached_read(output, cache) if cache is not None else read_page(output.path, output.content))
    marked = any(page.marked for page in pages)
    docs = [doc for page in pages if (doc := page_document(page, marked)) is not None]
    facts_page = next((page for page in pages if page.path == FACTS_PAGE), None)
    if facts_page is not None:
        docs += fact_documents(facts_page, fact_titles)
    return docs


def page_document(page: ReadPage, marked: bool) -> SearchDoc | None:
    """Return the result a page makes, or None; `marked`: whether the site marks what is indexed (data-pagefind-body)."""
    if page.path in NOT_PAGES or (marked and not page.marked):
        return None
    blocks = tuple(b for b in page.blocks if (b.in_body if marked else b.in_main))
    return SearchDoc(page_url(page.path), page.h1 or blocks[0].text, kind_of(page_url(page.path)), blocks) if blocks else None


def kind_of(url: str) -> str:
    """What a page is, from where the site puts it: a term's page (glossary/x/), a source's (sources/x/), home, or a page."""
    parts = [part for part in url.split("/") if part]
    if not parts:
        return "home"
    if len(parts) == 2 and parts[0] in ("glossary", "sources"):
        return "term" if parts[0] == "glossary" else "source"
    return "page"


def fact_documents(page: ReadPage, titles: Mapping[str, str]) -> list[SearchDoc]:
    """Return one result per fact on the facts page, linking to its anchor."""
    grouped: dict[str, list[Block]] = {}
    for block in page.blocks:
        owner = next((i for i in block.ids if i.startswith(FACT_PREFIX)), "")
        if owner and block.in_main:
            grouped.setdefault(owner, []).append(block)
    docs = []
    for anchor, blocks in grouped.items():
        title = titles.get(anchor.removeprefix(FACT_PREFIX)) or blocks[0].text
        docs.append(SearchDoc(f"{page_url(page.path)}#{anchor}", title, "fact", tuple(blocks)))
    return docs
