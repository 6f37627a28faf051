"""Arrange dated facts into a timeline: months in order, facts in order within each month."""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Fact, PartialDate


@dataclass(frozen=True, slots=True)
class Month:
    """One row of a timeline: a month (or a bare year) and the facts dated within it."""

    date: PartialDate
    facts: tuple[Fact, ...]


def months_of(facts: list[Fact]) -> list[Month]:
    """Group dated facts by month, oldest first; a fact dated only by month sits in its month.

    Within a month, facts with a day come in day order, those known only to the month
    come first; ties keep the order the author wrote them in.
    """
    buckets: dict[PartialDate, list[tuple[int, int, Fact]]] = {}
    for position, fact in enumerate(facts):
        if fact.when is None:
            continue
        key = PartialDate(fact.when.year, fact.when.month)
        buckets.setdefault(key, []).append((fact.when.day, position, fact))
    return [Month(key, tuple(f for _, _, f in sorted(items, key=lambda t: (t[0], t[1]))))
            for key, items in sorted(buckets.items())]
