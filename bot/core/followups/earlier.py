"""Earlier turns (pure): "back to the date you mentioned before", "zurück zu meiner ersten Frage",
"回到第一个问题" go back to a turn before the last; "back to the witnesses: what is ...?" asks a
question about the turn those words name; "when was that?" about an answer that gives no date is
the turn that gave one, and "how many is that in total?" about one that counts is that answer.
"""

from __future__ import annotations

from dataclasses import replace

from bot.core import moves
from bot.core.context import ChatContext
from bot.core.followups import more, pointed
from bot.core.followups.basis import Basis, any_answer, second_of, top_of
from bot.core.followups.cues import (
    AGO,
    PERSON_PRONOUN,
    STATE_START,
    TALLY,
    TWO_PEOPLE,
    has_pointer,
    leans_on_context,
)
from bot.core.lang import normalise
from bot.core.question import Asked, Reading, asked, missing, unasked
from bot.core.ranking import MARGIN, Ranking, top_gap
from bot.core.reasoning import named_in
from bot.knowledge.model import AnswerType

# How far a loose reading of a question about an earlier turn must lead the next one for that
# turn's link to settle it.
LINKED_LEAD = 0.15
# Among how many of the intents that words naming a turn read as ("back to the signatories") the
# turn may be: the words of a question name a turn loosely.
NAMED_TURN_CANDIDATES = 3


def back(base: Basis, norm: str, alone: Ranking, context: ChatContext) -> Reading | None:
    """The reading of a message that goes back to an earlier turn, or None when it does not."""
    lang = alone.lang
    went = moves.earlier(norm)
    if went is None:
        return None
    if went.rest and base.offtopic(went.rest, lang):
        # "Back to my first question: and the weather there?" is about no turn: off topic.
        return Reading(went.rest, base.rank(went.rest, lang))
    if went.first and len(context.subjects) >= 2 and PERSON_PRONOUN.search(went.rest):
        # "Going back to the first one: is he ...?": the one the chat was first about.
        first_one = replace(context, focus=context.subjects[0])
        him = pointed.person(base, went.rest, went.rest, first_one, lang)
        if him is not None:
            return him
    if went.first and context.earlier:
        return first(base, went.rest, context, lang)
    if went.subject and context.earlier:
        # "Back to the witnesses: what is the city official's title?": a question about the
        # turn those words name.
        named = turn_named(base, went.subject, went.subject_kind, context, lang)
        if named is not None:
            return first(base, went.rest, context, lang, named)
    if went.subject and went.rest:
        # "Zurück zur Unterzeichnung: wer hat für die Stadt unterschrieben?" where no turn was about
        # the signing: its own question, read alone when that is clear (review27).
        own = base.rank(went.rest, lang)
        if own.best is not None and own.best.probability >= base.answer_threshold:
            return Reading(went.rest, own)
    if context.earlier:
        target = turn(base, went, context, lang)
        if target is not None:
            return Reading(norm, alone, "earlier", (target,))
    return None


def giving_turn(base: Basis, reading: Reading, context: ChatContext) -> str | None:
    """ "When was that?" about the last answer, which gives no date: the earlier turn (or a
    fact the last answer links to) that gives the kind of detail asked, if one does; else None.
    """
    best = reading.ranking.best
    norm = normalise(reading.text)
    kinds = asked(norm)
    if reading.move is not None or best is None or best.intent != context.intent or not kinds:
        return None
    if not (has_pointer(norm) or leans_on_context(norm)) or base.specific(
        unasked(norm), reading.ranking.lang
    ):
        return None
    last = base.kb.get(context.intent)
    if last is None or last.kind != "fact" or not last.provides or not missing(kinds, last.provides):
        return None
    if STATE_START.search(norm) and not AGO.search(norm):
        # "Since when?" asks when the state the last answer tells of began: another turn's or a
        # linked fact's date is another thing's ("since when is he an advisor?" is not when the
        # company joined the group).
        return None
    for intent_id in (*context.earlier, *last.related):
        intent = base.kb.get(intent_id)
        if (
            intent is not None
            and intent.kind == "fact"
            and intent.provides
            and not missing(kinds, intent.provides)
        ):
            return intent_id
    return None


def last_gives(base: Basis, reading: Reading, context: ChatContext) -> str | None:
    """ "So how many is that in total?" after the list of the areas, which counts them: the
    last turn again, when the question reads nothing clearly, points back at the last answer,
    names nothing of its own besides what it asks, and that answer gives every kind of detail
    asked; else None."""
    norm = normalise(reading.text)
    kinds = asked(norm)
    if reading.move is not None or not kinds or top_of(reading.ranking) >= base.answer_threshold:
        return None
    own = " ".join(TALLY.sub(" ", norm).split())
    if not (has_pointer(norm) or leans_on_context(own)) or base.specific(unasked(own), reading.ranking.lang):
        return None
    last = base.kb.get(context.intent)
    if last is None or last.kind != "fact" or not last.provides or missing(kinds, last.provides):
        return None
    return context.intent


def first(base: Basis, rest: str, context: ChatContext, lang: str, named_turn: str = "") -> Reading:
    """A message about the first turn of the chat ("back to my first question: ...") or the
    `named_turn` ("back to the witnesses: ..."): that turn again when it asks nothing more;
    "what else besides ..." its related facts not yet given; one of the people its answer
    named, picked by organisation ("the party official from the first answer"); else what it
    asks, read alone, with what that turn was about, or with that turn's question. A reading of
    a question of its own is `about` that turn ("how long before the signing was that?")."""
    turn_id = named_turn or context.earlier[-1]
    if not rest or not (base.specific(rest, lang) or asked(rest)):
        return Reading(rest, base.rank(rest or turn_id, lang), "earlier", (turn_id,))
    if moves.more(rest) is not None or moves.besides(rest):
        return Reading(rest, base.rank(rest, lang), "more", more.facts(base, turn_id, context.earlier))
    that = base.kb.get(turn_id)
    # Of the people its answer named, those who did what that turn asked about (the witnesses'
    # answer names the signatories too).
    named: tuple[str, ...] = ()
    if that is not None:
        named = base.doers(base.people_in(any_answer(that)), that.example(lang))
    member = base.asked_for(rest, named) if len(named) >= 2 else ""
    if member:
        text = f"{rest} {member}"
        return Reading(text, base.rank(text, lang))
    focus = base.focus(turn_id) or (named[0] if len(named) == 1 else "")
    if focus:
        # "Back to the first one: is he an adviser too?": he is the one that turn was about.
        him = pointed.person(base, normalise(rest), rest, replace(context, focus=focus), lang)
        if him is not None:
            return him
    kinds = asked(rest)
    if (
        has_pointer(normalise(rest))
        and not named_in(base.kb.facts.events, normalise(rest))  # "when was it upgraded?": its own
        and that is not None
        and that.kind == "fact"
        and kinds
        and not missing(kinds, that.provides)
    ):
        # "Go back to the office: in which city was it?": "it" is that turn's subject, and its
        # answer gives what is asked.
        return Reading(rest, base.rank(rest, lang), "earlier", (turn_id,))
    # "Zurück zum Büro: wo war das?" names nothing of its own: it asks of that turn, whose
    # question is read first.
    of_the_turn = not base.specific(unasked(rest), lang)
    if of_the_turn:
        joined = with_turn(base, turn_id, rest, kinds, lang)
        if joined is not None:
            return joined
        if that is not None and that.kind == "fact" and not missing(kinds, that.provides):
            return Reading(rest, base.rank(rest, lang), "earlier", (turn_id,))
    # Read alone first: what that turn was about joins only a question that needs it ("what
    # did it cost?"), else it pulls a question of its own back to that turn's answer.
    options = [base.rank(rest, lang)]
    if TWO_PEOPLE.search(rest):
        # "Those two from the first question: whom did each represent?" asks of both at once.
        options = [pointed.within(base, options[0], ())]
    if base.entities(turn_id) and has_pointer(rest):
        options.append(base.rank(rest + " " + " ".join(base.entities(turn_id)), lang))
    linked = {turn_id, *(that.related if that is not None else ())}
    for option in options:
        top = option.best
        if top is None:
            continue
        # Torn between two readings alone (within the margin): read with that turn's question.
        clear = top_gap(option) >= MARGIN
        if top.probability >= base.answer_threshold and clear and base.gives(option, kinds):
            return Reading(rest, option, about=turn_id)
        if top.intent in linked and top.probability - second_of(option) >= LINKED_LEAD:
            # A loose reading that the turn pointed at settles: a fact that turn's answer
            # links to, well ahead of the next.
            return Reading(rest, option, "earlier", (top.intent,))
    # "Back to the witnesses: what is the city official's title?" reads nothing clearly alone;
    # with that turn's question it is that turn's fact (whose answer gives it).
    joined = None if of_the_turn else with_turn(base, turn_id, rest, kinds, lang)
    if joined is not None:
        return joined
    chosen = max(options, key=lambda r: (base.gives(r, kinds), top_of(r)))
    return Reading(rest, chosen, about=turn_id)


def with_turn(base: Basis, turn_id: str, rest: str, kinds: frozenset[Asked], lang: str) -> Reading | None:
    """A question about an earlier turn read together with that turn's question, when that
    clearly reads as that turn's fact and it gives the kind of detail asked; else None."""
    intent = base.kb.get(turn_id)
    if intent is None or intent.kind != "fact":
        return None
    text = f"{normalise(intent.example(lang))} {rest}"
    joined = base.rank(text, lang)
    top = joined.best
    if (
        top is None
        or top.intent != turn_id
        or top.probability < base.answer_threshold
        or not base.gives(joined, kinds)
    ):
        return None
    return Reading(text, joined, about=turn_id)


def turn(base: Basis, went: moves.Earlier, context: ChatContext, lang: str) -> str | None:
    """The earlier turn a message goes back to: the latest that gives the kind of detail it
    names (None if none did), or that its words are about; else the turn before the last."""
    turns = [*context.earlier, context.intent]
    if went.kind is not None:
        for intent_id in turns:
            intent = base.kb.get(intent_id)
            if intent is not None and went.kind in intent.provides:
                return intent_id
        return None  # no turn gave that kind of detail: the message is read as a question
    if base.specific(went.rest, lang):
        # Only when what the words are about is one of the turns ("back to the office"); a
        # question about something new that happens to say "as you mentioned" is read as such.
        found = base.matcher.candidates(went.rest, lang)
        return found[0].intent if found and found[0].intent in turns else None
    return context.earlier[0]


def turn_named(
    base: Basis, words: str, kind: AnswerType | None, context: ChatContext, lang: str
) -> str | None:
    """The turn that words naming one mean ("the date", "the witnesses", "den Unterzeichnern"):
    the latest that gives the kind of detail they name, else the one of the chat's turns among
    the few intents the words read as; None when they name no turn."""
    if kind is not None:
        return turn(base, moves.Earlier(words, kind), context, lang)
    if not base.specific(words, lang):
        return None
    turns = {context.intent, *context.earlier}
    found = base.matcher.candidates(words, lang)[:NAMED_TURN_CANDIDATES]
    return next((c.intent for c in found if c.intent in turns), None)
