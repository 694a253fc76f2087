"""The conversation log as the bot and the review use it, on both backends with the same
assertions: ConversationLog (writer, feedback ownership, forget, retention), the inbox, and the
review's `reading()`, all opened by the local path that BOT_DB_URL binds to a server (or not).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.store.database import SyncDatabase, open_sync, target_for, use
from bot.store.log import ConversationLog
from bot.store.queries import Period, count_exchanges, reading, stats_rows
from tests.store.helpers import KEY, T0, exchange, ps

pytest_plugins = ["tests.fakes.postgres"]


@pytest.fixture(params=["sqlite", "postgresql"])
def log_path(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path]:
    """The log's local path; for PostgreSQL it is bound to a fresh database (as cli.main does)."""
    path = tmp_path / "log.db"
    if request.param == "postgresql":
        from bot.store.backend import PostgresTarget

        use(path, PostgresTarget(request.getfixturevalue("pg_url")))
    try:
        yield path
    finally:
        from bot.store.backend import SqliteTarget

        use(path, SqliteTarget(path))


@pytest.fixture
async def log(log_path: Path) -> AsyncIterator[ConversationLog]:
    store = ConversationLog(log_path, pseudonym_key=KEY, batch_interval=0.01)
    await store.start()
    try:
        yield store
    finally:
        await store.close()


def rows(path: Path, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    db: SyncDatabase = open_sync(target_for(path))
    try:
        return [tuple(r) for r in db.execute(sql, params).fetchall()]
    finally:
        db.close()


async def test_exchanges_are_written_once_and_read_by_the_review(
    log: ConversationLog, log_path: Path
) -> None:
    """log() -> flush() -> the rows are in the database, and the review reads them."""
    for i in range(5):
        log.log(exchange(id=f"e{i}", user=i % 2, ts=T0 + timedelta(minutes=i)))
    log.log(exchange(id="e0", ts=T0))  # a second copy of the same exchange
    await log.flush()
    assert log.healthy
    assert count_exchanges(log_path) == 5
    with reading(log_path) as conn:
        assert stats_rows(conn, Period()).users == 2
    assert rows(log_path, "SELECT user_ps FROM exchanges WHERE id = ?", ("e1",)) == [(ps(1),)]
    # On a server nothing went to a file beside the local path (the key came from the setting).
    assert log_path.exists() == (target_for(log_path).kind == "sqlite")


async def test_feedback_only_from_the_user_answered(log: ConversationLog, log_path: Path) -> None:
    """exchange_owner_matches reads the database (after a flush) on both backends."""
    log.log(exchange(id="x", user=7, ts=T0))
    await log.flush()
    assert await log.exchange_owner_matches("x", 7)
    assert not await log.exchange_owner_matches("x", 8)
    log.log_feedback("x", 7, 1)
    log.log_feedback("x", 7, -1)
    await log.flush()
    assert rows(log_path, "SELECT value FROM feedback") == [(-1,)]


async def test_forget_erases_only_that_user(log: ConversationLog, log_path: Path) -> None:
    """forget() removes the user's rows from the database (and nothing of others)."""
    log.log(exchange(id="a", user=1, ts=T0))
    log.log(exchange(id="b", user=2, ts=T0))
    await log.flush()
    assert await log.forget(1) == 1
    assert rows(log_path, "SELECT id FROM exchanges") == [("b",)]


async def test_retention_purges_old_rows(log: ConversationLog, log_path: Path) -> None:
    """purge_expired() erases rows older than retention_days."""
    log.log(exchange(id="old", ts=T0))
    log.log(exchange(id="new", ts=T0 + timedelta(days=200)))
    await log.flush()
    assert await log.purge_expired(now=T0 + timedelta(days=200)) == 1
    assert rows(log_path, "SELECT id FROM exchanges") == [("new",)]


# ---- the press office and the /lang pin ---------------------------------------------------------------


def test_press_tickets_on_both(log_path: Path) -> None:
    """The press office's functions (rows by column name, new ids, INSERT OR IGNORE) on both."""
    import sqlite3

    from bot.store import press
    from bot.store.database import open_log

    conn = open_log(log_path)
    conn.row_factory = sqlite3.Row
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


async def test_lang_pin_survives_a_new_store(log_path: Path) -> None:
    """/lang pinned through one PinStore is read by another (a restart, or another replica)."""
    from bot.store.prefs import PinStore

    first = PinStore(log_path, KEY)
    await first.set(5, "zh")
    first.close()
    second = PinStore(log_path, KEY)
    try:
        assert await second.get(5) == "zh"
    finally:
        second.close()


async def test_review_cli_reads_and_forgets_on_the_server(pg_url: str, tmp_path: Path) -> None:
    """`run.py review stats --json` and `review forget` with BOT_DB_URL set: the server's rows,
    no file beside BOT_DB_PATH, and the password in no output."""
    import json
    import os
    import subprocess
    import sys

    from bot.store.backend import PostgresTarget, SqliteTarget

    path = tmp_path / "log.db"
    use(path, PostgresTarget(pg_url))
    try:
        store = ConversationLog(path, pseudonym_key=KEY)
        await store.start()
        store.log(exchange(id="a", user=1, ts=T0))
        store.log(exchange(id="b", user=2, ts=T0, outcome="declined", intent=None))
        await store.close()
    finally:
        use(path, SqliteTarget(path))
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


async def test_a_server_that_is_down_spills_and_is_imported_later(pg_url: str, tmp_path: Path) -> None:
    """PostgreSQL unreachable at start: replies go on, rows go to the spill file beside the local
    path, admins hear once (without the password); when the server answers, the rows are imported."""
    from bot.errors import StoreError
    from bot.store.backend import PostgresTarget, SqliteTarget
    from bot.testing.postgres import free_port

    path = tmp_path / "log.db"
    password = pg_url.split(":")[2].split("@")[0]
    down = pg_url.rsplit("@", 1)[0] + f"@127.0.0.1:{free_port()}/" + pg_url.rsplit("/", 1)[1]
    alerts: list[str] = []

    async def alert(message: str) -> None:
        alerts.append(message)

    use(path, PostgresTarget(down))
    store = ConversationLog(path, pseudonym_key=KEY, on_alert=alert, retry_interval=0.05, batch_interval=0.01)
    try:
        await store.start()
        store.log(exchange(id="kept", ts=T0))
        await store.flush()
        assert not store.healthy
        assert store.counts.spilled == 1 and store.spill.rows == 1
        with pytest.raises(StoreError):
            await store.forget(1)  # all or nothing: refused while the server is away
        use(path, PostgresTarget(pg_url))  # the server is back
        await store.flush()
        assert healthy(store) and store.counts.imported == 1
        assert rows(path, "SELECT id FROM exchanges") == [("kept",)]
    finally:
        await store.close()
        use(path, SqliteTarget(path))
    assert alerts and all(password not in a for a in alerts)
