"""Real-browser tests: Debian's Chromium through Playwright (see conftest.py)."""
