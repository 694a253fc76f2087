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

A send or a done mark the database refuses (a full disk, an outage) is not dropped: the inbox
holds it in memory (`owed`), writes it with the next write that succeeds, applies it to what it
hands out for a replay (`recorded`, `unfinished`), and at `close` writes what is still owed to the
sent file (bot.store.store.Store.sent_path, in BOT_SPILL_DIR), which the next `open` reads back. An
update whose exchange waits in the spill file was answered and logged: it is not replayed.

Raw Telegram ids are stored only inside the raw update of an unfinished row; the chat key is a
keyed pseudonym. Nothing here imports telegram.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from bot.errors import StoreError, StoreUnavailable
from bot.store.pseudonym import pseudonymise
from bot.store.records import format_ts
from bot.store.spill import SpillFile
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
        self.sent_path = store.sent_path
        self._spill = SpillFile(store.spill_path, max_rows=0)  # read only: which updates wait there
        self.owed_sends: dict[int, int] = {}  # sends the database has not recorded yet, by update id
        self.owed_done: set[int] = set()  # done marks the database has not recorded yet
        self._refused = False  # the last write of what is owed failed (admins of the log hear of it)
        self._from_file = False  # what is owed came (partly) from the sent file of the last stop

    async def open(self) -> None:
        """Open (create, migrate) the database, and take back what the last stop could not
        record; raises StoreError when it cannot."""
        self._read_sent_file()
        await self._db.open()
        await self.settle()

    async def close(self) -> None:
        """Write what is still owed (into the sent file if the database refuses), then close."""
        if not await self.settle():
            self._write_sent_file()
        async with self._lock:
            await self._db.drop()

    # ---- what the database has not recorded yet ---------------------------------------------------

    @property
    def owed(self) -> int:
        """Sends and done marks held in memory because the database refused them."""
        return len(self.owed_sends) + len(self.owed_done)

    def recorded(self, update_id: int, sends: int) -> int | None:
        """For a replay of `update_id` whose row says `sends`: how many sends to skip, with those
        held in memory; None when it is done (in memory, or its exchange waits in the spill)."""
        if update_id in self.owed_done:
            return None
        return max(sends, self.owed_sends.get(update_id, 0))

    async def settle(self) -> bool:
        """Write the sends and done marks held in memory; True when nothing is owed any more."""
        if not self.owed:
            return True
        sends, done = dict(self.owed_sends), set(self.owed_done)
        now = format_ts(datetime.now(UTC))
        statements: list[tuple[str, Params]] = [(MARK_SENT, (n, now, u)) for u, n in sends.items()]
        statements += [(MARK_DONE, p) for p in done_records(sorted(done), now)]
        try:
            await self._write("record sends", statements)
        except StoreError as exc:
            if not self._refused:
                _log.warning("%s; sends and done marks are held in memory until it takes them", exc)
            self._refused = True
            return False
        for update_id, count in sends.items():
            if self.owed_sends.get(update_id) == count:  # unless a later send came meanwhile
                del self.owed_sends[update_id]
        self.owed_done -= done
        if self._refused:
            _log.info("inbox: %d sends and done marks held in memory are recorded", len(sends) + len(done))
            self._refused = False
        if not self.owed and self._from_file:
            self.sent_path.unlink(missing_ok=True)
            self._from_file = False
        return not self.owed

    def _owe(self, sends: Mapping[int, int] | None = None, done: Iterable[int] = ()) -> None:
        for update_id, count in (sends or {}).items():
            self.owed_sends[update_id] = max(count, self.owed_sends.get(update_id, 0))
        self.owed_done.update(done)

    def _read_sent_file(self) -> None:
        try:
            text = self.sent_path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return
        except OSError as exc:
            _log.warning(
                "inbox: %s cannot be read (%s); its updates may be answered again", self.sent_path, exc
            )
            return
        for line in text.splitlines():
            try:
                value = json.loads(line)
                update_id, sends, done = int(value["update_id"]), int(value["sends"]), bool(value["done"])
            except (ValueError, TypeError, KeyError):
                continue
            self._owe({update_id: sends}, [update_id] if done else ())
        self._from_file = True
        _log.info("inbox: %d sends recorded at the last stop read back from %s", self.owed, self.sent_path)

    def _write_sent_file(self) -> None:
        """At a stop, when the database refuses: the sends owed into the sent file (replaced whole)."""
        ids = sorted({*self.owed_sends, *self.owed_done})
        lines = [
            json.dumps({"update_id": u, "sends": self.owed_sends.get(u, 0), "done": u in self.owed_done})
            for u in ids
        ]
        tmp = self.sent_path.with_name(self.sent_path.name + ".tmp")
        try:
            self.sent_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write("".join(line + "\n" for line in lines))
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.sent_path)
            self._from_file = True
        except OSError as exc:
            with contextlib.suppress(OSError):
                tmp.unlink()
            _log.error(
                "inbox: %d updates whose reply went out could not be recorded (%s); the next start "
                "answers them again",
                len(ids),
                exc,
            )
            return
        _log.warning(
            "inbox: %d sends the database refused are kept in %s for the next start", len(ids), self.sent_path
        )

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
        if self.owed:  # the database takes writes again: what it refused before goes in now
            await self.settle()
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
        spilled = self._spill.update_ids()
        unfinished = []
        for r in rows:
            update_id = int(r[0])
            sends = self.recorded(update_id, int(r[3]))
            if r[2] is None or sends is None or update_id in spilled:
                continue  # done, or answered with its exchange in the spill (imported later)
            unfinished.append(Stored(update_id, r[1], str(r[2]), sends, int(r[4])))
        return unfinished

    async def mark_sent(self, update_id: int, sends: int) -> None:
        """Record that `sends` messages for the update went out (a replay skips them)."""
        self._owe({update_id: sends})
        await self.settle()

    async def mark_done(self, update_ids: Iterable[int]) -> None:
        """Mark updates done that needed no exchange (those with one are marked by the writer)."""
        ids = list(update_ids)
        if ids:
            self._owe(done=ids)
            await self.settle()

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
