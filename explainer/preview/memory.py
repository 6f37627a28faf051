"""The preview's garbage collection, on its own schedule: never in the middle of a rebuild.

A preview at 1,000 pages keeps half a million objects alive between builds (the cache: pages,
parts, link records). Python's cyclic collector walks all of them now and then, at whatever
allocation crosses its threshold: with Python's thresholds, a pause of about 0.4 s inside a
rebuild, one rebuild in three. The command's thresholds (collecting.COMMAND_GC) make such walks rare,
and so leave garbage that outlives a rebuild uncollected. So after each build everything alive
is frozen (gc.freeze: left out of the collector's walks, still freed by reference counting the
moment nothing refers to it), and the whole heap is collected only in a pause of the edits
(after the link check), once every BUILDS builds. Cycles that became garbage meanwhile (a few
thousand objects a rebuild) wait until then. When the server stops, the collector gets back
everything frozen.
"""

from __future__ import annotations

import gc

BUILDS = 10  # builds between two collections of the whole heap: a collection may itself delay an edit made meanwhile


class Collector:
    """When the preview collects garbage: `after_build` after each build, `when_idle` in a pause, `release` at the end."""

    def __init__(self) -> None:
        self.builds = 0  # builds since the whole heap was last collected

    def after_build(self, failed: bool = False) -> None:
        """Leave what is alive now out of the collector's walks until the next collection (`when_idle`).

        After a failed build the garbage it left is collected first: no link check follows it, so no
        pause may come soon, and a rendering stopped at a bound leaves its frames in cycles with all
        it made (a site's template that kept 80 MB before its time ran out: 80 MB more at every
        failed rebuild). Only what this build allocated is walked: the rest is frozen.
        """
        self.builds += 1
        if failed:
            gc.collect()
        gc.freeze()

    def due(self) -> bool:
        """Whether enough builds came since the last collection for a pause to be spent on one."""
        return self.builds >= BUILDS

    def when_idle(self) -> int:
        """Collect the whole heap, then freeze what is left; return how many unreachable objects were found."""
        self.builds = 0
        gc.unfreeze()
        found = gc.collect()
        gc.freeze()
        return found

    def release(self) -> None:
        """Give the collector back everything frozen (the server stops; tests run servers in their own process)."""
        gc.unfreeze()
