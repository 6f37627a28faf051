"""Layout on a phone (375 px) and a desktop (1280 px): nothing scrolls sideways, no text overlaps, Korean words stay whole."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tools import missing

from .harness import PHONE, View, Views, report
from .survey import SURVEYED, Survey

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("view", SURVEYED, ids=str)
def test_pages_fit_the_window_without_overlap_and_keep_korean_words_whole(survey: Survey, view: View) -> None:
    problems = {visit.path: visit.layout for visit in survey.of(view) if visit.layout}
    assert not problems, f"{view}:\n{report(problems)}"


def korean_font_families() -> set[str]:
    """The font families installed on this machine that cover Korean, as fontconfig reports them."""
    if shutil.which("fc-list") is None:
        missing("fc-list is missing (apt-get install fontconfig, which Chromium needs anyway)")
    listed = subprocess.run(["fc-list", ":lang=ko", "family"], capture_output=True, text=True, check=False).stdout
    return {name.strip() for line in listed.splitlines() for name in line.split(",") if name.strip()}


def test_hangul_is_drawn_with_an_installed_korean_font_and_no_web_font(views: Views) -> None:
    korean = korean_font_families()
    if not korean:
        missing("no Korean font is installed (apt-get install fonts-nanum): Hangul would be drawn as empty boxes")
    page = views.tab(View(PHONE)).visit("")
    assert page.evaluate("document.fonts.size") == 0, "the page declares web fonts (@font-face)"
    session = page.context.new_cdp_session(page)
    try:
        session.send("DOM.enable")
        session.send("CSS.enable")
        root = session.send("DOM.getDocument")["root"]["nodeId"]
        node = session.send("DOM.querySelector", {"nodeId": root, "selector": "main h1"})["nodeId"]
        used = session.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    finally:
        session.detach()
    assert not any(font["isCustomFont"] for font in used), used
    assert {font["familyName"] for font in used} & korean, f"the main heading is drawn with {used}, none of which covers Korean"
