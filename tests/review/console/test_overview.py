"""The console's overview (kept figures of closed days + live figures of the rest) equals
`review stats` read row by row, for every period, at any clock, after erasures and late rows."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.bench.console import END, fill
from bot.review.console.data import Log, Store
from bot.review.reports import Period, Stats

EXACT = "exchanges queries commands taps users outcomes languages days top_intents helpful not_helpful"
EXACT += " throttled rates"
PERIODS = [
    pytest.param(Period(), id="all-time"),
    pytest.param(Period(END - timedelta(days=7), END), id="last-week"),
    pytest.param(
        Period(END - timedelta(days=100, hours=5), END - timedelta(days=20, hours=3)), id="mid-day-edges"
    ),
    pytest.param(Period(None, END - timedelta(days=50)), id="open-start"),
    pytest.param(Period(END - timedelta(days=1), None), id="open-end"),
]
CLOCKS = [
    pytest.param(END, id="log-ends-today"),
    pytest.param(END - timedelta(days=30), id="clock-inside-the-log"),
    pytest.param(END + timedelta(days=3), id="days-after"),
]


@pytest.fixture(scope="module")
def log(tmp_path_factory: pytest.TempPathFactory) -> Log:
    db = tmp_path_factory.mktemp("overview") / "conversations.sqlite3"
    fill(db, 4000)
    return Log(Store.sqlite(db))


def _same(fast: Stats, exact: Stats) -> None:
    assert {f: getattr(fast, f) for f in EXACT.split()} == {f: getattr(exact, f) for f in EXACT.split()}
    for name in ("latency_median_ms", "latency_p95_ms"):  # a histogram in tenths of a ms
        assert getattr(fast, name) == pytest.approx(getattr(exact, name), abs=0.11)


@pytest.mark.parametrize("now", CLOCKS)
@pytest.mark.parametrize("period", PERIODS)
def test_the_overview_equals_review_stats(log: Log, period: Period, now: datetime) -> None:
    _same(log.stats(period, now), log.exact_stats(period))


@pytest.mark.parametrize(
    "change",
    [
        pytest.param("DELETE FROM exchanges WHERE user_ps = 'u0001'", id="a-user-forgotten"),
        pytest.param("DELETE FROM exchanges WHERE ts < '2026-07-01'", id="retention-purge"),
        pytest.param(
            "INSERT INTO exchanges (id, ts, channel, user_ps, chat_type, kind, text, reply, outcome, lang) "
            "VALUES ('late', '2026-09-01T10:00:00.000000Z', 'telegram', 'u9999', 'private', 'message', "
            "'x', 'y', 'answered', 'de')",
            id="a-late-row-in-a-closed-day",
        ),
    ],
)
def test_kept_figures_follow_changes_to_closed_days(tmp_path: Path, change: str) -> None:
    db = tmp_path / "conversations.sqlite3"
    fill(db, 2000)
    log = Log(Store.sqlite(db))
    log.stats(Period(), END)  # the closed days are summed up and kept
    conn = sqlite3.connect(db)
    conn.execute(change)
    conn.commit()
    conn.close()
    for period in (Period(), Period(END - timedelta(days=120), END)):
        _same(log.stats(period, END), log.exact_stats(period))


def test_an_empty_log_has_an_empty_overview(tmp_path: Path) -> None:
    db = tmp_path / "conversations.sqlite3"
    fill(db, 0)
    stats = Log(Store.sqlite(db)).stats(Period(), datetime(2026, 1, 1, tzinfo=UTC))
    assert (stats.queries, stats.users, stats.days, stats.latency_median_ms) == (0, 0, [], None)
