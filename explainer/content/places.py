"""Where each [[…]] reference is written in its file: the line an error about it names.

YAML folds the line breaks of plain, quoted and `>` values, so lines counted inside a parsed
value can be off; the reference's own text, found in the file's lines from the key on, is not.
Every reference written in a file is indexed once, by kind and target, so placing a document's
references costs a lookup each (searching the lines again for each reference would be quadratic).
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections import defaultdict

from ..model import DocRef, Markdown

WRITTEN_RE = re.compile(r"\[\[([A-Za-z_-]+)(?::([^\[\]|\n]*))?")


class Places:
    """The lines on which each (kind, target) reference is written in one file (1-based, ascending)."""

    def __init__(self, lines: list[str]) -> None:
        found: defaultdict[tuple[str, str], list[int]] = defaultdict(list)
        for number, line in enumerate(lines, start=1):
            if "[[" in line:
                for match in WRITTEN_RE.finditer(line):
                    found[(match.group(1), (match.group(2) or "").strip())].append(number)
        self.found = dict(found)

    def place(self, doc: Markdown, key_line: int) -> Markdown:
        """Put each reference of `doc` on the first line at or after the previous one's (from `key_line`) that writes it."""
        if not doc.refs:
            return doc
        cursor = key_line
        placed: list[DocRef] = []
        for ref in doc.refs:
            lines = self.found.get((ref.kind, ref.target), [])
            index = bisect.bisect_left(lines, cursor)
            if index < len(lines):
                cursor = lines[index]
                ref = dataclasses.replace(ref, line=cursor)
            placed.append(ref)
        return dataclasses.replace(doc, refs=tuple(placed))
