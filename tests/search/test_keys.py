"""Search keys: the case file (tests/cases/searchkeys.txt), one test per case, and the browser's table."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT
from explainer.model import Loc, Term
from explainer.search.keys import JOIN, MARK, SearchKeys, compact
from explainer.text.korean import PARTICLES, SENTENCE_FINAL, SHORT_NOUN_PARTICLES, spaces_added
from explainer.text.korean import stems as particle_stems
from support import shown_text

CASES_FILE = ROOT / "tests" / "cases" / "searchkeys.txt"


def term(term_id: str, forms: list[str]) -> Term:
    return Term(term_id, forms[0], "", tuple(forms[1:]), "A short definition.", None, (), (), True, Loc(CASES_FILE, 1))


def read_cases() -> tuple[list[Term], list[tuple[int, str, str]]]:
    terms: list[Term] = []
    cases: list[tuple[int, str, str]] = []
    for number, line in enumerate(CASES_FILE.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        if line.startswith("@term "):
            term_id, _, listed = line[len("@term "):].partition(":")
            terms.append(term(term_id.strip(), [form.strip() for form in listed.split(",")]))
            continue
        text, sep, expected = line.partition(" => ")
        assert sep, f"line {number}: a case needs ' => '"
        cases.append((number, text, expected))
    return terms, cases


def stems(word: str, following: str) -> list[str]:
    return [stem for stem, _ in particle_stems(word, following)]


TERMS, CASES = read_cases()
KEYS = SearchKeys(TERMS)


def written(indexed: str) -> str:
    """Write an indexed text as the case file does: each shown word, then {its further keys}."""
    words: list[tuple[str, list[str]]] = []
    for word in indexed.split(" "):
        if word.startswith(JOIN + MARK):
            words[-1][1].append(word[len(JOIN + MARK):].split(MARK)[0])
        else:
            words.append((word.replace(MARK, ""), []))
    return " ".join(shown + ("{" + ",".join(keys) + "}" if keys else "") for shown, keys in words)


@pytest.mark.parametrize(("number", "text", "expected"), CASES, ids=[f"line{n}" for n, _, _ in CASES])
def test_case(number: int, text: str, expected: str) -> None:
    assert written(KEYS.index_text(text)) == expected, f"{CASES_FILE.name}:{number}"


@pytest.mark.parametrize(("number", "text", "expected"), CASES, ids=[f"line{n}" for n, _, _ in CASES])
def test_shown_text_is_the_text(number: int, text: str, expected: str) -> None:
    assert shown_text(KEYS.index_text(text)) == text


def test_every_key_is_wrapped_so_none_starts_another() -> None:
    indexed = KEYS.index_text("라마를 라마2는 삼성·LG와 팹리스")
    keys = [word for word in indexed.split(" ") if word.startswith(JOIN)]
    assert keys and all(key.startswith(JOIN + MARK) and key.endswith(MARK) and key.count(MARK) == 2 for key in keys)
    assert f"{MARK}라마{MARK}" in indexed and f"{MARK}라마2{MARK}" in indexed


def test_mark_in_the_text_is_dropped() -> None:
    assert shown_text(KEYS.index_text(f"a{MARK}b 사과")) == "ab 사과"


def test_stems_follow_the_particle_rules() -> None:
    assert stems("한국에서는", " ") == ["한국에서", "한국"]
    assert stems("라마다", " ") == ["라"]  # 다 closes a sentence only before punctuation
    assert stems("라마다", ".") == ["라마", "라"]
    assert stems("물가", " ") == []  # one syllable + 가 is another word
    assert stems("사과", " ") == []


def test_spaced_variants_split_hangul_never_latin_words() -> None:
    assert spaces_added("오픈AI") == ["오 픈AI", "오픈 AI", "오 픈 AI"]
    assert spaces_added("챗GPT") == ["챗 GPT"]
    assert spaces_added("ChatGPT") == []
    assert spaces_added("AI 얼라이언스") == []  # spaced forms: termmatch drops their spaces instead
    assert len(spaces_added("가나다라마바사")) == 2 ** 5 - 1  # at most five places vary


def test_compact_is_lower_case_letters_and_digits() -> None:
    assert compact("AI 얼라이언스") == "ai얼라이언스"
    assert compact("On-Device AI") == "ondeviceai"
    assert compact(f"‘라마{MARK}2’") == "라마2"


def test_query_table_gives_the_browser_every_form_and_the_particle_rules() -> None:
    table = KEYS.query_table()
    assert table["forms"]["aialliance"] == "ai얼라이언스"
    assert table["forms"]["ai얼라이언스"] == "ai얼라이언스"
    assert table["forms"]["fabless"] == "팹리스"
    assert table["forms"]["ms"] == "마이크로소프트"
    assert set(table["particles"]) == set(PARTICLES)
    assert [len(p) for p in table["particles"]] == sorted(len(p) for p in table["particles"])
    assert set(table["sentenceFinal"]) == set(SENTENCE_FINAL)
    assert set(table["shortNounParticles"]) == set(SHORT_NOUN_PARTICLES)
    assert (table["mark"], table["join"]) == (MARK, JOIN)
    json.dumps(table)  # the browser reads it as JSON


def test_a_form_of_two_terms_belongs_to_the_first_on_both_sides() -> None:
    keys = SearchKeys([term("b", ["사과", "애플"]), term("a", ["애플", "Apple"])])
    assert keys.query_table()["forms"]["애플"] == "사과"
    assert written(keys.index_text("애플")) == "애플{사과}"


def test_a_word_that_starts_like_a_key_is_still_shown() -> None:
    indexed = SearchKeys([]).index_text("각주 ^1 참고")
    assert shown_text(indexed) == "각주 ^1 참고"
    assert f"{JOIN}{MARK}1{MARK}" in indexed.split(" ")  # and found by its digits


@pytest.mark.parametrize(("number", "text", "expected"), CASES, ids=[f"line{n}" for n, _, _ in CASES])
def test_words_further_apart_than_one_space_get_the_same_keys(number: int, text: str, expected: str) -> None:
    # text of words one space apart is keyed without the regular expression the rest needs: both ways agree
    for spacing in ("  ", "\t", " \u00a0"):
        assert KEYS.index_text(text.replace(" ", spacing)) == KEYS.index_text(text), f"{CASES_FILE.name}:{number} {spacing!r}"


def test_a_word_is_keyed_once_however_often_it_stands_with_the_same_terms(monkeypatch: pytest.MonkeyPatch) -> None:
    keys = SearchKeys(TERMS)
    made: list[str] = []
    piece = keys.piece
    monkeypatch.setattr(keys, "piece", lambda word, following, terms: made.append(word) or piece(word, following, terms))
    indexed = keys.index_text("팹리스가 팹리스를 사과 팹리스가 사과")
    assert written(indexed) == written(KEYS.index_text("팹리스가 팹리스를 사과 팹리스가 사과"))
    assert "{" in written(indexed).split(" ")[0]  # 팹리스가 carries its term's key
    assert made == ["팹리스가", "팹리스를", "사과"]
    keys.index_text("팹리스가 사과")
    assert made == ["팹리스가", "팹리스를", "사과"]
