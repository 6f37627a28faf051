"""axe-core finds no WCAG 2.0/2.1 A or AA violation on any page, on a phone and a desktop, in light and dark."""

from __future__ import annotations

import pytest

from .checks import axe_version
from .harness import DESKTOP, PHONE, View, report
from .survey import Survey

pytestmark = pytest.mark.browser

SCRIPTED = [View(DESKTOP, "light"), View(DESKTOP, "dark"), View(PHONE, "light"), View(PHONE, "dark")]


@pytest.mark.parametrize("view", SCRIPTED, ids=str)
def test_axe_finds_no_wcag_aa_violations(survey: Survey, view: View) -> None:
    problems = {visit.path: visit.axe for visit in survey.of(view) if visit.axe}
    assert not problems, f"axe-core {axe_version()}, {view}:\n{report(problems)}"


@pytest.mark.parametrize("view", SCRIPTED, ids=str)
def test_glossary_tooltips_open_in_view_and_pass_contrast(survey: Survey, view: View) -> None:
    visits = survey.of(view)
    problems = {visit.path: visit.tooltips for visit in visits if visit.tooltips}
    assert not problems, f"{view}:\n{report(problems)}"
    assert sum(visit.tooltips_shown for visit in visits) > 0, "no page of the flagship has a glossary link: the tooltips went untested"


@pytest.mark.parametrize("view", [View(DESKTOP, "light"), View(DESKTOP, "dark")], ids=str)
def test_colour_scheme_follows_the_reader_preference(survey: Survey, view: View) -> None:
    problems: dict[str, list[str]] = {}
    for visit in survey.of(view):
        if view.scheme == "light" and visit.background < 0.8:
            problems.setdefault(visit.path, []).append(f"the light scheme's background is not light (luminance {visit.background:.2f})")
        if view.scheme == "dark" and visit.background > 0.05:
            problems.setdefault(visit.path, []).append(f"the dark scheme's background is not dark (luminance {visit.background:.2f})")
    assert not problems, report(problems)
