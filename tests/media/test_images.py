"""Images with Pillow: probing, the widths and formats served, and files that are the same bytes every time, without metadata."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from explainer.limits import IMAGE_PIXELS
from explainer.media.images import ImageProblem, encode, plan, probe
from explainer.media.vector import probe_svg


def png(width: int, height: int, mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height), (200, 30, 30, 128) if mode == "RGBA" else (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def jpeg_with_exif(width: int, height: int, orientation: int) -> bytes:
    image = Image.new("RGB", (width, height), (10, 120, 200))
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "PhoneMaker"  # the camera's make: metadata that must not reach the site
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_probe_reads_size_alpha_and_exif_rotation() -> None:
    assert probe(png(800, 600)).width == 800
    assert probe(png(10, 10, "RGBA")).alpha
    turned = probe(jpeg_with_exif(400, 300, 6))  # a phone held upright: stored lying down
    assert (turned.width, turned.height, turned.format) == (300, 400, "JPEG")


def test_widths_and_formats_suit_phone_and_desktop() -> None:
    photo = probe(jpeg_with_exif(3000, 2000, 1))
    names = [(v.format, v.width, v.height) for v in plan("photo", "0123456789abcdef", photo)]
    assert names == [("WEBP", 480, 320), ("WEBP", 960, 640), ("WEBP", 1440, 960),
                     ("JPEG", 480, 320), ("JPEG", 960, 640), ("JPEG", 1440, 960)]
    small = probe(png(700, 100, "RGBA"))  # never enlarged; transparency keeps a PNG fallback
    assert [(v.format, v.width) for v in plan("logo", "0123456789", small)] == [("WEBP", 480), ("WEBP", 700), ("PNG", 480),
                                                                               ("PNG", 700)]


def test_variants_are_byte_identical_and_carry_no_metadata() -> None:
    data = jpeg_with_exif(1200, 800, 6)
    variants = plan("p", "0123456789", probe(data))
    first, second = encode(data, variants), encode(data, variants)
    assert first == second
    for name, made in first.items():
        with Image.open(io.BytesIO(made)) as image:
            assert not image.getexif(), name  # no camera, no place, no orientation left to apply
            assert image.size[0] < image.size[1], name  # turned upright
            assert "icc_profile" not in image.info and "exif" not in image.info


def test_too_large_and_broken_images_are_problems_not_tracebacks() -> None:
    side = int(IMAGE_PIXELS.value ** 0.5) + 10
    with pytest.raises(ImageProblem, match=r"is \d+ × \d+ pixels \(20 MP\); an image may have at most 20 MP"):
        probe(png(side, side))
    with pytest.raises(ImageProblem, match="cannot be read as an image"):
        probe(b"GIF89a not really")
    whole = jpeg_with_exif(600, 400, 1)
    with pytest.raises(ImageProblem, match="cannot be read as an image"):
        probe(whole[:300])  # the header cut short
    truncated = whole[:len(whole) // 2]  # the header whole, the pixels cut short: found when decoding
    with pytest.raises(ImageProblem, match="cannot be decoded"):
        encode(truncated, plan("t", "0123456789", probe(truncated)))


@pytest.mark.parametrize(("svg", "message"), [
    ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><script>alert(1)</script></svg>', "holds a <script> element"),
    ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" onload="alert(1)"/>', "has an event handler (onload=…)"),
    ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink" viewBox="0 0 9 9">'
     '<image x:href="https://tracker.example/a.png"/></svg>', "links outside itself"),
    ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><style>@import url(https://x.example/a.css);</style></svg>',
     "has a <style> that fetches from elsewhere"),
    ('<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">&a;</svg>',
     "has a DOCTYPE or entities"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><rect width="5" height="5"/></svg>', "gives no size"),
    ("<svg", "is not well-formed SVG"),
])
def test_svg_that_could_run_or_fetch_is_refused(svg: str, message: str) -> None:
    with pytest.raises(ImageProblem, match=message.replace("(", r"\(").replace(")", r"\)")):
        probe_svg(svg.encode())


def test_svg_size_from_attributes_or_view_box() -> None:
    drawn = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 150"><a href="#x"><rect id="x" width="5" height="5"/></a></svg>'
    assert (probe_svg(drawn.encode()).width, probe_svg(drawn.encode()).height) == (300, 150)
    sized = '<svg xmlns="http://www.w3.org/2000/svg" width="64px" viewBox="0 0 32 16"/>'
    assert (probe_svg(sized.encode()).width, probe_svg(sized.encode()).height) == (64, 32)
