"""The cyclic garbage collector's thresholds while a command runs.

A build makes millions of objects that live until it ends (the site, its pages, the caches); with
Python's thresholds (700, 10, 10) the collector walked all of them 11 times in a cold 1,000-page
build, 2.0-2.4 s of its 16-20 s. With COMMAND_GC young garbage is still collected (the peak grew
4 MiB, of 460) and the whole heap almost never: 0.4 s of collecting, and 18.5 s of processor time
instead of 22-23 (benchmarks/README.md). The preview adds its own schedule on top (preview/memory.py).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

COMMAND_GC = (100_000, 50, 1000)


@contextmanager
def seldom_collected() -> Iterator[None]:
    """Run the block with COMMAND_GC as the collector's thresholds (workers forked meanwhile too), then as before."""
    before = gc.get_threshold()
    gc.set_threshold(*COMMAND_GC)
    try:
        yield
    finally:
        gc.set_threshold(*before)
