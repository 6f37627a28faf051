"""Layout on a phone (375 px) and a desktop (1280 px): nothing scrolls sideways, no text overlaps, Korean words stay whole."""

from __future__ import annotations

import pytest

from .harness import View, report
from .survey import SURVEYED, Survey

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("view", SURVEYED, ids=str)
def test_pages_fit_the_window_without_overlap_and_keep_korean_words_whole(survey: Survey, view: View) -> None:
    problems = {visit.path: visit.layout for visit in survey.of(view) if visit.layout}
    assert not problems, f"{view}:\n{report(problems)}"
