"""The passage of an archive closest to an excerpt that does not occur in it, and what differs between them.

An excerpt is compared with its archive after NFC and with whitespace runs as one space
(quotes.normalize_quote). When it is not found, the writer needs to see where it went wrong:
the closest passage, with the differing words marked, and, when the words are the same and only
the typography differs (curly or straight quote marks, a dash for a hyphen, a space more or
less), a plain sentence saying so. difflib does the matching.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

QUOTE_MARKS = {"‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "`": "'", "´": "'", "“": '"', "”": '"', "„": '"',
               "‟": '"', "″": '"', "«": '"', "»": '"', "「": '"', "」": '"', "『": '"', "』": '"', "＂": '"', "＇": "'"}
DASHES = {char: "-" for char in "‐‑‒–—―−﹣－⁃"}
LOOSE = {**QUOTE_MARKS, **DASHES}
TOKEN_RE = re.compile(r"\w+|\s+|[^\w\s]")
CONTEXT = 60  # characters of the archive shown around a passage at most


@dataclass(frozen=True, slots=True)
class Closest:
    """The passage of the archive closest to an excerpt: where it is, how it differs, and how alike the two are."""

    start: int  # in the normalised archive text
    end: int
    marked: str  # the passage with its differences marked: [-archive-]{+excerpt+}
    only: tuple[str, ...]  # when the words are the same: what differs ('quote marks', 'dashes', 'spaces'), with examples
    ratio: float


def loosen(text: str) -> tuple[str, list[int]]:
    """The text without whitespace and with one form of quote mark and dash, and each character's index in `text`."""
    chars: list[str] = []
    where: list[int] = []
    for index, char in enumerate(text):
        if char.isspace():
            continue
        chars.append(LOOSE.get(char, char))
        where.append(index)
    return "".join(chars), where


MATCHED_RUN = 3  # characters in a row that place a passage; fewer match anywhere


def closest_passage(archive: str, quote: str) -> Closest | None:
    """The passage of `archive` closest to `quote` (both normalised), or None when nothing in it is close."""
    if not quote or not archive:
        return None
    loose_archive, where = loosen(archive)
    loose_quote, _ = loosen(quote)
    at = loose_archive.find(loose_quote) if loose_quote else -1
    if at >= 0:
        start, end = where[at], where[at + len(loose_quote) - 1] + 1
        passage = archive[start:end]
        return Closest(start, end, mark(passage, quote), typography(passage, quote), 1.0)
    longest = difflib.SequenceMatcher(None, archive, quote, autojunk=False).find_longest_match(0, len(archive), 0, len(quote))
    if longest.size < min(6, len(quote)):
        return None
    guess = longest.a - longest.b
    low, high = max(0, guess - len(quote) // 2), min(len(archive), guess + len(quote) + len(quote) // 2)
    window = archive[low:high]
    blocks = [b for b in difflib.SequenceMatcher(None, window, quote, autojunk=False).get_matching_blocks() if b.size]
    if not blocks:
        return None
    # a letter or two met again past the quote's own words ('home' against 'back," said the') would widen the passage to it
    blocks = [b for b in blocks if b.size >= MATCHED_RUN] or blocks
    start, end = low + blocks[0].a - blocks[0].b, low + blocks[-1].a + blocks[-1].size + (len(quote) - blocks[-1].b - blocks[-1].size)
    start, end = _word_edges(archive, max(low, start), min(high, end))
    passage = archive[start:end]
    ratio = difflib.SequenceMatcher(None, passage, quote, autojunk=False).ratio()
    if ratio < 0.5:
        return None
    return Closest(start, end, mark(passage, quote), (), ratio)


def _word_edges(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a span to whole words (a passage cut inside a word is hard to find)."""
    while 0 < start < len(text) and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    return start, end


def mark(passage: str, quote: str) -> str:
    """The passage with what differs from the quote marked, word by word: [-as archived-]{+as excerpted+}."""
    old, new = TOKEN_RE.findall(passage), TOKEN_RE.findall(quote)
    out: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            out.append("".join(old[i1:i2]))
            continue
        if i2 > i1:
            out.append(f"[-{''.join(old[i1:i2])}-]")
        if j2 > j1:
            out.append(f"{{+{''.join(new[j1:j2])}+}}")
    return "".join(out)


def typography(passage: str, quote: str) -> tuple[str, ...]:
    """What differs between two texts that are the same but for quote marks, dashes and spaces, with an example of each."""
    found: dict[str, tuple[str, str]] = {}
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, passage, quote, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        old, new = passage[i1:i2], quote[j1:j2]
        if not old.strip() and not new.strip():
            found.setdefault("spaces", (old, new))
        elif any(char in QUOTE_MARKS or char in "'\"" for char in old + new):
            found.setdefault("quote marks", (old.strip(), new.strip()))
        else:
            found.setdefault("dashes", (old.strip(), new.strip()))
    said: list[str] = []
    for kind in ("quote marks", "dashes", "spaces"):
        if kind in found:
            old, new = found[kind]
            if kind == "spaces":
                said.append("spaces (" + ("a space the excerpt leaves out" if old else "a space the archive does not have") + ")")
            else:
                said.append(f"{kind} ({_shown(old)} in the archive, {_shown(new)} in the excerpt)")
    return tuple(said)


def _shown(chars: str) -> str:
    """Characters as a message names them: the code point beside any that is not ASCII (’ and ' look alike)."""
    if not chars:
        return "none"
    return " ".join(f"{char} (U+{ord(char):04X})" if ord(char) > 127 else char for char in chars)


def line_of(raw: str, at: int) -> int:
    """The line of the raw archive text on which position `at` of its normalised text falls (see quotes.normalize_quote)."""
    text = unicodedata.normalize("NFC", raw)
    count, space, started = 0, False, False
    for index, char in enumerate(text):
        if char.isspace():
            space = started  # a run of whitespace is one space, none at the start
            continue
        count += space
        space, started = False, True
        if count >= at:
            return text.count("\n", 0, index) + 1
        count += 1
    return text.count("\n") + 1


def excerpt_hint(archive_name: str, archive: str, raw: str | None, quote: str) -> tuple[str, str]:
    """What to add to the message of an excerpt not found in its archive, and the fix."""
    found = closest_passage(archive, quote)
    if found is None:
        return "", f"copy the words exactly from {archive_name}; no passage of it is close to this excerpt"
    where = f" (line {line_of(raw, found.start)})" if raw is not None else ""
    if found.only:
        return (f": the archive has the same words{where}, with other " + ", ".join(found.only),
                f"copy the passage from {archive_name} as it is written there, or correct the archive where it is wrong")
    return "", (f"the closest passage of {archive_name}{where} differs where marked, [-archive-] {{+excerpt+}}:\n"
                f"{_clipped(found.marked)}\ncopy the words exactly (differences in whitespace are ignored)")


def _clipped(text: str, limit: int = 400) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"
