"""Middle dots and tildes between words are held to the word before them, across tags, never in code."""

from __future__ import annotations

from explainer.text.typeset import WORD_JOINER as J
from explainer.text.typeset import hold_joined_words


def test_a_mark_between_letters_is_held_across_tags_and_only_there() -> None:
    assert hold_joined_words("<p><a>삼성</a>·LG와 3~5개</p>") == f"<p><a>삼성</a>{J}·LG와 3{J}~5개</p>"
    assert hold_joined_words("<p>·LG</p><p>삼성 · LG</p><p>삼성·</p>") == "<p>·LG</p><p>삼성 · LG</p><p>삼성·</p>"
    assert hold_joined_words("·앞<b>뒤</b>·") == "·앞<b>뒤</b>·"  # the first and the last text have no neighbour outside


def test_code_is_left_as_written() -> None:
    assert hold_joined_words("<code>a·b</code>가·나") == f"<code>a·b</code>가{J}·나"


def test_every_mark_of_a_long_page_is_held() -> None:
    page = "".join(f"<li><a href='x'>삼성{i}</a>·LG{i}</li>" for i in range(3000))
    assert hold_joined_words(page).count(f"{J}·") == 3000
