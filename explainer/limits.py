"""The limits every input is held to, declared once: content is untrusted (a guest's pull request).

Each is far above what an explainer needs (the flagship's largest file is 8 KB, its longest line
300 characters, its deepest YAML 4 levels) and low enough that a build past it would take minutes
or gigabytes. Past a limit the input is refused at once, with its file and line. The table in
docs/content.md is generated from these declarations (`python -m explainer.limits`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Limit:
    """One limit: its value, the unit it counts, and what it bounds."""

    value: int
    unit: str
    what: str
    why: str


KIB = 1024
MIB = 1024 * KIB

FILE_BYTES = Limit(512 * KIB, "bytes", "size of one content file (site.yaml, a source, a facts file, a term, a page)",
                   "a YAML file of this size takes seconds to read; split a longer one (facts may live in many files)")
LINE_CHARS = Limit(10_000, "characters", "length of one line of a content file",
                   "an error report shows the line; a paragraph may wrap onto as many lines as it likes")
YAML_DEPTH = Limit(12, "levels", "nesting of YAML mappings and lists in one file (a facts file needs 4)",
                   "deeper nesting is no content explainer reads, and reading it recurses")
YAML_NODES = Limit(20_000, "values", "keys, values and list items in one YAML file or front matter (about 2,800 facts)",
                   "bounds the memory one file takes; split a longer list into several files")
FOLDER_FILES = Limit(5_000, "files", "entries in one content folder (sources/, facts/, glossary/, pages/)",
                     "bounds the time a build spends listing and reading")
CONTENT_BYTES = Limit(16 * MIB, "bytes", "all content files together",
                      "bounds the memory and time of a build: a site this size builds in minutes")
ARCHIVE_BYTES = Limit(4 * MIB, "bytes", "size of one source's archive text (`archive:`)",
                      "quotes are searched in it; a news article is well under 100 KB")
ARCHIVE_PATH = Limit(1_024, "characters", "length of `archive:` (a relative path)", "no file name is longer")
ASSET_BYTES = Limit(20 * MIB, "bytes", "size of one image or other file of the content (content/files/, beside the pages)",
                    "a page shows an image in a few hundred KB; a larger file belongs where it is published, linked")
ASSETS_BYTES = Limit(256 * MIB, "bytes", "all images and other files of the content together",
                     "GitHub Pages publishes at most 1 GB; every build reads them all")
IMAGE_PIXELS = Limit(20_000_000, "pixels", "size of one image (20 MP: 5,477 × 3,651)",
                     "decoding takes memory for every pixel; a page shows at most 1,440 pixels across")
PREVIOUS_BYTES = Limit(64 * MIB, "bytes", "size of the last published build's facts.json (`--previous`), read to compare claims",
                      "the flagship's is under 100 KB; a site with 10,000 facts stays well under the limit")
CACHE_BYTES = Limit(512 * MIB, "bytes", "size of one file of the build cache (.explainer-cache/, beside content/)",
                    "the stage caches of a generated 1,000-page site take 213 MiB; past the limit a build keeps none (its "
                    "no-change check still works: that record is small)")
SHOWN_CHARS = Limit(160, "characters", "what an error report quotes of one line (the rest is cut, control characters shown as \\x..)",
                    "a line of binary data must not flood the terminal")

LIMITS = {"FILE_BYTES": FILE_BYTES, "LINE_CHARS": LINE_CHARS, "YAML_DEPTH": YAML_DEPTH, "YAML_NODES": YAML_NODES,
          "FOLDER_FILES": FOLDER_FILES, "CONTENT_BYTES": CONTENT_BYTES, "ARCHIVE_BYTES": ARCHIVE_BYTES,
          "ARCHIVE_PATH": ARCHIVE_PATH, "ASSET_BYTES": ASSET_BYTES, "ASSETS_BYTES": ASSETS_BYTES, "IMAGE_PIXELS": IMAGE_PIXELS,
          "PREVIOUS_BYTES": PREVIOUS_BYTES, "CACHE_BYTES": CACHE_BYTES, "SHOWN_CHARS": SHOWN_CHARS}


def size(count: int) -> str:
    """A byte count as people read it: 512 KiB, 16 MiB, 52.4 MB."""
    if count >= MIB:
        return f"{count / MIB:g} MiB" if count % MIB == 0 else f"{count / MIB:.1f} MiB"
    if count >= KIB:
        return f"{count / KIB:g} KiB" if count % KIB == 0 else f"{count / KIB:.1f} KiB"
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
