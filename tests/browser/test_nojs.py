"""Without JavaScript every page reads the same: scripts only enhance."""

from __future__ import annotations

import pytest

from .harness import PHONE, View, report
from .survey import Survey

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("view", [View(PHONE, javascript=False)], ids=str)
def test_pages_read_the_same_without_javascript(survey: Survey, view: View) -> None:
    scripted = {visit.path: visit for visit in survey.of(View(view.width, view.scheme))}
    problems: dict[str, list[str]] = {}
    for plain in survey.of(view):
        found = [f"not shown without JavaScript: {item}" for item in plain.unrendered]
        if not plain.main_text.strip():
            found.append("the main content is empty without JavaScript")
        lines = {line.strip() for line in plain.main_text.splitlines()}
        # a button a script shows (Copy link) is a control, not text the page reads
        found += [f"only with JavaScript: {line.strip()[:60]!r}"
                  for line in scripted[plain.path].main_text.splitlines()
                  if line.strip() and line.strip() not in lines and line.strip() not in scripted[plain.path].controls]
        if found:
            problems[plain.path] = found
    assert not problems, report(problems)
    assert scripted, "no page was checked"
