"""Pure text functions for Korean: particles (조사), spacing variants, 가나다 order, initial-consonant sections."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import TypeVar

T = TypeVar("T")

# ---------------------------------------------------------------------------
# Particles. A closed list: a glossary term written in Hangul (or Latin letters, as
# in "XML을") still matches when one of these follows it directly. The list is the
# particles in the table of docs/glossary.md; stacked forms are built from two short lists
# below rather than written out by hand, so that 에서+는 and 으로+도 cannot be forgotten.

# Case and other particles that attach directly to a noun.
BASE_PARTICLES = (
    "은", "는", "이", "가", "을", "를", "의", "에", "에서", "에게", "에게서", "한테", "께",
    "와", "과", "로", "으로", "로서", "으로서", "로써", "으로써", "도", "만", "까지", "부터",
    "보다", "처럼", "만큼", "마저", "조차", "이나", "나", "랑", "이랑", "하고", "이며", "며",
    "이든", "든", "라도", "이라도", "야", "이야", "밖에", "뿐", "마다", "대로",
    # Copula and quotative forms that read as "is a …" / "called …" after a noun:
    # 사과다, 바나나라는, 복숭아라고 부른다, 사과입니다.
    "이다", "다", "이고", "이었다", "였다", "이라는", "라는", "이란", "란", "인",
    "이라고", "라고", "이라며", "라며", "이라면", "라면", "이라서", "라서",
    "입니다", "입니까", "이에요", "예요", "이자", "인데", "이던", "던", "이었던", "였던", "이지만", "지만",
)

# Particles that can follow a first particle (에서+는, 으로+도, 과+의, 만+을 …).
SECOND_PARTICLES = ("은", "는", "도", "의", "만", "을", "를", "이", "가", "까지", "부터", "조차", "마저", "이나", "나", "에")

# First particles that accept a second one.
STACKING = (
    "에", "에서", "에게", "에게서", "한테", "께", "와", "과", "로", "으로", "로서", "으로서",
    "까지", "부터", "보다", "처럼", "만큼", "만", "이랑", "랑", "하고", "마다", "뿐", "대로", "조차", "마저",
)

# Pairs that are not Korean, even though both halves are particles.
_NOT_STACKED = frozenset({
    "에에", "에서에", "에게에", "에게서에", "한테에", "께에", "로에", "으로에", "로서에", "으로서에",
    "와이", "과이", "와가", "과가", "로이", "로가", "으로이", "으로가",
    "에서만", "만만", "뿐만", "뿐을", "뿐를", "뿐이나", "뿐나", "조차조차", "마저마저", "조차마저", "마저조차",
})

# The plural suffix 들 comes between a noun and its particles: 사과들이, 사과들에게는.
PLURAL = "들"

# Endings that close a sentence: they count only when punctuation or the end of the text
# follows, not a space, so that a name such as 라마다 호텔 is not read as 라마 + 다.
SENTENCE_FINAL = frozenset({"다", "이다", "였다", "이었다", "입니다", "입니까", "이에요", "예요"})

# After a one-syllable noun, a one-syllable particle too often makes another word
# (원+인 = 원인, 물+가 = 물가, 차+이 = 차이): only these may follow it.
SHORT_NOUN_PARTICLES = frozenset({"은", "는", "을", "를", "의", "에"})


def _stack() -> frozenset[str]:
    forms = set(BASE_PARTICLES)
    for first in STACKING:
        for second in SECOND_PARTICLES:
            pair = first + second
            if pair not in _NOT_STACKED:
                forms.add(pair)
    forms |= {"에서만", "뿐만", "에서부터", "로부터", "으로부터", "에게로", "으로만", "에서만은", "에서만큼은", "만으로", "만으로도"}
    forms |= {PLURAL} | {PLURAL + form for form in forms}
    return frozenset(forms)


PARTICLES: frozenset[str] = _stack()
PARTICLE_LENGTHS: tuple[int, ...] = tuple(sorted({len(p) for p in PARTICLES}))


def particle_allowed(stem: str, particle: str, following: str) -> bool:
    """Whether `particle` may end a word after the noun `stem`, given the character after the word."""
    if particle in SENTENCE_FINAL and following in (" ", "\t", "\u00a0"):
        return False
    return not (len(stem) == 1 and len(particle) == 1 and particle not in SHORT_NOUN_PARTICLES)


def stems(word: str, following: str) -> Iterator[tuple[str, str]]:
    """Yield (noun, particle) for each way `word` may be a noun with a particle attached, longest noun first.

    `following` is the character after the word (see particle_allowed). The glossary matcher takes
    the first noun that is a term's form; the search index keys a word by every one.
    """
    size = len(word)
    for length in PARTICLE_LENGTHS:
        if size <= length:
            return
        particle = word[size - length:]
        if particle in PARTICLES and particle_allowed(word[:size - length], particle, following):
            yield word[:size - length], particle


def is_hangul_syllable(char: str) -> bool:
    """True for a precomposed Hangul syllable (가–힣)."""
    return "\uac00" <= char <= "\ud7a3"


def has_hangul(text: str) -> bool:
    """True when the text contains at least one Hangul syllable."""
    return any(is_hangul_syllable(c) for c in text)


# ---------------------------------------------------------------------------
# Spacing. Korean writers space compounds freely (우주 정거장, 우주정거장): a form written
# one way is also looked for written the other way, next to Hangul only.

LETTERS_RE = re.compile(r"[^\W_]+")  # a run of letters and digits


def spaces_dropped(form: str) -> list[str]:
    """Spellings of a form of several words with some of its spaces left out, most spaces first.

    Only spaces next to Hangul are dropped (우주 정거장 -> 우주정거장; XML 문서 -> XML문서), at most
    four of them varied.
    """
    parts = re.split(r"(\s+)", form.strip())
    gaps = [i for i in range(1, len(parts), 2) if has_hangul(parts[i - 1][-1:] + parts[i + 1][:1])][:4]
    variants: list[str] = []
    for mask in range(1, 2 ** len(gaps)):
        pieces = parts[:]
        for bit, index in enumerate(gaps):
            if mask >> bit & 1:
                pieces[index] = ""
        variants.append("".join(pieces))
    return variants


def spaces_added(form: str) -> list[str]:
    """Spellings of a one-word form with spaces put in where Hangul meets another letter (우주정거장 -> 우주 정거장 …).

    Latin words are never split (사과TV -> 사과 TV, not 사과T V); at most the first five such places vary.
    """
    if not LETTERS_RE.fullmatch(form):
        return []
    gaps = [i for i in range(1, len(form)) if has_hangul(form[i - 1] + form[i])][:5]
    variants = []
    for mask in range(1, 2 ** len(gaps)):
        pieces, last = [], 0
        for bit, gap in enumerate(gaps):
            if mask >> bit & 1:
                pieces.append(form[last:gap])
                last = gap
        pieces.append(form[last:])
        variants.append(" ".join(pieces))
    return variants


# ---------------------------------------------------------------------------
# 가나다 order. Precomposed Hangul syllables are encoded in dictionary order
# (initial, then medial, then final jamo), so a syllable's code point is its rank.
# Spaces and punctuation are ignored, Latin letters compare case-insensitively,
# and whole strings group as: digits, Hangul, Latin, anything else.

CHOSEONG = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
SECTION_OF = {"ㄲ": "ㄱ", "ㄸ": "ㄷ", "ㅃ": "ㅂ", "ㅆ": "ㅅ", "ㅉ": "ㅈ"}
HANGUL_SECTIONS = tuple("ㄱㄴㄷㄹㅁㅂㅅㅇㅈㅊㅋㅌㅍㅎ")
DIGIT_SECTION = "0–9"
LATIN_SECTION = "A–Z"
OTHER_SECTION = "…"
SECTIONS = (DIGIT_SECTION, *HANGUL_SECTIONS, LATIN_SECTION, OTHER_SECTION)


def _script_rank(char: str) -> int:
    if char.isdigit():
        return 0
    if is_hangul_syllable(char) or "\u3131" <= char <= "\u318e":
        return 1
    if (char.isascii() and char.isalpha()) or unicodedata.name(char, "").startswith("LATIN"):
        return 2
    return 3


def sort_key(text: str) -> tuple[int, str, str]:
    """Return a key that sorts strings in 가나다 order: digits, Hangul, Latin A–Z, others."""
    folded = unicodedata.normalize("NFC", text).casefold()
    letters = "".join(c for c in folded if c.isalnum())
    rank = _script_rank(letters[0]) if letters else 3
    return (rank, letters, text)


def initial_consonant(char: str) -> str:
    """Return the initial consonant (초성) of a Hangul syllable, e.g. 까 -> ㄲ; '' otherwise."""
    if not is_hangul_syllable(char):
        return char if "\u3131" <= char <= "\u314e" else ""
    return CHOSEONG[(ord(char) - 0xAC00) // 588]


def section_of(text: str) -> str:
    """Return the index section a headword belongs in: ㄱ…ㅎ (doubled under plain), 0–9, A–Z or …."""
    letters = [c for c in unicodedata.normalize("NFC", text) if c.isalnum()]
    if not letters:
        return OTHER_SECTION
    first = letters[0]
    rank = _script_rank(first)
    if rank == 0:
        return DIGIT_SECTION
    if rank == 1:
        consonant = initial_consonant(first)
        return SECTION_OF.get(consonant, consonant) or OTHER_SECTION
    if rank == 2:
        return LATIN_SECTION
    return OTHER_SECTION


def group_by_section(items: list[tuple[str, T]]) -> list[tuple[str, list[T]]]:
    """Sort (headword, item) pairs in 가나다 order and group them into non-empty sections."""
    ordered = sorted(items, key=lambda pair: sort_key(pair[0]))
    groups: dict[str, list[T]] = {}
    for headword, item in ordered:
        groups.setdefault(section_of(headword), []).append(item)
    return [(name, groups[name]) for name in SECTIONS if name in groups]
