"""The PostgreSQL backend: connections (plain for the review and maintenance, async for the bot),
the store's migrations run once under an advisory lock, and PostgreSQL's errors as fault kinds.

Driver: psycopg 3, imported only here (and only when `BOT_DB_URL` names a server). It has both a
synchronous API (the review and `review forget` read the log with plain connections today, as with
sqlite3) and an asyncio API (the log writer and the inbox), with one parameter style and one error
hierarchy; asyncpg is async only, so the review would need an event loop or a second driver.

The schema is bot.store.db.MIGRATIONS, the same list SQLite runs, spelled for PostgreSQL by
bot.store.backend.Dialect.ddl. SQLite keeps its version in `PRAGMA user_version`; here it is the
one row of `bot_schema`. Two replicas starting together both call `migrate`: the second waits on
`pg_advisory_lock` and then finds nothing left to do. Each migration commits with its version
(PostgreSQL's DDL is transactional), so a crash mid-way leaves a whole older version.
"""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import psycopg
import psycopg.rows

from bot.errors import StoreError
from bot.store.backend import POSTGRESQL, PostgresTarget
from bot.store.faults import StoreUnavailable

Params = Sequence[Any] | Mapping[str, Any]

# One 64-bit key for "the bot's schema is being migrated", the same in every replica.
MIGRATION_LOCK = int.from_bytes(hashlib.sha256(b"stakeholder-bot:migrate").digest()[:8], "big", signed=True)
VERSION_TABLE = (
    "CREATE TABLE IF NOT EXISTS bot_schema "
    "(one BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one), version BIGINT NOT NULL)"
)
READ_VERSION = "SELECT version FROM bot_schema"
WRITE_VERSION = (
    "INSERT INTO bot_schema (one, version) VALUES (TRUE, %s) "
    "ON CONFLICT (one) DO UPDATE SET version = excluded.version"
)
# The store asks "does this table exist" the SQLite way (an older log may lack a newer table).
SQLITE_MASTER = (
    "CREATE OR REPLACE VIEW sqlite_master AS "
    "SELECT 'table'::text AS type, table_name::text AS name, table_name::text AS tbl_name "
    "FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' "
    "UNION ALL SELECT 'index', indexname::text, tablename::text FROM pg_indexes "
    "WHERE schemaname = current_schema()"
)
CONNECT_TIMEOUT = 10  # seconds; a server that does not answer is a fault, not a hang


def describe_pg_fault(exc: BaseException) -> tuple[str, str]:
    """(kind, reason) of a PostgreSQL error, in the kinds bot.store.faults alerts on once each."""
    sqlstate = getattr(exc, "sqlstate", None) or ""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if sqlstate.startswith("53"):  # insufficient resources: disk full, out of memory, too many
        return "full", f"the server is out of resources ({text})"
    if sqlstate in ("55P03", "40P01", "57014") or sqlstate.startswith("40"):
        return "locked", f"the database is busy ({text})"
    if sqlstate == "25006" or sqlstate == "42501":  # read-only transaction, insufficient privilege
        return "read-only", f"the database refuses writes ({text})"
    if sqlstate.startswith("28") or sqlstate == "3D000":  # bad password, no such database
        return "cannot-open", f"the server refused the connection ({text})"
    if isinstance(exc, psycopg.OperationalError | OSError):
        return "cannot-open", f"the server cannot be reached ({text})"
    return type(exc).__name__, text


def unavailable(target: PostgresTarget, exc: BaseException, what: str = "") -> StoreUnavailable:
    """A StoreUnavailable naming the server (never its password) and how it failed."""
    kind, reason = describe_pg_fault(exc)
    doing = f" could not {what}:" if what else ":"
    return StoreUnavailable(kind, f"{target.describe()}{doing} {reason}")


# ---- plain connections (review, maintenance, migrations) -------------------------------------------


class PgDatabase:
    """A plain PostgreSQL connection in autocommit mode that speaks the store's SQLite spelling:
    `execute("... ?", (1,))` works as on sqlite3 (the statement is translated, PRAGMAs are skipped).
    """

    dialect = POSTGRESQL

    def __init__(self, target: PostgresTarget, conn: psycopg.Connection[Any]) -> None:
        self.target = target
        self.conn = conn
        self.local_path: Path | None = None  # the log's local path (the spill file sits beside it)
        self._row_factory: object = None

    @property
    def in_transaction(self) -> bool:
        """True between BEGIN and COMMIT/ROLLBACK (as sqlite3's attribute of that name)."""
        return self.conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE

    @property
    def row_factory(self) -> object:
        """sqlite3's attribute: set it to sqlite3.Row for rows read by column name too."""
        return self._row_factory

    @row_factory.setter
    def row_factory(self, factory: object) -> None:
        self._row_factory = factory
        self.conn.row_factory = keyed_row if factory is sqlite3.Row else psycopg.rows.tuple_row

    def execute(self, statement: str, params: Params = ()) -> PgCursor | NoRows:
        """Run one statement (SQLite spelling) and return its cursor; raises PgFault."""
        sql = self.dialect.sql(statement)
        if sql is None:
            return NoRows()  # a PRAGMA: nothing to do, no rows
        try:
            return PgCursor(self.conn, self.conn.execute(sql.encode(), params or None))
        except psycopg.Error as exc:
            raise _fault(exc) from exc

    def executemany(self, statement: str, params: Sequence[Params]) -> int:
        """Run one statement once per parameter set; return the rows changed; raises PgFault."""
        sql = self.dialect.sql(statement)
        if sql is None or not params:
            return 0
        try:
            with self.conn.cursor() as cursor:
                cursor.executemany(sql.encode(), params)
                return max(cursor.rowcount, 0)
        except psycopg.Error as exc:
            raise _fault(exc) from exc

    @contextlib.contextmanager
    def transaction(self) -> Iterator[PgDatabase]:
        """`with db.transaction():` one transaction, committed at the end, rolled back on error."""
        with self.conn.transaction():
            yield self

    def schema_version(self) -> int:
        """The version the database is at (0 when it was never migrated)."""
        return read_version(self.conn)

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    def __enter__(self) -> PgDatabase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class KeyedRow(tuple[Any, ...]):
    """A row read by position or by column name, as sqlite3.Row is."""

    _names: tuple[str, ...] = ()

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._names.index(key))
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


def keyed_row(cursor: Any) -> Any:
    """psycopg row factory making KeyedRow rows (column names from the cursor)."""
    names = tuple(column.name for column in cursor.description or ())

    def make(values: Sequence[Any]) -> KeyedRow:
        row = KeyedRow(values)
        row._names = names
        return row

    return make


class PgCursor:
    """psycopg's cursor plus sqlite3's `lastrowid` (the identity value this session made last)."""

    def __init__(self, conn: psycopg.Connection[Any], cursor: psycopg.Cursor[Any]) -> None:
        self._conn = conn
        self._cursor = cursor

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        try:
            with self._conn.transaction(), self._conn.cursor() as cursor:  # a savepoint inside one
                row = cursor.execute("SELECT lastval()").fetchone()
        except psycopg.errors.ObjectNotInPrerequisiteState:  # no identity made in this session
            return None
        return int(row[0]) if row else None

    def fetchone(self) -> Any:
        return self._cursor.fetchone() if self._cursor.description else None

    def fetchall(self) -> list[Any]:
        return list(self._cursor.fetchall()) if self._cursor.description else []

    def __iter__(self) -> Iterator[Any]:
        return iter(self.fetchall())


class NoRows:
    """The cursor of a statement the server skips (a PRAGMA): no rows, nothing changed."""

    rowcount = -1

    def fetchone(self) -> None:
        return None

    def fetchall(self) -> list[Any]:
        return []

    def __iter__(self) -> Iterator[Any]:
        return iter(())


def connect(target: PostgresTarget, *, migrate_to: int | None = None) -> PgDatabase:
    """Open a plain connection (autocommit); with `migrate_to`, migrate first (under the lock).

    Raises StoreUnavailable when the server cannot be reached or refuses, StoreError when the
    database's schema is newer than this code.
    """
    try:
        conn = psycopg.connect(target.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT)
    except psycopg.Error as exc:
        raise unavailable(target, exc, "connect") from exc
    db = PgDatabase(target, conn)
    if migrate_to is not None:
        try:
            migrate(db, migrate_to)
        except BaseException:
            db.close()
            raise
    return db


def read_version(conn: psycopg.Connection[Any]) -> int:
    """The row of bot_schema, or 0 when the table does not exist yet."""
    exists = conn.execute("SELECT to_regclass('bot_schema') IS NOT NULL").fetchone()
    if not exists or not exists[0]:
        return 0
    row = conn.execute(READ_VERSION).fetchone()
    return int(row[0]) if row else 0


def migrate(db: PgDatabase, target: int | None = None) -> int:
    """Apply the missing migrations up to `target` (default: all), each in its own transaction,
    holding the advisory lock so that replicas starting together migrate once; return the version.
    """
    from bot.store.db import MIGRATIONS, SCHEMA_VERSION  # the one list, shared with SQLite

    goal = SCHEMA_VERSION if target is None else target
    conn = db.conn
    try:
        conn.execute("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK,))
        try:
            conn.execute(VERSION_TABLE)
            version = read_version(conn)
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"{db.target.describe()}: schema version {version} is newer than this bot knows "
                    f"({SCHEMA_VERSION}); update the bot or point BOT_DB_URL at another database"
                )
            conn.execute(SQLITE_MASTER)
            for number in range(version + 1, goal + 1):
                with conn.transaction():
                    for statement in MIGRATIONS[number - 1]:
                        sql = db.dialect.ddl(statement)
                        if sql is not None:
                            conn.execute(sql.encode())
                    conn.execute(WRITE_VERSION, (number,))
        finally:
            conn.execute("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK,))
    except psycopg.Error as exc:
        raise unavailable(db.target, exc, "migrate the schema") from exc
    return max(version, goal)


# ---- async connections (the bot: log writer, inbox) ------------------------------------------------


class AsyncPgDatabase:
    """The async twin of PgDatabase, for the bot's event loop."""

    dialect = POSTGRESQL

    def __init__(self, target: PostgresTarget, conn: psycopg.AsyncConnection[Any]) -> None:
        self.target = target
        self.conn = conn

    async def execute(self, statement: str, params: Params = ()) -> int:
        """Run one statement (SQLite spelling); return the rows it changed."""
        sql = self.dialect.sql(statement)
        if sql is None:
            return 0
        try:
            async with self.conn.cursor() as cursor:
                await cursor.execute(sql.encode(), params or None)
                return max(cursor.rowcount, 0)
        except psycopg.Error as exc:
            raise _fault(exc) from exc

    async def executemany(self, statement: str, params: Sequence[Params]) -> int:
        """Run one statement once per parameter set; return the rows changed."""
        sql = self.dialect.sql(statement)
        if sql is None or not params:
            return 0
        try:
            async with self.conn.cursor() as cursor:
                await cursor.executemany(sql.encode(), params)
                return max(cursor.rowcount, 0)
        except psycopg.Error as exc:
            raise _fault(exc) from exc

    async def fetchall(self, statement: str, params: Params = ()) -> list[tuple[Any, ...]]:
        """The rows of one query (SQLite spelling)."""
        sql = self.dialect.sql(statement)
        if sql is None:
            return []
        try:
            async with self.conn.cursor() as cursor:
                await cursor.execute(sql.encode(), params or None)
                return list(await cursor.fetchall())
        except psycopg.Error as exc:
            raise _fault(exc) from exc

    async def fetchone(self, statement: str, params: Params = ()) -> tuple[Any, ...] | None:
        """The first row of one query, or None."""
        rows = await self.fetchall(statement, params)
        return rows[0] if rows else None

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncPgDatabase]:
        """`async with db.transaction():` one transaction, committed at the end; raises PgFault."""
        try:
            async with self.conn.transaction():
                yield self
        except psycopg.Error as exc:
            raise _fault(exc) from exc

    async def close(self) -> None:
        """Close the connection (quietly if the server went away)."""
        with contextlib.suppress(psycopg.Error):
            await self.conn.close()


async def connect_async(target: PostgresTarget) -> AsyncPgDatabase:
    """Open an async connection (autocommit) to a migrated database; raises StoreUnavailable."""
    try:
        conn = await psycopg.AsyncConnection.connect(
            target.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT
        )
    except psycopg.Error as exc:
        raise unavailable(target, exc, "connect") from exc
    return AsyncPgDatabase(target, conn)


# ---- the shape of aiosqlite, for the log writer and the inbox ----------------------------------------
#
# bot.store.writer and bot.store.inbox were written against aiosqlite: `await conn.execute(...)`,
# `async with conn.execute(...) as cursor`, `conn.in_transaction`, and `sqlite3.Error` on a fault.
# This adapter lets the same code run on PostgreSQL unchanged: statements are translated, BEGIN
# IMMEDIATE becomes BEGIN, and a PostgreSQL error is raised as `PgFault`, a sqlite3.OperationalError
# whose `sqlite_errorname` carries the fault kind, so bot.store.faults.describe_fault and the
# writer's spill-and-retry handle a server that is down exactly like a locked file.

_KIND_TO_SQLITE = {
    "locked": "SQLITE_BUSY",
    "read-only": "SQLITE_READONLY",
    "full": "SQLITE_FULL",
    "cannot-open": "SQLITE_CANTOPEN",
}


class PgFault(sqlite3.OperationalError):
    """A PostgreSQL error in sqlite3's clothes (see above); `kind` is the fault kind."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.sqlite_errorname = _KIND_TO_SQLITE.get(kind, "SQLITE_ERROR")


def _fault(exc: BaseException) -> PgFault:
    kind, reason = describe_pg_fault(exc)
    return PgFault(kind, reason)


class _Cursor:
    """What aiosqlite's execute gives: rowcount, fetchone, fetchall (rows read at execute time)."""

    def __init__(self, rowcount: int, rows: list[tuple[Any, ...]]) -> None:
        self.rowcount = rowcount
        self._rows = rows

    async def fetchone(self) -> tuple[Any, ...] | None:
        return self._rows.pop(0) if self._rows else None

    async def fetchall(self) -> list[tuple[Any, ...]]:
        rows, self._rows = self._rows, []
        return rows

    async def close(self) -> None:
        self._rows = []


class _Pending:
    """`await conn.execute(...)` and `async with conn.execute(...) as cursor` both work."""

    def __init__(self, run: Any) -> None:
        self._run = run
        self._cursor: _Cursor | None = None

    def __await__(self) -> Any:
        return self._run().__await__()

    async def __aenter__(self) -> _Cursor:
        self._cursor = await self._run()
        return self._cursor

    async def __aexit__(self, *exc: object) -> None:
        if self._cursor is not None:
            await self._cursor.close()


class AioCompatConnection:
    """A psycopg AsyncConnection with the part of aiosqlite.Connection the store uses."""

    def __init__(self, target: PostgresTarget, conn: psycopg.AsyncConnection[Any]) -> None:
        self.target = target
        self.conn = conn

    @property
    def in_transaction(self) -> bool:
        """True between BEGIN and COMMIT/ROLLBACK (as sqlite3's attribute of that name)."""
        return self.conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE

    def execute(self, statement: str, params: Params = ()) -> _Pending:
        """Run one statement (SQLite spelling); awaitable, or an async context giving the cursor."""

        async def run() -> _Cursor:
            sql = _control(statement) or POSTGRESQL.sql(statement)
            if sql is None:
                return _Cursor(-1, [])
            try:
                async with self.conn.cursor() as cursor:
                    await cursor.execute(sql.encode(), params or None)
                    rows = list(await cursor.fetchall()) if cursor.description else []
                    return _Cursor(cursor.rowcount, rows)
            except psycopg.Error as exc:
                raise _fault(exc) from exc

        return _Pending(run)

    def executemany(self, statement: str, params: Sequence[Params]) -> _Pending:
        """Run one statement once per parameter set."""

        async def run() -> _Cursor:
            sql = POSTGRESQL.sql(statement)
            if sql is None or not params:
                return _Cursor(0, [])
            try:
                async with self.conn.cursor() as cursor:
                    await cursor.executemany(sql.encode(), params)
                    return _Cursor(cursor.rowcount, [])
            except psycopg.Error as exc:
                raise _fault(exc) from exc

        return _Pending(run)

    async def close(self) -> None:
        """Close the connection (quietly if the server went away)."""
        with contextlib.suppress(psycopg.Error):
            await self.conn.close()


def _control(statement: str) -> str | None:
    """BEGIN IMMEDIATE (SQLite's write lock at BEGIN) is a plain BEGIN on the server."""
    word = statement.strip().upper()
    return "BEGIN" if word.startswith("BEGIN") else None


async def connect_aio_compat(target: PostgresTarget) -> AioCompatConnection:
    """Migrate (in a worker thread, under the advisory lock), then open the aiosqlite-shaped
    connection; raises StoreUnavailable when the server cannot be reached."""
    import asyncio

    await asyncio.to_thread(lambda: connect(target, migrate_to=_goal()).close())
    db = await connect_async(target)
    return AioCompatConnection(target, db.conn)


def _goal() -> int:
    from bot.store.db import SCHEMA_VERSION

    return SCHEMA_VERSION
