"""Answers computed from the typed facts (knowledge/typed_facts.yaml), in de, en and zh (pure, no I/O).

Given a question and the ranking of intents, it finds the facts the question names (events, people,
organisations, places, list items, years and days) and handles what a fixed answer cannot: years or
days between two events, which came first, how many named people, yes/no checks of a date, a deed
or a list, a premise that does not hold (a city the release does not name, a deed a person did not
do) and a day asked where only the year is known, and the key facts composed. When it is unsure it
returns None and the engine answers as before: a wrong computed answer is worse than none.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TypeVar

from bot.core.lang import normalise
from bot.core.question import asked
from bot.core.ranking import Ranking
from bot.core.reasoning_texts import DEED_TEXT, MONTHS, WEEKDAYS, T, count_word
from bot.core.reply import Outcome, Reply
from bot.core.texts import ASPECTS, UI, source_text
from bot.knowledge.model import Deed, Event, Fact, FactList, KnowledgeBase, Person, Place

# The confidence of a computed reply: it rests on the facts the question names, not on a match.
CONFIDENCE = 0.9

_YESNO = re.compile(
    # A negated verb first asks yes or no too ("Isn't it true ...?", "Wasn't it signed in 2023?").
    r"^(?:(?:so|and|but|also|ok|und|also|aber|hey|hi|hallo)\s+)?"
    r"(?:(?:is|are|was|were|did|does|do|has|have|had)n t|is|are|was|were|did|does|do|has|have|had|"
    r"ist|sind|war|waren|wurde|wurden|hat|haben|hatte|hatten|gehort|gehoren|kam|kamen|stammt|stammen|"
    r"stammte|stammten|fand|gibt|gab|zahlt|zahlen|unterschrieb|unterschrieben|unterzeichnete|"
    r"unterzeichneten|bezeugte|stimmt)\b|\bis it true\b|\bstimmt es\b"
)
_YESNO_HAN = re.compile(r"吗$|是否|是不是|有没有|对吗|对不对|没有$|对吧$|是吧$|[的了]吧$")
# A statement with a tag: "It was signed in 2023, right?", "..., oder?", "..., nicht wahr?".
_TAG = re.compile(
    r"\b(right|correct|true|isn t it|wasn t it|didn t it|oder|richtig|stimmt s|nicht wahr|gell)$"
)
_EITHER = re.compile(r"\b(or|oder)\b|还是")
_DIFF = re.compile(
    r"\bhow (many|much) (years?|time|days?)\b|\bhow long\b|\byears? (passed|between|elapsed|later|apart)\b|"
    r"\bwie ?viele? (jahre?|tage?|zeit)\b|\bwie lange?\b|\bjahre? (lagen|liegen|vergingen|dazwischen)\b|"
    r"多少年|几年|多久|多长时间|相隔|相差|间隔|多少天|几天|"
    # "How old was the branch when the deal was signed?": the age of a thing between two events.
    r"\bhow old\b|\bwie alt\b"
)
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
# "How long ago": counted from today, which no fact gives.
_AGO = re.compile(r"\b(ago|her|zuruck)\b|以前|前$")
# A span or validity ("valid until 2030?") is no check of the event's date.
_SPAN = re.compile(
    r"\b(until|till|through|valid\w*|expir\w*|runs?|lasts?|bis|gultig\w*|lauft|laufzeit|dauer\w*)\b|"
    r"到期|有效|截止|为期|持续"
)
# "It has been running since 2005": a start date to check, not a span.
_SINCE_YEAR = re.compile(r"\b(since|seit)\s+((early|late|fruh|anfang|ende)\s+)?(19|20)\d\d\b|自(19|20)\d\d")
# Asking for the rest of a list: "anything else", "was noch", "还有什么".
_ELSE = re.compile(
    r"\b(anything else|what else|(which|what) others?|any others|and others|and more|sonst noch|was noch|"
    r"welche (weiteren|anderen|noch)|noch (andere|weitere))\b|还有什么|还有哪些|还有别的|其他还有|等等还有"
)
_DAYS = re.compile(r"\bhow many days\b|\bwie ?viele tage\b|多少天|几天")
_FIRST = re.compile(
    r"\b(which|what) (came|happened|was|one came|event came) (first|earlier)\b|\bcame first\b|"
    r"\bhappened first\b|\bwhich (was )?earlier\b|\bwas (war|kam|geschah|passierte) (zuerst|fruher|eher)\b|"
    r"\b(kam|kamen|war|waren|geschah) (zuerst|fruher|als erstes)\b|\b(which|what) is older\b|\bolder\b|"
    r"\balter\b|\balteste\w*\b|哪个先|哪个在前|哪个更早|哪个早|谁先|先后|先有.{1,12}还是|还是先"
)
# "When X happened, had Y already happened?": Y before X, Y the event named before "already".
_ALREADY = ("already", "schon", "bereits", "已经", "早已")
# An event named as the subject of another stands right before it, only linking words between
# them ("办事处已经升格", "the office already became a branch"; _outer).
# A yes/no verb after a time clause ("When X, had Y already ...?").
_AUX = re.compile(r"\b(had|has|was|were|did|hatte|hatten|war|waren|gab)\b")
_LINKING_HAN = re.compile(r"(?:已经|早已|已|正式|就|也|都|被)*")
_LINKING = frozenset(
    """already become became been was were had has is a an the officially formally schon bereits
    wurde war ist offiziell zur zu einer einem""".split()
)
_WHEN_LATIN = re.compile(r"\b(when|by the time|at the time|als|zum zeitpunkt)\b")
_WHEN_HAN = re.compile(r"的时候|那时|之时|时候")
_BEFORE = re.compile(r"\b(before|earlier than|prior to|vor|bevor|fruher als)\b|之前|以前|早于|先于")
_AFTER = re.compile(r"\b(after|later than|nach|nachdem|spater als)\b|之后|以后|晚于")
_COUNT = re.compile(
    r"\bhow many (\w+ )?(people|ppl|persons|individuals|representatives|names|witnesses|signator\w*|"
    r"executives|officials|managers|leaders)\b|"
    # "..., and how many witnessed it?": the deed says who is counted.
    r"\bhow many (?:of them |people )?(?:have |had |did )?(?=sign|witness)|"
    r"\bwie ?viele (?:von ihnen |personen )?(?:haben|hatten)\b(?=.{0,30}\b(?:unterschr|unterzeichn|bezeug))|"
    r"\bwie ?viele (\w+ )?(personen|leute|menschen|vertreter|namen|zeugen|unterzeichner|manager|"
    r"fuhrungskrafte|vorstande|amtstrager|funktionare)\b|"
    r"几个人(?!口)|几位|几名|多少人(?!口)|多少位|多少名"
)
# A count of people is a count of those the release names: it says "named", a deed, or "from X".
_NAMED = re.compile(
    r"\b(named|mentioned|listed|involved|from|genannt|erwahnt|beteiligt|nennt|von)\b|提到|提及|涉及|出现|人物|来自|方面"
)
# Of one organisation, a word of the release's naming, not only "from X": "how many managers from X
# work there?" asks a headcount.
_MENTIONED = re.compile(
    r"\b(names?|named|mentions?|mentioned|list|lists|listed|involved|release|statement|genannt|erwahnt|"
    r"beteiligt|nennt|nennen|aufgefuhrt|mitteilung|pressemitteilung|meldung)\b|提到|提及|涉及|出现|人物|新闻稿|通稿"
)
# "How many leaders does X have?", "Wie viele Amtsträger hat die Stadt?", "这座城市有几位领导？": a headcount,
# which the release does not give (unless the question says it asks whom the release names).
_HAVE = re.compile(r"\b(have|has|had|hat|haben|hatte|hatten)\b|有")
# A count of people asked about work, staff or attendance is not a count of named people.
_SIDE = re.compile(r"\b(from|von|side|seite|aufseiten)\b|来自|方面")
_NOT_NAMED = re.compile(
    r"\b(work|employ\w*|staff|attend\w*|present|arbeit\w*|beschaftigt|mitarbeiter\w*|anwesend|teilgenommen|"
    r"live|lives|living|inhabitants|residents|wohn\w*|leben|einwohner\w*)\b|"
    r"员工|工作|参加|出席|在场|雇|居住|住在|生活"
)
_BOTH = re.compile(r"\b(both|all|beide\w*|alle)\b|两位|两人|都")
_MEMBER = re.compile(
    r"\b(part of|among|one of|about|included?|includes|cover\w*|teil|gehort|gehoren|zahlt|umfasst|beinhaltet|"
    r"dabei|darunter)\b|之一|包括|包含|涵盖|属于|涉及"
)
_SUMMARY = re.compile(
    r"\b(key facts|key points|main facts|main points|the facts|summary|summari[sz]e|sum up|overview|"
    r"eckdaten|kernpunkte|kernfakten|wichtigsten (fakten|punkte|infos?)|zusammenfass\w*|uberblick)\b|"
    r"要点|概括|总结|摘要|关键信息|主要内容|概要|重点"
)
# Numbers a question may put before a list's name ("the five areas", "drei Bereiche", "三个领域") and
# ordinals ("the sixth area", "第五个领域"): a count the release does not give is a false premise.
_CARDINALS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "zwei": 2, "drei": 3, "vier": 4, "funf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10,
    "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
}  # fmt: skip
_ORDINALS = {
    "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9,
    "tenth": 10, "zweit": 2, "dritt": 3, "viert": 4, "funft": 5, "sechst": 6, "siebt": 7, "acht": 8,
    "neunt": 9, "zehnt": 10,
}  # fmt: skip
# A count is a premise only with a definite word before it ("the five areas"; "which two areas
# matter most?" asks for a choice): the, its, all, die, der, alle ...; 的, 这, or 大 after it in Chinese.
_COUNTED_LATIN = re.compile(
    r"\b(?:the|its|all|all the|die|den|der|alle|ihre|seine)\s+(?P<n>\d{1,2}|"
    + "|".join(k for k in _CARDINALS if k.isascii())
    + r")\s+(?P<w1>\w+)(?:\s+(?P<w2>\w+))?"
)
_ORDINAL_LATIN = re.compile(
    r"\b(?P<n>" + "|".join(_ORDINALS) + r")(?:e[nmrs]?)?\s+(?P<w1>\w+)(?:\s+(?P<w2>\w+))?"
)
_COUNTED_HAN = re.compile(
    r"(?:(?P<first>第)|[的这這])(?P<n>\d{1,2}|[两二三四五六七八九十])(?:个|個|项|項|大|位|名)?(?P<noun>.{1,6})|"
    r"(?P<n2>[两二三四五六七八九十])大(?P<noun2>.{1,6})"
)
# Words for the doers of a deed, for counts put before them ("the three signatories").
_DOERS: dict[Deed, tuple[str, ...]] = {
    "signed": ("signator", "signer", "unterzeichner", "签字人", "签署人", "签约人", "簽字人", "簽署人"),
    "witnessed": ("witness", "zeuge", "zeugen", "见证人", "見證人"),
}
# "Why is the deal mainly about X?": a focus the question takes for granted.
_FOCUS = re.compile(
    r"\b(mainly|mostly|chiefly|primarily|largely|principally|above all|first and foremost|"
    r"hauptsachlich|vor allem|vorwiegend|uberwiegend|in erster linie|primar|schwerpunktmassig) "
    r"(about|on|around|um|auf)\b|"
    r"主要(围绕|涉及|关于|集中在|针对|聚焦|侧重)|侧重|为主"
)
_WHY = re.compile(r"\b(why|how come|warum|wieso|weshalb|weswegen)\b|为什么|为何|为啥|怎么会")
# "X is part of Y": the member comes first ("includes" puts it after, and is not matched here).
_PART_OF = re.compile(r"\b(part of|one of|among|teil (der|des|von)|gehort zu|gehoren zu|zahlt zu)\b|属于")
# A role a deed was done in ("signed as mayor", "als Bürgermeister", "以市长身份"): generic titles,
# each with its words in the three languages, and the words that make it a deputy's.
_IN_ROLE = re.compile(
    r"\b(as(?! well\b)|als|in (his|her|seiner|ihrer) (role|capacity|funktion|eigenschaft))\b|"
    r"作为|身为|以.{0,12}身份"
)
# A role given to a person in passing: "as / als + role" right after the name or its verb ("X, as
# the mayor, ...", "X signed as mayor", "X als Bürgermeister"), not "as well as", "as opposed to",
# "served as" or "such as"; in Chinese 作为/身为 + role next to the name, or 以……身份.
_AS_ROLE = re.compile(
    r"(?<!\bwell )(?<!\bserved )(?<!\bserve )(?<!\bserves )(?<!\bserving )(?<!\bsuch )(?<!\bso )"
    r"\b(?:as|als|in (?:his|her|seiner|ihrer) (?:role|capacity|funktion|eigenschaft)(?: as| als)?)\b"
    r"(?! well\b| opposed\b| long\b| soon\b| far\b| much\b| many\b)"
)
_AS_ROLE_HAN = re.compile(r"(?:作为|身为|作為|身為)(?P<role>[^，,。？?]{1,12})|以(?P<own>.{1,12}?)身份")
# What may stand between a name and "as" in one clause ("X signed the agreement as ..."): a few words,
# none of them opening another clause.
_AS_GAP = re.compile(
    r"^[ ,]*(?:(?!(?:but|and|or|who|whom|when|while|aber|und|oder|wer|wann|als)\b)\w+ ){0,3}[ ,]*$"
)
_AS_END = re.compile(r"[,;:?!.]| (?:but|and|or|who|when|while|aber|und|oder|wer|wann)\b")
_ROLES = {
    "mayor": ("mayor", "burgermeister", "市长", "市長"),
    "ceo": ("ceo", "chief executive", "首席执行官", "首席執行官"),
    "president": ("president", "prasident", "总裁", "總裁"),
    "chairman": ("chairman", "chairwoman", "vorsitzende", "董事长", "董事長"),
    "secretary": ("secretary", "sekretar", "书记", "書記"),
    "governor": ("governor", "gouverneur", "省长", "省長"),
    "minister": ("minister", "部长", "部長"),
}
_DEPUTY = re.compile(r"vice|deputy|vize|stellvertret|副")


def _starts(text: str, cue: str) -> bool:
    """True when `text` opens with `cue` (a whole word, for a Latin cue)."""
    if not text.startswith(cue):
        return False
    return not cue.isascii() or len(text) == len(cue) or not text[len(cue)].isalnum()


def roles_in(text: str) -> frozenset[tuple[str, bool]]:
    """The titles a normalised text names, each with whether it is a deputy's ("vice mayor")."""
    found = set()
    for role, words in _ROLES.items():
        for word in words:
            for spot in re.finditer(re.escape(word), text):
                found.add((role, bool(_DEPUTY.search(text[max(0, spot.start() - 20) : spot.start()]))))
    return frozenset(found)


# How sure a ranking must be that its best intent is the question's for a deed's premise to be
# left to it.
_SURE = 0.7
# How far down the ranking the answer quoting a person may stand ("what does X think?").
_QUOTE_RANKS = 3
_FOR = re.compile(r"\b(for|on behalf|fur|im namen)\b|代表")
# What may stand between "for" and the side a deed was done for ("on behalf of the government of
# X", "im Namen der Stadt"); any other word makes it a purpose ("for the future of X").
_TO_SIDE = re.compile(
    r"^ *(?:of )?(?:(?:the|die|der|den|das|dem|des) )?"
    r"(?:(?:(?:municipal|people s|peoples) )*(?:city|government|stadt|regierung) (?:of|von) (?:the )?)?"
)
_TO_SIDE_HAN = re.compile(r"^(?:的是|了)?")
# A deed as a verb: "signed", "unterschrieb", "签字" (the signing as an event, "at the signing",
# "Unterzeichnung", "签约仪式", names no deed: "was X at the signing?" asks about presence).
_DEEDS: dict[Deed, re.Pattern[str]] = {
    "quoted": re.compile(
        r"\b(say|says|said|saying|quote[sd]?|quoting|stress(ed|es)?|sagte|sagt|gesagt|zitat\w*|zitiert\w*|"
        r"aussage\w*|geaussert|betont\w*)\b|说了|说的|说什么|表示|讲话|发言|引述|引用|"
        # A view asked for is words said too: "what does X think of", "was meint X", "X怎么看".
        r"\b(think|thinks|thought|opinion|meint|meinte|denkt|dachte|meinung|ansicht)\b|"
        r"\b(halt|hielt) .{1,40} von\b|"
        r"怎么看|看法|如何评价|怎样评价|"
        # Words said, named as such: "the line about ... came from X", "whose remark", "der Satz".
        r"\b(the|that|this|whose|der|dieser|die|diese) (line|remark|comment|phrase|sentence|wording|words|"
        r"satz|bemerkung|formulierung|ausserung|worte)\b|这句话|那句话|这番话|^说.{1,24}的是|"
        # Calling something a thing is words said: "called the city a hub", "bezeichnete sie als".
        r"\b(call|called|calls) (\w+ ){1,3}an?\b|\bdescrib(ed|es) .{1,40} as\b|\bbezeichnet\w* .{1,40} als\b|"
        r"\bnannte .{1,40} (ein|eine|einen)\b|称.{1,10}为"
    ),
    "witnessed": re.compile(r"\b(witness\w*|zeuge[n]?|zeugin|bezeugt\w*)\b|见证"),
    "signed": re.compile(
        r"\b(sign|signs|signed|signator\w*|signature|unterschr\w*|unterzeichne(te|ten|t|r)?|signiert\w*)\b|"
        r"签署(?!仪式)|签字(?!仪式)|签了|签的|签名|签下|签约(?!仪式)"
    ),
}
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
_DAY_BEFORE = re.compile(rf"(?<!\d)(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTH_ALT})\b")
_DAY_AFTER = re.compile(rf"\b(?:{_MONTH_ALT})\s+(\d{{1,2}})(?!\d)")
# "According to X", "laut X", "据X": what follows is X's view, a quote when X is a person.
_ACCORDING = re.compile(
    r"\b(according to|in the (view|words|eyes) of|as seen by|laut|gemass|"
    r"nach (ansicht|meinung|worten) (von|des|der))\s"
)
# A source that says something ("the release says", "新闻稿指"), right after its name; or named
# after "according to" just before it.
_SAYS = re.compile(
    r"\w*\s+(says|said|states|stated|claims|claimed|reports|reported|mentions|mentioned|writes|wrote|"
    r"sagt|sagte|schreibt|schrieb|berichtet\w*|behauptet\w*|meldet\w*|erwahnt\w*)\b"
)
_SAYS_HAN = re.compile(r"(?:中|里|裡)?(?:指|称|稱|说|說|提到|表示|写道|寫道|写|寫|报道|報導|声称|聲稱)")
_SOURCE_BEFORE = re.compile(r"\b(according to|as per|per|laut|gemass|zufolge)\s+(the\s+|der\s+|dem\s+)?$")
# "X zufolge", "X认为", "在X看来": the person comes first.
_ZUFOLGE = re.compile(r"^\W*\w*\W*(zufolge|nach)\b")
_ZUFOLGE_HAN = re.compile(r"^.{0,4}?(认为|看来|認為|看來|所说|所說)")
_DAY_HAN = re.compile(r"月(\d{1,2})[日号]")
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


@dataclass(frozen=True)
class _Asked:
    """What a question names and how it asks."""

    text: str  # normalised
    han: str  # normalised, spaces removed (for Chinese cues)
    joined: str  # both, for patterns that read either
    events: tuple[Event, ...]
    people: tuple[Person, ...]
    orgs: tuple[Fact, ...]
    absent_orgs: tuple[Fact, ...]  # companies the release never names
    places: tuple[Place, ...]
    years: tuple[int, ...]
    month: bool  # names a month or a day
    month_no: int | None
    yesno: bool
    deed: Deed | None  # the deed it asks about ("quoted" before "witnessed" before "signed")


@dataclass(frozen=True)
class _Cues:
    """The cues of one fact, ready to look for: one pattern for the Latin cues, the Han cues without
    their spaces."""

    latin: re.Pattern[str] | None
    han: tuple[str, ...]

    @classmethod
    def of(cls, cues: Sequence[str]) -> _Cues:
        latin = sorted((c for c in cues if c and c[0].isascii()), key=len, reverse=True)
        han = tuple(c.replace(" ", "") for c in cues if c and not c[0].isascii())
        found = re.compile(r"(?<![a-z0-9])(?:" + "|".join(map(re.escape, latin)) + ")") if latin else None
        return cls(found, han)

    def first(self, text: str, han: str) -> int:
        """Where the first of the cues stands in the question (`han`: without spaces), or -1."""
        at = -1
        if self.latin is not None:
            found = self.latin.search(text)
            if found is not None:
                at = found.start()
        for cue in self.han:
            spot = han.find(cue)
            if spot >= 0 and (at < 0 or spot < at):
                at = spot
        return at


# Cues no fact base declared beforehand (a caller's own), compiled once each.
_compiled = lru_cache(maxsize=256)(_Cues.of)


def _yesno(text: str, han: str, lang: str) -> bool:
    """A yes/no question: a verb first (German "was" is "what", not a verb), a tag, or 吗."""
    if lang == "de" and text.startswith("was "):
        return bool(_TAG.search(text))
    return bool(_YESNO.search(text) or _YESNO_HAN.search(han) or _TAG.search(text))


# The signing as the time of a presence, not a deed of the person asked about: "Was X present
# when it was signed?", "War X anwesend, als unterschrieben wurde?", "X出席签约了吗" (a witness
# was there; "No, X did not sign" would answer another question). "Signed by X" stays a deed.
_AT_THE_SIGNING = re.compile(
    r"\b(was|were|been|being|got|wurde|wurden|worden) (\w+ )?(signed|unterzeichnet|unterschrieben)\b"
    r"(?! (by|von|durch)\b)|\b(present|attend|attended|attending|anwesend|zugegen)\b|出席|在场|到场"
)


def _deed_asked(text: str, han: str) -> Deed | None:
    # "What did X say at the signing?" is about words; "witnessed the signing" about witnessing.
    for deed in ("quoted", "witnessed", "signed"):
        if _DEEDS[deed].search(text) or _DEEDS[deed].search(han):
            if deed == "signed" and (_AT_THE_SIGNING.search(text) or _AT_THE_SIGNING.search(han)):
                return None
            return deed
    return None


_F = TypeVar("_F", bound=Fact)


def named_in(facts: Sequence[_F], normalised: str) -> tuple[_F, ...]:
    """The facts a normalised text names by their cues, in the order it names them."""
    han = normalised.replace(" ", "")
    spots = [(p, f) for f in facts if (p := _compiled(f.cues).first(normalised, han)) >= 0]
    return tuple(f for _, f in sorted(spots, key=lambda s: s[0]))


def deed_in(normalised: str) -> Deed | None:
    """The deed a normalised question asks about ("who witnessed ...": witnessed), or None."""
    return _deed_asked(normalised, normalised.replace(" ", ""))


class Reasoner:
    """Computed replies over one fact base's typed facts."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.facts = kb.facts
        self._years = frozenset(e.year for e in kb.facts.events)
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
        # One question's text is read by several checks in turn (the premise, the foreign company,
        # the reply): the last few readings are kept (each a frozen record of this fact base's).
        self._read: Callable[[str, str], _Asked] = lru_cache(maxsize=32)(self._read_fresh)

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
            and best.probability >= 0.7
        ):
            return None
        if last is not None and len(q.events) == 1 and not q.people:
            before = next((e for e in self.facts.events if e.intent == last), None)
            relative = _DIFF.search(q.joined) and not _AGO.search(q.joined)
            if before is not None and before.id != q.events[0].id and relative:
                # One event named, the other the last answer's: the two points of a difference.
                q = replace(q, events=(before, q.events[0]), years=())
        for handler in (
            self._place_premise,
            self._count_premise,
            self._count,
            self._all_of_role,
            self._deed,
            self._deed_of_several,
            self._doers_asked,
            self._words_of,
            self._role_premise,
            self._tenure,
            self._difference,
            self._order,
            self._when_check,
            self._weekday,
            self._coarse,
            self._member,
            self._focus_premise,
            self._rest_of_list,
            self._key_facts,
        ):
            found = handler(q, lang, ranking)
            if found is not None:
                return self._computed(question, lang, found)
        return None

    def between(self, question: str, clean: str, intents: tuple[str, ...], lang: str) -> Reply | None:
        """The years (or days) between the events two answers were about ("how many years lay
        between them?" after two dated turns), or None when either answer is about no event."""
        events = [next((e for e in self.facts.events if e.intent == i), None) for i in intents]
        if len(events) != 2 or events[0] is None or events[1] is None or events[0].id == events[1].id:
            return None
        q = replace(self._read(clean, lang), events=(events[0], events[1]), years=(), people=())
        found = self._difference(q, lang, Ranking(lang, ()))
        return None if found is None else self._computed(question, lang, found)

    def spans(self, pieces: Sequence[str], whole: str, lang: str) -> bool:
        """True when a message split into `pieces` asks one thing, the time between two events
        it names ("from X to Y, how many years?"): a piece asks how long and the others ask
        nothing of their own ("How long did X last, and when was Y?" asks two things)."""
        q = self._read(whole, lang)
        if len(q.events) != 2 or q.people or not _DIFF.search(q.joined) or _AGO.search(q.joined):
            return False
        others = [p for p in pieces if not _DIFF.search(self._read(p, lang).joined)]
        return len(others) < len(pieces) and not any(asked(normalise(p)) for p in others)

    def _computed(
        self, question: str, lang: str, found: tuple[str, Outcome, str | None, tuple[str, ...]]
    ) -> Reply:
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

    def compared(self, question: str, whole: str, ranking: Ranking, lang: str) -> Reply | None:
        """The order of or the time between two events, read on the whole question when its core
        clause keeps only the events ("Which came first: X or Y?" read as "X or Y?"), or None."""
        q = self._read(whole, ranking.lang)
        for handler in (self._difference, self._order):
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

    def _without_absent(self, text: str) -> str:
        """A normalised text less the names of companies the release never names (one that holds
        a party's name, "Acme Health", names no party)."""
        for org in self.facts.absent_organisations:
            cues = self._pattern(org.cues)
            if cues.latin is not None:
                text = cues.latin.sub(" ", text)
            for cue in cues.han:
                text = text.replace(cue, " ")
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
            people=self._people(text, han),
            orgs=self._named(facts.organisations, self._without_absent(text), self._without_absent(han)),
            absent_orgs=self._named(facts.absent_organisations, text, han),
            places=self._named(facts.places, text, han),
            years=tuple(int(y) for y in dict.fromkeys(_YEAR.findall(han))),
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

    def attributed(self, normalised: str) -> bool:
        """True when a question asks after a person's view ("according to X", "laut X", "X zufolge",
        "在X看来"): the answer must be what that person said, a quote."""
        han = normalised.replace(" ", "")
        for person in self.facts.people:
            cues = self._pattern(person.cues)
            if cues.latin is not None:
                for found in cues.latin.finditer(normalised):
                    before = normalised[max(0, found.start() - 30) : found.start()]
                    if any(m.end() >= len(before) - 8 for m in _ACCORDING.finditer(before)):
                        return True
                    if _ZUFOLGE.search(normalised[found.end() :]):
                        return True
            for cue in cues.han:
                spot = han.find(cue)
                if spot < 0:
                    continue
                if han[max(0, spot - 1) : spot] == "据" or _ZUFOLGE_HAN.search(han[spot + len(cue) :]):
                    return True
        return False

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

    # -- handlers: each returns (text, outcome, intent, sources) or None ------------------------

    def _place_premise(
        self, q: _Asked, lang: str, ranking: Ranking
    ) -> tuple[str, Outcome, str | None, tuple[str, ...]] | None:
        """A city the release does not name, or one named only inside another name, put in the
        agreement's place: correct it and give the nearest fact."""
        wrong = [
            p
            for p in q.places
            if p.role == "absent"
            or (p.role == "within" and not any(self._at(c, q.text, q.han) >= 0 for c in p.inside))
        ]
        party = next((p for p in self.facts.places if p.role == "party"), None)
        if not wrong or party is None:
            return None
        near = None
        for item in ranking.items[:3]:
            intent = self.kb.get(item.intent)
            if intent is not None and intent.kind == "unknown" and item is ranking.items[0]:
                # A known unknown about other places says it better, even when the question's
                # frame keeps it from ranking sure of itself.
                return intent.answer[lang], "unknown", intent.id, intent.source
            if intent is not None and intent.kind == "fact" and item.probability >= 0.3:
                near = intent
                break
        if near is None:
            return None
        place = wrong[0]
        shown = place.name[lang] if place.role == "within" else self._surface(place, q)
        head = T[lang]["place"].format(party=party.name[lang], place=shown)
        return f"{head}\n{near.answer[lang]}", "unknown", near.id, near.source

    def _org_premise(
        self, q: _Asked, lang: str, ranking: Ranking
    ) -> tuple[str, Outcome, str | None, tuple[str, ...]] | None:
        """A company the release never names, put in a party's place ("Globex signed it, right?",
        "Did Globex attend?"): the release does not mention it; what it does say, from the nearest
        fact."""
        if not q.absent_orgs or not (q.yesno or q.deed is not None):
            return None
        near = [
            intent
            for item in ranking.items[:3]
            if (intent := self.kb.get(item.intent)) is not None
            and intent.kind == "fact"
            and item.probability >= 0.3
        ]
        if not near:
            return None
        # The company stands where a party does: a fact that names organisations says who does.
        near = [n for n in near if "organisation" in n.provides] or near
        org = q.absent_orgs[0]
        shown = next(
            (c if not c[0].isascii() else c.title() for c in org.cues if self._at(c, q.text, q.han) >= 0),
            org.name[lang],
        )
        head = UI[lang]["premise"].format(items=shown)
        return f"{head}\n{near[0].answer[lang]}", "unknown", near[0].id, near[0].source

    def _count_premise(
        self, q: _Asked, lang: str, _r: Ranking
    ) -> tuple[str, Outcome, str | None, tuple[str, ...]] | None:
        """ "The five areas", "the sixth field", "三个合作领域": a count or an ordinal that does not
        fit a list the release gives; say so, with the list's fact (a known-unknown reply)."""
        for fact_list in self.facts.lists:
            intent = self.kb.get(fact_list.intent) if fact_list.intent else None
            if intent is None:
                continue
            size = len(fact_list.items)
            for number, ordinal in self._counts_before(fact_list.cues, q):
                if (ordinal and number > size) or (not ordinal and number != size):
                    head = UI[lang]["not_stated"]
                    return f"{head}\n{intent.answer[lang]}", "unknown", intent.id, intent.source
        for deed, words in _DOERS.items():
            size = len(self.facts.doers(deed))
            for number, ordinal in self._counts_before(words, q):
                if size and ((ordinal and number > size) or (not ordinal and number != size)):
                    text, sources = self._doers(deed, lang)
                    best = _r.best
                    return (
                        f"{UI[lang]['not_stated']}\n{text}",
                        "unknown",
                        best.intent if best else None,
                        sources,
                    )
        return None

    def _counts_before(self, cues: tuple[str, ...], q: _Asked) -> list[tuple[int, bool]]:
        """(number, is it an ordinal) for each number a question puts before one of `cues`."""
        found: list[tuple[int, bool]] = []
        for pattern, table, ordinal in (
            (_COUNTED_LATIN, _CARDINALS, False),
            (_ORDINAL_LATIN, _ORDINALS, True),
        ):
            for m in pattern.finditer(q.text):
                nouns = [w for w in (m.group("w1"), m.group("w2")) if w]
                if any(c.isascii() and w.startswith(c) for c in cues for w in nouns):
                    n = m.group("n")
                    found.append((int(n) if n.isdigit() else table[n], ordinal))
        for m in _COUNTED_HAN.finditer(q.han):
            noun = m.group("noun") or m.group("noun2") or ""
            if any(not c.isascii() and c in noun for c in cues):
                n = m.group("n") or m.group("n2")
                found.append((int(n) if n.isdigit() else _CARDINALS[n], m.group("first") is not None))
        return found

    def _surface(self, place: Place, q: _Asked) -> str:
        """The place as the question wrote it (an absent place has no name of its own)."""
        for cue in place.cues:
            at = self._at(cue, q.text, q.han)
            if at >= 0:
                return cue if not cue[0].isascii() else cue.title()
        return place.name.get("en", place.id)

    def _count(
        self, q: _Asked, lang: str, _r: Ranking
    ) -> tuple[str, Outcome, str | None, tuple[str, ...]] | None:
        """How many named people (of one organisation, or who did one deed)."""
        counted = _COUNT.search(q.joined)
        if not counted or _NOT_NAMED.search(q.joined) or q.people:
            return None
        if counted.group(1) and not q.orgs:
            return None  # "how many Chinese officials": a kind of person the facts do not type
        people = list(self.facts.people)
        deed = q.deed
        if len(q.orgs) > 1 or (deed is None and not q.orgs and not _NAMED.search(q.joined)):
            return None
        # The release's naming, or an event it names ("at the signing"), makes it a count of the named.
        mentioned = _MENTIONED.search(q.joined) is not None or bool(q.events)
        if deed is None and q.orgs and not mentioned:
            return None  # "how many managers from X?": an organisation alone is no count of the named
        if deed is None and not mentioned and _HAVE.search(q.joined):
            return None  # "how many leaders does X have?": a headcount
        if not q.orgs and _SIDE.search(q.joined):
            return None  # "from the Chinese side": a side the facts do not name; no count of all
        org = q.orgs[0].id if q.orgs else None
        if deed is not None:
            people = list(self.facts.doers(deed, org))
        elif org is not None:
            people = [p for p in people if p.organisation == org]
        if q.orgs and deed is not None:
            # "How many from X signed?": the people of both conditions, and a text naming both.
            who = T[lang]["people_of_deed"].format(org=q.orgs[0].name[lang], deed=DEED_TEXT[lang][deed][3])
        elif q.orgs:
            who = T[lang]["people_of"].format(org=q.orgs[0].name[lang])
        elif deed is not None:
            who = T[lang]["people_deed"].format(deed=DEED_TEXT[lang][deed][3])
        else:
            who = T[lang]["people"]
        if not people:
            return None
        names = self._join([p.name[lang] for p in people], lang)
        if len(people) == 1:
            # One person: no plural count ("names 1 people").
            if q.orgs and deed is not None:
                text = T[lang]["one_of_deed"].format(
                    deed=DEED_TEXT[lang][deed][3], org=q.orgs[0].name[lang], names=names
                )
            elif q.orgs:
                text = T[lang]["one_of"].format(org=q.orgs[0].name[lang], names=names)
            elif deed is not None:
                text = T[lang]["one_deed"].format(
                    deed=DEED_TEXT[lang][deed][0 if lang == "en" else 3], names=names
                )
            else:
                text = T[lang]["one"].format(names=names)
        else:
            text = T[lang]["count"].format(n=count_word(len(people), lang), who=who, names=names)
        return text, "answered", people[0].intent, tuple(dict.fromkeys(s for p in people for s in p.source))

    def _all_of_role(
        self, q: _Asked, lang: str, _r: Ranking
    ) -> tuple[str, Outcome, str | None, tuple[str, ...]] | None:
        """ "Did both witnesses come from X?": check every person of that deed."""
        deed = q.deed
        if not q.yesno or q.people or len(q.orgs) != 1 or deed is None or deed == "quoted":
            return None
        if not _BOTH.search(q.joined):
            return None
        people = list(self.facts.doers(deed))
        if not people:
            return None
        org = q.orgs[0]
        role = DEED_TEXT[lang][deed][2]
        names = self._join([p.name[lang] for p in people], lang)
        if all(p.organisation == org.id for p in people):
            text = T[lang]["all_yes"].format(role=role, org=org.name[lang], names=names)
        else:
            text = T[lang]["all_no"].format(role=role, names=names)
        return text, "answered", people[0].intent, tuple(dict.fromkeys(s for p in people for s in p.source))

    def _deed(
        self, q: _Asked, lang: str, ranking: Ranking
    ) -> tuple[str, Outcome, str | None, tuple[str, ...]] | None:
        """One named person and a deed: yes/no, or a premise corrected."""
        deed = q.deed
        if deed is None or len(q.people) != 1:
            return None
        person = q.people[0]
        kinds = asked(q.text)
        if "person" in kinds or "role_person" in kinds:
            return None  # "who witnessed X's signature?" names a person who is not the subject
        done = deed in person.did
        if any(o.id != person.organisation for o in q.orgs) and _FOR.search(q.joined):
            # "for the city": the side the deed was done for; corrected when it is the other one.
            return self._other_side(q, person, deed, lang) if done else None
        if done and q.yesno and _IN_ROLE.search(q.joined):
            roles = roles_in(q.joined) - roles_in(normalise(" ".join(person.name.values())))
            if roles:
                return None  # "did X sign as mayor?": a role the release does not give X; no "yes"
        if done and (not q.yesno or deed == "quoted"):
            # A deed that holds, and what someone said, are the engine's to answer (its answer
            # types say "not stated" for words the release does not quote).
            return None
        others, sources = self._doers(deed, lang)
        texts = DEED_TEXT[lang][deed]
        # The person's own profile follows every reply: what the release does say about them.
        found = self._intent_answer(person.intent, lang)
        profile = f"\n{found[0]}" if found else ""
        sources = tuple(dict.fromkeys(person.source + sources + (found[1] if found else ())))
        if q.yesno and done:
            text = T[lang]["yes_deed"].format(person=person.name[lang], deed=texts[0])
            return text + profile, "answered", person.intent, sources
        if q.yesno:
            text = T[lang]["no_deed"].format(person=person.name[lang], deed_not=texts[1], others=others)
            return text.strip() + profile, "answered", person.intent, sources
        best = ranking.best
        near = self.kb.get(best.intent) if best is not None else None
        if near is not None and near.kind == "unknown" and best is not None and best.probability >= _SURE:
            return None  # a known unknown about that person's words says it with more context
        if (
            deed == "quoted"
            and best is not None
            and best.intent == person.intent
            and best.probability >= _SURE
        ):
            return None  # the person's own profile: the engine says what is not stated with it
        text = T[lang]["premise_deed"].format(person=person.name[lang], deed_not=texts[1], others=others)
        return text.strip() + profile, "unknown", person.intent, sources

    def _deed_of_several(
        self, q: _Asked, lang: str, ranking: Ranking
    ) -> tuple[str, Outcome, str | None, tuple[str, ...]] | None:
        """Several named people and a deed none of them did ("X and Y signed it, right?" of the
        two witnesses): the premise corrected for each, with those who did it. None when one of
        them did it (the others may be named for another part: "signed in Y's presence")."""
        deed = q.deed
        if deed is None or len(q.people) < 2 or any(deed in p.did for p in q.people):
            return None
        if asked(q.text) & {"person", "role_person"} or (q.orgs and _FOR.search(q.joined)):
            return None  # "who witnessed X's and Y's signatures?", "for the city": not a premise
        best = ranking.best
        near = self.kb.get(best.intent) if best is not None else None
        if (
            not q.yesno
            and near is not None
            and near.kind == "unknown"
            and best is not None
            and best.probability >= _SURE
        ):
            return None  # a known unknown about their words says it with more context
        others, sources = self._doers(deed, lang)
        deed_not = DEED_TEXT[lang][deed][1]
        if lang == "zh":
            each = "".join(f"{p.name[lang]}{deed_not}。" for p in q.people)
        else:
            each = " ".join(f"{p.name[lang]} {deed_not}." for p in q.people)
        head = T[lang]["no"] if q.yesno else T[lang]["not_said"]
        sources = tuple(dict.fromkeys(s for p in q.people for s in p.source)) + sources
        outcome: Outcome = "answered" if q.yesno else "unknown"
        return f"{head}{each} {others}".strip(), outcome, q.people[0].intent, tuple(dict.fromkeys(sources))

    def _doers_asked(
        self, q: _Asked, lang: str, ranking: Ranking
    ) -> tuple[str, Outcome, str | None, tuple[str, ...]] | None:
        """ "Who witnessed it?" when the best fact names people of whom none did that deed (the
        signatories for the witnesses): the people who did it, from the typed facts; None when
        the best fact names one of them (its answer says more) or names no one."""
        deed = q.deed
        if deed is None or deed == "quoted" or q.people or q.yesno or q.orgs:
            return None
        if not asked(q.text) & {"person", "role_person"}:
            return None
        best = ranking.best
        top = self.kb.get(best.intent) if best is not None else None
        if top is None or top.kind != "fact":
            return None
        named = named_in(self.facts.people, normalise(top.answer[lang]))
        if not named or any(deed in p.did for p in named):
            return None
        doers = self.facts.doers(deed)
        if not doers:
            return None
        text, sources = self._doers(deed, lang)
        return text, "answered", doers[0].intent, sources

    def _other_side(
        self, q: _Asked, person: Person, deed: Deed, lang: str
    ) -> tuple[str, Outcome, str | None, tuple[str, ...]] | None:
        """ "Why did X sign for the city?" when X signed for the other party: the side X did it for,
        and who did it for the side named; None when the side named right after "for" is X's own or
        none ("for the future of the city" names a purpose: left to the engine)."""
        if deed == "quoted":
            return None
        sides = self._sides_for(q)
        own = next((o for o in self.facts.organisations if o.id == person.organisation), None)
        if len(sides) != 1 or own is None or sides[0].id == own.id:
            return None
        side = sides[0]
        doers = self.facts.doers(deed, side.id)
        if not doers:
            return None
        texts = DEED_TEXT[lang][deed]
        text = T[lang]["other_side"].format(
            person=person.name[lang],
            deed=texts[0],
            own=own.name[lang],
            side=side.name[lang],
            names=self._join([p.name[lang] for p in doers], lang),
        )
        head = T[lang]["no"] if q.yesno else T[lang]["not_said"]
        sources = tuple(dict.fromkeys(s for p in (person, *doers) for s in p.source))
        return head + text, "answered" if q.yesno else "unknown", person.intent, sources

    def _words_of(
        self, q: _Asked, lang: str, ranking: Ranking
    ) -> tuple[str, Outcome, str | None, tuple[str, ...]] | None:
        """ "What does X think of the city?" of the person the release quotes: the best-ranked
        answer that quotes X (among the first few), even when the ranking is torn between it and
        others; a known unknown ranked above it and sure says it with more context."""
        if q.deed != "quoted" or len(q.people) != 1 or q.yesno or q.events or q.years:
            return None
        person = q.people[0]
        if "quoted" not in person.did or not asked(q.text) <= {"quote"}:
            return None
        if any(self._named(f.items, q.text, q.han) for f in self.facts.lists):
            return None  # "what did X say about the metro?": words on a topic the quote may not cover
        about_party = any(p.role == "party" for p in q.places) or any(
            o.id != person.organisation for o in q.orgs
        )
        about_deal = any(f.of and self._first(f.of, q.text, q.han) >= 0 for f in self.facts.lists)
        if not (about_party or about_deal):
            return None  # a view on the city or the deal is what the quote gives
        for item in ranking.items[:_QUOTE_RANKS]:
            intent = self.kb.get(item.intent)
            if intent is None:
                continue
            if intent.kind == "unknown" and item.probability >= _SURE:
                return None  # "what did X say about the metro lines?": the release does not say
            if intent.kind != "fact" or "quote" not in intent.provides:
                continue
            if person in named_in(self.facts.people, normalise(intent.answer[lang])):
                return intent.answer[lang], "answered", intent.id, intent.source
        return None

    def _sides_for(self, q: _Asked) -> tuple[Fact, ...]:
        """The parties a question names right after "for", "on behalf of", "für", "im Namen",
        "代表" (an article or "the city / government of" between allowed), in the order named."""
        found: dict[str, Fact] = {}
        for text, pattern, latin in ((q.text, _TO_SIDE, True), (q.han, _TO_SIDE_HAN, False)):
            for spot in _FOR.finditer(text):
                rest = text[spot.end() :]
                lead = pattern.match(rest)
                rest = rest[lead.end() :] if lead is not None else rest
                for org in self.facts.organisations:
                    if any(c.isascii() is latin and _starts(rest, c) for c in org.cues):
                        found.setdefault(org.id, org)
        return tuple(found.values())

    def _roles_in_passing(self, q: _Asked, person: Person) -> frozenset[tuple[str, bool]]:
        """The titles a question gives `person` in passing: "as / als + title" right after the name
        or its verb, or opening the sentence ("As the mayor, X ..."); "作为/身为 + title" next to the
        name, or "以……身份". Not "as well as", "as opposed to", "served as", "as X signed"."""
        found: set[tuple[str, bool]] = set()
        cues = self._pattern(person.cues)
        names = [m.end() for m in cues.latin.finditer(q.text)] if cues.latin is not None else []
        for spot in _AS_ROLE.finditer(q.text):
            rest = q.text[spot.end() :]
            end = _AS_END.search(rest)
            roles = roles_in(rest[: end.start()] if end is not None else rest)
            near = spot.start() == 0 or any(
                at <= spot.start() and _AS_GAP.match(q.text[at : spot.start()]) for at in names
            )
            if roles and near:
                found |= roles
        for spot in _AS_ROLE_HAN.finditer(q.han):
            if spot["own"] is not None:
                found |= roles_in(spot["own"])
                continue
            before, after = q.han[: spot.start()], q.han[spot.end() :].lstrip("，,")
            if spot.start() == 0 or any(before.endswith(c) or after.startswith(c) for c in cues.han):
                found |= roles_in(spot["role"])
        return frozenset(found)

    def _role_premise(
        self, q: _Asked, lang: str, ranking: Ranking
    ) -> tuple[str, Outcome, str | None, tuple[str, ...]] | None:
        """ "Is X the vice mayor?": no, when neither X's name nor X's profile gives that title (a
        deputy's title is not the full one); the profile follows."""
        if len(q.people) != 1:
            return None
        person = q.people[0]
        # "Why did X, as the mayor, attend?": a title given to X in passing is a premise too.
        passing = frozenset() if q.yesno else self._roles_in_passing(q, person)
        in_role = bool(passing)
        if not (in_role or (q.deed is None and (q.yesno or q.han.endswith("吧")))):
            return None
        asked_roles = passing if in_role else roles_in(q.joined)
        if not asked_roles:
            return None
        best = ranking.best
        near = self.kb.get(best.intent) if best is not None else None
        if (
            near is not None
            and near.kind == "unknown"
            and best is not None
            and best.probability >= CONFIDENCE
        ):
            return None  # a known unknown about that role says it with more context
        profile = self.kb.get(person.intent) if person.intent else None
        known = " ".join(person.name.values())
        if profile is not None:
            known += " " + " ".join(profile.answer.values())
        if asked_roles <= roles_in(normalise(known)):
            return None  # a title the release gives: the engine answers with the profile
        found = self._intent_answer(person.intent, lang)
        sources = tuple(dict.fromkeys(person.source + (found[1] if found else ())))
        said = f"\n{found[0]}" if found else ""
        if in_role:
            text = T[lang]["not_said"] + T[lang]["role_is"].format(person=person.name[lang])
            return text + said, "unknown", person.intent, sources
        text = T[lang]["no_role"].format(person=person.name[lang])
        return text + said, "answered", person.intent, sources

    def _tenure(
        self, q: _Asked, lang: str, _r: Ranking
    ) -> tuple[str, Outcome, str | None, tuple[str, ...]] | None:
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

    def _difference(
        self, q: _Asked, lang: str, _r: Ranking
    ) -> tuple[str, Outcome, str | None, tuple[str, ...]] | None:
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

    def _event_reply(self, text: str, *events: Event) -> tuple[str, Outcome, str | None, tuple[str, ...]]:
        named = [e for e in events if e.intent]
        sources = tuple(dict.fromkeys(s for e in events for s in e.source))
        return text, "answered", named[-1].intent if named else None, sources

    def _order(
        self, q: _Asked, lang: str, _r: Ranking
    ) -> tuple[str, Outcome, str | None, tuple[str, ...]] | None:
        """Which of two dated events came first; "was X before Y?"."""
        joined = q.joined
        first = _FIRST.search(joined)
        before, after = _BEFORE.search(joined), _AFTER.search(joined)
        asks = q.yesno or bool(_EITHER.search(joined))  # "是在…之前还是之后": either-or, no 吗
        if not (first or before or after) and not q.people and len(q.events) == 2:
            return self._already(q, lang)
        if q.people or not (first or (asks and (before or after))):
            return None
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

    def _already(self, q: _Asked, lang: str) -> tuple[str, Outcome, str | None, tuple[str, ...]] | None:
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

    def _when_check(
        self, q: _Asked, lang: str, _r: Ranking
    ) -> tuple[str, Outcome, str | None, tuple[str, ...]] | None:
        """ "Was it signed in 2023?": one event, one date named, yes or no with the real date."""
        if not q.yesno or len(q.events) != 1 or q.people or len(q.years) > 1:
            return None
        joined = q.joined
        span = _SPAN.search(joined) and not _SINCE_YEAR.search(joined)
        if _BEFORE.search(joined) or _AFTER.search(joined) or _DIFF.search(joined) or span:
            return None
        event = q.events[0]
        if not q.years and not q.month:
            return None
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
        key = "yes_when" if holds else "no_when"
        name = self._label(event, lang)
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

    def _weekday(
        self, q: _Asked, lang: str, _r: Ranking
    ) -> tuple[str, Outcome, str | None, tuple[str, ...]] | None:
        """ "On which weekday was it signed?": computed from the event's full date; "was it on a
        weekend / a Sunday?": yes or no, with the weekday."""
        if len(q.events) != 1 or q.people:
            return None
        named = _NAMED_DAY.search(q.joined)
        if q.yesno and (_WEEKEND.search(q.joined) or named):
            days = {5, 6} if named is None else {_NAMED_DAYS[named.group(0)]}
        elif q.yesno or not _WEEKDAY.search(q.joined):
            return None
        else:
            days = set()
        event = q.events[0]
        if event.month is None or event.day is None:
            return self._coarse_reply(event, lang)
        day = datetime.date(event.year, event.month, event.day).weekday()
        name = self._label(event, lang)
        text = T[lang]["weekday"].format(
            name=name[0].upper() + name[1:], when=self._when(event, lang), weekday=WEEKDAYS[lang][day]
        )
        if days:
            text = T[lang]["yes" if day in days else "no"] + text
        return self._event_reply(text, event)

    def _coarse(
        self, q: _Asked, lang: str, _r: Ranking
    ) -> tuple[str, Outcome, str | None, tuple[str, ...]] | None:
        """A day or month asked of an event known only by its year."""
        if len(q.events) != 1 or q.people:
            return None
        event = q.events[0]
        if event.month is not None or "day" not in asked(q.text):
            return None
        return self._coarse_reply(event, lang)

    def _coarse_reply(self, event: Event, lang: str) -> tuple[str, Outcome, str | None, tuple[str, ...]]:
        """The engine's own "not stated" reply (the same lines): what is missing, then what the
        release does say, the event's intent answer where it has one."""
        sep = "：" if lang == "zh" else ": "
        found = self._intent_answer(event.intent, lang)
        said = found[0] if found else f"{self._date(event, lang)}{sep}{event.says[lang]}"
        head = UI[lang]["not_stated_part"].format(aspects=ASPECTS[lang]["day"])
        text = f"{head}\n\n{UI[lang]['not_stated']}\n{said}"
        return text, "not_stated", event.intent, found[1] if found else event.source

    def _member(
        self, q: _Asked, lang: str, ranking: Ranking
    ) -> tuple[str, Outcome, str | None, tuple[str, ...]] | None:
        """ "Is <area> part of it?": yes with the item, or no with the whole list."""
        if not q.yesno or q.people or self._container(q):
            return None
        best = ranking.best
        # The list the question names by its longest cue ("business area" before "area").
        named: list[tuple[int, FactList]] = []
        for fact_list in self.facts.lists:
            spots = [len(c) for c in fact_list.cues if self._at(c, q.text, q.han) >= 0]
            if spots:
                named.append((max(spots), fact_list))
        if named:
            fact_list = max(named, key=lambda n: n[0])[1]
            items = self._named(fact_list.items, q.text, q.han)
            return self._member_reply(fact_list, items, bool(_MEMBER.search(q.joined)), True, lang)
        about = next((f for f in self.facts.lists if best is not None and best.intent == f.intent), None)
        if about is not None:
            return self._member_reply(about, self._named(about.items, q.text, q.han), False, False, lang)
        return self._member_of(q, lang)

    def _focus_premise(
        self, q: _Asked, lang: str, _r: Ranking
    ) -> tuple[str, Outcome, str | None, tuple[str, ...]] | None:
        """ "Why is the agreement mainly about X?" with an X that is none of its items: the premise
        does not hold; the first list of the agreement (its areas) corrects it. Only a question that
        names nothing else the facts know (no item, list, person, party or place)."""
        if q.yesno or q.people or q.orgs or q.places or q.events or q.years:
            return None
        if not (_WHY.search(q.joined) and _FOCUS.search(q.joined)):
            return None
        owned = [f for f in self.facts.lists if f.of and self._first(f.of, q.text, q.han) >= 0]
        if not owned:
            return None
        for fact_list in self.facts.lists:
            if self._first(fact_list.cues, q.text, q.han) >= 0 or self._named(fact_list.items, q.text, q.han):
                return None  # "why mainly these areas?", "why mainly digitalization?": no premise to correct
        first = owned[0]
        head = first.name[lang]
        every = self._join([i.name[lang] for i in first.items], lang)
        text = T[lang]["focus_no"].format(list=head[0].upper() + head[1:], items=every)
        return text, "unknown", first.intent, first.source

    def _rest_of_list(
        self, q: _Asked, lang: str, _r: Ranking
    ) -> tuple[str, Outcome, str | None, tuple[str, ...]] | None:
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
        if any(self._named(f.items, q.text, q.han) for f in self.facts.lists):
            return None
        named = [
            (max(len(c) for c in f.cues if self._at(c, q.text, q.han) >= 0), f)
            for f in self.facts.lists
            if f.intent is not None and any(self._at(c, q.text, q.han) >= 0 for c in f.cues)
        ]
        if not named:
            return None
        whole = max(named, key=lambda n: n[0])[1]  # "business area" before "area"
        found = self._intent_answer(whole.intent, lang)
        return None if found is None else (found[0], "answered", whole.intent, found[1])

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

    def _member_of(self, q: _Asked, lang: str) -> tuple[str, Outcome, str | None, tuple[str, ...]] | None:
        """ "Is water treatment part of the agreement?": checked against every list of the agreement
        (its areas and its goals); only a question that names nothing else the facts know."""
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
                return self._member_reply(fact_list, items, True, True, lang)
        first, *others = owned
        found = self._member_reply(first, (), True, True, lang)
        if found is None:
            return None
        text = ("" if lang == "zh" else " ").join([found[0], *(self._list_line(f, lang) for f in others)])
        sources = tuple(dict.fromkeys(s for f in owned for s in f.source))
        return text, "answered", owned[0].intent, sources

    def _list_line(self, fact_list: FactList, lang: str) -> str:
        """ "The goals of the cooperation: a, b and c." as one sentence."""
        head = fact_list.name[lang]
        items = self._join([i.name[lang] for i in fact_list.items], lang)
        if lang == "zh":
            return f"{head}：{items}。"
        return f"{head[0].upper() + head[1:]}: {items}."

    def _member_reply(
        self, fact_list: FactList, items: tuple[Fact, ...], member: bool, named_list: bool, lang: str
    ) -> tuple[str, Outcome, str | None, tuple[str, ...]] | None:
        head = fact_list.name[lang]
        head = head[0].upper() + head[1:]
        every = self._join([i.name[lang] for i in fact_list.items], lang)
        if items:
            text = T[lang]["member_yes"].format(item=items[0].name[lang], list=head, items=every)
        elif member and named_list:
            text = T[lang]["member_no"].format(list=head, items=every)
        else:
            return None
        return text, "answered", fact_list.intent, fact_list.source

    def _key_facts(
        self, q: _Asked, lang: str, _r: Ranking
    ) -> tuple[str, Outcome, str | None, tuple[str, ...]] | None:
        """The key facts, composed: the events in order, who signed, witnessed and was quoted, the lists."""
        if not _SUMMARY.search(q.joined) or q.people or q.yesno or len(q.events) > 1:
            return None
        if any(p.role != "party" for p in q.places):
            return None
        lines = [T[lang]["key_facts"]]
        events = sorted(self.facts.events, key=lambda e: (e.year, e.month or 0, e.day or 0))
        sep = "：" if lang == "zh" else ": "
        for event in events:
            lines.append(f"• {self._date(event, lang)}{sep}{event.says[lang]}")
        deeds: tuple[tuple[Deed, str], ...] = (
            ("signed", "signed_by"),
            ("witnessed", "witnessed_by"),
            ("quoted", "quoted"),
        )
        for deed, key in deeds:
            people = [p.name[lang] for p in self.facts.doers(deed)]
            if people:
                lines.append(f"• {T[lang][key]}{sep}{self._join(people, lang)}")
        for fact_list in self.facts.lists:
            name = fact_list.name[lang]
            items = self._join([i.name[lang] for i in fact_list.items], lang)
            lines.append(f"• {name[0].upper() + name[1:]}{sep}{items}")
        sources = tuple(
            dict.fromkeys(s for fact in (*events, *self.facts.people, *self.facts.lists) for s in fact.source)
        )
        order = {s: n for n, s in enumerate(("title", "p1", "p2", "p3", "p4", "p5"))}
        latest = next((e.intent for e in reversed(events) if e.intent and self.kb.get(e.intent)), None)
        return "\n".join(lines), "answered", latest, tuple(sorted(sources, key=lambda s: order.get(s, 99)))
