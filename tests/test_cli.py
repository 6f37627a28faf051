"""The command line: help, exit codes, and no traceback for users."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, Run
from explainer import cli


def test_help_documents_every_command_and_option(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(["--help"])
    assert exited.value.code == 0
    top = capsys.readouterr().out
    for command in cli.COMMANDS:
        assert command in top
    parser = cli.make_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command")
    for name, sub in subparsers.choices.items():  # type: ignore[union-attr]
        text = sub.format_help()
        for action in sub._actions:
            for flag in action.option_strings:
                assert flag in text, f"{name} --help does not mention {flag}"
            if action.option_strings and action.help is None:
                pytest.fail(f"{name}: option {action.option_strings} has no help text")


def test_build_is_the_default_command(make_site: Callable[..., Run]) -> None:
    run = make_site({}, "--out", "public")
    assert run.code == 0, run.err
    assert (run.root / "public" / "index.html").is_file()
    assert "Built 10 pages" in run.out


def test_check_command_writes_nothing(make_site: Callable[..., Run]) -> None:
    run = make_site({}, "check")
    assert run.code == 0
    assert "No errors." in run.out
    assert not run.site.exists()
    failed = make_site({"content/glossary/sky.yaml": "term: [\n"}, "check")
    assert failed.code == 1
    assert failed.err.splitlines()[-1] == "Check failed; nothing was written."


def test_content_option(make_site: Callable[..., Run], site_root: Path) -> None:
    make_site()
    (site_root / "content").rename(site_root / "words")
    from conftest import run_cli

    run = run_cli(site_root, "build", "--content", "words", "--out", "built")
    assert run.code == 0, run.err
    assert (site_root / "built" / "index.html").is_file()


def test_missing_content_folder(site_root: Path) -> None:
    from conftest import run_cli

    run = run_cli(site_root, "build")
    assert run.code == 1
    assert "content: error: content folder not found" in run.err


def test_internal_error_prints_one_line_and_no_traceback(make_site: Callable[..., Run], monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: object, **__: object) -> None:
        raise ZeroDivisionError("oops")

    monkeypatch.setattr(cli, "build_cached", broken)
    run = make_site()
    assert run.code == 3
    assert run.err.startswith("internal error: ZeroDivisionError: oops\n")
    assert "Traceback" not in run.err
    debug = make_site({}, "build", "--debug")
    assert "Traceback" in debug.err


def test_build_py_runs_as_a_script(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--help"], capture_output=True, text=True, check=False)
    assert result.returncode == 0
    assert "build" in result.stdout and "check" in result.stdout


def test_missing_dependency_message_has_no_traceback(tmp_path: Path) -> None:
    # A Python without the dependencies: run build.py with an empty, isolated path.
    script = f"import sys; sys.path[:] = [{str(ROOT)!r}]; sys.argv = ['build.py']; exec(open({str(ROOT / 'build.py')!r}).read())"
    result = subprocess.run([sys.executable, "-I", "-S", "-c", script], capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "is not installed" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("argv", [["-q", "check"], ["check", "-q"], ["--strict", "-q", "check"], ["--content", "content", "check", "-q"]])
def test_options_may_come_before_or_after_the_command(make_site: Callable[..., Run], argv: list[str]) -> None:
    run = make_site({}, *argv)
    assert run.code == 0, run.err
    assert not run.site.exists()


def test_an_option_value_that_looks_like_a_command_is_a_value(make_site: Callable[..., Run]) -> None:
    run = make_site({}, "--out", "build", "-q")
    assert run.code == 0, run.err
    assert (run.root / "build" / "index.html").is_file()


def test_a_misspelt_command_is_named_with_a_suggestion(make_site: Callable[..., Run], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.parse_args(["bulid"])
    assert exited.value.code == 2
    assert "unknown command 'bulid'; did you mean 'build'?" in capsys.readouterr().err


@pytest.mark.parametrize(("argv0", "expected"), [("build.py", "python build.py"), ("/repo/build.py", "python build.py"),
                                                 ("/venv/lib/explainer/__main__.py", "python -m explainer"),
                                                 ("/venv/bin/explainer", "explainer")])
def test_the_program_is_named_as_it_was_run(argv0: str, expected: str) -> None:
    assert cli.program_name(argv0) == expected


@pytest.mark.parametrize(("argv0", "program"), [("build.py", "python build.py"), ("/home/me/.local/bin/explainer", "explainer")])
def test_messages_name_the_command_as_it_was_run(make_site: Callable[..., Run], site_root: Path, monkeypatch: pytest.MonkeyPatch,
                                                 argv0: str, program: str) -> None:
    from conftest import run_cli

    monkeypatch.setattr(sys, "argv", [argv0])
    assert cli.make_parser().format_usage().startswith(f"usage: {program} ")
    missing = run_cli(site_root, "build")
    assert f"start a new site with `{program} new DIR`" in missing.err

    def broken(*_: object, **__: object) -> None:
        raise ZeroDivisionError("oops")

    monkeypatch.setattr(cli, "build_cached", broken)
    crashed = make_site({}, "build", "--out", "my site")
    assert crashed.err.splitlines()[-1].endswith(f"with the output of: {program} build --out 'my site' --debug")


def test_build_py_names_itself_in_help_and_in_the_next_steps_of_new(tmp_path: Path) -> None:
    shown = subprocess.run([sys.executable, str(ROOT / "build.py"), "--help"], capture_output=True, text=True, check=True)
    assert shown.stdout.startswith("usage: python build.py ")
    started = subprocess.run([sys.executable, str(ROOT / "build.py"), "new", "site"], cwd=tmp_path, capture_output=True, text=True,
                             check=False)
    assert started.returncode == 0, started.stderr
    script = os.path.relpath(ROOT / "build.py", tmp_path / "site")
    assert f"  python {script} serve " in started.stdout  # a command that works from inside the new folder


def test_output_into_a_closed_pipe_is_not_a_bug(tmp_path: Path) -> None:
    # `true` exits without reading: the pipe is closed long before Python has started and writes.
    shown = subprocess.run(f"{sys.executable} {ROOT / 'build.py'} new site | true", shell=True, cwd=tmp_path,
                           capture_output=True, text=True, check=False)
    assert shown.stderr == ""
    assert (tmp_path / "site" / "content" / "site.yaml").is_file()


def test_build_without_search_leaves_the_index_out(make_site: Callable[..., Run]) -> None:
    full = make_site({}, "build")
    assert full.code == 0, full.err
    assert (full.site / "pagefind" / "pagefind-entry.json").is_file()
    pages = {p.relative_to(full.site): p.read_bytes() for p in full.site.rglob("*") if p.is_file() and "pagefind" not in p.parts}
    run = make_site({}, "build", "--no-search")
    assert run.code == 0, run.err
    assert "no search index" in run.out
    assert not (run.site / "pagefind").exists()  # an index left from before would find pages that may be gone
    assert {p.relative_to(run.site): p.read_bytes() for p in run.site.rglob("*") if p.is_file()} == pages


LOADED = """
import sys
from explainer.cli import main
code = main(sys.argv[1:])
heavy = ("explainer.search", "explainer.preview", "explainer.output.pdf", "explainer.scaffold", "tornado", "watchfiles",
         "selectolax", "pagefind", "subprocess", "urllib.request", "asyncio", "charset_normalizer")
print(code, *sorted(name for name in heavy if name in sys.modules))
"""


@pytest.mark.parametrize(("argv", "loaded"), [
    # fontconfig's fc-match finds the machine's fonts for the social cards (check makes the site too, in memory)
    (["check", "-q"], ["subprocess"]),
    (["build", "-q", "--no-search"], ["subprocess"]),
    # Pagefind runs as a program, found without its Python package (pagefind.service starts asyncio)
    (["build", "-q"], ["explainer.search", "selectolax", "subprocess"]),
])
def test_a_command_loads_only_the_code_it_needs(site_root: Path, argv: list[str], loaded: list[str]) -> None:
    # each import costs every run of the command; the preview server, PDF and search code load where they are used
    from conftest import MINI, write_tree

    write_tree(site_root, dict(MINI))
    ran = subprocess.run([sys.executable, "-c", LOADED, *argv], cwd=site_root, capture_output=True, text=True, check=False)
    assert ran.stdout.split() == ["0", *loaded], ran.stderr


def test_the_pipeline_names_the_search_folder_as_the_search_code_does() -> None:
    from explainer import pipeline, search

    assert pipeline.SEARCH_FOLDER == search.BUNDLE


def test_a_command_collects_garbage_seldom_and_leaves_the_collector_as_it_was(
        make_site: Callable[..., Run], monkeypatch: pytest.MonkeyPatch) -> None:
    # a build keeps everything it makes until it ends: walking all of it again and again cost a tenth of a cold build
    import gc

    from explainer import collecting, pipeline

    seen: list[tuple[int, int, int]] = []
    make_pending = pipeline.make_pending

    def noted(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.get_threshold())
        return make_pending(*args, **kwargs)

    monkeypatch.setattr(pipeline, "make_pending", noted)
    before = gc.get_threshold()
    run = make_site({}, "build", "--no-search")
    assert run.code == 0, run.err
    assert seen == [collecting.COMMAND_GC] and gc.get_threshold() == before
    failed = make_site({"content/site.yaml": "title: [\n"}, "build")
    assert failed.code == 1 and gc.get_threshold() == before  # a failed command too
