"""Edit-saved-to-new-page-served latency of `python build.py serve` against hugo server, Eleventy
--serve --incremental and mkdocs serve, all measured in the same run, on the flagship and on a
generated 1,000-page site.

For each tool and site: start its preview server on a free loopback port, wait for the page,
then 1 warm-up edit and 10 measured ones: append a unique marker to the page's Markdown source,
and poll the page over HTTP every 10 ms until the marker appears. The table gives the median
of the 10, and the ratio to explainer. Never part of the test suite.

Usage:  .venv/bin/python benchmarks/latency.py [--pages 1000] [--edits 10] [--only explainer,hugo]

Peers are installed here on first use, never by the test suite: hugo from Debian (apt-get),
Eleventy from npm and MkDocs from PyPI into benchmarks/.peers/ (ignored by git; see peers.py).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import peers
import sitegen

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / ".work"
POLL = 0.010  # seconds between polls
PAUSE = 1.0  # seconds between edits, so that each edit is a burst of its own for every watcher
TARGETS = {"flagship": 0.15, "1,000 pages": 0.25}


@dataclass(frozen=True)
class Tool:
    """A preview server to measure: how to start it on a site folder and where its page is."""

    name: str
    version: Callable[[], str]
    command: Callable[[Path, int], list[str]]
    url: Callable[[int, str], str]  # (port, page slug) -> URL of the page
    source: Callable[[Path, str], Path]  # (site folder, page slug) -> the page's Markdown file


def run(command: list[str], **kwargs: object) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs).stdout.strip()  # type: ignore[call-overload, no-any-return]


# -- setting up the peers (here only, never in scripts/test.sh) --------------------------------------


def ensure_hugo() -> str:
    if shutil.which("hugo") is None:
        print("installing hugo (Debian package) ...", flush=True)
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "--no-install-recommends", "hugo"], check=True,
                       env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    return shutil.which("hugo") or "hugo"


def tools(only: set[str]) -> list[Tool]:
    found: list[Tool] = [Tool(
        "explainer serve",
        lambda: "explainer " + run([sys.executable, str(ROOT / "build.py"), "--version"]).split()[-1],
        lambda site, port: [sys.executable, str(ROOT / "build.py"), "serve", "--port", str(port), "-q"],
        lambda port, slug: f"http://127.0.0.1:{port}{{base}}{slug}/",
        lambda site, slug: site / "content" / "pages" / f"{slug}.md",
    )]
    if "hugo" in only:
        hugo = ensure_hugo()
        found.append(Tool(
            "hugo server",
            lambda: "hugo " + run([hugo, "version"]).split()[1],
            lambda site, port: [hugo, "server", "--bind", "127.0.0.1", "--port", str(port), "--baseURL", "http://127.0.0.1/"],
            lambda port, slug: f"http://127.0.0.1:{port}/{slug}/",
            lambda site, slug: site / "content" / f"{slug}.md",
        ))
    if "eleventy" in only:
        eleventy = peers.ensure_eleventy()
        found.append(Tool(
            "eleventy --serve --incremental",
            lambda: "eleventy " + run([str(eleventy), "--version"]),
            lambda site, port: [str(eleventy), "--serve", "--incremental", f"--port={port}", "--quiet"],
            lambda port, slug: f"http://localhost:{port}/{slug}/",
            lambda site, slug: site / "src" / f"{slug}.md",
        ))
    if "mkdocs" in only:
        mkdocs = peers.ensure_python_peers() / "bin" / "mkdocs"
        found.append(Tool(
            "mkdocs serve",
            lambda: "mkdocs " + run([str(mkdocs), "--version"]).split()[2],
            lambda site, port: [str(mkdocs), "serve", "-a", f"127.0.0.1:{port}", "-q"],
            lambda port, slug: f"http://127.0.0.1:{port}/{slug}/",
            lambda site, slug: site / "docs" / f"{slug}.md",
        ))
    return [tool for tool in found if tool.name.split()[0] in only]


# -- measuring -------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return str(response.read().decode("utf-8", "replace"))
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def measure(tool: Tool, site: Path, slug: str, edits: int, base: str) -> list[float]:
    """Start the tool's server on `site`, then time `edits` edits of page `slug` (after one warm-up)."""
    port = free_port()
    url = tool.url(port, slug).replace("{base}", base)
    source = tool.source(site, slug)
    original = source.read_bytes()
    log = (WORK / f"{tool.name.split()[0]}-{site.parent.name}.log").open("w")
    process = subprocess.Popen(tool.command(site, port), cwd=site, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    try:
        deadline = time.monotonic() + 600
        while fetch(url) is None:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{tool.name} did not serve {url}; see {log.name}")
            time.sleep(0.1)
        time.sleep(2 * PAUSE)  # let first-build work settle (watchers starting, caches warming)
        latencies: list[float] = []
        for number in range(edits + 1):
            marker = f"edit-marker-{uuid.uuid4().hex}"
            with source.open("a", encoding="utf-8") as handle:
                handle.write(f"\n\n{marker}\n")
            saved = time.perf_counter()
            while True:
                body = fetch(url)
                if body is not None and marker in body:
                    break
                if time.perf_counter() - saved > 120:
                    raise RuntimeError(f"{tool.name}: the edit never appeared at {url}")
                time.sleep(POLL)
            if number > 0:  # the first edit is a warm-up
                latencies.append(time.perf_counter() - saved)
            time.sleep(PAUSE)
        return latencies
    finally:
        os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()
        source.write_bytes(original)


def prepare(pages: int) -> dict[str, tuple[Path, str, str]]:
    """Write both sites for every tool; return {site name: (folder holding tool folders, page slug, explainer base path)}."""
    for mine in (WORK / "flagship", WORK / "generated"):  # only this script's folders: coldbuild.py keeps its own in WORK
        if mine.exists():
            shutil.rmtree(mine)
    flagship = WORK / "flagship"
    shutil.copytree(ROOT / "content", flagship / "explainer" / "content")
    articles = ROOT.parent / "shared"
    if articles.is_dir():  # the flagship's archives, where its sources say they are
        (flagship / "shared").symlink_to(articles)
    sitegen.write_flagship(flagship, ROOT / "content")
    generated = WORK / "generated"
    sitegen.generate(generated, pages, ("explainer", "hugo", "eleventy", "mkdocs"))
    middle = f"page-{pages // 2:04d}"
    return {"flagship": (flagship, "overview", "/ai-alliance/"), f"{pages:,} pages": (generated, middle, "/bench/")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=1000, help="pages of the generated site (default 1000)")
    parser.add_argument("--edits", type=int, default=10, help="measured edits per tool and site (default 10)")
    parser.add_argument("--only", default="explainer,hugo,eleventy,mkdocs", help="comma-separated tools to measure")
    args = parser.parse_args()
    only = set(args.only.split(","))
    measured = tools(only)
    sites = prepare(args.pages)
    print("versions: " + ", ".join(tool.version() for tool in measured), flush=True)
    print(f"machine: {os.cpu_count()} cores; each figure is the median of {args.edits} edits (after one warm-up), "
          f"polling every {POLL * 1000:.0f} ms\n", flush=True)
    results: dict[tuple[str, str], list[float]] = {}
    for site_name, (folder, slug, base) in sites.items():
        for tool in measured:
            latencies = measure(tool, folder / tool.name.split()[0], slug, args.edits, base)
            results[(site_name, tool.name)] = latencies
            print(f"  {site_name:<12} {tool.name:<32} median {statistics.median(latencies):6.3f} s  "
                  f"(min {min(latencies):.3f}, max {max(latencies):.3f})", flush=True)
    print()
    print(f"| tool | {' | '.join(sites)} |")
    print(f"|---|{'---|' * len(sites)}")
    for tool in measured:
        cells = []
        for site_name in sites:
            median = statistics.median(results[(site_name, tool.name)])
            ours = statistics.median(results[(site_name, measured[0].name)])
            cells.append(f"{median:.3f} s" + ("" if tool is measured[0] else f" ({median / ours:.1f}× explainer)"))
        print(f"| {tool.name} | {' | '.join(cells)} |")
    ours_cells = [f"{TARGETS.get(name, float('nan')):.2f} s" for name in sites]
    print(f"| target for explainer | {' | '.join(ours_cells)} |")


if __name__ == "__main__":
    main()
