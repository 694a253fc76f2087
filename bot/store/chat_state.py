"""What replicas sharing a store must agree on per user: the follow-up context and the flood window.

One process on a SQLite file keeps both in memory (bot.core.context.ContextMemory,
bot.telegram.flood.FloodGate). When several replicas share a PostgreSQL store, the next message of
a chat may reach any of them, so `SharedChatState` keeps both in the `chat_state` table
(migration 8), one row per pseudonymised key:

- a user's flood window (`flood_count`, `flood_start`), keyed by the user's pseudonym; counted and
  read back in one upsert statement, so two replicas counting at the same moment never lose a
  count. The window is fixed (it starts with the first update after the previous one ended), not
  sliding as FloodGate's is: one row per user instead of one timestamp per update;
- a chat's follow-up context (JSON of ChatContext), keyed by the chat's pseudonym in a private
  chat (the same row as the user's flood window: a private chat's id is the user's id) and by
  the pseudonym of chat and member in a group.

Times are wall-clock epoch seconds (the replicas' clocks, kept in NTP sync), so replicas agree.
Every row carries the user's pseudonym for /forget (bot.store.forget) and `updated_at` for
retention (bot.store.retention). Raw ids never reach the table. Nothing here imports telegram.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from bot.core.context import ChatContext
from bot.errors import StoreUnavailable
from bot.store.contract import AsyncConnection
from bot.store.pseudonym import pseudonymise
from bot.store.records import format_ts
from bot.store.store import Store, shared_link

# One statement: a new window when there is none or the last one ended, else one more in it.
COUNT_UPDATE = (
    "INSERT INTO chat_state (key_ps, user_ps, flood_count, flood_start, updated_at) "
    "VALUES (:key, :user, 1, :now, :ts) "
    "ON CONFLICT (key_ps) DO UPDATE SET "
    "flood_count = CASE WHEN chat_state.flood_start IS NULL OR :now - chat_state.flood_start >= :span "
    "THEN 1 ELSE chat_state.flood_count + 1 END, "
    "flood_start = CASE WHEN chat_state.flood_start IS NULL OR :now - chat_state.flood_start >= :span "
    "THEN :now ELSE chat_state.flood_start END, "
    "updated_at = :ts "
    "RETURNING flood_count"
)
GET_CONTEXT = "SELECT context FROM chat_state WHERE key_ps = ?"
PUT_CONTEXT = (
    "INSERT INTO chat_state (key_ps, user_ps, context, updated_at) VALUES (:key, :user, :context, :ts) "
    "ON CONFLICT (key_ps) DO UPDATE SET context = excluded.context, updated_at = excluded.updated_at"
)


def encode_context(context: ChatContext) -> str:
    """The JSON stored for a context (intent, question, entities, at in epoch seconds, and the
    people, focus and earlier turns of the conversation's moves, the language last answered in
    and its sources)."""
    return json.dumps(
        {
            "intent": context.intent,
            "question": context.question,
            "entities": list(context.entities),
            "at": context.at,
            "people": list(context.people),
            "focus": context.focus,
            "earlier": list(context.earlier),
            "subjects": list(context.subjects),
            "lang": context.lang,
            "sources": list(context.sources),
        },
        ensure_ascii=False,
    )


def decode_context(text: str | None) -> ChatContext | None:
    """The context stored as `text`, or None when there is none or it cannot be read."""
    if not text:
        return None
    try:
        data = json.loads(text)
        return ChatContext(
            str(data["intent"]),
            str(data["question"]),
            tuple(str(e) for e in data["entities"]),
            float(data["at"]),
            # Contexts stored before the conversation's moves lack these.
            tuple(str(p) for p in data.get("people", ())),
            str(data.get("focus", "")),
            tuple(str(i) for i in data.get("earlier", ())),
            tuple(str(p) for p in data.get("subjects", ())),
            str(data.get("lang", "")),
            tuple(str(c) for c in data.get("sources", ())),
        )
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


class SharedChatState:
    """Flood windows and follow-up contexts of one channel's users, in the shared store."""

    def __init__(
        self, db: AsyncConnection, key: bytes, *, channel: str = "telegram", ttl: float = 600.0
    ) -> None:
        self.db = db
        self.key = key
        self.channel = channel
        self.ttl = ttl

    def _ps(self, raw: int | str) -> str:
        found = pseudonymise(self.key, self.channel, raw)
        assert found is not None  # only None for a missing id
        return found

    def _chat_ps(self, chat_id: int, member: int | None) -> str:
        return self._ps(chat_id if member is None else f"{chat_id}/{member}")

    async def count_update(self, user_id: int, now: float, window_s: float) -> int:
        """Count one update of `user_id` at `now` (epoch seconds); how many the user sent in the
        current window, this one included. Raises StoreUnavailable when the store fails."""
        user_ps = self._ps(user_id)
        params = {"key": user_ps, "user": user_ps, "now": now, "span": window_s, "ts": _stamp(now)}
        try:
            row = await self.db.fetchone(COUNT_UPDATE, params)
        except StoreUnavailable as exc:
            raise _unavailable("count an update", exc) from exc
        assert row is not None  # RETURNING gives the row written
        return int(row[0])

    async def context(self, chat_id: int, member: int | None, now: float) -> ChatContext | None:
        """The fresh follow-up context of the chat (of `member` in a group), or None."""
        try:
            row = await self.db.fetchone(GET_CONTEXT, (self._chat_ps(chat_id, member),))
        except StoreUnavailable as exc:
            raise _unavailable("read a follow-up context", exc) from exc
        found = decode_context(row[0] if row is not None else None)
        return found if found is not None and found.fresh(now, self.ttl) else None

    async def remember(
        self, chat_id: int, member: int | None, user_id: int, context: ChatContext | None
    ) -> None:
        """Keep `context` for the chat (None keeps what there is); `user_id` owns the row."""
        if context is None or self.ttl <= 0:
            return
        params = {
            "key": self._chat_ps(chat_id, member),
            "user": self._ps(user_id),
            "context": encode_context(context),
            "ts": _stamp(context.at),
        }
        try:
            await self.db.execute(PUT_CONTEXT, params)
        except StoreUnavailable as exc:
            raise _unavailable("store a follow-up context", exc) from exc

    async def close(self) -> None:
        """Close the connection."""
        await self.db.close()


async def open_chat_state(
    store: Store, key: bytes, *, channel: str = "telegram", ttl: float = 600.0
) -> SharedChatState | None:
    """The shared chat state of `store`, on a connection of its own, when other processes share
    it (BOT_DB_URL names a server); None for a SQLite file (this process keeps contexts and flood
    windows in memory). A server that is down now is reached once it is back.
    """
    link = await shared_link(store)  # reconnects by itself after a fault (bot.store.store)
    return None if link is None else SharedChatState(link, key, channel=channel, ttl=ttl)


def _stamp(epoch: float) -> str:
    return format_ts(datetime.fromtimestamp(epoch, UTC))


def _unavailable(what: str, exc: StoreUnavailable) -> StoreUnavailable:
    return StoreUnavailable(exc.kind, f"shared chat state: could not {what} ({exc})")
