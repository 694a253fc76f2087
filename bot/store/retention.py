"""Retention: erase rows older than the configured number of days.

On a plain connection of the store, in one write transaction, so the bot (from a worker thread, see
bot.store.log.ConversationLog.purge_expired) and any script share it. No telegram here.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.store.contract import Connection
from bot.store.records import format_ts

PURGE_SQL = (
    "DELETE FROM feedback WHERE ts < :cutoff OR exchange_id IN (SELECT id FROM exchanges WHERE ts < :cutoff)",
    "DELETE FROM exchanges WHERE ts < :cutoff",
    "DELETE FROM chat_state WHERE updated_at < :cutoff",  # replicas' shared context and flood windows
)


def cutoff(now: datetime, retention_days: int) -> str:
    """The stored timestamp before which rows are expired (exclusive: a row at it is kept)."""
    return format_ts(now - timedelta(days=retention_days))


def purge_rows(conn: Connection, before: str) -> int:
    """Erase exchanges and votes stamped before `before` (votes on such exchanges too); how many."""
    conn.execute("PRAGMA secure_delete = ON")
    with conn.transaction():
        return sum(conn.execute(sql, {"cutoff": before}).rowcount for sql in PURGE_SQL)
