"""A chat's short memory for follow-up questions (pure: the channel keeps it and passes the time).

After an answer the context holds the intent, the question and the entities the intent is about
(people, places, years and topic concepts). A question that leans on it ("and what did he say?",
"und die Niederlassung?", "那分公司呢？") is read again with those entities; a question that stands
on its own is answered on its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from bot.core.lang import is_han

TTL_SECONDS = 600.0

# Words that point back: pronouns, demonstratives, "there"; on normalised text.
_POINTERS = re.compile(
    r"\b(he|him|his|she|her|hers|they|them|their|it|its|this|that|there|these|those|"
    r"er|ihm|ihn|sein|seine|seiner|seinem|seinen|sie|ihr|ihre|ihrem|ihren|es|dort|dabei|dazu|"
    r"davon|daran|damit|diese[rmns]?|dieses|derselbe|selbst)\b|他|她|它|他们|她们|其|该|此|那里|这个|那个"
)
# Openings of an elliptic follow-up: "and ...", "what about ...", "und ...", "那……呢", "还有".
_ELLIPSIS = re.compile(
    r"^(and|what about|how about|also|und|und was|was ist mit|wie steht es mit|auch|sowie)\b|"
    r"^(那|还有|另外|以及)|呢$"
)
_SHORT_WORDS = 4
_SHORT_HAN = 6


@dataclass(frozen=True)
class ChatContext:
    """What the last answered question of a chat was about."""

    intent: str
    question: str
    entities: tuple[str, ...]  # surface words naming what it was about, in the chat's language
    at: float  # when (seconds, the channel's clock)

    def fresh(self, now: float, ttl: float = TTL_SECONDS) -> bool:
        """True while the context may still be used."""
        return 0.0 <= now - self.at <= ttl


def leans_on_context(normalised: str) -> bool:
    """True when a question points back (a pronoun, "and ...?", "那……呢") or is very short."""
    if _POINTERS.search(normalised) or _ELLIPSIS.search(normalised):
        return True
    words = normalised.split()
    han = sum(len(w) for w in words if is_han(w))
    latin = [w for w in words if not is_han(w)]
    return (han == 0 and len(latin) <= _SHORT_WORDS) or (not latin and han <= _SHORT_HAN)


def opens_ellipsis(normalised: str) -> bool:
    """True when a question opens like a follow-up: "and ...", "what about ...", "那……呢"."""
    return bool(_ELLIPSIS.search(normalised))


def has_pointer(normalised: str) -> bool:
    """True when the question has a pronoun or demonstrative."""
    return bool(_POINTERS.search(normalised))


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
        # Now and then, and whenever the limit is passed, the expired go: idle chats leave nothing.
        if self._puts % 256 == 0 or len(self._items) > self.limit:
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
