"""What a test session hands its pytest-xdist workers and the processes it starts, by environment.

Kept apart from tests/engines.py, which imports the whole engine: a worker reads these names
before it may compile anything (tests/stagger.py).
"""

from __future__ import annotations

import os
from pathlib import Path

SESSION_CACHE = "STAKEHOLDER_BOT_TEST_CACHE"  # not BOT_*: the bot processes' env filter keeps it


def session_cache_dir() -> Path | None:
    """The session's model cache folder (None outside a pytest session made by tests/conftest.py)."""
    folder = os.environ.get(SESSION_CACHE, "").strip()
    return Path(folder) if folder else None
