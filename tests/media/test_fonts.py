"""Fonts for social cards: which characters a font has, read from its character map alone."""

from __future__ import annotations

import io
import logging
from pathlib import Path

import pytest
from fontTools.ttLib import TTCollection, TTFont

from explainer.media.fonts import KNOWN_FONTS, characters_of

FOUND = [path for path in KNOWN_FONTS if Path(path).is_file()]


@pytest.mark.skipif(not FOUND, reason="none of the known fonts is on this machine")
@pytest.mark.parametrize("path", FOUND)
def test_the_characters_are_those_of_fonttools_best_map_with_the_real_glyph_names(path: str) -> None:
    data = Path(path).read_bytes()
    font = TTCollection(io.BytesIO(data)).fonts[0] if data[:4] == b"ttcf" else TTFont(io.BytesIO(data))
    assert characters_of(data) == frozenset(font.getBestCmap())


@pytest.mark.skipif(not FOUND, reason="none of the known fonts is on this machine")
def test_the_glyph_names_are_never_read(caplog: pytest.LogCaptureFixture) -> None:
    data = bytearray(Path(FOUND[0]).read_bytes())
    font = TTCollection(io.BytesIO(bytes(data))).fonts[0] if data[:4] == b"ttcf" else TTFont(io.BytesIO(bytes(data)))
    if "post" not in font.reader.tables:
        pytest.skip("this font keeps no glyph names in a post table")
    entry = font.reader.tables["post"]
    data[entry.offset + 32:entry.offset + entry.length] = b"\xff" * (entry.length - 32)  # the names, unreadable
    with caplog.at_level(logging.DEBUG, logger="fontTools"):
        characters = characters_of(bytes(data))
    assert len(characters) > 1000
    assert not [record.getMessage() for record in caplog.records if "post" in record.getMessage()]  # never decompiled
