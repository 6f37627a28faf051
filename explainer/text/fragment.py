"""Links to the quoted words themselves: URL text fragments (`#:~:text=`), as the WICG scroll-to-text-fragment spec has them.

A browser that knows them (Chromium, Firefox 131+, Safari 18.4+) scrolls to the words and marks
them; any other opens the page as an ordinary link. A short quotation is given whole; a long one by
its first and last words (`textStart,textEnd`), so the link survives small differences inside it
(a line break, a footnote mark, a link) and stays short. Matching is the browser's: case and runs of
whitespace do not matter, and the words must start and end at word boundaries (Unicode's UAX #29).

A Korean quotation often stops inside a word, before its particle or ending (전략 of 전략이다), and
the browser would not find it. Without the source's text there is no knowing, so a quotation that
ends in Hangul asks for a second match, itself without its last word (`text=…&text=…`): a browser
marks every directive it finds, so the reader lands on the words either way, all of them marked
when they end at a word's end. `findable` says whether a link finds its words in a given text.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

EDGE_WORDS = 4  # a quotation of more than twice this many words is given by its first and last EDGE_WORDS words
# Characters a text directive may hold as they are (the spec's TextDirectiveExplicitChar, letters and digits aside);
# '-', '&' and ',' are the directive's own syntax and are always percent-encoded, like everything else.
SAFE = "!$'()*+./:;=?@_~"


def encode(text: str) -> str:
    """Percent-encode one part of a text directive (UTF-8), '-' included: Python's quote() leaves it as it is."""
    return quote(text, safe=SAFE).replace("-", "%2D")


def phrases(words: str) -> list[str]:
    """What a link to `words` asks the browser for: the words, then (when they end in Hangul) the words less the last one."""
    spaced = words.split()
    asked = [" ".join(spaced)]
    if len(spaced) > 1 and _kind(spaced[-1][-1]) == "H":
        asked.append(" ".join(spaced[:-1]))
    return asked


def text_directive(words: str) -> str:
    """The text directive that finds `words` in a page: `text=start` or, for a long quotation, `text=start,end`."""
    spaced = words.split()
    if len(spaced) > 2 * EDGE_WORDS:
        start, end = " ".join(spaced[:EDGE_WORDS]), " ".join(spaced[-EDGE_WORDS:])
        return f"text={encode(start)},{encode(end)}"
    return f"text={encode(' '.join(spaced))}"


def link_to_words(url: str, words: str) -> str:
    """Return `url` with a text fragment that leads to `words` on that page (its own fragment, if any, kept)."""
    if not words.strip():
        return url
    directives = "&".join(text_directive(phrase) for phrase in phrases(words))
    base, hash_, fragment = url.partition("#")
    if ":~:" in fragment:  # the address already carries directives: add ours
        return f"{url}&{directives}"
    return f"{base}#{fragment if hash_ else ''}:~:{directives}"



# Browsers cut words as ICU does (UAX #29 with ICU's own rules): letters and digits run together (AI2), two letters
# or two digits hold across a joiner (MidLetter ·, MidNum ",", MidNumLet . ’ ') as in don’t, 9,000 and x·y; Hangul
# syllables run together but with nothing else (AI|보다, 3|파전, 말’|며); kana and kanji run together (the browser then
# cuts them with a dictionary, which this does not model: a quotation in Japanese or Chinese may still not be found).
MID_LETTER = frozenset("\u00b7\u0387\u055f\u05f4\u2027\ufe13\ufe55\uff1a:'")
MID_NUM = frozenset(",;\u037e\u0589\u060c\u060d\u066c\u07f8\u2044\ufe10\ufe14\ufe50\ufe54\uff0c\uff1b'")
MID_NUM_LET = frozenset(".\u2018\u2019\u2024\ufe52\uff07\uff0e")
JOINERS = MID_LETTER | MID_NUM | MID_NUM_LET


def _kind(char: str) -> str:
    """ICU's word class of a character: 'H' Hangul syllable, 'K' kana or kanji, 'L' letter, 'N' digit, 'M' mark, '' none."""
    if "\uac00" <= char <= "\ud7a3":
        return "H"
    name = unicodedata.name(char, "")
    if name.startswith(("CJK UNIFIED IDEOGRAPH", "HIRAGANA", "KATAKANA")):
        return "K"
    category = unicodedata.category(char)
    if category[0] == "M":
        return "M"
    if category[0] == "L" or char == "_":
        return "L"
    return "N" if category == "Nd" else ""


def _run_together(left: str, right: str) -> bool:
    """Whether two neighbouring characters of these classes belong to one word."""
    if right == "M":
        return left != ""  # a mark belongs to what it marks
    if left == "M":
        left = "L"
    return bool(left and right) and ((left in "LN" and right in "LN") or (left == right and left in "HK"))


def _joined(text: str, before: int, after: int) -> bool:
    """Whether text[before] and text[after], on either side of the joiner text[before + 1], make one word."""
    left, right, joiner = _kind(text[before]), _kind(text[after]), text[before + 1]
    if left == right == "L":
        return joiner in MID_LETTER or joiner in MID_NUM_LET
    return left == right == "N" and (joiner in MID_NUM or joiner in MID_NUM_LET)


def at_word_boundary(text: str, position: int) -> bool:
    """Whether a word boundary falls before text[position], as a browser's word breaker (ICU) puts it."""
    if position <= 0 or position >= len(text):
        return True
    if _run_together(_kind(text[position - 1]), _kind(text[position])):
        return False  # inside a run: 전략|이다, AI|2, don|t
    if text[position] in JOINERS and position + 1 < len(text) and _joined(text, position - 1, position + 1):
        return False  # before the joiner of 9|,000 or don|’t
    return not (text[position - 1] in JOINERS and position >= 2 and _joined(text, position - 2, position))


def word_bounded(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] starts and ends at word boundaries, so that a text fragment can find it in `text`."""
    return at_word_boundary(text, start) and at_word_boundary(text, end)


def findable(text: str, start: int, words: str) -> bool:
    """Whether a link to `words`, which occur in `text` at `start` (whitespace as one space), finds them there."""
    return any(word_bounded(text, start, start + len(phrase)) for phrase in phrases(words))
