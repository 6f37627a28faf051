"""explainer installs as a tool: `python -m build` makes a wheel carrying the default theme, the interface's words
and the starter site; installed into a fresh virtual environment outside the checkout (or with pipx), it starts a
site, checks it, builds it and serves it, with nothing of the generator's source in the site's folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import urllib.request
import venv
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT
from explainer import __version__
from golden import EXAMPLE, GOLDEN, compared

SERVE_WAIT = 60.0  # seconds: the longest the first build of the starter site may take to be served


def run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run a command; fail the test with its output when it fails."""
    result = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"{' '.join(map(str, args))} failed:\n{result.stdout}\n{result.stderr}"
    return result


def outside_env() -> dict[str, str]:
    """The environment, less what would let an installed explainer find this checkout or our virtual environment."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "EXPLAINER_ARCHIVES")}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel `python -P -m build` makes in a checkout (an sdist, then the wheel from it), from a copy of its files."""
    work = tmp_path_factory.mktemp("dist")
    source = work / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "build.py"):  # build.py: the catch docs/install.md's `-P` avoids
        shutil.copy2(ROOT / name, source / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "explainer", source / "explainer", symlinks=True, ignore=ignore)  # default_theme stays a symlink
    shutil.copytree(ROOT / "templates", source / "templates", ignore=ignore)
    run(sys.executable, "-P", "-m", "build", "--outdir", work / "dist", ".", cwd=source)  # as docs/install.md says
    return next((work / "dist").glob(f"explainer-{__version__}-py3-none-any.whl"))


def test_the_wheel_carries_the_theme_the_words_and_the_starter_site(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    package = ROOT / "explainer"
    wanted = [f"explainer/default_theme/{p.relative_to(ROOT / 'templates').as_posix()}" for p in (ROOT / "templates").rglob("*") if p.is_file()]
    for folder in ("locales", "scaffold/files"):
        wanted += [p.relative_to(ROOT).as_posix() for p in (package / folder).rglob("*") if p.is_file()]
    assert len(wanted) > 40
    missing = sorted(set(wanted) - names)
    assert not missing, missing
    assert "explainer/py.typed" in names
    assert not [name for name in names if name.startswith(("content/", "tests/", "templates/"))], "the wheel holds more than explainer"


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The `explainer` program of a fresh virtual environment, outside the checkout, with the wheel installed in it."""
    home = tmp_path_factory.mktemp("home")
    venv.create(home / "venv", with_pip=True)
    run(home / "venv" / "bin" / "python", "-m", "pip", "install", "-q", "--disable-pip-version-check", wheel, cwd=home, env=outside_env())
    return home / "venv" / "bin" / "explainer"


def test_the_installed_tool_starts_checks_builds_and_serves_a_site(installed: Path) -> None:
    home = installed.parent.parent.parent
    env = outside_env()
    assert run(installed, "--version", cwd=home, env=env).stdout == f"explainer {__version__}\n"
    probe = run(installed.parent / "python", "-c", "import explainer; print(explainer.__file__)", cwd=home, env=env)
    assert probe.stdout.startswith(str(home / "venv")), "the test must use the installed copy"
    assert "usage: explainer " in run(installed, "--help", cwd=home, env=env).stdout

    started = run(installed, "new", "my-explainer", cwd=home, env=env)
    assert "explainer serve" in started.stdout and started.stderr == ""
    site = home / "my-explainer"
    assert not [p for p in site.rglob("*.py")], "a site needs none of the generator's source"
    assert run(installed, "check", "--strict", cwd=site, env=env).stdout.startswith("No errors.")
    built = run(installed, "build", "--strict", cwd=site, env=env)
    assert built.stderr == ""
    for name in ("index.html", "story/index.html", "assets/style.css", "pagefind/pagefind.js"):
        assert (site / "site" / name).is_file(), name

    server = subprocess.Popen([str(installed), "serve", "--port", "0", "--out", "preview"], cwd=site, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert server.stdout is not None
        for line in server.stdout:  # "Serving preview/ at http://127.0.0.1:PORT/my-explainer/  (Ctrl-C to stop)"
            if line.startswith("Serving "):
                address = line.split(" at ", 1)[1].split()[0]
                break
        else:
            pytest.fail("the preview server stopped before serving")
        with urllib.request.urlopen(address + "lending/", timeout=SERVE_WAIT) as response:
            page = response.read().decode("utf-8")
        assert "How lending works" in page and "/__explainer__/" in page  # the page, with the live-reload script
    finally:
        server.terminate()
        server.communicate(timeout=SERVE_WAIT)  # reads what is left and closes the pipe


def test_the_installed_tool_builds_the_english_example_as_the_checkout_does(installed: Path, tmp_path: Path) -> None:
    run(installed, "build", "--strict", "--content", EXAMPLE / "content", "--out", tmp_path / "site", cwd=tmp_path, env=outside_env())
    built = {p.relative_to(tmp_path / "site").as_posix(): p.read_bytes() for p in (tmp_path / "site").rglob("*") if p.is_file()}
    expected = {p.relative_to(GOLDEN).as_posix(): p.read_bytes() for p in GOLDEN.rglob("*") if p.is_file()}
    assert {name: data for name, data in built.items() if compared(name)} == expected


def test_pipx_installs_it_too(wheel: Path, tmp_path: Path) -> None:
    env = {**outside_env(), "PIPX_HOME": str(tmp_path / "pipx"), "PIPX_BIN_DIR": str(tmp_path / "bin"),
           "PIPX_MAN_DIR": str(tmp_path / "man")}
    run(sys.executable, "-m", "pipx", "install", "--python", sys.executable, wheel, cwd=tmp_path, env=env)
    explainer = tmp_path / "bin" / "explainer"
    assert run(explainer, "--version", cwd=tmp_path, env=env).stdout == f"explainer {__version__}\n"
    run(explainer, "new", "ko-site", "--language", "ko", "-q", cwd=tmp_path, env=env)
    assert run(explainer, "check", "--strict", cwd=tmp_path / "ko-site", env=env).stderr == ""
