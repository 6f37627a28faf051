"""A site's own templates/, which a pull request may bring: run in Jinja's sandbox, read only from inside the project."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import jinja2
import pytest

from conftest import ROOT, Run, run_cli
from explainer.model import Options
from explainer.render import theme as themes
from support import within

SECRET = "the builder's secret"


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_default_theme_gives_the_same_bytes_in_the_sandbox(built_flagship: Path, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A site with templates of its own runs the default theme's in the sandbox too: they must need nothing it refuses."""
    monkeypatch.setattr(themes, "ThemeEnvironment", themes.SandboxedThemeEnvironment)  # what make_environment picks
    run = run_cli(ROOT, "build", "--out", str(tmp_path / "site"), "--quiet", "--no-cache")
    assert run.code == 0, run.err
    assert files(tmp_path / "site") == files(built_flagship)


@pytest.mark.parametrize("reach", [
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ joiner.__init__.__globals__['os'].environ }}",
    "{{ config.__class__.__init__.__globals__ }}",
])
def test_a_template_of_the_site_reaches_no_python_internals(make_site: Callable[..., Run], reach: str) -> None:
    run = make_site({"templates/footer.html": f"<footer>{reach}</footer>\n"})
    assert run.code == 1 and "templates/footer.html:1: error: template error:" in run.err and "unsafe" in run.err
    assert "internal error" not in run.err and "uid=" not in run.out + run.err


def test_a_template_of_the_site_still_does_what_templates_do(make_site: Callable[..., Run]) -> None:
    footer = ("<footer>{% set parts = [config.title, ''] | select | list %}{{ parts | join(', ') }} "
              "{{ '{} of {}'.format(1, 2) }} {% for k, v in {'a': 1}.items() %}{{ k }}{{ v }}{% endfor %}"
              "{% set ns = namespace(seen=[]) %}{% for n in [1, 2] %}{% set ns.seen = ns.seen + [n] %}{% endfor %}"
              " {{ ns.seen | sum }}</footer>\n")
    run = make_site({"templates/footer.html": footer})
    assert run.code == 0, run.err
    assert "<footer>Mini 1 of 2 a1 3</footer>" in run.page("index.html")


@pytest.mark.parametrize("change", [
    "{% set _ = site.fact_by_id.clear() %}",  # what every page after it reads
    "{% set _ = labels.update({'facts': 'x'}) %}",
    "{% set kept = [] %}{% set _ = kept.append(1) %}",
])
def test_a_template_of_the_site_changes_no_value(make_site: Callable[..., Run], change: str) -> None:
    """The immutable sandbox: a value a template is given, or makes, is not changed in place (a list is built with
    filters, or kept in a namespace)."""
    run = make_site({"templates/footer.html": f"<footer>\n{change}\n</footer>\n"})
    assert run.code == 1 and "templates/footer.html:2: error: template error:" in run.err and "unsafe" in run.err, run.err
    assert "internal error" not in run.err


@pytest.mark.parametrize("where", ["templates/footer.html", "templates/static/leak.css", "templates/static", "templates"])
def test_a_theme_file_linked_from_outside_the_project_is_refused_and_never_published(
        make_site: Callable[..., Run], tmp_path_factory: pytest.TempPathFactory, where: str) -> None:
    outside = tmp_path_factory.mktemp("outside")
    (outside / "secret.txt").write_text(SECRET, encoding="utf-8")
    (outside / "footer.html").write_text(SECRET, encoding="utf-8")
    root = make_site({"templates/base-note.txt": "kept\n"}).root
    link = root / where
    if link.exists():
        link.unlink() if link.is_file() else None
    link.parent.mkdir(parents=True, exist_ok=True)
    if where in ("templates/static", "templates"):
        if where == "templates":
            for path in sorted(link.rglob("*"), reverse=True):
                path.unlink() if path.is_file() else path.rmdir()
            link.rmdir()
        link.symlink_to(outside, target_is_directory=True)
    else:
        link.symlink_to(outside / ("footer.html" if where.endswith(".html") else "secret.txt"))
    run = run_cli(root, "build")
    assert run.code == 1 and "outside the project folder" in run.err and f"{where}:" in run.err
    assert "internal error" not in run.err
    published = files(root / "site")
    assert not any(SECRET.encode() in data for data in published.values())


@pytest.mark.parametrize("target", ["/dev/zero", "/dev/stdin", "/"])
def test_a_theme_link_to_an_endless_file_ends_at_once(make_site: Callable[..., Run], target: str) -> None:
    root = make_site().root
    (root / "templates" / "static").mkdir(parents=True)
    (root / "templates" / "page.html").symlink_to(target)
    (root / "templates" / "static" / "endless.css").symlink_to(target)
    with within(20):
        run = run_cli(root, "build")
    assert run.code == 1 and "outside the project folder" in run.err and "internal error" not in run.err


def test_a_theme_file_past_its_limit_is_refused(make_site: Callable[..., Run]) -> None:
    root = make_site().root
    (root / "templates" / "static").mkdir(parents=True)
    with open(root / "templates" / "static" / "huge.css", "wb") as huge:
        huge.truncate(21 << 20)  # sparse: past the 20 MiB of a static file without writing them
    (root / "templates" / "footer.html").write_bytes(b"<footer>" + b" " * (600 << 10) + b"</footer>\n")
    run = run_cli(root, "build")
    assert run.code == 1 and "internal error" not in run.err
    assert "templates/static/huge.css: error: this file of the theme is not used: it is 21 MiB, past the limit of 20 MiB" in run.err
    assert "templates/footer.html: error: this file of the theme is not used: it is 600.0 KiB" in run.err
    assert "--limit asset-bytes=" in run.err and "--limit file-bytes=" in run.err


def test_the_loader_never_reads_a_file_the_theme_does_not_use(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html").symlink_to("/dev/zero")
    theme = themes.Theme.for_site(Options(tmp_path / "content"))
    env = themes.make_environment(theme)
    assert isinstance(env, themes.SandboxedThemeEnvironment)
    with within(10):
        assert "page.html" in str(env.get_template("page.html").filename)  # the default theme's, not the link
    assert theme.templates()["page.html"] == themes.DEFAULT_THEME / "page.html"
    with pytest.raises(jinja2.TemplateNotFound):
        themes.ProjectLoader(theme).get_source(env, "page.html")


def test_the_flagship_default_theme_runs_without_the_sandbox() -> None:
    theme = themes.Theme.for_site(Options(ROOT / "content"))
    assert theme.own is None and type(themes.make_environment(theme)) is themes.ThemeEnvironment


@pytest.mark.parametrize("way", ["links on the way", "templates is the project"])
def test_a_template_cannot_include_a_file_through_links_that_each_stay_inside(make_site: Callable[..., Run], way: str) -> None:
    """Each link stays in the project, but the name they make leads to .git/config (or the templates folder is the
    project itself, .git/ and all): judged by the real path of the whole name, it is refused."""
    root = make_site().root
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text("[remote]\n\turl = https://user:SECRET-TOKEN@example.com/r.git\n", encoding="utf-8")
    if way == "links on the way":
        (root / "archive").mkdir(exist_ok=True)
        (root / "archive" / "x").symlink_to("../.git", target_is_directory=True)
        (root / "templates").mkdir()
        (root / "templates" / "d").symlink_to("../archive", target_is_directory=True)
        (root / "templates" / "footer.html").write_text('<footer>[{% include "d/x/config" %}]</footer>\n', encoding="utf-8")
    else:
        (root / "templates").symlink_to(".", target_is_directory=True)
        (root / "footer.html").write_text('<footer>[{% include ".git/config" %}]</footer>\n', encoding="utf-8")
    run = run_cli(root, "build")
    assert run.code == 1 and "internal error" not in run.err and "SECRET-TOKEN" not in run.out + run.err
    assert not any(b"SECRET-TOKEN" in path.read_bytes() for path in (root / "site").rglob("*") if path.is_file())


def test_hidden_files_in_templates_are_left_alone(make_site: Callable[..., Run]) -> None:
    """.DS_Store, .gitkeep, an editor's swap file: no error (only a link's target must not be hidden), and not published,
    as in content/."""
    run = make_site({"templates/.DS_Store": "x", "templates/static/.gitkeep": "", "templates/.footer.html.swp": "x",
                     "templates/static/.DS_Store": "x", "templates/footer.html": "<footer>{{ config.title }}</footer>\n"})
    assert run.code == 0, run.err
    assert not list((run.site / "assets").glob(".*")) and "<footer>Mini</footer>" in run.page("index.html")
