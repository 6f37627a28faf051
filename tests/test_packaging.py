"""A normal (not editable) install carries the default theme and builds a site."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import ROOT


def test_wheel_carries_the_theme_and_builds_outside_the_repository(tmp_path: Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path / "dist"),
                    str(ROOT)], check=True, capture_output=True)
    wheel = next((tmp_path / "dist").glob("explainer-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    theme = sorted(p.relative_to(ROOT / "templates").as_posix() for p in (ROOT / "templates").rglob("*") if p.is_file())
    assert all(f"explainer/default_theme/{name}" in names for name in theme), "the wheel lacks theme files"

    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(tmp_path / "installed"), str(wheel)],
                   check=True, capture_output=True)
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "installed")}
    result = subprocess.run([sys.executable, "-m", "explainer", "build", "--content", str(ROOT / "examples" / "english" / "content"),
                             "--out", str(tmp_path / "site"), "--quiet"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "index.html").is_file() and (tmp_path / "site" / "assets" / "style.css").is_file()
    probe = subprocess.run([sys.executable, "-c", "import explainer; print(explainer.__file__)"], cwd=tmp_path, env=env,
                           capture_output=True, text=True, check=True)
    assert probe.stdout.startswith(str(tmp_path / "installed")), "the test must use the installed copy"
