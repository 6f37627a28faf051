"""Session fixtures for the browser tests, shared by every browser test module (search, print, preview too).

- `flagship`: the flagship site, built once per session (`built_flagship`, tests/conftest.py);
- `served`: that build served on 127.0.0.1 under the sub-path of its base_url (tests/siteserver.py);
- `pages`: every HTML page the build wrote, found in the built folder (never a hand-written list);
- `browser` (from tests/conftest.py): Debian's Chromium, launched once through Playwright;
- `views`: one context and one reused page per View (width, colour scheme, JavaScript), each
  recording every request it makes and blocking any that would leave the served site;
- `survey`: every page loaded once per surveyed view with every static check run on it
  (survey.py), so that the tests share page loads.

Without Playwright, Chromium or axe-core the tests skip locally and fail when CI is set.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from conftest import ROOT
from explainer.content.load import load_site
from explainer.model import Options, Site
from siteserver import ServedSite, serve_site

from .harness import Built, Views, built_at, site_pages
from .survey import Survey

if TYPE_CHECKING:
    from playwright.sync_api import Browser


@pytest.fixture(scope="session")
def flagship(built_flagship: Path) -> Built:
    """The flagship site, built once per session (tests/conftest.py), with the path it is published under."""
    return built_at(ROOT / "content", built_flagship)


@pytest.fixture(scope="session")
def flagship_model(flagship: Built) -> Site:
    """The flagship's content, loaded: what the tests expect of its pages is worked out from it."""
    loaded, _ = load_site(Options(content_dir=ROOT / "content", out_dir=flagship.folder))
    assert loaded is not None
    return loaded


@pytest.fixture(scope="session")
def served(flagship: Built) -> Iterator[ServedSite]:
    """The flagship served on 127.0.0.1 under its sub-path (e.g. http://127.0.0.1:PORT/ai-alliance/)."""
    with serve_site(flagship.folder, flagship.base_path) as site:
        yield site


@pytest.fixture(scope="session")
def pages(flagship: Built) -> list[str]:
    """Every HTML page of the flagship build, as paths relative to its root ('', 'facts/', '404.html')."""
    found = site_pages(flagship.folder)
    assert "" in found and "404.html" in found, found
    return found


@pytest.fixture(scope="session")
def views(browser: Browser, served: ServedSite) -> Iterator[Views]:
    """The session's browser contexts, one per View, created on first use."""
    contexts = Views(browser, served)
    yield contexts
    contexts.close()


@pytest.fixture(scope="session")
def screenshots() -> Path | None:
    """Where to save screenshots ($EXPLAINER_SCREENSHOTS), or None to take none."""
    folder = os.environ.get("EXPLAINER_SCREENSHOTS")
    if not folder:
        return None
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def survey(views: Views, pages: list[str], screenshots: Path | None) -> Survey:
    """Every page of the flagship, surveyed per view on first use."""
    return Survey(views, pages, screenshots)
