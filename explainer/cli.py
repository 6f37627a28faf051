"""The command line: parse the arguments, call one command, print its one result.

It is where a run's outcome becomes text and an exit code: every error meant for a person
(ExplainerError, BuildFailed) is printed here, and anything else is a bug of ours, printed as
one line (its traceback only with --debug).
"""

from __future__ import annotations

import argparse
import difflib
import os
import shlex
import sys
import time
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__, collecting, limits
from .errors import BUG, REPORT_URL, BuildFailed, ExplainerError, describe_bug, display_path, format_report
from .model import Options
from .output.write import DEFAULT_OUT, check_default_out  # loaded with uptodate in any case
from .uptodate import Record, build_cached

if TYPE_CHECKING:  # the build's code loads only when there is something to build (uptodate.py)
    from .pipeline import Built, Made

COMMANDS = ("build", "check", "serve", "pdf", "new")
LANGUAGE_NAMES = {"en": "English", "ko": "Korean"}


def job_count(text: str) -> int:
    """The value of --jobs: a whole number, 0 (decide by the site's size) or more."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of processes: give 1 or more, or 0 to decide by the site's size")
    return value


@dataclass(frozen=True, slots=True)
class Option:
    """One option: its flags, the commands that take it, and what argparse needs to know of it."""

    flags: tuple[str, ...]
    commands: tuple[str, ...]
    help: str
    settings: tuple[tuple[str, Any], ...] = ()  # argparse keyword arguments; no "action" means it takes a value

    @property
    def takes_value(self) -> bool:
        return dict(self.settings).get("action") in (None, "append")


ALL = COMMANDS
BUILDING = ("build", "check", "serve", "pdf")  # the commands that read a site
OPTIONS = (
    Option(("--content",), BUILDING, "folder holding site.yaml, sources/, facts/, glossary/, pages/ (default: content)",
           (("type", Path), ("default", Path("content")), ("metavar", "DIR"))),
    Option(("--strict",), BUILDING, "treat warnings (unverified quotes, unused excerpts …) as errors", (("action", "store_true"),)),
    Option(("--base-url",), BUILDING, "publish address overriding base_url in site.yaml, e.g. https://user.github.io/repo/",
           (("default", ""), ("metavar", "URL"))),
    Option(("--previous",), BUILDING, "the facts.json of the last published build, to find claims changed without a correction "
           "(default: the one in the output folder)", (("type", Path), ("default", None), ("metavar", "FILE"))),
    Option(("--limit",), BUILDING, limits.HELP, (("type", limits.setting), ("action", "append"), ("metavar", "NAME=VALUE"))),
    Option(("--debug",), ALL, "show the traceback of an internal error", (("action", "store_true"),)),
    Option(("-q", "--quiet"), ALL, "print only problems", (("action", "store_true"),)),
    Option(("-v", "--verbose"), ("build", "check", "pdf"), "also print how long each stage of the build took",
           (("action", "store_true"),)),
    Option(("-j", "--jobs"), ("build", "check", "pdf"), "processes to build with: 1 builds in this one; the default, 0, uses the "
           "cores other programs leave idle for a site of 48 pages or more (the output is the same bytes either way)",
           (("type", job_count), ("default", 0), ("metavar", "N"))),
    Option(("--no-search",), ("build",), "leave out the search index (pagefind/), for a faster build: the site's search "
           "box then says search is unavailable and its button opens the glossary", (("action", "store_true"),)),
    Option(("--no-cache",), ("build", "serve"), "neither use nor keep the build cache (.explainer-cache/ beside the content "
           "folder): build everything afresh", (("action", "store_true"),)),
    Option(("--out",), ("build", "serve"), "output folder (default: site)", (("type", Path), ("default", DEFAULT_OUT), ("metavar", "DIR"))),
    Option(("--host",), ("serve",), "address to listen on (default: 127.0.0.1, this machine only; anything else is reachable by others)",
           (("default", "127.0.0.1"),)),
    Option(("--port",), ("serve",), "port to listen on (default: 8000; 0 picks a free one)", (("type", int), ("default", 8000))),
    Option(("--out",), ("pdf",), "the PDF to write (default: print.pdf)", (("type", Path), ("default", Path("print.pdf")), ("metavar", "FILE"))),
    Option(("--chromium",), ("pdf",), "the Chromium or Chrome program (default: chromium on PATH, else /usr/bin/chromium)",
           (("default", ""), ("metavar", "PATH"))),
    Option(("--language",), ("new",), "the language of the starter site: en (English, the default) or ko (Korean)",
           (("choices", ("en", "ko")), ("default", "en"))),
    Option(("--title",), ("new",), "the site's title (default: a sample title in its language)", (("default", ""),)),
    Option(("--base-url",), ("new",), "where the site will be published, written into site.yaml "
           "(default: https://example.github.io/<folder>/; the Pages workflow passes the real address)",
           (("default", ""), ("metavar", "URL"))),
    Option(("--force",), ("new",), "write into a folder that is not empty, adding only the files that are missing "
           "(files already there are kept as they are)", (("action", "store_true"),)),
    Option(("--requirement",), ("new",), "the pip requirement the site's workflows install explainer with, "
           "e.g. 'explainer @ git+https://github.com/you/explainer@<commit>' (default: this explainer, pinned)",
           (("default", ""), ("metavar", "SPEC"))),
)
TAKES_VALUE = frozenset(flag for option in OPTIONS if option.takes_value for flag in option.flags)


def program_name(argv0: str | None = None) -> str:
    """How the user started us, to be quoted back in help and messages: `python build.py`, `python -m explainer` or `explainer`."""
    name = os.path.basename(argv0 if argv0 is not None else sys.argv[0])
    return {"build.py": "python build.py", "__main__.py": "python -m explainer"}.get(name, "explainer")


def make_parser(prog: str | None = None) -> argparse.ArgumentParser:
    """Declare every command and option (shown by --help)."""
    prog = prog or program_name()
    parser = argparse.ArgumentParser(prog=prog, description="Build an explainer microsite: curated facts, a glossary and attributed excerpts.",
                                     epilog=f"Without a command, 'build' runs. '{prog} COMMAND --help' shows a command's options.")
    parser.add_argument("--version", action="version", version=f"explainer {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    described = {
        "build": ("build the site into the output folder (the default)",
                  "Build the site. The previous output stays untouched unless the build succeeds."),
        "check": ("load and check the content without writing the site",
                  "Report every problem in the content, as a build would, without writing the site. Quotes verified against "
                  "their archives are recorded in content/quotes.lock, as by every command that checks them."),
        "serve": ("build, serve for preview, rebuild and reload the browser on every change",
                  "Build the site, serve it under its base path and rebuild it whenever content/ or the templates change; "
                  "open pages reload by themselves. Ctrl-C stops."),
        "pdf": ("write the print edition to a PDF with headless Chromium",
                "Build the site in memory and print its print edition (print/) to a PDF with headless Chromium. Needs Chromium "
                "and a font for the site's language (Debian: sudo apt-get install chromium fonts-nanum). site/ is not touched."),
        "new": ("start a new site in a folder of its own: sample content, README, GitHub Pages workflow",
                "Write a small, complete explainer into DIR (a new or empty folder): site.yaml with every key explained, a source "
                "with its archive text and excerpts, facts, glossary terms, two pages using every reference syntax, a README "
                "for the writer, a .gitignore and the GitHub workflows that check it and publish it on Pages. The new site "
                f"is checked under --strict before {prog} says it is done."),
    }
    for command in COMMANDS:
        short, long = described[command]
        sub = commands.add_parser(command, help=short, description=long)
        if command == "new":
            sub.add_argument("folder", type=Path, metavar="DIR", help="the folder to create (or an empty one)")
        for option in OPTIONS:
            if command in option.commands:
                sub.add_argument(*option.flags, help=option.help, **dict(option.settings))
    return parser


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """Parse arguments: the command may come anywhere among the options, and 'build' is the default.

    `-q check`, `--out public` and `check -q` all work; a misspelt command is named as such, with a suggestion.
    """
    parser = make_parser()
    args = list(argv)
    if args[:1] and args[0] in ("-h", "--help", "--version"):
        return parser.parse_args(args)
    position = _command_position(args)
    if position is None:
        return parser.parse_args(["build", *args])
    word = args[position]
    if word not in COMMANDS:
        close = difflib.get_close_matches(word, COMMANDS, n=1)
        parser.error(f"unknown command '{word}'" + (f"; did you mean '{close[0]}'?" if close else "") +
                     f" (commands: {', '.join(COMMANDS)})")
    return parser.parse_args([word, *args[:position], *args[position + 1:]])


def _command_position(args: list[str]) -> int | None:
    """Index of the first word that is not an option or an option's value, or None."""
    index = 0
    while index < len(args):
        word = args[index]
        if word == "--":
            return index + 1 if index + 1 < len(args) else None
        if word.startswith("-") and word != "-":
            index += 2 if word in TAKES_VALUE else 1  # --out=DIR carries its value itself
            continue
        return index
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the process exit code."""
    try:
        return run_command(argv)
    except BrokenPipeError:  # the output went into a program that stopped reading it (`| head`): nothing to report
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so that Python's own flush at exit stays quiet
        return 141


def run_command(argv: Sequence[str] | None) -> int:
    """Parse the arguments and run the command with the limits they set."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.command is None:
        make_parser().print_help()
        return 0
    with limits.applied(limits.settings(getattr(args, "limit", None) or ())), collecting.seldom_collected():
        return reported(args, argv)


def reported(args: argparse.Namespace, argv: Sequence[str] | None) -> int:
    """Run the command; every error meant for a person is printed here."""
    try:
        return run(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        raise  # not a bug: main says nothing
    except BuildFailed as failed:
        print(format_report(failed.problems), file=sys.stderr)
        print(failure_line(args, failed.stage), file=sys.stderr)
        return 1
    except ExplainerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_status
    except Exception as exc:  # a bug in explainer, not in the user's content
        if args.debug:
            traceback.print_exc()
        print(describe_bug(exc), file=sys.stderr)
        again = shlex.join([*(sys.argv[1:] if argv is None else argv), "--debug"])
        print(f"{BUG} Please report it at {REPORT_URL}, with the output of: {program_name()} {again}", file=sys.stderr)
        return 3


def failure_line(args: argparse.Namespace, stage: str) -> str:
    """The last line of a failed run: which stage stopped it, and what was left untouched."""
    if args.command == "new":
        why = ": files that were there before (--force) may not fit the new ones" if args.force else ""
        return f"The new site in {args.folder}/ was written but fails its check ({stage}){why}."
    if args.command == "check":
        return f"Check failed{'' if stage == 'check' else f' ({stage})'}; nothing was written."
    if args.command == "pdf":
        return f"Build failed ({stage}); no PDF was written."
    # the build wrote nothing: what the folder held before, it holds still
    return f"Build failed ({stage}); {args.out}/ was left as it was." if Path(args.out).is_dir() else \
        f"Build failed ({stage}); nothing was written."


def options_from(args: argparse.Namespace) -> Options:
    """The build's options: the arguments, and the archive folder from $EXPLAINER_ARCHIVES when it is set."""
    out_dir = args.out if args.command in ("build", "serve") else None  # pdf's --out is the PDF, check writes nothing
    if out_dir is DEFAULT_OUT:  # not named with --out: the project's own site/, which must not lead out of it
        check_default_out(out_dir, args.content)
    archives = os.environ.get("EXPLAINER_ARCHIVES", "").strip()
    return Options(content_dir=args.content, out_dir=out_dir, base_url=args.base_url, strict=args.strict,
                   archives=Path(archives) if archives else None, program=program_name(), jobs=getattr(args, "jobs", 0),
                   previous=args.previous, limits=limits.settings(args.limit or ()))


def run(args: argparse.Namespace) -> int:
    """Run one command; content problems raise BuildFailed (exit code 1, printed by main)."""
    if args.command == "new":
        return run_new(args)
    options = options_from(args)
    started = time.perf_counter()
    if args.command == "serve":
        return run_serve(args, options)
    if args.command == "pdf":
        return run_pdf(args, options, started)
    if args.command == "check":
        from .pipeline import make

        made = make(options, search=False)  # everything a build checks; the search index checks nothing
        if made.warnings:
            print(format_report(made.warnings), file=sys.stderr)
        print_timings(args, made.timings)
        if not args.quiet:
            print("No errors.")
            print_lock(made, options)
        return 0
    notes: list[str] = []
    if args.no_cache:
        from .pipeline import build

        built: Built | Record = build(options, search=not args.no_search)
    else:
        built = build_cached(options, search=not args.no_search, note=notes.append)
    if args.verbose:
        for note in notes:
            print(f"Cache: {note}.")
    if isinstance(built, Record):  # nothing changed since the last build: nothing written
        if built.warnings:
            print(format_report(built.warnings), file=sys.stderr)
        if not args.quiet:
            print(f"{options.out_dir}/ is up to date: {built.pages} pages ({len(built.outputs) - 1} files), nothing changed "
                  f"since the last build; checked in {time.perf_counter() - started:.2f} s.")
        return 0
    if built.made.warnings:
        print(format_report(built.made.warnings), file=sys.stderr)
    print_timings(args, built.timings)
    if not args.quiet:
        search = built.made.search
        index = f"; search index {search.size / 1024:.0f} KiB, made in {search.seconds:.2f} s beside the rest" if search else "; no search index"
        print(f"Built {built.made.pages} pages ({len(built.written.files)} files) into {options.out_dir}/ in "
              f"{time.perf_counter() - started:.2f} s{index}.")
        print_weights(args, built.made)
        print_lock(built.made, options)
    return 0


def print_weights(args: argparse.Namespace, made: Made) -> None:
    """The pages with images, by what they cost a reader: the heaviest one, and with --verbose every one."""
    if not made.weights:
        return
    shown = len({r.asset for o in made.outputs for r in o.links if r.kind == "image" and r.asset in made.site.assets})
    files = sum(1 for o in made.outputs if o.path.startswith("images/"))  # the sizes and formats made (an SVG has none)
    heaviest = made.weights[0]
    print(f"Images: {shown} on {len(made.weights)} page{'s' if len(made.weights) != 1 else ''} ({files} files in images/); heaviest page "
          f"{_shown_page(heaviest.path)}: {_kib(heaviest.html)} of HTML, images {_kib(heaviest.phone)} on a phone, "
          f"{_kib(heaviest.desktop)} on a desktop.")
    if args.verbose:
        for weight in made.weights:
            print(f"  {_shown_page(weight.path)}: {weight.images} image{'s' if weight.images != 1 else ''}, HTML {_kib(weight.html)}, "
                  f"phone {_kib(weight.phone)}, desktop {_kib(weight.desktop)}")


def _shown_page(path: str) -> str:
    return path.removesuffix("index.html") or "/"


def _kib(size: int) -> str:
    return f"{size / 1024:.0f} KiB" if size >= 1024 else f"{size} B"


def print_lock(made: Made, options: Options) -> None:
    """Say so when the quote lock was written: it is a file to commit."""
    if not made.locked or made.quotes is None:
        return
    from .content.quotelock import lock_path

    shown, count = display_path(lock_path(options.content_dir)), made.quotes.by_archive
    if count:
        print(f"Recorded {count} quote{'s' if count != 1 else ''} verified against their archives in {shown}; commit it.")
    else:
        print(f"Updated {shown}: excerpts no longer in the content were left out; commit it.")


def run_new(args: argparse.Namespace) -> int:
    """Write a starter site into args.folder, check it, and say what to do next."""
    from .scaffold import new_site  # only this command reads the starter files

    started = new_site(args.folder, args.language, args.title, args.base_url, args.requirement, args.force, program_name())
    if args.quiet:
        return 0
    folder = display_path(started.folder)
    files = len(started.written) + (1 if started.made.locked else 0)  # with the quote lock its first check wrote
    print(f"Created {folder}/ ({LANGUAGE_NAMES[args.language]}): {files} files, checked under --strict with no problems.")
    if started.kept:
        print(f"Kept {len(started.kept)} files that were there already: {', '.join(started.kept)}.")
    print(f"The workflows in .github/workflows/ install explainer as requirements.txt says:\n  {started.requirement.line}\n"
          f"  {started.requirement.why}")
    here = command_in(started.folder)
    address = f"http://127.0.0.1:8000{started.made.site.config.base_path}"
    print(f"\nNext:\n  cd {shlex.quote(folder)}\n"
          f"  {here} serve     preview it at {address}; pages reload as you save\n"
          f"  {here} check     every problem in the content, with file, line and fix\n"
          f"  {here} build     the finished site, in site/\n"
          f"To publish it on GitHub Pages, follow \"Publish on GitHub Pages\" in {folder}/README.md.")
    return 0


def command_in(folder: Path) -> str:
    """The command that runs explainer from inside `folder`: build.py is named by its path from there."""
    program = program_name()
    if program != "python build.py":
        return program
    return "python " + shlex.quote(os.path.relpath(Path(sys.argv[0]).resolve(), folder.resolve()))


def print_timings(args: argparse.Namespace, timings: Sequence[tuple[str, float]]) -> None:
    """With --verbose, one line: the seconds each stage took."""
    if args.verbose:
        print("Stages: " + ", ".join(f"{name} {seconds:.3f} s" for name, seconds in timings) + ".")


def run_pdf(args: argparse.Namespace, options: Options, started: float) -> int:
    """Build in memory, then print the print edition to args.out with headless Chromium."""
    from .output.pdf import find_chromium, font_warning, write_pdf  # only this command runs Chromium
    from .pipeline import make

    chromium = find_chromium(args.chromium)
    made = make(options, search=False)  # paper has no search
    if made.warnings:
        print(format_report(made.warnings), file=sys.stderr)
    missing_font = font_warning(made.site.config.language)
    if missing_font:
        print(f"warning: {missing_font}", file=sys.stderr)
    result = write_pdf(made.outputs, args.out, chromium, made.site.config.base_url)
    print_timings(args, made.timings)
    if not args.quiet:
        print(f"Wrote {result.path}: {result.pages} pages, {result.size / 1024:.0f} KiB, in {time.perf_counter() - started:.2f} s.")
    return 0


def run_serve(args: argparse.Namespace, options: Options) -> int:
    """Run the preview server until Ctrl-C; every event is printed as the event says it."""
    from . import preview  # the server's libraries load only for this command
    from .output.write import check_out_dir

    if not preview.is_loopback(args.host):
        print(f"warning: listening on {args.host or 'every interface'}: anyone who can reach this machine can read the preview; "
              "use the default --host 127.0.0.1 to keep it to yourself", file=sys.stderr)
    check_out_dir(args.out, options.content_dir)

    def report(event: preview.Event) -> None:
        said = event.said(str(args.out), args.quiet, args.debug)
        if said.err:
            print(said.err, file=sys.stderr, flush=True)
        if said.out:
            print(said.out, flush=True)

    cache = None
    if not args.no_cache:  # start warm from what the last build left (it is not written back: the next build checks the folder)
        from .store import cache_folder
        from .uptodate import load_stages

        assert options.out_dir is not None
        cache = load_stages(cache_folder(options.content_dir, options.out_dir), lambda note: None)
    preview.serve(options, args.host, args.port, report, cache)
    return 0
