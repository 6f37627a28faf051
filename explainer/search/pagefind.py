"""Pagefind's own program, run over documents on disk: the only module that knows how Pagefind is called."""

from __future__ import annotations

import gzip
import importlib
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

from ..cancel import Cancelled, never
from ..errors import ExplainerError
from ..render.bounds import child_setup

# Pagefind's files a search needs; the rest are its ready-made interfaces, which we do not use.
ENTRY = "pagefind-entry.json"  # names every other file of the index
KEPT = ("pagefind.js", "pagefind-worker.js", ENTRY)
KEPT_SUFFIXES = (".pf_meta", ".pf_index", ".pf_fragment", ".pf_filter", ".pagefind")  # all compressed
PAGEFIND_SECONDS = 600  # the longest an index may take before the build gives up on it
PAGEFIND_POLL = 0.02  # how often a running Pagefind is asked whether it is done (and told to stop when cancelled)

INSTALL_HINT = "install it with: pip install 'pagefind[bin]' (it is installed with explainer)"


class SearchUnavailable(ExplainerError):
    """Pagefind is missing or failed: the site cannot get its search index."""


def kept(name: str) -> bool:
    """True for the Pagefind files searching needs."""
    return name in KEPT or name.endswith(KEPT_SUFFIXES)


def pagefind_program() -> Path | None:
    """Pagefind's program, found where its Python package looks (`pagefind.service.get_executable`), without loading
    that package: it starts asyncio (a twentieth of a second of the flagship's build) for the API we do not use."""
    named = os.environ.get("PAGEFIND_BINARY_PATH")
    if named is not None:
        return Path(named)
    for package in ("pagefind_bin_extended", "pagefind_bin"):  # the programs PyPI ships: pagefind[extended], pagefind[bin]
        try:
            found: Path = importlib.import_module(package).get_executable()
        except (ImportError, OSError):  # not installed, or installed without its program (FileNotFoundError)
            continue
        return found
    on_path = shutil.which("pagefind_extended") or shutil.which("pagefind")
    return Path(on_path) if on_path else None


def run_pagefind(source: Path, bundle: Path, language: str, cancelled: Callable[[], bool] = never) -> None:
    """Index every HTML file under `source` as one language; write the bundle to `bundle` (start_pagefind, then wait)."""
    start_pagefind(source, bundle, language).wait(cancelled)


def start_pagefind(source: Path, bundle: Path, language: str) -> Pagefind:
    """Start Pagefind's own program on every HTML file under `source`; it runs while the build goes on (Pagefind.wait).

    Pagefind's own program, run to its end (its Python library stops the program as soon as it
    answers "written", and under load files were then found still empty).
    """
    program = pagefind_program()
    if program is None or not program.is_file():
        raise SearchUnavailable(f"the search index needs Pagefind's program ({program or 'pagefind'}), which is missing; {INSTALL_HINT}")
    command = [str(program), "--site", str(source), "--output-path", str(bundle), "--force-language", language, "--silent"]
    said = tempfile.TemporaryFile()  # noqa: SIM115 (closed by Pagefind.stop) a file, not a pipe: a pipe nobody reads may fill
    try:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=said, stderr=said, preexec_fn=child_setup())
    except OSError as failed:
        said.close()
        raise SearchUnavailable(f"Pagefind could not build the search index: {failed}") from failed
    return Pagefind(process, said, bundle, time.monotonic() + PAGEFIND_SECONDS)


class Pagefind:
    """Pagefind's program, running: wait for its bundle, or stop it."""

    def __init__(self, process: subprocess.Popen[bytes], said: IO[bytes], bundle: Path, deadline: float) -> None:
        self.process, self.said, self.bundle, self.deadline = process, said, bundle, deadline

    def wait(self, cancelled: Callable[[], bool] = never) -> None:
        """Wait until the bundle is whole; raise SearchUnavailable when Pagefind failed, cancel.Cancelled when `cancelled` says so."""
        try:
            while True:
                try:
                    code = self.process.wait(timeout=PAGEFIND_POLL)
                    break
                except subprocess.TimeoutExpired:
                    if cancelled():
                        raise Cancelled from None
                    if time.monotonic() > self.deadline:
                        raise SearchUnavailable(f"Pagefind took longer than {PAGEFIND_SECONDS} s and was stopped") from None
            self.said.seek(0)
            words = self.said.read().decode("utf-8", "replace").strip().splitlines()
        finally:
            self.stop()
        if code != 0:
            raise SearchUnavailable(f"Pagefind could not build the search index: {' '.join(words[-3:]) or f'it stopped with exit status {code}'}")
        problem = bundle_problem(self.bundle)
        if problem:
            raise SearchUnavailable(f"Pagefind did not write the whole search index ({problem}); build again")

    def stop(self) -> None:
        """Stop the program if it still runs (a build that failed or was cancelled meanwhile), and let go of what it said."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.said.close()


def bundle_problem(bundle: Path) -> str:
    """Return what is not yet whole in the bundle ('' when all is): a file we keep that is empty or cut short."""
    for name in KEPT:
        path = bundle / name
        if not path.is_file() or path.stat().st_size == 0:
            return f"{name} is missing or empty"
    try:
        json.loads((bundle / ENTRY).read_bytes())
    except ValueError:
        return "pagefind-entry.json is cut short"
    for path in sorted(bundle.rglob("*")):
        if path.is_file() and path.name.endswith(KEPT_SUFFIXES):
            try:
                whole = gzip.decompress(path.read_bytes()).startswith(b"pagefind_dcd")
            except (OSError, EOFError):
                whole = False
            if not whole:
                return f"{path.relative_to(bundle).as_posix()} is empty or cut short"
    return ""
