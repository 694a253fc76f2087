"""The periodic work on python-telegram-bot's JobQueue: each purge runs once at start, then at
its interval (a repeating job's `first=0` alone would wait a whole interval)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.core.lang import _CONVERTERS, _converter
from bot.store.log import ConversationLog
from bot.store.store import Store
from tests.fakes.telegram_harness import running_bot
from tests.store.helpers import exchange


def rows(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [r[0] for r in conn.execute("SELECT id FROM exchanges ORDER BY id")]


async def test_the_log_purge_runs_at_start(tmp_path: Path) -> None:
    """A row past the retention, left by an earlier run, is gone soon after the next start."""
    async with running_bot(tmp_path, retention_days=1) as tg:
        settings = tg.settings
    log = ConversationLog(Store.from_settings(settings), retention_days=1)  # the bot is stopped
    await log.start()
    log.log(exchange(id="old", ts=datetime.now(UTC) - timedelta(days=3)))
    log.log(exchange(id="new", ts=datetime.now(UTC)))
    await log.close()
    db = settings.db_path
    assert rows(db) == ["new", "old"]
    async with running_bot(tmp_path, retention_days=1) as tg:
        await tg.api.until(lambda: rows(db) == ["new"], timeout=10)


async def test_the_traditional_converters_are_built_after_the_start(tmp_path: Path) -> None:
    """The bot builds OpenCC's four converters in a job right after its start, before any reply
    needs them (an engine builds none, so that `run.py ask` reads no phrase table it does not use)."""
    _converter.cache_clear()
    async with running_bot(tmp_path) as tg:
        await tg.api.until(lambda: _converter.cache_info().currsize == len(_CONVERTERS), timeout=10)
