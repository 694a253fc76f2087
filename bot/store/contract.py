"""The one contract between the store and a database backend (as httpx's BaseTransport is between
a client and a transport): what the bot, the review and maintenance need, nothing more.

A `Backend` opens connections to one migrated database: `connect()` a plain one (the review,
erasure, retention, the press office and /lang pins, each in a worker thread) and
`connect_async()` one for the event loop (the log writer, the inbox, the shared work queue and
chat state). Both speak the store's SQL in SQLite's spelling (`?`, `:name`, `INSERT OR IGNORE`,
...; bot.store.dialect translates it for PostgreSQL), run in autocommit outside `transaction()`,
and raise bot.errors.StoreUnavailable (with its fault kind) for any failure of the database, never
a driver's own exception. Implemented by bot.store.sqlite and bot.store.postgres; chosen once, by
bot.store.store.Store.from_settings.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Protocol

from bot.store.dialect import Dialect

Params = Sequence[Any] | Mapping[str, Any]


class Rows(Protocol):
    """What `Connection.execute` returns: the statement's rows and what it changed."""

    @property
    def rowcount(self) -> int: ...

    @property
    def lastrowid(self) -> int | None: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class Connection(Protocol):
    """A plain connection to a migrated database."""

    dialect: Dialect

    def execute(self, statement: str, params: Params = ()) -> Rows: ...

    def executemany(self, statement: str, params: Sequence[Params]) -> int: ...

    def transaction(self) -> contextlib.AbstractContextManager[Any]: ...

    def schema_version(self) -> int: ...

    def wipe(self, deadline: float) -> bool:
        """Leave no copy of deleted rows in the files this connection can reach (SQLite: a
        TRUNCATE checkpoint of the WAL, retried until `deadline`, time.monotonic()); True when
        done. A server keeps its own WAL out of our reach: True."""
        ...

    def close(self) -> None: ...


class AsyncConnection(Protocol):
    """An async connection to a migrated database."""

    dialect: Dialect

    async def execute(self, statement: str, params: Params = ()) -> int: ...

    async def executemany(self, statement: str, params: Sequence[Params]) -> int: ...

    async def fetchall(self, statement: str, params: Params = ()) -> list[tuple[Any, ...]]: ...

    async def fetchone(self, statement: str, params: Params = ()) -> tuple[Any, ...] | None: ...

    def transaction(self) -> contextlib.AbstractAsyncContextManager[Any]: ...

    def replaced(self) -> bool:
        """True when the database at the connection's address is no longer the one it opened
        (a file deleted or swapped under it); a server: False."""
        ...

    async def close(self) -> None: ...


class Backend(Protocol):
    """One database, reachable from any process that has its address."""

    dialect: Dialect
    shared: bool  # several processes hand out its updates (a server): the work queue and chat state

    def describe(self) -> str:
        """Its name in logs and errors (a server's URL without the password)."""
        ...

    def connect(self, *, create: bool = True) -> Connection:
        """A plain connection, the database created (if `create`) and migrated first. Raises
        StoreUnavailable when it cannot be reached now, StoreError when it cannot be used at all."""
        ...

    def read_only(self) -> Connection:
        """A plain connection for reading only: nothing created, nothing migrated (a look-up
        while writes fail). Raises StoreUnavailable."""
        ...

    async def connect_async(self) -> AsyncConnection:
        """An async connection, the database created and migrated first. Raises as `connect`."""
        ...
