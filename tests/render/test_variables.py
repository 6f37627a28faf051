"""What templates receive: declared once (render/variables.py), documented from there, and checked against use."""

from __future__ import annotations

import re
import typing

from conftest import ROOT
from explainer.render import variables


def test_readme_template_tables_match_the_declarations() -> None:
    readme = (ROOT / "docs" / "themes.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- templates:start -->\n(.*?)\n<!-- templates:end -->", readme, re.DOTALL)
    assert block, "docs/themes.md lost its templates markers"
    assert block.group(1).strip() == variables.markdown_tables().strip(), "run: python scripts/refresh_docs.py"


def test_every_declared_value_is_described() -> None:
    for kind in (variables.Common, *variables.TEMPLATES):
        described = {name for name, _ in variables.field_docs(kind)}
        assert described == set(typing.get_type_hints(kind)), kind.__name__


def test_each_template_of_the_default_theme_is_declared() -> None:
    declared = {(kind.__doc__ or "").split()[0] for kind in variables.TEMPLATES}
    pages = {path.name for path in (ROOT / "templates").glob("*.html")
             if "{% extends" in path.read_text(encoding="utf-8")}
    assert pages == declared
