"""Whole builds: same input gives byte-identical output."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from conftest import Run
from support import snapshot


def test_two_builds_are_byte_identical(make_site: Callable[..., Run], site_root: Path) -> None:
    first = make_site()
    copy = site_root.parent / (site_root.name + "-first")
    shutil.copytree(first.site, copy)
    second = make_site()
    assert snapshot(copy) == snapshot(second.site)
