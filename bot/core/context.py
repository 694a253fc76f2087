"""Follow-ups: a chat's short memory and how a question is read in its light (pure: the channel
keeps the memory and passes the time).

After an answer the context holds the intent, the question and the entities the intent is about
(people, places, years and topic concepts). A question that leans on it ("and what did he say?",
"und die Niederlassung?", "那分公司呢？") is read again with those entities, and one that names
nothing of its own also together with the last question; a question that stands on its own, small
talk and off-topic messages are read alone, so context never hijacks them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from bot.core.lang import is_han, normalise
from bot.core.ranking import Ranker, Ranking
from bot.core.reply import Reply
from bot.knowledge.model import Intent, KnowledgeBase

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


class FollowUps:
    """Reads follow-up questions of a fact base with its ranker; remembers what each intent is
    about (computed once per intent, when first needed)."""

    def __init__(self, kb: KnowledgeBase, ranker: Ranker, answer_threshold: float) -> None:
        self.kb = kb
        self.ranker = ranker
        self.matcher = ranker.matcher
        self.answer_threshold = answer_threshold
        self._entities: dict[str, tuple[str, ...]] = {}

    def leave(self, reply: Reply, now: float) -> ChatContext | None:
        """The context a reply leaves for the next question (None: keep the old one)."""
        if reply.intent is None or reply.outcome not in ("answered", "unknown", "not_stated"):
            return None
        return ChatContext(reply.intent, reply.question, self.entities(reply.intent), now)

    def entities(self, intent_id: str) -> tuple[str, ...]:
        """Words for what an intent is about."""
        found = self._entities.get(intent_id)
        if found is None:
            intent = self.kb.get(intent_id)
            found = self._intent_entities(intent) if intent is not None else ()
            self._entities[intent_id] = found
        return found

    def read(self, clean: str, alone: Ranking, context: ChatContext) -> Ranking:
        """The ranking of a follow-up read together with what the chat talked about.

        A question with a pronoun is read again with the entities of the last answer; one that
        names nothing specific of its own ("since when?", "und die Niederlassung?", "那分公司呢？")
        also together with the last question. A question that names its own subject, small talk
        and off-topic messages are read alone.
        """
        norm = normalise(clean)
        best = alone.best
        own = self.kb.get(best.intent) if best is not None else None
        if (
            best is not None
            and own is not None
            and own.kind in ("offtopic", "smalltalk")
            and best.probability >= self.answer_threshold
        ):
            return alone
        pointer = has_pointer(norm)
        opener = opens_ellipsis(norm)
        vague = leans_on_context(norm) and not self.specific(clean, alone.lang)
        if not (pointer or opener or vague):
            return alone
        options = []
        if best is not None and best.probability >= self.answer_threshold and not vague:
            options.append(alone)
        if context.entities:
            options.append(self.ranker.rank(clean + " " + " ".join(context.entities), lang=alone.lang))
        if opener or vague:
            options.append(self.ranker.rank(context.question + " " + clean, lang=alone.lang))
        scored = [r for r in options if r.best is not None]
        if not scored:
            return alone
        return max(scored, key=lambda r: r.best.probability if r.best else 0.0)

    def specific(self, text: str, lang: str) -> bool:
        """True when a question names a subject of its own: a person, place, year or a concept or
        word that only a few intents share."""
        rare = self.matcher.idf_max * 0.5
        for term, _ in self.matcher.analyzer.analyse(text, lang):
            if term.startswith("C:") and term[2:] not in self.kb.vague:
                return True
            if term.startswith("W:") and term[2:].isdigit():
                return True
            content = term.startswith("W:") or (term.startswith("H:") and len(term) > 3)
            if content and self.matcher.idf.get(term, 0.0) >= rare:
                return True
        return False

    def _intent_entities(self, intent: Intent) -> tuple[str, ...]:
        """Words for what an intent is about: the people, places and years it names, else its most
        frequent specific concept (what "it" or "there" in a follow-up points back to)."""
        counts: Counter[str] = Counter()
        surface: dict[str, str] = {}
        total = 0
        for lang, questions in intent.questions.items():
            for q in questions:
                total += 1
                seen = set()
                for term, word in self.matcher.analyzer.analyse(q, lang):
                    year = term.startswith("W:") and term[2:].isdigit()
                    if term in seen or not (term.startswith("C:") or year) or term[2:] in self.kb.generic:
                        continue
                    seen.add(term)
                    counts[term] += 1
                    surface.setdefault(term, word)
        frequent = [t for t, n in counts.most_common() if n >= max(2, total // 4)]
        named = [t for t in frequent if t in self.matcher.groups or t.startswith("W:")]
        keep = named[:2] or frequent[:1]
        return tuple(n for n in (self._name(t, surface.get(t, "")) for t in keep) if n)

    def _name(self, term: str, fallback: str) -> str:
        """A word for a concept in every language at once: the concept's terms of each script."""
        if term.startswith("W:"):
            return term[2:]
        terms = self.kb.synonyms.get(term[2:], ())
        latin = next((t for t in terms if not is_han(t)), fallback)
        han = next((t for t in terms if is_han(t)), "")
        return " ".join(x for x in (latin, han) if x)


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
