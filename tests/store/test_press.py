"""The press office's tables on real SQLite files: migration, the open-ticket limit, relayed answers,
retention of raw chat ids, expiry of subscriptions, /forget, one notice per change, figures."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.store import press as db
from bot.store.contract import Connection
from bot.store.forget import forget_rows
from bot.store.schema import MIGRATIONS
from bot.store.sqlite import migrate
from bot.store.store import Store

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def conn(tmp_path: Path) -> Connection:
    return Store.sqlite(tmp_path / "log.sqlite3").connect()


def ticket(
    conn: Connection,
    n: int,
    user: str = "ps-a",
    now: datetime = NOW,
) -> tuple[db.Opened, db.Ticket | None]:
    return db.open_ticket(
        conn,
        exchange_id=f"{n:016x}",
        user_ps=user,
        chat_id=1001,
        user_name="Ann (@ann)",
        lang="en",
        question=f"Question {n}?",
        intent="unknown_headcount",
        confidence=0.88,
        limit=3,
        now=now,
    )


def test_migration_from_version_3_keeps_rows_and_adds_the_tables(tmp_path: Path) -> None:
    """A log of schema 3 with an exchange is migrated to 4; the exchange is still there."""
    path = tmp_path / "old.sqlite3"
    old = sqlite3.connect(path, isolation_level=None)
    migrate(old, path, target=3)
    old.execute(
        "INSERT INTO exchanges (id, ts, channel, chat_type, kind, text, reply, outcome) "
        "VALUES ('x', 't', 'telegram', 'private', 'message', 'q', 'r', 'declined')"
    )
    old.close()
    conn = Store.sqlite(path).connect()
    assert conn.schema_version() == len(MIGRATIONS) >= 4
    assert db.has_press_tables(conn)
    assert conn.execute("SELECT count(*) FROM exchanges").fetchone()[0] == 1


def test_a_user_holds_at_most_three_open_tickets(conn: Connection) -> None:
    """The fourth is refused; the same exchange twice is one ticket; an answered ticket frees a
    place; another user is not affected."""
    assert [ticket(conn, n)[0] for n in (1, 2, 3, 4)] == ["opened", "opened", "opened", "limit"]
    kind, again = ticket(conn, 1)
    assert kind == "exists" and again is not None and again.id == 1
    assert ticket(conn, 5, user="ps-b")[0] == "opened"
    done = db.record_answer(conn, 1, "First.", NOW)
    assert done is not None and done.state == "answered" and done.answers == 1
    assert ticket(conn, 4)[0] == "opened"
    more = db.record_answer(conn, 1, "More.", NOW + timedelta(hours=1))
    assert more is not None and more.answers == 2 and more.answer == "First.\n\nMore."
    assert more.answered_ts == done.answered_ts  # the time to answer is the first answer's


def test_retention_erases_chat_ids_of_closed_tickets_and_expired_subscriptions(
    conn: Connection,
) -> None:
    """Closed longer than the retention: chat id and name go, the figures stay; an open ticket
    keeps them; expired subscriptions are deleted, live ones kept."""
    ticket(conn, 1, now=NOW - timedelta(days=40))
    ticket(conn, 2, now=NOW - timedelta(days=40))
    db.record_answer(conn, 1, "A.", NOW - timedelta(days=31))
    db.subscribe(
        conn,
        user_ps="ps-a",
        intent="x",
        chat_id=1001,
        lang="en",
        digest="h",
        now=NOW - timedelta(days=31),
        days=30,
    )
    db.subscribe(
        conn,
        user_ps="ps-b",
        intent="x",
        chat_id=1002,
        lang="en",
        digest="h",
        now=NOW - timedelta(days=1),
        days=30,
    )
    assert db.purge(conn, NOW, ticket_days=30, log_days=180) == 2
    kept = {t.id: t for t in (db.get_ticket(conn, 1), db.get_ticket(conn, 2)) if t}
    assert kept[1].chat_id is None and kept[1].user_name is None and kept[1].state == "answered"
    assert kept[2].chat_id == 1001  # still open: the answer must reach the asker
    assert [s.user_ps for s in db.subscribers(conn, "x", NOW)] == ["ps-b"]


def test_forget_removes_tickets_and_subscriptions(conn: Connection) -> None:
    """The one erasure of a user covers the press tables too."""
    ticket(conn, 1)
    db.subscribe(conn, user_ps="ps-a", intent="x", chat_id=1001, lang="en", digest="h", now=NOW, days=30)
    ticket(conn, 2, user="ps-b")
    assert forget_rows(conn, "ps-a", None) == 2
    assert [tuple(r) for r in conn.execute("SELECT user_ps FROM press_tickets")] == [("ps-b",)]
    assert conn.execute("SELECT count(*) FROM press_subscriptions").fetchone()[0] == 0


def test_one_notice_per_change_decided_once(conn: Connection) -> None:
    """Asking about the same change twice asks once; the first decision counts."""
    first = db.ask_notice(conn, "signing_date", "new", NOW)
    assert first is not None and db.ask_notice(conn, "signing_date", "new", NOW) is None
    assert db.ask_notice(conn, "signing_date", "newer", NOW) is not None
    decided = db.resolve_notice(conn, first, "sent")
    assert decided is not None and decided.intent == "signing_date"
    assert db.resolve_notice(conn, first, "skipped") is None
    assert db.resolve_notice(conn, 999, "sent") is None  # a forged id


def test_ticket_figures(conn: Connection) -> None:
    """Opened, answered, dismissed, median time to the first answer, most handed-off questions."""
    for n, hours in ((1, 2), (2, 4), (3, None)):
        ticket(conn, n, user=f"ps-{n}")
        if hours:
            db.record_answer(conn, n, "A.", NOW + timedelta(hours=hours))
    db.dismiss(conn, 3, NOW)
    db.open_ticket(
        conn,
        exchange_id="f" * 16,
        user_ps="ps-9",
        chat_id=9,
        user_name="x",
        lang="de",
        question="question  1?",
        intent=None,
        confidence=None,
        limit=3,
        now=NOW,
    )
    figures = db.ticket_figures(conn)
    assert (figures.opened, figures.answered, figures.dismissed) == (4, 2, 1)
    assert figures.median_answer_s == 3 * 3600
    assert figures.top_questions[0] == ("Question 1?", 2)


def test_review_stats_and_the_html_report_show_the_tickets(tmp_path: Path) -> None:
    """`review stats` and the HTML report add tickets opened, answered, the median time to
    answer and the most handed-off questions; a log without tickets shows no such section."""
    from bot.review.html import render
    from bot.review.reports import Period, build_report, format_stats, load_stats

    conn = Store.sqlite(tmp_path / "log.sqlite3").connect()
    assert "press office" not in format_stats(load_stats(conn, Period()))
    for n, hours in ((1, 2), (2, 4)):
        ticket(conn, n, user=f"ps-{n}")
        db.record_answer(conn, n, "A.", NOW + timedelta(hours=hours))
    text = format_stats(load_stats(conn, Period()))
    assert "press office: 2 tickets opened, 2 answered, 0 dismissed; median time to answer 3.0 h" in text
    assert "Question 1?" in text
    page = render(build_report(conn, Period(), NOW))
    assert "2/2 answered" in page and "3.0 h" in page and 'id="chart-handed-off"' in page
