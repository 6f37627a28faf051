"""Read YAML that remembers where every key and item came from, and rejects duplicate keys."""

from __future__ import annotations

from typing import Any

import yaml

from ..errors import Problem


class LocMap(dict[str, Any]):
    """A YAML mapping that knows its own line and the line of each key (1-based)."""

    __slots__ = ("key_lines", "line", "value_lines")

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[str, int] = {}
        self.value_lines: dict[str, int] = {}  # where a value's text starts (after `|` or `>`)

    def line_of(self, key: str) -> int:
        """Return the line of `key`, or of the mapping itself when the key is absent."""
        return self.key_lines.get(key, self.line)

    def text_line(self, key: str) -> int:
        """Return the line on which the text of `key`'s value starts."""
        return self.value_lines.get(key, self.line_of(key))


class LocList(list[Any]):
    """A YAML sequence that knows its own line and the line of each item (1-based)."""

    __slots__ = ("item_lines", "line")

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.item_lines: list[int] = []


def parse_yaml(text: str, path: str, first_line: int = 1) -> tuple[Any, list[Problem]]:
    """Parse `text` into plain values, LocMaps and LocLists; report syntax errors and duplicate keys.

    `first_line` is the file line on which `text` starts (front matter starts on line 2).
    """
    problems: list[Problem] = []
    offset = first_line - 1
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark is not None and exc.problem and ("end of stream" in exc.problem or "<stream end>" in exc.problem):
            mark = exc.context_mark  # an unclosed quote or bracket: point at where it was opened
        line = mark.line + 1 + offset if mark is not None else first_line
        reason = exc.problem or exc.context or "invalid YAML"
        problems.append(
            Problem(
                path,
                line,
                f"YAML syntax error: {reason}",
                "check indentation, colons and quotes on this line and the one above; "
                "a value containing ': ' or starting with a quote or '[' must be quoted",
            )
        )
        return None, problems
    except yaml.YAMLError as exc:  # errors without a position
        problems.append(Problem(path, first_line, f"YAML error: {exc}", "check the file's syntax"))
        return None, problems
    if node is None:
        return None, problems
    builder = yaml.SafeLoader("")
    try:
        value = _convert(node, builder, path, offset, problems)
    finally:
        builder.dispose()
    return value, problems


def _convert(node: yaml.Node, builder: yaml.SafeLoader, path: str, offset: int, problems: list[Problem]) -> Any:
    """Turn a composed node into values, recording lines; duplicate keys become problems."""
    line = node.start_mark.line + 1 + offset
    if isinstance(node, yaml.MappingNode):
        result = LocMap(line)
        builder.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = _convert(key_node, builder, path, offset, problems)
            key_line = key_node.start_mark.line + 1 + offset
            if not isinstance(key, str):
                key = str(key)
            if key in result:
                problems.append(
                    Problem(
                        path,
                        key_line,
                        f"duplicate key '{key}' (first given on line {result.key_lines[key]})",
                        "remove one of the two; YAML would silently keep only the last",
                    )
                )
                continue
            result[key] = _convert(value_node, builder, path, offset, problems)
            result.key_lines[key] = key_line
            block = isinstance(value_node, yaml.ScalarNode) and value_node.style in ("|", ">")
            result.value_lines[key] = value_node.start_mark.line + 1 + offset + (1 if block else 0)
        return result
    if isinstance(node, yaml.SequenceNode):
        items = LocList(line)
        for child in node.value:
            items.append(_convert(child, builder, path, offset, problems))
            items.item_lines.append(child.start_mark.line + 1 + offset)
        return items
    try:
        return builder.construct_object(node, deep=True)
    except yaml.constructor.ConstructorError as exc:
        problems.append(Problem(path, line, f"cannot read this value: {exc.problem}", "quote the value"))
    except ValueError as exc:  # a date-shaped value that is no date: 2023-02-30
        problems.append(Problem(path, line, f"'{node.value}' is not a real date ({exc})",
                                "write a date that exists, such as 2023-02-28, or quote the value if it is not a date"))
    return None
