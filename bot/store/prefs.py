"""The language a user pinned with /lang, kept across restarts under the user's pseudonym.

One row per user in the `prefs` table (migration 4): the keyed pseudonym, the language, when it
was set. Raw ids never reach the file. `/forget` erases the row with the user's exchanges
(bot.store.forget). A small LRU cache in front keeps the common case (a user seen a moment ago)
free of SQL, and holds a bounded number of users, never everyone ever seen.

The SQL runs in one worker thread of its own (each call opens the log, reads or writes one row,
closes it), so the event loop never waits on the disk and no connection outlives its call.
A pin that cannot be stored (the log is locked or read-only) is kept in memory and logged; a pin
that cannot be read counts as "none" for this time. Nothing here imports telegram.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

from bot.errors import StoreError
from bot.store.contract import Connection
from bot.store.pseudonym import pseudonymise
from bot.store.records import format_ts
from bot.store.store import Store

PINNABLE = ("de", "en", "zh")
CACHE_USERS = 10_000
GET_PIN = "SELECT lang FROM prefs WHERE user_ps = ?"
SET_PIN = (
    "INSERT INTO prefs (user_ps, lang, ts) VALUES (?, ?, ?) "
    "ON CONFLICT (user_ps) DO UPDATE SET lang = excluded.lang, ts = excluded.ts"
)
CLEAR_PIN = "DELETE FROM prefs WHERE user_ps = ?"

_log = logging.getLogger(__name__)
_MISSING = object()


def read_pin(conn: Connection, user_ps: str) -> str | None:
    """The pinned language of pseudonym `user_ps`, or None."""
    row = conn.execute(GET_PIN, (user_ps,)).fetchone()
    return str(row[0]) if row is not None and row[0] in PINNABLE else None


def write_pin(conn: Connection, user_ps: str, lang: str | None, now: datetime) -> None:
    """Store (or with None, remove) the pin of pseudonym `user_ps`."""
    if lang is None:
        conn.execute(CLEAR_PIN, (user_ps,))
    else:
        conn.execute(SET_PIN, (user_ps, lang, format_ts(now)))


class PinStore:
    """Pins by user id for one channel, stored under pseudonyms in the conversation log's file."""

    def __init__(
        self,
        store: Store,
        *,
        channel: str = "telegram",
        cache_users: int = CACHE_USERS,
    ) -> None:
        self.store = store
        self.channel = channel
        self.cache_users = cache_users
        self._key: bytes | None = None
        self._cache: OrderedDict[int | str, str | None] = OrderedDict()
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="prefs")

    def __len__(self) -> int:
        return len(self._cache)

    async def get(self, user_id: int | str) -> str | None:
        """The language `user_id` pinned (None: follow each question)."""
        found = self._cache.get(user_id, _MISSING)
        if found is not _MISSING:
            self._cache.move_to_end(user_id)
            return found if isinstance(found, str) else None
        try:
            lang = await self._run(self._read, user_id)
        except StoreError as exc:
            _log.warning("cannot read a /lang pin (%s); replying in the question's language", exc)
            return None  # not cached: the next update asks again
        self._remember(user_id, lang)
        return lang

    async def set(self, user_id: int | str, lang: str | None) -> None:
        """Pin `lang` for `user_id` (None or "auto": follow each question again); never raises."""
        value = lang if lang in PINNABLE else None
        self._remember(user_id, value)
        try:
            await self._run(self._write, user_id, value)
        except StoreError as exc:
            _log.warning("cannot store a /lang pin (%s); it holds until the bot restarts", exc)

    def forget(self, user_id: int | str) -> None:
        """Drop `user_id` from the cache (its row goes with the user's other rows on /forget)."""
        self._cache.pop(user_id, None)

    def close(self) -> None:
        """Let the worker thread end (pending calls finish first)."""
        self._worker.shutdown(wait=False)

    # ---- inside the worker thread -----------------------------------------------------------

    def _pseudonym(self, user_id: int | str) -> str:
        if self._key is None:
            self._key = self.store.key()
        assert self._key is not None  # made when there is none
        user_ps = pseudonymise(self._key, self.channel, user_id)
        assert user_ps is not None
        return user_ps

    def _read(self, user_id: int | str) -> str | None:
        conn = self.store.connect()
        try:
            return read_pin(conn, self._pseudonym(user_id))
        finally:
            conn.close()

    def _write(self, user_id: int | str, lang: str | None) -> None:
        conn = self.store.connect()
        try:
            write_pin(conn, self._pseudonym(user_id), lang, datetime.now(UTC))
        finally:
            conn.close()

    async def _run(self, work: Callable[..., str | None], *args: object) -> str | None:
        def call() -> str | None:
            return work(*args)  # raises StoreError when the database fails

        return await asyncio.get_running_loop().run_in_executor(self._worker, call)

    def _remember(self, user_id: int | str, lang: str | None) -> None:
        self._cache[user_id] = lang
        self._cache.move_to_end(user_id)
        while len(self._cache) > self.cache_users:
            self._cache.popitem(last=False)
