"""Images with Pillow: probing, the widths and formats served, and files that are the same bytes every time, without metadata."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from conftest import ROOT
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
     "has a <style> that could fetch from elsewhere"),
    ('<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">&a;</svg>',
     "declares entities"),
    ('<svg xmlns="http://www.w3.org/2000/svg"><rect width="5" height="5"/></svg>', "gives no size"),
    ("<svg", "is not well-formed SVG"),
])
def test_svg_that_could_run_or_fetch_is_refused(svg: str, message: str) -> None:
    with pytest.raises(ImageProblem, match=message.replace("(", r"\(").replace(")", r"\)")):
        probe_svg(svg.encode())


S = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:h="http://www.w3.org/1999/xhtml" viewBox="0 0 10 10">'


@pytest.mark.parametrize(("svg", "message"), [
    # each got past the checks and was published; opened in Chromium, each ran or fetched (a review's runs)
    ('<?xml-stylesheet type="text/xsl" href="b.svg"?>' + S + '<rect width="9" height="9"/></svg>', "processing instruction"),
    ('<?xml version="1.0"?><?xml-stylesheet href="x.css"?>' + S + "</svg>", "processing instruction"),
    (S + '<?xml-stylesheet href="x.css"?></svg>', "processing instruction"),
    ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" viewBox="0 0 9 9">'
     '<xsl:element name="script">x</xsl:element></svg>', "holds a <element> element of http://www.w3.org/1999/XSL/Transform"),
    (S + "<style><x/>@import url(http://x.example/import.css);</style></svg>", "elements inside its <style>"),
    (S + "<style><![CDATA[ @import url(http://x.example/i.css); ]]></style></svg>", "<style> that could fetch"),
    (S + '<h:img src="http://x.example/img.png"/></svg>', "holds a <img> element of http://www.w3.org/1999/xhtml"),
    (S + '<h:meta http-equiv="refresh" content="0;url=http://x.example/"/></svg>', "holds a <meta> element"),
    (S + '<rect width="9" height="9" cursor="url(http://x.example/c.cur)"/></svg>', "attribute that could fetch"),
    (S + '<rect width="9" height="9" style="fill:u\\72l(http://x.example/e.svg)"/></svg>', "attribute that could fetch"),
    (S + '<rect width="9" height="9" fill="url(https://x.example/p.svg#g)"/></svg>', "attribute that could fetch"),
    (S + "<style>rect { fill: u\\72l(http://x.example/e.svg) }</style></svg>", "<style> that could fetch"),
    (S + '<rect width="9" height="9" h:onclick="alert(1)"/></svg>', "attribute of http://www.w3.org/1999/xhtml"),
    (S + '<feImage href="http://x.example/f.png"/></svg>', "links outside itself"),
    (S + '<image href="data:image/svg+xml;base64,PHN2Zz4="/></svg>', "links outside itself"),
    (S + '<a href="https://x.example/"><rect width="9" height="9"/></a></svg>', "links outside itself"),
    (S + '<set attributeName="fill" to="red"/></svg>', "holds a <set> element"),
    ('<svg viewBox="0 0 10 10"><rect width="9" height="9"/></svg>', "is not an SVG drawing"),
])
def test_svg_beyond_a_drawing_is_refused(svg: str, message: str) -> None:
    with pytest.raises(ImageProblem, match=re.escape(message)):
        probe_svg(svg.encode())


def test_a_drawing_as_editors_write_it_is_kept() -> None:
    """What Inkscape and the like write beside the drawing (their namespaces, metadata), gradients by #id, a raster inside."""
    drawn = ('<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
             '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
             'xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" '
             'xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd" xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
             'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:cc="http://creativecommons.org/ns#" '
             'width="120" height="60" viewBox="0 0 120 60" inkscape:version="1.3" xml:space="preserve">'
             '<sodipodi:namedview id="base" inkscape:zoom="1"/><metadata><rdf:RDF><cc:Work><dc:title>Chart</dc:title></cc:Work>'
             '</rdf:RDF></metadata><defs><linearGradient id="g"><stop offset="0" stop-color="#000"/></linearGradient>'
             '<filter id="f"><feGaussianBlur stdDeviation="2"/></filter></defs>'
             '<style>.bar { fill: url(#g); }</style><title>Chart</title>'
             '<rect class="bar" width="50" height="20" filter="url(#f)" style="stroke:url( #g )"/>'
             '<use xlink:href="#g"/><image width="4" height="4" href="data:image/png;base64,iVBORw0KGgo="/>'
             '<text x="5" y="50" inkscape:label="t">가나다 <tspan>ABC</tspan></text></svg>')
    assert (probe_svg(drawn.encode()).width, probe_svg(drawn.encode()).height) == (120, 60)
    assert probe_svg((ROOT / "templates" / "static" / "icon.svg").read_bytes()).width == 32
    affinity = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:serif="http://www.serif.com/" '
                'xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape" viewBox="0 0 10 10" '
                'inkscape:export-filename="..\\img\\chart.png"><g serif:id="Layer 1"><rect width="9" height="9"/></g>'
                '<flowRoot><flowRegion><rect width="5" height="5"/></flowRegion><flowPara>text</flowPara></flowRoot>'
                '<defs><meshgradient id="m"><meshrow><meshpatch><stop/></meshpatch></meshrow></meshgradient></defs></svg>')
    assert probe_svg(affinity.encode()).width == 10
    illustrator = ('<?xml version="1.0" encoding="utf-8"?>\n<!-- Generator: Adobe Illustrator 27.0.0 -->\n'
                   '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
                   '<svg version="1.1" xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" x="0px" y="0px" '
                   'viewBox="0 0 40 20" xml:space="preserve"><rect width="40" height="20"/></svg>')
    assert probe_svg(illustrator.encode()).width == 40  # a DOCTYPE naming SVG 1.1's DTD declares nothing: kept


def test_svg_size_from_attributes_or_view_box() -> None:
    drawn = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 150"><a href="#x"><rect id="x" width="5" height="5"/></a></svg>'
    assert (probe_svg(drawn.encode()).width, probe_svg(drawn.encode()).height) == (300, 150)
    sized = '<svg xmlns="http://www.w3.org/2000/svg" width="64px" viewBox="0 0 32 16"/>'
    assert (probe_svg(sized.encode()).width, probe_svg(sized.encode()).height) == (64, 32)
