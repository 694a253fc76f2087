"""The conversation log: a versioned SQLite schema and an aiosqlite store with a batching writer.

`ConversationLog.log()` never blocks and never raises: rows go onto a bounded in-memory queue that
one writer task drains into the database, one transaction per batch. When the database cannot be
written (locked, read-only, disk full, deleted) rows go to a bounded spill file (bot.store.spill) and are
imported once it works again; admins are told once per kind of fault through `on_alert`. Raw user
and chat ids never reach the database or the spill file, only keyed pseudonyms (bot.store.pseudonym).
The schema and the SQL live in bot.store.db. Nothing here imports telegram.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sqlite3
import time
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

import aiosqlite

from bot.core.reply import Channel, ExchangeKind, Outcome
from bot.errors import StoreError
from bot.store.db import (
    EXCHANGE_COLUMNS,
    FEEDBACK_COLUMNS,
    FORGET_SQL,
    INSERT_EXCHANGE,
    PURGE_SQL,
    SCHEMA_VERSION,
    UPSERT_FEEDBACK,
    StoreUnavailable,
    describe_fault,
    format_ts,
    open_db,
    spill_path_for,
)
from bot.store.pseudonym import load_key, pseudonymise
from bot.store.spill import Record, SpillFile

__all__ = [
    "EXCHANGE_COLUMNS",
    "FEEDBACK_COLUMNS",
    "SCHEMA_VERSION",
    "ConversationLog",
    "Exchange",
    "LogCounts",
    "StoreUnavailable",
]

_log = logging.getLogger(__name__)

MAX_TEXT = 10_000  # characters kept of a message or reply; Telegram's own limit is 4096


@dataclass(frozen=True)
class Exchange:
    """One incoming message (or tap) and the bot's reply."""

    channel: Channel
    user_id: int | str | None  # RAW id; the store pseudonymises it, never stores it
    chat_id: int | str | None  # RAW id
    chat_type: str  # private, group, supergroup, channel, inline, console
    kind: ExchangeKind
    text: str  # what the user sent (or the command / button)
    reply: str  # what the bot answered (plain text)
    lang: str | None  # detected language de/en/zh
    lang_pinned: str | None  # language pinned by /lang
    intent: str | None  # matched intent, or the nearest one when not answered
    confidence: float | None
    outcome: Outcome
    latency_ms: float | None
    id: str = field(default_factory=lambda: uuid4().hex[:16])  # callback data refers to it
    ts: datetime = field(default_factory=lambda: datetime.now(UTC))


@dataclass
class LogCounts:
    """What became of the rows handed to the log since it was made."""

    written: int = 0  # rows committed by the writer
    spilled: int = 0  # rows put in the spill file
    lost: int = 0  # rows neither written nor spilled (spill full or unwritable, unreadable)
    imported: int = 0  # spilled rows later committed
    batches: int = 0  # transactions the writer committed


def exchange_record(exchange: Exchange, key: bytes) -> Record:
    """The row for `exchange`, ids replaced by pseudonyms; what the writer and the spill keep."""
    channel = str(exchange.channel)
    return {
        "t": "exchange",
        "id": str(exchange.id),
        "ts": format_ts(exchange.ts),
        "channel": channel,
        "user_ps": pseudonymise(key, channel, exchange.user_id),
        "chat_ps": pseudonymise(key, channel, exchange.chat_id),
        "chat_type": str(exchange.chat_type),
        "kind": str(exchange.kind),
        "text": _clean(exchange.text),
        "reply": _clean(exchange.reply),
        "lang": exchange.lang,
        "lang_pinned": exchange.lang_pinned,
        "intent": exchange.intent,
        "confidence": None if exchange.confidence is None else float(exchange.confidence),
        "outcome": str(exchange.outcome),
        "latency_ms": None if exchange.latency_ms is None else float(exchange.latency_ms),
    }


_NUMBER = (int, float)
_TYPES: dict[str, dict[str, tuple[type, ...]]] = {
    "exchange": {
        **{c: (str,) for c in ("id", "ts", "channel", "chat_type", "kind", "text", "reply")},
        **{c: (str, type(None)) for c in ("user_ps", "chat_ps", "lang", "lang_pinned", "intent")},
        **{c: (*_NUMBER, type(None)) for c in ("confidence", "latency_ms")},
        "outcome": (str,),
    },
    "feedback": {
        **{c: (str,) for c in ("exchange_id", "user_ps", "channel", "ts")},
        "value": (int,),
    },
}


def valid_record(record: Record) -> bool:
    """True if a (spilled) record has every column of its table with a storable type."""
    types = _TYPES.get(str(record.get("t")))
    if types is None:
        return False
    if record.get("t") == "feedback" and record.get("value") not in (1, -1):
        return False
    return all(c in record and isinstance(record[c], t) for c, t in types.items())


def _clean(text: str) -> str:
    # Lone surrogates cannot be stored as UTF-8; one such row must not stall the writer.
    return str(text)[:MAX_TEXT].encode("utf-8", "replace").decode("utf-8")


class ConversationLog:
    """The log every exchange goes to; see the module docstring for what it promises."""

    def __init__(
        self,
        path: Path,
        *,
        pseudonym_key: str | None = None,
        retention_days: int = 180,
        spill_path: Path | None = None,
        spill_max_rows: int = 100_000,
        queue_max: int = 10_000,
        batch_interval: float = 0.1,
        batch_max: int = 500,
        on_alert: Callable[[str], Awaitable[None]] | None = None,
        busy_timeout: float = 5.0,
        retry_interval: float = 1.0,
        retry_max: float = 60.0,
    ) -> None:
        self.path = Path(path)
        self.retention_days = retention_days
        self.counts = LogCounts()
        self.spill = SpillFile(spill_path or spill_path_for(self.path), spill_max_rows)
        key = load_key(self.path, pseudonym_key)
        assert key is not None  # load_key creates one when asked to
        self._key = key
        self._queue: deque[Record] = deque()
        self._queue_max = queue_max
        self._batch_interval = batch_interval
        self._batch_max = max(1, batch_max)
        self._on_alert = on_alert
        self._busy_timeout = busy_timeout
        self._retry_interval = retry_interval
        self._retry_max = retry_max
        self._backoff = retry_interval
        self._retry_at = 0.0
        self._conn: aiosqlite.Connection | None = None
        self._file_id: tuple[int, int] | None = None
        self._db_lock = asyncio.Lock()
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
        self._closed = False
        self._task: asyncio.Task[None] | None = None
        self._purge_task: asyncio.Task[None] | None = None
        self._alerted: set[str] = set()
        self._alert_tasks: set[asyncio.Task[None]] = set()
        self._faulty = False

    # ---- life cycle -------------------------------------------------------------------------

    async def start(self, *, purge_every: float | None = None) -> None:
        """Open and migrate the database, start the writer (which imports any spill).

        With `purge_every` (seconds), expired rows are purged now and then at that interval.
        Raises StoreError only for what a restart cannot cure (newer schema, not a database);
        a locked or read-only database starts the log in spill mode and alerts the admins.
        """
        if self._task is not None:
            return
        try:
            self._conn = await self._open()
        except StoreUnavailable as exc:
            self._fault(exc.kind, str(exc))
            self._retry_at = 0.0  # try again at the first cycle
        self._task = asyncio.create_task(self._run(), name="conversation-log-writer")
        self._task.add_done_callback(lambda _: self._progress.set())
        if purge_every is not None:
            self._purge_task = asyncio.create_task(
                self._purge_loop(purge_every), name="conversation-log-purge"
            )

    async def close(self) -> None:
        """Write (or spill) everything queued, then stop the writer and close the database."""
        if self._closed:
            return
        self._closing = True
        self._wake.set()
        self._full.set()
        if self._purge_task is not None:
            self._purge_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._purge_task
        if self._task is not None:
            await self._task
        elif self._queue:  # never started: keep the rows for the next start
            self._spill(list(self._queue))
            self._queue.clear()
        await self._drop_connection()
        self._closed = True
        if self._alert_tasks:
            await asyncio.wait(self._alert_tasks, timeout=5.0)

    async def flush(self) -> None:
        """Return once everything logged so far is written (or spilled), spill imports included.

        When the database was failing, this also tries it again at once.
        """
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
        """True while the database takes writes (False: rows go to the spill file)."""
        return self._conn is not None

    # ---- logging (synchronous, never raises) ------------------------------------------------

    def log(self, exchange: Exchange) -> None:
        """Queue `exchange` for the writer; never blocks, never raises."""
        try:
            record = exchange_record(exchange, self._key)
        except Exception:  # a bad field must not reach the user as an error
            _log.exception("conversation log: cannot record %r", getattr(exchange, "id", exchange))
            self.counts.lost += 1
            return
        self._put(record)

    def log_feedback(
        self, exchange_id: str, user_id: int | str | None, value: int, channel: str = "telegram"
    ) -> None:
        """Queue a vote (+1 helpful, -1 not helpful) on an exchange; never blocks, never raises."""
        if value not in (1, -1):
            _log.warning("conversation log: feedback value %r ignored (use +1 or -1)", value)
            return
        self._put(
            {
                "t": "feedback",
                "exchange_id": str(exchange_id),
                "user_ps": pseudonymise(self._key, channel, user_id) or "",
                "channel": channel,
                "value": value,
                "ts": format_ts(datetime.now(UTC)),
            }
        )

    def _put(self, record: Record) -> None:
        if self._closed or len(self._queue) >= self._queue_max:
            self._spill([record])
            return
        self._queue.append(record)
        self._enqueued += 1
        self._wake.set()
        if len(self._queue) >= self._batch_max:
            self._full.set()

    def _spill(self, records: Sequence[Record]) -> None:
        try:
            kept = self.spill.append(records)
        except (OSError, ValueError) as exc:
            kept = 0
            self._alert("spill", f"conversation log cannot write its spill file ({exc}); rows lost")
        self.counts.spilled += kept
        if kept < len(records):
            self.counts.lost += len(records) - kept
            self._alert(
                "lost",
                f"conversation log is losing rows: the spill file {self.spill.path} is full "
                f"({self.spill.max_rows} rows) or unwritable; {self.counts.lost} rows lost so far",
            )

    # ---- the writer -------------------------------------------------------------------------

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
            if self._conn is None or self.spill.rows:
                timeout = max(0.0, self._retry_at - time.monotonic())
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(timeout):
                    await self._wake.wait()
        if self._queue and len(self._queue) < self._batch_max and not self._hurry():
            self._full.clear()
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self._batch_interval):
                    await self._full.wait()

    async def _cycle(self) -> None:
        due = self._hurry() or time.monotonic() >= self._retry_at
        if self._conn is None and due:
            await self._recover()
        imported = self.counts.imported
        for _ in range(2):  # a failed import leaves a file aside; new rows sit in another
            if self._conn is None or not self.spill.rows or not due:
                break
            await self._import_spill()
        if self.counts.imported > imported:
            self._healed()
        count = min(len(self._queue), self._batch_max)
        if not count:
            return
        batch = [self._queue.popleft() for _ in range(count)]
        try:
            written = self._conn is not None and await self._write(batch)
        except Exception:
            _log.exception("conversation log: unexpected error writing %d rows", count)
            await self._drop_connection()
            self._schedule_retry()
            written = False
        if written:
            self.counts.written += count
            self.counts.batches += 1
            self._healed()
        else:
            self._spill(batch)
        self._done += count

    async def _write(self, batch: list[Record]) -> bool:
        if not self._same_file():
            await self._drop_connection()
            self._alert(
                "deleted",
                f"conversation log {self.path} was deleted or replaced; a new one was started in its place",
            )
            try:
                self._conn = await self._open()
            except StoreUnavailable as exc:
                self._fault(exc.kind, str(exc))
                return False
        try:
            await self._commit(batch)
        except sqlite3.Error as exc:
            kind, reason = describe_fault(exc)
            await self._drop_connection()
            self._fault(kind, f"{self.path}: {reason}")
            return False
        return True

    async def _commit(self, records: list[Record]) -> None:
        async with self._db_lock:
            await self._commit_locked(records)

    async def _commit_locked(self, records: list[Record]) -> None:
        conn = self._conn
        assert conn is not None
        exchanges = [r for r in records if r.get("t") == "exchange"]
        votes = [r for r in records if r.get("t") == "feedback"]
        await conn.execute("BEGIN IMMEDIATE")
        try:
            if exchanges:
                await conn.executemany(INSERT_EXCHANGE, exchanges)
            if votes:
                await conn.executemany(UPSERT_FEEDBACK, votes)
            await conn.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(sqlite3.Error, ValueError):
                await conn.execute("ROLLBACK")
            raise

    async def _import_spill(self) -> None:
        # Under the lock forget() takes too, from reading the file to the commit: a row forgotten
        # meanwhile cannot come back from memory.
        async with self._db_lock:
            taken, bad = self.spill.take()
            records = [r for r in taken if valid_record(r)]
            bad += len(taken) - len(records)
            if records:
                try:
                    await self._commit_locked(records)
                except sqlite3.Error as exc:
                    kind, reason = describe_fault(exc)
                    await self._drop_connection()
                    self._fault(kind, f"{self.path}: {reason}")
                    return
            self.spill.taken()
        self.counts.lost += bad
        self.counts.imported += len(records)
        if records:
            _log.info("conversation log: imported %d spilled rows", len(records))

    async def _recover(self) -> None:
        try:
            self._conn = await self._open()
        except StoreError as exc:
            kind = exc.kind if isinstance(exc, StoreUnavailable) else "corrupt"
            self._fault(kind, str(exc))

    def _healed(self) -> None:
        """A commit went through: reset the backoff, and tell admins if they heard of a fault."""
        self._backoff = self._retry_interval
        if self._faulty:
            self._faulty = False
            self._alert(
                "recovered",
                f"conversation log writes again to {self.path}; {self.counts.imported} spilled "
                f"rows imported, {self.counts.lost} lost",
            )

    def _fault(self, kind: str, message: str) -> None:
        self._faulty = True
        self._schedule_retry()
        self._alert(
            kind,
            f"conversation log cannot write: {message}; replies continue, rows spill to {self.spill.path}",
        )

    def _schedule_retry(self) -> None:
        self._retry_at = time.monotonic() + self._backoff
        self._backoff = min(self._backoff * 2, self._retry_max)

    async def _open(self) -> aiosqlite.Connection:
        # Create and migrate with plain sqlite3 (shared with the review), then write via aiosqlite.
        await asyncio.to_thread(_prepare, self.path, self._busy_timeout)
        try:
            conn = await aiosqlite.connect(self.path, timeout=self._busy_timeout, isolation_level=None)
        except sqlite3.Error as exc:
            kind, reason = describe_fault(exc)
            raise StoreUnavailable(kind, f"{self.path}: {reason}") from exc
        try:
            await conn.execute("PRAGMA synchronous = NORMAL")
            await conn.execute("PRAGMA secure_delete = ON")
            info = os.stat(self.path)
        except (sqlite3.Error, OSError) as exc:
            await conn.close()
            kind, reason = describe_fault(exc)
            raise StoreUnavailable(kind, f"{self.path}: {reason}") from exc
        self._file_id = (info.st_dev, info.st_ino)
        return conn

    def _same_file(self) -> bool:
        try:
            info = os.stat(self.path)
        except OSError:
            return False
        return (info.st_dev, info.st_ino) == self._file_id

    async def _drop_connection(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(sqlite3.Error, ValueError):
                await conn.close()

    # ---- alerts -----------------------------------------------------------------------------

    def _alert(self, kind: str, message: str) -> None:
        """Log `message`; the first time for `kind`, also hand it to on_alert (not awaited here)."""
        if kind in self._alerted:
            _log.debug("%s", message)
            return
        self._alerted.add(kind)
        _log.warning("%s", message)
        if self._on_alert is None:
            return
        try:
            task = asyncio.get_running_loop().create_task(self._deliver(message))
        except RuntimeError:  # no event loop (logged before start): the log line must do
            return
        self._alert_tasks.add(task)
        task.add_done_callback(self._alert_tasks.discard)

    async def _deliver(self, message: str) -> None:
        assert self._on_alert is not None
        try:
            await self._on_alert(message)
        except Exception:  # an admin we cannot reach must not stop the log
            _log.exception("conversation log: alert could not be delivered: %s", message)

    # ---- privacy ----------------------------------------------------------------------------

    async def forget(self, user_id: int | str, channel: str = "telegram") -> int:
        """Erase every row of this user (database, queue and spill file); return how many.

        Raises StoreError when the database cannot be written now (ask again later).
        """
        user_ps = pseudonymise(self._key, channel, user_id)
        assert user_ps is not None
        await self.flush()
        async with self._db_lock:
            erased = self.spill.forget(user_ps)
            erased += await self._delete(FORGET_SQL, {"ps": user_ps}, "erase this user's rows")
            # Deleted rows live on in the WAL until a checkpoint; secure_delete zeroes freed pages.
            if self._conn is not None:
                with contextlib.suppress(sqlite3.Error):
                    await self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return erased

    async def purge_expired(self, now: datetime | None = None) -> int:
        """Erase rows older than `retention_days`; return how many. Raises StoreError on failure."""
        cutoff = format_ts((now or datetime.now(UTC)) - timedelta(days=self.retention_days))
        await self.flush()
        async with self._db_lock:
            purged = await self._delete(PURGE_SQL, {"cutoff": cutoff}, "purge old rows")
        if purged:
            _log.info("conversation log: purged %d rows older than %s", purged, cutoff)
        return purged

    async def _delete(self, statements: Sequence[str], params: dict[str, str], what: str) -> int:
        """Run DELETE `statements` in one transaction (caller holds the lock); rows deleted."""
        conn = self._conn
        if conn is None:
            raise StoreError(
                f"{self.path}: cannot {what} while the database cannot be written; try again later"
            )
        try:
            await conn.execute("BEGIN IMMEDIATE")
            deleted = 0
            for sql in statements:
                cursor = await conn.execute(sql, params)
                deleted += cursor.rowcount
            await conn.execute("COMMIT")
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                await conn.execute("ROLLBACK")
            raise StoreError(f"{self.path}: could not {what} ({exc}); try again later") from exc
        return deleted

    async def _purge_loop(self, every: float) -> None:
        while True:
            try:
                await self.purge_expired()
            except StoreError as exc:
                _log.warning("%s", exc)
            except Exception:  # the next purge may well work: keep the schedule alive
                _log.exception("conversation log: purge failed")
            await asyncio.sleep(every)


def _prepare(path: Path, busy_timeout: float) -> None:
    """Create and migrate the database (in a worker thread: sqlite3 objects stay in theirs)."""
    open_db(path, busy_timeout=busy_timeout).close()
