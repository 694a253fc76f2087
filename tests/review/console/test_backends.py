"""The console's store calls on both backends: SQLite and PostgreSQL (BOT_DB_URL) give the same
links, sessions, actions, conversation search and overview (PostgreSQL skips where absent)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.review.console.auth import digest
from bot.review.console.data import Log, Period
from bot.settings import Settings
from bot.store.records import exchange_record, format_ts
from bot.store.schema import INSERT_EXCHANGE, UPSERT_FEEDBACK
from bot.store.store import Store
from tests.store.helpers import KEY, KNOWN_EXCHANGES, KNOWN_VOTES, ps

pytest_plugins = ["tests.fakes.postgres"]
NOW = datetime(2024, 7, 1, 12, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "postgres"])
def log(request: pytest.FixtureRequest, tmp_path: Path) -> Log:
    path = tmp_path / "conversations.sqlite3"
    url = request.getfixturevalue("pg_url") if request.param == "postgres" else None
    db = Store.from_settings(Settings(db_path=path, db_url=url, pseudonym_key=KEY))
    conn = db.connect()
    try:
        conn.executemany(INSERT_EXCHANGE, [exchange_record(e, KEY.encode()) for e in KNOWN_EXCHANGES])
        votes = [
            {"exchange_id": x, "user_ps": ps(u), "channel": "telegram", "value": v, "ts": format_ts(t)}
            for x, u, v, t in KNOWN_VOTES
        ]
        conn.executemany(UPSERT_FEEDBACK, votes)
    finally:
        conn.close()
    return Log(db)


def test_a_link_is_spent_once_and_expires(log: Log) -> None:
    log.add_link(digest("a"), NOW, NOW + timedelta(minutes=10), "test")
    log.add_link(digest("b"), NOW, NOW + timedelta(minutes=10), "test")
    assert log.use_link(digest("a"), NOW) == "ok"
    assert log.use_link(digest("a"), NOW) == "used"
    assert log.use_link(digest("b"), NOW + timedelta(minutes=10)) == "expired"
    assert log.use_link(digest("nope"), NOW) == "unknown"


def test_a_session_lives_until_it_ends_or_expires(log: Log) -> None:
    log.add_session("s1", "token", NOW, NOW + timedelta(hours=1))
    assert log.session_csrf("s1", NOW) == "token"
    assert log.session_csrf("s1", NOW + timedelta(hours=1)) is None
    log.end_session("s1", NOW)
    assert log.session_csrf("s1", NOW) is None


def test_actions_and_marks(log: Log) -> None:
    log.add_action(NOW, "offtopic", "noise?", None)
    log.add_action(NOW, "add", "q?", "parties", "/k/a.yaml", "before", "hash")
    first, second = sorted(log.recent_actions(), key=lambda a: a.id)
    assert log.marked() == {"noise?": "offtopic"}
    assert (second.kind, second.before_text, second.after_hash) == ("add", "before", "hash")
    assert log.mark_undone(first.id, NOW) is True
    assert log.mark_undone(first.id, NOW) is False
    assert log.marked() == {}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        pytest.param({"search": "METRO"}, 3, id="search-ignores-case"),
        pytest.param({"search": "100%"}, 0, id="percent-is-literal"),
        pytest.param({"outcome": "declined", "lang": "en"}, 4, id="outcome-and-language"),
    ],
)
def test_conversation_search(log: Log, filters: dict[str, str], expected: int) -> None:
    args = {"outcome": None, "lang": None, "intent": None, "search": None} | filters
    assert len(log.conversations(Period(), **args, limit=50, offset=0)) == expected


@pytest.mark.parametrize(
    "period",
    [Period(), Period(datetime(2024, 6, 26, tzinfo=UTC), datetime(2024, 6, 27, tzinfo=UTC))],
    ids=["all-time", "one-day"],
)
def test_the_overview_equals_review_stats(log: Log, period: Period) -> None:
    fast, exact = log.stats(period, NOW), log.exact_stats(period)
    fields = "exchanges queries users outcomes languages days top_intents helpful not_helpful throttled"
    assert {f: getattr(fast, f) for f in fields.split()} == {f: getattr(exact, f) for f in fields.split()}
