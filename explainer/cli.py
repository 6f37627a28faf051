"""The command line: the only place that prints, parses arguments or catches errors."""

from __future__ import annotations

import argparse
import difflib
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .content.config import Options, read_config
from .errors import BuildFailed, ExplainerError, format_report
from .output.pdf import find_chromium, font_warning, write_pdf
from .output.write import check_out_dir
from .pipeline import build, gather

COMMANDS = ("build", "check", "serve", "pdf")
REPORT_URL = "the explainer issue tracker"


def make_parser() -> argparse.ArgumentParser:
    """Declare every command and option (shown by --help)."""
    parser = argparse.ArgumentParser(
        prog="python build.py",
        description="Build an explainer microsite: curated facts, a glossary and attributed excerpts.",
        epilog="Without a command, 'build' runs. 'python build.py COMMAND --help' shows a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"explainer {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--content", type=Path, default=Path("content"), metavar="DIR",
                         help="folder holding site.yaml, sources/, facts/, glossary/, pages/ (default: content)")
        sub.add_argument("--strict", action="store_true", help="treat warnings (unverified quotes, unused excerpts …) as errors")
        sub.add_argument("--base-url", default="", metavar="URL",
                         help="publish address overriding base_url in site.yaml, e.g. https://user.github.io/repo/")
        sub.add_argument("--debug", action="store_true", help="show the traceback of an internal error")
        sub.add_argument("-q", "--quiet", action="store_true", help="print only problems")

    build_cmd = commands.add_parser("build", help="build the site into the output folder (the default)",
                                    description="Build the site. The previous output stays untouched unless the build succeeds.")
    common(build_cmd)
    build_cmd.add_argument("--out", type=Path, default=Path("site"), metavar="DIR", help="output folder (default: site)")
    check_cmd = commands.add_parser("check", help="load and check the content without writing anything",
                                    description="Report every problem in the content, as a build would, without writing.")
    common(check_cmd)
    serve_cmd = commands.add_parser("serve", help="build, serve for preview, rebuild and reload the browser on every change",
                                    description="Build the site, serve it under its base path and rebuild it whenever content/ "
                                                "or the templates change; open pages reload by themselves. Ctrl-C stops.")
    common(serve_cmd)
    serve_cmd.add_argument("--out", type=Path, default=Path("site"), metavar="DIR", help="output folder (default: site)")
    serve_cmd.add_argument("--host", default="127.0.0.1",
                           help="address to listen on (default: 127.0.0.1, this machine only; anything else is reachable by others)")
    serve_cmd.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000; 0 picks a free one)")
    pdf_cmd = commands.add_parser("pdf", help="write the print edition to a PDF with headless Chromium",
                                  description="Build the site in memory and print its print edition (print/) to a PDF "
                                              "with headless Chromium. Needs Chromium and a font for the site's language "
                                              "(Debian: sudo apt-get install chromium fonts-nanum). site/ is not touched.")
    common(pdf_cmd)
    pdf_cmd.add_argument("--out", type=Path, default=Path("print.pdf"), metavar="FILE", help="the PDF to write (default: print.pdf)")
    pdf_cmd.add_argument("--chromium", default="", metavar="PATH",
                         help="the Chromium or Chrome program (default: chromium on PATH, else /usr/bin/chromium)")
    return parser


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """Parse arguments: the command may come anywhere among the options, and 'build' is the default.

    `python build.py -q check`, `python build.py --out public` and `python build.py check -q`
    all work; a misspelt command is named as such, with a suggestion.
    """
    parser = make_parser()
    args = list(argv)
    if any(a in ("-h", "--help", "--version") for a in args[:1]):
        return parser.parse_args(args)
    position = _command_position(parser, args)
    if position is None:
        return parser.parse_args(["build", *args])
    word = args[position]
    if word not in COMMANDS:
        close = difflib.get_close_matches(word, COMMANDS, n=1)
        parser.error(f"unknown command '{word}'" + (f"; did you mean '{close[0]}'?" if close else "") +
                     f" (commands: {', '.join(COMMANDS)})")
    return parser.parse_args([word, *args[:position], *args[position + 1:]])


def _command_position(parser: argparse.ArgumentParser, args: list[str]) -> int | None:
    """Index of the first word that is not an option or an option's value, or None."""
    takes_value = {flag for sub in _subparsers(parser) for action in sub._actions if action.nargs != 0
                   for flag in action.option_strings}
    index = 0
    while index < len(args):
        word = args[index]
        if word == "--":
            return index + 1 if index + 1 < len(args) else None
        if word.startswith("-") and word != "-":
            index += 2 if word in takes_value else 1  # --out=DIR carries its value itself
            continue
        return index
    return None


def _subparsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return list(action.choices.values())
    return []


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the process exit code."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.command is None:
        make_parser().print_help()
        return 0
    try:
        return run(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except ExplainerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # a bug in explainer, not in the user's content
        if args.debug:
            traceback.print_exc()
        print(f"internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        print(f"This is a bug in explainer, not in your content. Please report it at {REPORT_URL}, "
              "with the output of the same command run with --debug.", file=sys.stderr)
        return 3


def options_from(args: argparse.Namespace) -> Options:
    out_dir = args.out if args.command in ("build", "serve") else Path("site")  # pdf's --out is the PDF
    return Options(content_dir=args.content, out_dir=out_dir, base_url=args.base_url, strict=args.strict)


def run(args: argparse.Namespace) -> int:
    """Run one command; content problems print as a report and give exit code 1."""
    options = options_from(args)
    started = time.perf_counter()
    if args.command == "serve":
        return run_serve(args, options)
    try:
        if args.command == "check":
            _, warnings, _ = gather(options)
            if warnings:
                print(format_report(warnings), file=sys.stderr)
            if not args.quiet:
                print("No errors.")
            return 0
        if args.command == "pdf":
            return run_pdf(args, options, started)
        result = build(options)
    except BuildFailed as failed:
        print(format_report(failed.problems), file=sys.stderr)
        if args.command == "check":
            print(f"Check failed ({failed.stage}); nothing was written.", file=sys.stderr)
        else:
            kept = "no PDF was written" if args.command == "pdf" else f"{options.out_dir}/ was left as it was"
            print(f"Build failed ({failed.stage}); {kept}.", file=sys.stderr)
        return 1
    if result.warnings:
        print(format_report(result.warnings), file=sys.stderr)
    if not args.quiet:
        elapsed = time.perf_counter() - started
        print(f"Built {result.pages} pages ({result.files} files) into {options.out_dir}/ in {elapsed:.2f} s; "
              f"search index {result.search_bytes / 1024:.0f} KiB, {result.search_seconds:.2f} s of that.")
    return 0


def run_pdf(args: argparse.Namespace, options: Options, started: float) -> int:
    """Build in memory, then print the print edition to args.out with headless Chromium."""
    chromium = find_chromium(args.chromium)
    outputs, warnings, _ = gather(options)
    if warnings:
        print(format_report(warnings), file=sys.stderr)
    missing_font = font_warning(read_config(options, "site.yaml")[1].get("language", ""))
    if missing_font:
        print(f"warning: {missing_font}", file=sys.stderr)
    result = write_pdf(outputs, args.out, chromium)
    if not args.quiet:
        elapsed = time.perf_counter() - started
        print(f"Wrote {result.path}: {result.pages} pages, {result.size / 1024:.0f} KiB, in {elapsed:.2f} s.")
    return 0


def run_serve(args: argparse.Namespace, options: Options) -> int:
    """Run the preview server until Ctrl-C; every rebuild is reported as `build` reports it."""
    from .preview import server as serve  # the server's libraries load only for this command

    if not serve.is_loopback(args.host):
        print(f"warning: listening on {args.host}: anyone who can reach this machine can read the preview; "
              "use the default --host 127.0.0.1 to keep it to yourself", file=sys.stderr)
    check_out_dir(options.out_dir, options.content_dir)

    def report(event: serve.Event) -> None:
        if isinstance(event, serve.Started):
            print(f"Serving {options.out_dir}/ at {event.url}  (Ctrl-C to stop)", flush=True)
        elif isinstance(event, serve.Failed) and event.error is not None:
            if args.debug:
                traceback.print_exception(event.error)
            where = "" if event.stage == "internal" else f" while {event.stage}"
            print(f"internal error{where}: {type(event.error).__name__}: {event.error}", file=sys.stderr)
            print(f"This is a bug in explainer, not in your content. Please report it at {REPORT_URL}. "
                  "The server keeps running and tries again on the next change.", file=sys.stderr, flush=True)
        elif isinstance(event, serve.Failed) and event.stage == "search":  # the pages were written all the same
            print(format_report(event.problems), file=sys.stderr)
            print("Search index not updated; the pages are served, and search tries again after the next change.",
                  file=sys.stderr, flush=True)
        elif isinstance(event, serve.Failed):
            print(format_report(event.problems), file=sys.stderr)
            print(f"Build failed ({event.stage}); {options.out_dir}/ was left as it was. "
                  "The browser shows these problems until the next good build.", file=sys.stderr, flush=True)
        elif isinstance(event, serve.LinksChecked):
            if event.problems:
                print(format_report(event.problems), file=sys.stderr, flush=True)
            if any(p.severity == "error" for p in event.problems):
                print("Link check failed (--strict); the browser shows these problems until the next good build.",
                      file=sys.stderr, flush=True)
        elif isinstance(event, serve.Stopped):
            print("Stopped.", flush=True)
        else:
            if event.warnings:
                print(format_report(event.warnings), file=sys.stderr, flush=True)
            if not args.quiet:
                what = "Built" if event.number == 1 else f"Rebuild {event.number}:"
                changed = f"{len(event.changed)} file{'s' if len(event.changed) != 1 else ''} changed"
                if event.removed:
                    changed += f", {len(event.removed)} removed"
                print(f"{what} {event.pages} pages in {event.seconds:.3f} s ({changed}, {event.reused} reused).", flush=True)

    serve.serve(options, args.host, args.port, report)
    return 0
