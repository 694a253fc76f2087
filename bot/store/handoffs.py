"""The review console's hand-offs to the press office (schema 11): a cluster of unanswered
questions the console queues, which one running bot claims and posts to the press group as a
ticket of its own (press_tickets.handoff_id; no asker, no chat id), so that staff answer it by
replying and promote it in one tap as any ticket.

Its life: `queued` (the console recorded it; undo withdraws it) -> `posting` (a bot holds it for
LEASE_S: two replicas never both post it; a holder that died lets it go when the lease ends) ->
`posted` (in the group; undo is refused) -> answered or dismissed, as its ticket is; `undone`.
The askers of those questions are reached only where the press office can reach them today: the
open tickets they opened themselves with the same wording (`askers`, fixed when it is posted).
Everyone else's contact is not in the log (pseudonyms only): for them the answer reaches the fact
base only. Rows hold the questions as the console showed them, never a pseudonym or a chat id;
they go with the log's retention (bot.store.press.purge).

Plain functions on a connection of the store (bot.store.contract.Connection); the console
(bot.review.console.data) records, lists and undoes; the bot (bot.telegram.press.handoffs)
claims, posts and relays. No telegram here.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Literal

from bot.store.console import add_action
from bot.store.contract import Connection
from bot.store.press import TICKET_COLUMNS, Ticket
from bot.store.records import format_ts

HandoffState = Literal["queued", "posting", "posted", "undone"]
# What the console shows: a posted hand-off is answered or dismissed as its ticket is; one being
# posted just now is still queued to the reviewer.
Shown = Literal["queued", "posted", "answered", "dismissed", "undone"]
Undo = Literal["undone", "posting", "posted", "none"]
LEASE_S = 120.0  # how long a bot holds a hand-off while it posts it
MAX_QUESTIONS = 500  # wordings kept per hand-off: the askers' tickets are matched against them

_COLUMNS = (
    "id, action_id, ts, question, questions, asked, users, lang, intent, confidence, state, ticket_id, askers"
)


@dataclass(frozen=True)
class Handoff:
    """One cluster handed to the press office from the console."""

    id: int
    action_id: int | None
    ts: str
    question: str  # the cluster's most frequent wording
    questions: tuple[tuple[str, str], ...]  # (lang, wording), most frequent first
    asked: int  # how many times the cluster's questions were asked
    users: int  # by how many users
    lang: str
    intent: str | None  # the bot's nearest intent: a hint only
    confidence: float | None
    state: HandoffState
    ticket_id: int | None
    askers: tuple[int, ...]  # the askers' own open tickets the answer also reaches


@dataclass(frozen=True)
class HandoffView:
    """A hand-off as the console lists it."""

    id: int
    action_id: int | None
    ts: str
    question: str
    asked: int
    users: int
    state: Shown
    ticket_id: int | None
    askers: int


def _handoff(row: Any) -> Handoff:
    hid, action_id, ts, question, questions, asked, users, lang, intent, confidence, state, *rest = row
    ticket, askers = rest
    return Handoff(
        int(hid),
        None if action_id is None else int(action_id),
        str(ts),
        str(question),
        tuple((str(lg), str(q)) for lg, q in json.loads(questions)),
        int(asked),
        int(users),
        str(lang),
        intent,
        confidence,
        state,
        None if ticket is None else int(ticket),
        _ticket_ids(askers),
    )


def _ticket_ids(askers: object) -> tuple[int, ...]:
    """The askers' ticket ids, as the column keeps them (comma-separated; '' or NULL for none)."""
    return tuple(int(t) for t in str(askers or "").split(",") if t)


def _askers_column(ids: tuple[int, ...]) -> str:
    return ",".join(map(str, ids))


# ---- the console's side ---------------------------------------------------------------------


def record(
    conn: Connection,
    now: datetime,
    *,
    question: str,
    questions: Sequence[tuple[str, str]],
    asked: int,
    users: int,
    lang: str,
    intent: str | None,
    confidence: float | None,
) -> int:
    """Queue a hand-off and record it as the console's 'press' action (one transaction); the
    action's id (undo names it)."""
    with conn.transaction():
        action_id = add_action(conn, now, "press", question, None)
        conn.execute(
            "INSERT INTO press_handoffs (action_id, ts, question, questions, asked, users, lang, "
            "intent, confidence, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued')",
            (
                action_id,
                format_ts(now),
                question,
                json.dumps([list(q) for q in questions[:MAX_QUESTIONS]], ensure_ascii=False),
                asked,
                users,
                lang,
                intent,
                confidence,
            ),
        )
    return action_id


def undo(conn: Connection, action_id: int, now: datetime) -> Undo:
    """Withdraw the queued hand-off of console action `action_id` and mark the action undone, in
    one transaction: 'undone'; or why not: 'posting' (a bot is posting it now), 'posted' (it is
    in the group), 'none' (no hand-off belongs to that action, or it was undone already)."""
    stamp = format_ts(now)
    with conn.transaction():
        done = conn.execute(
            "UPDATE press_handoffs SET state = 'undone', undone_ts = ? "
            "WHERE action_id = ? AND state = 'queued'",
            (stamp, action_id),
        ).rowcount
        if done == 1:
            conn.execute(
                "UPDATE console_actions SET undone_ts = ? WHERE id = ? AND undone_ts IS NULL",
                (stamp, action_id),
            )
            return "undone"
        row = conn.execute("SELECT state FROM press_handoffs WHERE action_id = ?", (action_id,)).fetchone()
    if row is None or row[0] in ("queued", "undone"):
        return "none"
    return "posting" if row[0] == "posting" else "posted"


def listing(conn: Connection, limit: int = 20) -> list[HandoffView]:
    """The latest hand-offs with their state, newest first."""
    rows = conn.execute(
        "SELECT h.id, h.action_id, h.ts, h.question, h.asked, h.users, h.state, h.ticket_id, h.askers, "
        "t.state FROM press_handoffs h LEFT JOIN press_tickets t ON t.id = h.ticket_id "
        "ORDER BY h.id DESC LIMIT ?",
        (limit,),
    ).fetchall()
    return [
        HandoffView(
            int(hid),
            None if action is None else int(action),
            str(ts),
            str(question),
            int(asked),
            int(users),
            _shown(str(state), ticket_state),
            None if ticket is None else int(ticket),
            len(_ticket_ids(askers)),
        )
        for hid, action, ts, question, asked, users, state, ticket, askers, ticket_state in rows
    ]


def _shown(state: str, ticket_state: str | None) -> Shown:
    if state == "undone":
        return "undone"
    if state != "posted":
        return "queued"
    if ticket_state == "answered":
        return "answered"
    return "dismissed" if ticket_state == "dismissed" else "posted"


# ---- the bot's side -------------------------------------------------------------------------


def due(conn: Connection, now: datetime, limit: int = 10) -> list[int]:
    """Hand-offs waiting to be posted (queued, or held by a bot whose lease ran out), oldest first."""
    rows = conn.execute(
        "SELECT id FROM press_handoffs WHERE state = 'queued' OR (state = 'posting' AND lease_until < ?) "
        "ORDER BY id LIMIT ?",
        (format_ts(now), limit),
    ).fetchall()
    return [int(r[0]) for r in rows]


def claim(
    conn: Connection, handoff_id: int, holder: str, now: datetime, lease_s: float = LEASE_S
) -> tuple[Handoff, Ticket] | None:
    """Hold a due hand-off for `lease_s` and give it its ticket (made once; a claim after a lease
    ran out finds the same), with the askers' open tickets its answer will reach; None when it is
    not due (another bot holds it, it is posted or undone)."""
    stamp = format_ts(now)
    with conn.transaction():
        taken = conn.execute(
            "UPDATE press_handoffs SET state = 'posting', holder = ?, lease_until = ? WHERE id = ? "
            "AND (state = 'queued' OR (state = 'posting' AND lease_until < ?))",
            (holder, format_ts(now + timedelta(seconds=lease_s)), handoff_id, stamp),
        ).rowcount
        if taken != 1:
            return None
        found = conn.execute(f"SELECT {_COLUMNS} FROM press_handoffs WHERE id = ?", (handoff_id,)).fetchone()
        handoff = _handoff(found)
        wordings = {" ".join(q.split()) for _, q in handoff.questions}
        open_rows = conn.execute(
            "SELECT id, question FROM press_tickets WHERE state = 'open' AND chat_id IS NOT NULL "
            "AND handoff_id IS NULL ORDER BY id"
        ).fetchall()
        askers = tuple(int(t) for t, q in open_rows if " ".join(str(q).split()) in wordings)
        key = f"handoff:{handoff_id}"
        conn.execute(
            "INSERT OR IGNORE INTO press_tickets (exchange_id, user_ps, lang, question, intent, "
            "confidence, state, opened_ts, handoff_id) VALUES (?, '', ?, ?, ?, ?, 'open', ?, ?)",
            (key, handoff.lang, handoff.question, handoff.intent, handoff.confidence, stamp, handoff_id),
        )
        row = conn.execute(
            f"SELECT {TICKET_COLUMNS} FROM press_tickets WHERE exchange_id = ?", (key,)
        ).fetchone()
        ticket = Ticket(*row)
        conn.execute(
            "UPDATE press_handoffs SET ticket_id = ?, askers = ? WHERE id = ?",
            (ticket.id, _askers_column(askers), handoff_id),
        )
    return replace(handoff, ticket_id=ticket.id, askers=askers), ticket


def posted(conn: Connection, handoff_id: int, holder: str, message_id: int, now: datetime) -> bool:
    """The hand-off's ticket is in the group as message `message_id`; False if `holder` no longer
    held it (its lease ran out and another bot took it)."""
    with conn.transaction():
        done = conn.execute(
            "UPDATE press_handoffs SET state = 'posted', posted_ts = ?, holder = NULL, lease_until = NULL "
            "WHERE id = ? AND state = 'posting' AND holder = ?",
            (format_ts(now), handoff_id, holder),
        ).rowcount
        conn.execute(
            "UPDATE press_tickets SET group_message_id = ? WHERE handoff_id = ? AND group_message_id IS NULL",
            (message_id, handoff_id),
        )
    return bool(done == 1)


def release(conn: Connection, handoff_id: int, holder: str) -> None:
    """Give a hand-off that could not be posted back to the queue (tried again at the next turn)."""
    with conn.transaction():
        conn.execute(
            "UPDATE press_handoffs SET state = 'queued', holder = NULL, lease_until = NULL "
            "WHERE id = ? AND state = 'posting' AND holder = ?",
            (handoff_id, holder),
        )


def get(conn: Connection, handoff_id: int) -> Handoff | None:
    """Hand-off `handoff_id`, or None."""
    row = conn.execute(f"SELECT {_COLUMNS} FROM press_handoffs WHERE id = ?", (handoff_id,)).fetchone()
    return None if row is None else _handoff(row)


def asker_tickets(conn: Connection, handoff_id: int) -> tuple[list[Ticket], int]:
    """The askers' tickets a hand-off's answer reaches now (not dismissed, contact not erased),
    and how many of those it named can no longer be reached (erased, dismissed since)."""
    found = get(conn, handoff_id)
    if found is None or not found.askers:
        return [], 0
    marks = ", ".join("?" for _ in found.askers)
    rows = conn.execute(
        f"SELECT {TICKET_COLUMNS} FROM press_tickets WHERE id IN ({marks}) AND state != 'dismissed' "
        "AND chat_id IS NOT NULL ORDER BY id",
        found.askers,
    ).fetchall()
    tickets = [Ticket(*row) for row in rows]
    return tickets, len(found.askers) - len(tickets)
