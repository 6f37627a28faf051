"""Find glossary terms in running text: pure text in, (start, end, term) out.

The rules, in the order they are applied:

1. Text is split into words: maximal runs of letters and digits (`\\w+`), so Hangul,
   Latin and digits written together are one word (사과나무, 버전2, JSONL, XML문서).
2. A form (display form, English form or alias) of one word matches a whole word, or a
   word that is the form followed directly by a particle from `korean.PARTICLES`
   (사과를, XML을). The match covers the noun only; the particle stays outside.
3. A form of several words (우주 정거장, XML 문서) matches the same words with any
   whitespace between them; only its last word may carry a particle. A Hangul form is
   also matched written without its spaces (우주정거장), unless that spelling belongs
   to another term.
4. Latin letters compare case-insensitively (XML, xml, Xml).
5. Leftmost, then longest: scanning left to right, the form with the most words wins
   (XML 문서 before XML), and the text inside a match is never matched again.

Nothing here knows about HTML or pages: `link.py` decides which matches become links.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .korean import PARTICLES, has_hangul, particle_splits

WORD_RE = re.compile(r"\w+")
_PARTICLE_ALT = "|".join(sorted((re.escape(p) for p in PARTICLES), key=len, reverse=True))


@dataclass(frozen=True, slots=True)
class Match:
    """One occurrence of a term: text[start:end] is the noun, without any particle."""

    start: int
    end: int
    term: str


@dataclass(frozen=True, slots=True)
class _Multi:
    tail: re.Pattern[str]  # matched right after the first word
    term: str
    words: int


def _normalize(text: str) -> str:
    return text.casefold()


def _tail_pattern(rest: str) -> re.Pattern[str]:
    """Compile the part of a multi-word form after its first word."""
    pieces: list[str] = []
    for token in re.findall(r"\w+|\s+|[^\w\s]", rest):
        if token.isspace():
            pieces.append(r"\s+")
        else:
            pieces.append(re.escape(token))
    last_is_word = bool(re.search(r"\w$", rest))
    ending = rf"(?=(?:{_PARTICLE_ALT})?(?!\w))" if last_is_word else ""
    return re.compile("".join(pieces) + ending, re.IGNORECASE)


class TermMatcher:
    """Compiled from (form, term id) pairs; `find` returns every match, leftmost-longest."""

    def __init__(self, forms: Iterable[tuple[str, str]]) -> None:
        self.single: dict[str, str] = {}
        self.multi: dict[str, list[_Multi]] = {}
        pairs = [(form.strip(), term) for form, term in forms if form and form.strip()]
        explicit = {_normalize(form) for form, _ in pairs}
        for form, term in pairs:
            self._add(form, term)
        for form, term in pairs:  # 3: a spaced Hangul form also matches written solid
            joined = re.sub(r"\s+", "", form)
            if joined != form and has_hangul(form) and _normalize(joined) not in explicit:
                self._add(joined, term)
        for entries in self.multi.values():
            entries.sort(key=lambda m: -m.words)

    def _add(self, form: str, term: str) -> None:
        words = WORD_RE.findall(form)
        if not words:
            return
        first = WORD_RE.match(form)
        if len(words) == 1 and first is not None and first.group() == form:
            self.single.setdefault(_normalize(form), term)
            return
        if first is None:  # a form starting with punctuation cannot anchor on a word
            return
        tail = form[first.end():]
        self.multi.setdefault(_normalize(first.group()), []).append(_Multi(_tail_pattern(tail), term, len(words)))

    def __len__(self) -> int:
        return len(self.single) + sum(len(v) for v in self.multi.values())

    def find(self, text: str) -> list[Match]:
        """Return the matches in `text`, left to right, never overlapping."""
        found: list[Match] = []
        resume = 0
        single = self.single
        multi = self.multi
        for word_match in WORD_RE.finditer(text):
            start = word_match.start()
            if start < resume:
                continue
            word = word_match.group().casefold()
            end = word_match.end()
            hit: Match | None = None
            entries = multi.get(word)
            if entries:
                for entry in entries:
                    tail = entry.tail.match(text, end)
                    if tail:
                        hit = Match(start, tail.end(), entry.term)
                        break
            if hit is None:
                term = single.get(word)
                if term is not None:
                    hit = Match(start, end, term)
                else:
                    for stem, particle in particle_splits(word):
                        term = single.get(stem)
                        if term is not None:
                            hit = Match(start, end - len(particle), term)
                            break
            if hit is not None:
                found.append(hit)
                resume = hit.end
        return found
