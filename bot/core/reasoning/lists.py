"""Lists: whether an item belongs to a list (and to which), the rest of a list after the items a
question names.
"""

from __future__ import annotations

import re

from bot.core import moves
from bot.core.lang import normalise
from bot.core.ranking import Ranking
from bot.core.reasoning.asked import Found, _Asked, negated_claim, only_claimed
from bot.core.reasoning.named import _Named
from bot.core.reasoning_texts import T, count_word
from bot.knowledge.model import Fact, FactList

# Asking for the rest of a list: "anything else", "was noch", "还有什么".
_ELSE = re.compile(
    r"\b(anything else|what else|(which|what) others?|any others|and others|and more|sonst noch|was noch|"
    r"welche (weiteren|anderen|noch)|noch (andere|weitere))\b|还有什么|还有哪些|还有别的|其他还有|等等还有"
)
# Items set aside: "besides X", "außer X", "除了X".
_BESIDES = re.compile(
    r"\b(apart from|besides|except(?: for)?|other than|aside from|ausser|abgesehen von|neben)\b|"
    r"除了|除.{1,12}(?:外|以外|之外)"
)
_MEMBER = re.compile(
    r"\b(part of|among|one of|about|included?|includes|cover\w*|teil|gehort|gehoren|zahlt|umfasst|beinhaltet|"
    r"auch dabei|mit dabei|darunter)\b|之一|包括|包含|涵盖|属于|涉及|主要是|重点是"
)
# A question after some of a list's items: "which metro and data-centre projects?", "哪些地铁和数据中心".
# "How many projects?", "Wie viele Bereiche?", "几个项目", "多少个领域".
# (Not "哪几个" "which ones", nor "举几个" "name a few".)
_HOW_MANY = re.compile(r"\b(how many|wie ?viele?)\b|(?<![哪举列说])(?:几个|几项|几大)|多少个|多少项")
_WHICH = re.compile(r"\b(which|what|welche\w*|was fur)\b|哪些|哪几|什么")
# The order of naming, said: "the third area named", "zuerst genannt", "列出的第一个".
_LISTED = re.compile(
    r"\b(named|listed|mentioned|cited|in the list|in the order|genannt|aufgezahlt|aufgefuhrt|erwahnt|"
    r"in der liste|reihenfolge)\b|列出|提到|提及|所列|列举|顺序"
)
# What a term means or refers to ("What does X refer to?", "X ist was genau?", "X是什么意思？").
_MEANING = re.compile(
    r"\b(mean|means|meant|meaning|refer|refers|stand for|stands for|what is|what are|what s|"
    r"bedeutet|bedeuten|heisst|gemeint|ist was|was ist|was sind|was genau)\b|什么意思|是什么|指什么|指的是"
)
# "X is part of Y": the member comes first ("includes" puts it after, and is not matched here).
_PART_OF = re.compile(r"\b(part of|one of|among|teil (der|des|von)|gehort zu|gehoren zu|zahlt zu)\b|属于")


# The points of the compass, each with its words in the three languages (normalised): an item
# named with one of them is not the item the release names with the opposite one ("a hub in the
# east" is not its "hub in the west").
_COMPASS = {
    "east": re.compile(r"\b(east|eastern|ost|osten|ostlich\w*|ostchin\w*)\b|东部|华东|东方"),
    "west": re.compile(r"\b(west|western|westen|westlich\w*|westchin\w*)\b|西部|华西|西方"),
    "north": re.compile(r"\b(north|northern|nord|norden|nordlich\w*|nordchin\w*)\b|北部|华北|北方"),
    "south": re.compile(r"\b(south|southern|sud|suden|sudlich\w*|sudchin\w*)\b|南部|华南|南方"),
}
_OPPOSITE = {"east": "west", "west": "east", "north": "south", "south": "north"}


def _compass(text: str) -> frozenset[str]:
    return frozenset(point for point, words in _COMPASS.items() if words.search(text))


# A known unknown ranked first and this likely: the question is about what it says is not given.
_UNKNOWN_LIKELY = 0.8


class _Lists(_Named):
    """Checks of a list's items: membership and the rest of the list."""

    def _member(self, q: _Asked, lang: str, ranking: Ranking) -> Found | None:
        """ "Is <area> part of it?": yes with the item, or no with the whole list (not of a claim that
        denies it, "Isn't it true that it does not cover X?": its yes and no would read reversed)."""
        if not q.yesno or q.people or self._container(q) or negated_claim(q.text, q.han):
            return None
        best = ranking.best
        fact_list = self._list_by_word(q)
        if fact_list is not None:
            owners = [f for f in self.facts.lists if f.of and self._first(f.of, q.text, q.han) >= 0]
            if owners and not fact_list.of:
                # "Does the agreement list specific data-centre projects?": the projects are the
                # company's own, no list the agreement's; no yes from them.
                return None
            items = self._named(fact_list.items, q.text, q.han)
            member = bool(_MEMBER.search(q.joined))
            return self._member_reply(
                fact_list, items, member, True, lang, _compass(q.joined), only_claimed(q.joined)
            )
        about = self.facts.list_of(best.intent if best is not None else None)
        if about is not None:
            items = self._named(about.items, q.text, q.han)
            found = self._member_reply(
                about, items, False, False, lang, _compass(q.joined), only_claimed(q.joined)
            )
            if found is not None:
                return found
        # The best answer is the list itself but the question names none of its items ("Does the
        # agreement cover <something>?"): checked against the agreement's lists like any other.
        return self._member_of(q, lang, ranking)

    def _rest_of_list(self, q: _Asked, lang: str, _r: Ranking) -> Found | None:
        """ "Metro, data centres, anything else?": two items of one list named and the rest asked
        for; the answer of the whole list, not of the item the wording leans to. "(They build
        the airport -) which other projects?": the list named by its own word, none of its items
        named; the whole list is all the release names."""
        if q.yesno or q.people or not _ELSE.search(q.joined):
            return None
        for fact_list in self.facts.lists:
            if fact_list.intent is None or len(self._named(fact_list.items, q.text, q.han)) < 2:
                continue
            found = self._intent_answer(fact_list.intent, lang)
            if found is not None:
                return found[0], "answered", fact_list.intent, found[1]
        if self._item_named(q):
            return None
        whole = self._list_by_word(q)
        if whole is None or whole.intent is None:
            return None
        found = self._intent_answer(whole.intent, lang)
        return None if found is None else (found[0], "answered", whole.intent, found[1])

    def _rest_besides(self, q: _Asked, lang: str, ranking: Ranking) -> Found | None:
        """ "Which areas besides industrial digitalization?", "An welchen Projekten außer den
        U-Bahnlinien?", "除了地铁，还有哪些项目？": the other items of the one list that names the
        items set aside (by its own word, or as the list of the best answer)."""
        if q.yesno or q.people or not _BESIDES.search(q.joined):
            return None
        best = ranking.best
        # The list named by its own word, else any.
        own = self._list_by_word(q)
        for fact_list in [own] if own is not None else self.facts.lists:
            items = self._named(fact_list.items, q.text, q.han)
            if not items or len(items) >= len(fact_list.items):
                continue
            by_word = own is not None
            listed = self.facts.list_of(best.intent if best is not None else None) is fact_list
            if not (by_word or listed or _ELSE.search(q.joined)):
                continue
            head = fact_list.name[lang]
            text = T[lang]["rest_besides"].format(
                list=head[0].upper() + head[1:],
                item=self._join([i.name[lang] for i in items], lang),
                rest=self._join([i.name[lang] for i in fact_list.items if i not in items], lang),
            )
            return text, "answered", fact_list.intent, fact_list.source
        return None

    def _items_asked(self, q: _Asked, lang: str, ranking: Ranking) -> Found | None:
        """ "Which metro and data-centre projects?": two or more items of one list asked about
        together, where the best fact speaks of only some of them; the answer of the whole list."""
        if q.yesno or q.people or not _WHICH.search(q.joined):
            return None
        best = ranking.best
        top = self.kb.get(best.intent) if best is not None else None
        for fact_list in self.facts.lists:
            items = self._named(fact_list.items, q.text, q.han)
            if fact_list.intent is None or len(items) < 2 or fact_list.intent == (top.id if top else None):
                continue
            said = normalise(top.answer[lang]) if top is not None and top.kind == "fact" else ""
            if said and all(self._first(i.cues, said, said.replace(" ", "")) >= 0 for i in items):
                return None  # the best fact speaks of every item asked about
            found = self._intent_answer(fact_list.intent, lang)
            if found is not None:
                return found[0], "answered", fact_list.intent, found[1]
        return None

    def _list_count(self, q: _Asked, lang: str, _r: Ranking) -> Found | None:
        """ "How many projects does the release name?", "Wie viele Projekte?", "新闻稿提到了几个项目？":
        the items of the one list the question names by its own word, counted."""
        # (The release as the source: "how many does the release name?")
        events = [e for e in q.events if e is not self._by_date[-1]]
        if not _HOW_MANY.search(q.joined) or q.people or q.years or q.yesno or events:
            return None
        named = self._named(self.facts.lists, q.text, q.han)
        if len(named) != 1 or any(self._named(f.items, q.text, q.han) for f in self.facts.lists):
            return None  # ("How many metro lines?": an item's own number, which no list gives)
        fact_list = named[0]
        n = count_word(len(fact_list.items), lang)
        own = self._intent_answer(fact_list.intent, lang) if fact_list.intent else None
        if own is not None and n in own[0]:
            return own[0], "answered", fact_list.intent, own[1]  # its fact counts them itself
        name = fact_list.name[lang]
        text = T[lang]["list_count"].format(
            list=name[0].upper() + name[1:],
            n=n,
            items=self._join([i.name[lang] for i in fact_list.items], lang),
        )
        return text, "answered", fact_list.intent, fact_list.source

    def _item_position(self, q: _Asked, lang: str, _r: Ranking) -> Found | None:
        """ "What is the third area of cooperation?", "Welcher Geschäftsbereich wird zuerst
        genannt?", "第一个合作领域是什么？": the item at that place of the list the question names
        by its own word (the first named, where it names two); not about a person or a date."""
        at = moves.position(q.joined)
        if at is None or q.people or q.years or q.yesno or q.events:
            return None
        named = self._named(self.facts.lists, q.text, q.han)
        if not named or (named[0].timed and not _LISTED.search(q.joined)):
            return None  # ("What was the first project?": the earliest, which no fact gives)
        return self._item_at(named[0], at, lang)

    def _item_at(self, fact_list: FactList, at: int, lang: str) -> Found | None:
        items = fact_list.items
        if not -len(items) <= at < len(items):
            return None
        n = len(items) if at == -1 else at + 1
        place = T[lang]["last_place"] if at == -1 else T[lang]["nth_place"].format(n=n)
        name = fact_list.name[lang]
        text = T[lang]["item_at"].format(
            list=name[0].upper() + name[1:], place=place, item=items[at].name[lang]
        )
        every = self._join([i.name[lang] for i in items], lang)
        text += ("" if lang == "zh" else " ") + T[lang]["all_items"].format(items=every)
        return text, "answered", fact_list.intent, fact_list.source

    def _item_of_another_list(self, q: _Asked, lang: str, ranking: Ranking) -> Found | None:
        """ "What does 'Digital Industries' refer to?": an item named by a longer cue than any other
        list's item it shares a word with (a business of the company, not the agreement's area of
        the same word): that list's fact, when the best fact is another list's; else None."""
        if q.yesno or q.people or not _MEANING.search(q.joined):
            return None
        longest: dict[str, int] = {}
        for fact_list in self.facts.lists:
            for item in fact_list.items:
                for cue in item.cues:
                    if self._at(cue, q.text, q.han) >= 0:
                        longest[fact_list.id] = max(longest.get(fact_list.id, 0), len(cue.replace(" ", "")))
        if len(longest) < 2:
            return None
        ranked = sorted(longest.items(), key=lambda kv: -kv[1])
        (winner, size), (_, runner_up) = ranked[0], ranked[1]
        chosen = next(f for f in self.facts.lists if f.id == winner)
        best = ranking.best
        if size <= runner_up or chosen.intent is None or best is None or best.intent == chosen.intent:
            return None
        linked = {
            i
            for f in self.facts.lists
            if f.id != winner and f.intent is not None and (fact := self.kb.get(f.intent)) is not None
            for i in (f.intent, *fact.related)
        }
        own = self.kb.get(chosen.intent)
        if own is not None and best.intent in own.related:
            return None  # the item's own fact ("the metro lines" of the projects)
        belongs = best.intent in linked  # the best is another list's fact, or one it links to
        found = self._intent_answer(chosen.intent, lang) if belongs else None
        return None if found is None else (found[0], "answered", chosen.intent, found[1])

    def _container(self, q: _Asked) -> bool:
        """True when the list item a question names comes after "part of" ("Is hydrogen part of the
        green area?"): the item holds the thing asked about, which no list names."""
        joined = q.text + " " + q.han
        found = _PART_OF.search(joined)
        if found is None:
            return False
        return any(
            self._first(item.cues, joined[found.end() :], joined[found.end() :].replace(" ", "")) >= 0
            for fact_list in self.facts.lists
            for item in fact_list.items
        )

    def _member_of(self, q: _Asked, lang: str, ranking: Ranking) -> Found | None:
        """ "Is water treatment part of the agreement?": checked against every list of the agreement
        (its areas and its goals); only a question that names nothing else the facts know. No "No"
        for an item of another list ("does it cover metro lines?", where they are the company's
        projects) or for what a known unknown is about ("does it include an investment sum?")."""
        owned = [f for f in self.facts.lists if f.of and self._first(f.of, q.text, q.han) >= 0]
        if not owned or not _MEMBER.search(q.joined) or q.orgs or q.places:
            return None
        part = _PART_OF.search(q.text)
        if part is not None and self._named(self.facts.events, q.text[: part.start()], q.han[: part.start()]):
            # "Does this signing count as a strategic cooperation?": the agreement itself is what
            # is asked about, not something that may be one of its items.
            return None
        for fact_list in owned:
            items = self._named(fact_list.items, q.text, q.han)
            if items:
                return self._member_reply(
                    fact_list, items, True, True, lang, _compass(q.joined), only_claimed(q.joined)
                )
        if self._item_named(q):
            return None
        best = ranking.best
        if best is not None and self._is_unknown(best.intent) and best.probability >= _UNKNOWN_LIKELY:
            return None
        first, *others = owned
        found = self._member_reply(first, (), True, True, lang)
        if found is None:
            return None
        text = ("" if lang == "zh" else " ").join([found[0], *(self._list_line(f, lang) for f in others)])
        sources = tuple(dict.fromkeys(s for f in owned for s in f.source))
        return text, "answered", owned[0].intent, sources

    def _is_unknown(self, intent_id: str) -> bool:
        """True for a known unknown of the fact base (what the release does not give)."""
        intent = self.kb.get(intent_id)
        return intent is not None and intent.kind == "unknown"

    def _list_line(self, fact_list: FactList, lang: str) -> str:
        """ "The goals of the cooperation: a, b and c." as one sentence."""
        head = fact_list.name[lang]
        items = self._join([i.name[lang] for i in fact_list.items], lang)
        if lang == "zh":
            return f"{head}：{items}。"
        return f"{head[0].upper() + head[1:]}: {items}."

    def _member_reply(
        self,
        fact_list: FactList,
        items: tuple[Fact, ...],
        member: bool,
        named_list: bool,
        lang: str,
        asked_points: frozenset[str] = frozenset(),
        only: bool = False,
    ) -> Found | None:
        """Yes with the item the question names, no with the whole list; `asked_points`: the points
        of the compass the question names; `only`: the items named are claimed to be all of it."""
        head = fact_list.name[lang]
        head = head[0].upper() + head[1:]
        every = self._join([i.name[lang] for i in fact_list.items], lang)
        if items and only and len(items) < len(fact_list.items):
            # "协议只涉及工业数字化一个领域，对吧？": not only that one.
            named = self._join([i.name[lang] for i in items], lang)
            text = T[lang]["member_only"].format(item=named, list=head, items=every)
            return text, "answered", fact_list.intent, fact_list.source
        if items and asked_points:
            # "Is a hub in the east one of the goals?" of a hub in the west: the item the release names
            # with the opposite point is a "No", with the item as it is named.
            given = _compass(" ".join(normalise(n) for n in items[0].name.values()))
            if not asked_points & given and any(_OPPOSITE[p] in given for p in asked_points):
                text = T[lang]["member_other"].format(item=items[0].name[lang], list=head, items=every)
                return text, "answered", fact_list.intent, fact_list.source
        if items:
            text = T[lang]["member_yes"].format(item=items[0].name[lang], list=head, items=every)
        elif member and named_list:
            text = T[lang]["member_no"].format(list=head, items=every)
        else:
            return None
        return text, "answered", fact_list.intent, fact_list.source
