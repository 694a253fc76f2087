"""The review's reports over the conversation log: one query into a dataclass and one formatter
into a readable table for each of stats, unanswered, export, threshold and the HTML report's data.

Plain sqlite3 connections in (bot.store.db opens them), dataclasses and text out; clustering is in
bot.review.clusters. The command line around these is bot.review.commands. Never imports telegram.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sqlite3
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TextIO

from bot.review.clusters import Cluster, Query, cluster
from bot.review.html import ReportData
from bot.store.db import format_ts

QUERY_KINDS = ("message", "inline")  # what counts as a question; commands and taps do not
OUTCOMES = ("answered", "suggested", "declined", "unknown", "smalltalk", "other")
_IS_QUERY = f"e.kind IN ({', '.join(repr(k) for k in QUERY_KINDS)})"
_NET = "(SELECT exchange_id, sum(value) AS net FROM feedback GROUP BY exchange_id)"


# ---- periods --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """[since, until) in UTC; None means open."""

    since: datetime | None = None
    until: datetime | None = None

    def sql(self, column: str = "e.ts") -> tuple[str, list[str]]:
        """A WHERE fragment and its parameters."""
        parts, params = ["1 = 1"], []
        if self.since is not None:
            parts.append(f"{column} >= ?")
            params.append(format_ts(self.since))
        if self.until is not None:
            parts.append(f"{column} < ?")
            params.append(format_ts(self.until))
        return " AND ".join(parts), params

    def label(self) -> str:
        """'all time', 'from 2024-06-25', 'until 2024-06-27', '2024-06-25 to 2024-06-27'."""
        start = None if self.since is None else _when(self.since)
        end = None
        if self.until is not None:
            midnight = self.until.time() == datetime.min.time()
            end = _when(self.until - timedelta(days=1)) if midnight else _when(self.until)
        if start and end:
            return start if start == end else f"{start} to {end}"
        if start:
            return f"from {start}"
        return f"until {end}" if end else "all time"


def _when(moment: datetime) -> str:
    if moment.time() == datetime.min.time():
        return moment.strftime("%Y-%m-%d")
    return moment.strftime("%Y-%m-%d %H:%M")


def parse_when(text: str, *, end: bool = False) -> datetime:
    """YYYY-MM-DD (the whole day: with `end`, up to the next midnight) or an ISO time, as UTC."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        pass
    else:
        start = datetime(day.year, day.month, day.day, tzinfo=UTC)
        return start + timedelta(days=1) if end else start
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date (use YYYY-MM-DD or YYYY-MM-DDTHH:MM, UTC)"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# ---- stats ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LanguageRow:
    lang: str
    queries: int
    answered: int


@dataclass(frozen=True)
class DayRow:
    day: str
    queries: int
    answered: int
    users: int


@dataclass(frozen=True)
class Stats:
    """The `stats` report."""

    period: str
    exchanges: int
    queries: int
    commands: int
    taps: int
    users: int
    outcomes: dict[str, int]
    languages: list[LanguageRow]
    days: list[DayRow]
    top_intents: list[tuple[str, int]]
    latency_median_ms: float | None
    latency_p95_ms: float | None
    helpful: int
    not_helpful: int
    rates: dict[str, float] = field(default_factory=dict)


def load_stats(conn: sqlite3.Connection, period: Period, top: int = 10) -> Stats:
    """Counts, rates, languages, days, top intents, latency and feedback over `period`."""
    where, params = period.sql()
    kinds = dict(
        conn.execute(f"SELECT kind, count(*) FROM exchanges e WHERE {where} GROUP BY kind", params).fetchall()
    )
    users = conn.execute(f"SELECT count(DISTINCT user_ps) FROM exchanges e WHERE {where}", params).fetchone()[
        0
    ]
    queries_where = f"{where} AND {_IS_QUERY}"
    found = dict(
        conn.execute(
            f"SELECT outcome, count(*) FROM exchanges e WHERE {queries_where} GROUP BY outcome",
            params,
        ).fetchall()
    )
    outcomes = {o: found.pop(o, 0) for o in OUTCOMES} | dict(sorted(found.items()))
    queries = sum(outcomes.values())
    languages = [
        LanguageRow(*row)
        for row in conn.execute(
            "SELECT coalesce(lang, '?'), count(*), sum(outcome = 'answered') FROM exchanges e "
            f"WHERE {queries_where} GROUP BY 1 ORDER BY 2 DESC, 1",
            params,
        )
    ]
    days = [
        DayRow(*row)
        for row in conn.execute(
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
        row[0]
        for row in conn.execute(
            f"SELECT latency_ms FROM exchanges e WHERE {where} AND latency_ms IS NOT NULL ORDER BY 1",
            params,
        )
    ]
    fb_where, fb_params = period.sql("ts")
    votes = dict(
        conn.execute(
            f"SELECT value, count(*) FROM feedback WHERE {fb_where} GROUP BY value", fb_params
        ).fetchall()
    )
    return Stats(
        period=period.label(),
        exchanges=sum(kinds.values()),
        queries=queries,
        commands=kinds.get("command", 0),
        taps=kinds.get("callback", 0),
        users=users,
        outcomes=outcomes,
        languages=languages,
        days=days,
        top_intents=[(intent, n) for intent, n in intents],
        latency_median_ms=statistics.median(latencies) if latencies else None,
        latency_p95_ms=_nearest_rank(latencies, 95) if latencies else None,
        helpful=votes.get(1, 0),
        not_helpful=votes.get(-1, 0),
        rates={o: round(n / queries, 4) for o, n in outcomes.items()} if queries else {},
    )


def _nearest_rank(ordered: Sequence[float], percent: float) -> float:
    """The smallest value with at least `percent` % of the values at or below it."""
    return ordered[max(0, math.ceil(percent / 100 * len(ordered)) - 1)]


def format_stats(stats: Stats) -> str:
    """The `stats` report as tables."""
    q = stats.queries
    lines = [
        f"Conversation log, {stats.period} (UTC)",
        f"{plural(stats.exchanges, 'exchange')}: {plural(q, 'query')}, "
        f"{plural(stats.commands, 'command')}, {plural(stats.taps, 'button tap')}, "
        f"from {plural(stats.users, 'user')}",
        "",
        table(["outcome", "queries", "share"],
              [[o, n, pct(n, q)] for o, n in stats.outcomes.items()]),
        "",
        table(["language", "queries", "answered"],
              [[r.lang, r.queries, pct(r.answered, r.queries)] for r in stats.languages]),
        "",
        table(["day", "queries", "answered", "users"],
              [[r.day, r.queries, pct(r.answered, r.queries), r.users] for r in stats.days]),
        "",
        table(["top intent", "answered"], [list(row) for row in stats.top_intents]),
        "",
        f"latency: median {ms(stats.latency_median_ms)}, p95 {ms(stats.latency_p95_ms)}",
        f"feedback: {stats.helpful} helpful, {stats.not_helpful} not helpful",
    ]  # fmt: skip
    return "\n".join(lines)


# ---- unanswered and suggest -----------------------------------------------------------------


def load_unanswered(conn: sqlite3.Connection, period: Period, below: float | None = None) -> list[Query]:
    """Queries declined or only suggested, answers marked not helpful, and (with `below`)
    answers whose confidence was under it. Known unknowns are answered on purpose: left out."""
    where, params = period.sql()
    rows = conn.execute(
        "SELECT e.text, e.lang, e.intent, e.confidence, e.user_ps, e.outcome, "
        f"coalesce(f.net, 0) FROM exchanges e LEFT JOIN {_NET} f ON f.exchange_id = e.id "
        f"WHERE {where} AND {_IS_QUERY} AND (e.outcome IN ('declined', 'suggested') OR "
        "(e.outcome = 'answered' AND (coalesce(f.net, 0) < 0 OR e.confidence < ?))) "
        "ORDER BY e.ts, e.id",
        [*params, -1.0 if below is None else below],
    ).fetchall()
    return [
        Query(text, lang, intent, conf, user, outcome, outcome == "answered" and net < 0)
        for text, lang, intent, conf, user, outcome, net in rows
    ]


def format_clusters(clusters: Sequence[Cluster], period: str, limit: int) -> str:
    """The `unanswered` report: one row per cluster, largest first."""
    total = sum(c.size for c in clusters)
    head = f"Unanswered queries, {period} (UTC): {total} in {plural(len(clusters), 'cluster')}"
    if not clusters:
        return head
    rows = [
        [i, c.size, c.users, _langs(c), c.intent or "-", score(c.score), short(c.text, 60)]
        for i, c in enumerate(clusters[:limit], start=1)
    ]
    header = ["#", "queries", "users", "lang", "nearest intent", "score", "question"]
    return head + "\n\n" + table(header, rows)


# ---- export ---------------------------------------------------------------------------------

EXPORT_COLUMNS = (
    "id", "ts", "channel", "user_ps", "chat_ps", "chat_type", "kind", "lang", "lang_pinned",
    "text", "reply", "intent", "confidence", "outcome", "latency_ms", "feedback",
)  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def export(conn: sqlite3.Connection, period: Period, fmt: str, out: TextIO) -> int:
    """Write the raw log (pseudonyms, never raw ids) as csv or jsonl; return the row count.

    In csv, a text that a spreadsheet would run as a formula gets a leading apostrophe.
    """
    where, params = period.sql()
    columns = ", ".join(f"e.{c}" for c in EXPORT_COLUMNS[:-1])
    cursor = conn.execute(
        f"SELECT {columns}, f.net FROM exchanges e LEFT JOIN {_NET} f ON f.exchange_id = e.id "
        f"WHERE {where} ORDER BY e.ts, e.id",
        params,
    )
    writer = csv.writer(out) if fmt == "csv" else None
    if writer:
        writer.writerow(EXPORT_COLUMNS)
    written = 0
    for row in cursor:
        if writer:
            writer.writerow([_defuse(v) for v in row])
        else:
            out.write(json.dumps(dict(zip(EXPORT_COLUMNS, row, strict=True)), ensure_ascii=False))
            out.write("\n")
        written += 1
    return written


def _defuse(value: object) -> object:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


# ---- threshold ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ThresholdRow:
    threshold: float
    answered: int  # labelled queries at or above the threshold
    coverage: float  # answered / labelled
    wrong: int  # of those, marked not helpful
    wrong_rate: float | None  # wrong / answered


@dataclass(frozen=True)
class ThresholdReport:
    """What each answer threshold would have done to the queries that got feedback."""

    period: str
    labelled: int
    rows: list[ThresholdRow]


def load_threshold(conn: sqlite3.Connection, period: Period, step: float = 0.05) -> ThresholdReport:
    """Coverage and wrong-answer rate at thresholds 0, step, ... 1 over voted queries.

    A query is labelled by the sum of its votes: above 0 right, below 0 wrong, 0 left out.
    Only queries that were shown an answer get votes, so low thresholds are seen from above.
    """
    where, params = period.sql()
    labelled = conn.execute(
        f"SELECT e.confidence, f.net < 0 FROM exchanges e JOIN {_NET} f ON f.exchange_id = e.id "
        f"WHERE {where} AND {_IS_QUERY} AND e.confidence IS NOT NULL AND f.net != 0",
        params,
    ).fetchall()
    steps = round(1 / step)
    rows = []
    for i in range(steps + 1):
        t = round(i / steps, 4)
        above = [bad for conf, bad in labelled if conf >= t]
        wrong = sum(above)
        rows.append(
            ThresholdRow(
                threshold=t,
                answered=len(above),
                coverage=round(len(above) / len(labelled), 4) if labelled else 0.0,
                wrong=wrong,
                wrong_rate=round(wrong / len(above), 4) if above else None,
            )
        )
    return ThresholdReport(period.label(), len(labelled), rows)


def format_threshold(report: ThresholdReport) -> str:
    head = (
        f"Answer threshold, {report.period} (UTC): {plural(report.labelled, 'query')} with "
        "feedback\n"
        "answered = confidence at or above the threshold; wrong = marked not helpful"
    )
    if not report.labelled:
        return head + "\n\nNo feedback yet: nothing to measure."
    rows = [
        [f"{r.threshold:.2f}", r.answered, pct(r.answered, report.labelled), r.wrong,
         pct(r.wrong, r.answered)]
        for r in report.rows
    ]  # fmt: skip
    return head + "\n\n" + table(["threshold", "answered", "coverage", "wrong", "wrong rate"], rows)


# ---- the HTML report ------------------------------------------------------------------------


def build_report(
    conn: sqlite3.Connection, period: Period, now: datetime, clusters_shown: int = 10
) -> ReportData:
    """Everything the HTML page shows."""
    stats = load_stats(conn, period)
    clusters = cluster(load_unanswered(conn, period))[:clusters_shown]
    return ReportData(
        title="Conversation log review",
        period=f"{stats.period} (UTC)",
        generated=now.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        queries=stats.queries,
        users=stats.users,
        answered=stats.outcomes["answered"],
        days=tuple((d.day, d.queries, d.answered) for d in stats.days),
        languages=tuple((r.lang, r.queries) for r in stats.languages),
        intents=tuple(stats.top_intents),
        clusters=tuple((c.text, c.size, c.intent) for c in clusters),
        helpful=stats.helpful,
        not_helpful=stats.not_helpful,
        latency_median_ms=stats.latency_median_ms,
        latency_p95_ms=stats.latency_p95_ms,
    )


# ---- text helpers ---------------------------------------------------------------------------


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Columns padded to their widest cell; numbers (and percentages) right-aligned."""
    cells = [[str(c) for c in header]] + [[_cell(c) for c in row] for row in rows]
    numeric = [all(_numeric(row[i]) for row in rows) and bool(rows) for i in range(len(header))]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = []
    for row in cells:
        parts = [c.rjust(w) if num else c.ljust(w) for c, w, num in zip(row, widths, numeric, strict=True)]
        lines.append("  ".join(parts).rstrip())
    if not rows:
        lines.append("(none)")
    return "\n".join(lines)


def _cell(value: object) -> str:
    return "-" if value is None else str(value)


def _numeric(value: object) -> bool:
    if isinstance(value, int | float):
        return True
    return isinstance(value, str) and (value == "-" or value.rstrip("%").replace(".", "").isdigit())


def plural(n: int, word: str) -> str:
    """'1 query', '2 queries', '3 users'."""
    if n == 1:
        return f"{n} {word}"
    return f"{n} {word[:-1]}ies" if word.endswith("y") else f"{n} {word}s"


def pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f} ms"


def score(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _langs(c: Cluster) -> str:
    return ",".join(lang for lang, _ in c.langs)


def short(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
