"""Time: dates and days asked, the years or days between two events, which came first, whether
one was already done, the weekday, a day asked where only the year is known, and tenures.
"""

from __future__ import annotations

import datetime
import re

from bot.core import moves
from bot.core.question import NEVER_GIVEN, asked, asks_other_orgs, asks_other_places
from bot.core.ranking import Ranking
from bot.core.reasoning.asked import CONFIRM_TAG, Found, _Asked, negated_claim
from bot.core.reasoning.named import _MONTH_ALT, _Named
from bot.core.reasoning_texts import WEEKDAYS, T
from bot.core.texts import ASPECTS, UI
from bot.knowledge.model import Event

# "How long ago": counted up to the release's own present, not to today, which no fact gives
# (German "her": see moves.counts_back_de).
_AGO = re.compile(r"\bago\b|以前|前$")
# ... asked for as an amount: "how long ago", "wie lange ist das her", "多久以前", "几年前" (not a
# bare "以前": "before").
# "How many years has X been ...?", "Seit wie vielen Jahren ist X ...?", "X多少年了？": the years from
# an event up to the release's present, as "how long ago" counts them.
_SO_FAR = re.compile(
    r"\bhow (?:many years|long) (?:has|have)\b|\bseit wie ?viele?n? jahren\b|"
    r"\bwie ?viele?n? jahre? (?:ist|sind|war|hat|haben)\b.{0,60}\b(?:schon|bereits)\b|多少年了|几年了"
)
_AGO_ASKED = re.compile(r"\bago\b|(?:多久|多长时间|多少年|几年|多少天|几天)(?:以前|之前|前)")


def ago(joined: str) -> bool:
    """True when a question speaks of a time before now (a difference of two events it is not)."""
    return bool(_AGO.search(joined)) or moves.counts_back_de(joined)


def ago_asked(joined: str) -> bool:
    """True when a question asks how long ago something was."""
    return bool(_AGO_ASKED.search(joined)) or moves.counts_back_de(joined)


_EITHER = re.compile(r"\b(or|oder)\b|还是")
_DIFF = re.compile(
    r"\bhow (many|much) (years?|time|days?)\b|\bhow long\b|\byears? (passed|between|elapsed|later|apart)\b|"
    r"\bwie ?viele?n? (jahren?|tagen?|zeit)\b|\bwie lange?\b|\bjahre? (lagen|liegen|vergingen|dazwischen)\b|"
    r"多少年|几年|多久|多长时间|相隔|相差|间隔|多少天|几天|"
    # "How old was the branch when the deal was signed?": the age of a thing between two events.
    r"\bhow old\b|\bwie alt\b"
)
# A weekday near the event, not its own: "the Friday after the signing", "am Freitag nach ...".
_AROUND = re.compile(r"\b(?:after|before|following|nach|vor|danach|davor)\b|之后|以后|之前|以前")
_WEEKDAY = re.compile(
    r"\b(weekday|day of the week|wochentag|welche[nm]? wochentag)\b|\bwhat day was it\b|"
    r"星期几|周几|礼拜几|星期幾|週幾|禮拜幾"
)
# "Was it signed on a weekend?", "an einem Sonntag?": a yes/no of the weekday (Monday is 0).
_WEEKEND = re.compile(r"\b(weekend|wochenende)\b|周末|週末")
_NAMED_DAYS = {
    **{
        d: i
        for i, d in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))
    },
    **{
        d: i
        for i, d in enumerate(
            ("montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag")
        )
    },
    **{f"星期{d}": i for i, d in enumerate("一二三四五六日")},
    "星期天": 6,
}
_NAMED_DAY = re.compile(
    r"\b(" + "|".join(d for d in _NAMED_DAYS if d.isascii()) + r")\b|星期[一二三四五六日天]"
)
# A span or validity ("valid until 2030?") is no check of the event's date.
_SPAN = re.compile(
    r"\b(until|till|through|valid\w*|expir\w*|runs?|lasts?|bis|gultig\w*|lauft|laufzeit|dauer\w*)\b|"
    r"到期|有效|截止|为期|持续"
)
# "It has been running since 2005": a start date to check, not a span.
_SINCE_YEAR = re.compile(r"\b(since|seit)\s+((early|late|fruh|anfang|ende)\s+)?(19|20)\d\d\b|自(19|20)\d\d")
_DAYS = re.compile(r"\bhow many days\b|\bwie ?viele tage\b|多少天|几天")
_FIRST = re.compile(
    r"\b(which|what) (came|happened|was|one came|event came) (first|earlier)\b|\bcame first\b|"
    r"\bhappened first\b|\bwhich (was )?earlier\b|\bwas (war|kam|geschah|passierte) (zuerst|fruher|eher)\b|"
    r"\b(kam|kamen|war|waren|geschah) (zuerst|fruher|als erstes)\b|\b(which|what) is older\b|\bolder\b|"
    r"\balter\b|\balteste\w*\b|哪个先|哪个在前|哪个在先|谁在先|孰先|哪个更早|哪个早|谁先|先后|先有.{1,12}还是|还是先|"
    # "是先……还是/抑或/定系（先）……" (Cantonese and written registers); not 先生 (Mr).
    r"(抑或|定系|或是)先|[是系]先(?!生).{1,16}(还是|抑或|定系|或是)"
)
# "The earliest event the release names", "das früheste Ereignis", "最早的一件事": the first of
# the dated events; "the last milestone before X": the latest of those before X.
_EARLIEST = re.compile(
    r"\b(earliest|oldest|first)\b.{0,20}\b(events?|milestones?|dates?|happenings?|steps?)\b|"
    r"\b(fruheste\w*|alteste\w*|erste[snmr]?)\b.{0,20}\b(ereignis\w*|meilenstein\w*|datum|daten|schritt\w*)\b|"
    r"(最早|最先)的?.{0,4}(事件|一件事|里程碑|大事|一步)"
)
_LATEST = re.compile(
    r"\b(latest|last|most recent)\b.{0,20}\b(events?|milestones?|happenings?|steps?)\b|"
    r"\b(letzte\w*|jungste\w*|spateste\w*)\b.{0,20}\b(ereignis\w*|meilenstein\w*|schritt\w*)\b|"
    r"(最晚|最近|最后)的?.{0,4}(事件|一件事|里程碑|大事|一步)"
)
# "Put the milestones in order", "die Chronologie", "按时间顺序": every dated event, in order.
_TIMELINE = re.compile(
    r"\b(timeline|time line|chronolog\w*|chronicle|in (chronological|date|time) order|"
    r"in order of (date|time)|zeitleiste|zeitstrahl|zeitachse|chronik|zeittafel|der reihe nach|"
    r"in zeitlicher (reihenfolge|abfolge)|"
    r"zeitliche (reihenfolge|abfolge)|stationen|milestones|meilensteine|"
    # "Which were the key years?", "die wichtigsten Jahreszahlen", "有哪几个重要年份？"
    # (Not "Eckdaten", "key data": the key facts; nor "节点", the hub node.)
    r"(key|important|main) (years|dates)|wichtigste[n]? (jahre|jahreszahlen))\b|"
    r"时间顺序|时间线|时间轴|历程|大事记|先后顺序|(重要|关键|主要)的?(年份|日期|时间点)"
)
# "What happened between 1995 and 2010 / after 2010?": the dated events of that stretch.
_HAPPENED = re.compile(
    r"\b(happen\w*|took place|occurr?\w*|went on|geschah|geschehen|passiert\w*|ereignet\w*|tat sich)\b|"
    r"发生|有什么事|有哪些事"
)
_SINCE = re.compile(r"\b(since|seit|from|ab)\b|以来|起")
# "Put these in the right order: ...", "Bring ... in die richtige Reihenfolge", "按先后排列".
# (Not "order" as a command, "sort of", an order of importance.)
_PUT_IN_ORDER = re.compile(
    r"\b(in (?:the |their )?(?:right |correct |proper |chronological |time |date )?order|in what order|"
    r"(?:put|arrange|list|sort|rank) (?:them|these|those|the following|the events)\b|by date|"
    r"chronologically|reihenfolge|zeitlich ordnen|ordne (?:sie|diese|die)|"
    r"sortier\w* (?:sie|diese|die|nach datum)|"
    r"chronologisch)\b|时间顺序|先后顺序|按时间|按先后|什么顺序"
)
_BY_IMPORTANCE = re.compile(r"\b(importance|important|wichtigkeit|bedeutung|relevance|relevanz)\b|重要")
# The release named as the text something stands in ("is that in the release?", "steht das in der
# Mitteilung?", "新闻稿里有吗？"), not as its publication.
_IN_RELEASE = re.compile(
    r"\b(?:in|im) (?:the |der |dem |this |dieser )?(?:press )?"
    r"(?:release|pressemitteilung|mitteilung|meldung|text)\b|"
    r"(?:新闻稿|通稿|公告)(?:里|中|内|上)"
)
# Words that make two years the ends of a stretch, not two years each asked about.
_STRETCH = re.compile(
    r"\b(between|zwischen|from|von|since|seit|ab|after|before|nach|vor|until|till|bis)\b|之间|期间|以来|到|至|之前|之后|以前|以后"
)
_YES_OR_NO = re.compile(r"\b(yes or no|ja oder nein)\b")
_BETWEEN = re.compile(r"\b(between|zwischen|from|von)\b|之间|期间|到|至")
# "In the ten years after 1995": a stretch counted in years, which the events' years do not bound.
_YEARS_COUNTED = re.compile(r"\b\d+ (years?|jahre?n?)\b|\d+年(内|里|间|中)")
# "The timeline for implementing it", "der Zeitplan der Umsetzung", "实施时间表": what is to come,
# which no dated event of the past answers.
_TO_COME = re.compile(
    r"\b(implement\w*|execut\w*|next|plan\w*|roll ?out|will|future|upcoming|deadlines?|complet\w*|"
    r"umsetz\w*|umgesetzt|geplant\w*|kunftig\w*|nachste\w*|zukunft\w*|bis wann|wird|werden)\b|"
    r"实施|落实|计划|下一步|未来|将来|今后|完成"
)
# "When X happened, had Y already happened?": Y before X, Y the event named before "already".
_ALREADY = ("already", "schon", "bereits", "已经", "早已")
# A clause that takes a dated event for granted before it asks ("Given that X happened in <year>,
# how ...?", "Da X ja <year> geschah, ...", "既然……"): its date is checked as a yes/no question's.
_GRANTED = re.compile(
    r"\b(given that|seeing that|considering that|in view of the fact that|da ja|wo doch|"
    r"angesichts dessen, dass)\b|^(da|weil|wo) [^,]{1,60}\bja\b|既然|鉴于"
)
# "Why did it open its office in 2010?": a date taken for granted by the asking (when the release
# gives that year to another event; a year it never names is said to be unmentioned).
_WHY = re.compile(r"^(why|warum|wieso|weshalb)\b|^(为什么|为何|为啥)")
# An event named as the subject of another stands right before it, only linking words between
# them ("办事处已经升格", "the office already became a branch"; _outer).
# A yes/no verb after a time clause ("When X, had Y already ...?").
_AUX = re.compile(r"\b(had|has|was|were|did|hatte|hatten|war|waren|gab)\b")
_WHEN_LATIN = re.compile(r"\b(when|by the time|at the time|als|zum zeitpunkt)\b")
_WHEN_HAN = re.compile(r"的时候|那时|之时|时候")
_BEFORE = re.compile(r"\b(before|earlier than|prior to|vor|bevor|fruher als)\b|之前|以前|早于|先于")
_AFTER = re.compile(r"\b(after|later than|nach|nachdem|spater als)\b|之后|以后|晚于")
_DAY_BEFORE = re.compile(rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTH_ALT})\b")
_DAY_AFTER = re.compile(rf"\b(?:{_MONTH_ALT})\s+(\d{{1,2}})(?!\d)")
_DAY_HAN = re.compile(r"月(\d{1,2})[日号]")
# "What happened on the 25th?" (not "in the 20th century", "the 20th year").
_THE_DAY = re.compile(r"\bon the (\d{1,2})(?:st|nd|rd|th)\b(?! (?:century|year|anniversary))")
# "the next signing", "die nächste Vereinbarung", "下一次签约": another such event, one still ahead;
# right before the event's own word (at most two words between; "next to" is beside).
_NEXT = re.compile(
    # "next after X" is what followed X, not an event ahead.
    r"\b(next(?! (to|after)\b)|upcoming|future|nachste[nmrs]?|kunftige[nmrs]?|weitere[nmrs]?)"
    r"( [a-z]+){0,2} ?$"
)
_NEXT_HAN = re.compile(r"(下一?次|下一[个份轮]?|今后的?|未来的?)$")


class _Time(_Named):
    """Checks of dates, spans, differences, order, weekdays and tenures."""

    def _tenure(self, q: _Asked, lang: str, _r: Ranking) -> Found | None:
        """ "Since when / how long has X held the role?": the release dates events, never a person's
        time in office; not stated, with what it says about that person."""
        if len(q.people) != 1 or q.events or q.yesno or q.years or q.deed is not None:
            return None
        kinds = asked(q.text)
        if "age" in kinds or not (kinds & {"date", "day"} or _DIFF.search(q.joined)):
            return None  # "how old is he?" asks for an age, not a time in office
        person = q.people[0]
        found = self._intent_answer(person.intent, lang)
        if found is None:
            return None
        head = UI[lang]["not_stated_part"].format(aspects=ASPECTS[lang]["date"])
        return f"{head}\n\n{UI[lang]['not_stated']}\n{found[0]}", "not_stated", person.intent, found[1]

    def _points(self, q: _Asked) -> list[tuple[str, Event]] | None:
        """The two time points a question compares: named events, then years of their own."""
        points: list[tuple[str, Event]] = [(e.id, e) for e in q.events]
        event_years = {e.year for e in q.events}
        for year in q.years:
            if year not in event_years:
                points.append((str(year), Event(id=str(year), name={}, cues=(), source=(), year=year)))
        if not q.events and not all(int(p) in self._years for p, _ in points):
            return None  # years alone, not the release's: arithmetic, not a question about it
        return points if len(points) == 2 else None

    def _label(self, event: Event, lang: str) -> str:
        return event.name.get(lang) or self._date(event, lang)

    def _dated(self, event: Event, lang: str) -> str:
        """The event with its date ("the opening of the office (1996)"), or a bare year."""
        name = event.name.get(lang)
        if not name:
            return self._date(event, lang)
        return (
            f"{name}（{self._date(event, lang)}）" if lang == "zh" else f"{name} ({self._date(event, lang)})"
        )

    def _difference(self, q: _Asked, lang: str, _r: Ranking) -> Found | None:
        """Years (or days) between two events."""
        if not _DIFF.search(q.joined) or q.people:
            return None
        points = self._points(q)
        if points is None:
            return None
        (_, a), (_, b) = points
        if a.year > b.year or (a.year == b.year and (a.month or 0, a.day or 0) > (b.month or 0, b.day or 0)):
            a, b = b, a
        fmt = {"a": self._dated(a, lang), "b": self._dated(b, lang)}
        full = None not in (a.month, a.day, b.month, b.day)
        if _DAYS.search(q.joined) and not full:
            return None  # days asked of a date known only by its year: not counted in years
        if full and (_DAYS.search(q.joined) or a.year == b.year):
            days = (
                datetime.date(b.year, b.month or 1, b.day or 1)
                - datetime.date(a.year, a.month or 1, a.day or 1)
            ).days
            text = T[lang]["days"].format(n=days, **fmt)
        elif a.year == b.year:
            return None  # the same year, and no days to count
        else:
            n = b.year - a.year
            text = T[lang]["year_one" if n == 1 else "years"].format(n=n, **fmt)
        text = text[0].upper() + text[1:]
        return self._event_reply(text, a, b)

    def _ago_of(self, q: _Asked, lang: str, _r: Ranking) -> Found | None:
        """ "How long ago was the office opened?", "Wie lange ist das her?" read with the event the
        chat was about: the years up to the latest event the release dates (its publication), the
        release's present; today is no fact."""
        so_far = _SO_FAR.search(q.joined) is not None and not q.yesno
        if (
            not (ago_asked(q.joined) or so_far)
            or len(q.events) != 1
            or q.people
            or q.years
            or not self.facts.events
        ):
            return None
        latest = self._by_date[-1]
        event = q.events[0]
        if event.id == latest.id:
            return None
        fmt = {"a": self._dated(event, lang), "b": self._dated(latest, lang)}
        if event.year == latest.year:
            if None in (event.month, event.day, latest.month, latest.day):
                return None
            days = (
                datetime.date(latest.year, latest.month or 1, latest.day or 1)
                - datetime.date(event.year, event.month or 1, event.day or 1)
            ).days
            text = T[lang]["days"].format(n=days, **fmt)
        else:
            n = latest.year - event.year
            own = self._intent_answer(event.intent, lang) if so_far and event.intent else None
            if own is not None and str(n) in own[0]:
                return own[0], "answered", event.intent, own[1]  # its fact counts the years itself
            text = T[lang]["year_one" if n == 1 else "years"].format(n=n, **fmt)
        return self._event_reply(text[0].upper() + text[1:], latest, event)

    def _event_reply(self, text: str, *events: Event) -> Found:
        named = [e for e in events if e.intent]
        sources = tuple(dict.fromkeys(s for e in events for s in e.source))
        return text, "answered", named[-1].intent if named else None, sources

    def _order(self, q: _Asked, lang: str, _r: Ranking) -> Found | None:
        """Which of two dated events came first; "was X before Y?"."""
        joined = q.joined
        first = _FIRST.search(joined)
        before, after = _BEFORE.search(joined), _AFTER.search(joined)
        asks = q.yesno or bool(_EITHER.search(joined))  # "是在…之前还是之后": either-or, no 吗
        if not (first or before or after) and not q.people and len(q.events) == 2:
            return self._already(q, lang)
        if q.people or not (first or (asks and (before or after))):
            return None
        if "rank" in asked(q.text):
            return None  # "any deal before 2018?": another agreement than the one named, never given
        either = bool(before and after and _EITHER.search(joined))  # "before or after X?"
        if before and after and not either:
            return None
        points = self._points(q)
        if points is None:
            return None
        (_, a), (_, b) = points
        key_a = (a.year, a.month or 0, a.day or 0)
        key_b = (b.year, b.month or 0, b.day or 0)
        if (a.month is None) != (b.month is None) and a.year == b.year:
            return None  # a year against a day of that year: no order to tell
        fmt = {"a": self._dated(a, lang), "b": self._dated(b, lang)}
        if key_a == key_b:
            text = T[lang]["same"].format(**fmt)
        elif either:
            text = T[lang]["before_fact" if key_a < key_b else "after_fact"].format(**fmt)
        elif first:
            early, late = (a, b) if key_a < key_b else (b, a)
            text = T[lang]["first"].format(a=self._dated(early, lang), b=self._dated(late, lang))
        else:
            # "Was a before b?" (or after): the first named is the subject; say what holds.
            holds = key_a < key_b if before else key_a > key_b
            fact = T[lang]["before_fact" if key_a < key_b else "after_fact"]
            text = T[lang]["yes" if holds else "no"] + fact.format(**fmt)
        text = text[0].upper() + text[1:]
        return self._event_reply(text, a, b)

    def _extreme(self, q: _Asked, lang: str, _r: Ranking) -> Found | None:
        """ "What is the earliest event the release names?": the first of its dated events; "the
        last milestone before the signing": the latest of those before the event named."""
        events = self._by_date
        if q.people or q.yesno or q.years or not events:
            return None
        # The latest event is the release itself, which every question is about ("in the release").
        named = [e for e in q.events if e is not events[-1]]
        if _EARLIEST.search(q.joined) and not named and q.deed is None:
            first = events[0]
            return self._event_reply(T[lang]["earliest"].format(a=self._dated(first, lang)), first)
        if _LATEST.search(q.joined) and len(named) == 1 and _BEFORE.search(q.joined):
            bound = named[0]
            before = [e for e in events if e.year < bound.year]
            if before:
                last = before[-1]
                label = self._label(bound, lang)
                text = T[lang]["latest_before"].format(
                    a=self._dated(last, lang), b=label[0].upper() + label[1:], when=self._when(bound, lang)
                )
                return self._event_reply(text, last)
        return None

    def _on_day(self, q: _Asked, lang: str, _r: Ranking) -> Found | None:
        """ "What happened on 25 June?", "on the 25th?", "6月25日发生了什么？": the events of that day."""
        if not _HAPPENED.search(q.joined) or q.yesno or q.people or q.events or _STRETCH.search(q.joined):
            return None  # ("between 20 and 25 June": a stretch, the timeline's)
        spots = (
            _DAY_BEFORE.search(q.text),
            _DAY_AFTER.search(q.text),
            _DAY_HAN.search(q.han),
            _THE_DAY.search(q.text),
        )
        day = next((int(m.group(1)) for m in spots if m is not None), None)
        if day is None:
            return None
        events = [
            e
            for e in self._by_date
            if e.day == day
            and (q.month_no is None or e.month == q.month_no)
            and (not q.years or e.year in q.years)
        ]
        if not events:
            return None
        sep = "：" if lang == "zh" else ": "
        text = "\n".join(f"{self._date(e, lang)}{sep}{e.says[lang]}" for e in events)
        return self._event_reply(text, *events)

    def _put_in_order(self, q: _Asked, lang: str, _r: Ranking) -> Found | None:
        """ "Put these in order: the branch, the advisory group, the office": those events."""
        if len(q.events) < 2 or not _PUT_IN_ORDER.search(q.joined) or q.years or q.people or q.yesno:
            return None
        if _BY_IMPORTANCE.search(q.joined):
            return None  # an order the release does not give
        # Each event named (a list's commas are gone from the text: "office, branch" is not the
        # office's branch).
        named = self._named(self.facts.events, q.text, q.han)
        if len(named) < 3 and _FIRST.search(q.joined):
            return None  # "X or Y, which came first?": _order says it in a sentence
        return self._listed_events([e for e in self._by_date if e in named], lang, "in_order")

    def _timeline(self, q: _Asked, lang: str, ranking: Ranking) -> Found | None:
        """ "Put the milestones in chronological order": every dated event, in order; "what
        happened between 1995 and 2010 / after 2010": the events of that stretch; "the first and
        the last milestone": all of them, the first and the last among them."""
        joined = q.joined
        both_ends = bool(_EARLIEST.search(joined) and _LATEST.search(joined))
        happened = bool(_HAPPENED.search(joined)) and bool(q.years)
        if not (_TIMELINE.search(joined) or both_ends or happened):
            return None
        # "What happened in 1996 and in 2018?": the events of each year named, not a stretch.
        listed = happened and len(q.years) >= 2 and not _STRETCH.search(joined)
        if q.people or q.yesno or q.deed is not None or q.month or (len(q.years) > 2 and not listed):
            return None  # a person's, a yes or no, a day: other checks
        if _TO_COME.search(joined) or _YEARS_COUNTED.search(joined) or self._list_named(q):
            return None  # a schedule to come, a stretch counted in years, the order of a list
        if not both_ends and (_EARLIEST.search(joined) or _LATEST.search(joined)):
            return None  # the earliest or the latest event alone: _extreme
        if any(e is not self._by_date[-1] for e in q.events):
            return None  # "the history of the office", "what happened to it after 1996"
        best = ranking.best
        top = self.kb.get(best.intent) if best is not None else None
        # The timeline of what is planned: a known unknown that both signals read says what is not
        # there (a timeline of the company in the city: the learned model does not read it).
        read = best is not None and best.probability >= 0.5 and (best.model or 0.0) > 0
        if top is not None and top.kind == "unknown" and read:
            return None
        low, high = 0, 9999
        if listed:
            low, high = min(q.years), max(q.years)  # each year named, below
        elif len(q.years) == 2:
            low, high = min(q.years), max(q.years)
            if _AFTER.search(joined) and _BEFORE.search(joined):
                low, high = low + 1, high - 1  # "after 2010 and before 2024": neither end
            elif not _BETWEEN.search(joined):
                return None
        elif q.years:
            year = q.years[0]
            if _BEFORE.search(joined):
                high = year - 1
            elif _AFTER.search(joined):
                low = year + 1
            elif _SINCE.search(joined):
                low = year
            else:
                return None  # "what happened in 2010?": the event of that year answers it
        events = [e for e in self._by_date if (e.year in q.years if listed else low <= e.year <= high)]
        if not events or (listed and {e.year for e in events} != set(q.years)):
            return None  # (a year named that the release gives no event: said to be unmentioned)
        return self._listed_events(events, lang, "in_order" if listed else "timeline")

    def _listed_events(self, events: list[Event], lang: str, head: str) -> Found:
        """Dated events as a list under the line `head` (a text's key), one line each, in the
        order given."""
        sep = "：" if lang == "zh" else ": "
        lines = [T[lang][head], *(f"• {self._date(e, lang)}{sep}{e.says[lang]}" for e in events)]
        return self._event_reply("\n".join(lines), *events)

    def _already(self, q: _Asked, lang: str) -> Found | None:
        """ "When X happened, had Y already happened?": was Y (named before "already") earlier?"""
        said = self._first(_ALREADY, q.text, q.han)
        if said < 0 or not (q.yesno or _AUX.search(q.text)):
            return None
        spots = [(self._first(e.cues, q.text, q.han), e) for e in q.events]
        # The event of the time clause ("when X", "als X", "X的时候") is the point of comparison.
        latin, han = _WHEN_LATIN.search(q.text), _WHEN_HAN.search(q.han)
        if latin is not None:
            after = [(at, e) for at, e in spots if at > latin.start()]
            point = min(after, key=lambda s: s[0])[1] if after else None
        elif han is not None:
            before = [(at, e) for at, e in spots if 0 <= at < han.start()]
            point = max(before, key=lambda s: s[0])[1] if before else None
        else:
            # No time clause: the subject is the event named last before "already".
            earlier = [(at, e) for at, e in spots if 0 <= at < said]
            subject_only = max(earlier, key=lambda s: s[0])[1] if earlier else None
            point = next((e for e in q.events if subject_only and e.id != subject_only.id), None)
        if point is None:
            return None
        subject = next(e for e in q.events if e.id != point.id)
        other = point
        key_a = (subject.year, subject.month or 0, subject.day or 0)
        key_b = (other.year, other.month or 0, other.day or 0)
        if key_a == key_b or (
            (subject.month is None) != (other.month is None) and subject.year == other.year
        ):
            return None
        fmt = {"a": self._dated(subject, lang), "b": self._dated(other, lang)}
        fact = T[lang]["before_fact" if key_a < key_b else "after_fact"].format(**fmt)
        text = T[lang]["yes" if key_a < key_b else "no"] + fact
        return self._event_reply(text[0].upper() + text[1:], subject, other)

    def _when_check(self, q: _Asked, lang: str, _r: Ranking) -> Found | None:
        """ "Was it signed in 2023?": one event, one date named, yes or no with the real date."""
        joined = q.joined
        why = _WHY.search(joined) is not None and all(y in self._years for y in q.years)
        granted = not q.yesno and (_GRANTED.search(joined) is not None or why)
        if not (q.yesno or granted) or len(q.events) != 1 or q.people or len(q.years) > 1:
            return None
        span = _SPAN.search(joined) and not _SINCE_YEAR.search(joined)
        if _BEFORE.search(joined) or _AFTER.search(joined) or _DIFF.search(joined) or span:
            return None
        event = q.events[0]
        if not q.years and not q.month:
            return None
        if event is self._by_date[-1] and _IN_RELEASE.search(joined):
            return None  # "Carbon peak by 2030 – is that in the release?": the release as the text
        if q.month and event.month is None:
            return self._coarse_reply(event, lang)
        spots = (_DAY_BEFORE.search(q.text), _DAY_AFTER.search(q.text), _DAY_HAN.search(q.han))
        asked_day = next((int(m.group(1)) for m in spots if m is not None), None)
        holds = (
            (not q.years or q.years[0] == event.year)
            and (q.month_no is None or q.month_no == event.month)
            and (asked_day is None or asked_day == event.day)
        )
        if q.years and not q.month and self._first(_ALREADY, q.text, q.han) >= 0:
            holds = event.year <= q.years[0]  # "already there in 2018?": by then, not in that year
        if granted and (holds or not q.years):
            return None  # a date taken for granted that holds: the question asked is another one
        if holds and (asked(q.text) & NEVER_GIVEN or asks_other_places(q.text) or asks_other_orgs(q.text)):
            # "Opened in 1996 in the X district?", "other cities too in 2024?": the year holds, the
            # rest no fact gives; no "yes" to it (the engine says what is not stated).
            return None
        if holds and self._adds_detail(q):
            # "Did it start in <year> with a <project>?": the year holds, the rest no fact gives.
            found = self._intent_answer(event.intent, lang)
            said = found[0] if found else f"{self._date(event, lang)}: {event.says[lang]}"
            return f"{UI[lang]['not_stated']}\n{said}", "not_stated", event.intent, event.source
        name = self._label(event, lang)
        if _EITHER.search(_YES_OR_NO.sub("", CONFIRM_TAG.sub("", q.text))) or _EITHER.search(
            CONFIRM_TAG.sub("", q.han)
        ):
            # "Signed in June or July?": neither yes nor no, the date (not a tag: "..., oder?",
            # "..., yes or no?").
            text = T[lang]["event_when"].format(name=name[0].upper() + name[1:], when=self._when(event, lang))
            return self._event_reply(text, event)
        if negated_claim(q.text, q.han):
            holds = not holds  # "Is it true that it was NOT signed in 2023?": yes, when it was not
        key = "yes_when" if holds else "no_when"
        text = T[lang][key].format(name=name[0].upper() + name[1:], when=self._when(event, lang))
        if holds or not q.years or q.month:
            return self._event_reply(text, event)
        # "In 2010 the office became the headquarters, right?": the year asked is another event's;
        # what the release says of that year is the likely root of the premise.
        sep = "：" if lang == "zh" else ": "
        then = [e for e in self.facts.events if e.year == q.years[0] and e.id != event.id]
        for other in then:
            when = self._date(other, lang) if lang == "zh" else self._when(other, lang)
            text += ("\n" if lang == "zh" else " ") + f"{when[0].upper()}{when[1:]}{sep}{other.says[lang]}"
        return self._event_reply(text, *then, event)  # the event asked about stays the intent

    def _adds_detail(self, q: _Asked) -> bool:
        """True when a question about an event holds words the fact base never uses for one."""
        return bool(self._vocabulary.extra(self.without_names(q.text), self.without_names(q.han)))

    def _next_of(self, q: _Asked, lang: str, _r: Ranking) -> Found | None:
        """ "When is the next <event> / 下一次<event>?": another such event ahead, which no fact
        dates; the event the release does date is said as what it does say."""
        if len(q.events) != 1:
            return None
        event = q.events[0]
        at = self._first(event.cues, q.text, q.han)
        text_before = q.text[max(0, at - 30) : at] if at >= 0 else ""
        han_at = self._first(event.cues, "", q.han)
        han_before = q.han[max(0, han_at - 4) : han_at] if han_at >= 0 else ""
        if not (_NEXT.search(text_before) or _NEXT_HAN.search(han_before)):
            return None
        found = self._intent_answer(event.intent, lang)
        said = found[0] if found else f"{self._date(event, lang)}: {event.says[lang]}"
        head = UI[lang]["not_stated_part"].format(aspects=ASPECTS[lang]["future"])
        return f"{head}\n\n{UI[lang]['not_stated']}\n{said}", "not_stated", event.intent, event.source

    def _weekday(self, q: _Asked, lang: str, _r: Ranking) -> Found | None:
        """ "On which weekday was it signed?": computed from the event's full date; "was it on a
        weekend / a Sunday?": yes or no, with the weekday."""
        if len(q.events) != 1 or q.people:
            return None
        named = _NAMED_DAY.search(q.joined)
        event = q.events[0]
        premise = False
        if q.yesno and (_WEEKEND.search(q.joined) or named):
            days = {5, 6} if named is None else {_NAMED_DAYS[named.group(0)]}
        elif (
            named is not None
            and event.month is not None
            and event.day is not None
            and not _WEEKDAY.search(q.joined)
            and not _AROUND.search(q.joined)
        ):
            # "Why was it signed on a Friday?": a weekday put as a premise, corrected when wrong.
            days, premise = {_NAMED_DAYS[named.group(0)]}, True
        elif q.yesno or not _WEEKDAY.search(q.joined):
            return None
        else:
            days = set()
        if event.month is None or event.day is None:
            return self._coarse_reply(event, lang)
        day = datetime.date(event.year, event.month, event.day).weekday()
        if premise and day in days:
            return None  # the weekday holds: the question is the engine's
        name = self._label(event, lang)
        text = T[lang]["weekday"].format(
            name=name[0].upper() + name[1:], when=self._when(event, lang), weekday=WEEKDAYS[lang][day]
        )
        if days:
            text = T[lang]["yes" if day in days else "no"] + text
        return self._event_reply(text, event)

    def _coarse(self, q: _Asked, lang: str, _r: Ranking) -> Found | None:
        """A day or month asked of an event known only by its year."""
        if len(q.events) != 1 or q.people:
            return None
        event = q.events[0]
        if event.month is not None or "day" not in asked(q.text):
            return None
        return self._coarse_reply(event, lang)

    def _coarse_reply(self, event: Event, lang: str) -> Found:
        """The engine's own "not stated" reply (the same lines): what is missing, then what the
        release does say, the event's intent answer where it has one."""
        sep = "：" if lang == "zh" else ": "
        found = self._intent_answer(event.intent, lang)
        said = found[0] if found else f"{self._date(event, lang)}{sep}{event.says[lang]}"
        head = UI[lang]["not_stated_part"].format(aspects=ASPECTS[lang]["day"])
        text = f"{head}\n\n{UI[lang]['not_stated']}\n{said}"
        return text, "not_stated", event.intent, found[1] if found else event.source
