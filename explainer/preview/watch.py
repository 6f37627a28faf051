"""Watch the sources for changes and report them in bursts: the only module that knows the watching library.

watchfiles (Rust's notify: inotify on Linux, FSEvents on macOS) reports changes within
STEP_MS of their happening. A burst is over once no change has come for QUIET seconds, so an
editor saving ten files or a `git checkout` is one burst, reported once; a burst that never
pauses is reported every MAX_BURST seconds. The quiet period is measured here rather than by
watchfiles' own `step`, whose check runs once per step and so ends a burst anywhere between
one and two steps after its last change. Replacing the library means rewriting `Watcher.run`.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import watchfiles

QUIET = 0.050  # seconds: a burst ends after this long without a change
MAX_BURST = 1.6  # seconds: ... or after this long in any case
STEP_MS = 10  # watchfiles hands changes over after this long without more
POLL_STOP_MS = 200  # how often the watching thread looks whether it should stop


class Watcher:
    """Watches folders in a thread of its own and calls `on_burst(paths)` once per burst of changes."""

    def __init__(self, folders: Sequence[Path], on_burst: Callable[[set[Path]], None], ignore: Sequence[Path] = (),
                 recursive: bool = True) -> None:
        self.folders = tuple(folder.resolve() for folder in folders)
        self.recursive = recursive  # False: only the folders' own entries (a folder made or removed in them)
        self.on_burst = on_burst
        self.ignore = tuple(path.resolve() for path in ignore)
        self.stopping = threading.Event()
        self.changes: queue.Queue[set[Path] | None] = queue.Queue()
        self.thread = threading.Thread(target=self.run, name="explainer-watch", daemon=True)
        self.bursts = threading.Thread(target=self.gather, name="explainer-bursts", daemon=True)
        self.ready = threading.Event()
        self.default_filter = watchfiles.DefaultFilter()

    def start(self) -> None:
        """Start watching; returns once the watcher is set up (changes from then on are seen)."""
        self.thread.start()
        self.bursts.start()
        self.ready.wait(timeout=5)

    def stop(self) -> None:
        """Stop watching and wait for the thread to end."""
        self.stopping.set()
        for thread in (self.thread, self.bursts):
            if thread.is_alive():
                thread.join(timeout=5)

    def wanted(self, change: watchfiles.Change, path: str) -> bool:
        """Skip editor backups, swap files, version-control folders, and what is ignored (with its temporary files)."""
        if not self.default_filter(change, path):
            return False
        resolved = Path(path)
        return not any(resolved == ignored or resolved.is_relative_to(ignored) or _temporary_of(resolved, ignored)
                       for ignored in self.ignore)

    def run(self) -> None:
        """The watching thread: hand every batch of changes to `gather`."""
        try:
            changes = watchfiles.watch(*self.folders, watch_filter=self.wanted, debounce=int(MAX_BURST * 1000), step=STEP_MS,
                                       recursive=self.recursive,
                                       stop_event=self.stopping, rust_timeout=POLL_STOP_MS, yield_on_timeout=True,
                                       raise_interrupt=False, ignore_permission_denied=True)
            for batch in changes:  # the first comes after POLL_STOP_MS at most: the watcher is set up by then
                self.ready.set()
                if batch:
                    self.changes.put({Path(path) for _, path in batch})
        finally:
            self.changes.put(None)

    def gather(self) -> None:
        """The burst thread: merge batches until QUIET passes without one, then report them once."""
        while (first := self.changes.get()) is not None:
            paths, started = set(first), time.monotonic()
            ended = False
            while (remaining := min(QUIET, started + MAX_BURST - time.monotonic())) > 0:
                try:
                    more = self.changes.get(timeout=remaining)
                except queue.Empty:
                    break
                if more is None:
                    ended = True
                    break
                paths |= more
            self.on_burst(paths)
            if ended:
                return


def _temporary_of(path: Path, ignored: Path) -> bool:
    """True for the temporary file an atomic write of `ignored` goes through (`.name.*` beside it)."""
    return path.parent == ignored.parent and path.name.startswith(f".{ignored.name}.")
