"""What starting a command costs: the modules a command does not use stay unimported (the suite
starts about ninety bot processes; `python run.py ask` is the product's start-up figure)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.engines import cache_env, warm

ROOT = Path(__file__).resolve().parents[1]
# What `ask` and `validate` never need: the conversation log, the review, Telegram, the console's
# web stack.
UNUSED = ("bot.store", "bot.review", "bot.telegram", "telegram", "starlette", "sqlite3", "psycopg")
_SHOW = "import sys; print(' '.join(sorted(m for m in sys.modules if m.startswith({prefixes!r}))))"


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["ask", "When was the agreement signed?"], id="ask"),
        pytest.param(["ask", "--json", "協議是什麼時候簽署的？"], id="ask-traditional"),
        pytest.param(["validate"], id="validate"),
    ],
)
def test_a_command_imports_only_what_it_uses(argv: list[str]) -> None:
    """The command runs as `run.py` would, then lists what it imported of UNUSED: nothing."""
    warm()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "BOT_"))}
    code = f"from bot.cli import main; code = main({argv!r}); {_SHOW.format(prefixes=UNUSED)}"
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, **cache_env()},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    *replies, imported = proc.stdout.splitlines()
    assert replies and imported == ""
