"""Middle dots and tildes between words are held to the word before them, across tags, never in code."""

from __future__ import annotations

import random

import pytest

from explainer.text.typeset import TAG_RE, hold_joined_words, sealed_frame, sealed_piece
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


def joined(frame: str, parts: list[str], nonce: str = "n") -> str:
    """The frame with each joint replaced by its part."""
    for index, part in enumerate(parts):
        frame = frame.replace(f"<!--explainer-part:{nonce}:{index}-->", part, 1)
    return frame


@pytest.mark.parametrize("seed", range(6))
def test_sealed_pieces_typeset_alone_are_what_the_whole_page_typeset_gives(seed: int) -> None:
    # the print edition joins its frame and parts typeset one by one: wherever both say sealed, the joined page must be
    # the whole page typeset, whatever the tags, code and marks at the joints
    chooser = random.Random(seed)
    sealed = 0
    for _ in range(400):
        count = chooser.randint(0, 3)
        frame_pieces = [chooser.choice(PIECES) for _ in range(chooser.randint(0, 12))]
        for index in range(count):
            frame_pieces.insert(chooser.randint(0, len(frame_pieces)), f"<!--explainer-part:n:{index}-->")
        frame = "".join(frame_pieces)
        parts = ["".join(chooser.choice(PIECES) for _ in range(chooser.randint(0, 10))) for _ in range(count)]
        typeset_frame = hold_joined_words(frame)
        joints = []
        for index in range(count):
            start = typeset_frame.index(f"<!--explainer-part:n:{index}-->")
            joints.append((start, start + len(f"<!--explainer-part:n:{index}-->")))
        typeset_parts = [hold_joined_words(part) for part in parts]
        if sealed_frame(typeset_frame, joints) and all(sealed_piece(part) for part in typeset_parts):
            sealed += 1
            assert joined(typeset_frame, typeset_parts) == hold_joined_words(joined(frame, parts)), (frame, parts)
    assert sealed > 40  # the rule is tried, not only refused


def test_a_mark_at_a_joint_unseals_it() -> None:
    assert sealed_piece("<p>삼성·LG</p>\n") and sealed_piece("") and sealed_piece("<pre>·</pre>")
    assert not sealed_piece("<p>·LG</p>")  # its first text starts with a mark: the text before the joint decides
    assert not sealed_piece("<p>삼성·</p><pre>x</pre>")  # its last readable text ends with one
    assert not sealed_piece("<pre>x")  # code left open
    assert not sealed_piece("x<y") and not sealed_piece("a>b<p>")  # a tag running out of it, or into it
    def frame_sealed(frame: str) -> bool:
        start = frame.index("<!--j-->")
        return sealed_frame(frame, [(start, start + len("<!--j-->"))])

    assert frame_sealed("<h2>삼성</h2><!--j-->\n") and frame_sealed("<p>·가</p><b></b><!--j--><pre>·</pre>")
    assert not frame_sealed("<h2>삼성·</h2><!--j-->")
    assert not frame_sealed(f"<!--j-->{J}·LG")  # typesetting the frame alone held a mark after the joint
    assert not frame_sealed("<pre><!--j--></pre>")  # inside code
    assert not frame_sealed('<a title="<!--j-->">')  # inside a tag
