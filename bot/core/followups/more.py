"""Asking for more detail (pure): "tell me more", "mehr dazu", "详细说说" point at the related facts
of the last answer not yet given; "the manufacturing part", "der Teil über die Rechenzentren",
"数据中心那部分" at the fact the last answer links to that the words name.
"""

from __future__ import annotations

import re

from bot.core import moves
from bot.core.context import ChatContext
from bot.core.followups.basis import Basis, any_answer, says_all_of, years_in
from bot.core.followups.cues import PERSON_PRONOUN, QUESTION_WORD, has_pointer
from bot.core.lang import normalise
from bot.core.question import Reading
from bot.core.ranking import Ranking
from bot.core.reasoning import named_in
from bot.knowledge.model import Intent

# How many related facts "tell me more" gives at once.
MORE_FACTS = 2
# A related fact with fewer new terms than this share of its own is one the last answer already said.
SAID_ALREADY = 0.25
# How far behind the words' first reading the fact the last answer links to may rank and still be
# the part of it meant ("the data centres" reads a little more as what the release does not say of
# them than as the fact that names them).
PART_BEHIND = 0.05
# How many of the other facts "apart from X?" gives at once.
BESIDES_FACTS = 3


def part_named(base: Basis, norm: str, alone: Ranking, context: ChatContext) -> Reading | None:
    """ "The manufacturing part of that": the fact of the last answer those words name, or None."""
    piece = moves.part(norm)
    if piece is not None and not base.specific(piece.outside, alone.lang):
        # (Not "what does the digital part mean for jobs?": a question of its own about it.)
        return part(base, piece.rest, context, alone.lang)
    return None


def asked(base: Basis, norm: str, alone: Ranking, context: ChatContext) -> Reading | None:
    """ "Tell me more": the related facts not yet given; "tell me more about the data centres"
    after an answer that names them: that part; else None."""
    asked_more = moves.more(norm)
    if asked_more is None:
        return None
    if context.people and PERSON_PRONOUN.search(norm) and base.asked_for(context.question, context.people):
        # "What else does he do?", "tell me more about him" after an answer naming several people,
        # one of whom the last question asked for ("who signed for the company?"): more of that
        # one (his profile, read with his name), not every fact the last answer links to.
        return None
    pointed = moves.ordinal(asked_more.rest)
    if pointed is not None and isinstance(pointed.pick, int):
        # "Tell me more about the second one": that one (an ordinal's move), not every link ("the
        # other one" stays more of what the last answer links to).
        return None
    if not base.specific(asked_more.rest, alone.lang):
        return Reading(norm, alone, "more", facts(base, context.intent, context.earlier))
    return part(base, asked_more.rest, context, alone.lang)


# A question that opens with "includes" and names no subject ("包括医疗吗？", "Includes healthcare?",
# "Auch Gesundheit?"): asked of the list just given.
_INCLUDES = re.compile(
    r"^(?:(?:does it |do they |is |are )?(?:includes?|including|covers?|covering)|auch|inklusive|"
    r"einschliesslich) |^(?:那)?(?:也|还|是否|是不是)?(?:包括|包含|涵盖|含有|涉及)"
)
# ... or that asks it around the thing: "Gehört auch das Gesundheitswesen dazu?", "Is healthcare
# also part of it?", "医疗也包括在内吗？".
_INCLUDED_AROUND = re.compile(
    r"^(?:und |and )?(?:gehort|gehoren|zahlt|zahlen|fallt|fallen) (?:auch |denn |eigentlich )*"
    r"(?P<de>.+?) (?:auch |denn |eigentlich )*(?:dazu|darunter)$|"
    r"^(?:and |so )?(?:is|are) (?P<en>.+?) (?:also |too )?(?:part of (?:it|that|this|them|the list)|"
    r"included|among them|one of them|in there|on the list)(?: too| as well)?$|"
    r"^(?:那)?(?P<zh>.+?)(?:也|还)?(?:包括|包含|算)在(?:内|里面|其中)(?:吗|呢)?$"
)
# Words that point at something said before, no thing of their own.
_POINTERS = frozenset(
    "that this it these those one das dies diese dieser dieses es der die den auch also too "
    "这个 那个 这 那 这些 那些 它 这一项 那一项 这项 那项".split()
)
# The same asked of the list by name, as a yes/no question the list's check reads.
_ASKED_OF_LIST = {
    "de": "gehört {rest} zu {name}",
    "en": "do {name} include {rest}",
    "zh": "{name}包括{rest}吗",
}


def included(base: Basis, norm: str, alone: Ranking, context: ChatContext) -> Reading | None:
    """ "包括医疗吗？" right after a list (the areas): asked of that list by its name, so that the
    list's check says whether it holds the thing (a thing no fact names is unmentioned); else
    None."""
    found = _INCLUDES.match(norm)
    around = _INCLUDED_AROUND.match(norm) if found is None else None
    listed = base.kb.facts.list_of(context.intent)
    if (found is None and around is None) or listed is None:
        return None
    if found is not None:
        rest = norm[found.end() :].strip().removesuffix("吗").removesuffix("呢")
    else:
        assert around is not None
        rest = next(v for v in around.groupdict().values() if v).strip()
        rest = re.sub(r"^(?:das|die|der|den|the|auch|also)\s+", "", rest)
    facts = base.kb.facts
    if not rest or QUESTION_WORD.search(rest) or base.people_in(rest):
        return None  # "包括什么？", "auch wer unterschrieben hat?": a question of its own
    if all(word in _POINTERS for word in rest.split()):
        return None  # "Gehört das auch dazu?", "这个也包括在内吗？": a pointer, not a thing to look for
    lang = alone.lang if alone.lang in _ASKED_OF_LIST else "en"
    if any(named_in(kind, rest) for kind in (facts.organisations, facts.events, facts.places, facts.lists)):
        return None  # "Auch für die Firma?", "Auch die Bereiche?": another subject
    if not named_in(listed.items, rest):
        known = base.rank(rest, lang)
        if known.best is not None and known.best.probability >= base.answer_threshold:
            return None  # a thing the release speaks of elsewhere ("covers data centres?")
    text = _ASKED_OF_LIST[lang].format(rest=rest, name=listed.name.get(lang, ""))
    return Reading(text, base.rank(text, alone.lang))


def besides(base: Basis, norm: str, alone: Ranking, context: ChatContext) -> Reading | None:
    """ "Apart from the metro?", "除了地铁呢？" after an answer that links to several facts: the
    related facts not yet given besides the one set aside; else None."""
    words = moves.besides_only(norm)
    if words is None:
        return None
    last = base.kb.get(context.intent)
    if last is None:
        return None
    if not base.specific(words, alone.lang):
        # "Apart from that?", "除此之外呢？": more than the last answer, its related facts.
        rest = facts(base, last.id, context.earlier) if has_pointer(words) else ()
        return Reading(norm, alone, "more", rest) if rest else None
    # The fact the words name among the last answer's links: of the first two they read as (a
    # known unknown about the same thing may read first: "the metro lines" are also "which lines").
    ranking = base.rank(words, alone.lang)
    top = ranking.best
    if top is not None and top.intent == last.id and top.probability >= base.answer_threshold:
        # "Apart from the office?" right after the office: what else there is, its related facts.
        rest = facts(base, last.id, context.earlier)
        return Reading(norm, alone, "more", rest) if rest else None
    aside = next((r for r in ranking.items[:2] if r.intent in last.related), None)
    if aside is None or aside.probability < base.answer_threshold:
        return None
    given = {context.intent, *context.earlier, aside.intent}
    # Its siblings: the facts the last answer links to that link back to it (the other projects
    # of a list of projects, the other areas), in the last answer's order.
    siblings = [
        r
        for r in last.related
        if r not in given
        and (fact := base.kb.get(r)) is not None
        and fact.kind == "fact"
        and last.id in fact.related
    ]
    if not siblings:
        # After a fact about the thing set aside itself: what that thing links to, not yet given.
        siblings = [r for r in facts(base, aside.intent, tuple(given)) if r not in given]
    return Reading(norm, alone, "more", tuple(siblings[:BESIDES_FACTS])) if siblings else None


def part(base: Basis, words: str, context: ChatContext, lang: str) -> Reading | None:
    """The part of the last answer that words name ("the manufacturing part", "数据中心那部分"):
    the fact it links to that the words read as, chosen among its links only (a known unknown
    about the same thing ranks close behind); None when the words read as anything else first
    or not clearly."""
    last = base.kb.get(context.intent)
    if last is None or not base.specific(words, lang):
        return None
    links = set(last.related) - {context.intent}
    ranking = base.rank(words, lang)
    items = [r for r in ranking.items if r.intent != context.intent]
    linked = tuple(r for r in items if r.intent in links)
    if (
        not linked
        or linked[0].probability < base.answer_threshold
        or items[0].probability - linked[0].probability > PART_BEHIND
    ):
        return None
    return Reading(words, Ranking(ranking.lang, linked))


def others(base: Basis, norm: str, alone: Ranking, context: ChatContext) -> Reading | None:
    """ "And who else?" after an answer that names people (who signed): the fact it links to that
    names most people it did not (who witnessed), as "more"; None when there is none."""
    last = base.kb.get(context.intent)
    if last is None or not moves.who_else(norm):
        return None

    def people_of(intent: Intent) -> set[str]:
        """The people an answer names by name (an office in it may read as another's)."""
        return {p.id for p in named_in(base.by_name, normalise(" ".join(intent.answer.values())))}

    named = people_of(last)
    if not named:
        return None
    # The linked fact that names most people not yet named (the witnesses' fact names all four).
    linked = [o for o in map(base.kb.get, last.related) if o is not None and o.kind == "fact"]
    found = [
        (len(people_of(o) - named), -n, o.id) for n, o in enumerate(linked) if o.id not in context.earlier
    ]
    most = max(found, default=(0, 0, ""))
    return Reading(norm, alone, "more", (most[2],)) if most[0] else None


def facts(base: Basis, intent_id: str, earlier: tuple[str, ...]) -> tuple[str, ...]:
    """The related facts of an answer not yet given, the fullest first: more about the
    same person, then a fuller answer (one that says all the last one did, and more), then the
    profiles of the people it named, then the facts of its topic, then the rest."""
    last = base.kb.get(intent_id)
    if last is None:
        return ()
    given = {intent_id, *earlier}
    related = [base.kb.get(r) for r in last.related if r not in given]
    found = [i for i in related if i is not None and i.kind == "fact"]
    text = any_answer(last)
    named = set(base.people_in(text))
    focus = base.focus(last.id)
    said = base.answer_terms(last)

    def order(intent: Intent) -> tuple[bool, bool, int, bool, bool, bool]:
        answer = any_answer(intent)
        fuller = says_all_of(answer, text, base.people_in)
        terms = base.answer_terms(intent)
        # A fact the last answer already says almost word for word adds nothing, unless it
        # is the dated detail of it (the office's year after the history that names it).
        repeated = len(terms - said) < len(terms) * SAID_ALREADY and not years_in(answer)
        return (
            not (focus and base.focus(intent.id) == focus),
            not fuller,
            -len(answer) if fuller else 0,
            repeated,
            base.focus(intent.id) not in named,
            intent.topic != last.topic,
        )

    found.sort(key=order)
    return tuple(i.id for i in found[:MORE_FACTS])
