"""The conversation log every channel hands its exchanges to: a thin facade over the store.

`ConversationLog.log()` never blocks and never raises: rows go onto a bounded in-memory queue that
one writer task drains into the database, one transaction per batch (bot.store.writer). When the
database cannot be written (locked, read-only, disk full, deleted) rows go to a bounded spill file
(bot.store.spill) and are imported once it works again; admins are told once per kind of fault
through `on_alert` (bot.store.faults). Raw user and chat ids never reach the database or the spill
file, only keyed pseudonyms (bot.store.pseudonym, bot.store.records). Erasure and retention are
plain functions on a connection of the store (bot.store.forget, bot.store.retention) run here in
a worker thread under the writer's lock. Nothing here imports telegram.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from bot.errors import StoreError, StoreUnavailable
from bot.store.contract import Connection
from bot.store.faults import FaultTracker
from bot.store.forget import ERASE_TIMEOUT, Erasure, erase_user
from bot.store.pseudonym import pseudonymise
from bot.store.records import Exchange, LogCounts, exchange_record, feedback_record, valid_record
from bot.store.retention import cutoff, purge_rows
from bot.store.schema import EXCHANGE_COLUMNS, FEEDBACK_COLUMNS, SCHEMA_VERSION
from bot.store.spill import SpillFile
from bot.store.store import Store
from bot.store.writer import BatchWriter

__all__ = [
    "EXCHANGE_COLUMNS",
    "FEEDBACK_COLUMNS",
    "SCHEMA_VERSION",
    "ConversationLog",
    "Exchange",
    "LogCounts",
    "StoreUnavailable",
    "exchange_record",
    "valid_record",
]

_log = logging.getLogger(__name__)
_T = TypeVar("_T")

WIPE_RETRY_EVERY = 1.0  # seconds between later checkpoints when a reader outlasted the erasure's
WIPE_RETRY_FOR = 120.0  # and for how long to keep trying


class ConversationLog:
    """The log every exchange goes to; see the module docstring for what it promises."""

    def __init__(
        self,
        store: Store,
        *,
        retention_days: int = 180,
        spill_path: Path | None = None,
        spill_max_rows: int = 100_000,
        queue_max: int = 10_000,
        batch_interval: float = 0.1,
        batch_max: int = 500,
        on_alert: Callable[[str], Awaitable[None]] | None = None,
        retry_interval: float = 1.0,
        retry_max: float = 60.0,
        erase_timeout: float = ERASE_TIMEOUT,
    ) -> None:
        self.store = store
        self.path = store.path
        self.retention_days = retention_days
        self.counts = LogCounts()
        self.spill = SpillFile(spill_path or store.spill_path, spill_max_rows)
        key = store.key()
        assert key is not None  # made when there is none
        self._key = key
        self._erase_timeout = erase_timeout
        self._faults = FaultTracker(on_alert, retry_interval, retry_max)
        self._writer = BatchWriter(
            store,
            spill=self.spill,
            counts=self.counts,
            faults=self._faults,
            queue_max=queue_max,
            batch_interval=batch_interval,
            batch_max=batch_max,
        )
        self._wipe_task: asyncio.Task[None] | None = None

    # ---- life cycle -----------------------------------------------------------------------------

    async def start(self) -> None:
        """Open and migrate the database, start the writer (which imports any spill). (Purges run
        on the application's scheduler: bot.telegram.jobs.)

        Raises StoreError only for what a restart cannot cure (newer schema, not a database);
        a locked or read-only database starts the log in spill mode and alerts the admins.
        """
        await self._writer.start()

    async def close(self) -> None:
        """Write (or spill) everything queued, then stop the writer and close the database."""
        if self._writer.closed:
            return
        if self._wipe_task is not None:
            self._wipe_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._wipe_task
        await self._writer.close()
        await self._faults.drain()

    async def flush(self) -> None:
        """Return once everything logged so far is written (or spilled), spill imports included.

        When the database was failing, this also tries it again at once.
        """
        await self._writer.flush()

    @property
    def healthy(self) -> bool:
        """True while the database takes writes (False: rows go to the spill file)."""
        return self._writer.healthy

    # ---- logging (synchronous, never raises) ----------------------------------------------------

    def log(self, exchange: Exchange) -> None:
        """Queue `exchange` for the writer; never blocks, never raises."""
        try:
            record = exchange_record(exchange, self._key)
        except Exception:  # a bad field must not reach the user as an error
            _log.exception("conversation log: cannot record %r", getattr(exchange, "id", exchange))
            self.counts.lost += 1
            return
        self._writer.put(record)

    def left_to_replay(self) -> None:
        """Count an exchange not logged now that its update's replay logs at the next start (its
        handler was cut short by a stop after its reply went out); told with the losses."""
        self.counts.replayable += 1

    def log_feedback(
        self, exchange_id: str, user_id: int | str | None, value: int, channel: str = "telegram"
    ) -> None:
        """Queue a vote (+1 helpful, -1 not helpful) on an exchange; never blocks, never raises.

        One vote per exchange and user: a later one replaces the earlier. Whether the user may
        vote on it at all is `exchange_owner_matches`, which the channel asks first.
        """
        if value not in (1, -1):
            _log.warning("conversation log: feedback value %r ignored (use +1 or -1)", value)
            return
        user_ps = pseudonymise(self._key, channel, user_id) or ""
        self._writer.put(feedback_record(exchange_id, user_ps, value, channel, datetime.now(UTC)))

    async def exchange_owner_matches(
        self, exchange_id: str, user_id: int | str | None, channel: str = "telegram"
    ) -> bool:
        """True if exchange `exchange_id` exists (queued, written or spilled) and was answered
        to `user_id` on `channel`; feedback is taken only then. False when it cannot be told.
        """
        user_ps = pseudonymise(self._key, channel, user_id)
        if user_ps is None or not exchange_id:
            return False
        return await self._writer.has_exchange(str(exchange_id), user_ps)

    # ---- privacy and retention -------------------------------------------------------------------

    async def forget(self, user_id: int | str, channel: str = "telegram") -> int:
        """Erase every row of this user (database, queue, spill file and the WAL); return how many.

        All or nothing: raises StoreError, with nothing erased, when the database cannot be
        written now (ask again later).
        """
        return (await self.erase(user_id, channel)).erased

    async def erase(
        self, user_id: int | str, channel: str = "telegram", *, handling: int | None = None
    ) -> Erasure:
        """`forget`, telling what was done: rows erased and the user's tickets whose message in
        the press office's group still shows the question (bot.store.forget); `handling` is the
        update being handled, whose inbox row goes too. Raises StoreError like `forget`."""
        user_ps = pseudonymise(self._key, channel, user_id)
        assert user_ps is not None

        def erase(conn: Connection) -> Erasure:
            return erase_user(conn, user_ps, self.spill, timeout=self._erase_timeout, handling=handling)

        done = await self._maintain("erase this user's rows", erase)
        if done.residue:
            self._wipe_later()
        return done

    async def purge_expired(self, now: datetime | None = None) -> int:
        """Erase rows older than `retention_days`; return how many. Raises StoreError on failure."""
        before = cutoff(now or datetime.now(UTC), self.retention_days)

        def purge(conn: Connection) -> int:
            try:
                return purge_rows(conn, before)
            except StoreUnavailable as exc:
                raise StoreUnavailable(
                    exc.kind, f"could not purge old rows ({exc}); try again later"
                ) from exc

        purged = await self._maintain("purge old rows", purge)
        if purged:
            _log.info("conversation log: purged %d rows older than %s", purged, before)
        return purged

    async def _maintain(self, what: str, work: Callable[[Connection], _T]) -> _T:
        """Run `work` on a connection of its own, in a worker thread, after a flush, holding the
        writer's lock (so no row in memory can slip past it)."""
        await self.flush()
        async with self._writer.lock:
            return await asyncio.to_thread(self._on_own_connection, what, work)

    def _on_own_connection(self, what: str, work: Callable[[Connection], _T]) -> _T:
        try:
            conn = self.store.connect()
        except StoreError as exc:
            raise StoreError(f"cannot {what} ({exc}); try again later") from exc
        try:
            return work(conn)
        finally:
            conn.close()

    def _wipe_later(self) -> None:
        """A reader outlasted the erasure's checkpoint: keep trying it in the background."""
        if self._wipe_task is None or self._wipe_task.done():
            self._wipe_task = asyncio.create_task(self._wipe_loop(), name="conversation-log-wipe")

    async def _wipe_loop(self) -> None:
        give_up = time.monotonic() + WIPE_RETRY_FOR
        while time.monotonic() < give_up:
            await asyncio.sleep(WIPE_RETRY_EVERY)
            try:
                async with self._writer.lock:
                    done = await asyncio.to_thread(
                        self._on_own_connection,
                        "checkpoint",
                        lambda conn: conn.wipe(time.monotonic() + WIPE_RETRY_EVERY / 2),
                    )
            except StoreError as exc:
                _log.debug("%s", exc)
                continue
            if done:
                _log.info("conversation log: erased rows wiped from the WAL")
                return
        _log.warning("conversation log: a reader kept the WAL busy; erased rows wait for a checkpoint")
