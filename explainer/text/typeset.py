"""Line breaking the browser gets wrong for Korean: a middle dot or a tilde between two words starts a line.

Browsers may break a line before the middle dot of 삼성·LG와 (the dot then starts the next line,
which Korean typesetting forbids) and before the tilde of 3~5개; `line-break: strict` does not
prevent it. A WORD JOINER (U+2060, invisible, no width) before such a mark, where it stands
between letters or digits, forbids that break; the line may still break after the mark. Only
text is touched, never a tag, an attribute, or what code, scripts and styles hold. Browsers
find 삼성·LG in the page all the same; copied text and a PDF's text carry the invisible joiner.
"""

from __future__ import annotations

import bisect
import re

WORD_JOINER = "\u2060"
HELD = "·~"  # marks that must neither start nor end a line when they join two words
# a tag; groups 1 and 2 say when it opens or closes an element whose text is kept verbatim
TAG_RE = re.compile(r"<(/?)(?:(code|pre|script|style|textarea|title)\b)?[^>]*>", re.IGNORECASE)
# where a tag that opens or closes verbatim text starts, as TAG_RE reads it
VERBATIM_RE = re.compile(r"<(/?)(code|pre|script|style|textarea|title)\b", re.IGNORECASE)


def hold_joined_words(html: str) -> str:
    """Return `html` with a word joiner before each middle dot or tilde that sits between two letters or digits.

    A mark counts as between letters when the nearest text on each side, across any tags
    (<a>삼성</a>·LG), is a letter or digit. Marks already held are left as they are.
    """
    if not any(mark in html for mark in HELD):
        return html
    # only the texts around the marks are looked at, not every tag of the page: a print edition is
    # 20 million characters and a million tags; the page is copied once, in slices between the texts that change
    page = _Page(html)
    out: list[str] = []
    copied = 0  # html[:copied] is in out
    position = 0
    for mark in _marks(html):
        if mark < position:
            continue  # in a text already seen
        found = page.text_at(mark)
        if found is None:  # in a tag
            continue
        start, end = found
        position = end
        if not page.readable(start, end):
            continue
        before = page.neighbour(start, -1)
        after = page.neighbour(end, 1)
        out += (html[copied:start], _hold(html[start:end], html[before[1] - 1] if before else "", html[after[0]] if after else ""))
        copied = end
    out.append(html[copied:])
    return "".join(out)


def _marks(html: str) -> list[int]:
    """Where each mark is, in order (str.find: many times faster than a regular expression over a long page)."""
    found: list[int] = []
    for mark in HELD:
        at = html.find(mark)
        while at != -1:
            found.append(at)
            at = html.find(mark, at + 1)
    return sorted(found)


class _Page:
    """Where the tags of one page lie, found around a position rather than by reading every tag from the start.

    A tag (TAG_RE) runs from a '<' to the first '>' after it, and the next one starts at the first '<'
    after that: a '<' with no '>' anywhere after it is text. Between two tags lies one stretch of text.
    """

    def __init__(self, html: str) -> None:
        self.html = html
        self.last_close = html.rfind(">")  # a '<' after it starts no tag
        self.starts: list[int] = []  # where each tag that opens or closes verbatim text starts, in order
        self.verbatim: list[int] = []  # how deep in verbatim text the page is after that tag
        self.read = False  # whether those two lists are filled: only once a text with a mark is met

    def read_verbatim(self) -> None:
        """Find the tags that open or close verbatim text (code, pre, script, style, textarea, title)."""
        depth = 0
        for tag in VERBATIM_RE.finditer(self.html, 0, max(self.last_close, 0)):
            if self.tag_start(tag.start()):
                depth = max(0, depth + (-1 if tag.group(1) else 1))
                self.starts.append(tag.start())
                self.verbatim.append(depth)
        self.read = True

    def tag_start(self, at: int) -> bool:
        """Whether the '<' at `at` starts a tag (rather than lying inside one, or in text with no '>' after it)."""
        if at >= self.last_close:
            return False
        inside = self.html.rfind("<", 0, at)
        return inside == -1 or self.html.find(">", inside, at) != -1

    def text_at(self, at: int) -> tuple[int, int] | None:
        """The stretch of text (start, end) that holds the character at `at` (never '<' or '>'), or None inside a tag."""
        html = self.html
        limit = min(at, self.last_close)
        opening = html.rfind("<", 0, limit) if limit > 0 else -1
        if opening != -1:
            closing = html.find(">", opening)
            if closing > at:
                return None  # the tag that holds that '<' runs past `at`
            start = closing + 1
        else:
            start = 0
        following = html.find("<", at, self.last_close) if at < self.last_close else -1
        return start, following if following != -1 else len(html)

    def readable(self, start: int, end: int) -> bool:
        """Whether a stretch of text between tags is read as text: not empty, not in code."""
        if not self.read:
            self.read_verbatim()
        index = bisect.bisect_left(self.starts, start)
        return end > start and (index == 0 or self.verbatim[index - 1] == 0)

    def neighbour(self, edge: int, step: int) -> tuple[int, int] | None:
        """The nearest readable stretch before the one starting at `edge` (step -1) or after the one ending there (1)."""
        html = self.html
        while True:
            if step < 0:
                if edge == 0:
                    return None
                tag = html.find("<", html.rfind(">", 0, edge - 1) + 1)  # the tag that ends at edge - 1 starts there
                opening = html.rfind("<", 0, tag)
                stretch = (html.find(">", opening) + 1 if opening != -1 else 0, tag)
                edge = stretch[0]
            else:
                if edge == len(html):
                    return None
                start = html.find(">", edge) + 1  # the tag that starts at edge ends there
                following = html.find("<", start, self.last_close)
                stretch = (start, following if following != -1 else len(html))
                edge = stretch[1]
            if self.readable(*stretch):
                return stretch


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


# -- typesetting a page in pieces -------------------------------------------------------------------------
OPENING = HELD + WORD_JOINER  # what starts a text that may look before it (a joiner: typesetting alone looked across a joint)

# A page made of pieces (the print edition: its frame, and one part per page body) is typeset piece by piece
# when each piece is sealed: typeset alone, it comes out as it would within the page. Only a mark at the
# edge of the text around a joint looks across it; these functions tell when none does.


def sealed_piece(html: str) -> bool:
    """Whether typesetting `html` alone gives what it gives anywhere in a page, at a joint of the frame
    (`sealed_frame`), and leaves what surrounds it as it would be without it.

    Its tags close within it (no '<' after its last '>', no '>' before its first '<'), it leaves no
    verbatim element open, and no mark starts its first readable text or ends its last.
    """
    opening, closing = html.find("<"), html.find(">")
    if (closing != -1 and (opening == -1 or closing < opening)) or html.rfind("<") > html.rfind(">"):
        return False
    page = _Page(html)
    page.read_verbatim()
    if page.verbatim and page.verbatim[-1] != 0:
        return False
    first = (0, opening if opening != -1 else len(html))
    if not page.readable(*first):
        first = page.neighbour(first[1], 1) if first[1] < len(html) else None  # type: ignore[assignment]
    last = (html.rfind(">") + 1, len(html))
    if not page.readable(*last):
        last = page.neighbour(last[0], -1) if last[0] > 0 else None  # type: ignore[assignment]
    return not ((first is not None and html[first[0]] in OPENING) or (last is not None and html[last[1] - 1] in HELD))


def sealed_frame(html: str, joints: list[tuple[int, int]]) -> bool:
    """Whether a frame typeset alone stays as it would be with sealed pieces in place of its joints.

    Each joint (start, end) is a tag of the frame (an HTML comment) that a piece replaces: it must
    start a tag, lie outside verbatim text, and the readable text next to it must not end (before it)
    or start (after it) with a mark.
    """
    page = _Page(html)
    page.read_verbatim()
    for start, end in joints:
        if html[start] != "<" or html[end - 1] != ">" or not page.tag_start(start):
            return False
        index = bisect.bisect_left(page.starts, start)
        if index and page.verbatim[index - 1] != 0:
            return False
        before, after = page.neighbour(end, -1), page.neighbour(start, 1)
        if (before is not None and html[before[1] - 1] in HELD) or (after is not None and html[after[0]] in OPENING):
            return False
    return True
