"""Pytest fixtures for the Telegram tests.

A plugin, since the project keeps no conftest.py: a test module enables it with
`pytest_plugins = ["tests.fakes.telegram_fixtures"]`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.fakes.telegram_harness import BotHarness, running_bot


@pytest.fixture
async def tg(tmp_path: Path) -> AsyncIterator[BotHarness]:
    """A running bot; afterwards, no request it made may have broken a Bot API rule."""
    async with running_bot(tmp_path) as harness:
        yield harness
    assert harness.api.rejected() == [], harness.api.rejected()
