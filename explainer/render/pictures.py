"""Images on pages: what a page writes for one (Picture, shown by the theme's `picture` macro) and the files it serves.

Every image a page shows is served in the widths and formats media/images.py plans, made once
per build whatever the number of pages showing it, and kept in the cache's `images` section
between builds (key: the image's bytes and the encoder's settings: one rule, as for every
result). An SVG, an animated GIF and a file linked rather than shown are published as they are.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Sequence
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
        if problems:
            raise BuildFailed(problems, "render", self.site.config.base_path)
        if section is not None:
            section.sweep()
        for path in sorted(self.published | linked):
            asset = self.site.assets[path]
            outputs.append(Output(asset.url, asset.data, asset.shown))
        return outputs


def _srcset(variants: list[Variant], url: Callable[[str], str]) -> str:
    return ", ".join(f"{url(f'{FOLDER}/{variant.name}')} {variant.width}w" for variant in variants)


def _probe_of(asset: Asset) -> Probe:
    """An image's probe, as its Asset keeps it."""
    return Probe(asset.format, asset.width, asset.height, asset.alpha, asset.animated)


PHONE, DESKTOP = 750, 1408  # device pixels an image column is wide: a 375 px phone at 2x, the 44rem column at 2x


@dataclass(frozen=True, slots=True)
class PageWeight:
    """What one page costs a reader to load: its HTML, and the images it shows as a phone and a desktop would fetch them."""

    path: str
    html: int
    images: int  # how many images it shows
    phone: int  # bytes of images at PHONE device pixels (WebP)
    desktop: int  # at DESKTOP


def page_weights(outputs: Sequence[Output], site: Site) -> list[PageWeight]:
    """The weight of every page that shows images, heaviest first (on a desktop)."""
    sizes = {o.path: len(o.content) for o in outputs}
    weights: list[PageWeight] = []
    for output in outputs:
        shown = sorted({record.asset for record in output.links if record.kind == "image" and record.asset in site.assets})
        if not shown or not output.path.endswith(".html"):
            continue
        phone = desktop = 0
        for path in shown:
            asset = site.assets[path]
            variants = [v for v in plan(posixpath.splitext(posixpath.basename(path))[0], asset.digest, _probe_of(asset))
                        if v.format == "WEBP"]
            if not variants:
                phone += len(asset.data)
                desktop += len(asset.data)
                continue
            phone += sizes.get(f"{FOLDER}/{next((v for v in variants if v.width >= PHONE), variants[-1]).name}", 0)
            desktop += sizes.get(f"{FOLDER}/{next((v for v in variants if v.width >= DESKTOP), variants[-1]).name}", 0)
        weights.append(PageWeight(output.path, len(output.content), len(shown), phone, desktop))
    return sorted(weights, key=lambda weight: (-weight.html - weight.desktop, weight.path))
