"""The topics of the fact base as readers see them: human names in de/en/zh and the questions
worth browsing under each. One listing for every channel: Telegram's /topics buttons and the
console's /topics print the same topics, names and questions.

Pure: the console and the Telegram package both use it.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.engine import Engine
from bot.core.reply import Suggestion


def topic_name(engine: Engine, topic: str, lang: str) -> str:
    """A reader's name for a topic id, as the fact base's release.yaml gives it."""
    return engine.kb.release.topic_name(topic, lang)


def browsable_topics(engine: Engine) -> dict[str, list[str]]:
    """Topic ids and the ids of the intents worth browsing (facts and known unknowns), in file order."""
    out: dict[str, list[str]] = {}
    for topic, intents in engine.kb.topics().items():
        shown = [i.id for i in intents if i.kind in ("fact", "unknown")]
        if shown:
            out[topic] = shown
    return out


@dataclass(frozen=True)
class Topic:
    """One browsable topic in one language: its id, its name and its questions."""

    id: str
    name: str
    questions: tuple[Suggestion, ...]


def topic_listing(engine: Engine, lang: str) -> list[Topic]:
    """Every browsable topic with its name and its intents' first questions in `lang`."""
    listing: list[Topic] = []
    for topic, ids in browsable_topics(engine).items():
        found = (engine.suggestion(i, lang) for i in ids)
        listing.append(Topic(topic, topic_name(engine, topic, lang), tuple(s for s in found if s)))
    return listing
