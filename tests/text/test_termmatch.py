"""Run the glossary-matching case file: each case is one test, named by its line number."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

import pytest

from conftest import ROOT
from explainer.text import candidates
from explainer.text.candidates import FOLDS_TO_ASCII
from explainer.text.termmatch import WORD_RE, TermMatcher

CASES_FILE = ROOT / "tests" / "cases" / "termmatch.txt"


@dataclass
class Glossary:
    """One glossary of the case file: its forms and per-term settings, compiled on first use."""

    forms: list[tuple[str, str]] = field(default_factory=list)
    not_before: dict[str, list[str]] = field(default_factory=dict)
    not_in: list[tuple[str, str]] = field(default_factory=list)
    compiled: TermMatcher | None = None

    def matcher(self) -> TermMatcher:
        if self.compiled is None:
            self.compiled = TermMatcher(self.forms, not_before=self.not_before, not_in=self.not_in)
        return self.compiled


def read_cases() -> tuple[list[Glossary], list[tuple[int, str, str, Glossary]]]:
    glossaries = [Glossary()]
    cases: list[tuple[int, str, str, Glossary]] = []
    for number, line in enumerate(CASES_FILE.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        if line.strip() == "@glossary":
            glossaries.append(Glossary())
            continue
        if line.startswith("@term "):
            declared, *options = line[len("@term "):].split(";")
            term, _, listed = declared.partition(":")
            term = term.strip()
            glossaries[-1].forms += [(form.strip(), term) for form in listed.split(",")]
            for option in options:
                key, _, values = option.partition(":")
                words = [value.strip() for value in values.split(",")]
                if key.strip() == "not_before":
                    glossaries[-1].not_before[term] = words
                else:
                    assert key.strip() == "not_in", f"line {number}: unknown option {key!r}"
                    glossaries[-1].not_in += [(phrase, term) for phrase in words]
            continue
        text, sep, expected = line.partition(" => ")
        assert sep, f"line {number}: a case needs ' => '"
        cases.append((number, text.replace("\\n", "\n"), expected.replace("\\n", "\n"), glossaries[-1]))
    return glossaries, cases


GLOSSARIES, CASES = read_cases()
MATCHER = GLOSSARIES[0].matcher()


def mark(text: str, matcher: TermMatcher = MATCHER) -> str:
    """Write every match into the text as [surface](term)."""
    out, position = [], 0
    for match in matcher.find(text):
        out.append(text[position:match.start])
        out.append(f"[{text[match.start:match.end]}]({match.term})")
        position = match.end
    out.append(text[position:])
    return "".join(out)


def test_case_file_is_large_enough() -> None:
    assert len(CASES) >= 80


def test_every_listed_particle_has_a_case() -> None:
    required = ["은", "는", "이", "가", "을", "를", "의", "에", "에서", "에게", "와", "과", "로", "으로", "도", "만", "까지",
                "부터", "보다", "처럼", "이나", "나", "랑", "이랑", "에서는", "에는", "으로는", "과의", "에서도",
                # issue 21: contractions, stacks, connectives
                "엔", "에선", "에겐", "한텐", "으론", "보단", "까진", "부턴", "에게선", "만으로는", "으로서는", "에게서는",
                "까지도", "만으론", "이며", "며", "이냐", "냐를", "냐는", "이나마", "나마", "이든", "든", "하고", "랑", "든지"]
    linked = re.compile(r"\]\([a-z-]+\)([가-힣]+)")
    covered = {m.group(1) for _, _, expected, _ in CASES for m in linked.finditer(expected)}
    assert set(required) <= covered, set(required) - covered


@pytest.mark.parametrize(("text", "expected", "glossary"), [(t, e, g) for _, t, e, g in CASES],
                         ids=[f"line{n}" for n, _, _, _ in CASES])
def test_case(text: str, expected: str, glossary: Glossary) -> None:
    assert mark(text, glossary.matcher()) == expected


def test_overlapping_forms_of_one_term_are_harmless() -> None:
    matcher = TermMatcher([("AI", "ai"), ("ai", "ai"), ("인공지능", "ai")])
    assert [(m.start, m.end, m.term) for m in matcher.find("ai와 인공지능")] == [(0, 2, "ai"), (4, 8, "ai")]


def test_spaceless_variant_does_not_steal_another_terms_form() -> None:
    matcher = TermMatcher([("AI 동맹", "alliance"), ("AI동맹", "other")])
    assert [m.term for m in matcher.find("AI동맹")] == ["other"]
    assert [m.term for m in matcher.find("AI 동맹")] == ["alliance"]


def test_the_word_filter_passes_every_word_a_form_may_start() -> None:
    # find() looks only at the words its compiled pattern lets through; looking at every word
    # must find the same, whatever the case, quotes, marks or letters that casefold to two
    matcher = GLOSSARIES[0].matcher()
    every_word = TermMatcher(GLOSSARIES[0].forms, not_before=GLOSSARIES[0].not_before, not_in=GLOSSARIES[0].not_in)
    every_word.candidates = every_word.rare = WORD_RE
    forms = [form for form, _ in GLOSSARIES[0].forms]
    pieces = [*forms, *(f.upper() for f in forms), *(f.lower() for f in forms), *(f.title() for f in forms),
              "를", "의", "에서는", "시대", "시장", "s", "2", "ß", "Straße", "\u212a", "é", "Ｘ", "¹", "①", "‘", "’", "-", " ", " ", "\n", "(", ")"]
    rng = random.Random(14)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        assert matcher.find(text) == every_word.find(text), text


def test_the_lean_candidate_pattern_finds_what_the_full_one_finds_and_the_full_one_waits_for_a_rare_letter() -> None:
    # a text without footnote marks or letters folding to ASCII is matched with the lean pattern (\w for WORD_CHAR, no
    # FOLDS_TO_ASCII branches), quick to compile; the full one is compiled at the first text that holds one of them
    forms = [*GLOSSARIES[0].forms, ("strasse", "street"), ("kb", "kilobyte"), ("café", "cafe"), ("file", "file")]
    vetoes = [*GLOSSARIES[0].not_in, ("kb drive", "kilobyte"), ("strasse frei", "street")]  # phrases where a form is no term
    matcher = TermMatcher(forms, not_before=GLOSSARIES[0].not_before, not_in=vetoes)
    full = TermMatcher(forms, not_before=GLOSSARIES[0].not_before, not_in=vetoes)
    for whole in (full, full.vetoes):  # the matcher of the phrases that veto a match too
        assert whole is not None
        whole.candidates = whole.rare = candidates.candidate_pattern(whole.single, whole.multi)
    words = [form for form, _ in forms]
    pieces = [*words, *(w.upper() for w in words), "를", "의", "에서는", "s", "2", "é", " ", "-", "(", "’", "\n", " drive", " frei"]
    rare = ["ß", "Straße", "\u212a", "ﬁ", "İ", "¹", "²", "⁴", "①", "❶", "ẞ"]
    rng = random.Random(16)
    plain = ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) for _ in range(1500)]
    for text in plain:
        assert matcher.find(text) == full.find(text), text
    assert matcher.rare is None  # no text so far needed it
    assert candidates.RARE_RE.search("".join(plain)) is None
    for _ in range(1500):
        text = "".join(rng.choice(pieces + rare) for _ in range(rng.randint(1, 12)))
        assert matcher.find(text) == full.find(text), text
    assert matcher.rare is not None
    assert matcher.candidates.pattern.count("\u00df") == 0 < matcher.rare.pattern.count("\u00df")


def test_the_narrow_class_holds_every_letter_that_folds_to_ascii_and_none_folds_to_hangul() -> None:
    # the candidate pattern writes FOLDS_TO_ASCII, not every unforeseen letter, after key letters in
    # ASCII, and nothing after key letters in Hangul: both hold only while Unicode's casefold does
    characters = (chr(code) for code in range(0x80, 0x110000) if not 0xD800 <= code <= 0xDFFF)
    to_ascii, to_hangul = set(), set()
    for char in characters:
        first = char.casefold()[:1]
        if first.isascii():
            to_ascii.add(char)
        elif "\uac00" <= first <= "\ud7a3" and not "\uac00" <= char <= "\ud7a3":
            to_hangul.add(char)
    assert to_ascii == {char for char in map(chr, range(0x80, 0x10000)) if re.fullmatch(FOLDS_TO_ASCII, char)}
    assert not to_hangul


def test_the_word_filter_passes_what_folds_into_keys_outside_ascii_and_hangul() -> None:
    forms = [("café", "cafe"), ("Ωmega", "omega"), ("Straße", "street"), ("ﬁle", "file"), ("İstanbul", "city"),
             ("팹리스", "fabless"), ("fabless", "fabless"), ("ǰet", "jet"), ("kb", "kilobyte")]
    matcher = TermMatcher(forms)
    every_word = TermMatcher(forms)
    every_word.candidates = every_word.rare = WORD_RE
    pieces = ["caf", "CAF", "é", "É", "Ω", "ω", "mega", "MEGA", "stra", "STRA", "ß", "ẞ", "ss", "SS", "e", "E", "ﬁ", "fi",
              "FI", "le", "İ", "i̇", "i", "I", "stanbul", "ǰ", "J̌", "j", "et", "\u212a", "k", "b", "팹", "리스", "를",
              "fab", "FAB", "less", "ſ", " ", "-", "(", "ﬆ"]
    rng = random.Random(15)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 10)))
        assert matcher.find(text) == every_word.find(text), text


def test_a_form_is_found_after_a_letter_outside_ascii_and_hangul() -> None:
    matcher = TermMatcher([("strasse", "street"), ("kb", "kilobyte"), ("AI", "ai")])
    assert mark("Straße, STRASSE와 \u212ab", matcher) == "[Straße](street), [STRASSE](street)와 [\u212ab](kilobyte)"
    assert mark("연합체 ‘AI’를 만든 «AI»", matcher) == "연합체 ‘[AI](ai)’를 만든 «[AI](ai)»"


def test_a_form_of_thousands_of_letters_compiles_and_matches() -> None:
    long_form, long_latin = "가나" * 1500, "ab" * 1500
    matcher = TermMatcher([(long_form, "long"), (long_latin + " 문서", "doc"), ("가나다", "short")])
    text = f"{long_form}를 {long_latin.upper()} 문서와 가나다 {long_form[:-1]}"
    assert [(m.start, m.end, m.term) for m in matcher.find(text)] == [
        (0, 3000, "long"), (3002, 6005, "doc"), (6007, 6010, "short")]
