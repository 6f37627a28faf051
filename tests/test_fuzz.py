"""Property-based fuzzing of what reads untrusted text: the YAML reader, a page's front matter and body,
the Markdown reference syntax and the label formatter. The only outcomes are a value or a list of
problems, each within a time and memory bound; never an exception, never markup of the author's
reaching into ours.

Hypothesis runs with a fixed seed (derandomize) and a bounded number of examples, and keeps no
database: the same inputs on every run. The inputs are built from the pieces that broke explainer
before (aliases, tags, escapes, brackets, the sanitiser's markers, format specs) among plain text.
"""

from __future__ import annotations

import datetime as dt
import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explainer.content import config, files
from explainer.content.load import SiteReader
from explainer.content.yamlfile import UNREADABLE, LocList, LocMap, parse_yaml
from explainer.errors import Problem, format_problem
from explainer.model import Loc, Options, PartialDate
from explainer.render.display import format_date
from explainer.text import markdown, markup
from support import within

EXAMPLES = 300
FUZZ = settings(derandomize=True, max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
SECONDS, MEGABYTES = 5, 64  # per example; each takes milliseconds and a few hundred KB

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)  # surrogates never come out of a UTF-8 file


def pieces(*special: str, max_size: int = 60) -> st.SearchStrategy[str]:
    """Text made of the given pieces and bits of arbitrary text, in any order."""
    return st.lists(st.sampled_from(special) | TEXT, max_size=max_size).map("".join)


YAML = pieces("&a ", "*a", "&b ", "*b", "[", "]", "{", "}", ": ", ":", "- ", "\n", "\n  ", "\n    ", "<<: ", "? ", ",", "#", "|", ">",
              "---\n", "...\n", "'", '"', "\\", "!!binary ", "!!int ", "!!float ", "!!bool ", "!!timestamp ", "!!set ", "!!omap ",
              "!!python/name:os.system ", "!foo ", '"\\ud800"', '"\\x1b"', '"\\0"', '"\\U0010ffff"', "2023-00-01", "2023-02-30",
              "0000-01-01", "99999-01-01", "1e999", "0x", "~", "null", "yes", "\t", "title", "term", "short", "id", "k" * 50)
MARKDOWN = pieces("[[", "]]", "[", "]", "fact:", "term:", "quote:", "cite:", "timeline", "|", "#", "a", "sky", "\n", "\n\n", "  ",
                  "[[fact:a]]", "[[term:sky|w]]", '<b title="\ue0000\ue001">', '<img alt="\ue0001\ue001">', "\ue0002\ue001",
                  "\ue000", "\ue001", "0", "999", "\ue0000\ue001", '"', "'", "<b title=\"", "<div title=\"", "<img src=x alt=\"", ">",
                  "</b>", "<script>", "</script>", "onerror=alert(1) ", '" onmouseover="alert(1)" x="', "`", "*", "_", "(", ")",
                  "{.no-glossary}", "javascript:", "<a href=\"", "<!--", "-->", "&quot;", "&#34;", "| a |\n|---|\n", "> ", "- ", "1. ")
LABEL = pieces("{", "}", "{n}", "{q}", "{year}", "{month}", "{day}", "{month_name}", "n", "q", "year", ":", ">", "9" * 9, ".",
               "__class__", "!r", "[0]", "{{", "}}", "{}", "x", " ", max_size=12)


def check_problems(problems: list[Problem], lines: int) -> None:
    """Each problem names a line of the text (or none), says something, and formats without failing."""
    for problem in problems:
        assert isinstance(problem, Problem) and problem.message
        assert 0 <= problem.line <= lines + 1, (problem, lines)
        format_problem(problem, show_source=False)


def check_value(value: Any) -> None:
    """Only what the reader promises: mappings and lists with their lines, text that is text, plain values."""
    if isinstance(value, LocMap):
        assert all(isinstance(key, str) for key in value) and set(value.key_lines) == set(value)
        for item in value.values():
            check_value(item)
    elif isinstance(value, LocList):
        assert len(value.item_lines) == len(value)
        for item in value:
            check_value(item)
    elif isinstance(value, str):
        assert not any(0xD800 <= ord(c) <= 0xDFFF or (ord(c) < 0x20 and c not in "\t\n\r") for c in value), repr(value)
    else:
        assert value is None or value is UNREADABLE or isinstance(value, (bool, int, float, bytes, dt.date)), type(value)


@FUZZ
@given(YAML)
def test_the_yaml_reader_gives_a_value_or_problems(text: str) -> None:
    with within(SECONDS, MEGABYTES):
        value, problems = parse_yaml(text, "f.yaml")
    check_problems(problems, text.count("\n") + 1)
    if value is not None:
        check_value(value)


@FUZZ
@given(YAML, MARKDOWN)
def test_a_page_gives_a_page_or_problems(tmp_path_factory: Any, front: str, body: str) -> None:
    root = tmp_path_factory.getbasetemp()
    reader = SiteReader(Options(content_dir=root / "content", out_dir=None))
    raw = f"---\n{front}\n---\n{body}".encode()
    with within(SECONDS, MEGABYTES):
        page = reader.page(root / "content" / "pages" / "fuzz.md", raw)
    check_problems(reader.problems, raw.count(b"\n") + 1)
    assert page is not None or reader.problems or "fuzz" in reader.broken or "page:fuzz" in reader.broken


@FUZZ
@given(st.binary(max_size=200))
def test_any_bytes_are_text_or_one_problem(data: bytes) -> None:
    text, problem = files.decode(data, "f.md")
    assert (text is None) != (problem is None)  # 200 bytes hold no line past the limit


class Tags(HTMLParser):
    """Every start tag's attributes, as a browser's tokenizer sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.attributes: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attributes += [(tag, name, value or "") for name, value in attrs]


class Hooks:
    """The site's hooks as a page has them, reduced: our markup has quotes in it, our text escapes them."""

    def xref(self, kind: str, target: str, label: str, block: bool) -> str:
        from html import escape

        return f'<a class="ours" href="../{escape(kind)}/{escape(target)}/">{escape(label or target)}</a>'

    def text(self, text: str, linkable: bool) -> str:
        from html import escape

        return escape(text)

    def section(self) -> None:
        pass

    def url(self, target: str) -> str:
        return "../" + target

    def label(self, name: str) -> str:
        return name


@FUZZ
@given(MARKDOWN, st.booleans())
def test_references_and_author_html_give_html_with_no_handler_and_none_of_ours_in_an_attribute(text: str, inline: bool) -> None:
    with within(SECONDS, MEGABYTES):
        doc = markdown.parse(text, Loc("p.md", 1), inline)
        html = markup.render(doc, Hooks())
    for ref in doc.refs:
        assert ref.line >= 1
    tags = Tags()
    tags.feed(html)
    tags.close()
    for tag, name, value in tags.attributes:
        assert not name.lower().startswith("on"), (tag, name, html)
        assert 'class="ours"' not in value, (tag, name, html)
        if name in ("href", "src"):
            assert not value.strip().lower().startswith(("javascript:", "vbscript:", "data:text")), (tag, value)


@FUZZ
@given(st.sampled_from(["date_day", "date_month", "date_year", "facts_count", "search_none", "search_more", "facts"]), LABEL)
def test_a_label_is_accepted_and_formats_or_is_refused_with_its_line(name: str, text: str) -> None:
    site = ("title: T\ndescription: D\nlanguage: en\nbase_url: https://example.org/\ncopyright: C\n"
            f"labels:\n  {name}: {json.dumps(text)}\n")
    with within(SECONDS, MEGABYTES):
        data, values, problems = config.read_config(site, "site.yaml", Options(content_dir=Path("content"), out_dir=None))
    check_problems(problems, site.count("\n"))
    if problems:
        assert all(p.line == 7 for p in problems), problems
        return
    assert data is not None
    labels = config.make_config(data, values, "site.yaml", None).labels
    with within(SECONDS, MEGABYTES):
        if name.startswith("date_"):
            shown = format_date(PartialDate(2023, 12, 5) if name == "date_day" else PartialDate(2023, 12 if name == "date_month" else 0),
                                labels)
        else:
            shown = labels[name].format(n=3, q="query")
    assert len(shown) <= len(text) + 40
