"""Watch the sources for changes and report them in bursts: the only module that knows the watching library.

watchfiles (Rust's notify: inotify on Linux, FSEvents on macOS) reports a burst once no change
has come for QUIET_MS, so an editor saving ten files or a `git checkout` is one burst. A burst
that never pauses is reported every MAX_BURST_MS. Replacing the library means rewriting
`Watcher.run` only.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import watchfiles

QUIET_MS = 50  # a burst ends after this long without a change
MAX_BURST_MS = 1600  # ... or after this long in any case
POLL_STOP_MS = 200  # how often the watching thread looks whether it should stop


class Watcher:
    """Watches folders in a thread of its own and calls `on_burst(paths)` once per burst of changes."""

    def __init__(self, folders: Sequence[Path], on_burst: Callable[[set[Path]], None], ignore: Sequence[Path] = ()) -> None:
        self.folders = tuple(folder.resolve() for folder in folders)
        self.on_burst = on_burst
        self.ignore = tuple(path.resolve() for path in ignore)
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.run, name="explainer-watch", daemon=True)
        self.ready = threading.Event()
        self.default_filter = watchfiles.DefaultFilter()

    def start(self) -> None:
        """Start watching; returns once the watcher is set up (changes from then on are seen)."""
        self.thread.start()
        self.ready.wait(timeout=5)

    def stop(self) -> None:
        """Stop watching and wait for the thread to end."""
        self.stopping.set()
        if self.thread.is_alive():
            self.thread.join(timeout=5)

    def wanted(self, change: watchfiles.Change, path: str) -> bool:
        """Skip editor backups, swap files, version-control folders and the output folder."""
        if not self.default_filter(change, path):
            return False
        resolved = Path(path)
        return not any(resolved == ignored or resolved.is_relative_to(ignored) for ignored in self.ignore)

    def run(self) -> None:
        changes = watchfiles.watch(*self.folders, watch_filter=self.wanted, debounce=MAX_BURST_MS, step=QUIET_MS,
                                   stop_event=self.stopping, rust_timeout=POLL_STOP_MS, yield_on_timeout=True,
                                   raise_interrupt=False, ignore_permission_denied=True)
        for burst in changes:  # the first comes after POLL_STOP_MS at most: the watcher is set up by then
            self.ready.set()
            if burst:
                self.on_burst({Path(path) for _, path in burst})
