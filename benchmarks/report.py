"""Turn coldbuild.py's raw runs into Markdown: a table per site size, the flagship, and the issue's targets."""

from __future__ import annotations

import statistics
from typing import Any

EVERYTHING = "explainer (everything)"
NO_SEARCH = "explainer without search"
REBUILD = "explainer no-change rebuild"
ELEVENTY = "Eleventy"
PAGEFIND = "Pagefind CLI over Eleventy's output"
COMBINED = "Eleventy + Pagefind CLI"
HUGO = "Hugo"
FLOOR = "Python floor, 2 processes"
ROWS = (EVERYTHING, NO_SEARCH, REBUILD, HUGO, ELEVENTY, PAGEFIND, COMBINED, "MkDocs", "Pelican", FLOOR)
WHY_MISSING = {
    NO_SEARCH: "`build --help` lists no --no-search",
    COMBINED: "Eleventy not measured",
}

Runs = list[dict[str, float]]  # one dict per round: seconds, cpu_seconds, peak_kib, tree_kib, load


def combined(runs: dict[str, Runs]) -> Runs:
    """Return Eleventy + Pagefind per round: the two times added, the larger memory."""
    return [{"seconds": a["seconds"] + b["seconds"], "cpu_seconds": a.get("cpu_seconds", 0) + b.get("cpu_seconds", 0),
             "peak_kib": max(a["peak_kib"], b["peak_kib"]),
             "tree_kib": max(a["tree_kib"], b["tree_kib"])} for a, b in zip(runs.get(ELEVENTY, []), runs.get(PAGEFIND, []), strict=False)]


def all_runs(site: dict[str, Any]) -> dict[str, Runs]:
    """Return the site's runs by row, with the combined Eleventy + Pagefind row added."""
    runs: dict[str, Runs] = dict(site["runs"])
    if runs.get(ELEVENTY) and runs.get(PAGEFIND):
        runs[COMBINED] = combined(runs)
    return runs


def median(runs: Runs) -> float:
    """Return the median wall time."""
    return statistics.median(r["seconds"] for r in runs)


def mib(kib: float) -> str:
    """Format KiB as MiB."""
    return f"{kib / 1024:.0f}"


def cpu(runs: Runs) -> str:
    """Return the median CPU time (user + system, whole tree), or n/a for runs recorded without it."""
    found = [r["cpu_seconds"] for r in runs if "cpu_seconds" in r]
    return f"{statistics.median(found):.2f}" if found else "n/a"


def row(name: str, runs: Runs, pages: int, reference: float | None) -> str:
    """Return one table row: median, spread, CPU time, pages/s, ratio to explainer, peak memory (max over rounds)."""
    if not runs:
        return f"| {name} | n/a ({WHY_MISSING.get(name, 'not measured: not in --only')}) | | | | | |"
    middle = median(runs)
    low, high = min(r["seconds"] for r in runs), max(r["seconds"] for r in runs)
    ratio = f"{middle / reference:.2f}×" if reference else "n/a"
    memory = f"{mib(max(r['peak_kib'] for r in runs))} / {mib(max(r['tree_kib'] for r in runs))}"
    return f"| {name} | {middle:.3f} s | {low:.3f}–{high:.3f} | {cpu(runs)} | {pages / middle:,.0f} | {ratio} | {memory} |"


def table(site: dict[str, Any]) -> str:
    """Return the Markdown table of one site size."""
    runs, pages = all_runs(site), site["pages"]
    reference = median(runs[EVERYTHING]) if runs.get(EVERYTHING) else None
    loads = [r["load"] for rows in site["runs"].values() for r in rows if "load" in r]
    busy = f"; 1-minute load average before each build {min(loads):.1f}–{max(loads):.1f} (2 cores)" if loads else ""
    rounds = len(next(iter(site["runs"].values()), []))
    lines = [f"N = {pages:,} pages ({rounds} round{'s' if rounds != 1 else ''}{busy})", "",
             "| tool | median | min–max (s) | CPU s | pages/s | time ÷ explainer's | peak RSS MiB (largest process / all processes) |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    lines += [row(name, runs.get(name, []), pages, reference) for name in ROWS]
    return "\n".join(lines)


def judged(label: str, ours: float | None, limit: float | None, limit_text: str, missing: str = "") -> str:
    """Return one target line: met or not met with both figures, or n/a and why."""
    if ours is None or limit is None:
        why = missing or f"{'explainer' if ours is None else limit_text} not measured"
        return f"- {label}: n/a ({why})"
    verdict = "met" if ours <= limit else "not met"
    return f"- {label}: {ours:.3f} s against {limit:.3f} s ({limit_text}): **{verdict}** ({ours / limit:.2f}× the limit)"


def seconds_of(sites: dict[str, Any], pages: int, name: str) -> float | None:
    """Return a row's median at a site size, or None when it was not measured."""
    site = sites.get(str(pages))
    runs = all_runs(site).get(name, []) if site else []
    return median(runs) if runs else None


def targets_1000(sites: dict[str, Any]) -> list[str]:
    """Return the targets at N = 1,000."""
    def at(name: str) -> float | None:
        return seconds_of(sites, 1000, name)

    missing = "" if "1000" in sites else "N = 1,000 not measured"
    no_search = missing or ("" if at(NO_SEARCH) is not None else WHY_MISSING[NO_SEARCH])
    floor = at(FLOOR)
    return [judged("N = 1,000, everything ≤ Eleventy + Pagefind CLI", at(EVERYTHING), at(COMBINED), "Eleventy + Pagefind CLI", missing),
            judged("N = 1,000, without search ≤ Eleventy", at(NO_SEARCH), at(ELEVENTY), "Eleventy", no_search),
            judged("N = 1,000, without search ≤ 1.3 × the 2-process floor", at(NO_SEARCH), 1.3 * floor if floor else None, "1.3 × floor",
                   no_search),
            judged("N = 1,000, no-change rebuild ≤ Hugo's cold build", at(REBUILD), at(HUGO), "Hugo", missing)]


def targets_10000(sites: dict[str, Any]) -> list[str]:
    """Return the targets at N = 10,000: memory, and time against N = 1,000."""
    big = sites.get("10000")
    if not big or not big["runs"].get(EVERYTHING):
        return ["- N = 10,000, peak memory < 400 MiB: n/a (N = 10,000 not measured)",
                "- N = 10,000, time ≤ 11 × N = 1,000: n/a (N = 10,000 not measured)"]
    peak = max(r["tree_kib"] for r in big["runs"][EVERYTHING]) / 1024
    largest = max(r["peak_kib"] for r in big["runs"][EVERYTHING]) / 1024
    verdict = "met" if peak < 400 else "not met"
    one = seconds_of(sites, 1000, EVERYTHING)
    cpu_one, cpu_ten = cpu(sites["1000"]["runs"].get(EVERYTHING, [])) if "1000" in sites else "n/a", cpu(big["runs"][EVERYTHING])
    by_cpu = (f"; by CPU time, less disturbed by other work when the two sizes ran at different loads: {cpu_ten} s against "
              f"11 × {cpu_one} s = {11 * float(cpu_one):.2f} s ({float(cpu_ten) / (11 * float(cpu_one)):.2f}× the limit)"
              if "n/a" not in (cpu_one, cpu_ten) else "")
    return [f"- N = 10,000, peak memory < 400 MiB: {peak:,.0f} MiB, all processes of the build at their highest "
            f"(largest single process {largest:,.0f} MiB): **{verdict}** ({peak / 400:.1f}× the limit)",
            judged("N = 10,000, time ≤ 11 × N = 1,000", seconds_of(sites, 10000, EVERYTHING), 11 * one if one else None,
                   "11 × N = 1,000", "" if one else "N = 1,000 not measured in the same run") + by_cpu]


def targets(results: dict[str, Any]) -> str:
    """Return the issue's targets, each met or not, with the figures."""
    sites = results.get("sites", {})
    flagship = results.get("flagship", {}).get("runs", {})
    cold, again = flagship.get("flagship (everything)"), flagship.get("flagship no-change rebuild")
    missing = "" if flagship else "the flagship not in --only"
    return "\n".join(["Targets (issue 14), judged on medians of this run:", "", *targets_1000(sites), *targets_10000(sites),
                      judged("flagship, cold `python build.py` ≤ 0.5 s", median(cold) if cold else None, 0.5, "0.5 s", missing),
                      judged("flagship, no-change rebuild ≤ 0.3 s", median(again) if again else None, 0.3, "0.3 s", missing)])


def flagship_table(results: dict[str, Any]) -> str:
    """Return the flagship's table (explainer only: content/ of this repository)."""
    flagship = results.get("flagship")
    if not flagship:
        return "Flagship: n/a (not in --only)"
    loads = [r["load"] for rows in flagship["runs"].values() for r in rows if "load" in r]
    busy = f"; 1-minute load average before each build {min(loads):.1f}–{max(loads):.1f}" if loads else ""
    lines = [f"Flagship (`content/`, cold `python build.py`, interpreter start and search index included{busy})", "",
             "| run | median | min–max (s) | CPU s | peak RSS MiB (largest process / all processes) |", "|---|---:|---:|---:|---:|"]
    for name, runs in flagship["runs"].items():
        lines.append(f"| {name} | {median(runs):.3f} s | {min(r['seconds'] for r in runs):.3f}–{max(r['seconds'] for r in runs):.3f} | {cpu(runs)} | "
                     f"{mib(max(r['peak_kib'] for r in runs))} / {mib(max(r['tree_kib'] for r in runs))} |")
    return "\n".join(lines)


def header(results: dict[str, Any]) -> str:
    """Return the machine, versions and probes."""
    m = results["machine"]
    versions = ", ".join(f"{k} {v}" for k, v in results["versions"].items())
    probes = "supported" if results["probes"]["no_search"] else "not supported (explainer always builds the search index)"
    compiled = results["probes"].get("bytecode")  # not in the results of runs before it was probed
    bytecode = f"\nexplainer's bytecode: written for its {compiled} modules before the builds" if compiled else ""
    return (f"machine: {m['cpu']}, {m['cores']} cores, {m['memory']}, {m['os']}, Python {m['python']}; {results['date']}\n"
            f"versions: {versions}\n--no-search: {probes}{bytecode}\n")


def leftovers(results: dict[str, Any]) -> str:
    """Say where explainer left files outside its output folder (a persistent cache), per site."""
    lines = []
    for key, site in results.get("sites", {}).items():
        found = site.get("explainer_leftovers") or []
        lines.append(f"- N = {int(key):,}: " + (", ".join(found) if found else "none (no persistent cache outside the output folder)"))
    flagship = results.get("flagship")
    if flagship:
        lines.append("- flagship: " + (", ".join(flagship["leftovers"]) or "none (no persistent cache outside the output folder)"))
    return "Files explainer left beside its output (where a persistent cache would be):\n" + "\n".join(lines)


def full(results: dict[str, Any]) -> str:
    """Return everything: header, tables, flagship, targets, leftovers."""
    parts = [header(results)] + [table(site) for site in results.get("sites", {}).values()]
    parts += [flagship_table(results), targets(results), leftovers(results)]
    return "\n\n".join(parts)
