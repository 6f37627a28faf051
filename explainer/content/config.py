"""The site config (content/site.yaml) and the build's own options, checked against one schema."""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from ..errors import Problem
from ..model import Loc
from . import schema
from .yamlfile import LocMap, parse_yaml

BUILTIN_SECTIONS = ("facts", "glossary", "sources")
PLACEHOLDER_RE = re.compile(r"\{(\w*)\}")
LOCALES_DIR = Path(__file__).parent.parent / "locales"
OG_LOCALES = {"ko": "ko_KR", "en": "en_US", "ja": "ja_JP", "zh": "zh_CN", "de": "de_DE", "fr": "fr_FR", "es": "es_ES"}


@dataclass(frozen=True, slots=True)
class Options:
    """What the command line decided: where to read, where to write, how strict to be."""

    content_dir: Path
    out_dir: Path
    base_url: str = ""  # overrides site.yaml when set
    strict: bool = False

    @property
    def root(self) -> Path:
        """The folder holding content/: archives and a site's own templates/ are found from here."""
        return self.content_dir.parent


@dataclass(frozen=True, slots=True)
class SiteConfig:
    """content/site.yaml, checked, with derived values (base path, locale, labels)."""

    title: str
    description: str
    language: str
    base_url: str
    copyright: str
    author: str
    publisher: str
    locale: str
    nav: tuple[str, ...]
    intro: Any  # Markdown | None, parsed by load.py
    key_facts: tuple[str, ...]
    quote_share: int
    labels: dict[str, Any] = field(compare=False)
    loc: Loc = field(default_factory=lambda: Loc("", 0))
    key_lines: dict[str, int] = field(default_factory=dict, compare=False)

    @property
    def base_path(self) -> str:
        """The URL path the site lives under, always starting and ending with '/'."""
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    def absolute(self, url_path: str) -> str:
        """Return the absolute URL of a site path such as 'glossary/x/'."""
        base = self.base_url if self.base_url.endswith("/") else self.base_url + "/"
        return base + url_path.lstrip("/")


def read_config(options: Options, display: str) -> tuple[LocMap | None, dict[str, Any], list[Problem]]:
    """Read and check site.yaml; return the raw mapping, checked values and problems."""
    path = options.content_dir / "site.yaml"
    if not path.is_file():
        return None, {}, [Problem(display, 0, "site config not found",
                                  f"create {display} with at least: title, description, language, base_url, copyright")]
    try:
        text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        return None, {}, [Problem(display, 0, f"not UTF-8 text ({exc.reason})", "save the file as UTF-8")]
    data, problems = parse_yaml(text, display)
    if data is None and not problems:
        problems.append(Problem(display, 1, "site config is empty", "add title, description, language, base_url, copyright"))
    if data is None:
        return None, {}, problems
    values, more = schema.check_record(data, schema.SITE, display, 1)
    problems += more
    if options.base_url:
        value, message = schema.convert(options.base_url, "url")
        if message:
            problems.append(Problem("--base-url", 0, f"--base-url {message}", "give a full URL such as https://user.github.io/repo/"))
        else:
            values["base_url"] = value
    if "language" in values:
        problems += _check_language(values["language"], display, data.line_of("language"))
    if "labels" in values:
        problems += _check_labels(values["labels"], values.get("language", "en"), display, data)
    if "base_url" in values:
        parts = urlsplit(values["base_url"])
        if parts.query or parts.fragment:
            problems.append(Problem(display, data.line_of("base_url"), "base_url must not have a query or fragment",
                                    "use only scheme, host and path, e.g. https://user.github.io/repo/"))
    return data, values, problems


# Country codes often written where a language code belongs.
COUNTRY_NOT_LANGUAGE = {"kr": "ko", "jp": "ja", "cn": "zh", "gr": "el", "dk": "da", "se": "sv", "ua": "uk", "cz": "cs",
                        "il": "he", "vn": "vi", "us": "en", "uk": "en"}


def _check_language(language: str, display: str, line: int) -> list[Problem]:
    primary = language.split("-")[0].lower()
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
        allowed = set(PLACEHOLDER_RE.findall(defaults[name]))
        extra = sorted(set(PLACEHOLDER_RE.findall(text)) - allowed)
        if extra:
            offer = ", ".join("{" + p + "}" for p in sorted(allowed)) or "none"
            problems.append(Problem(display, line, f"label '{name}' uses {{{extra[0]}}}, which it is not given",
                                    f"this label can use: {offer}"))
    return problems


def make_config(data: LocMap, values: dict[str, Any], display: str, intro: Any) -> SiteConfig:
    """Build the SiteConfig from checked values (defaults filled in)."""
    language = values.get("language", "en")
    labels = load_labels(language)
    labels.update(values.get("labels", {}))
    primary = language.split("-")[0].lower()
    locale = values.get("locale") or OG_LOCALES.get(primary, primary)
    base = values.get("base_url", "http://localhost/")
    return SiteConfig(
        title=values.get("title", ""),
        description=values.get("description", ""),
        language=language,
        base_url=base if base.endswith("/") else base + "/",
        copyright=values.get("copyright", ""),
        author=values.get("author", ""),
        publisher=values.get("publisher", ""),
        locale=locale,
        nav=tuple(values.get("nav", ())),
        intro=intro,
        key_facts=tuple(values.get("key_facts", ())),
        quote_share=values.get("quote_share", 25),
        labels=labels,
        loc=Loc(display, 1),
        key_lines=dict(data.key_lines),
    )


def load_labels(language: str) -> dict[str, Any]:
    """Return the interface words for a language (falling back to English for missing ones)."""
    labels: dict[str, Any] = yaml.safe_load((LOCALES_DIR / "en.yaml").read_text(encoding="utf-8"))
    primary = language.split("-")[0].lower()
    own = LOCALES_DIR / f"{primary}.yaml"
    if primary != "en" and own.is_file():
        labels.update(yaml.safe_load(own.read_text(encoding="utf-8")))
    return labels
