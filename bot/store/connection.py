"""The log writer's aiosqlite connection: opened (created and migrated first), watched for the file
being deleted or replaced under it, and dropped on a fault. No SQL beyond connection pragmas.
When BOT_DB_URL binds the path to a PostgreSQL server (bot.store.database.use), the connection is
bot.store.postgres.AioCompatConnection instead, with the same interface.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
from pathlib import Path
from typing import cast

import aiosqlite

from bot.store.backend import PostgresTarget
from bot.store.database import target_for
from bot.store.db import open_db
from bot.store.faults import StoreUnavailable, describe_fault


class LogConnection:
    """At most one open connection to `path`; `conn` is None while the database is failing."""

    def __init__(self, path: Path, busy_timeout: float) -> None:
        self.path = path
        self.busy_timeout = busy_timeout
        self.conn: aiosqlite.Connection | None = None
        self._file_id: tuple[int, int] | None = None

    async def open(self) -> aiosqlite.Connection:
        """(Re)open the database; raises StoreUnavailable (or StoreError when it cannot be cured)."""
        await self.drop()
        target = target_for(self.path)
        if isinstance(target, PostgresTarget):  # BOT_DB_URL names a server (bot.store.database.use)
            from bot.store.postgres import connect_aio_compat

            # The adapter has the part of aiosqlite's interface the writer and the inbox use.
            self.conn = cast(aiosqlite.Connection, await connect_aio_compat(target))
            self._file_id = None
            return self.conn
        # Create and migrate with plain sqlite3 (shared with the review), then write via aiosqlite.
        await asyncio.to_thread(_prepare, self.path, self.busy_timeout)
        try:
            conn = await aiosqlite.connect(self.path, timeout=self.busy_timeout, isolation_level=None)
        except sqlite3.Error as exc:
            kind, reason = describe_fault(exc)
            raise StoreUnavailable(kind, f"{self.path}: {reason}") from exc
        try:
            await conn.execute("PRAGMA synchronous = NORMAL")
            await conn.execute("PRAGMA secure_delete = ON")
            info = os.stat(self.path)
        except (sqlite3.Error, OSError) as exc:
            await conn.close()
            kind, reason = describe_fault(exc)
            raise StoreUnavailable(kind, f"{self.path}: {reason}") from exc
        self._file_id = (info.st_dev, info.st_ino)
        self.conn = conn
        return conn

    def same_file(self) -> bool:
        """False when the file at `path` is not the one opened (deleted, or replaced)."""
        if self._file_id is None and self.conn is not None:  # a server: no file to lose
            return True
        try:
            info = os.stat(self.path)
        except OSError:
            return False
        return (info.st_dev, info.st_ino) == self._file_id

    async def drop(self) -> None:
        """Close the connection (after a fault, or at the end); quietly if it is broken."""
        conn, self.conn = self.conn, None
        if conn is not None:
            with contextlib.suppress(sqlite3.Error, ValueError):
                await conn.close()


def _prepare(path: Path, busy_timeout: float) -> None:
    """Create and migrate the database (in a worker thread: sqlite3 objects stay in theirs)."""
    open_db(path, busy_timeout=busy_timeout).close()
