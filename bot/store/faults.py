"""Who was told what went wrong with the database: retry backoff and admin alerts.

Each backend names its faults by kind (locked, read-only, full, cannot-open, ...; the `kind` of
bot.errors.StoreUnavailable), so that admins hear once per kind, not once per row. `FaultTracker`
holds the writer's backoff and the alerts sent; it knows nothing of SQL.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

_log = logging.getLogger(__name__)

OnAlert = Callable[[str], Awaitable[None]]


class FaultTracker:
    """Backoff between retries of a failing database, and alerts sent once per kind."""

    def __init__(self, on_alert: OnAlert | None, retry_interval: float, retry_max: float) -> None:
        self._on_alert = on_alert
        self._retry_interval = retry_interval
        self._retry_max = retry_max
        self._backoff = retry_interval
        self.retry_at = 0.0  # time.monotonic() from which the failing database may be tried again
        self.faulty = False  # a fault began and no commit went through since
        self._alerted: set[str] = set()
        self._tasks: set[asyncio.Task[None]] = set()

    def due(self) -> bool:
        """True once the backoff since the last failure has passed."""
        return time.monotonic() >= self.retry_at

    def retry_now(self) -> None:
        """Let the next cycle try the database whatever the backoff says."""
        self.retry_at = 0.0

    def schedule_retry(self) -> None:
        """A try failed: wait the backoff, then double it (up to retry_max)."""
        self.retry_at = time.monotonic() + self._backoff
        self._backoff = min(self._backoff * 2, self._retry_max)

    def fault(self, kind: str, message: str) -> None:
        """The database failed with `kind`: back off, and tell admins if this kind is new."""
        self.faulty = True
        self.schedule_retry()
        self.alert(kind, message)

    def healed(self) -> bool:
        """A commit went through: reset the backoff; True if admins heard of a fault (tell them).
        The outage is over: the next one is told again, kind by kind."""
        self._backoff = self._retry_interval
        was, self.faulty = self.faulty, False
        if was:
            self._alerted.clear()
        return was

    def alert(self, kind: str, message: str) -> None:
        """Log `message`; the first time for `kind`, also hand it to on_alert (not awaited here)."""
        if kind in self._alerted:
            _log.debug("%s", message)
            return
        self._alerted.add(kind)
        _log.warning("%s", message)
        if self._on_alert is None:
            return
        try:
            task = asyncio.get_running_loop().create_task(self._deliver(self._on_alert, message))
        except RuntimeError:  # no event loop (logged before start): the log line must do
            return
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self, timeout: float = 5.0) -> None:
        """Wait (up to `timeout`) for alerts still on their way to admins."""
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=timeout)

    @staticmethod
    async def _deliver(on_alert: OnAlert, message: str) -> None:
        try:
            await on_alert(message)
        except Exception:  # an admin we cannot reach must not stop the log
            _log.exception("conversation log: alert could not be delivered: %s", message)
