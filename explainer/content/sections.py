"""Pages in folders: content/pages/guide/intro.md is the page guide/intro, at /guide/intro/, in the section guide.

A section's own page is pages/guide.md or pages/guide/index.md (its title names the section in
the navigation and the breadcrumbs); a section without one gets a page listing what it holds,
titled after its folder. Pages are read in the order of the tree: a section's own page, then
its pages and sections by `order` and name, each section placed by its own page's `order`
(else its first page's).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from ..errors import Problem
from ..model import Loc, Page
from ..text import markdown
from .schema import ID_RE
from .targets import ASSET_SUFFIXES

MAX_DEPTH = 4  # folders inside pages/: guide/part/chapter/page.md is deep enough for an explainer


def page_files(base: Path, listed: Callable[[Path], list[os.DirEntry[str]]], show: Callable[[Path], str],
               problems: list[Problem]) -> list[Path]:
    """Every .md file under pages/, at most MAX_DEPTH folders deep, by path; other files (not images or files) are warned about.

    Each folder is listed by `listed` (ContentFiles.listed), which holds it to the folder-files limit.
    """
    found: list[Path] = []
    if not base.is_dir():
        return found

    def visit(here: Path, depth: int) -> None:
        entries = listed(here)
        folders = [entry for entry in entries if not entry.name.startswith(".") and entry.is_dir()]
        if depth >= MAX_DEPTH and folders:
            for entry in folders:
                problems.append(Problem(show(here / entry.name), 0, f"ignored: pages are read at most {MAX_DEPTH} folders deep in pages/",
                                        "move its pages up a level", "warning"))
            folders = []
        for entry in entries:
            path = here / entry.name
            if entry.is_dir() or entry.name.startswith(".") or entry.name.endswith("~") or path.suffix.lower() in ASSET_SUFFIXES:
                continue  # an image or file beside its pages is read by assets()
            if path.suffix == ".md":
                found.append(path)
            else:
                problems.append(Problem(show(path), 0, "ignored: only *.md files are read in pages/",
                                        "rename it to end in .md, or move it out of content/pages/", "warning"))
        for entry in folders:
            if not entry.is_symlink():  # as os.walk: a link to a folder is not followed
                visit(here / entry.name, depth + 1)

    visit(base, 0)
    return sorted(found)


def page_slug(path: Path, base: Path) -> tuple[str, str]:
    """The page's slug (guide/intro; guide for guide/index.md), and the first part of it that is no valid id ('' when all are)."""
    parts = list(path.relative_to(base).with_suffix("").parts)
    if len(parts) > 1 and parts[-1] == "index":
        parts.pop()
    wrong = next((part for part in parts if not ID_RE.match(part)), "")
    return "/".join(parts), wrong


def section_pages(pages: list[Page], shown_of: Callable[[str], str]) -> list[Page]:
    """A page for each section that has none of its own: a list of what the section holds, titled after its folder.

    `shown_of` gives how a path inside content/ is shown (the page's location, for messages).
    """
    slugs = {page.slug for page in pages}
    sections = {page.slug.rsplit("/", depth)[0] for page in pages for depth in range(1, page.slug.count("/") + 1)}
    made: list[Page] = []
    for section in sorted(sections - slugs):
        inside = f"pages/{section}/index.md"
        children = sorted({_child(slug, section) for slug in slugs | sections if slug.startswith(section + "/")})
        titles = {page.slug: page.title for page in pages}
        lines = [f"- [{_escaped(titles.get(child, _folder_title(child)))}]({child.rsplit('/', 1)[-1]}"
                 f"{'/index' if child not in titles else ''}.md)" for child in children]
        shown = shown_of(inside)
        body = markdown.parse("\n".join(lines) + "\n", Loc(shown, 1), inline=False)
        order = min(page.order for page in pages if page.slug.startswith(section + "/"))
        made.append(Page(section, _folder_title(section), "", order, True, body, Loc(shown, 0)))
    return made


def _child(slug: str, section: str) -> str:
    """The slug of the child of `section` that holds `slug` (itself, or the sub-section it is in)."""
    rest = slug[len(section) + 1:]
    return f"{section}/{rest.split('/', 1)[0]}"


def _folder_title(slug: str) -> str:
    """A folder's name as a title: getting-started -> Getting started."""
    name = slug.rsplit("/", 1)[-1].replace("-", " ")
    return name[:1].upper() + name[1:]


def _escaped(title: str) -> str:
    """A title as Markdown link text: brackets and other markup characters escaped."""
    return "".join(f"\\{char}" if char in "\\[]*_`<>!#|" else char for char in title)


def reading_order(pages: list[Page]) -> tuple[Page, ...]:
    """The pages in the order of the tree (see the module's docstring)."""
    by_slug = {page.slug: page for page in pages}

    def order_of(slug: str) -> int:
        if slug in by_slug:
            return by_slug[slug].order
        return min(page.order for page in pages if page.slug.startswith(slug + "/"))

    def key(page: Page) -> tuple[tuple[int, str], ...]:
        parts = page.slug.split("/")
        return tuple((order_of("/".join(parts[:depth])), parts[depth - 1]) for depth in range(1, len(parts) + 1))

    return tuple(sorted(pages, key=key))

