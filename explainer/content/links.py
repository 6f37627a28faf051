"""Links, images and files over the whole site: every target written in the content leads somewhere, every
image says what it shows and who made it, and every file of the content is used (targets.py reads the targets).

Links to paths of the site (`/facts/`, `../glossary/x/`) are checked once the pages exist, by the
link check (output/linkcheck.py), which reports them here too: at the line of the content file.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass

from ..errors import Problem
from ..model import DocLink, Figure, Markdown, Site
from .targets import Target, resolve, suggest_file, suggest_page

IMAGE_KINDS = ("image", "vector")
ALT_HINT = ("say what the image shows, for readers who cannot see it: ![A bar chart of …]({0}); an image that only decorates "
            "is marked so: ![]({0}){{.decorative}}")
CREDIT_HINT = ("say who made it, as they should be credited: ![…]({0}){{credit=\"Jane Doe / CC BY 4.0\"}}; {{credit=own}} for an "
               "image you made yourself")


def documents(site: Site) -> Iterator[Markdown]:
    """Every Markdown text of the site, wherever it is written."""
    if site.config.intro is not None:
        yield site.config.intro
    for page in site.pages:
        yield page.body
    for _, correction in site.corrections():
        yield correction.change
        yield correction.reason
    for group in site.groups:
        if group.intro is not None:
            yield group.intro
    for fact in site.facts:
        yield fact.claim
        for doc in (fact.note, fact.disagreement):
            if doc is not None:
                yield doc
    for term in site.terms:
        if term.body is not None:
            yield term.body
        if term.image is not None and term.image.caption is not None:
            yield term.image.caption
    for source in site.sources:
        if source.note is not None:
            yield source.note
        if source.image is not None and source.image.caption is not None:
            yield source.image.caption
        for excerpt in source.excerpts:
            if excerpt.note is not None:
                yield excerpt.note


@dataclass(frozen=True, slots=True)
class Named:
    """A file named in YAML (an `image:`, a logo, a stylesheet …): what is written, where, and how it must be used."""

    written: str
    path: str  # the file it is written in, as shown
    line: int
    image: bool  # it must be an image
    what: str  # for messages: 'image', 'logo', 'stylesheet' …
    suffixes: tuple[str, ...] = ()  # the kinds of file it may be (empty: any of its kind)


def named_files(site: Site) -> Iterator[Named]:
    """Every file named in YAML: images of terms and sources, pages' social images, the look of site.yaml."""
    for figure in figures(site):
        yield Named(figure.file, figure.loc.path, figure.loc.line, True, "image")
    for page in site.pages:
        if page.image:
            yield Named(page.image, page.loc.path, page.lines.get("image", 1), True, "social image", (".png", ".jpg", ".jpeg"))
    look, shown = site.config.look, site.config.loc.path
    line = look.lines.get
    if look.logo:
        yield Named(look.logo, shown, line("logo", 1), True, "logo")
    if look.favicon:
        yield Named(look.favicon, shown, line("favicon", 1), False, "favicon", (".svg", ".png", ".ico"))
    for css in look.css:
        yield Named(css, shown, line("css", 1), False, "stylesheet", (".css",))
    if look.social_image:
        yield Named(look.social_image, shown, line("social_image", 1), True, "social image", (".png", ".jpg", ".jpeg"))
    for font in (look.font_latin, look.font_hangul):
        if font and posixpath.splitext(font)[1].lower() in FONT_SUFFIXES:
            yield Named(font, shown, line("fonts", 1), False, "font", FONT_SUFFIXES)


FONT_SUFFIXES = (".woff2", ".woff", ".ttf", ".otf")


def figures(site: Site) -> Iterator[Figure]:
    """The `image:` of every term and source that has one."""
    for term in site.terms:
        if term.image is not None:
            yield term.image
    for source in site.sources:
        if source.image is not None:
            yield source.image


def figure_target(figure: Figure, site: Site) -> Target:
    """Where an `image:` of YAML leads, read from the file it is written in."""
    return resolve(figure.file, site.paths.get(figure.loc.path, ""), site)


def check_links(site: Site) -> Iterator[Problem]:
    """Every link and image of the Markdown, and every file named in YAML: the problems with them, then the unused files."""
    for doc in documents(site):
        inside = site.paths.get(doc.loc.path, "")
        for link in doc.links:
            yield from _link_problems(link, resolve(link.target, inside, site), doc.loc.path, inside, site)
    for named in named_files(site):
        yield from _named_problems(named, site)
    for figure in figures(site):
        if not figure.alt and not figure.decorative:
            yield Problem(figure.loc.path, figure.loc.line, f"image '{figure.file}' has no text alternative",
                          "add `alt:` saying what it shows, for readers who cannot see it; or `decorative: true` for an image "
                          "that only decorates")
    used = set(asset_uses(site))
    for path, asset in site.assets.items():
        if path not in used:
            yield Problem(asset.shown, 0, "not used: no page, term, source or site.yaml shows or links to this file, so it is not "
                          "published", "show it (![what it shows](file)), link to it ([words](file)), or delete it", "warning")


def _link_problems(link: DocLink, target: Target, shown: str, inside: str, site: Site) -> Iterator[Problem]:
    written = link.target
    if target.kind == "missing" and f"file:{target.path}" in site.broken:
        return  # a file that is there but was refused: its own problem says why
    if not link.image:
        if target.kind == "missing" and target.page:
            yield Problem(shown, link.line, f"link '{written}' leads to no page",
                          f"{suggest_page(target, site)}a page is linked by its file in content/pages/: [words](other-page.md)",
                          "warning")
        elif target.kind == "missing":
            yield Problem(shown, link.line, f"link '{written}' leads to no file",
                          f"{_relative(suggest_file(target, site), inside)}files are kept in content/files/ or beside the pages",
                          "warning")
        elif target.kind == "outside":
            yield Problem(shown, link.line, f"link '{written}' leads above the site's root folder",
                          "write it from the site's root, /facts/, or name the page's file, other-page.md", "warning")
        return
    if target.kind == "external":
        yield Problem(shown, link.line, f"image '{written}' is on another server: every reader's browser would fetch it from there",
                      "save it into content/files/ (with its credit) and show it from there: ![…](/files/name.png)")
        return
    if target.kind in ("missing", "outside") or (target.kind == "page"):
        yield Problem(shown, link.line, f"image '{written}' not found",
                      f"{_relative(suggest_file(target, site), inside)}images are kept in content/files/ or beside the pages; "
                      "a path is read from the file it is written in")
        return
    if target.kind == "asset" and site.assets[target.path].kind not in IMAGE_KINDS:
        yield Problem(shown, link.line, f"'{written}' is not an image", "show an image (PNG, JPEG, WebP, GIF, AVIF or SVG), "
                      f"or link to the file with words: [download]({written})")
        return
    if not link.alt and not link.decorative:
        yield Problem(shown, link.line, f"image '{written}' has no text alternative", ALT_HINT.format(written))
    if not link.credit:
        yield Problem(shown, link.line, f"image '{written}' has no credit", CREDIT_HINT.format(written))


def _named_problems(named: Named, site: Site) -> Iterator[Problem]:
    inside = site.paths.get(named.path, "")
    target = resolve(named.written, inside, site)
    if target.kind == "missing" and f"file:{target.path}" in site.broken:
        return  # there, but refused: its own problem says why
    if target.kind != "asset":
        yield Problem(named.path, named.line, f"{named.what} '{named.written}' not found",
                      f"{_relative(suggest_file(target, site), inside)}it is a file of the content: a path from the file it is "
                      "written in (site.yaml: from content/, as files/logo.svg)")
        return
    asset = site.assets[target.path]
    suffix = posixpath.splitext(target.path)[1].lower()
    if named.image and asset.kind not in IMAGE_KINDS:
        yield Problem(named.path, named.line, f"{named.what} '{named.written}' is not an image", "name a PNG, JPEG, WebP, GIF or SVG file")
    elif named.suffixes and suffix not in named.suffixes:
        yield Problem(named.path, named.line, f"{named.what} '{named.written}' must be one of: {', '.join(named.suffixes)}",
                      f"save the {named.what} in one of those formats")


def _relative(suggestion: str, inside: str) -> str:
    """A suggestion of content/<path> rewritten as the path to write from the file at `inside`."""
    if not suggestion:
        return ""
    path = suggestion.removeprefix("did you mean content/").removesuffix("? ")
    return f"did you mean '{posixpath.relpath(path, posixpath.dirname(inside) or '.')}'? "


def asset_uses(site: Site) -> dict[str, set[str]]:
    """How each file of the content is used: 'shown' (an image on a page) or 'linked' (the file itself is published).

    Worked out once a build (the check and the render both ask; it resolves every link): not to be changed.
    """
    found: dict[str, set[str]] | None = site.derived.get("asset_uses")
    if found is None:
        found = site.derived["asset_uses"] = find_asset_uses(site)
    return found


def find_asset_uses(site: Site) -> dict[str, set[str]]:
    """`asset_uses`, worked out."""
    uses: dict[str, set[str]] = {}
    for doc in documents(site):
        inside = site.paths.get(doc.loc.path, "")
        for link in doc.links:
            target = resolve(link.target, inside, site)
            if target.kind == "asset":
                uses.setdefault(target.path, set()).add("shown" if link.image else "linked")
    for named in named_files(site):
        target = resolve(named.written, site.paths.get(named.path, ""), site)
        if target.kind == "asset":
            uses.setdefault(target.path, set()).add("shown" if named.what == "image" else "linked")
    return uses
