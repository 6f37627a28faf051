"""Run one command and report its wall time and peak memory as one line of JSON on stdout.

Usage: python benchmarks/measure.py --cwd DIR --log FILE -- COMMAND [ARG ...]

A fresh process per measured run, because RUSAGE_CHILDREN's maxrss is the largest of every child a
process ever waited for. Reported:
- seconds: wall time from starting the command to its exit (time.perf_counter; this wrapper's own
  start-up is not in it, the command's interpreter start-up is);
- peak_kib: the largest resident set of any single process of the command's tree (getrusage, exact;
  it counts descendants the command waited for);
- tree_kib: the largest sum of the resident sets of all the tree's live processes, sampled every 20 ms
  from /proc (at least peak_kib); forked workers' shared pages count once per process;
- cpu_seconds: user + system CPU time of the tree (getrusage; less disturbed than wall time by other
  work on a shared machine, though not immune);
- returncode.

The command runs in a session of its own; when this wrapper is interrupted (Ctrl-C, SIGTERM) it stops
the whole tree with it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024
SAMPLE_SECONDS = 0.020


def children(pid: int) -> list[int]:
    """Return the ids of a process's children (all its threads' children)."""
    found: list[int] = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found += [int(child) for child in handle.read().split()]
    except OSError:  # the process ended while we looked
        pass
    return found


def tree_rss_kib(root: int) -> int:
    """Return the summed resident set (KiB) of a process and all its descendants."""
    total, pending = 0, [root]
    while pending:
        pid = pending.pop()
        try:
            with open(f"/proc/{pid}/statm") as handle:
                total += int(handle.read().split()[1]) * PAGE_KIB
        except (OSError, IndexError, ValueError):
            continue
        pending += children(pid)
    return total


def sample_tree(pid: int, done: threading.Event, peak: list[int]) -> None:
    """Keep the largest tree RSS in peak[0] until done is set."""
    while not done.wait(SAMPLE_SECONDS):
        peak[0] = max(peak[0], tree_rss_kib(pid))


def measure(command: list[str], cwd: Path, log: Path, env: dict[str, str]) -> dict[str, float | int]:
    """Run the command once; return its seconds, peak_kib, tree_kib and returncode."""
    with log.open("wb") as output:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=output, stderr=subprocess.STDOUT, env={**os.environ, **env},
                                   start_new_session=True)
        done, peak = threading.Event(), [0]
        sampler = threading.Thread(target=sample_tree, args=(process.pid, done, peak), daemon=True)
        sampler.start()
        try:
            returncode = process.wait()
        except BaseException:  # interrupted: take the build's whole tree down too
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise
        seconds = time.perf_counter() - started
        done.set()
        sampler.join()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    largest = usage.ru_maxrss  # KiB on Linux
    return {"seconds": seconds, "cpu_seconds": usage.ru_utime + usage.ru_stime, "peak_kib": largest, "tree_kib": max(peak[0], largest),
            "returncode": returncode}


def main() -> None:
    """Parse arguments, run the command, print the JSON line."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cwd", type=Path, required=True)
    parser.add_argument("--log", type=Path, required=True, help="where the command's output goes")
    parser.add_argument("--env", action="append", default=[], metavar="NAME=VALUE", help="extra environment variables")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(128 + number))
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    env = dict(item.split("=", 1) for item in args.env)
    print(json.dumps(measure(command, args.cwd, args.log, env)))


if __name__ == "__main__":
    main()
