"""Helpers for the store, review and report tests: exchanges, a seeded log, raw reads and faults.

Everything works on real SQLite files (in tmp_path); nothing here is a mock.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.core.reply import Channel, ExchangeKind, Outcome
from bot.store.pseudonym import pseudonymise
from bot.store.records import Exchange, exchange_record, format_ts
from bot.store.schema import INSERT_EXCHANGE, UPSERT_FEEDBACK
from bot.store.sqlite import open_file

KEY = "test-pseudonym-key"
T0 = datetime(2024, 6, 25, 9, 0, tzinfo=UTC)


def exchange(
    text: str = "When was it signed?",
    *,
    user: int | str | None = 111111111,
    chat: int | str | None = None,
    channel: Channel = "telegram",
    outcome: Outcome = "answered",
    intent: str | None = "signing_date",
    confidence: float | None = 0.9,
    lang: str | None = "en",
    kind: ExchangeKind = "message",
    ts: datetime | None = None,
    id: str | None = None,
    latency_ms: float | None = 12.5,
    reply: str = "The agreement was signed on 20 June 2024.",
    lang_pinned: str | None = None,
    chat_type: str = "private",
) -> Exchange:
    """An exchange with sensible defaults; name only what the test is about."""
    extra: dict[str, Any] = {}
    if ts is not None:
        extra["ts"] = ts
    if id is not None:
        extra["id"] = id
    return Exchange(
        channel=channel,
        user_id=user,
        chat_id=user if chat is None else chat,
        chat_type=chat_type,
        kind=kind,
        text=text,
        reply=reply,
        lang=lang,
        lang_pinned=lang_pinned,
        intent=intent,
        confidence=confidence,
        outcome=outcome,
        latency_ms=latency_ms,
        **extra,
    )


def fetch(db: Path, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """Run one query on a fresh connection and return all rows."""
    conn = sqlite3.connect(db)
    try:
        return list(conn.execute(sql, params).fetchall())
    finally:
        conn.close()


def count(db: Path, table: str = "exchanges") -> int:
    return int(fetch(db, f"SELECT count(*) FROM {table}")[0][0])


def ps(user: int | str, channel: str = "telegram", key: str = KEY) -> str:
    """The pseudonym the store gives `user` under the test key."""
    value = pseudonymise(key.encode(), channel, user)
    assert value is not None
    return value


def seed(
    db: Path,
    exchanges: Sequence[Exchange],
    votes: Sequence[tuple[str, int | str, int, datetime]] = (),
    key: str = KEY,
) -> None:
    """Write a known log straight into `db` (schema made by the store's own opener)."""
    conn = open_file(db)
    try:
        conn.execute("BEGIN")
        conn.executemany(INSERT_EXCHANGE, [exchange_record(e, key.encode()) for e in exchanges])
        conn.executemany(
            UPSERT_FEEDBACK,
            [
                {
                    "exchange_id": exchange_id,
                    "user_ps": ps(user, key=key),
                    "channel": "telegram",
                    "value": value,
                    "ts": format_ts(ts),
                }
                for exchange_id, user, value, ts in votes
            ],
        )
        conn.execute("COMMIT")
    finally:
        conn.close()


@contextlib.contextmanager
def locked(db: Path) -> Iterator[None]:
    """Hold the database's write lock from another connection, as a second process would."""
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        conn.execute("ROLLBACK")
        conn.close()


@contextlib.contextmanager
def read_only(path: Path) -> Iterator[None]:
    """Make `path` read-only for this process; root ignores file modes, so it gets chattr +i."""
    if os.geteuid() == 0:
        done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, check=False)
        if done.returncode != 0:
            pytest.skip(f"running as root and chattr +i fails here: {done.stderr!r}")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        mode = path.stat().st_mode
        path.chmod(0o444)
        try:
            yield
        finally:
            path.chmod(mode)


def day(n: int, hour: int = 9, minute: int = 0) -> datetime:
    """A time on day `n` of the known log (day 0 is 25 June 2024)."""
    return T0 + timedelta(days=n, hours=hour - 9, minutes=minute)


# The known log the review and report tests read. Users are raw Telegram ids; 3 days, 3 languages.
KNOWN_EXCHANGES: tuple[Exchange, ...] = (
    # day 0
    exchange("When was it signed?", id="e01", user=1001, ts=day(0, 9), latency_ms=10),
    exchange(
        "Who signed the agreement?",
        id="e02",
        user=1002,
        ts=day(0, 10),
        intent="signatories",
        confidence=0.82,
        latency_ms=20,
    ),
    exchange("Wann wurde unterschrieben?", id="e03", user=1003, ts=day(0, 11), lang="de", latency_ms=30),
    exchange(
        "Who paid for the metro?",
        id="e04",
        user=1001,
        ts=day(0, 12),
        outcome="declined",
        intent="metro_lines",
        confidence=0.31,
        latency_ms=40,
    ),
    exchange(
        "/start",
        id="e05",
        user=1004,
        ts=day(0, 13),
        kind="command",
        outcome="other",
        intent=None,
        confidence=None,
        latency_ms=5,
    ),
    # day 1
    exchange(
        "who paid for the metro lines",
        id="e06",
        user=1002,
        ts=day(1, 9),
        outcome="declined",
        intent="metro_lines",
        confidence=0.35,
        latency_ms=50,
    ),
    exchange(
        "How many employees in Chongqing?",
        id="e07",
        user=1003,
        ts=day(1, 10),
        outcome="suggested",
        intent="history",
        confidence=0.55,
        latency_ms=60,
    ),
    exchange("签约时间是什么时候？", id="e08", user=1005, ts=day(1, 11), lang="zh", latency_ms=70),
    exchange(
        "Hello",
        id="e09",
        user=1005,
        ts=day(1, 12),
        outcome="smalltalk",
        intent="greeting",
        confidence=1.0,
        latency_ms=80,
    ),
    exchange(
        "Who paid for the metro?",
        id="e10",
        user=1004,
        ts=day(1, 13),
        outcome="declined",
        intent="metro_lines",
        confidence=0.30,
        latency_ms=90,
    ),
    # day 2
    exchange(
        "What is the revenue of Siemens China?",
        id="e11",
        user=1001,
        ts=day(2, 9),
        outcome="declined",
        intent="areas",
        confidence=0.2,
        latency_ms=100,
    ),
    exchange(
        "How many employees does Siemens have in Chongqing?",
        id="e12",
        user=1002,
        ts=day(2, 10),
        outcome="suggested",
        intent="history",
        confidence=0.61,
        latency_ms=110,
    ),
    exchange(
        "Which areas does the cooperation cover?",
        id="e13",
        user=1003,
        ts=day(2, 11),
        intent="areas",
        confidence=0.88,
        latency_ms=120,
    ),
    exchange(
        "Was steht im Vertrag über Rechenzentren?",
        id="e14",
        user=1003,
        ts=day(2, 12),
        lang="de",
        intent="data_centres",
        confidence=0.74,
        latency_ms=130,
    ),
    exchange(
        "Is there a timeline?",
        id="e15",
        user=1005,
        ts=day(2, 13),
        outcome="unknown",
        intent="timeline_unknown",
        confidence=0.8,
        latency_ms=140,
    ),
)
KNOWN_VOTES: tuple[tuple[str, int | str, int, datetime], ...] = (
    ("e01", 1001, 1, day(0, 9, 1)),
    ("e02", 1002, -1, day(0, 10, 1)),  # answered, but wrong: counts as missed
    ("e08", 1005, 1, day(1, 11, 1)),
    ("e13", 1003, 1, day(2, 11, 1)),
    ("e14", 1003, -1, day(2, 12, 1)),
)
