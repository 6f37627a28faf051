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


def test_a_theme_is_compiled_for_the_check_once_while_its_files_are_the_same(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from explainer.cache import Cache
    from explainer.model import Options
    from explainer.render import theme as themes

    (tmp_path / "content").mkdir()
    own = tmp_path / "templates"
    own.mkdir()
    (own / "footer.html").write_text("<footer>{{ config.title }}</footer>\n", encoding="utf-8")
    theme = themes.Theme.for_site(Options(tmp_path / "content"))
    compiled: list[themes.Theme] = []
    compile_templates = themes.compile_templates

    def counted(theme: themes.Theme, env: Any = None) -> list[Any]:
        compiled.append(theme)
        return compile_templates(theme, env)

    monkeypatch.setattr(themes, "compile_templates", counted)
    cache = Cache()
    assert themes.check_templates(theme, cache) == [] and themes.check_templates(theme, cache) == [] and len(compiled) == 1
    (own / "footer.html").write_text("<footer>{{ config.title </footer>\n", encoding="utf-8")  # any edit is seen
    problems = themes.check_templates(theme, cache)
    assert len(compiled) == 2 and [p.message.startswith("template syntax error") for p in problems] == [True]
    assert themes.check_templates(theme, cache) == problems and len(compiled) == 2  # and reported again, from the cache
    (own / "footer.html").unlink()
    (own / "footer.html").mkdir()  # a template that cannot be read: the check says so, whatever it found before
    assert "cannot read this template" in themes.check_templates(theme, cache)[0].message and len(compiled) == 3


def test_a_build_with_a_cache_compiles_each_template_once_for_the_check_and_the_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    from conftest import ROOT
    from explainer.cache import Cache
    from explainer.model import Options
    from explainer.pipeline import make

    parsed: list[str | None] = []  # parsing is most of compiling: the check parsed each template, then rendering again
    parse = jinja2.Environment._parse

    def counted(self: jinja2.Environment, source: str, name: str | None, filename: str | None) -> Any:
        parsed.append(name)
        return parse(self, source, name, filename)

    monkeypatch.setattr(jinja2.Environment, "_parse", counted)
    made = make(Options(ROOT / "content", jobs=1), Cache(), search=False)
    assert made.outputs and "base.html" in parsed and sorted(parsed) == sorted(set(parsed))  # once each, no more


def test_a_compile_time_error_is_found_by_the_check(make_site: Any) -> None:
    run = make_site({"templates/footer.html": "<footer>\n{{ config.title | no_such_filter }}</footer>\n"})
    assert run.code == 1 and "Build failed (check)" in run.err
    assert "templates/footer.html:2: error: template syntax error: No filter named 'no_such_filter'." in run.err.splitlines()
