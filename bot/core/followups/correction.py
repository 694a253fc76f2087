"""A correction of the last question (pure): "no, I meant the office" replaces a term of it;
"no, I meant for the company" picks the one of that organisation among the people just named;
"actually, I meant who the mayor is" is a question of its own; "no, I meant the day" asks the day of
the event the last answer was about. Else, whatever a correction means, it is never the answer
just given again. "Then with whom?" after a yes/no question asks it openly.
"""

from __future__ import annotations

import re

from bot.core import moves
from bot.core.context import ChatContext
from bot.core.followups import ellipsis, pointed
from bot.core.followups.basis import Basis
from bot.core.followups.cues import PERSON_PRONOUN
from bot.core.lang import normalise
from bot.core.question import Reading, asked, unasked
from bot.core.ranking import Ranking
from bot.core.reasoning import roles_in, yes_no
from bot.knowledge.model import Fact

# "No, I meant the day", "Nein, ich meine das genaue Datum", "我是说日期": only the kind of detail.
_THE_DAY = re.compile(
    r"^(?:the |den |das |dem |die |which |welche[ns]? |an welchem )?"
    r"(?:exact |precise |specific |actual |genaue[nm]? |exakte[nm]? |konkrete[nm]? )?(?:day|date|tag|datum)$|"
    r"^(?:具体)?(?:是)?(?:的)?(?:日期|哪天|哪一天|几号|哪一日|几月几号|几月几日)$"
)

# "Then with whom?", "Who did, then?", "Mit wem dann?", "那是和谁签的？": only who is asked, of
# the last question (the signing's verbs are words any fact base about a signing may use).
_THEN_ASKED = re.compile(
    r"^(?:(?:then|so|but|and|dann|also|aber|und|denn)\s+)*(?P<wh>with whom|who|mit wem|wer)"
    r"(?:\s+(?:then|did|was it|did it|instead|dann|denn|stattdessen|eigentlich|sonst|war es|hat es|hat))*$|"
    r"^(?:那么|那)?(?:是)?(?:到底)?(?P<han>和谁|跟谁|与谁|同谁|谁)(?:签|签的|签署的|签字的|签约的|签了)?(?:呢|的|啊)?$"
)


def then_asked(base: Basis, norm: str, alone: Ranking, context: ChatContext) -> Reading | None:
    """ "Did the company sign with <another city>?" - "then with whom?": the last question asked
    openly, without the ones it named where "who" now stands (the people for "who"; for "with
    whom" also the places and the companies the release never names, not the parties); None when
    the message asks more than who, the last question asked no yes or no, or that reads nothing
    confidently."""
    found = _THEN_ASKED.match(norm)
    last = normalise(context.question)
    if found is None or not yes_no(last, alone.lang):
        return None
    facts = base.kb.facts
    who = found.group("wh") or found.group("han")
    named: tuple[Fact, ...] = facts.people
    if who not in ("who", "wer", "谁"):
        named += (*facts.places, *facts.absent_organisations)
    removed = False
    for fact in named:
        # Only a name (not an office that names a person: "the CEO of <company>" is what "who"
        # now asks for).
        cues = tuple(c for c in fact.cues if not roles_in(c))
        for word in ellipsis.cue_words(cues, last):
            last = last.replace(word, " ")
            removed = True
    if who in ("who", "wer", "谁"):
        # "Hat er unterschrieben?" - "Wer dann?": "er" stands where "who" now does.
        unpointed = PERSON_PRONOUN.sub(" ", last)
        removed = removed or unpointed != last
        last = unpointed
    if not removed:
        return None  # nothing named stood where "who" now stands
    text = " ".join(f"{who} {last}".split())
    ranking = base.rank(text, alone.lang)
    best = ranking.best
    own = base.kb.get(best.intent) if best is not None else None
    if best is None or best.probability < base.answer_threshold or best.intent == context.intent:
        return None
    if own is None or own.kind in ("smalltalk", "offtopic"):
        return None
    return Reading(text, ranking)


def meant(base: Basis, norm: str, alone: Ranking, context: ChatContext) -> Reading | None:
    """The reading of "no, I meant X", or None when the message is no correction (or X says
    nothing the last question could be corrected by)."""
    lang = alone.lang
    corrected = moves.correction(norm)
    if corrected is None:
        return None
    the_day = _THE_DAY.match(corrected.rest.strip())
    event = base.kb.facts.event_of(context.intent) if the_day else None
    if event is not None:
        # "They signed in 2023, right?" - "no, I mean the day": the day of the event the last
        # answer was about: that answer again when the event is known to the day; else that event
        # asked of with the day (the engine says the day is not stated), a reading about the last
        # turn; never a question of its own ("the exact date" read alone is the signing's).
        if event.day is not None:
            return Reading(norm, alone, "earlier", (context.intent,))
        text = f"{event.name.get(lang) or context.question} {corrected.rest}"
        return Reading(text, base.rank(text, lang), about=context.intent)
    if asked(corrected.rest):
        # "Actually, I meant who the mayor is": a question of its own, read alone when it is
        # clear (the last answer's people would pull it back to them).
        ranking = base.rank(corrected.rest, lang)
        if ranking.best is not None and ranking.best.probability >= base.answer_threshold:
            return Reading(corrected.rest, ranking)
    # "Who signed for the city?" - "no, I meant for the company": the last answer named
    # both; the one of that organisation is meant.
    # (Not "no, I meant: which company of X is the party?": a question of its own about X.)
    only_org = ellipsis.only_organisation(base, corrected.rest, lang)
    member = base.asked_for(corrected.rest, context.people) if context.people and only_org else ""
    if member:
        return Reading(member, base.rank(member, lang))
    replaced = ellipsis.replaced(base, context, corrected.rest, lang)
    if replaced is not None:
        return replaced
    text = corrected.rest
    # "No, I meant his role for the city": "his" is the one the last turn was about.
    named = pointed.person(base, normalise(text), text, context, lang)
    if (
        named is not None
        and named.ranking.best is not None
        and named.ranking.best.probability >= base.answer_threshold
    ):
        return named
    alone_new = base.rank(text, lang)
    if asked(text) and len(unasked(text).split()) >= 2:
        # "No, I meant who paid for it": a question of its own, not one about the last.
        return Reading(text, alone_new)
    if not base.specific(text, lang):
        return None
    with_last = base.rank(context.question + " " + text, lang)
    ranked = [r for r in (alone_new, with_last) if r.best is not None]
    if ranked:
        return Reading(text, max(ranked, key=lambda r: r.best.probability if r.best else 0.0))
    return None
