#!/bin/sh
# Set up everything the test suite needs, then run the whole suite. Safe to run again.
# Usage: sh scripts/test.sh [pytest arguments]
set -eu
cd "$(dirname "$0")/.."

python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'

exec .venv/bin/python -m pytest "$@"
