"""The store as the rest of the bot holds it: one `Store`, built once from the Settings and handed
to the application, the console, the CLI and the review.

It knows which backend `BOT_DB_URL` names (bot.store.sqlite or bot.store.postgres, through the
contract of bot.store.contract), the local folder (`BOT_DB_PATH`) where the pseudonym key and the
spill file sit on every backend, and the pseudonym key. Nothing outside bot.store names a backend.
`Link` is the async connection every long-lived part of the bot keeps (the log writer, the inbox,
the shared work queue and chat state): dropped on a fault, opened again on the next use after a
backoff, so each heals by itself when the database comes back.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from bot.errors import StoreError, StoreUnavailable
from bot.store.contract import AsyncConnection, Backend, Connection, Params
from bot.store.dialect import PostgresTarget, parse_db_url
from bot.store.pseudonym import key_path, load_key
from bot.store.spill import spill_path_for
from bot.store.sqlite import SqliteBackend

if TYPE_CHECKING:
    from bot.settings import Settings

_log = logging.getLogger(__name__)

_T = TypeVar("_T")
RECONNECT_S = 0.5  # after a failed (re)connection, the first wait before the next attempt
# The longest wait (the backoff doubles up to it): a try on a server that is down costs a refused
# connection, and the bot should be whole within seconds of the server's return.
RECONNECT_MAX_S = 5.0


@dataclass(frozen=True)
class Store:
    """Where the conversation database is and how to reach it (see the module docstring)."""

    backend: Backend
    path: Path  # BOT_DB_PATH: the SQLite file, or with a server the local name the key and spill go by
    pseudonym_key: str | None = field(default=None, repr=False)  # BOT_PSEUDONYM_KEY
    spill_dir: Path | None = None  # BOT_SPILL_DIR: another volume for the spill files; None: beside `path`

    @classmethod
    def from_settings(cls, settings: Settings) -> Store:
        """The store the settings name: the server of BOT_DB_URL, else the file BOT_DB_PATH."""
        target = parse_db_url(settings.db_url, settings.db_path)
        backend: Backend
        if isinstance(target, PostgresTarget):
            from bot.store.postgres import PostgresBackend  # psycopg only when a server is named

            backend = PostgresBackend(target)
        else:
            backend = SqliteBackend(target.path)
        return cls(backend, Path(settings.db_path), settings.pseudonym_key, settings.spill_dir)

    @classmethod
    def sqlite(
        cls,
        path: Path,
        pseudonym_key: str | None = None,
        *,
        busy_timeout: float = 5.0,
        spill_dir: Path | None = None,
    ) -> Store:
        """The store in the SQLite file `path` (tools, benchmarks and tests)."""
        return cls(SqliteBackend(Path(path), busy_timeout=busy_timeout), Path(path), pseudonym_key, spill_dir)

    @property
    def shared(self) -> bool:
        """True when several processes share the database (a server): the work queue and the
        shared chat state are in use."""
        return self.backend.shared

    def describe(self) -> str:
        """The database's name in logs and errors (never a password)."""
        return self.backend.describe()

    @property
    def spill_path(self) -> Path:
        """Where rows the database could not take wait (always on this machine; in BOT_SPILL_DIR
        when set, so that a full disk under the database does not take the spill with it)."""
        return spill_path_for(self.path, self.spill_dir)

    @property
    def sent_path(self) -> Path:
        """Where the inbox keeps, at a stop, the sends it could not record in the database."""
        spill = self.spill_path
        return spill.with_name(spill.name.removesuffix(".spill.jsonl") + ".sent.jsonl")

    @property
    def key_path(self) -> Path:
        """Where the generated pseudonym key lives when BOT_PSEUDONYM_KEY is not set."""
        return key_path(self.path)

    def key(self, *, create: bool = True) -> bytes | None:
        """The pseudonym key (BOT_PSEUDONYM_KEY, else the key file, made once if `create`)."""
        return load_key(self.path, self.pseudonym_key, create=create)

    def connect(self, *, create: bool = True) -> Connection:
        """A plain connection to the migrated database (see bot.store.contract.Backend)."""
        return self.backend.connect(create=create)

    def read_only(self) -> Connection:
        """A plain connection for reading only (nothing created or migrated)."""
        return self.backend.read_only()

    async def connect_async(self) -> AsyncConnection:
        """An async connection to the migrated database."""
        return await self.backend.connect_async()

    @contextlib.contextmanager
    def reading(self) -> Iterator[Connection]:
        """A connection to an existing log (StoreError if there is none), closed afterwards."""
        conn = self.connect(create=False)
        try:
            yield conn
        finally:
            conn.close()


@dataclass(eq=False)
class _Held:
    """One connection a Link opened, and the calls in flight on it."""

    conn: AsyncConnection
    calls: int = 0
    dropped: bool = False  # no longer the Link's: closed by the last of its calls
    closed: bool = False

    async def close_when_idle(self) -> None:
        # A connection is never closed under a call that is waiting on it: a driver's wait may
        # resume on the closed connection's memory (psycopg's C generators keep the pointer), or
        # on a socket number the system has given to a new connection meanwhile.
        if self.dropped and self.calls == 0 and not self.closed:
            self.closed = True
            await self.conn.close()


class Link:
    """At most one open async connection of `store`, reopened after it fails: `conn` is None while
    the database fails. A Link is itself an AsyncConnection (bot.store.contract) that heals: a
    call on a broken connection raises StoreUnavailable and drops it; the next call opens a new
    one, once the backoff since the last failed attempt has passed (RECONNECT_S doubling up to
    RECONNECT_MAX_S), so no part of the bot keeps a dead connection after the server is back.

    Many tasks may call one Link at once (the shared chat state is read by every update): one of
    them opens a connection while the others wait for it, a failed call drops only the connection
    it ran on, and a dropped connection is closed once no call is running on it."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.dialect = store.backend.dialect
        self._held: _Held | None = None
        self._opening = asyncio.Lock()
        self._backoff = RECONNECT_S
        self._retry_at = 0.0

    @property
    def conn(self) -> AsyncConnection | None:
        """The open connection, None while the database fails."""
        return self._held.conn if self._held is not None else None

    async def open(self) -> AsyncConnection:
        """(Re)open the connection now; raises StoreUnavailable (or StoreError when it cannot be
        cured)."""
        async with self._opening:
            return (await self._open()).conn

    async def _open(self) -> _Held:
        await self.drop()
        try:
            conn = await self.store.connect_async()
        except StoreError:
            self._retry_at = time.monotonic() + self._backoff
            self._backoff = min(self._backoff * 2, RECONNECT_MAX_S)
            raise
        self._backoff = RECONNECT_S
        self._held = _Held(conn)
        return self._held

    async def _ready(self) -> _Held:
        """The open connection, opened again when there is none (after the backoff) or its file
        was replaced."""
        held = self._held
        if held is not None and not held.conn.replaced():
            return held
        async with self._opening:
            held = self._held
            if held is not None and not held.conn.replaced():
                return held  # another call opened it while this one waited
            wait = self._retry_at - time.monotonic()
            if held is None and wait > 0:
                raise StoreUnavailable(
                    "cannot-open", f"{self.store.describe()}: reconnecting in {wait:.1f} s after a failure"
                )
            return await self._open()

    async def drop(self) -> None:
        """Let go of the connection (after a fault, or at the end): closed now, or by the last call
        still running on it; quietly if it is broken."""
        held, self._held = self._held, None
        if held is not None:
            held.dropped = True
            await held.close_when_idle()

    # ---- the AsyncConnection contract, healing ----------------------------------------------------

    async def execute(self, statement: str, params: Params = ()) -> int:
        """Run one statement; return the rows it changed."""
        return await self._call(lambda conn: conn.execute(statement, params))

    async def executemany(self, statement: str, params: Sequence[Params]) -> int:
        """Run one statement once per parameter set; return the rows changed."""
        return await self._call(lambda conn: conn.executemany(statement, params))

    async def fetchall(self, statement: str, params: Params = ()) -> list[tuple[Any, ...]]:
        """The rows of one query."""
        return await self._call(lambda conn: conn.fetchall(statement, params))

    async def fetchone(self, statement: str, params: Params = ()) -> tuple[Any, ...] | None:
        """The first row of one query, or None."""
        return await self._call(lambda conn: conn.fetchone(statement, params))

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[Link]:
        """One write transaction on the open connection (calls on the Link inside it use it)."""
        async with self._using() as conn, conn.transaction():
            yield self

    def replaced(self) -> bool:
        """A Link reopens a replaced file itself."""
        return False

    async def close(self) -> None:
        """Close the connection (once the calls running on it end)."""
        await self.drop()

    async def _call(self, work: Callable[[AsyncConnection], Awaitable[_T]]) -> _T:
        async with self._using() as conn:
            return await work(conn)

    @contextlib.asynccontextmanager
    async def _using(self) -> AsyncIterator[AsyncConnection]:
        """The open connection, counted as in use until the block ends; a StoreUnavailable drops
        it (and only it: another call may have opened the next one meanwhile)."""
        held = await self._ready()
        held.calls += 1
        try:
            yield held.conn
        except StoreUnavailable:
            if self._held is held:
                self._held = None
            held.dropped = True
            raise
        finally:
            held.calls -= 1
            await held.close_when_idle()


async def shared_link(store: Store) -> Link | None:
    """A Link of its own to `store` when other processes share it (a server), opened now if the
    server answers, else by its first call once the server is back (a replica that starts during
    an outage still joins the shared queue and state); None for a SQLite file. Raises StoreError
    only for what reconnecting cannot cure (a wrong password, a refused migration)."""
    if not store.shared:
        return None
    link = Link(store)
    try:
        await link.open()
    except StoreUnavailable as exc:
        _log.warning("%s; its shared parts connect once it is back", exc)
    return link
