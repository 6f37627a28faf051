"""Golden output of the English example site: compare, or refresh with `python tests/golden.py`.

The expected files live in tests/golden/english/. After an intended change to the
output, refresh them with the command above and review the diff like code.
Theme assets (copied verbatim) are left out, and so are Pagefind's files in pagefind/ (its
program files are copied verbatim, its index is binary: tests/test_search.py checks it);
pagefind/keys.json, our own table for turning queries into keys, is kept.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "english"
GOLDEN = Path(__file__).resolve().parent / "golden" / "english"


def build_example(out: Path) -> dict[str, bytes]:
    """Build the English example into `out`; return its files except theme assets."""
    sys.path.insert(0, str(ROOT))
    from explainer.model import Options
    from explainer.pipeline import build

    build(Options(content_dir=EXAMPLE / "content", out_dir=out, strict=True))
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and compared(p.relative_to(out).as_posix())}


def compared(name: str) -> bool:
    """True for the files the golden copy holds."""
    return not name.startswith(("assets/", "pagefind/")) or name == "pagefind/keys.json"


def refresh() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        files = build_example(Path(tmp) / "site")
    shutil.rmtree(GOLDEN, ignore_errors=True)
    for name, content in files.items():
        target = GOLDEN / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    print(f"refreshed {len(files)} files in {GOLDEN.relative_to(ROOT)}")


if __name__ == "__main__":
    refresh()
