"""The one cache layer's rule: a result is reused only while every input it read hashes the same."""

from __future__ import annotations

import pytest

from explainer.cache import Cache, digest


def test_a_result_is_reused_for_the_same_key_only() -> None:
    section = Cache().section("load")
    section.start()
    section.store("a.yaml", digest(b"one"), "parsed one")
    assert section.lookup("a.yaml", digest(b"one")) == "parsed one"
    assert section.lookup("a.yaml", digest(b"two")) is None
    assert section.lookup("b.yaml", digest(b"one")) is None
    assert section.hits == 1


def test_a_result_is_dropped_when_an_input_it_read_changed() -> None:
    section = Cache().section("pages")
    section.start({"site": "s1", "body:intro": "b1", "body:other": "o1"})
    section.store("intro/index.html", "k", "html", reads={"site", "body:intro"})
    section.start({"site": "s1", "body:intro": "b1", "body:other": "o2"})  # another page's body changed
    assert section.lookup("intro/index.html", "k") == "html"
    section.start({"site": "s1", "body:intro": "b2", "body:other": "o2"})  # its own body changed
    assert section.lookup("intro/index.html", "k") is None
    section.start({"site": "s2", "body:intro": "b1"})
    assert section.lookup("intro/index.html", "k") is None
    section.start({"body:intro": "b1"})  # an input no longer declared counts as changed
    assert section.lookup("intro/index.html", "k") is None


def test_a_complete_run_drops_what_it_did_not_use() -> None:
    section = Cache().section("load")
    section.start()
    section.store("kept.yaml", "k1", 1)
    section.store("deleted.yaml", "k2", 2)
    section.sweep()
    section.start()
    assert section.lookup("kept.yaml", "k1") == 1
    section.sweep()
    assert set(section.entries) == {"kept.yaml"}


def test_the_hash_covers_the_explainer_version_and_the_order_of_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    import explainer.cache

    assert digest("ab", "c") != digest("a", "bc")
    before = digest("same")
    monkeypatch.setattr(explainer.cache, "__version__", "0.0.0-other")
    assert digest("same") != before


def test_sections_are_apart() -> None:
    cache = Cache()
    cache.section("links").start()
    cache.section("links").store("x", "k", 1)
    assert cache.section("search").lookup("x", "k") is None


def test_kept_makes_a_value_once_per_key_and_again_when_same_refuses_it() -> None:
    from explainer.cache import Section

    section = Section()
    made: list[int] = []

    def make() -> list[int]:
        made.append(len(made))
        return [len(made)]

    first = section.kept("x", "k1", make)
    assert section.kept("x", "k1", make) is first and made == [0]
    assert section.kept("x", "k2", make) == [2] and made == [0, 1]  # another key
    assert section.kept("x", "k2", make, same=lambda value: False) == [3] and len(made) == 3


def test_stored_says_whether_a_result_is_kept_for_a_key_whatever_its_inputs() -> None:
    section = Cache().section("pages")
    section.start({"site": "one"})
    section.store("a", "key", "value", {"site"})
    section.start({"site": "two"})  # what it read changed: lookup refuses it, but it was made for this key
    assert section.lookup("a", "key") is None
    assert section.stored("a", "key") and not section.stored("a", "other") and not section.stored("b", "key")
