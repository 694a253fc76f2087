"""A chat's short memory (pure: the channel keeps it and passes the time): what the last answered
question was about and what the moves of a conversation need of the turns before it
(bot.core.followups reads a question in its light), and the memory of many chats at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

TTL_SECONDS = 600.0
# How many earlier turns a chat remembers for "the date you mentioned before".
EARLIER_TURNS = 4


@dataclass(frozen=True)
class ChatContext:
    """What a chat talked about: the last answered question, and what the moves of a conversation
    need of the turns before it."""

    intent: str
    question: str
    entities: tuple[str, ...]  # surface words naming what it was about, in the chat's language
    at: float  # when (seconds, the channel's clock)
    # The people the last list of people named, in the answer's order ("the second one").
    people: tuple[str, ...] = ()
    focus: str = ""  # the one of them the last turn was about ("the other one" is another)
    earlier: tuple[str, ...] = ()  # intents answered before the last one, most recent first
    # The people the turns were about, the first first ("going back to the first one: is he ...").
    subjects: tuple[str, ...] = ()
    # The language the chat was answered in last ("thx" or "Quelle?" after it is read in it).
    lang: str = ""
    # Where the last answer came from, as it cited it ("source?" after a composed answer).
    sources: tuple[str, ...] = ()

    def fresh(self, now: float, ttl: float = TTL_SECONDS) -> bool:
        """True while the context may still be used."""
        return 0.0 <= now - self.at <= ttl


class ContextMemory:
    """The contexts of many chats, each for `ttl` seconds, at most `limit` of them (the oldest
    go first). Pure: the caller passes the time."""

    def __init__(self, ttl: float = TTL_SECONDS, limit: int = 10_000) -> None:
        self.ttl = ttl
        self.limit = limit
        self._items: dict[object, ChatContext] = {}
        self._puts = 0

    def get(self, key: object, now: float) -> ChatContext | None:
        """The fresh context of `key`, or None (an expired one is forgotten)."""
        found = self._items.get(key)
        if found is not None and not found.fresh(now, self.ttl):
            del self._items[key]
            return None
        return found

    def put(self, key: object, context: ChatContext | None, now: float) -> None:
        """Remember `context` for `key` (None keeps what there is); drop the stale and the oldest."""
        if context is None or self.ttl <= 0:
            return
        self._items.pop(key, None)
        self._items[key] = context
        self._puts += 1
        # Now and then the expired go (idle chats leave nothing); past the limit, the least recently
        # put goes (the dict keeps put order, so the oldest is first: no sweep on every put).
        if self._puts % 256 == 0:
            for stale in [k for k, c in self._items.items() if not c.fresh(now, self.ttl)]:
                del self._items[stale]
        while len(self._items) > self.limit:
            del self._items[next(iter(self._items))]

    def forget(self, key: object) -> None:
        """Drop the context of `key` (the user asked to be forgotten)."""
        self._items.pop(key, None)

    def forget_where(self, belongs: Callable[[object], bool]) -> int:
        """Drop every context whose key `belongs` (a user's private chat and group threads)."""
        gone = [k for k in self._items if belongs(k)]
        for key in gone:
            del self._items[key]
        return len(gone)

    def __len__(self) -> int:
        return len(self._items)
