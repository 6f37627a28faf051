"""Extract the part of the schema.org vocabulary that explainer's structured data uses, for tests/data/schemaorg.json.

Usage: python scripts/schemaorg_vocabulary.py schemaorg-all-https.jsonld [VERSION] > tests/data/schemaorg.json
The input is a release of the schema.org vocabulary (github.com/schemaorg/schemaorg, data/releases/<version>/);
the output keeps the types below with all their supertypes, and every property whose domain includes one of them,
with its domains and ranges. The test of our JSON-LD (tests/render/test_structured.py) checks every node against it.
"""

from __future__ import annotations

import json
import sys
from typing import Any

TYPES = ("Claim", "CreativeWork", "WebPage", "Article", "CollectionPage", "WebSite", "Organization", "Person", "Quotation",
         "CorrectionComment", "DefinedTerm", "DefinedTermSet")
DATA_TYPES = ("Text", "URL", "Date", "DateTime", "Number", "Integer", "Boolean", "Time")


def ids(value: Any) -> list[str]:
    """The schema: names a node's field refers to (one or a list of {"@id": ...})."""
    items = value if isinstance(value, list) else [value] if value else []
    return sorted(item["@id"].removeprefix("schema:") for item in items if item["@id"].startswith("schema:"))


def extract(graph: list[dict[str, Any]], version: str) -> dict[str, Any]:
    nodes = {node["@id"].removeprefix("schema:"): node for node in graph if node["@id"].startswith("schema:")}
    types: dict[str, list[str]] = {}
    todo = list(TYPES)
    while todo:
        name = todo.pop()
        if name in types:
            continue
        types[name] = ids(nodes[name].get("rdfs:subClassOf"))
        todo += types[name]
    properties = {}
    for name, node in sorted(nodes.items()):
        domains = ids(node.get("schema:domainIncludes"))
        if node.get("@type") == "rdf:Property" and set(domains) & set(types):
            properties[name] = {"domains": domains, "ranges": ids(node.get("schema:rangeIncludes"))}
    for name in sorted({r for p in properties.values() for r in p["ranges"]} - set(types) - set(DATA_TYPES)):
        types[name] = ids(nodes[name].get("rdfs:subClassOf")) if name in nodes else []
    return {"source": f"schema.org vocabulary, release {version} (CC BY-SA 3.0, https://schema.org/docs/terms.html)",
            "types": dict(sorted(types.items())), "data_types": list(DATA_TYPES), "properties": properties}


if __name__ == "__main__":
    with open(sys.argv[1], encoding="utf-8") as file:
        data = json.load(file)
    print(json.dumps(extract(data["@graph"], sys.argv[2] if len(sys.argv) > 2 else "?"), ensure_ascii=False, indent=1))
