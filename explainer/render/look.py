"""A look of the site's own, from site.yaml: accent colours, fonts, logo, icon and stylesheets, on top of the theme.

The theme's colours and fonts are CSS custom properties (--accent, --font-latin …, in its
style.css); the site's values go into a small stylesheet of their own, assets/look.css, loaded
after the theme's, then the site's own stylesheets (`css:`). The accent is checked against the
backgrounds the theme declares in both colour schemes (WCAG AA, 4.5:1 for text), and the colours
the theme derives from it (a stronger one for text on its tint, the tint) are made to pass too.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..content.links import FONT_SUFFIXES
from ..content.targets import resolve
from ..errors import Problem
from ..media.contrast import AA_TEXT, mix, passing, ratio
from ..model import Asset, Site
from .theme import Theme

LOOK_CSS = "assets/look.css"
SCHEMES = ("light", "dark")
BACKGROUNDS = ("bg", "panel", "surface")  # where the theme sets text in its accent colour
PROPERTY_RE = re.compile(r"--([\w-]+)\s*:\s*(#[0-9a-fA-F]{6})\b")
DARK_RE = re.compile(r"@media\s*\(\s*prefers-color-scheme\s*:\s*dark\s*\)\s*\{\s*:root\s*\{([^}]*)\}", re.IGNORECASE)
ROOT_RE = re.compile(r"(?<![\w-]):root\s*\{([^}]*)\}")
FAMILY_RE = re.compile(r"^[\w\s,\"'.-]+$", re.UNICODE)
OUTSIDE_RE = re.compile(r"@import|url\(\s*['\"]?\s*(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class ThemeColours:
    """The colours a theme's style.css declares, by scheme: {'light': {'bg': '#ffffff', …}, 'dark': {…}}."""

    schemes: dict[str, dict[str, str]]

    @classmethod
    def of(cls, theme: Theme) -> ThemeColours:
        """Read the custom properties of the theme's style.css (the site's own, when it has one)."""
        style = theme.static_files().get("style.css")
        text = style.read_text(encoding="utf-8", errors="replace") if style is not None else ""
        light: dict[str, str] = {}
        for block in ROOT_RE.findall(DARK_RE.sub("", text)):
            light.update((name, value.lower()) for name, value in PROPERTY_RE.findall(block))
        dark = dict(light)
        for block in DARK_RE.findall(text):
            dark.update((name, value.lower()) for name, value in PROPERTY_RE.findall(block))
        return cls({"light": light, "dark": dark})

    def backgrounds(self, scheme: str) -> dict[str, str]:
        """The scheme's backgrounds by name, each colour once (a theme's cards may have the page's own background)."""
        found: dict[str, str] = {}
        for name in BACKGROUNDS:
            colour = self.schemes[scheme].get(name)
            if colour is not None and colour not in found.values():
                found[name] = colour
        return found


def accents(site: Site) -> dict[str, str]:
    """The accent of each scheme the site sets ('#rrggbb'); one colour given alone serves both."""
    light, dark = site.config.look.accent
    if not light and not dark:
        return {}
    return {"light": light or dark, "dark": dark or light}


def check_look(site: Site, theme: Theme) -> list[Problem]:
    """The problems with the look site.yaml asks for: accent contrast, font names, stylesheets that fetch from elsewhere."""
    return [*_accent_problems(site, ThemeColours.of(theme)), *_font_problems(site), *_stylesheet_problems(site)]


def _accent_problems(site: Site, colours: ThemeColours) -> Iterator[Problem]:
    look, path = site.config.look, site.config.loc.path
    line = look.lines.get("accent", 1)
    chosen = accents(site)
    failing: list[str] = []
    suggestion: dict[str, str] = {}
    for scheme, accent in chosen.items():
        backgrounds = colours.backgrounds(scheme)
        for name, background in backgrounds.items():
            found = ratio(accent, background)
            if found < AA_TEXT:
                failing.append(f"{accent} on the {scheme} scheme's {name.replace('bg', 'background')} {background} has contrast "
                               f"{found:.2f}:1, short of {AA_TEXT}:1 by {AA_TEXT - found:.2f}")
                suggestion[scheme] = passing(accent, tuple(backgrounds.values()))
        if scheme not in suggestion:
            suggestion[scheme] = accent
    for message in failing[:1]:  # one problem, naming the first pair; the hint gives colours that pass them all
        more = f" (and {len(failing) - 1} more pair{'s' if len(failing) > 2 else ''})" if len(failing) > 1 else ""
        fix = f'accent: {{light: "{suggestion["light"]}", dark: "{suggestion["dark"]}"}}' if all(suggestion.values()) else ""
        yield Problem(path, line, f"accent {message}{more}",
                      f"links and buttons in this colour would be hard to read; colours of the same hue that pass: {fix}"
                      if fix else "choose a colour with more contrast against the theme's backgrounds")


def _font_problems(site: Site) -> Iterator[Problem]:
    look, path = site.config.look, site.config.loc.path
    for value in (look.font_latin, look.font_hangul):
        if not value or posixpath.splitext(value)[1].lower() in FONT_SUFFIXES:
            continue
        if not FAMILY_RE.match(value):
            yield Problem(path, look.lines.get("fonts", 1), f"the font list '{value}' holds characters a font name never has",
                          'write font families separated by commas, names with spaces in quotes: "Noto Sans KR", sans-serif')


def _stylesheet_problems(site: Site) -> Iterator[Problem]:
    """A stylesheet of the content may not fetch from another server: no request leaves the site."""
    for path, asset in sorted(site.assets.items()):
        if not path.lower().endswith(".css"):
            continue
        text = asset.data.decode("utf-8", "replace")
        found = OUTSIDE_RE.search(text)
        if found:
            line = text.count("\n", 0, found.start()) + 1
            yield Problem(asset.shown, line, "this stylesheet fetches from another server "
                          f"({found.group(0).strip()}…): readers' browsers would ask it for every page",
                          "keep what it needs (fonts, images) in content/files/ and name it with a relative url(…)")


def look_css(site: Site, theme: Theme) -> bytes | None:
    """assets/look.css: the site's accent (with the colours derived from it) and fonts as the theme's custom properties."""
    look = site.config.look
    colours = ThemeColours.of(theme)
    lines: list[str] = ["/* The site's own look, from content/site.yaml (written by explainer). */"]
    faces = _font_faces(site)
    lines += faces
    light = _accent_properties(accents(site).get("light", ""), colours.schemes["light"])
    fonts = [f"  --font-{name}: {family};" for name, family in (("latin", _family(site, look.font_latin, "latin")),
                                                              ("hangul", _family(site, look.font_hangul, "hangul"))) if family]
    if light or fonts:
        lines += [":root {", *light, *fonts, "}"]
    dark = _accent_properties(accents(site).get("dark", ""), colours.schemes["dark"])
    if dark:
        lines += ["@media (prefers-color-scheme: dark) {", "  :root {", *("  " + line for line in dark), "  }", "}"]
    return ("\n".join(lines) + "\n").encode("utf-8") if len(lines) > 1 else None


def _accent_properties(accent: str, scheme: dict[str, str]) -> list[str]:
    """--accent and what the theme derives from it: a tint for backgrounds, a stronger colour readable on that tint."""
    if not accent:
        return []
    background = scheme.get("bg", "#ffffff")
    soft = mix(accent, background, 0.12)
    readable = tuple(value for value in (soft, background, scheme.get("panel", background)) if value)
    strong = passing(mix(accent, "#000000" if ratio(background, "#000000") > ratio(background, "#ffffff") else "#ffffff", 0.8),
                     readable) or accent
    return [f"  --accent: {accent};", f"  --accent-strong: {strong};", f"  --accent-soft: {soft};"]


def _family(site: Site, value: str, name: str) -> str:
    """The CSS font-family list for one of the fonts site.yaml names (a file becomes a family of its own)."""
    if not value:
        return ""
    if posixpath.splitext(value)[1].lower() in FONT_SUFFIXES:
        return f'"site-{name}"'
    return value


def _font_faces(site: Site) -> list[str]:
    """@font-face rules for the font files site.yaml names, relative to assets/look.css."""
    look = site.config.look
    rules: list[str] = []
    for name, value in (("latin", look.font_latin), ("hangul", look.font_hangul)):
        asset = _font_asset(site, value)
        if asset is not None:
            kind = {".woff2": "woff2", ".woff": "woff", ".ttf": "truetype", ".otf": "opentype"}[posixpath.splitext(asset.path)[1].lower()]
            rules.append(f'@font-face {{ font-family: "site-{name}"; src: url("../{asset.url}") format("{kind}"); '
                         "font-display: swap; }")
    return rules


def _font_asset(site: Site, value: str) -> Asset | None:
    if not value or posixpath.splitext(value)[1].lower() not in FONT_SUFFIXES:
        return None
    target = resolve(value, "site.yaml", site)
    return site.assets.get(target.path) if target.kind == "asset" else None


def stylesheets(site: Site, theme: Theme) -> list[str]:
    """The site paths of the stylesheets a page loads after the theme's: look.css when there is one, then the site's own."""
    found = [LOOK_CSS] if look_css(site, theme) is not None else []
    for written in site.config.look.css:
        target = resolve(written, "site.yaml", site)
        if target.kind == "asset":
            found.append(site.assets[target.path].url)
    return found


ICON_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".ico": "image/x-icon"}


def look_values(site: Site, theme: Theme) -> dict[str, Any]:
    """What templates receive as `look`: the stylesheets to load after the theme's, the favicon and the logo."""
    look = site.config.look
    favicon = _named_asset(site, look.favicon)
    logo = _named_asset(site, look.logo)
    return {
        "stylesheets": stylesheets(site, theme),
        "favicon": favicon.url if favicon is not None else "",
        "favicon_type": ICON_TYPES.get(posixpath.splitext(favicon.path)[1].lower(), "") if favicon is not None else "",
        "logo": {"path": logo.url, "alt": look.logo_alt, "width": logo.width, "height": logo.height} if logo is not None else None,
    }


def _named_asset(site: Site, written: str) -> Asset | None:
    """The file of the content a key of site.yaml names ('' or a file the checks refused: None)."""
    if not written:
        return None
    target = resolve(written, "site.yaml", site)
    return site.assets.get(target.path) if target.kind == "asset" else None
