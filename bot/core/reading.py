"""Reading a question (pure): ranked alone, then as a follow-up or a move of the conversation in
the chat's context (bot.core.followups), then by its core clause when a framed question is clearer
by its last clauses (bot.core.question). What to do with the reading is the engine's decision.
"""

from __future__ import annotations

import re

from bot.core.context import ChatContext
from bot.core.followups.reader import FollowUps
from bot.core.lang import normalise
from bot.core.question import Reading, has_person_pronoun, numbered, tails, with_name
from bot.core.ranking import MARGIN, Ranker, Ranking, top_gap
from bot.core.reasoning import named_in
from bot.knowledge.model import KnowledgeBase

_SENTENCES = re.compile(r"(?<=[.!。！])\s*")
# A clause that goes on from the one before ("and what is his title?", "und welche Ämter hat er?").
_GOES_ON = re.compile(r"(?:and|und|sowie|plus|also|以及|还有|并且|而且|另外)\b")


class Reader:
    """Reads questions of one fact base: alone, as a follow-up or a move of the conversation, by
    their core clause."""

    def __init__(self, kb: KnowledgeBase, ranker: Ranker, answer_threshold: float) -> None:
        self.ranker = ranker
        self.answer_threshold = answer_threshold
        self.followups = FollowUps(kb, ranker, answer_threshold)
        self.people = kb.facts.people
        self.kinds = {i.id: i.kind for i in kb.intents}

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

    def _torn_with_a_task(self, ranking: Ranking) -> bool:
        """True when the two best readings are within the margin and one is off the topic."""
        if len(ranking.items) < 2 or top_gap(ranking) >= MARGIN:
            return False
        kinds = {self.kinds.get(r.intent) for r in ranking.items[:2]}
        return "offtopic" in kinds and len(kinds) == 2

    def core_clause(self, whole: Reading) -> Reading:
        """A long question framed by a greeting or the asker's context ("For a piece I'm filing
        tonight on ..., can you confirm who ...") read by its last clauses, when the whole is not
        clear enough to answer and a tail is."""
        best = whole.ranking.best
        sure = best is not None and best.probability >= self.answer_threshold
        torn = self._torn_with_a_task(whole.ranking)
        if (sure and not torn) or numbered(whole.text):
            # Sure enough, or numbered asks, each a part of its own. ("Ich schreibe eine
            # Hausarbeit. Wer ist X?" is torn between X and a task off the topic, writing the
            # paper: its last clause is the question.)
            return whole
        chosen = whole
        # (A short message torn with a task: its last sentence, however short the whole.)
        last = [t for t in _SENTENCES.split(whole.text.strip()) if t][-1:] if torn else []
        for tail in tails(whole.text) or [t for t in last if t != whole.text.strip()]:
            said = normalise(tail)
            if has_person_pronoun(said):
                framed = named_in(self.people, normalise(whole.text[: whole.text.rfind(tail)]))
                if len(framed) == 1:
                    # "X called the city dynamic – can you give me his full quote?": his name
                    # for "his" (read alone, the words would be the one quoted's, the premise lost).
                    tail = with_name(tail, framed[0].cues)
                elif not framed and _GOES_ON.match(said):
                    # "Wer war der Mann, der ... unterschrieben hat, und welche Ämter hat er?": whom
                    # "er" means, only the frame says, by no name.
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
