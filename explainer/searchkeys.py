"""What the search index holds for each word: the keys a reader's query reaches it by.

Pagefind, the search library, indexes words split at whitespace and finds every word that
*starts with* what the reader typed. For Korean that is both too much and too little: 사과
finds 사과를 (good) but also 사과나무 (a longer word), a run such as 사과·배와 is one word,
and an English name never finds its Korean term. So every word of the indexed text carries,
after its visible letters, keys of our own:

- the word itself, lower-cased, letters and digits only, for each part of a run (사과·배와
  gives 사과 and 배와);
- the word less each particle (조사) that may end it by the glossary's rules in
  `korean.py` (사과를 -> 사과, 배와 -> 배);
- the key of every glossary term the word belongs to, found by `termmatch.TermMatcher`
  (display form, English form, aliases, multi-word forms with any spacing): the term's
  display form written without spaces (우주 정거장 -> 우주정거장).

A key is wrapped in MARK on both sides, so that no key is the beginning of another (사과
never reaches 사과나무, whose key is a different word), and is attached to its word with
JOIN, a punctuation mark at which Pagefind splits a word into parts that it indexes at the
word's position. The browser does the same on its side (`search.js`): it turns a query into
the same keys, using the table `query_table` returns, and strips the keys from what it shows.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Any

from .korean import PARTICLE_LENGTHS, PARTICLES, SENTENCE_FINAL, SHORT_NOUN_PARTICLES, particle_allowed
from .model import Term
from .termmatch import TermMatcher

MARK = "\u01c2"  # ǂ: a letter (so Pagefind keeps it inside a word) that no Korean or English text uses
JOIN = "^"  # ASCII punctuation: Pagefind indexes the parts of a word split at it
PART_RE = re.compile(r"[^\W_]+")  # letters and digits: the parts of a whitespace-separated word
TOKEN_RE = re.compile(r"\S+")
FORMAT_VERSION = 1  # of the table the browser reads; bump when the keys change meaning


def compact(text: str) -> str:
    """Return text as a key: NFC, lower-cased, letters and digits only (우주 정거장 -> 우주정거장)."""
    return "".join(PART_RE.findall(unicodedata.normalize("NFC", text).lower().replace(MARK, "")))


def stems(word: str, following: str) -> list[str]:
    """Return the nouns `word` may be with a particle attached (한국에서는 -> 한국에서, 한국), longest first."""
    found = []
    for length in PARTICLE_LENGTHS:
        if len(word) > length and word[-length:] in PARTICLES and particle_allowed(word[:-length], word[-length:], following):
            found.append(word[:-length])
    return found


def term_key(term: Term) -> str:
    """Return the key every form of a term is indexed and searched by: its display form, compacted."""
    return compact(term.term) or term.id


class SearchKeys:
    """The keys of one site: its glossary compiled once, applied to any number of texts."""

    def __init__(self, terms: Iterable[Term]) -> None:
        self.terms = tuple(terms)
        self.keys = {term.id: term_key(term) for term in self.terms}
        self.matcher = TermMatcher((form, term.id) for term in self.terms for form in term.forms)

    def word_keys(self, token: str, following: str) -> list[str]:
        """Keys of one whitespace-separated word from its own letters: each part, and each part less a particle."""
        keys: list[str] = []
        for part in PART_RE.finditer(token):
            word = compact(part.group())
            if not word:
                continue
            after = token[part.end():part.end() + 1] or following
            for key in (word, *stems(word, after)):
                if key not in keys:
                    keys.append(key)
        return keys

    def index_text(self, text: str) -> str:
        """Return `text` with each word followed by its keys (JOIN MARK key MARK …)."""
        text = text.replace(MARK, "")
        terms_at: dict[int, list[str]] = {}
        tokens = list(TOKEN_RE.finditer(text))
        for match in self.matcher.find(text):
            key = self.keys[match.term]
            for index, token in enumerate(tokens):
                if token.start() < match.end and token.end() > match.start:
                    terms_at.setdefault(index, []).append(key)
        pieces: list[str] = []
        last = 0
        for index, token in enumerate(tokens):
            pieces.append(text[last:token.end()])
            last = token.end()
            keys = self.word_keys(token.group(), text[token.end():token.end() + 1] or " ")
            for key in terms_at.get(index, ()):
                if key not in keys:
                    keys.append(key)
            pieces.extend(f"{JOIN}{MARK}{key}{MARK}" for key in keys)
        pieces.append(text[last:])
        return "".join(pieces)

    def query_table(self) -> dict[str, Any]:
        """Return what the browser needs to turn a query into keys: term forms and the particle rules."""
        forms: dict[str, str] = {}
        for term in sorted(self.terms, key=lambda t: t.id):
            for form in term.forms:
                forms.setdefault(compact(form), self.keys[term.id])
        return {
            "version": FORMAT_VERSION,
            "mark": MARK,
            "join": JOIN,
            "forms": dict(sorted(forms.items())),
            "particles": sorted(PARTICLES, key=lambda p: (-len(p), p)),
            "sentenceFinal": sorted(SENTENCE_FINAL),
            "shortNounParticles": sorted(SHORT_NOUN_PARTICLES),
        }


def strip_keys(indexed: str) -> str:
    """Return the visible text of an indexed text: every JOIN MARK key MARK removed."""
    return re.sub(re.escape(JOIN + MARK) + f"[^{MARK}\\s]*{MARK}", "", indexed)

