#!/bin/sh
# Set up everything the test suite needs, then run the whole suite. Safe to run again.
# Usage: sh scripts/test.sh [pytest arguments]
set -eu
cd "$(dirname "$0")/.."

# System packages (Debian): Chromium for the browser and PDF tests, a Korean font so Hangul
# renders, poppler-utils for pdftotext/pdftoppm, and libatomic1, without which Playwright's
# driver dies at start; fontconfig's fc-list tells the PDF test which fonts have Hangul.
# Installed only when missing.
PACKAGES="chromium fonts-nanum poppler-utils libatomic1 fontconfig"
missing=""
if command -v dpkg >/dev/null 2>&1; then
  for package in $PACKAGES; do
    dpkg -s "$package" >/dev/null 2>&1 || missing="$missing $package"
  done
else
  echo "scripts/test.sh: not a Debian system; install the equivalents of: $PACKAGES" >&2
fi
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  echo "installing:$missing"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'

# One process per CPU, four at most (pytest-xdist; tests/conftest.py says what runs together).
# Arguments come after and win: `sh scripts/test.sh -n 0 tests/test_cli.py` runs in one process.
exec .venv/bin/python -m pytest -n auto --maxprocesses 4 "$@"
