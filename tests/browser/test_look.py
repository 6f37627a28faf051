"""A site with a look of its own passes every page check: images in a page, a term and a source, an accent,
a logo, a stylesheet of its own and pages in a folder; on a phone and a desktop, light and dark, without JavaScript.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from PIL import Image, ImageDraw

from conftest import write_tree
from siteserver import serve_site

from .harness import DESKTOP, PHONE, View, Views, build_site, report, site_pages
from .survey import SURVEYED, Survey, Visit

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = pytest.mark.browser

ACCENT = {"light": "#7b2cbf", "dark": "#c9a0ff"}
SITE: dict[str, str | None] = {
    "content/site.yaml": (
        "title: Harbor Line\n"
        "description: How to cross the harbor while the bridge is closed.\n"
        "language: en\n"
        "base_url: https://example.org/harbor/\n"
        "copyright: © Harbor Line\n"
        f'accent: {{light: "{ACCENT["light"]}", dark: "{ACCENT["dark"]}"}}\n'
        "logo: {file: files/logo.svg, alt: Harbor Line}\n"
        "favicon: files/logo.svg\n"
        "css: [files/site.css]\n"
        "nav: [closure, guide, facts, glossary, sources]\n"
    ),
    "content/files/site.css": ".figure figcaption { font-style: italic; }\n.site-logo { border-radius: 50%; }\n",
    "content/files/logo.svg": ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" width="32" height="32">'
                               '<circle cx="16" cy="16" r="15" fill="#7b2cbf"/></svg>'),
    "content/sources/report.yaml": (
        "title: Harbor report\n"
        "outlet: Harbor Authority\n"
        "published: 2024-05-02\n"
        "language: en\n"
        "image: {file: ../files/cables.png, alt: Corroded cables at the north anchor, credit: Harbor Authority}\n"
        "excerpts:\n"
        "  - id: cables\n"
        "    text: The cables at the north anchor must be replaced before the bridge reopens.\n"
    ),
    "content/facts/bridge.yaml": (
        "- id: cables\n"
        "  claim: The bridge stays closed until its cables are replaced.\n"
        "  when: 2024-05\n"
        "  evidence: [report#cables]\n"
    ),
    "content/glossary/ferry.yaml": (
        "term: ferry\n"
        "short: A boat that carries people and bicycles across the harbor.\n"
        "image:\n  file: ../files/ferry.png\n  alt: The orange ferry at the south pier\n  caption: The *Harbor Line* ferry.\n"
        "  credit: Jane Doe / CC BY 4.0\n"
    ),
    "content/pages/closure.md": (
        "---\ntitle: The closure\norder: 1\n---\n\n"
        "The bridge closed in May. A ferry crosses meanwhile.\n\n"
        '![Corroded cables at the north anchor](../files/cables.png "The north anchor, May 2024"){credit="Harbor Authority"}\n\n'
        "[[fact:cables]]\n\n"
        "The crossing takes ten minutes ![](ferry-icon.png){.decorative credit=own} by ferry; "
        "[the guide](guide/ferry.md) has the times.\n"
    ),
    "content/pages/guide/ferry.md": (
        "---\ntitle: The ferry\norder: 2\n---\n\n## Times\n\nEvery quarter hour from six.\n\n"
        "![The orange ferry at the south pier](../../files/ferry.png){credit=\"Jane Doe / CC BY 4.0\"}\n\n"
        "## Bicycles\n\nBicycles ride free.\n"
    ),
    "content/pages/guide/cycling.md": "---\ntitle: Cycling\norder: 3\n---\n\nThe long way round the harbor.\n",
}


def _png(width: int, height: int, colour: tuple[int, int, int]) -> bytes:
    image = Image.new("RGB", (width, height), colour)
    ImageDraw.Draw(image).rectangle((width // 4, height // 4, width * 3 // 4, height * 3 // 4), fill=(240, 200, 60))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def looked(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Views, list[str]]]:
    """The site, built and served under its sub-path, with its own browser contexts, and its pages."""
    root = tmp_path_factory.mktemp("look")
    write_tree(root, SITE)
    for name, data in {"content/files/cables.png": _png(1600, 900, (30, 80, 140)), "content/files/ferry.png": _png(1200, 800, (200, 90, 30)),
                       "content/pages/ferry-icon.png": _png(64, 64, (200, 50, 50))}.items():
        (root / name).write_bytes(data)
    built = build_site(root / "content", root / "site")
    with serve_site(built.folder, built.base_path) as served:
        views = Views(browser, served)
        yield views, site_pages(built.folder)
        views.close()


def problems_of(visit: Visit) -> list[str]:
    """Everything a survey found wrong with one page (text not shown counts on a phone: on a wide screen the
    glossary's letters are in the contents column, and the jump bar in the text is hidden)."""
    hidden = [f"not shown: {item}" for item in visit.unrendered] if visit.view.width == PHONE else []
    return visit.axe + visit.tooltips + visit.layout + visit.requests + hidden


@pytest.mark.parametrize("view", SURVEYED, ids=str)
def test_a_look_of_its_own_passes_every_page_check(looked: tuple[Views, list[str]], view: View) -> None:
    views, pages = looked
    visits = Survey(views, pages, None).of(view)
    found = {visit.path: problems_of(visit) for visit in visits if problems_of(visit)}
    assert not found, f"{view}:\n{report(found)}"


IMAGES_JS = """() => [...document.querySelectorAll("main img, .site-header img")].map((img) => ({
  src: img.currentSrc, loaded: img.complete && img.naturalWidth > 0, width: img.getAttribute("width"),
  height: img.getAttribute("height"), lazy: img.loading}))"""
ACCENT_JS = """() => getComputedStyle(document.documentElement).getPropertyValue("--accent").trim()"""


@pytest.mark.parametrize("view", [View(PHONE, "light"), View(DESKTOP, "dark")], ids=str)
def test_images_load_in_the_format_and_size_the_view_asks_for(looked: tuple[Views, list[str]], view: View) -> None:
    views, _ = looked
    page = views.tab(view).visit("closure/")
    page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_function("() => [...document.querySelectorAll('main img')].every((img) => img.complete)")
    images = page.evaluate(IMAGES_JS)
    assert all(image["loaded"] for image in images), images
    assert all(image["width"] and image["height"] for image in images), "an image without its size makes the page jump"
    figure = next(image for image in images if "cables" in image["src"])
    assert figure["src"].endswith(".webp") and figure["lazy"] == "auto"  # the page's first image is not lazy
    # the browser takes the smallest file as wide as the image is shown, in device pixels: 480 on a 375 px phone at 1x
    shown = page.evaluate("() => document.querySelector('.figure img').getBoundingClientRect().width * devicePixelRatio")
    chosen = int(re.search(r"-(\d+)\.webp$", figure["src"]).group(1))  # type: ignore[union-attr]
    smallest = min(width for width in (480, 960, 1440) if width >= min(shown, 1440))
    assert chosen == smallest, (figure["src"], shown)
    logo = next(image for image in images if "logo" in image["src"])
    assert logo["loaded"]
    assert page.evaluate(ACCENT_JS) == ACCENT[view.scheme]  # look.css, after the theme's style.css
    assert page.evaluate("() => getComputedStyle(document.querySelector('.figure figcaption')).fontStyle") == "italic"  # site.css
