"""The one writer: every file explainer writes goes through here, whole or not at all.

A site is written in one of two ways. Into a folder it did not write last (or with no record
of that write), the whole site goes to a temporary folder beside the target, swapped in only
when complete. Into the folder it wrote last (the preview server's rebuilds), only the files
that differ are replaced, each atomically, in the order given, and files no longer produced are
removed after that: a reader sees each file old or new, never half.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import BuildFailed, ExplainerError, Problem
from ..model import Output

MARKER = ".explainer"
MARKER_TEXT = b"This folder is written by explainer and replaced whole by every build.\n"


class UnsafeOutput(ExplainerError):
    """The output folder is somewhere a build must not replace."""


@dataclass(frozen=True, slots=True)
class Written:
    """What one write left in a folder: which folder (device, inode) and each file's bytes."""

    folder: tuple[int, int]
    files: dict[str, bytes]


@dataclass(frozen=True, slots=True)
class WriteResult:
    """A write: what the folder now holds, and the files written and removed (paths inside the site)."""

    written: Written
    changed: tuple[str, ...]
    removed: tuple[str, ...]


def check_out_dir(out_dir: Path, content_dir: Path) -> None:
    """Refuse output folders whose replacement would destroy sources or unrelated files."""
    out = out_dir.resolve()
    content = content_dir.resolve()
    forbidden = {Path.home().resolve(), Path(out.anchor), Path.cwd().resolve()}
    if out in forbidden or out == content or out in content.parents or content in out.parents:
        raise UnsafeOutput(f"refusing to write the site to {out_dir}: it would replace your content or project folder; "
                           "use --out with a folder of its own, such as site/")
    if out.exists() and not out.is_dir():
        raise UnsafeOutput(f"refusing to write the site to {out_dir}: it is a file, not a folder; choose another --out")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise UnsafeOutput(f"refusing to replace {out_dir}: it holds files that explainer did not write "
                           f"(no {MARKER} marker from an earlier build); empty it or choose another --out folder")


def path_collisions(outputs: Iterable[Output]) -> list[Problem]:
    """One problem for each path that two outputs would be written to, naming what produced both."""
    first: dict[str, Output] = {}
    problems: list[Problem] = []
    for output in outputs:
        earlier = first.setdefault(output.path, output)
        if earlier is not output:
            problems.append(Problem(output.origin or earlier.origin or output.path, 0,
                                    f"two files would be written to {output.path}: from {earlier.origin or '?'} and from {output.origin or '?'}",
                                    "give each page, term and source its own name (ids and file names must differ)"))
    return problems


def write_site(outputs: Sequence[Output], out_dir: Path, last: Written | None = None, keep: tuple[str, ...] = ()) -> WriteResult:
    """Make out_dir hold exactly `outputs`; return what it holds now and what changed.

    With `last`, the record of the previous write into this very folder, only what differs is
    written. `keep` names folders (such as "pagefind/") whose files stay as they were when no
    output replaces them: the preview server writes its search index apart from the pages.
    """
    problems = path_collisions(outputs)
    if problems:
        raise BuildFailed(problems, "write")
    if last is None or last.folder != folder_identity(out_dir):
        files = {o.path: o.content for o in outputs}
        write_whole(files, out_dir)
        identity = folder_identity(out_dir)
        assert identity is not None  # just written
        return WriteResult(Written(identity, files), tuple(files), ())
    files = {path: content for path, content in last.files.items() if path.startswith(keep)} if keep else {}
    files.update((o.path, o.content) for o in outputs)
    changed = tuple(o.path for o in outputs if last.files.get(o.path) != o.content)
    removed = tuple(sorted(set(last.files) - set(files)))
    for path in changed:
        replace_file(out_dir / path, files[path])
    for path in removed:
        remove_file(out_dir, path)
    return WriteResult(Written(last.folder, files), changed, removed)


def write_whole(files: dict[str, bytes], out_dir: Path) -> None:
    """Write the files as the new contents of out_dir; the old site stays until the swap."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    try:
        (staging / MARKER).write_bytes(MARKER_TEXT)
        for relative, content in files.items():
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        os.chmod(staging, 0o755)
        swap_in(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def swap_in(staging: Path, out_dir: Path) -> None:
    """Replace out_dir by staging with two renames, so readers see the old or the new site."""
    if not out_dir.exists():
        staging.rename(out_dir)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
    retired.rmdir()
    out_dir.rename(retired)
    try:
        staging.rename(out_dir)
    except BaseException:
        retired.rename(out_dir)
        raise
    shutil.rmtree(retired, ignore_errors=True)


def replace_file(target: Path, content: bytes, mode: int | None = None) -> None:
    """Write one file atomically: readers see the old bytes or the new, never half.

    The new file gets `mode`, or else the permissions the umask gives any new file.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    while True:
        temporary = target.with_name(f".{target.name}.new-{secrets.token_hex(4)}")
        try:
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask applies, as for any file
            break
        except FileExistsError:
            continue
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def remove_file(out: Path, relative: str) -> None:
    """Remove a file the site no longer has, and the folders it leaves empty."""
    target = out / relative
    target.unlink(missing_ok=True)
    folder = target.parent
    while folder != out and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def folder_identity(folder: Path) -> tuple[int, int] | None:
    """The folder's (device, inode), or None when it does not exist: tells whether it is still the one written."""
    try:
        st = os.stat(folder)
    except FileNotFoundError:
        return None
    return (st.st_dev, st.st_ino)
