"""The press office's tables: tickets (a question handed off), "notify me" subscriptions, the
update notices admins confirm and each subscriber's delivery of a notice (so a notice stopped by a
crash resumes where it stopped, and nobody is told twice). The only place in the store where a raw
Telegram chat id is kept, because the user asked to be contacted; it goes when the ticket is closed
plus a retention period, when the subscription ends or expires, and with /forget (bot.store.forget
erases both tables). A delivery holds no chat id (it reads the subscription's when it is sent)
and goes when its notice is finished.

Plain functions on a connection of the store (bot.store.contract.Connection), each call on a
connection of its own in a worker thread (`PressStore`). No telegram here.
"""

from __future__ import annotations

import asyncio
import hashlib
import statistics
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, TypeVar

from bot.errors import StoreUnavailable
from bot.store.contract import Connection
from bot.store.pseudonym import pseudonymise
from bot.store.queue import replica_id
from bot.store.records import format_ts
from bot.store.store import Store

_T = TypeVar("_T")
TicketState = Literal["open", "answered", "dismissed"]
NoticeState = Literal["asked", "sent", "skipped"]  # "sent": Send was tapped (done_ts: finished)
# pending: not yet sent; sent: Telegram accepted it; failed: it cannot be (blocked, gone, retries
# spent); dropped: no longer due (unsubscribed, erased, told otherwise, or the notice superseded).
DeliveryState = Literal["pending", "sent", "failed", "dropped"]
Opened = Literal["opened", "exists", "limit"]

TICKET_COLUMNS = (
    "id, exchange_id, user_ps, chat_id, user_name, lang, question, intent, confidence, state, "
    "claimed_by, group_message_id, opened_ts, answered_ts, closed_ts, answers, answer, handoff_id"
)


def answer_hash(text: str) -> str:
    """A short fingerprint of an answer text: a subscription remembers the one it was told."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Handed:
    """A logged exchange that may be handed off: what the ticket will carry."""

    user_ps: str | None
    text: str
    lang: str
    intent: str | None
    confidence: float | None
    outcome: str


@dataclass(frozen=True)
class Ticket:
    """One question handed to the press office."""

    id: int
    exchange_id: str
    user_ps: str
    chat_id: int | None  # None once erased after closing plus the retention period
    user_name: str | None
    lang: str
    question: str
    intent: str | None
    confidence: float | None
    state: TicketState
    claimed_by: str | None
    group_message_id: int | None
    opened_ts: str
    answered_ts: str | None
    closed_ts: str | None
    answers: int
    answer: str | None  # the staff's answers so far (a draft intent starts from them)
    handoff_id: int | None = None  # a review console's hand-off (bot.store.handoffs): no asker


@dataclass(frozen=True)
class Subscription:
    """A user's wish to hear when an intent's answer changes."""

    user_ps: str
    intent: str
    chat_id: int
    lang: str
    answer_hash: str


@dataclass(frozen=True)
class Notice:
    """An "answer of X changed" prompt to the admins."""

    id: int
    intent: str
    answer_hash: str
    state: NoticeState


@dataclass(frozen=True)
class NoticeRun:
    """A notice an admin decided to send, as its sender sees it."""

    id: int
    intent: str
    answer_hash: str
    admin_chat_id: int | None  # where the admin who tapped Send sees the progress (None: all admins)
    admin_message_id: int | None
    total: int | None  # deliveries planned; None until they are
    reported: int  # the last milestone the admin was told of


@dataclass(frozen=True)
class Delivery:
    """One pending delivery of a notice, with its subscription as it is now."""

    user_ps: str
    attempts: int
    chat_id: int | None  # None: no longer subscribed (unsubscribed, expired or erased)
    lang: str | None
    answer_hash: str | None  # the answer the subscriber was told last


@dataclass(frozen=True)
class Progress:
    """How far a notice is: its deliveries by state."""

    total: int
    sent: int = 0
    failed: int = 0
    dropped: int = 0
    pending: int = 0

    @property
    def done(self) -> int:
        """Deliveries settled, one way or another."""
        return self.sent + self.failed + self.dropped


@dataclass(frozen=True)
class TicketFigures:
    """The review's view of the tickets in a period."""

    opened: int
    answered: int
    dismissed: int
    median_answer_s: float | None
    top_questions: list[tuple[str, int]]


# ---- plain functions on a connection ----------------------------------------------------------


def _ticket(row: Any) -> Ticket | None:
    return None if row is None else Ticket(*row)  # TICKET_COLUMNS is in field order


def exchange_for_handoff(conn: Connection, exchange_id: str) -> Handed | None:
    """The logged exchange `exchange_id`, or None."""
    row = conn.execute(
        "SELECT user_ps, text, lang, intent, confidence, outcome FROM exchanges WHERE id = ?",
        (exchange_id,),
    ).fetchone()
    return None if row is None else Handed(*row)


def open_ticket(
    conn: Connection,
    *,
    exchange_id: str,
    user_ps: str,
    chat_id: int,
    user_name: str,
    lang: str,
    question: str,
    intent: str | None,
    confidence: float | None,
    limit: int,
    now: datetime,
) -> tuple[Opened, Ticket | None]:
    """Open a ticket for an exchange: ("opened", t), ("exists", t) for the same exchange again, or
    ("limit", None) when the user already holds `limit` open tickets."""
    with conn.transaction():
        found = _ticket(
            conn.execute(
                f"SELECT {TICKET_COLUMNS} FROM press_tickets WHERE exchange_id = ?", (exchange_id,)
            ).fetchone()
        )
        if found is not None:
            return "exists", found
        held = conn.execute(
            "SELECT count(*) FROM press_tickets WHERE user_ps = ? AND state = 'open'", (user_ps,)
        ).fetchone()[0]
        if held >= limit:
            return "limit", None
        cursor = conn.execute(
            "INSERT INTO press_tickets (exchange_id, user_ps, chat_id, user_name, lang, question, "
            "intent, confidence, state, opened_ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)",
            (exchange_id, user_ps, chat_id, user_name, lang, question, intent, confidence, format_ts(now)),
        )
        ticket = get_ticket(conn, int(cursor.lastrowid or 0))
    return "opened", ticket


def drop_ticket(conn: Connection, ticket_id: int) -> None:
    """Remove a ticket that never reached the press office's group."""
    with conn.transaction():
        conn.execute("DELETE FROM press_tickets WHERE id = ?", (ticket_id,))


def get_ticket(conn: Connection, ticket_id: int) -> Ticket | None:
    """Ticket `ticket_id`, or None."""
    return _ticket(
        conn.execute(f"SELECT {TICKET_COLUMNS} FROM press_tickets WHERE id = ?", (ticket_id,)).fetchone()
    )


def ticket_by_message(conn: Connection, message_id: int) -> Ticket | None:
    """The ticket posted as group message `message_id`, or None."""
    return _ticket(
        conn.execute(
            f"SELECT {TICKET_COLUMNS} FROM press_tickets WHERE group_message_id = ?", (message_id,)
        ).fetchone()
    )


def set_group_message(conn: Connection, ticket_id: int, message_id: int) -> None:
    """Remember which group message shows the ticket (staff reply to it)."""
    with conn.transaction():
        conn.execute("UPDATE press_tickets SET group_message_id = ? WHERE id = ?", (message_id, ticket_id))


def record_answer(
    conn: Connection,
    ticket_id: int,
    text: str,
    now: datetime,
) -> Ticket | None:
    """Record a relayed answer: the first marks the ticket answered (and closed), later ones are
    additions."""
    stamp = format_ts(now)
    with conn.transaction():
        conn.execute(
            "UPDATE press_tickets SET state = 'answered', answers = answers + 1, "
            "answer = CASE WHEN answer IS NULL THEN ? ELSE answer || char(10, 10) || ? END, "
            "answered_ts = coalesce(answered_ts, ?), closed_ts = coalesce(closed_ts, ?) "
            "WHERE id = ? AND state != 'dismissed'",
            (text, text, stamp, stamp, ticket_id),
        )
        return get_ticket(conn, ticket_id)


def claim(conn: Connection, ticket_id: int, name: str) -> Ticket | None:
    """Mark an open ticket as taken by `name`; None when it is not open."""
    with conn.transaction():
        done = conn.execute(
            "UPDATE press_tickets SET claimed_by = ? WHERE id = ? AND state = 'open'", (name, ticket_id)
        ).rowcount
        return get_ticket(conn, ticket_id) if done else None


def dismiss(conn: Connection, ticket_id: int, now: datetime) -> Ticket | None:
    """Close an open ticket without an answer; None when it is not open."""
    with conn.transaction():
        done = conn.execute(
            "UPDATE press_tickets SET state = 'dismissed', closed_ts = ? WHERE id = ? AND state = 'open'",
            (format_ts(now), ticket_id),
        ).rowcount
        return get_ticket(conn, ticket_id) if done else None


def open_tickets(conn: Connection, limit: int = 50) -> list[Ticket]:
    """Open tickets, oldest first."""
    rows = conn.execute(
        f"SELECT {TICKET_COLUMNS} FROM press_tickets WHERE state = 'open' ORDER BY id LIMIT ?", (limit,)
    )
    return [t for t in map(_ticket, rows) if t is not None]


def subscribe(
    conn: Connection,
    *,
    user_ps: str,
    intent: str,
    chat_id: int,
    lang: str,
    digest: str,
    now: datetime,
    days: int,
) -> None:
    """Start (or renew) a subscription to an intent's answer."""
    with conn.transaction():
        conn.execute(
            "INSERT INTO press_subscriptions (user_ps, intent, chat_id, lang, answer_hash, "
            "created_ts, expires_ts) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_ps, intent) "
            "DO UPDATE SET chat_id = excluded.chat_id, lang = excluded.lang, "
            "answer_hash = excluded.answer_hash, expires_ts = excluded.expires_ts",
            (user_ps, intent, chat_id, lang, digest, format_ts(now), format_ts(now + timedelta(days=days))),
        )


def unsubscribe(conn: Connection, user_ps: str) -> int:
    """End every subscription of a user; how many."""
    with conn.transaction():
        return conn.execute("DELETE FROM press_subscriptions WHERE user_ps = ?", (user_ps,)).rowcount


def subscribers(conn: Connection, intent: str, now: datetime) -> list[Subscription]:
    """The live subscriptions to `intent`."""
    rows = conn.execute(
        "SELECT user_ps, intent, chat_id, lang, answer_hash FROM press_subscriptions "
        "WHERE intent = ? AND expires_ts > ? ORDER BY created_ts",
        (intent, format_ts(now)),
    )
    return [Subscription(*row) for row in rows]


def subscribed_intents(conn: Connection, now: datetime) -> list[str]:
    """Every intent someone is subscribed to."""
    rows = conn.execute(
        "SELECT DISTINCT intent FROM press_subscriptions WHERE expires_ts > ?", (format_ts(now),)
    )
    return [str(r[0]) for r in rows]


def mark_told(conn: Connection, user_ps: str, intent: str, digest: str) -> None:
    """A subscriber was told about the answer with `digest`."""
    with conn.transaction():
        conn.execute(
            "UPDATE press_subscriptions SET answer_hash = ? WHERE user_ps = ? AND intent = ?",
            (digest, user_ps, intent),
        )


def ask_notice(conn: Connection, intent: str, digest: str, now: datetime) -> int | None:
    """Record that admins are asked about this change of `intent`; None if they were already."""
    with conn.transaction():
        cursor = conn.execute(
            "INSERT OR IGNORE INTO press_notices (intent, answer_hash, state, ts) VALUES (?, ?, 'asked', ?)",
            (intent, digest, format_ts(now)),
        )
        return int(cursor.lastrowid or 0) if cursor.rowcount else None


def resolve_notice(
    conn: Connection,
    notice_id: int,
    state: NoticeState,
    *,
    admin_chat_id: int | None = None,
    admin_message_id: int | None = None,
) -> Notice | None:
    """Move an asked notice to sent or skipped, once, remembering the admin's message that shows
    its progress; None when it was decided before."""
    with conn.transaction():
        done = conn.execute(
            "UPDATE press_notices SET state = ?, admin_chat_id = ?, admin_message_id = ? "
            "WHERE id = ? AND state = 'asked'",
            (state, admin_chat_id, admin_message_id, notice_id),
        ).rowcount
        row = conn.execute(
            "SELECT id, intent, answer_hash, state FROM press_notices WHERE id = ?", (notice_id,)
        ).fetchone()
    return Notice(*row) if done and row is not None else None


NOTICE_RUN_COLUMNS = "id, intent, answer_hash, admin_chat_id, admin_message_id, total, reported"


def unfinished_notices(conn: Connection) -> list[NoticeRun]:
    """Notices an admin decided to send that have not finished (oldest first)."""
    rows = conn.execute(
        f"SELECT {NOTICE_RUN_COLUMNS} FROM press_notices WHERE state = 'sent' AND done_ts IS NULL ORDER BY id"
    )
    return [NoticeRun(*row) for row in rows]


def take_notice(
    conn: Connection, notice_id: int, holder: str, now: datetime, lease_s: float, *, force: bool = False
) -> NoticeRun | None:
    """Hold (or keep holding) the lease on an unfinished notice for `lease_s`, so that one sender
    sends it; None when it is finished or another holder's lease runs. `force` takes it whatever
    the lease (one process on its own file: a lease left by a killed run is its own)."""
    until = format_ts(now + timedelta(seconds=lease_s))
    free = "" if force else " AND (holder IS NULL OR holder = ? OR lease_until < ?)"
    args: tuple[Any, ...] = (holder, until, notice_id) + (() if force else (holder, format_ts(now)))
    with conn.transaction():
        taken = conn.execute(
            "UPDATE press_notices SET holder = ?, lease_until = ? "
            f"WHERE id = ? AND state = 'sent' AND done_ts IS NULL{free}",
            args,
        ).rowcount
        row = conn.execute(f"SELECT {NOTICE_RUN_COLUMNS} FROM press_notices WHERE id = ?", (notice_id,))
        found = row.fetchone()
    return NoticeRun(*found) if taken and found is not None else None


def plan_deliveries(conn: Connection, notice_id: int, digests: Mapping[str, str], now: datetime) -> int:
    """Make one pending delivery for each live subscriber of the notice's intent whose answer (in
    their language) is not `digests[lang]` yet, once per notice; how many were planned."""
    with conn.transaction():
        row = conn.execute("SELECT intent, total FROM press_notices WHERE id = ?", (notice_id,)).fetchone()
        if row is None:
            return 0
        intent, total = row
        if total is not None:
            return int(total)
        subs = conn.execute(
            "SELECT user_ps, lang, answer_hash FROM press_subscriptions WHERE intent = ? AND expires_ts > ?",
            (intent, format_ts(now)),
        ).fetchall()
        due = [(notice_id, ps) for ps, lang, seen in subs if lang in digests and seen != digests[lang]]
        if due:
            conn.executemany(
                "INSERT OR IGNORE INTO press_deliveries (notice_id, user_ps, state) VALUES (?, ?, 'pending')",
                due,
            )
        conn.execute("UPDATE press_notices SET total = ? WHERE id = ?", (len(due), notice_id))
    return len(due)


def pending_deliveries(conn: Connection, notice_id: int, now: datetime, limit: int) -> list[Delivery]:
    """Up to `limit` pending deliveries of a notice, each with its subscription as it is now."""
    rows = conn.execute(
        "SELECT d.user_ps, d.attempts, s.chat_id, s.lang, s.answer_hash FROM press_deliveries d "
        "JOIN press_notices n ON n.id = d.notice_id "
        "LEFT JOIN press_subscriptions s ON s.user_ps = d.user_ps AND s.intent = n.intent "
        "AND s.expires_ts > ? WHERE d.notice_id = ? AND d.state = 'pending' ORDER BY d.user_ps LIMIT ?",
        (format_ts(now), notice_id, limit),
    )
    return [Delivery(*row) for row in rows]


def settle_delivery(
    conn: Connection,
    notice_id: int,
    user_ps: str,
    state: DeliveryState,
    now: datetime,
    *,
    told: tuple[str, str] | None = None,
) -> bool:
    """Record how a pending delivery ended (once); with `told` = (intent, digest) for one that was
    sent, the subscription moves on to that answer in the same transaction. False if it was not
    pending."""
    with conn.transaction():
        done = conn.execute(
            "UPDATE press_deliveries SET state = ?, attempts = attempts + 1, ts = ? "
            "WHERE notice_id = ? AND user_ps = ? AND state = 'pending'",
            (state, format_ts(now), notice_id, user_ps),
        ).rowcount
        if done and told is not None:
            conn.execute(
                "UPDATE press_subscriptions SET answer_hash = ? WHERE user_ps = ? AND intent = ?",
                (told[1], user_ps, told[0]),
            )
    return bool(done)


def retry_delivery(conn: Connection, notice_id: int, user_ps: str, now: datetime, max_attempts: int) -> None:
    """A delivery that could not be sent now: tried again later, or failed after `max_attempts`."""
    with conn.transaction():
        conn.execute(
            "UPDATE press_deliveries SET attempts = attempts + 1, ts = ?, "
            "state = CASE WHEN attempts + 1 >= ? THEN 'failed' ELSE 'pending' END "
            "WHERE notice_id = ? AND user_ps = ? AND state = 'pending'",
            (format_ts(now), max_attempts, notice_id, user_ps),
        )


def notice_progress(conn: Connection, notice_id: int) -> Progress:
    """The notice's deliveries by state (after it finished: its recorded counts)."""
    row = conn.execute(
        "SELECT total, sent, failed, done_ts FROM press_notices WHERE id = ?", (notice_id,)
    ).fetchone()
    if row is None:
        return Progress(0)
    total, sent, failed, done_ts = row
    if done_ts is not None:
        total = total or 0
        return Progress(total, sent, failed, max(0, total - sent - failed))
    counts = dict(
        conn.execute(
            "SELECT state, count(*) FROM press_deliveries WHERE notice_id = ? GROUP BY state", (notice_id,)
        ).fetchall()
    )
    return Progress(
        total or 0,
        int(counts.get("sent", 0)),
        int(counts.get("failed", 0)),
        int(counts.get("dropped", 0)),
        int(counts.get("pending", 0)),
    )


def note_reported(conn: Connection, notice_id: int, milestone: int) -> bool:
    """Record that the admin was told of `milestone`; False if they were already."""
    with conn.transaction():
        return bool(
            conn.execute(
                "UPDATE press_notices SET reported = ? WHERE id = ? AND reported < ?",
                (milestone, notice_id, milestone),
            ).rowcount
        )


def finish_notice(conn: Connection, notice_id: int, now: datetime) -> Progress:
    """End a notice: what is still pending is dropped, the counts are kept on the notice and its
    delivery rows go (they hold pseudonyms; the counts are all that is left to show)."""
    with conn.transaction():
        conn.execute(
            "UPDATE press_deliveries SET state = 'dropped', ts = ? WHERE notice_id = ? AND state = 'pending'",
            (format_ts(now), notice_id),
        )
        progress = notice_progress(conn, notice_id)
        conn.execute(
            "UPDATE press_notices SET sent = ?, failed = ?, total = ?, done_ts = ?, holder = NULL, "
            "lease_until = NULL WHERE id = ? AND done_ts IS NULL",
            (progress.sent, progress.failed, progress.total, format_ts(now), notice_id),
        )
        conn.execute("DELETE FROM press_deliveries WHERE notice_id = ?", (notice_id,))
    return progress


def purge(conn: Connection, now: datetime, ticket_days: int, log_days: int) -> int:
    """Erase chat ids and names of tickets closed more than `ticket_days` ago, tickets older than
    the log's retention, and expired subscriptions; how many rows changed."""
    closed = format_ts(now - timedelta(days=ticket_days))
    old = format_ts(now - timedelta(days=log_days))
    conn.execute("PRAGMA secure_delete = ON")
    with conn.transaction():
        changed = conn.execute(
            "UPDATE press_tickets SET chat_id = NULL, user_name = NULL WHERE state != 'open' "
            "AND closed_ts < ? AND (chat_id IS NOT NULL OR user_name IS NOT NULL)",
            (closed,),
        ).rowcount
        changed += conn.execute("DELETE FROM press_tickets WHERE opened_ts < ?", (old,)).rowcount
        changed += conn.execute(
            "DELETE FROM press_subscriptions WHERE expires_ts <= ?", (format_ts(now),)
        ).rowcount
        conn.execute("DELETE FROM press_notices WHERE ts < ?", (old,))
        conn.execute("DELETE FROM press_handoffs WHERE ts < ?", (old,))  # the console's hand-offs
        conn.execute("DELETE FROM press_deliveries WHERE notice_id NOT IN (SELECT id FROM press_notices)")
    return changed


def ticket_figures(
    conn: Connection, since: str | None = None, until: str | None = None, top: int = 10
) -> TicketFigures:
    """Tickets opened in [since, until): how many, answered, dismissed, the median time to the
    first answer, and the questions handed off most often."""
    # A hand-off of the review console is no asker's request: not counted here.
    where, args = "WHERE handoff_id IS NULL", list[str]()
    if since:
        where, args = where + " AND opened_ts >= ?", [*args, since]
    if until:
        where, args = where + " AND opened_ts < ?", [*args, until]
    rows = conn.execute(
        f"SELECT state, opened_ts, answered_ts, question FROM press_tickets {where}", args
    ).fetchall()
    waits = [(_parse(a) - _parse(o)).total_seconds() for _, o, a, _ in rows if a]
    counts: dict[str, tuple[str, int]] = {}
    for *_, question in rows:
        key = " ".join(question.lower().split())
        shown, n = counts.get(key, (question, 0))
        counts[key] = (shown, n + 1)
    ranked = sorted(counts.values(), key=lambda item: (-item[1], item[0]))[:top]
    return TicketFigures(
        opened=len(rows),
        answered=sum(1 for r in rows if r[2]),
        dismissed=sum(1 for r in rows if r[0] == "dismissed"),
        median_answer_s=statistics.median(waits) if waits else None,
        top_questions=ranked,
    )


def _parse(ts: str) -> datetime:
    return datetime.strptime(ts, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def has_press_tables(conn: Connection) -> bool:
    """True if the database has the press office's tables (schema 4 or newer)."""
    return conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'press_tickets'").fetchone() is not None


# ---- the bot's facade -------------------------------------------------------------------------


class PressStore:
    """The press tables for the running bot: each call on its own connection in a worker thread."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._key: bytes | None = None
        # Who this bot is when it claims a hand-off of the review console (bot.store.handoffs).
        self.holder = replica_id()
        # Held while a ticket is posted and its group message recorded, and while a staff reply
        # looks its ticket up: a reply that comes at once still finds the ticket.
        self.posting = asyncio.Lock()

    def ps(self, user_id: int) -> str:
        """The user's pseudonym, the same the conversation log uses."""
        if self._key is None:
            self._key = self.store.key()
        found = pseudonymise(self._key or b"", "telegram", user_id)
        assert found is not None
        return found

    async def run(self, work: Callable[[Connection], _T]) -> _T:
        """Run `work(conn)` in a worker thread on a fresh connection (StoreError if it cannot)."""

        def call() -> _T:
            conn = self.store.connect()
            try:
                return work(conn)
            except StoreUnavailable as exc:
                raise StoreUnavailable(exc.kind, f"press office tables: {exc}") from exc
            finally:
                conn.close()

        return await asyncio.to_thread(call)
