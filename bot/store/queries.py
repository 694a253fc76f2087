"""The read-only queries the review needs, over the conversation log: plain rows out, no formatting.

Every SELECT of the review (bot.review) and the benchmark (bot.bench) lives here, so that the store
is the only package with SQL. Functions take a connection from `Store.reading()` and return tuples or
small dataclasses; the review turns them into tables, clusters and HTML. Never imports telegram.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.store.contract import Connection as Connection
from bot.store.press import TicketFigures as TicketFigures
from bot.store.press import has_press_tables, ticket_figures
from bot.store.records import EXCHANGE_COLUMNS, format_ts
from bot.store.store import Store

QUERY_KINDS = ("message", "inline")  # what counts as a question; commands and taps do not
# A throttled message was never read: it is counted apart (StatsRows.throttled), not as a query.
_IS_QUERY = f"e.kind IN ({', '.join(repr(k) for k in QUERY_KINDS)}) AND e.outcome != 'throttled'"
_NET = "(SELECT exchange_id, sum(value) AS net FROM feedback GROUP BY exchange_id)"
# The latest moment a period can name: `--until 9999-12-31` ends here instead of overflowing.
END_OF_TIME = datetime.max.replace(tzinfo=UTC)

# The exchange's columns (from its record type, bot.store.records), id and time first, then the
# sum of its votes.
EXPORT_COLUMNS = ("id", "ts", *(c for c in EXCHANGE_COLUMNS if c not in ("id", "ts")), "feedback")


@dataclass(frozen=True)
class Period:
    """[since, until) in UTC; None means open."""

    since: datetime | None = None
    until: datetime | None = None

    def label(self) -> str:
        """'all time', 'from 2024-06-25', 'until 2024-06-27', '2024-06-25 to 2024-06-27'."""
        start = None if self.since is None else _when(self.since)
        end = None
        if self.until == END_OF_TIME:
            end = "9999-12-31"
        elif self.until is not None:
            midnight = self.until.time() == datetime.min.time()
            end = _when(self.until - timedelta(days=1)) if midnight else _when(self.until)
        if start and end:
            return start if start == end else f"{start} to {end}"
        if start:
            return f"from {start}"
        return f"until {end}" if end else "all time"


def _when(moment: datetime) -> str:
    day = f"{moment.year:04}-{moment.month:02}-{moment.day:02}"  # strftime drops zeros before 1000
    if moment.time() == datetime.min.time():
        return day
    return f"{day} {moment.hour:02}:{moment.minute:02}"


def _where(period: Period, column: str = "e.ts") -> tuple[str, list[str]]:
    """A WHERE fragment for `period` and its parameters."""
    parts, params = ["1 = 1"], []
    if period.since is not None:
        parts.append(f"{column} >= ?")
        params.append(format_ts(period.since))
    if period.until is not None:
        parts.append(f"{column} < ?")
        params.append(format_ts(period.until))
    return " AND ".join(parts), params


# ---- stats ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatsRows:
    """The raw counts behind the `stats` report."""

    kinds: dict[str, int]  # exchanges per kind
    users: int
    outcomes: dict[str, int]  # queries per outcome (only those that occur)
    languages: list[tuple[str, int, int]]  # (lang or '?', queries, answered), most first
    days: list[tuple[str, int, int, int]]  # (YYYY-MM-DD, queries, answered, users)
    top_intents: list[tuple[str, int]]  # (intent, times answered), most first
    latencies: list[float]  # ascending
    votes: dict[int, int]  # feedback value (1, -1) -> count
    throttled: int = 0  # updates dropped by the per-user budget (not queries)


def stats_rows(conn: Connection, period: Period, top: int = 10) -> StatsRows:
    """Counts by kind, outcome, language, day and intent; latencies and votes over `period`."""
    where, params = _where(period)
    kinds = dict(
        conn.execute(f"SELECT kind, count(*) FROM exchanges e WHERE {where} GROUP BY kind", params).fetchall()
    )
    users = conn.execute(f"SELECT count(DISTINCT user_ps) FROM exchanges e WHERE {where}", params).fetchone()[
        0
    ]
    queries_where = f"{where} AND {_IS_QUERY}"
    outcomes = dict(
        conn.execute(
            f"SELECT outcome, count(*) FROM exchanges e WHERE {queries_where} GROUP BY outcome",
            params,
        ).fetchall()
    )
    languages = [
        (str(lang), int(n), int(answered))
        for lang, n, answered in conn.execute(
            "SELECT coalesce(lang, '?'), count(*), sum(outcome = 'answered') FROM exchanges e "
            f"WHERE {queries_where} GROUP BY 1 ORDER BY 2 DESC, 1",
            params,
        )
    ]
    days = [
        (str(day), int(n), int(answered), int(day_users))
        for day, n, answered, day_users in conn.execute(
            "SELECT substr(ts, 1, 10), count(*), sum(outcome = 'answered'), "
            f"count(DISTINCT user_ps) FROM exchanges e WHERE {queries_where} GROUP BY 1 ORDER BY 1",
            params,
        )
    ]
    intents = conn.execute(
        f"SELECT intent, count(*) FROM exchanges e WHERE {queries_where} "
        "AND outcome = 'answered' AND intent IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT ?",
        [*params, top],
    ).fetchall()
    latencies = [
        float(row[0])
        for row in conn.execute(
            f"SELECT latency_ms FROM exchanges e WHERE {where} AND latency_ms IS NOT NULL "
            "AND e.outcome != 'throttled' ORDER BY 1",
            params,
        )
    ]
    fb_where, fb_params = _where(period, "ts")
    votes = dict(
        conn.execute(
            f"SELECT value, count(*) FROM feedback WHERE {fb_where} GROUP BY value", fb_params
        ).fetchall()
    )
    throttled = conn.execute(
        f"SELECT count(*) FROM exchanges e WHERE {where} AND e.outcome = 'throttled'", params
    ).fetchone()[0]
    return StatsRows(
        throttled=int(throttled),
        kinds=kinds,
        users=int(users),
        outcomes=outcomes,
        languages=languages,
        days=days,
        top_intents=[(str(intent), int(n)) for intent, n in intents],
        latencies=latencies,
        votes=votes,
    )


# ---- unanswered -----------------------------------------------------------------------------


@dataclass(frozen=True)
class UnansweredRow:
    """A query the bot did not answer well, with the sum of its votes."""

    text: str
    lang: str | None
    intent: str | None
    confidence: float | None
    user_ps: str | None
    outcome: str
    net_votes: int


def unanswered_rows(conn: Connection, period: Period, below: float | None = None) -> list[UnansweredRow]:
    """Queries declined, only suggested, told "the release does not say", or off-topic; answers
    marked not helpful; and (with `below`) answers whose confidence was under it, oldest first.
    Known unknowns are left out."""
    where, params = _where(period)
    rows = conn.execute(
        "SELECT e.text, e.lang, e.intent, e.confidence, e.user_ps, e.outcome, "
        f"coalesce(f.net, 0) FROM exchanges e LEFT JOIN {_NET} f ON f.exchange_id = e.id "
        f"WHERE {where} AND {_IS_QUERY} AND "
        "(e.outcome IN ('declined', 'suggested', 'not_stated', 'offtopic') OR "
        "(e.outcome = 'answered' AND (coalesce(f.net, 0) < 0 OR e.confidence < ?))) "
        "ORDER BY e.ts, e.id",
        [*params, -1.0 if below is None else below],
    ).fetchall()
    return [UnansweredRow(*row) for row in rows]


# ---- export ---------------------------------------------------------------------------------


def export_rows(conn: Connection, period: Period) -> Iterator[tuple[Any, ...]]:
    """Every exchange of `period` in EXPORT_COLUMNS order (feedback: the sum of votes), oldest
    first; pseudonyms only, the log holds no raw ids."""
    where, params = _where(period)
    columns = ", ".join(f"e.{c}" for c in EXPORT_COLUMNS[:-1])
    yield from conn.execute(
        f"SELECT {columns}, f.net FROM exchanges e LEFT JOIN {_NET} f ON f.exchange_id = e.id "
        f"WHERE {where} ORDER BY e.ts, e.id",
        params,
    )


# ---- threshold ------------------------------------------------------------------------------


def labelled_confidences(conn: Connection, period: Period) -> list[tuple[float, bool]]:
    """(confidence, marked wrong) of every query with a non-zero sum of votes."""
    where, params = _where(period)
    rows = conn.execute(
        f"SELECT e.confidence, f.net < 0 FROM exchanges e JOIN {_NET} f ON f.exchange_id = e.id "
        f"WHERE {where} AND {_IS_QUERY} AND e.confidence IS NOT NULL AND f.net != 0",
        params,
    ).fetchall()
    return [(float(conf), bool(bad)) for conf, bad in rows]


# ---- benchmark ------------------------------------------------------------------------------


def count_exchanges(store: Store) -> int:
    """How many exchanges an existing log holds."""
    with store.reading() as conn:
        (rows,) = conn.execute("SELECT count(*) FROM exchanges").fetchone()
    return int(rows)


def ticket_rows(conn: Connection, period: Period) -> TicketFigures:
    """The press office's tickets opened in `period` (none in a log older than schema 4)."""
    if not has_press_tables(conn):
        return TicketFigures(0, 0, 0, None, [])
    since = format_ts(period.since) if period.since is not None else None
    until = format_ts(period.until) if period.until is not None else None
    return ticket_figures(conn, since, until)
