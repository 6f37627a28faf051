"""Write the built site: into a temporary folder beside the target, swapped in only when complete."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ..errors import ExplainerError

MARKER = ".explainer"
MARKER_TEXT = b"This folder is written by explainer and replaced whole by every build.\n"


class UnsafeOutput(ExplainerError):
    """The output folder is somewhere a build must not replace."""


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


def write_site(files: Iterable[tuple[str, bytes]], out_dir: Path) -> int:
    """Write (path, bytes) pairs as the new contents of out_dir; the old site stays until the swap."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    count = 0
    try:
        (staging / MARKER).write_bytes(MARKER_TEXT)
        for relative, content in files:
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
            count += 1
        os.chmod(staging, 0o755)
        swap_in(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return count


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
