"""Opening the files a project holds: regular files only, never waiting, and never through a link that leaves the project.

Anyone can commit a symbolic link: `content/files/a.txt` leading to /dev/zero (endless), to
/dev/stdin (a build that waits for a key), to / (a walk of the whole machine) or to a file of
the builder's own (copied into the published site); `.site.lock` leading to a file it would
truncate. So every file the build reads from a project is opened without waiting (a pipe or
a terminal answers at once) and taken only when the system says it is a regular file, whose
length is its own; a link is followed only where it stays inside the project, out of its hidden
folders (`within`, `leads_outside`); and a file the build writes there is never opened through a
link (`O_NOFOLLOW`).
"""

from __future__ import annotations

import errno
import io
import os
import stat

NOT_REGULAR = "not a regular file (a device, pipe or socket, or a link to one)"
OUTSIDE = "outside the project folder or in a hidden folder of it (.git/ …)"  # where a link leading out goes
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # everywhere explainer runs but Windows, which has no such links to fear


class NotRegular(OSError):
    """A path that opens to something other than a regular file."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        super().__init__(errno.EINVAL, NOT_REGULAR, os.fspath(path))


def open_regular(path: str | os.PathLike[str], *, follow: bool = True) -> io.BufferedReader:
    """Open a regular file for reading, at once whatever it is; NotRegular for anything else (OSError as open raises it).

    `follow=False` refuses a link itself (OSError ELOOP), for a file a link has no business standing in for.
    """
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | (0 if follow else NOFOLLOW))
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise NotRegular(path)
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def within(path: str, folder: str) -> bool:
    """Whether the real path `path` is `folder` (a real path) or inside it, in none of its hidden files or folders.

    A hidden folder of a project is none of its content and may hold secrets: `.git/config` can
    hold the token a CI checkout pushes with, and a link to it would publish it.
    """
    if path == folder:
        return True
    inside = folder.rstrip(os.sep) + os.sep
    return path.startswith(inside) and not any(part.startswith(".") for part in path[len(inside):].split(os.sep))


def leads_outside(path: str | os.PathLike[str], folder: str) -> str | None:
    """Where a link at `path` leads when that is not `within` the real folder `folder`; None for no link, or one that
    stays."""
    if not os.path.islink(path):
        return None
    real = os.path.realpath(path)
    return None if within(real, folder) else real
