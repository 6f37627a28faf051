"""Images and other files of the content: where they live, how Markdown and YAML name them, and every error about them."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from conftest import MINI, Run

PAGE = "---\ntitle: Introduction\n---\n\nLook at the sky.\n\n{}\n"
TERM = MINI["content/glossary/sky.yaml"]


def image_bytes(width: int = 1000, height: int = 500, image_format: str = "PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (20, 90, 160)).save(out, image_format)
    return out.getvalue()


@pytest.fixture
def with_files(site_root: Path) -> Callable[[dict[str, bytes]], None]:
    """Write binary files into the site (make_site writes text)."""

    def write(files: dict[str, bytes]) -> None:
        for relative, data in files.items():
            path = site_root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)

    return write


CHART = {"content/files/chart.png": image_bytes()}
CASES = {
    "missing image": (
        "![Bars](chrt.png){credit=own}",
        ["content/pages/intro.md:9: error: image 'chrt.png' not found",
         "       = fix: did you mean '../files/chart.png'? images are kept in content/files/ or beside the pages; a path is read "
         "from the file it is written in"]),
    "no text alternative": (
        "![](../files/chart.png){credit=own}",
        ["content/pages/intro.md:9: error: image '../files/chart.png' has no text alternative",
         "       = fix: say what the image shows, for readers who cannot see it: ![A bar chart of …](../files/chart.png); an image "
         "that only decorates is marked so: ![](../files/chart.png){.decorative}"]),
    "no credit": (
        "Text before.\n![Bars](/files/chart.png)",
        ["content/pages/intro.md:10: error: image '/files/chart.png' has no credit",
         "       = fix: say who made it, as they should be credited: ![…](/files/chart.png){credit=\"Jane Doe / CC BY 4.0\"}; "
         "{credit=own} for an image you made yourself"]),
    "image on another server": (
        "![Bars](https://example.com/chart.png){credit=own}",
        ["content/pages/intro.md:9: error: image 'https://example.com/chart.png' is on another server: every reader's browser "
         "would fetch it from there"]),
    "a file that is no image": (
        "![Report](../files/report.pdf){credit=own}",
        ["content/pages/intro.md:9: error: '../files/report.pdf' is not an image"]),
    "link to a missing file": (
        "[the data](../files/dat.csv)",
        ["content/pages/intro.md:9: error: link '../files/dat.csv' leads to no file",
         "       = fix: did you mean '../files/data.csv'? files are kept in content/files/ or beside the pages"]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_each_image_error_names_file_line_and_fix(make_site: Callable[..., Run], with_files: Callable[[dict[str, bytes]], None],
                                                 name: str) -> None:
    markdown, expected = CASES[name]
    with_files({**CHART, "content/files/report.pdf": b"%PDF-1.4\n", "content/files/data.csv": b"a,b\n"})
    linked = "[report](../files/report.pdf) [data](../files/data.csv) ![Bars](../files/chart.png){credit=own}\n\n"
    run = make_site({"content/pages/intro.md": PAGE.format(linked + markdown)}, "build", "--strict")
    assert run.code == 1
    lines = run.err.splitlines()
    for line in expected:
        assert line in lines, run.err
    assert "Traceback" not in run.err


YAML_CASES = {
    "term image without alt": (
        {"content/glossary/sky.yaml": TERM + "image:\n  file: ../files/chart.png\n  credit: own\n"},
        "content/glossary/sky.yaml:5: error: image '../files/chart.png' has no text alternative"),
    "term image without credit": (
        {"content/glossary/sky.yaml": TERM + "image:\n  file: ../files/chart.png\n  alt: Bars\n"},
        "content/glossary/sky.yaml:5: error: missing required key 'credit' in image"),
    "source image not found": (
        {"content/sources/paper.yaml": MINI["content/sources/paper.yaml"] + "image: {file: /files/chrt.png, alt: A, credit: own}\n"},
        "content/sources/paper.yaml:11: error: image '/files/chrt.png' not found"),
    "image given as text": (
        {"content/glossary/sky.yaml": TERM + "image: ../files/chart.png\n"},
        "content/glossary/sky.yaml:4: error: 'image' must be a mapping of keys to values, not text"),
    "logo not found": (
        {"content/site.yaml": MINI["content/site.yaml"] + "logo:\n  file: files/logo.svg\n"},
        "content/site.yaml:6: error: logo 'files/logo.svg' not found"),
    "favicon of the wrong kind": (
        {"content/site.yaml": MINI["content/site.yaml"] + "favicon: files/chart.jpg\n"},
        "content/site.yaml:6: error: favicon 'files/chart.jpg' must be one of: .svg, .png, .ico"),
    "page's social image not found": (
        {"content/pages/intro.md": "---\ntitle: Introduction\nimage: card.png\n---\nText.\n"},
        "content/pages/intro.md:3: error: social image 'card.png' not found"),
}


@pytest.mark.parametrize("name", list(YAML_CASES))
def test_each_yaml_image_error(make_site: Callable[..., Run], with_files: Callable[[dict[str, bytes]], None], name: str) -> None:
    changes, expected = YAML_CASES[name]
    with_files({**CHART, "content/files/chart.jpg": image_bytes(image_format="JPEG")})
    used = {"content/pages/intro.md": PAGE.format("![Bars](../files/chart.png){credit=own} ![B](../files/chart.jpg){credit=own}")}
    run = make_site({**used, **changes})
    assert run.code == 1
    assert expected in run.err.splitlines(), run.err


FILE_CASES = {
    "unused file": ({"content/files/old.png": image_bytes()},
                    "content/files/old.png: warning: not used: no page, term, source or site.yaml shows or links to this file, so it "
                    "is not published"),
    "a kind of file that is not published": ({"content/files/page.html": b"<script>alert(1)</script>"},
                                             "content/files/page.html: warning: ignored: explainer publishes no .html files"),
    "images in a folder of their own": ({"content/images/chart.png": image_bytes()},
                                        "content/images: warning: ignored: not part of the content layout"),
    "too many pixels": ({"content/files/huge.png": image_bytes(5000, 4100)},
                        "content/files/huge.png: error: this image is 5000 × 4100 pixels (20 MP); an image may have at most 20 MP"),
    "not an image at all": ({"content/files/broken.png": b"\x89PNG\r\n\x1a\n not really"},
                            "content/files/broken.png: error: this image cannot be read as an image (cannot identify image file "
                            "<_io.BytesIO object>)"),
}


@pytest.mark.parametrize("name", list(FILE_CASES))
def test_each_file_problem(make_site: Callable[..., Run], with_files: Callable[[dict[str, bytes]], None], name: str) -> None:
    files, expected = FILE_CASES[name]
    with_files(files)
    run = make_site()
    lines = [line.split(" at 0x")[0] + ">)" if "BytesIO object at" in line else line for line in run.err.splitlines()]
    assert expected in lines, run.err
    if "images in a folder" in name:
        assert "       = fix: images and other files go in content/files/, or beside the page that shows them in content/pages/" in lines


def test_a_site_with_images_everywhere_builds_strict(make_site: Callable[..., Run], with_files: Callable[[dict[str, bytes]], None]) -> None:
    with_files({**CHART, "content/pages/photo.jpg": image_bytes(1600, 1200, "JPEG"), "content/files/data.csv": b"a,b\n1,2\n",
                "content/files/unused.png": image_bytes(10, 10)})
    body = ("![Bars rising](../files/chart.png \"Loans, 2024\"){credit=own}\n\nText with ![a photo](photo.jpg)"
            "{credit=\"Jane Doe / CC BY 4.0\"} and [the data](../files/data.csv).\n")
    term = TERM + "image:\n  file: ../files/chart.png\n  alt: Bars rising\n  caption: The *same* chart.\n  credit: own\n"
    run = make_site({"content/pages/intro.md": PAGE.format(body), "content/glossary/sky.yaml": term})
    assert run.code == 0, run.err
    assert run.err.count("warning:") == 1 and "content/files/unused.png: warning: not used" in run.err  # and nothing else
    page = run.page("intro/index.html")
    assert '<figure class="figure"><picture><source type="image/webp" srcset="../images/chart-' in page
    assert 'alt="Bars rising" width="1000" height="500" decoding="async">' in page  # the page's first image: not lazy
    assert "<figcaption>Loans, 2024</figcaption>" in page
    assert 'alt="a photo" width="1600" height="1200" loading="lazy" decoding="async">' in page
    assert '<small class="image-credit">Image: Jane Doe / CC BY 4.0</small>' in page
    assert '<a href="../files/data.csv">the data</a>' in page
    built = {path.relative_to(run.site).as_posix() for path in run.site.rglob("*") if path.is_file()}
    assert "files/data.csv" in built and "files/unused.png" not in built and "files/chart.png" not in built
    assert {name.rsplit("-", 1)[1] for name in built if name.startswith("images/chart-")} == {
        "480.webp", "960.webp", "1000.webp", "480.png", "960.png", "1000.png"}
    printed = run.page("print/index.html")
    assert 'src="../images/chart-' in printed and 'loading="lazy"' not in printed  # on paper every image is there at once


def test_terms_and_sources_show_their_images(make_site: Callable[..., Run], with_files: Callable[[dict[str, bytes]], None]) -> None:
    with_files(CHART)
    term = TERM + "image:\n  file: ../files/chart.png\n  alt: Bars rising\n  caption: The *same* chart.\n  credit: Jane Doe\n"
    source = MINI["content/sources/paper.yaml"] + "image: {file: /files/chart.png, alt: The paper's chart, credit: own}\n"
    run = make_site({"content/glossary/sky.yaml": term, "content/sources/paper.yaml": source}, "build", "--strict")
    assert run.code == 0, run.err
    term_page = run.page("glossary/sky/index.html")
    assert 'alt="Bars rising" width="1000" height="500"' in term_page
    assert '<figcaption>The <em>same</em> chart. <small class="image-credit">Image: Jane Doe</small></figcaption>' in term_page
    assert 'alt="The paper&#39;s chart" width="1000" height="500"' in run.page("sources/paper/index.html")
    assert 'alt="Bars rising"' in run.page("print/index.html")


def test_a_refused_drawing_is_one_problem_not_also_missing(make_site: Callable[..., Run]) -> None:
    """Refused, it is there all the same: the page that shows it is not told it is missing (nor pointed to another file)."""
    page = "---\ntitle: Drawn\nsummary: A drawing.\n---\n\n![A chart](../files/chart.svg){credit=own}\n"
    svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 9 9"><script>alert(1)</script></svg>'
    run = make_site({"content/pages/drawn.md": page, "content/files/chart.svg": svg, "content/files/chart2.svg": svg})
    assert run.code == 1 and "content/files/chart.svg: error: this image holds a <script> element" in run.err
    assert "not found" not in run.err and "did you mean" not in run.err
    assert "export the drawing again as plain SVG" in run.err
