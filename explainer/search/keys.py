"""What the search index holds for each word: the keys a reader's query reaches it by.

Pagefind, the search library, indexes words split at whitespace and finds every word that
*starts with* what the reader typed. For Korean that is both too much and too little: 사과
finds 사과를 (good) but also 사과나무 (a longer word), a run such as 사과·배와 is one word,
and an English name never finds its Korean term. So the indexed text gives each word keys:

- the word itself, lower-cased, letters and digits only, for each part of a run (사과·배와
  gives 사과 and 배와);
- the word less each particle (조사) that may end it by the glossary's rules in
  `korean.py` (사과를 -> 사과, 배와 -> 배);
- the key of every glossary term the word belongs to, found by `termmatch.TermMatcher`
  (display form, English form, aliases, multi-word forms with any spacing, and forms
  written as one word found spaced: 우주정거장 in 우주 정거장): the term's display form
  written without spaces (우주 정거장 -> 우주정거장).

Every key is wrapped in MARK on both sides, so that no key is the beginning of another:
사과 never reaches 사과나무, whose key is a different word. A word of one part is shown with
MARK around its letters (‘ǂ사과를ǂ’), which makes it its own first key; each further key
follows as a word of its own, JOIN MARK key MARK (^ǂ사과ǂ), after the word it belongs to.
The browser does the same on its side (`search.js`): it turns a query into the same keys
with the table `query_table` returns, shows only the words (without MARK), and highlights
a word when it or one of the keys after it was a hit.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterable
from itertools import accumulate
from typing import Any

from ..model import Term
from ..text.korean import LETTERS_RE, PARTICLES, SENTENCE_FINAL, SHORT_NOUN_PARTICLES, spaces_added, stems
from ..text.termmatch import TermMatcher

MARK = "\u01c2"  # ǂ: a letter (so Pagefind keeps it inside a word) that no Korean or English text uses
JOIN = "^"  # starts a key that is not a shown word (ASCII punctuation: Pagefind indexes the key without it)
PART_RE = LETTERS_RE  # letters and digits: the parts of a whitespace-separated word
TOKEN_RE = re.compile(r"\S+")
FORMAT_VERSION = 1  # of the table the browser reads; bump when the keys change meaning


def compact(text: str) -> str:
    """Return text as a key: NFC, lower-cased, letters and digits only (우주 정거장 -> 우주정거장)."""
    return "".join(PART_RE.findall(unicodedata.normalize("NFC", text).lower().replace(MARK, "")))


def term_key(term: Term) -> str:
    """Return the key every form of a term is indexed and searched by: its display form, compacted."""
    return compact(term.term) or term.id


class SearchKeys:
    """The keys of one site: its glossary compiled once, applied to any number of texts."""

    def __init__(self, terms: Iterable[Term], digest: str = "") -> None:
        self.terms = tuple(terms)
        self.digest = digest  # the hash of the terms' forms it was made from (the search cache's key)
        self.keys = {term.id: term_key(term) for term in self.terms}
        self.seen: dict[tuple[str, str], tuple[str, ...]] = {}  # word_keys of words met before
        self.pieces: dict[tuple[str, ...], str] = {}  # index_text's piece of a word (what follows it, its terms' keys) met before
        forms = [(form, term.id) for term in self.terms for form in term.forms]
        # the forms as written come first: where a spaced variant is also another term's form, that term wins
        self.matcher = TermMatcher(forms + [(variant, term) for form, term in forms for variant in spaces_added(form)],
                                   not_before={term.id: term.not_before for term in self.terms if term.not_before},
                                   not_in=[(phrase, term.id) for term in self.terms for phrase in term.not_in])

    def word_keys(self, token: str, following: str) -> list[str]:
        """Keys of one whitespace-separated word from its own letters: each part, and each part less a particle."""
        known = self.seen.get((token, following))
        if known is None:
            known = self.seen[(token, following)] = tuple(self._word_keys(token, following))
        return list(known)

    def _word_keys(self, token: str, following: str) -> list[str]:
        keys: list[str] = []
        for part in PART_RE.finditer(token):
            word = compact(part.group())
            if not word:
                continue
            after = token[part.end():part.end() + 1] or following
            for key in (word, *(stem for stem, _ in stems(word, after))):
                if key not in keys:
                    keys.append(key)
        return keys

    def index_text(self, text: str) -> str:
        """Return `text` as indexed: each word's parts wrapped in MARK, then its further keys (ǂ사과를ǂ ^ǂ사과ǂ)."""
        text = text.replace(MARK, "")
        words = text.split()
        if " ".join(words) == text:  # the usual text, words one space apart: each is followed by a space
            following: list[str] | None = None
            ends = [end - 1 for end in accumulate(len(word) + 1 for word in words)]
        else:
            tokens = list(TOKEN_RE.finditer(text))
            words = [token.group() for token in tokens]
            following = [text[token.end():token.end() + 1] or " " for token in tokens]
            ends = [token.end() for token in tokens]
        terms_at: dict[int, list[str]] = {}
        for match in self.matcher.find(text):
            index = bisect.bisect_right(ends, match.start)  # the first word ending after the match starts
            while index < len(words) and ends[index] - len(words[index]) < match.end:
                terms_at.setdefault(index, []).append(self.keys[match.term])
                index += 1
        pieces = self.pieces
        shown: list[str] = []
        for index, word in enumerate(words):
            after = following[index] if following is not None else " "
            term_keys = terms_at.get(index)
            # the same piece wherever the word stands, with the same terms around it: made once per build
            key = (word, after, *term_keys) if term_keys else (word, after)
            piece = pieces.get(key)
            if piece is None:
                piece = pieces[key] = self.piece(word, after, term_keys or ())
            shown.append(piece)
        return " ".join(shown)

    def piece(self, word: str, following: str, term_keys: Iterable[str]) -> str:
        """Return one word as indexed: shown, then the keys it does not show itself."""
        if PART_RE.fullmatch(word):  # most words: letters only, one part (what follows them is what follows the part)
            own = compact(word)
            keys = [own] if own else []
            keys += [stem for stem, _ in stems(own, following) if stem not in keys]  # longest first: no two alike
            keys += [key for key in term_keys if key not in keys]
            return " ".join([f"{MARK}{word}{MARK}", *(f"{JOIN}{MARK}{key}{MARK}" for key in keys[1:])]) if own else \
                " ".join([word, *(f"{JOIN}{MARK}{key}{MARK}" for key in keys)])
        parts = PART_RE.findall(word)
        keys = self.word_keys(word, following)
        keys += [key for key in term_keys if key not in keys]
        # A word of one part is shown wrapped (‘ǂ사과를ǂ’): that is its own key. A run of several
        # (사과·배와) is shown as it is, and all its keys follow: wrapped together, Pagefind would
        # index ǂ사과ǂ·ǂ배와ǂ as one more key that starts like ǂ사과ǂ and counts again for it.
        # A word that itself starts with JOIN (^1) is never wrapped, or it would read as a key.
        own = compact(parts[0]) if len(parts) == 1 and not word.startswith(JOIN) else ""
        shown = PART_RE.sub(lambda part: f"{MARK}{part.group()}{MARK}", word) if own else word
        return " ".join([shown, *(f"{JOIN}{MARK}{key}{MARK}" for key in keys if key != own)])

    def query_table(self) -> dict[str, Any]:
        """Return what the browser needs to turn a query into keys: term forms and the particle rules."""
        forms: dict[str, str] = {}
        for term in self.terms:  # in the matcher's order: where two terms share a form, the first has it
            for form in term.forms:
                forms.setdefault(compact(form), self.keys[term.id])
        return {
            "version": FORMAT_VERSION,
            "mark": MARK,
            "join": JOIN,
            "forms": dict(sorted(forms.items())),
            "particles": sorted(PARTICLES, key=lambda p: (len(p), p)),  # shortest first: longest stem first, as TermMatcher
            "sentenceFinal": sorted(SENTENCE_FINAL),
            "shortNounParticles": sorted(SHORT_NOUN_PARTICLES),
        }
