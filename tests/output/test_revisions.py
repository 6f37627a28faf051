"""A claim changed since the last published build needs a correction: compared with that build's facts.json."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from conftest import MINI, Run

FACTS = MINI["content/facts/nature.yaml"]
CHANGED = FACTS.replace("claim: Grass is green.", "claim: Grass is green in spring.")
CORRECTION = ("    corrections:\n      - date: 2024-05-02\n        change: It said grass is green all year.\n"
              "        reason: The paper says so of spring only.\n")
WARNING = ("content/facts/nature.yaml:8: warning: the claim of fact 'grass' changed since the last published build (site/facts.json) "
           "without a correction")


def test_a_claim_changed_without_a_correction_is_a_warning(make_site: Callable[..., Run]) -> None:
    assert make_site().code == 0
    run = make_site({"content/facts/nature.yaml": CHANGED})
    assert run.code == 0, run.err
    assert WARNING in run.err.splitlines(), run.err
    assert "it said: “Grass is green.”" in run.err
    assert len([line for line in run.err.splitlines() if "changed since the last published build" in line]) == 1


def test_under_strict_it_stops_the_build_and_keeps_stopping_it(make_site: Callable[..., Run]) -> None:
    """A failed build leaves the last site (and its facts.json) in place, so the comparison holds until a correction is added."""
    assert make_site().code == 0
    for _ in range(2):
        run = make_site({"content/facts/nature.yaml": CHANGED}, "build", "--strict")
        assert run.code == 1, run.err
        assert WARNING.replace("warning:", "error:") in run.err.splitlines(), run.err
    fixed = make_site({"content/facts/nature.yaml": CHANGED + CORRECTION}, "build", "--strict")
    assert fixed.code == 0, fixed.err
    published = json.loads(fixed.page("facts.json"))
    grass = next(fact for fact in published["facts"] if fact["id"] == "grass")
    assert grass["corrections"] == [{"date": "2024-05-02", "change": "It said grass is green all year.",
                                     "reason": "The paper says so of spring only."}]


def test_an_old_correction_does_not_cover_a_new_change(make_site: Callable[..., Run]) -> None:
    assert make_site({"content/facts/nature.yaml": CHANGED + CORRECTION}).code == 0
    again = CHANGED.replace("in spring.", "in spring and summer.") + CORRECTION
    run = make_site({"content/facts/nature.yaml": again})
    assert WARNING in run.err.splitlines(), run.err


def test_what_a_reader_cannot_see_is_no_change(make_site: Callable[..., Run]) -> None:
    """Markup, line breaks and Unicode normalisation leave the claim as it reads: nothing to correct."""
    assert make_site().code == 0
    same = FACTS.replace("claim: Grass is green.", "claim: >-\n      Grass   is\n      *green*.")
    run = make_site({"content/facts/nature.yaml": same}, "build", "--strict")
    assert run.code == 0, run.err


def test_new_and_removed_facts_are_not_changes(make_site: Callable[..., Run]) -> None:
    assert make_site().code == 0
    other = FACTS.replace("id: grass", "id: lawn").replace("claim: Grass is green.", "claim: Lawns are green.")
    assert make_site({"content/facts/nature.yaml": other}, "build", "--strict").code == 0


def test_the_published_copy_can_be_given(make_site: Callable[..., Run], site_root: Path) -> None:
    """--previous names the last published facts.json (in CI: downloaded from the site), for check as for build."""
    assert make_site().code == 0
    (site_root / "published.json").write_bytes((site_root / "site" / "facts.json").read_bytes())
    assert make_site({"content/facts/nature.yaml": CHANGED}).code == 0  # site/ now holds the changed claim
    changed = {"content/facts/nature.yaml": CHANGED}
    run = make_site(changed, "check", "--previous", "published.json")
    assert WARNING.replace("(site/facts.json)", "(published.json)") in run.err.splitlines(), run.err
    assert make_site(changed, "check").err == ""  # the output folder's copy has the claim as it is now


def test_no_previous_build_nothing_to_compare(make_site: Callable[..., Run]) -> None:
    run = make_site({"content/facts/nature.yaml": CHANGED}, "build", "--strict", "--previous", "nowhere.json")
    assert run.code == 0, run.err


def test_a_file_that_is_no_facts_json_is_said_so(make_site: Callable[..., Run], site_root: Path) -> None:
    (site_root / "broken.json").write_text("{not json", encoding="utf-8")
    (site_root / "other.json").write_text(json.dumps({"format": "explainer-facts", "version": 99, "facts": []}), encoding="utf-8")
    run = make_site({}, "check", "--previous", "broken.json")
    assert ("broken.json: warning: cannot compare the claims with the last published build: it is not JSON") in run.err.splitlines(), run.err
    run = make_site({}, "check", "--previous", "other.json")
    assert ("other.json: warning: cannot compare the claims with the last published build: not a facts.json of version 1"
            in run.err.splitlines()), run.err


def test_a_previous_file_past_its_limit_is_not_read(make_site: Callable[..., Run], site_root: Path) -> None:
    (site_root / "big.json").write_text(json.dumps({"format": "explainer-facts", "version": 1, "facts": [], "pad": "x" * 200}),
                                        encoding="utf-8")
    run = make_site({}, "check", "--previous", "big.json", "--limit", "previous-bytes=100")  # the operator lowers it
    assert ("big.json: warning: cannot compare the claims with the last published build: it is too large (267 bytes; the limit is "
            "100 bytes)") in run.err.splitlines(), run.err
    assert "fix: give a facts.json written by explainer with --previous, or remove the file; if you trust this content, raise " \
           "the limit with `--limit previous-bytes=1KiB`" in run.err
