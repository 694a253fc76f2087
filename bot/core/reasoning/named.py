"""The question read against the facts: the base of every kind of check (the fact base's cues
compiled once, `_read` kept for the last few questions, the events, people and places named) and
the small helpers the checks share (dates, joined names, the doers of a deed).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

from bot.core.lang import normalise
from bot.core.reasoning.asked import (
    _F,
    HAN_TITLES,
    _Asked,
    _compiled,
    _Cues,
    _deed_asked,
    _yesno,
    roles_in,
    title_word,
)
from bot.core.reasoning.detail import Vocabulary
from bot.core.reasoning_texts import DEED_TEXT, MONTHS, T
from bot.knowledge.model import Deed, Event, Fact, FactList, KnowledgeBase, Person

_LINKING_HAN = re.compile(r"(?:已经|早已|已|正式|就|也|都|被)*")
_LINKING = frozenset(
    """already become became becoming becomes been being was were had has is a an the its into
    turning turned officially formally schon bereits wurde war ist offiziell zur zum zu einer einem
    werden that which das welches""".split()
)
# A relative pronoun links an event to its subject only with a word of change beside it ("the office
# that became a branch", "das Büro, das zur Niederlassung wurde"; not "the branch that the office
# became", whose subject comes second).
_RELATIVE = frozenset("that which das welches".split())
_CHANGE = frozenset("become became becoming becomes turning turned into wurde zur zum werden".split())
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_MONTH_WORDS = {
    "jan": 1,
    "januar": 1,
    "janner": 1,  # Austrian
    "january": 1,
    "feb": 2,
    "februar": 2,
    "feber": 2,  # Austrian
    "february": 2,
    "marz": 3,
    "march": 3,
    "april": 4,
    "apr": 4,
    "mai": 5,
    "may": 5,
    "juni": 6,
    "june": 6,
    "jun": 6,
    "juli": 7,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "dezember": 12,
    "december": 12,
    "dec": 12,
}
_MONTH_ALT = "|".join(sorted(_MONTH_WORDS, key=len, reverse=True))
_MONTH_RE = re.compile(rf"\b({_MONTH_ALT})\b")
# A source that says something ("the release says", "新闻稿指"), right after its name; or named
# after "according to" just before it.
_SAYS = re.compile(
    r"\w*\s+(says|said|states|stated|claims|claimed|reports|reported|mentions|mentioned|writes|wrote|"
    r"sagt|sagte|schreibt|schrieb|berichtet\w*|behauptet\w*|meldet\w*|erwahnt\w*)\b"
)
_SAYS_HAN = re.compile(r"(?:中|里|裡)?(?:指|称|稱|说|說|提到|表示|写道|寫道|写|寫|报道|報導|声称|聲稱)")
_SOURCE_BEFORE = re.compile(r"\b(according to|as per|per|laut|gemass|zufolge)\s+(the\s+|der\s+|dem\s+)?$")
_HAN_MONTH = re.compile(
    r"(?<![\d一二三四五六七八九十几個个])(\d{1,2}|十[一二]?|[一二三四五六七八九])月(?!份?[内底])"
)
_HAN_DIGITS = {
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
    "十一": 11,
    "十二": 12,
}


class _Named:
    """The fact base read for the checks: what a question names, and the helpers the checks share."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.facts = kb.facts
        self._years = frozenset(e.year for e in kb.facts.events)
        # The events in the order they happened (the last is the release's own, if dated last).
        self._by_date = kb.facts.by_date
        # Places wider than the party's are no place a question puts the agreement in: read apart.
        self._places = tuple(p for p in kb.facts.places if p.role != "wider")
        self._wider = tuple(p for p in kb.facts.places if p.role == "wider")
        # The words of the events (bot.core.reasoning.detail): their texts, their intents' answers
        # and questions; the words one event is asked with frame a date question about any other.
        self._vocabulary = Vocabulary(t for e in kb.facts.events for t in self._texts_of(e))
        # Every fact's cues compiled once, when the knowledge loads, not per question: the facts,
        # the list items, what each list belongs to, and single cues (a list's, an enclosing name).
        facts = kb.facts
        items = tuple(i for f in facts.lists for i in f.items)
        every: tuple[Fact, ...] = (
            *facts.events,
            *facts.organisations,
            *facts.absent_organisations,
            *facts.people,
            *facts.places,
        )
        groups = [f.cues for f in (*every, *facts.lists, *items)] + [f.of for f in facts.lists if f.of]
        self._cues = {cues: _Cues.of(cues) for cues in groups}
        singles = [c for f in facts.lists for c in f.cues] + [c for p in facts.places for c in p.inside]
        singles += [c for p in facts.places for c in p.cues]
        self._cues.update({(cue,): _Cues.of((cue,)) for cue in singles})
        # What the release says of each person (names and profile, every language), normalised
        # once: the titles a person holds are read from it.
        self._person_texts = {p.id: self._said_fresh(p) for p in facts.people}
        # One question's text is read by several checks in turn (the premise, the foreign company,
        # the reply): the last few readings are kept (each a frozen record of this fact base's).
        self._read: Callable[[str, str], _Asked] = lru_cache(maxsize=32)(self._read_fresh)

    def _said_fresh(self, person: Person) -> str:
        profile = self.kb.get(person.intent) if person.intent else None
        texts = [*person.name.values(), *(profile.answer.values() if profile is not None else ())]
        return normalise(" ".join(texts))

    def _said_of(self, person: Person) -> str:
        """What the release says of a person: names and profile, normalised."""
        return self._person_texts[person.id]

    def _texts_of(self, event: Event) -> list[str]:
        """Every text the fact base says or asks `event` with, in every language."""
        texts = [*event.name.values(), *event.says.values(), *event.cues]
        intent = self.kb.get(event.intent) if event.intent else None
        if intent is not None:
            texts += [*intent.answer.values(), *(t for qs in intent.questions.values() for t in qs)]
        return texts

    def _without_absent(self, text: str) -> str:
        """A normalised text less the names of companies the release never names (one that holds
        a party's name, "Acme Health", names no party)."""
        return self._without(self.facts.absent_organisations, text)

    def places_named(self, clean: str, lang: str) -> frozenset[str]:
        """The ids of the places (not the wider regions) a text names."""
        return frozenset(p.id for p in self._read(clean, lang).places)

    def without_names(self, text: str) -> str:
        """A normalised text less every person, organisation, place and event the facts name."""
        facts = self.facts
        return self._without((*facts.people, *facts.organisations, *facts.places, *facts.events), text)

    def _without(self, facts: Sequence[Fact], text: str) -> str:
        for fact in facts:
            text = self._pattern(fact.cues).removed_from(text)  # (the whole word a cue begins)
        return text

    def _read_fresh(self, clean: str, lang: str) -> _Asked:
        text = normalise(clean)
        han = text.replace(" ", "")
        facts = self.facts
        month_no = None
        found = _MONTH_RE.search(text) or _HAN_MONTH.search(han)
        if found is not None:
            word = found.group(1)
            month_no = int(word) if word.isdigit() else _HAN_DIGITS.get(word) or _MONTH_WORDS[word]
        return _Asked(
            text=text,
            han=han,
            joined=f"{text} {han}",
            events=self._outer(self._not_sources(self._named(facts.events, text, han), text, han), text, han),
            # (An office named with 的 between the company and the title is its holder too:
            # "<公司>的首席执行官".)
            people=self._people(text, han.replace("的", "")),
            orgs=self._named(facts.organisations, self._without_absent(text), self._without_absent(han)),
            absent_orgs=self._named(facts.absent_organisations, text, han),
            places=self._named(self._places, text, han),
            # (Not from `han`: "1995, 1996" runs together there.)
            years=tuple(int(y) for y in dict.fromkeys(_YEAR.findall(text))),
            month=found is not None,
            month_no=month_no,
            yesno=_yesno(text, han, lang),
            deed=_deed_asked(text, han),
        )

    # -- helpers ----------------------------------------------------------------------------

    def _first(self, cues: tuple[str, ...], text: str, han: str) -> int:
        """Where the first of `cues` stands in the question, or -1."""
        return self._pattern(cues).first(text, han)

    def _at(self, cue: str, text: str, han: str) -> int:
        """Where one cue stands in the question, or -1."""
        return self._first((cue,), text, han)

    def _pattern(self, cues: tuple[str, ...]) -> _Cues:
        """`cues` compiled: at load for the fact base's own, else once each (a caller's)."""
        return self._cues.get(cues) or _compiled(cues)

    def _item_named(self, q: _Asked) -> bool:
        """True when a question names an item of any list ("talent training", "the metro")."""
        return any(self._named(f.items, q.text, q.han) for f in self.facts.lists)

    def _list_named(self, q: _Asked) -> bool:
        """True when a question names a list by its own word ("the areas") or one of its items."""
        return self._item_named(q) or any(self._first(f.cues, q.text, q.han) >= 0 for f in self.facts.lists)

    def _list_by_word(self, q: _Asked) -> FactList | None:
        """The list a question names by its own word, by its longest ("business area" before
        "area"), or None."""
        named = []
        for fact_list in self.facts.lists:
            spots = [len(c) for c in fact_list.cues if self._at(c, q.text, q.han) >= 0]
            if spots:
                named.append((max(spots), fact_list))
        return max(named, key=lambda n: n[0])[1] if named else None

    def _latin_spans(self, person: Person, text: str) -> tuple[int, int] | None:
        """Where a person's first Latin name or title stands in a normalised text (its whole word)."""
        cues = self._pattern(person.cues)
        found = cues.latin.search(text) if cues.latin is not None else None
        if found is None:
            return None
        end = found.end()
        while end < len(text) and text[end].isalnum():
            end += 1  # the rest of the word a cue begins
        return found.start(), end

    def _han_spans(self, person: Person, han: str) -> tuple[int, int] | None:
        """Where a person's first-placed Han name stands in a text without spaces."""
        spots = [(at, at + len(c)) for c in self._pattern(person.cues).han if (at := han.find(c)) >= 0]
        return min(spots) if spots else None

    def _titled(self, q: _Asked, person: Person) -> frozenset[tuple[str, bool]]:
        """The titles a question puts right before or after a person's name, as a title is put
        with a name ("Mayor X", "Bürgermeister X", "X市长", "市长X")."""
        found: set[tuple[str, bool]] = set()
        latin = self._latin_spans(person, q.text)
        if latin is not None:
            words = q.text[: latin[0]].split()[-2:]
            if words and title_word(words[-1]):
                found |= roles_in(" ".join(words))
            # ... or after it ("X, the mayor of the city, signed"; not "X, the mayor's adviser").
            after = q.text[latin[1] :].split()[:4]
            if after[:1] not in (["the"], ["der"], ["die"]):
                after = []  # (an object is no title of his: "Berät X den Bürgermeister?")
            after = after[1:]
            deputy = after[:1] in (["vice"], ["deputy"])
            title = after[1:2] if deputy else after[:1]
            following = after[2:3] if deputy else after[1:2]
            if title and title_word(title[0]) and following != ["s"]:
                # (Two words of it: "secretary general" is no secretary's title.)
                found |= roles_in(" ".join(after[:3] if deputy else after[:2]))
        han = self._han_spans(person, q.han)
        if han is not None:
            ahead, behind = q.han[max(0, han[0] - 4) : han[0]], q.han[han[1] : han[1] + 4]
            for word in HAN_TITLES:
                if ahead.endswith(word) or behind.startswith(word):
                    deputy = ahead.endswith("副" + word) or behind.startswith("副" + word)
                    found |= roles_in(("副" if deputy else "") + word)
        return frozenset(found)

    def _named(self, facts: Sequence[_F], text: str, han: str) -> tuple[_F, ...]:
        """The facts the question names, in the order it names them."""
        spots = [(p, f) for f in facts if (p := self._first(f.cues, text, han)) >= 0]
        return tuple(f for _, f in sorted(spots, key=lambda s: s[0]))

    def _people(self, text: str, han: str) -> tuple[Person, ...]:
        """The people the question names; one named only by an office ("the CEO of the group")
        beside one named by name is the office asked about ("Is X the CEO of Y?"), not a second
        person."""
        named = self._named(self.facts.people, text, han)
        if len(named) < 2:
            return named
        by_name = tuple(
            p for p in named if any(not roles_in(c) and self._at(c, text, han) >= 0 for c in p.cues)
        )
        return by_name or named

    def _not_sources(self, events: tuple[Event, ...], text: str, han: str) -> tuple[Event, ...]:
        """The events named, less one named only as the source of a claim ("the press release says
        X happened in <year>", "新闻稿指……"): it says, it is not what is asked about; only
        when another event is named."""
        if len(events) < 2:
            return events
        kept = []
        for event in events:
            cues = self._pattern(event.cues)
            spots = [(m.start(), m.end()) for m in cues.latin.finditer(text)] if cues.latin else []
            sourced = bool(spots) and all(
                _SAYS.match(text[end:]) or _SOURCE_BEFORE.search(text[:start]) for start, end in spots
            )
            spots_han = [(m.start(), m.end()) for cue in cues.han for m in re.finditer(re.escape(cue), han)]
            sourced_han = bool(spots_han) and all(
                _SAYS_HAN.match(han[end:]) or han[max(0, start - 1) : start] == "据"
                for start, end in spots_han
            )
            if (sourced or not spots) and (sourced_han or not spots_han):
                continue
            kept.append(event)
        return tuple(kept) if kept else events

    def _outer(self, events: tuple[Event, ...], text: str, han: str) -> tuple[Event, ...]:
        """The events named, less one named only inside another's longer cue ("the office's upgrade
        to a branch" names the branch, not the office as well)."""
        if len(events) < 3:
            return events
        spans: dict[str, list[tuple[str, int, int]]] = {}
        for event in events:
            cues = self._pattern(event.cues)
            found = [("latin", m.start(), m.end()) for m in cues.latin.finditer(text)] if cues.latin else []
            for cue in cues.han:
                found += [("han", m.start(), m.end()) for m in re.finditer(re.escape(cue), han)]
            spans[event.id] = found

        def inside(a: tuple[str, int, int], b: tuple[str, int, int]) -> bool:
            return a[0] == b[0] and b[1] <= a[1] and a[2] <= b[2] and b[2] - b[1] > a[2] - a[1]

        def subject(a: tuple[str, int, int], b: tuple[str, int, int]) -> bool:
            # "办事处已经升格", "the office already became a branch": named as what the other
            # event changed (only linking words between them).
            if a[0] != b[0] or b[1] < a[2]:
                return False
            if a[0] == "han":
                return _LINKING_HAN.fullmatch(han[a[2] : b[1]]) is not None
            gap = text[a[2] : b[1]]
            words = gap.split()[0 if gap[:1].isspace() else 1 :]  # less the rest of a's word
            if _RELATIVE & set(words) and not _CHANGE & set(words):
                return False
            return all(w in _LINKING for w in words)

        kept = tuple(
            e
            for e in events
            if not all(
                any(inside(a, b) or subject(a, b) for o in events if o.id != e.id for b in spans[o.id])
                for a in spans[e.id]
            )
        )
        return kept if len(kept) >= 2 else events

    def _date(self, event: Event, lang: str) -> str:
        if event.month is None or event.day is None:
            return f"{event.year}年" if lang == "zh" else str(event.year)
        if lang == "zh":
            return f"{event.year}年{event.month}月{event.day}日"
        month = MONTHS[lang][event.month - 1]
        return f"{event.day}. {month} {event.year}" if lang == "de" else f"{event.day} {month} {event.year}"

    def _when(self, event: Event, lang: str) -> str:
        key = "on" if event.day is not None else "in"
        return T[lang][key].format(date=self._date(event, lang))

    def _intent_answer(self, intent_id: str | None, lang: str) -> tuple[str, tuple[str, ...]] | None:
        intent = self.kb.get(intent_id) if intent_id else None
        if intent is None or intent.kind != "fact":
            return None
        return intent.answer[lang], intent.source

    def _join(self, names: Sequence[str], lang: str) -> str:
        if lang == "zh":
            return "、".join(names)
        if len(names) < 3:
            return f" {T[lang]['and']} ".join(names)
        return ", ".join(names[:-1]) + f" {T[lang]['and']} " + names[-1]

    def _doers(self, deed: Deed, lang: str) -> tuple[str, tuple[str, ...]]:
        people = list(self.facts.doers(deed))
        head = DEED_TEXT[lang][deed][2]
        sep = "" if lang == "zh" else " "
        text = f"{head}{sep}{self._join([p.name[lang] for p in people], lang)}" + (
            "。" if lang == "zh" else "."
        )
        return text, tuple(s for p in people for s in p.source)
