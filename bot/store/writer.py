"""The batching writer: one task that drains the in-memory queue into the store, a batch per transaction.

`put()` never blocks and never raises: a row goes onto a bounded queue, or to the spill file when
the queue is full or the writer closed. When the database cannot be written, the batch goes to the
spill file and the database is tried again after a backoff (bot.store.faults); once it works the
spill is imported. An exchange that answers a Telegram update marks that update done in the inbox
in the same transaction (bot.store.inbox.MARK_DONE). `lock` serialises everything that touches the
database from this process (commits, spill import, erasure, purge, look-ups), so a row forgotten
cannot come back from memory.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections import deque
from collections.abc import Sequence
from datetime import UTC, datetime

from bot.errors import StoreError, StoreUnavailable
from bot.store.faults import FaultTracker
from bot.store.inbox import MARK_DONE, done_records
from bot.store.records import LogCounts, format_ts, is_exchange_of, valid_record
from bot.store.schema import EXCHANGE_OWNED_BY, INSERT_EXCHANGE, UPSERT_FEEDBACK
from bot.store.spill import Record, SpillFile
from bot.store.store import Link, Store

_log = logging.getLogger(__name__)


class BatchWriter:
    """The queue, the task that writes it, and where each row is at any moment."""

    def __init__(
        self,
        store: Store,
        *,
        spill: SpillFile,
        counts: LogCounts,
        faults: FaultTracker,
        queue_max: int,
        batch_interval: float,
        batch_max: int,
    ) -> None:
        self.store = store
        self.where = store.describe()
        self.spill = spill
        self.counts = counts
        self.faults = faults
        self.db = Link(store)
        self.lock = asyncio.Lock()
        self._queue: deque[Record] = deque()
        self._inflight: list[Record] = []  # the batch being committed (no longer in the queue)
        self._queue_max = queue_max
        self._batch_interval = batch_interval
        self._batch_max = max(1, batch_max)
        self._wake = asyncio.Event()  # something to do
        self._full = asyncio.Event()  # a batch is full, or someone waits: do not linger
        self._progress = asyncio.Event()  # a writer cycle ended
        self._enqueued = 0
        self._done = 0
        self._cycles_started = 0
        self._cycles_done = 0
        self._wanted = 0  # flush() wants the writer to run at least this many cycles
        self._urgent = 0
        self._closing = False
        self.closed = False
        self._task: asyncio.Task[None] | None = None
        self._at_fault = (0, 0)  # counts.imported and counts.lost when the current outage began

    # ---- life cycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        """Open the database (or note the fault and spill until it works) and start the task."""
        if self._task is not None:
            return
        try:
            await self.db.open()
        except StoreUnavailable as exc:
            self._fault(exc.kind, str(exc))
            self.faults.retry_now()  # try again at the first cycle
        self._task = asyncio.create_task(self._run(), name="conversation-log-writer")
        self._task.add_done_callback(lambda _: self._progress.set())

    async def close(self) -> None:
        """Write (or spill) everything queued, then stop the task and close the database."""
        if self.closed:
            return
        self._closing = True
        self._wake.set()
        self._full.set()
        if self._task is not None:
            await self._task
        elif self._queue:  # never started: keep the rows for the next start
            self.spill_rows(list(self._queue))
            self._queue.clear()
        await self.db.drop()
        self.closed = True
        if self.counts.lost or self.counts.replayable:  # the figures of the whole run, at its end
            self.faults.alert("losses at stop", f"conversation log stopped: {self.losses()} in this run")

    async def flush(self) -> None:
        """Return once everything put so far is written (or spilled), spill imports included."""
        if self._task is None or self._task.done():
            return
        target = self._enqueued
        need = self._cycles_started + 1
        self._wanted = max(self._wanted, need)
        self._urgent += 1
        self._wake.set()
        self._full.set()
        try:
            while (self._done < target or self._cycles_done < need) and not self._task.done():
                self._progress.clear()
                await self._progress.wait()
        finally:
            self._urgent -= 1

    @property
    def healthy(self) -> bool:
        """True while the database takes writes."""
        return self.db.conn is not None

    # ---- rows in --------------------------------------------------------------------------------

    def put(self, record: Record) -> None:
        """Queue `record` (spill it when the queue is full or closed); never blocks."""
        if self.closed or len(self._queue) >= self._queue_max:
            self.spill_rows([record])
            return
        self._queue.append(record)
        self._enqueued += 1
        self._wake.set()
        if len(self._queue) >= self._batch_max:
            self._full.set()

    def spill_rows(self, records: Sequence[Record]) -> None:
        """Append `records` to the spill file; count (and alert on) those it cannot keep."""
        try:
            kept = self.spill.append(records)
        except (OSError, ValueError) as exc:
            kept = 0
            self.faults.alert("spill", f"conversation log cannot write its spill file ({exc}); rows lost")
        self.counts.spilled += kept
        if kept < len(records):
            # An exchange that answers an update the inbox holds is not gone: that update stays
            # unfinished (its exchange marks it done) and the next start logs it again.
            replayable = sum(1 for r in records[kept:] if isinstance(r.get("update_id"), int))
            self.counts.replayable += replayable
            self.counts.lost += len(records) - kept - replayable
            self.faults.alert(
                "lost",
                f"conversation log is losing rows: the spill file {self.spill.path} is full "
                f"({self.spill.max_rows} rows) or unwritable; {self.losses()}",
            )

    def losses(self) -> str:
        """The rows neither written nor spilled so far, in words for admins."""
        return (
            f"{self.counts.lost} rows lost, {self.counts.replayable} to be logged again from the inbox "
            "at the next start"
        )

    # ---- where is an exchange? -----------------------------------------------------------------

    async def has_exchange(self, exchange_id: str, user_ps: str) -> bool:
        """True if exchange `exchange_id` answered to `user_ps` is queued, written or spilled."""

        def match(record: Record) -> bool:
            return is_exchange_of(record, exchange_id, user_ps)

        # Rows move queue -> in flight -> database or spill (-> database); memory is read first,
        # without an await, then the files under the lock the writer commits and imports under.
        if any(match(r) for r in self._inflight) or any(match(r) for r in self._queue):
            return True
        async with self.lock:
            if await self._in_database(exchange_id, user_ps):
                return True
            hint = json.dumps(exchange_id, ensure_ascii=False)  # as the spill file spells it
            return await asyncio.to_thread(self.spill.contains, match, hint)

    async def _in_database(self, exchange_id: str, user_ps: str) -> bool:
        conn = self.db.conn
        try:
            if conn is None:  # the writer is failing, but a locked (or read-only) database still reads
                return await asyncio.to_thread(_lookup, self.store, exchange_id, user_ps)
            return await conn.fetchone(EXCHANGE_OWNED_BY, (exchange_id, user_ps)) is not None
        except (StoreError, OSError) as exc:
            _log.debug("conversation log: look-up of %s failed (%s)", exchange_id, exc)
            return False

    # ---- the task -------------------------------------------------------------------------------

    async def _run(self) -> None:
        while True:
            await self._wait_for_work()
            self._cycles_started += 1
            try:
                await self._cycle()
            except Exception:  # the writer must outlive any one bad cycle
                _log.exception("conversation log: writer cycle failed")
            self._cycles_done += 1
            self._progress.set()
            if self._closing and not self._queue:
                return
            await asyncio.sleep(0)  # a cycle with nothing to do awaits nothing: let others run

    def _hurry(self) -> bool:
        return self._closing or self._urgent > 0

    async def _wait_for_work(self) -> None:
        if not self._queue and not self._closing and self._cycles_started >= self._wanted:
            self._wake.clear()
            timeout = None
            if self.db.conn is None or self.spill.rows:
                timeout = max(0.0, self.faults.retry_at - time.monotonic())
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(timeout):
                    await self._wake.wait()
        if self._queue and len(self._queue) < self._batch_max and not self._hurry():
            self._full.clear()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self._batch_interval):
                    await self._full.wait()

    async def _cycle(self) -> None:
        due = self._hurry() or self.faults.due()
        if self.db.conn is None and due:
            await self._recover()
        imported = self.counts.imported
        for _ in range(2):  # a failed import leaves a file aside; new rows sit in another
            if self.db.conn is None or not self.spill.rows or not due:
                break
            await self._import_spill()
        if self.counts.imported > imported:
            self._healed()
        count = min(len(self._queue), self._batch_max)
        if not count:
            return
        batch = self._inflight = [self._queue.popleft() for _ in range(count)]
        try:
            try:
                written = self.db.conn is not None and await self._write(batch)
            except Exception:
                _log.exception("conversation log: unexpected error writing %d rows", count)
                await self.db.drop()
                self.faults.schedule_retry()
                written = False
            if written:
                self.counts.written += count
                self.counts.batches += 1
                self._healed()
            else:
                self.spill_rows(batch)
        finally:
            self._inflight = []
        self._done += count

    async def _write(self, batch: list[Record]) -> bool:
        if self.db.conn is not None and self.db.conn.replaced():
            await self.db.drop()
            self.faults.alert(
                "deleted",
                f"conversation log {self.where} was deleted or replaced; a new one was started in its place",
            )
            try:
                await self.db.open()
            except StoreUnavailable as exc:
                self._fault(exc.kind, str(exc))
                return False
        async with self.lock:
            return await self._commit(batch)

    async def _commit(self, records: list[Record]) -> bool:
        """Commit `records` in one transaction (caller holds the lock); False on a fault."""
        conn = self.db.conn
        if conn is None:
            return False
        exchanges = [r for r in records if r.get("t") == "exchange"]
        votes = [r for r in records if r.get("t") == "feedback"]
        try:
            async with conn.transaction():
                if exchanges:
                    await conn.executemany(INSERT_EXCHANGE, exchanges)
                if votes:
                    await conn.executemany(UPSERT_FEEDBACK, votes)
                answered = [u for r in exchanges if isinstance(u := r.get("update_id"), int)]
                if answered:  # their updates are done once their exchanges are: same transaction
                    await conn.executemany(MARK_DONE, done_records(answered, format_ts(datetime.now(UTC))))
        except StoreUnavailable as exc:
            await self.db.drop()
            self._fault(exc.kind, str(exc))
            return False
        return True

    async def _import_spill(self) -> None:
        # Under the lock the erasure takes too, from reading the file to the commit: a row
        # forgotten meanwhile cannot come back from memory.
        async with self.lock:
            taken, bad = self.spill.take()
            records = [r for r in taken if valid_record(r)]
            bad += len(taken) - len(records)
            if records and not await self._commit(records):
                return
            self.spill.taken()
        self.counts.lost += bad
        self.counts.imported += len(records)
        if records:
            _log.info("conversation log: imported %d spilled rows", len(records))

    async def _recover(self) -> None:
        try:
            await self.db.open()
        except StoreError as exc:
            kind = exc.kind if isinstance(exc, StoreUnavailable) else "corrupt"
            self._fault(kind, str(exc))

    def _healed(self) -> None:
        """A commit went through: reset the backoff, and tell admins if they heard of a fault,
        with what this outage cost: the rows that waited in the spill and those lost."""
        if self.faults.healed():
            imported, lost = self._at_fault
            self.faults.alert(
                "recovered",
                f"conversation log writes again to {self.where}; {self.counts.imported - imported} rows "
                f"waited in the spill and were imported, {self.counts.lost - lost} lost",
            )

    def _fault(self, kind: str, message: str) -> None:
        if not self.faults.faulty:  # an outage begins: its figures count from here
            self._at_fault = (self.counts.imported, self.counts.lost)
        self.faults.fault(
            kind,
            f"conversation log cannot write: {message}; replies continue, rows spill to {self.spill.path}",
        )


def _lookup(store: Store, exchange_id: str, user_ps: str) -> bool:
    """EXCHANGE_OWNED_BY on a short read-only connection to the store's database (a worker thread)."""
    conn = store.read_only()
    try:
        return conn.execute(EXCHANGE_OWNED_BY, (exchange_id, user_ps)).fetchone() is not None
    finally:
        conn.close()
