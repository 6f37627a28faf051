"""The one writer: every file explainer writes goes through here, whole or not at all.

A site is written in one of two ways. Into a folder it did not write last (or with no record
of that write), the whole site goes to a temporary folder beside the target, put in its place
only when complete, in one atomic exchange (swap.py): the target always holds a whole site, the
old or the new. Into the folder it wrote last (the preview server's rebuilds), only the files
that differ are replaced, each atomically, in the order given, and files no longer produced are
removed after that: a reader sees each file old or new, never half.
"""

from __future__ import annotations

import os
import posixpath
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..errors import BuildFailed, CannotWrite, ExplainerError, Problem, display_path
from ..model import Output
from ..regular import OUTSIDE, leads_outside
from . import swap
from .swap import MARKER

Later = Callable[[], Sequence[Output]]  # the rest of a site's files, asked for once the others are written
DEFAULT_OUT = Path("site")  # --out when not given (cli.py tells it apart by identity: `args.out is DEFAULT_OUT`)
MARKER_TEXT = b"This folder is written by explainer and replaced whole by every build.\n"


class UnsafeOutput(ExplainerError):
    """The output folder is somewhere a build must not replace."""


class WriteFailed(CannotWrite):
    """The system refused a write (a full or read-only disk, a folder that cannot be made); the message says what was kept."""


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
    out = Path(os.path.realpath(out_dir))  # realpath, not resolve(): a symbolic link loop is no error here
    content = Path(os.path.realpath(content_dir))
    forbidden = {Path.home().resolve(), Path(out.anchor), Path.cwd().resolve()}
    if out in forbidden or out == content or out in content.parents or content in out.parents:
        raise UnsafeOutput(f"refusing to write the site to {out_dir}: it would replace your content or project folder; "
                           "use --out with a folder of its own, such as site/")
    if out.exists() and not out.is_dir():
        raise UnsafeOutput(f"refusing to write the site to {out_dir}: it is a file, not a folder; choose another --out")
    try:
        foreign = out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file()
    except OSError as exc:
        raise CannotWrite(f"cannot look into {out_dir}: {exc.strerror or exc}; check its permissions, or choose another --out") from None
    if foreign:
        raise UnsafeOutput(f"refusing to replace {out_dir}: it holds files that explainer did not write "
                           f"(no {MARKER} marker from an earlier build); empty it or choose another --out folder")


def check_default_out(out_dir: Path, content_dir: Path) -> None:
    """Refuse the default output folder (`site/`, no --out given) when it is a symbolic link leading out of the project.

    Anyone may commit such a link, and the build would write the site, and its lock, where it leads.
    A folder elsewhere is named with --out, by whoever runs the build.
    """
    project = os.path.realpath(content_dir.parent)
    if os.path.realpath(os.path.dirname(os.path.abspath(out_dir))) != project:
        return  # the site/ of the folder the build runs in, which is not the project's: the user's own
    outside = leads_outside(out_dir, project)
    if outside is not None:
        raise UnsafeOutput(f"refusing to write the site to {out_dir}/: it is a symbolic link to {outside}, {OUTSIDE}, which "
                           f"anyone can commit; to build there, say so with --out {outside}, or remove the link")


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


def write_site(outputs: Sequence[Output], out_dir: Path, last: Written | None = None, keep: tuple[str, ...] = (),
               later: Later | None = None) -> WriteResult:
    """Make out_dir hold exactly `outputs` (and what `later` gives); return what it holds now and what changed.

    With `last`, the record of the previous write into this very folder, only what differs is
    written. `keep` names folders (such as "pagefind/") whose files stay as they were when no
    output replaces them: the preview server writes its search index apart from the pages.
    `later` gives the rest of the outputs (a search index Pagefind is still making): a whole
    write asks for them once the others are written, before the new folder is put in place.
    A whole write into a folder others may write holds the folder's lock (lock.py), taken by the caller.
    WriteFailed when the system refuses (a full or read-only disk, a folder that cannot be made).
    """
    problems = path_collisions(outputs)
    if problems:
        raise BuildFailed(problems, "write")
    whole = last is None or last.folder != folder_identity(out_dir)
    if not whole and later is not None:  # a write in place writes only what changed: everything first
        outputs, later = [*outputs, *later()], None
    try:
        if whole:
            files = {o.path: o.content for o in outputs}
            written, files = write_whole(files, out_dir, later)
            return WriteResult(Written(written, files), tuple(files), ())
        assert last is not None
        files = {path: content for path, content in last.files.items() if path.startswith(keep)} if keep else {}
        files.update((o.path, o.content) for o in outputs)
        changed = tuple(o.path for o in outputs if last.files.get(o.path) != o.content)
        removed = tuple(sorted(set(last.files) - set(files)))
        for path in changed:
            replace_file(out_dir / path, files[path])
        for path in removed:
            remove_file(out_dir, path)
        return WriteResult(Written(last.folder, files), changed, removed)
    except OSError as exc:
        kept = f"{display_path(out_dir)}/ was left as it was" if whole else \
            "some of its files may be new and others old, until the next build rewrites it whole"
        raise WriteFailed(f"cannot write the site to {display_path(out_dir)}/: {exc.strerror or exc}"
                          f"{f' ({exc.filename})' if exc.filename else ''}; {kept}") from exc


def tidy(out_dir: Path) -> None:
    """Put right what killed builds left beside out_dir (the caller holds its lock; see swap.py).

    An old site cut off between the fallback's two renames is put back, and temporary folders
    are removed; every build does this first, so that even one that fails leaves a whole site.
    """
    out = Path(os.path.realpath(out_dir))
    try:
        if out.parent.is_dir():
            swap.recover(out)
            swap.sweep(out)
    except OSError as exc:
        raise WriteFailed(f"cannot tidy up beside {display_path(out_dir)}/: {exc.strerror or exc}"
                          f"{f' ({exc.filename})' if exc.filename else ''}") from exc


def write_whole(files: dict[str, bytes], out_dir: Path, later: Later | None = None) -> tuple[tuple[int, int], dict[str, bytes]]:
    """Write the files (then what `later` gives) as the new contents of out_dir, swapped in complete (swap.py);
    return the new folder's identity and every file it holds.

    First, what killed builds left is put right: an old site put back if one was cut off between
    two renames, temporary folders removed.
    """
    out_dir = Path(os.path.realpath(out_dir))  # through a symbolic link the user made: replace what it leads to
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    swap.recover(out_dir)
    swap.sweep(out_dir)
    staging = swap.temporary_name(out_dir, "new")
    staging.mkdir(0o700)
    try:
        (staging / MARKER).write_bytes(MARKER_TEXT)  # first: a folder cut off while being written is still known as ours
        made = {""}  # folders made so far (inside staging): one mkdir per folder, not per file

        def put(written: dict[str, bytes]) -> None:
            for relative, content in written.items():
                folder = posixpath.dirname(relative)
                if folder not in made:
                    (staging / folder).mkdir(parents=True, exist_ok=True)
                    made.add(folder)
                (staging / relative).write_bytes(content)

        put(files)
        if later is not None:
            rest = {o.path: o.content for o in later()}
            put(rest)
            files = {**files, **rest}
        os.chmod(staging, 0o755)
        identity = folder_identity(staging)
        swap.swap_in(staging, out_dir)
    except BaseException:
        if os.path.lexists(staging):
            swap.remove(staging, out_dir)
        raise
    assert identity is not None  # just made
    return identity, files


def replace_file(target: Path, content: bytes | Callable[[BinaryIO], None], mode: int | None = None) -> None:
    """Write one file atomically: readers see the old bytes or the new, never half.

    `content` is the bytes, or a function that writes them into the open file (a large file made
    piece by piece, never held whole in memory). The new file gets `mode`, or else the
    permissions the umask gives any new file.
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
            if callable(content):
                content(handle)
            else:
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
