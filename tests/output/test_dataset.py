"""facts.json and glossary.json: valid against the schemas we publish, complete, plain text, deterministic."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from conftest import MINI, ROOT, Run, run_cli, write_tree
from explainer.output.dataset import FACTS, GLOSSARY

SCHEMAS = ROOT / "explainer" / "output" / "schemas"


def validator(name: str) -> Draft202012Validator:
    """A validator for one of our schemas, the other registered so that references between them resolve."""
    loaded = {path.name: json.loads(path.read_text(encoding="utf-8")) for path in SCHEMAS.glob("*.schema.json")}
    registry: Registry[Any] = Registry().with_resources((schema["$id"], Resource.from_contents(schema)) for schema in loaded.values())
    schema = loaded[name]
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, registry=registry)


def valid(data: Any, name: str) -> list[str]:
    """Every way `data` breaks the schema `name`, as readable lines."""
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message}" for error in validator(name).iter_errors(data)]


@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("english") / "site"
    run = run_cli(ROOT / "examples" / "english", "build", "--strict", "--out", str(out))
    assert run.code == 0, run.err
    return out


@pytest.mark.parametrize(("file", "schema"), [(FACTS, "facts-1.schema.json"), (GLOSSARY, "glossary-1.schema.json")])
def test_the_published_files_follow_their_schemas(english: Path, file: str, schema: str) -> None:
    data = json.loads((english / file).read_text(encoding="utf-8"))
    assert valid(data, schema) == []


def test_the_schemas_refuse_what_they_do_not_describe(english: Path) -> None:
    """The schemas are no rubber stamp: a key missing, a key too many, a date or an id of the wrong shape all fail."""
    data = json.loads((english / FACTS).read_text(encoding="utf-8"))
    fact = data["facts"][0]
    for broken in (
        {k: v for k, v in fact.items() if k != "evidence"},
        {**fact, "extra": 1},
        {**fact, "when": "19 November 1863"},
        {**fact, "id": "Not An Id"},
        {**fact, "evidence": []},
        {**fact, "corrections": [{"date": "2024-01", "change": "x", "reason": "y"}]},
    ):
        assert valid({**data, "facts": [broken]}, "facts-1.schema.json"), broken
    assert valid({**data, "version": 2}, "facts-1.schema.json")


def test_facts_carry_their_evidence_sources_and_corrections(english: Path) -> None:
    data = json.loads((english / FACTS).read_text(encoding="utf-8"))
    by_id = {fact["id"]: fact for fact in data["facts"]}
    assert data["format"] == "explainer-facts" and data["version"] == 1
    assert data["site"]["url"] == "https://example.github.io/gettysburg/"
    occasion = by_id["occasion"]
    assert occasion["url"] == "https://example.github.io/gettysburg/facts/#fact-occasion"
    assert occasion["when"] == "1863-11-19"
    [quote] = occasion["evidence"]
    assert quote["text"].startswith("We have come to dedicate a portion of that field")
    assert quote["page"] == "https://example.github.io/gettysburg/sources/bliss-copy/#excerpt-purpose"
    source = next(s for s in data["sources"] if s["id"] == quote["source"])
    if source["url"]:
        assert quote["url"].startswith(source["url"] + "#:~:text=")
    assert [fact["id"] for fact in data["facts"]] == ["occasion", "eighty-seven-years", "equality", "consecration", "democracy"]


def test_text_is_plain_and_references_are_named(make_site: Callable[..., Run]) -> None:
    """Markdown becomes its words; a reference written without words ([[term:sky]]) is named by its term."""
    facts = MINI["content/facts/nature.yaml"].replace("claim: Grass is green.", "claim: Grass is *green* under the [[term:sky]].")
    facts += "    note: See [the paper](https://example.org/) and [[fact:sky|the sky fact]].\n"
    run = make_site({"content/facts/nature.yaml": facts})
    assert run.code == 0, run.err
    data = json.loads(run.page(FACTS))
    grass = next(fact for fact in data["facts"] if fact["id"] == "grass")
    assert grass["claim"] == "Grass is green under the sky."
    assert grass["note"] == "See the paper and the sky fact."
    glossary = json.loads(run.page(GLOSSARY))
    assert [term["term"] for term in glossary["terms"]] == ["sky"]
    assert glossary["terms"][0]["body"] == "The sky holds the clouds."


def test_hostile_text_stays_data(make_site: Callable[..., Run]) -> None:
    """Quotes, backslashes and line separators travel as JSON strings; HTML is markup, so only its text is data."""
    evil = 'A "quoted" \\\\back</script><script>alert(1)</script> & \u2028line'
    facts = MINI["content/facts/nature.yaml"].replace("claim: Grass is green.", f"claim: '{evil}'")
    run = make_site({"content/facts/nature.yaml": facts})
    assert run.code == 0, run.err
    data = json.loads(run.page(FACTS))
    assert valid(data, "facts-1.schema.json") == []
    assert data["facts"][1]["claim"] == 'A "quoted" \\backalert(1) & line'  # the tags left out, whitespace as one space


def test_the_same_content_gives_the_same_bytes(tmp_path: Path) -> None:
    write_tree(tmp_path, dict(MINI))
    first = run_cli(tmp_path, "build", "--out", "one")
    second = run_cli(tmp_path, "build", "--out", "two")
    assert first.code == second.code == 0, first.err + second.err
    for name in (FACTS, GLOSSARY):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_a_cache_keeps_the_data_through_edits_of_page_text_only(site_root: Path) -> None:
    # facts.json and glossary.json read no page's text: a preview's edit of one keeps them; the site's dates and every
    # other file count
    from explainer.cache import Cache
    from explainer.output.dataset import dataset_files
    from support import site_loader

    page = "---\ntitle: Introduction\n---\nWords under the sky.\n"
    write_tree(site_root, {**MINI, "content/pages/intro.md": page})
    load, cache = site_loader(site_root / "content"), Cache()

    def made() -> list[Any]:
        return dataset_files(load(), cache)

    first = made()
    write_tree(site_root, {"content/pages/intro.md": page + "\nMore words.\n"})
    kept = made()
    assert kept == first and kept[0] is first[0]
    write_tree(site_root, {"content/pages/intro.md": page.replace("---\nWords", "updated: 2031-01-02\n---\nWords")})
    dated = made()
    assert b'"updated": "2031-01-02"' in dated[0].content
    assert dated == dataset_files(load())  # as made without a cache
    write_tree(site_root, {"content/facts/nature.yaml": MINI["content/facts/nature.yaml"].replace("Grass", "Moss")})
    assert b"Moss" in made()[0].content


def test_the_published_data_follow_the_base_url_given_on_the_command_line(site_root: Path) -> None:
    # the options are inputs too: a cache kept from a build for one address must not publish it for another
    from explainer.cache import Cache
    from explainer.content.load import load_site
    from explainer.model import Options
    from explainer.output.dataset import dataset_files

    write_tree(site_root, dict(MINI))
    cache = Cache()
    for address in ("https://a.example/", "https://b.example/"):
        site, problems = load_site(Options(site_root / "content", base_url=address))
        assert site is not None, problems
        made = dataset_files(site, cache)
        assert address.encode() in made[0].content and made == dataset_files(site)
