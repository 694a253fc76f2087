"""The inbox: every incoming update, stored before Telegram is told it arrived, until it is done.

All of the inbox's SQL lives here, behind `Inbox` (one async connection of its own) and the one
statement the log writer runs inside its own transaction (`MARK_DONE`), so that another backend
can replace this module alone. A row's life:

    pending -> (sent) -> done        (failed: unfinished after MAX_ATTEMPTS starts)

`pending` rows are stored and not yet finished; `sends` counts the messages already sent for the
update (a replay skips that many sends instead of repeating them); `done` means the reply went out
and its exchange was committed (the writer marks it in the same transaction) or the update needed
no exchange. A done row keeps only its id and times (the raw update is erased), so that a copy of
it Telegram delivers again is recognised; rows are purged after `keep_days`.

Raw Telegram ids are stored only inside the raw update of an unfinished row; the chat key is a
keyed pseudonym. Nothing here imports telegram.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from bot.errors import StoreError, StoreUnavailable
from bot.store.pseudonym import pseudonymise
from bot.store.records import format_ts
from bot.store.store import Link, Store

_log = logging.getLogger(__name__)

Params = Sequence[object] | Mapping[str, object]
State = Literal["pending", "sent", "done", "failed"]
Added = Literal["new", "known", "unstored"]

KEEP_DAYS = 2  # Telegram re-delivers an unconfirmed update for at most 24 hours
MAX_ATTEMPTS = 5  # starts that found a row unfinished before it is given up as failed

INSERT = (
    "INSERT OR IGNORE INTO inbox (update_id, chat_key, raw, state, sends, attempts, received_at, "
    "updated_at) VALUES (?, ?, ?, 'pending', 0, 0, ?, ?)"
)
# Run by the log writer in the transaction that commits the update's exchange (bot.store.writer).
MARK_DONE = (
    "UPDATE inbox SET state = 'done', raw = NULL, updated_at = :ts "
    "WHERE update_id = :update_id AND state IN ('pending', 'sent')"
)
MARK_SENT = (
    "UPDATE inbox SET state = 'sent', sends = max(sends, ?), updated_at = ? "
    "WHERE update_id = ? AND state IN ('pending', 'sent')"
)
UNFINISHED = (
    "SELECT update_id, chat_key, raw, sends, attempts FROM inbox "
    "WHERE state IN ('pending', 'sent') ORDER BY update_id"
)
COUNT_START = "UPDATE inbox SET attempts = attempts + 1 WHERE state IN ('pending', 'sent')"
GIVE_UP = (
    "UPDATE inbox SET state = 'failed', raw = NULL, updated_at = ? "
    "WHERE state IN ('pending', 'sent') AND attempts > ?"
)
PURGE = "DELETE FROM inbox WHERE updated_at < ? AND (state IN ('done', 'failed') OR raw IS NULL)"
EXPIRE = (
    "UPDATE inbox SET state = 'failed', raw = NULL, updated_at = ? "
    "WHERE received_at < ? AND state IN ('pending', 'sent')"
)
COUNTS = "SELECT state, count(*) FROM inbox GROUP BY state"


@dataclass(frozen=True)
class Stored:
    """An unfinished update as the inbox holds it."""

    update_id: int
    chat_key: str | None
    raw: str
    sends: int  # messages already sent for it before the restart
    attempts: int  # starts that found it unfinished (this one included)


def done_records(update_ids: Iterable[int], ts: str) -> list[Mapping[str, object]]:
    """Parameters of MARK_DONE for `update_ids`."""
    return [{"update_id": u, "ts": ts} for u in update_ids]


class Inbox:
    """The inbox table behind a small async interface; every method commits before it returns.

    A write that fails (database locked too long, read-only, full) raises StoreError from
    `add`; the other writes log it and go on (the update is then handled at least once more).
    """

    def __init__(
        self,
        store: Store,
        key: bytes,
        *,
        keep_days: int = KEEP_DAYS,
        max_attempts: int = MAX_ATTEMPTS,
    ) -> None:
        self.store = store
        self._key = key
        self._db = Link(store)
        self._lock = asyncio.Lock()
        self.keep_days = keep_days
        self.max_attempts = max_attempts

    async def open(self) -> None:
        """Open (create, migrate) the database; raises StoreError when it cannot."""
        await self._db.open()

    async def close(self) -> None:
        """Close the connection (every write has committed already)."""
        async with self._lock:
            await self._db.drop()

    async def _write(self, what: str, statements: Iterable[tuple[str, Params]]) -> int:
        """Run `statements` in one write transaction; return rows changed. Raises StoreError."""
        async with self._lock:
            try:
                changed = 0
                async with self._db.transaction():  # reconnects after a fault (bot.store.store.Link)
                    for sql, params in statements:
                        changed += await self._db.execute(sql, params)
                return changed
            except StoreUnavailable as exc:
                raise StoreUnavailable(exc.kind, f"inbox cannot {what} ({exc})") from exc

    async def add(self, update_id: int, chat_id: int | None, raw: str) -> Added:
        """Store an update: "new" once committed, "known" if it was stored before (a copy
        Telegram sent again), "unstored" when the database cannot be written now."""
        now = format_ts(datetime.now(UTC))
        chat_key = pseudonymise(self._key, "telegram", chat_id)
        try:
            changed = await self._write("store an update", [(INSERT, (update_id, chat_key, raw, now, now))])
        except StoreError as exc:
            _log.debug("%s; update %d is not acknowledged", exc, update_id)  # the intake tells once
            return "unstored"
        return "new" if changed else "known"

    async def unfinished(self) -> list[Stored]:
        """The updates a previous run left unfinished, oldest first, each counted as one more
        attempt; those over `max_attempts` are given up (marked failed) instead."""
        now = format_ts(datetime.now(UTC))
        try:
            await self._write("count the attempts", [(COUNT_START, ()), (GIVE_UP, (now, self.max_attempts))])
        except StoreError as exc:
            _log.warning("%s", exc)
            return []
        async with self._lock:
            try:
                rows = await self._db.fetchall(UNFINISHED)  # reconnects after a fault
            except StoreError as exc:
                _log.warning("inbox cannot read unfinished updates (%s)", exc)
                return []
        return [Stored(int(r[0]), r[1], str(r[2]), int(r[3]), int(r[4])) for r in rows if r[2] is not None]

    async def mark_sent(self, update_id: int, sends: int) -> None:
        """Record that `sends` messages for the update went out (a replay skips them)."""
        now = format_ts(datetime.now(UTC))
        try:
            await self._write("record a send", [(MARK_SENT, (sends, now, update_id))])
        except StoreError as exc:
            _log.warning("%s", exc)

    async def mark_done(self, update_ids: Iterable[int]) -> None:
        """Mark updates done that needed no exchange (those with one are marked by the writer)."""
        now = format_ts(datetime.now(UTC))
        params = done_records(update_ids, now)
        if not params:
            return
        try:
            await self._write("mark updates done", [(MARK_DONE, p) for p in params])
        except StoreError as exc:
            _log.warning("%s", exc)

    async def purge(self, now: datetime | None = None) -> int:
        """Delete done and failed rows older than `keep_days`; give up unfinished ones older than
        that (Telegram would not deliver them any more either). Return rows deleted."""
        now = now or datetime.now(UTC)
        before = format_ts(now - timedelta(days=self.keep_days))
        stamp = format_ts(now)
        try:
            await self._write("expire old updates", [(EXPIRE, (stamp, before))])
            return await self._write("purge old updates", [(PURGE, (before,))])
        except StoreError as exc:
            _log.warning("%s", exc)
            return 0

    async def counts(self) -> dict[State, int]:
        """How many rows are in each state."""
        async with self._lock:
            with contextlib.suppress(StoreError):
                return {row[0]: int(row[1]) for row in await self._db.fetchall(COUNTS)}
        return {}
