"""Reading content files: each one's bytes within a size limit (and all of them within another), its
text as UTF-8 (a byte-order mark allowed) in Unicode NFC form, its lines within a length limit; the
folders listed within a count. ContentFiles does this for load.SiteReader; the limits are in limits.py."""

from __future__ import annotations

import contextlib
import itertools
import os
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from .. import limits
from ..cache import Section, digest
from ..errors import Problem, display_bases, display_link, shown_from
from ..model import Options
from ..regular import OUTSIDE, open_regular, within
from .places import Places

T = TypeVar("T")
COUNTED = 1_000_000  # files counted past a limit, to suggest a raised one: the count stays bounded in time too


class TooLarge(Exception):
    """A file larger than the limit it is read with; `size` is its size in bytes, as far as known."""

    def __init__(self, size: int) -> None:
        super().__init__(limits.size(size))
        self.size = size


def read_bounded(path: Path, limit: int) -> bytes:
    """Return a file's bytes, reading at most `limit` + 1 of them: TooLarge past the limit (memory stays bounded).

    OSError as open() and read() raise it (missing, unreadable, a folder, a symlink loop), and NotRegular for a device,
    pipe or socket (regular.py): reading one never ends (/dev/zero) or waits (/dev/stdin).
    """
    with open_regular(path) as handle:
        data = handle.read(limit + 1)
        if len(data) > limit:
            raise TooLarge(max(os.fstat(handle.fileno()).st_size, len(data)))
    return data


def decode(data: bytes, shown: str) -> tuple[str | None, Problem | None]:
    """Return the text of a file's bytes, or None and the problem that says why it is not text."""
    try:
        text = unicodedata.normalize("NFC", data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        return None, Problem(shown, 0, f"not UTF-8 text ({exc.reason})", "save the file as UTF-8")
    return text, long_line(text, shown)


def long_line(text: str, shown: str) -> Problem | None:
    """The problem of the first line longer than limits.LINE_CHARS, or None."""
    for number, line in enumerate(text.splitlines(), start=1):
        if len(line) > limits.LINE_CHARS.value:
            return Problem(shown, number, f"line {number} has {len(line):,} characters; a line may have at most "
                           f"{limits.shown(limits.LINE_CHARS)}",
                           "break it into several lines (Markdown and YAML text may wrap anywhere); "
                           f"if it is not text, it does not belong in content/; {limits.raise_hint(limits.LINE_CHARS, len(line))}")
    return None


def folder_bytes(folder: Path) -> int:
    """The bytes of the files under `folder` (links not followed, at most COUNTED files): what a raised total must let through."""
    paths = (os.path.join(where, name) for where, _, names in os.walk(folder) for name in names)
    total = 0
    for path in itertools.islice(paths, COUNTED):
        with contextlib.suppress(OSError):  # gone since it was listed
            total += os.lstat(path).st_size
    return total


@dataclass(frozen=True, slots=True)
class Loaded:
    """What one content file loaded to: its model objects, problems and broken records (kept in the cache)."""

    value: Any
    problems: tuple[Problem, ...]
    broken: frozenset[str]


class ContentFiles:
    """Reads the content files of one site, within the limits; every method appends to `problems` rather than raising.

    Each file is read whole, once; its content hash goes into `digests`, and with a cache (the
    preview server's) a file whose bytes are unchanged is not parsed again: its model objects
    and problems are taken from the `load` section.
    """

    def __init__(self, options: Options, cache: Section | None = None) -> None:
        self.options = options
        self.problems: list[Problem] = []
        self.broken: set[str] = set()  # records that exist but could not be loaded
        self.places: dict[str, Places] = {}  # where each file writes its references, to report them on their lines
        self.cache = cache
        self.digests: dict[str, str] = {}
        self.paths: dict[str, str] = {}  # every file read, as shown -> its path inside content/
        self.listings: dict[Path, list[os.DirEntry[str]]] = {}  # each folder listed once (pages/ by its pages and its images)
        self.totals: dict[str, int] = {}  # bytes read so far, by the limit they are held to (CONTENT_BYTES, ASSETS_BYTES)
        self.inside = os.path.realpath(options.root)  # content is read only from inside the project folder
        self.shown: dict[Path, str] = {}  # each file's name as reports show it, worked out once a build (show)
        self.bases = display_bases(options.root)
        self.folders: dict[str, str] = {}  # each folder's real path, worked out once a build (real)
        self.content_prefix = str(options.content_dir).rstrip(os.sep) + os.sep  # what every path read from content/ starts with

    def read(self, path: Path, limit: limits.Limit = limits.FILE_BYTES) -> bytes | None:
        """Return a file's bytes and note their hash; None (and a problem) when it cannot be read.

        An image or other file of the content is read with limits.ASSET_BYTES and counted
        towards limits.ASSETS_BYTES; every other file with FILE_BYTES and CONTENT_BYTES.
        """
        total = limits.ASSETS_BYTES if limit is limits.ASSET_BYTES else limits.CONTENT_BYTES
        shown = self.show(path)
        real = self.real(path)
        if not within(real, self.inside):
            self.problems.append(Problem(display_link(path, self.options.root), 0, f"a symbolic link to {real}, {OUTSIDE}",
                                         "content is read only from the folder holding content/: copy the file in"))
            return None
        if self.totals.get(total.what, 0) > total.value:
            return None  # reported once, when the total passed the limit
        try:
            data = read_bounded(path, limit.value)
        except TooLarge as exc:
            self.problems.append(Problem(shown, 0, f"this file is {exc}; a content file may have at most {limits.shown(limit)}",
                                         ("split it into several files (facts may live in many files, a page may become two)"
                                          if limit is limits.FILE_BYTES else "make it smaller (an image of 2,000 pixels across is "
                                          "plenty for a page), or link to where it is published") + "; " + limits.raise_hint(limit, exc.size)))
            return None
        except OSError as exc:
            self.problems.append(Problem(shown, 0, f"cannot read this file ({exc.strerror or exc})",
                                         "check that it exists, is a file and may be read (a symbolic link must lead to a file)"))
            return None
        self.totals[total.what] = self.totals.get(total.what, 0) + len(data)
        if self.totals[total.what] > total.value:
            self.problems.append(Problem(self.show(self.options.content_dir), 0, f"the content files pass {limits.shown(total)} "
                                         f"together (at {shown}); the rest were not read", "an explainer site is far smaller: "
                                         "remove what does not belong in content/; "
                                         + limits.raise_hint(total, folder_bytes(self.options.content_dir))))
            return None
        self.digests[shown] = digest(data)
        self.paths[shown] = self.content_path(path)
        return data

    def content_path(self, path: Path) -> str:
        """A file's path inside content/, with '/' between folders (as Path.relative_to, without its cost per file)."""
        written, inside = str(path), self.content_prefix
        if written.startswith(inside):
            return written[len(inside):].replace(os.sep, "/")
        try:
            return path.relative_to(self.options.content_dir).as_posix()
        except ValueError:
            return path.as_posix()

    def cached(self, path: Path, load: Callable[[Path, bytes], T], limit: limits.Limit = limits.FILE_BYTES) -> T | None:
        """Load one file with `load`, or take its load (and problems) from the cache while its bytes are the same."""
        data = self.read(path, limit)
        if data is None:
            return None
        if self.cache is None:
            return load(path, data)
        shown = self.show(path)
        key = digest(shown, self.digests[shown])  # the hash of its bytes (`read`): not hashed twice
        entry: Loaded | None = self.cache.lookup(shown, key)
        if entry is None:
            outer = self.problems, self.broken
            self.problems, self.broken = [], set()
            try:
                value = load(path, data)
                entry = Loaded(value, tuple(self.problems), frozenset(self.broken))
            finally:
                self.problems, self.broken = outer
            self.cache.store(shown, key, entry)
        self.problems += entry.problems
        self.broken |= entry.broken
        return entry.value  # type: ignore[no-any-return]

    def show(self, path: Path) -> str:
        """How reports name the file at `path` (display_path), worked out once a build."""
        shown = self.shown.get(path)
        if shown is None:
            shown = self.shown[path] = shown_from(self.real(path), path, self.bases)
        return shown

    def real(self, path: Path) -> str:
        """os.path.realpath(path), with each folder's worked out once a build: a realpath looks at every folder on
        the way, and a preview's rebuild asks it of every content file (a fifth of a second at 1,000 pages)."""
        folder, name = os.path.split(path)
        if name in ("", ".", "..") or os.path.islink(path):
            return os.path.realpath(path)
        found = self.folders.get(folder)
        if found is None:
            found = self.folders[folder] = os.path.realpath(folder)
        return os.path.join(found, name)  # what realpath gives for a name that is no symbolic link

    def files(self, folder: str, suffix: str) -> list[Path]:
        """The content files of one folder, by name; `.yml` counts as `.yaml`."""
        base = self.options.content_dir / folder
        if not os.path.lexists(base):
            return []  # a site may have no glossary, say
        suffixes = (".yaml", ".yml") if suffix == ".yaml" else (suffix,)
        entries = self.listed(base)
        found: dict[str, Path] = {}
        for entry in entries:
            path = base / entry.name
            if path.name.startswith(".") or path.name.endswith("~"):
                continue
            if path.suffix in suffixes and (entry.is_symlink() or entry.is_file()):  # a link that leads nowhere is reported when read
                twin = found.setdefault(path.stem, path)
                if twin is not path:
                    self.problems.append(Problem(self.show(path), 0, f"two files give the id '{path.stem}': {self.show(twin)} and {self.show(path)}",
                                                 "keep one of them: an id names one record, whatever its file ends in"))
            else:
                self.problems.append(Problem(self.show(path), 0, f"ignored: only *{suffix} files are read in {folder}/",
                                             f"rename it to end in {suffix}, or move it out of content/{folder}/", "warning"))
        return list(found.values())

    def files_under(self, base: Path) -> list[Path]:
        """Every file under `base`, at any depth, by path; each folder listed within the folder-files limit (`listed`).

        Dot files and folders and an editor's backups (name~) are never content; a link to a
        folder is not followed (as Path.rglob), a link to a file is.
        """
        found: list[Path] = []
        folders = [base]
        while folders:  # a list, not recursion: folders may nest as deep as paths go
            folder = folders.pop()
            for entry in self.listed(folder):
                if entry.name.startswith(".") or entry.name.endswith("~"):
                    continue
                if entry.is_dir():
                    if not entry.is_symlink():
                        folders.append(folder / entry.name)
                elif entry.is_file():
                    found.append(folder / entry.name)
        return sorted(found)

    def listed(self, folder: Path) -> list[os.DirEntry[str]]:
        """A folder's entries by name; none (and a problem) when it cannot be listed or holds too many."""
        if folder not in self.listings:
            self.listings[folder] = self.list_folder(folder)
        return self.listings[folder]

    def list_folder(self, folder: Path) -> list[os.DirEntry[str]]:
        """`listed`, for a folder not listed yet."""
        entries: list[os.DirEntry[str]] = []
        try:
            with os.scandir(folder) as scan:  # DirEntry knows file from folder without another stat per file
                for entry in scan:
                    entries.append(entry)
                    if len(entries) > limits.FOLDER_FILES.value:
                        held = len(entries) + sum(1 for _ in itertools.islice(scan, COUNTED))  # counted, not kept
                        self.problems.append(Problem(self.show(folder), 0, f"more than {limits.shown(limits.FOLDER_FILES)} in one folder; "
                                                     "none of them was read", "an explainer needs far fewer: remove what does not "
                                                     f"belong; {limits.raise_hint(limits.FOLDER_FILES, held)}"))
                        return []
        except OSError as exc:
            self.problems.append(Problem(self.show(folder), 0, f"cannot list this folder ({exc.strerror or exc})",
                                         "check that it is a folder that may be read (a symbolic link must lead to one)"))
            return []
        return sorted(entries, key=lambda entry: entry.name)

    def text(self, path: Path, data: bytes) -> str | None:
        """The text of a content file (see files.decode), its lines kept to place references."""
        text, problem = decode(data, self.show(path))
        if problem is not None:
            self.problems.append(problem)
            return None
        assert text is not None
        self.places[self.show(path)] = Places(text.splitlines())
        return text
