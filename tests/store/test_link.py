"""The Link many tasks share (bot.store.store): one connection opened for all of them, and no
connection closed under a call that is still running on it (PostgreSQL: the driver would resume
on a freed connection or on a socket number another connection has taken)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.settings import Settings
from bot.store.postgres import AsyncPgConnection
from bot.store.store import Link, Store
from tests.store.helpers import KEY

pytest_plugins = ["tests.fakes.postgres"]

# What each backend answers with the identity of the connection it runs on, and a query that
# keeps its connection busy for about half a second.
WHO = {"sqlite": "SELECT 1", "postgresql": "SELECT pg_backend_pid()"}
SLOW = {
    "sqlite": "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000000) "
    "SELECT count(*) FROM n",
    "postgresql": "SELECT 1 FROM pg_sleep(0.5)",
}


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def store(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    path = tmp_path / "log.db"
    if backend == "postgresql":
        url = request.getfixturevalue("pg_url")
        return Store.from_settings(Settings(db_path=path, db_url=url, pseudonym_key=KEY))
    return Store.sqlite(path, KEY)


@pytest.mark.parametrize("how", ["close", "drop"])
async def test_a_call_in_flight_ends_before_its_connection_is_closed(
    store: Store, backend: str, how: str
) -> None:
    link = Link(store)
    await link.open()
    conn = link.conn
    slow = asyncio.create_task(link.fetchone(SLOW[backend]))
    await asyncio.sleep(0.1)  # the query is on the server (or in SQLite's thread) now
    await (link.close() if how == "close" else link.drop())
    assert link.conn is None
    assert (await slow) is not None  # it ran to its end on the connection let go meanwhile
    assert conn is not None
    if backend == "postgresql":  # and that connection was closed after it
        assert isinstance(conn, AsyncPgConnection)
        assert conn.conn.closed
    assert (await link.fetchone("SELECT 1")) == (1,)  # the next call opens a new one
    await link.close()


async def test_calls_that_find_no_connection_open_one_together(store: Store, backend: str) -> None:
    link = Link(store)
    rows = await asyncio.gather(*(link.fetchone(WHO[backend]) for _ in range(12)))
    assert len(set(rows)) == 1, rows  # one connection for all twelve, none closed under another
    first = link.conn
    await link.drop()
    again = await asyncio.gather(*(link.fetchone(WHO[backend]) for _ in range(12)))
    assert len(set(again)) == 1, again
    assert link.conn is not first
    await link.close()
