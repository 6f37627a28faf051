"""The build cache on disk: sealed files beside content/, trusted only when this user's key sealed them.

A build keeps two files per output folder in `.explainer-cache/` beside content/ (never in the
output folder, which is published): `record`, what the last build read and wrote (uptodate.py),
and `stages`, the stage caches (cache.py) pickled; and `output`, that folder's path, by which a
later build removes the cache of an output folder that is gone (`forget_gone_outputs`). Content is untrusted: a guest's pull request
may commit a crafted file there, and unpickling runs code. So every file is sealed with an
HMAC-SHA256 under a key of this user's, kept outside every project (`$XDG_CACHE_HOME/explainer/key`,
else `~/.cache/explainer/key`, made 0600), and its bytes are unpickled only after the MAC checks:
a file sealed elsewhere (committed, copied, another user's), truncated or damaged is ignored,
with a note under -v, and the build runs as if there were none.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from . import __version__
from .limits import CACHE_BYTES
from .output.write import replace_file
from .regular import open_regular

CACHE_FOLDER = ".explainer-cache"
FORMAT = 1  # the layout of a sealed file; a file of another format is ignored
MAGIC = b"explainer-cache"
KEY_BYTES = 32
MAC_BYTES = 32
OUTPUT = "output"  # in each cache folder: the output folder it is for (plain text, read only to tidy up)
PATH_BYTES = 65_536  # the longest output path an OUTPUT file is read for


class Unusable(Exception):
    """A cache file that is not trusted or not readable: why, for the note under -v."""


class Sealing:
    """Where a sealed file's payload is written piece by piece: into the file, into its MAC, never past the limit."""

    def __init__(self, handle: BinaryIO, mac: hmac.HMAC, size: int) -> None:
        self.handle, self.mac, self.size = handle, mac, size

    def write(self, data: bytes) -> int:
        """Pass one piece on (pickle.dump calls this); Unusable once the file would outgrow the limit."""
        self.size += len(data)
        if self.size > CACHE_BYTES.value:
            raise Unusable("larger than the limit: not kept")
        self.mac.update(data)
        return self.handle.write(data)


def cache_folder(content_dir: Path, out_dir: Path) -> Path:
    """The folder of the cache of builds from content_dir into out_dir: one per output folder, beside content/."""
    return content_dir.parent / CACHE_FOLDER / folder_name(real_path(out_dir))


def refused(folder: Path) -> str | None:
    """Why the cache folder `folder` must not be used, or None: a symbolic link where it or `.explainer-cache/` stands.

    Anyone may commit such a link, and the build would write its cache where it leads (another
    project, a folder of the user's own) and read it from there: so neither is done.
    """
    for path in (folder.parent, folder):
        if os.path.islink(path):
            return f"{path} is a symbolic link, and the cache is never written or read through one: remove the link"
    return None


def real_path(out_dir: Path) -> bytes:
    """An output folder's real path, as its cache folder's name and note are made from."""
    return os.path.realpath(out_dir).encode("utf-8", "surrogateescape")


def folder_name(out: bytes) -> str:
    """The name of the cache folder of the output folder at `out` (its real path)."""
    return hashlib.blake2b(out, digest_size=8).hexdigest()


def make_cache_root(root: Path) -> str | None:
    """Make the folder the cache folders are in, with a .gitignore of its own: so that no project commits it, even one
    whose .gitignore does not name it. Return why it cannot be made (a file in its place, a read-only folder), or None."""
    try:
        root.mkdir(parents=True, exist_ok=True)
        ignore = root / ".gitignore"
        if not ignore.exists():
            replace_file(ignore, f"# written by explainer: the build cache ({CACHE_FOLDER}), never to be committed\n*\n".encode())
    except OSError as exc:
        return f"cannot be written ({exc.strerror or exc})"
    return None


def forget_gone_outputs(folder: Path, out_dir: Path, note: Callable[[str], None]) -> None:
    """Note in `folder` the output folder it is for, and remove the cache folders beside it whose output folder is
    gone (a temporary one, say): else the cache would grow with every output folder ever built into.

    A note may have been committed by anyone: only a real folder (no link, in a cache folder that is no link) whose
    note hashes to its name and names a place in the project's folder or the system's temporary one is looked at, so
    that a build never asks after a path elsewhere (a network share) nor removes anything outside its own cache.
    """
    out = real_path(out_dir)
    if read_output(folder) != out:
        try:
            replace_file(folder / OUTPUT, out, 0o600)
        except OSError:
            return  # a cache folder that cannot be written: tidying up can wait for a build that can
    root, project = folder.parent, os.path.realpath(folder.parent.parent)
    places = tuple(os.path.join(os.fsencode(place), b"") for place in (project, os.path.realpath(tempfile.gettempdir())))
    try:
        if any(os.path.islink(path) for path in (root, folder)):
            return
        beside = sorted(os.scandir(root), key=lambda entry: entry.name)
    except OSError:
        return
    for entry in beside:
        if entry.name == folder.name or not entry.is_dir(follow_symlinks=False):
            continue
        named = read_output(Path(entry.path))
        if named is None or folder_name(named) != entry.name or not named.startswith(places) or os.path.normpath(named) != named \
                or not gone(named):
            continue
        shutil.rmtree(entry.path, ignore_errors=True)  # its links are removed, never followed
        if not os.path.lexists(entry.path):
            note(f"cache {root / entry.name} removed: the output folder it was for is gone")


def gone(path: bytes) -> bool:
    """Whether nothing is at `path` (not: the system could not say, as for a folder it may not read)."""
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return True
    except (OSError, ValueError):  # ValueError: a NUL in the path
        pass
    return False


def read_output(folder: Path) -> bytes | None:
    """The output folder a cache folder notes it is for; None when it notes none (or it cannot be read)."""
    try:  # never through a link, never waiting on a pipe, never past PATH_BYTES
        with open_regular(folder / OUTPUT, follow=False) as handle:
            data = handle.read(PATH_BYTES + 1)
    except OSError:
        return None
    return data if 0 < len(data) <= PATH_BYTES else None


def key_path() -> Path:
    """Where this user's key lives: under $XDG_CACHE_HOME, else ~/.cache, never in a project."""
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    home = Path(base) if base and os.path.isabs(base) else Path.home() / ".cache"
    return home / "explainer" / "key"


def user_key() -> bytes:
    """This user's key, made at first use (0600, written whole before it gets its name, so a reader never sees half)."""
    path = key_path()
    try:
        key = path.read_bytes()
        if len(key) == KEY_BYTES:
            return key
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_name(f".key.new-{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(secrets.token_bytes(KEY_BYTES))
        try:
            os.link(temporary, path)  # fails when another build made the key first: then that one is the key
        except FileExistsError:
            if len(path.read_bytes()) != KEY_BYTES:  # a damaged key: replace it (what it sealed is lost, never trusted)
                os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return path.read_bytes()


def header(kind: str) -> bytes:
    """The first line of a sealed file: what it is, its format and the explainer that wrote it."""
    return b"%s %d %s %s\n" % (MAGIC, FORMAT, kind.encode(), __version__.encode())


def seal(kind: str, payload: bytes, key: bytes) -> bytes:
    """The header, the MAC of header and payload under key, then the payload."""
    head = header(kind)
    return head + hmac.new(key, head + payload, hashlib.sha256).digest() + payload


def unseal(kind: str, data: bytes, key: bytes) -> memoryview:
    """The payload of a sealed file (a view of data, not a copy: stage caches run to hundreds of MB), once its header
    and MAC check; Unusable otherwise."""
    head = header(kind)
    if not data.startswith(head):
        raise Unusable("made by another version of explainer, or not a cache file")
    view = memoryview(data)
    mac, payload = view[len(head):len(head) + MAC_BYTES], view[len(head) + MAC_BYTES:]
    expected = hmac.new(key, head, hashlib.sha256)
    expected.update(payload)
    if not hmac.compare_digest(mac, expected.digest()):
        raise Unusable("not sealed by this user's key (made elsewhere, copied, or damaged)")
    return payload


def read_sealed(path: Path, kind: str) -> memoryview:
    """The authenticated payload of one cache file; Unusable when absent, too large, foreign or damaged."""
    try:
        with open_regular(path, follow=False) as handle:  # a committed link or special file is never read
            data = handle.read(CACHE_BYTES.value + 1)
    except FileNotFoundError:
        raise Unusable("none yet") from None
    except OSError as exc:
        raise Unusable(f"cannot be read ({exc.strerror or exc})") from None
    if len(data) > CACHE_BYTES.value:
        raise Unusable("larger than the limit")
    try:
        key = user_key()
    except OSError as exc:
        raise Unusable(f"no key to check it with ({exc.strerror or exc}, {key_path()})") from None
    return unseal(kind, data, key)


def write_sealed(path: Path, kind: str, payload: bytes) -> str | None:
    """Seal and write one cache file atomically (0600); return why it was not written, or None."""
    if len(payload) > CACHE_BYTES.value:
        return "larger than the limit: not kept"
    try:
        replace_file(path, seal(kind, payload, user_key()), 0o600)
    except OSError as exc:
        return f"cannot be written ({exc.strerror or exc})"
    return None


def write_sealed_stream(path: Path, kind: str, dump: Callable[[Sealing], None]) -> str | None:
    """Seal and write one cache file that `dump` writes piece by piece, atomically (0600), never holding it whole
    in memory; return why it was not written (the file as it was is removed then), or None."""
    head = header(kind)

    def write(handle: BinaryIO) -> None:
        mac = hmac.new(key, head, hashlib.sha256)
        handle.write(head + bytes(MAC_BYTES))  # the MAC's place, filled in once the payload is all written
        dump(Sealing(handle, mac, len(head) + MAC_BYTES))
        handle.seek(len(head))
        handle.write(mac.digest())

    try:
        key = user_key()
        replace_file(path, write, 0o600)
    except Unusable as why:
        path.unlink(missing_ok=True)
        return str(why)
    except OSError as exc:
        return f"cannot be written ({exc.strerror or exc})"
    return None
