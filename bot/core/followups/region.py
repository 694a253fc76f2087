"""A region asked past the last answer (pure): "and for which region?", "in welchem Teil des
Landes?", "是哪个地区？" after an answer that names only a city asks what that answer does not say;
a fact it links to that names a place it does not (the fact base's places: cities and regions,
knowledge/release.yaml) says it.
"""

from __future__ import annotations

from bot.core import moves
from bot.core.context import ChatContext
from bot.core.followups.basis import Basis
from bot.core.followups.cues import PERSON_PRONOUN
from bot.core.question import Reading
from bot.core.ranking import Ranking


def wider(base: Basis, norm: str, alone: Ranking, context: ChatContext) -> Reading | None:
    """ "And for which region?" after a fact that names a place: the fact it links to that names
    a place the last answer does not (of several, the one that reads best with the last question), when the
    question read alone is no confident fact (a known unknown about other regions, or nothing
    clear); else None."""
    if not moves.region(norm) or PERSON_PRONOUN.search(norm):
        return None
    last = base.kb.get(context.intent)
    if last is None or last.kind != "fact":
        return None
    best = alone.best
    own = base.kb.get(best.intent) if best is not None else None
    if (
        best is not None
        and own is not None
        and own.kind == "fact"
        and best.probability >= base.answer_threshold
    ):
        return None  # "which region does the hub serve?" is a question of its own
    shown = base.places_in(" ".join(last.answer.values()))
    if not shown:
        return None  # an answer that names no place: the region asked is not one past it
    linked = []
    for intent_id in last.related:
        intent = base.kb.get(intent_id)
        if (
            intent is not None
            and intent.kind == "fact"
            and base.places_in(" ".join(intent.answer.values())) - shown
        ):
            linked.append(intent_id)
    if not linked:
        return None
    joined = base.rank(f"{context.question} {norm}", alone.lang)
    score = {r.intent: r.probability for r in joined.items}
    target = max(linked, key=lambda intent_id: score.get(intent_id, 0.0))
    return Reading(norm, alone, "earlier", (target,))
