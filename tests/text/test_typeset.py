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


def test_only_texts_with_a_mark_change_and_code_lookalikes_are_text() -> None:
    # <codex> and <code-x> are not code: <codex> is text's neighbour like any tag, <code-x> opens code
    assert hold_joined_words("가<codex>·나") == f"가<codex>{J}·나"
    assert hold_joined_words("가<code-x>·나</code-x>·다") == f"가<code-x>·나</code-x>{J}·다"
    # the neighbour of a text is the nearest readable text, skipping code and empty stretches between tags
    assert hold_joined_words("가<pre>x</pre><b></b>·나") == f"가<pre>x</pre><b></b>{J}·나"
    page = "<p>plain</p>" * 500 + "<p>삼성·LG</p>" + "<p>plain</p>" * 500
    assert hold_joined_words(page) == page.replace("삼성·", f"삼성{J}·")
