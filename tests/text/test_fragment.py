"""Text fragments: what each quotation's link asks the browser to find, encoded as the spec requires."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest

from explainer.text.fragment import EDGE_WORDS, link_to_words, text_directive

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
