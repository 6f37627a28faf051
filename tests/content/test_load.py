"""One invalid mini-site per loading error, each asserting the exact `path:line: message`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import MINI, Run

FACTS = MINI["content/facts/nature.yaml"]
TERM = MINI["content/glossary/sky.yaml"]
SOURCE = MINI["content/sources/paper.yaml"]

CASES = {
    "yaml syntax error": (
        {"content/glossary/sky.yaml": "term: sky\nshort: [unclosed\nbody: x\n"},
        "content/glossary/sky.yaml:3: error: YAML syntax error: expected ',' or ']', but got ':'",
    ),
    "unknown key": (
        {"content/glossary/sky.yaml": TERM + "colour: blue\n"},
        "content/glossary/sky.yaml:4: error: unknown key 'colour' in term",
    ),
    "misspelt key reported once": (
        {"content/facts/nature.yaml": FACTS.replace("    claim: Grass", "    clam: Grass")},
        "content/facts/nature.yaml:8: error: unknown key 'clam' in fact",
    ),
    "missing required field": (
        {"content/glossary/sky.yaml": "term: sky\n"},
        "content/glossary/sky.yaml:1: error: missing required key 'short' in term",
    ),
    "wrong type": (
        {"content/glossary/sky.yaml": TERM + "autolink: sometimes\n"},
        "content/glossary/sky.yaml:4: error: 'autolink' must be true or false, not 'sometimes'",
    ),
    "wrong type: list where text": (
        {"content/glossary/sky.yaml": "term: [sky]\nshort: x\n"},
        "content/glossary/sky.yaml:1: error: 'term' must be text, not a list (quote it)",
    ),
    "impossible date": (
        {"content/facts/nature.yaml": FACTS.replace("when: 2023-12", "when: 2023-13")},
        "content/facts/nature.yaml:5: error: 'when' is not a real date: '2023-13'",
    ),
    "duplicate yaml key": (
        {"content/glossary/sky.yaml": TERM + "short: again\n"},
        "content/glossary/sky.yaml:4: error: duplicate key 'short' (first given on line 2)",
    ),
    "duplicate excerpt id": (
        {"content/sources/paper.yaml": SOURCE.replace("  - id: two", "  - id: one")},
        "content/sources/paper.yaml:9: error: duplicate excerpt id 'one' (first on line 7)",
    ),
    "partial date without a note": (
        {"content/sources/paper.yaml": SOURCE.replace("published: 2023-12-05", "published: 2023-12")},
        "content/sources/paper.yaml:4: error: a partial date needs a published_note",
    ),
    "source without title or outlet": (
        {"content/sources/paper.yaml": SOURCE.replace("title: A Paper\n", "").replace("outlet: The Journal\n", "")},
        "content/sources/paper.yaml:1: error: a source needs a title or an outlet to be named by",
    ),
    "bad file name": (
        {"content/glossary/Sky Term.yaml": TERM},
        "content/glossary/Sky Term.yaml: error: the file name 'Sky Term.yaml' is not a valid term id",
    ),
    "page without front matter": (
        {"content/pages/intro.md": "Just text.\n"},
        "content/pages/intro.md:1: error: a page must start with front matter between '---' lines",
    ),
    "page front matter unknown key": (
        {"content/pages/intro.md": "---\ntitle: Intro\nauthor: me\n---\nText.\n"},
        "content/pages/intro.md:3: error: unknown key 'author' in page",
    ),
    "evidence not a reference": (
        {"content/facts/nature.yaml": FACTS.replace("evidence: [paper#two]", "evidence: [paper-two]")},
        "content/facts/nature.yaml:9: error: 'evidence' must be a list of references 'source-id#excerpt-id'; 'paper-two' is not one",
    ),
    "missing evidence": (
        {"content/facts/nature.yaml": FACTS.replace("    evidence: [paper#two]\n", "")},
        "content/facts/nature.yaml:7: error: missing required key 'evidence' in fact",
    ),
    "empty evidence": (
        {"content/facts/nature.yaml": FACTS.replace("evidence: [paper#two]", "evidence: []")},
        "content/facts/nature.yaml:9: error: fact 'grass' has no evidence",
    ),
    "config missing": (
        {"content/site.yaml": None},
        "content/site.yaml: error: site config not found",
    ),
    "country code as language": (
        {"content/site.yaml": MINI["content/site.yaml"].replace("language: en", "language: kr")},
        "content/site.yaml:3: error: 'kr' is a country code, not a language code",
    ),
    "unknown label": (
        {"content/site.yaml": MINI["content/site.yaml"] + "labels:\n  fatcs: Findings\n"},
        "content/site.yaml:7: error: unknown label 'fatcs'",
    ),
    "label with a placeholder it is not given": (
        {"content/site.yaml": MINI["content/site.yaml"] + "labels:\n  facts_count: '{count} findings'\n"},
        "content/site.yaml:7: error: label 'facts_count' uses {count}, which it is not given",
    ),
    "bad base url": (
        {"content/site.yaml": MINI["content/site.yaml"].replace("https://example.org/mini/", "example.org")},
        "content/site.yaml:4: error: 'base_url' must be an http:// or https:// URL, not 'example.org'",
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_each_loading_error_names_file_line_and_message(make_site: Callable[..., Run], name: str) -> None:
    changes, expected = CASES[name]
    run = make_site(changes)
    assert run.code == 1, run.err
    lines = run.err.splitlines()
    assert expected in lines, run.err
    assert "Traceback" not in run.err
    assert not run.site.exists()


def test_every_problem_has_a_fix(make_site: Callable[..., Run]) -> None:
    run = make_site({"content/glossary/sky.yaml": TERM + "colour: blue\n"})
    assert "= fix: did you mean" in run.err or "= fix: allowed keys" in run.err


def test_all_problems_reported_in_one_run(make_site: Callable[..., Run]) -> None:
    run = make_site({
        "content/glossary/sky.yaml": TERM + "colour: blue\n",
        "content/facts/nature.yaml": FACTS.replace("when: 2023-12", "when: someday"),
        "content/pages/intro.md": "no front matter\n",
    })
    assert run.code == 1
    assert "3 errors." in run.err
    for path in ("content/glossary/sky.yaml:4:", "content/facts/nature.yaml:5:", "content/pages/intro.md:1:"):
        assert path in run.err


def test_unexpected_file_is_a_warning(make_site: Callable[..., Run]) -> None:
    run = make_site({"content/glossary/notes.txt": "scratch"})
    assert run.code == 0
    assert "content/glossary/notes.txt: warning: ignored: only *.yaml files are read in glossary/" in run.err


def test_a_broken_term_does_not_cascade(make_site: Callable[..., Run]) -> None:
    run = make_site({
        "content/glossary/sky.yaml": "term: sky\nshort: [oops\n",
        "content/pages/intro.md": "---\ntitle: Intro\n---\nSee [[term:sky]].\n",
    })
    assert run.code == 1
    assert "unknown glossary term" not in run.err
    assert "1 error." in run.err


def test_byte_order_mark_and_decomposed_hangul_are_accepted(make_site: Callable[..., Run]) -> None:
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "사과")
    run = make_site({
        "content/pages/intro.md": "\ufeff---\ntitle: Intro\n---\nA " + decomposed + "를 본다.\n",
        "content/glossary/apple.yaml": "term: 사과\nshort: A fruit.\n",
    })
    assert run.code == 0, run.err
    assert '<a class="term-link" href="../glossary/apple/"' in run.page("intro/index.html")


def test_language_without_interface_words_is_a_warning(make_site: Callable[..., Run]) -> None:
    run = make_site({"content/site.yaml": MINI["content/site.yaml"].replace("language: en", "language: fi")})
    assert run.code == 0
    assert "content/site.yaml:3: warning: the interface has no words for language 'fi'; English ones are used" in run.err


def test_yml_files_are_read_too(make_site: Callable[..., Run]) -> None:
    run = make_site({"content/glossary/cloud.yml": "term: cloud\nshort: Water in the air.\n"})
    assert run.code == 0, run.err
    assert (run.site / "glossary" / "cloud" / "index.html").is_file()


TAGGED = FACTS.replace("    when: 2023-12\n", "    when: 2023-12\n    tags: [seasons]\n")
ONE_MISTAKE = {
    "misplaced indent": (TAGGED.replace("    when: 2023-12\n", "      when: 2023-12\n"),
                         "content/facts/nature.yaml:5: error: YAML syntax error: mapping values are not allowed here"),
    "a tab": (TAGGED.replace("    when: 2023-12\n", "\twhen: 2023-12\n"),
              "content/facts/nature.yaml:5: error: YAML syntax error: a tab in the indentation"),
    "a comment in a flow list": (TAGGED.replace("    evidence: [paper#one]\n", "    evidence: [paper#one, # the sky\n"),
                                 "content/facts/nature.yaml:7: error: YAML syntax error: '#' starts a comment inside a [ … ] list, "
                                 "and hides the rest of the line, its closing ']' too"),
    "a comment in a flow mapping": ("title: Nature\nfacts:\n  - {id: grass, claim: y, evidence: [paper#two]  # the grass}\n"
                                    "  - {id: sky, claim: x, tags: [seasons], evidence: [paper#one]}\n",
                                    "content/facts/nature.yaml:3: error: YAML syntax error: '#' starts a comment inside a { … } "
                                    "mapping, and hides the rest of the line, its closing '}' too"),
    "an impossible date": (TAGGED.replace("when: 2023-12\n", "when: 2024-13-45\n"),
                           "content/facts/nature.yaml:5: error: '2024-13-45' is not a real date (month must be in 1..12)"),
}


@pytest.mark.parametrize("name", list(ONE_MISTAKE))
def test_one_yaml_mistake_is_one_error(make_site: Callable[..., Run], name: str) -> None:
    """Facts cited from pages, key facts and timelines by tag are not reported again when their file fails to load."""
    facts, expected = ONE_MISTAKE[name]
    site_yaml = MINI["content/site.yaml"] + "key_facts: [sky, grass]\n"
    page = MINI["content/pages/intro.md"] + "\n[[fact:grass|Grass]] is green.\n\n[[timeline:seasons]]\n"
    run = make_site({"content/facts/nature.yaml": facts, "content/site.yaml": site_yaml, "content/pages/intro.md": page})
    assert run.code == 1
    lines = run.err.splitlines()
    assert expected in lines, run.err
    assert "1 error." in lines, run.err


def test_tab_and_flow_comment_hints(make_site: Callable[..., Run]) -> None:
    tab = make_site({"content/glossary/sky.yaml": "term: sky\nshort: Up.\nbody: |\n  a\n\tb\n"})
    assert "       = fix: YAML indents with spaces only: replace the tab at the start of line 5 with spaces" in tab.err.splitlines()
    flow = make_site({"content/glossary/sky.yaml": "term: sky\nshort: Up.\naliases: [heaven, # the old word\n  firmament]\n"})
    assert flow.code == 0, flow.err  # a comment that leaves the list's end on the next line is fine
    hidden = make_site({"content/glossary/sky.yaml": "term: sky\naliases: [heaven, # the old word]\nshort: Up.\n"})
    assert ("       = fix: close the list before the comment (`[a, b]  # note`), or quote a value that holds '#'"
            in hidden.err.splitlines()), hidden.err


def test_failure_line_does_not_claim_a_site_folder_that_never_was(make_site: Callable[..., Run]) -> None:
    first = make_site({"content/glossary/sky.yaml": "term: [\n"})
    assert first.code == 1 and not first.site.exists()
    assert "Build failed (check); nothing was written." in first.err.splitlines()
    assert "was left as it was" not in first.err


def test_a_file_is_named_and_found_as_realpath_and_display_path_give(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # ContentFiles works a file's real path out from its folder's (once a build) and names it by string: the same
    # answers as os.path.realpath and errors.display_path, through links to files, to folders and in loops
    import os

    from explainer.content.files import ContentFiles
    from explainer.errors import display_path
    from explainer.model import Options

    root = tmp_path / "project"
    pages = root / "content" / "pages"
    pages.mkdir(parents=True)
    (pages / "plain.md").write_text("x", encoding="utf-8")
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "far.md").write_text("x", encoding="utf-8")
    (pages / "to-far.md").symlink_to(tmp_path / "elsewhere" / "far.md")
    (pages / "to-plain.md").symlink_to("plain.md")
    (root / "content" / "linked").symlink_to(pages)
    (pages / "loop.md").symlink_to("loop.md")
    paths = [pages / "plain.md", pages / "to-far.md", pages / "to-plain.md", root / "content" / "linked" / "plain.md",
             pages / "loop.md", pages / "missing.md", root / "content", pages / "." / "plain.md"]
    for working in (root, tmp_path / "elsewhere"):
        monkeypatch.chdir(working)
        files = ContentFiles(Options(root / "content"))
        for path in paths:
            assert files.real(path) == os.path.realpath(path), path
            assert files.show(path) == display_path(path, root), path
            assert files.content_path(path) == path.relative_to(root / "content").as_posix()
    monkeypatch.chdir(root)
    relative = ContentFiles(Options(Path("content")))  # as `build` is run in the project folder
    assert relative.content_path(Path("content") / "pages" / "plain.md") == "pages/plain.md"
    assert relative.show(Path("content") / "pages" / "plain.md") == "content/pages/plain.md"
