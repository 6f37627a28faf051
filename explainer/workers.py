"""Both cores: the per-page work of a large build done by worker processes, handed back through the cache.

A narrative page, with its part of the print edition, depends on nothing but the site and its own
body (render/reuse.py), and what the link check and the search index read from a rendered page
depends on nothing but its bytes. So workers forked from the build (they inherit the loaded,
checked site and the compiled templates) render slices of the pages and read them, and return
what they made as cache entries, under the very names and keys the build itself would use. The
build then runs as it always does: its stages find those results in the cache (cache.py) and
reuse them. The output is the same bytes as a build in one process, which renders the same
pages with the same code (tests/test_workers.py compares the two).

Workers are used where forking is how processes start (Linux; elsewhere the build stays in one
process) and only for a site with enough pages to pay for starting them.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from . import limits
from .cache import Cache, Entry, digest
from .media.fonts import system_fonts
from .model import Options, Output, Site
from .output.linkcheck import parsed_pages
from .render.bounds import TemplateBound
from .render.pages import environment, render_narratives, render_state
from .render.social import Cards, CardWant
from .render.theme import Theme
from .text.glossary import Glossary

if TYPE_CHECKING:  # loaded where used: a build in one process (or without search) loads neither
    from concurrent.futures import Future, ProcessPoolExecutor

PARALLEL_PAGES = 48  # with fewer narrative pages, one process is as fast: starting workers costs about what they save
PARALLEL_CARDS = 64  # and with fewer cards to draw (about 5 ms each)
# narrative pages from which, with a search index, the build draws the cards and reads the links itself while Pagefind
# indexes, not the workers before it starts: Pagefind then runs longer, on one core, than both take (1,000 pages: 14 s
# against 5.6 s and 3 s); a small site's is over in half a second on both cores (the flagship's cards beside it: slower)
BESIDE_PAGEFIND_PAGES = 200
CHUNKS_PER_WORKER = 4  # slices per worker, so that one slow slice does not leave a core idle at the end
Entries = dict[str, dict[str, Entry]]  # section -> name -> entry
Item = TypeVar("Item")  # what a slice holds: indices of pages, or cards


@dataclass(frozen=True, slots=True)
class Job:
    """What every worker of one build starts from (inherited when forked, never pickled)."""

    site: Site
    options: Options
    theme: Theme
    cache: Cache  # the build's cache, as it was when the workers started: the compiled templates
    links: bool  # whether the build checks links: pages are read for it (by the workers)
    search: bool  # whether the build indexes: pages are read for it
    cards: bool = True  # whether the workers draw the cards of the pages they render
    outputs: tuple[Output, ...] = ()  # pages rendered already, to be read (analyse)


_JOB: list[Job] = []  # in a worker process: the build it works for (set by adopt, once per process)
_PAST_BOUND: list[bool] = []  # in a worker process: a template went past a bound (render/bounds.py); it renders no more


def adopt(job: Job) -> None:
    """Take the build's job in a new worker process, and the limits it is held to (forked, it has them already)."""
    _JOB[:] = [job]
    limits.impose(job.options.limits)


def processes(options: Options, pages: int) -> int:
    """How many processes to render `pages` narrative pages with: 1 unless workers are possible and pay."""
    if options.jobs == 1 or (options.jobs == 0 and pages < PARALLEL_PAGES) or not can_fork():
        return 1
    return max(1, options.jobs or idle_cores())


def can_fork() -> bool:
    """Whether workers can start as forks of this process (not on Windows)."""
    import multiprocessing  # here: a small site's build (the flagship) never asks, nor loads it

    return "fork" in multiprocessing.get_all_start_methods()


def cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def idle_cores() -> int:
    """The cores this build may have to itself: all of them less those other programs keep busy now.

    On a machine whose cores are busy already, workers only add their cost: measured on 2 cores
    with a load of 6, a 1,000-page build took 45 s with two processes against 28 s with one.
    Busy now, not on average over the last minute: the load average also counts the programs that
    ran and ended in that minute (the build just before, when builds run one after the other)
    and every process waiting on the disk (a removed folder being freed), and it kept builds of a
    quiet machine in one process. Where the system does not say how busy its cores are (no
    /proc/stat), the load average it is.
    """
    busy = busy_cores()
    if busy is not None:
        return max(1, cores() - int(busy + 0.5))
    try:
        load = int(os.getloadavg()[0])  # this build's own process counts among the load: one core is ours anyway
    except OSError:  # no load average on this system
        load = 0
    return max(1, cores() - max(0, load - 1))


BUSY_SAMPLE = 0.1  # seconds over which busy_cores looks: ten of the kernel's ticks on each core
CARDS_BESIDE = 24  # cards from which a build in one process has a second one draw them while it goes on (5 ms each)


class CoreWatch:
    """How busy the cores are over a stretch of this build, other programs' work only: `idle_cores` without its wait.

    Started when the build starts; asked once it knows what it could hand to a second process
    (the cards, after rendering), it compares the cores' time then and now, less this process's own.
    """

    def __init__(self, own: Callable[[], float] = time.process_time) -> None:
        self.allowed = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
        self.clock = own  # the processor time this process has used
        self.own = own()
        try:
            self.start: tuple[int, int] | None = cpu_times(self.allowed)
        except (OSError, ValueError, IndexError):
            self.start = None

    def idle_cores(self) -> int:
        """The cores no program used since the watch started, this process's aside (0 without /proc/stat)."""
        if self.start is None:
            return 0
        try:
            idle, total = cpu_times(self.allowed)
        except (OSError, ValueError, IndexError):
            return 0
        spent = total - self.start[1]
        if spent <= 0:
            return 0
        per_core = spent / cores()  # ticks each core had over the stretch
        own = (self.clock() - self.own) * os.sysconf("SC_CLK_TCK")
        others = max(0.0, spent - (idle - self.start[0]) - own) / per_core
        return max(0, int(cores() - others - 1 + 0.5))  # the core this process runs on is not idle


def busy_cores(interval: float = BUSY_SAMPLE) -> float | None:
    """How many of the cores this process may run on other programs keep busy: the share of their time that was
    neither idle nor waiting on the disk over `interval` seconds (while this process sleeps), times their number;
    None without /proc/stat (Linux)."""
    allowed = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    try:
        idle, total = cpu_times(allowed)
        time.sleep(interval)
        idle_after, total_after = cpu_times(allowed)
    except (OSError, ValueError, IndexError):
        return None
    spent = total_after - total
    if spent <= 0:
        return None
    return min(1.0, max(0.0, 1 - (idle_after - idle) / spent)) * cores()


def cpu_times(allowed: set[int] | None = None, stat_file: str = "/proc/stat") -> tuple[int, int]:
    """The time spent so far by the cores `allowed` (all of them: None), idle (or waiting on the disk) and in all, in the
    kernel's ticks (/proc/stat: a line per core, `cpuN user nice system idle iowait irq softirq steal …`)."""
    idle = total = 0
    with open(stat_file, "rb") as stat:
        for line in stat:
            fields = line.split()
            if not fields or not fields[0].startswith(b"cpu"):
                break  # the cores' lines come first
            name = fields[0][3:]
            if not name or (allowed is not None and int(name) not in allowed):
                continue  # the line of all of them together, or a core this process may not run on
            ticks = [int(field) for field in fields[1:9]]
            idle += ticks[3] + ticks[4]
            total += sum(ticks)
    return idle, total


def start_pool(job: Job, count: int) -> ProcessPoolExecutor:
    """Worker processes forked from this one, each holding `job`: the caller shuts them down (or uses them in a `with`)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork")
    return ProcessPoolExecutor(max_workers=count, mp_context=context, initializer=adopt, initargs=(job,))


def merge(cache: Cache, found: Entries) -> None:
    """Put what a worker made into the build's cache, where the stages will look for it."""
    for name, entries in found.items():
        cache.section(name).entries.update(entries)


def run(job: Job, count: int, work: Callable[[Sequence[Item]], Entries], slices: list[list[Item]]) -> None:
    """Do `work` on each slice in `count` processes; merge every result into the job's cache in the slices' order."""
    with start_pool(job, count) as executor:  # shut down when the block ends
        for found in executor.map(work, slices):
            merge(job.cache, found)


def split(indices: Sequence[int], count: int) -> list[list[int]]:
    """Cut indices into at most `count` runs of consecutive ones, of nearly equal length."""
    count = max(1, min(count, len(indices)))
    size, extra = divmod(len(indices), count)
    runs, start = [], 0
    for number in range(count):
        end = start + size + (1 if number < extra else 0)
        runs.append(list(indices[start:end]))
        start = end
    return [run for run in runs if run]


def prerender(site: Site, options: Options, theme: Theme, cache: Cache, count: int, *, links: bool, search: bool,
              cards: bool) -> None:
    """Render the narrative pages and their print parts in `count` workers, read them for links (`links`) and search, and
    draw their cards (`cards`)."""
    slices = split(range(len(site.pages)), count * CHUNKS_PER_WORKER)
    environment(site, theme, theme.digest(), cache)  # compiled once, here: the workers inherit it
    Glossary.build(site.terms)  # its matcher too (glossary.compiled)
    if search:
        from .search.bundle import process_keys

        process_keys(site.terms)  # and the search keys' (search_bundle then takes these)
    if site.config.look.cards and cards:
        system_fonts()  # read once, here, for the cards the workers draw
    run(Job(site, options, theme, cache, links, search, cards), count, render_slice, slices)


def render_slice(indices: Sequence[int]) -> Entries:
    """(In a worker) render some narrative pages and read them; return the cache entries made."""
    job = _JOB[0]
    own = Cache()
    if _PAST_BOUND:  # every page would go past it again: the build renders one and stops
        return {}
    state = render_state(job.site, job.options, job.theme, job.cache, own)
    try:
        outputs = render_narratives(state, indices)
    except TemplateBound:
        _PAST_BOUND.append(True)
        return {}
    if job.cards:  # the cards of these pages, drawn here
        state.cards.draw_ahead(own.section("cards"))
    analyse_into(own, outputs, job)
    return {name: section.entries for name, section in own.sections.items()}


def analyse_into(cache: Cache, outputs: Sequence[Output], job: Job) -> None:
    """Read rendered pages as the link check and the search index will (as far as the build needs), into their cache sections."""
    if job.links:
        parsed_pages(outputs, cache.section("links"))
    if job.search:
        from .search.bundle import index_pages

        index_pages(outputs, job.site, cache.section("search"))


def analyse(outputs: Sequence[Output], site: Site, options: Options, theme: Theme, cache: Cache, count: int, *,
            links: bool, search: bool) -> None:
    """Read, in `count` workers, the rendered pages the cache does not hold a reading of yet (term pages, the print edition …)."""
    section, name = (cache.section("links"), "{}") if links else (cache.section("search"), "read:{}")
    wanted = [index for index, output in enumerate(outputs)
              if output.path.endswith(".html") and not section.stored(name.format(output.path), digest(output.content))]
    if len(wanted) < 2:
        return
    sizes = [len(outputs[index].content) for index in wanted]
    slices = balance(wanted, sizes, count * CHUNKS_PER_WORKER)
    run(Job(site, options, theme, cache, links, search, outputs=tuple(outputs)), count, analyse_slice, slices)


def draw_cards(cards: Cards, site: Site, options: Options, theme: Theme, cache: Cache, count: int) -> None:
    """Draw, in `count` workers, the cards wanted that the cache does not hold yet: those of the pages the build itself
    rendered (term and source pages, indexes), the narrative pages' being drawn where they were rendered (`render_slice`)."""
    wanted = cards.undrawn(cache.section("cards"))  # none without a font to draw with: `Cards.outputs` says so
    if len(wanted) < PARALLEL_CARDS:
        return
    slices = [[wanted[index] for index in part] for part in split(range(len(wanted)), count * CHUNKS_PER_WORKER)]
    run(Job(site, options, theme, cache, False, False), count, draw_slice, slices)


def cards_aside(cards: Cards, site: Site, options: Options, theme: Theme, cache: Cache, watch: CoreWatch) -> CardsAside | None:
    """In a build in one process: start drawing the cards in a second one, forked, when there are enough of them and a
    core has been idle (`watch`); None when they are better drawn here."""
    if options.jobs == 1 or len(cards.wanted) < CARDS_BESIDE or watch.idle_cores() < 1 or not can_fork():
        return None
    wanted = cards.undrawn(cache.section("cards"))  # none without a font: `Cards.outputs` says so
    if len(wanted) < CARDS_BESIDE:
        return None
    executor = start_pool(Job(site, options, theme, cache, False, False), 1)
    try:
        return CardsAside(executor, executor.submit(draw_slice, wanted), cache)
    except BaseException:
        executor.shutdown(cancel_futures=True)
        raise


class CardsAside:
    """Cards being drawn by a second process while the build goes on (measured on the flagship's 56 cards: ~0.15 s of
    its 1.3 s off the build's way, while this one reads its pages for the search index)."""

    def __init__(self, executor: ProcessPoolExecutor, drawn: Future[Entries], cache: Cache) -> None:
        self.executor, self.drawn, self.cache = executor, drawn, cache

    def join(self) -> None:
        """Wait for the cards and put them into the cache, under the names and keys `Cards.outputs` looks for."""
        try:
            merge(self.cache, self.drawn.result())
        finally:
            self.executor.shutdown()

    def cancel(self) -> None:
        """Let it go without waiting: the build failed (the process ends once it has drawn what it was given)."""
        self.executor.shutdown(wait=False, cancel_futures=True)


def draw_slice(wanted: Sequence[CardWant]) -> Entries:
    """(In a worker) draw some cards; return the cache entries made."""
    own = Cache()
    cards = Cards(_JOB[0].site)
    for want in wanted:
        cards.want(want)
    cards.draw_ahead(own.section("cards"))
    return {name: section.entries for name, section in own.sections.items()}


def analyse_slice(indices: Sequence[int]) -> Entries:
    """(In a worker) read some rendered pages; return the cache entries made."""
    job = _JOB[0]
    own = Cache()
    analyse_into(own, [job.outputs[index] for index in indices], job)
    return {name: section.entries for name, section in own.sections.items()}


def balance(indices: list[int], sizes: list[int], count: int) -> list[list[int]]:
    """Deal indices into `count` slices of nearly equal total size, largest first (a print edition is a slice of its own)."""
    order = sorted(range(len(indices)), key=lambda i: (-sizes[i], indices[i]))
    slices: list[list[int]] = [[] for _ in range(max(1, min(count, len(indices))))]
    totals = [0] * len(slices)
    for i in order:
        lightest = totals.index(min(totals))
        slices[lightest].append(indices[i])
        totals[lightest] += sizes[i]
    return [sorted(part) for part in slices if part]

