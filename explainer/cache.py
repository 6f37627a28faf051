"""The one cache layer: what a build computed, kept for the next build of the same site.

The rule, in one sentence: a result is reused only when every input it was computed from has
the same content hash as now, and the explainer version is an input of every result.

Each stage keeps its results in a section of its own (`load`, `pages`, `links`, `search` …).
A result is stored under a name ("content/pages/intro.md", "glossary/x/index.html") with

- its key: the hash of what was known before computing it (a file's bytes, a page's own
  values), given again at lookup;
- the inputs it read while being computed: named values of the build, such as "site" (the
  content but the page bodies, the theme and the options) or "body:intro" (one page's body),
  which the stage declares at its start (`declare`), with the hashes they had then.

A lookup succeeds when the name is known, the key is equal and every input it read is declared
with the same hash in this build. A section drops, at the end of a complete run of its stage
(`sweep`), whatever that run did not use: the cache never outgrows the site. Nothing else ever
removes or trusts an entry: no timestamps, no file-system signatures, no identity of objects.

One section is used by one thread at a time (the preview server indexes search and checks links
in a thread of its own, beside builds, each in its own section).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from . import __version__

Digest = str


def digest(*parts: str | bytes) -> Digest:
    """Return the content hash of the parts (in order) together with the explainer version."""
    hasher = hashlib.blake2b(digest_size=16)
    for part in (__version__, *parts):
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.hexdigest()


@dataclass(frozen=True, slots=True)
class Entry:
    """One stored result: the key it was computed for, the inputs it read (name, hash), the value."""

    key: Digest
    reads: tuple[tuple[str, Digest], ...]
    value: Any


@dataclass(slots=True)
class Section:
    """The results of one stage, by name, and the inputs its current run declared."""

    inputs: dict[str, Digest] = field(default_factory=dict)
    entries: dict[str, Entry] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)
    hits: int = 0  # results reused since the stage started (the preview server reports them)

    def start(self, inputs: dict[str, Digest] | None = None) -> None:
        """Begin a run of the stage with the hashes of the inputs its results may read; count hits afresh."""
        self.inputs = dict(inputs or {})
        self.used.clear()
        self.hits = 0

    def lookup(self, name: str, key: Digest, same: Callable[[Any], bool] | None = None) -> Any | None:
        """Return the value stored under `name` when its key is `key` and every input it read is unchanged (and, with
        `same`, when it says the value is for what is asked: a key compared as it is, where hashing it costs more)."""
        entry = self.entries.get(name)
        if entry is None or entry.key != key or any(self.inputs.get(read) != value for read, value in entry.reads):
            return None
        if same is not None and not same(entry.value):
            return None
        self.used.add(name)
        self.hits += 1
        return entry.value

    def stored(self, name: str, key: Digest) -> bool:
        """Whether a result is stored under `name` for `key` (its inputs not compared: what was made ahead for this run)."""
        entry = self.entries.get(name)
        return entry is not None and entry.key == key

    def store(self, name: str, key: Digest, value: Any, reads: Iterable[str] = ()) -> Any:
        """Keep `value` under `name` for `key`, with the current hashes of the inputs it read; return the value."""
        self.entries[name] = Entry(key, tuple((read, self.inputs[read]) for read in sorted(set(reads))), value)
        self.used.add(name)
        return value

    def kept(self, name: str, key: Digest, make: Callable[[], Any], same: Callable[[Any], bool] | None = None) -> Any:
        """The value `lookup` finds, or else `make()`, stored under `name` for `key` (it read no declared input)."""
        found = self.lookup(name, key, same)
        return found if found is not None else self.store(name, key, make())

    def keep(self) -> None:
        """Count every result as used by this run (a stage that reused what was made of them all: the print edition)."""
        self.used.update(self.entries)

    def sweep(self) -> None:
        """End a complete run of the stage: drop every result it did not use."""
        for name in self.entries.keys() - self.used:
            del self.entries[name]


class Cache:
    """The sections of one site's cache, one per stage."""

    def __init__(self) -> None:
        self.sections: dict[str, Section] = {}

    def section(self, name: str) -> Section:
        """Return the section of one stage (made empty on first use)."""
        found = self.sections.get(name)
        if found is None:
            found = self.sections.setdefault(name, Section())
        return found

    def holds(self, name: str) -> bool:
        """Whether the section `name` holds any result (of an earlier run: the stages before this one make theirs too)."""
        found = self.sections.get(name)
        return found is not None and bool(found.entries)
