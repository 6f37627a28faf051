"""The operator's limits: `--limit NAME=VALUE` raises or lowers any declared limit; nothing in the content can."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import pytest

from conftest import MINI, Run, run_cli, write_tree
from explainer import cli, limits, workers
from explainer.cache import Cache
from explainer.errors import BuildFailed
from explainer.model import Options
from explainer.pipeline import make

LONG_LINE = {"content/pages/intro.md": MINI["content/pages/intro.md"] + "\n" + "word " * 2_400 + "\n"}  # 12,000 characters
UP_TO_DATE = "is up to date"


@pytest.mark.parametrize(("text", "expected"), [
    ("content-bytes=128MiB", ("CONTENT_BYTES", 128 * 1024**2)),
    ("content-bytes=2GiB", ("CONTENT_BYTES", 2 * 1024**3)),
    ("content-bytes=1.5GiB", ("CONTENT_BYTES", 3 * 1024**3 // 2)),
    ("content-bytes=900KB", ("CONTENT_BYTES", 900_000)),
    ("content-bytes=900 kib", ("CONTENT_BYTES", 900 * 1024)),
    ("content-bytes=1048576", ("CONTENT_BYTES", 1_048_576)),
    ("content-bytes=1TiB", ("CONTENT_BYTES", 1024**4)),
    ("folder-files=20000", ("FOLDER_FILES", 20_000)),
    ("folder-files=20_000", ("FOLDER_FILES", 20_000)),
    ("folder-files=20,000", ("FOLDER_FILES", 20_000)),
    ("FOLDER_FILES=7", ("FOLDER_FILES", 7)),
    ("line-chars=1", ("LINE_CHARS", 1)),
])
def test_a_setting_is_read_with_its_unit(text: str, expected: tuple[str, int]) -> None:
    assert limits.setting(text) == expected


@pytest.mark.parametrize(("text", "said"), [
    ("content-byte=1MiB", "no limit is called 'content-byte'; did you mean 'content-bytes'?"),
    ("pages=10", "no limit is called 'pages' (limits: file-bytes, line-chars,"),
    ("folder-files", "'folder-files' gives no value: write folder-files=10000"),
    ("folder-files=lots", "folder-files=lots: folder-files is a whole number of files, without a unit"),
    ("folder-files=20k", "folder-files=20k: folder-files is a whole number of files, without a unit"),
    ("folder-files=1.5", "folder-files=1.5: folder-files is a whole number of files"),
    ("folder-files=1,5", "folder-files=1,5: folder-files is a whole number of files"),
    ("folder-files=0", "folder-files=0: a limit is 1 or more"),
    ("folder-files=-5", "folder-files=-5: a limit is 1 or more"),
    ("content-bytes=0KiB", "content-bytes=0KiB: a limit is 1 or more"),
    ("content-bytes=12 parsecs", "content-bytes=12 parsecs: content-bytes is a number of bytes, with a unit or without"),
    ("content-bytes=2TiB", "content-bytes=2TiB: more than 1 TiB is no limit at all"),
    ("folder-files=2000000000", "folder-files=2000000000: more than 1,000,000,000 is no limit at all"),
    ("yaml-depth=201", "yaml-depth=201: more than 200 is past what explainer can read"),  # reading recurses
    ("image-pixels=500000000", "image-pixels=500000000: more than 178,956,970 is past what explainer can read"),  # Pillow's
    ("content-bytes=1" + "0" * 5_000, "content-bytes=1" + "0" * 39 + "…: content-bytes is a number of bytes"),
])
def test_a_bad_setting_is_refused_for_people(text: str, said: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(argparse.ArgumentTypeError, match=None) as refused:
        limits.setting(text)
    assert said in str(refused.value)
    with pytest.raises(SystemExit) as exited:  # on the command line: a usage error, no traceback
        cli.parse_args(["build", "--limit", text])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert f"argument --limit: {said}" in err and "Traceback" not in err


def test_every_declared_limit_has_a_name_and_every_command_that_reads_content_takes_it() -> None:
    names = [limits.option_name(name) for name in limits.LIMITS]
    assert names[:2] == ["file-bytes", "line-chars"] and "content-bytes" in names and len(set(names)) == len(limits.LIMITS)
    for command in cli.BUILDING:
        args = cli.parse_args(["--limit", "line-chars=20000", command, "--limit", "content-bytes=64MiB"])  # before the command too
        assert args.command == command
        assert cli.options_from(args).limits == (("CONTENT_BYTES", 64 * 1024**2), ("LINE_CHARS", 20_000))


def test_the_last_setting_of_a_name_wins_and_one_equal_to_the_default_is_none() -> None:
    assert limits.settings([("LINE_CHARS", 5), ("LINE_CHARS", 20_000)]) == (("LINE_CHARS", 20_000),)
    assert limits.settings([("LINE_CHARS", limits.LINE_CHARS.default)]) == ()


def test_a_setting_holds_while_applied_and_only_then() -> None:
    assert limits.LINE_CHARS.value == 10_000
    with limits.applied((("LINE_CHARS", 20_000),)):
        assert limits.LINE_CHARS.value == 20_000 and limits.FILE_BYTES.value == limits.FILE_BYTES.default
        with limits.applied(()):
            assert limits.LINE_CHARS.value == 10_000
        assert limits.LINE_CHARS.value == 20_000
    assert limits.LINE_CHARS.value == 10_000


def test_a_lowered_limit_refuses_what_the_default_lets_through(make_site: Callable[..., Run]) -> None:
    assert make_site({}, "build", "-q").code == 0
    run = make_site({}, "check", "--limit", "file-bytes=100")
    assert run.code == 1
    assert "content/facts/nature.yaml: error: this file is 201 bytes; a content file may have at most 100 bytes" in run.err.splitlines()
    assert "if you trust this content, raise the limit with `--limit file-bytes=1KiB`" in run.err


def test_a_raised_limit_lets_through_what_the_default_refuses(make_site: Callable[..., Run]) -> None:
    refused = make_site(LONG_LINE, "check")
    assert refused.code == 1
    assert "content/pages/intro.md:10: error: line 10 has 12,000 characters; a line may have at most 10,000 characters" \
        in refused.err.splitlines()
    assert "if you trust this content, raise the limit with `--limit line-chars=15000`" in refused.err
    assert make_site(LONG_LINE, "check", "--limit", "line-chars=15000").code == 0


@pytest.mark.parametrize(("path", "text"), [
    ("content/site.yaml", MINI["content/site.yaml"] + "limits:\n  line-chars: 20000\nlimit: line-chars=20000\n"),
    ("content/pages/intro.md", "---\ntitle: Introduction\nlimits: {line-chars: 20000}\n" + MINI["content/pages/intro.md"][4:]
     + "\n" + "word " * 2_400 + "\n"),
    ("content/.explainer", "--limit line-chars=20000\n"),
])
def test_nothing_in_the_content_sets_a_limit(make_site: Callable[..., Run], path: str, text: str) -> None:
    run = make_site({**LONG_LINE, path: text}, "check")
    assert run.code == 1
    assert "a line may have at most 10,000 characters" in run.err


def test_a_build_with_other_limits_is_never_up_to_date_from_one_with_the_defaults(make_site: Callable[..., Run]) -> None:
    assert make_site({}, "build", "-q").code == 0
    assert UP_TO_DATE in make_site({}, "build").out
    assert UP_TO_DATE in make_site({}, "build", "--limit", "line-chars=10000").out  # the default, set: the same build
    lowered = make_site({}, "build", "-v", "--limit", "file-bytes=100")
    assert lowered.code == 1 and UP_TO_DATE not in lowered.out and "at most 100 bytes" in lowered.err
    raised = make_site({}, "build", "-v", "--limit", "line-chars=20000")
    assert raised.code == 0 and "Built" in raised.out and "Cache: changed since the last build: options." in raised.out
    assert UP_TO_DATE in make_site({}, "build", "--limit", "line-chars=20000").out
    assert make_site({}, "build", "-v").out.count("Built") == 1  # back to the defaults: built again


def test_a_build_called_with_options_holds_to_their_limits(tmp_path: Path) -> None:
    write_tree(tmp_path, dict(MINI))
    with pytest.raises(BuildFailed) as failed:  # the preview server's rebuilds and `pdf` build through make, too
        make(Options(tmp_path / "content", limits=(("FILE_BYTES", 100),)), search=False)
    assert any("at most 100 bytes" in p.message for p in failed.value.problems)
    assert limits.FILE_BYTES.value == limits.FILE_BYTES.default  # only while it built


def limit_in_worker(name: str) -> int:
    """(In a worker) the value of a limit there."""
    return limits.LIMITS[name].value


@pytest.mark.skipif(not workers.can_fork(), reason="worker processes start by forking (Linux)")
def test_worker_processes_hold_to_the_operators_limits(tmp_path: Path) -> None:
    options = Options(tmp_path / "content", jobs=2, limits=(("FOLDER_FILES", 20_000), ("LINE_CHARS", 3)))
    job = workers.Job(cast(Any, None), options, cast(Any, None), Cache(), links=False, search=False)
    assert limits.FOLDER_FILES.value == 5_000  # not in force here: the job hands them to each worker, however it starts
    with workers.start_pool(job, 2) as executor:
        assert list(executor.map(limit_in_worker, ["FOLDER_FILES", "LINE_CHARS", "FILE_BYTES"] * 2)) == \
            [20_000, 3, limits.FILE_BYTES.default] * 2


@pytest.mark.skipif(not workers.can_fork(), reason="worker processes start by forking (Linux)")
def test_a_build_in_worker_processes_takes_a_raised_limit(site_root: Path) -> None:
    pages = {f"content/pages/p{number:02d}.md": f"---\ntitle: Page {number}\n---\n\nThe sky, page {number}.\n"
             for number in range(workers.PARALLEL_PAGES)}
    write_tree(site_root, {**MINI, **LONG_LINE, **pages})
    assert run_cli(site_root, "build", "-j", "2", "--no-cache").code == 1
    run = run_cli(site_root, "build", "-j", "2", "--no-cache", "--limit", "line-chars=15000")
    assert run.code == 0, run.err
    assert (site_root / "site" / "p47" / "index.html").is_file() and "word word" in (site_root / "site" / "intro" / "index.html").read_text()


def test_limits_read_outside_the_build_hold_too(make_site: Callable[..., Run]) -> None:
    shown = make_site(LONG_LINE, "check", "--limit", "shown-chars=20")  # the report is printed after the build
    assert "    10 | word word word word …" in shown.err.splitlines()
    cached = make_site({}, "build", "-v", "--limit", "cache-bytes=1KiB")  # the cache is written after the build
    assert cached.code == 0 and "larger than the limit: not kept" in cached.out


def test_the_deepest_yaml_a_setting_allows_is_read_or_refused_never_a_crash(tmp_path: Path) -> None:
    write_tree(tmp_path, MINI)
    for depth in (199, 260, 3_000):
        nested = "x: " + "[" * depth + "]" * depth + "\n"
        (tmp_path / "content" / "facts" / "deep.yaml").write_text(nested, encoding="utf-8")
        run = run_cli(tmp_path, "check", "--limit", "yaml-depth=200", "--limit", "line-chars=10000000")
        assert "internal error" not in run.err and "Traceback" not in run.err, run.err[-500:]
        if depth > 200:
            assert "more than 200 levels" in run.err, run.err[-500:]
        else:  # read: what is wrong with it is then that it is no fact group
            assert "levels" not in run.err and "missing required key 'facts'" in run.err, run.err[-500:]


def test_an_image_past_pillows_own_ceiling_is_refused_in_explainers_words(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from PIL import Image

    write_tree(tmp_path, MINI)
    (tmp_path / "content" / "files").mkdir(exist_ok=True)
    Image.new("L", (100, 100)).save(tmp_path / "content" / "files" / "big.png")
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1_000)  # Pillow refuses 10,000 pixels as twice its limit
    run = run_cli(tmp_path, "check")
    assert "content/files/big.png: error: this image is more than 179 MP; an image may have at most 20 MP" in run.err


def test_a_folder_of_pages_over_the_limit_is_listed_once_and_nothing_in_it_is_read(tmp_path: Path) -> None:
    write_tree(tmp_path, MINI)
    junk = tmp_path / "content" / "pages" / "junk"
    junk.mkdir()
    for number in range(5):
        (junk / f"f{number}.txt").write_text("x", encoding="utf-8")
        (junk / f"p{number}.png").write_bytes(b"not an image")
    run = run_cli(tmp_path, "check", "--limit", "folder-files=4")
    assert run.err.count("content/pages/junk: error: more than 4 files in one folder; none of them was read") == 1, run.err
    assert "f0.txt" not in run.err and "p0.png" not in run.err  # neither the pages' listing nor the images' read them
