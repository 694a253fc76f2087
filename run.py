#!/usr/bin/env python3
"""Start the bot: `python run.py` (Telegram with a token, else a console chat); `--help` for more."""

import sys

try:
    from bot.cli import main
except ModuleNotFoundError as exc:  # run before `pip install -e .`: say so in one line
    sys.exit(f"error: the package {exc.name!r} is missing; install the project first: pip install -e .")

if __name__ == "__main__":
    sys.exit(main())
