"""The preview server's own pages: the build-error page and plain not-found pages (never part of the site)."""

from __future__ import annotations

import html
from pathlib import Path

from ..errors import BUG, Problem, describe_bug, display_path, format_problem

PAGE_STYLE = """\
body { font: 16px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #1a1a1a; background: #fff; }
h1 { color: #a00000; font-size: 1.5rem; }
pre { white-space: pre-wrap; word-break: break-word; background: #f4f4f4; border-left: 4px solid #a00000; padding: .75rem 1rem; }
@media (prefers-color-scheme: dark) { body { color: #eee; background: #161616; } pre { background: #262626; } h1 { color: #ff8080; } }
"""

def is_page(relative: str) -> bool:
    """Return True for paths a browser shows as pages (folders and .html files), not assets."""
    name = relative.rsplit("/", 1)[-1]
    return name == "" or name.endswith(".html") or "." not in name


def document(title: str, body: str, lang: str = "en") -> str:
    return (f'<!doctype html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>{html.escape(title)}</title>\n'
            f"<style>\n{PAGE_STYLE}</style>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n")


def error_page(problems: tuple[Problem, ...], stage: str, error: BaseException | None, out_dir: Path,
               program: str = "explainer") -> str:
    """The page shown in place of every page while the last build failed: its problems, escaped."""
    if error is not None:
        items = [f"<li><pre>{html.escape(describe_bug(error))}</pre></li>"]
        intro = (f"{BUG} Run <code>{html.escape(program)} serve</code> again with <code>--debug</code> to see "
                 "where it happened, and report it. The preview tries again after your next edit.")
    else:
        items = [f"<li><pre>{html.escape(format_problem(problem))}</pre></li>" for problem in problems]
        errors = sum(1 for p in problems if p.severity == "error")
        intro = (f"{errors} error{'s' if errors != 1 else ''} in stage {html.escape(stage)}. "
                 f"The terminal shows the same report. <code>{html.escape(display_path(out_dir))}/</code> keeps the last good site; "
                 "this page turns back into the site as soon as the content builds again.")
    body = (f'<h1>Build failed</h1>\n<p>{intro}</p>\n<ol class="problems">\n' + "\n".join(items) + "\n</ol>\n")
    return document("Build failed", body)


def outside_base(base: str) -> str:
    """A not-found page for paths outside the base path, pointing to where the site is."""
    link = html.escape(base)
    return document("Not found", f"<h1>Not found</h1>\n<p>This site is served under <a href=\"{link}\">{link}</a>, "
                                 "as it will be once published; links outside that path break there too.</p>\n")


def not_found_plain(base: str) -> str:
    """A not-found page for when the site has no 404.html (or the path is refused)."""
    link = html.escape(base)
    return document("Not found", f'<h1>Not found</h1>\n<p><a href="{link}">Go to the home page</a>.</p>\n')
