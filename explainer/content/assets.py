"""Images and other files of the content (content/files/, and beside the pages), read and probed; and `image:` in YAML.

A file is read once, within ASSET_BYTES; an image's header is read with Pillow (its size, and
whether it is one at all) and an SVG is checked for anything that could run (media/); the
sizes a page serves are made later, while rendering. What the checks need to know of a file
is in its Asset; whether a page uses it is for check.py to say.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from .. import limits
from ..cache import digest
from ..errors import Problem
from ..media.images import ImageProblem, probe
from ..media.vector import probe_svg
from ..model import Asset, Figure, Loc, Markdown, Options
from . import schema
from .targets import ASSET_SUFFIXES, FILE_SUFFIXES, IMAGE_SUFFIXES, VECTOR_SUFFIXES
from .yamlfile import LocMap

T = TypeVar("T")


class AssetReader:
    """The part of load.SiteReader that reads images and other files."""

    options: Options
    problems: list[Problem]
    cached: Callable[..., Any]
    show: Callable[[Path], str]
    content_path: Callable[[Path], str]
    record: Callable[..., dict[str, Any]]
    md: Callable[..., Markdown | None]
    files_under: Callable[[Path], list[Path]]
    broken: set[str]

    # -- images and other files -------------------------------------------------------

    def assets(self) -> dict[str, Asset]:
        """Every file of content/files/ (at any depth) and the images and files beside the pages, by path inside content/."""
        found: dict[str, Asset] = {}
        paths: list[Path] = []
        files = self.options.content_dir / "files"
        if files.is_dir():
            paths += self.files_under(files)
        pages = self.options.content_dir / "pages"
        if pages.is_dir():
            paths += [path for path in self.files_under(pages) if path.suffix.lower() in ASSET_SUFFIXES]
        for path in paths:
            if path.suffix.lower() not in ASSET_SUFFIXES:
                self.problems.append(Problem(self.show(path), 0, f"ignored: explainer publishes no {path.suffix or 'extensionless'} files",
                                             "images (" + ", ".join(IMAGE_SUFFIXES + VECTOR_SUFFIXES) + ") and these files: "
                                             + ", ".join(FILE_SUFFIXES) + "; a web page or script would run as your site", "warning"))
                continue
            asset = self.asset_file(path)
            if asset is not None:
                found[asset.path] = asset
        return found

    def asset_file(self, path: Path) -> Asset | None:
        """Read one image or other file, within limits.ASSET_BYTES (and all of them within ASSETS_BYTES)."""
        found: Asset | None = self.cached(path, self.asset, limits.ASSET_BYTES)
        return found

    def asset(self, path: Path, data: bytes) -> Asset | None:
        shown, suffix = self.show(path), path.suffix.lower()
        kind = "image" if suffix in IMAGE_SUFFIXES else "vector" if suffix in VECTOR_SUFFIXES else "file"
        found = None
        try:
            found = probe(data) if kind == "image" else probe_svg(data) if kind == "vector" else None
        except ImageProblem as exc:
            again = ("export the drawing again as plain SVG (Inkscape: Save As, Plain SVG), or as PNG" if kind == "vector" else
                     "open it in an image editor and save it again (PNG, JPEG, WebP or GIF; SVG for drawings)")
            self.problems.append(Problem(shown, 0, f"this image {exc}", exc.hint or again))
            self.broken.add(f"file:{self.content_path(path)}")  # there, but refused: what shows it is not told it is missing
            return None
        if found is None:
            return Asset(self.content_path(path), shown, kind, data, digest(data))
        return Asset(self.content_path(path), shown, kind, data, digest(data), found.format, found.width, found.height, found.alpha,
                     found.animated)

    def figure(self, data: LocMap, values: dict[str, Any], path: str) -> Figure | None:
        """The `image:` of a term or a source, checked against its schema (its file is resolved by the checks)."""
        raw = values.get("image")
        if not isinstance(raw, LocMap):
            return None
        checked = self.record(raw, schema.IMAGE, path, data.line_of("image"))
        if "file" not in checked:
            return None
        caption = self.md(raw, "caption", checked, path, inline=True)
        return Figure(checked["file"], "", checked["alt"], caption, checked.get("credit", ""), checked["decorative"],
                      Loc(path, raw.line_of("file")))
