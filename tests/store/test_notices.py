"""Update notices' deliveries in the store, on both backends (a SQLite file and a fresh PostgreSQL
database; those cases skip with the reason when PostgreSQL is missing): planned once, each settled
once, resumed where a crash left them, one sender at a time, counted at the end."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.store import press as db
from bot.store.contract import Connection
from bot.store.sqlite import migrate
from bot.store.store import Store
from tests.store.test_backends import BACKENDS, store_at

pytest_plugins = ["tests.fakes.postgres"]

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
NEW = {"de": "neu-de", "en": "neu-en", "zh": "neu-zh"}  # the answer's new fingerprints per language
BIG_CHAT = 2**40  # Telegram ids pass 2^31


@pytest.fixture(params=BACKENDS)
def conn(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Connection]:
    address = request.getfixturevalue("pg_url") if request.param == "postgresql" else str(tmp_path / "n.db")
    c = store_at(address).connect()
    try:
        yield c
    finally:
        c.close()


def subscribe(conn: Connection, n: int, *, lang: str = "en", seen: str = "old", days: int = 30) -> str:
    user = f"ps-{n:04d}"
    db.subscribe(
        conn,
        user_ps=user,
        intent="signing_date",
        chat_id=BIG_CHAT + n,
        lang=lang,
        digest=seen,
        now=NOW,
        days=days,
    )
    return user


def confirmed_notice(conn: Connection) -> int:
    notice = db.ask_notice(conn, "signing_date", "all-new", NOW)
    assert notice is not None
    assert db.resolve_notice(conn, notice, "sent", admin_chat_id=900, admin_message_id=77) is not None
    return notice


def test_deliveries_are_planned_once_for_the_subscribers_whose_answer_changed(conn: Connection) -> None:
    """One pending delivery per live subscriber not yet told of the new answer in their language;
    planning again (a resume) adds nobody, even a subscriber who came since."""
    waiting = [subscribe(conn, n, lang=lang) for n, lang in enumerate(("en", "de", "zh"))]
    subscribe(conn, 10, seen=NEW["en"])  # told of this answer already
    subscribe(conn, 11, days=-1)  # expired
    notice = confirmed_notice(conn)
    assert db.plan_deliveries(conn, notice, NEW, NOW) == 3
    subscribe(conn, 12)  # subscribed after Send: not part of this notice
    assert db.plan_deliveries(conn, notice, NEW, NOW) == 3
    pending = db.pending_deliveries(conn, notice, NOW, 100)
    assert sorted(d.user_ps for d in pending) == waiting
    assert {d.chat_id for d in pending} == {BIG_CHAT, BIG_CHAT + 1, BIG_CHAT + 2}
    assert db.notice_progress(conn, notice) == db.Progress(total=3, pending=3)
    [run] = db.unfinished_notices(conn)
    assert (run.id, run.admin_chat_id, run.admin_message_id, run.total) == (notice, 900, 77, 3)


def test_a_resume_sends_only_what_was_not_recorded_sent(conn: Connection) -> None:
    """Four of ten recorded sent, then the sender is gone (a crash): a new connection finds the
    other six pending; each delivery is settled once, and its subscription moves on with it."""
    users = [subscribe(conn, n) for n in range(10)]
    notice = confirmed_notice(conn)
    db.plan_deliveries(conn, notice, NEW, NOW)
    for user in users[:4]:
        assert db.settle_delivery(conn, notice, user, "sent", NOW, told=("signing_date", NEW["en"]))
    assert not db.settle_delivery(conn, notice, users[0], "sent", NOW)  # settled once only
    left = db.pending_deliveries(conn, notice, NOW, 100)
    assert [d.user_ps for d in left] == users[4:]
    seen = dict(conn.execute("SELECT user_ps, answer_hash FROM press_subscriptions").fetchall())
    assert [seen[u] for u in users] == [NEW["en"]] * 4 + ["old"] * 6
    assert db.notice_progress(conn, notice) == db.Progress(total=10, sent=4, pending=6)


@pytest.mark.parametrize(
    ("failures", "state"),
    [
        pytest.param(1, "pending", id="one-network-failure-tries-again"),
        pytest.param(3, "failed", id="three-failures-give-up"),
    ],
)
def test_network_failures_retry_a_delivery_then_give_up(conn: Connection, failures: int, state: str) -> None:
    user = subscribe(conn, 1)
    notice = confirmed_notice(conn)
    db.plan_deliveries(conn, notice, NEW, NOW)
    for _ in range(failures):
        db.retry_delivery(conn, notice, user, NOW, max_attempts=3)
    row = conn.execute("SELECT state, attempts FROM press_deliveries").fetchone()
    assert tuple(row) == (state, failures)


def test_an_unsubscribed_subscriber_has_no_chat_to_send_to(conn: Connection) -> None:
    """/unsubscribe (or /forget) after Send: the delivery is there, its chat id is not."""
    user = subscribe(conn, 1)
    notice = confirmed_notice(conn)
    db.plan_deliveries(conn, notice, NEW, NOW)
    db.unsubscribe(conn, user)
    [delivery] = db.pending_deliveries(conn, notice, NOW, 10)
    assert (delivery.user_ps, delivery.chat_id, delivery.lang) == (user, None, None)


def test_one_sender_holds_a_notice_until_its_lease_runs_out(conn: Connection) -> None:
    """Replicas: A holds the notice; B gets it only once A's lease has run out; a process alone on
    its file takes it whatever the lease (its own, left by a killed run)."""
    notice = confirmed_notice(conn)
    assert db.take_notice(conn, notice, "A", NOW, 60) is not None
    assert db.take_notice(conn, notice, "B", NOW + timedelta(seconds=30), 60) is None
    assert db.take_notice(conn, notice, "A", NOW + timedelta(seconds=30), 60) is not None  # renewed
    assert db.take_notice(conn, notice, "B", NOW + timedelta(seconds=61), 60) is None
    assert db.take_notice(conn, notice, "B", NOW + timedelta(seconds=91), 60) is not None
    assert db.take_notice(conn, notice, "C", NOW + timedelta(seconds=92), 60, force=True) is not None


def test_a_finished_notice_keeps_its_counts_and_drops_its_deliveries(conn: Connection) -> None:
    users = [subscribe(conn, n) for n in range(5)]
    notice = confirmed_notice(conn)
    db.plan_deliveries(conn, notice, NEW, NOW)
    db.settle_delivery(conn, notice, users[0], "sent", NOW, told=("signing_date", NEW["en"]))
    db.settle_delivery(conn, notice, users[1], "sent", NOW, told=("signing_date", NEW["en"]))
    db.settle_delivery(conn, notice, users[2], "failed", NOW)
    db.settle_delivery(conn, notice, users[3], "dropped", NOW)
    done = db.finish_notice(conn, notice, NOW)  # users[4] still pending: dropped
    assert done == db.Progress(total=5, sent=2, failed=1, dropped=2)
    assert db.notice_progress(conn, notice) == done
    assert conn.execute("SELECT count(*) FROM press_deliveries").fetchone()[0] == 0
    assert db.unfinished_notices(conn) == []
    assert db.take_notice(conn, notice, "A", NOW, 60) is None
    assert db.finish_notice(conn, notice, NOW) == done  # again: nothing changes


def test_milestones_are_told_once(conn: Connection) -> None:
    notice = confirmed_notice(conn)
    assert db.note_reported(conn, notice, 1)
    assert not db.note_reported(conn, notice, 1)
    assert db.note_reported(conn, notice, 3)
    assert not db.note_reported(conn, notice, 2)


def test_retention_takes_deliveries_with_their_notice(conn: Connection) -> None:
    subscribe(conn, 1, days=400)
    notice = confirmed_notice(conn)
    db.plan_deliveries(conn, notice, NEW, NOW)
    db.purge(conn, NOW + timedelta(days=200), ticket_days=30, log_days=180)
    assert conn.execute("SELECT count(*) FROM press_notices").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM press_deliveries").fetchone()[0] == 0


def test_migration_resumes_a_notice_the_old_code_left_half_sent(tmp_path: Path) -> None:
    """Before deliveries, a notice killed mid-send said `sent` with a count of 0: after the
    migration it is unfinished (the sender resumes it); finished and skipped ones stay done."""
    path = tmp_path / "old.sqlite3"
    old = sqlite3.connect(path, isolation_level=None)
    migrate(old, path, target=9)
    old.executemany(
        "INSERT INTO press_notices (intent, answer_hash, state, ts, sent) VALUES (?, ?, ?, 't', ?)",
        [("cut_short", "a", "sent", 0), ("finished", "b", "sent", 12), ("skipped", "c", "skipped", 0)],
    )
    old.close()
    conn = Store.sqlite(path).connect()
    [run] = db.unfinished_notices(conn)
    assert (run.intent, run.total, run.admin_chat_id) == ("cut_short", None, None)
