"""Putting a complete new site where the published one is, so that the published path always holds a whole site.

The new site is written to a temporary folder beside the output (`.site.new-*`), then exchanged
with the output in one atomic step: Linux's renameat2(RENAME_EXCHANGE), macOS's renamex_np
(RENAME_SWAP). A reader resolving `site/...` finds the old folder or the new, never neither. The
old site, now under the temporary name, is renamed `.site.del-*` and removed.

Where the system or file system cannot exchange (other systems; some network file systems), the
fallback is two renames (`site` to `.site.old-*`, the new folder to `site`): between them, for a
moment, there is no `site/`. A build killed in that moment leaves no `site/`; the next one puts
the old folder back before anything else (`recover`). Folders left by killed builds are removed
by the next build that writes (`sweep`), which holds the output's lock (lock.py): no other build
is using them.
"""

from __future__ import annotations

import ctypes
import errno
import os
import re
import secrets
import shutil
import sys
import threading
from pathlib import Path

MARKER = ".explainer"  # in every folder explainer writes: the site, and so every temporary copy of it
AT_FDCWD = -100
RENAME_EXCHANGE = 2  # linux/fs.h
RENAME_SWAP = 2  # macOS sys/stdio.h
UNSUPPORTED = {errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP}


def exchange(first: Path, second: Path) -> bool:
    """Swap two existing paths in one atomic step; False (nothing done) where the system or file system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if sys.platform.startswith("linux") and hasattr(libc, "renameat2"):  # glibc 2.28 and later
            call = libc.renameat2
            call.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint)
            result = call(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE)
        elif sys.platform == "darwin" and hasattr(libc, "renamex_np"):
            call = libc.renamex_np
            call.argtypes = (ctypes.c_char_p, ctypes.c_char_p, ctypes.c_uint)
            result = call(os.fsencode(first), os.fsencode(second), RENAME_SWAP)
        else:
            return False
    except OSError:  # no C library to load
        return False
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(first), None, str(second))


def temporary_name(out_dir: Path, kind: str) -> Path:
    """A fresh path beside out_dir for one of our temporary folders: `.site.new-*`, `.site.old-*` or `.site.del-*`."""
    while True:
        candidate = out_dir.with_name(f".{out_dir.name}.{kind}-{secrets.token_hex(4)}")
        if not os.path.lexists(candidate):
            return candidate


def swap_in(staging: Path, out_dir: Path) -> None:
    """Put the complete folder `staging` at out_dir, atomically where the system can (see the module's note)."""
    if not os.path.lexists(out_dir):
        staging.rename(out_dir)
        return
    if exchange(staging, out_dir):
        remove(staging, out_dir)  # it holds the old site now
        return
    retired = temporary_name(out_dir, "old")
    out_dir.rename(retired)
    try:
        staging.rename(out_dir)
    except BaseException:
        retired.rename(out_dir)
        raise
    remove(retired, out_dir)


def remove(folder: Path, out_dir: Path) -> None:
    """Remove one of out_dir's temporary folders: renamed `.site.del-*` first, so that a removal cut short is still known as ours."""
    doomed = folder if kind_of(folder.name, out_dir) == "del" else temporary_name(out_dir, "del")
    if doomed != folder:
        folder.rename(doomed)
    remove_soon(doomed)


_REMOVALS: list[threading.Thread] = []  # removals still running (see remove_soon)


def remove_soon(folder: Path) -> None:
    """Remove `folder` in a thread of its own while the build goes on; `finish_removals` waits for it.

    On some disks each removed folder waits on the device (ext4 mounted with `discard`: about
    3 ms a folder, 4 s for a 1,000-page site's), time the build can spend on its next steps:
    the thread waits in system calls, which let the build's own thread run.
    The interpreter waits for the thread before it exits.
    """
    thread = threading.Thread(target=shutil.rmtree, args=(folder,), kwargs={"ignore_errors": True}, name=f"remove {folder.name}")
    thread.start()
    _REMOVALS[:] = [*(running for running in _REMOVALS if running.is_alive()), thread]  # a preview's build never waits


def finish_removals() -> None:
    """Wait until every folder given to `remove_soon` is gone."""
    while _REMOVALS:
        _REMOVALS.pop().join()


TEMPORARY_RE = re.compile(r"^\.(?P<name>.+)\.(?P<kind>new|old|del)-[0-9a-f]{8}$")


def kind_of(name: str, out_dir: Path) -> str | None:
    """'new', 'old' or 'del' when `name` is the name of one of out_dir's temporary folders, else None."""
    match = TEMPORARY_RE.match(name)
    return match.group("kind") if match and match.group("name") == out_dir.name else None


def leftovers(out_dir: Path) -> list[Path]:
    """Our temporary folders beside out_dir: by name, and (unless named for removal) empty or holding our marker."""
    found: list[Path] = []
    try:
        names = sorted(os.listdir(out_dir.parent))
    except OSError:
        return []
    for name in names:
        path = out_dir.parent / name
        kind = kind_of(name, out_dir)
        if kind is None or path.is_symlink() or not path.is_dir():
            continue
        if kind == "del" or (path / MARKER).is_file() or not any(path.iterdir()):
            found.append(path)
    return found


def recover(out_dir: Path) -> bool:
    """After a build killed between the fallback's two renames (no out_dir, an `.old` copy beside it): put the old site back.

    Returns whether it did. The caller holds the output's lock.
    """
    if os.path.lexists(out_dir):
        return False
    old = [path for path in leftovers(out_dir) if kind_of(path.name, out_dir) == "old" and (path / MARKER).is_file()]
    if not old:
        return False
    newest = max(old, key=lambda path: (path.stat().st_mtime_ns, path.name))
    newest.rename(out_dir)
    return True


def sweep(out_dir: Path) -> list[str]:
    """Remove the temporary folders killed builds left beside out_dir; return their names. The caller holds the output's lock."""
    removed = []
    for path in leftovers(out_dir):
        remove(path, out_dir)
        removed.append(path.name)
    return removed
