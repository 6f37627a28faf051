"""Glossary links in rendered text: the first occurrence of each term per section becomes a link
with its short definition, reachable by keyboard (a real link with aria-describedby)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape

from ..model import Term
from .termmatch import Match, TermMatcher


@dataclass(frozen=True, slots=True)
class Glossary:
    """The site's terms, compiled once per build for matching."""

    terms: dict[str, Term]
    matcher: TermMatcher = field(repr=False)
    # the matches of each text already searched: the print edition shows every page body and term
    # explanation a second time, and matching is most of what rendering them costs
    found: dict[str, tuple[Match, ...]] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def build(cls, terms: tuple[Term, ...]) -> Glossary:
        """Compile every form of every auto-linked term, with the places each is not the term."""
        linked = [term for term in terms if term.autolink]
        forms = tuple((form, term.id) for term in linked for form in term.forms)
        not_in = tuple((phrase, term.id) for term in linked for phrase in term.not_in)
        not_before = tuple((term.id, tuple(term.not_before)) for term in linked if term.not_before)
        return cls({term.id: term for term in terms}, compiled(forms, not_before, not_in))

    def find(self, text: str) -> tuple[Match, ...]:
        """Return the term matches in `text` (see TermMatcher.find), searching each text once per build."""
        matches = self.found.get(text)
        if matches is None:
            matches = self.found[text] = tuple(self.matcher.find(text))
        return matches


@lru_cache(maxsize=2)
def compiled(forms: tuple[tuple[str, str], ...], not_before: tuple[tuple[str, tuple[str, ...]], ...],
             not_in: tuple[tuple[str, str], ...]) -> TermMatcher:
    """The matcher of these forms, compiled once in a process while they are the same (a matcher keeps no state).

    A large build renders its pages in slices, each with a state of its own, in workers forked
    once the build has compiled it (workers.py): 0.1 s a slice at 1,000 pages.
    """
    return TermMatcher(forms, not_before=dict(not_before), not_in=not_in)


class Linker:
    """One page's linking state: which terms this section has linked, and tooltip ids."""

    def __init__(
        self,
        glossary: Glossary,
        href: Callable[[str], str],
        record: Callable[[str], None],
        *,
        enabled: bool = True,
        exclude: str = "",
        skip: frozenset[str] = frozenset(),
    ) -> None:
        self.glossary = glossary
        self.href = href  # term id -> URL relative to the page
        self.record = record  # called with a term id for every link made
        self.enabled = enabled
        self.exclude = exclude
        self.skip = skip  # terms this page does not link automatically (its front matter's no_autolink)
        self.seen: set[str] = set()
        self.count = 0
        self.id_prefix = "term-tip-"  # tooltip ids are id_prefix + count, unique on the page
        self.saved: list[set[str]] = []

    def section(self) -> None:
        """Start a new section: every term may be linked once more."""
        self.seen.clear()

    def enter(self) -> None:
        """Start a nested section (a fact card): its own first occurrences, then back to the outer one."""
        self.saved.append(self.seen)
        self.seen = set()

    def leave(self) -> None:
        """Return to the section that was open before `enter`."""
        self.seen = self.saved.pop()

    def link(self, term_id: str, text: str) -> str:
        """Return the HTML of a glossary link for `term_id` showing `text` (already plain text)."""
        term = self.glossary.terms[term_id]
        self.count += 1
        self.seen.add(term_id)
        self.record(term_id)
        tip = f"{self.id_prefix}{self.count}"
        return (
            f'<span class="term"><a class="term-link" href="{escape(self.href(term_id))}" '
            f'aria-describedby="{tip}">{escape(text)}</a>'
            f'<span class="term-tip" role="tooltip" id="{tip}" hidden>{escape(term.short)}</span></span>'
        )

    def text(self, text: str, linkable: bool) -> str:
        """Escape text (quotes too, wherever it lands), turning the first occurrence of each term in this section into a link."""
        if not (linkable and self.enabled):
            return escape(text)
        matches = self.glossary.find(text)
        if not matches:
            return escape(text)
        out: list[str] = []
        position = 0
        for match in matches:
            if match.term in self.seen or match.term == self.exclude or match.term in self.skip:
                continue
            out.append(escape(text[position:match.start]))
            out.append(self.link(match.term, text[match.start:match.end]))
            position = match.end
        out.append(escape(text[position:]))
        return "".join(out)
