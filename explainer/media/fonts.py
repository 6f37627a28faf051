"""Fonts for what the build draws (social cards): which are there, and which characters each has.

A card is drawn with the site's own font files first (`fonts:` in site.yaml, TTF or OTF), then
with the machine's fonts for Hangul and for Latin text, found by fontconfig (`fc-match`) or at
the places Debian, macOS and Windows keep them. Which characters a font has is read from its
character map with fontTools: a character no font has is left out of the card, never drawn as
an empty box (mkdocs-material#4354), and the build says so.
"""

from __future__ import annotations

import io
import shutil
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..cache import Digest, digest

# Where fonts with Hangul (and then Latin letters) are kept when fontconfig is not there to ask.
KNOWN_FONTS = (
    "/usr/share/fonts/truetype/nanum/NanumGothicBold.ttf", "/usr/share/fonts/truetype/nanum/NanumGothic.ttf",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/System/Library/Fonts/AppleSDGothicNeo.ttc", "C:/Windows/Fonts/malgunbd.ttf", "C:/Windows/Fonts/malgun.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/System/Library/Fonts/Helvetica.ttc", "C:/Windows/Fonts/arialbd.ttf",
)
# What fontconfig is asked for: a bold sans-serif with Hangul, then one for any language.
PATTERNS = ("sans-serif:lang=ko:weight=bold", "sans-serif:weight=bold")


@dataclass(frozen=True, slots=True)
class Font:
    """A font that can draw: its name (for messages), its bytes, the characters it has and the hash of its bytes."""

    name: str
    data: bytes
    characters: frozenset[int]
    key: Digest = field(default="", compare=False)  # what a card drawn with it depends on (hashed once: fonts run to megabytes)

    def has(self, char: str) -> bool:
        return ord(char) in self.characters


def characters_of(data: bytes) -> frozenset[int]:
    """The code points a font's character map gives glyphs for (the first font of a collection); empty when unreadable."""
    from fontTools.ttLib import TTCollection, TTFont, TTLibError  # here: asking which fonts there are needs none of it

    try:
        collection = data[:4] == b"ttcf"
        font = TTCollection(io.BytesIO(data), lazy=True).fonts[0] if collection else TTFont(io.BytesIO(data), lazy=True)
        # Placeholder glyph names: the map is wanted for its code points only, and fontTools would
        # otherwise read the font's real names (its post or CFF table) first, three times the work.
        font.setGlyphOrder([f"g{index}" for index in range(font["maxp"].numGlyphs)])
        cmap = font.getBestCmap() or {}
    except (TTLibError, OSError, ValueError, KeyError, AssertionError):
        return frozenset()
    return frozenset(cmap)


def load_font(name: str, data: bytes) -> Font | None:
    """A font from its bytes, or None when it is no font fontTools can read."""
    characters = characters_of(data)
    return Font(name, data, characters, digest(data)) if characters else None


def system_font_paths() -> tuple[str, ...]:
    """The machine's font files for cards, Hangul first, each once: fontconfig's choice, then the known places."""
    import subprocess  # only a build that draws cards without fonts of the site's own runs fontconfig

    paths: list[str] = []
    fc_match = shutil.which("fc-match")
    if fc_match is not None:
        asked: list[subprocess.Popen[str]] = []
        for pattern in PATTERNS:  # all at once: each run spends most of its time starting and loading fontconfig's cache
            try:
                asked.append(subprocess.Popen([fc_match, "--format=%{file}", pattern], stdin=subprocess.DEVNULL,
                                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True))
            except OSError:
                continue
        for process in asked:  # in the patterns' order: Hangul first
            try:
                said, _ = process.communicate(timeout=10)
            except subprocess.SubprocessError:
                process.kill()
                process.communicate()
                continue
            if process.returncode == 0 and said.strip():
                paths.append(said.strip())
    paths += [path for path in KNOWN_FONTS if Path(path).is_file()]
    return tuple(dict.fromkeys(paths))


@lru_cache(maxsize=1)
def system_fonts() -> tuple[Font, ...]:
    """The machine's fonts for cards, Hangul first, each once (read once per process: fonts are not installed mid-build)."""
    fonts: list[Font] = []
    for path in system_font_paths():
        try:
            font = load_font(Path(path).name, Path(path).read_bytes())
        except OSError:
            continue
        if font is not None:
            fonts.append(font)
    return tuple(fonts)


def missing(text: str, fonts: tuple[Font, ...]) -> str:
    """The characters of `text` that no font has (spaces aside), each once, in order."""
    return "".join(dict.fromkeys(char for char in text if not char.isspace() and not any(font.has(char) for font in fonts)))
