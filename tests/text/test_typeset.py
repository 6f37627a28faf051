"""Middle dots and tildes between words are held to the word before them, across tags, never in code."""

from __future__ import annotations

import random

import pytest

from explainer.text.typeset import TAG_RE, hold_joined_words
from explainer.text.typeset import WORD_JOINER as J


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


def plainly_held(html: str) -> str:
    """The same rule read the plain way, every tag from the start of the page: what the fast reading must agree with."""
    tags = [(m.start(), m.end(), m.group(1), m.group(2)) for m in TAG_RE.finditer(html)]
    texts: list[tuple[int, int]] = []  # the readable stretches, in order
    verbatim, position = 0, 0
    for start, end, closing, name in [*tags, (len(html), len(html), "", None)]:
        if start > position and not verbatim:
            texts.append((position, start))
        if name:
            verbatim = max(0, verbatim + (-1 if closing else 1))
        position = end
    out, copied = [], 0
    for index, (start, end) in enumerate(texts):
        text = html[start:end]
        if any(mark in text for mark in "·~"):
            before = html[texts[index - 1][1] - 1] if index else ""
            after = html[texts[index + 1][0]] if index + 1 < len(texts) else ""
            held = "".join(f"{J}{c}" if c in "·~" and (text[i - 1] if i else before).isalnum() and
                           (text[i + 1] if i + 1 < len(text) else after).isalnum() else c for i, c in enumerate(text))
            out += (html[copied:start], held)
            copied = end
    return "".join(out) + html[copied:]


PIECES = ["<", ">", "</", "<b>", "</b>", "<a href='>'>", "<code>", "</code>", "<PRE x>", "</pre>", "<codex>", "<code-x>",
          "<title>", "</TITLE>", "<script>", "</script>", "<!-- ~ -->", "<a title='가·나'>", "<i ~<>",
          "가", "a", "1", " ", "·", "~", "\n", f"{J}·", "<b"]


@pytest.mark.parametrize("seed", range(8))
def test_the_marks_held_are_those_a_reading_of_every_tag_finds(seed: int) -> None:
    chooser = random.Random(seed)
    for _ in range(400):
        html = "".join(chooser.choice(PIECES) for _ in range(chooser.randint(0, 40)))
        assert hold_joined_words(html) == plainly_held(html), repr(html)


def test_a_page_with_no_tag_or_only_stray_brackets_is_text() -> None:
    assert hold_joined_words("가·나") == f"가{J}·나"
    assert hold_joined_words("가 < 나·다") == f"가 < 나{J}·다"
    assert hold_joined_words("가·<나 다·라") == f"가·<나 다{J}·라"  # a '<' with no '>' after it is a character of the text
    assert hold_joined_words("가>·나 <b>다</b>·라") == f"가>·나 <b>다</b>{J}·라"
