"""One way for the store to open its database, whichever backend `BOT_DB_URL` names.

`open_sync(target)` gives a plain connection (the review, erasure, retention, migrations) and
`open_async(target)` an async one (the bot's log writer and inbox). Both speak the store's SQL in
SQLite's spelling (`?`, `:name`, `INSERT OR IGNORE`, ...) and translate it for PostgreSQL
(bot.store.backend.Dialect), so every statement in bot.store is written once. Both open a
migrated database: SQLite under its write lock, PostgreSQL under an advisory lock.

| method                       | SyncDatabase                    | AsyncDatabase                    |
|------------------------------|---------------------------------|----------------------------------|
| one statement                | `execute(sql, params)` -> cursor | `execute(sql, params)` -> rows changed |
| many parameter sets          | `executemany` -> rows changed   | `executemany` -> rows changed    |
| rows                         | via the cursor                  | `fetchall`, `fetchone`           |
| one write transaction        | `with db.transaction():`        | `async with db.transaction():`   |

psycopg is imported only when a PostgreSQL target is opened, so a SQLite-only install never
needs it. Nothing outside bot.store imports this module's backends by name.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol, cast

import aiosqlite

from bot.store.backend import SQLITE, Dialect, PostgresTarget, SqliteTarget, Target, parse_db_url
from bot.store.db import open_db
from bot.store.faults import StoreUnavailable, describe_fault
from bot.store.transaction import immediate, immediate_async

Params = Sequence[Any] | Mapping[str, Any]


class Rows(Protocol):
    """What a sync `execute` returns: a DB-API cursor (sqlite3's or psycopg's)."""

    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class SyncDatabase(Protocol):
    """A plain connection to a migrated database, in autocommit mode outside `transaction()`."""

    dialect: Dialect

    def execute(self, statement: str, params: Params = ()) -> Rows: ...

    def executemany(self, statement: str, params: Sequence[Params]) -> int: ...

    def transaction(self) -> contextlib.AbstractContextManager[Any]: ...

    def schema_version(self) -> int: ...

    def close(self) -> None: ...


class AsyncDatabase(Protocol):
    """An async connection to a migrated database, in autocommit mode outside `transaction()`."""

    dialect: Dialect

    async def execute(self, statement: str, params: Params = ()) -> int: ...

    async def executemany(self, statement: str, params: Sequence[Params]) -> int: ...

    async def fetchall(self, statement: str, params: Params = ()) -> list[tuple[Any, ...]]: ...

    async def fetchone(self, statement: str, params: Params = ()) -> tuple[Any, ...] | None: ...

    def transaction(self) -> contextlib.AbstractAsyncContextManager[Any]: ...

    async def close(self) -> None: ...


# ---- SQLite ----------------------------------------------------------------------------------------


class SqliteDatabase:
    """A sqlite3 connection from bot.store.db.open_db behind the SyncDatabase interface."""

    dialect = SQLITE

    def __init__(self, target: SqliteTarget, conn: sqlite3.Connection) -> None:
        self.target = target
        self.conn = conn

    def execute(self, statement: str, params: Params = ()) -> Rows:
        """Run one statement and return its cursor."""
        return self.conn.execute(statement, params)

    def executemany(self, statement: str, params: Sequence[Params]) -> int:
        """Run one statement once per parameter set; return the rows changed."""
        return max(self.conn.executemany(statement, params).rowcount, 0)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[SqliteDatabase]:
        """One write transaction (BEGIN IMMEDIATE: a busy database fails before any change)."""
        with immediate(self.conn):
            yield self

    def schema_version(self) -> int:
        """The database's `PRAGMA user_version`."""
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()


class AsyncSqliteDatabase:
    """An aiosqlite connection behind the AsyncDatabase interface."""

    dialect = SQLITE

    def __init__(self, target: SqliteTarget, conn: aiosqlite.Connection) -> None:
        self.target = target
        self.conn = conn

    async def execute(self, statement: str, params: Params = ()) -> int:
        """Run one statement; return the rows it changed."""
        async with self.conn.execute(statement, params) as cursor:
            return max(cursor.rowcount, 0)

    async def executemany(self, statement: str, params: Sequence[Params]) -> int:
        """Run one statement once per parameter set; return the rows changed."""
        async with self.conn.executemany(statement, params) as cursor:
            return max(cursor.rowcount, 0)

    async def fetchall(self, statement: str, params: Params = ()) -> list[tuple[Any, ...]]:
        """The rows of one query."""
        async with self.conn.execute(statement, params) as cursor:
            return [tuple(row) for row in await cursor.fetchall()]

    async def fetchone(self, statement: str, params: Params = ()) -> tuple[Any, ...] | None:
        """The first row of one query, or None."""
        async with self.conn.execute(statement, params) as cursor:
            row = await cursor.fetchone()
        return None if row is None else tuple(row)

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSqliteDatabase]:
        """One write transaction (BEGIN IMMEDIATE)."""
        async with immediate_async(self.conn):
            yield self

    async def close(self) -> None:
        """Close the connection (quietly if it is broken)."""
        with contextlib.suppress(sqlite3.Error, ValueError):
            await self.conn.close()


# ---- opening ---------------------------------------------------------------------------------------


def open_sync(target: Target, *, create: bool = True, busy_timeout: float = 5.0) -> SyncDatabase:
    """A plain connection to the migrated database of `target` (created if `create`, SQLite only).

    Raises StoreUnavailable when it cannot be reached or written now, StoreError when it cannot
    be used at all (missing and not `create`, not a database, a newer schema).
    """
    if isinstance(target, SqliteTarget):
        return SqliteDatabase(target, open_db(target.path, busy_timeout=busy_timeout, create=create))
    from bot.store import postgres

    return postgres.connect(target, migrate_to=postgres_schema_goal())


async def open_async(target: Target, *, busy_timeout: float = 5.0) -> AsyncDatabase:
    """An async connection to the database of `target`, created and migrated first."""
    if isinstance(target, SqliteTarget):
        import asyncio

        await asyncio.to_thread(lambda: open_db(target.path, busy_timeout=busy_timeout).close())
        try:
            conn = await aiosqlite.connect(target.path, timeout=busy_timeout, isolation_level=None)
        except sqlite3.Error as exc:
            kind, reason = describe_fault(exc)
            raise StoreUnavailable(kind, f"{target.path}: {reason}") from exc
        await conn.execute("PRAGMA synchronous = NORMAL")
        await conn.execute("PRAGMA secure_delete = ON")
        return AsyncSqliteDatabase(target, conn)
    return await _open_async_pg(target)


async def _open_async_pg(target: PostgresTarget) -> AsyncDatabase:
    import asyncio

    from bot.store import postgres

    # Migrate on a plain connection in a worker thread (the same code the review runs), then talk async.
    await asyncio.to_thread(lambda: postgres.connect(target, migrate_to=postgres_schema_goal()).close())
    return await postgres.connect_async(target)


def postgres_schema_goal() -> int:
    """The version a PostgreSQL database is migrated to: all of bot.store.db.MIGRATIONS."""
    from bot.store.db import SCHEMA_VERSION

    return SCHEMA_VERSION


# ---- where BOT_DB_PATH's database lives -----------------------------------------------------------
#
# The rest of the bot names the log by its local path (settings.db_path): the pseudonym key file
# and the spill file sit beside it on every backend. `use()`, called once at start with the
# target BOT_DB_URL names, says that the database behind that path is a server; every part of the
# store that opens the log asks `target_for(path)`, so nothing outside bot.store knows which
# backend it talks to. Unbound paths are SQLite files, as before.

_BOUND: dict[Path, PostgresTarget] = {}


def use(path: Path, target: Target) -> None:
    """From now on, the log known locally as `path` is `target` (SQLite: the file itself)."""
    key = Path(path).resolve()
    if isinstance(target, PostgresTarget):
        _BOUND[key] = target
    else:
        _BOUND.pop(key, None)


def target_for(path: Path) -> Target:
    """The target behind the local log path `path`: a bound server, else the SQLite file."""
    return _BOUND.get(Path(path).resolve()) or SqliteTarget(Path(path))


def open_log(path: Path, *, busy_timeout: float = 5.0, create: bool = True) -> sqlite3.Connection:
    """A plain connection to the log known locally as `path`, for the code written against sqlite3
    (the review's queries, erasure, retention): the SQLite file (bot.store.db.open_db), or, when
    the path is bound to a server, a bot.store.postgres.PgDatabase, which has the part of
    sqlite3.Connection that code uses (execute, executemany, in_transaction, close; PRAGMAs
    skipped; errors raised as sqlite3.OperationalError with the fault kind).
    """
    target = target_for(path)
    if isinstance(target, SqliteTarget):
        return open_db(target.path, busy_timeout=busy_timeout, create=create)
    from bot.store import postgres

    # Migrated once per process (under the advisory lock); later connections skip the check.
    goal = None if target.url in _MIGRATED else postgres_schema_goal()
    db = postgres.connect(target, migrate_to=goal)
    _MIGRATED.add(target.url)
    db.local_path = Path(path)
    return cast(sqlite3.Connection, db)


_MIGRATED: set[str] = set()  # server URLs this process has migrated


def bind(path: Path, url: str | None) -> None:
    """At start: the log known locally as `path` lives where `url` (BOT_DB_URL) says."""
    use(path, parse_db_url(url, path))
