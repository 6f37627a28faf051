"""가나다 order, initial-consonant sections and particle splitting."""

from __future__ import annotations

import random
import re

from conftest import ROOT
from explainer.text import korean


def test_syllables_sort_in_dictionary_order() -> None:
    words = ["하나", "가방", "나무", "까치", "다리", "따옴표", "라면", "마을", "바다", "빵", "사과", "쌀", "아이", "자리", "짜장",
             "차", "카드", "타조", "파도"]
    shuffled = words[:]
    random.Random(7).shuffle(shuffled)
    assert sorted(shuffled, key=korean.sort_key) == ["가방", "까치", "나무", "다리", "따옴표", "라면", "마을", "바다", "빵", "사과",
                                                      "쌀", "아이", "자리", "짜장", "차", "카드", "타조", "파도", "하나"]


def test_vowels_and_finals_follow_dictionary_order() -> None:
    assert sorted(["개", "가", "갸", "각", "간", "거"], key=korean.sort_key) == ["가", "각", "간", "개", "갸", "거"]


def test_digits_first_then_hangul_then_latin() -> None:
    items = ["Zeta", "알파", "3파전", "beta", "가나", "API"]
    assert sorted(items, key=korean.sort_key) == ["3파전", "가나", "알파", "API", "beta", "Zeta"]


def test_spaces_and_case_are_ignored_when_sorting() -> None:
    assert sorted(["범용 인공지능", "범용기계", "범용 AI"], key=korean.sort_key) == ["범용 AI", "범용기계", "범용 인공지능"]
    assert sorted(["b", "A", "a"], key=korean.sort_key) == ["A", "a", "b"]


def test_initial_consonant() -> None:
    assert korean.initial_consonant("가") == "ㄱ"
    assert korean.initial_consonant("까") == "ㄲ"
    assert korean.initial_consonant("힣") == "ㅎ"
    assert korean.initial_consonant("A") == ""


def test_doubled_consonants_sit_in_the_plain_section() -> None:
    assert korean.section_of("까치") == "ㄱ"
    assert korean.section_of("따옴표") == "ㄷ"
    assert korean.section_of("빵") == "ㅂ"
    assert korean.section_of("쌀") == "ㅅ"
    assert korean.section_of("짜장") == "ㅈ"


def test_sections_for_other_scripts() -> None:
    assert korean.section_of("3파전") == "0–9"
    assert korean.section_of("LLM") == "L"
    assert korean.section_of("‘AI 동맹’") == "A"
    assert korean.section_of("éclair") == "E"
    assert korean.section_of("αβ") == "…"


def test_group_by_section_keeps_only_nonempty_sections_in_order() -> None:
    """Hangul first, then Latin letters one by one, then digits, then other scripts."""
    items = [("파운드리", 1), ("팹리스", 2), ("까치", 3), ("가방", 4), ("LLM", 5), ("5G", 6), ("온디바이스 AI", 7), ("Arm", 8),
             ("λ", 9), ("Édition", 10)]
    grouped = korean.group_by_section(items)
    assert [name for name, _ in grouped] == ["ㄱ", "ㅇ", "ㅍ", "A", "E", "L", "0–9", "…"]
    assert dict(grouped)["ㄱ"] == [4, 3]
    assert dict(grouped)["ㅍ"] == [1, 2]


def test_a_latin_glossary_is_split_by_letter() -> None:
    words = ["zebra", "Apple", "avocado", "banana", "Cherry", "2048", "date"]
    grouped = korean.group_by_section([(word, word) for word in words])
    assert grouped == [("A", ["Apple", "avocado"]), ("B", ["banana"]), ("C", ["Cherry"]), ("D", ["date"]), ("Z", ["zebra"]),
                       ("0–9", ["2048"])]


def test_stacked_and_plural_particles_are_in_the_list() -> None:
    for particle in ("에서는", "으로는", "과의", "에서도", "조차도", "들", "들이", "들에게는", "입니다"):
        assert particle in korean.PARTICLES
    for not_korean in ("에에", "와가", "자"):
        assert not_korean not in korean.PARTICLES


def test_contracted_stacked_and_connective_particles_are_in_the_list() -> None:
    for particle in ("엔", "에선", "에겐", "한텐", "으론", "으로선", "보단", "까진", "부턴", "에게선", "만으로는", "만으론",
                     "으로서는", "에게서는", "까지도", "에서만은", "에서부턴", "이냐", "냐", "냐를", "이나마", "나마", "이든지",
                     "이야말로", "치고", "뿐이다", "들에겐"):
        assert particle in korean.PARTICLES, particle


def test_left_out_particles_stay_out() -> None:
    # suffixes (-書 -論 -庫 -面 -者), vocatives, speech-only forms, and stacks that are not Korean
    for left_out in ("서", "론", "고", "면", "자", "라", "아", "여", "이여", "더러", "보고", "일랑", "에서은", "에가", "로를",
                     "만는", "뿐가", "에단"):
        assert left_out not in korean.PARTICLES, left_out


def test_a_stacked_particle_agrees_with_the_one_before_it() -> None:
    assert {"에서는", "으로는", "까지는", "만은", "만을", "까지를", "뿐이다", "만이다"} <= korean.PARTICLES
    assert not {"에서은", "으로은", "까지은", "만는", "만를", "까지을", "뿐다"} & korean.PARTICLES


def test_spaces_put_where_the_parts_of_a_form_meet() -> None:
    assert korean.spaces_put("사과TV") == ["사과 TV"]
    assert korean.spaces_put("우주정거장") == ["우주 정거장", "우주정 거장"]
    assert korean.spaces_put("사과나") == []  # no cut leaves two syllables on each side
    assert korean.spaces_put("XMLSpy") == [] and korean.spaces_put("우주 정거장") == []
    assert all(variant.count(" ") <= 3 for variant in korean.spaces_put("가나다라마바사아자차카타"))
    assert len(korean.spaces_put("가" * 500)) <= 92  # a form of any length: a few spellings, never a combinatorial number


def test_particle_vetoes() -> None:
    assert korean.particle_allowed("사과", "다", ".")
    assert not korean.particle_allowed("사과", "다", " ")
    assert korean.particle_allowed("원", "을", " ")
    assert not korean.particle_allowed("원", "인", " ")
    assert korean.particle_allowed("원", "에서", " ")


def test_docs_particle_table_is_the_module() -> None:
    docs = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- particles:start -->\n(.*?)\n<!-- particles:end -->", docs, re.DOTALL)
    assert block is not None, "docs/glossary.md has no generated particle table"
    assert block.group(1).strip() == korean.particle_table().strip(), "run: python scripts/refresh_docs.py"
