"""The limits every input is held to, declared once: content is untrusted (a guest's pull request).

Each is far above what an explainer needs (the flagship's largest file is 8 KB, its longest line
300 characters, its deepest YAML 4 levels) and low enough that a build past it would take minutes
or gigabytes. Past a limit the input is refused at once, with its file and line. The table in
docs/content.md is generated from these declarations (`python -m explainer.limits`).

The person running the build, and only they, may set any limit: `--limit content-bytes=128MiB`
(`setting` reads one, by the name `option_name` derives from the declaration). Nothing in the
content can: the settings travel in the build's Options, and `applied` holds every limit to them
for as long as a command or a build runs, so every `X.value` read anywhere (and in the worker
processes, which inherit it or are handed it) is the operator's.
"""

from __future__ import annotations

import argparse
import difflib
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Limit:
    """One limit: its default value, the unit it counts, and what it bounds."""

    default: int
    unit: str
    what: str
    why: str
    most: int = 0  # the highest setting --limit accepts, where the code behind the limit has a ceiling of its own (0: none)

    @property
    def value(self) -> int:
        """The limit in force: the operator's setting (`applied`), else the default."""
        return _OPERATOR.get(self, self.default)


KIB = 1024
MIB = 1024 * KIB

FILE_BYTES = Limit(512 * KIB, "bytes",
                   "size of one content file (site.yaml, a source, a facts file, a term, a page) or template of the site's own (templates/)",
                   "a YAML file of this size takes seconds to read; split a longer one (facts may live in many files)")
LINE_CHARS = Limit(10_000, "characters", "length of one line of a content file",
                   "an error report shows the line; a paragraph may wrap onto as many lines as it likes")
YAML_DEPTH = Limit(12, "levels", "nesting of YAML mappings and lists in one file (a facts file needs 4)",
                   "deeper nesting is no content explainer reads, and reading it recurses",
                   200)  # reading recurses a few calls a level: Python's stack holds about 300 levels
YAML_NODES = Limit(20_000, "values", "keys, values and list items in one YAML file or front matter (about 2,800 facts)",
                   "bounds the memory one file takes; split a longer list into several files")
FOLDER_FILES = Limit(5_000, "files", "entries in one content folder (sources/, facts/, glossary/, pages/)",
                     "bounds the time a build spends listing and reading")
CONTENT_BYTES = Limit(16 * MIB, "bytes", "all content files together",
                      "bounds the memory and time of a build: a site this size builds in minutes")
ARCHIVE_BYTES = Limit(4 * MIB, "bytes", "size of one source's archive text (`archive:`)",
                      "quotes are searched in it; a news article is well under 100 KB")
ARCHIVE_PATH = Limit(1_024, "characters", "length of `archive:` (a relative path)", "no file name is longer")
ASSET_BYTES = Limit(20 * MIB, "bytes", "size of one image or other file of the content (content/files/, beside the pages) or of templates/static/",
                    "a page shows an image in a few hundred KB; a larger file belongs where it is published, linked")
ASSETS_BYTES = Limit(256 * MIB, "bytes", "all images and other files of the content together",
                     "GitHub Pages publishes at most 1 GB; every build reads them all")
IMAGE_PIXELS = Limit(20_000_000, "pixels", "size of one image (20 MP: 5,477 × 3,651)",
                     "decoding takes memory for every pixel; a page shows at most 1,440 pixels across",
                     178_956_970)  # Pillow refuses more as a decompression bomb (twice its Image.MAX_IMAGE_PIXELS)
PREVIOUS_BYTES = Limit(64 * MIB, "bytes", "size of the last published build's facts.json (`--previous`), read to compare claims",
                      "the flagship's is under 100 KB; a site with 10,000 facts stays well under the limit")
CACHE_BYTES = Limit(512 * MIB, "bytes", "size of one file of the build cache (.explainer-cache/, beside content/)",
                    "the stage caches of a generated 1,000-page site take 213 MiB; past the limit a build keeps none (its "
                    "no-change check still works: that record is small)")
TEMPLATE_SECONDS = Limit(10, "seconds", "time the site's own templates (templates/) may take for one page: its template, the "
                         "macros its Markdown calls, and the Markdown md() renders for a template",
                         "a page's templates render in milliseconds; a loop that never ends is stopped", 3_600)
TEMPLATE_MEMORY = Limit(1024 * MIB, "bytes", "memory one rendering of the site's own templates may take (Linux)",
                        "a page's templates take a few megabytes; the build's machine keeps the rest")
TEMPLATE_OUTPUT = Limit(1024 * MIB, "bytes", "HTML the site's own templates render in one build, all pages together, as held "
                        "in memory (in each process of a build with workers)",
                        "the default theme renders 10 to 12 characters for each byte of content (the flagship, a generated "
                        "1,000-page site): five times what content at its limit makes")
SHOWN_CHARS = Limit(160, "characters", "what an error report quotes of one line (the rest is cut, control characters shown as \\x..)",
                    "a line of binary data must not flood the terminal")

LIMITS = {"FILE_BYTES": FILE_BYTES, "LINE_CHARS": LINE_CHARS, "YAML_DEPTH": YAML_DEPTH, "YAML_NODES": YAML_NODES,
          "FOLDER_FILES": FOLDER_FILES, "CONTENT_BYTES": CONTENT_BYTES, "ARCHIVE_BYTES": ARCHIVE_BYTES,
          "ARCHIVE_PATH": ARCHIVE_PATH, "ASSET_BYTES": ASSET_BYTES, "ASSETS_BYTES": ASSETS_BYTES, "IMAGE_PIXELS": IMAGE_PIXELS,
          "PREVIOUS_BYTES": PREVIOUS_BYTES, "CACHE_BYTES": CACHE_BYTES, "TEMPLATE_SECONDS": TEMPLATE_SECONDS,
          "TEMPLATE_MEMORY": TEMPLATE_MEMORY, "TEMPLATE_OUTPUT": TEMPLATE_OUTPUT, "SHOWN_CHARS": SHOWN_CHARS}


Settings = tuple[tuple[str, int], ...]  # (declared name, value) of each limit the operator set, by name
_OPERATOR: dict[Limit, int] = {}  # the limits in force that are not their default (replaced only by `impose`)
UNITS = {"b": 1, "kb": 1000, "mb": 1000**2, "gb": 1000**3, "tb": 1000**4,
         "kib": KIB, "mib": MIB, "gib": 1024**3, "tib": 1024**4}  # case does not matter; KB is 1,000 bytes, KiB 1,024
MOST_BYTES = 1024**4  # 1 TiB: past this, a setting is a typo rather than a limit
MOST_COUNT = 1_000_000_000
NUMBER = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+(?:_\d+)*)(\.\d+)?\s*([a-z]*)", re.IGNORECASE)  # 20,000 20_000 1.5GiB


def option_name(name: str) -> str:
    """A declared limit's name as people write it after --limit: CONTENT_BYTES -> content-bytes."""
    return name.lower().replace("_", "-")


HELP = (f"raise or lower one of the limits the content is held to (repeatable): {', '.join(map(option_name, LIMITS))}; "
        "e.g. content-bytes=128MiB, folder-files=20000; bytes take KiB, MiB, GiB (or KB, MB, GB: powers of 1,000) (docs/content.md)")


def setting(text: str) -> tuple[str, int]:
    """The value of one --limit NAME=VALUE: the declared name and the number; ArgumentTypeError, said for people."""
    written, equals, raw = text.partition("=")
    names = {option_name(name): name for name in LIMITS}
    name = names.get(option_name(written.strip()))
    if name is None:
        close = difflib.get_close_matches(option_name(written.strip()), names, n=1)
        raise argparse.ArgumentTypeError(f"no limit is called '{written.strip()}'" + (f"; did you mean '{close[0]}'?" if close else "")
                                         + f" (limits: {', '.join(names)}; see docs/content.md)")
    if not equals or not raw.strip():
        raise argparse.ArgumentTypeError(f"'{text}' gives no value: write {option_name(name)}={example(LIMITS[name])}")
    return name, number(LIMITS[name], option_name(name), raw.strip())


def number(limit: Limit, name: str, raw: str) -> int:
    """The number a --limit VALUE gives for `limit`: bytes with a unit or without, a count without one."""
    found = NUMBER.fullmatch(raw) if len(raw) <= 40 else None  # no limit is written with more digits than this
    written = f"{name}={raw if len(raw) <= 40 else raw[:40] + '…'}"
    bytes_ = limit.unit == "bytes"
    unit = found[3].lower() if found else ""
    if found is None or (bytes_ and unit not in UNITS and unit) or (not bytes_ and (unit or found[2])):
        how = ("a number of bytes, with a unit or without: 128MiB, 2GiB, 1.5GiB, 900KB (1,000 bytes each), 1048576" if bytes_
               else f"a whole number of {limit.unit}, without a unit: 20000, 20_000 or 20,000")
        zero = raw.startswith("-") and len(raw) <= 41 and NUMBER.fullmatch(raw[1:]) is not None
        raise argparse.ArgumentTypeError(f"{written}: " + ("a limit is 1 or more" if zero else f"{name} is {how}"))
    whole = int(found[1].replace(",", "").replace("_", ""))
    value = int((whole + float("0" + found[2] if found[2] else 0)) * UNITS[unit or "b"])
    if value < 1:
        raise argparse.ArgumentTypeError(f"{written}: a limit is 1 or more (lower it as far as you like, but not to nothing)")
    most = limit.most or (MOST_BYTES if bytes_ else MOST_COUNT)
    if value > most:
        shown_most = size(most) if bytes_ else f"{most:,}"
        raise argparse.ArgumentTypeError(f"{written}: more than {shown_most} is " + (
            "past what explainer can read" if limit.most else "no limit at all; give a value a build can meet"))
    return value


def settings(given: Iterable[tuple[str, int]]) -> Settings:
    """The operator's settings as a build records them: the last of each name, those equal to the default left out."""
    chosen = dict(given)
    return tuple(sorted((name, value) for name, value in chosen.items() if value != LIMITS[name].default))


def impose(chosen: Settings) -> Settings:
    """Hold every limit to `chosen` (the others to their default) from now on; return what was held before."""
    global _OPERATOR
    before = tuple(sorted((name, _OPERATOR[limit]) for name, limit in LIMITS.items() if limit in _OPERATOR))
    _OPERATOR = {LIMITS[name]: value for name, value in chosen}  # one step: a thread reading a limit meanwhile sees one or the other
    return before


def in_force() -> str:
    """The limits in force that are not their default, as text: part of the key of what was computed under them."""
    chosen = _OPERATOR  # one read: `impose` replaces it in one step
    return repr(sorted((name, chosen[limit]) for name, limit in LIMITS.items() if limit in chosen))


@contextmanager
def applied(chosen: Settings) -> Iterator[None]:
    """Hold every limit to the operator's `chosen` while the block runs (a command, a build); then as before."""
    before = impose(chosen)
    try:
        yield
    finally:
        impose(before)


def example(limit: Limit, needed: int = 0) -> str:
    """A value for --limit that lets `needed` through with room to spare (or doubles the limit), as people write it."""
    wanted = max(needed + needed // 4, limit.value * 2 if not needed else 0, 1)
    wanted = min(wanted, limit.most or (MOST_BYTES if limit.unit == "bytes" else MOST_COUNT))  # never a value --limit refuses
    if limit.unit == "bytes":
        step = KIB if wanted < MIB else MIB if wanted < 1024 * MIB else 1024 * MIB
        unit = {KIB: "KiB", MIB: "MiB", 1024 * MIB: "GiB"}[step]
        return f"{-(-wanted // step)}{unit}"
    step = 10 ** max(0, len(str(wanted)) - 2)
    return str(-(-wanted // step) * step)


def raise_hint(limit: Limit, needed: int = 0) -> str:
    """What a refusal tells the operator: how to raise `limit`, if they trust the content."""
    name = next((option_name(key) for key, declared in LIMITS.items() if declared is limit), "NAME")
    return f"if you trust this content, raise the limit with `--limit {name}={example(limit, needed)}`"


def size(count: int, down: bool = False) -> str:
    """A byte count as people read it: 512 KiB, 16 MiB, 52.4 MiB, 1 TiB (with `down`, rounded down: a floor stays one)."""
    for unit, step in (("TiB", 1024**4), ("GiB", 1024**3), ("MiB", MIB), ("KiB", KIB)):
        if count >= step:
            if count % step == 0:
                return f"{count // step} {unit}"
            return f"{count * 10 // step / 10:.1f} {unit}" if down else f"{count / step:.1f} {unit}"
    return f"{count} bytes"


def shown(limit: Limit) -> str:
    """A limit's value with its unit, as messages and the docs state it."""
    if limit.unit == "bytes":
        return size(limit.value)
    return f"{limit.value:,} {limit.unit}"


def markdown_table() -> str:
    """Return the limits table of docs/content.md."""
    rows = ["| limit | what it bounds | why |", "|---|---|---|"]
    rows += [f"| {shown(limit)} | {limit.what} | {limit.why} |" for limit in LIMITS.values()]
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    print(markdown_table())
