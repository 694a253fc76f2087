"""The inbox as a work queue shared by several replicas: who handles which update, in each chat's
order, and what happens to the updates of a replica that died.

The inbox (bot.store.inbox) stores each update once, by `update_id`, before Telegram is answered.
On top of that, `WorkQueue.claim` hands a replica the updates it may handle now:

- only the oldest unfinished update of each chat is ever claimable, so a chat's updates are
  handled one at a time and in order, whichever replica takes them;
- a claim is a lease (`claimed_by`, `claim_until`): the claimer renews it while it works; once it
  lapses (the replica was killed), any replica may claim the update again, and its `sends`
  count (bot.store.inbox) makes the new handler skip the messages that already went out;
- on PostgreSQL the candidates are read `FOR UPDATE SKIP LOCKED`, so replicas claiming at the
  same moment never take the same row and never wait for each other; on SQLite the write lock
  taken at BEGIN does the same for the processes on one machine.

An update leaves the queue when it is marked done (the log writer, in the transaction that commits
its exchange, or `Inbox.mark_done`). Lease times are the replicas' UTC clocks (keep them in NTP
sync; the lease is many seconds longer than any skew). Nothing here imports telegram.
"""

from __future__ import annotations

import os
import secrets
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.errors import StoreUnavailable
from bot.store.contract import AsyncConnection
from bot.store.records import format_ts
from bot.store.store import Store, shared_link

LEASE_S = 30.0  # a claim not renewed for this long is taken over by another replica

# The columns the queue adds to the inbox (appended to bot.store.schema.MIGRATIONS as one step).
MIGRATION = (
    "ALTER TABLE inbox ADD COLUMN claimed_by TEXT",
    "ALTER TABLE inbox ADD COLUMN claim_until TEXT",
    "CREATE INDEX inbox_chat ON inbox (chat_key, update_id)",
)

_CLAIMABLE = (
    "SELECT i.update_id, i.chat_key, i.raw, i.sends, i.attempts FROM inbox i "
    "WHERE i.state IN ('pending', 'sent') AND i.raw IS NOT NULL "
    "AND (i.claim_until IS NULL OR i.claim_until < ?) "
    "AND NOT EXISTS (SELECT 1 FROM inbox j WHERE j.chat_key = i.chat_key "
    "AND j.state IN ('pending', 'sent') AND j.update_id < i.update_id) "
    "ORDER BY i.update_id LIMIT ?"
)
_TAKE = (
    "UPDATE inbox SET claimed_by = ?, claim_until = ?, attempts = attempts + 1, updated_at = ? "
    "WHERE update_id = ? AND state IN ('pending', 'sent')"
)
_RENEW = (
    "UPDATE inbox SET claim_until = ? WHERE claimed_by = ? AND update_id = ? AND state IN ('pending', 'sent')"
)
_RELEASE = (
    "UPDATE inbox SET claimed_by = NULL, claim_until = NULL "
    "WHERE claimed_by = ? AND state IN ('pending', 'sent')"
)


@dataclass(frozen=True)
class Claimed:
    """An update this replica may handle now (it holds the lease)."""

    update_id: int
    chat_key: str | None
    raw: str
    sends: int  # messages already sent for it (by this or a dead replica): skip that many
    attempts: int  # claims so far, this one included


class WorkQueue:
    """Claims on the inbox for replica `replica` (a name unique per running process)."""

    def __init__(self, db: AsyncConnection, replica: str, *, lease_s: float = LEASE_S) -> None:
        self.db = db
        self.replica = replica
        self.lease = timedelta(seconds=lease_s)

    def _claimable(self) -> str:
        if self.db.dialect.name == "postgresql":  # rows another replica is claiming are skipped
            return _CLAIMABLE + " FOR UPDATE OF i SKIP LOCKED"
        return _CLAIMABLE

    async def claim(self, limit: int, now: datetime | None = None) -> list[Claimed]:
        """Up to `limit` updates, at most one per chat (each chat's oldest unfinished one), whose
        earlier claim is absent or lapsed; leased to this replica in one transaction.
        Raises StoreUnavailable when the database fails (nothing is claimed then)."""
        try:
            return await self._claim(limit, now)
        except StoreUnavailable as exc:
            raise _unavailable("claim updates", exc) from exc

    async def _claim(self, limit: int, now: datetime | None) -> list[Claimed]:
        moment = now or datetime.now(UTC)
        stamp = format_ts(moment)
        until = format_ts(moment + self.lease)
        async with self.db.transaction():
            rows = await self.db.fetchall(self._claimable(), (stamp, max(1, limit)))
            picked: list[Claimed] = []
            seen: set[str] = set()
            for update_id, chat_key, raw, sends, attempts in rows:
                if chat_key is not None and chat_key in seen:  # pragma: no cover - the query excludes it
                    continue
                if chat_key is not None:
                    seen.add(chat_key)
                await self.db.execute(_TAKE, (self.replica, until, stamp, update_id))
                picked.append(Claimed(int(update_id), chat_key, str(raw), int(sends), int(attempts) + 1))
        return picked

    async def renew(self, update_ids: Iterable[int], now: datetime | None = None) -> int:
        """Extend this replica's leases on `update_ids` (a long handler); how many it still held."""
        until = format_ts((now or datetime.now(UTC)) + self.lease)
        ids = list(update_ids)
        if not ids:
            return 0
        try:
            async with self.db.transaction():
                return await self.db.executemany(_RENEW, [(until, self.replica, u) for u in ids])
        except StoreUnavailable as exc:
            raise _unavailable("renew claims", exc) from exc

    async def release(self) -> int:
        """Give back every unfinished update this replica holds (on a clean stop); how many."""
        try:
            async with self.db.transaction():
                return await self.db.execute(_RELEASE, (self.replica,))
        except StoreUnavailable as exc:
            raise _unavailable("release claims", exc) from exc

    async def close(self) -> None:
        """Close the queue's connection."""
        await self.db.close()


def replica_id() -> str:
    """A name for this process among the replicas sharing a store, for the claims it holds: host,
    pid and a random tag (a restarted process that gets the same pid is another one)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


async def open_queue(store: Store, replica: str, *, lease_s: float = LEASE_S) -> WorkQueue | None:
    """The shared work queue of `store`, on a connection of its own, when other processes share
    it (BOT_DB_URL names a server); None when this process is the only one that hands out its
    updates (a SQLite file). A server that is down now is reached once it is back.
    """
    link = await shared_link(store)  # reconnects by itself after a fault (bot.store.store)
    return None if link is None else WorkQueue(link, replica, lease_s=lease_s)


def _unavailable(what: str, exc: StoreUnavailable) -> StoreUnavailable:
    return StoreUnavailable(exc.kind, f"shared inbox: could not {what} ({exc})")
