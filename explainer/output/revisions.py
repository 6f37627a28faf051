"""Claims that changed since the last published build without a correction saying so.

The last published build is its facts.json: by default the one in the output folder (the last
build written there), or the file given with `--previous` (in CI, the copy downloaded from the
published site). A fact whose claim reads differently from that file's, and that has no
correction the file does not have, is a warning (an error under --strict). A file that is absent
is the first build: nothing to compare.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

from .. import limits
from ..content.files import TooLarge, read_bounded
from ..errors import Problem, display_path
from ..model import Fact, Site
from ..render.structured import plain
from .dataset import VERSION


def unnoted_changes(site: Site, previous: Path, root: Path | None = None) -> list[Problem]:
    """Compare the claims with a previous facts.json; return a warning per claim changed without a new correction."""
    shown = display_path(previous, root) if root is not None else str(previous)
    try:
        data = json.loads(read_bounded(previous, limits.PREVIOUS_BYTES.value))
    except FileNotFoundError:
        return []
    except (OSError, ValueError, TooLarge) as exc:
        return [Problem(shown, 0, f"cannot compare the claims with the last published build: {_reason(exc)}",
                        "give a facts.json written by explainer with --previous, or remove the file"
                        + (f"; {limits.raise_hint(limits.PREVIOUS_BYTES, exc.size)}" if isinstance(exc, TooLarge) else ""), "warning")]
    before = _facts(data)
    if before is None:
        return [Problem(shown, 0, f"cannot compare the claims with the last published build: not a facts.json of version {VERSION}",
                        "give a facts.json written by explainer with --previous", "warning")]
    problems = []
    for fact in site.facts:
        old = before.get(fact.id)
        if old is None or _same(old.get("claim"), plain(site, fact.claim)):
            continue
        known = {(c.get("date"), _normal(c.get("change"))) for c in old.get("corrections") or [] if isinstance(c, dict)}
        if any((c.date.iso(), _normal(plain(site, c.change))) not in known for c in fact.corrections):
            continue  # the change is noted
        problems.append(_unnoted(fact, str(old.get("claim")), shown))
    return problems


def _unnoted(fact: Fact, old: str, shown: str) -> Problem:
    loc = fact.claim.loc
    return Problem(loc.path, loc.line, f"the claim of fact '{fact.id}' changed since the last published build ({shown}) "
                   "without a correction", f"it said: “{old}”. If the change corrects what readers saw, add under the fact "
                   "`corrections: [{date: YYYY-MM-DD, change: …, reason: …}]`; readers see it beside the claim", "warning")


def _facts(data: Any) -> dict[str, dict[str, Any]] | None:
    """The facts of a facts.json by id, or None when it is not one this version reads."""
    if not isinstance(data, dict) or data.get("format") != "explainer-facts" or data.get("version") != VERSION:
        return None
    facts = data.get("facts")
    if not isinstance(facts, list):
        return None
    return {item["id"]: item for item in facts if isinstance(item, dict) and isinstance(item.get("id"), str)}


def _normal(text: Any) -> str:
    """Text as compared: Unicode NFC, runs of whitespace as one space (what a reader cannot see does not count)."""
    return " ".join(unicodedata.normalize("NFC", text).split()) if isinstance(text, str) else ""


def _same(old: Any, new: str) -> bool:
    return _normal(old) == _normal(new)


def _reason(exc: Exception) -> str:
    if isinstance(exc, TooLarge):
        return f"it is too large ({exc}; the limit is {limits.shown(limits.PREVIOUS_BYTES)})"
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return "it is not JSON" if isinstance(exc, json.JSONDecodeError) else str(exc)
