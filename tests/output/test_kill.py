"""kill -9 at any moment of a build, the swap included: site/ is always the old site or the new one, whole,
and the next build that succeeds leaves no temporary folder behind.

Builds run as separate processes (`python build.py`), killed with SIGKILL: at random moments over
a whole build, and at each step of the swap, where a harness around the real code pauses the
build and says so before the kill (the new site half written, the exchange, the removal of the
old site cut off halfway, and on systems without an exchange, the moment between the fallback's
two renames).
"""

from __future__ import annotations

import os
import random
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import MINI, ROOT, write_tree
from support import snapshot

VARIANTS = [
    dict(MINI),
    {**MINI, "content/pages/intro.md": MINI["content/pages/intro.md"].replace("Look at the sky.", "Look up at the sky, then down.")},
]
# Runs the real build, pausing (and printing where) at the step named by $EXPLAINER_KILL_AT.
HARNESS = """
import os, shutil, sys, time
from pathlib import Path
from explainer.output import swap

at = os.environ["EXPLAINER_KILL_AT"]

def pause(step):
    if step == at:
        print(step, flush=True)
        time.sleep(120)

if at == "between-renames":
    swap.exchange = lambda first, second: False
exchange, rename, rmtree = swap.exchange, Path.rename, shutil.rmtree

def paused_exchange(first, second):
    pause("before-exchange")
    done = exchange(first, second)
    pause("after-exchange")
    return done

def paused_rename(self, target):
    result = rename(self, target)
    if Path(target).name.startswith(".site.old-"):
        pause("between-renames")
    return result

def half_rmtree(path, *args, **kwargs):
    if Path(path).name.startswith(".site.del-"):  # the old site, being removed
        files = sorted(p for p in Path(path).rglob("*") if p.is_file())
        for file in files[: len(files) // 2]:
            file.unlink()
        pause("mid-removal")
    rmtree(path, *args, **kwargs)

write_bytes = Path.write_bytes

def counted_write_bytes(self, data):
    result = write_bytes(self, data)
    if self.parts[-2:] == ("sky", "index.html") and ".site.new-" in str(self):  # some way into the staging folder
        pause("mid-staging")
    return result

swap.exchange = paused_exchange
Path.rename = paused_rename
Path.write_bytes = counted_write_bytes
shutil.rmtree = half_rmtree
from explainer.cli import main
sys.exit(main(["build", "-q"]))
"""
STEPS = ["mid-staging", "before-exchange", "after-exchange", "mid-removal", "between-renames"]


def start(root: Path, harness_at: str = "") -> subprocess.Popen[str]:
    # TMPDIR inside the test's folder: a killed build leaves its search index's temporary folder behind
    (root / "tmp").mkdir(exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "EXPLAINER_KILL_AT": harness_at, "TMPDIR": str(root / "tmp")}
    command = [sys.executable, "-c", HARNESS] if harness_at else [sys.executable, str(ROOT / "build.py"), "build", "-q"]
    return subprocess.Popen(command, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def kill(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)


def wait_for_line(process: subprocess.Popen[str], seconds: float) -> str:
    """The first line the process prints, or '' when it prints none within `seconds`."""
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        if not selector.select(seconds):
            return ""
    return process.stdout.readline().strip()


def leftovers(root: Path) -> list[str]:
    return sorted(path.name for path in root.iterdir() if path.name.startswith(".site.") and path.is_dir())


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, bytes]]:
    """What a clean build of each variant writes, byte for byte (the output is deterministic)."""
    built = []
    for variant in VARIANTS:
        root = tmp_path_factory.mktemp("clean")
        write_tree(root, variant)
        done = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "-q"], cwd=root, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        built.append(snapshot(root / "site"))
    assert built[0] != built[1]
    return built


def test_killed_at_random_moments_the_site_is_old_or_new_and_the_next_build_tidies_up(tmp_path: Path,
                                                                                      sites: list[dict[str, bytes]]) -> None:
    write_tree(tmp_path, VARIANTS[0])
    started = time.perf_counter()
    first = start(tmp_path)
    assert first.wait(timeout=120) == 0
    assert first.stdout is not None and first.stderr is not None
    first.stdout.close()
    first.stderr.close()
    whole = time.perf_counter() - started
    chance = random.Random(17)  # a fixed seed: the same moments on every run
    kills = 0
    for number in range(80):  # until 24 builds were killed while running (a build may finish first)
        write_tree(tmp_path, VARIANTS[(number + 1) % 2])
        process = start(tmp_path)
        time.sleep(chance.uniform(0.02, whole * 0.8))
        if process.poll() is None:
            kill(process)
            kills += 1
        else:
            process.communicate()
        assert snapshot(tmp_path / "site") in sites, f"after kill {number}: site/ is neither the old site nor the new"
        if kills == 24:
            break
    assert kills == 24, f"only {kills} builds were still running when killed"
    write_tree(tmp_path, VARIANTS[0])
    last = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "-q"], cwd=tmp_path, capture_output=True, text=True)
    assert last.returncode == 0, last.stderr
    assert snapshot(tmp_path / "site") == sites[0]
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("step", STEPS)
def test_killed_during_the_swap_the_next_build_puts_it_right(tmp_path: Path, sites: list[dict[str, bytes]], step: str) -> None:
    write_tree(tmp_path, VARIANTS[0])
    assert subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "-q"], cwd=tmp_path, capture_output=True).returncode == 0
    write_tree(tmp_path, VARIANTS[1])
    process = start(tmp_path, step)
    said = wait_for_line(process, 120)
    kill(process)
    assert said == step, f"the build did not reach {step}"
    if step == "between-renames":  # the fallback's one weak moment: no site/ until the next build puts the old one back
        assert not (tmp_path / "site").exists()
        assert any(name.startswith(".site.old-") for name in leftovers(tmp_path))
    else:
        assert snapshot(tmp_path / "site") in sites
    failing = {**VARIANTS[1], "content/glossary/sky.yaml": "term: [\n"}  # even a build that fails puts the site back
    write_tree(tmp_path, failing)
    failed = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "-q"], cwd=tmp_path, capture_output=True, text=True)
    assert failed.returncode == 1, failed.stderr
    assert snapshot(tmp_path / "site") in sites
    assert leftovers(tmp_path) == []
    write_tree(tmp_path, VARIANTS[1])
    again = subprocess.run([sys.executable, str(ROOT / "build.py"), "build", "-q"], cwd=tmp_path, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert snapshot(tmp_path / "site") == sites[1]
    assert leftovers(tmp_path) == []
