"""Programs some tests need (Chromium, poppler's pdftotext …): found, or the test skips; under CI=true it fails."""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = "/usr/bin/chromium"
# The flags every test launch of Chromium uses: headless, and no network of its own.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def require(program: str) -> str:
    """Return the path of `program`; skip the test when it is missing, fail when CI is set."""
    found = shutil.which(program) or (program if os.path.isabs(program) and os.access(program, os.X_OK) else None)
    if found:
        return found
    message = f"{program} is missing; sh scripts/test.sh installs it (apt-get install chromium fonts-nanum poppler-utils)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)
