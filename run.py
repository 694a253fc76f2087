#!/usr/bin/env python3
"""Start the bot: `python run.py` (Telegram with a token, else a console chat); `--help` for more."""

import os
import sys
from pathlib import Path

# Set when run.py started itself again in the project's virtual environment (once, never a loop).
_AGAIN = "STAKEHOLDER_BOT_IN_VENV"

try:
    from bot.cli import main
except ModuleNotFoundError as exc:  # run before `pip install -e .`, or outside the project's venv
    # A `python` that lacks the packages, beside a virtual environment of the project that has
    # them (.venv, or CI's .ci-venv): the same command in that environment.
    here = Path(__file__).resolve().parent
    for folder in (".venv", ".ci-venv"):
        python = here / folder / "bin" / "python"
        if python.is_file() and not os.environ.get(_AGAIN):
            os.environ[_AGAIN] = "1"
            os.execv(python, [str(python), str(Path(__file__).resolve()), *sys.argv[1:]])
    sys.exit(f"error: the package {exc.name!r} is missing; install the project first: pip install -e .")

if __name__ == "__main__":
    sys.exit(main())
