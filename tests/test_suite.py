"""How scripts/test.sh shares the suite out over processes (pytest-xdist, `work_unit` in conftest.py)."""

from __future__ import annotations

from browser.harness import DESKTOP, PHONE, View

from conftest import survey_tests, work_unit

READERS = frozenset({"tests/browser/test_x.py"})


def test_the_survey_s_readers_of_one_width_and_scheme_run_together_and_any_other_test_with_its_file() -> None:
    def test_id(view: View, before: str = "", after: str = "", file: str = "tests/browser/test_x.py") -> str:
        return f"{file}::test_y[{before}{view}{after}]"

    for width in (PHONE, DESKTOP):
        for scheme in ("light", "dark"):
            scripted, plain = View(width, scheme), View(width, scheme, javascript=False)
            units = {work_unit(test_id(scripted), READERS), work_unit(test_id(plain), READERS),
                     work_unit(test_id(scripted, "query-"), READERS), work_unit(test_id(plain, after="-5"), READERS)}
            assert units == {f"view {width}px {scheme}"}, (width, scheme, units)
            # a file that does not read the survey keeps its tests together, its module fixtures made once
            assert work_unit(test_id(scripted, file="tests/browser/test_y.py"), READERS) == "tests/browser/test_y.py"
    assert work_unit(test_id(View(PHONE, "light")), READERS) != work_unit(test_id(View(PHONE, "dark")), READERS)
    assert work_unit("tests/browser/test_x.py::test_query[Fabless]", READERS) == "tests/browser/test_x.py"
    assert work_unit("tests/text/test_termmatch.py::test_case[a-375px dark]", READERS) == "tests/text/test_termmatch.py"
    assert work_unit("tests/test_cli.py::test_help", READERS) == "tests/test_cli.py"


def test_every_browser_test_that_reads_the_survey_names_its_view() -> None:
    # the survey of a view is made once per process: a test that read it from another unit would survey it again
    readers = survey_tests()
    for file, name, arguments in readers:
        assert "view" in arguments, f"{file}: {name} reads the survey without a view among its parameters"
    assert len(readers) >= 5, readers  # the accessibility, layout, navigation, no-JS and requests tests
