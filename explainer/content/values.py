"""The values a content field may hold, converted from YAML to their declared type (schema.py declares the fields).

`convert(raw, type)` returns the value or what is wrong with it, in words a message can use.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urlsplit

from .. import limits
from ..model import PartialDate
from .yamlfile import LocMap

ID_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
REF_RE = re.compile(r"^([a-z0-9](?:[a-z0-9-]*[a-z0-9])?)#([a-z0-9](?:[a-z0-9-]*[a-z0-9])?)$")
LANG_RE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")  # what an archive may be: a copy of an article as text
PARTIAL_RE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


def convert(raw: Any, type_: str) -> tuple[Any, str]:
    """Convert one YAML value to the declared type; return (value, '') or (None, what is wrong)."""
    if raw is None:
        return None, "is empty"
    if type_ in ("text", "markdown", "inline"):
        if isinstance(raw, str):
            text = raw.strip()
            return (text, "") if text else (None, "is empty")
        return None, f"must be text, not {_kind(raw)} (quote it)"
    if type_ == "id":
        if isinstance(raw, str) and ID_RE.match(raw):
            return raw, ""
        return None, f"must be an id like 'my-id' (lowercase a-z, 0-9, hyphens), not {_shown_value(raw)}"
    if type_ == "integer":
        if isinstance(raw, int) and not isinstance(raw, bool):
            return raw, ""
        return None, f"must be a whole number, not {_kind(raw)}"
    if type_ == "boolean":
        if isinstance(raw, bool):
            return raw, ""
        return None, f"must be true or false, not {_shown_value(raw)}"
    if type_ == "date":
        return _convert_date(raw)
    if type_ == "url":
        if isinstance(raw, str) and re.match(r"^https?://[^\s/$.?#][^\s]*$", raw.strip()) and _url_parts(raw.strip()):
            return raw.strip(), ""
        return None, f"must be an http:// or https:// URL, not {_shown_value(raw)}"
    if type_ in ("path", "folder"):
        return _convert_path(raw, folder=type_ == "folder")
    if type_ == "language":
        if isinstance(raw, str) and LANG_RE.match(raw.strip()):
            return raw.strip(), ""
        return None, f"must be a BCP 47 language tag such as 'ko' or 'en-GB', not {_shown_value(raw)}"
    if type_ in ("texts", "ids", "refs"):
        return _convert_list(raw, type_)
    if type_ == "color":
        return _convert_color(raw)
    if type_ == "labels":
        if isinstance(raw, LocMap) and all(isinstance(v, str) for v in raw.values()):
            return dict(raw), ""
        return None, "must be a mapping of names to strings"
    raise ValueError(f"unknown field type {type_!r}")  # a bug in a schema declaration


def _convert_path(raw: Any, folder: bool = False) -> tuple[Any, str]:
    """A relative path: no control characters, not absolute, not endless; a file's (`archive:`) a text file's, inside
    the folder it is relative to, a folder's (`archives:`) anywhere from the folder holding content/."""
    if not isinstance(raw, str) or not raw.strip():
        return None, f"must be a relative file path, not {_kind(raw)}"
    path = raw.strip()
    if len(path) > limits.ARCHIVE_PATH.value:
        return None, (f"is {len(path):,} characters long; a path may have at most {limits.shown(limits.ARCHIVE_PATH)}; "
                      + limits.raise_hint(limits.ARCHIVE_PATH, len(path)))
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in path):
        return None, f"holds a control character: {_shown_value(path)}"
    if path.startswith(("/", "\\", "~")) or re.match(r"^[A-Za-z]:", path):
        return None, f"must be relative to the folder holding content/, not {_shown_value(path)}"
    if folder:
        return path, ""
    if ".." in re.split(r"[/\\]", path):
        return None, (f"must stay inside the archive folder, without '..': {_shown_value(path)}; for archives kept outside "
                      "the project, name their folder with `archives:` in site.yaml (`archives: ../articles`)")
    if not path.lower().endswith(TEXT_SUFFIXES):
        return None, f"must name a text file ({', '.join(TEXT_SUFFIXES)}), not {_shown_value(path)}"
    return path, ""


def _url_parts(url: str) -> bool:
    """Whether a URL splits into parts with a host name (urllib refuses https://[::1/, an unclosed IPv6 address)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (reading it raises ValueError for a port that is no number)
    except ValueError:
        return False
    return bool(parts.hostname)


def _shown_value(raw: Any) -> str:
    """A value as a message quotes it: its repr, at most 80 characters of it."""
    text = repr(raw)
    return text if len(text) <= 80 else text[:79] + "…"


COLOR_RE = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")


def _convert_color(raw: Any) -> tuple[Any, str]:
    """A colour, or a light and a dark one: always returned as (light, dark), each '#rrggbb' in lower case ('' when not given)."""
    if isinstance(raw, str):
        given: dict[str, Any] = {"light": raw}
    elif isinstance(raw, LocMap) and set(raw) <= {"light", "dark"} and raw:
        given = dict(raw)
    else:
        return None, f"must be a colour such as '#0b57b3', or a mapping with light: and dark:, not {_kind(raw)}"
    out: dict[str, str] = {}
    for scheme, value in given.items():
        if not isinstance(value, str) or not COLOR_RE.match(value.strip()):
            return None, f"must be a colour written #rrggbb (in quotes: YAML reads # as a comment), not {value!r}"
        code = value.strip().lower()
        out[scheme] = "#" + "".join(char * 2 for char in code[1:]) if len(code) == 4 else code
    return (out.get("light", ""), out.get("dark", "")), ""


def _convert_list(raw: Any, type_: str) -> tuple[Any, str]:
    if isinstance(raw, str):
        raw = [raw]  # a single item written without a list is accepted
    if not isinstance(raw, list):
        return None, f"must be a list, not {_kind(raw)}"
    out: list[Any] = []
    for item in raw:
        if type_ == "texts":
            if not isinstance(item, (str, int, float)) or isinstance(item, bool) or not str(item).strip():
                return None, f"must be a list of strings; {_shown_value(item)} is not one"
            out.append(str(item).strip())
        elif type_ == "ids":
            if not isinstance(item, str) or not ID_RE.match(item):
                return None, f"must be a list of ids (lowercase a-z, 0-9, hyphens); {_shown_value(item)} is not one"
            out.append(item)
        else:
            if not isinstance(item, str) or not REF_RE.match(item.strip()):
                return None, f"must be a list of references 'source-id#excerpt-id'; {_shown_value(item)} is not one"
            out.append(item.strip())
    return tuple(out), ""


def _convert_date(raw: Any) -> tuple[Any, str]:
    if isinstance(raw, dt.datetime):
        raw = raw.date()
    if isinstance(raw, dt.date):
        return PartialDate.from_date(raw), ""
    if isinstance(raw, int) and not isinstance(raw, bool) and 1000 <= raw <= 9999:
        return PartialDate(raw), ""
    if isinstance(raw, str):
        match = PARTIAL_RE.match(raw.strip())
        if match:
            year, month, day = (int(g) if g else 0 for g in match.groups())
            given_month, given_day = match.group(2) is not None, match.group(3) is not None
            if year < 1 or (given_month and not 1 <= month <= 12):  # 0000, 2023-00: no year or month of any calendar
                return None, f"is not a real date: {raw!r}"
            if given_day:
                try:
                    dt.date(year, month, day)
                except ValueError:
                    return None, f"is not a real date: {raw!r}"
            return PartialDate(year, month, day), ""
    return None, f"must be a date like 2023-12-07, 2023-12 or 2023, not {_shown_value(raw)}"


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, (dt.date, dt.datetime)):
        return "a date"
    if value is None:
        return "nothing"
    if isinstance(value, bytes):
        return "binary data (!!binary)"
    if isinstance(value, str):
        return "text"
    return type(value).__name__
