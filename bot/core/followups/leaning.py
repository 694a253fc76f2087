"""A question that leans on the chat, read together with it (pure): one with a pronoun again
with what the last answer was about ("and what did he say?"); one that names nothing specific of
its own ("since when?", "und die Niederlassung?", "那分公司呢？") also together with the last
question, or as the last question about a sibling subject (bot.core.followups.ellipsis). A
question that names its own subject, small talk and off-topic messages are read alone.
"""

from __future__ import annotations

from bot.core.context import ChatContext
from bot.core.followups import ellipsis
from bot.core.followups.basis import Basis, any_answer, top_of
from bot.core.followups.cues import (
    PERSON_PRONOUN,
    QUESTION_WORD,
    SUBJECT_PRONOUN,
    THEY,
    bare,
    has_pointer,
    leans_on_context,
    opens_ellipsis,
)
from bot.core.lang import normalise
from bot.core.question import Asked, Reading, asked, unasked
from bot.core.ranking import Ranking
from bot.core.reasoning import named_in, yes_no


def read(base: Basis, clean: str, alone: Ranking, context: ChatContext) -> Reading:
    """The reading of a question that makes no move: read alone, or together with the chat when
    it leans on it."""
    norm = normalise(clean)
    lang = alone.lang
    best = alone.best
    own = base.kb.get(best.intent) if best is not None else None
    if (
        best is not None
        and own is not None
        and own.kind in ("offtopic", "smalltalk")
        and best.probability >= base.answer_threshold
    ):
        return Reading(clean, alone)
    pointer = has_pointer(norm)
    opener = opens_ellipsis(norm)
    vague = leans_on_context(norm) and not base.specific(clean, lang)
    if not (pointer or opener or vague):
        return Reading(clean, alone)
    subject = bare(norm)
    if opener and not pointer and not asked(subject) and not QUESTION_WORD.search(subject):
        # "And the data centres?" after how many metro lines: the last question about the data
        # centres, when that reads as another fact about them.
        # ("And on the company's side?" names a side: the last question asked of it comes first.)
        other_side = ellipsis.other_side(base, context, subject, lang)
        if other_side is not None:
            return other_side
        sibling = ellipsis.replaced(base, context, subject, lang)
        if sibling is not None:
            return sibling
    if (
        opener
        and not pointer
        and not vague
        and best is not None
        and best.probability >= base.answer_threshold
        and best.intent != context.intent
    ):
        # "and the one who signed for X?" names its own subject: the last answer's people would
        # only pull it back to the last turn.
        return Reading(clean, alone)
    if pointer and not vague:
        meant = _said_last(base, clean, alone, context) or _said_linked(base, clean, alone, context)
        if meant is not None:
            return meant
        if (
            best is not None
            and best.probability >= base.answer_threshold
            and best.intent != context.intent
            and not PERSON_PRONOUN.search(norm)
            and not THEY.search(norm)
            and base.specific(unasked(norm), lang)
        ):
            # "Who called it a milestone?" after turns about people: "it" is a thing, and the
            # question names its subject (the milestone) itself; the last turns' people would only
            # pull it to one of them.
            return Reading(clean, alone)
    options = []
    if best is not None and best.probability >= base.answer_threshold and not vague:
        options.append(alone)
    if context.entities:
        options.append(base.rank(clean + " " + " ".join(context.entities), lang))
    kinds = asked(norm)
    if opener or vague:
        options.append(base.rank(context.question + " " + clean, lang))
        if kinds:
            # "Who signed it?" then "and when?": the last question without its own "who".
            options.append(base.rank(unasked(normalise(context.question)) + " " + clean, lang))
    scored = [r for r in options if r.best is not None]
    if not scored:
        return Reading(clean, alone)
    chosen = max(scored, key=lambda r: (base.gives(r, kinds), top_of(r)))
    if chosen is not alone and (
        _nobody_last(base, chosen, alone, context, kinds) or _past_last(base, clean, chosen, alone, context)
    ):
        return Reading(clean, alone)
    if chosen is not alone and _profile_pull(base, chosen, alone, context):
        # "How did he describe the signing?" after his statement: a fact that statement links
        # to, read confidently alone, not his profile that his name pulls the question to.
        return Reading(clean, alone)
    if opener and not vague and chosen.best is not None and chosen.best.intent == context.intent:
        # "and the office?" right after the branch's year would repeat the last answer: the
        # last question with "the office" in place of "the branch" gives the sibling fact.
        # (Not "and did he sign anything?": a yes/no of the one the last answer was about, whom
        # "he" stands for; read below with his name.)
        checked = SUBJECT_PRONOUN.search(norm) is not None and yes_no(norm, lang)
        sibling = None if checked else ellipsis.replaced(base, context, bare(norm), lang)
        if sibling is not None:
            return sibling
        if not pointer and best is not None and best.intent != context.intent:
            # "那总裁有没有出席？" after the agreement names a subject of its own that the
            # last question only drowns: the last answer again says nothing of it; read alone.
            return Reading(clean, alone)
    top = chosen.best
    if (
        opener
        and top is not None
        and top.intent != context.intent
        and top.probability >= base.answer_threshold
        and len(chosen.items) > 1
        and chosen.items[1].intent == context.intent
    ):
        # "And for the whole region?" asks past the last answer: that answer, a close second
        # because the question was read with it, is not one to hesitate over.
        chosen = Ranking(chosen.lang, tuple(r for r in chosen.items if r.intent != context.intent))
    return Reading(clean, chosen)


def opened(base: Basis, clean: str, alone: Ranking) -> Ranking:
    """The ranking of what follows an elliptic opening ("and ...", "und ...", "那……呢"), when the
    whole question reads nothing confidently and that does; else `alone`."""
    if top_of(alone) >= base.answer_threshold:
        return alone
    norm = normalise(clean)
    subject = bare(norm) if opens_ellipsis(norm) else ""
    if not subject or subject == norm:
        return alone
    ranking = base.rank(subject, alone.lang)
    return ranking if top_of(ranking) >= base.answer_threshold else alone


def _said_last(base: Basis, clean: str, alone: Ranking, context: ChatContext) -> Reading | None:
    """ "Was bedeutet das für die Firmen dort?" after the goals: "das" is the last answer, which
    speaks of those companies, while the fact the question reads as alone says nothing of them;
    the question read with the last one, when that clearly is the last fact; else None."""
    best = alone.best
    own = base.kb.get(best.intent) if best is not None else None
    last = base.kb.get(context.intent)
    if own is None or last is None or own.id == last.id or last.id in base.profiles():
        return None  # (a person's profile is what "he" points at: bot.core.followups.pointed)
    named = {
        term
        for term, _ in base.matcher.analyzer.analyse(clean, alone.lang)
        if term.startswith("C:") and term[2:] not in base.kb.vague
    }
    said, own_says = base.answer_terms(last), base.answer_terms(own)
    if not (named & said) - own_says or (named & own_says) - said:
        return None  # nothing it names is said only last; or something only the other fact says
    joined = base.rank(f"{context.question} {clean}", alone.lang)
    top = joined.best
    if top is None or top.intent != last.id or top.probability < base.answer_threshold:
        return None
    return Reading(clean, joined)


def _said_linked(base: Basis, clean: str, alone: Ranking, context: ChatContext) -> Reading | None:
    """ "Was heißt das für die Firmen vor Ort?" after the list of the areas, which says nothing of
    them: "das" is that list, and what it means for them is the fact the list links to that speaks
    of them and names the most of its items (the goals name two areas, each area's fact one): the
    question read with that fact's question, when it clearly reads as that fact and the question
    alone reads nothing clearly; else None."""
    last = base.kb.get(context.intent)
    listed = base.kb.facts.list_of(context.intent)
    if last is None or listed is None or top_of(alone) >= base.answer_threshold:
        return None
    named = {
        term
        for term, _ in base.matcher.analyzer.analyse(clean, alone.lang)
        if term.startswith("C:") and term[2:] not in base.kb.vague
    }
    new = named - base.answer_terms(last)
    if not new:
        return None
    counted: list[tuple[int, str]] = []
    for linked_id in last.related:
        linked = base.kb.get(linked_id)
        if linked is None or linked.kind != "fact" or not new & base.answer_terms(linked):
            continue
        said = normalise(any_answer(linked))
        counted.append((sum(1 for item in listed.items if named_in((item,), said)), linked_id))
    counted.sort(reverse=True)
    if not counted or counted[0][0] < 2 or (len(counted) > 1 and counted[1][0] == counted[0][0]):
        return None
    chosen = base.kb.get(counted[0][1])
    if chosen is None:
        return None
    joined = base.rank(f"{clean} {chosen.example(alone.lang)}", alone.lang)
    top = joined.best
    if top is None or top.intent != chosen.id or top.probability < base.answer_threshold:
        return None
    return Reading(clean, joined)


def _past_last(base: Basis, clean: str, chosen: Ranking, alone: Ranking, context: ChatContext) -> bool:
    """True when the context turned a question into the last answer again while, read alone, it is
    confidently a fact that answer links to, and it names what only that fact says ("and what is
    meant to come of that for the city?" after the areas, which say nothing of the city: the
    goals); the mirror of `_said_last`."""
    top, own = chosen.best, alone.best
    last = base.kb.get(context.intent)
    own_intent = base.kb.get(own.intent) if own is not None else None
    if (
        top is None
        or own is None
        or last is None
        or own_intent is None
        or top.intent != last.id
        or own.intent not in last.related
        or own.probability < base.answer_threshold
        or own_intent.kind != "fact"
    ):
        return False
    named = {
        term
        for term, _ in base.matcher.analyzer.analyse(clean, alone.lang)
        if term.startswith("C:") and term[2:] not in base.kb.vague
    }
    said, own_says = base.answer_terms(last), base.answer_terms(own_intent)
    return bool((named & own_says) - said) and not (named & said) - own_says


def _nobody_last(
    base: Basis, chosen: Ranking, alone: Ranking, context: ChatContext, kinds: frozenset[Asked]
) -> bool:
    """True when the context turned a "who" question into the last answer again, which names no
    one ("and who is the company's adviser there?" after the advisory body), while read alone it
    is confidently a fact that gives a person."""
    top, own = chosen.best, alone.best
    last = base.kb.get(context.intent)
    own_intent = base.kb.get(own.intent) if own is not None else None
    return (
        "person" in kinds
        and top is not None
        and own is not None
        and last is not None
        and own_intent is not None
        and top.intent == last.id
        and own.intent != last.id
        and own.probability >= base.answer_threshold
        and "person" in own_intent.provides
        and not base.people_in(any_answer(last))
    )


def _profile_pull(base: Basis, chosen: Ranking, alone: Ranking, context: ChatContext) -> bool:
    """True when the context turned a question into a person's profile (one the last turn did
    not give) while, read alone, it is confidently a fact the last answer links to."""
    top, own = chosen.best, alone.best
    profiles = base.profiles()
    last = base.kb.get(context.intent)
    own_intent = base.kb.get(own.intent) if own is not None else None
    return (
        top is not None
        and own is not None
        and last is not None
        and own_intent is not None
        and top.intent in profiles
        and top.intent != context.intent
        and own.intent not in profiles
        and own_intent.kind == "fact"
        and own.intent in last.related
        and own.probability >= base.answer_threshold
    )
