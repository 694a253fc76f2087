#!/usr/bin/env python3
"""Start the bot: `python run.py` (Telegram with a token, else a console chat); `--help` for more."""

import sys

from bot.cli import main

if __name__ == "__main__":
    sys.exit(main())
