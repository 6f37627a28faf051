"""Quotes checked against the text they quote: every excerpt occurs verbatim in its source's archive,
and the excerpts of one source reproduce only a small share of it.

Where an archive is absent, the quote lock (quotelock.py) stands in for it: an excerpt whose words
hash as they did when they were verified is still verified; one that changed, or never was, is
reported. The check returns the lock as it should now be; the pipeline writes it.
"""

from __future__ import annotations

import functools
import os
import re
import shlex
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from .. import limits
from ..cache import Cache, Section, digest
from ..errors import Problem, display_path
from ..model import Options, Site, Source
from ..regular import within
from ..text.fragment import findable
from .files import TooLarge, read_bounded
from .passage import excerpt_hint
from .quotelock import Lock, Locked, LockedSource, lock_memo, lock_path, read_lock, text_hash
from .values import TEXT_SUFFIXES


@dataclass(frozen=True, slots=True)
class QuoteCheck:
    """What checking the quotes found: problems, the lock to record, and how each excerpt was verified."""

    problems: tuple[Problem, ...]
    lock: Lock
    by_archive: int  # excerpts found in their archive just now
    by_lock: int  # excerpts whose archive is absent, unchanged since the lock recorded them
    writable: bool = True  # False when the lock could not be read and an absent archive needed it: rewriting it would lose it
    archives: tuple[Path, ...] = ()  # every archive file looked for, found or not (the build cache hashes them)


def normalize_quote(text: str) -> str:
    """Return text in the form quotes are compared in: NFC, whitespace runs as one space."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


class Archive:
    """An archive as read: the hash of its bytes, and its text for comparison, worked out when first asked for (a
    source whose check the cache keeps needs only the hash)."""

    def __init__(self, read: str, data: str) -> None:
        self.read = read  # digest of the bytes
        self.data = data  # the text as decoded

    @functools.cached_property
    def text(self) -> str:
        return normalize_quote(self.data)


def read_archive(path: Path, folder: str | None = None) -> tuple[Archive | None, str]:
    """Return the archive, or None and why it could not be read: with `folder` (a real path), one whose real path
    leaves it (a link to a file elsewhere), or is no text file, is not read."""
    if not path.exists():
        return None, "not found"
    if not path.is_file():
        return None, "is not a file"
    real = os.path.realpath(path)
    if folder is not None and not within(real, folder):
        return None, f"leads to {real}, outside the archive folder (or into a hidden folder of it): it is not read"
    if not real.lower().endswith(TEXT_SUFFIXES):
        return None, f"is a symbolic link to {real}, which is no text file ({', '.join(TEXT_SUFFIXES)}): it is not read"
    try:
        data = read_bounded(path, limits.ARCHIVE_BYTES.value)
        return Archive(digest("archive", data), data.decode("utf-8-sig")), ""
    except TooLarge as exc:
        return None, (f"is too large ({exc}; the limit is {limits.shown(limits.ARCHIVE_BYTES)}); "
                      + limits.raise_hint(limits.ARCHIVE_BYTES, exc.size))
    except UnicodeDecodeError:
        return None, NOT_UTF8
    except OSError as exc:
        return None, f"cannot be read ({exc.strerror})"


NOT_UTF8 = "is not UTF-8 text"
# Python's names for the encodings charset-normalizer finds, as iconv spells them
ICONV_NAMES = {"cp949": "CP949", "euc_kr": "EUC-KR", "johab": "JOHAB", "cp932": "CP932", "shift_jis": "SHIFT_JIS",
               "euc_jp": "EUC-JP", "gb18030": "GB18030", "gb2312": "GB2312", "gbk": "GBK", "big5": "BIG5",
               "utf_16": "UTF-16", "utf_16_le": "UTF-16LE", "utf_16_be": "UTF-16BE", "utf_32": "UTF-32",
               "latin_1": "ISO-8859-1", "iso8859_15": "ISO-8859-15"}


def guess_encoding(data: bytes) -> str:
    """The encoding a text's bytes look like, as iconv names it ('' when they look like no text)."""
    import charset_normalizer  # here: only an archive that is not UTF-8 needs it (a hundredth of a second to load)

    best = charset_normalizer.from_bytes(data[:200_000]).best()
    if best is None:
        return ""
    name = best.encoding
    if name.startswith("cp125"):
        return "WINDOWS-" + name[2:]
    return ICONV_NAMES.get(name, name.upper().replace("_", "-"))


def encoding_problem(source: Source, path: Path, options: Options) -> Problem:
    """An archive that is not UTF-8: an error naming the encoding it looks like, with the command that converts it."""
    shown = display_path(path, options.root)
    try:
        encoding = guess_encoding(read_bounded(path, limits.ARCHIVE_BYTES.value))
    except (OSError, TooLarge):
        encoding = ""
    looks = f"; it looks like {encoding}" if encoding else ""
    convert = (f"convert it: iconv -f {encoding} -t UTF-8 {shlex.quote(shown)} > utf8.txt && mv utf8.txt {shlex.quote(shown)}"
               if encoding else "save it as UTF-8 in the program that made it")
    return Problem(source.loc.path, source.lines.get("archive", source.loc.line),
                   f"archive '{source.archive}' is not UTF-8 text{looks}; its quotes cannot be checked", convert)


def archive_folder(site: Site, options: Options) -> tuple[Path, str]:
    """The folder `archive:` paths start from, and where that was decided (for messages)."""
    if options.archives is not None:
        return options.archives, "$EXPLAINER_ARCHIVES"
    if site.config.archives:
        return options.root / site.config.archives, f"`archives: {site.config.archives}` in site.yaml"
    return options.root, "the folder holding content/"


def verify_quotes(site: Site, options: Options, cache: Cache | None = None) -> QuoteCheck:
    """Check every excerpt against its source's archive, or else against the quote lock; return the lock as it is now.

    With a cache, a lock whose text is unchanged is not parsed again (quotelock.read_lock), and a source whose
    excerpts, archive bytes and share limit are unchanged is not checked again (`_checked`).
    """
    folder, decided = archive_folder(site, options)
    real_folder = os.path.realpath(folder)
    memo = cache.section("quotes") if cache is not None else None
    if memo is not None:
        memo.start()
    shown_lock = display_path(lock_path(options.content_dir), options.root)
    old, damage = read_lock(lock_path(options.content_dir), shown_lock, lock_memo(cache))
    lock: Lock = {}
    problems: list[Problem] = []
    counts = [0, 0]
    archives: dict[Path, tuple[Archive | None, str]] = {}
    lock_needed = False
    for source in site.sources:
        if not source.archive:
            continue
        path = Path(os.path.normpath(folder / source.archive))  # not resolve(): a symlink loop is reported when read
        if path not in archives:
            archives[path] = read_archive(path, real_folder)
        archive, why = archives[path]
        if archive is not None:
            record, found = _checked(source, archive, path, site, problems, memo)
            lock[source.id] = record
            counts[0] += found
            continue
        if why == NOT_UTF8:
            problems.append(encoding_problem(source, path, options))
            continue
        lock_needed = True
        where = f"looked for {display_path(path, options.root)} (archive folder: {decided})"
        locked = old.get(source.id)
        if why == "not found" and locked is not None and locked.archive == source.archive:
            kept, vouched = _against_lock(source, locked, site, shown_lock, where, problems)
            lock[source.id] = kept
            counts[1] += vouched
            continue
        if locked is not None:
            lock[source.id] = _kept(source, locked)
        line = source.lines.get("archive", source.loc.line)
        earlier = f" (the lock verified them against '{locked.archive}')" if locked is not None and locked.archive != source.archive else ""
        problems.append(Problem(source.loc.path, line, f"archive '{source.archive}' {why.split(' (')[0]}; quotes of '{source.id}' are not verified"
                                + earlier, f"{where}; fix `archive:` or provide the file: once its quotes are verified, {shown_lock} records them "
                                "for builds without it"
                                + (f"; {why}" if "(" in why else ""), "warning"))
    if damage is not None and lock_needed:
        problems.append(damage)
    if memo is not None:
        memo.sweep()
    return QuoteCheck(tuple(problems), lock, counts[0], counts[1], damage is None or not lock_needed, tuple(archives))


def _checked(source: Source, archive: Archive, path: Path, site: Site, problems: list[Problem],
             memo: Section | None) -> tuple[LockedSource, int]:
    """`_against_archive`, or with `memo` what it said last time for the same source (the lines of its keys too, which
    a warning names and Source equality leaves out), archive bytes (a hint names their lines) and share limit."""
    if memo is None:
        return _against_archive(source, archive.text, path, site, problems)
    key = digest("source", str(path), archive.read, str(site.config.quote_share))
    def check() -> tuple[Source, LockedSource, int, tuple[Problem, ...]]:
        said: list[Problem] = []
        record, count = _against_archive(source, archive.text, path, site, said)
        return source, record, count, tuple(said)

    found: tuple[Source, LockedSource, int, tuple[Problem, ...]] = memo.kept(
        f"source:{source.id}", key, check, lambda value: value[0] == source and value[0].lines == source.lines)
    problems.extend(found[3])
    return found[1], found[2]


def _against_archive(source: Source, archive: str, path: Path, site: Site, problems: list[Problem]) -> tuple[LockedSource, int]:
    """Find each excerpt in the archive's text; return the source's new record and how many were found."""
    excerpts: dict[str, Locked] = {}
    spans: list[tuple[int, int]] = []
    for excerpt in source.excerpts:
        quote = normalize_quote(excerpt.text)
        at = archive.find(quote) if quote else -1
        if at < 0:
            said, hint = excerpt_hint(source.archive, archive, _raw_text(path), quote)
            problems.append(Problem(excerpt.loc.path, excerpt.loc.line,
                                    f"excerpt '{source.id}#{excerpt.id}' does not occur in the archive{said}", hint))
            continue
        excerpts[excerpt.id] = Locked(at, text_hash(quote))
        spans.append((at, len(quote)))
        if (source.url or source.archive_url) and not findable(archive, at, quote):
            word = _word_around(archive, at, at + len(quote))
            problems.append(Problem(excerpt.loc.path, excerpt.loc.line, f"the link to excerpt '{source.id}#{excerpt.id}' cannot find "
                                    f"its words in the original: they start or end inside the word ‘{word}’",
                                    "a browser finds words only from a word's start to its end: begin the excerpt where a word begins "
                                    "(a Korean excerpt may stop before a particle, if it has more than one word)", "warning"))
    problems += _share_problems(source, share_of(len(archive), spans), site)
    return LockedSource(source.archive, text_hash(archive), len(archive), excerpts), len(excerpts)


def _raw_text(path: Path) -> str | None:
    """An archive's text as written (lines and all), for naming the line of a passage; None when it cannot be read."""
    try:
        return read_bounded(path, limits.ARCHIVE_BYTES.value).decode("utf-8-sig")
    except (OSError, TooLarge, UnicodeDecodeError):
        return None


def _against_lock(source: Source, locked: LockedSource, site: Site, shown_lock: str, where: str,
                  problems: list[Problem]) -> tuple[LockedSource, int]:
    """Check each excerpt against its record in the lock; return the records kept and how many still hold."""
    spans: list[tuple[int, int]] = []
    for excerpt in source.excerpts:
        quote = normalize_quote(excerpt.text)
        record = locked.excerpts.get(excerpt.id)
        if record is not None and record.sha256 == text_hash(quote):
            spans.append((record.at, len(quote)))
            continue
        what = "changed since it was verified" if record is not None else "was never verified"
        problems.append(Problem(excerpt.loc.path, excerpt.loc.line,
                                f"excerpt '{source.id}#{excerpt.id}' {what} against archive '{source.archive}' ({shown_lock}), "
                                "and the archive is absent",
                                f"{where}; build where the archive is to verify it and record it in {shown_lock}"
                                + (", or undo the change" if record is not None else ""), "warning"))
    problems += _share_problems(source, share_of(locked.characters, spans), site)
    return _kept(source, locked), len(spans)


def _word_around(text: str, start: int, end: int) -> str:
    """The source's word cut by an excerpt at `start` (else at `end`): from the space before it to the space after."""
    cut = start if start > 0 and not text[start - 1].isspace() else end
    left = text.rfind(" ", 0, cut) + 1
    right = text.find(" ", cut)
    return text[left:right if right >= 0 else len(text)]


def _kept(source: Source, locked: LockedSource) -> LockedSource:
    """The source's old record, less the excerpts no longer in the content (nothing else can be known without the archive)."""
    ids = {excerpt.id for excerpt in source.excerpts}
    return LockedSource(locked.archive, locked.sha256, locked.characters,
                        {excerpt_id: item for excerpt_id, item in locked.excerpts.items() if excerpt_id in ids})


def _share_problems(source: Source, share: float, site: Site) -> Iterator[Problem]:
    if share * 100 > site.config.quote_share:
        yield Problem(source.loc.path, source.lines.get("excerpts", source.loc.line),
                      f"the excerpts of '{source.id}' reproduce {share:.0%} of its archive (limit {site.config.quote_share}%)",
                      "quote only the words a fact needs and say the rest in your own words "
                      "(or raise quote_share in site.yaml)", "warning")


def share_of(characters: int, spans: Iterable[tuple[int, int]]) -> float:
    """Return the share of a text's characters that spans (start, length) cover, overlaps counted once."""
    if not characters:
        return 0.0
    covered = bytearray(characters)
    for start, length in spans:
        covered[start:start + length] = b"\x01" * len(covered[start:start + length])
    return sum(covered) / characters


def quoted_share(archive: str, quotes: list[str]) -> float:
    """Return the share of the archive's characters that the quotes cover (each at its first occurrence)."""
    return share_of(len(archive), ((archive.find(quote), len(quote)) for quote in quotes if quote and quote in archive))
