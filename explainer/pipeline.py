"""The build, top to bottom: load -> check -> render -> write. Nothing is written until all is read."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from .content.check import check_site
from .content.config import Options
from .content.load import LoadCache, load_site
from .errors import BuildFailed, Problem, display_path, never
from .model import Site
from .output.hosting import hosting_files
from .output.linkcheck import ParseCache, check_links
from .output.write import check_out_dir, write_site
from .render.pages import Output, render_site
from .render.reuse import RenderCache
from .render.theme import Theme, check_templates
from .search.bundle import search_bundle


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a successful build did: files written, warnings kept, time per stage (seconds)."""

    files: int
    pages: int
    warnings: tuple[Problem, ...]
    timings: tuple[tuple[str, float], ...]
    search_bytes: int = 0  # the search index (pagefind/), all its files
    search_seconds: float = 0.0


@dataclass(slots=True)
class Caches:
    """What the preview server keeps between builds: each file's load and each page's rendering."""

    files: LoadCache = field(default_factory=LoadCache)
    pages: RenderCache = field(default_factory=RenderCache)
    site: Site | None = None  # the last site loaded, even when it had problems


def gather(options: Options, caches: Caches | None = None, *,
           links: bool = True) -> tuple[list[Output], list[Problem], list[tuple[str, float]]]:
    """Load, check and render the site in memory; raise BuildFailed with every problem found.

    With links=False the link check is left to the caller (the preview server runs it later).
    """
    timings: list[tuple[str, float]] = []
    started = time.perf_counter()

    # load: read every content file into frozen model objects (unchanged files from the cache)
    site, problems = load_site(options, caches.files if caches else None)
    if caches is not None and site is not None:
        caches.site = site
    # check: cross-references, verbatim quotes, collisions, over the whole site
    if site is not None:
        problems += check_site(site, options)
    problems += check_templates(Theme.for_site(options))  # syntax errors show with content errors
    timings.append(("load+check", time.perf_counter() - started))
    if options.strict:
        problems = [p.as_error() for p in problems]
    if site is None or any(p.severity == "error" for p in problems):
        raise BuildFailed(problems, "check")

    # render: every page to HTML in memory (term pages last: they list who links to them)
    started = time.perf_counter()
    outputs = render_site(site, options, caches.pages if caches else None)
    outputs += hosting_files(outputs, site.config.base_url)
    timings.append(("render", time.perf_counter() - started))

    # links: every internal link and anchor in the rendered pages resolves
    if links:
        started = time.perf_counter()
        problems += check_output_links(outputs, site.config.base_url, options)
        timings.append(("links", time.perf_counter() - started))
        if any(p.severity == "error" for p in problems):
            raise BuildFailed(problems, "links")
    return outputs, problems, timings


def check_output_links(outputs: list[Output], base_url: str, options: Options, cache: ParseCache | None = None,
                       cancelled: Callable[[], bool] | None = None) -> list[Problem]:
    """Check the links of rendered pages; warnings, or errors under --strict."""
    shown = display_path(options.out_dir)  # as the user wrote it, also when the preview server made it absolute
    found, _ = check_links(outputs, base_url, shown, cache, cancelled or never)
    return [p.as_error() for p in found] if options.strict else found


def build(options: Options) -> BuildResult:
    """Build the site into options.out_dir, replacing the previous build only on success."""
    check_out_dir(options.out_dir, options.content_dir)
    caches = Caches()  # fresh: everything is rendered; it tells which site was built
    outputs, warnings, timings = gather(options, caches)
    assert caches.site is not None  # gather raises BuildFailed when no site loaded

    # search: Pagefind indexes the rendered pages and facts, with keys for Korean (pagefind/)
    search = search_bundle(outputs, caches.site)
    outputs += search.outputs
    timings.append(("search", search.seconds))

    # write: into a temporary folder, swapped in whole
    started = time.perf_counter()
    count = write_site(((o.path, o.content) for o in outputs), options.out_dir)
    timings.append(("write", time.perf_counter() - started))
    pages = sum(1 for o in outputs if o.path.endswith(".html"))
    return BuildResult(count, pages, tuple(warnings), tuple(timings), search.size, search.seconds)
