"""YAML with line numbers: keys, items, block scalars, duplicates and syntax errors."""

from __future__ import annotations

import pytest

from explainer.content import yamlfile
from explainer.content.yamlfile import LocList, LocMap, parse_yaml
from support import within


def test_lines_of_keys_items_and_block_text() -> None:
    data, problems = parse_yaml("a: 1\nlist:\n  - x\n  - y: 2\nbody: |\n  text\n", "f.yaml")
    assert not problems
    assert isinstance(data, LocMap)
    assert data.line_of("list") == 2
    assert isinstance(data["list"], LocList) and data["list"].item_lines == [3, 4]
    assert data.text_line("body") == 6
    assert data.text_line("a") == 1


def test_offset_for_front_matter() -> None:
    data, _ = parse_yaml("title: x\norder: 2\n", "p.md", first_line=2)
    assert data.line_of("order") == 3


def test_duplicate_keys_are_problems_not_silent() -> None:
    data, problems = parse_yaml("a: 1\nb: 2\na: 3\n", "f.yaml")
    assert data["a"] == 1
    assert [(p.line, p.message) for p in problems] == [(3, "duplicate key 'a' (first given on line 1)")]


def test_syntax_error_has_a_line() -> None:
    data, problems = parse_yaml("a: 1\nb: [x\nc: 2\n", "f.yaml")
    assert data is None
    assert problems[0].line == 3 and problems[0].message.startswith("YAML syntax error")


def test_dates_stay_dates_and_text_stays_text() -> None:
    import datetime as dt

    data, _ = parse_yaml("d: 2023-12-05\nm: 2023-12\nq: 'yes'\n", "f.yaml")
    assert data["d"] == dt.date(2023, 12, 5) and data["m"] == "2023-12" and data["q"] == "yes"


def test_impossible_unquoted_date_is_a_problem_not_a_crash() -> None:
    _, problems = parse_yaml("a: 1\nwhen: 2023-02-30\n", "f.yaml")
    assert [(p.line, p.message) for p in problems] == [(2, "'2023-02-30' is not a real date (day is out of range for month)")]


def test_unclosed_quote_points_where_it_was_opened() -> None:
    _, problems = parse_yaml('a: 1\ntitle: "unclosed\nb: 2\nc: 3\n', "f.yaml")
    assert problems[0].line == 2
    _, problems = parse_yaml("a: 1\norder: [1\n", "f.yaml", first_line=2)
    assert problems[0].line == 3


def test_an_alias_bomb_is_refused_while_composing_in_bounded_time_and_memory() -> None:
    # Nine levels of nine aliases: 342 bytes, 387 million values once expanded (it ran to 1.9 GB in 36 s).
    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
        f"{b}: &{b} [{','.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True))
    with within(1, 5):
        data, problems = parse_yaml(bomb, "f.yaml")
    assert data is None
    assert [(p.line, p.message) for p in problems] == [(2, "YAML aliases (*a) are not allowed in content")]


def test_an_alias_inside_its_own_anchor_is_refused() -> None:
    data, problems = parse_yaml("title: x\nloop: &a [*a]\n", "f.yaml")
    assert data is None and [(p.line, p.message) for p in problems] == [(2, "YAML aliases (*a) are not allowed in content")]


def test_an_anchor_alone_is_harmless() -> None:
    data, problems = parse_yaml("title: &t x\n", "f.yaml")
    assert problems == [] and data == {"title": "x"}


@pytest.mark.parametrize(("text", "line"), [("a: " + "[" * 1000 + "]" * 1000 + "\n", 1),
                                            ("a: " + "{b: " * 500 + "1" + "}" * 500 + "\n", 1),
                                            ("".join(" " * i + f"k{i}:\n" for i in range(300)), 13)])
def test_nesting_deeper_than_the_limit_is_refused_before_it_recurses(text: str, line: int) -> None:
    with within(10, 20):
        data, problems = parse_yaml(text, "f.yaml")
    assert data is None and [(p.line, p.message) for p in problems] == [(line, "YAML nested more than 12 levels deep")]


def test_values_up_to_the_limit_are_read_and_one_more_is_refused() -> None:
    # a mapping of 6,666 keys is 13,333 values with the mapping itself; 20,000 in all is the limit
    fits = "\n".join(f"k{i}: {i}" for i in range(9_999)) + "\n"
    data, problems = parse_yaml(fits, "f.yaml")
    assert problems == [] and len(data) == 9_999
    data, problems = parse_yaml(fits + "last: 1\n", "f.yaml")
    assert data is None and [(p.line, p.message) for p in problems] == [(10_000, "more than 20,000 values in one file")]


@pytest.mark.parametrize(("text", "message"), [
    ('t: "\\ud800"\n', "this value holds a lone surrogate (U+D800), which is not text"),
    ('t: "\\0"\n', "this value holds a control character (U+0000), which is not text"),
    ('t: "\\x85"\n', "this value holds a control character (U+0085), which is not text"),
    ("t: !!int x\n", "'x' cannot be read as int"),
    ("t: !!bool x\n", "'x' cannot be read as bool"),
    ("t: !!float x\n", "'x' cannot be read as float"),
    ("t: " + "9" * 5000 + "\n", "'" + "9" * 60 + "…' cannot be read as int"),
    ("t: !!binary 'a'\n", "cannot read this value: failed to decode base64 data: Invalid base64-encoded string: "
     "number of data characters (1) cannot be 1 more than a multiple of 4"),
    ("t: x\x07\n", "character U+0007 is not allowed in YAML"),
])
def test_values_that_are_no_text_or_not_their_type_are_one_problem_each(text: str, message: str) -> None:
    _, problems = parse_yaml(text, "f.yaml")
    assert [(p.line, p.message) for p in problems] == [(1, message)]


# Every shape of the content's YAML, and a few that are rare: block and folded text, flow
# collections, quotes and escapes, dates, numbers, empty values, comments, CRLF line ends, merges.
SHAPES = (
    "# a comment\ntitle: Kalomi 연합\nlist:\n  - x\n  - {a: 1, b: [2, 3]}\n  - - nested\n    - twice\n"
    "body: |\n  text\n  more\n\nfolded: >-\n  one\n  two\nquoted: \"a: b \\u00e9\"\nsingle: 'it''s'\n"
    "date: 2023-12-05\nnumber: 1.5\nyes: no\nempty:\nnull_value: ~\nbase: &b {x: 1}\nmerged:\n  <<: {y: 2}\n  z: 3\n",
    "a: 1\r\nb:\r\n  - 2\r\n  - |\r\n    text\r\n",
    "- one\n- two: 2\n  three: 3\n",
    "",
    "just text\n",
)


def lines_of(value: object) -> object:
    """Every line a parsed value remembers, nested as the value is."""
    if isinstance(value, LocMap):
        return (value.line, value.key_lines, value.value_lines, {key: lines_of(item) for key, item in value.items()})
    if isinstance(value, LocList):
        return (value.line, value.item_lines, [lines_of(item) for item in value])
    return None


@pytest.mark.skipif(yamlfile.FAST_LOADER is None, reason="PyYAML is built without libyaml here")
@pytest.mark.parametrize("text", SHAPES)
def test_libyaml_composes_valid_yaml_to_the_same_values_and_lines(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    composed, _ = yamlfile.compose_fast(text)
    assert composed  # libyaml did the parsing
    fast = parse_yaml(text, "f.yaml", first_line=3)
    monkeypatch.setattr(yamlfile, "FAST_LOADER", None)
    slow = parse_yaml(text, "f.yaml", first_line=3)
    assert fast == slow
    assert lines_of(fast[0]) == lines_of(slow[0])


@pytest.mark.parametrize("text", ["a: 1\n\tb: 2\n", "a: [1, 2\n", "a: *nothing\n", "a: 1\x85b: 2\n", "a: \x07\n"])
def test_what_libyaml_cannot_vouch_for_is_read_by_pyyaml(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert yamlfile.compose_fast(text) == (False, None)
    fast = parse_yaml(text, "f.yaml")
    monkeypatch.setattr(yamlfile, "FAST_LOADER", None)
    assert fast == parse_yaml(text, "f.yaml")
