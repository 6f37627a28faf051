"""Images with Pillow: what a file is (probe), and the sizes a page serves of it (variants).

A raster image is published as WebP in a few widths, for phones and desktops, with a JPEG (a
photograph) or PNG (anything with transparency or few colours) in the same widths for browsers
without WebP; the page's `srcset` lets the browser choose. AVIF is left out: its encoder takes
seconds an image, WebP a few hundredths. The output holds no metadata (no EXIF: a phone's photo
carries where it was taken) and is the same bytes for the same input: Pillow writes no
timestamps, and the encoders are given every setting.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError
from PIL import __version__ as PILLOW_VERSION

from .. import limits

WIDTHS = (480, 960, 1440)  # a phone (375 px at 1x-2x), a desktop column (44rem at 2x), a wide figure
QUALITY = {"WEBP": 80, "JPEG": 82}
RASTER = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF", ".webp": "WEBP", ".avif": "AVIF"}
MIME = {"WEBP": "image/webp", "JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "AVIF": "image/avif",
        "SVG": "image/svg+xml"}
SUFFIX = {"WEBP": "webp", "JPEG": "jpg", "PNG": "png", "GIF": "gif", "AVIF": "avif", "SVG": "svg"}


class ImageProblem(Exception):
    """An image that cannot be used; its message says why, for a Problem (and `hint` what to do, when not the usual)."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


@dataclass(frozen=True, slots=True)
class Probe:
    """What an image file is, read from its header: format, size as shown (after its EXIF rotation), kind of pixels."""

    format: str
    width: int
    height: int
    alpha: bool
    animated: bool


@dataclass(frozen=True, slots=True)
class Variant:
    """One file a page serves of an image: its name under images/, width, height and format."""

    name: str
    width: int
    height: int
    format: str

    @property
    def mime(self) -> str:
        return MIME[self.format]


def probe(data: bytes) -> Probe:
    """Read an image's header; ImageProblem when it is no image Pillow reads, or too large."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)  # our own limit is lower, and says so
        try:
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                if width * height > limits.IMAGE_PIXELS.value:  # a camera's 24 MP photo is ten times what a page shows
                    raise ImageProblem(f"is {width} × {height} pixels ({width * height / 1e6:.0f} MP); an image may have at "
                                       f"most {limits.IMAGE_PIXELS.value / 1e6:g} MP", "scale it down (a page shows at most 1,440 "
                                       f"pixels across); {limits.raise_hint(limits.IMAGE_PIXELS, width * height)}")
                orientation = image.getexif().get(0x0112, 1)
                if orientation in (5, 6, 7, 8):  # turned a quarter: shown with width and height swapped
                    width, height = height, width
                alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
                image_format = str(image.format)
                animated = bool(getattr(image, "is_animated", False))
        except Image.DecompressionBombError:  # past Pillow's own ceiling, which limits.IMAGE_PIXELS never goes beyond
            raise ImageProblem(f"is more than {limits.IMAGE_PIXELS.most / 1e6:.0f} MP; an image may have at most "
                               f"{limits.IMAGE_PIXELS.value / 1e6:g} MP", "scale it down (a page shows at most 1,440 pixels "
                               "across)") from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            raise ImageProblem(f"cannot be read as an image ({exc})") from None
    return Probe(image_format, width, height, alpha, animated)


def fallback_format(found: Probe) -> str:
    """The format served beside WebP: JPEG for a photograph, PNG for what has transparency or came as PNG or GIF."""
    return "JPEG" if found.format in ("JPEG",) and not found.alpha else "PNG"


def widths(found: Probe) -> tuple[int, ...]:
    """The widths an image is served in: those of WIDTHS below its own width, and its own width when it is no wider."""
    if found.width <= WIDTHS[-1]:
        return (*(width for width in WIDTHS if width < found.width), found.width)
    return WIDTHS


def plan(stem: str, key: str, found: Probe) -> tuple[Variant, ...]:
    """The files an image is served as, WebP first then the fallback, each in every width; names carry the content hash."""
    if found.animated or found.format not in ("PNG", "JPEG", "GIF", "WEBP", "AVIF"):
        return ()
    variants: list[Variant] = []
    for image_format in ("WEBP", fallback_format(found)):
        for width in widths(found):
            height = max(1, round(found.height * width / found.width))
            variants.append(Variant(f"{stem}-{key[:10]}-{width}.{SUFFIX[image_format]}", width, height, image_format))
    return tuple(variants)


def encode(data: bytes, variants: tuple[Variant, ...]) -> dict[str, bytes]:
    """Make every variant of an image: turned upright, resized, without metadata; ImageProblem when it cannot be decoded."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as opened:
                opened.load()
                upright = ImageOps.exif_transpose(opened) or opened
                base = upright.convert("RGBA" if _has_alpha(upright) else "RGB")
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            raise ImageProblem(f"cannot be decoded ({exc})") from None
    made: dict[str, bytes] = {}
    for variant in variants:
        sized = base if variant.width == base.width else base.resize((variant.width, variant.height), Image.Resampling.LANCZOS)
        made[variant.name] = _save(sized, variant.format)
    return made


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)


def _save(image: Image.Image, image_format: str) -> bytes:
    """One image's bytes in one format, with every encoder setting given (the same bytes every time) and no metadata."""
    out = io.BytesIO()
    if image_format == "WEBP":
        image.save(out, "WEBP", quality=QUALITY["WEBP"], method=4, exact=False)
    elif image_format == "JPEG":
        image.convert("RGB").save(out, "JPEG", quality=QUALITY["JPEG"], optimize=True, progressive=True, subsampling="4:2:0")
    else:
        image.save(out, "PNG", optimize=False, compress_level=9)
    return out.getvalue()


def encoder_version() -> str:
    """What the variants' bytes depend on besides the image and the plan: part of their cache key."""
    return f"pillow {PILLOW_VERSION}; widths {WIDTHS}; quality {sorted(QUALITY.items())}"
