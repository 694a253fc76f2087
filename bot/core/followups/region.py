"""A region asked past the last answer (pure): "and for which region?", "in welchem Teil des
Landes?", "是哪个地区？" after an answer about a city's goals asks what the answer does not say, the
region; the fact that answer links to that gives a place is the one that says it.
"""

from __future__ import annotations

from bot.core import moves
from bot.core.context import ChatContext
from bot.core.followups.basis import Basis
from bot.core.followups.cues import PERSON_PRONOUN
from bot.core.question import Reading
from bot.core.ranking import Ranking


def wider(base: Basis, norm: str, alone: Ranking, context: ChatContext) -> Reading | None:
    """ "And for which region?" after a fact: the fact it links to that gives a place, when the
    question read alone is no confident fact (a known unknown about other regions, or nothing
    clear) and, read with the last question, that linked fact comes right after the last one;
    else None."""
    if not moves.region(norm) or PERSON_PRONOUN.search(norm):
        return None
    last = base.kb.get(context.intent)
    if last is None or last.kind != "fact":
        return None
    best = alone.best
    own = base.kb.get(best.intent) if best is not None else None
    if best is not None and own is not None and own.kind == "fact" and best.probability >= base.answer_threshold:
        return None  # "which region does the hub serve?" is a question of its own
    # Read with the last question it is that fact again (which does not say it), and next the
    # fact it links to that does.
    joined = base.rank(f"{context.question} {norm}", alone.lang)
    if len(joined.items) < 2 or joined.items[0].intent != context.intent:
        return None
    target = base.kb.get(joined.items[1].intent)
    if target is None or target.id not in last.related or target.kind != "fact" or "place" not in target.provides:
        return None
    return Reading(norm, alone, "earlier", (target.id,))
