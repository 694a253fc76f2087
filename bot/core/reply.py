"""What the engine returns: replies, suggestions and the closed sets that describe them (pure)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Literal

from bot.core.lang import Script, in_script

# What became of a message. Queries are the outcomes a question can have; the rest are the log's
# own (a command, a button, a throttled message).
Outcome = Literal[
    "answered",
    "smalltalk",
    "unknown",
    "not_stated",
    "suggested",
    "declined",
    "offtopic",
    "other",
    "throttled",
]
# How an exchange reached the bot.
Channel = Literal["telegram", "console"]
# What kind of update it was.
ExchangeKind = Literal["message", "command", "callback", "inline"]


@dataclass(frozen=True)
class Suggestion:
    """An intent offered to the user, with a question that shows what it answers."""

    intent: str
    question: str


@dataclass(frozen=True)
class Reply:
    """What the bot says to one question, with everything the log and the buttons need."""

    question: str
    answered: bool
    outcome: Outcome
    intent: str | None  # the intent whose answer is shown
    nearest: str | None  # the best candidate even when nothing is answered (for the review)
    confidence: float
    lang: str
    text: str
    suggestions: tuple[Suggestion, ...] = ()
    sources: tuple[str, ...] = ()
    related: tuple[Suggestion, ...] = field(default=())
    script: Script | None = None  # the traditional script it is written in; None: as the fact base

    def in_script(self, script: Script | None) -> Reply:
        """The reply written in a traditional `script`: its text, sources and buttons (the fact
        base is simplified; unchanged for None)."""
        if script is None:
            return self

        def buttons(offers: tuple[Suggestion, ...]) -> tuple[Suggestion, ...]:
            return tuple(replace(s, question=in_script(s.question, script)) for s in offers)

        return replace(
            self,
            text=in_script(self.text, script),
            sources=tuple(in_script(s, script) for s in self.sources),
            suggestions=buttons(self.suggestions),
            related=buttons(self.related),
            script=script,
        )

    def to_json(self) -> dict[str, Any]:
        """The `ask --json` object."""
        return {
            "question": self.question,
            "answered": self.answered,
            "intent": self.intent,
            "confidence": self.confidence,
            "lang": self.lang,
            "answer": self.text,
            "suggestions": [{"intent": s.intent, "question": s.question} for s in self.suggestions],
            "source": list(self.sources),
            "outcome": self.outcome,
        }
