"""Find glossary terms in running text: pure text in, (start, end, term) out.

The rules, in the order they are applied (docs/glossary.md gives each with examples):

1. Text is split into words: maximal runs of letters and digits, so Hangul, Latin and digits
   written together are one word (사과나무, 버전2, XML문서). Footnote marks (¹ ² ①) end a word,
   and full-width letters (ＸＭＬ) read as their ASCII selves.
2. A one-word form matches a whole word, or the start of a word whose rest is
   - a particle from `korean.PARTICLES` (사과를, XML을), or
   - a word the matcher knows, glued on: another term's form or a head noun from
     `korean.HEAD_NOUNS` (XML시대, 사과시장), itself maybe followed by a particle. A digit never
     starts such a word (버전2 is a name), Latin is never split from Latin (XMLSpy), and a form
     of one letter or syllable never starts a compound. The same term in its other script
     glued on (사과Apple) is one match with it.
   The match covers the noun; a particle stays outside, a glued term is a match of its own.
3. A form of several words matches the same words with any whitespace between them; only its
   last word may carry a particle or a glued word. A form is also matched with the spaces next
   to Hangul left out (우주정거장) or put in where its parts meet (XML 문서 for XML문서:
   `korean.spaces_put`), unless that spelling is another term's.
4. Latin letters compare case-insensitively, except in a form written in capitals (XML): its
   lower- or title-case spelling (xml, Xml) matches only in Korean text (a particle or glued
   word after it, or Hangul in the word before or after it) and never where that spelling is
   an English word (`LATIN_WORDS`: it, who).
5. A Latin form followed by a hyphen and a small letter starts a hyphenated word of its own
   (meta-analysis), unless it is written in capitals as its form is (XML-based).
6. Leftmost, then longest: scanning left to right, the form with the most words wins (XML 문서
   before XML), and the text inside a match is never matched again.
7. Per term: a match followed, after a space or hyphen, by one of its `not_before` words (a
   version number that makes another name) is not the term; nor is a match inside one of its
   `not_in` phrases (the ordinary word in another sense).

Nothing here knows about HTML or pages: `glossary.py` decides which matches become links.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .candidates import RARE_RE, WORD_CHAR, candidate_pattern
from .korean import HEAD_NOUNS, PARTICLES, has_hangul, is_hangul_syllable, particle_allowed, spaces_dropped, spaces_put, stems

WORD_RE = re.compile(WORD_CHAR + "+")
WORD_CHAR_RE = re.compile(WORD_CHAR)
FULLWIDTH_RE = re.compile(r"[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
FULLWIDTH = {code: code - 0xFEE0 for code in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))}
LATIN_RUN_RE = re.compile(r"[A-Za-z]+")
SEPARATOR_RE = re.compile(r"[\s\-\u2010\u2011]*")  # between a term and a `not_before` word: spaces or a hyphen
HYPHENS = "-\u2010\u2011"
PARTICLE_ENDINGS = frozenset(p[-1] for p in PARTICLES)  # a word not ending in one of these has no particle

# English words that are also written in capitals as abbreviations (IT, WHO, US, MS): a form in
# capitals never matches them in lower or title case. The closed classes of English (pronouns,
# determiners, prepositions, conjunctions, auxiliaries and interjections) of a few letters,
# and units and clock times written in lower case.
LATIN_WORDS = frozenset({
    "a", "am", "an", "and", "any", "are", "as", "at", "be", "but", "by", "can", "did", "do", "for", "go", "had",
    "has", "he", "her", "him", "his", "how", "i", "if", "in", "is", "it", "its", "may", "me", "my", "no", "nor",
    "not", "of", "off", "oh", "ok", "on", "one", "or", "our", "out", "own", "per", "she", "so", "than", "that",
    "the", "to", "too", "two", "up", "us", "was", "we", "who", "why", "yes", "yet", "you", "ms", "ns", "km", "cm",
    "mm", "kg", "mg", "kb", "mb", "gb", "tb", "kw", "mw", "gw", "hz", "pm",
})


@dataclass(frozen=True, slots=True)
class Match:
    """One occurrence of a term: text[start:end] is the noun, without any particle."""

    start: int
    end: int
    term: str


@dataclass(frozen=True, slots=True)
class _Form:
    term: str
    written: str  # the form as the glossary writes it
    capitals: bool  # written in capitals (XML, XML 문서): rule 4


@dataclass(frozen=True, slots=True)
class _Multi:
    form: _Form
    tail: tuple[str, ...]  # what follows the first word: lower-cased pieces, " " for any run of whitespace
    words: int
    ends_in_word: bool  # then what is glued after it must be a particle or a known word


def _in_capitals(form: str) -> bool:
    """True for a form whose Latin letters are all capitals (XML, WHO, XML 문서)."""
    return form == form.upper() and form != form.lower()


def _tail(rest: str) -> tuple[str, ...]:
    """The part of a multi-word form after its first word, as pieces `_tail_end` compares."""
    return tuple(" " if token.isspace() else token.lower() for token in re.findall(r"\w+|\s+|[^\w\s]", rest))


def _tail_end(text: str, pos: int, tail: tuple[str, ...]) -> int:
    """Where `tail` ends when the text at `pos` spells it (any whitespace for a space, any case), else -1."""
    for piece in tail:
        if piece == " ":
            start = pos
            while pos < len(text) and text[pos].isspace():
                pos += 1
            if pos == start:
                return -1
        elif text[pos:pos + len(piece)].lower() == piece:
            pos += len(piece)
        else:
            return -1
    return pos


def _is_latin(char: str) -> bool:
    return char.isascii() and char.isalpha()


def _script(char: str) -> str:
    """'h' for Hangul, 'l' for a Latin letter, 'd' for a digit, 'o' for anything else."""
    if is_hangul_syllable(char):
        return "h"
    if _is_latin(char):
        return "l"
    return "d" if char.isdigit() else "o"


def _word_before(text: str, start: int) -> str:
    """The word that ends last before `start` ("" when there is none)."""
    end = start
    while end > 0 and WORD_CHAR_RE.match(text, end - 1) is None:
        end -= 1
    begin = end
    while begin > 0 and WORD_CHAR_RE.match(text, begin - 1) is not None:
        begin -= 1
    return text[begin:end]


class TermMatcher:
    """Compiled from (form, term id) pairs; `find` returns every match, leftmost-longest.

    `not_before` maps a term id to the words that, following it, make it part of another name;
    `not_in` lists (phrase, term id) pairs: phrases in which the term's form is not the term.
    """

    def __init__(self, forms: Iterable[tuple[str, str]], *, not_before: Mapping[str, Iterable[str]] | None = None,
                 not_in: Iterable[tuple[str, str]] = ()) -> None:
        self.single: dict[str, _Form] = {}
        self.multi: dict[str, list[_Multi]] = {}
        pairs = [(form.strip(), term) for form, term in forms if form and form.strip()]
        explicit = {re.sub(r"\s+", " ", form.casefold()) for form, _ in pairs}
        for form, term in pairs:
            self._add(form, term)
        for form, term in pairs:  # 3: a form also matches with spaces left out or put in
            for variant in (*spaces_dropped(form), *spaces_put(form)):
                if re.sub(r"\s+", " ", variant.casefold()) not in explicit:
                    self._add(variant, term)
        for entries in self.multi.values():
            entries.sort(key=lambda m: -m.words)
        # what a word that starts with a one-word form starts with: its first two letters, or its one
        self.starts = frozenset(key[:2] for key in self.single)
        # every prefix of a one-word form, so that the forms a word starts with are found by
        # lengthening a prefix until it is no form's, not by trying every form length
        self.prefixes = frozenset(key[:size] for key in self.single for size in range(1, len(key) + 1))
        self.candidates = candidate_pattern(self.single, self.multi, lean=True)  # for a text RARE_RE finds nothing in
        self.rare: re.Pattern[str] | None = None  # for any other: compiled at the first such text
        self.heads: dict[str, tuple[str, ...]] = {}
        for head in sorted(HEAD_NOUNS, key=len, reverse=True):
            self.heads[head[:1]] = (*self.heads.get(head[:1], ()), head)
        self.not_before = {term: tuple(w.strip().casefold() for w in words if w.strip()) for term, words in (not_before or {}).items()}
        phrases = list(not_in)
        self.vetoes = TermMatcher(phrases) if phrases else None

    def _add(self, form: str, term: str) -> None:
        words = WORD_RE.findall(form)
        if not words:
            return
        first = WORD_RE.match(form)
        entry = _Form(term, re.sub(r"\s+", " ", form), _in_capitals(form))
        if len(words) == 1 and first is not None and first.group() == form:
            key = form.casefold()
            known = self.single.get(key)
            if known is None:
                self.single[key] = entry
            elif known.term == term and known.capitals and not entry.capitals:
                self.single[key] = entry  # the same term written in two cases: any case matches
            return
        if first is None:  # a form starting with punctuation cannot anchor on a word
            return
        tail = _tail(form[first.end():])
        key = first.group().casefold()
        listed = self.multi.setdefault(key, [])
        if not any(m.form.term == term and m.tail == tail for m in listed):
            listed.append(_Multi(entry, tail, len(words), form[-1:].isalnum()))

    # -- matching ---------------------------------------------------------------------

    def find(self, text: str) -> list[Match]:
        """Return the matches in `text`, left to right, never overlapping."""
        if FULLWIDTH_RE.search(text):
            text = text.translate(FULLWIDTH)  # one character for one: the offsets stay
        found: list[Match] = []
        resume = 0
        multi, starts = self.multi, self.starts
        # most words start like no form, and no particle or glued word can make them one: the
        # pattern skips them without a step of Python; it lets through a few more than the test below
        for word_match in self._candidates(text).finditer(text):
            start = word_match.start()
            if start >= resume:
                word = word_match.group()
                lower = word.casefold()
                if lower[:2] in starts or lower[:1] in starts or lower in multi:
                    hits = self._word(text, start, word_match.end(), word, lower)
                    if hits:
                        found += hits
                        resume = hits[-1].end
        if self.vetoes is not None and found:
            vetoed = self.vetoes.find(text)
            found = [m for m in found if not any(v.term == m.term and v.start <= m.start and m.end <= v.end for v in vetoed)]
        return found

    def _candidates(self, text: str) -> re.Pattern[str]:
        """The candidate pattern `text` needs: the lean one, unless it holds a footnote mark or a letter folding to ASCII."""
        if RARE_RE.search(text) is None:
            return self.candidates
        if self.rare is None:
            self.rare = candidate_pattern(self.single, self.multi)
        return self.rare

    def _word(self, text: str, start: int, end: int, word: str, lower: str) -> list[Match]:
        """The matches starting at one word (several when terms are glued together), or []."""
        for entry in self.multi.get(lower, ()):  # 6: the form with the most words first
            stop = _tail_end(text, end, entry.tail)
            if stop < 0:
                continue
            attached = entry.ends_in_word and WORD_RE.match(text, stop) is not None
            glued = self._glued(text, stop, text[start:stop]) if attached else []
            if glued is None or not self._case_ok(entry.form, text[start:stop], None if attached else (text, start, stop)):
                continue
            if self._kept(entry.form, text, start, stop, attached):
                return self._merged([Match(start, stop, entry.form.term), *glued])
        found = self.single.get(lower)
        if found is not None:
            if self._case_ok(found, word, (text, start, end)) and self._kept(found, text, start, end, False):
                return [Match(start, end, found.term)]
            return []
        if lower[-1] in PARTICLE_ENDINGS and (lower[:2] in self.starts or lower[:1] in self.starts):  # 2: a form + a particle
            for stem, particle in stems(lower, text[end:end + 1]):
                found = self.single.get(stem)
                if found is not None:
                    noun_end = end - len(particle)
                    if len(stem) == noun_end - start and self._case_ok(found, text[start:noun_end], None):
                        return [Match(start, noun_end, found.term)]
                    break
        if lower[:2] in self.starts and len(lower) == len(word):  # 2: a form with a known word glued on
            for length in self._form_lengths(lower, len(lower) - 1):
                found = self.single[lower[:length]]
                glued = self._glued(text, start + length, word[:length])
                if glued is not None and self._case_ok(found, word[:length], None):
                    return self._merged([Match(start, start + length, found.term), *glued])
        return []

    def _glued(self, text: str, pos: int, noun: str, depth: int = 2) -> list[Match] | None:
        """What is glued to `noun`, which ends at `pos`: [] for nothing or a particle, the matches
        of glued terms, or None when the two make another word (rule 2)."""
        rest = WORD_RE.match(text, pos)
        if rest is None:
            return []
        word = rest.group()
        lower = word.casefold()
        following = text[rest.end():rest.end() + 1]
        if lower in PARTICLES:
            return [] if particle_allowed(noun, lower, following) else None
        if word[0] == "s" and noun.isascii() and noun.isupper() and (len(word) == 1 or lower[1:] in PARTICLES):
            return []  # the English plural of a form in capitals (XMLs, XMLs를): the s stays outside, as a particle
        kind, then = _script(noun[-1]), _script(word[0])
        if depth == 0 or len(noun) < 2 or then in "do" or (kind != "h" and then != "h") or len(lower) != len(word):
            return None
        term = self.single[noun.casefold()].term if noun.casefold() in self.single else ""
        for length in self._form_lengths(lower, len(lower)):
            found = self.single[lower[:length]]
            if found.term == term and kind == then:  # 사과사과 is no compound
                continue
            if not self._case_ok(found, word[:length], None):
                continue
            more = self._glued(text, pos + length, word[:length], depth - 1)
            if more is not None:
                return [Match(pos, pos + length, found.term), *more]
        for head in self.heads.get(lower[:1], ()):
            if lower.startswith(head):
                after = lower[len(head):]
                if not after or (after in PARTICLES and particle_allowed(head, after, following)):
                    return []
        return None

    def _form_lengths(self, lower: str, longest: int) -> list[int]:
        """The lengths, longest first, of the one-word forms of two letters or more that `lower` starts with, up to `longest`."""
        lengths: list[int] = []
        size = 1
        while size <= longest and lower[:size] in self.prefixes:
            if size > 1 and lower[:size] in self.single:
                lengths.append(size)
            size += 1
        return lengths[::-1]

    def _case_ok(self, form: _Form, surface: str, around: tuple[str, int, int] | None) -> bool:
        """Rule 4: a form in capitals as written, or in lower or title case in Korean text.

        `around` is (text, start of the match, end of the match) when nothing is attached to the
        match; None when a particle or word is, which makes the text Korean.
        """
        if not form.capitals or re.sub(r"\s+", " ", surface) == form.written:
            return True
        written, seen = LATIN_RUN_RE.findall(form.written), LATIN_RUN_RE.findall(surface)
        if len(written) != len(seen) or any(a != b and not (b.islower() or b.istitle()) for a, b in zip(written, seen, strict=True)):
            return False
        if seen == [surface] and surface.lower() in LATIN_WORDS:
            return False
        if around is None or has_hangul(form.written):
            return True
        text, start, stop = around
        after = WORD_RE.search(text, stop)
        return has_hangul(_word_before(text, start)) or (after is not None and has_hangul(after.group()))

    def _kept(self, form: _Form, text: str, start: int, stop: int, attached: bool) -> bool:
        """Rules 5 and 7: False when what follows a bare match makes it part of another word or name."""
        if attached or WORD_RE.match(text, stop):
            return True
        after = text[stop:stop + 2]
        hyphenated = after[:1] in HYPHENS and len(after) == 2 and after[1].islower() and _is_latin(after[1]) and _is_latin(text[stop - 1])
        if hyphenated and not (form.capitals and text[start:stop] == form.written):
            return False
        listed = self.not_before.get(form.term)
        if listed:
            at = SEPARATOR_RE.match(text, stop).end()  # type: ignore[union-attr]  # it matches the empty string
            for words in listed:
                end = at + len(words)
                if text[at:end].casefold() == words:
                    rest = WORD_RE.match(text, end)  # the listed word is whole, or carries a particle (라마 2와)
                    if rest is None or rest.group().casefold() in PARTICLES:
                        return False
        return True

    @staticmethod
    def _merged(matches: list[Match]) -> list[Match]:
        """Join a match to the one before it when both are the same term, touching (사과Apple)."""
        out = [matches[0]]
        for match in matches[1:]:
            if match.term == out[-1].term and match.start == out[-1].end:
                out[-1] = Match(out[-1].start, match.end, match.term)
            else:
                out.append(match)
        return out
