"""Reading a question (pure): ranked alone, then as a follow-up or a move of the conversation in
the chat's context (bot.core.followups), then by its core clause when a framed question is clearer
by its last clauses (bot.core.question). What to do with the reading is the engine's decision.
"""

from __future__ import annotations

from bot.core.context import ChatContext
from bot.core.followups.reader import FollowUps
from bot.core.lang import normalise
from bot.core.question import Reading, has_person_pronoun, numbered, tails
from bot.core.ranking import Ranker, Ranking
from bot.knowledge.model import KnowledgeBase


class Reader:
    """Reads questions of one fact base: alone, as a follow-up or a move of the conversation, by
    their core clause."""

    def __init__(self, kb: KnowledgeBase, ranker: Ranker, answer_threshold: float) -> None:
        self.ranker = ranker
        self.answer_threshold = answer_threshold
        self.followups = FollowUps(kb, ranker, answer_threshold)

    def read(
        self, clean: str, hint: str | None = None, context: ChatContext | None = None, lang: str | None = None
    ) -> Reading:
        """The reading of a cleaned, non-empty question; `context` is the chat's, if fresh; `lang`
        the language it is in, where known (else it is detected, `hint` breaking ties)."""
        reading = Reading(clean, self.followups.opened(clean, self.ranker.rank(clean, hint=hint, lang=lang)))
        if context is not None:
            reading = self.followups.read(clean, reading.ranking, context)
        if reading.move is not None or reading.text != clean:
            return reading
        return self.core_clause(reading)

    def rank(self, text: str, lang: str) -> Ranking:
        """The ranking of a text whose language is known (a part of a question)."""
        return self.ranker.rank(text, lang=lang)

    def core_clause(self, whole: Reading) -> Reading:
        """A long question framed by a greeting or the asker's context ("For a piece I'm filing
        tonight on ..., can you confirm who ...") read by its last clauses, when the whole is not
        clear enough to answer and a tail is."""
        best = whole.ranking.best
        if (best is not None and best.probability >= self.answer_threshold) or numbered(whole.text):
            return whole  # sure enough, or numbered asks, each a part of its own
        chosen = whole
        for tail in tails(whole.text):
            if has_person_pronoun(normalise(tail)):
                # "Wer war der Mann, der ... unterschrieben hat, und welche Ämter hat er?": whom
                # "er" means, only the frame says.
                continue
            ranking = self.ranker.rank(tail, lang=whole.ranking.lang)
            top = ranking.best
            current = chosen.ranking.best
            if (
                top is not None
                and top.probability >= self.answer_threshold
                and (current is None or top.probability > current.probability)
            ):
                chosen = Reading(tail, ranking)
        return chosen
