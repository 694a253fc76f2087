"""A region asked past the last answer (pure): "and for which region?", "in welchem Teil des
Landes?", "是哪个地区？" after an answer that names only a city asks what that answer does not say;
a fact it links to that names a region it does not (the fact base's places wider than a city,
`names.region` in knowledge/release.yaml) says it. Not a question's own words but a link chosen for
it: its confidence is the joined reading's, never above `REGION_CONFIDENCE` (bot.core.question).
"""

from __future__ import annotations

import re

from bot.core import moves
from bot.core.context import ChatContext
from bot.core.followups.basis import Basis
from bot.core.followups.cues import PERSON_PRONOUN
from bot.core.question import Reading
from bot.core.ranking import Ranking

# "What part of <X>", "in welchem Teil <X>s": a part of a company or a city is no wider region.
_PART = re.compile(r"\bpart of (?:the )?|\bteil (?:von )?")


def wider(base: Basis, norm: str, alone: Ranking, context: ChatContext) -> Reading | None:
    """ "And for which region?" after a fact that names a place: the fact it links to that names
    a region the last answer does not (of several, the one that reads best with the last question),
    when the question read alone is no confident fact (a known unknown about other regions, or
    nothing clear); else None. A city named only inside another name (a hub's) is no region."""
    if not moves.region(norm) or PERSON_PRONOUN.search(norm):
        return None
    for part in _PART.finditer(norm):
        if norm[part.end() :].startswith(base.named):
            return None  # "which part of <the city>", "what part of <the company>"
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
    said = " ".join(last.answer.values())
    if not base.places_in(said):
        return None  # an answer that names no place: the region asked is not one past it
    shown = base.regions_in(said)
    linked = []
    for intent_id in last.related:
        intent = base.kb.get(intent_id)
        if (
            intent is not None
            and intent.kind == "fact"
            and base.regions_in(" ".join(intent.answer.values())) - shown
        ):
            linked.append(intent_id)
    if not linked:
        return None
    joined = base.rank(f"{context.question} {norm}", alone.lang)
    score = {r.intent: r.probability for r in joined.items}
    target = max(linked, key=lambda intent_id: score.get(intent_id, 0.0))
    # The joined reading stands in for the question's own: the engine answers the target with it.
    return Reading(norm, joined, "region", (target,))
