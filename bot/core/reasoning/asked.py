"""What a question names and how it asks: the record of one reading (`_Asked`), the cues of the
facts compiled, yes/no and the deed asked, the roles a text names, and the cue tables they read
(pure, no I/O).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeAlias, TypeVar

from bot.core.reply import Outcome
from bot.knowledge.model import Deed, Event, Fact, Person, Place

# What a check finds: the reply's text, its outcome, the intent it stands for and its sources.
Found: TypeAlias = tuple[str, Outcome, str | None, tuple[str, ...]]

# The confidence of a computed reply: it rests on the facts the question names, not on a match.
CONFIDENCE = 0.9
# An off-topic reading this sure is left alone by the checks (and the engine does not try them).
OFFTOPIC_SURE = 0.7

_YESNO = re.compile(
    # A negated verb first asks yes or no too ("Isn't it true ...?", "Wasn't it signed in 2023?").
    r"^(?:(?:so|and|but|also|ok|und|also|aber|hey|hi|hallo)\s+)?"
    r"(?:(?:is|are|was|were|did|does|do|has|have|had)n t|is|are|was|were|did|does|do|has|have|had|"
    r"ist|sind|war|waren|wurde|wurden|hat|haben|hatte|hatten|gehort|gehoren|kam|kamen|stammt|stammen|"
    r"stammte|stammten|fand|gibt|gab|zahlt|zahlen|unterschrieb|unterschrieben|unterzeichnete|"
    r"unterzeichneten|bezeugte|stimmt|"
    # German puts the verb first: "Umfasst die Vereinbarung X?", "Enthält sie Y?".
    r"umfasst|umfassen|beinhaltet|beinhalten|enthalt|enthalten|deckt|decken)\b|\bis it true\b|\bstimmt es\b"
)
# "Umfasst die Vereinbarung welche Bereiche?": a verb of containing first, then a question word,
# asks which, not yes or no.
_ASKS_WHICH = re.compile(
    r"^(umfasst|umfassen|beinhaltet|beinhalten|enthalt|enthalten|deckt|decken) "
    r".*\b(welche[nmrs]?|was|wie ?viele)\b"
)
# "主要是X吧": a guess put for confirmation, with 吧 at its end.
_YESNO_HAN = re.compile(r"吗$|是否|是不是|有没有|对吗|对不对|没有$|对吧$|是吧$|[的了]吧$|是.{1,20}吧$")
# A statement with a tag: "It was signed in 2023, right?", "..., oder?", "..., nicht wahr?".
_TAG = re.compile(
    r"\b(right|correct|true|(isn|wasn|didn|doesn|hasn) ?t (it|he|she)|(aren|weren|don) ?t they|oder|richtig|"
    r"stimmt s|nicht wahr|gell|korrekt|zutreffend|stimmt das|ist das so|or not|oder nicht|yes or no|"
    r"ja oder nein)$"
)
_ROLES = {
    "mayor": ("mayor", "burgermeister", "市长", "市長"),
    "ceo": ("ceo", "chief executive", "首席执行官", "首席執行官"),
    "president": ("president", "prasident", "总裁", "總裁"),
    "chairman": ("chairman", "chairwoman", "vorsitzende", "董事长", "董事長"),
    "secretary": ("secretary", "sekretar", "书记", "書記"),
    # A secretary-general is another post than the secretary ("Is X the party secretary?" of the
    # committee's secretary-general is a premise to correct).
    "secretary_general": ("secretary general", "generalsekretar", "秘书长", "祕書長"),
    "governor": ("governor", "gouverneur", "省长", "省長"),
    "minister": ("minister", "部长", "部長"),
    # An adviser's post ("economic adviser to the mayor"); not an advisory body ("advisory group",
    # "Beratergruppe", "顾问团"): see roles_in.
    "advisor": ("advisor", "adviser", "berater", "顾问", "顧問"),
    # Other executives' titles, which no one here holds ("Is X the CFO?").
    "cfo": (
        "cfo",
        "chief financial officer",
        "finanzvorstand",
        "finanzchef",
        "首席财务官",
        "財務總監",
        "财务总监",
    ),
    "cto": ("cto", "chief technology officer", "technikvorstand", "首席技术官", "首席技術官"),
    "coo": ("coo", "chief operating officer", "首席运营官", "首席營運官"),
}
_DEPUTY = re.compile(r"vice|deputy|vize|stellvertret|副")


def _starts(text: str, cue: str) -> bool:
    """True when `text` opens with `cue` (a whole word, for a Latin cue)."""
    if not text.startswith(cue):
        return False
    return not cue.isascii() or len(text) == len(cue) or not text[len(cue)].isalnum()


def _title_word(word: str) -> str:
    """A title word as a pattern: a short Latin one as a word of its own ("coo" is not in
    "cooperation")."""
    return rf"\b{re.escape(word)}\b" if word.isascii() and len(word) <= 4 else re.escape(word)


# Each title's words found, compiled once; and, for what a title is of, its Latin words found
# also inside a compound ("Wirtschaftsberater").
_TITLE_WORDS = {role: tuple(re.compile(_title_word(w)) for w in words) for role, words in _ROLES.items()}
_TITLE_STEMS = {
    role: tuple(re.compile(rf"{re.escape(w)}\w*") for w in words if w.isascii())
    for role, words in _ROLES.items()
}
_ROLE_WORD = re.compile("|".join(_title_word(w) for words in _ROLES.values() for w in words))
# The titles' words in Han characters, longest first ("首席执行官" before "执行官").
HAN_TITLES = tuple(
    sorted((w for words in _ROLES.values() for w in words if not w.isascii()), key=len, reverse=True)
)


def title_word(word: str) -> bool:
    """True when a normalised word is a title's ("mayor", "burgermeister")."""
    return _ROLE_WORD.fullmatch(word) is not None


def after_role(text: str) -> str:
    """What a normalised text says after its last title word ("" when it names none)."""
    ends = [m.end() for m in _ROLE_WORD.finditer(text)]
    return text[ends[-1] :].strip() if ends else ""


def roles_in(text: str, held: bool = False) -> frozenset[tuple[str, bool]]:
    """The titles a normalised text names, each with whether it is a deputy's ("vice mayor");
    `held`: only those it gives someone, not another's it names ("advisor to the mayor", "des
    Bürgermeisters", "the mayor's council", "市长经济顾问")."""
    found = set()
    for role, words in _TITLE_WORDS.items():
        for word in words:
            for spot in word.finditer(text):
                if role == "secretary" and _GENERAL.search(text[max(0, spot.start() - 8) : spot.end() + 8]):
                    continue  # the secretary-general's title
                if role == "advisor" and _BODY.match(text[spot.end() :]):
                    continue  # an advisory body, no one's post
                if held and (
                    _ANOTHERS_BEFORE.search(text[: spot.start()]) or _ANOTHERS_AFTER.match(text[spot.end() :])
                ):
                    continue
                found.add((role, bool(_DEPUTY.search(text[max(0, spot.start() - 20) : spot.start()]))))
    return frozenset(found)


# A body of advisers, not an adviser ("advisory council", "Beratergruppe", "顾问团").
_BODY = re.compile(r"y\b|(?:gruppe|gremium|kreis|rat|stab)|团|團")
# What a title is of, after it ("CEO of Acme <country>", "President and CEO of <company>", "Vize-
# bürgermeister von <city>"): the first two words after "of / von / der / des".
_QUALIFIER = re.compile(
    r"^[\s\w]{0,25}?\b(?:of|to|von|der|des|dem|beim)\s+(?:the\s+|die\s+)?([a-z0-9]+(?:\s+[a-z0-9]+)?)"
)


def role_qualifiers(text: str, roles: frozenset[tuple[str, bool]]) -> frozenset[str]:
    """What the titles of `roles` a normalised text names are of ("acme china" for "ceo of acme
    china"), for each of its words that stands with one."""
    found = set()
    for role, _ in roles:
        for word in _TITLE_STEMS.get(role, ()):
            for spot in word.finditer(text):
                qualifier = _QUALIFIER.match(text[spot.end() :])
                if qualifier is not None:
                    found.add(qualifier.group(1))
    return frozenset(found)


# A title named as someone else's, to whom or of whom the text speaks, or the object of a verb:
# "to the mayor", "advises the mayor", "des Bürgermeisters", "den Bürgermeister berät", "the mayor's
# council" (normalised: "mayor s"), "市长经济顾问", "为市长", "市长国际经济咨询顾问团".
_ANOTHERS_BEFORE = re.compile(
    r"(?:\b(?:to(?: the)?|for(?: the)?|of(?: the)?|with(?: the)?|by(?: the)?|advis\w*(?: the)?|des|dem|den|"
    r"beim|vom|von|fur den|mit dem|like|unlike|besides|wie|neben|ausser)\s+(?:\w+\s+)?|"
    r"(?:为|為|给|給|替|向|像|和|与|跟|同))$"
)
# ... or joined to the word for what the person is to its holder ("mayoral adviser", "Bürgermeister-
# Berater", "Bürgermeisterberater").
_ANOTHERS_AFTER = re.compile(
    r"\s+s\b|s\b|al\b|\s*(?:-|的)?\s*(?:(?:economic|wirtschafts)\s*)?(?:adviser|advisor|berater)|"
    r"\s*的?\s*(?:经济|經濟|国际|國際|顾问|顧問)"
)


_GENERAL = re.compile(r"secretary ?general|generalsekretar")


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
        # "What does he call the city?", "Wie nennt er die Stadt?", "他怎么称呼这座城市".
        r"\bwhat (does|did) .{1,40} call\b|\bwie (nennt|nannte|bezeichnet|bezeichnete)\b|称呼|"
        r"\bnannte .{1,40} (ein|eine|einen)\b|称.{1,10}为"
    ),
    "witnessed": re.compile(r"\b(witness\w*|zeuge[n]?|zeugin|bezeugt\w*)\b|见证"),
    "signed": re.compile(
        r"\b(sign|signs|signed|signator\w*|signature|unterschr\w*|unterzeichne(te|ten|t|r)?|signiert\w*|"
        # officialese: "die Vereinbarung gezeichnet haben", "zeichnete für die Stadt"
        r"gezeichnet|zeichnete|zeichneten)\b|"
        r"签署(?!仪式)|签字(?!仪式)|签了|签的|签名|签下|签约(?!仪式)"
    ),
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
    words: tuple[str, ...]  # the Latin cues as they are: the pattern can match only where one stands

    @classmethod
    def of(cls, cues: Sequence[str]) -> _Cues:
        latin = sorted((c for c in cues if c and c[0].isascii()), key=len, reverse=True)
        han = tuple(c.replace(" ", "") for c in cues if c and not c[0].isascii())
        found = re.compile(r"(?<![a-z0-9])(?:" + "|".join(map(re.escape, latin)) + ")") if latin else None
        return cls(found, han, tuple(latin))

    def may_hold(self, text: str) -> bool:
        """False when `text` surely holds none of the Latin cues: a substring test, as most
        questions hold no cue of most facts and the pattern, which also asks for a word's start,
        is the slower way to find that out."""
        return self.latin is not None and any(word in text for word in self.words)

    def removed_from(self, text: str) -> str:
        """`text` less every word a Latin cue begins and every Han cue."""
        if self.latin is not None and self.may_hold(text):
            text = re.sub(self.latin.pattern + r"[a-z0-9]*", " ", text)
        for cue in self.han:
            text = text.replace(cue, " ")
        return text

    def first(self, text: str, han: str) -> int:
        """Where the first of the cues stands in the question (`han`: without spaces), or -1."""
        at = -1
        if self.latin is not None and self.may_hold(text):
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


# Words a German question may open with before its question word ("und was ...?").
_OPENING = re.compile(r"^(?:(?:und|also|aber|ok|hallo|hey)\s+)+")


def yes_no(normalised: str, lang: str) -> bool:
    """True when a normalised question asks yes or no (read as the checks read it)."""
    return _yesno(normalised, normalised.replace(" ", ""), lang)


def _yesno(text: str, han: str, lang: str) -> bool:
    """A yes/no question: a verb first (German "was" is "what", not a verb), a tag, or 吗."""
    if lang == "de" and _OPENING.sub("", text).startswith("was "):
        return bool(_TAG.search(text))  # "(und) was hat ... gesagt?" asks what, not yes or no
    if _ASKS_WHICH.search(text):
        return False
    return bool(_YESNO.search(text) or _YESNO_HAN.search(han) or _TAG.search(text))


# The signing as the time of a presence, not a deed of the person asked about: "Was X present
# when it was signed?", "War X anwesend, als unterschrieben wurde?", "X出席签约了吗" (a witness
# was there; "No, X did not sign" would answer another question). "Signed by X" stays a deed.
_AT_THE_SIGNING = re.compile(
    r"\b(was|were|been|being|got|wurde|wurden|worden) (\w+ )?(signed|unterzeichnet|unterschrieben)\b"
    r"(?! (by|von|durch)\b)|\b(present|presence|attend|attended|attending|anwesend|zugegen|beisein|"
    r"anwesenheit)\b|出席|在场|到场"
)
# The signing as a day or an occasion ("签字那天", "签约当天", "签约仪式上"): no deed of its own; a
# deed asked besides it ("签约仪式上X签字了吗？") still is.
_SIGNING_OCCASION = re.compile(r"(?:签字|签约|签署)(?:那天|当天|那日|仪式上?|现场)")


# The release as what says it ("Does it say how many ...?", "Sagt die Mitteilung, ...?", "新闻稿说了
# ……吗"): no one's words asked for.
_RELEASE_SAYS = re.compile(
    r"\b(?:does|do|did) (?:it|the (?:press )?release|the text|the announcement|the statement) "
    r"(?:say|state|mention)\b|\b(?:sagt|sagte) (?:die|der|das) (?:presse)?(?:mitteilung|meldung|text)\b"
)
_RELEASE_SAYS_HAN = re.compile(r"(?:新闻稿|通稿|公告|文中|稿子)(?:里|中)?(?:有)?(?:说|说了|提到)")


def _deed_asked(text: str, han: str) -> Deed | None:
    text = _SIGNING_OCCASION.sub(" ", _RELEASE_SAYS.sub(" ", text))
    han = _SIGNING_OCCASION.sub("", _RELEASE_SAYS_HAN.sub("", han))
    # "What did X say at the signing?" is about words; "witnessed the signing" about witnessing.
    for deed in DEEDS:
        if deed_in_text(deed, text, han):
            if deed == "signed" and (_AT_THE_SIGNING.search(text) or _AT_THE_SIGNING.search(han)):
                return None
            return deed
    return None


_F = TypeVar("_F", bound=Fact)


def without_named(facts: Sequence[Fact], normalised: str) -> str:
    """A normalised text less what names each of the facts."""
    for fact in facts:
        normalised = _compiled(fact.cues).removed_from(normalised)
    return normalised


def named_in(facts: Sequence[_F], normalised: str) -> tuple[_F, ...]:
    """The facts a normalised text names by their cues, in the order it names them."""
    han = normalised.replace(" ", "")
    spots = [(p, f) for f in facts if (p := _compiled(f.cues).first(normalised, han)) >= 0]
    return tuple(f for _, f in sorted(spots, key=lambda s: s[0]))


# A statement put for confirmation: "..., correct?", "..., richtig?", "……，对吗？".
CONFIRM_TAG = re.compile(
    r"\b(right|correct|true|is that so|isn t it|richtig|stimmt s|stimmt das|oder|nicht wahr|gell)$|"
    r"(对吗|对不对|是吗|是不是|没错吧|对吧|是这样吗)$"
)
# A claim put for confirmation: "Is it true that ...", "Stimmt es, dass ...".
CLAIM_FRAME = re.compile(
    r"\b(true|correct|right|so|sure|confirm\w*)\b.{0,12}\bthat\b|"
    r"\b(stimmt|richtig|wahr|korrekt|zutreffend)\b.{0,14}\bdass\b"
)
NEGATION = re.compile(r"\b(not|never|didn ?t|wasn ?t|hasn ?t|neither|nicht|nie|niemals|weder)\b")


# The Chinese words that deny a deed ("有没有" asks yes or no: not one of them).
NEGATION_HAN_WORDS = "没有|没|并未|未|并没有|不曾"
_NEGATION_HAN = re.compile(rf"(?<!有)({NEGATION_HAN_WORDS}|不是|不包括|不包含|不涵盖|不属于)")


# A claim put as false for confirmation ("Is it false that ...?", "Ist es falsch, dass ...?",
# "……是错的吗"): a "yes" confirms the opposite of what follows.
# (Not "is it not true that ...?", "ist es nicht richtig, dass ...?": a confirmation asked for.)
FALSE_FRAME = re.compile(
    r"(?<!not )\b(false|wrong|incorrect|untrue)\b.{0,12}\bthat\b|"
    r"(?<!nicht )\b(falsch|unwahr|unrichtig)\b.{0,14}\bdass\b|"
    r"(是错的|是假的|是错误的)|"
    # "……，此说是否有误？": whether the claim before is wrong.
    r"(是否有误|有误吗|是否有错|有错吗|是否错误|是否不实)"
)


# "Only X?", "nur X", "只涉及X": one item claimed to be all of a list (not "not only X").
_ONLY = re.compile(r"\b(only|solely|exclusively|nur|ausschlie\w*|lediglich|allein)\b|只|仅|唯一|单单")
_NOT_ONLY = re.compile(
    r"\b(not only|nicht nur|not just|only one of|just one of|nur (?:einer|eine|eines) (?:der|von))\b|"
    r"不只|不仅|不光|之一"
)


def only_claimed(joined: str) -> bool:
    """True when a question claims something of one thing only ("only X?"; not "not only X", not
    "only one of")."""
    return _ONLY.search(joined) is not None and _NOT_ONLY.search(joined) is None


def negated_claim(text: str, han: str) -> bool:
    """True when a claim put for confirmation denies something ("Is it true that it was not
    signed in 2023?", "Stimmt es, dass ... nicht ...", "……不是2023年签的，对吗？"), or is put as
    false ("Is it false that it was signed in 2024?"; both: it affirms it)."""
    false = FALSE_FRAME.search(text) or FALSE_FRAME.search(han)
    if false is not None:
        after = text[false.end() :] if FALSE_FRAME.search(text) else ""
        inner = bool(NEGATION.search(after) or _NEGATION_HAN.search(han.replace(false.group(0), "")))
        return not inner
    denied = CONFIRM_TAG.sub("", han).replace("是不是", "")  # the tags' own 不 denies nothing
    frame = CLAIM_FRAME.search(text)
    if frame is not None:
        return bool(NEGATION.search(text, frame.end()) or _NEGATION_HAN.search(denied))
    if CONFIRM_TAG.search(text) or CONFIRM_TAG.search(han):
        return bool(NEGATION.search(text.replace("nicht wahr", "")) or _NEGATION_HAN.search(denied))
    return False


DEEDS: tuple[Deed, ...] = ("quoted", "witnessed", "signed")


def deed_in_text(deed: Deed, text: str, han: str) -> bool:
    """True when a question's text (or its Han reading) names `deed`."""
    return bool(_DEEDS[deed].search(text) or _DEEDS[deed].search(han))


def deed_spot(deed: Deed, text: str) -> int:
    """Where `text` first names `deed` (-1: nowhere)."""
    found = _DEEDS[deed].search(text)
    return found.start() if found is not None else -1


def deed_in(normalised: str) -> Deed | None:
    """The deed a normalised question asks about ("who witnessed ...": witnessed), or None."""
    return _deed_asked(normalised, normalised.replace(" ", ""))
