"""The SQLite backend: the one way a log file is opened (created 0600, WAL, migrated under
`PRAGMA user_version`), its write transactions, its faults as kinds, and the plain (sqlite3) and
async (aiosqlite) connections of bot.store.contract.

Every driver error leaves this module as bot.errors.StoreUnavailable (a damaged file or a newer
schema as StoreError: a restart does not cure those). No telegram, no other backend here.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import sqlite3
import stat
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from pathlib import Path
from typing import Any

import aiosqlite

from bot.errors import StoreError, StoreUnavailable
from bot.store.contract import Params
from bot.store.dialect import SQLITE
from bot.store.schema import MIGRATIONS, SCHEMA_VERSION

BEGIN = "BEGIN IMMEDIATE"  # the write lock at BEGIN: a busy database fails before any change
COMMIT = "COMMIT"
ROLLBACK = "ROLLBACK"


def describe_fault(exc: BaseException) -> tuple[str, str]:
    """(kind, reason) of a SQLite (or file) error: the kind decides whether admins were told."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc).lower()
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in text:
        return "locked", "database is locked"
    if name.startswith("SQLITE_READONLY") or "readonly" in text or "read-only" in text:
        return "read-only", "database is read-only"
    if name.startswith("SQLITE_FULL") or "disk is full" in text:
        return "full", "disk is full"
    if name.startswith("SQLITE_CANTOPEN") or "unable to open" in text:
        return "cannot-open", "database file cannot be opened"
    if name.startswith("SQLITE_IOERR") or "i/o error" in text:
        return "io", "disk I/O error"
    if name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")):
        return "corrupt", "file is not a SQLite database or is damaged"
    return type(exc).__name__, str(exc) or type(exc).__name__


def fault(where: object, exc: BaseException) -> StoreUnavailable:
    """`exc` as the store's error, naming the file."""
    kind, reason = describe_fault(exc)
    return StoreUnavailable(kind, f"{where}: {reason}")


# ---- opening: the one SQLite opener ------------------------------------------------------------


def _create_file(path: Path) -> None:
    """Create the database file with mode 0600 (SQLite gives its -wal and -shm the same mode)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
    except FileExistsError:
        for suffix in ("", "-wal", "-shm"):  # tighten a log made by hand or an older version
            with contextlib.suppress(OSError):
                part = path.with_name(path.name + suffix)
                if stat.S_IMODE(part.stat().st_mode) & 0o077:
                    os.chmod(part, 0o600)
    except OSError as exc:
        raise StoreUnavailable(
            "cannot-open",
            f"{path}: the conversation log cannot be created ({exc.strerror}); "
            "make the folder writable or set BOT_DB_PATH",
        ) from exc


def open_file(
    path: Path, *, busy_timeout: float = 5.0, create: bool = True, read_only: bool = False
) -> sqlite3.Connection:
    """The log at `path` in WAL mode (autocommit), created if `create`, migrated to the newest
    schema; with `read_only`, opened for reading as it is (nothing created or migrated).

    Raises StoreUnavailable when the file cannot be opened or written just now, StoreError when it
    is missing (and not `create`), not a database, or newer than this code.
    """
    if read_only:
        try:
            uri = f"{path.resolve().as_uri()}?mode=ro"
            return sqlite3.connect(uri, uri=True, timeout=busy_timeout, isolation_level=None)
        except sqlite3.Error as exc:
            raise fault(path, exc) from exc
    if create:
        _create_file(path)
    elif not path.is_file():
        raise StoreError(
            f"{path}: no conversation log here (the bot creates it when it first starts; check BOT_DB_PATH)"
        )
    try:
        conn = sqlite3.connect(path, timeout=busy_timeout, isolation_level=None)
    except sqlite3.Error as exc:
        raise fault(path, exc) from exc
    try:
        with _opening(path):
            conn.execute("PRAGMA journal_mode = WAL")
            migrate(conn, path)
        # As the bot's async connections (connect_async): in WAL mode NORMAL syncs the log at
        # checkpoints, not at every commit; a commit survives the process's crash or kill, only a
        # power loss may take the last ones back. FULL waited for the disk at every commit of the
        # plain connections (the /lang pins, the review, the console): 1.6 ms each here, not 0.04.
        conn.execute("PRAGMA synchronous = NORMAL")
    except StoreError:
        conn.close()
        raise
    except sqlite3.Error as exc:
        conn.close()
        kind, reason = describe_fault(exc)
        if kind == "corrupt":
            raise StoreError(f"{path}: {reason} (move it away or set BOT_DB_PATH)") from exc
        raise StoreUnavailable(kind, f"{path}: {reason}") from exc
    return conn


@contextlib.contextmanager
def _opening(path: Path) -> Iterator[None]:
    """Processes and threads opening one log take turns: switching to WAL returns "database is
    locked" at once, without waiting, when another connection switches it at the same moment. The
    turn is an flock on a companion file (never on the database: closing any descriptor of it would
    drop SQLite's own locks of this process)."""
    try:
        fd = os.open(path.with_name(path.name + "-lock"), os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        yield  # a read-only folder: nothing to migrate there anyway
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the flock


def schema_version(conn: sqlite3.Connection) -> int:
    """The database's `PRAGMA user_version`."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, path: Path, target: int = SCHEMA_VERSION) -> int:
    """Apply the missing migrations up to `target`, each in its own transaction; return the version.

    `conn` must be in autocommit mode (isolation_level=None). Safe against a second process doing
    the same: each step re-reads the version under the write lock.
    """
    version = schema_version(conn)
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path}: schema version {version} is newer than this bot knows ({SCHEMA_VERSION}); "
            "update the bot or point BOT_DB_PATH at another file"
        )
    for number in range(version + 1, target + 1):
        with immediate(conn):
            if schema_version(conn) < number:
                for statement in MIGRATIONS[number - 1]:
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {number}")
    return max(version, target)


# ---- write transactions -------------------------------------------------------------------------


@contextlib.contextmanager
def immediate(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """`with immediate(conn):` runs the block in one write transaction, committed at its end. On
    any exception it is rolled back (a failed ROLLBACK does not hide the error that caused it)."""
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
    """`async with immediate_async(conn):` the same on an aiosqlite connection.

    A cancelled await does not stop its call in aiosqlite's thread: a BEGIN cancelled while it
    waits for the lock still opens its transaction once the lock is free. The ROLLBACK is queued
    behind it whatever `in_transaction` says now, or that transaction would hold the database's
    write lock, and the next write on this connection fail inside it.
    """
    try:
        await conn.execute(BEGIN)
        yield conn
        await conn.execute(COMMIT)
    except BaseException:
        # sqlite3.Error: no transaction to roll back; ValueError: the connection was closed under us.
        with contextlib.suppress(sqlite3.Error, ValueError):
            await conn.execute(ROLLBACK)
        raise


# ---- the plain connection -----------------------------------------------------------------------


class SqliteRows:
    """A sqlite3 cursor whose errors are the store's."""

    def __init__(self, where: Path, cursor: sqlite3.Cursor) -> None:
        self._where = where
        self._cursor = cursor

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    def fetchone(self) -> Any:
        try:
            return self._cursor.fetchone()
        except sqlite3.Error as exc:
            raise fault(self._where, exc) from exc

    def fetchall(self) -> list[Any]:
        try:
            return self._cursor.fetchall()
        except sqlite3.Error as exc:
            raise fault(self._where, exc) from exc

    def __iter__(self) -> Iterator[Any]:
        return iter(self.fetchall())


class SqliteConnection:
    """A sqlite3 connection from `open_file` behind bot.store.contract.Connection."""

    dialect = SQLITE

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self.conn = conn

    def execute(self, statement: str, params: Params = ()) -> SqliteRows:
        """Run one statement and return its rows."""
        try:
            return SqliteRows(self.path, self.conn.execute(statement, params))
        except sqlite3.Error as exc:
            raise fault(self.path, exc) from exc

    def executemany(self, statement: str, params: Sequence[Params]) -> int:
        """Run one statement once per parameter set; return the rows changed."""
        try:
            return max(self.conn.executemany(statement, params).rowcount, 0)
        except sqlite3.Error as exc:
            raise fault(self.path, exc) from exc

    @contextlib.contextmanager
    def transaction(self) -> Iterator[SqliteConnection]:
        """One write transaction (BEGIN IMMEDIATE: a busy database fails before any change)."""
        try:
            with immediate(self.conn):
                yield self
        except sqlite3.Error as exc:
            raise fault(self.path, exc) from exc

    def schema_version(self) -> int:
        """The database's `PRAGMA user_version`."""
        return schema_version(self.conn)

    def wipe(self, deadline: float) -> bool:
        """Copy the WAL into the database and truncate it to 0 bytes; True when that happened.

        Retried until `deadline` (time.monotonic()) while another connection reads or writes.
        """
        conn = self.conn
        try:
            saved = conn.execute("PRAGMA busy_timeout").fetchone()[0]
            try:
                while True:
                    remaining = deadline - time.monotonic()
                    conn.execute(f"PRAGMA busy_timeout = {max(0, int(remaining * 1000))}")
                    try:
                        busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
                    except sqlite3.OperationalError as exc:
                        if describe_fault(exc)[0] != "locked":
                            raise
                        busy = 1
                    if not busy:
                        return True
                    if time.monotonic() >= deadline:
                        return False
                    time.sleep(min(0.05, max(0.0, remaining)))
            finally:
                conn.execute(f"PRAGMA busy_timeout = {int(saved)}")
        except sqlite3.Error as exc:
            raise fault(self.path, exc) from exc

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()


# ---- the async connection -----------------------------------------------------------------------


class AsyncSqliteConnection:
    """An aiosqlite connection behind bot.store.contract.AsyncConnection, which also notices the
    file being deleted or replaced under it (`replaced`)."""

    dialect = SQLITE

    def __init__(self, path: Path, conn: aiosqlite.Connection, file_id: tuple[int, int]) -> None:
        self.path = path
        self.conn = conn
        self._file_id = file_id

    async def execute(self, statement: str, params: Params = ()) -> int:
        """Run one statement; return the rows it changed."""
        try:
            async with self.conn.execute(statement, params) as cursor:
                return max(cursor.rowcount, 0)
        except (sqlite3.Error, ValueError) as exc:  # ValueError: closed under us
            raise fault(self.path, exc) from exc

    async def executemany(self, statement: str, params: Sequence[Params]) -> int:
        """Run one statement once per parameter set; return the rows changed."""
        try:
            async with self.conn.executemany(statement, params) as cursor:
                return max(cursor.rowcount, 0)
        except (sqlite3.Error, ValueError) as exc:
            raise fault(self.path, exc) from exc

    async def fetchall(self, statement: str, params: Params = ()) -> list[tuple[Any, ...]]:
        """The rows of one query."""
        try:
            async with self.conn.execute(statement, params) as cursor:
                return [tuple(row) for row in await cursor.fetchall()]
        except (sqlite3.Error, ValueError) as exc:
            raise fault(self.path, exc) from exc

    async def fetchone(self, statement: str, params: Params = ()) -> tuple[Any, ...] | None:
        """The first row of one query, or None."""
        try:
            async with self.conn.execute(statement, params) as cursor:
                row = await cursor.fetchone()
        except (sqlite3.Error, ValueError) as exc:
            raise fault(self.path, exc) from exc
        return None if row is None else tuple(row)

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSqliteConnection]:
        """One write transaction (BEGIN IMMEDIATE)."""
        try:
            async with immediate_async(self.conn):
                yield self
        except (sqlite3.Error, ValueError) as exc:
            raise fault(self.path, exc) from exc

    def replaced(self) -> bool:
        """True when the file at `path` is not the one opened (deleted, or replaced)."""
        try:
            info = os.stat(self.path)
        except OSError:
            return True
        return (info.st_dev, info.st_ino) != self._file_id

    async def close(self) -> None:
        """Close the connection (quietly if it is broken)."""
        with contextlib.suppress(sqlite3.Error, ValueError):
            await self.conn.close()


# ---- the backend --------------------------------------------------------------------------------


class SqliteBackend:
    """A log file on this machine (bot.store.contract.Backend)."""

    dialect = SQLITE
    shared = False  # one process hands out its updates

    def __init__(self, path: Path, *, busy_timeout: float = 5.0) -> None:
        self.path = Path(path)
        self.busy_timeout = busy_timeout

    def describe(self) -> str:
        """The file's path."""
        return str(self.path)

    def connect(self, *, create: bool = True) -> SqliteConnection:
        """A plain connection to the migrated file (created if `create`)."""
        return SqliteConnection(
            self.path, open_file(self.path, busy_timeout=self.busy_timeout, create=create)
        )

    def read_only(self) -> SqliteConnection:
        """A connection for reading, as the file is."""
        return SqliteConnection(
            self.path, open_file(self.path, busy_timeout=self.busy_timeout, read_only=True)
        )

    async def connect_async(self) -> AsyncSqliteConnection:
        """Create and migrate with plain sqlite3 (the review's code), then talk via aiosqlite."""
        await asyncio.to_thread(lambda: open_file(self.path, busy_timeout=self.busy_timeout).close())
        try:
            conn = await aiosqlite.connect(self.path, timeout=self.busy_timeout, isolation_level=None)
        except sqlite3.Error as exc:
            raise fault(self.path, exc) from exc
        try:
            await conn.execute("PRAGMA synchronous = NORMAL")
            await conn.execute("PRAGMA secure_delete = ON")
            info = os.stat(self.path)
        except (sqlite3.Error, OSError) as exc:
            await conn.close()
            raise fault(self.path, exc) from exc
        return AsyncSqliteConnection(self.path, conn, (info.st_dev, info.st_ino))
