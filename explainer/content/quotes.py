"""Quotes checked against the text they quote: every excerpt occurs verbatim in its source's archive,
and the excerpts of one source reproduce only a small share of it."""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from .. import limits
from ..errors import Problem, display_path
from ..model import Options, Site
from .files import TooLarge, read_bounded


def normalize_quote(text: str) -> str:
    """Return text in the form quotes are compared in: NFC, whitespace runs as one space."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def read_archive(path: Path) -> tuple[str | None, str]:
    """Return the archive's text for comparison, or None and why it could not be read."""
    if not path.exists():
        return None, "not found"
    if not path.is_file():
        return None, "is not a file"
    try:
        data = read_bounded(path, limits.ARCHIVE_BYTES.value)
        return normalize_quote(data.decode("utf-8-sig")), ""
    except TooLarge as exc:
        return None, f"is too large ({exc}; the limit is {limits.shown(limits.ARCHIVE_BYTES)})"
    except UnicodeDecodeError:
        return None, "is not UTF-8 text (convert it, e.g. iconv -f euc-kr -t utf-8)"
    except OSError as exc:
        return None, f"cannot be read ({exc.strerror})"


def check_quotes(site: Site, options: Options) -> Iterator[Problem]:
    """Check every excerpt against its source's archive text, and how much of the archive the excerpts reproduce."""
    cache: dict[Path, tuple[str | None, str]] = {}
    for source in site.sources:
        if not source.archive:
            continue
        path = Path(os.path.normpath(options.root / source.archive))  # not resolve(): a symlink loop is reported when read
        if path not in cache:
            cache[path] = read_archive(path)
        archive, why = cache[path]
        if archive is None:
            line = source.lines.get("archive", source.loc.line)
            yield Problem(source.loc.path, line, f"archive '{source.archive}' {why.split(' (')[0]}; quotes of '{source.id}' are not verified",
                          f"looked for {display_path(path, options.root)}; fix `archive:` or provide the file"
                          + (f"; {why}" if "(" in why else ""), "warning")
            continue
        for excerpt in source.excerpts:
            if normalize_quote(excerpt.text) not in archive:
                yield Problem(excerpt.loc.path, excerpt.loc.line, f"excerpt '{source.id}#{excerpt.id}' does not occur in the archive",
                              f"copy the words exactly from {source.archive} (differences in whitespace are ignored)")
        share = quoted_share(archive, [normalize_quote(e.text) for e in source.excerpts])
        if share * 100 > site.config.quote_share:
            yield Problem(source.loc.path, source.lines.get("excerpts", source.loc.line),
                          f"the excerpts of '{source.id}' reproduce {share:.0%} of its archive (limit {site.config.quote_share}%)",
                          "quote only the words a fact needs and say the rest in your own words "
                          "(or raise quote_share in site.yaml)", "warning")


def quoted_share(archive: str, quotes: list[str]) -> float:
    """Return the share of the archive's characters that the quotes cover (each at its first occurrence)."""
    if not archive:
        return 0.0
    covered = bytearray(len(archive))
    for quote in quotes:
        start = archive.find(quote)
        if start >= 0 and quote:
            covered[start:start + len(quote)] = b"\x01" * len(quote)
    return sum(covered) / len(archive)
