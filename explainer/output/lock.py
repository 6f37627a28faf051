"""One build at a time into one output folder: an advisory lock on `.site.lock` beside it.

A build (or a preview server, for as long as it runs) holds the lock from before it reads the
content until it has written; a second one into the same folder stops at once and says who holds
it. The kernel releases the lock when its holder exits, however it exits (kill -9 included), so a
lock is never stale. The file itself stays, empty but for the holder's process id: removing it
would let two builds lock two different files of the same name.
"""

from __future__ import annotations

import fcntl
import os
import stat
from pathlib import Path
from types import TracebackType

from ..errors import CannotWrite
from ..regular import NOFOLLOW, NOT_REGULAR


class OutputBusy(CannotWrite):
    """Another build or preview server is writing the same output folder."""


class OutputLock:
    """The lock on one output folder, held until `release` (or the process ends)."""

    def __init__(self, out_dir: Path, descriptor: int) -> None:
        self.out_dir = out_dir
        self.descriptor = descriptor

    @staticmethod
    def path(out_dir: Path) -> Path:
        """Where out_dir's lock lives: beside it, so that it outlives every swap of the folder."""
        return out_dir.with_name(f".{out_dir.name}.lock")

    @classmethod
    def take(cls, out_dir: Path, command: str = "build") -> OutputLock:
        """Take the lock on out_dir (its parent is created); OutputBusy at once when another process holds it."""
        out_dir = Path(os.path.realpath(out_dir))
        lock = cls.path(out_dir)
        try:
            out_dir.parent.mkdir(parents=True, exist_ok=True)
            # never through a link (anyone may commit one: it would truncate the file it leads to), never waiting on a pipe
            descriptor = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | NOFOLLOW | getattr(os, "O_NONBLOCK", 0), 0o644)
        except OSError as exc:
            if os.path.islink(lock):
                raise CannotWrite(f"cannot lock {out_dir}: {lock} is a symbolic link, and explainer never writes through one "
                                  "(it would write to the file it leads to); remove the link") from None
            why = "a file stands where a folder belongs" if isinstance(exc, (FileExistsError, NotADirectoryError)) else exc.strerror
            raise CannotWrite(f"cannot write to {out_dir.parent}: {why or exc}; "
                              "check that the folder can be created and written, or choose another --out") from None
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            os.close(descriptor)
            raise CannotWrite(f"cannot lock {out_dir}: {lock} is {NOT_REGULAR}; remove it")
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(descriptor, 200, 0).decode("utf-8", "replace").strip() or "another process"
            os.close(descriptor)
            raise OutputBusy(f"{out_dir} is being written by {holder}; wait for it to finish, or stop it "
                             "(a preview server holds its folder while it runs), or build into another folder with --out") from None
        except BaseException:
            os.close(descriptor)
            raise
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, f"explainer {command} (process {os.getpid()})\n".encode(), 0)
        return cls(out_dir, descriptor)

    def release(self) -> None:
        """Let the next build in (closing the file releases the lock)."""
        if self.descriptor >= 0:
            os.close(self.descriptor)
            self.descriptor = -1

    def __enter__(self) -> OutputLock:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        self.release()
