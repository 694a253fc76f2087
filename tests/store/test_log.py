"""The conversation log on real SQLite files: schema, batching writer, faults, privacy."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import sqlite3
import stat
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.errors import StoreError
from bot.store.log import SCHEMA_VERSION, ConversationLog, Exchange, exchange_record
from bot.store.pseudonym import key_path, load_key
from bot.store.schema import MIGRATIONS
from bot.store.spill import SpillFile
from bot.store.sqlite import describe_fault, migrate, open_file, schema_version
from bot.store.store import Store
from tests.store.helpers import KEY, T0, count, exchange, fetch, locked, ps, read_only

MakeLog = Callable[..., Awaitable[ConversationLog]]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "conversations.sqlite3"


@pytest.fixture
async def make_log(db: Path) -> AsyncIterator[MakeLog]:
    """Start logs on `db` (fast fault settings: retries only when a test flushes); close them."""
    made: list[ConversationLog] = []

    async def make(**options: Any) -> ConversationLog:
        settings: dict[str, Any] = {"retry_interval": 60.0, "erase_timeout": 0.2}
        busy_timeout = options.pop("busy_timeout", 0.05)
        settings.update(options)
        log = ConversationLog(Store.sqlite(db, KEY, busy_timeout=busy_timeout), **settings)
        await log.start()
        made.append(log)
        return log

    yield make
    for log in made:
        await log.close()


class Alerts:
    """An on_alert that records what admins would have been told."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    async def __call__(self, message: str) -> None:
        self.messages.append(message)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# ---- schema and migrations ------------------------------------------------------------------


def test_new_database_is_wal_at_newest_version_mode_600(db: Path) -> None:
    conn = open_file(db)
    try:
        assert schema_version(conn) == SCHEMA_VERSION == len(MIGRATIONS)
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        indexes = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    finally:
        conn.close()
    assert tables == {
        "exchanges",
        "feedback",
        "press_tickets",
        "press_subscriptions",
        "press_notices",
        "prefs",
        "inbox",
        "chat_state",  # migration 8: used by replicas sharing PostgreSQL only (bot.store.chat_state)
        "console_links",  # migration 9: the review console (bot.store.console)
        "console_sessions",
        "console_actions",
        "console_days",
        "press_deliveries",  # migration 10: each subscriber's delivery of an update notice
        "press_handoffs",  # migration 11: the review console's hand-offs to the press office
        "sqlite_sequence",
    }
    assert {"exchanges_ts", "exchanges_outcome_ts", "exchanges_user", "feedback_ts"} <= indexes
    assert mode(db) == 0o600


@pytest.mark.parametrize("version", range(SCHEMA_VERSION), ids=lambda v: f"from-v{v}")
async def test_start_migrates_each_older_version_and_keeps_rows(
    db: Path, version: int, make_log: MakeLog
) -> None:
    """A database left at any older version is brought up to date; its rows survive."""
    db.parent.mkdir(parents=True)
    conn = sqlite3.connect(db, isolation_level=None)
    assert migrate(conn, db, target=version) == version
    if version >= 1:  # v1 has exchanges, without lang_pinned
        conn.execute(
            "INSERT INTO exchanges (id, ts, channel, user_ps, chat_ps, chat_type, kind, text, "
            "reply, lang, intent, confidence, outcome, latency_ms) VALUES ('old', "
            "'2024-06-20T00:00:00.000000Z', 'telegram', 'abc', 'abc', 'private', 'message', "
            "'hi', 'hello', 'en', 'greeting', 1.0, 'smalltalk', 3.0)"
        )
    conn.close()

    log = await make_log()
    log.log(exchange(id="new", lang_pinned="de"))
    log.log_feedback("new", 111111111, 1)
    await log.flush()

    assert fetch(db, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    expected = [("new", "de")] + ([("old", None)] if version >= 1 else [])
    assert fetch(db, "SELECT id, lang_pinned FROM exchanges ORDER BY id") == expected
    assert fetch(db, "SELECT exchange_id, value FROM feedback") == [("new", 1)]


def test_migration_steps_each_leave_the_version_they_claim(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "steps.sqlite3", isolation_level=None)
    try:
        for target in range(SCHEMA_VERSION + 1):
            migrate(conn, tmp_path, target=target)
            assert schema_version(conn) == target
    finally:
        conn.close()


async def test_newer_schema_is_refused_with_a_sentence(db: Path) -> None:
    db.parent.mkdir(parents=True)
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    log = ConversationLog(Store.sqlite(db, KEY))
    with pytest.raises(StoreError, match=r"newer than this bot knows .*update the bot"):
        await log.start()
    await log.close()


async def test_a_file_that_is_not_a_database_is_refused(db: Path) -> None:
    db.parent.mkdir(parents=True)
    db.write_bytes(b"this is not sqlite" * 100)
    log = ConversationLog(Store.sqlite(db, KEY))
    with pytest.raises(StoreError, match="not a SQLite database"):
        await log.start()
    await log.close()


def test_review_open_does_not_create_a_missing_log(db: Path) -> None:
    with pytest.raises(StoreError, match="no conversation log here"):
        open_file(db, create=False)
    assert not db.exists()


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        pytest.param(sqlite3.OperationalError("database is locked"), "locked", id="locked"),
        pytest.param(
            sqlite3.OperationalError("attempt to write a readonly database"),
            "read-only",
            id="read-only",
        ),
        pytest.param(sqlite3.OperationalError("database or disk is full"), "full", id="full"),
        pytest.param(sqlite3.OperationalError("disk I/O error"), "io", id="io"),
        pytest.param(sqlite3.OperationalError("unable to open database file"), "cannot-open", id="open"),
        pytest.param(OSError("odd"), "OSError", id="other"),
    ],
)
def test_faults_are_grouped_into_kinds(error: Exception, kind: str) -> None:
    """Admins hear once per kind, so the kind must not depend on details of the message."""
    assert describe_fault(error)[0] == kind


# ---- the writer -----------------------------------------------------------------------------


async def test_many_concurrent_writers_go_through_one_batching_writer(db: Path, make_log: MakeLog) -> None:
    log = await make_log()

    async def user(n: int) -> None:
        for i in range(50):
            log.log(exchange(f"question {i} from {n}", user=5000 + n, id=f"u{n}-{i}"))
            if i % 10 == 0:
                log.log_feedback(f"u{n}-{i}", 5000 + n, 1 if n % 2 else -1)
            await asyncio.sleep(0)

    await asyncio.gather(*(user(n) for n in range(40)))
    await log.flush()

    assert count(db) == 2000
    assert count(db, "feedback") == 200
    assert log.counts.written == 2200
    assert (log.counts.spilled, log.counts.lost) == (0, 0)
    assert log.counts.batches <= 22  # batched: hundreds of rows per transaction, not one each
    assert fetch(db, "SELECT count(DISTINCT user_ps) FROM exchanges") == [(40,)]


async def test_each_batch_is_one_transaction_of_at_most_batch_max_rows(make_log: MakeLog) -> None:
    log = await make_log(batch_max=100)
    for i in range(1000):
        log.log(exchange(id=f"r{i}"))
    await log.flush()
    assert (log.counts.written, log.counts.batches) == (1000, 10)


async def test_rows_are_written_after_the_batch_interval_without_a_flush(db: Path, make_log: MakeLog) -> None:
    log = await make_log(batch_interval=0.02)
    log.log(exchange())
    deadline = time.monotonic() + 5
    while log.counts.written == 0 and time.monotonic() < deadline:
        await asyncio.sleep(0.01)
    assert count(db) == 1


async def test_close_writes_what_is_still_queued(db: Path) -> None:
    log = ConversationLog(Store.sqlite(db, KEY), batch_interval=10.0)
    await log.start()
    for i in range(7):
        log.log(exchange(id=f"q{i}"))
    await log.close()
    assert count(db) == 7
    assert log.counts.written == 7


async def test_rows_logged_before_start_and_after_close_are_kept(db: Path) -> None:
    """Before start they wait in the queue; after close they go to the spill for the next start."""
    first = ConversationLog(Store.sqlite(db, KEY))
    first.log(exchange(id="early"))
    await first.start()
    await first.close()
    first.log(exchange(id="late"))
    assert (first.counts.written, first.counts.spilled) == (1, 1)

    second = ConversationLog(Store.sqlite(db, KEY))
    await second.start()
    await second.flush()
    await second.close()
    assert second.counts.imported == 1
    assert fetch(db, "SELECT id FROM exchanges ORDER BY id") == [("early",), ("late",)]


async def test_a_full_queue_spills_instead_of_blocking(db: Path, make_log: MakeLog) -> None:
    log = await make_log(queue_max=5)
    for i in range(12):  # no await in between: the writer cannot drain the queue
        log.log(exchange(id=f"q{i:02}"))
    assert (log.counts.spilled, log.counts.lost) == (7, 0)
    await log.flush()
    assert count(db) == 12
    assert (log.counts.written, log.counts.imported) == (5, 7)


async def test_log_never_raises_on_a_bad_exchange(make_log: MakeLog) -> None:
    log = await make_log()
    bad = Exchange(
        channel="telegram",
        user_id=1,
        chat_id=1,
        chat_type="private",
        kind="message",
        lang=None,
        lang_pinned=None,
        text="x",
        reply="y",
        intent=None,
        confidence=None,
        outcome="other",
        latency_ms=None,
        ts="yesterday",  # type: ignore[arg-type]
    )
    log.log(bad)
    log.log_feedback("e1", 1, 0)  # neither +1 nor -1: ignored with a warning
    await log.flush()
    assert (log.counts.written, log.counts.lost) == (0, 1)


async def test_a_later_vote_replaces_the_earlier_one(db: Path, make_log: MakeLog) -> None:
    log = await make_log()
    log.log(exchange(id="e1"))
    log.log_feedback("e1", 42, 1)
    await log.flush()
    log.log_feedback("e1", 42, -1)
    log.log_feedback("e1", 43, 1)
    await log.flush()
    assert fetch(db, "SELECT user_ps, value FROM feedback ORDER BY value") == [
        (ps(42), -1),
        (ps(43), 1),
    ]


async def test_text_with_lone_surrogates_is_stored_not_stalled(db: Path, make_log: MakeLog) -> None:
    log = await make_log()
    log.log(exchange("broken \ud800 text"))
    await log.flush()
    assert fetch(db, "SELECT text FROM exchanges") == [("broken ? text",)]


# ---- faults: spill, recovery, counts, alerts -------------------------------------------------


async def test_locked_database_spills_alerts_once_and_imports_on_recovery(
    db: Path, make_log: MakeLog
) -> None:
    alerts = Alerts()
    log = await make_log(on_alert=alerts)
    log.log(exchange(id="before"))
    await log.flush()
    with locked(db):
        for i in range(5):
            log.log(exchange(id=f"locked{i}"))
        await log.flush()
        log.log(exchange(id="still-locked"))
        await log.flush()  # a second failed retry must not alert again
        assert (log.healthy, count(db)) == (False, 1)
        assert (log.counts.written, log.counts.spilled, log.counts.lost) == (1, 6, 0)
    await log.flush()

    assert (log.healthy, count(db)) == (True, 7)
    assert (log.counts.imported, log.counts.lost) == (6, 0)
    assert not log.spill.path.exists() and log.spill.rows == 0
    cannot = (
        f"conversation log cannot write: {db}: database is locked; replies continue, "
        f"rows spill to {log.spill.path}"
    )
    assert alerts.messages == [
        cannot,
        f"conversation log writes again to {db}; 6 rows waited in the spill and were imported, 0 lost",
    ]
    # A second outage is told again, with its own figures (not the first one's).
    with locked(db):
        log.log(exchange(id="again0"))
        log.log(exchange(id="again1"))
        await log.flush()
    await log.flush()
    assert count(db) == 9
    assert alerts.messages[2:] == [
        cannot,
        f"conversation log writes again to {db}; 2 rows waited in the spill and were imported, 0 lost",
    ]


async def test_the_writer_retries_on_its_own(db: Path, make_log: MakeLog) -> None:
    log = await make_log(retry_interval=0.02, retry_max=0.05)
    await log.flush()
    with locked(db):
        log.log(exchange())
        await log.flush()
        assert log.counts.spilled == 1
    deadline = time.monotonic() + 5
    while log.counts.imported == 0 and time.monotonic() < deadline:
        await asyncio.sleep(0.01)
    assert (log.counts.imported, count(db)) == (1, 1)


async def test_read_only_file_spills_until_writable(db: Path, make_log: MakeLog) -> None:
    first = ConversationLog(Store.sqlite(db, KEY))
    await first.start()
    await first.close()
    alerts = Alerts()
    with read_only(db):
        log = await make_log(on_alert=alerts)
        for i in range(3):
            log.log(exchange(id=f"ro{i}"))
        await log.flush()
        assert (log.counts.written, log.counts.spilled) == (0, 3)
        assert count(db) == 0
    await log.flush()
    assert count(db) == 3
    assert log.counts.imported == 3
    assert "read-only" in alerts.messages[0]
    assert alerts.messages[0].endswith(f"replies continue, rows spill to {log.spill.path}")


@pytest.mark.parametrize("what", ["file", "folder"])
async def test_deleted_database_is_started_anew_and_admins_told(
    db: Path, make_log: MakeLog, what: str
) -> None:
    alerts = Alerts()
    log = await make_log(on_alert=alerts)
    log.log(exchange(id="gone"))
    await log.flush()
    if what == "file":
        db.unlink()
    else:
        shutil.rmtree(db.parent)
    log.log(exchange(id="after"))
    await log.flush()

    assert fetch(db, "SELECT id FROM exchanges") == [("after",)]
    assert mode(db) == 0o600
    assert (log.counts.written, log.counts.lost) == (2, 0)
    assert alerts.messages == [
        f"conversation log {db} was deleted or replaced; a new one was started in its place"
    ]


async def test_past_the_spill_bound_rows_are_counted_lost(db: Path, make_log: MakeLog) -> None:
    alerts = Alerts()
    log = await make_log(on_alert=alerts, spill_max_rows=3)
    await log.flush()
    with locked(db):
        for i in range(5):
            log.log(exchange(id=f"x{i}"))
        await log.flush()
    assert (log.counts.spilled, log.counts.lost) == (3, 2)
    await log.flush()
    assert (log.counts.imported, count(db)) == (3, 3)
    assert any("losing rows" in m and "2 rows lost, 0 to be logged again" in m for m in alerts.messages)


async def test_spill_from_an_earlier_run_is_imported_at_start(db: Path, make_log: MakeLog) -> None:
    """Unreadable lines are skipped and counted lost; the rest arrive once."""
    first = await make_log()
    with locked(db):
        first.log(exchange(id="s1"))
        first.log(exchange(id="s2"))
        await first.close()  # its last retry fails too: the rows stay in the spill
    with first.spill.path.open("a") as handle:
        handle.write("{truncated\n")

    second = await make_log()
    await second.flush()
    assert fetch(db, "SELECT id FROM exchanges ORDER BY id") == [("s1",), ("s2",)]
    assert (second.counts.imported, second.counts.lost) == (2, 1)


async def test_an_admin_who_cannot_be_reached_does_not_stop_the_log(db: Path, make_log: MakeLog) -> None:
    async def broken(message: str) -> None:
        raise ConnectionError("telegram is down")

    log = await make_log(on_alert=broken)
    await log.flush()
    with locked(db):
        log.log(exchange())
        await log.flush()
    await log.flush()
    assert count(db) == 1


BUSY_S = 4.0  # the writer's busy timeout in the test below


async def test_logging_stays_fast_while_the_database_is_locked(db: Path, make_log: MakeLog) -> None:
    """log() returns at once whatever the writer is doing: replies are never held up. (1,000
    calls take well under one busy timeout, the least a call that waited on the lock would take;
    not a timed target: a busy machine only moves it within that margin.)"""
    log = await make_log(busy_timeout=BUSY_S)
    await log.flush()
    with locked(db):
        log.log(exchange(id="first"))
        await asyncio.sleep(0.15)  # the writer is now waiting on the lock (in its own thread)
        started = time.perf_counter()
        for i in range(1000):
            log.log(exchange(id=f"n{i}"))
        await asyncio.sleep(0)
        elapsed = time.perf_counter() - started
    assert elapsed < BUSY_S / 2
    await log.flush()
    assert count(db) == 1001


# ---- privacy --------------------------------------------------------------------------------


async def test_no_raw_id_reaches_any_column_or_the_spill(db: Path, make_log: MakeLog) -> None:
    raw: list[int | str] = [987654321, -1001234567890, "console-user-7"]
    log = await make_log()
    log.log(exchange(user=raw[0], chat=raw[1], chat_type="supergroup", id="tg"))
    log.log(exchange(user=raw[2], channel="console", chat_type="console", id="con"))
    log.log_feedback("tg", raw[0], 1)
    await log.flush()
    with locked(db):
        log.log(exchange(user=raw[0], chat=raw[1], id="spilled"))
        await log.flush()
        spill_text = log.spill.path.read_text()
    await log.flush()

    cells = [
        str(cell)
        for table in ("exchanges", "feedback")
        for row in fetch(db, f"SELECT * FROM {table}")
        for cell in row
    ]
    for value in raw:
        assert not any(str(value).lstrip("-") in cell for cell in cells)
        assert str(value).lstrip("-") not in spill_text
    assert fetch(db, "SELECT user_ps, chat_ps FROM exchanges WHERE id = 'tg'") == [(ps(raw[0]), ps(raw[1]))]
    assert ps(raw[2], channel="console") != ps(raw[2])  # channels never share a pseudonym


def test_key_file_is_made_once_beside_the_database_mode_600(db: Path) -> None:
    first = load_key(db, None)
    assert load_key(db, None) == first
    assert mode(key_path(db)) == 0o600
    assert key_path(db).parent == db.parent
    assert load_key(db, "from-the-environment") == b"from-the-environment"
    assert load_key(db.with_name("other.sqlite3"), None, create=False) is None


async def test_database_wal_and_spill_files_are_mode_600(db: Path, make_log: MakeLog) -> None:
    log = await make_log()
    log.log(exchange())
    await log.flush()
    with locked(db):
        log.log(exchange())
        await log.flush()
        assert mode(log.spill.path) == 0o600
    log.log(exchange())
    await log.flush()  # reconnected: -wal and -shm exist again
    for suffix in ("", "-wal", "-shm"):
        assert mode(db.with_name(db.name + suffix)) == 0o600


async def test_forget_erases_a_users_rows_everywhere(db: Path, make_log: MakeLog) -> None:
    """Database rows, votes on and by the user, queued rows and spilled rows all go."""
    log = await make_log()
    log.log(exchange(id="a1", user=1))
    log.log(exchange(id="b1", user=2))
    log.log_feedback("a1", 2, 1)  # someone else's vote on the user's exchange
    log.log_feedback("b1", 1, -1)  # the user's vote on someone else's exchange
    await log.flush()
    with locked(db):
        log.log(exchange(id="a2", user=1))
        await log.flush()
    log.spill.append([exchange_record(exchange(id="a3", user=1), KEY.encode())])  # another run's
    log.log(exchange(id="a4", user=1))  # still queued

    erased = await log.forget(1)

    assert erased == 6  # a1 to a4 and two votes
    assert fetch(db, "SELECT id FROM exchanges") == [("b1",)]
    assert count(db, "feedback") == 0
    assert log.spill.rows == 0
    assert await log.forget(1) == 0


async def test_forget_while_the_database_is_locked_says_so(db: Path, make_log: MakeLog) -> None:
    log = await make_log()
    await log.flush()
    with locked(db), pytest.raises(StoreError, match="try again later"):
        await log.forget(1)


@pytest.mark.parametrize(
    ("age", "kept"),
    [
        pytest.param(timedelta(days=0), True, id="today"),
        pytest.param(timedelta(days=29, hours=23), True, id="just-inside"),
        pytest.param(timedelta(days=30), True, id="exactly-the-limit"),  # cutoff is exclusive
        pytest.param(timedelta(days=30, seconds=1), False, id="one-second-too-old"),
        pytest.param(timedelta(days=400), False, id="ancient"),
    ],
)
async def test_retention_purges_rows_older_than_the_limit(
    db: Path, make_log: MakeLog, age: timedelta, kept: bool
) -> None:
    log = await make_log(retention_days=30)
    log.log(exchange(id="row", ts=T0 - age))
    log.log_feedback("row", 7, 1)
    await log.flush()
    purged = await log.purge_expired(now=T0)
    assert (count(db), count(db, "feedback"), purged) == ((1, 1, 0) if kept else (0, 0, 2))


def test_spill_file_is_bounded_json_lines_that_survive_a_restart(tmp_path: Path) -> None:
    spill = SpillFile(tmp_path / "s.jsonl", max_rows=2)
    assert spill.append([{"t": "exchange", "user_ps": "x"}] * 3) == 2
    lines = (tmp_path / "s.jsonl").read_text().splitlines()
    assert [json.loads(line) for line in lines] == [{"t": "exchange", "user_ps": "x"}] * 2
    assert SpillFile(tmp_path / "s.jsonl", max_rows=2).rows == 2  # the count survives a restart
    assert os.stat(tmp_path / "s.jsonl").st_mode & 0o077 == 0


def test_spill_forget_removes_only_that_users_lines(tmp_path: Path) -> None:
    """`review forget` filters a spill left by a stopped bot, including one set aside to import."""
    spill = SpillFile(tmp_path / "s.jsonl", max_rows=10)
    spill.append([{"user_ps": "a"}, {"user_ps": "b"}])
    spill.take()  # moved aside, as an import that failed would leave it
    spill.append([{"user_ps": "a"}, {"user_ps": "c"}])
    assert spill.forget("a") == 2
    assert spill.rows == 2
    records, bad = spill.take()
    assert (records, bad) == ([{"user_ps": "b"}], 0)
