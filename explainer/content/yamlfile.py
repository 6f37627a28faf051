"""Read YAML that remembers where every key and item came from, and rejects duplicate keys, aliases and excess."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import yaml

from .. import limits
from ..errors import Problem


class Unreadable:
    """The value of a scalar that could not be read (its problem is reported): checks skip it rather than report it again."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "an unreadable value"


UNREADABLE = Unreadable()


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


class Refused(yaml.YAMLError):
    """A YAML construct content may not use, or a limit passed, found while composing (before any value is built)."""

    def __init__(self, event: yaml.Event, message: str, hint: str) -> None:
        super().__init__(message)
        self.line = event.start_mark.line if event.start_mark is not None else 0  # 0-based, as PyYAML counts
        self.message = message
        self.hint = hint


class Bounds:
    """Composing within the limits: no aliases, bounded depth and size (mixed into a loader before its Composer).

    An alias is refused where it is written: expanded, nine levels of nine make 387 million values
    from 342 bytes, and one inside its own anchor never ends. Composition is where nesting
    recurses and values multiply, so the limits are checked there, before any value is walked.
    """

    depth = 0
    nodes = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        event: yaml.Event = self.peek_event()  # type: ignore[attr-defined]
        if isinstance(event, yaml.AliasEvent):
            raise Refused(event, f"YAML aliases (*{event.anchor}) are not allowed in content",
                          "write the value out where it is needed (anchors, aliases and merges with <<: *name are refused)")
        self.nodes += 1
        if self.nodes > limits.YAML_NODES.value:
            raise Refused(event, f"more than {limits.shown(limits.YAML_NODES)} in one file",
                          f"split the file: facts may live in several files under facts/; {limits.raise_hint(limits.YAML_NODES)}")
        nested = isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent))  # a level is a mapping or a list
        self.depth += nested
        try:
            if self.depth > limits.YAML_DEPTH.value:
                raise Refused(event, f"YAML nested more than {limits.shown(limits.YAML_DEPTH)} deep",
                              "content needs a few levels at most: a mapping, a list of records, their keys; "
                              + limits.raise_hint(limits.YAML_DEPTH))
            node: yaml.Node | None = super().compose_node(parent, index)  # type: ignore[misc]
            return node
        finally:
            self.depth -= nested


class BoundedLoader(Bounds, yaml.SafeLoader):
    """PyYAML's safe loader in pure Python, composing within the limits (Bounds)."""


FAST_LOADER: Callable[[str], Any] | None = None
if yaml.__with_libyaml__:
    from yaml._yaml import CParser

    class FastBoundedLoader(Bounds, yaml.composer.Composer, CParser, yaml.constructor.SafeConstructor, yaml.resolver.Resolver):
        """BoundedLoader with libyaml's C scanner and parser: the same nodes and lines, several times faster.

        Only scanning and parsing are libyaml's (CParser's events); PyYAML's own Composer, which
        comes first, composes them within Bounds, so every limit is checked as before.
        """

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            yaml.composer.Composer.__init__(self)
            yaml.constructor.SafeConstructor.__init__(self)
            yaml.resolver.Resolver.__init__(self)

    FAST_LOADER = FastBoundedLoader

# Line breaks PyYAML's reader and libyaml might count differently (NEL, LS, PS): such text is read by PyYAML alone.
RARE_BREAKS = re.compile("[\\x85\\u2028\\u2029]")


def compose_fast(text: str) -> tuple[bool, yaml.Node | None]:
    """Compose `text` with libyaml's parser: (True, its node), or (False, None) when PyYAML must read it.

    On valid YAML the two agree node for node, lines included. On anything else (a syntax
    error, a refused construct, a character PyYAML refuses) PyYAML reads the text again, so
    that every problem is reported in PyYAML's own words and at its own lines.
    """
    if FAST_LOADER is None or RARE_BREAKS.search(text) or yaml.reader.Reader.NON_PRINTABLE.search(text):
        return False, None
    loader = FAST_LOADER(text)
    try:
        node: yaml.Node | None = loader.get_single_node()
        return True, node
    except yaml.YAMLError:
        return False, None
    finally:
        loader.dispose()


def parse_yaml(text: str, path: str, first_line: int = 1) -> tuple[Any, list[Problem]]:
    """Parse `text` into plain values, LocMaps and LocLists; report syntax errors, duplicate keys and refused constructs.

    `first_line` is the file line on which `text` starts (front matter starts on line 2).
    """
    composed, node = compose_fast(text)
    if composed:
        return build_values(node, path, first_line - 1, [])
    problems: list[Problem] = []
    offset = first_line - 1
    loader: BoundedLoader | None = None
    try:
        loader = BoundedLoader(text)  # its reader refuses characters YAML does not allow at once
        node = loader.get_single_node()
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + first_line
        problems.append(Problem(path, line, f"character U+{exc.character:04X} is not allowed in YAML" if isinstance(exc.character, int)
                                else f"YAML error: {exc.reason}", "remove it, or write it as an escape inside double quotes"))
        return None, problems
    except Refused as exc:
        problems.append(Problem(path, exc.line + 1 + offset, exc.message, exc.hint))
        return None, problems
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark is not None and exc.problem and ("end of stream" in exc.problem or "<stream end>" in exc.problem):
            mark = exc.context_mark  # an unclosed quote or bracket: point at where it was opened
        line = mark.line + 1 + offset if mark is not None else first_line
        reason = exc.problem or exc.context or "invalid YAML"
        problems.append(_syntax_problem(text, path, offset, line, reason, exc))
        return None, problems
    except yaml.YAMLError as exc:  # errors without a position
        problems.append(Problem(path, first_line, f"YAML error: {exc}", "check the file's syntax"))
        return None, problems
    finally:
        if loader is not None:
            loader.dispose()
    return build_values(node, path, offset, problems)


def build_values(node: yaml.Node | None, path: str, offset: int, problems: list[Problem]) -> tuple[Any, list[Problem]]:
    """Turn a composed document into values, adding any problems its values have to `problems`."""
    if node is None:
        return None, problems
    builder = yaml.SafeLoader("")
    try:
        value = _convert(node, builder, path, offset, problems)
    finally:
        builder.dispose()
    return (None if value is UNREADABLE else value), problems


SYNTAX_HINT = ("check indentation, colons and quotes on this line and the one above; "
               "a value containing ': ' or starting with a quote or '[' must be quoted")


def _syntax_problem(text: str, path: str, offset: int, line: int, reason: str, exc: yaml.MarkedYAMLError) -> Problem:
    """The problem for a YAML syntax error, on the line that causes it where PyYAML's own mark is elsewhere.

    Two mistakes PyYAML reports far from their cause: a tab in the indentation, and a comment
    inside a flow list (`[a, b # note]`), which hides the rest of its line, the closing bracket too.
    """
    lines = text.splitlines()
    if "'\\t'" in reason:
        return Problem(path, line, "YAML syntax error: a tab in the indentation",
                       f"YAML indents with spaces only: replace the tab at the start of line {line} with spaces")
    if "flow" in (exc.context or "") and exc.problem_mark is not None:
        end = exc.problem_mark.line
        for index in range(min(end, len(lines) - 1), max(-1, end - 50), -1):  # the nearest opening before the error
            column = _comment_at(lines[index], 0)
            before = lines[index][:column]
            for kind, opening, closing in (("list", "[", "]"), ("mapping", "{", "}")):
                if column >= 0 and before.count(opening) > before.count(closing):
                    return Problem(path, index + 1 + offset, f"YAML syntax error: '#' starts a comment inside a {opening} … {closing} "
                                   f"{kind}, and hides the rest of the line, its closing '{closing}' too",
                                   f"close the {kind} before the comment (`{opening}a, b{closing}  # note`), "
                                   "or quote a value that holds '#'")
    return Problem(path, line, f"YAML syntax error: {reason}", SYNTAX_HINT)


def _comment_at(line: str, start: int) -> int:
    """The column of a comment ('#' after a space, outside quotes) in `line` from `start`, or -1."""
    quote = ""
    for column in range(start, len(line)):
        char = line[column]
        if quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "#" and (column == 0 or line[column - 1] in " \t"):
            return column
    return -1


def _convert(node: yaml.Node, builder: yaml.SafeLoader, path: str, offset: int, problems: list[Problem]) -> Any:
    """Turn a composed node into values, recording lines; duplicate keys and unreadable values become problems.

    The recursion is as deep as the YAML, which BoundedLoader has kept within limits.YAML_DEPTH.
    """
    line = node.start_mark.line + 1 + offset
    if isinstance(node, yaml.MappingNode):
        result = LocMap(line)
        try:
            builder.flatten_mapping(node)
        except yaml.constructor.ConstructorError as exc:  # `<<:` given something other than mappings
            problems.append(Problem(path, _line(exc.problem_mark, offset, line), f"cannot read this mapping: {exc.problem}",
                                    "write the keys out; `<<:` merges only mappings"))
            return UNREADABLE
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
    return _scalar(node, builder, path, line, problems)


def _scalar(node: yaml.Node, builder: yaml.SafeLoader, path: str, line: int, problems: list[Problem]) -> Any:
    """One scalar's value; UNREADABLE and a problem when its tag cannot make a value of it, or its text is no text."""
    try:
        value = builder.construct_object(node, deep=True)
    except yaml.constructor.ConstructorError as exc:
        problems.append(Problem(path, line, f"cannot read this value: {exc.problem}", "quote the value"))
        return UNREADABLE
    except Exception as exc:  # PyYAML's constructor for the tag refusing the text, however it does: !!int x, 2023-02-30
        if node.tag == "tag:yaml.org,2002:timestamp":
            why = f" ({exc})" if isinstance(exc, ValueError) else ""  # Python's own words say which part is wrong
            problems.append(Problem(path, line, f"'{_cut(node.value)}' is not a real date{why}",
                                    "write a date that exists, such as 2023-02-28, or quote the value if it is not a date"))
        else:
            kind = node.tag.rsplit(":", 1)[-1]
            problems.append(Problem(path, line, f"'{_cut(node.value)}' cannot be read as {kind}",
                                    "quote the value to keep it as text, or write it as the type it claims"))
        return UNREADABLE
    if isinstance(value, str):
        bad = next((char for char in value if _not_text(char)), None)
        if bad is not None:
            what = "a lone surrogate" if 0xD800 <= ord(bad) <= 0xDFFF else "a control character"
            problems.append(Problem(path, line, f"this value holds {what} (U+{ord(bad):04X}), which is not text",
                                    "remove the escape (\\u…, \\x…, \\0) that writes it"))
            return UNREADABLE
    return value


def _not_text(char: str) -> bool:
    """A code point no content may hold: a surrogate (no character alone, and unwritable as UTF-8) or a control other than tab and newlines."""
    code = ord(char)
    return 0xD800 <= code <= 0xDFFF or (code < 0x20 and char not in "\t\n\r") or 0x7F <= code < 0xA0


def _line(mark: yaml.Mark | None, offset: int, default: int) -> int:
    return mark.line + 1 + offset if mark is not None else default


def _cut(text: str, length: int = 60) -> str:
    """At most `length` characters of a value, for a message."""
    return text if len(text) <= length else text[:length] + "…"
