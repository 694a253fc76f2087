"""What the engine returns: replies, suggestions and the closed sets that describe them (pure)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

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
