"""A look of the site's own from site.yaml: the accent's contrast, the stylesheet made of it, fonts and stylesheets checked."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import MINI, Run
from explainer.media.contrast import AA_TEXT, passing, ratio

SITE = MINI["content/site.yaml"]

CASES = {
    "too light for the light scheme": (
        'accent: "#ffcc00"\n',
        "content/site.yaml:6: error: accent #ffcc00 on the light scheme's background #ffffff has contrast 1.51:1, short of "
        "4.5:1 by 2.99 (and 1 more pair)",
        '       = fix: links and buttons in this colour would be hard to read; colours of the same hue that pass: accent: '
        '{light: "#856a00", dark: "#ffcc00"}'),
    "fine in light, too dark for the dark scheme": (
        'accent: "#0b57b3"\n',
        "content/site.yaml:6: error: accent #0b57b3 on the dark scheme's background #15171a has contrast 2.59:1, short of "
        "4.5:1 by 1.91 (and 2 more pairs)",
        '       = fix: links and buttons in this colour would be hard to read; colours of the same hue that pass: accent: '
        '{light: "#0b57b3", dark: "#3289f2"}'),
    "not a colour": (
        "accent: blue\n",
        "content/site.yaml:6: error: 'accent' must be a colour written #rrggbb (in quotes: YAML reads # as a comment), not 'blue'",
        ""),
    "unquoted, read as a comment": (
        "accent: #8a2be2\n",
        "content/site.yaml:6: error: 'accent' is empty",
        "       = fix: 'accent' takes a colour in quotes, `\"#rrggbb\"` (YAML reads # as a comment), or a mapping `light:` and "
        "`dark:` of two"),
    "a font list that is no list of fonts": (
        'fonts:\n  latin: "Inter; } body { display: none"\n',
        "content/site.yaml:6: error: the font list 'Inter; } body { display: none' holds characters a font name never has",
        ""),
    "an unknown key in fonts": (
        "fonts:\n  latn: Inter\n",
        "content/site.yaml:7: error: unknown key 'latn' in fonts",
        "       = fix: did you mean 'latin'? allowed keys: latin, hangul"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_each_look_error(make_site: Callable[..., Run], name: str) -> None:
    added, message, hint = CASES[name]
    run = make_site({"content/site.yaml": SITE + added})
    assert run.code == 1
    lines = run.err.splitlines()
    assert message in lines, run.err
    if hint:
        assert hint in lines, run.err


def test_suggested_colours_pass_every_background() -> None:
    for colour in ("#ffcc00", "#0b57b3", "#e91e63", "#00ff00"):
        for backgrounds in (("#ffffff", "#f4f6f8"), ("#15171a", "#1f2226", "#1b1d21")):
            found = passing(colour, backgrounds)
            assert found and all(ratio(found, b) >= AA_TEXT for b in backgrounds), (colour, backgrounds, found)


def test_a_stylesheet_fetching_from_elsewhere_is_refused(make_site: Callable[..., Run], site_root: Path) -> None:
    css = "body { color: red; }\n@import url(https://fonts.example.com/x.css);\n"
    (site_root / "content/files").mkdir(parents=True)
    (site_root / "content/files/site.css").write_text(css, encoding="utf-8")
    run = make_site({"content/site.yaml": SITE + "css: [files/site.css]\n"})
    assert ("content/files/site.css:2: error: this stylesheet fetches from another server (@import…): readers' browsers would "
            "ask it for every page") in run.err.splitlines(), run.err


def test_accent_fonts_and_stylesheets_reach_every_page(make_site: Callable[..., Run], site_root: Path) -> None:
    (site_root / "content/files").mkdir(parents=True)
    (site_root / "content/files/site.css").write_text(".prose { letter-spacing: 0.01em; }\n", encoding="utf-8")
    (site_root / "content/files/icon.png").write_bytes(_png())
    look = ('accent: {light: "#7a1fa2", dark: "#d59cf0"}\nfonts:\n  latin: \'"Source Serif 4", Georgia, serif\'\n'
            "css: [files/site.css]\nfavicon: files/icon.png\n")
    run = make_site({"content/site.yaml": SITE + look}, "build", "--strict")
    assert run.code == 0, run.err
    css = (run.site / "assets/look.css").read_text(encoding="utf-8")
    assert ":root {\n  --accent: #7a1fa2;" in css and '--font-latin: "Source Serif 4", Georgia, serif;' in css
    assert "@media (prefers-color-scheme: dark) {\n  :root {\n    --accent: #d59cf0;" in css
    strong = css.split("--accent-strong: ")[1].split(";")[0]
    soft = css.split("--accent-soft: ")[1].split(";")[0]
    assert ratio(strong, soft) >= AA_TEXT  # the colours derived from the accent pass as well
    page = run.page("intro/index.html")
    assert page.index('href="../assets/style.css"') < page.index('href="../assets/look.css"') < page.index('href="../files/site.css"')
    assert '<link rel="icon" href="../files/icon.png"' in page
    assert (run.site / "files/site.css").is_file() and (run.site / "files/icon.png").is_file()


def _png() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (32, 32), (120, 30, 160)).save(out, "PNG")
    return out.getvalue()
