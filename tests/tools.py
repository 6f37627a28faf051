"""What some tests need from outside Python (Chromium, poppler's pdftotext …): found, or the test
skips locally; under CI=true a missing prerequisite is a failure, never a silent skip."""

from __future__ import annotations

import os
import shutil
from typing import Any, NoReturn

import pytest

CHROMIUM = "/usr/bin/chromium"
# The flags every test launch of Chromium uses: headless, and no network of its own.
CHROMIUM_ARGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync")


def launch_chromium(playwright: Any) -> Any:
    """Launch Debian's Chromium headless through Playwright (never a browser Playwright downloads)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))


def missing(reason: str) -> NoReturn:
    """Fail when CI is set (a missing prerequisite must not pass silently there), else skip."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so this is a failure, not a skip; run `sh scripts/test.sh`)", pytrace=False)
    pytest.skip(reason)


def require(program: str) -> str:
    """Return the path of `program`, or skip/fail (see `missing`) when it is not installed."""
    found = shutil.which(program) or (program if os.path.isabs(program) and os.access(program, os.X_OK) else None)
    if found:
        return found
    missing(f"{program} is missing; sh scripts/test.sh installs it (apt-get install chromium fonts-nanum poppler-utils)")
