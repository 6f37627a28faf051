"""Reading a content file's bytes as text: UTF-8 (a byte-order mark allowed), in Unicode NFC form."""

from __future__ import annotations

import unicodedata

from ..errors import Problem


def decode(data: bytes, shown: str) -> tuple[str | None, Problem | None]:
    """Return the text of a file's bytes, or None and the problem that says why it is not text."""
    try:
        return unicodedata.normalize("NFC", data.decode("utf-8-sig")), None
    except UnicodeDecodeError as exc:
        return None, Problem(shown, 0, f"not UTF-8 text ({exc.reason})", "save the file as UTF-8")
