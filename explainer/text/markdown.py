"""The one configured markdown-it parser and its reference syntax; markup.py turns the tokens into HTML.

Reference syntax (one family, double square brackets):

    [[fact:launch-date]]            on a line of its own: the fact's card
    [[fact:launch-date|출범일]]      inline: a link to the fact
    [[quote:source#excerpt]]        the excerpt quoted, with its attribution
                                    (on a line of its own: a block quotation)
    [[cite:source#excerpt]]         a citation mark linking to the excerpt
    [[term:apple]]                  an explicit glossary link (display form)
    [[term:apple|사과들]]            an explicit glossary link with its own words
    [[timeline]]  [[timeline:tag]]  on a line of its own: a timeline of dated facts

`[words]{.no-glossary}` keeps automatic glossary links out of a span. A link written from
the site root, `[words](/some-page/)`, is made relative to the page it appears on.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_plugin

from ..model import DocRef, Loc, Markdown

REF_KINDS = ("fact", "quote", "cite", "term", "timeline")
BLOCK_KINDS = ("fact", "quote", "timeline")
# No part may hold a bracket: a match attempt then stops at the next "[", so scanning a line is
# linear however many "[[" it holds (a part that could run on would rescan the rest of the line from each).
XREF_RE = re.compile(r"\[\[([A-Za-z_-]+)(?::([^\[\]|\n]*))?(?:\|([^\[\]\n]*))?\]\]")
NO_GLOSSARY = "no-glossary"


def _xref_inline(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("[[", state.pos):
        return False
    match = XREF_RE.match(state.src, state.pos)
    if match is None:
        return False
    if not silent:
        token = state.push("xref", "", 0)
        token.meta = {
            "kind": match.group(1),
            "target": (match.group(2) or "").strip(),
            "label": (match.group(3) or "").strip(),
            "pos": state.pos,
        }
    state.pos = match.end()
    return True


def _xref_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    line = state.src[state.bMarks[start] + state.tShift[start] : state.eMarks[start]].strip()
    match = XREF_RE.fullmatch(line)
    if match is None or match.group(1) not in BLOCK_KINDS or match.group(3) is not None:
        return False  # with |words it is an inline link, even on a line of its own
    if silent:
        return True
    token = state.push("xref_block", "", 0)
    token.map = [start, start + 1]
    token.meta = {"kind": match.group(1), "target": (match.group(2) or "").strip(), "label": (match.group(3) or "").strip()}
    state.line = start + 1
    return True


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    """Return the configured parser: CommonMark + tables + strikethrough + our references."""
    md = MarkdownIt("commonmark", {"html": True, "typographer": False})
    md.enable(["table", "strikethrough"])
    attrs_plugin(md, spans=True, allowed=("class",))
    md.inline.ruler.before("link", "xref", _xref_inline)
    md.block.ruler.before("paragraph", "xref_block", _xref_block, {"alt": ["paragraph"]})
    return md


def parse(text: str, loc: Loc, inline: bool = False) -> Markdown:
    """Parse author Markdown once; collect its [[…]] references with their file lines."""
    md = parser()
    tokens = md.parseInline(text, {}) if inline else md.parse(text, {})
    refs: list[DocRef] = []
    _collect(tokens, loc.line, refs, inline_base=None)
    return Markdown(text=text, loc=loc, inline=inline, tokens=tuple(tokens), refs=tuple(refs))


def _collect(tokens: Sequence[Token], first_line: int, refs: list[DocRef], inline_base: tuple[int, str] | None) -> None:
    for token in tokens:
        if token.type == "xref_block" and token.map:
            refs.append(DocRef(token.meta["kind"], token.meta["target"], first_line + token.map[0], block=True))
        elif token.type == "inline" and token.children:
            start = first_line + (token.map[0] if token.map else 0)
            _collect(token.children, first_line, refs, (start, token.content))
        elif token.type == "xref" and inline_base is not None:
            start, content = inline_base
            line = start + content.count("\n", 0, token.meta["pos"])
            refs.append(DocRef(token.meta["kind"], token.meta["target"], line, token.meta["label"]))


def summary(doc: Markdown, limit: int = 160) -> str:
    """The document's first paragraph as plain text, cut at a space to at most `limit` characters."""
    for index, token in enumerate(doc.tokens):
        if token.type == "paragraph_open" and index + 1 < len(doc.tokens):
            text = plain_text(Markdown(doc.text, doc.loc, True, (doc.tokens[index + 1],)))
            if len(text) <= limit:
                return text
            cut = text[:limit - 1].rsplit(" ", 1)[0]
            return cut.rstrip(",.;:·、，") + "…"
    return ""


def plain_text(doc: Markdown, name: Callable[[str, str], str] | None = None) -> str:
    """Return the document's text without markup (for meta descriptions and search).

    A reference written without words ([[term:gpu]]) is left out, unless `name(kind, target)` names it.
    """
    parts: list[str] = []

    def walk(tokens: Sequence[Any]) -> None:
        for token in tokens:
            if token.type in ("text", "code_inline"):
                parts.append(token.content)
            elif token.type == "xref":
                parts.append(token.meta.get("label") or (name(token.meta["kind"], token.meta["target"]) if name else ""))
            elif token.type in ("softbreak", "hardbreak"):
                parts.append(" ")
            elif token.children:
                walk(token.children)
            if token.type in ("paragraph_close", "heading_close"):
                parts.append(" ")

    walk(doc.tokens)
    return re.sub(r"\s+", " ", "".join(parts)).strip()
