"""A person pointed at (pure): "what is his full title?" (a pronoun for the one the last turn was
about), "the second one", "der andere", "另一位" (one of the people the last answer named; after
turns that each asked about one of them, counted in the chat's order), "which of the two
represents the city?", "wer von ihnen ...?", "and the company's one?", "what positions do those
two hold?" (both at once); "the third one" after a list is that item.
"""

from __future__ import annotations

import re

from bot.core import moves
from bot.core.context import ChatContext
from bot.core.followups import ellipsis
from bot.core.followups.basis import Basis
from bot.core.followups.cues import (
    COUNTERPART,
    HIS_POSTS,
    OTHER_OF_PERSON,
    PERSON_PRONOUN,
    QUESTION_WORD,
    SUBJECT_PRONOUN,
    TWO_PEOPLE,
    WITH_WHOM,
    WITH_WHOM_HAN,
)
from bot.core.lang import is_han, normalise
from bot.core.question import Reading, asked
from bot.core.ranking import Ranking
from bot.core.reasoning import deed_in, named_in, roles_in, without_named, yes_no
from bot.knowledge.model import Deed

# "Is he X?", "Ist er etwa X?", "他就是X吗？": whether the one the chat is about is someone else.
_IS_HE = re.compile(r"^(?:is|was|ist|war) (?:he|she|er|sie)\b|^(?:他|她)(?:就|其实|难道)?是")
# "Is that X?", "Ist das X?", "那是X吗？": the same, pointing at the one the chat is about.
_IS_THAT = re.compile(r"^(?:so )?(?:is|was|ist|war) (?P<d>that|this|das|dies)\b|^(?P<h>这|那)(?:就|其实)?是")


def person(
    base: Basis, norm: str, clean: str, context: ChatContext, lang: str, sure: bool = True
) -> Reading | None:
    """ "What is his full title?" after an answer about one person (or one of several that the
    question singled out): the question with that person's name for "he", when it then reads
    confidently (or at all, unless `sure`); else None. "Is he X?" names another person: "he"
    is still the one the chat is about."""
    named = base.people_in(clean)
    is_he = _IS_HE.search(norm) or _IS_THAT.match(norm)
    if not context.focus or (named and not (is_he and context.focus not in named)):
        return None
    found = PERSON_PRONOUN.search(norm)
    if found is None and named and context.focus not in named and (that := _IS_THAT.match(norm)):
        # "Is that <the other one>?" after the mayor's adviser: "that" is the one the chat is about.
        by_han = bool(that.group("h"))
        begin, end = that.span("h" if by_han else "d")
        focus = name_for(context.focus, lang)
        text = (
            f"{norm[:begin]}{focus}{norm[end:]}"
            if by_han
            else " ".join(f"{norm[:begin]} {focus} {norm[end:]}".split())
        )
        return Reading(text, base.rank(text, lang))
    if found is None:
        return None
    names = context.focus.split()
    han = "".join(w for w in names if is_han(w))
    latin = " ".join(w for w in names if not is_han(w))
    if is_han(found.group(0)):
        text = f"{norm[: found.start()]}{han or latin}{norm[found.end() :]}"
    else:
        text = " ".join(f"{norm[: found.start()]} {latin or han} {norm[found.end() :]}".split())
    ranking = base.rank(text, lang)
    best = ranking.best
    if best is None or (sure and best.probability < base.answer_threshold):
        return None
    return Reading(text, ranking)


def pronoun(base: Basis, reading: Reading, clean: str, context: ChatContext, lang: str) -> Reading:
    """A follow-up read in the chat's light, or, when a pronoun in it points at the one person the
    last turn was about, the question with that person's name, when that is what it means."""
    norm = normalise(clean)
    other = moves.ordinal(norm)
    if other is not None and other.pick == "other" and context.focus:
        # "And the other one, what's his job?" that no move resolved: "his" is not the one the
        # last turn was about, nor is a fact about that one the answer.
        theirs = {p.intent for p in base.kb.facts.people if base.shown(p) == context.focus}
        kept = tuple(
            r
            for r in reading.ranking.items
            if r.intent not in theirs and base.focus(r.intent) != context.focus
        )
        return Reading(reading.text, Ranking(reading.ranking.lang, kept))
    named = person(base, norm, clean, context, lang)
    best = reading.ranking.best
    if named is None and OTHER_OF_PERSON.search(norm) and best is not None and best.intent == context.intent:
        # "What other hat does he wear?" asks past the last answer, never for it again: what the
        # question reads as with his name, however loosely.
        return person(base, norm, clean, context, lang, sure=False) or reading
    if named is None:
        return reading
    if best is None or best.probability < base.answer_threshold:
        return named
    profiles = base.profiles()
    if (
        named.ranking.best is not None
        and named.ranking.best.intent in profiles
        and (OTHER_OF_PERSON.search(norm) or HIS_POSTS.search(norm))
    ):
        # "What are his (other) jobs?" asks more of him (his posts), not of the jobs the matter
        # creates: his profile, when with his name the question reads as it.
        return named
    if best.intent in profiles and named.ranking.best is not None and named.ranking.best.intent in profiles:
        # "Welchen Titel hat der?" names no one: read alone it is some person's profile, but the
        # pronoun points at the person the last turn was about.
        return named
    subject = SUBJECT_PRONOUN.search(norm) is not None
    if subject and yes_no(norm, lang) and roles_in(norm):
        # "Is he the mayor?": the title is checked for him (read alone it is the known unknown
        # about the post, which says nothing of him).
        return named
    if subject and named.ranking.best is not None and named.ranking.best.intent == best.intent:
        # The same fact either way: the question with the name says who it is about (a check
        # like "did he sign it himself?" is then checked for him).
        return Reading(named.text, reading.ranking)
    if (
        best.intent == context.intent
        and named.ranking.best is not None
        and named.ranking.best.intent != best.intent
    ):
        # "And is he quoted anywhere?" after who signed for the company: read with the last
        # turn it is that answer again, which says nothing more of him; with his name it
        # confidently asks something of its own about him.
        return named
    alone_about = base.focus(best.intent)
    with_name = base.focus(named.ranking.best.intent) if named.ranking.best is not None else ""
    again = named.ranking.best is not None and named.ranking.best.intent == context.intent
    if (
        alone_about != context.focus
        and ((alone_about and with_name != alone_about) or with_name == context.focus)
        and not (again and best.probability >= base.answer_threshold and not alone_about)
    ):
        # "And what did he say?" after a person the release does not quote: read alone it is
        # another person's quote (or no one's); the pronoun points at the one the last turn was
        # about, and with his name the question is about him. Not when, with his name, it is only
        # the last answer again while read alone it confidently asks a fact about no one.
        return named
    return reading


# The question "who did not <deed>?" in each language, for the deed of the last question.
_WHO_DID_NOT: dict[str, dict[Deed, str]] = {
    "de": {"signed": "wer hat nicht unterschrieben", "witnessed": "wer hat nicht bezeugt"},
    "en": {"signed": "who did not sign", "witnessed": "who did not witness"},
    "zh": {"signed": "谁没有签字", "witnessed": "谁没有见证"},
}


# "Who is it then?", "Wer denn dann?", "那是谁？": after a yes/no question about one person.
_WHO_THEN = re.compile(
    r"^(?:and |so |ok )?(?:who (?:is it |was it |is |was |s )?then|then who(?: is it| was it)?|"
    r"wer (?:ist es |war es |ist |war )?(?:denn )?(?:dann|denn))$|"
    r"^(?:那|那么)(?:是|又是|到底是)?谁(?:呢|啊)?$"
)
_DID = re.compile(r"^(?:did|does|do) ")
_HONORIFIC = re.compile(r"\b(?:dr|herr|frau|mr|mrs|ms)\b")
_HAN_YES_NO = re.compile(r"(?:吗|么|吧|呢)+$")


def who_then(base: Basis, norm: str, alone: Ranking, context: ChatContext) -> Reading | None:
    """ "Who is it then?" after a yes/no question about one person ("Is X the CEO of Y?"): the
    same question of whoever it is ("who is the CEO of Y"); None after any other."""
    if not _WHO_THEN.search(norm):
        return None
    last = normalise(context.question)
    by_name = named_in(base.by_name, last)  # (not by an office: "Is X the CEO of Y?" names Y's CEO too)
    if len(by_name) != 1 or not yes_no(last, context.lang or alone.lang):
        return None
    rest = " ".join(_HONORIFIC.sub(" ", without_named(by_name, last)).split())
    if is_han(rest[:1]) or rest.startswith("是"):
        rest = _HAN_YES_NO.sub("", rest.replace(" ", ""))
        text = f"{rest}谁" if rest.endswith("是") else f"谁{rest}"
    else:
        rest = _DID.sub("", rest)  # "Did X sign it?": "who sign it"
        text = f"{'wer' if (context.lang or alone.lang) == 'de' else 'who'} {rest}"
    return Reading(text, base.rank(text, alone.lang))


def who_not(base: Basis, norm: str, alone: Ranking, context: ChatContext) -> Reading | None:
    """ "And who didn't?" after "who signed?": who did not do the deed the last question asked
    about (the signing, the witnessing); None when it asked about none."""
    if not moves.who_not(norm):
        return None
    deed = deed_in(normalise(context.question))
    last = base.kb.get(context.intent)
    if deed is None and last is not None:
        deed = deed_in(normalise(last.example("en")))  # "who put their names to it?": the signing's
    if deed not in ("signed", "witnessed"):
        return None
    text = _WHO_DID_NOT[alone.lang if alone.lang in _WHO_DID_NOT else "en"][deed]
    return Reading(text, base.rank(text, alone.lang))


def one_of(base: Basis, norm: str, alone: Ranking, context: ChatContext) -> Reading | None:
    """ "And the company's one?", "公司那位是谁？": the one of the people just named of that
    organisation; else None."""
    if len(context.people) >= 2 and moves.one_of(norm):
        member = base.asked_for(norm, context.people)
        if member:
            return Reading(member, base.rank(member, alone.lang))
    return None


def counterpart(base: Basis, norm: str, alone: Ranking, context: ChatContext) -> Reading | None:
    """ "And his counterpart?", "mit wem hat er unterschrieben?", "他和谁一起签的？" after a turn about
    one person: the one of another organisation who did the same (the deed the message names, else
    any the person did beside others), when there is exactly one; else None."""
    if not context.focus or named_in(base.kb.facts.people, norm):
        return None
    named = deed_in(norm)
    verb = WITH_WHOM_HAN.search(norm)
    if named is None and verb is not None:
        named = "signed" if verb["verb"] == "签" else "witnessed"
    if named is None and WITH_WHOM.search(norm):
        # "With whom?" after "What did he sign?": the deed the last question named.
        named = deed_in(normalise(context.question))
    if not (COUNTERPART.search(norm) or (named is not None and WITH_WHOM.search(norm))):
        return None
    person = next((p for p in base.kb.facts.people if base.shown(p) == context.focus), None)
    if person is None:
        return None
    deeds = [named] if named is not None else sorted(d for d in person.did if d != "quoted")
    if named is not None and named not in person.did:
        return None  # "with whom did he sign?" of a witness: not a counterpart to find
    others = {
        base.shown(p)
        for deed in deeds
        for p in base.kb.facts.doers(deed)
        if p.id != person.id and p.organisation != person.organisation
    }
    org = named_in(base.kb.facts.organisations, norm)
    if org:
        # "his counterpart at the company": of the organisation named, when it is the other side.
        others = {
            o
            for o in others
            if any(p.organisation == org[0].id and base.shown(p) == o for p in base.kb.facts.people)
        }
    if len(others) != 1:
        return None
    chosen = others.pop()
    text = name_for(chosen, alone.lang)
    return Reading(text, base.rank(text, alone.lang))


# "And for the city?", "Und für die Firma?", "代表公司的呢？" after an answer naming who did a deed for
# each side: the one who did it for the side named (the words after "for").
_FOR_SIDE = re.compile(
    r"^(?:and |und |what about |und was ist mit )?(?:for|on behalf of|fur|im namen|seitens|von seiten) "
    r"(?P<side>.+)$|^(?:那)?代表(?P<han>.+?)的?(?:呢|是谁)?$|"
    # "那<公司>方面呢？", "<公司>那边呢？": the side named, as "for" it.
    r"^(?:那)?(?P<hs>[^的]{2,8}?)(?:方面|那边|那方|一方)(?:呢)?$"
)


def for_side(base: Basis, norm: str, alone: Ranking, context: ChatContext) -> Reading | None:
    """ "Und für die Stadt?" after who signed (one for each side): the one of the people just named
    who belongs to the organisation named and did the last question's deed; else None."""
    found = _FOR_SIDE.match(norm)
    if found is None or len(context.people) < 2 or base.people_in(norm):
        return None
    side = found["side"] or found["han"] or found["hs"] or ""
    facts = base.kb.facts
    orgs = named_in(facts.organisations, normalise(side))
    if len(orgs) != 1 or QUESTION_WORD.search(side) or len(side.split()) > 4:
        return None
    if named_in(facts.organisations, normalise(context.question)):
        return None  # "Wer war für die Firma Zeuge?" - "Und für die Stadt?": the last question, of that side
    deed = deed_in(normalise(context.question))
    chosen = [
        shown
        for shown in context.people
        for p in facts.people
        if base.shown(p) == shown and p.organisation == orgs[0].id and (deed is None or deed in p.did)
    ]
    if len(chosen) != 1:
        return None
    text = name_for(chosen[0], alone.lang)
    return Reading(text, base.rank(text, alone.lang))


def head_of(base: Basis, norm: str, alone: Ranking, context: ChatContext) -> Reading | None:
    """ "And what did the company's boss say?" after the witnesses: the question asked of the one of
    the people just named who belongs to the organisation it names (not whoever heads it
    elsewhere in the release); else None. Not a yes/no question ("does the company's boss also
    advise the mayor?"): read alone, it is checked against whoever holds that role."""
    if len(context.people) < 2 or base.people_in(norm) or named_in(base.kb.facts.people, norm):
        return None
    if yes_no(norm, alone.lang):
        return None
    found = moves.head(norm)
    member = base.asked_for(norm, context.people) if found is not None else ""
    if found is None or not member:
        return None
    rest = found.rest
    for org in named_in(base.kb.facts.organisations, rest):
        for word in ellipsis.cue_words(org.cues, rest):
            rest = rest.replace(word, " ", 1)
    text = " ".join(f"{rest} {name_for(member, alone.lang)}".split())
    ranking = base.rank(text, alone.lang)
    if ranking.best is None or ranking.best.probability < base.answer_threshold:
        return None
    return Reading(text, ranking)


def name_for(shown: str, lang: str) -> str:
    """A person's name (all names: "A B 甲乙") as a message in `lang` writes it."""
    names = shown.split()
    han = "".join(w for w in names if is_han(w))
    latin = " ".join(w for w in names if not is_han(w))
    return (han or latin) if lang == "zh" else (latin or han)


# The words that may stand beside a place in a list ("und der dritte?", "what is the second one",
# "第二个是什么？").
_POSITION_FILLER = frozenset(
    "and the one what which is was s please and so then und der die das den ist war welche welcher "
    "welches was denn bitte eigentlich nochmal".split()
)
_HAN_LEFT = re.compile(r"[\s呢是什么吗那的个项条一]+")
# How long a message pointing at a list's item by its place may be ("und der dritte Bereich?",
# "第二个领域是什么？"): longer, it asks something of its own.
_POSITION_WORDS = 6
_POSITION_HAN = 12


def list_position(base: Basis, norm: str, alone: Ranking, context: ChatContext) -> Reading | None:
    """ "Und der dritte Bereich?", "the first one?", "第二个领域是什么？" after a list (or naming one):
    the item at that place, as the list gives it ("item": the list's id and the place); None
    after a list of people (the ordinal's) or for a longer question."""
    at = moves.position(norm)
    if at is None or context.people or base.people_in(norm):
        return None
    if len(norm.split()) > _POSITION_WORDS or sum(1 for ch in norm if is_han(ch)) > _POSITION_HAN:
        return None
    lists = base.kb.facts.lists
    named = named_in(lists, norm)
    listed = named[0] if named else base.kb.facts.list_of(context.intent)
    if listed is None or not -len(listed.items) <= at < len(listed.items):
        return None
    # Nothing besides the place, the list's word and words that ask nothing ("what was the first
    # step?" asks of another thing).
    rest = moves.without_position(norm)
    for cue in sorted(listed.cues, key=len, reverse=True):
        rest = rest.replace(cue, " ")
    latin = [w for w in rest.split() if w.isascii() and w not in _POSITION_FILLER]
    if latin or _HAN_LEFT.sub("", "".join(ch for ch in rest if is_han(ch))):
        return None
    # An item with a fact of its own that the list's fact links to ("the third area"): that fact.
    whole = base.kb.get(listed.intent) if listed.intent else None
    name = list_item(base, whole.id, at, alone.lang) if whole is not None else ""
    if whole is not None and name:
        ranking = base.rank(name, alone.lang)
        own = ranking.best
        if own is not None and own.intent in whole.related and own.probability >= base.answer_threshold:
            return Reading(name, ranking)
    return Reading(norm, alone, "item", (listed.id, str(at)))


def ordinal(base: Basis, norm: str, alone: Ranking, context: ChatContext) -> Reading | None:
    """ "The second one", "the other one", "which of the two ...?": the person (or list item)
    meant, with what the question asks of them; else None."""
    lang = alone.lang
    pointed = moves.ordinal(norm)
    if pointed is None:
        return None
    if pointed.pick == "which":
        # "Which of the two represents the city?": the one of that organisation.
        pool = two_named(base, context)
        chosen = base.asked_for(pointed.rest, pool) if pool else ""
    else:
        chosen = pick(context, pointed.pick) if context.people else ""
        pair = asked_in_turn(context)
        if pair and isinstance(pointed.pick, int) and -len(pair) <= pointed.pick < len(pair):
            # "Who signed for X?", "and for Y?", then "what does the second one do?": the
            # one the chat asked about second, whatever order the answer named them in.
            chosen = pair[pointed.pick]
    if not chosen and pointed.pick == "other" and context.focus:
        # "And the other signatory?" after turns about one of them: the other one who did that.
        chosen = other_doer(base, norm, context.focus)
    if not chosen and not context.people:
        # "And the third one?" after the list of the areas: that item; after one of its items
        # ("the second one", then "and the last one?"), an item of the list the turn before gave.
        chosen = list_item(base, context.intent, pointed.pick, lang) or list_item(
            base, listed_before(base, context, lang), pointed.pick, lang
        )
    if not chosen and not context.people and isinstance(pointed.pick, int):
        # "The first of the two" after one turn about each of two people: counted in the order
        # the chat asked about them.
        pair = two_named(base, context)[::-1]
        chosen = pair[pointed.pick] if -len(pair) <= pointed.pick < len(pair) else ""
    if not chosen and pointed.pick == "which" and pool:
        # "Welches Amt hat der chinesische der beiden?" with no organisation to pick by:
        # whoever it is, it is one of the two, never someone else's profile; the last
        # fact again when, with the last question, it clearly reads as that (its answer
        # gives what is asked of each of them).
        again = _as_last(base, context, pointed.rest, norm, lang)
        return again if again is not None else Reading(norm, within(base, alone, pool))
    if chosen:
        # "Which of the two ...?" is answered by who that is; "what did the second one
        # say?" asks something of its own about him.
        plain = pointed.pick == "which" or not base.specific(pointed.rest, lang)
        text = chosen if plain else f"{pointed.rest} {chosen}"
        return Reading(text, base.rank(text, lang))
    return None


def _as_last(base: Basis, context: ChatContext, rest: str, norm: str, lang: str) -> Reading | None:
    """`rest` read with the last question, when that clearly reads as the last fact again and its
    answer gives what `norm` asks; else None."""
    text = f"{normalise(context.question)} {rest}"
    joined = base.rank(text, lang)
    top = joined.best
    if (
        top is not None
        and top.intent == context.intent
        and top.probability >= base.answer_threshold
        and base.gives(joined, asked(norm))
    ):
        return Reading(text, joined)
    return None


def both(base: Basis, norm: str, alone: Ranking, context: ChatContext) -> Reading | None:
    """ "What positions do those two hold?", "那两个人各是什么职位": asked of both people the last
    answer named at once, that answer again when, read with its question, the question clearly
    is it and it gives what is asked (no one person's profile answers for both); else None."""
    if len(context.people) < 2 or not TWO_PEOPLE.search(norm) or base.people_in(norm):
        return None
    own = alone.best
    profiles = base.profiles()
    if own is not None and own.probability >= base.answer_threshold and own.intent not in profiles:
        return None  # "what did the two of them say?" reads clearly alone (what the release quotes)
    again = _as_last(base, context, norm, norm, alone.lang)
    if again is not None:
        return again
    # Else the question about each of them, by name: the profile of one (the engine adds the
    # profile of each one named that its answer leaves out).
    text = f"{norm} {' '.join(context.people)}"
    named = base.rank(text, alone.lang)
    top = named.best
    theirs = {p.intent for p in base.kb.facts.people if named_in((p,), normalise(text))}
    if top is not None and top.probability >= base.answer_threshold and top.intent in theirs:
        return Reading(text, named)
    return None


def asked_in_turn(context: ChatContext) -> tuple[str, ...]:
    """The people the chat's last turns asked about one at a time, in the chat's order, when the
    last turn singled out one of them and the turn before another (both of the last answer's
    people, if it named several); else ()."""
    pair = context.subjects[-2:]
    if len(pair) < 2 or context.focus != pair[-1]:
        return ()
    if context.people and not all(p in context.people for p in pair):
        return ()
    return pair


def other_doer(base: Basis, norm: str, focus: str) -> str:
    """The one person besides `focus` who did the deed a message names ("the other witness"),
    when `focus` did it too and exactly one other did; else ""."""
    deed = deed_in(norm)
    if deed is None:
        return ""
    doers = doers_shown(base, deed)
    others = [shown for shown in doers if shown and shown != focus]
    return others[0] if focus in doers and len(others) == 1 else ""


def doers_shown(base: Basis, deed: Deed) -> list[str]:
    """The people who did `deed`, as the answers name them."""
    return [base.shown(p) for p in base.kb.facts.doers(deed)]


def within(base: Basis, ranking: Ranking, pool: tuple[str, ...]) -> Ranking:
    """A ranking without the profiles of people outside `pool` (the people just named)."""
    outside = {
        p.intent for p in base.kb.facts.people if not any(named_in((p,), normalise(shown)) for shown in pool)
    }
    return Ranking(ranking.lang, tuple(r for r in ranking.items if r.intent not in outside))


def two_named(base: Basis, context: ChatContext) -> tuple[str, ...]:
    """The people "which of the two" can mean: those the last answer named, else the one the
    last turn was about and the one the turn before was about."""
    if context.people:
        return context.people
    pair = (context.focus, base.focus(context.earlier[0]) if context.earlier else "")
    return pair if all(pair) and pair[0] != pair[1] else ()


def listed_before(base: Basis, context: ChatContext, lang: str) -> str:
    """The intent of the list an earlier turn gave (the latest), when the last answer is one of
    its items: the chat walks through that list ("the second one", "and the last one?"); else
    ""."""
    found = next((f for turn in context.earlier if (f := base.kb.facts.list_of(turn)) is not None), None)
    if found is None:
        return ""
    for item in found.items:
        name = item.name.get(lang) or next(iter(item.name.values()), "")
        best = base.rank(name, lang).best if name else None
        if best is not None and best.intent == context.intent:
            return found.intent or ""
    return ""


def list_item(base: Basis, intent_id: str, which: moves.Pick, lang: str) -> str:
    """The name of the item a position points at in the list an intent answered with, or ""."""
    found = base.kb.facts.list_of(intent_id)
    if found is None or not isinstance(which, int) or not -len(found.items) <= which < len(found.items):
        return ""
    name = found.items[which].name
    return name.get(lang) or next(iter(name.values()), "")


def pick(context: ChatContext, which: moves.Pick) -> str:
    """The person of the last list that "the second one" or "the other one" means, or ""."""
    people = context.people
    if which == "which":
        return ""  # chosen by what the question says of them (basis.Basis.asked_for)
    if which == "other":
        others = [p for p in people if p != context.focus]
        return others[0] if context.focus in people and others else (people[1] if len(people) > 1 else "")
    if -len(people) <= which < len(people):
        return people[which]
    return ""
