"""Whole builds: same input gives byte-identical output."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from conftest import ROOT, Run, write_tree
from support import KOREAN, snapshot


def test_two_builds_are_byte_identical(make_site: Callable[..., Run], site_root: Path) -> None:
    first = make_site()
    copy = site_root.parent / (site_root.name + "-first")
    shutil.copytree(first.site, copy)
    second = make_site()
    assert snapshot(copy) == snapshot(second.site)


def test_output_is_byte_identical_whatever_the_hash_seed_time_zone_locale_and_working_folder(tmp_path: Path) -> None:
    write_tree(tmp_path / "project", {**KOREAN, "content/pages/dated.md": "---\ntitle: 날짜\n---\n[[timeline]]\n"})
    (tmp_path / "elsewhere").mkdir()
    runs = [  # (working folder, --content, --out, environment)
        (tmp_path / "project", "content", "site", {"PYTHONHASHSEED": "0", "TZ": "UTC", "LC_ALL": "C.UTF-8"}),
        (tmp_path / "project", "content", "site", {"PYTHONHASHSEED": "4242", "TZ": "Asia/Seoul", "LC_ALL": "C"}),
        (tmp_path / "elsewhere", str(tmp_path / "project" / "content"), "out",
         {"PYTHONHASHSEED": "random", "TZ": "America/Los_Angeles", "LANG": "ko_KR.UTF-8", "LC_ALL": ""}),
    ]
    built = []
    for folder, content, out, env in runs:
        done = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "-q", "--content", content, "--out", out],
                              cwd=folder, env={**os.environ, **env}, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        built.append(snapshot(folder / out))
    assert built[0] == built[1] == built[2]
