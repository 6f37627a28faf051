"""Refresh the generated parts of the docs: the content field tables, the limits, the template variables, the particles.

Usage: python scripts/refresh_docs.py     (then review the diff like code)
Each generated part sits between `<!-- NAME:start -->` and `<!-- NAME:end -->` markers.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from explainer import limits  # noqa: E402
from explainer.content import schema  # noqa: E402
from explainer.render import variables  # noqa: E402
from explainer.text import korean  # noqa: E402

GENERATED: dict[str, Callable[[], str]] = {"fields": schema.markdown_tables, "templates": variables.markdown_tables,
                                           "particles": korean.particle_table, "limits": limits.markdown_table}


def block(text: str, name: str) -> re.Match[str] | None:
    """The generated part called `name` in a document, or None."""
    return re.search(rf"<!-- {name}:start -->\n(.*?)\n<!-- {name}:end -->", text, re.DOTALL)


def refresh(path: Path) -> list[str]:
    """Rewrite every generated part of one document; return the names refreshed."""
    text = path.read_text(encoding="utf-8")
    done = []
    for name, make in GENERATED.items():
        found = block(text, name)
        if found:
            text = text[:found.start(1)] + make().strip() + text[found.end(1):]
            done.append(name)
    path.write_text(text, encoding="utf-8")
    return done


if __name__ == "__main__":
    for document in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        if document.is_file():
            names = refresh(document)
            if names:
                print(f"{document.relative_to(ROOT)}: {', '.join(names)}")
