"""A write cancelled while it waits for the database's lock (as a stop cuts a handler short while
the inbox records its send), on a real SQLite file: the BEGIN still runs in aiosqlite's thread
once the lock is free, and the transaction it opens must end there, not hold the database's write
lock on a connection the next write then finds inside a transaction.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pytest

from bot.store.inbox import Inbox
from bot.store.store import Store
from tests.store.helpers import KEY, locked


def can_write(db: Path) -> bool:
    """True if another connection takes the write lock at once."""
    with contextlib.closing(sqlite3.connect(db, timeout=0, isolation_level=None)) as conn:
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:
            return False
        conn.execute("ROLLBACK")
        return True


@pytest.mark.parametrize(
    "write",
    [
        # A send being recorded: what a handler cut short by a stop was doing on a busy database.
        pytest.param(lambda box: box.mark_sent(1, 1), id="record-a-send"),
        # An update being stored: polling's put is cancelled when the Updater stops.
        pytest.param(lambda box: box.add(2, 20, '{"update_id": 2}'), id="store-an-update"),
    ],
)
async def test_a_write_cancelled_while_the_database_is_locked_leaves_it_unlocked(
    tmp_path: Path, write: Callable[[Inbox], Coroutine[Any, Any, object]]
) -> None:
    """Cancelled while waiting for another connection's lock: once that lock is gone, the
    database takes writes from elsewhere, and the next write through the inbox works."""
    db = tmp_path / "log.sqlite3"
    box = Inbox(Store.sqlite(db, KEY, busy_timeout=2.0), KEY.encode())
    await box.open()
    try:
        assert await box.add(1, 10, '{"update_id": 1}') == "new"
        with locked(db):
            task: asyncio.Task[object] = asyncio.create_task(write(box))
            await asyncio.sleep(0.3)  # it waits for the lock in aiosqlite's thread
            task.cancel()
            await asyncio.sleep(0.1)
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await asyncio.sleep(0.5)  # the BEGIN left running gets the lock (SQLite retries within 0.1 s)
        assert can_write(db)
        assert await box.add(3, 30, '{"update_id": 3}') == "new"
    finally:
        await box.close()
