"""What a build's inputs hash to now: the content and templates folders, explainer itself, the options, files, fonts.

Each input has a name in the build's record (`Record.inputs`: "options", "explainer",
"tree:<folder>", "file:<path>", "fonts") and `hash_input` hashes it again by that name alone,
so the next build can tell whether anything it read has changed (uptodate.py).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sys
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__, limits
from .model import Options
from .regular import NotRegular, leads_outside, open_regular, within

if TYPE_CHECKING:
    from .pipeline import Built

PACKAGE = Path(__file__).resolve().parent
PIECE = 1 << 20  # bytes read at a time when a file is hashed within a bound


def project_bytes() -> int:
    """The most bytes any file of a project is read to (the largest of the limits on one file in force)."""
    return max(limit.value for limit in (limits.FILE_BYTES, limits.ASSET_BYTES, limits.ARCHIVE_BYTES, limits.PREVIOUS_BYTES))


def hash_file(path: Path | str, most: int | None = None) -> str:
    """The content hash of one file; 'absent', 'special' (a device, pipe or socket: never read) or 'unreadable'.

    With `most`, no more than `most` + 1 bytes are read: a file past it (which the build refuses) is
    known by those bytes and a mark saying so. A regular file may still be endless (/proc/self/pagemap).
    """
    try:
        with open_regular(path) as handle:
            if most is None:
                return hashlib.file_digest(handle, "blake2b").hexdigest()[:32]
            hashed, left = hashlib.blake2b(), most + 1
            while left > 0 and (piece := handle.read(min(left, PIECE))):
                hashed.update(piece)
                left -= len(piece)
            return hashed.hexdigest()[:32] + (f"|past {most}" if left <= 0 else "")
    except FileNotFoundError:
        return "absent"
    except NotRegular:
        return "special"
    except OSError:
        return "unreadable"


def tree_files(folder: Path, inside: str | None = None) -> dict[str, str]:
    """Every file under folder (through links, each real folder once) by its path inside it -> its content hash.

    With `inside` (a real path), a link leading out of it is not followed: it counts by where it
    leads ('link:…'), as the build refuses it (content is read only from inside the project).
    Anyone may commit a link to / or /dev/zero: followed, either would keep this walk going for good.
    """
    found: dict[str, str] = {}
    seen: set[str] = set()

    def visit(real: str, relative: str) -> None:
        if real in seen:
            return
        seen.add(real)
        try:
            entries = sorted(os.scandir(real), key=lambda entry: entry.name)
        except OSError:
            return
        for entry in entries:
            name = f"{relative}{entry.name}"
            if entry.name == "__pycache__":
                continue
            outside = leads_outside(entry.path, inside) if inside is not None and entry.is_symlink() else None
            if outside is not None:
                found[name] = f"link:{outside}"
                continue
            try:
                is_folder = entry.is_dir()
            except OSError:  # a link that leads nowhere (a loop): hashed as unreadable, as the build reports it
                is_folder = False
            if is_folder:
                visit(os.path.realpath(entry.path), name + "/")
            else:
                found[name] = hash_file(entry.path, project_bytes() if inside is not None else None)

    if folder.is_dir():
        visit(os.path.realpath(folder), "")
    return found


def hash_tree(folder: Path, inside: str | None = None) -> str:
    """One hash of every file under folder (`tree_files`), names included: any edit, addition or removal changes it."""
    if not folder.is_dir():
        return "absent"
    real = os.path.realpath(folder)
    if inside is not None and not within(real, inside):
        return f"link:{real}"  # a folder linked from elsewhere, which the build refuses: never walked
    return hashlib.blake2b(json.dumps(sorted(tree_files(folder, inside).items())).encode(), digest_size=16).hexdigest()


@lru_cache(maxsize=1)
def hash_explainer() -> str:
    """Explainer as installed: its version, every file of the package, the Python, and every installed distribution."""
    distributions = sorted(name for folder in sys.path if os.path.isdir(folder)
                           for name in os.listdir(folder) if name.endswith(".dist-info"))
    parts = [__version__, sys.version, hash_tree(PACKAGE), *distributions]
    return hashlib.blake2b(json.dumps(parts).encode(), digest_size=16).hexdigest()


def hash_options(options: Options, search: bool) -> str:
    """The options that decide what is built and what is reported (not --jobs, which makes the same bytes)."""
    real = {field.name: (os.path.realpath(value) if isinstance(value, Path) else value)
            for field in dataclasses.fields(options) if field.name != "jobs" for value in [getattr(options, field.name)]}
    real["search"] = search
    real["archives_env"] = os.environ.get("EXPLAINER_ARCHIVES", "")
    return hashlib.blake2b(json.dumps(real, sort_keys=True).encode(), digest_size=16).hexdigest()


def hash_fonts() -> str:
    """The machine's fonts a card is drawn with: which fontconfig chooses, and their bytes."""
    from .media.fonts import system_font_paths  # fontconfig only: no font is read as a font here

    return hashlib.blake2b(json.dumps([(path, hash_file(path)) for path in system_font_paths()]).encode(),
                           digest_size=16).hexdigest()


def hash_input(name: str, options: Options, search: bool) -> str:
    """An input's hash now, by its name in a record."""
    kind, _, where = name.partition(":")
    if kind == "options":
        return hash_options(options, search)
    if kind == "explainer":
        return hash_explainer()
    if kind == "tree":
        return hash_tree(Path(where), os.path.realpath(options.root))
    if kind == "file":
        return hash_file(where, project_bytes())
    if kind == "fonts":
        return hash_fonts()
    return "unknown"  # a name this version does not know: never current


def first_inputs(options: Options, search: bool) -> dict[str, str]:
    """The inputs hashed before the build reads them: options, explainer, the content folder, the site's templates."""
    content = os.path.realpath(options.content_dir)
    templates = os.path.realpath(options.root / "templates")
    project = os.path.realpath(options.root)
    return {"options": hash_options(options, search), "explainer": hash_explainer(),
            f"tree:{content}": hash_tree(Path(content), project), f"tree:{templates}": hash_tree(Path(templates), project)}


def later_inputs(built: Built, options: Options) -> dict[str, str]:
    """The inputs known once built: the archives looked for, the facts.json compared against (as written), the fonts."""
    from .pipeline import previous_facts

    found: dict[str, str] = {}
    made = built.made
    for path in made.quotes.archives if made.quotes is not None else ():
        found[f"file:{os.path.realpath(path)}"] = hash_file(path, project_bytes())
    previous = os.path.realpath(previous_facts(options))
    found[f"file:{previous}"] = hash_file(previous, project_bytes())
    if made.site.config.look.cards:
        found["fonts"] = hash_fonts()
    if made.locked:  # the build wrote quotes.lock: the content folder as it left it
        content = os.path.realpath(options.content_dir)
        found[f"tree:{content}"] = hash_tree(Path(content), os.path.realpath(options.root))
    return found
