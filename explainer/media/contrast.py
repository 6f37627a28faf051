"""Colours and their contrast as WCAG 2 defines it: relative luminance, the ratio of two, and the nearest colour that passes."""

from __future__ import annotations

import colorsys

AA_TEXT = 4.5  # WCAG 2.1 AA, 1.4.3: normal text against its background
DEFAULT_ACCENT = "#0b57b3"  # the default theme's accent in the light scheme


def channels(colour: str) -> tuple[int, int, int]:
    """'#rrggbb' as three numbers 0-255."""
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def hex_colour(red: float, green: float, blue: float) -> str:
    """Three numbers 0-1 as '#rrggbb'."""
    return "#" + "".join(f"{max(0, min(255, round(value * 255))):02x}" for value in (red, green, blue))


def luminance(colour: str) -> float:
    """The relative luminance of an sRGB colour (WCAG 2)."""
    def linear(value: int) -> float:
        scaled = value / 255
        return scaled / 12.92 if scaled <= 0.04045 else ((scaled + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(value) for value in channels(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def ratio(first: str, second: str) -> float:
    """The contrast ratio of two colours, 1 to 21."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def readable_on(background: str) -> str:
    """White or near-black, whichever reads better on `background`."""
    return "#ffffff" if ratio(background, "#ffffff") >= ratio(background, "#15171a") else "#15171a"


def passing(colour: str, backgrounds: tuple[str, ...], needed: float = AA_TEXT) -> str:
    """The colour of the same hue and saturation nearest in lightness to `colour` that reaches `needed` on every background.

    '' when no lightness does (backgrounds both very light and very dark).
    """
    hue, lightness, saturation = colorsys.rgb_to_hls(*(value / 255 for value in channels(colour)))
    for step in range(0, 101):
        for sign in (-1, 1):
            trial = lightness + sign * step / 100
            if not 0 <= trial <= 1:
                continue
            candidate = hex_colour(*colorsys.hls_to_rgb(hue, trial, saturation))
            if all(ratio(candidate, background) >= needed for background in backgrounds):
                return candidate
    return ""


def mix(colour: str, other: str, share: float) -> str:
    """`share` of `colour` over `other` (share 0.1: a tint of colour on other)."""
    first, second = channels(colour), channels(other)
    return hex_colour(*((a * share + b * (1 - share)) / 255 for a, b in zip(first, second, strict=True)))
