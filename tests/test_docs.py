"""What the README and docs/ state that can be checked: links resolve, every command and option is documented, the
five-minute start and the writing guide's example work, the lock shown is a real one, and the README stays short."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from conftest import MINI, ROOT, run_cli, write_tree
from explainer import cli

DOCS = sorted((ROOT / "docs").glob("*.md"))
PAGES = [ROOT / "README.md", *DOCS]
README_LINES = 120  # the first screen, and a little more: the reference lives in docs/


def text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def anchors(path: Path) -> set[str]:
    """GitHub's anchors for the headings of a Markdown file."""
    headings = re.findall(r"^#+ (.+)$", re.sub(r"```.*?```", "", text(path), flags=re.DOTALL), re.MULTILINE)
    return {re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-") for heading in headings}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_relative_link_resolves(page: Path) -> None:
    body = re.sub(r"```.*?```", "", text(page), flags=re.DOTALL)
    for target in re.findall(r"\]\(([^)\s]+)\)", body):
        if re.match(r"^[a-z]+:", target) or target.startswith("/"):
            continue
        file, _, anchor = target.partition("#")
        path = (page.parent / file).resolve() if file else page
        assert path.exists(), f"{page.name}: {target}"
        if anchor:
            assert anchor in anchors(path), f"{page.name}: no heading for #{anchor} in {path.name}"


def test_the_readme_lists_every_docs_page() -> None:
    readme = text(ROOT / "README.md")
    assert [page.name for page in DOCS if f"](docs/{page.name})" not in readme] == []


def test_every_command_and_option_is_documented() -> None:
    readme = text(ROOT / "README.md")
    everything = "\n".join(text(page) for page in PAGES)
    for command in cli.COMMANDS:
        assert f"`explainer {command}" in readme, command
    parser = cli.make_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command")
    flags = {flag for sub in subparsers.choices.values() for action in sub._actions  # type: ignore[union-attr]
             for flag in action.option_strings if flag.startswith("--") and flag != "--help"}
    assert [flag for flag in sorted(flags) if f"`{flag}" not in everything and f" {flag}" not in everything] == []


def test_the_readme_stays_a_first_screen() -> None:
    lines = text(ROOT / "README.md").splitlines()
    assert len(lines) <= README_LINES, f"README.md has {len(lines)} lines: move reference material to docs/"
    assert lines[2:5] == ["```sh", "python3 -m venv .venv && .venv/bin/pip install -q -e . && .venv/bin/python build.py", "```"]


def test_the_five_minute_start_uses_real_commands(tmp_path: Path) -> None:
    readme = text(ROOT / "README.md")
    section = readme[readme.index("## Your own explainer in five minutes"):readme.index("## Commands")]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert block is not None
    commands = [part.split("#")[0].strip() for line in block.group(1).splitlines() for part in line.split("&&")]
    explainers = [shlex.split(command)[1:] for command in commands if command.startswith("explainer ")]
    assert [argv[0] for argv in explainers] == ["new", "serve"]
    for argv in explainers:
        cli.parse_args(argv)  # exits (fails the test) on anything the command line does not take
    started = run_cli(tmp_path, *explainers[0])
    assert started.code == 0, started.err
    assert commands[0].startswith("pipx install ") and "git+https://github.com/explainer/ai-alliance@v" in commands[0]


def test_the_writing_guide_example_builds_under_strict(tmp_path: Path) -> None:
    guide = text(ROOT / "docs" / "writing.md")
    files = dict(re.findall(r"`((?:content|archive)/[^`]+)`:\n\n```[a-z]*\n(.*?)```", guide, re.DOTALL))
    assert sorted(files) == ["archive/harbor-report.txt", "content/facts/bridge.yaml", "content/glossary/ferry.yaml",
                             "content/pages/closure.md", "content/sources/harbor-report.yaml"]
    write_tree(tmp_path, {"content/site.yaml": MINI["content/site.yaml"] + "archives: archive\n", **files})
    run = run_cli(tmp_path, "build", "--strict")
    assert run.code == 0 and run.err == "", run.err
    page = (tmp_path / "site" / "closure" / "index.html").read_text(encoding="utf-8")
    assert 'class="timeline"' in page and "glossary/ferry/" in page


def test_the_lock_shown_in_publishing_is_the_english_examples() -> None:
    shown = re.search(r"```yaml\n(version: 1\n.*?)```", text(ROOT / "docs" / "publishing.md"), re.DOTALL)
    assert shown is not None
    assert text(ROOT / "examples" / "english" / "content" / "quotes.lock").endswith(shown.group(1))
