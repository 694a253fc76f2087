"""`python run.py bench --console [N]`: how long the review console's overview takes over a
SQLite log of N exchanges (default 1,000,000), all time and the last 7 days, once the closed
days are summed up (bot.review.console.overview), and the first time.

The log is generated into a temporary folder (180 days, 5,000 users, three languages, every
outcome, votes on one exchange in 20) through the store's own schema and insert statement, and
removed afterwards. Figures are printed, never asserted: the machine is shared.
"""

from __future__ import annotations

import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bot.review.console.data import Log, Period
from bot.store.records import EXCHANGE_COLUMNS, format_ts
from bot.store.schema import INSERT_EXCHANGE, UPSERT_FEEDBACK
from bot.store.store import Store

OUTCOMES = (
    ("answered", 60),
    ("suggested", 10),
    ("not_stated", 6),
    ("unknown", 4),
    ("declined", 8),
    ("offtopic", 6),
    ("smalltalk", 3),
    ("throttled", 1),
    ("other", 2),
)
END = datetime(2026, 12, 1, tzinfo=UTC)


def fill(db: Path, rows: int, seed: int = 7) -> None:
    """Write `rows` made-up exchanges (and votes) into a new log at `db`."""
    rnd = random.Random(seed)
    names = [o for o, _ in OUTCOMES]
    weights = [w for _, w in OUTCOMES]
    conn = Store.sqlite(db).connect()
    try:
        chunk = 50_000
        for start in range(0, rows, chunk):
            batch = []
            votes = []
            for n in range(start, min(rows, start + chunk)):
                outcome = rnd.choices(names, weights)[0]
                kind = "command" if outcome == "other" else "message"
                ts = END - timedelta(seconds=rnd.random() * 180 * 86400)
                record = dict.fromkeys(EXCHANGE_COLUMNS)
                record.update(
                    id=f"x{n}",
                    ts=format_ts(ts),
                    channel="telegram",
                    user_ps=f"u{rnd.randrange(5000):04}",
                    chat_ps=None,
                    chat_type="private",
                    kind=kind,
                    text=f"question number {n % 977} about the topic",
                    reply="an answer of about this length, with its source named at the end [p3]",
                    lang=rnd.choice(("de", "en", "zh")),
                    intent=f"intent_{n % 60}" if outcome in ("answered", "suggested") else None,
                    confidence=round(rnd.random(), 3),
                    outcome=outcome,
                    latency_ms=round(rnd.lognormvariate(2.5, 0.6), 2),
                )
                batch.append(record)
                if n % 20 == 0:
                    votes.append(
                        {
                            "exchange_id": f"x{n}",
                            "user_ps": record["user_ps"],
                            "channel": "telegram",
                            "value": rnd.choice((1, 1, -1)),
                            "ts": record["ts"],
                        }
                    )
            with conn.transaction():
                conn.executemany(INSERT_EXCHANGE, batch)
                conn.executemany(UPSERT_FEEDBACK, votes)
    finally:
        conn.close()


def _timed(log: Log, period: Period, repeat: int) -> tuple[float, int]:
    best = float("inf")
    queries = 0
    for _ in range(repeat):
        started = time.perf_counter()
        queries = log.stats(period, END).queries
        best = min(best, time.perf_counter() - started)
    return best, queries


def run(rows: int = 1_000_000, repeat: int = 3) -> dict[str, Any]:
    """Build the log, time the overview; print one line and return the figures."""
    with tempfile.TemporaryDirectory(prefix="console-bench-") as folder:
        db = Path(folder) / "conversations.sqlite3"
        started = time.perf_counter()
        fill(db, rows)
        fill_s = time.perf_counter() - started
        log = Log(Store.sqlite(db))
        started = time.perf_counter()
        log.stats(Period(), END)  # the first overview sums up every closed day once
        first_s = time.perf_counter() - started
        all_s, all_queries = _timed(log, Period(), repeat)
        week_s, week_queries = _timed(log, Period(END - timedelta(days=7), END), repeat)
    results = {
        "rows": rows,
        "fill_s": round(fill_s, 1),
        "overview_first_s": round(first_s, 3),
        "overview_all_s": round(all_s, 3),
        "overview_all_queries": all_queries,
        "overview_week_s": round(week_s, 3),
        "overview_week_queries": week_queries,
    }
    print(
        f"console overview, SQLite, {rows:,} exchanges (best of {repeat}): all time {all_s:.3f} s "
        f"({all_queries:,} queries), last 7 days {week_s:.3f} s ({week_queries:,} queries); the first "
        f"overview, which sums up each closed day once, {first_s:.1f} s; log built in {fill_s:.0f} s"
    )
    return results
