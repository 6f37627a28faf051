"""Images on pages: what a page writes for one (Picture, shown by the theme's `picture` macro) and the files it serves.

Every image a page shows is served in the widths and formats media/images.py plans, made once
per build whatever the number of pages showing it, and kept in the cache's `images` section
between builds (key: the image's bytes and the encoder's settings: one rule, as for every
result). An SVG, an animated GIF and a file linked rather than shown are published as they are.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from ..cache import Cache, digest
from ..errors import BuildFailed, Problem
from ..media.images import ImageProblem, Probe, Variant, encode, encoder_version, plan
from ..model import Asset, Output, Site

# The width an image takes on the page, for the browser to choose a file before it knows the layout:
# the whole window on a phone, the reading column (44rem) from a tablet on.
SIZES = "(min-width: 48rem) 44rem, 100vw"
FOLDER = "images"


@dataclass(frozen=True, slots=True)
class Picture:
    """What the theme's `picture` macro receives for one image."""

    src: str  # the fallback file (largest width): every browser shows it
    width: int  # the image's own size, for the page to keep its place while it loads
    height: int
    alt: str
    sources: tuple[tuple[str, str], ...] = ()  # (MIME type, srcset) of the better formats, first choice first
    srcset: str = ""  # the fallback format's widths
    sizes: str = SIZES
    caption: Markup = field(default_factory=Markup)
    credit: str = ""  # shown under the image ('' for the writer's own)
    decorative: bool = False
    lazy: bool = True  # loaded when scrolled near: every image but a page's first
    figure: bool = True  # a figure of its own (a paragraph of only the image), else inside text
    label: str = ""  # the words before a credit ('Image: '), in the site's language


@dataclass(slots=True)
class Pictures:
    """The images of one build: the files each is served as, made once at the end of rendering."""

    site: Site
    planned: dict[str, tuple[Variant, ...]] = field(default_factory=dict)  # asset path -> its variants
    published: set[str] = field(default_factory=set)  # assets published as they are
    sizes: dict[str, int] = field(default_factory=dict)  # bytes of each file made, once made

    def variants(self, asset: Asset) -> tuple[Variant, ...]:
        """The files an image is served as (none for SVG and animated images, served as they are)."""
        if asset.path not in self.planned:
            stem = posixpath.splitext(posixpath.basename(asset.path))[0]
            found = plan(stem, asset.digest, _probe_of(asset)) if asset.kind == "image" else ()
            self.planned[asset.path] = found
            if not found:
                self.published.add(asset.path)
        return self.planned[asset.path]

    def picture(self, asset: Asset, url: Callable[[str], str], **words: Any) -> Picture:
        """The picture of an image for a page; `url` gives a site path's URL from that page."""
        variants = self.variants(asset)
        if not variants:
            return Picture(url(asset.url), asset.width, asset.height, **words)
        by_format: dict[str, list[Variant]] = {}
        for variant in variants:
            by_format.setdefault(variant.format, []).append(variant)
        formats = list(by_format)
        sources = tuple((by_format[f][0].mime, _srcset(by_format[f], url)) for f in formats[:-1])
        fallback = by_format[formats[-1]]
        return Picture(url(f"{FOLDER}/{fallback[-1].name}"), asset.width, asset.height, sources=sources,
                       srcset=_srcset(fallback, url), **words)

    def outputs(self, linked: set[str], cache: Cache | None) -> list[Output]:
        """The files of every image shown and every file linked; a problem for an image that cannot be decoded."""
        section = cache.section("images") if cache is not None else None
        if section is not None:
            section.start()
        outputs: list[Output] = []
        problems: list[Problem] = []
        for path in sorted(self.planned):
            asset, variants = self.site.assets[path], self.planned[path]
            if not variants:
                continue
            key = digest(asset.digest, encoder_version(), repr(variants))
            made: dict[str, bytes] | None = section.lookup(path, key) if section is not None else None
            if made is None:
                try:
                    made = encode(asset.data, variants)
                except ImageProblem as exc:
                    problems.append(Problem(asset.shown, 0, f"this image {exc}", "open it in an image editor and save it again"))
                    continue
                if section is not None:
                    section.store(path, key, made)
            outputs += [Output(f"{FOLDER}/{name}", data, asset.shown) for name, data in made.items()]
            self.sizes.update((name, len(data)) for name, data in made.items())
        if problems:
            raise BuildFailed(problems, "render", self.site.config.base_path)
        if section is not None:
            section.sweep()
        for path in sorted(self.published | linked):
            asset = self.site.assets[path]
            outputs.append(Output(asset.url, asset.data, asset.shown))
        return outputs

    def weight(self, path: str, width: int) -> int:
        """The bytes a browser loads for an image shown `width` device pixels wide (in the first format: WebP)."""
        variants = self.planned.get(path, ())
        if not variants:
            return len(self.site.assets[path].data)
        first = [v for v in variants if v.format == variants[0].format]
        chosen = next((v for v in first if v.width >= width), first[-1])
        return self.sizes.get(chosen.name, 0)


def _srcset(variants: list[Variant], url: Callable[[str], str]) -> str:
    return ", ".join(f"{url(f'{FOLDER}/{variant.name}')} {variant.width}w" for variant in variants)


def _probe_of(asset: Asset) -> Probe:
    """An image's probe, as its Asset keeps it."""
    return Probe(asset.format, asset.width, asset.height, asset.alpha, asset.animated)
