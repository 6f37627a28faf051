"""The quote lock, content/quotes.lock: what each excerpt was verified against, kept in the repository.

Whenever quotes are checked against their archives, the lock records per source the SHA-256 of
the archive's normalised text and its length, and per excerpt the SHA-256 of its normalised words
and where they start in that text. A build without the archive (a fresh clone, CI) then checks
each excerpt against its record: unchanged since it was verified, changed, or never verified.
The lock holds hashes and positions only, never the archive's words.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .. import limits
from ..cache import Cache, Section, digest
from ..errors import Problem
from ..regular import OUTSIDE, leads_outside
from .files import TooLarge, read_bounded
from .yamlfile import LocMap, parse_yaml

LOCK_NAME = "quotes.lock"
VERSION = 1
HEX64 = re.compile(r"^[0-9a-f]{64}$")
CONFLICT = ("<<<<<<< ", "=======", ">>>>>>> ")  # the lines git writes around the two sides of a conflict
HEADER = """\
# The quote lock, written by explainer whenever it checks quotes against their archives: commit it.
# Where an archive is absent (a fresh clone, CI), each excerpt is checked against its record here:
# the SHA-256 of its words and where they start in the archive's text, both after normalising
# (Unicode NFC, every run of whitespace as one space). It holds no words of the archives.
# Do not edit it by hand: build where the archives are and explainer writes it again.
"""


@dataclass(frozen=True, slots=True)
class Locked:
    """One excerpt as verified: where its words start in the archive's normalised text, and their hash."""

    at: int
    sha256: str


@dataclass(frozen=True, slots=True)
class LockedSource:
    """One source's archive as verified (its hash and length in characters) and its excerpts found in it."""

    archive: str
    sha256: str
    characters: int
    excerpts: dict[str, Locked]


Lock = dict[str, LockedSource]  # by source id


def text_hash(text: str) -> str:
    """Return the SHA-256 (hex) of normalised text, as the lock records it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def lock_path(content_dir: Path) -> Path:
    """Where a site's quote lock lives: beside site.yaml."""
    return content_dir / LOCK_NAME


def lock_memo(cache: Cache | None) -> Section | None:
    """Where a build's cache keeps the lock as last read and formatted (`read_lock`, `save_lock`)."""
    return cache.section("quotelock") if cache is not None else None


def read_lock(path: Path, shown: str, memo: Section | None = None) -> tuple[Lock, Problem | None]:
    """Read the lock; an absent lock is empty, a damaged one is empty and named by a problem (a warning).

    With `memo` (a cache section: the preview's, or the one the last build left), a lock whose text
    is the same as when it was last read is not parsed again; what it read to is shared, never changed.
    """
    text, why = lock_text(path)
    if text is None:
        return {}, None if why is None else damaged(shown, 0, why)
    if memo is None:
        return parse_lock(text, shown)
    key = digest(shown, limits.in_force(), text)  # what parse_yaml accepts depends on the limits
    found: tuple[Lock, Problem | None] = memo.kept("read", key, lambda: parse_lock(text, shown))
    return found


def lock_text(path: Path) -> tuple[str | None, str | None]:
    """The lock's text; else None, and why it cannot be read (None when there is no lock).

    Read as a content file is: a regular file of at most limits.FILE_BYTES, never through a link
    leading out of the folder that holds content/ (which anyone may commit: one to /dev/zero never
    ends). What `save_lock` writes replaces such a file, never what it leads to.
    """
    outside = leads_outside(path, os.path.realpath(path.parent.parent))
    if outside is not None:
        return None, f"it is a symbolic link to {outside}, {OUTSIDE}; remove it (the next build writes the lock)"
    try:
        data = read_bounded(path, limits.FILE_BYTES.value)
    except FileNotFoundError:
        return None, None
    except TooLarge as exc:
        return None, f"it is {exc}; a content file may have at most {limits.shown(limits.FILE_BYTES)}"
    except OSError as exc:
        return None, f"it cannot be read ({exc.strerror or exc})"
    try:
        return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n"), None  # as text mode reads it (a Windows checkout)
    except UnicodeDecodeError as exc:
        return None, f"it cannot be read ({exc})"


def parse_lock(text: str, shown: str) -> tuple[Lock, Problem | None]:
    """The lock a text holds (`read_lock`)."""
    conflict = next((number for number, line in enumerate(text.splitlines(), start=1) if line.startswith(CONFLICT)), 0)
    if conflict:
        return {}, damaged(shown, conflict, "it holds an unresolved merge conflict")
    data, problems = parse_yaml(text, shown)
    if problems:
        return {}, damaged(shown, problems[0].line, problems[0].message)
    if not isinstance(data, LocMap) or data.get("version") != VERSION or not isinstance(data.get("sources"), LocMap):
        return {}, damaged(shown, 1, f"it is not a version {VERSION} quote lock (`version: {VERSION}` and `sources:`)")
    lock: Lock = {}
    for source_id, entry in data["sources"].items():
        record = _source(entry)
        if record is None:
            return {}, damaged(shown, data["sources"].line_of(source_id), f"the record of source '{source_id}' is malformed")
        lock[source_id] = record
    return lock, None


def _source(entry: Any) -> LockedSource | None:
    """One source's record, or None when any part of it is malformed."""
    if not isinstance(entry, LocMap) or not isinstance(entry.get("excerpts"), LocMap):
        return None
    archive, sha256, characters = entry.get("archive"), entry.get("sha256"), entry.get("characters")
    if not isinstance(archive, str) or not isinstance(sha256, str) or not _is_hash(sha256) or not isinstance(characters, int) \
            or not _is_count(characters):
        return None
    excerpts: dict[str, Locked] = {}
    for excerpt_id, item in entry["excerpts"].items():
        if not isinstance(item, LocMap) or not _is_count(item.get("at")) or not _is_hash(item.get("sha256")):
            return None
        excerpts[excerpt_id] = Locked(item["at"], item["sha256"])
    return LockedSource(archive, sha256, characters, excerpts)


def _is_hash(value: Any) -> bool:
    return isinstance(value, str) and HEX64.match(value) is not None


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def damaged(shown: str, line: int, why: str) -> Problem:
    """The problem of a lock that cannot be used: the excerpts it would vouch for are unverified."""
    return Problem(shown, line, f"the quote lock is damaged: {why}; quotes whose archive is absent are not verified",
                   "build once where the archives are: explainer writes the lock again (after a merge conflict, "
                   "that is the way to resolve it)", "warning")


def format_lock(lock: Lock) -> str:
    """Return the lock's text: the header, then every source and excerpt sorted by id (so that it diffs line by line)."""
    sources = {
        source_id: {"archive": record.archive, "sha256": record.sha256, "characters": record.characters,
                    "excerpts": {excerpt_id: {"at": item.at, "sha256": item.sha256}
                                 for excerpt_id, item in sorted(record.excerpts.items())}}
        for source_id, record in sorted(lock.items())
    }
    body = yaml.safe_dump({"version": VERSION, "sources": sources}, sort_keys=False, allow_unicode=True, width=200,
                          default_flow_style=None)
    return HEADER + body


def save_lock(lock: Lock, path: Path, memo: Section | None = None) -> bool:
    """Write the lock when its text changed (never create an empty one); return whether it was written.

    The file is replaced atomically, so a build stopped halfway never leaves half a lock. With
    `memo` (as for `read_lock`), a lock equal to the one last formatted is not formatted again.
    """
    now, why = lock_text(path)
    if now is None and why is None and not lock:
        return False  # no lock, and none needed
    text = None
    if memo is not None and now is not None:
        found: tuple[Lock, str] | None = memo.lookup("format", digest(now))
        text = found[1] if found is not None and found[0] == lock else None
    if text is None:
        text = format_lock(lock)
        if memo is not None:
            memo.store("format", digest(text), (lock, text))  # the file's text once written (or as it is)
    if now == text:
        return False
    handle, temporary = tempfile.mkstemp(prefix=f".{LOCK_NAME}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return True
