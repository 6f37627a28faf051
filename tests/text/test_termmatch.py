"""Run the glossary-matching case file: each case is one test, named by its line number."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT
from explainer.text.termmatch import TermMatcher

CASES_FILE = ROOT / "tests" / "cases" / "termmatch.txt"


def read_cases() -> tuple[list[tuple[str, str]], list[tuple[int, str, str]]]:
    forms: list[tuple[str, str]] = []
    cases: list[tuple[int, str, str]] = []
    for number, line in enumerate(CASES_FILE.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("@term "):
            term, _, listed = line[len("@term "):].partition(":")
            forms += [(form.strip(), term.strip()) for form in listed.split(",")]
            continue
        text, sep, expected = line.partition(" => ")
        assert sep, f"line {number}: a case needs ' => '"
        cases.append((number, text.replace("\\n", "\n"), expected.replace("\\n", "\n")))
    return forms, cases


FORMS, CASES = read_cases()
MATCHER = TermMatcher(FORMS)


def mark(text: str) -> str:
    """Write every match into the text as [surface](term)."""
    out, position = [], 0
    for match in MATCHER.find(text):
        out.append(text[position:match.start])
        out.append(f"[{text[match.start:match.end]}]({match.term})")
        position = match.end
    out.append(text[position:])
    return "".join(out)


def test_case_file_is_large_enough() -> None:
    assert len(CASES) >= 80


def test_every_listed_particle_has_a_case() -> None:
    required = ["은", "는", "이", "가", "을", "를", "의", "에", "에서", "에게", "와", "과", "로", "으로", "도", "만", "까지",
                "부터", "보다", "처럼", "이나", "나", "랑", "이랑", "에서는", "에는", "으로는", "과의", "에서도"]
    linked = re.compile(r"\]\([a-z-]+\)([가-힣]+)")
    covered = {m.group(1) for _, _, expected in CASES for m in linked.finditer(expected)}
    assert set(required) <= covered, set(required) - covered


@pytest.mark.parametrize(("text", "expected"), [(t, e) for _, t, e in CASES], ids=[f"line{n}" for n, _, _ in CASES])
def test_case(text: str, expected: str) -> None:
    assert mark(text) == expected


def test_overlapping_forms_of_one_term_are_harmless() -> None:
    matcher = TermMatcher([("AI", "ai"), ("ai", "ai"), ("인공지능", "ai")])
    assert [(m.start, m.end, m.term) for m in matcher.find("ai와 인공지능")] == [(0, 2, "ai"), (4, 8, "ai")]


def test_spaceless_variant_does_not_steal_another_terms_form() -> None:
    matcher = TermMatcher([("AI 동맹", "alliance"), ("AI동맹", "other")])
    assert [m.term for m in matcher.find("AI동맹")] == ["other"]
    assert [m.term for m in matcher.find("AI 동맹")] == ["alliance"]
