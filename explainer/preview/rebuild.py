"""The preview server's session with one site: the pipeline's own build, run again and again with a cache.

Every rebuild is `pipeline.build` with the cache kept between builds (cache.py: files whose
bytes are unchanged are not parsed again, pages whose inputs are unchanged are not rendered
again) and the record of the last write (output/write.py: only files that differ are written,
each atomically). Links and search are left out of a rebuild and run once edits pause, each in
a thread of its own; the search index is written only if no newer build came since. A failed
build writes nothing, so the last good site stays on disk.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

from .. import pipeline
from ..cache import Cache
from ..cancel import never
from ..errors import BuildFailed, Problem
from ..model import Options, Output, Site
from ..output.lock import OutputLock
from ..output.write import WriteFailed, Written, folder_identity, write_site
from ..search import SearchBundle, search_bundle
from .events import Rebuilt


@dataclass(frozen=True, slots=True)
class SearchJob:
    """What one search index is made from: a good build's pages and site."""

    written: int  # which good build (Rebuilder.written when it was taken)
    pages: tuple[Output, ...]
    site: Site


class Rebuilder:
    """Keeps one site's cache and last write between builds; `build` raises BuildFailed on problems."""

    def __init__(self, options: Options, cache: Cache | None = None) -> None:
        assert options.out_dir is not None, "the preview writes its site into a folder"
        self.out_dir = options.out_dir.resolve()
        # absolute paths, so that the watcher's paths and the messages name the same files whatever the working folder;
        # one process (jobs=1): the server's threads run beside its builds, which must fork no workers (workers.py)
        self.options = replace(options, content_dir=options.content_dir.resolve(), out_dir=self.out_dir, jobs=1)
        self.cache = cache if cache is not None else Cache()  # warm: the stage caches the last build left on disk
        self.last: Written | None = None  # the record of the last write into the output folder
        self.made: pipeline.Made | None = None  # the last good build, for its links and search index
        self.base_path = "/"  # the URL path the site lives under, from the last site.yaml read
        self.count = 0
        self.written = 0  # good builds written so far: tells whether a search index is still of the last one
        self.lock: OutputLock | None = None  # the output folder's, held while the server runs

    @contextmanager
    def holding(self) -> Iterator[None]:
        """Hold the output folder's lock meanwhile: a build into the same folder is refused while the server runs."""
        self.lock = OutputLock.take(self.out_dir, "serve")
        try:
            yield
        finally:
            self.lock.release()
            self.lock = None

    def reset(self) -> None:
        """Forget everything kept: the next build reads, renders and writes the whole site (after a crash)."""
        self.cache = Cache()
        self.last = None

    def build(self, links: bool = True, search: bool = True) -> Rebuilt:
        """Build the site and bring the output folder up to date with it.

        The server passes links=False and search=False: it checks the links and brings the search
        index up to date once edits pause (`check_links`, `search_job`), and until then the folder
        keeps the index it has.
        """
        started = time.perf_counter()
        self.count += 1
        try:
            built = pipeline.build(self.options, self.cache, self.last, links=links, search=search, lock=self.lock)
        except BuildFailed as failed:
            self.base_path = failed.base_path or self.base_path
            raise
        except WriteFailed:
            self.last = None  # the folder may hold old and new files: the next build writes it whole
            raise
        self.base_path = built.made.site.config.base_path
        self.made, self.last = built.made, built.written
        self.written += 1
        files = built.written.files
        pages = sum(1 for path in files if path.endswith(".html"))
        return Rebuilt(self.count, built.changed, built.removed, pages, len(files), self.cache.section("pages").hits,
                       built.made.warnings, time.perf_counter() - started)

    def search_job(self) -> SearchJob | None:
        """What the search index of the last good build is made from (None before one, or when the folder moved)."""
        if self.made is None or self.last is None or self.last.folder != folder_identity(self.out_dir):
            return None
        return SearchJob(self.written, self.made.outputs, self.made.site)

    def index(self, job: SearchJob, cancelled: Callable[[], bool] = never) -> SearchBundle:
        """Index a job's pages (any one thread at a time, beside builds); cancel.Cancelled when `cancelled` says so."""
        return search_bundle(job.pages, job.site, self.cache, cancelled)

    def write_search(self, job: SearchJob, bundle: SearchBundle) -> tuple[str, ...]:
        """Write what changed in pagefind/ and return those files; nothing when a newer build came since the job."""
        if job.written != self.written or self.last is None or self.last.folder != folder_identity(self.out_dir):
            return ()
        result = write_site((*job.pages, *bundle.outputs), self.out_dir, self.last)
        self.last = result.written
        return result.changed

    def check_links(self, cancelled: Callable[[], bool]) -> tuple[Problem, ...]:
        """Check the links of the last good build (raises cancel.Cancelled when `cancelled` says so)."""
        if self.made is None:
            return ()
        return tuple(pipeline.check_output_links(self.made.outputs, self.made.site, self.options, self.cache, cancelled))

