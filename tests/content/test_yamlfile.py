"""YAML with line numbers: keys, items, block scalars, duplicates and syntax errors."""

from __future__ import annotations

from explainer.content.yamlfile import LocList, LocMap, parse_yaml


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
