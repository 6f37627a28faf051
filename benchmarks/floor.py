"""The Python floor: the least a Python site generator must do, split across worker processes.

Usage: python benchmarks/floor.py SRC_DIR TEMPLATE OUT_DIR [--workers 2]

For each SRC_DIR/<name>.md: read it, parse its YAML front matter, render the Markdown with
markdown-it-py (CommonMark with tables and strikethrough, as explainer configures it), put it into one
Jinja template and write OUT_DIR/<name>/index.html (index.md -> OUT_DIR/index.html). Nothing else:
no checks, no links, no search. The files are dealt out to the workers in chunks.
"""

from __future__ import annotations

import argparse
import multiprocessing
from dataclasses import dataclass
from pathlib import Path

import jinja2
import yaml
from markdown_it import MarkdownIt
from markupsafe import Markup


@dataclass(frozen=True, slots=True)
class Worker:
    """What a worker process makes once and uses for every page."""

    md: MarkdownIt
    template: jinja2.Template
    out: Path


_worker: list[Worker] = []  # the one Worker of this process, set by start_worker (Pool passes no state to tasks)


def start_worker(template: str, out: str) -> None:
    """Make this worker's Markdown parser and Jinja template."""
    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    _worker.append(Worker(md, jinja2.Environment(autoescape=True).from_string(Path(template).read_text(encoding="utf-8")), Path(out)))


def split_front_matter(text: str) -> tuple[dict[str, object], str]:
    """Return the YAML front matter and the Markdown after it."""
    if not text.startswith("---\n"):
        return {}, text
    end = text.index("\n---\n", 3)
    return yaml.safe_load(text[4:end]) or {}, text[end + 5:]


def build_file(source: str) -> int:
    """Read, parse, render and write one page; return the bytes written."""
    worker = _worker[0]
    path = Path(source)
    meta, body = split_front_matter(path.read_text(encoding="utf-8"))
    page = worker.template.render(title=meta.get("title", ""), content=Markup(worker.md.render(body)))
    out = worker.out
    target = out / "index.html" if path.stem == "index" else out / path.stem / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    data = page.encode("utf-8")
    target.write_bytes(data)
    return len(data)


def build(src: Path, template: Path, out: Path, workers: int) -> int:
    """Build every Markdown file of src into out with `workers` processes; return the number of pages."""
    files = sorted(str(p) for p in src.glob("*.md"))
    out.mkdir(parents=True, exist_ok=True)
    with multiprocessing.Pool(workers, start_worker, (str(template), str(out))) as pool:
        sizes = pool.map(build_file, files, chunksize=max(1, len(files) // (workers * 8)))
    return len(sizes)


def main() -> None:
    """Parse arguments and build."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("src", type=Path)
    parser.add_argument("template", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    build(args.src, args.template, args.out, args.workers)


if __name__ == "__main__":
    main()
