"""`explainer new`: a small, complete site that builds with no warning under --strict, in English and in Korean."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import Run, run_cli, write_tree
from explainer import __version__, scaffold
from explainer.content.load import load_site
from explainer.model import Options
from support import snapshot

HANGUL = re.compile(r"[가-힣]")
REFERENCES = {  # every reference syntax (docs/content.md), as the starter pages must use it
    "fact card": r"^\[\[fact:[a-z-]+\]\]$",
    "fact link": r"\[\[fact:[a-z-]+\|[^\]]+\]\]",
    "block quotation": r"^\[\[quote:[a-z-]+#[a-z-]+\]\]$",
    "inline quotation": r".\[\[quote:[a-z-]+#[a-z-]+\]\]|\[\[quote:[a-z-]+#[a-z-]+\]\].",
    "citation": r"\[\[cite:[a-z-]+#[a-z-]+\]\]",
    "term": r"\[\[term:[a-z-]+\]\]",
    "term with words": r"\[\[term:[a-z-]+\|[^\]]+\]\]",
    "timeline": r"^\[\[timeline\]\]$",
    "timeline of a tag": r"^\[\[timeline:[^\]]+\]\]$",
    "no glossary": r"\]\{\.no-glossary\}",
    "link to a page": r"\]\(/[a-z-]+/\)",
}


def new(root: Path, *args: str) -> Run:
    return run_cli(root, "new", *args)


@pytest.fixture(scope="module", params=["en", "ko"])
def started(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path, Run]:
    """A starter site in each language, written once for the module's tests."""
    root = tmp_path_factory.mktemp(f"new-{request.param}")
    run = new(root, "my-explainer", "--language", request.param)
    assert run.code == 0, run.err
    return request.param, root / "my-explainer", run


def test_it_builds_with_no_warning_under_strict(started: tuple[str, Path, Run]) -> None:
    language, folder, run = started
    assert run.err == ""
    check = run_cli(folder, "check", "--strict")
    assert check.code == 0 and check.err == "", check.err
    built = run_cli(folder, "build", "--strict", "--out", "public")
    assert built.code == 0 and built.err == "", built.err
    home = (folder / "public" / "index.html").read_text(encoding="utf-8")
    assert f'<html lang="{language}">' in home
    story = (folder / "public" / "story" / "index.html").read_text(encoding="utf-8")
    assert story.count('class="timeline-entry"') == 2 and 'class="fact-claim"' in story and 'class="cite"' in story


def test_it_holds_every_kind_of_file(started: tuple[str, Path, Run]) -> None:
    _, folder, _ = started
    site, problems = load_site(Options(content_dir=folder / "content"))
    assert site is not None and not problems
    assert len(site.sources) == 1 and len(site.sources[0].excerpts) == 3
    assert (folder / "archive" / site.sources[0].archive).is_file() and site.config.archives == "archive"
    assert len(site.facts) >= 3 and any(fact.when for fact in site.facts)
    assert len(site.terms) == 3 and len(site.pages) == 2
    for name in (".gitignore", "README.md", "requirements.txt", ".github/workflows/pages.yml", ".github/workflows/check.yml",
                 "content/quotes.lock"):
        assert (folder / name).is_file(), name
    assert "/site/" in (folder / ".gitignore").read_text(encoding="utf-8").splitlines()


def test_its_pages_use_every_reference_syntax(started: tuple[str, Path, Run]) -> None:
    _, folder, _ = started
    pages = "\n".join(path.read_text(encoding="utf-8") for path in sorted((folder / "content" / "pages").glob("*.md")))
    missing = [name for name, pattern in REFERENCES.items() if not re.search(pattern, pages, re.MULTILINE)]
    assert not missing, missing


def test_site_yaml_explains_each_key_in_a_comment(started: tuple[str, Path, Run]) -> None:
    _, folder, _ = started
    lines = (folder / "content" / "site.yaml").read_text(encoding="utf-8").splitlines()
    keys = [(number, line.split(":")[0]) for number, line in enumerate(lines) if re.match(r"^[a-z_]+:", line)]
    assert len(keys) >= 10
    for number, key in keys:  # each key sits under a comment (two related keys may share one)
        above = number - 1
        while above >= 0 and re.match(r"^[a-z_]+:", lines[above]) and number - above < 2:
            above -= 1
        assert above >= 0 and lines[above].startswith("# "), key


def test_each_language_reads_in_its_own_language(started: tuple[str, Path, Run]) -> None:
    language, folder, _ = started
    texts = {path.relative_to(folder).as_posix(): path.read_text(encoding="utf-8")
             for path in sorted(folder.rglob("*")) if path.is_file() and path.suffix in (".md", ".yaml", ".txt")
             and ".github" not in path.parts and path.name not in ("quotes.lock", "requirements.txt")}
    for name, text in texts.items():
        prose = [line for line in text.splitlines() if line.startswith("#") or re.search(r"\w{4,} \w{4,}", line)]
        hangul = sum(1 for line in prose if HANGUL.search(line))
        if language == "ko":
            assert hangul >= len(prose) // 2, f"{name}: mostly not Korean"
        else:
            assert hangul == 0, f"{name}: Korean in the English starter"


def test_korean_terms_link_with_their_particles(tmp_path: Path) -> None:
    assert new(tmp_path, "ko", "--language", "ko", "-q").code == 0
    folder = tmp_path / "ko"
    built = run_cli(folder, "build", "--out", "particles")
    assert built.code == 0
    page = BeautifulSoup((folder / "particles" / "lending" / "index.html").read_text(encoding="utf-8"), "html.parser")
    link = page.select_one('a.term-link[href="../glossary/member/"]')  # made by the glossary, not written in the page
    assert link is not None and link.get_text() == "회원"
    after = link.find_parent(class_="term").next_sibling
    assert str(after).startswith("이 될 수 있다")  # 회원 + the particle 이, linked as the term


def test_it_says_what_to_do_next(started: tuple[str, Path, Run]) -> None:
    _, folder, run = started
    assert run.out.startswith(f"Created {folder.name}/ (")
    assert "checked under --strict with no problems" in run.out
    for command in ("cd my-explainer", "explainer serve", "explainer check", "explainer build"):
        assert command in run.out, command
    assert "http://127.0.0.1:8000/my-explainer/" in run.out


def test_it_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "draft.txt").write_text("mine\n", encoding="utf-8")
    before = snapshot(tmp_path / "notes")
    run = new(tmp_path, "notes")
    assert run.code == 1
    assert run.err.startswith("error: notes/ is not empty (draft.txt); `new` writes only into a new or empty folder.")
    assert "--force" in run.err
    assert snapshot(tmp_path / "notes") == before
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    assert "is a file, not a folder" in new(tmp_path, "afile").err


def test_an_empty_clone_counts_as_empty(tmp_path: Path) -> None:
    (tmp_path / "clone" / ".git").mkdir(parents=True)
    run = new(tmp_path, "clone", "-q")
    assert run.code == 0, run.err
    assert run.out == "" and (tmp_path / "clone" / "content" / "site.yaml").is_file()


def test_force_adds_only_what_is_missing(tmp_path: Path) -> None:
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "README.md").write_text("# My own readme\n", encoding="utf-8")
    (tmp_path / "repo" / "LICENSE").write_text("mine\n", encoding="utf-8")
    run = new(tmp_path, "repo", "--force")
    assert run.code == 0, run.err
    assert (tmp_path / "repo" / "README.md").read_text(encoding="utf-8") == "# My own readme\n"
    assert (tmp_path / "repo" / "LICENSE").read_text(encoding="utf-8") == "mine\n"
    assert "Kept 1 files that were there already: README.md." in run.out
    assert (tmp_path / "repo" / ".github" / "workflows" / "pages.yml").is_file()


def test_title_and_address_are_written_safely(tmp_path: Path) -> None:
    title = 'Tom\'s "guide": part #1 — 설명'
    run = new(tmp_path, "site", "--title", title, "--base-url", "https://news.example.org/guide/", "-q")
    assert run.code == 0, run.err
    config = yaml.safe_load((tmp_path / "site" / "content" / "site.yaml").read_text(encoding="utf-8"))
    assert config["title"] == title and config["base_url"] == "https://news.example.org/guide/"
    assert (tmp_path / "site" / "README.md").read_text(encoding="utf-8").startswith(f"# {title}\n")


def test_a_wrong_address_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    run = new(tmp_path, "site", "--base-url", "example.org/guide")
    assert run.code == 1 and run.err.startswith("error: --base-url must be an http:// or https:// URL")
    assert not (tmp_path / "site").exists()


def test_a_site_that_does_not_fit_what_was_there_is_reported(tmp_path: Path) -> None:
    write_tree(tmp_path / "repo", {"content/facts/old.yaml": "- id: old\n  claim: Old.\n  evidence: [gone#x]\n"})
    run = new(tmp_path, "repo", "--force")
    assert run.code == 1
    assert "content/facts/old.yaml:3: error: unknown source 'gone' in reference 'gone#x'" in run.err
    assert run.err.splitlines()[-1] == ("The new site in repo/ was written but fails its check (check): files that were there "
                                         "before (--force) may not fit the new ones.")


def test_the_default_address_is_named_after_the_folder(tmp_path: Path) -> None:
    assert scaffold.default_base_url(tmp_path / "My Site!") == "https://example.github.io/my-site/"
    assert scaffold.default_base_url(tmp_path / "해설") == "https://example.github.io/explainer/"


def test_an_unknown_language_is_refused() -> None:
    with pytest.raises(SystemExit):
        from explainer.cli import parse_args

        parse_args(["new", "x", "--language", "fr"])


def test_the_requirement_given_goes_into_requirements_txt(tmp_path: Path) -> None:
    spec = "explainer @ git+https://github.com/someone/explainer@" + "a" * 40
    run = new(tmp_path, "site", "--requirement", spec)
    assert run.code == 0, run.err
    lines = (tmp_path / "site" / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert [line for line in lines if not line.startswith("#")] == [spec]
    assert f"  {spec}\n  As given with --requirement." in run.out


class Distribution:
    """A stand-in for importlib.metadata's distribution: only its direct_url.json."""

    def __init__(self, direct_url: dict[str, Any] | None) -> None:
        self.direct_url = direct_url

    def read_text(self, name: str) -> str | None:
        return json.dumps(self.direct_url) if name == "direct_url.json" and self.direct_url is not None else None


@pytest.mark.parametrize(("direct_url", "expected"), [
    ({"url": "https://github.com/someone/explainer", "vcs_info": {"vcs": "git", "commit_id": "b" * 40, "requested_revision": "v0.1.0"}},
     "explainer @ git+https://github.com/someone/explainer@" + "b" * 40),
    (None, f"explainer=={__version__}"),
    ({"url": "file:///home/me/explainer", "dir_info": {"editable": True}}, f"explainer @ git+{scaffold.PROJECT}@v{__version__}"),
    ({"url": "file:///tmp/explainer-0.1.0-py3-none-any.whl", "archive_info": {}}, f"explainer @ git+{scaffold.PROJECT}@v{__version__}"),
    ({"url": "file:///home/me/explainer", "vcs_info": {"vcs": "git", "commit_id": "c" * 40}}, f"explainer @ git+{scaffold.PROJECT}@v{__version__}"),
])
def test_the_workflows_install_this_same_explainer(monkeypatch: pytest.MonkeyPatch, direct_url: dict[str, Any] | None,
                                                  expected: str) -> None:
    monkeypatch.setattr(scaffold.metadata, "distribution", lambda name: Distribution(direct_url))
    assert scaffold.install_requirement().line == expected


def test_the_project_address_is_the_packages_own() -> None:
    from conftest import ROOT

    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert f'Source = "{scaffold.PROJECT}"' in pyproject
