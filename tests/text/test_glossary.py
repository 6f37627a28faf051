"""Glossary links: each text is searched for terms once per build, whichever pages show it."""

from __future__ import annotations

from dataclasses import replace

from explainer.model import Loc, Term
from explainer.text.glossary import Glossary, Linker
from explainer.text.termmatch import Match


class CountingMatcher:
    """A term matcher that counts the texts it is asked to search."""

    def __init__(self, glossary: Glossary) -> None:
        self.inner = glossary.matcher
        self.searched: list[str] = []

    def find(self, text: str) -> list[Match]:
        """Search `text` with the real matcher, noting it."""
        self.searched.append(text)
        return self.inner.find(text)


def test_a_text_shown_twice_is_searched_once_and_linked_for_each_page() -> None:
    term = Term("sky", "sky", "", (), "what is up", None, (), (), True, Loc("t.yaml", 1), {})
    built = Glossary.build((term,))
    matcher = CountingMatcher(built)
    glossary = Glossary(built.terms, matcher)  # type: ignore[arg-type]
    page = Linker(glossary, lambda term_id: f"../{term_id}/", lambda term_id: None)
    printed = Linker(glossary, lambda term_id: f"#glossary-{term_id}", lambda term_id: None)
    printed.id_prefix = "tip-page-a-"
    text = "the sky and the sky again"
    on_page, in_print = page.text(text, True), printed.text(text, True)
    assert matcher.searched == [text]
    assert on_page.count('class="term-link"') == 1 and 'href="../sky/"' in on_page and 'id="term-tip-1"' in on_page
    assert in_print == on_page.replace("../sky/", "#glossary-sky").replace("term-tip-1", "tip-page-a-1")
    # what a page has linked stays its own: the next section links the term again from the same matches
    printed.section()
    assert printed.text(text, True).count('class="term-link"') == 1 and matcher.searched == [text]


def test_the_same_forms_share_one_compiled_matcher_and_other_forms_get_their_own() -> None:
    sky = Term("sky", "sky", "", (), "what is up", None, (), (), True, Loc("t.yaml", 1), {})
    sea = Term("sea", "sea", "", (), "what is wet", None, (), (), True, Loc("u.yaml", 1), {})
    first, again = Glossary.build((sky,)), Glossary.build((replace(sky),))  # an equal term, as another slice's site has
    assert again.matcher is first.matcher  # compiled once in a process: a build's slices and its workers share it
    assert again.found is not first.found  # while what each build has searched stays its own
    other = Glossary.build((sky, sea))
    assert other.matcher is not first.matcher
    assert [m.term for m in other.matcher.find("sky and sea")] == ["sky", "sea"]
