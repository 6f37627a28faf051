"""Structured data: every JSON-LD block of the flagship and the English example, checked against the schema.org vocabulary.

tests/data/schemaorg.json is the part of schema.org (release 30.0) our JSON-LD uses: each node's
type must exist there, each property must be one of that type (or a supertype), and each value of a
range the property allows. Claims must carry their text and the sources that make them, and every
@id a node refers to must be in the same graph.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import MINI, ROOT, Run, run_cli

VOCABULARY = json.loads((ROOT / "tests" / "data" / "schemaorg.json").read_text(encoding="utf-8"))
SCRIPT_RE = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)
DATE_RE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
URL_RE = re.compile(r"^https?://\S+$")
REQUIRED = {  # what a reader of our data can count on, by type
    "Claim": {"@id", "text", "appearance", "url", "inLanguage"},
    "CreativeWork": {"@id", "name", "inLanguage"},
    "Quotation": {"text", "isPartOf"},
    "CorrectionComment": {"text", "datePublished"},
    "DefinedTerm": {"name", "description", "url", "inDefinedTermSet"},
    "DefinedTermSet": {"@id", "name", "url"},
    "Organization": {"name"},
    "Person": {"name"},
    "WebSite": {"@id", "name", "url"},
}
PAGE_REQUIRED = {"@id", "url", "name", "description", "inLanguage", "isPartOf"}


def supertypes(name: str) -> set[str]:
    """A type and every type above it."""
    found = {name}
    for parent in VOCABULARY["types"].get(name, []):
        found |= supertypes(parent)
    return found


def nodes(value: Any) -> Iterator[dict[str, Any]]:
    """Every node with a @type, however deep."""
    if isinstance(value, dict):
        if "@type" in value:
            yield value
        for item in value.values():
            yield from nodes(item)
    elif isinstance(value, list):
        for item in value:
            yield from nodes(item)


def value_errors(prop: str, value: Any, graph_ids: set[str]) -> list[str]:
    """How one value breaks the ranges of `prop`."""
    ranges = set(VOCABULARY["properties"][prop]["ranges"])
    if isinstance(value, list):
        return [error for item in value for error in value_errors(prop, item, graph_ids)]
    if isinstance(value, dict) and "@type" in value:
        allowed = supertypes(value["@type"]) & (ranges | {"Thing"} if "Thing" in ranges else ranges)
        return [] if allowed else [f"{prop}: a {value['@type']} where it takes {sorted(ranges)}"]
    if isinstance(value, dict):
        if set(value) != {"@id"}:
            return [f"{prop}: a node without @type: {value}"]
        return [] if value["@id"] in graph_ids else [f"{prop}: refers to {value['@id']}, which is not in the graph"]
    if not isinstance(value, str) or not value.strip():
        return [f"{prop}: {value!r} is no text"]
    if ranges <= {"Date", "DateTime"} and not DATE_RE.match(value):
        return [f"{prop}: {value!r} is no ISO 8601 date"]
    if ranges == {"URL"} and not URL_RE.match(value):
        return [f"{prop}: {value!r} is no absolute URL"]
    if not ranges & {"Text", "URL", "Date", "DateTime", "Language"}:
        return [f"{prop}: text where it takes {sorted(ranges)}"]
    return []


def graph_errors(data: dict[str, Any]) -> list[str]:
    """Every way one JSON-LD block breaks the vocabulary or our promises."""
    errors = [] if data.get("@context") == "https://schema.org" else ["@context is not https://schema.org"]
    graph = data["@graph"]
    graph_ids = {node["@id"] for node in nodes(graph) if "@id" in node}
    for node in nodes(graph):
        kind = node["@type"]
        if kind not in VOCABULARY["types"]:
            errors.append(f"unknown type {kind}")
            continue
        above = supertypes(kind)
        for prop, value in node.items():
            if prop.startswith("@"):
                continue
            spec = VOCABULARY["properties"].get(prop)
            if spec is None or not above & set(spec["domains"]):
                errors.append(f"{kind} has no property {prop}")
                continue
            errors += [f"{kind}.{error}" for error in value_errors(prop, value, graph_ids)]
        required = REQUIRED.get(kind, PAGE_REQUIRED if "WebPage" in above or kind == "Article" else set())
        errors += [f"{kind} {node.get('@id', '')} lacks {key}" for key in sorted(required - set(node))]
    return errors


def blocks(site: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    for page in sorted(site.rglob("*.html")):
        for text in SCRIPT_RE.findall(page.read_text(encoding="utf-8")):
            yield page.relative_to(site).as_posix(), json.loads(text)


@pytest.fixture(scope="module", params=["flagship", "english"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if request.param == "flagship":
        shared: Path = request.getfixturevalue("built_flagship")  # the session's build, only read here
        return shared
    folder = tmp_path_factory.mktemp(request.param)
    run = run_cli(ROOT / "examples" / "english", "build", "--strict", "--out", str(folder / "site"))
    assert run.code == 0, run.err
    return folder / "site"


def test_every_page_but_404_has_one_valid_graph(built: Path) -> None:
    pages = {page.relative_to(built).as_posix() for page in built.rglob("*.html")}
    found: dict[str, int] = {}
    for path, data in blocks(built):
        found[path] = found.get(path, 0) + 1
        assert graph_errors(data) == [], path
    assert set(found) == pages - {"404.html"} and set(found.values()) == {1}


def test_every_fact_is_a_claim_with_its_sources(built: Path) -> None:
    facts = json.loads((built / "facts.json").read_text(encoding="utf-8"))
    [(_, data)] = [(path, data) for path, data in blocks(built) if path == "facts/index.html"]
    claims = {node["@id"]: node for node in data["@graph"] if node["@type"] == "Claim"}
    assert sorted(claims) == sorted(fact["url"] for fact in facts["facts"])
    sources = {s["id"]: s for s in facts["sources"]}
    for fact in facts["facts"]:
        claim = claims[fact["url"]]
        assert claim["text"] == fact["claim"]
        made_by = list(dict.fromkeys(quote["source"] for quote in fact["evidence"]))
        assert [ref["@id"] for ref in claim["appearance"]] == [sources[s]["page"] + "#source" for s in made_by]
        assert [q["text"] for q in claim["citation"]] == [quote["text"] for quote in fact["evidence"]]
        assert len(claim.get("correction", [])) == len(fact["corrections"])
    page = data["@graph"][0]
    assert page["@type"] == "CollectionPage" and [part["@id"] for part in page["hasPart"]] == list(claims)


def test_graphs_validate_against_no_rubber_stamp() -> None:
    """The check itself finds what is wrong: an unknown type, a property of another type, a dangling @id, a bad date."""
    base = {"@type": "Claim", "@id": "https://e.org/#c", "url": "https://e.org/#c", "text": "t", "inLanguage": "en",
            "appearance": [{"@id": "https://e.org/s#source"}]}
    work = {"@type": "CreativeWork", "@id": "https://e.org/s#source", "name": "s", "inLanguage": "en"}
    assert graph_errors({"@context": "https://schema.org", "@graph": [base, work]}) == []
    for broken, expected in (
        ({**base, "@type": "Claimm"}, "unknown type Claimm"),
        ({**base, "hasDefinedTerm": []}, "Claim has no property hasDefinedTerm"),
        ({**base, "appearance": [{"@id": "https://e.org/elsewhere"}]}, "Claim.appearance: refers to https://e.org/elsewhere"),
        ({**base, "datePublished": "5 Dec 2023"}, "Claim.datePublished: '5 Dec 2023' is no ISO 8601 date"),
        ({**base, "author": {"@type": "Quotation", "text": "x", "isPartOf": {"@id": work["@id"]}}}, "Claim.author: a Quotation"),
        ({k: v for k, v in base.items() if k != "appearance"}, "Claim https://e.org/#c lacks appearance"),
    ):
        errors = graph_errors({"@context": "https://schema.org", "@graph": [broken, work]})
        assert any(error.startswith(expected) for error in errors), (expected, errors)


def test_no_value_can_close_the_script(make_site: Callable[..., Run]) -> None:
    """A claim, a source's title and a correction holding </script> stay inside the JSON and read back unchanged."""
    evil = "</script><script>alert(1)</script><!--"
    facts = MINI["content/facts/nature.yaml"].replace("claim: Grass is green.", f"claim: 'Green {evil}'")
    facts += f"    corrections:\n      - date: 2024-05-02\n        change: 'It said {evil}'\n        reason: Read again.\n"
    source = MINI["content/sources/paper.yaml"].replace("title: A Paper", f"title: '{evil} A Paper'", 1)
    run = make_site({"content/facts/nature.yaml": facts, "content/sources/paper.yaml": source})
    assert run.code == 0, run.err
    html = run.page("facts/index.html")
    [text] = SCRIPT_RE.findall(html)
    assert "<" not in text and ">" not in text
    graph = json.loads(text)["@graph"]
    [grass] = [node for node in graph if node["@type"] == "Claim" and node["text"].startswith("Green")]
    assert grass["text"] == "Green alert(1)<!--"  # Markdown's HTML is markup: only its words are the claim
    assert grass["correction"][0]["text"].startswith("It said")
    assert any(node.get("headline", "").startswith(evil) for node in graph if node["@type"] == "CreativeWork")
