#!/usr/bin/env python3
"""Build the explainer site: `python build.py --help` lists the commands."""

import sys

try:
    from explainer.cli import main
except ModuleNotFoundError as missing:  # dependencies not installed: say how, without a traceback
    print(f"error: the Python package '{missing.name}' is not installed.\n"
          "Set up once with:  python3 -m venv .venv && .venv/bin/pip install -e .\n"
          "then run:          .venv/bin/python build.py", file=sys.stderr)
    sys.exit(1)

if __name__ == "__main__":
    sys.exit(main())
