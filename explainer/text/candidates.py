"""The pattern that lets through the words a glossary's form may start (termmatch.py tests each word it finds again).

The forms are spelled out as a tree of letters, so that `re` skips in C the words no form can
start: most of a page's words. What a pattern must let through besides its forms' own letters
(a letter outside ASCII whose casefold starts one of them, a footnote mark that ends a word) is
rare in running text and costly to compile, so each glossary has a lean pattern for texts
without such characters and a full one, compiled only once a text needs it (`RARE_RE`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

# Footnote marks: superscripts (¹ ² ³ ⁴ …) and circled numbers (① ❶ …); a word's letters and digits are the rest of \w.
NOT_WORD = r"\u00b2\u00b3\u00b9\u2070-\u207f\u2460-\u24ff\u2776-\u2793"
WORD_CHAR = rf"[^\W{NOT_WORD}]"
# A character whose casefold a pattern cannot foresee from its ASCII or Hangul self: outside both.
UNFORESEEN = rf"[^\W\x00-\x7f\uac00-\ud7a3{NOT_WORD}]"
# The letters outside ASCII whose casefold starts with an ASCII letter (ß is ss, K is k, ﬁ is fi):
# after letters of a key that go on in ASCII, only these can be unforeseen; and no letter outside
# Hangul folds to a Hangul syllable. Writing the narrow class where it is enough keeps the
# candidate pattern quick to compile: each UNFORESEEN costs re's compiler a loop over the 11,172
# syllables it leaves out (a quarter of a second for the flagship's glossary, written out at every node).
FOLDS = "\u00df\u0130\u017f\u01f0\u1e96-\u1e9a\u1e9e\u212a\ufb00-\ufb06"
FOLDS_TO_ASCII = f"[{FOLDS}]"
# What only a text holding one of these needs of the candidate pattern in full: WORD_CHAR where \w would do, and the
# FOLDS_TO_ASCII branches. Each of those is a class reaching past Latin-1, which re's compiler spends a fifth of a
# millisecond on, and a glossary's pattern has hundreds: its lean form (`candidate_pattern(lean=True)`), the same
# words found in any other text, compiles in a sixth of the time (the flagship's two: 0.14 s -> 0.02 s).
RARE_RE = re.compile(f"[{NOT_WORD}{FOLDS}]")


def candidate_pattern(prefixes: Iterable[str], words: Iterable[str], *, lean: bool = False) -> re.Pattern[str]:
    """A pattern for the whole words whose casefold starts with one of `prefixes` or is one of `words`, and a few more.

    The keys are spelled out as a tree (one branch per letter, so the engine follows one path,
    not every key); ASCII letters match in either case, and a letter outside ASCII and Hangul
    is let through at once, since its casefold may be more than one letter (ß is ss): the
    caller tests each word again. `lean`: the pattern for texts RARE_RE finds nothing in.
    """
    tree: dict[str, Any] = {}
    for key, mark in [*((key, _PREFIX) for key in prefixes), *((key, _WHOLE) for key in words)]:
        if len(key) > _DEPTH:  # a pattern nested as deep as a long form is would overflow the parser's stack
            key, mark = key[:_DEPTH], _PREFIX
        node = tree
        for char in key:
            node = node.setdefault(char, {})
        node[mark] = True
    # one test of the first letter, before any branch is tried: most places start no key
    firsts = "".join(_spellings(char) for char in sorted(tree))
    word = r"\w" if lean else WORD_CHAR  # the same letters in a text without footnote marks
    return re.compile(f"(?=[{firsts}]|{UNFORESEEN})(?<!{word}){_branches(tree, word, lean)}{word}*")


_PREFIX, _WHOLE = "prefix", "whole"  # marks in the tree: not letters, since they are longer than one
_DEPTH = 16  # letters of a key the pattern spells out; a longer key's word is let through on its first 16


def _branches(node: dict[str, Any], word: str, lean: bool) -> str:
    """The pattern of one node of `candidate_pattern`'s tree: what may follow the letters so far."""
    if _PREFIX in node:
        return ""
    letters = [(char, _letter(char) + _branches(child, word, lean)) for char, child in sorted(node.items()) if len(char) == 1]
    ends = [f"(?!{word})"] if _WHOLE in node else []
    return "(?:" + "|".join([*ends, _split(letters), *_unforeseen((char for char, _ in letters), lean)] if letters else ends) + ")"


def _unforeseen(letters: Iterable[str], lean: bool) -> list[str]:
    """What, in place of one of `letters` (the next letters of keys), may be a letter whose casefold starts one."""
    kinds = {"hangul" if "\uac00" <= char <= "\ud7a3" else "ascii" if char.isascii() else "other" for char in letters}
    if "other" in kinds:
        return [UNFORESEEN]
    return [FOLDS_TO_ASCII] if "ascii" in kinds and not lean else []


def _letter(char: str) -> str:
    """A letter of a key in the pattern: an ASCII letter in either case."""
    return f"[{_spellings(char)}]" if char.isascii() and char.isalpha() else re.escape(char)


def _spellings(char: str) -> str:
    """A letter of a key inside a character class: an ASCII letter in either case."""
    return re.escape(char) + (char.upper() if char.isascii() and char.isalpha() else "")


def _split(letters: list[tuple[str, str]]) -> str:
    """Branches on the next letter, halved behind a test of their letters: the engine tries
    branches one after the other, and a node of the tree may have a hundred."""
    if len(letters) <= 8:
        return "|".join(branch for _, branch in letters)
    half = len(letters) // 2
    return "|".join(f"(?=[{''.join(_spellings(char) for char, _ in part)}])(?:{_split(part)})"
                    for part in (letters[:half], letters[half:]))
