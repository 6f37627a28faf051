"""The build, top to bottom: load -> check -> render -> links and search -> write.

`make` runs every stage but the last and returns the site in memory (`check` and `pdf` stop
there), writing only the quote lock (content/quotes.lock) when the quotes it verified changed;
`build` writes what `make` made. A clean build and the preview server's rebuilds are
this same code: the preview passes the cache it keeps between builds and the record of its
last write, and leaves links and search for later (it runs them once edits pause).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import limits, workers
from .cache import Cache
from .cancel import never
from .content.check import check_site
from .content.load import load_site
from .content.quotelock import lock_memo, lock_path, save_lock
from .content.quotes import QuoteCheck, verify_quotes
from .errors import BuildFailed, Problem, display_path
from .model import Options, Output, Site
from .output.dataset import FACTS, dataset_files
from .output.hosting import hosting_files
from .output.linkcheck import check_links
from .output.lock import OutputLock
from .output.revisions import unnoted_changes
from .output.swap import finish_removals
from .output.write import Written, check_out_dir, path_collisions, tidy, write_site
from .render.look import check_look
from .render.pages import environment, render_site
from .render.pictures import PageWeight, page_weights
from .render.theme import Theme, check_templates

if TYPE_CHECKING:  # the search code (and Pagefind's) loads only for a build that indexes
    from .search import PendingBundle, SearchBundle


SEARCH_FOLDER = "pagefind"  # search.BUNDLE, written here too: a build that does not index loads no search code


@dataclass(frozen=True, slots=True)
class Made:
    """A site built in memory: every file, the warnings kept, the search index's cost, and each stage's time."""

    site: Site
    outputs: tuple[Output, ...]
    warnings: tuple[Problem, ...]
    search: SearchBundle | None  # None when the search index was left out
    timings: tuple[tuple[str, float], ...]  # (stage, seconds)
    quotes: QuoteCheck | None = None  # how the quotes were verified
    locked: bool = False  # whether content/quotes.lock was written
    weights: tuple[PageWeight, ...] = ()  # the pages that show images, heaviest first

    @property
    def pages(self) -> int:
        return sum(1 for o in self.outputs if o.path.endswith(".html"))


@dataclass(frozen=True, slots=True)
class Built:
    """A site built and written: what was made, what the folder holds now, and the files written and removed."""

    made: Made
    written: Written
    changed: tuple[str, ...]
    removed: tuple[str, ...]
    timings: tuple[tuple[str, float], ...]  # make's stages, then write


class Stopwatch:
    """Times the stages of one build, in the order they start (`finished` adds the wait for the search index to `search`)."""

    def __init__(self) -> None:
        self.timings: list[tuple[str, float]] = []

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.timings.append((name, time.perf_counter() - started))


def make(options: Options, cache: Cache | None = None, *, links: bool = True, search: bool = True) -> Made:
    """Load, check and render the site in memory (then its links and search index); raise BuildFailed with every problem."""
    return finished(*make_pending(options, cache, links=links, search=search))


def make_pending(options: Options, cache: Cache | None = None, *, links: bool = True,
                 search: bool = True) -> tuple[Made, PendingBundle | None]:
    """`make`, returned while Pagefind may still be indexing: `write_made` writes the site meanwhile, then adds its index.

    The caller owns what is pending: `finished`, `write_made` or `abandon` (a process is running).
    """
    with limits.applied(options.limits):  # every stage (and every worker) reads the limits the operator set
        return make_within(options, cache, links=links, search=search)


def finished(made: Made, pending: PendingBundle | None) -> Made:
    """`made` with its search index once Pagefind is done (SearchUnavailable when it failed), the time waited added to `search`."""
    if pending is None:
        return made
    started = time.perf_counter()
    bundle = pending.finish()  # which lets go of Pagefind and its folder, whatever happens
    outputs = made.outputs + bundle.outputs
    collisions = path_collisions(outputs)
    if collisions:
        raise BuildFailed([*made.warnings, *collisions], "render", made.site.config.base_path)
    waited = time.perf_counter() - started
    timings = tuple((name, seconds + waited if name == "search" else seconds) for name, seconds in made.timings)
    return dataclasses.replace(made, outputs=outputs, search=bundle, timings=timings)


def make_within(options: Options, cache: Cache | None, *, links: bool, search: bool) -> tuple[Made, PendingBundle | None]:
    """`make_pending` with the operator's limits in force."""
    clock = Stopwatch()
    watch = workers.CoreWatch()  # how busy the machine is while this build loads, checks and renders
    theme = Theme.for_site(options)

    # load: read every content file into frozen model objects (with a cache, unchanged files are not parsed again)
    with clock.stage("load"):
        site, problems = load_site(options, cache)
    # check: cross-references, verbatim quotes (against the archives, else the quote lock), collisions over the whole
    # site; the templates' syntax beside them
    quotes = None
    with clock.stage("check"):
        if site is not None:
            problems += check_site(site, options, cache)
            if not any(p.severity == "error" for p in problems):  # claims compared only once they read
                problems += unnoted_changes(site, previous_facts(options), options.root)
            quotes = verify_quotes(site, options, cache)
            problems += quotes.problems
            problems += check_look(site, theme)
        # with a cache, in the environment the pages are rendered with: each template compiled once for both
        env = environment(site, theme, theme.digest(), cache) if site is not None and cache is not None else None
        problems += check_templates(theme, cache, env)
    if options.strict:
        problems = [p.as_error() for p in problems]
    base_path = site.config.base_path if site is not None else ""
    if site is None or quotes is None or any(p.severity == "error" for p in problems):
        raise BuildFailed(problems, "check", base_path)

    # render: every page to HTML in memory (term pages last: they list who links to them), then the hosting files and
    # the published data (facts.json, glossary.json); on a large site, workers render the narrative pages first and
    # read every page for links and search (workers.py) (only when no cache holds the pages yet: the preview's, or the
    # one the last build left on disk, holds all but the pages edited)
    count = workers.processes(options, len(site.pages)) if cache is None or not cache.holds("pages") else 1
    cache = Cache() if count > 1 and cache is None else cache
    # on a large site with a search index, the cards are drawn and the pages read for their links while Pagefind
    # indexes (for longer than both take), by this process: not by the workers before it starts
    beside_pagefind = search and count > 1 and len(site.pages) >= workers.BESIDE_PAGEFIND_PAGES
    with clock.stage("render"):
        if count > 1 and cache is not None:
            workers.prerender(site, options, theme, cache, count, links=links and not beside_pagefind, search=search,
                              cards=not beside_pagefind)
        made: list[Problem] = []
        outputs, cards = render_site(site, options, theme, cache)
        rendered = len(outputs)  # where the cards go, whenever they are drawn: the same list in every build
        # in one process with a core to spare, a second one draws the cards while this one goes on (joined below)
        aside = workers.cards_aside(cards, site, options, theme, cache, watch) if count == 1 and cache is not None else None
        try:
            if beside_pagefind or aside is not None:
                made += cards.problems()  # what drawing them will warn of, known now: the cards are drawn below
            else:
                if count > 1 and cache is not None:  # the pages the build rendered itself: their cards by workers too
                    workers.draw_cards(cards, site, options, theme, cache, count)
                outputs += cards.outputs(cache, made)
            problems += [p.as_error() for p in made] if options.strict else made
            outputs += hosting_files(outputs, site.config)
            outputs += dataset_files(site, cache)
            if count > 1 and cache is not None and (links or search):
                workers.analyse(outputs, site, options, theme, cache, count, links=links and not beside_pagefind, search=search)
        except BaseException:
            if aside is not None:
                aside.cancel()
            raise
    pending = None
    try:
        if options.strict and made:  # what rendering warned of (a card's missing glyph) stops a strict build here,
            # also where no link check follows (the preview)
            raise BuildFailed(problems, "render", base_path)

        # search: Pagefind indexes the rendered pages and facts, with keys for Korean (pagefind/); its own process runs
        # while this one draws the social cards, checks the links and writes the site (`finished`, `write_made`)
        if search:
            from .search import start_search

            with clock.stage("search"):
                pending = start_search(outputs, site, cache)
        if beside_pagefind or aside is not None:  # the cards, drawn here while Pagefind indexes, or by the second process
            with clock.stage("cards"):
                if aside is not None:
                    aside.join()
                    aside = None
                outputs[rendered:rendered] = cards.outputs(cache, [])  # its warnings are in `made` already
        # links: every internal link and anchor in the rendered pages resolves
        if links:
            with clock.stage("links"):
                problems += check_output_links(outputs, site, options, cache)
            if any(p.severity == "error" for p in problems):
                raise BuildFailed(problems, "links", base_path)
        collisions = path_collisions(outputs)  # and with the search index's files, once they are made (`finished`)
        if collisions:
            raise BuildFailed(problems + collisions, "render", base_path)

        # lock: the quotes as verified go into content/quotes.lock, for builds without the archives (the one file
        # `make` writes)
        locked, unwritten = record_quotes(quotes, options, cache)
        if unwritten is not None:
            problems.append(unwritten.as_error() if options.strict else unwritten)
            if options.strict:
                raise BuildFailed(problems, "check", base_path)
    except BaseException:
        if pending is not None:
            pending.abandon()  # Pagefind stopped: the build failed
        if aside is not None:
            aside.cancel()
        raise
    return Made(site, tuple(outputs), tuple(problems), None, tuple(clock.timings), quotes, locked,
                tuple(page_weights(outputs, site))), pending


def previous_facts(options: Options) -> Path:
    """The last published build's facts.json: --previous, else the output folder's (`site/` beside content/ for check and pdf)."""
    return options.previous or (options.out_dir or options.root / "site") / FACTS


def record_quotes(quotes: QuoteCheck, options: Options, cache: Cache | None = None) -> tuple[bool, Problem | None]:
    """Write the quote lock when it changed; return whether it was written, or the warning when it could not be."""
    path = lock_path(options.content_dir)
    if not quotes.writable:
        return False, None  # a damaged lock is kept for whoever has the archives to resolve
    try:
        return save_lock(quotes.lock, path, lock_memo(cache)), None
    except OSError as exc:
        return False, Problem(display_path(path, options.root), 0, f"cannot write the quote lock ({exc.strerror})",
                              "the quotes were verified but not recorded: make the content folder writable", "warning")


def check_output_links(outputs: list[Output] | tuple[Output, ...], site: Site, options: Options, cache: Cache | None = None,
                       cancelled: Callable[[], bool] = never) -> list[Problem]:
    """Check the links of rendered pages; warnings, or errors under --strict."""
    shown = display_path(options.out_dir) if options.out_dir is not None else "site"  # where the pages are, or would be
    section = cache.section("links") if cache is not None else None
    found = check_links(outputs, site.config.base_url, shown, section, cancelled)
    return [p.as_error() for p in found] if options.strict else found


def build(options: Options, cache: Cache | None = None, last: Written | None = None, *,
          links: bool = True, search: bool = True, lock: OutputLock | None = None) -> Built:
    """Build the site into options.out_dir, replacing the previous build only on success.

    With `last` (the record of the previous write into that folder) only the files that differ
    are written, and without `search` the folder keeps the search index it has (a whole write
    without `search` leaves the index out, as `build --no-search` does). The output's lock
    is held from the start (a second build into the same folder stops at once): `lock` when the
    caller holds it for longer (the preview server, for as long as it runs), else for this build.
    """
    assert options.out_dir is not None, "build needs an output folder"
    check_out_dir(options.out_dir, options.content_dir)
    with OutputLock.take(options.out_dir) if lock is None else nullcontext(lock):
        try:
            tidy(options.out_dir)  # what killed builds left: an old site put back, temporary folders removed
            made, pending = make_pending(options, cache, links=links, search=search)
            return write_made(made, pending, options, last, search=search)
        finally:
            if lock is None:  # the old site, a failed write's folder, the search step's documents: gone before the lock is
                finish_removals()  # let go (a caller holding it, the preview server, never waits)


def write_made(made: Made, pending: PendingBundle | None, options: Options, last: Written | None = None, *,
               search: bool = True) -> Built:
    """Write what `make_pending` made into options.out_dir, the search index last, once Pagefind is done (see `build`).

    The caller holds the output's lock. Pagefind's own process indexes while this one writes the pages.
    """
    assert options.out_dir is not None, "build needs an output folder"
    done: list[Made] = []
    waited = 0.0

    def index() -> tuple[Output, ...]:
        nonlocal waited
        started = time.perf_counter()
        done.append(finished(made, pending))
        waited = time.perf_counter() - started
        return done[0].outputs[len(made.outputs):]

    # write: into a temporary folder exchanged with the output, or (after a write of our own) only what changed
    started = time.perf_counter()
    try:
        result = write_site(made.outputs, options.out_dir, last, keep=() if search else (f"{SEARCH_FOLDER}/",),
                            later=index if pending is not None else None)
    finally:
        if pending is not None:
            pending.abandon()  # the write failed while Pagefind ran
    final = done[0] if done else made
    return Built(final, result.written, result.changed, result.removed,
                 (*final.timings, ("write", time.perf_counter() - started - waited)))
