"""Compare two output folders file by file (SHA-256 of every file): exit 1 on any difference."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path


def hash_tree(root: Path) -> dict[str, str]:
    """Map every file's path under root to the SHA-256 of its bytes."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def main(argv: list[str]) -> int:
    """Print the files that differ between two folders; 0 when they are byte-identical."""
    if len(argv) != 2:
        print("usage: treediff.py DIR_A DIR_B", file=sys.stderr)
        return 2
    left, right = (hash_tree(Path(arg)) for arg in argv)
    only_left = sorted(left.keys() - right.keys())
    only_right = sorted(right.keys() - left.keys())
    changed = sorted(name for name in left.keys() & right.keys() if left[name] != right[name])
    for label, names in (("only in A", only_left), ("only in B", only_right), ("differs", changed)):
        for name in names:
            print(f"{label}: {name}")
    print(f"{len(left)} files in A, {len(right)} in B, {len(changed)} differ")
    return 1 if only_left or only_right or changed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
