"""SQLite's write-transaction helpers, and the WAL checkpoint the erasure relies on (`wipe`), on real
files (bot.store.sqlite)."""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import aiosqlite
import pytest

from bot.store.sqlite import SqliteConnection, immediate, immediate_async
from tests.store.helpers import locked


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "t.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE t (x INTEGER)")
    conn.close()
    yield path


def rows(db: Path) -> list[int]:
    conn = sqlite3.connect(db)
    try:
        return [r[0] for r in conn.execute("SELECT x FROM t ORDER BY x")]
    finally:
        conn.close()


class Boom(Exception):
    """Raised inside a transaction by the tests."""


@pytest.mark.parametrize(
    ("fail", "expected"),
    [
        pytest.param(False, [1, 2], id="block-ends-commits"),
        pytest.param(True, [], id="exception-rolls-back-and-propagates"),
    ],
)
def test_immediate_commits_or_rolls_back(db: Path, fail: bool, expected: list[int]) -> None:
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        with pytest.raises(Boom) if fail else contextlib.nullcontext(), immediate(conn):
            conn.execute("INSERT INTO t VALUES (1), (2)")
            if fail:
                raise Boom
        assert not conn.in_transaction
    finally:
        conn.close()
    assert rows(db) == expected


@pytest.mark.parametrize(
    ("fail", "expected"),
    [
        pytest.param(False, [1, 2], id="block-ends-commits"),
        pytest.param(True, [], id="exception-rolls-back-and-propagates"),
    ],
)
async def test_immediate_async_commits_or_rolls_back(db: Path, fail: bool, expected: list[int]) -> None:
    async with aiosqlite.connect(db, isolation_level=None) as conn:
        with pytest.raises(Boom) if fail else contextlib.nullcontext():
            async with immediate_async(conn):
                await conn.execute("INSERT INTO t VALUES (1), (2)")
                if fail:
                    raise Boom
        assert not conn.in_transaction
    assert rows(db) == expected


def test_immediate_fails_at_begin_when_another_connection_writes(db: Path) -> None:
    """The write lock is taken at BEGIN, so a busy database fails before the block runs."""
    conn = sqlite3.connect(db, isolation_level=None, timeout=0.05)
    ran = False
    try:
        with locked(db), pytest.raises(sqlite3.OperationalError, match="locked"), immediate(conn):
            ran = True
    finally:
        conn.close()
    assert not ran


@pytest.mark.parametrize(
    ("reader_for", "done"),
    [
        pytest.param(None, True, id="no-reader"),
        pytest.param(0.1, True, id="reader-lets-go-in-time"),  # retried until it does
        pytest.param(2.0, False, id="reader-outlasts-the-deadline"),  # gives up, says so
    ],
)
def test_checkpoint_truncates_the_wal_or_says_it_could_not(
    db: Path, reader_for: float | None, done: bool
) -> None:
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("INSERT INTO t VALUES (1)")
    wal = db.with_name(db.name + "-wal")
    reader = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    timer = None
    if reader_for is not None:
        reader.execute("BEGIN")
        reader.execute("SELECT * FROM t").fetchall()
        timer = threading.Timer(reader_for, lambda: reader.execute("COMMIT"))
        timer.start()
    try:
        started = time.monotonic()
        assert SqliteConnection(db, writer).wipe(time.monotonic() + 0.5) is done
        assert time.monotonic() - started < 1.5  # bounded: never waits for the reader to finish
        assert (wal.stat().st_size == 0) is done
        assert writer.execute("PRAGMA busy_timeout").fetchone()[0] == 5000  # restored
    finally:
        if timer is not None:
            timer.cancel()
            timer.join()
        if reader.in_transaction:
            reader.execute("COMMIT")
        reader.close()
        writer.close()
