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
4. Latin letters compare case-insensitively (LLM, llm, Llm).
5. Leftmost, then longest: scanning left to right, the form with the most words wins
   (XML 문서 before XML), and the text inside a match is never matched again.

Nothing here knows about HTML or pages: `link.py` decides which matches become links.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .korean import PARTICLE_LENGTHS, PARTICLES, has_hangul

WORD_RE = re.compile(r"\w+")
PARTICLE_ENDINGS = frozenset(p[-1] for p in PARTICLES)  # a word not ending in one of these has no particle


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
    ends_in_word: bool  # then what follows must be a non-word or a particle


def _normalize(text: str) -> str:
    return text.casefold()


def _tail_pattern(rest: str) -> re.Pattern[str]:
    """Compile the part of a multi-word form after its first word (what may follow is checked apart)."""
    pieces = [r"\s+" if token.isspace() else re.escape(token) for token in re.findall(r"\w+|\s+|[^\w\s]", rest)]
    return re.compile("".join(pieces), re.IGNORECASE)


def _word_ends_at(text: str, end: int) -> bool:
    """True when the word ending at `end` is whole: nothing word-like follows, or exactly a particle."""
    rest = WORD_RE.match(text, end)
    return rest is None or rest.group() in PARTICLES


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
        entry = _Multi(_tail_pattern(tail), term, len(words), form[-1:].isalnum() or form.endswith("_"))
        self.multi.setdefault(_normalize(first.group()), []).append(entry)

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
                    if tail and (not entry.ends_in_word or _word_ends_at(text, tail.end())):
                        hit = Match(start, tail.end(), entry.term)
                        break
            if hit is None:
                term = single.get(word)
                if term is not None:
                    hit = Match(start, end, term)
                elif word[-1] in PARTICLE_ENDINGS:  # 2: the longest stem that is a form, before a particle
                    size = len(word)
                    for length in PARTICLE_LENGTHS:
                        if size > length and word[size - length:] in PARTICLES:
                            term = single.get(word[: size - length])
                            if term is not None:
                                hit = Match(start, end - length, term)
                                break
            if hit is not None:
                found.append(hit)
                resume = hit.end
        return found
