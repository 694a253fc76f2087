"""The console's one door to the conversation log: every read and write of the store goes through
here (links, sessions, actions, reports, the conversation search), so the console depends on the
store's interface in this file only. Blocking calls: Starlette runs the sync routes in a thread.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from bot.review.clusters import Cluster, Query, cluster
from bot.review.console import overview
from bot.review.reports import (
    Stats,
    ThresholdReport,
    export_lines,
    load_stats,
    load_threshold,
    load_unanswered,
)
from bot.store import console as store
from bot.store import handoffs
from bot.store.console import ActionRow, ConversationRow, LinkState
from bot.store.handoffs import HandoffView, Undo
from bot.store.queries import END_OF_TIME, Connection, Period, ticket_rows
from bot.store.records import format_ts
from bot.store.store import Store

__all__ = ["ActionRow", "ConversationRow", "HandoffView", "LinkState", "Log", "Period", "Store", "Undo"]


class Log:
    """The conversation log in `db` (the one Store: SQLite, or the server of BOT_DB_URL)."""

    def __init__(self, db: Store) -> None:
        self.db = db
        # The rows last clustered and their clusters: a hand-off's POST and the page it redirects
        # to read the same rows, and clustering is the slow part of the Unanswered page.
        self._clustered: tuple[tuple[Query, ...], list[Cluster]] | None = None

    @contextmanager
    def _conn(self) -> Iterator[Connection]:
        with store.writing(self.db) as conn:
            yield conn

    # ---- sign-in

    def add_link(self, token_hash: str, now: datetime, expires: datetime, issued_to: str) -> None:
        with self._conn() as conn:
            store.purge_auth(conn, now)
            store.add_link(conn, token_hash, now, expires, issued_to)

    def use_link(self, token_hash: str, now: datetime) -> LinkState:
        with self._conn() as conn:
            return store.use_link(conn, token_hash, now)

    def add_session(self, id_hash: str, csrf: str, now: datetime, expires: datetime) -> None:
        with self._conn() as conn:
            store.add_session(conn, id_hash, csrf, now, expires)

    def session_csrf(self, id_hash: str, now: datetime) -> str | None:
        with self._conn() as conn:
            return store.session_csrf(conn, id_hash, now)

    def end_session(self, id_hash: str, now: datetime) -> None:
        with self._conn() as conn:
            store.end_session(conn, id_hash, now)

    # ---- reports

    def stats(self, period: Period, now: datetime | None = None) -> Stats:
        """The overview: kept figures of closed days plus the live figures of the rest."""
        now = now or datetime.now(UTC)
        closed = datetime(now.year, now.month, now.day, tzinfo=UTC) - timedelta(days=1)
        with self._conn() as conn:
            kept = _complete(conn, format_ts(closed))
            days: dict[str, overview.Day] = {}
            live: list[tuple[datetime, datetime]] = []
            since = period.since or datetime.min.replace(tzinfo=UTC)
            until = min(period.until or END_OF_TIME, END_OF_TIME)
            start = since
            for day in sorted(kept):
                begin = datetime.fromisoformat(day).replace(tzinfo=UTC)
                end = begin + timedelta(days=1)
                if begin >= since and end <= until:
                    if begin > start:
                        live.append((start, begin))
                    days[day] = kept[day]
                    start = end
            if start < until:
                live.append((start, until))
            for lo, hi in live:
                rows = store.day_rows(conn, format_ts(lo), format_ts(hi))
                for day, figures in overview.summarise(
                    rows.groups, rows.users, rows.intents, rows.latencies
                ).items():
                    days[day] = figures
            bounds = [None if b is None else format_ts(b) for b in (period.since, period.until)]
            users = store.distinct_users(conn, bounds[0], bounds[1])
            votes = store.vote_counts(conn, bounds[0], bounds[1])
            tickets = ticket_rows(conn, period)
        return overview.stats(period.label(), days, users, votes, tickets)

    def exact_stats(self, period: Period) -> Stats:
        """`review stats` itself (reads every row): what the overview must equal."""
        with self.db.reading() as conn:
            return load_stats(conn, period, top=10)

    def clusters(self, period: Period) -> list[Cluster]:
        """The unanswered questions of `period` in clusters (worked out again only when the rows
        differ from the last call's)."""
        with self.db.reading() as conn:
            queries = tuple(load_unanswered(conn, period))
        last = self._clustered
        if last is not None and last[0] == queries:
            return list(last[1])
        found = cluster(queries)
        self._clustered = (queries, found)
        return list(found)

    def threshold(self, period: Period, step: float = 0.05) -> ThresholdReport:
        with self.db.reading() as conn:
            return load_threshold(conn, period, step)

    def export(self, period: Period, fmt: str) -> Iterator[str]:
        """The export, streamed (the connection stays open until the last piece)."""
        with self.db.reading() as conn:
            yield from export_lines(conn, period, fmt)

    def conversations(
        self,
        period: Period,
        *,
        outcome: str | None,
        lang: str | None,
        intent: str | None,
        search: str | None,
        limit: int,
        offset: int,
    ) -> list[ConversationRow]:
        with self.db.reading() as conn:
            return store.conversations(
                conn,
                period,
                outcome=outcome,
                lang=lang,
                intent=intent,
                search=search,
                limit=limit,
                offset=offset,
            )

    # ---- actions

    def add_action(
        self,
        now: datetime,
        kind: str,
        query: str,
        target: str | None,
        path: str | None = None,
        before_text: str | None = None,
        after_hash: str | None = None,
    ) -> None:
        with self._conn() as conn:
            store.add_action(conn, now, kind, query, target, path, before_text, after_hash)

    def recent_actions(self, limit: int = 20) -> list[ActionRow]:
        with self._conn() as conn:
            return store.recent_actions(conn, limit)

    def action(self, action_id: int) -> ActionRow | None:
        with self._conn() as conn:
            return store.get_action(conn, action_id)

    def mark_undone(self, action_id: int, now: datetime) -> bool:
        with self._conn() as conn:
            return store.mark_undone(conn, action_id, now)

    def marked(self) -> dict[str, str]:
        with self._conn() as conn:
            return store.marked(conn)

    # ---- hand-offs to the press office (the running bot posts them)

    def hand_off(self, now: datetime, found: Cluster) -> int:
        """Queue `found` for the press office and record it as a 'press' action; the action's id."""
        main = found.langs[0][0] if found.langs and found.langs[0][0] != "?" else "en"
        with self._conn() as conn:
            return handoffs.record(
                conn,
                now,
                question=found.text,
                questions=found.questions,
                asked=found.size,
                users=found.users,
                lang=main,
                intent=found.intent,
                confidence=found.score,
            )

    def undo_handoff(self, action_id: int, now: datetime) -> Undo:
        with self._conn() as conn:
            return handoffs.undo(conn, action_id, now)

    def handoffs(self, limit: int = 20) -> list[HandoffView]:
        with self._conn() as conn:
            return handoffs.listing(conn, limit)


def _complete(conn: Connection, closed: str) -> dict[str, overview.Day]:
    """The kept figures of every day before `closed`, computed where missing or out of date
    (rows erased or added late since they were counted)."""
    kept = {day: (n, text) for day, (n, text) in store.kept_days(conn).items()}
    first = store.first_ts(conn)
    if first is None:
        if kept:
            store.drop_days(conn, list(kept))
        return {}
    start = first[:10]
    if kept:
        last = max(kept)
        start = max(start, (datetime.fromisoformat(last) + timedelta(days=1)).strftime("%Y-%m-%d"))
    if start + "T" < closed:
        _keep(conn, format_ts(datetime.fromisoformat(start).replace(tzinfo=UTC)), closed)
        kept = store.kept_days(conn)
    counted = sum(n for n, _ in kept.values())
    if store.count_range(conn) - store.count_range(conn, since=closed) != counted:
        # Rows were erased (forget, retention) or arrived late: recount the days that differ.
        actual = store.count_per_day(conn, closed)
        stale = [d for d in kept if actual.get(d, 0) != kept[d][0]]
        store.drop_days(conn, stale)
        for day in sorted(set(actual) - set(kept) | set(stale)):
            begin = datetime.fromisoformat(day).replace(tzinfo=UTC)
            if actual.get(day):
                _keep(conn, format_ts(begin), format_ts(begin + timedelta(days=1)))
        kept = store.kept_days(conn)
    return {day: overview.Day.from_json(text) for day, (_, text) in kept.items()}


def _keep(conn: Connection, since: str, until: str) -> None:
    rows = store.day_rows(conn, since, until)
    days = overview.summarise(rows.groups, rows.users, rows.intents, rows.latencies)
    store.keep_days(conn, [(day, d.rows, d.to_json()) for day, d in days.items()])
