"""The theme's Jinja environment reads a template's values as Jinja does, and refuses Markdown read any other way."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import jinja2
import pytest

from explainer.model import Loc, Markdown
from explainer.render.theme import ThemeEnvironment
from explainer.text import markdown


def rendered(env_class: type[jinja2.Environment], source: str, **values: Any) -> str:
    """What a template gives, or the error it raises, as text."""
    env = env_class(undefined=jinja2.StrictUndefined, autoescape=True)
    try:
        return env.from_string(source).render(**values)
    except jinja2.TemplateError as exc:
        return f"{type(exc).__name__}: {exc}"


ITEM = {"title": "A", "path": "a/", "items": "a key named like a method", "children": []}


@pytest.mark.parametrize(("source", "values"), [
    ("{{ item.title }} {{ item.path }} {{ item.children | length }}", {"item": ITEM}),
    ("{% for k, v in item.items() %}{{ k }}={{ v }};{% endfor %}", {"item": ITEM}),  # the method, not the key
    ("{{ item.get('title') }} {{ item.keys() | list | length }}", {"item": ITEM}),
    ("{{ item.missing }}", {"item": ITEM}),
    ("{{ item.missing is defined }} {{ item.title is defined }}", {"item": ITEM}),
    ("{{ item.title }} {{ item.move_to_end is defined }}", {"item": OrderedDict(title="B")}),
    ("{{ item.__class__.__name__ }} {{ item['title'] }}", {"item": ITEM}),
    ("{{ item.1 }}", {"item": {1: "one"}}),
])
def test_dicts_are_read_as_jinja_reads_them(source: str, values: dict[str, Any]) -> None:
    assert rendered(ThemeEnvironment, source, **values) == rendered(jinja2.Environment, source, **values)


def test_markdown_is_refused_unless_read_through_md() -> None:
    doc: Markdown = markdown.parse("*x*", Loc("page.md", 1))
    assert "read through md() or plain()" in rendered(ThemeEnvironment, "{{ doc.text }}", doc=doc)
    assert "read through md() or plain()" in rendered(ThemeEnvironment, "{{ doc['text'] }}", doc=doc)
    assert "read through md() or plain()" in rendered(ThemeEnvironment, "{{ page.body.text }}", page={"body": doc})
