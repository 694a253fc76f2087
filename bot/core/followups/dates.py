"""Years put to the chat (pure): "since 2015?" checked against the last answer's date, "how
many years lay between them?" after two turns with a year each, "how many years by the time
of the signing?" counted from an earlier turn's event, a bare "since when?" asked of the
person the chat is about, and "how long ago was that?" of the last turn's event.
"""

from __future__ import annotations

import re

from bot.core import moves
from bot.core.context import ChatContext
from bot.core.followups.basis import Basis, any_answer, years_in
from bot.core.followups.cues import AGO, STATE_START, has_pointer
from bot.core.lang import normalise
from bot.core.question import Reading, missing, only_when, unasked, with_person
from bot.core.ranking import Ranking
from bot.core.reasoning import ago_asked, named_in

# The words of a question about the time between two turns, taken off to see whether it names
# anything else.
_SPAN_WORDS = re.compile(
    r"\b(?:how many|how long|years?|days?|passed|lay|lie|lies|are there|were there|between|in between|"
    r"apart|them|the two|both|those|these|wie ?viele|wie lange|jahre|tage|liegen|lagen|vergingen|"
    r"dazwischen|zwischen|den|die|beiden|auseinander)\b|相隔|间隔|隔了|相差|差了|多少|几|年|天|之间|中间|"
    r"两者|它们|这两个"
)


def span(base: Basis, norm: str, alone: Ranking, context: ChatContext) -> Reading | None:
    """ "How many years lay between them?" after two turns with a year each: a "span" move with
    those two turns and the fact (of those turns or linked to the last) whose answer names both
    years, which says the span; else None."""
    if not moves.span(norm) or not context.earlier:
        return None
    if len(named_in(base.kb.facts.events, norm)) >= 2:
        return None  # "how many years between the office and the branch?": the events it names
    last, before = base.kb.get(context.intent), base.kb.get(context.earlier[0])
    if last is None or before is None:
        return None
    # (Counted from the two turns' events only when the question names nothing else: "wie lange
    # dauert die Fahrt zwischen <two cities>?" asks something of its own.)
    both_dated = (
        context.intent != context.earlier[0]
        and all(base.kb.facts.event_of(i) for i in (context.intent, context.earlier[0]))
        and not base.specific(_SPAN_WORDS.sub(" ", norm), alone.lang)
    )
    years = {found[0] for found in (years_in(any_answer(i)) for i in (last, before)) if found}
    if len(years) != 2:
        # (Two events of one year: the days between them, when both give the day.)
        return Reading(norm, alone, "span", (context.earlier[0], context.intent, "")) if both_dated else None
    for intent_id in (context.intent, context.earlier[0], *last.related):
        intent = base.kb.get(intent_id)
        if intent is not None and intent.kind == "fact" and years <= set(years_in(any_answer(intent))):
            return Reading(norm, alone, "span", (context.earlier[0], context.intent, intent_id))
    if both_dated:
        # No fact names both years, but each turn was about a dated event: counted from them.
        return Reading(norm, alone, "span", (context.earlier[0], context.intent, ""))
    return None


def until_named(base: Basis, norm: str, alone: Ranking, context: ChatContext) -> Reading | None:
    """ "So how many years of membership by the time of the signing?" after a turn about the joining
    and one about something undated: the question `about` the latest earlier turn with an event
    (the time is counted from it up to the event the question names), when the last turn has
    none of its own to count from; else None."""
    if not moves.counted_until(norm):
        return None
    events = base.kb.facts.events
    named = named_in(events, norm)
    if len(named) != 1:
        return None
    dated = {e.intent: e for e in events if e.intent}
    last = dated.get(context.intent)
    if last is not None and last.id != named[0].id:
        return None  # counted from the last turn's event as it is
    turn = next((t for t in context.earlier if t in dated and dated[t].id != named[0].id), None)
    return Reading(norm, alone, about=turn) if turn is not None else None


def year_checked(base: Basis, norm: str, alone: Ranking, context: ChatContext) -> Reading | None:
    """ "Since 2015?" after an answer that gives a date: the last question with the year put to
    it (so that a wrong year is corrected by that answer's), when that still reads as the last
    answer's fact; else None."""
    if moves.year_check(norm) is None:
        return None
    last = base.kb.get(context.intent)
    if last is None or last.kind != "fact" or "date" not in last.provides:
        return None
    text = f"{context.question} {norm}"
    ranking = base.rank(text, alone.lang)
    if ranking.best is None or ranking.best.intent != context.intent:
        return None
    return Reading(text, ranking)


def since_of_person(base: Basis, norm: str, alone: Ranking, context: ChatContext) -> Reading | None:
    """ "Since when?" and nothing else, after a person's profile: asked of that person (the release
    dates events, never a person's time in a post), not the date a bare "since when" reads as
    alone; else None."""
    if not context.focus or not STATE_START.search(norm) or AGO.search(norm):
        return None
    if base.specific(norm, alone.lang):
        return None  # "since when has the company been on the council?": a subject of its own
    if context.intent in base.profiles():
        text = f"{norm} {context.focus}"
        return Reading(text, base.rank(text, alone.lang))
    last = base.kb.get(context.intent)
    if alone.best is None or alone.best.intent == context.intent or last is None or last.kind != "fact":
        return None
    if not missing(frozenset({"date"}), last.provides):
        return None  # the last answer gives a date: the engine answers with it
    # "Is X an advisor to the mayor?" - "从什么时候开始？": when that began, which its answer does not
    # give; not the date a bare "since when" reads as alone.
    # (Its "he" is the person the chat is about: "und welche Rolle hat er beim Bürgermeister?".)
    text = f"{with_person(unasked(normalise(context.question)), context.focus)} {norm}"
    return Reading(text, base.rank(text, alone.lang))


# The words that ask how long ago, taken off to see whether a question names anything else.
_AGO_WORDS = re.compile(r"\b(?:ago|her)\b|多久|多长时间|以前|之前")


def ago_of_last(base: Basis, norm: str, alone: Ranking, context: ChatContext) -> Reading | None:
    """ "How long ago was that?", "Wie lange ist das her?", "那是多久以前？" right after an answer
    about a dated event: the last question asked how long ago (counted up to the release's own
    date); else None."""
    pointed = has_pointer(norm) or norm.startswith("那")  # "那是多久以前？": 那 alone points back too
    if not ago_asked(norm) or not pointed or base.specific(_AGO_WORDS.sub(" ", norm), alone.lang):
        return None
    if base.kb.facts.event_of(context.intent) is None:
        return None
    text = f"{normalise(context.question)} {norm}"
    return Reading(text, base.rank(text, alone.lang))


def when_of_answer(base: Basis, norm: str, alone: Ranking, context: ChatContext) -> Reading | None:
    """ "And when was that?" after an answer that is no event's own (who witnessed the signing, a
    person's profile) but names one event: that event's date. The latest event is the release,
    which many answers name as their source: it counts only when it is the one event named."""
    facts = base.kb.facts
    last = base.kb.get(context.intent)
    if last is None or facts.event_of(context.intent) is not None or not only_when(norm):
        return None
    events = named_in(facts.events, normalise(" ".join(last.answer.values())))
    latest = facts.by_date[-1] if facts.by_date else None
    if len(events) > 1:
        events = tuple(e for e in events if e is not latest)
    if len(events) != 1 or events[0].intent is None:
        return None
    return Reading(norm, alone, "earlier", (events[0].intent,))
