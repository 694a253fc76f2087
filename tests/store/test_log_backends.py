"""The conversation log as the bot and the review use it, on both backends with the same
assertions: ConversationLog (writer, feedback ownership, forget, retention), the inbox, and the
review's `reading()`, all opened by the local path that BOT_DB_URL binds to a server (or not).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.store.database import SyncDatabase, open_sync, target_for, use
from bot.store.log import ConversationLog
from bot.store.queries import Period, count_exchanges, reading, stats_rows
from tests.store.helpers import KEY, T0, exchange, ps

pytest_plugins = ["tests.fakes.postgres"]


@pytest.fixture(params=["sqlite", "postgresql"])
def log_path(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path]:
    """The log's local path; for PostgreSQL it is bound to a fresh database (as cli.main does)."""
    path = tmp_path / "log.db"
    if request.param == "postgresql":
        from bot.store.backend import PostgresTarget

        use(path, PostgresTarget(request.getfixturevalue("pg_url")))
    try:
        yield path
    finally:
        from bot.store.backend import SqliteTarget

        use(path, SqliteTarget(path))


@pytest.fixture
async def log(log_path: Path) -> AsyncIterator[ConversationLog]:
    store = ConversationLog(log_path, pseudonym_key=KEY, batch_interval=0.01)
    await store.start()
    try:
        yield store
    finally:
        await store.close()


def rows(path: Path, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    db: SyncDatabase = open_sync(target_for(path))
    try:
        return [tuple(r) for r in db.execute(sql, params).fetchall()]
    finally:
        db.close()


async def test_exchanges_are_written_once_and_read_by_the_review(
    log: ConversationLog, log_path: Path
) -> None:
    """log() -> flush() -> the rows are in the database, and the review reads them."""
    for i in range(5):
        log.log(exchange(id=f"e{i}", user=i % 2, ts=T0 + timedelta(minutes=i)))
    log.log(exchange(id="e0", ts=T0))  # a second copy of the same exchange
    await log.flush()
    assert log.healthy
    assert count_exchanges(log_path) == 5
    with reading(log_path) as conn:
        assert stats_rows(conn, Period()).users == 2
    assert rows(log_path, "SELECT user_ps FROM exchanges WHERE id = ?", ("e1",)) == [(ps(1),)]
    # On a server nothing went to a file beside the local path (the key came from the setting).
    assert log_path.exists() == (target_for(log_path).kind == "sqlite")


async def test_feedback_only_from_the_user_answered(log: ConversationLog, log_path: Path) -> None:
    """exchange_owner_matches reads the database (after a flush) on both backends."""
    log.log(exchange(id="x", user=7, ts=T0))
    await log.flush()
    assert await log.exchange_owner_matches("x", 7)
    assert not await log.exchange_owner_matches("x", 8)
    log.log_feedback("x", 7, 1)
    log.log_feedback("x", 7, -1)
    await log.flush()
    assert rows(log_path, "SELECT value FROM feedback") == [(-1,)]


async def test_forget_erases_only_that_user(log: ConversationLog, log_path: Path) -> None:
    """forget() removes the user's rows from the database (and nothing of others)."""
    log.log(exchange(id="a", user=1, ts=T0))
    log.log(exchange(id="b", user=2, ts=T0))
    await log.flush()
    assert await log.forget(1) == 1
    assert rows(log_path, "SELECT id FROM exchanges") == [("b",)]


async def test_retention_purges_old_rows(log: ConversationLog, log_path: Path) -> None:
    """purge_expired() erases rows older than retention_days."""
    log.log(exchange(id="old", ts=T0))
    log.log(exchange(id="new", ts=T0 + timedelta(days=200)))
    await log.flush()
    assert await log.purge_expired(now=T0 + timedelta(days=200)) == 1
    assert rows(log_path, "SELECT id FROM exchanges") == [("new",)]
