"""Text fragments: what each quotation's link asks the browser to find, encoded as the spec requires."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

from explainer.text.fragment import EDGE_WORDS, at_word_boundary, findable, link_to_words, phrases, text_directive, word_bounded

# Every character a text directive may carry unencoded (the spec's TextDirectiveExplicitChar) or percent-encoded.
DIRECTIVE_RE = re.compile(r"^text=(?:[A-Za-z0-9!$'()*+./:;=?@_~]|%[0-9A-F]{2})+(?:,(?:[A-Za-z0-9!$'()*+./:;=?@_~]|%[0-9A-F]{2})+)?$")

CASES = [
    ("Grass is green.", "text=Grass%20is%20green."),
    ("MS-구글과 본격 3파전", "text=MS%2D%EA%B5%AC%EA%B8%80%EA%B3%BC%20%EB%B3%B8%EA%B2%A9%203%ED%8C%8C%EC%A0%84"),
    ("this & that, then", "text=this%20%26%20that%2C%20then"),
    ("a  line\nbreak\tand spaces", "text=a%20line%20break%20and%20spaces"),
    ("“당신이 옳다”", "text=%E2%80%9C%EB%8B%B9%EC%8B%A0%EC%9D%B4%20%EC%98%B3%EB%8B%A4%E2%80%9D"),
    ("50% (about) #1?", "text=50%25%20(about)%20%231?"),
]


@pytest.mark.parametrize(("words", "expected"), CASES)
def test_short_quotations_are_given_whole_and_encoded(words: str, expected: str) -> None:
    assert text_directive(words) == expected
    assert DIRECTIVE_RE.match(expected)


def test_the_directive_syntax_never_appears_raw() -> None:
    """'-', '&' and ',' are the directive's own syntax: inside words they are always encoded."""
    for words in ("e-mail", "A & B", "one, two", "-leading", "trailing-", "x,-y", "a-,b"):
        directive = text_directive(words)
        body = directive.removeprefix("text=")
        assert not set(body) & {"-", "&"} and "," not in body, directive
        assert unquote(body) == " ".join(words.split())


def test_a_long_quotation_is_given_by_its_first_and_last_words() -> None:
    words = "Four score and seven years ago our fathers brought forth on this continent, a new nation, conceived in Liberty"
    directive = text_directive(words)
    assert directive == "text=Four%20score%20and%20seven,nation%2C%20conceived%20in%20Liberty"
    start, end = (unquote(part) for part in directive.removeprefix("text=").split(","))
    assert words.startswith(start) and words.endswith(end)
    assert DIRECTIVE_RE.match(directive)


def test_the_cut_between_whole_and_range() -> None:
    whole = " ".join(f"w{i}" for i in range(2 * EDGE_WORDS))
    assert "," not in text_directive(whole)
    longer = whole + " last"
    assert text_directive(longer) == "text=w0%20w1%20w2%20w3,w5%20w6%20w7%20last"


def test_a_korean_quotation_without_spaces_stays_whole() -> None:
    """Words are cut at spaces: a long run without any (Japanese, Chinese) is matched exactly, never cut inside a word."""
    words = "生成AIの開発競争が本格化している" * 3
    assert "," not in text_directive(words)


@pytest.mark.parametrize(("url", "expected"), [
    ("https://example.org/a", "https://example.org/a#:~:text=Grass%20is%20green."),
    ("https://example.org/a#section", "https://example.org/a#section:~:text=Grass%20is%20green."),
    ("https://example.org/a?x=1#", "https://example.org/a?x=1#:~:text=Grass%20is%20green."),
    ("https://example.org/a#:~:text=other", "https://example.org/a#:~:text=other&text=Grass%20is%20green."),
])
def test_links_keep_the_address_and_its_fragment(url: str, expected: str) -> None:
    assert link_to_words(url, "Grass  is green.") == expected


def test_no_words_no_directive() -> None:
    assert link_to_words("https://example.org/a", "  ") == "https://example.org/a"


def test_a_quotation_ending_in_hangul_also_asks_without_its_last_word() -> None:
    """전략 may be 전략이다 in the source: the second directive finds the words before it all the same."""
    assert phrases("속도를 내겠다는 전략") == ["속도를 내겠다는 전략", "속도를 내겠다는"]
    assert link_to_words("https://example.org/a", "속도를 내겠다는 전략") == (
        "https://example.org/a#:~:text=%EC%86%8D%EB%8F%84%EB%A5%BC%20%EB%82%B4%EA%B2%A0%EB%8B%A4%EB%8A%94%20%EC%A0%84%EB%9E%B5"
        "&text=%EC%86%8D%EB%8F%84%EB%A5%BC%20%EB%82%B4%EA%B2%A0%EB%8B%A4%EB%8A%94")
    assert phrases("전략") == ["전략"]  # one word: nothing shorter to ask for
    assert phrases("conceived in Liberty") == ["conceived in Liberty"]  # Latin letters end where the word ends
    assert phrases("AI 동맹 결성을 예고.") == ["AI 동맹 결성을 예고."]


@pytest.mark.parametrize(("text", "position", "boundary"), [
    ("전략이다", 2, False),  # Hangul runs together
    ("AI보다", 2, True),  # but with nothing else (ICU)
    ("3파전", 1, True),
    ("말’며", 1, True),  # ’ joins no Hangul
    ("don’t", 3, False),  # ’ joins two letters (MidNumLet)
    ("don’t", 4, False),
    ("9,000", 1, False),  # , joins two digits (MidNum)
    ("a,b", 1, True),  # but not two letters
    ("x·y", 1, False),  # · joins two letters (MidLetter)
    ("AI2", 2, False),  # letters and digits run together
    ("e\u0301t", 2, False),  # a combining mark belongs to its letter
    ("word.", 4, True),
    ("one two", 3, True),
])
def test_word_boundaries_are_where_a_browser_puts_them(text: str, position: int, boundary: bool) -> None:
    assert at_word_boundary(text, position) is boundary


def test_findable_with_either_directive() -> None:
    text = "이들은 기술 공유로 AI 개발에 속도를 내겠다는 전략이다. 다음"
    words = "기술 공유로 AI 개발에 속도를 내겠다는 전략"
    at = text.find(words)
    assert not word_bounded(text, at, at + len(words))
    assert findable(text, at, words)  # without 전략
    assert not findable("이들은 전략이다", 4, "전략")
    assert not findable("unfinished", 2, "finished")
