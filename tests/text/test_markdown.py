"""The reference syntax, its line numbers, and what author HTML may (not) do."""

from __future__ import annotations

import re

import pytest

from explainer.model import Loc
from explainer.text import markdown, markup
from support import within


class PlainHooks:
    """Hooks that render references as visible markers and escape text."""

    def __init__(self) -> None:
        self.sections = 0
        self.texts: list[tuple[str, bool]] = []
        self.headings: list[tuple[str, int]] = []

    def xref(self, kind: str, target: str, label: str, block: bool) -> str:
        return f"<x-{kind} {'block' if block else 'inline'}>{target}|{label}</x-{kind}>"

    def text(self, text: str, linkable: bool) -> str:
        self.texts.append((text, linkable))
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    def section(self) -> None:
        self.sections += 1

    def url(self, target: str) -> str:
        return "../" + target

    def label(self, name: str) -> str:
        return name.title()

    def anchor(self, text: str, level: int) -> str:
        self.headings.append((text, level))
        return f"h{len(self.headings)}"


def parse(text: str, line: int = 10, inline: bool = False) -> markdown.Markdown:
    return markdown.parse(text, Loc("page.md", line), inline)


def test_references_carry_file_lines() -> None:
    doc = parse("Intro line.\n\n[[fact:launch]]\n\nA [[term:fab|팹리스를]] and\n[[cite:src#one]] and [[quote:src#two]].\n")
    assert [(r.kind, r.target, r.line) for r in doc.refs] == [
        ("fact", "launch", 12),
        ("term", "fab", 14),
        ("cite", "src#one", 15),
        ("quote", "src#two", 15),
    ]


def test_fact_alone_on_a_line_is_a_block_even_right_after_text() -> None:
    html = markup.render(parse("Some text\n[[fact:launch]]\nmore"), PlainHooks())
    assert "<p>Some text</p>\n<x-fact block>launch|</x-fact>" in html


def test_references_know_whether_they_stand_alone_and_their_words() -> None:
    doc = parse("See [[fact:launch]] here.\n\n[[fact:launch]]\n\n[[fact:launch|the launch]]\n")
    assert [(r.kind, r.block, r.label) for r in doc.refs] == [("fact", False, ""), ("fact", True, ""), ("fact", False, "the launch")]


def test_timeline_block_with_and_without_tag() -> None:
    doc = parse("[[timeline]]\n\n[[timeline:korea]]\n")
    assert [(r.kind, r.target) for r in doc.refs] == [("timeline", ""), ("timeline", "korea")]


def test_text_in_headings_links_and_code_is_not_linkable() -> None:
    hooks = PlainHooks()
    markup.render(parse("# Head\n\nplain [in link](https://x.org) `code` *em*\n\n## Two\n"), hooks)
    assert ("Head", False) in hooks.texts
    assert ("in link", False) in hooks.texts
    assert ("plain ", True) in hooks.texts
    assert ("em", True) in hooks.texts
    assert all(text != "code" for text, _ in hooks.texts)
    assert hooks.sections == 2


def test_no_glossary_span_and_raw_abbr_kbd_are_not_linkable() -> None:
    hooks = PlainHooks()
    html = markup.render(parse("a [quiet words]{.no-glossary} b <abbr title=\"x\">LLM</abbr> <kbd>K</kbd> c"), hooks)
    assert ("quiet words", False) in hooks.texts
    assert ("LLM", False) in hooks.texts
    assert ("K", False) in hooks.texts
    assert ("a ", True) in hooks.texts and (" c", True) in hooks.texts
    assert '<span class="no-glossary">quiet words</span>' in html
    assert '<abbr title="x">LLM</abbr>' in html


def test_script_and_event_handlers_never_come_through() -> None:
    html = markup.render(parse('<script>alert(1)</script>\n\ntext <img src="x.png" onerror="alert(1)"> <b onclick="x()">b</b>\n'), PlainHooks())
    assert "<script" not in html and "alert(1)</" not in html
    assert "onerror" not in html and "onclick" not in html
    assert "<b>b</b>" in html


def test_javascript_and_data_links_never_come_through() -> None:
    for link in ("[x](javascript:alert(1))", "[x](JAVASCRIPT:alert(1))", "[x](vbscript:msgbox)", "[x](data:text/html,<b>)",
                 '<a href="javascript:alert(1)">x</a>', "<javascript:alert(1)>"):
        html = markup.render(parse(link), PlainHooks())
        attributes = re.findall(r'(?:href|src)\s*=\s*"([^"]*)"', html, re.IGNORECASE)
        assert not any(re.match(r"\s*(javascript|vbscript|data):", value, re.IGNORECASE) for value in attributes), (link, html)
        assert "<a" not in html or "href" not in html, (link, html)


def test_attributes_other_than_class_are_dropped() -> None:
    html = markup.render(parse('[x](https://a.org){onclick="y()" style="color:red" .ok}'), PlainHooks())
    assert 'class="ok"' in html and "onclick" not in html and "style" not in html


def test_our_markup_survives_sanitising() -> None:
    # A document with raw HTML is cleaned, but what the hooks produced is kept as is.
    html = markup.render(parse('<b>raw</b> and [[term:x]]'), PlainHooks())
    assert "<x-term inline>x|</x-term>" in html


def test_plain_text_of_inline_markdown() -> None:
    assert markdown.plain_text(parse("A *bold* [[term:x|word]] `code`", inline=True)) == "A bold word code"


def test_text_across_a_soft_line_break_is_matched_as_one() -> None:
    hooks = PlainHooks()
    markup.render(parse("대형 언어\n모델은 *강조* 뒤"), hooks)
    assert ("대형 언어\n모델은 ", True) in hooks.texts


def test_links_from_the_site_root_are_made_relative() -> None:
    html = markup.render(parse("[a](/overview/#x) [b](//cdn.example/x) [c](https://x.org/)"), PlainHooks())
    assert '<a href="../overview/#x">a</a>' in html
    assert 'href="//cdn.example/x"' in html and 'href="https://x.org/"' in html


def test_tables_scroll_in_a_focusable_labelled_region() -> None:
    html = markup.render(parse("| a | b |\n|---|---|\n| 1 | 2 |\n"), PlainHooks())
    assert html.startswith('<div class="table-wrap" role="region" tabindex="0" aria-label="Table"><table>')
    assert html.rstrip().endswith("</table>\n</div>")


def test_no_part_of_a_reference_spans_a_bracket() -> None:
    # What keeps scanning linear: an attempt from one "[[" stops at the next bracket, never reading the rest of the line.
    text = "[[fact:a [[fact:b]] [[term:c|see [1]]] [[fact:d|e]]"
    found = [(m.start(), m.group(0)) for m in (markdown.XREF_RE.match(text, i) for i in range(len(text))) if m]
    assert found == [(9, "[[fact:b]]"), (39, "[[fact:d|e]]")]


@pytest.mark.parametrize("unit", ["[[fact:", "[[a|", "[[fact:x|", "[[fact:x\n", "[[term:" + "x" * 40])
def test_reference_scanning_is_linear_in_the_line(unit: str) -> None:
    # 56 KB of "[[fact:" took 29 s, 350 KB more than a minute (each "[[" rescanned the rest of the line);
    # now 350 KB takes a few seconds, as plain markdown-it does.
    text = unit * (120_000 // len(unit))
    with within(30):
        doc = parse(text)
    assert doc.refs == () or all(ref.kind in ("fact", "term") for ref in doc.refs)
