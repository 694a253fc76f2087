"""The Reasoner: the entry points the engine calls and the ordered table of checks they try in
turn; each check lives in the module named for its kind (premises, people, counts, dates,
lists, summary).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from bot.core.lang import normalise
from bot.core.question import asked
from bot.core.ranking import Ranking
from bot.core.reasoning.asked import CONFIDENCE, OFFTOPIC_SURE, Found, deed_in, named_in
from bot.core.reasoning.counts import _Counts
from bot.core.reasoning.dates import _DIFF, _Time, ago
from bot.core.reasoning.lists import _Lists
from bot.core.reasoning.people import _People
from bot.core.reasoning.summary import _Summary
from bot.core.reasoning.terms import _Terms
from bot.core.reply import Reply
from bot.core.texts import source_text

# An elliptic part of a message: "And Y?", "Und was ist mit Y?", "那Y呢？", "还有Y？".
_ELLIPTIC_LEAD = re.compile(
    r"^(?:and|und|also|what about|how about|and what about|und was ist mit|was ist mit|wie ist es mit|"
    r"wie steht es mit|und|那么|那|还有|以及)\s*"
)
_ELLIPTIC_TAIL = re.compile(r"\s*(?:呢|吗|then|too|auch)$")
_ELLIPTIC_WORDS = 4
# The side a deed was done for: "for the company", "für die Stadt", "代表<一方>".
_FOR_SIDE = re.compile(
    r"\b(?:for|fur|on behalf of|im namen|namens)\b(?: (?:the|die|der|des|von))? \w+|"
    r"代表\S{1,8}?(?=签|见证|出席|$)"
)


class Reasoner(_Counts, _People, _Time, _Lists, _Summary, _Terms):
    """Computed replies over one fact base's typed facts."""

    # -- entry point ------------------------------------------------------------------------

    def reply(
        self, question: str, clean: str, ranking: Ranking, lang: str, last: str | None = None
    ) -> Reply | None:
        """A computed reply to `clean`, or None to let the engine answer; `last` is the intent of
        the chat's last answer ("how many years later was the branch?" counts from its event)."""
        facts = self.facts
        if not (facts.events or facts.people or facts.lists or facts.places):
            return None
        best = ranking.best
        q = self._read(clean, ranking.lang)
        top = self.kb.get(best.intent) if best is not None else None
        if (
            top is not None
            and top.kind in ("smalltalk", "offtopic")
            and best is not None
            and best.probability >= OFFTOPIC_SURE
            and not self._composed(q)
        ):
            return None
        own_year = all(y == q.events[0].year for y in q.years) if len(q.events) == 1 else False
        if last is not None and len(q.events) == 1 and not q.people and own_year:
            # (Not "从1995年到签约一共多少年？": a year of its own is the other point.)
            before = self.facts.event_of(last)
            relative = _DIFF.search(q.joined) and not ago(q.joined)
            if before is not None and before.id != q.events[0].id and relative:
                # One event named, the other the last answer's: the two points of a difference.
                q = replace(q, events=(before, q.events[0]), years=())
        # The checks in turn, each in its kind's module: each returns (text, outcome, intent,
        # sources) or None.
        for handler in (
            self._name_in,
            self._place_premise,
            self._wider_place,
            self._where_lies,
            self._head_of_item,
            self._count_premise,
            self._not_doers,
            self._count,
            self._all_of_role,
            self._deeds_paired,
            self._by_office,
            self._title_holder,
            self._deed,
            self._deed_of_several,
            self._title_did,
            self._doers_asked,
            self._doer_of_side,
            self._party_did,
            self._besides_doer,
            self._same_person,
            self._deed_in_passing,
            self._words_of,
            self._role_premise,
            self._person_as_member,
            self._tenure,
            self._difference,
            self._ago_of,
            self._put_in_order,
            self._order,
            self._on_day,
            self._timeline,
            self._extreme,
            self._next_of,
            self._when_check,
            self._weekday,
            self._coarse,
            self._member,
            self._focus_premise,
            self._rest_of_list,
            self._rest_besides,
            self._list_count,
            self._item_position,
            self._items_asked,
            self._item_of_another_list,
            self._key_facts,
            self._people_named,
        ):
            found = handler(q, lang, ranking)
            if found is not None:
                return self._computed(question, lang, found)
        return None

    def between(self, question: str, clean: str, intents: tuple[str, ...], lang: str) -> Reply | None:
        """The years (or days) between the events two answers were about ("how many years lay
        between them?" after two dated turns), or None when either answer is about no event."""
        events = [self.facts.event_of(i) for i in intents]
        if len(events) != 2 or events[0] is None or events[1] is None or events[0].id == events[1].id:
            return None
        q = replace(self._read(clean, lang), events=(events[0], events[1]), years=(), people=())
        found = self._difference(q, lang, Ranking(lang, ()))
        return None if found is None else self._computed(question, lang, found)

    def item_at(self, question: str, list_id: str, at: int, lang: str) -> Reply | None:
        """The item at place `at` of a list, as a reply ("and the third one?" after it), or None."""
        fact_list = next((f for f in self.facts.lists if f.id == list_id), None)
        found = self._item_at(fact_list, at, lang) if fact_list is not None else None
        return None if found is None else self._computed(question, lang, found)

    def items_of_one_list(self, asks: Sequence[str]) -> bool:
        """True when each of several asks names an item of one and the same typed list."""
        if len(asks) < 2:
            return False
        for fact_list in self.facts.lists:
            if all(named_in(fact_list.items, normalise(ask)) for ask in asks):
                return True
        return False

    def carried(self, pieces: Sequence[str]) -> list[str]:
        """The parts of one message with an elliptic one completed from the part before it: "Did
        X sign? And Y?" asks "Did Y sign?" ("Und Y?", "那Y呢？"): the part before, a deed of its one
        person, with the other's name in its place and without the side it was done for ("Did X
        sign for the company? And Y?" asks whether Y signed, for whichever side)."""
        out: list[str] = []
        for piece in pieces:
            carried = self._carried(piece, out[-1]) if out else None
            out.append(carried if carried is not None else piece)
        return out

    def _carried(self, piece: str, before: str) -> str | None:
        rest = _ELLIPTIC_TAIL.sub("", _ELLIPTIC_LEAD.sub("", normalise(piece)).strip()).strip()
        named = named_in(self.facts.people, rest)
        if len(named) != 1 or len(rest.split()) > _ELLIPTIC_WORDS or asked(rest):
            return None
        prior_text = _FOR_SIDE.sub("", normalise(before)).strip()
        prior = named_in(self.facts.people, prior_text)
        if len(prior) != 1 or named == prior or deed_in(prior_text) is None:
            return None  # only a deed of one other person is carried over
        at = [(prior_text.find(c), c) for c in prior[0].cues if prior_text.find(c) >= 0]
        if not at:
            return None
        spot, cue = min(at, key=lambda a: (a[0], -len(a[1])))
        text = prior_text[:spot] + rest + prior_text[spot + len(cue) :]
        return text if named_in(self.facts.people, text) == named else None

    def spans(self, pieces: Sequence[str], whole: str, lang: str) -> bool:
        """True when a message split into `pieces` asks one thing, the time between two events
        it names ("from X to Y, how many years?"): a piece asks how long and the others ask
        nothing of their own ("How long did X last, and when was Y?" asks two things)."""
        q = self._read(whole, lang)
        if len(q.events) != 2 or q.people or not _DIFF.search(q.joined) or ago(q.joined):
            return False
        others = [p for p in pieces if not _DIFF.search(self._read(p, lang).joined)]
        return len(others) < len(pieces) and not any(asked(normalise(p)) for p in others)

    def _computed(self, question: str, lang: str, found: Found) -> Reply:
        text, outcome, intent, sources = found
        return Reply(
            question=question,
            answered=outcome == "answered",
            outcome=outcome,
            intent=intent,
            nearest=intent,
            confidence=CONFIDENCE,
            lang=lang,
            text=text,
            sources=(source_text(sources, lang, self.kb.release),) if sources else (),
        )

    def org_premise(
        self, question: str, clean: str, ranking: Ranking, lang: str, rank: Callable[[str], Ranking]
    ) -> Reply | None:
        """The correction of a question that puts a company the release never names in a party's
        place, or None (asked before anything else: such a question may rank off topic). The fact
        said with it is the nearest to the question less the company's name (`rank` ranks a
        text): "Globex Energy signed it?" is about who signed, not about energy."""
        if not self.facts.absent_organisations:
            return None
        q = self._read(clean, ranking.lang)
        if not q.absent_orgs or not (q.yesno or q.deed is not None):
            return None
        rest = self._without_absent(q.text).strip()
        found = self._org_premise(q, lang, rank(rest) if rest else ranking)
        return None if found is None else self._computed(question, lang, found)

    def rest_of_list(self, question: str, whole: str, ranking: Ranking, lang: str) -> Reply | None:
        """The whole list for a question that names two of its items and asks for the rest, read on
        the whole question (its core clause may keep only the last item named), or None."""
        found = self._rest_of_list(self._read(whole, ranking.lang), lang, ranking)
        return None if found is None else self._computed(question, lang, found)

    def on_whole(self, question: str, whole: str, ranking: Ranking, lang: str) -> Reply | None:
        """What only the whole question shows when its core clause is read: the order of or the
        time between events ("Which came first: X or Y?" read as "X or Y?"), a city put in the
        agreement's place in the frame ("Signed with <another city> – which areas?"); or None."""
        q = self._read(whole, ranking.lang)
        for handler in (self._difference, self._put_in_order, self._order, self._place_premise):
            found = handler(q, lang, ranking)
            if found is not None:
                return self._computed(question, lang, found)
        return None

    def foreign(self, clean: str, lang: str) -> bool:
        """True for a question about a company the release never names and nothing the release
        does name: no party, person or deed, and no yes/no to correct ("When does Globex launch its
        next phone?")."""
        q = self._read(clean, lang)
        if not q.absent_orgs or q.people or q.deed is not None or q.yesno or q.orgs:
            return False
        return not any(p.role == "party" for p in q.places)
