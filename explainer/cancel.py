"""Work that may be given up halfway: the preview server stops a link check or a search index once
what it works on is out of date. A plain build gives up nothing."""

from __future__ import annotations


class Cancelled(Exception):
    """Work given up because what it works on is out of date (the preview server saw another change)."""


def never() -> bool:
    """The `cancelled` of work nobody cancels (a plain build)."""
    return False
