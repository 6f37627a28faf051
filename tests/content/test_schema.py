"""The declared content contract: conversions, and the tables of docs/content.md kept in step."""

from __future__ import annotations

import datetime as dt
import re

from conftest import ROOT
from explainer.content import schema
from explainer.model import PartialDate


def test_readme_field_tables_match_the_schema() -> None:
    readme = (ROOT / "docs" / "content.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- fields:start -->\n(.*?)\n<!-- fields:end -->", readme, re.DOTALL)
    assert block, "docs/content.md lost its fields markers"
    assert block.group(1).strip() == schema.markdown_tables().strip(), "run: python scripts/refresh_docs.py"


def test_every_field_is_documented() -> None:
    for kind in schema.SCHEMAS.values():
        for field in kind.fields:
            assert field.doc.strip().endswith((".", ")")), f"{kind.name}.{field.name} needs a sentence"
            assert field.type in schema.TYPES


def test_dates_full_and_partial() -> None:
    assert schema.convert(dt.date(2023, 12, 5), "date") == (PartialDate(2023, 12, 5), "")
    assert schema.convert("2023-12", "date") == (PartialDate(2023, 12), "")
    assert schema.convert(2023, "date") == (PartialDate(2023), "")
    assert schema.convert("2023-02-30", "date")[1] == "is not a real date: '2023-02-30'"
    assert schema.convert("Dec 2023", "date")[1].startswith("must be a date")


def test_partial_dates_order_and_iso() -> None:
    assert sorted([PartialDate(2023, 12, 5), PartialDate(2023), PartialDate(2023, 7)]) == [
        PartialDate(2023), PartialDate(2023, 7), PartialDate(2023, 12, 5)]
    assert PartialDate(2023, 7).iso() == "2023-07" and PartialDate(2023, 7).precision == "month"


def test_lists_accept_a_single_item() -> None:
    assert schema.convert("a#b", "refs") == (("a#b",), "")
    assert schema.convert(["x", 3], "texts") == (("x", "3"), "")
    assert schema.convert([True], "texts")[1].startswith("must be a list of strings")
