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

WORD_JOINER = "\u2060"
HELD = "·~"  # marks that must neither start nor end a line when they join two words
TAG_RE = re.compile(r"(<[^>]*>)")
VERBATIM_RE = re.compile(r"<(/?)(code|pre|script|style|textarea|title)\b", re.IGNORECASE)


def hold_joined_words(html: str) -> str:
    """Return `html` with a word joiner before each middle dot or tilde that sits between two letters or digits.

    A mark counts as between letters when the nearest text on each side, across any tags
    (<a>삼성</a>·LG), is a letter or digit. Marks already held are left as they are.
    """
    if not any(mark in html for mark in HELD):
        return html
    pieces = TAG_RE.split(html)  # text, tag, text, tag, …: odd indexes are tags
    verbatim = 0
    texts: list[int] = []  # indexes of the pieces that are readable text
    for index, piece in enumerate(pieces):
        if index % 2:
            match = VERBATIM_RE.match(piece)
            if match:
                verbatim = max(0, verbatim + (-1 if match.group(1) else 1))
        elif piece and not verbatim:
            texts.append(index)
    for position, index in enumerate(texts):
        text = pieces[index]
        if not any(mark in text for mark in HELD):
            continue
        before = _last_char(pieces, texts[:position])
        after = _first_char(pieces, texts[position + 1:])
        pieces[index] = _hold(text, before, after)
    return "".join(pieces)


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


def _last_char(pieces: list[str], earlier: list[int]) -> str:
    """The last character of the nearest text before (an empty string at the start)."""
    for index in reversed(earlier):
        if pieces[index]:
            return pieces[index][-1]
    return ""


def _first_char(pieces: list[str], later: list[int]) -> str:
    for index in later:
        if pieces[index]:
            return pieces[index][0]
    return ""
