"""Follow-ups: a chat's short memory and how a question is read in its light (pure: the channel
keeps the memory and passes the time).

After an answer the context holds the intent, the question and the entities the intent is about
(people, places, years and topic concepts), the people a list answer named, and the intents of
the turns before. A question that leans on it ("and what did he say?", "und die Niederlassung?",
"那分公司呢？") is read again with those entities, and one that names nothing of its own also
together with the last question; "and the office?" right after the branch's year is the last
question with "the office" in place of "the branch", as is "no, I meant the office". The other
moves of a conversation (bot.core.moves) are read here too: "tell me more" points at the related
facts not yet given, "the second one" at a person the last answer named, "the date you mentioned
before" at an earlier turn. A question that stands on its own, small talk and off-topic messages
are read alone, so context never hijacks them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace

from bot.core import moves
from bot.core.lang import is_han, normalise
from bot.core.question import Asked, Reading, asked, asking, missing, unasked
from bot.core.ranking import Ranker, Ranking
from bot.core.reasoning import deed_in, named_in
from bot.core.reply import Reply
from bot.knowledge.model import AnswerType, Intent, KnowledgeBase

TTL_SECONDS = 600.0

# Words that point back: pronouns, demonstratives, "there"; on normalised text.
_POINTERS = re.compile(
    r"\b(he|him|his|she|her|hers|they|them|their|it|its|this|that|there|these|those|"
    r"er|ihm|ihn|sein|seine|seiner|seinem|seinen|sie|ihr|ihre|ihrem|ihren|es|da|dort|dabei|dazu|"
    r"davon|daran|damit|darin|dafur|diese[rmns]?|dieses|derselbe|selbst)\b|"
    # German's demonstrative "das" where no noun follows it ("wie viele sind das insgesamt?").
    r"\bdas(?= (?:denn|eigentlich|genau|so|da|dort|noch|jetzt|bitte|insgesamt|zusammen|alles|her|"
    r"gewesen|also|nun|wirklich)\b|$)|"
    r"他|她|它|他们|她们|其|该|此|那里|这个|那个"
)
# German's demonstrative "der" for a person: where no noun follows it, only particles ("welches Amt
# hat der?", "was macht der eigentlich?").
_DEMONSTRATIVE = r"\b(?:der|dem|den)(?: (?:denn|eigentlich|genau|so|da|dort|noch|jetzt|bitte))*$"
# Pronouns for one person (not "sie", "ihr": she or they; not "sein": also "to be").
_PERSON_PRONOUN = re.compile(
    r"\b(?:he|him|his|she|her|hers|er|ihm|ihn|seine|seiner|seinem|seinen|seines|dessen)\b|"
    + _DEMONSTRATIVE
    + r"|(?:他|她)(?!们)"
)
# What names a side besides the organisation itself: "on the city's side", "auf Seiten der Stadt",
# "市政府方面".
_SIDE_WORDS = re.compile(r"\b(?:side|sides|end|seite|seiten|aufseiten)\b|方面|那边|这边|一方")
# A question word: an elliptic follow-up with one asks something of its own ("und wie lange ist
# das her?"), it names no sibling subject ("und die Niederlassung?").
_QUESTION_WORD = re.compile(
    r"\b(?:what|who|whom|whose|when|where|which|why|how|wer|wem|wen|was|wann|wo|welche\w*|wie|warum|"
    r"wieso|weshalb)\b|什么|谁|哪|几|多少|多久|为什么|怎么"
)
# An article opening a replacement ("the office"): the last question keeps its own.
_ARTICLE = re.compile(r"^(?:the|a|an|der|die|das|den|dem|des|ein|eine|einen)\s+")
# The person itself, not something of theirs ("his counterpart" is someone else).
_SUBJECT_PRONOUN = re.compile(r"\b(?:he|him|she|er|ihm|ihn)\b|" + _DEMONSTRATIVE + r"|(?:他|她)(?![们的])")
# Openings of an elliptic follow-up: "and ...", "what about ...", "und ...", "那……呢", "还有".
_ELLIPSIS = re.compile(
    r"^(and|what about|how about|also|und|und was|was ist mit|wie steht es mit|auch|sowie)\b|"
    r"^(那|还有|另外|以及)|呢$"
)
# Words that ask for a whole count ("how many is that in total?"): part of the asking, no subject.
_TALLY = re.compile(
    r"\b(?:in total|total|altogether|all together|overall|in all|insgesamt|zusammen|gesamt|im ganzen)\b|"
    r"总共|一共|总计|加起来|合计"
)
_SHORT_WORDS = 4
_SHORT_HAN = 6
# How many earlier turns a chat remembers for "the date you mentioned before".
EARLIER_TURNS = 4
# How many related facts "tell me more" gives at once.
MORE_FACTS = 2
# A related fact with fewer new terms than this share of its own is one the last answer already said.
SAID_ALREADY = 0.25
# How far a loose reading of a question about an earlier turn must lead the next one for that
# turn's link to settle it.
LINKED_LEAD = 0.15
# Among how many of the intents that words naming a turn read as ("back to the signatories") the
# turn may be: the words of a question name a turn loosely.
NAMED_TURN_CANDIDATES = 3
# How far behind the words' first reading the fact the last answer links to may rank and still be
# the part of it meant ("the data centres" reads a little more as what the release does not say of
# them than as the fact that names them).
PART_BEHIND = 0.05
# How far the reading of the last question with a new term must lead its runner-up to be taken.
CLEAR_LEAD = 0.05
# How many terms of the last question a correction may replace, each one ranking (time).
MAX_VARIANTS = 4


@dataclass(frozen=True)
class ChatContext:
    """What a chat talked about: the last answered question, and what the moves of a conversation
    need of the turns before it."""

    intent: str
    question: str
    entities: tuple[str, ...]  # surface words naming what it was about, in the chat's language
    at: float  # when (seconds, the channel's clock)
    # The people the last list of people named, in the answer's order ("the second one").
    people: tuple[str, ...] = ()
    focus: str = ""  # the one of them the last turn was about ("the other one" is another)
    earlier: tuple[str, ...] = ()  # intents answered before the last one, most recent first
    # The people the turns were about, the first first ("going back to the first one: is he ...").
    subjects: tuple[str, ...] = ()

    def fresh(self, now: float, ttl: float = TTL_SECONDS) -> bool:
        """True while the context may still be used."""
        return 0.0 <= now - self.at <= ttl


def leans_on_context(normalised: str) -> bool:
    """True when a question points back (a pronoun, "and ...?", "那……呢") or is very short."""
    if _POINTERS.search(normalised) or _ELLIPSIS.search(normalised):
        return True
    words = normalised.split()
    han = sum(len(w) for w in words if is_han(w))
    latin = [w for w in words if not is_han(w)]
    return (han == 0 and len(latin) <= _SHORT_WORDS) or (not latin and han <= _SHORT_HAN)


def opens_ellipsis(normalised: str) -> bool:
    """True when a question opens like a follow-up: "and ...", "what about ...", "那……呢"."""
    return bool(_ELLIPSIS.search(normalised))


def has_pointer(normalised: str) -> bool:
    """True when the question has a pronoun or demonstrative."""
    return bool(_POINTERS.search(normalised))


class FollowUps:
    """Reads follow-up questions of a fact base with its ranker; remembers what each intent is
    about (computed once per intent, when first needed)."""

    def __init__(self, kb: KnowledgeBase, ranker: Ranker, answer_threshold: float) -> None:
        self.kb = kb
        self.ranker = ranker
        self.matcher = ranker.matcher
        self.answer_threshold = answer_threshold
        self._entities: dict[str, tuple[str, ...]] = {}
        self._terms: dict[str, frozenset[str]] = {}
        # The fact base's people, one entry each: all its names, in every script ("A B 甲乙").
        analyzer = self.matcher.analyzer
        people: dict[str, list[str]] = {}
        for name in kb.release.names.get("person", ()):
            terms = [t for t, _ in analyzer.analyse(name, "zh" if is_han(name) else "en")]
            people.setdefault(terms[0] if len(terms) == 1 else normalise(name), []).append(name)
        self._people = [(term, names) for term, names in people.items()]
        # Chinese words of concepts, longest first, for replacing a term inside a run of Han.
        self._han_keys = sorted(analyzer.han_concept, key=len, reverse=True)

    def leave(self, reply: Reply, now: float, previous: ChatContext | None = None) -> ChatContext | None:
        """The context a reply leaves for the next question (None: keep the old one)."""
        if reply.intent is None or reply.outcome not in ("answered", "unknown", "not_stated"):
            return None
        named = self._doers(self.people_in(reply.text), reply.question)
        focus = self._focus(reply.intent)
        people: tuple[str, ...] = named if len(named) >= 2 else ()
        if people and not focus:
            focus = self._asked_for(reply.question, people)
        if previous is not None and focus and focus in previous.people:
            people = previous.people  # walking through the people of a list answer
        earlier: tuple[str, ...] = ()
        if previous is not None:
            turns = (previous.intent, *previous.earlier)
            earlier = tuple(dict.fromkeys(i for i in turns if i != reply.intent))[:EARLIER_TURNS]
        subjects = previous.subjects if previous is not None else ()
        if focus and focus not in subjects:
            subjects = (*subjects, focus)[: EARLIER_TURNS + 1]
        return ChatContext(
            reply.intent, reply.question, self.entities(reply.intent), now, people, focus, earlier, subjects
        )

    def entities(self, intent_id: str) -> tuple[str, ...]:
        """Words for what an intent is about."""
        found = self._entities.get(intent_id)
        if found is None:
            intent = self.kb.get(intent_id)
            found = self._intent_entities(intent) if intent is not None else ()
            self._entities[intent_id] = found
        return found

    def people_in(self, text: str) -> tuple[str, ...]:
        """The fact base's people a text names, in the order it names them (all names of each)."""
        folded = normalise(text)
        found = []
        for _, names in self._people:
            at = [folded.find(normalise(n)) for n in names]
            at = [a for a in at if a >= 0]
            if at:
                found.append((min(at), " ".join(names)))
        return tuple(name for _, name in sorted(found))

    def _doers(self, named: tuple[str, ...], question: str) -> tuple[str, ...]:
        """Of the people an answer named, those who did what the question asked about ("who
        witnessed?" is answered with the signatories too: "the company's one" is the witness), when
        at least two did; else all of them."""
        deed = deed_in(normalise(question))
        if deed is None:
            return named
        doers = [p for p in self.kb.facts.people if deed in p.did]
        chosen = tuple(shown for shown in named if any(named_in((p,), normalise(shown)) for p in doers))
        return chosen if len(chosen) >= 2 else named

    def _asked_for(self, question: str, people: tuple[str, ...]) -> str:
        """The one of `people` a question singled out by organisation ("who signed for X?"), or ""
        (by the typed facts: each person's organisation and the organisations' cues)."""
        text = normalise(question)
        orgs = named_in(self.kb.facts.organisations, text)
        if len(orgs) != 1:
            return ""
        members = [p for p in self.kb.facts.people if p.organisation == orgs[0].id]
        chosen = [
            shown for shown in people if any(named_in((member,), normalise(shown)) for member in members)
        ]
        return chosen[0] if len(chosen) == 1 else ""

    def _focus(self, intent_id: str) -> str:
        """The person an intent is about (named in many of its questions), or ""."""
        if intent_id not in self.matcher.intent_ids:
            return ""
        named = self.matcher.named[self.matcher.intent_ids.index(intent_id)]
        terms = {t for group in named.values() for t in group}
        about = [" ".join(names) for term, names in self._people if term in terms]
        return about[0] if len(about) == 1 else ""

    def read(self, clean: str, alone: Ranking, context: ChatContext) -> Reading:
        """The reading of a follow-up: a move of the conversation, or the question read together
        with what the chat talked about; "what is his full title?", when that reads no fact, with
        the name of the one person the last turn was about for "his"."""
        reading = self._read(clean, alone, context)
        best = reading.ranking.best
        norm = normalise(clean)
        corrected = moves.correction(norm) if reading.move is None else None
        if corrected is not None and best is not None and best.intent == context.intent:
            # "No, I meant the one in Munich": whatever it means, not the answer just given.
            return Reading(corrected.rest, self.ranker.rank(corrected.rest, lang=alone.lang))
        gives = self._giving_turn(reading, context)
        if gives is None and corrected is None and reading.text == clean:
            # (Not "no, I meant who paid for it": a question of its own, whatever it reads as.)
            gives = self._last_gives(reading, context)
        if gives is not None:
            return Reading(clean, alone, "earlier", (gives,))
        if reading.move is not None or reading.text != clean:
            return reading
        named = self._person_pointed(norm, clean, context, alone.lang)
        if named is None:
            return reading
        if best is None or best.probability < self.answer_threshold:
            return named
        profiles = {p.intent for p in self.kb.facts.people}
        if (
            best.intent in profiles
            and named.ranking.best is not None
            and named.ranking.best.intent in profiles
        ):
            # "Welchen Titel hat der?" names no one: read alone it is some person's profile, but the
            # pronoun points at the person the last turn was about.
            return named
        subject = _SUBJECT_PRONOUN.search(norm) is not None
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
        return reading

    def _read(self, clean: str, alone: Ranking, context: ChatContext) -> Reading:
        """The reading of a follow-up: a move of the conversation, or the question read together
        with what the chat talked about.

        A question with a pronoun is read again with the entities of the last answer; one that
        names nothing specific of its own ("since when?", "und die Niederlassung?", "那分公司呢？")
        also together with the last question. A question that names its own subject, small talk
        and off-topic messages are read alone.
        """
        norm = normalise(clean)
        lang = alone.lang
        moved = self._move(norm, alone, context)
        if moved is not None:
            return moved
        best = alone.best
        own = self.kb.get(best.intent) if best is not None else None
        if (
            best is not None
            and own is not None
            and own.kind in ("offtopic", "smalltalk")
            and best.probability >= self.answer_threshold
        ):
            return Reading(clean, alone)
        pointer = has_pointer(norm)
        opener = opens_ellipsis(norm)
        vague = leans_on_context(norm) and not self.specific(clean, lang)
        if not (pointer or opener or vague):
            return Reading(clean, alone)
        bare = _bare(norm)
        if opener and not pointer and not asked(bare) and not _QUESTION_WORD.search(bare):
            # "And the data centres?" after how many metro lines: the last question about the data
            # centres, when that reads as another fact about them.
            sibling = self._replaced(context, bare, lang)
            if sibling is not None:
                return sibling
            other_side = self._other_side(context, bare, lang)
            if other_side is not None:
                return other_side
        if (
            opener
            and not pointer
            and not vague
            and best is not None
            and best.probability >= self.answer_threshold
            and best.intent != context.intent
        ):
            # "and the one who signed for X?" names its own subject: the last answer's people would
            # only pull it back to the last turn.
            return Reading(clean, alone)
        options = []
        if best is not None and best.probability >= self.answer_threshold and not vague:
            options.append(alone)
        if context.entities:
            options.append(self.ranker.rank(clean + " " + " ".join(context.entities), lang=lang))
        kinds = asked(norm)
        if opener or vague:
            options.append(self.ranker.rank(context.question + " " + clean, lang=lang))
            if kinds:
                # "Who signed it?" then "and when?": the last question without its own "who".
                options.append(
                    self.ranker.rank(unasked(normalise(context.question)) + " " + clean, lang=lang)
                )
        scored = [r for r in options if r.best is not None]
        if not scored:
            return Reading(clean, alone)
        chosen = max(scored, key=lambda r: (self._gives(r, kinds), _top_of(r)))
        if chosen is not alone and self._profile_pull(chosen, alone, context):
            # "How did he describe the signing?" after his statement: a fact that statement links
            # to, read confidently alone, not his profile that his name pulls the question to.
            return Reading(clean, alone)
        if opener and not vague and chosen.best is not None and chosen.best.intent == context.intent:
            # "and the office?" right after the branch's year would repeat the last answer: the
            # last question with "the office" in place of "the branch" gives the sibling fact.
            sibling = self._replaced(context, _bare(norm), lang)
            if sibling is not None:
                return sibling
        top = chosen.best
        if (
            opener
            and top is not None
            and top.intent != context.intent
            and top.probability >= self.answer_threshold
            and len(chosen.items) > 1
            and chosen.items[1].intent == context.intent
        ):
            # "And for the whole region?" asks past the last answer: that answer, a close second
            # because the question was read with it, is not one to hesitate over.
            chosen = Ranking(chosen.lang, tuple(r for r in chosen.items if r.intent != context.intent))
        return Reading(clean, chosen)

    def _within(self, ranking: Ranking, pool: tuple[str, ...]) -> Ranking:
        """A ranking without the profiles of people outside `pool` (the people just named)."""
        outside = {
            p.intent
            for p in self.kb.facts.people
            if not any(named_in((p,), normalise(shown)) for shown in pool)
        }
        return Ranking(ranking.lang, tuple(r for r in ranking.items if r.intent not in outside))

    def _profile_pull(self, chosen: Ranking, alone: Ranking, context: ChatContext) -> bool:
        """True when the context turned a question into a person's profile (one the last turn did
        not give) while, read alone, it is confidently a fact the last answer links to."""
        top, own = chosen.best, alone.best
        profiles = {p.intent for p in self.kb.facts.people}
        last = self.kb.get(context.intent)
        own_intent = self.kb.get(own.intent) if own is not None else None
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
            and own.probability >= self.answer_threshold
        )

    def _giving_turn(self, reading: Reading, context: ChatContext) -> str | None:
        """ "When was that?" about the last answer, which gives no date: the earlier turn (or a
        fact the last answer links to) that gives the kind of detail asked, if one does; else None.
        """
        best = reading.ranking.best
        norm = normalise(reading.text)
        kinds = asked(norm)
        if reading.move is not None or best is None or best.intent != context.intent or not kinds:
            return None
        if not (has_pointer(norm) or leans_on_context(norm)) or self.specific(
            unasked(norm), reading.ranking.lang
        ):
            return None
        last = self.kb.get(context.intent)
        if last is None or last.kind != "fact" or not last.provides or not missing(kinds, last.provides):
            return None
        for intent_id in (*context.earlier, *last.related):
            intent = self.kb.get(intent_id)
            if (
                intent is not None
                and intent.kind == "fact"
                and intent.provides
                and not missing(kinds, intent.provides)
            ):
                return intent_id
        return None

    def _last_gives(self, reading: Reading, context: ChatContext) -> str | None:
        """ "So how many is that in total?" after the list of the areas, which counts them: the
        last turn again, when the question reads nothing clearly, points back at the last answer,
        names nothing of its own besides what it asks, and that answer gives every kind of detail
        asked; else None."""
        norm = normalise(reading.text)
        kinds = asked(norm)
        if reading.move is not None or not kinds or _top_of(reading.ranking) >= self.answer_threshold:
            return None
        own = " ".join(_TALLY.sub(" ", norm).split())
        if not (has_pointer(norm) or leans_on_context(own)) or self.specific(
            unasked(own), reading.ranking.lang
        ):
            return None
        last = self.kb.get(context.intent)
        if last is None or last.kind != "fact" or not last.provides or missing(kinds, last.provides):
            return None
        return context.intent

    def _list_item(self, intent_id: str, pick: moves.Pick, lang: str) -> str:
        """The name of the item a position points at in the list an intent answered with, or ""."""
        found = next((fl for fl in self.kb.facts.lists if fl.intent == intent_id), None)
        if found is None or not isinstance(pick, int) or not -len(found.items) <= pick < len(found.items):
            return ""
        name = found.items[pick].name
        return name.get(lang) or next(iter(name.values()), "")

    def _two_named(self, context: ChatContext) -> tuple[str, ...]:
        """The people "which of the two" can mean: those the last answer named, else the one the
        last turn was about and the one the turn before was about."""
        if context.people:
            return context.people
        pair = (context.focus, self._focus(context.earlier[0]) if context.earlier else "")
        return pair if all(pair) and pair[0] != pair[1] else ()

    def _person_pointed(self, norm: str, clean: str, context: ChatContext, lang: str) -> Reading | None:
        """ "What is his full title?" after an answer about one person (or one of several that the
        question singled out): the question with that person's name for "he", when it then reads
        confidently; else None."""
        if not context.focus or self.people_in(clean):
            return None
        found = _PERSON_PRONOUN.search(norm)
        if found is None:
            return None
        names = context.focus.split()
        han = "".join(w for w in names if is_han(w))
        latin = " ".join(w for w in names if not is_han(w))
        if is_han(found.group(0)):
            text = f"{norm[: found.start()]}{han or latin}{norm[found.end() :]}"
        else:
            text = " ".join(f"{norm[: found.start()]} {latin or han} {norm[found.end() :]}".split())
        ranking = self.ranker.rank(text, lang=lang)
        best = ranking.best
        if best is None or best.probability < self.answer_threshold:
            return None
        return Reading(text, ranking)

    def _gives(self, ranking: Ranking, kinds: frozenset[Asked]) -> bool:
        """True when the best intent of a ranking can give the kinds of detail asked (or none is)."""
        best = ranking.best
        intent = self.kb.get(best.intent) if best is not None else None
        if not kinds or intent is None or intent.kind != "fact" or not intent.provides:
            return True
        return not missing(kinds, intent.provides)

    def _move(self, norm: str, alone: Ranking, context: ChatContext) -> Reading | None:
        """The reading of a move of the conversation, or None when the message makes none."""
        lang = alone.lang
        again = moves.language(norm)
        if again is not None:
            return Reading(norm, alone, "again", (context.intent,), again)
        asked_in = moves.in_language(norm)
        if asked_in is not None and asked_in.rest:
            # "Could you give me the manufacturing part of that in English?": the rest read as a
            # follow-up, answered in the language asked for, when it leans on the chat or reads
            # clearly where the whole did not ("what is the weather like in English?" stays off
            # topic; what is not understood is not answered in another language).
            inner = self.read(asked_in.rest, self.ranker.rank(asked_in.rest, lang=lang), context)
            top, inner_top = alone.best, inner.ranking.best
            leans = inner.move is not None or inner.text != asked_in.rest
            clear = inner_top is not None and inner_top.probability >= self.answer_threshold
            if leans or (clear and (top is None or top.probability < self.answer_threshold)):
                return replace(inner, lang=asked_in.lang)
        piece = moves.part(norm)
        if piece is not None and not self.specific(piece.outside, lang):
            # (Not "what does the digital part mean for jobs?": a question of its own about it.)
            found = self._part(piece.rest, context, lang)
            if found is not None:
                return found
        spanned = self._span(norm, context)
        if spanned is not None:
            return Reading(norm, alone, "span", (context.earlier[0], context.intent, spanned))
        checked = self._year_checked(norm, context, lang)
        if checked is not None:
            return checked
        asked_more = moves.more(norm)
        if asked_more is not None and not self.specific(asked_more.rest, lang):
            return Reading(norm, alone, "more", self._more(context.intent, context.earlier))
        if asked_more is not None:
            # "Tell me more about the data centres" after an answer that names them: that part.
            found = self._part(asked_more.rest, context, lang)
            if found is not None:
                return found
        back = moves.earlier(norm)
        if back is not None and back.rest and self._offtopic(back.rest, lang):
            # "Back to my first question: and the weather there?" is about no turn: off topic.
            return Reading(back.rest, self.ranker.rank(back.rest, lang=lang))
        if (
            back is not None
            and back.first
            and len(context.subjects) >= 2
            and _PERSON_PRONOUN.search(back.rest)
        ):
            # "Going back to the first one: is he ...?": the one the chat was first about.
            first = replace(context, focus=context.subjects[0])
            him = self._person_pointed(back.rest, back.rest, first, lang)
            if him is not None:
                return him
        if back is not None and back.first and context.earlier:
            return self._first(back.rest, context, lang)
        if back is not None and back.subject and context.earlier:
            # "Back to the witnesses: what is the city official's title?": a question about the
            # turn those words name.
            named = self._turn_named(back.subject, back.subject_kind, context, lang)
            if named is not None:
                return self._first(back.rest, context, lang, named)
        if back is not None and context.earlier:
            target = self._earlier(back, context, lang)
            if target is not None:
                return Reading(norm, alone, "earlier", (target,))
        if len(context.people) >= 2 and moves.one_of(norm):
            # "And the company's one?", "公司那位是谁？": the one of that organisation.
            member = self._asked_for(norm, context.people)
            if member:
                return Reading(member, self.ranker.rank(member, lang=lang))
        pointed = moves.ordinal(norm)
        if pointed is not None:
            if pointed.pick == "which":
                # "Which of the two represents the city?": the one of that organisation.
                pool = self._two_named(context)
                person = self._asked_for(pointed.rest, pool) if pool else ""
            else:
                person = _pick(context, pointed.pick) if context.people else ""
            if not person and not context.people:
                # "And the third one?" after the list of the areas: that item.
                person = self._list_item(context.intent, pointed.pick, lang)
            if not person and pointed.pick == "which" and pool:
                # "Welches Amt hat der chinesische der beiden?" with no organisation to pick by:
                # whoever it is, it is one of the two, never someone else's profile; the last
                # fact again when, with the last question, it clearly reads as that (its answer
                # gives what is asked of each of them).
                text = f"{normalise(context.question)} {pointed.rest}"
                joined = self.ranker.rank(text, lang=lang)
                top = joined.best
                if (
                    top is not None
                    and top.intent == context.intent
                    and top.probability >= self.answer_threshold
                    and self._gives(joined, asked(norm))
                ):
                    return Reading(text, joined)
                return Reading(norm, self._within(alone, pool))
            if person:
                # "Which of the two ...?" is answered by who that is; "what did the second one
                # say?" asks something of its own about him.
                plain = pointed.pick == "which" or not self.specific(pointed.rest, lang)
                text = person if plain else f"{pointed.rest} {person}"
                return Reading(text, self.ranker.rank(text, lang=lang))
        corrected = moves.correction(norm)
        if corrected is not None and asked(corrected.rest):
            # "Actually, I meant who the mayor is": a question of its own, read alone when it is
            # clear (the last answer's people would pull it back to them).
            ranking = self.ranker.rank(corrected.rest, lang=lang)
            if ranking.best is not None and ranking.best.probability >= self.answer_threshold:
                return Reading(corrected.rest, ranking)
        if corrected is not None:
            # "Who signed for the city?" - "no, I meant for the company": the last answer named
            # both; the one of that organisation is meant.
            # (Not "no, I meant: which company of X is the party?": a question of its own about X.)
            only_org = self._only_organisation(corrected.rest, lang)
            member = self._asked_for(corrected.rest, context.people) if context.people and only_org else ""
            if member:
                return Reading(member, self.ranker.rank(member, lang=lang))
            replaced = self._replaced(context, corrected.rest, lang)
            if replaced is not None:
                return replaced
            text = corrected.rest
            alone_new = self.ranker.rank(text, lang=lang)
            if asked(text) and len(unasked(text).split()) >= 2:
                # "No, I meant who paid for it": a question of its own, not one about the last.
                return Reading(text, alone_new)
            if not self.specific(text, lang):
                return None
            with_last = self.ranker.rank(context.question + " " + text, lang=lang)
            ranked = [r for r in (alone_new, with_last) if r.best is not None]
            if ranked:
                return Reading(text, max(ranked, key=lambda r: r.best.probability if r.best else 0.0))
        return None

    def _part(self, words: str, context: ChatContext, lang: str) -> Reading | None:
        """The part of the last answer that words name ("the manufacturing part", "数据中心那部分"):
        the fact it links to that the words read as, chosen among its links only (a known unknown
        about the same thing ranks close behind); None when the words read as anything else first
        or not clearly."""
        last = self.kb.get(context.intent)
        if last is None or not self.specific(words, lang):
            return None
        links = set(last.related) - {context.intent}
        ranking = self.ranker.rank(words, lang=lang)
        items = [r for r in ranking.items if r.intent != context.intent]
        linked = tuple(r for r in items if r.intent in links)
        if (
            not linked
            or linked[0].probability < self.answer_threshold
            or items[0].probability - linked[0].probability > PART_BEHIND
        ):
            return None
        return Reading(words, Ranking(ranking.lang, linked))

    def _span(self, norm: str, context: ChatContext) -> str | None:
        """ "How many years lay between them?" after two turns with a year each: the fact (of
        those turns or linked to the last) whose answer names both years, which says the span;
        else None."""
        if not moves.span(norm) or not context.earlier:
            return None
        last, before = self.kb.get(context.intent), self.kb.get(context.earlier[0])
        if last is None or before is None:
            return None
        years = {found[0] for found in (_YEARS.findall(_any_answer(i)) for i in (last, before)) if found}
        if len(years) != 2:
            return None
        for intent_id in (context.intent, context.earlier[0], *last.related):
            intent = self.kb.get(intent_id)
            if (
                intent is not None
                and intent.kind == "fact"
                and years <= set(_YEARS.findall(_any_answer(intent)))
            ):
                return intent_id
        return None

    def _year_checked(self, norm: str, context: ChatContext, lang: str) -> Reading | None:
        """ "Since 2015?" after an answer that gives a date: the last question with the year put to
        it (so that a wrong year is corrected by that answer's), when that still reads as the last
        answer's fact; else None."""
        if moves.year_check(norm) is None:
            return None
        last = self.kb.get(context.intent)
        if last is None or last.kind != "fact" or "date" not in last.provides:
            return None
        text = f"{context.question} {norm}"
        ranking = self.ranker.rank(text, lang=lang)
        if ranking.best is None or ranking.best.intent != context.intent:
            return None
        return Reading(text, ranking)

    def _offtopic(self, text: str, lang: str) -> bool:
        """True when a text reads confidently as one of the fact base's off-topic messages."""
        ranking = self.ranker.rank(text, lang=lang)
        intent = self.kb.get(ranking.best.intent) if ranking.best is not None else None
        return intent is not None and intent.kind == "offtopic" and _top_of(ranking) >= self.answer_threshold

    def _first(self, rest: str, context: ChatContext, lang: str, turn: str = "") -> Reading:
        """A message about the first turn of the chat ("back to my first question: ...") or the
        `turn` it names ("back to the witnesses: ..."): that turn again when it asks nothing more;
        "what else besides ..." its related facts not yet given; one of the people its answer
        named, picked by organisation ("the party official from the first answer"); else what it
        asks, read alone, with what that turn was about, or with that turn's question. A reading of
        a question of its own is `about` that turn ("how long before the signing was that?")."""
        turn = turn or context.earlier[-1]
        if not rest or not (self.specific(rest, lang) or asked(rest)):
            return Reading(rest, self.ranker.rank(rest or turn, lang=lang), "earlier", (turn,))
        if moves.more(rest) is not None or moves.besides(rest):
            return Reading(rest, self.ranker.rank(rest, lang=lang), "more", self._more(turn, context.earlier))
        first = self.kb.get(turn)
        # Of the people its answer named, those who did what that turn asked about (the witnesses'
        # answer names the signatories too).
        named: tuple[str, ...] = ()
        if first is not None:
            named = self._doers(self.people_in(_any_answer(first)), first.example(lang))
        member = self._asked_for(rest, named) if len(named) >= 2 else ""
        if member:
            text = f"{rest} {member}"
            return Reading(text, self.ranker.rank(text, lang=lang))
        focus = self._focus(turn) or (named[0] if len(named) == 1 else "")
        if focus:
            # "Back to the first one: is he an adviser too?": he is the one that turn was about.
            pointed = self._person_pointed(normalise(rest), rest, replace(context, focus=focus), lang)
            if pointed is not None:
                return pointed
        kinds = asked(rest)
        # "Zurück zum Büro: wo war das?" names nothing of its own: it asks of that turn, whose
        # question is read first.
        of_the_turn = not self.specific(unasked(rest), lang)
        if of_the_turn:
            joined = self._with_turn(turn, rest, kinds, lang)
            if joined is not None:
                return joined
            if first is not None and first.kind == "fact" and not missing(kinds, first.provides):
                return Reading(rest, self.ranker.rank(rest, lang=lang), "earlier", (turn,))
        # Read alone first: what that turn was about joins only a question that needs it ("what
        # did it cost?"), else it pulls a question of its own back to that turn's answer.
        options = [self.ranker.rank(rest, lang=lang)]
        if self.entities(turn) and has_pointer(rest):
            options.append(self.ranker.rank(rest + " " + " ".join(self.entities(turn)), lang=lang))
        linked = {turn, *(first.related if first is not None else ())}
        for option in options:
            top = option.best
            if top is None:
                continue
            if top.probability >= self.answer_threshold and self._gives(option, kinds):
                return Reading(rest, option, about=turn)
            if top.intent in linked and top.probability - _second_of(option) >= LINKED_LEAD:
                # A loose reading that the turn pointed at settles: a fact that turn's answer
                # links to, well ahead of the next.
                return Reading(rest, option, "earlier", (top.intent,))
        # "Back to the witnesses: what is the city official's title?" reads nothing clearly alone;
        # with that turn's question it is that turn's fact (whose answer gives it).
        joined = None if of_the_turn else self._with_turn(turn, rest, kinds, lang)
        if joined is not None:
            return joined
        chosen = max(options, key=lambda r: (self._gives(r, kinds), _top_of(r)))
        return Reading(rest, chosen, about=turn)

    def _with_turn(self, turn: str, rest: str, kinds: frozenset[Asked], lang: str) -> Reading | None:
        """A question about an earlier turn read together with that turn's question, when that
        clearly reads as that turn's fact and it gives the kind of detail asked; else None."""
        intent = self.kb.get(turn)
        if intent is None or intent.kind != "fact":
            return None
        text = f"{normalise(intent.example(lang))} {rest}"
        joined = self.ranker.rank(text, lang=lang)
        top = joined.best
        if (
            top is None
            or top.intent != turn
            or top.probability < self.answer_threshold
            or not self._gives(joined, kinds)
        ):
            return None
        return Reading(text, joined, about=turn)

    def _more(self, intent_id: str, earlier: tuple[str, ...]) -> tuple[str, ...]:
        """The related facts of an answer not yet given, the fullest first: more about the
        same person, then a fuller answer (one that says all the last one did, and more), then the
        profiles of the people it named, then the facts of its topic, then the rest."""
        last = self.kb.get(intent_id)
        if last is None:
            return ()
        given = {intent_id, *earlier}
        related = [self.kb.get(r) for r in last.related if r not in given]
        facts = [i for i in related if i is not None and i.kind == "fact"]
        text = _any_answer(last)
        named = set(self.people_in(text))
        focus = self._focus(last.id)
        said = self._answer_terms(last)

        def order(intent: Intent) -> tuple[bool, bool, int, bool, bool, bool]:
            answer = _any_answer(intent)
            fuller = _says_all_of(answer, text, self.people_in)
            terms = self._answer_terms(intent)
            # A fact the last answer already says almost word for word adds nothing, unless it
            # is the dated detail of it (the office's year after the history that names it).
            repeated = len(terms - said) < len(terms) * SAID_ALREADY and not _YEARS.search(answer)
            return (
                not (focus and self._focus(intent.id) == focus),
                not fuller,
                -len(answer) if fuller else 0,
                repeated,
                self._focus(intent.id) not in named,
                intent.topic != last.topic,
            )

        facts.sort(key=order)
        return tuple(i.id for i in facts[:MORE_FACTS])

    def _answer_terms(self, intent: Intent) -> frozenset[str]:
        """The terms of an intent's answer (English, else its first language)."""
        lang = "en" if "en" in intent.answer else next(iter(intent.answer), "en")
        return frozenset(term for term, _ in self.matcher.analyzer.analyse(_any_answer(intent), lang))

    def _earlier(self, back: moves.Earlier, context: ChatContext, lang: str) -> str | None:
        """The earlier turn a message goes back to: the latest that gives the kind of detail it
        names (None if none did), or that its words are about; else the turn before the last."""
        turns = [*context.earlier, context.intent]
        if back.kind is not None:
            for intent_id in turns:
                intent = self.kb.get(intent_id)
                if intent is not None and back.kind in intent.provides:
                    return intent_id
            return None  # no turn gave that kind of detail: the message is read as a question
        if self.specific(back.rest, lang):
            # Only when what the words are about is one of the turns ("back to the office"); a
            # question about something new that happens to say "as you mentioned" is read as such.
            found = self.matcher.candidates(back.rest, lang)
            return found[0].intent if found and found[0].intent in turns else None
        return context.earlier[0]

    def _other_side(self, context: ChatContext, bare: str, lang: str) -> Reading | None:
        """ "And on the city's side?" after a question about the company's: the last question
        asked of the other organisation, when that reads confidently; else None."""
        question = normalise(context.question)
        said = named_in(self.kb.facts.organisations, question)
        side = named_in(self.kb.facts.organisations, bare)
        if len(said) != 1 or len(side) != 1 or said[0].id == side[0].id:
            return None
        words = _cue_words(side[0].cues, bare)
        if not self._only_organisation(bare, lang):
            return None  # "and the city's metro lines?" asks about something of its own
        text = _swapped(question, _cue_words(said[0].cues, question), " ".join(words))
        ranking = self.ranker.rank(text, lang=lang)
        top = ranking.best
        if top is None or top.probability < self.answer_threshold:
            return None
        return Reading(text, ranking)

    def _only_organisation(self, text: str, lang: str) -> bool:
        """True when a text names one organisation and asks nothing else ("for the company",
        "auf Seiten der Stadt", "市政府那边"): its words, a side and "for" taken off leave nothing
        specific and no question."""
        found = named_in(self.kb.facts.organisations, text)
        if len(found) != 1:
            return False
        left = _SIDE_WORDS.sub(" ", text)
        for word in _cue_words(found[0].cues, text):
            left = left.replace(word, " ")
        return not self.specific(left, lang) and not asked(left)

    def _turn_named(self, words: str, kind: AnswerType | None, context: ChatContext, lang: str) -> str | None:
        """The turn that words naming one mean ("the date", "the witnesses", "den Unterzeichnern"):
        the latest that gives the kind of detail they name, else the one of the chat's turns among
        the few intents the words read as; None when they name no turn."""
        if kind is not None:
            return self._earlier(moves.Earlier(words, kind), context, lang)
        if not self.specific(words, lang):
            return None
        turns = {context.intent, *context.earlier}
        found = self.matcher.candidates(words, lang)[:NAMED_TURN_CANDIDATES]
        return next((c.intent for c in found if c.intent in turns), None)

    def _replaced(self, context: ChatContext, new: str, lang: str) -> Reading | None:
        """The last question with one of its specific terms replaced by `new` ("no, I meant the
        office"), when that reads confidently as another intent than the last, one about the new
        term; else None."""
        if not new or not self.specific(new, lang):
            return None
        # The new reading must be about what replaced the old term, not merely rank well.
        wanted = {term for term, _ in self.matcher.analyzer.analyse(new, lang)}
        best: Reading | None = None
        question = normalise(context.question)
        texts = self._variants(question, _ARTICLE.sub("", normalise(new)), lang)[:MAX_VARIANTS]
        if asking(question) and not _QUESTION_WORD.search(new):
            # "When was it signed?" - "and the press release?": the new subject with the last "when"
            # (not "and how long before the signing was that?", which asks its own).
            texts.append(f"{normalise(new)} {asking(question)}")
        for text in texts:
            ranking = self.ranker.rank(text, lang=lang)
            top = ranking.best
            if (
                top is not None
                and top.intent != context.intent
                and top.probability >= self.answer_threshold
                and top.probability - _second_of(ranking) >= CLEAR_LEAD
                and (best is None or top.probability > _top(best))
                and wanted & self._about(top.intent)
                and self._gives(ranking, asked(text))
            ):
                best = Reading(text, ranking)
        return best

    def _variants(self, question: str, new: str, lang: str) -> list[str]:
        """`question` with each of its specific terms (a run of words of one concept, a Chinese
        concept word, a rare word or a year) replaced by `new`."""
        analyzer = self.matcher.analyzer
        tokens = question.split()
        out = []
        n = 0
        while n < len(tokens):
            token = tokens[n]
            if is_han(token):
                for key in self._han_keys:
                    concept = analyzer.han_concept[key]
                    if key in token and concept not in self.kb.generic and concept not in self.kb.vague:
                        out.append(" ".join([*tokens[:n], token.replace(key, new, 1), *tokens[n + 1 :]]))
                n += 1
                continue
            term = analyzer.word_term(token, lang)
            end = n + 1
            while end < len(tokens) and term is not None and analyzer.word_term(tokens[end], lang) == term:
                end += 1
            if term is not None and self._replaceable(term):
                out.append(" ".join([*tokens[:n], new, *tokens[end:]]))
            n = end
        return out

    def _replaceable(self, term: str) -> bool:
        if term.startswith("C:"):
            return term[2:] not in self.kb.generic and term[2:] not in self.kb.vague
        if term[2:].isdigit():
            return True
        return self.matcher.idf.get(term, 0.0) >= self.matcher.idf_max * 0.5

    def specific(self, text: str, lang: str) -> bool:
        """True when a question names a subject of its own: a person, place, year or a concept or
        word that only a few intents share."""
        rare = self.matcher.idf_max * 0.5
        for term, _ in self.matcher.analyzer.analyse(text, lang):
            if term.startswith("C:") and term[2:] not in self.kb.vague:
                return True
            if term.startswith("W:") and term[2:].isdigit():
                return True
            content = term.startswith("W:") or (term.startswith("H:") and len(term) > 3)
            if content and self.matcher.idf.get(term, 0.0) >= rare:
                return True
        return False

    def _about(self, intent_id: str) -> frozenset[str]:
        """The specific terms an intent's questions name often (computed once per intent)."""
        found = self._terms.get(intent_id)
        if found is None:
            intent = self.kb.get(intent_id)
            # The fact base's general concepts too ("no, I meant the agreement" is about one).
            found = frozenset(self._frequent(intent, generic=True)[0]) if intent is not None else frozenset()
            self._terms[intent_id] = found
        return found

    def _frequent(self, intent: Intent, generic: bool = False) -> tuple[list[str], dict[str, str]]:
        """The concepts and years named in many of an intent's questions, most frequent first,
        with a word for each (the fact base's general concepts only with `generic`)."""
        counts: Counter[str] = Counter()
        surface: dict[str, str] = {}
        total = 0
        for lang, questions in intent.questions.items():
            for q in questions:
                total += 1
                seen = set()
                for term, word in self.matcher.analyzer.analyse(q, lang):
                    year = term.startswith("W:") and term[2:].isdigit()
                    general = term[2:] in self.kb.generic and not generic
                    if term in seen or not (term.startswith("C:") or year) or general:
                        continue
                    seen.add(term)
                    counts[term] += 1
                    surface.setdefault(term, word)
        return [t for t, n in counts.most_common() if n >= max(2, total // 4)], surface

    def _intent_entities(self, intent: Intent) -> tuple[str, ...]:
        """Words for what an intent is about: the people, places and years it names, else its most
        frequent specific concept (what "it" or "there" in a follow-up points back to)."""
        frequent, surface = self._frequent(intent)
        named = [t for t in frequent if t in self.matcher.groups or t.startswith("W:")]
        # What its questions name most often comes too when that is no name ("the advisory group"
        # of a fact whose questions also name the mayor): "there" points at it.
        keep = list(dict.fromkeys([*named[:2], *frequent[:1]]))
        return tuple(n for n in (self._name(t, surface.get(t, "")) for t in keep) if n)

    def _name(self, term: str, fallback: str) -> str:
        """A word for a concept in every language at once: the concept's terms of each script."""
        if term.startswith("W:"):
            return term[2:]
        terms = self.kb.synonyms.get(term[2:], ())
        latin = next((t for t in terms if not is_han(t)), fallback)
        han = next((t for t in terms if is_han(t)), "")
        return " ".join(x for x in (latin, han) if x)


def _cue_words(cues: tuple[str, ...], text: str) -> list[str]:
    """The words of `text` that cues name (a Latin cue the start of a word, a Chinese one anywhere),
    in the text's order."""
    found: list[tuple[int, str]] = []
    for cue in cues:
        if cue.isascii():
            found += [
                (m.start(), m.group(0)) for m in re.finditer(rf"(?<![a-z0-9]){re.escape(cue)}\w*", text)
            ]
        elif (at := text.find(cue)) >= 0:
            found.append((at, cue))
    return list(dict.fromkeys(word for _, word in sorted(found)))


def _swapped(question: str, old: list[str], new: str) -> str:
    """`question` with the first of the words `old` replaced by `new` and the others left out."""
    for n, word in enumerate(old):
        question = question.replace(word, new if n == 0 else " ", 1)
    return " ".join(question.split())


def _any_answer(intent: Intent) -> str:
    """The intent's answer in English, else in its first language (all say the same)."""
    return intent.answer.get("en") or next(iter(intent.answer.values()), "")


_YEARS = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def _says_all_of(answer: str, last: str, people_in: Callable[[str], tuple[str, ...]]) -> bool:
    """True when `answer` names every year and person `last` names, and says more."""
    years = set(_YEARS.findall(last))
    people = set(people_in(last))
    if len(answer) <= len(last) or not (years or people):
        return False  # an answer that names nothing checkable is not known to be contained
    return years <= set(_YEARS.findall(answer)) and people <= set(people_in(answer))


def _top(reading: Reading) -> float:
    return _top_of(reading.ranking)


def _second_of(ranking: Ranking) -> float:
    return ranking.items[1].probability if len(ranking.items) > 1 else 0.0


def _top_of(ranking: Ranking) -> float:
    best = ranking.best
    return best.probability if best is not None else 0.0


def _pick(context: ChatContext, pick: moves.Pick) -> str:
    """The person of the last list that "the second one" or "the other one" means, or ""."""
    people = context.people
    if pick == "which":
        return ""  # chosen by what the question says of them (FollowUps._asked_for)
    if pick == "other":
        others = [p for p in people if p != context.focus]
        return others[0] if context.focus in people and others else (people[1] if len(people) > 1 else "")
    if -len(people) <= pick < len(people):
        return people[pick]
    return ""


# The words that open an elliptic follow-up, taken off to leave what it asks about.
_OPENERS = re.compile(
    r"^(?:and|what about|how about|also|und|und was ist mit|was ist mit|wie steht es mit|auch|sowie)\s+|"
    r"^(?:那么|那|还有|另外|以及)|呢$"
)


def _bare(normalised: str) -> str:
    """An elliptic follow-up without its opening ("and the office" -> "the office")."""
    return _OPENERS.sub("", normalised).strip()


class ContextMemory:
    """The contexts of many chats, each for `ttl` seconds, at most `limit` of them (the oldest
    go first). Pure: the caller passes the time."""

    def __init__(self, ttl: float = TTL_SECONDS, limit: int = 10_000) -> None:
        self.ttl = ttl
        self.limit = limit
        self._items: dict[object, ChatContext] = {}
        self._puts = 0

    def get(self, key: object, now: float) -> ChatContext | None:
        """The fresh context of `key`, or None (an expired one is forgotten)."""
        found = self._items.get(key)
        if found is not None and not found.fresh(now, self.ttl):
            del self._items[key]
            return None
        return found

    def put(self, key: object, context: ChatContext | None, now: float) -> None:
        """Remember `context` for `key` (None keeps what there is); drop the stale and the oldest."""
        if context is None or self.ttl <= 0:
            return
        self._items.pop(key, None)
        self._items[key] = context
        self._puts += 1
        # Now and then the expired go (idle chats leave nothing); past the limit, the least recently
        # put goes (the dict keeps put order, so the oldest is first: no sweep on every put).
        if self._puts % 256 == 0:
            for stale in [k for k, c in self._items.items() if not c.fresh(now, self.ttl)]:
                del self._items[stale]
        while len(self._items) > self.limit:
            del self._items[next(iter(self._items))]

    def forget(self, key: object) -> None:
        """Drop the context of `key` (the user asked to be forgotten)."""
        self._items.pop(key, None)

    def forget_where(self, belongs: Callable[[object], bool]) -> int:
        """Drop every context whose key `belongs` (a user's private chat and group threads)."""
        gone = [k for k in self._items if belongs(k)]
        for key in gone:
            del self._items[key]
        return len(gone)

    def __len__(self) -> int:
        return len(self._items)
