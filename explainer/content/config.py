"""The site config (content/site.yaml), checked against its schema, and the interface's words (labels)."""

from __future__ import annotations

import copy
import difflib
import re
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from ..errors import Problem
from ..model import Loc, Look, Markdown, Options, SiteConfig, primary_language
from . import schema
from .yamlfile import LocMap, parse_yaml

PLACEHOLDER_RE = re.compile(r"\{(\w*)\}")
BRACE_RE = re.compile(r"\{(\w*)\}|[{}]")
LOCALES_DIR = Path(__file__).parent.parent / "locales"
OG_LOCALES = {"ko": "ko_KR", "en": "en_US", "ja": "ja_JP", "zh": "zh_CN", "de": "de_DE", "fr": "fr_FR", "es": "es_ES"}


def read_config(text: str, display: str, options: Options) -> tuple[LocMap | None, dict[str, Any], list[Problem]]:
    """Parse and check the text of site.yaml; return the raw mapping, checked values and problems."""
    data, problems = parse_yaml(text, display)
    if data is None and not problems:
        problems.append(Problem(display, 1, "site config is empty", "add title, description, language, base_url, copyright"))
    if data is None:
        return None, {}, problems
    values, more = schema.check_record(data, schema.SITE, display, 1)
    problems += more
    if not isinstance(data, LocMap):  # a list or a single value: reported above, nothing more to read
        return None, {}, problems
    if options.base_url:
        value, message = schema.convert(options.base_url, "url")
        if message:
            problems.append(Problem("--base-url", 0, f"--base-url {message}", "give a full URL such as https://user.github.io/repo/"))
        else:
            values["base_url"] = value
    if "language" in values:
        problems += _check_language(values["language"], display, data.line_of("language"))
    if values["labels"]:
        problems += _check_labels(values["labels"], values.get("language", "en"), display, data)
    if "base_url" in values:
        parts = urlsplit(values["base_url"])  # schema.convert has checked that it splits
        if parts.query or parts.fragment:
            problems.append(Problem(display, data.line_of("base_url"), "base_url must not have a query or fragment",
                                    "use only scheme, host and path, e.g. https://user.github.io/repo/"))
    for key in ("logo", "fonts"):
        if isinstance(values.get(key), LocMap):
            checked, more = schema.check_record(values[key], schema.SCHEMAS[key], display, data.line_of(key))
            problems += more
            values[key] = checked
    return data, values, problems


def make_look(data: LocMap, values: dict[str, Any]) -> Look:
    """The look keys of site.yaml, checked (their files are resolved and checked with the rest of the site)."""
    logo, fonts = values.get("logo") or {}, values.get("fonts") or {}
    return Look(accent=values.get("accent") or ("", ""), logo=logo.get("file", ""), logo_alt=logo.get("alt", ""),
                favicon=values["favicon"], css=values["css"], social_image=values["social_image"],
                font_latin=fonts.get("latin", ""), font_hangul=fonts.get("hangul", ""), cards=values["cards"],
                lines={key: data.line_of(key) for key in ("accent", "logo", "favicon", "css", "social_image", "fonts") if key in data})


# Country codes often written where a language code belongs.
COUNTRY_NOT_LANGUAGE = {"kr": "ko", "jp": "ja", "cn": "zh", "gr": "el", "dk": "da", "se": "sv", "ua": "uk", "cz": "cs",
                        "il": "he", "vn": "vi", "us": "en", "uk": "en"}


def _check_language(language: str, display: str, line: int) -> list[Problem]:
    primary = primary_language(language)
    if primary in COUNTRY_NOT_LANGUAGE and primary != "uk":
        right = COUNTRY_NOT_LANGUAGE[primary]
        return [Problem(display, line, f"'{language}' is a country code, not a language code",
                        f"write `language: {right}` (ISO 639-1), optionally with the region: {right}-{primary.upper()}")]
    if primary != "en" and not (LOCALES_DIR / f"{primary}.yaml").is_file():
        return [Problem(display, line, f"the interface has no words for language '{language}'; English ones are used",
                        "translate them under `labels:` (names in explainer/locales/en.yaml)", "warning")]
    return []


def _check_labels(labels: dict[str, str], language: str, display: str, data: LocMap) -> list[Problem]:
    defaults = load_labels(language)
    given = data.get("labels")
    problems: list[Problem] = []
    for name, text in labels.items():
        line = given.line_of(name) if isinstance(given, LocMap) else data.line_of("labels")
        if name not in defaults or not isinstance(defaults[name], str):
            close = difflib.get_close_matches(name, [k for k, v in defaults.items() if isinstance(v, str)], n=1)
            problems.append(Problem(display, line, f"unknown label '{name}'",
                                    (f"did you mean '{close[0]}'? " if close else "") + "label names are in explainer/locales/en.yaml"))
            continue
        allowed = placeholders(name)
        wrong = _wrong_brace(text, allowed)
        if wrong:
            offer = ", ".join("{" + p + "}" for p in allowed) or "none"
            problems.append(Problem(display, line, f"label '{name}' {wrong}",
                                    f"a label holds braces only around its placeholders, written exactly as {{name}}; this label can use: {offer}"))
    return problems


@lru_cache(maxsize=1)
def _locale_labels() -> tuple[dict[str, Any], ...]:
    """Every locale's default labels (files of the package: read once)."""
    return tuple(yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted(LOCALES_DIR.glob("*.yaml")))


def placeholders(name: str) -> list[str]:
    """The placeholders a label is given: those its default uses in any language (month and month_name for every date)."""
    return sorted({p for labels in _locale_labels() for p in PLACEHOLDER_RE.findall(str(labels.get(name, "")))})


def _wrong_brace(text: str, allowed: list[str]) -> str:
    """What is wrong with a label's braces ('' when nothing): each must be a placeholder it is given.

    Labels are filled by str.format (Python) and by splitting on `{name}` (search.js): anything else
    in braces (a format spec, an attribute, a lone brace, `{{`) means something different, or
    something dangerous, to one of them.
    """
    for match in BRACE_RE.finditer(text):
        if match.group(1) is None:  # quote the brace with what it encloses, or with what leads up to it
            start = match.start()
            end = text.find("}", start) if match.group() == "{" else start
            piece = text[start:end + 1] if 0 <= end - start < 40 else text[start:start + 40]
            if match.group() == "}":
                piece = text[max(0, start - 20):start + 1]
            return f"has '{piece}', which is not a placeholder"
        if match.group(1) not in allowed:
            return f"uses {{{match.group(1)}}}, which it is not given"
    return ""


def make_config(data: LocMap, values: dict[str, Any], display: str, intro: Markdown | None) -> SiteConfig:
    """Build the SiteConfig from checked values.

    A required key that is missing was reported as a problem, and the build stops before
    anything is rendered: the empty value it gets here is only seen by the checks.
    """
    language = values.get("language", "en")
    labels = load_labels(language)
    labels.update(values["labels"])
    primary = primary_language(language)
    base = values.get("base_url", "")
    return SiteConfig(
        title=values.get("title", ""),
        description=values.get("description", ""),
        language=language,
        base_url=base if base.endswith("/") else base + "/",
        copyright=values.get("copyright", ""),
        author=values["author"],
        publisher=values["publisher"],
        locale=values["locale"] or OG_LOCALES.get(primary, primary),
        nav=values["nav"],
        intro=intro,
        key_facts=values["key_facts"],
        quote_share=values["quote_share"],
        labels=labels,
        loc=Loc(display, 1),
        key_lines=dict(data.key_lines),
        archives=values["archives"],
        look=make_look(data, values),
        published=values["published"],
    )


def load_labels(language: str) -> dict[str, Any]:
    """Return the interface words for a language (falling back to English for missing ones): a copy of its own."""
    primary = primary_language(language)
    own = LOCALES_DIR / f"{primary}.yaml"
    english = (LOCALES_DIR / "en.yaml").read_text(encoding="utf-8")
    return copy.deepcopy(parsed_labels(english, own.read_text(encoding="utf-8") if primary != "en" and own.is_file() else ""))


@lru_cache(maxsize=8)
def parsed_labels(english: str, own: str) -> dict[str, Any]:
    """The words of the English locale file's text, with those of another's over them; parsed once per text (a
    preview's every rebuild asks)."""
    labels: dict[str, Any] = yaml.safe_load(english)
    if own:
        labels.update(yaml.safe_load(own))
    return labels
