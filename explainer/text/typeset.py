"""Line breaking the browser gets wrong for Korean: a middle dot or a tilde between two words starts a line.

Browsers may break a line before the middle dot of 삼성·LG와 (the dot then starts the next line,
which Korean typesetting forbids) and before the tilde of 3~5개; `line-break: strict` does not
prevent it. A WORD JOINER (U+2060, invisible, no width) before such a mark, where it stands
between letters or digits, forbids that break; the line may still break after the mark. Only
text is touched, never a tag, an attribute, or what code, scripts and styles hold. Browsers
find 삼성·LG in the page all the same; copied text and a PDF's text carry the invisible joiner.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

WORD_JOINER = "\u2060"
HELD = "·~"  # marks that must neither start nor end a line when they join two words
# a tag; groups 1 and 2 say when it opens or closes an element whose text is kept verbatim
TAG_RE = re.compile(r"<(/?)(?:(code|pre|script|style|textarea|title)\b)?[^>]*>", re.IGNORECASE)
MARK_RE = re.compile(f"[{re.escape(HELD)}]")


def hold_joined_words(html: str) -> str:
    """Return `html` with a word joiner before each middle dot or tilde that sits between two letters or digits.

    A mark counts as between letters when the nearest text on each side, across any tags
    (<a>삼성</a>·LG), is a letter or digit. Marks already held are left as they are.
    """
    if not any(mark in html for mark in HELD):
        return html
    # the page is copied once: in slices between the texts that change (a print edition is 20 million
    # characters; a list of its every text and tag cost 140 MB and half a second)
    out: list[str] = []
    copied = 0  # html[:copied] is in out
    previous: tuple[int, int] | None = None  # the readable text before the one at hand
    marked = False  # whether it holds a mark
    before = ""  # the last character of the readable text before that one
    mark = MARK_RE.search(html)
    for start, end in _readable(html):
        while mark is not None and mark.start() < start:
            mark = MARK_RE.search(html, mark.end())
        if previous is not None:
            if marked:
                out += (html[copied:previous[0]], _hold(html[previous[0]:previous[1]], before, html[start]))
                copied = previous[1]
            before = html[previous[1] - 1]
        previous, marked = (start, end), mark is not None and mark.start() < end
    if previous is not None and marked:
        out += (html[copied:previous[0]], _hold(html[previous[0]:previous[1]], before, ""))
        copied = previous[1]
    out.append(html[copied:])
    return "".join(out)


def _readable(html: str) -> Iterator[tuple[int, int]]:
    """Yield where each stretch of text between tags lies that is read as text (not empty, not code), in order."""
    verbatim = 0
    position = 0
    for tag in TAG_RE.finditer(html):
        if tag.start() > position and not verbatim:
            yield position, tag.start()
        if tag.group(2):
            verbatim = max(0, verbatim + (-1 if tag.group(1) else 1))
        position = tag.end()
    if position < len(html) and not verbatim:
        yield position, len(html)


def _hold(text: str, before: str, after: str) -> str:
    out: list[str] = []
    for index, char in enumerate(text):
        if char in HELD:
            left = text[index - 1] if index else before
            right = text[index + 1] if index + 1 < len(text) else after
            if _wordish(left) and _wordish(right):
                out.append(f"{WORD_JOINER}{char}")
                continue
        out.append(char)
    return "".join(out)


def _wordish(char: str) -> bool:
    return bool(char) and char.isalnum()
