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

Nothing here knows about HTML or pages: `glossary.py` decides which matches become links.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .korean import PARTICLES, spaces_dropped, stems

WORD_RE = re.compile(r"\w+")
PARTICLE_ENDINGS = frozenset(p[-1] for p in PARTICLES)  # a word not ending in one of these has no particle


@dataclass(frozen=True, slots=True)
class Match:
    """One occurrence of a term: text[start:end] is the noun, without any particle."""

    start: int
    end: int
    term: str


@dataclass(frozen=True, slots=True)
class _Single:
    term: str
    exact: str  # for a form in capitals: the only spelling that matches ('' when any case does)


@dataclass(frozen=True, slots=True)
class _Multi:
    first: str  # the first word as written, for forms in capitals
    tail: re.Pattern[str]  # matched right after the first word
    term: str
    words: int
    ends_in_word: bool  # then what follows must be a non-word or a particle


def _normalize(text: str) -> str:
    return text.casefold()


def _in_capitals(form: str) -> bool:
    """True for a form written in capitals (XML, WHO, XML 문서), which must match case exactly."""
    return form == form.upper() and form != form.lower()


def _tail_pattern(rest: str, exact: bool) -> re.Pattern[str]:
    """Compile the part of a multi-word form after its first word (what may follow is checked apart)."""
    pieces = [r"\s+" if token.isspace() else re.escape(token) for token in re.findall(r"\w+|\s+|[^\w\s]", rest)]
    return re.compile("".join(pieces), 0 if exact else re.IGNORECASE)


def _word_ends_at(text: str, end: int) -> bool:
    """True when the word ending at `end` is whole: nothing word-like follows, or exactly a particle."""
    rest = WORD_RE.match(text, end)
    return rest is None or rest.group() in PARTICLES


class TermMatcher:
    """Compiled from (form, term id) pairs; `find` returns every match, leftmost-longest."""

    def __init__(self, forms: Iterable[tuple[str, str]]) -> None:
        self.single: dict[str, _Single] = {}
        self.multi: dict[str, list[_Multi]] = {}
        pairs = [(form.strip(), term) for form, term in forms if form and form.strip()]
        explicit = {re.sub(r"\s+", " ", _normalize(form)) for form, _ in pairs}
        for form, term in pairs:
            self._add(form, term)
        for form, term in pairs:  # 3: a spaced Hangul form also matches with spaces left out
            for variant in spaces_dropped(form):
                if _normalize(variant) not in explicit:
                    self._add(variant, term)
        for entries in self.multi.values():
            entries.sort(key=lambda m: -m.words)

    def _add(self, form: str, term: str) -> None:
        words = WORD_RE.findall(form)
        if not words:
            return
        first = WORD_RE.match(form)
        exact = _in_capitals(form)
        if len(words) == 1 and first is not None and first.group() == form:
            key = _normalize(form)
            known = self.single.get(key)
            if known is None:
                self.single[key] = _Single(term, form if exact else "")
            elif known.term == term and known.exact != (form if exact else ""):
                self.single[key] = _Single(term, "")  # the same term written in two cases: any case matches
            return
        if first is None:  # a form starting with punctuation cannot anchor on a word
            return
        tail = form[first.end():]
        entry = _Multi(first.group() if exact else "", _tail_pattern(tail, exact), term, len(words),
                       form[-1:].isalnum() or form.endswith("_"))
        self.multi.setdefault(_normalize(first.group()), []).append(entry)

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
                    if entry.first and word_match.group() != entry.first:
                        continue
                    tail = entry.tail.match(text, end)
                    if tail and (not entry.ends_in_word or _word_ends_at(text, tail.end())):
                        hit = Match(start, tail.end(), entry.term)
                        break
            if hit is None:
                found_single = single.get(word)
                if found_single is not None:
                    if not found_single.exact or found_single.exact == word_match.group():
                        hit = Match(start, end, found_single.term)
                elif word[-1] in PARTICLE_ENDINGS:  # 2: the longest stem that is a form, before a particle
                    for stem, particle in stems(word, text[end:end + 1]):
                        found_single = single.get(stem)
                        if found_single is not None:
                            noun_end = end - len(particle)
                            if not found_single.exact or found_single.exact == text[start:noun_end]:
                                hit = Match(start, noun_end, found_single.term)
                            break
            if hit is not None:
                found.append(hit)
                resume = hit.end
        return found
