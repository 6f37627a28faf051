"""How model values are shown to readers: dates, source names, structured data."""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

from markupsafe import Markup

from ..model import PartialDate, Source

NOT_IN_ID_RE = re.compile(r"[^\w\s-]")


def slug(text: str) -> str:
    """Return text as the readable part of an id: NFC, lower case, words joined by hyphens, no punctuation (앞장선-두-회사)."""
    words = NOT_IN_ID_RE.sub("", unicodedata.normalize("NFC", text).lower()).split()
    return "-".join(words).strip("-_")


def tag_anchor(tag: str) -> str:
    """Return the id of a tag's list on the facts page: tag-<slug> (facts/#tag-회원)."""
    return f"tag-{slug(tag) or 'untitled'}"


def format_date(value: PartialDate | None, labels: dict[str, Any], in_month: bool = False) -> str:
    """Format a (partial) date with the site's labels: 2023년 12월 5일, December 2023.

    `in_month`: a day without its year (12월 5일, December 5), where the month is given above it.
    """
    if value is None:
        return ""
    months = labels.get("months") or [str(i) for i in range(1, 13)]
    pattern = labels["date_in_month" if in_month and value.day else "date_" + value.precision]
    month_name = months[value.month - 1] if value.month else ""
    return str(pattern.format(year=value.year, month=value.month, day=value.day, month_name=month_name))


def source_name(source: Source, labels: dict[str, Any]) -> str:
    """Name a source: its headline, or its outlet and date when it has none."""
    if source.title:
        return source.title
    date = format_date(source.published, labels)
    return f"{source.outlet} ({date})" if date else source.outlet or labels["untitled"]


def json_script(data: Any) -> Markup:
    """Serialise data for a <script type="application/ld+json"> element, safe against </script>."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, indent=None)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)


def shortened(text: str, limit: int) -> str:
    """Return the start of `text`, at most `limit` characters, cut at a space, with … when cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(",.;:·") + "…"
