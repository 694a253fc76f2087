"""The review console's tables and queries (schema 9): one-use sign-in links and sessions, stored
as hashes only; the console's actions on the fact base, kept for undo; the conversation search.

Plain rows in and out over a connection from Store.reading() or `writing()`; the
console (bot.review.console.data) is the only caller. Timestamps are bot.store.db.format_ts text.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from bot.store.queries import Connection, Period, _where
from bot.store.records import format_ts
from bot.store.store import Store

LinkState = Literal["ok", "unknown", "used", "expired"]


@contextmanager
def writing(store: Store) -> Iterator[Connection]:
    """An open connection to the log (created and migrated if missing), closed afterwards."""
    conn = store.connect(create=True)
    try:
        yield conn
    finally:
        conn.close()


# ---- sign-in links and sessions -------------------------------------------------------------


def add_link(conn: Connection, token_hash: str, now: datetime, expires: datetime, issued_to: str) -> None:
    """Store a new sign-in link's hash, valid until `expires`."""
    conn.execute(
        "INSERT INTO console_links (token_hash, created_ts, expires_ts, issued_to) VALUES (?, ?, ?, ?)",
        (token_hash, format_ts(now), format_ts(expires), issued_to),
    )


def use_link(conn: Connection, token_hash: str, now: datetime) -> LinkState:
    """Spend a sign-in link: 'ok' the first time within its validity, else why not."""
    changed = conn.execute(
        "UPDATE console_links SET used_ts = ? WHERE token_hash = ? AND used_ts IS NULL AND expires_ts > ?",
        (format_ts(now), token_hash, format_ts(now)),
    ).rowcount
    if changed == 1:
        return "ok"
    row = conn.execute("SELECT used_ts FROM console_links WHERE token_hash = ?", (token_hash,)).fetchone()
    if row is None:
        return "unknown"
    return "used" if row[0] is not None else "expired"


def add_session(conn: Connection, id_hash: str, csrf: str, now: datetime, expires: datetime) -> None:
    """Store a new session's hash and its CSRF token."""
    conn.execute(
        "INSERT INTO console_sessions (id_hash, csrf, created_ts, expires_ts) VALUES (?, ?, ?, ?)",
        (id_hash, csrf, format_ts(now), format_ts(expires)),
    )


def session_csrf(conn: Connection, id_hash: str, now: datetime) -> str | None:
    """The CSRF token of a live session (not ended, not expired), or None."""
    row = conn.execute(
        "SELECT csrf FROM console_sessions WHERE id_hash = ? AND ended_ts IS NULL AND expires_ts > ?",
        (id_hash, format_ts(now)),
    ).fetchone()
    return None if row is None else str(row[0])


def end_session(conn: Connection, id_hash: str, now: datetime) -> None:
    """End a session (sign out)."""
    conn.execute(
        "UPDATE console_sessions SET ended_ts = ? WHERE id_hash = ? AND ended_ts IS NULL",
        (format_ts(now), id_hash),
    )


def purge_auth(conn: Connection, before: datetime) -> None:
    """Forget links and sessions that expired before `before`."""
    cut = format_ts(before)
    conn.execute("DELETE FROM console_links WHERE expires_ts < ?", (cut,))
    conn.execute("DELETE FROM console_sessions WHERE expires_ts < ?", (cut,))


# ---- actions (for undo) ---------------------------------------------------------------------


@dataclass(frozen=True)
class ActionRow:
    """One thing the console did: a question added or drafted, or a query marked."""

    id: int
    ts: str
    kind: str
    query: str
    target: str | None
    path: str | None
    before_text: str | None
    after_hash: str | None
    undone_ts: str | None


_ACTION_COLUMNS = "id, ts, kind, query, target, path, before_text, after_hash, undone_ts"


def add_action(
    conn: Connection,
    now: datetime,
    kind: str,
    query: str,
    target: str | None,
    path: str | None = None,
    before_text: str | None = None,
    after_hash: str | None = None,
) -> int:
    """Record an action of the console; its id."""
    cursor = conn.execute(
        "INSERT INTO console_actions (ts, kind, query, target, path, before_text, after_hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (format_ts(now), kind, query, target, path, before_text, after_hash),
    )
    return int(cursor.lastrowid or 0)


def recent_actions(conn: Connection, limit: int = 50) -> list[ActionRow]:
    """The latest actions, newest first."""
    rows = conn.execute(
        f"SELECT {_ACTION_COLUMNS} FROM console_actions ORDER BY id DESC LIMIT ?", (limit,)
    ).fetchall()
    return [ActionRow(*row) for row in rows]


def get_action(conn: Connection, action_id: int) -> ActionRow | None:
    """One action by id."""
    row = conn.execute(f"SELECT {_ACTION_COLUMNS} FROM console_actions WHERE id = ?", (action_id,)).fetchone()
    return None if row is None else ActionRow(*row)


def mark_undone(conn: Connection, action_id: int, now: datetime) -> bool:
    """Mark an action undone; False if it was undone already."""
    changed = conn.execute(
        "UPDATE console_actions SET undone_ts = ? WHERE id = ? AND undone_ts IS NULL",
        (format_ts(now), action_id),
    ).rowcount
    return bool(changed == 1)


def marked(conn: Connection) -> dict[str, str]:
    """Query text -> the mark ('offtopic' or 'press') of every mark not undone."""
    rows = conn.execute(
        "SELECT query, kind FROM console_actions WHERE kind IN ('offtopic', 'press') "
        "AND undone_ts IS NULL ORDER BY id"
    ).fetchall()
    return {str(q): str(k) for q, k in rows}


# ---- conversations --------------------------------------------------------------------------


@dataclass(frozen=True)
class ConversationRow:
    """One logged exchange as the console lists it (pseudonyms only)."""

    id: str
    ts: str
    user_ps: str | None
    kind: str
    lang: str | None
    text: str
    reply: str
    intent: str | None
    confidence: float | None
    outcome: str
    latency_ms: float | None


def conversations(
    conn: Connection,
    period: Period,
    *,
    outcome: str | None = None,
    lang: str | None = None,
    intent: str | None = None,
    search: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[ConversationRow]:
    """Exchanges of `period` matching the filters, newest first."""
    where, params = _where(period)
    parts: list[str] = [where]
    values: list[object] = list(params)
    for column, value in (("outcome", outcome), ("lang", lang), ("intent", intent)):
        if value:
            parts.append(f"e.{column} = ?")
            values.append(value)
    if search:
        escaped = search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        parts.append("(lower(e.text) LIKE ? ESCAPE '\\' OR lower(e.reply) LIKE ? ESCAPE '\\')")
        values += [f"%{escaped.lower()}%"] * 2
    rows = conn.execute(
        "SELECT e.id, e.ts, e.user_ps, e.kind, e.lang, e.text, e.reply, e.intent, e.confidence, "
        f"e.outcome, e.latency_ms FROM exchanges e WHERE {' AND '.join(parts)} "
        "ORDER BY e.ts DESC, e.id DESC LIMIT ? OFFSET ?",
        [*values, limit, offset],
    ).fetchall()
    return [ConversationRow(*row) for row in rows]


# ---- the overview: figures per day, kept for closed days ------------------------------------

_QUERY = "e.kind IN ('message', 'inline') AND e.outcome != 'throttled'"
_RANGE = "e.ts >= ? AND e.ts < ?"


@dataclass(frozen=True)
class DayRows:
    """The raw figures of the days in a range, each row led by its day (YYYY-MM-DD)."""

    groups: list[tuple[str, str, str, str, int]]  # (day, kind, outcome, lang or '?', exchanges)
    users: list[tuple[str, int]]  # (day, distinct users who asked a query)
    intents: list[tuple[str, str, int]]  # (day, intent, answered queries)
    latencies: list[tuple[str, int, int]]  # (day, latency in tenths of a ms, exchanges)


def day_rows(conn: Connection, since: str, until: str) -> DayRows:
    """The figures of every day with exchanges in [since, until) (format_ts bounds)."""
    params = (since, until)
    groups = conn.execute(
        "SELECT substr(e.ts, 1, 10), e.kind, e.outcome, coalesce(e.lang, '?'), count(*) "
        f"FROM exchanges e WHERE {_RANGE} GROUP BY 1, 2, 3, 4",
        params,
    ).fetchall()
    users = conn.execute(
        f"SELECT substr(e.ts, 1, 10), count(DISTINCT e.user_ps) FROM exchanges e WHERE {_RANGE} AND {_QUERY} "
        "GROUP BY 1",
        params,
    ).fetchall()
    intents = conn.execute(
        f"SELECT substr(e.ts, 1, 10), e.intent, count(*) FROM exchanges e WHERE {_RANGE} AND {_QUERY} "
        "AND e.outcome = 'answered' AND e.intent IS NOT NULL GROUP BY 1, 2",
        params,
    ).fetchall()
    latencies = conn.execute(
        "SELECT substr(e.ts, 1, 10), CAST(e.latency_ms * 10 AS INTEGER), count(*) FROM exchanges e "
        f"WHERE {_RANGE} AND e.latency_ms IS NOT NULL AND e.outcome != 'throttled' GROUP BY 1, 2",
        params,
    ).fetchall()
    return DayRows(
        [(str(d), str(k), str(o), str(lg), int(n)) for d, k, o, lg, n in groups],
        [(str(d), int(n)) for d, n in users],
        [(str(d), str(i), int(n)) for d, i, n in intents],
        [(str(d), int(v), int(n)) for d, v, n in latencies],
    )


def kept_days(conn: Connection) -> dict[str, tuple[int, str]]:
    """The kept figures: day -> (exchanges that day when counted, summary JSON)."""
    rows = conn.execute("SELECT day, rows, summary FROM console_days").fetchall()
    return {str(d): (int(n), str(s)) for d, n, s in rows}


def keep_days(conn: Connection, days: list[tuple[str, int, str]]) -> None:
    """Keep (day, exchanges, summary JSON), replacing what was kept for those days (two
    overviews counting at once write the same figures)."""
    conn.executemany(
        "INSERT INTO console_days (day, rows, summary) VALUES (?, ?, ?) ON CONFLICT (day) "
        "DO UPDATE SET rows = excluded.rows, summary = excluded.summary",
        days,
    )


def drop_days(conn: Connection, days: list[str]) -> None:
    """Forget the kept figures of `days`."""
    conn.executemany("DELETE FROM console_days WHERE day = ?", [(d,) for d in days])


def _in_range(since: str | None, until: str | None) -> tuple[str, list[str]]:
    """The WHERE clause and parameters of ts in [since, until) (an open end: no bound)."""
    parts, params = ["1 = 1"], []
    if since is not None:
        parts.append("ts >= ?")
        params.append(since)
    if until is not None:
        parts.append("ts < ?")
        params.append(until)
    return " AND ".join(parts), params


def count_range(conn: Connection, since: str | None = None, until: str | None = None) -> int:
    """Exchanges in [since, until) (open ends: the whole log, which SQLite counts fast)."""
    where, params = _in_range(since, until)
    return int(conn.execute(f"SELECT count(*) FROM exchanges WHERE {where}", params).fetchone()[0])


def first_ts(conn: Connection) -> str | None:
    """The oldest exchange's time."""
    row = conn.execute("SELECT min(ts) FROM exchanges").fetchone()
    return None if row is None or row[0] is None else str(row[0])


def count_per_day(conn: Connection, until: str) -> dict[str, int]:
    """Exchanges per day before `until` (reads the time index once)."""
    rows = conn.execute(
        "SELECT substr(ts, 1, 10), count(*) FROM exchanges WHERE ts < ? GROUP BY 1", (until,)
    ).fetchall()
    return {str(d): int(n) for d, n in rows}


def distinct_users(conn: Connection, since: str | None, until: str | None) -> int:
    """Distinct users with an exchange in [since, until): one index seek per user."""
    if since is None and until is None:
        return int(conn.execute("SELECT count(DISTINCT user_ps) FROM exchanges").fetchone()[0])
    return int(
        conn.execute(
            "SELECT count(*) FROM (SELECT DISTINCT user_ps FROM exchanges WHERE user_ps IS NOT NULL) u "
            "WHERE EXISTS (SELECT 1 FROM exchanges e WHERE e.user_ps = u.user_ps AND e.ts >= ? AND e.ts < ?)",
            (since or "", until or "9999-99"),
        ).fetchone()[0]
    )


def vote_counts(conn: Connection, since: str | None, until: str | None) -> dict[int, int]:
    """Feedback value -> votes cast in [since, until)."""
    where, params = _in_range(since, until)
    rows = conn.execute(
        f"SELECT value, count(*) FROM feedback WHERE {where} GROUP BY value", params
    ).fetchall()
    return {int(v): int(n) for v, n in rows}
