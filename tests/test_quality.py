"""The code stays ruff- and mypy-clean (run as tests so CI fails when they do not)."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True, check=False)


def test_ruff() -> None:
    paths = [p for p in ("explainer", "tests", "build.py", "benchmarks") if (ROOT / p).exists()]
    result = run("ruff", "check", *paths)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict() -> None:
    result = run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr
