"""The store's own SQL on both backends, with the same assertions: a SQLite file in tmp_path and a
fresh database on a real PostgreSQL server (tests/fakes/postgres.py; those cases skip with the
reason when PostgreSQL or psycopg is missing). Nothing here is a mock.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.errors import StoreError
from bot.settings import Settings
from bot.store import inbox
from bot.store.contract import Connection
from bot.store.forget import FORGET_SQL
from bot.store.queries import (
    Period,
    export_rows,
    labelled_confidences,
    stats_rows,
    unanswered_rows,
)
from bot.store.records import exchange_record, format_ts
from bot.store.retention import PURGE_SQL, cutoff
from bot.store.schema import EXCHANGE_OWNED_BY, INSERT_EXCHANGE, MIGRATIONS, SCHEMA_VERSION, UPSERT_FEEDBACK
from bot.store.store import Store
from tests.store.helpers import KEY, T0, exchange, ps

pytest_plugins = ["tests.fakes.postgres"]

BACKENDS = [pytest.param("sqlite", id="sqlite"), pytest.param("postgresql", id="postgresql")]


MakeStore = Callable[[], Store]


@pytest.fixture(params=BACKENDS)
def address(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """One empty database per backend: a fresh database's URL on the server, or a file's path."""
    if request.param == "postgresql":
        url: str = request.getfixturevalue("pg_url")
        return url
    return str(tmp_path / "log.db")


def store_at(address: str) -> Store:
    """The Store the settings name for `address` (BOT_DB_URL for a server, else BOT_DB_PATH)."""
    if "://" in address:
        return Store.from_settings(Settings(db_path=Path("unused.db"), db_url=address, pseudonym_key=KEY))
    return Store.from_settings(Settings(db_path=Path(address), pseudonym_key=KEY))


@pytest.fixture
def make_store(address: str) -> MakeStore:
    """Each call builds the Store from the settings afresh, as another process would."""
    return lambda: store_at(address)


@pytest.fixture
def db(make_store: MakeStore) -> Iterator[Connection]:
    conn = make_store().connect()
    try:
        yield conn
    finally:
        conn.close()


def insert(db: Connection, *exchanges: Any) -> int:
    with db.transaction():
        return db.executemany(INSERT_EXCHANGE, [exchange_record(e, KEY.encode()) for e in exchanges])


def vote(db: Connection, exchange_id: str, user: int, value: int, ts: datetime) -> None:
    row = {
        "exchange_id": exchange_id,
        "user_ps": ps(user),
        "channel": "telegram",
        "value": value,
        "ts": format_ts(ts),
    }
    with db.transaction():
        db.execute(UPSERT_FEEDBACK, row)


def scalar(db: Connection, sql: str, params: Any = ()) -> Any:
    return db.execute(sql, params).fetchone()[0]


# ---- schema ---------------------------------------------------------------------------------------


def test_a_new_database_is_migrated_to_the_newest_version(db: Connection) -> None:
    """connect() creates every table of MIGRATIONS and records the newest version."""
    assert db.schema_version() == SCHEMA_VERSION == len(MIGRATIONS)
    for table in ("exchanges", "feedback", "inbox"):
        assert scalar(db, f"SELECT count(*) FROM {table}") == 0


def test_replicas_starting_together_migrate_once(make_store: MakeStore) -> None:
    """Six connections opened at the same moment: none fails, the schema is built once."""
    errors: list[BaseException] = []
    start = threading.Barrier(6)

    def replica() -> None:
        start.wait()
        try:
            make_store().connect().close()
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=replica) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    db = make_store().connect()
    try:
        assert db.schema_version() == SCHEMA_VERSION
    finally:
        db.close()


def test_a_newer_schema_is_refused_with_a_sentence(db: Connection, make_store: MakeStore) -> None:
    """A database from a newer bot is refused (not migrated down, not used)."""
    if not make_store().shared:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    else:
        db.execute("UPDATE bot_schema SET version = ?", (SCHEMA_VERSION + 1,))
    with pytest.raises(StoreError, match="newer than this bot knows"):
        make_store().connect()


def test_postgresql_errors_never_show_the_password(pg_server: str) -> None:
    """A refused connection names the server with *** for the password."""
    bad = pg_server.replace("postgres:", "postgres:wrong", 1).rsplit("/", 1)[0] + "/nodb"
    with pytest.raises(StoreError) as caught:
        Store.from_settings(Settings(db_url=bad, pseudonym_key=KEY)).connect()
    assert "wrong" not in str(caught.value)
    assert "***" in str(caught.value)


# ---- the log's statements ---------------------------------------------------------------------------


def test_an_exchange_written_twice_is_stored_once(db: Connection) -> None:
    """INSERT_EXCHANGE ignores a second copy of the same id (a spill import after a commit)."""
    row = exchange(id="x1", ts=T0)
    assert insert(db, row) == 1
    assert insert(db, row) == 0
    assert scalar(db, "SELECT count(*) FROM exchanges") == 1
    assert db.execute(EXCHANGE_OWNED_BY, ("x1", ps(111111111))).fetchone() is not None
    assert db.execute(EXCHANGE_OWNED_BY, ("x1", ps(222))).fetchone() is None


def test_large_telegram_ids_and_unicode_survive(db: Connection) -> None:
    """A supergroup-sized update id and Chinese text round-trip unchanged."""
    insert(db, exchange(id="x2", text="签约日期是什么时候？", ts=T0))
    with db.transaction():
        db.execute(inbox.INSERT, (2**40 + 7, "chat", "{}", "t", "t"))
    assert scalar(db, "SELECT text FROM exchanges WHERE id = ?", ("x2",)) == "签约日期是什么时候？"
    assert scalar(db, "SELECT update_id FROM inbox") == 2**40 + 7


@pytest.mark.parametrize(
    ("votes", "expected"),
    [
        pytest.param([(1, 0), (-1, 1)], -1, id="later-vote-replaces"),
        # a vote imported late from the spill file is older than the stored one: it loses
        pytest.param([(1, 1), (-1, 0)], 1, id="stale-vote-ignored"),
    ],
)
def test_one_vote_per_exchange_and_user(db: Connection, votes: list[tuple[int, int]], expected: int) -> None:
    """UPSERT_FEEDBACK keeps the newest vote of each user on each exchange."""
    insert(db, exchange(id="x1", ts=T0))
    for value, minutes in votes:
        vote(db, "x1", 111111111, value, T0 + timedelta(minutes=minutes))
    assert db.execute("SELECT value FROM feedback").fetchall() == [(expected,)]


def test_forget_erases_one_user_and_only_them(db: Connection) -> None:
    """FORGET_SQL removes the user's exchanges, their votes and votes on their exchanges."""
    insert(db, exchange(id="a", user=1, ts=T0), exchange(id="b", user=2, ts=T0))
    vote(db, "a", 1, 1, T0)
    vote(db, "b", 2, -1, T0)
    with db.transaction():  # an update notice under way to both (bot.telegram.press.sender)
        for user in (1, 2):
            db.execute(
                "INSERT INTO press_deliveries (notice_id, user_ps, state) VALUES (7, ?, 'pending')",
                (ps(user),),
            )
    with db.transaction():
        erased = sum(db.execute(sql, {"ps": ps(1)}).rowcount for sql in FORGET_SQL)
    assert erased == 3
    assert db.execute("SELECT id FROM exchanges").fetchall() == [("b",)]
    assert db.execute("SELECT exchange_id FROM feedback").fetchall() == [("b",)]
    assert db.execute("SELECT user_ps FROM press_deliveries").fetchall() == [(ps(2),)]


def test_retention_purges_rows_before_the_cutoff(db: Connection) -> None:
    """PURGE_SQL erases exchanges (and their votes) older than the cutoff; a row at it stays."""
    now = T0 + timedelta(days=200)
    edge = now - timedelta(days=180)
    insert(db, exchange(id="old", ts=T0), exchange(id="edge", ts=edge), exchange(id="new", ts=now))
    vote(db, "old", 111111111, 1, now)
    with db.transaction():
        purged = sum(db.execute(sql, {"cutoff": cutoff(now, 180)}).rowcount for sql in PURGE_SQL)
    assert purged == 2
    assert [r[0] for r in db.execute("SELECT id FROM exchanges ORDER BY id").fetchall()] == ["edge", "new"]


def test_inbox_statements(db: Connection) -> None:
    """The inbox: an update stored once, sends only grow, done erases the raw update."""
    with db.transaction():
        first = db.execute(inbox.INSERT, (10, "c", '{"u": 10}', "t0", "t0")).rowcount
        again = db.execute(inbox.INSERT, (10, "c", '{"u": 10}', "t0", "t0")).rowcount
        db.execute(inbox.MARK_SENT, (2, "t1", 10))
        db.execute(inbox.MARK_SENT, (1, "t2", 10))  # an older count does not lower it
    assert (first, again) == (1, 0)
    assert db.execute(inbox.UNFINISHED).fetchall() == [(10, "c", '{"u": 10}', 2, 0)]
    with db.transaction():
        db.executemany(inbox.MARK_DONE, inbox.done_records([10], "t3"))
    assert db.execute(inbox.UNFINISHED).fetchall() == []
    assert dict(db.execute(inbox.COUNTS).fetchall()) == {"done": 1}
    assert scalar(db, "SELECT raw FROM inbox WHERE update_id = 10") is None


# ---- the review's queries ---------------------------------------------------------------------------


def seed_review(db: Connection) -> None:
    insert(
        db,
        exchange(id="1", user=1, ts=T0, lang="en", confidence=0.9),
        exchange(
            id="2",
            user=2,
            ts=T0 + timedelta(hours=1),
            lang="de",
            outcome="declined",
            intent=None,
            confidence=None,
            text="Wer?",
        ),
        exchange(id="3", user=2, ts=T0 + timedelta(days=1), lang="zh", confidence=0.4, text="什么时候签约？"),
        exchange(id="4", user=3, ts=T0 + timedelta(days=1), lang="en", outcome="suggested", confidence=0.3),
        exchange(id="5", user=3, ts=T0 + timedelta(days=1), kind="command", outcome="answered", text="/help"),
    )
    vote(db, "1", 1, 1, T0)
    vote(db, "3", 2, -1, T0 + timedelta(days=1))


def test_stats_are_the_same_on_both(db: Connection) -> None:
    """stats_rows counts kinds, users, outcomes, languages, days, intents, latencies, votes."""
    seed_review(db)
    stats = stats_rows(db, Period())
    assert stats.kinds == {"message": 4, "command": 1}
    assert stats.users == 3
    assert stats.outcomes == {"answered": 2, "declined": 1, "suggested": 1}
    assert stats.languages == [("en", 2, 1), ("de", 1, 0), ("zh", 1, 1)]
    assert stats.days == [("2024-06-25", 2, 1, 2), ("2024-06-26", 2, 1, 2)]
    assert stats.top_intents == [("signing_date", 2)]
    assert stats.latencies == [12.5] * 5
    assert stats.votes == {1: 1, -1: 1}
    day_two = Period(since=T0 + timedelta(days=1), until=T0 + timedelta(days=2))
    assert stats_rows(db, day_two).users == 2


def test_unanswered_export_and_threshold_are_the_same_on_both(db: Connection) -> None:
    """The to-do list, the export and the rated confidences read the same rows on both."""
    seed_review(db)
    todo = unanswered_rows(db, Period(), below=0.5)
    assert [(r.text, r.outcome, r.net_votes) for r in todo] == [
        ("Wer?", "declined", 0),
        ("什么时候签约？", "answered", -1),
        ("When was it signed?", "suggested", 0),
    ]
    exported = list(export_rows(db, Period()))
    assert [(row[0], row[-1]) for row in exported] == [
        ("1", 1),
        ("2", None),
        ("3", -1),
        ("4", None),
        ("5", None),
    ]
    assert sorted(labelled_confidences(db, Period())) == [(0.4, True), (0.9, False)]


# ---- async -----------------------------------------------------------------------------------------


async def test_async_connection_writes_in_one_transaction(make_store: MakeStore) -> None:
    """connect_async: a transaction that fails leaves nothing; one that ends is committed."""
    db = await make_store().connect_async()
    try:
        record = exchange_record(exchange(id="a1", ts=T0), KEY.encode())
        with pytest.raises(RuntimeError):
            async with db.transaction():
                await db.executemany(INSERT_EXCHANGE, [record])
                raise RuntimeError("rolled back")
        assert await db.fetchone("SELECT count(*) FROM exchanges") == (0,)
        async with db.transaction():
            assert await db.executemany(INSERT_EXCHANGE, [record, record]) == 1
        assert await db.fetchall("SELECT id FROM exchanges WHERE ts >= ?", (format_ts(T0),)) == [("a1",)]
        assert await db.execute("PRAGMA secure_delete = ON") >= 0
    finally:
        await db.close()


def test_timestamps_sort_as_text_on_both(db: Connection) -> None:
    """format_ts text order is time order on both (PostgreSQL's database uses the C collation)."""
    stamps = [datetime(2024, 6, 25, 9, 0, s, tzinfo=UTC) for s in (3, 1, 2)]
    insert(db, *(exchange(id=f"t{i}", ts=ts) for i, ts in enumerate(stamps)))
    assert [r[0] for r in db.execute("SELECT id FROM exchanges ORDER BY ts").fetchall()] == ["t1", "t2", "t0"]
