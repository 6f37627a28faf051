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

from markdown_it import MarkdownIt, rules_inline
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_plugin

from ..model import DocLink, DocRef, Loc, Markdown

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


def _positioned(rule: Callable[[StateInline, bool], bool]) -> Callable[[StateInline, bool], bool]:
    """A link or image rule that also notes where its token starts in the inline text (for the line of a link)."""

    def rule_with_position(state: StateInline, silent: bool) -> bool:
        start, count = state.pos, len(state.tokens)
        found = rule(state, silent)
        if found and not silent:  # the first token pushed may be the text pending before the link
            made = next((token for token in state.tokens[count:] if token.type in ("link_open", "image")), None)
            if made is not None:
                made.meta = {**(made.meta or {}), "pos": start}
        return found

    return rule_with_position


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    """Return the configured parser: CommonMark + tables + strikethrough + our references."""
    md = MarkdownIt("commonmark", {"html": True, "typographer": False})
    md.enable(["table", "strikethrough"])
    attrs_plugin(md, spans=True, allowed=("class",))
    md.inline.ruler.before("link", "xref", _xref_inline)
    md.inline.ruler.at("link", _positioned(rules_inline.link))
    md.inline.ruler.at("image", _positioned(rules_inline.image))
    md.block.ruler.before("paragraph", "xref_block", _xref_block, {"alt": ["paragraph"]})
    return md


def parse(text: str, loc: Loc, inline: bool = False) -> Markdown:
    """Parse author Markdown once; collect its [[…]] references with their file lines."""
    md = parser()
    tokens = md.parseInline(text, {}) if inline else md.parse(text, {})
    refs: list[DocRef] = []
    links: list[DocLink] = []
    _collect(tokens, loc.line, refs, links, inline_base=(loc.line, text) if inline else None)
    return Markdown(text=text, loc=loc, inline=inline, tokens=tuple(tokens), refs=tuple(refs), links=tuple(links))


def _collect(tokens: Sequence[Token], first_line: int, refs: list[DocRef], links: list[DocLink],
             inline_base: tuple[int, str] | None) -> None:
    for token in tokens:
        if token.type == "xref_block" and token.map:
            refs.append(DocRef(token.meta["kind"], token.meta["target"], first_line + token.map[0], block=True))
        elif token.type == "inline" and token.children:
            start = first_line + (token.map[0] if token.map else 0)
            _collect(token.children, first_line, refs, links, (start, token.content))
        elif token.type in ("xref", "link_open", "image") and inline_base is not None:
            start, content = inline_base
            line = start + content.count("\n", 0, (token.meta or {}).get("pos", 0))
            if token.type == "xref":
                refs.append(DocRef(token.meta["kind"], token.meta["target"], line, token.meta["label"]))
            elif token.type == "link_open":
                links.append(DocLink(str(token.attrs.get("href", "")), line))
            else:
                links.append(image_link(token, line))


def image_link(token: Token, line: int) -> DocLink:
    """What an image token says: its target, text alternative, title, credit and whether it is decorative."""
    classes = str(token.attrs.get("class", "")).split()
    extra = (token.meta or {}).get("insecure_attrs", {})  # attributes written in {…} that never reach the HTML
    alt = "".join(child.content for child in _leaves(token.children or []))
    return DocLink(str(token.attrs.get("src", "")), line, True, alt.strip(), str(token.attrs.get("title", "") or ""),
                   str(extra.get("credit", "")).strip(), "decorative" in classes)


def _leaves(tokens: Sequence[Token]) -> list[Token]:
    """The text-bearing tokens of an inline run (an image's alt may hold emphasis or code)."""
    found: list[Token] = []
    for token in tokens:
        if token.type in ("text", "code_inline"):
            found.append(token)
        elif token.type in ("softbreak", "hardbreak"):
            found.append(Token("text", "", 0, content=" "))
        elif token.children:
            found += _leaves(token.children)
    return found


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
