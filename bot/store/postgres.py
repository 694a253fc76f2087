"""The PostgreSQL backend (bot.store.contract): connections (plain for the review and maintenance,
async for the bot), the store's migrations run once under an advisory lock, and PostgreSQL's
errors as the store's own (bot.errors.StoreUnavailable with a fault kind).

Driver: psycopg 3, imported only here (and only when `BOT_DB_URL` names a server). It has both a
synchronous API (the review and `review forget` read the log with plain connections today, as with
sqlite3) and an asyncio API (the log writer and the inbox), with one parameter style and one error
hierarchy; asyncpg is async only, so the review would need an event loop or a second driver.

The schema is bot.store.schema.MIGRATIONS, the same list SQLite runs, spelled for PostgreSQL by
bot.store.dialect.Dialect.ddl. SQLite keeps its version in `PRAGMA user_version`; here it is the
one row of `bot_schema`. Two replicas starting together both call `migrate`: the second waits on
`pg_advisory_lock` and then finds nothing left to do. Each migration commits with its version
(PostgreSQL's DDL is transactional), so a crash mid-way leaves a whole older version.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
from collections.abc import AsyncIterator, Iterator, Sequence
from typing import Any

import psycopg

from bot.errors import StoreError, StoreUnavailable
from bot.store.contract import Params
from bot.store.dialect import POSTGRESQL, PostgresTarget
from bot.store.schema import MIGRATIONS, SCHEMA_VERSION

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
    """(kind, reason) of a PostgreSQL error, in the kinds admins are told of once each."""
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


class PgRows:
    """psycopg's cursor behind bot.store.contract.Rows, with sqlite3's `lastrowid` (the identity
    value this session made last)."""

    def __init__(
        self, target: PostgresTarget, conn: psycopg.Connection[Any], cursor: psycopg.Cursor[Any] | None
    ) -> None:
        self._target = target
        self._conn = conn
        self._cursor = cursor

    @property
    def rowcount(self) -> int:
        return -1 if self._cursor is None else self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        if self._cursor is None:
            return None
        try:
            with self._conn.transaction(), self._conn.cursor() as cursor:  # a savepoint inside one
                row = cursor.execute("SELECT lastval()").fetchone()
        except psycopg.errors.ObjectNotInPrerequisiteState:  # no identity made in this session
            return None
        except psycopg.Error as exc:
            raise unavailable(self._target, exc) from exc
        return int(row[0]) if row else None

    def fetchone(self) -> Any:
        if self._cursor is None or not self._cursor.description:
            return None
        try:
            return self._cursor.fetchone()
        except psycopg.Error as exc:
            raise unavailable(self._target, exc) from exc

    def fetchall(self) -> list[Any]:
        if self._cursor is None or not self._cursor.description:
            return []
        try:
            return list(self._cursor.fetchall())
        except psycopg.Error as exc:
            raise unavailable(self._target, exc) from exc

    def __iter__(self) -> Iterator[Any]:
        return iter(self.fetchall())


class PgConnection:
    """A plain PostgreSQL connection in autocommit mode that speaks the store's SQLite spelling:
    `execute("... ?", (1,))` works as on SQLite (the statement is translated, PRAGMAs skipped)."""

    dialect = POSTGRESQL

    def __init__(self, target: PostgresTarget, conn: psycopg.Connection[Any]) -> None:
        self.target = target
        self.conn = conn

    def execute(self, statement: str, params: Params = ()) -> PgRows:
        """Run one statement (SQLite spelling) and return its rows."""
        sql = self.dialect.sql(statement)
        if sql is None:
            return PgRows(self.target, self.conn, None)  # a PRAGMA: nothing to do, no rows
        try:
            return PgRows(self.target, self.conn, self.conn.execute(sql.encode(), params or None))
        except psycopg.Error as exc:
            raise unavailable(self.target, exc) from exc

    def executemany(self, statement: str, params: Sequence[Params]) -> int:
        """Run one statement once per parameter set; return the rows changed."""
        sql = self.dialect.sql(statement)
        if sql is None or not params:
            return 0
        try:
            with self.conn.cursor() as cursor:
                cursor.executemany(sql.encode(), params)
                return max(cursor.rowcount, 0)
        except psycopg.Error as exc:
            raise unavailable(self.target, exc) from exc

    @contextlib.contextmanager
    def transaction(self) -> Iterator[PgConnection]:
        """`with db.transaction():` one transaction, committed at the end, rolled back on error."""
        try:
            with self.conn.transaction():
                yield self
        except psycopg.Error as exc:
            raise unavailable(self.target, exc) from exc

    def schema_version(self) -> int:
        """The version the database is at (0 when it was never migrated)."""
        try:
            return read_version(self.conn)
        except psycopg.Error as exc:
            raise unavailable(self.target, exc) from exc

    def wipe(self, deadline: float) -> bool:
        """The server's WAL and backups are out of our reach (the README says so): True."""
        return True

    def close(self) -> None:
        """Close the connection."""
        with contextlib.suppress(psycopg.Error):
            self.conn.close()


def connect(target: PostgresTarget, *, migrate_to: int | None = None) -> PgConnection:
    """Open a plain connection (autocommit); with `migrate_to`, migrate first (under the lock).

    Raises StoreUnavailable when the server cannot be reached or refuses, StoreError when the
    database's schema is newer than this code.
    """
    try:
        conn = psycopg.connect(target.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT)
    except psycopg.Error as exc:
        raise unavailable(target, exc, "connect") from exc
    db = PgConnection(target, conn)
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


def migrate(db: PgConnection, target: int | None = None) -> int:
    """Apply the missing migrations up to `target` (default: all), each in its own transaction,
    holding the advisory lock so that replicas starting together migrate once; return the version.
    """
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


# ---- async connections (the bot: log writer, inbox, work queue, chat state) ---------------------


class AsyncPgConnection:
    """The async twin of PgConnection, for the bot's event loop."""

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
            raise unavailable(self.target, exc) from exc

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
            raise unavailable(self.target, exc) from exc

    async def fetchall(self, statement: str, params: Params = ()) -> list[tuple[Any, ...]]:
        """The rows of one query (SQLite spelling)."""
        sql = self.dialect.sql(statement)
        if sql is None:
            return []
        try:
            async with self.conn.cursor() as cursor:
                await cursor.execute(sql.encode(), params or None)
                return list(await cursor.fetchall()) if cursor.description else []
        except psycopg.Error as exc:
            raise unavailable(self.target, exc) from exc

    async def fetchone(self, statement: str, params: Params = ()) -> tuple[Any, ...] | None:
        """The first row of one query, or None."""
        rows = await self.fetchall(statement, params)
        return rows[0] if rows else None

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncPgConnection]:
        """`async with db.transaction():` one transaction, committed at the end."""
        try:
            async with self.conn.transaction():
                yield self
        except psycopg.Error as exc:
            raise unavailable(self.target, exc) from exc

    def replaced(self) -> bool:
        """A server has no file to lose."""
        return False

    async def close(self) -> None:
        """Close the connection (quietly if the server went away)."""
        with contextlib.suppress(psycopg.Error):
            await self.conn.close()


# ---- the backend --------------------------------------------------------------------------------


class PostgresBackend:
    """A database on a PostgreSQL server shared by replicas (bot.store.contract.Backend)."""

    dialect = POSTGRESQL
    shared = True

    def __init__(self, target: PostgresTarget) -> None:
        self.target = target
        self._migrated = False  # migrated once by this process (under the advisory lock)

    def describe(self) -> str:
        """The URL without its password."""
        return self.target.describe()

    def connect(self, *, create: bool = True) -> PgConnection:
        """A plain connection, the schema migrated first (once per process)."""
        db = connect(self.target, migrate_to=None if self._migrated else SCHEMA_VERSION)
        self._migrated = True
        return db

    def read_only(self) -> PgConnection:
        """A plain connection, nothing migrated."""
        return connect(self.target)

    async def connect_async(self) -> AsyncPgConnection:
        """Migrate on a plain connection in a worker thread (once per process), then talk async."""
        if not self._migrated:
            await asyncio.to_thread(lambda: self.connect().close())
        try:
            conn = await psycopg.AsyncConnection.connect(
                self.target.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT
            )
        except psycopg.Error as exc:
            raise unavailable(self.target, exc, "connect") from exc
        return AsyncPgConnection(self.target, conn)
