"""Pure text functions for Korean: particles (조사), spacing variants, 가나다 order, initial-consonant sections."""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterator
from typing import TypeVar

T = TypeVar("T")

def is_hangul_syllable(char: str) -> bool:
    """True for a precomposed Hangul syllable (가–힣)."""
    return "\uac00" <= char <= "\ud7a3"


def has_hangul(text: str) -> bool:
    """True when the text contains at least one Hangul syllable."""
    return any(is_hangul_syllable(c) for c in text)


# ---------------------------------------------------------------------------
# Particles (조사). A closed list: a glossary term written in Hangul (or Latin letters, as
# in "XML을") still matches when one of these follows it directly. The list follows the
# grammar, not the texts we happened to read: the classes and members are those of 남기심·
# 고영근, 『표준 국어문법론』 (격조사, 접속조사, 보조사, and the forms of the 서술격 조사 이다),
# checked against the 조사 entries of 국립국어원 『표준국어대사전』, which also give the
# contracted forms (엔 「'에는'의 준말」, 에선 「'에서는'의 준말」 …). A pair "A/B" is one particle:
# A after a final consonant (받침), B after a vowel. docs/glossary.md shows the table that
# `markdown_table` makes of them (scripts/refresh_docs.py); left out, with the reason:
# vocatives (아, 야, 여, 이여: they address a person), speech-only 더러 and 보고 (보고 is also a
# noun), archaic 서껀, 그려, 손, 일랑, 인즉, and 서 ('에서') and 론 ('로는'), which are also the
# suffixes -書/-署 and -論 (보고서, 경찰서, 규제론) and would split those words.

# 격조사: case particles.
CASE = ("이/가", "께서", "을/를", "의", "에", "에서", "에게", "에게서", "한테", "한테서", "께", "으로/로", "으로서/로서",
        "으로써/로써", "으로부터/로부터", "과/와", "하고", "이랑/랑", "처럼", "같이", "만큼", "만치", "보다", "에다", "에다가",
        "이라고/라고")
# 접속조사: connective (listing) particles.
CONNECTIVE = ("과/와", "하고", "이며/며", "에다", "에다가", "이랑/랑", "이나/나", "이니/니", "이냐/냐", "이든/든", "이든지/든지",
              "이든가/든가")
# 보조사: auxiliary particles.
AUXILIARY = ("은/는", "도", "만", "까지", "마저", "조차", "부터", "마다", "요", "이나/나", "이나마/나마", "이라도/라도", "이야/야",
             "이야말로/야말로", "밖에", "뿐", "대로", "은커녕/는커녕", "커녕", "치고", "이란/란", "이든/든", "이든지/든지")
# 서술격 조사 이다, in the forms that follow a noun in running text (사과다, 바나나라는, 복숭아라고,
# 사과입니다); after a vowel the 이 may drop (사과였다, 사과예요). Not 고, 면, 자, 라 alone: they are
# also the suffixes -庫/-高, -面, -者 (창고, 측면, 경쟁자).
COPULA = ("이다/다", "이고", "이며/며", "이면", "이니/니", "이라", "이라서/라서", "이라고/라고", "이라는/라는", "이란/란",
          "이라며/라며", "이라면/라면", "이라도/라도", "이든/든", "이든지/든지", "이지만/지만", "이자", "이던/던", "인", "인데",
          "인지", "인가", "입니다", "입니까", "이에요/예요", "이었다/였다", "이었고/였고", "이었으며/였으며", "이었던/였던",
          "이었지만/였지만", "이어서/여서", "이므로/므로", "이냐/냐")

# Stacking (조사 결합): a case particle of place, means or comparison may take an auxiliary
# (에서는, 으로도, 과의, 처럼은) or a delimiter (에서만, 에게까지, 에서부터), which may take an
# auxiliary in turn, one of the commonest (에서만은, 에게까지도); a delimiter alone may take an auxiliary, a structural
# case or the copula (만을, 까지도, 뿐이다); 만 and 까지 may come before a case particle (만으로,
# 만으로는, 까지와); a choice 이냐/냐 takes the case of the whole (사과냐 배냐를). Within a stack the
# second particle agrees with the first (에서는 and 으로는, never 에서은): the pairs above.
STACKING = ("에", "에서", "에게", "에게서", "한테", "한테서", "께", "께서", "으로/로", "으로서/로서", "으로써/로써",
            "으로부터/로부터", "과/와", "하고", "이랑/랑", "처럼", "같이", "만큼", "보다", "에다", "에다가")
DELIMITERS = ("만", "까지", "부터", "조차", "마저", "마다", "뿐", "대로", "밖에")
CLOSING = ("은/는", "도", "의", "요", "이나/나", "이나마/나마", "이라도/라도", "이야/야", "이야말로/야말로", "이든/든",
           "이든지/든지", "은커녕/는커녕", "치고")
STRUCTURAL = ("이/가", "을/를")
THIRD = ("은/는", "도", "의", "이나/나", "이라도/라도", "이야/야")  # the auxiliaries that close a stack of three (에서만은)
CHOICE_CASES = (*STRUCTURAL, "은/는", "도", "의")  # after 이냐/냐
AFTER_CASE = ("만", "까지", "조차", "마저", "만큼")  # the delimiters a case particle takes (에서만, 에게까지)
BEFORE_CASE = ("만", "까지")  # the delimiters that come before a case particle (만으로, 까지와) …
CASE_AFTER = ("에", "으로/로", "과/와")  # … and the case particles they take
PAIRS = ("까지만", "뿐만", "에서부터", "에게로", "한테로")  # two particles of one slot that still stack
# Contractions of a stack ending in 는 (에는 -> 엔, 에서는 -> 에선, 으로는 -> 으론, 까지는 -> 까진),
# after these particles only: 로는 -> 론 is left out (see -論 above).
CONTRACTING = ("에", "에서", "에게", "에게서", "한테", "한테서", "으로", "으로서", "로서", "보다", "까지", "부터")

# Compounds written as one word (XML시대, 사과시장): a term glued to the word after it is still
# the term when that word is one the matcher knows: another term, a particle, or one of these
# nouns that head compounds in news and explainer writing, none of them tied to a topic and none
# shorter than two syllables. Any other word glued on makes another word: 사과나무 is not 사과 +
# 나무, 우주선 is not 우주 + 선.
HEAD_NOUNS = frozenset({
    "시대", "업계", "기업", "업체", "회사", "시장", "산업", "분야", "부문", "사업", "기술", "모델", "제품", "서비스",
    "플랫폼", "생태계", "전략", "정책", "규제", "경쟁", "투자", "개발", "연구", "관련", "기반", "전용", "열풍",
})

# The plural suffix 들 comes between a noun and its particles: 사과들이, 사과들에게는.
PLURAL = "들"

# Endings that close a sentence: they count only when punctuation or the end of the text
# follows, not a space, so that a name such as 라마다 호텔 is not read as 라마 + 다.
SENTENCE_FINAL = frozenset({"다", "이다", "였다", "이었다", "입니다", "입니까", "이에요", "예요"})

# After a one-syllable noun, a one-syllable particle too often makes another word
# (원+인 = 원인, 물+가 = 물가, 차+이 = 차이): only these may follow it.
SHORT_NOUN_PARTICLES = frozenset({"은", "는", "을", "를", "의", "에"})


def has_final(syllable: str) -> bool:
    """True when a Hangul syllable ends in a consonant (받침): 삼, 강; False for 사, 가 and anything else."""
    return is_hangul_syllable(syllable) and (ord(syllable) - 0xAC00) % 28 != 0


def _forms(entries: tuple[str, ...]) -> list[str]:
    """Every spelling of a list of particles: both halves of each pair."""
    return [form for entry in entries for form in entry.split("/")]


def _after(first: str, entries: tuple[str, ...]) -> list[str]:
    """`first` followed by each of `entries`, the half of each pair that agrees with first's last syllable."""
    final = has_final(first[-1])
    out = []
    for entry in entries:
        halves = entry.split("/")
        out.append(first + (halves[0] if final or len(halves) == 1 else halves[1]))
    return out


def _contract(stack: str) -> str:
    """에서는 -> 에선: the 는 at the end of a stack joined to the syllable before it as its final ㄴ."""
    last = stack[-2]
    return stack[:-2] + chr(ord(last) + 4)  # ㄴ is final number 4; `last` has none


def _contracts(stack: str) -> bool:
    """True for a stack whose final 는 may join the syllable before it (에서는 -> 에선)."""
    return len(stack) > 1 and stack.endswith("는") and not has_final(stack[-2]) and any(stack[:-1].endswith(c) for c in CONTRACTING)


def _stack() -> frozenset[str]:
    forms = set(_forms(CASE + CONNECTIVE + AUXILIARY + COPULA + DELIMITERS) + list(PAIRS))
    cases = _forms(STACKING)
    delimited = [stacked for first in cases for stacked in _after(first, AFTER_CASE)] + ["에서부터", "까지만"]
    before = [stacked for first in BEFORE_CASE for stacked in _after(first, CASE_AFTER)]
    forms.update(delimited + before)
    for first in [*cases, *DELIMITERS, "뿐만"]:
        forms.update(_after(first, CLOSING))
    for first in delimited + before:
        forms.update(_after(first, THIRD))
    for first in DELIMITERS:
        forms.update(_after(first, STRUCTURAL + COPULA))
    for first in _forms(("이냐/냐",)):  # a choice takes the case of the whole: 사과냐 배냐를, 사과냐 배냐는
        forms.update(_after(first, CHOICE_CASES))
    forms.update(_contract(form) for form in list(forms) if _contracts(form))
    forms |= {PLURAL} | {PLURAL + form for form in forms}
    return frozenset(forms)


PARTICLES: frozenset[str] = _stack()
PARTICLE_LENGTHS: tuple[int, ...] = tuple(sorted({len(p) for p in PARTICLES}))


def particle_table() -> str:
    """The particle list as the Markdown table of docs/glossary.md (refreshed by scripts/refresh_docs.py)."""
    def cell(entries: tuple[str, ...] | frozenset[str] | list[str]) -> str:
        return " ".join(f"`{entry}`" for entry in entries)

    contracted = [_contract(first + "는") for first in CONTRACTING]
    rows = [
        ("격조사 (case)", cell(CASE)),
        ("접속조사 (connective)", cell(CONNECTIVE)),
        ("보조사 (auxiliary)", cell(AUXILIARY)),
        ("서술격 조사 이다 (copula)", cell(COPULA)),
        ("stacked: a case particle …", cell(STACKING)),
        ("… then a delimiter", cell(AFTER_CASE)),
        ("delimiters (alone or after a case particle)", cell(DELIMITERS)),
        ("… then an auxiliary", cell(CLOSING) + "; after two particles only " + cell(THIRD)),
        ("… or (after a delimiter alone) a case or the copula", cell(STRUCTURAL) + " and the copula's forms"),
        ("delimiters before a case particle …", cell(BEFORE_CASE)),
        ("… and the case particles they take", cell(CASE_AFTER)),
        ("a choice, then the case of the whole", "`이냐/냐` then " + cell(CHOICE_CASES)),
        ("other pairs", cell(PAIRS)),
        ("contracted (준말): 는 joined to the syllable before it", cell(contracted) + ", and so at the end of a stack (만으론, 에서부턴)"),
        ("plural, before any of these", f"`{PLURAL}`"),
        ("only after punctuation or the end, not a space", cell(sorted(SENTENCE_FINAL))),
        ("the only one-syllable particles after a one-syllable noun", cell(sorted(SHORT_NOUN_PARTICLES))),
    ]
    lines = ["| particles | |", "|---|---|", *(f"| {name} | {value} |" for name, value in rows)]
    lines.append(f"\nIn all {len(PARTICLES)} spellings (`explainer/text/korean.py`: `PARTICLES`); a pair `A/B` is one "
                 "particle, A after a final consonant, B after a vowel, and both follow any noun.")
    return "\n".join(lines)


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


def spaces_put(form: str) -> list[str]:
    """Spellings of a one-word form with spaces where its parts may meet (사과TV -> 사과 TV, 국제우주정거장 -> 국제 우주정거장 …).

    Compound terms are written both ways (한글 맞춤법 제49항, 제50항: 고유 명사와 전문 용어는 단어별로
    띄어 씀을 원칙으로 하되, 붙여 쓸 수 있다). A space may go where Hangul meets a Latin letter or a
    digit, and between Hangul syllables that leave at least two syllables on either side (Korean
    nouns are rarely one syllable long); Latin words are never split. At most three spaces, in
    the first eight such places (at most 92 spellings, however long the form).
    """
    if not LETTERS_RE.fullmatch(form) or not has_hangul(form):
        return []
    hangul = [is_hangul_syllable(c) for c in form]
    gaps = [i for i in range(1, len(form)) if hangul[i - 1] or hangul[i]][:8]
    starts, ends = list(range(len(form))), list(range(1, len(form) + 1))  # where the Hangul run at each place starts, ends
    for i in range(1, len(form)):
        if hangul[i] and hangul[i - 1]:
            starts[i] = starts[i - 1]
    for i in range(len(form) - 2, -1, -1):
        if hangul[i] and hangul[i + 1]:
            ends[i] = ends[i + 1]
    variants = []
    for count in (1, 2, 3):
        for chosen in itertools.combinations(gaps, count):
            cuts = (0, *chosen, len(form))
            # a cut inside a run of Hangul leaves at least two of its syllables on each side
            if all(not (hangul[gap - 1] and hangul[gap])
                   or (gap - max(cuts[k], starts[gap - 1]) >= 2 and min(cuts[k + 2], ends[gap]) - gap >= 2)
                   for k, gap in enumerate(chosen)):
                variants.append(" ".join(form[a:b] for a, b in itertools.pairwise(cuts)))
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
OTHER_SECTION = "…"


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
    """Return the index section a headword belongs in: ㄱ…ㅎ (doubled under plain), its Latin letter (É under E), 0–9 or …."""
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
        return unicodedata.normalize("NFD", first)[0].upper()
    return OTHER_SECTION


def section_rank(name: str) -> tuple[int, int]:
    """Where a section stands in an index: Hangul ㄱ…ㅎ first, then Latin letters A…Z, then digits, then other scripts."""
    if name in HANGUL_SECTIONS:
        return (0, HANGUL_SECTIONS.index(name))
    if name == DIGIT_SECTION:
        return (2, 0)
    if name == OTHER_SECTION:
        return (3, 0)
    return (1, ord(name[0]))


def group_by_section(items: list[tuple[str, T]]) -> list[tuple[str, list[T]]]:
    """Sort (headword, item) pairs in 가나다 order and group them into non-empty sections."""
    ordered = sorted(items, key=lambda pair: sort_key(pair[0]))
    groups: dict[str, list[T]] = {}
    for headword, item in ordered:
        groups.setdefault(section_of(headword), []).append(item)
    return [(name, groups[name]) for name in sorted(groups, key=section_rank)]
