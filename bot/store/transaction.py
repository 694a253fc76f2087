"""The one way the store opens a write transaction: `immediate` (sqlite3) and `immediate_async`
(aiosqlite), both taking the write lock at BEGIN so that a busy database fails before any change.

Both need a connection in autocommit mode (isolation_level=None). On any exception the
transaction is rolled back and the exception goes on; a failed ROLLBACK (connection gone) is not
allowed to hide the error that caused it.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import AsyncIterator, Iterator

import aiosqlite

BEGIN = "BEGIN IMMEDIATE"
COMMIT = "COMMIT"
ROLLBACK = "ROLLBACK"


@contextlib.contextmanager
def immediate(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """`with immediate(conn):` runs the block in one write transaction, committed at its end."""
    conn.execute(BEGIN)
    try:
        yield conn
        conn.execute(COMMIT)
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            if conn.in_transaction:
                conn.execute(ROLLBACK)
        raise


@contextlib.asynccontextmanager
async def immediate_async(conn: aiosqlite.Connection) -> AsyncIterator[aiosqlite.Connection]:
    """`async with immediate_async(conn):` the same for the log writer's aiosqlite connection."""
    await conn.execute(BEGIN)
    try:
        yield conn
        await conn.execute(COMMIT)
    except BaseException:
        # ValueError: the connection was closed under us (the writer dropped it).
        with contextlib.suppress(sqlite3.Error, ValueError):
            if conn.in_transaction:
                await conn.execute(ROLLBACK)
        raise
