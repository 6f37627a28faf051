"""Hostile and broken content: each input a `path:line` problem (exit status 1), never an internal error,
and the site built before it left exactly as it was.

One mini-site per input, from an adversarial run of about a thousand (issue 17): YAML that
expands or nests without end, format strings in labels, characters that are no text, values
no calendar or URL has, two files for one id, names the build writes itself.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import MINI, Run, write_tree
from support import snapshot, within

FACTS = MINI["content/facts/nature.yaml"]
TERM = MINI["content/glossary/sky.yaml"]
SOURCE = MINI["content/sources/paper.yaml"]
SITE = MINI["content/site.yaml"]
OLD_SITE = {"site/.explainer": "This folder is written by explainer and replaced whole by every build.\n",
            "site/index.html": "<!doctype html><title>old</title>the site as it was\n"}


def bomb(levels: int = 9) -> str:
    """Nine levels of nine aliases each: 342 bytes that expand to nine to the ninth values."""
    names = "abcdefghij"
    lines = [f'{names[0]}: &{names[0]} ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"{names[i]}: &{names[i]} [" + ",".join([f"*{names[i - 1]}"] * 9) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def labels(**given: str) -> dict[str, str]:
    return {"content/site.yaml": SITE + "labels:\n" + "".join(f"  {name}: '{text}'\n" for name, text in given.items())}


CASES: dict[str, tuple[dict[str, str | None], str]] = {
    # item 2: YAML that expands or nests without end, refused while composing
    "alias bomb under unknown keys": (
        {"content/glossary/sky.yaml": TERM + "extra:\n" + "".join("  " + line + "\n" for line in bomb().splitlines())},
        "content/glossary/sky.yaml:6: error: YAML aliases (*a) are not allowed in content",
    ),
    "alias bomb as a whole file": (
        {"content/facts/bomb.yaml": bomb()},
        "content/facts/bomb.yaml:2: error: YAML aliases (*a) are not allowed in content",
    ),
    "alias inside its own anchor": (
        {"content/glossary/sky.yaml": TERM + "x: &a [*a]\n"},
        "content/glossary/sky.yaml:4: error: YAML aliases (*a) are not allowed in content",
    ),
    "merge of an alias": (
        {"content/glossary/sky.yaml": "base: &b {short: x}\nterm: sky\n<<: *b\n"},
        "content/glossary/sky.yaml:3: error: YAML aliases (*b) are not allowed in content",
    ),
    "aliases in front matter": (
        {"content/pages/intro.md": "---\ntitle: &t Intro\nsummary: *t\n---\nText.\n"},
        "content/pages/intro.md:3: error: YAML aliases (*t) are not allowed in content",
    ),
    "nested 1,000 deep in flow style": (
        {"content/glossary/sky.yaml": TERM + "deep: " + "[" * 1000 + "]" * 1000 + "\n"},
        "content/glossary/sky.yaml:4: error: YAML nested more than 12 levels deep",
    ),
    "nested 100 deep in block style": (
        {"content/glossary/sky.yaml": TERM + "deep:\n" + "".join(" " * (i + 1) + f"k{i}:\n" for i in range(100))},
        "content/glossary/sky.yaml:16: error: YAML nested more than 12 levels deep",
    ),
    "nested 1,000 deep in front matter": (
        {"content/pages/intro.md": "---\ntitle: x\ndeep: " + "{a: " * 1000 + "1" + "}" * 1000 + "\n---\nText.\n"},
        "content/pages/intro.md:3: error: YAML nested more than 12 levels deep",
    ),
    # item 4: labels take their documented placeholders and nothing else
    "label with a format spec": (
        labels(date_year="{year:>900000000}"),
        "content/site.yaml:7: error: label 'date_year' has '{year:>900000000}', which is not a placeholder",
    ),
    "label reaching into Python": (
        labels(facts_count="{n.__class__.__mro__}"),
        "content/site.yaml:7: error: label 'facts_count' has '{n.__class__.__mro__}', which is not a placeholder",
    ),
    "label with an index": (labels(facts_count="{n[0]}"),
                            "content/site.yaml:7: error: label 'facts_count' has '{n[0]}', which is not a placeholder"),
    "label with a conversion": (labels(search_none="{q!r}"),
                                "content/site.yaml:7: error: label 'search_none' has '{q!r}', which is not a placeholder"),
    "label with an unclosed brace": (labels(date_day="{year"),
                                     "content/site.yaml:7: error: label 'date_day' has '{year', which is not a placeholder"),
    "label with a lone closing brace": (labels(facts_count="x}"),
                                        "content/site.yaml:7: error: label 'facts_count' has 'x}', which is not a placeholder"),
    "label with doubled braces": (labels(terms_count="{{n}}"),
                                  "content/site.yaml:7: error: label 'terms_count' has '{{n}', which is not a placeholder"),
    "label with empty braces": (labels(facts_count="{} facts"), "content/site.yaml:7: error: label 'facts_count' uses {}, which it is not given"),
    "label with braces but no placeholder": (labels(facts="Facts {x}"), "content/site.yaml:7: error: label 'facts' uses {x}, which it is not given"),
    # item 5: mistakes that were internal errors
    "merge of a number": (
        {"content/glossary/sky.yaml": TERM + "<<: 5\n"},
        "content/glossary/sky.yaml:4: error: cannot read this mapping: expected a mapping or list of mappings for merging, but found scalar",
    ),
    "site.yaml that is a list": (
        {"content/site.yaml": "- title: Mini\n- language: en\n"},
        "content/site.yaml:1: error: a site config must be a mapping of keys to values, not a list",
    ),
    "site.yaml that is one value": (
        {"content/site.yaml": "Mini\n"},
        "content/site.yaml:1: error: a site config must be a mapping of keys to values, not text",
    ),
    "lone surrogate in front matter": (
        {"content/pages/intro.md": '---\ntitle: "Intro \\ud800"\n---\nText.\n'},
        "content/pages/intro.md:2: error: this value holds a lone surrogate (U+D800), which is not text",
    ),
    "lone surrogate in a list item": (
        {"content/glossary/sky.yaml": TERM + 'aliases: [heaven, "\\udfff"]\n'},
        "content/glossary/sky.yaml:4: error: this value holds a lone surrogate (U+DFFF), which is not text",
    ),
    "control character by escape": (
        {"content/glossary/sky.yaml": 'term: "sky\\x1b[31m"\nshort: x\n'},
        "content/glossary/sky.yaml:1: error: this value holds a control character (U+001B), which is not text",
    ),
    "raw NUL byte in YAML": (
        {"content/glossary/sky.yaml": "term: sky\nshort: x\x00y\n"},
        "content/glossary/sky.yaml:2: error: character U+0000 is not allowed in YAML",
    ),
    "base_url with an unclosed IPv6 host": (
        {"content/site.yaml": SITE.replace("https://example.org/mini/", "https://[::1/")},
        "content/site.yaml:4: error: 'base_url' must be an http:// or https:// URL, not 'https://[::1/'",
    ),
    "source url with a port that is no number": (
        {"content/sources/paper.yaml": SOURCE + "url: https://example.org:80x/\n"},
        "content/sources/paper.yaml:11: error: 'url' must be an http:// or https:// URL, not 'https://example.org:80x/'",
    ),
    "NUL byte in archive": (
        {"content/sources/paper.yaml": SOURCE + 'archive: "a\\0b.txt"\n'},
        "content/sources/paper.yaml:11: error: this value holds a control character (U+0000), which is not text",
    ),
    "5,000 characters in archive": (
        {"content/sources/paper.yaml": SOURCE + "archive: " + "a" * 5000 + "\n"},
        "content/sources/paper.yaml:11: error: 'archive' is 5,000 characters long; a path may have at most 1,024 characters; "
        "if you trust this content, raise the limit with `--limit archive-path=6300`",
    ),
    "absolute archive path": (
        {"content/sources/paper.yaml": SOURCE + "archive: /etc/passwd\n"},
        "content/sources/paper.yaml:11: error: 'archive' must be relative to the folder holding content/, not '/etc/passwd'",
    ),
    "an integer tag on words": (
        {"content/facts/nature.yaml": FACTS.replace("title: Nature", "title: Nature\norder: !!int many")},
        "content/facts/nature.yaml:2: error: 'many' cannot be read as int",
    ),
    "a timestamp tag on a year past 9999": (
        {"content/facts/nature.yaml": FACTS.replace("when: 2023-12", "when: !!timestamp 99999-01-01")},
        "content/facts/nature.yaml:5: error: '99999-01-01' is not a real date",
    ),
    "a Python tag": (
        {"content/glossary/sky.yaml": "term: sky\nshort: !!python/name:os.system x\n"},
        "content/glossary/sky.yaml:2: error: cannot read this value: could not determine a constructor for the tag "
        "'tag:yaml.org,2002:python/name:os.system'",
    ),
    # item 8: wrong output
    "one id in a .yaml and a .yml file": (
        {"content/glossary/foundry.yaml": "term: foundry\nshort: A fab.\n", "content/glossary/foundry.yml": "term: foundry\nshort: A fab.\n"},
        "content/glossary/foundry.yml: error: two files give the id 'foundry': content/glossary/foundry.yaml and content/glossary/foundry.yml",
    ),
    "one source id twice": (
        {"content/sources/paper.yml": SOURCE},
        "content/sources/paper.yml: error: two files give the id 'paper': content/sources/paper.yaml and content/sources/paper.yml",
    ),
    "month 00": (
        {"content/sources/paper.yaml": SOURCE.replace("published: 2023-12-05", "published: '2023-00'\npublished_note: x")},
        "content/sources/paper.yaml:4: error: 'published' is not a real date: '2023-00'",
    ),
    "day 00": (
        {"content/sources/paper.yaml": SOURCE.replace("published: 2023-12-05", "published: '2023-12-00'")},
        "content/sources/paper.yaml:4: error: 'published' is not a real date: '2023-12-00'",
    ),
    "year 0000": (
        {"content/facts/nature.yaml": FACTS.replace("when: 2023-12", "when: '0000'")},
        "content/facts/nature.yaml:5: error: 'when' is not a real date: '0000'",
    ),
    "a page named like the search index's folder": (
        {"content/pages/pagefind.md": "---\ntitle: Search me\n---\nText.\n"},
        "content/pages/pagefind.md: error: the page name 'pagefind' is taken by a built-in page",
    ),
    "binary data where text belongs": (
        {"content/glossary/sky.yaml": "term: !!binary aGVsbG8=\nshort: x\n"},
        "content/glossary/sky.yaml:1: error: 'term' must be text, not binary data (!!binary) (quote it)",
    ),
    "a set where text belongs": (
        {"content/glossary/sky.yaml": "term: !!set {a, b}\nshort: x\n"},
        "content/glossary/sky.yaml:1: error: 'term' must be text, not a mapping (quote it)",
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_each_hostile_input_is_a_problem_with_its_line(make_site: Callable[..., Run], site_root: Path, name: str) -> None:
    changes, expected = CASES[name]
    write_tree(site_root, dict(OLD_SITE))
    before = snapshot(site_root / "site")
    with within(20, 200):
        run = make_site(changes)
    assert run.code == 1, run.err
    assert expected in run.err.splitlines(), run.err
    assert "Traceback" not in run.err and "internal error" not in run.err
    assert snapshot(run.site) == before
