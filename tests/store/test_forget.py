"""Erasure is complete or nothing: rows, spill lines and the WAL's copies go together, or none go.

Both entry points run the same code: `ConversationLog.forget` (the bot's /forget, in a worker
thread) and `forget_rows` (`review forget`, on the review's own connection). Every test uses a
real SQLite file in tmp_path and looks at the bytes on disk, not at which function was called.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import pytest

from bot.errors import StoreError
from bot.store.forget import forget_rows
from bot.store.log import ConversationLog
from bot.store.records import exchange_record
from bot.store.spill import SpillFile
from bot.store.sqlite import open_file
from bot.store.store import Store
from tests.store.helpers import KEY, count, exchange, fetch, locked, ps

SECRET = "ZEBRA-7741 my private question"  # the erased user's text: must vanish from every file
KEPT = "OKAPI-3390 someone else's question"  # another user's: must stay (proves the search works)
LONG = "LONG-SECRET " + "x" * 6000  # longer than a page: lives in overflow pages

Erase = Callable[[ConversationLog, Path, int], Awaitable[int]]
Busy = Callable[[Path], contextlib.AbstractContextManager[None]]


async def through_the_bot(log: ConversationLog, db: Path, user: int) -> int:
    """/forget: the log's own method, which flushes and holds the writer's lock."""
    return await log.forget(user)


def beside(db: Path) -> SpillFile:
    """The spill file the store keeps beside `db` (what `review forget` erases too)."""
    return SpillFile(Store.sqlite(db).spill_path, max_rows=0)


async def through_the_review(log: ConversationLog, db: Path, user: int) -> int:
    """`review forget`: forget_rows on a connection of its own, with the store's spill beside the database."""
    await log.flush()
    conn = Store.sqlite(db).connect(create=False)
    try:
        return forget_rows(conn, ps(user), beside(db), timeout=0.3)
    finally:
        conn.close()


ENTRY_POINTS = [
    pytest.param(through_the_bot, id="bot-forget"),
    pytest.param(through_the_review, id="review-forget"),
]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "conversations.sqlite3"


@pytest.fixture
async def log(db: Path) -> AsyncIterator[ConversationLog]:
    """A running log with user 1's secret in the database and in the spill, user 2's text beside."""
    log = ConversationLog(Store.sqlite(db, KEY, busy_timeout=0.05), retry_interval=60.0, erase_timeout=0.3)
    await log.start()
    log.log(exchange(SECRET, id="a1", user=1))
    log.log(exchange(LONG, id="a2", user=1))
    log.log(exchange(KEPT, id="b1", user=2))
    log.log_feedback("b1", 1, -1)  # the user's vote on someone else's exchange
    await log.flush()
    with locked(db):  # two more rows of user 1 land in the spill file
        log.log(exchange(SECRET + " again", id="a3", user=1))
        log.log(exchange(KEPT + " again", id="b2", user=2))
        await log.flush()
    assert log.spill.rows == 2
    yield log
    await log.close()


def file_bytes(db: Path) -> bytes:
    """Everything SQLite keeps of the log on disk: the database, its WAL and its shared memory."""
    parts = [db.with_name(db.name + suffix) for suffix in ("", "-wal", "-shm")]
    return b"".join(p.read_bytes() for p in parts if p.exists())


def spill_text(log: ConversationLog) -> str:
    """Both spill files: the current one and the one a failed import left aside."""
    paths = (log.spill.path, log.spill.importing)
    return "".join(p.read_text(encoding="utf-8") for p in paths if p.exists())


@contextlib.contextmanager
def reading(db: Path, *, release_after: float | None = None) -> Iterator[None]:
    """Hold a read transaction from another connection (a review running a long query), until the
    block ends or, with `release_after`, until that many seconds have passed."""
    conn = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    conn.execute("BEGIN")
    conn.execute("SELECT count(*) FROM exchanges").fetchall()
    timer = None
    if release_after is not None:
        timer = threading.Timer(release_after, lambda: conn.execute("COMMIT"))
        timer.start()
    try:
        yield
    finally:
        if timer is not None:
            timer.join()
        if conn.in_transaction:
            conn.execute("COMMIT")
        conn.close()


@pytest.mark.parametrize("erase", ENTRY_POINTS)
async def test_erased_text_is_gone_from_the_database_wal_and_spill_bytes(
    db: Path, log: ConversationLog, erase: Erase
) -> None:
    assert SECRET.encode() in file_bytes(db)  # before: the text is on disk (else the test proves nothing)

    erased = await erase(log, db, 1)

    assert erased == 4  # a1, a2, a3 (spilled, imported by the flush) and the vote
    on_disk = file_bytes(db)
    assert SECRET.encode() not in on_disk
    assert b"LONG-SECRET" not in on_disk
    assert KEPT.encode() in on_disk  # other users' rows are untouched
    assert db.with_name(db.name + "-wal").stat().st_size == 0  # truncated by the checkpoint
    assert SECRET not in spill_text(log)
    assert fetch(db, "SELECT id FROM exchanges ORDER BY id") == [("b1",), ("b2",)]


async def test_forget_erases_spill_lines_the_database_cannot_take_yet(db: Path, log: ConversationLog) -> None:
    """Spilled rows of a user are erased with the database rows, not imported later."""
    conn = Store.sqlite(db).connect(create=False)
    try:
        # The bot's spill is still there (nobody flushed since the lock): the review erases it too.
        assert SECRET in spill_text(log)
        assert forget_rows(conn, ps(1), beside(db), timeout=0.3) == 4
    finally:
        conn.close()
    assert SECRET not in spill_text(log) and KEPT in spill_text(log)
    await log.flush()  # the bot imports what is left: only the other user's row
    assert fetch(db, "SELECT id FROM exchanges ORDER BY id") == [("b1",), ("b2",)]
    assert SECRET.encode() not in file_bytes(db)


@pytest.mark.parametrize("erase", ENTRY_POINTS)
async def test_a_reader_that_lets_go_in_time_is_waited_for(
    db: Path, log: ConversationLog, erase: Erase
) -> None:
    """A review query holding a snapshot for 0.1 s delays the checkpoint; the erasure still wipes."""
    with reading(db, release_after=0.1):
        erased = await erase(log, db, 1)
    assert erased == 4
    assert SECRET.encode() not in file_bytes(db)


@pytest.mark.parametrize("erase", ENTRY_POINTS)
@pytest.mark.parametrize(
    "busy",
    [
        pytest.param(locked, id="writer-holds-the-lock"),
        pytest.param(reading, id="reader-holds-a-snapshot"),  # longer than the erase timeout
    ],
)
async def test_a_busy_log_means_failure_and_nothing_erased(
    db: Path, log: ConversationLog, erase: Erase, busy: Busy
) -> None:
    """Failure is reported before anything changes: rows and spill lines all still there."""
    with busy(db):
        await log.flush()  # a reader lets the bot import its spill; a writer's lock does not
        rows_before, spill_before = count(db), spill_text(log)
        with pytest.raises(StoreError, match="nothing was erased; try again later"):
            await erase(log, db, 1)
        assert count(db) == rows_before
        assert spill_text(log) == spill_before
    if busy is locked:  # the rows the bot could not write are still in the spill file
        assert SECRET in spill_before and log.spill.rows == 2
    assert SECRET.encode() in file_bytes(db) + spill_before.encode()
    assert await erase(log, db, 1) == 4  # and once the log is free, the same call works


async def test_a_spill_that_cannot_be_rewritten_rolls_the_database_back(
    db: Path, log: ConversationLog
) -> None:
    """The spill is rewritten inside the transaction: if that fails, the delete is undone."""
    await log.flush()
    assert (count(db), count(db, "feedback")) == (5, 1)
    spill = SpillFile(db.parent / "not-a-file", max_rows=10)
    spill.path.mkdir()  # reading it fails with IsADirectoryError
    conn = Store.sqlite(db).connect(create=False)
    try:
        with pytest.raises(StoreError, match="nothing was erased"):
            forget_rows(conn, ps(1), spill, timeout=0.3)
    finally:
        conn.close()
    assert (count(db), count(db, "feedback")) == (5, 1)


def test_review_forget_of_a_stopped_bots_spill_also_cleans_the_file_set_aside(tmp_path: Path) -> None:
    """`review forget` finds the spill beside the database, including a half-done import's file."""
    db = tmp_path / "log.sqlite3"
    open_file(db).close()
    spill = SpillFile(tmp_path / "log.sqlite3.spill.jsonl", max_rows=10)
    mine = exchange_record(exchange(SECRET, id="s1", user=1), KEY.encode())
    theirs = exchange_record(exchange(KEPT, id="s2", user=2), KEY.encode())
    spill.append([mine, theirs])
    spill.take()  # set aside, as an import cut short leaves it
    spill.append([mine | {"id": "s3"}])
    conn = Store.sqlite(db).connect(create=False)
    try:
        assert forget_rows(conn, ps(1), beside(db)) == 2
    finally:
        conn.close()
    left = spill.path.read_text() + spill.importing.read_text()
    assert SECRET not in left and KEPT in left


def test_an_abandoned_rewrite_leaves_the_spill_as_it_was(tmp_path: Path) -> None:
    spill = SpillFile(tmp_path / "s.jsonl", max_rows=10)
    spill.append([{"user_ps": "a"}, {"user_ps": "b"}])
    before = spill.path.read_bytes()
    rewrite = spill.without("a")
    assert rewrite.removed == 1
    rewrite.discard()
    assert spill.path.read_bytes() == before
    assert spill.rows == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.jsonl", "s.jsonl.lock"]  # no copy left
    assert spill.forget("a") == 1  # the lock was released: the next erasure goes through
