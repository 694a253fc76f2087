"""The review's queries on the known log of tests/store/helpers.py: plain rows, exact numbers."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.errors import StoreError
from bot.store.queries import (
    END_OF_TIME,
    EXPORT_COLUMNS,
    Period,
    count_exchanges,
    export_rows,
    labelled_confidences,
    stats_rows,
    unanswered_rows,
)
from bot.store.store import Store
from tests.store.helpers import KNOWN_EXCHANGES, KNOWN_VOTES, seed

DAY1 = datetime(2024, 6, 26, tzinfo=UTC)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "log.sqlite3"
    seed(path, KNOWN_EXCHANGES, KNOWN_VOTES)
    return path


def test_stats_rows(db: Path) -> None:
    with Store.sqlite(db).reading() as conn:
        rows = stats_rows(conn, Period(), top=2)
    assert rows.kinds == {"message": 14, "command": 1}
    assert rows.users == 5
    assert rows.outcomes == {"answered": 6, "suggested": 2, "declined": 4, "unknown": 1, "smalltalk": 1}
    assert rows.languages == [("en", 11, 3), ("de", 2, 2), ("zh", 1, 1)]
    assert rows.days[0] == ("2024-06-25", 4, 3, 3)
    assert rows.top_intents == [("signing_date", 3), ("areas", 1)]
    assert rows.latencies == sorted(rows.latencies) and len(rows.latencies) == 15
    assert rows.votes == {1: 3, -1: 2}


@pytest.mark.parametrize(
    ("period", "count"),
    [
        pytest.param(Period(), 15, id="all"),
        pytest.param(Period(since=DAY1), 10, id="since-day-1"),
        pytest.param(Period(until=DAY1), 5, id="until-day-1-excluded"),
        pytest.param(Period(since=DAY1, until=END_OF_TIME), 10, id="until-end-of-calendar"),
        pytest.param(Period(since=END_OF_TIME), 0, id="empty"),
    ],
)
def test_export_rows_within_the_period(db: Path, period: Period, count: int) -> None:
    with Store.sqlite(db).reading() as conn:
        rows = list(export_rows(conn, period))
    assert len(rows) == count
    assert all(len(row) == len(EXPORT_COLUMNS) for row in rows)


def test_unanswered_rows_include_downvoted_answers_and_below(db: Path) -> None:
    with Store.sqlite(db).reading() as conn:
        plain = unanswered_rows(conn, Period())
        below = unanswered_rows(conn, Period(), below=0.95)
    assert [r.outcome for r in plain].count("answered") == 2  # e02 and e14, marked not helpful
    assert all(r.net_votes < 0 for r in plain if r.outcome == "answered")
    assert len(below) > len(plain)
    assert not any(r.outcome == "unknown" for r in below)


def test_labelled_confidences(db: Path) -> None:
    with Store.sqlite(db).reading() as conn:
        labelled = sorted(labelled_confidences(conn, Period()))
    assert labelled == [(0.74, True), (0.82, True), (0.88, False), (0.9, False), (0.9, False)]


def test_count_exchanges_and_a_missing_log(db: Path, tmp_path: Path) -> None:
    assert count_exchanges(Store.sqlite(db)) == 15
    with pytest.raises(StoreError, match="no conversation log here"):
        count_exchanges(Store.sqlite(tmp_path / "missing.sqlite3"))
    assert not (tmp_path / "missing.sqlite3").exists()


@pytest.mark.parametrize(
    ("period", "label"),
    [
        pytest.param(Period(), "all time", id="open"),
        pytest.param(Period(until=END_OF_TIME), "until 9999-12-31", id="end-of-calendar"),
        pytest.param(Period(since=datetime(1, 1, 1, tzinfo=UTC)), "from 0001-01-01", id="year-one"),
    ],
)
def test_period_labels(period: Period, label: str) -> None:
    assert period.label() == label
