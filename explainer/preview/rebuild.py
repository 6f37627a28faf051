"""Build the same site again and again, as the preview server does: fast, and identical to a clean build.

The first build is an ordinary one (written to a temporary folder and swapped in whole). Later
builds reuse every content file and page that did not change (see load.LoadCache and
rendercache.RenderCache), compare the new files with the last ones in memory, and write only
the files that differ, each one atomically; files no longer produced are removed. A failed
build writes nothing, so the last good site stays on disk.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from ..content.config import Options
from ..errors import Problem, never
from ..model import Site
from ..output.linkcheck import ParseCache
from ..output.write import check_out_dir, write_site
from ..pipeline import Caches, check_output_links, gather
from ..render.pages import Output
from ..render.theme import DEFAULT_THEME
from ..search.bundle import BUNDLE, SearchBundle, SearchCache, search_bundle

SEARCH_FILES = BUNDLE + "/"  # the search index's folder in the site
ENTRY_FILE = SEARCH_FILES + "pagefind-entry.json"  # the file of the index that names the others


@dataclass(frozen=True, slots=True)
class SearchJob:
    """What one search index is made from: a good build's pages and site."""

    written: int  # which good build (Rebuilder.written when it was taken)
    pages: tuple[Output, ...]
    site: Site


@dataclass(frozen=True, slots=True)
class Rebuilt:
    """What one successful rebuild did."""

    number: int  # 1 for the first build, then counting up (failed builds count too)
    changed: tuple[str, ...]  # files written (new or different), as paths inside the site
    removed: tuple[str, ...]  # files no longer produced
    pages: int
    files: int
    reused: int  # pages taken from the render cache instead of rendered
    warnings: tuple[Problem, ...]
    seconds: float


class Rebuilder:
    """Keeps one site's caches and last output between builds; `build` raises BuildFailed on problems."""

    def __init__(self, options: Options) -> None:
        # absolute paths, so that the watcher's paths name the same files as the caches' keys
        self.options = replace(options, content_dir=options.content_dir.resolve(), out_dir=options.out_dir.resolve())
        self.caches = Caches()
        self.current: dict[str, bytes] = {}
        self.written_to: tuple[int, int] | None = None  # (device, inode) of the folder we last wrote
        self.count = 0
        self.outputs: list[Output] = []  # the last good build, for a link check after it is served
        self.parsed: ParseCache = {}  # the link check's parses, by page, kept while a page's bytes are the same
        self.search_cache = SearchCache()  # each page's reading for the search index, kept likewise
        self.written = 0  # good builds written so far: tells whether a search index is still of the last one

    @property
    def base_path(self) -> str:
        """The URL path the site lives under, from the last site loaded ('/' before any)."""
        site = self.caches.site
        return str(site.config.base_path) if site is not None else "/"

    def forget(self, paths: Iterable[Path]) -> None:
        """Tell the caches these files changed (whatever their stat says): they will be read again."""
        listed = [p.resolve() for p in paths]
        self.caches.files.forget(listed)
        own_theme = (self.options.root / "templates").resolve()
        content = self.options.content_dir.resolve()
        for path in listed:
            if path.is_relative_to(DEFAULT_THEME) or path.is_relative_to(own_theme) or not path.is_relative_to(content):
                self.caches.pages.invalidate()
                return

    def reset(self) -> None:
        """Forget everything kept: the next build reads, renders and writes the whole site (after a crash)."""
        self.caches = Caches()
        self.current = {}
        self.written_to = None
        self.search_cache = SearchCache()

    def build(self, links: bool = True, search: bool = True) -> Rebuilt:
        """Build the site and bring the output folder up to date with it.

        links=False leaves the link check to `check_links`, which the server runs once edits pause;
        search=False likewise leaves the search index to `search` (the last one stays till then).
        """
        started = time.perf_counter()
        self.count += 1
        check_out_dir(self.options.out_dir, self.options.content_dir)
        outputs, warnings, _ = gather(self.options, self.caches, links=links)
        if search and self.caches.site is not None:
            outputs += search_bundle(outputs, self.caches.site, self.search_cache).outputs
        self.outputs = outputs
        new = {o.path: o.content for o in outputs}
        if not search:
            new.update({path: content for path, content in self.current.items() if path.startswith(SEARCH_FILES)})
        out = self.options.out_dir
        removed: tuple[str, ...] = ()
        if self.written_to is None or self.written_to != _identity(out):
            write_site(((o.path, o.content) for o in outputs), out)
            changed = tuple(new)
        else:
            changed = tuple(path for path, content in new.items() if self.current.get(path) != content)
            removed = tuple(sorted(set(self.current) - set(new)))
            for path in changed:
                write_file(out, path, new[path])
            for path in removed:
                remove_file(out, path)
        self.current = new
        self.written_to = _identity(out)
        self.written += 1
        pages = sum(1 for path in new if path.endswith(".html"))
        return Rebuilt(self.count, changed, removed, pages, len(new), self.caches.pages.hits, tuple(warnings),
                       time.perf_counter() - started)

    def search_job(self) -> SearchJob | None:
        """What the search index of the last good build is made from (None before one, or when the folder moved)."""
        site = self.caches.site
        if not self.outputs or site is None or self.written_to != _identity(self.options.out_dir):
            return None
        pages = tuple(o for o in self.outputs if not o.path.startswith(SEARCH_FILES))
        return SearchJob(self.written, pages, site)

    def index(self, job: SearchJob, cancelled: Callable[[], bool] = never) -> SearchBundle:
        """Index a job's pages (any one thread at a time, beside builds); errors.Cancelled when `cancelled` says so."""
        return search_bundle(job.pages, job.site, self.search_cache, cancelled)

    def write_search(self, job: SearchJob, bundle: SearchBundle) -> tuple[str, ...]:
        """Write what changed in pagefind/ and return those files; nothing when a newer build came since the job."""
        if job.written != self.written or self.written_to != _identity(self.options.out_dir):
            return ()
        new = {path: content for path, content in self.current.items() if not path.startswith(SEARCH_FILES)}
        new.update((o.path, o.content) for o in bundle.outputs)
        # the entry file names the rest: written last, and old files removed after it, so that a
        # browser loading the index at any moment finds every file the entry it reads names
        changed = sorted((path for path, content in new.items() if self.current.get(path) != content), key=lambda p: p == ENTRY_FILE)
        out = self.options.out_dir
        for path in changed:
            write_file(out, path, new[path])
        for path in sorted(set(self.current) - set(new)):
            remove_file(out, path)
        self.current = new
        return tuple(changed)

    def search(self) -> tuple[str, ...]:
        """Index the last good build for search and write what changed in pagefind/ (all in this thread)."""
        job = self.search_job()
        return self.write_search(job, self.index(job)) if job is not None else ()

    def check_links(self, cancelled: Callable[[], bool]) -> tuple[Problem, ...]:
        """Check the links of the last good build (raises errors.Cancelled when `cancelled` says so)."""
        site = self.caches.site
        if not self.outputs or site is None:
            return ()
        return tuple(check_output_links(self.outputs, site.config.base_url, self.options, self.parsed, cancelled))


def _identity(folder: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(folder)
    except FileNotFoundError:
        return None
    return (st.st_dev, st.st_ino)


def write_file(out: Path, relative: str, content: bytes) -> None:
    """Replace one file of the site atomically: readers see the old bytes or the new, never half."""
    target = out / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.new-{os.getpid()}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)  # the umask applies, as for any file
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def remove_file(out: Path, relative: str) -> None:
    """Remove a file the site no longer has, and the folders it leaves empty."""
    target = out / relative
    target.unlink(missing_ok=True)
    folder = target.parent
    while folder != out and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
