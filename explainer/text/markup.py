"""Parsed Markdown to HTML, driven by hooks: the site decides what references, text and site links become.

Raw HTML written by the author passes only through the sanitiser (nh3).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from html import escape
from typing import Protocol, cast

import nh3
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from ..model import DocLink, Loc, Markdown
from .markdown import NO_GLOSSARY, image_link, parser


class Hooks(Protocol):
    """What the renderer asks the site about while turning tokens into HTML."""

    def xref(self, kind: str, target: str, label: str, block: bool) -> str: ...

    def text(self, text: str, linkable: bool) -> str: ...

    def section(self) -> object: ...

    def url(self, target: str) -> str: ...

    def label(self, name: str) -> str: ...

    def link(self, link: DocLink, path: str) -> str: ...

    def image(self, link: DocLink, path: str, figure: bool) -> str: ...
    def anchor(self, text: str, level: int, loc: Loc) -> str: ...


class HtmlWriter:
    """Walks tokens and writes HTML, asking the hooks for references and text.

    Output is kept as parts, each marked as ours (hook output, trusted) or the author's
    (Markdown rendering, which may hold raw HTML). Raw HTML is allowed only through the
    sanitiser: when a document holds any, the author's parts are cleaned by nh3 with
    our parts replaced by placeholders, so our own markup is never second-guessed.
    """

    def __init__(self, hooks: Hooks, loc: Loc | None = None) -> None:
        self.hooks = hooks
        self.loc = loc or Loc("", 0)  # where the document is written: links and images are reported at their lines
        self.line = self.loc.line  # the line the inline text being written starts on
        self.md = parser()
        self.heading_depth = 0
        self.link_depth = 0
        self.quiet_depth = 0  # inside a no-glossary span or raw <abbr>/<kbd>/<code>
        self.parts: list[tuple[str, bool]] = []  # (html, trusted)
        self.inline_text = ""  # the source of the inline text being written: links are placed by their offset in it
        self.raw_html = False

    def ours(self, html: str) -> None:
        self.parts.append((html, True))

    def theirs(self, html: str) -> None:
        self.parts.append((html, False))

    def render_block(self, tokens: Sequence[Token]) -> None:
        options: OptionsDict = self.md.options
        env: EnvType = {}
        rules = cast(RendererHTML, self.md.renderer)
        listed = list(tokens)
        skip = 0
        for i, token in enumerate(listed):
            kind = token.type
            if skip:
                skip -= 1
                continue
            if kind == "paragraph_open" and _lone_image(listed, i):
                inline = listed[i + 1]
                self.line = self.loc.line + (inline.map[0] if inline.map else 0)
                image = next(child for child in inline.children or [] if child.type == "image")
                self.ours(self.hooks.image(image_link(image, self._line_of(image, inline.content)), self.loc.path, True))
                skip = 2  # the image's inline token and the paragraph's end
                continue
            if kind == "inline":
                self.line = self.loc.line + (token.map[0] if token.map else 0)
                self.inline_text = token.content
                self.render_inline(token.children or [])
            elif kind == "xref_block":
                self.ours(self.hooks.xref(token.meta["kind"], token.meta["target"], token.meta["label"], True))
            elif kind == "heading_open":
                if token.tag in ("h1", "h2"):
                    self.hooks.section()
                self.heading_depth += 1
                # the page gives each heading its id (for its table of contents): our markup, kept from the sanitiser
                following = listed[i + 1] if i + 1 < len(listed) else None
                text = " ".join(child.content for child in (following.children or []) if child.type in ("text", "code_inline")) \
                    if following is not None and following.type == "inline" else ""
                where = Loc(self.loc.path, self.loc.line + (token.map[0] if token.map else 0))
                anchor = self.hooks.anchor(text, int(token.tag[1:]), where) if text.strip() else ""
                self.ours(f'<{token.tag} id="{escape(anchor)}">' if anchor else f"<{token.tag}>")
            elif kind == "heading_close":
                self.heading_depth -= 1
                self.ours(f"</{token.tag}>\n")
            elif kind == "html_block":
                self.raw_html = True
                self.theirs(token.content)
            elif kind in ("table_open", "table_close"):
                # a wide table scrolls in its own region, which the keyboard can reach and scroll
                opening = f'<div class="table-wrap" role="region" tabindex="0" aria-label="{escape(self.hooks.label("table"))}">'
                self.ours(opening if kind == "table_open" else "")
                self.theirs(rules.renderToken(listed, i, options, env))
                self.ours("" if kind == "table_open" else "</div>\n")
            elif kind in rules.rules and kind not in ("text",):
                self.theirs(rules.rules[kind](listed, i, options, env))
            else:
                self.theirs(rules.renderToken(listed, i, options, env))

    def render_inline(self, children: Sequence[Token]) -> None:
        options: OptionsDict = self.md.options
        env: EnvType = {}
        rules = cast(RendererHTML, self.md.renderer)
        listed = list(children)
        run: list[str] = []  # text and soft line breaks, matched as one string (a term may wrap)
        for i, token in enumerate(listed):
            kind = token.type
            if kind in ("text", "softbreak"):
                run.append(token.content if kind == "text" else "\n")
                if i + 1 < len(listed) and listed[i + 1].type in ("text", "softbreak"):
                    continue
                linkable = not (self.heading_depth or self.link_depth or self.quiet_depth)
                self.ours(self.hooks.text("".join(run), linkable))
                run.clear()
            elif kind == "xref":
                self.ours(self.hooks.xref(token.meta["kind"], token.meta["target"], token.meta["label"], False))
            elif kind == "link_open":
                self.link_depth += 1
                self.theirs(rules.renderToken([self.site_link(token)], 0, options, env))
            elif kind == "image":
                self.ours(self.hooks.image(image_link(token, self._line_of(token, self.inline_text)), self.loc.path, False))
            elif kind == "link_close":
                self.link_depth -= 1
                self.theirs(rules.renderToken(listed, i, options, env))
            elif kind in ("span_open", "span_close"):
                opener = token if kind == "span_open" else _matching_open(listed, i)
                if opener is not None and NO_GLOSSARY in str(opener.attrs.get("class", "")).split():
                    self.quiet_depth += 1 if kind == "span_open" else -1
                self.theirs(rules.renderToken(listed, i, options, env))
            elif kind == "html_inline":
                self.raw_html = True
                self.quiet_depth += _quiet_change(token.content)
                self.theirs(token.content)
            elif kind in rules.rules:
                self.theirs(rules.rules[kind](listed, i, options, env))
            else:
                self.theirs(rules.renderToken(listed, i, options, env))

    def site_link(self, token: Token) -> Token:
        """A link as the site reads it (a page's file, a file of the content, a path of the site), from wherever it is shown."""
        href = str(token.attrs.get("href", ""))
        written = DocLink(href, self._line_of(token, self.inline_text))
        return token.copy(attrs={**token.attrs, "href": self.hooks.link(written, self.loc.path)})

    def _line_of(self, token: Token, content: str) -> int:
        """The file line of a link or image token, from where it starts in its inline text."""
        return self.line + content.count("\n", 0, (token.meta or {}).get("pos", 0))

    def html(self) -> str:
        """The document's HTML: the parts joined, through the sanitiser when the author wrote raw HTML."""
        if not self.raw_html:
            return "".join(html for html, _ in self.parts)
        return restore(self.parts)


# nh3's serialiser writes every tag whole, each attribute value in double quotes with any " in
# it escaped, and escapes < in text: so outside these matches is text, inside them is a tag.
TAG_RE = re.compile(r'<[^>"]*(?:"[^"]*"[^>"]*)*>')
QUIET_TAG_RE = re.compile(r"^<(/?)(abbr|kbd|code|a|h[1-6])\b", re.IGNORECASE)
ALLOWED_ATTRIBUTES = {"*": {"class", "lang", "title", "dir"}, "time": {"datetime"}}


def sanitize(html: str) -> str:
    """Clean author HTML with nh3 (ammonia): its safe tag list, http(s)/mailto URLs only."""
    attributes = {tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()}
    for tag, names in ALLOWED_ATTRIBUTES.items():
        attributes.setdefault(tag, set()).update(names)
    return nh3.clean(html, attributes=attributes, url_schemes={"http", "https", "mailto"}, link_rel=None)


def restore(parts: Sequence[tuple[str, bool]]) -> str:
    """Sanitise the author's parts as one document, our parts held out by markers, then put ours back.

    Each marker carries a nonce drawn for this call, so no content, written before it existed,
    can forge one (or name a part that is not there); it never reaches the output. A marker is
    replaced by our HTML only in text: one that the author's HTML put inside a tag (an attribute
    left open, say) is removed, so our markup never lands in an attribute.
    """
    nonce = secrets.token_hex(16)
    ours: list[str] = []
    marked: list[str] = []
    for html, trusted in parts:
        if trusted:
            marked.append(f"\ue000{nonce}:{len(ours)}\ue001")
            ours.append(html)
        else:
            marked.append(html)
    clean = sanitize("".join(marked))
    marker = re.compile(f"\ue000{nonce}:(\\d+)\ue001")
    out: list[str] = []
    position = 0
    for tag in TAG_RE.finditer(clean):
        out.append(marker.sub(lambda m: ours[int(m.group(1))], clean[position:tag.start()]))
        out.append(marker.sub("", tag.group()))
        position = tag.end()
    out.append(marker.sub(lambda m: ours[int(m.group(1))], clean[position:]))
    return "".join(out)


def _quiet_change(tag: str) -> int:
    """+1 when raw HTML opens an element whose text must not be linked, -1 when it closes one."""
    match = QUIET_TAG_RE.match(tag)
    if match is None:
        return 0
    return -1 if match.group(1) else 1


def _matching_open(tokens: Sequence[Token], close_index: int) -> Token | None:
    depth = 0
    for j in range(close_index - 1, -1, -1):
        if tokens[j].type == "span_close":
            depth += 1
        elif tokens[j].type == "span_open":
            if depth == 0:
                return tokens[j]
            depth -= 1
    return None


def _lone_image(tokens: list[Token], index: int) -> bool:
    """Whether the paragraph opening at `index` holds one image and nothing else: a figure."""
    if index + 2 >= len(tokens) or tokens[index + 1].type != "inline" or tokens[index + 2].type != "paragraph_close":
        return False
    image = False
    for child in tokens[index + 1].children or []:  # stops at the first child that is neither blank nor the one image
        if child.type == "softbreak" or (child.type == "text" and not child.content.strip()):
            continue
        if child.type != "image" or image:
            return False
        image = True
    return image


def render(doc: Markdown, hooks: Hooks) -> str:
    """Render a parsed document to HTML (block or inline, as it was parsed)."""
    renderer = HtmlWriter(hooks, doc.loc)
    if doc.inline:
        if doc.tokens:
            renderer.inline_text = doc.tokens[0].content
            renderer.render_inline(doc.tokens[0].children or [])
    else:
        renderer.render_block(doc.tokens)
    return renderer.html()


