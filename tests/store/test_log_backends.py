"""The conversation log as the bot and the review use it, on both backends with the same
assertions: ConversationLog (writer, feedback ownership, forget, retention), the inbox, and the
review's `Store.reading()`, each on the one Store the settings name (BOT_DB_URL or BOT_DB_PATH).
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from pathlib import Path

import pytest

from bot.errors import StoreError
from bot.settings import Settings
from bot.store.log import ConversationLog
from bot.store.queries import Period, count_exchanges, stats_rows
from bot.store.store import Link, Store
from tests.store.helpers import KEY, T0, exchange, ps

pytest_plugins = ["tests.fakes.postgres"]


def server_store(url: str, path: Path) -> Store:
    """The store the settings name with BOT_DB_URL set (as the bot and the review build it)."""
    return Store.from_settings(Settings(db_path=path, db_url=url, pseudonym_key=KEY))


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    """One store per backend: a SQLite file, or a fresh database on the server."""
    path = tmp_path / "log.db"
    if request.param == "postgresql":
        return server_store(request.getfixturevalue("pg_url"), path)
    return Store.sqlite(path, KEY)


@pytest.fixture
async def log(store: Store) -> AsyncIterator[ConversationLog]:
    made = ConversationLog(store, batch_interval=0.01)
    await made.start()
    try:
        yield made
    finally:
        await made.close()


def rows(store: Store, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    db = store.connect()
    try:
        return [tuple(r) for r in db.execute(sql, params).fetchall()]
    finally:
        db.close()


async def test_exchanges_are_written_once_and_read_by_the_review(log: ConversationLog, store: Store) -> None:
    """log() -> flush() -> the rows are in the database, and the review reads them."""
    for i in range(5):
        log.log(exchange(id=f"e{i}", user=i % 2, ts=T0 + timedelta(minutes=i)))
    log.log(exchange(id="e0", ts=T0))  # a second copy of the same exchange
    await log.flush()
    assert log.healthy
    assert count_exchanges(store) == 5
    with store.reading() as conn:
        assert stats_rows(conn, Period()).users == 2
    assert rows(store, "SELECT user_ps FROM exchanges WHERE id = ?", ("e1",)) == [(ps(1),)]
    # On a server nothing went to a file beside the local path (the key came from the setting).
    assert store.path.exists() == (not store.shared)


async def test_feedback_only_from_the_user_answered(log: ConversationLog, store: Store) -> None:
    """exchange_owner_matches reads the database (after a flush) on both backends."""
    log.log(exchange(id="x", user=7, ts=T0))
    await log.flush()
    assert await log.exchange_owner_matches("x", 7)
    assert not await log.exchange_owner_matches("x", 8)
    log.log_feedback("x", 7, 1)
    log.log_feedback("x", 7, -1)
    await log.flush()
    assert rows(store, "SELECT value FROM feedback") == [(-1,)]


async def test_forget_erases_only_that_user(log: ConversationLog, store: Store) -> None:
    """forget() removes the user's rows from the database (and nothing of others)."""
    log.log(exchange(id="a", user=1, ts=T0))
    log.log(exchange(id="b", user=2, ts=T0))
    await log.flush()
    assert await log.forget(1) == 1
    assert rows(store, "SELECT id FROM exchanges") == [("b",)]


def table_rows(store: Store) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table of the store (the whole schema, whatever migrations add)."""
    listing = (
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
        if store.shared
        else "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    return {str(t): rows(store, f"SELECT * FROM {t}") for (t,) in rows(store, listing)}


async def test_forget_leaves_no_row_of_the_user_in_any_table(log: ConversationLog, store: Store) -> None:
    """A user with exchanges, a vote, a ticket posted in the press group, a subscription, a /lang
    pin, chat state and inbox rows: after the erasure no table holds a row with their pseudonym or
    text; the ticket's group message is named for the bot to edit; the inbox keeps only the
    update still waiting to be answered, and another user's rows are untouched."""
    from bot.store import press
    from bot.store.chat_state import SharedChatState
    from bot.store.inbox import Inbox
    from bot.store.prefs import PinStore

    secret = "ZEBRA-7741 my private question"
    log.log(exchange(secret, id="a", user=1, ts=T0))
    log.log(exchange("kept", id="b", user=2, ts=T0))
    log.log_feedback("a", 1, 1)
    await log.flush()
    conn = store.connect()
    try:
        _, ticket = press.open_ticket(
            conn,
            exchange_id="a",
            user_ps=ps(1),
            chat_id=1,
            user_name="Ann",
            lang="en",
            question=secret,
            intent=None,
            confidence=None,
            limit=3,
            now=T0,
        )
        assert ticket is not None
        press.set_group_message(conn, ticket.id, 4242)
        press.subscribe(conn, user_ps=ps(1), intent="x", chat_id=1, lang="en", digest="d", now=T0, days=30)
    finally:
        conn.close()
    pins = PinStore(store)
    await pins.set(1, "zh")
    pins.close()
    link = Link(store)
    await link.open()
    state = SharedChatState(link, KEY.encode())
    await state.count_update(1, 1.0, 60.0)
    await state.close()
    inbox = Inbox(store, KEY.encode())
    await inbox.open()
    try:
        for update_id, chat in ((10, 1), (11, 2), (12, 1), (13, 1)):
            assert await inbox.add(update_id, chat, f'{{"text": "{secret} {update_id}"}}') == "new"
        await inbox.mark_done([10, 11])  # 12 is the /forget tap being handled, 13 waits after it
        erased = await log.erase(1, handling=12)
    finally:
        await inbox.close()

    assert erased.tickets == ((ticket.id, 4242),)
    assert erased.erased == 6  # exchange, vote, ticket, subscription, pin, chat state
    assert rows(store, "SELECT update_id, state FROM inbox ORDER BY update_id") == [
        (11, "done"),  # the other user's
        (13, "pending"),  # sent after the tap: still to be answered (and then logged anew)
    ]
    rows(store, "DELETE FROM inbox WHERE update_id = 13")
    left = table_rows(store)
    assert len(left) >= 12  # every table of the schema was looked at
    assert [t for t, found in left.items() if any(ps(1) in map(str, r) for r in found)] == []
    assert [t for t, found in left.items() if any(secret in str(r) for r in found)] == []
    assert rows(store, "SELECT id FROM exchanges") == [("b",)]


async def test_retention_purges_old_rows(log: ConversationLog, store: Store) -> None:
    """purge_expired() erases rows older than retention_days."""
    log.log(exchange(id="old", ts=T0))
    log.log(exchange(id="new", ts=T0 + timedelta(days=200)))
    await log.flush()
    assert await log.purge_expired(now=T0 + timedelta(days=200)) == 1
    assert rows(store, "SELECT id FROM exchanges") == [("new",)]


# ---- the press office and the /lang pin ---------------------------------------------------------------


def test_press_tickets_on_both(store: Store) -> None:
    """The press office's functions (new ids, INSERT OR IGNORE, char()) on both."""
    from bot.store import press

    conn = store.connect()
    try:
        assert press.has_press_tables(conn)
        opened = [
            press.open_ticket(
                conn,
                exchange_id=f"{n:016x}",
                user_ps="ps-a",
                chat_id=-100123456789012,
                user_name="Ann",
                lang="en",
                question=f"Q{n}?",
                intent="x",
                confidence=0.5,
                limit=3,
                now=T0,
            )[0]
            for n in (1, 2, 3, 4)
        ]
        assert opened == ["opened", "opened", "opened", "limit"]
        again = press.open_ticket(
            conn,
            exchange_id=f"{1:016x}",
            user_ps="ps-a",
            chat_id=1,
            user_name="Ann",
            lang="en",
            question="Q1?",
            intent="x",
            confidence=0.5,
            limit=3,
            now=T0,
        )
        assert again[0] == "exists" and again[1] is not None and again[1].id == 1
        done = press.record_answer(conn, 1, "Answer.", T0)
        assert done is not None and done.state == "answered" and done.answers == 1
        more = press.record_answer(conn, 1, "More.", T0)
        assert more is not None and more.answer == "Answer.\n\nMore."
        first = press.ask_notice(conn, "x", "digest", T0)
        assert first is not None and press.ask_notice(conn, "x", "digest", T0) is None
    finally:
        conn.close()


async def test_lang_pin_survives_a_new_store(store: Store) -> None:
    """/lang pinned through one PinStore is read by another (a restart, or another replica)."""
    from bot.store.prefs import PinStore

    first = PinStore(store)
    await first.set(5, "zh")
    first.close()
    second = PinStore(store)
    try:
        assert await second.get(5) == "zh"
    finally:
        second.close()


@pytest.mark.slow
async def test_review_cli_reads_and_forgets_on_the_server(pg_url: str, tmp_path: Path) -> None:
    """`run.py review stats --json` and `review forget` with BOT_DB_URL set: the server's rows,
    no file beside BOT_DB_PATH, and the password in no output."""
    import json
    import os
    import subprocess
    import sys

    path = tmp_path / "log.db"
    log = ConversationLog(server_store(pg_url, path))
    await log.start()
    log.log(exchange(id="a", user=1, ts=T0))
    log.log(exchange(id="b", user=2, ts=T0, outcome="declined", intent=None))
    await log.close()
    env = {
        **os.environ,
        "BOT_DB_URL": pg_url,
        "BOT_DB_PATH": str(path),
        "BOT_PSEUDONYM_KEY": KEY,
        "TELEGRAM_BOT_TOKEN": "",
    }
    root = Path(__file__).resolve().parents[2]

    def review(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "run.py", "review", *args],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    stats = review("stats", "--json")
    assert stats.returncode == 0, stats.stderr
    assert json.loads(stats.stdout)["users"] == 2
    gone = review("forget", "1")
    assert gone.returncode == 0, gone.stderr
    after = review("stats", "--json")
    assert json.loads(after.stdout)["users"] == 1
    password = pg_url.split(":")[2].split("@")[0]
    for done in (stats, gone, after):
        assert password not in done.stdout + done.stderr
    assert not path.exists()


def healthy(store: ConversationLog) -> bool:
    """The store's health read afresh (a property that changes while the test runs)."""
    return store.healthy


def set_database(admin_url: str, url: str, setting: str) -> None:
    """`ALTER DATABASE <url's database> <setting>` from an admin connection; with a setting for
    new sessions, also end the sessions open now (pg_terminate_backend), so every connection of
    the bot meets it."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"ALTER DATABASE {name} {setting}".encode())
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        )


async def test_a_server_that_refuses_spills_and_is_imported_later(
    pg_server: str, pg_url: str, tmp_path: Path
) -> None:
    """The database refuses connections at start: replies go on, rows go to the spill file beside
    the local path, admins hear once (without the password); when it takes connections again,
    the rows are imported, on the one Store built at start."""
    from bot.errors import StoreError

    path = tmp_path / "log.db"
    password = pg_url.split(":")[2].split("@")[0]
    alerts: list[str] = []

    async def alert(message: str) -> None:
        alerts.append(message)

    store = server_store(pg_url, path)
    store.connect().close()  # migrated while it still could be
    set_database(pg_server, pg_url, "ALLOW_CONNECTIONS false")
    log = ConversationLog(store, on_alert=alert, retry_interval=0.05, batch_interval=0.01)
    try:
        await log.start()
        log.log(exchange(id="kept", ts=T0))
        await log.flush()
        assert not log.healthy
        assert log.counts.spilled == 1 and log.spill.rows == 1
        with pytest.raises(StoreError):
            await log.forget(1)  # all or nothing: refused while the server refuses
        set_database(pg_server, pg_url, "ALLOW_CONNECTIONS true")  # the server is back
        await log.flush()
        assert healthy(log) and log.counts.imported == 1
        assert rows(store, "SELECT id FROM exchanges") == [("kept",)]
    finally:
        await log.close()
        set_database(pg_server, pg_url, "ALLOW_CONNECTIONS true")
    assert alerts and all(password not in a for a in alerts)


async def test_a_feedback_tap_during_a_write_fault_is_judged_against_the_server(
    pg_server: str, pg_url: str, tmp_path: Path
) -> None:
    """The database turns read-only under a running log (every session ended, new ones read-only):
    writes fail and spill, and a 👍 on an exchange written before is still judged against the
    server (it was judged against a SQLite file at the local path before, and refused)."""
    store = server_store(pg_url, tmp_path / "log.db")
    log = ConversationLog(store, retry_interval=60.0, batch_interval=0.01)
    await log.start()
    try:
        log.log(exchange(id="before", user=7, ts=T0))
        await log.flush()
        set_database(pg_server, pg_url, "SET default_transaction_read_only = on")
        log.log(exchange(id="during", user=7, ts=T0))
        await log.flush()
        assert not log.healthy and log.counts.spilled == 1  # the write fault
        assert await log.exchange_owner_matches("before", 7)  # in the server's rows
        assert not await log.exchange_owner_matches("before", 8)  # another user's tap
        assert await log.exchange_owner_matches("during", 7)  # in the spill file
        assert not store.path.exists()  # no SQLite file was made at the local path
    finally:
        await log.close()
        set_database(pg_server, pg_url, "RESET default_transaction_read_only")


def end_sessions(admin_url: str, url: str) -> int:
    """pg_terminate_backend on every session of `url`'s database (the server dropping them, as a
    restart does); how many were ended."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(admin_url, autocommit=True) as conn:
        ended = conn.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        ).fetchone()
    return int(ended[0]) if ended else 0


async def until_it_works(attempt: Callable[[], Awaitable[bool]], timeout: float = 10.0) -> int:
    """Call `attempt` until it returns True (a StoreError counts as not yet); how many failed."""
    failed = 0
    deadline = time.monotonic() + timeout
    while True:
        try:
            if await attempt():
                return failed
        except StoreError:
            pass
        failed += 1
        assert time.monotonic() < deadline, "the connection never healed"
        await asyncio.sleep(0.05)


async def heals(store: Store, outage: Callable[[], Awaitable[None]]) -> None:
    """Open every connection the bot holds (the log writer, the inbox, the shared work queue and
    chat state), use each, run `outage`, then show that each reconnects by itself (with backoff)
    and that the writes made after it land; none stays on its dead connection."""
    from bot.store.chat_state import open_chat_state
    from bot.store.inbox import Inbox
    from bot.store.queue import open_queue

    log = ConversationLog(store, retry_interval=0.05, batch_interval=0.01)
    await log.start()
    inbox = Inbox(store, KEY.encode())
    await inbox.open()
    queue = await open_queue(store, "r1")
    state = await open_chat_state(store, KEY.encode())
    assert queue is not None and state is not None
    try:
        assert await inbox.add(1, 10, "{}") == "new"
        assert [c.update_id for c in await queue.claim(5)] == [1]
        assert await state.count_update(10, 1000.0, 60.0) == 1
        await outage()
        log.log(exchange(id="after", ts=T0))

        async def logged() -> bool:
            await log.flush()
            return log.healthy and log.counts.written + log.counts.imported == 1  # directly or via the spill

        async def stored() -> bool:
            return await inbox.add(2, 20, "{}") == "new"

        async def claimed() -> bool:
            return [c.update_id for c in await queue.claim(5)] == [2]

        async def counted() -> bool:
            return await state.count_update(10, 1001.0, 60.0) == 2

        for attempt in (logged, stored, claimed, counted):
            await until_it_works(attempt)
        assert rows(store, "SELECT id FROM exchanges") == [("after",)]
        assert rows(store, "SELECT update_id FROM inbox ORDER BY update_id") == [(1,), (2,)]
    finally:
        await log.close()
        await inbox.close()
        await queue.close()
        await state.close()


async def test_every_connection_heals_after_the_server_drops_it(
    pg_server: str, pg_url: str, tmp_path: Path
) -> None:
    """The server ends every session of the bot (pg_terminate_backend): each connection heals."""

    async def outage() -> None:
        assert end_sessions(pg_server, pg_url) >= 4  # writer, inbox, queue, chat state

    await heals(server_store(pg_url, tmp_path / "log.db"), outage)


@pytest.mark.slow
async def test_every_connection_heals_after_the_server_restarts(tmp_path: Path) -> None:
    """A PostgreSQL server of its own stopped under the running connections for a second, then
    started again on its port: each connection heals, no object of the bot is rebuilt."""
    from bot.testing.postgres import PostgresServer, find_bin

    bin_dir = find_bin()
    if bin_dir is None:
        pytest.skip("restart test skipped: initdb/pg_ctl not found (apt install postgresql, or set PG_BIN)")
    folder = Path(tempfile.mkdtemp(prefix="bot-pg-"))  # not under tmp_path: the server's user reads it
    server = PostgresServer(folder, bin_dir)
    try:
        url = server.start()
    except (RuntimeError, OSError) as exc:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
        pytest.skip(f"restart test skipped: the server could not be started ({exc})")
    store = server_store(url, tmp_path / "log.db")

    async def outage() -> None:
        await asyncio.to_thread(server.stop)
        probe = Store.from_settings(Settings(db_path=tmp_path / "x.db", db_url=url, pseudonym_key=KEY))
        with pytest.raises(StoreError):
            probe.read_only()  # really down
        await asyncio.sleep(1.0)
        await asyncio.to_thread(server.resume)

    try:
        await heals(store, outage)
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
