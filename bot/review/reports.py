"""The review's reports over the conversation log: rows from bot.store.queries into a dataclass,
and one formatter into a readable table, for each of stats, unanswered, export, threshold and the
HTML report's data.

A connection from bot.store.queries.reading() in, dataclasses and text out; no SQL here (the store
holds it), clustering is in bot.review.clusters, the command line in bot.review.commands. Never
imports telegram or sqlite3.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import statistics
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TextIO

from bot.review.clusters import Cluster, Query, cluster
from bot.review.display import visible
from bot.review.html import ReportData
from bot.store.queries import (
    END_OF_TIME,
    EXPORT_COLUMNS,
    Connection,
    Period,
    TicketFigures,
    export_rows,
    labelled_confidences,
    stats_rows,
    ticket_rows,
    unanswered_rows,
)

# Re-exported: the review's callers know them from here.
__all__ = ["EXPORT_COLUMNS", "Period", "TicketFigures"]

OUTCOMES = ("answered", "suggested", "declined", "unknown", "smalltalk", "other")


# ---- periods --------------------------------------------------------------------------------


def parse_when(text: str, *, end: bool = False) -> datetime:
    """YYYY-MM-DD (the whole day: with `end`, up to the next midnight) or an ISO time, as UTC."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        pass
    else:
        start = datetime(day.year, day.month, day.day, tzinfo=UTC)
        if not end:
            return start
        try:
            return start + timedelta(days=1)
        except OverflowError:  # --until 9999-12-31: up to the end of the calendar
            return END_OF_TIME
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date (use YYYY-MM-DD or YYYY-MM-DDTHH:MM, UTC)"
        ) from None
    try:
        return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    except OverflowError:
        raise argparse.ArgumentTypeError(f"{text!r} is outside the calendar in UTC") from None


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
    throttled: int = 0  # updates over a user's budget: logged, never answered, not queries
    tickets: TicketFigures | None = None  # questions handed to the press office


def load_stats(conn: Connection, period: Period, top: int = 10) -> Stats:
    """Counts, rates, languages, days, top intents, latency and feedback over `period`."""
    rows = stats_rows(conn, period, top)
    found = dict(rows.outcomes)
    outcomes = {o: found.pop(o, 0) for o in OUTCOMES} | dict(sorted(found.items()))
    queries = sum(outcomes.values())
    latencies = rows.latencies
    return Stats(
        period=period.label(),
        exchanges=sum(rows.kinds.values()),
        queries=queries,
        commands=rows.kinds.get("command", 0),
        taps=rows.kinds.get("callback", 0),
        users=rows.users,
        outcomes=outcomes,
        languages=[LanguageRow(*row) for row in rows.languages],
        days=[DayRow(*row) for row in rows.days],
        top_intents=list(rows.top_intents),
        latency_median_ms=statistics.median(latencies) if latencies else None,
        latency_p95_ms=nearest_rank(latencies, 95) if latencies else None,
        helpful=rows.votes.get(1, 0),
        not_helpful=rows.votes.get(-1, 0),
        rates={o: round(n / queries, 4) for o, n in outcomes.items()} if queries else {},
        throttled=rows.throttled,
        tickets=ticket_rows(conn, period),
    )


def nearest_rank(values: Sequence[float], percent: float) -> float:
    """The smallest value with at least `percent` % of the values at or below it (0.0 for none)."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, max(0, math.ceil(percent / 100 * len(ordered)) - 1))]


def format_stats(stats: Stats) -> str:
    """The `stats` report as tables."""
    q = stats.queries
    lines = [
        f"Conversation log, {stats.period} (UTC)",
        f"{plural(stats.exchanges, 'exchange')}: {plural(q, 'query')}, "
        f"{plural(stats.commands, 'command')}, {plural(stats.taps, 'button tap')}, "
        f"from {plural(stats.users, 'user')}",
        f"throttled (over a user's budget, not counted as queries): {stats.throttled}",
        "",
        table(["outcome", "queries", "share"], [[o, n, pct(n, q)] for o, n in stats.outcomes.items()]),
        "",
        table(
            ["language", "queries", "answered"],
            [[r.lang, r.queries, pct(r.answered, r.queries)] for r in stats.languages],
        ),
        "",
        table(
            ["day", "queries", "answered", "users"],
            [[r.day, r.queries, pct(r.answered, r.queries), r.users] for r in stats.days],
        ),
        "",
        table(["top intent", "answered"], [list(row) for row in stats.top_intents]),
        "",
        f"latency: median {ms(stats.latency_median_ms)}, p95 {ms(stats.latency_p95_ms)}",
        f"feedback: {stats.helpful} helpful, {stats.not_helpful} not helpful",
    ]
    t = stats.tickets
    if t is not None and t.opened:
        wait = "-" if t.median_answer_s is None else f"{t.median_answer_s / 3600:.1f} h"
        lines += [
            "",
            f"press office: {plural(t.opened, 'ticket')} opened, {t.answered} answered, "
            f"{t.dismissed} dismissed; median time to answer {wait}",
            table(["most handed-off question", "tickets"], [list(r) for r in t.top_questions]),
        ]
    return "\n".join(lines)


# ---- unanswered and suggest -----------------------------------------------------------------


def load_unanswered(conn: Connection, period: Period, below: float | None = None) -> list[Query]:
    """Queries declined or only suggested, answers marked not helpful, and (with `below`)
    answers whose confidence was under it. Known unknowns are answered on purpose: left out."""
    return [
        Query(
            r.text,
            r.lang,
            r.intent,
            r.confidence,
            r.user_ps,
            r.outcome,
            r.outcome == "answered" and r.net_votes < 0,
        )
        for r in unanswered_rows(conn, period, below)
    ]


def format_clusters(clusters: Sequence[Cluster], period: str, limit: int) -> str:
    """The `unanswered` report: questions about the release first, one row per cluster, largest
    first; then off-topic messages apart."""
    about = [c for c in clusters if not c.offtopic]
    noise = [c for c in clusters if c.offtopic]
    total = sum(c.size for c in about)
    head = f"Unanswered queries, {period} (UTC): {total} in {plural(len(about), 'cluster')}"
    header = ["#", "queries", "users", "lang", "nearest intent", "score", "question"]
    out = head
    if about:
        rows = [
            [i, c.size, c.users, _langs(c), c.intent or "-", score(c.score), short(c.text, 60)]
            for i, c in enumerate(about[:limit], start=1)
        ]
        out += "\n\n" + table(header, rows)
    if noise:
        out += f"\n\nOff-topic messages (not about the release): {sum(c.size for c in noise)}"
        rows = [[i, c.size, c.users, _langs(c), short(c.text, 60)] for i, c in enumerate(noise[:limit], 1)]
        out += "\n\n" + table(["#", "messages", "users", "lang", "message"], rows)
    return out


# ---- export ---------------------------------------------------------------------------------

_FORMULA_START = ("=", "+", "-", "@")


def export(conn: Connection, period: Period, fmt: str, out: TextIO) -> int:
    """Write the raw log (pseudonyms, never raw ids) as csv or jsonl; return the row count.

    In csv, a text that a spreadsheet would run as a formula gets a leading apostrophe.
    """
    written = -1 if fmt == "csv" else 0  # csv: the header is not a row
    for text in export_lines(conn, period, fmt):
        out.write(text)
        written += 1
    return max(written, 0)


def export_lines(conn: Connection, period: Period, fmt: str) -> Iterator[str]:
    """The export piece by piece (csv: the header, then one row each; jsonl: one line each), for
    a download that streams instead of holding the whole log in memory."""
    buffer = io.StringIO()
    writer = csv.writer(buffer) if fmt == "csv" else None
    if writer:
        writer.writerow(EXPORT_COLUMNS)
        yield _take(buffer)
    for row in export_rows(conn, period):
        if writer:
            writer.writerow([_defuse(v) for v in row])
            yield _take(buffer)
        else:
            yield json.dumps(dict(zip(EXPORT_COLUMNS, row, strict=True)), ensure_ascii=False) + "\n"


def _take(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def _defuse(value: object) -> object:
    """A text a spreadsheet could run as a formula, with a leading apostrophe: one starting with
    = + - @ (full-width ＝＋－＠ too), also after leading spaces, tabs or line breaks, and one
    starting with a control character."""
    if not isinstance(value, str) or not value:
        return value
    first = value.lstrip()[:1]
    if (
        value[0].isspace()
        or not value[0].isprintable()
        or unicodedata.normalize("NFKC", first).startswith(_FORMULA_START)
    ):
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


def load_threshold(conn: Connection, period: Period, step: float = 0.05) -> ThresholdReport:
    """Coverage and wrong-answer rate at thresholds 0, step, ... 1 over voted queries.

    A query is labelled by the sum of its votes: above 0 right, below 0 wrong, 0 left out.
    Only queries that were shown an answer get votes, so low thresholds are seen from above.
    """
    labelled = labelled_confidences(conn, period)
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
        [
            f"{r.threshold:.2f}",
            r.answered,
            pct(r.answered, report.labelled),
            r.wrong,
            pct(r.wrong, r.answered),
        ]
        for r in report.rows
    ]
    return head + "\n\n" + table(["threshold", "answered", "coverage", "wrong", "wrong rate"], rows)


# ---- the HTML report ------------------------------------------------------------------------


def build_report(conn: Connection, period: Period, now: datetime, clusters_shown: int = 10) -> ReportData:
    """Everything the HTML page shows."""
    stats = load_stats(conn, period)
    clusters = [c for c in cluster(load_unanswered(conn, period)) if not c.offtopic][:clusters_shown]
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
        clusters=tuple((visible(c.text), c.size, c.intent) for c in clusters),
        helpful=stats.helpful,
        not_helpful=stats.not_helpful,
        latency_median_ms=stats.latency_median_ms,
        latency_p95_ms=stats.latency_p95_ms,
        tickets=(stats.tickets.opened, stats.tickets.answered, stats.tickets.median_answer_s)
        if stats.tickets
        else (0, 0, None),
        handed_off=tuple(stats.tickets.top_questions) if stats.tickets else (),
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
    """One line of at most `width` characters (control and bidi characters made visible)."""
    text = visible(" ".join(text.split()))
    return text if len(text) <= width else text[: width - 1] + "…"
