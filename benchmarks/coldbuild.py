"""Cold builds of a generated site by explainer and its peers, timed in the same run (issue 14).

Usage:  .venv/bin/python benchmarks/coldbuild.py [--pages 100,1000,10000] [--rounds 5] [--only explainer,hugo,...]

For each N: write the same N pages (`sitegen.py`) for explainer, Hugo, Eleventy (+ Pagefind's CLI over
its output), MkDocs, Pelican and the Python floor (`floor.py`, 2 processes); one untimed warm-up round
that also checks each tool's output; then `--rounds` rounds in which every tool builds once, the order
rotated by one each round, its output (and any cache) wiped before each cold build. Each build runs in a
fresh `measure.py` process: wall time, and peak memory of the build's process tree. explainer's no-change
rebuild runs right after its cold build, with nothing wiped. Then the flagship (`content/`): cold
`python build.py` and its no-change rebuild.

Prints a Markdown table per N and the issue's targets, met or not; writes the raw figures to
benchmarks/.work/coldbuild/results-<date>-<time>.json and results.json (the latest; `--report FILE`
prints its tables again). Peers are installed on first use into benchmarks/.peers/
(`peers.py`); the set-up is not timed. Never part of the test suite.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import peers
import report
import sitegen

from explainer import limits

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / ".work" / "coldbuild"
PYTHON = sys.executable  # explainer's interpreter (the project's .venv); the floor runs in it too
TOOLS = ("explainer", "hugo", "eleventy", "mkdocs", "pelican", "floor", "flagship")
TIMEOUT = 3 * 3600  # seconds for one build
Run = dict[str, float | int]  # seconds, cpu_seconds, peak_kib, tree_kib, returncode (from measure.py) and load


@dataclass(frozen=True)
class Step:
    """One timed command: the row it counts for, how to run it, and what to wipe before (untimed)."""

    row: str
    command: list[str]
    cwd: Path
    wipe: Callable[[], None]
    env: dict[str, str]


@dataclass(frozen=True)
class Slot:
    """A tool's turn in a round: its steps run back to back (a cold build, then what must follow it)."""

    name: str
    steps: tuple[Step, ...]
    output: Path  # the folder whose pages the warm-up counts


# -- cold, for explainer: everything the build left anywhere goes -----------------------------------


def manifest(folder: Path) -> set[Path]:
    """Return every path (files and folders) under folder, relative to it."""
    return {path.relative_to(folder) for path in folder.rglob("*")}


def reset(folder: Path, keep: set[Path], caches: tuple[Path, ...] = ()) -> None:
    """Remove everything under folder that is not in keep, and the cache folders: no build output or cache survives."""
    prune(folder, folder, keep)
    for cache in caches:
        remove(cache)


def prune(top: Path, folder: Path, keep: set[Path]) -> None:
    """Remove what is not in keep (paths relative to top) inside folder, recursively."""
    for path in folder.iterdir():
        if path.relative_to(top) not in keep:
            remove(path)
        elif path.is_dir() and not path.is_symlink():
            prune(top, path, keep)


def remove(path: Path) -> None:
    """Delete a file, link or folder if it exists."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif path.exists() or path.is_symlink():
        path.unlink()


def wiper(*paths: Path) -> Callable[[], None]:
    """Return a function removing these paths."""

    def wipe() -> None:
        for path in paths:
            remove(path)

    return wipe


# -- what the CLI supports -------------------------------------------------------------------------


def compile_bytecode(checkout: Path) -> int:
    """Write the bytecode of the checkout's `explainer/` package; return how many modules it has.

    Python writes a module's bytecode at its first import, unless PYTHONDONTWRITEBYTECODE is set
    (as on the development machine); pip writes it when it installs a package, except an editable
    one (the README's `pip install -e .`). Every peer's Python code (MkDocs, Pelican, the
    libraries the floor and explainer use) was compiled by pip; without this, every explainer
    build would compile its own modules anew (87 of them: 0.14 s), which no user's second build does.
    """
    package = checkout / "explainer"
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(package)], check=True, stdout=subprocess.DEVNULL)
    return sum(1 for _ in package.rglob("*.py"))


def supports_no_search(checkout: Path) -> bool:
    """Whether `python build.py build --help` lists --no-search."""
    help_text = subprocess.run([PYTHON, str(checkout / "build.py"), "build", "--help"], capture_output=True, text=True).stdout
    return "--no-search" in help_text


def supports_limit(checkout: Path) -> bool:
    """Whether `python build.py build --help` lists --limit (the operator's limits)."""
    help_text = subprocess.run([PYTHON, str(checkout / "build.py"), "build", "--help"], capture_output=True, text=True).stdout
    return "--limit" in help_text


def site_limits(content: Path) -> list[str]:
    """The --limit options a generated site needs: the whole-site limits its size passes, raised with room to spare.

    Nothing for a site within the defaults (N = 100 and 1,000): those build as anyone's would.
    The 10,000-page site holds 59 MiB of pages in one folder, past 16 MiB and 5,000 files.
    """
    total = sum(path.stat().st_size for path in content.rglob("*") if path.is_file())
    largest = max((sum(1 for _ in folder.iterdir()) for folder in [content, *content.rglob("*")] if folder.is_dir()), default=0)
    needed = ((limits.CONTENT_BYTES, "content-bytes", total), (limits.FOLDER_FILES, "folder-files", largest))
    return [part for limit, name, value in needed if value > limit.default
            for part in ("--limit", f"{name}={limits.example(limit, value)}")]


def explainer_slots(site: Path, checkout: Path, no_search: bool, label: str = "explainer") -> list[Slot]:
    """Return explainer's slots: cold build then no-change rebuild; and, if supported, a cold build without search."""
    keep, xdg = manifest(site), site.parent / f"{site.name}-xdg-cache"
    env = {"XDG_CACHE_HOME": str(xdg)}
    build = [PYTHON, str(checkout / "build.py")]
    raised = site_limits(site / "content") if label != "flagship" and supports_limit(checkout) else []
    command = build if label == "flagship" else [*build, "build", "--content", "content", "--out", "site", "--strict", "-q", *raised]
    cold = functools.partial(reset, site, keep, (xdg, site / ".explainer-cache"))  # the build cache (explainer/store.py) too
    slots = [Slot(label, (Step(f"{label} (everything)", command, site, cold, env),
                          Step(f"{label} no-change rebuild", command, site, lambda: None, env)), site / "site")]
    if no_search and label == "explainer":
        slots.append(Slot("explainer-no-search", (Step("explainer without search", [*command, "--no-search"], site, cold, env),),
                          site / "site"))
    return slots


def peer_slots(sites: Path, only: set[str]) -> list[Slot]:
    """Return the peers' slots for the sites written under `sites`."""
    bin_ = peers.VENV / "bin"
    hugo, eleventy, floor = sites / "hugo", sites / "eleventy", sites / "floor"
    hugo_cache = sites / "hugo-cache"
    table = {
        "hugo": Slot("hugo", (Step("Hugo", [str(peers.hugo_binary()), "--quiet"], hugo,
                                   wiper(hugo / "public", hugo / "resources", hugo / ".hugo_build.lock", hugo_cache),
                                   {"HUGO_CACHEDIR": str(hugo_cache)}),), hugo / "public"),
        "eleventy": Slot("eleventy", (
            Step("Eleventy", [str(peers.ELEVENTY / "node_modules" / ".bin" / "eleventy"), "--quiet"], eleventy, wiper(eleventy / "_site"), {}),
            Step("Pagefind CLI over Eleventy's output", [str(peers.pagefind_binary()), "--site", "_site"], eleventy, lambda: None, {}),
        ), eleventy / "_site"),
        "mkdocs": Slot("mkdocs", (Step("MkDocs", [str(bin_ / "mkdocs"), "build", "-q"], sites / "mkdocs", wiper(sites / "mkdocs" / "site"), {}),),
                       sites / "mkdocs" / "site"),
        "pelican": Slot("pelican", (Step("Pelican", [str(bin_ / "pelican"), "content", "-o", "output", "-s", "pelicanconf.py", "-q"],
                                         sites / "pelican", wiper(sites / "pelican" / "output", sites / "pelican" / "__pycache__"), {}),),
                        sites / "pelican" / "output"),
        "floor": Slot("floor", (Step("Python floor, 2 processes", [PYTHON, str(HERE / "floor.py"), "src", "page.html", "_site", "--workers", "2"],
                                     floor, wiper(floor / "_site"), {}),), floor / "_site"),
    }
    return [slot for name, slot in table.items() if name in only]


# -- running ---------------------------------------------------------------------------------------


def run_step(step: Step, logs: Path) -> Run:
    """Wipe what the step needs wiped, then time it in a fresh measure.py process; stop the benchmark if it fails."""
    step.wipe()
    logs.mkdir(exist_ok=True)
    log = logs / (re.sub(r"[^a-z0-9]+", "-", step.row.lower()).strip("-") + ".log")
    wrapper = [PYTHON, str(HERE / "measure.py"), "--cwd", str(step.cwd), "--log", str(log),
               *(f"--env={k}={v}" for k, v in step.env.items()), "--", *step.command]
    load = os.getloadavg()[0]  # the machine may be shared: the 1-minute load average just before, kept with the run
    with subprocess.Popen(wrapper, stdout=subprocess.PIPE, text=True) as process:
        try:
            stdout, _ = process.communicate(timeout=TIMEOUT)
        except BaseException:  # interrupted or too slow: measure.py stops the build's tree when terminated
            process.terminate()
            process.wait()
            raise
    if process.returncode != 0:
        sys.exit(f"measure.py failed (exit {process.returncode}) for {step.row}")
    result = json.loads(stdout)
    result["load"] = load
    if result["returncode"] != 0:
        tail = log.read_text(encoding="utf-8", errors="replace")[-3000:]
        sys.exit(f"{step.row} failed (exit {result['returncode']}) in {step.cwd}:\n{tail}")
    return dict(result)


def count_pages(folder: Path) -> int:
    """Count the HTML files a build wrote."""
    return sum(1 for _ in folder.rglob("*.html")) if folder.is_dir() else 0


def run_rounds(slots: list[Slot], rounds: int, warmup: int, logs: Path, label: str) -> tuple[dict[str, list[Run]], list[list[str]]]:
    """Run warm-up then measured rounds, each slot once per round, rotated; return each row's runs and each round's order."""
    runs: dict[str, list[Run]] = {step.row: [] for slot in slots for step in slot.steps}
    orders: list[list[str]] = []
    for number in range(-warmup, rounds):
        shift = number % len(slots)
        order = slots[shift:] + slots[:shift]
        if number >= 0:
            orders.append([slot.name for slot in order])
        for slot in order:
            for step in slot.steps:
                result = run_step(step, logs)
                if number >= 0:
                    runs[step.row].append(result)
                print(f"  {label} {'warm-up' if number < 0 else f'round {number + 1}'}: {step.row:<38} {result['seconds']:8.3f} s  "
                      f"{result['tree_kib'] / 1024:7.1f} MiB", flush=True)
            if number == -warmup:  # the first round, measured or not: check that each tool wrote the whole site
                print(f"  {label}: {slot.name} wrote {count_pages(slot.output)} HTML files", flush=True)
    return runs, orders


def leftovers(site: Path, keep: set[Path]) -> list[str]:
    """Return what a build left in the site folder besides its output: where a persistent cache would be."""
    found = sorted(str(p) for p in manifest(site) - keep if p.parts[0] != "site")
    xdg = site.parent / f"{site.name}-xdg-cache"
    found += [str(p.relative_to(site.parent)) for p in xdg.rglob("*")] if xdg.is_dir() else []
    return found[:20]


# -- the sites -------------------------------------------------------------------------------------


def prepare_generated(pages: int, only: set[str]) -> Path:
    """Write the N-page site for every tool measured under .work/coldbuild/n<N>/; return that folder."""
    folder = WORK / f"n{pages}"
    remove(folder)
    tools = tuple(t for t in sitegen.TOOLS if t in only)
    started = time.perf_counter()
    sitegen.generate(folder, pages, tools)
    print(f"wrote the {pages:,}-page site for {', '.join(tools)} in {time.perf_counter() - started:.1f} s", flush=True)
    return folder


def prepare_flagship(checkout: Path) -> Path:
    """Copy content/ to .work/coldbuild/flagship/explainer/ with the archives where its sources say; return that folder."""
    folder = WORK / "flagship"
    remove(folder)
    site = folder / "explainer"
    shutil.copytree(checkout / "content", site / "content")
    shared = checkout.parent / "shared"
    if shared.is_dir():  # archive: ../shared/articles/… from the folder holding content/
        (folder / "shared").symlink_to(shared)
    return site


def machine() -> dict[str, str]:
    """Describe the machine and interpreter."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")), "?")
    memory = next((line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")), "0")
    debian = Path("/etc/debian_version").read_text().strip() if Path("/etc/debian_version").exists() else "?"
    return {"cpu": cpu, "cores": str(os.cpu_count()), "memory": f"{int(memory) // 1024 ** 2} GiB", "os": f"Debian {debian}",
            "python": platform.python_version()}


def explainer_version(checkout: Path) -> str:
    """Return explainer's version and commit."""
    version = subprocess.run([PYTHON, str(checkout / "build.py"), "--version"], capture_output=True, text=True).stdout.split()[-1:]
    commit = subprocess.run(["git", "-C", str(checkout), "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    return f"{' '.join(version)} ({commit})"


def per_size(given: str, sizes: list[int]) -> list[int] | None:
    """A count for each site size from '5' (every size) or '5,5,3' (one each); None when they do not pair up."""
    counts = [int(n) for n in given.split(",")]
    counts = counts * len(sizes) if len(counts) == 1 else counts
    return counts if len(counts) == len(sizes) else None


def main() -> None:
    """Parse arguments, set up the peers, measure, print the tables and write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", default="100,1000,10000", help="comma-separated site sizes (default 100,1000,10000)")
    parser.add_argument("--rounds", default="5", help="measured rounds per size, one number or one per --pages entry (default 5)")
    parser.add_argument("--warmup", default="1", help="untimed rounds first, one number or one per --pages entry (default 1)")
    parser.add_argument("--report", type=Path, metavar="JSON", help="print the tables and targets of an earlier run's results and stop")
    parser.add_argument("--checkout", type=Path, default=ROOT, help="the explainer checkout whose build.py is measured (default: this one)")
    parser.add_argument("--only", default=",".join(TOOLS), help=f"comma-separated, of {', '.join(TOOLS)} (default all)")
    args = parser.parse_args()
    if args.report:
        print(report.full(json.loads(args.report.read_text(encoding="utf-8"))))
        return
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(128 + number))  # so the build under way is stopped too
    only = set(args.only.split(","))
    sizes = [int(n.replace("_", "")) for n in args.pages.split(",") if n]
    rounds, warmups = per_size(args.rounds, sizes), per_size(args.warmup, sizes)
    if rounds is None or warmups is None:
        parser.error("--rounds and --warmup take one number, or one per --pages entry")

    if only & {"hugo", "mkdocs", "pelican", "eleventy"}:
        peers.ensure_python_peers()
    if "eleventy" in only:
        peers.ensure_eleventy()
    checkout = args.checkout.resolve()
    no_search = supports_no_search(checkout)
    compiled = compile_bytecode(checkout)
    results: dict[str, object] = {
        "date": time.strftime("%Y-%m-%d"), "machine": machine(), "warmup": dict(zip(map(str, sizes), warmups, strict=True)),
        "versions": {"explainer": explainer_version(checkout), **peers.versions()},
        "probes": {"no_search": no_search, "bytecode": compiled}, "sites": {},
    }
    print(report.header(results), flush=True)
    WORK.mkdir(parents=True, exist_ok=True)
    out = WORK / f"results-{time.strftime('%Y%m%d-%H%M%S')}.json"  # one per run; results.json is the latest
    sites: dict[str, dict[str, object]] = {}
    for pages, count, warmup in zip(sizes, rounds, warmups, strict=True):
        folder = prepare_generated(pages, only)
        explainer_site = folder / "explainer"
        keep = manifest(explainer_site)
        slots = (explainer_slots(explainer_site, checkout, no_search) if "explainer" in only else []) + peer_slots(folder, only)
        runs, orders = run_rounds(slots, count, warmup, folder / "logs", f"{pages:,}")
        sites[str(pages)] = {"pages": pages, "runs": runs, "orders": orders,
                             "explainer_leftovers": leftovers(explainer_site, keep) if "explainer" in only else []}
        results["sites"] = sites
        out.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")  # kept if a later size is stopped
        print("\n" + report.table(sites[str(pages)]) + "\n", flush=True)
    if "flagship" in only:
        site = prepare_flagship(checkout)
        keep = manifest(site)
        slots = explainer_slots(site, checkout, False, "flagship")
        runs, orders = run_rounds(slots, max(rounds, default=5), max(warmups, default=1), site.parent / "logs", "flagship")
        results["flagship"] = {"runs": runs, "leftovers": leftovers(site, keep)}
    out.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    shutil.copyfile(out, WORK / "results.json")
    print("\n" + report.full(results))
    print(f"\nraw results: {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
