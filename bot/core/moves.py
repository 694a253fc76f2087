"""The conversation's moves, recognised in de, en and zh (pure text, on normalised questions).

A move is a message that only makes sense after the last answer: asking for more ("tell me more",
"mehr dazu", "详细说说"), pointing at one of the people the last answer named ("and the second
one?", "der andere?", "另一位呢？"), correcting the last question ("no, I meant the office"), or
going back to an earlier turn ("back to the date you mentioned before"). This module only finds
the move and what is left of the message around it; bot.core.followups reads it in the chat's light.
Every word here is a word of the languages, none of an announcement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from bot.core.lang import simplified
from bot.knowledge.model import AnswerType

# Which of the people just named: a position (0 the first, -1 the last) or the one not in focus.
# "which": the one of them the rest of the message describes ("which of the two signed for X?").
Pick = int | Literal["other", "which"]


@dataclass(frozen=True)
class Found:
    """A move found in a message, and the rest of the message without it."""

    rest: str


@dataclass(frozen=True)
class Ordinal(Found):
    """ "The second one", "der andere", "另一位": one of the people the last answer named."""

    pick: Pick


@dataclass(frozen=True)
class Correction(Found):
    """ "No, I meant X": X replaces a term of the last question (X is `rest`)."""


@dataclass(frozen=True)
class Earlier(Found):
    """ "Back to the date you mentioned before": an earlier turn, with the kind of detail named."""

    kind: AnswerType | None
    first: bool = False  # "your first answer", "meine erste Frage", "第一个问题": the first turn
    # "Back to the witnesses: what is ...?": the words naming the turn, when a question of its own
    # follows them (`rest` is then that question), with the kind of detail those words name.
    subject: str = ""
    subject_kind: AnswerType | None = None


# -- asking for more ---------------------------------------------------------------------------

_MORE = re.compile(
    r"\b(?:(?:tell (?:me|us)|say|explain) (?:a (?:bit|little) |some(?:thing)? |a few things )?more|"
    r"more (?:details?|info(?:rmation)?|on (?:that|this|it)|about "
    r"(?:that|this|it))|(?:go|going) on|elaborate|expand on (?:that|this|it)|in (?:more )?detail|"
    r"details please|anything (?:else|more)|what else|(?:and|what) more|something more|"
    r"(?:know|learn|hear|read) more|be more (?:specific|precise|concrete)|"
    # (Not "what does that mean for X?": what it means for someone, a question of its own.)
    r"what (?:exactly )?(?:does|did) (?:that|this|it) mean(?! (?:for|to)\b))\b|"
    r"^(?:more|details?|and|and then)$|"
    r"\b(?:mehr (?:dazu|daruber|davon|details|infos?|informationen|erfahren|bitte)|"
    r"erzahl(?:en sie|e|t)? (?:mir |uns )?(?:bitte )?(?:mehr|genauer|naheres)|noch mehr|genauer bitte|"
    r"ausfuhrlicher|naheres|weitere (?:details|informationen|einzelheiten)|im detail|was noch|"
    r"mehr (?:erzahlen|sagen|berichten|dazu sagen|daruber sagen)|^und sonst|sonst noch (?:etwas|was|\w+)|"
    r"noch (?:etwas|was) (?:dazu|daruber)|mehr wissen|"
    r"was (?:heisst|bedeutet) (?:das|dies)(?: genau| konkret)?(?! fur\b)|"
    r"geht es weiter|^und weiter|^und dann)\b|"
    r"^(?:mehr|genauer|details?|und)$|"
    r"详细(?:说说|说一下|讲讲|讲一下|一点|一些|点|些|介绍一下|介绍)|具体(?:说说|讲讲|说一下|介绍一下|一点|一些|点|些)|"
    r"^具体(?:是)?什么意思|^(?:这|那)?是什么意思|^然后呢?$|了解更多|知道更多|"
    r"(?:说|讲)得?(?:更)?(?:详细|具体|清楚)|"
    r"展开(?:说说|讲讲|说一下)|多(?:说|讲|介绍)(?:一点|点|一些|些|一下|讲)?|再(?:说说|多说|讲讲)|"
    r"更多(?:信息|细节|内容|详情)?|还有(?:什么|吗|呢)|还有(?:别的|其他|其它)(?:的)?(?:吗|呢|$)|"
    # Other examples of what the last answer gave one of: "any other examples?", "weitere Beispiele?",
    # "还有其他例子吗".
    r"\b(?:any |some )?(?:other|more|further) examples?\b|\b(?:weitere|andere|noch) beispiele?\b|"
    r"(?:其他|其它|别的|更多)(?:的)?例子"
)


# What may stand around a request for more without naming a subject of its own: asking politely.
_MORE_FRAME = frozenset(
    "can could would will you please pls me us a bit little some about it that this on there "
    "i i'd d like want would love to know learn hear read "
    "kannst konnen konntest konnten sie du mir uns bitte etwas noch dazu daruber davon mal "
    "ich mochte mochten will wurde gern gerne wissen erfahren".split()
)
_MORE_FRAME_HAN = re.compile(
    r"可以|可不可以|能不能|能否|能|请|麻烦|你|给我|给|再|一点|一些|一下|点|些|得|更|吗|吧|呢|啊|我想|想|了解|知道"
)


def _unframed(text: str) -> str:
    """What a message says besides asking politely for something ("can you say ... please",
    "能不能说一下")."""
    words = [w for w in text.split() if w not in _MORE_FRAME and w not in _AGAIN_WORDS]
    return " ".join(_PART_HAN.sub(" ", w) if not w.isascii() else w for w in words).strip()


def more(normalised: str) -> Found | None:
    """A request for more on the last answer, or None; `rest` is what it says besides asking
    (politeness taken off: "can you tell me a bit more?" leaves nothing)."""
    found = _MORE.search(normalised)
    if found is None:
        return None
    rest = _rest(normalised, found)
    words = [w for w in rest.split() if w not in _MORE_FRAME]
    return Found(" ".join(_MORE_FRAME_HAN.sub(" ", w) if not w.isascii() else w for w in words).strip())


# Asking politely in Chinese, around a part asked for ("地铁这块能不能说一下呢").
_PART_HAN = re.compile(
    r"可以|可不可以|能不能|能否|能|请|麻烦|你|给我|给|再|一点|一些|一下|说|讲|告诉我|吗|吧|呢|啊|我想|想|了解|知道"
)


_BESIDES = re.compile(
    # "abgesehen davon": the "davon" is left to say what is set aside (what was just said).
    r"\b(?:besides|apart from|other than|except|ausser|neben|abgesehen von|abgesehen(?= davon))\b|"
    r"除了|以外|之外"
)


def besides(normalised: str) -> bool:
    """True when a message asks for what else there is besides something ("what else besides the
    metro lines", "außer den U-Bahn-Linien", "除了地铁以外")."""
    return bool(_BESIDES.search(normalised))


# What a message that only sets something aside says besides it: "and", "what else", "was noch",
# "还有什么", "呢".
_BESIDES_FRAME = re.compile(
    r"\b(?:and|or|what|else|other|others|anything|is|are|there|und|oder|was|sonst|noch|weiter|weitere|"
    r"andere|anderes|gibt|es)\b|还有|什么|别的|其他|其它|以外|之外|呢|吗|的"
)


def besides_only(normalised: str) -> str | None:
    """ "Apart from the metro?", "und außer der U-Bahn, was noch?", "除了地铁呢？": the words naming
    what is set aside, when the message asks nothing else; else None."""
    found = _BESIDES.search(normalised)
    if found is None:
        return None
    words = _BESIDES_FRAME.sub(" ", _rest(normalised, found)).split()
    han = sum(len(w) for w in words if not w.isascii())
    latin = [w for w in words if w.isascii()]
    if not words or len(latin) > _SET_ASIDE_WORDS or han > _SET_ASIDE_HAN:
        return None
    return " ".join(words)


_SET_ASIDE_WORDS = 4  # "the metro lines in the city": longer, and it asks something of its own
_SET_ASIDE_HAN = 8


# -- a part of the last answer -----------------------------------------------------------------

# Tried in this order: "the part about X" before "the X part", "关于X的部分" before "X那部分".
_PARTS = tuple(
    re.compile(pattern)
    for pattern in (
        r"\b(?:the|that) (?:part|bit|section|passage) (?:about|on|with|regarding|concerning) (?P<x>.+)$",
        r"\b(?:the|that|this) (?P<x>(?:\w+ ){0,2}?\w+) (?:part|bit|section|passage|piece)\b",
        r"\b(?:der|den|dem|die|das) (?:teil|abschnitt|punkt|stuck) "
        r"(?:uber|zu|zum|zur|mit|von|bei|betreffend) (?P<x>.+)$",
        r"(?:关于|有关)(?P<x>[\u4e00-\u9fff]{1,8}?)的?(?:那|这)?一?(?:部分|块|段)",
        r"(?P<x>[\u4e00-\u9fff]{1,8}?)的?(?:那|这)一?(?:部分|块|段)",
        r"(?P<x>[\u4e00-\u9fff]{1,8}?)的?部分",
    )
)
# Words that say nothing of what the part is about: "that part", "the last bit", "这部分".
_PART_EMPTY = frozenset("last first other next same that this whole 这 那".split())


@dataclass(frozen=True)
class Part(Found):
    """ "The manufacturing part of that": the words naming the part (`rest`) and what the message
    says around the part (`outside`: "what does the digital part mean for jobs" asks more)."""

    outside: str


def part(normalised: str) -> Part | None:
    """ "The manufacturing part (of that)", "der Teil über die Rechenzentren", "数据中心那部分": the
    words that say which part of the last answer is meant, or None."""
    for pattern in _PARTS:
        found = pattern.search(normalised)
        if found is None:
            continue
        words = found["x"].strip()
        if words and not all(w in _PART_EMPTY for w in words.split()):
            return Part(words, _unframed(_rest(normalised, found)))
        return None
    return None


def _whole(pattern: re.Pattern[str], normalised: str) -> bool:
    """True when `pattern` reads the whole message, as written or without its spaces (Chinese)."""
    return any(pattern.match(text) for text in (normalised, normalised.replace(" ", "")))


# -- the people just named ---------------------------------------------------------------------

_EN_PICK: dict[str, Pick] = {
    "first": 0, "former": 0, "second": 1, "third": 2, "fourth": 3, "last": -1, "final": -1, "latter": -1,
    "other": "other",
}  # fmt: skip
# After an ordinal, only these words (or nothing) leave it pointing at a person ("the first
# office" is no person).
_EN_NEXT = frozenset(
    "one person man woman gentleman guy fellow chap of signatory signer witness guest name is was do does "
    "did say said sign signed have has hold holds play played".split()
)
_DE_PICK: dict[str, Pick] = {"erst": 0, "zweit": 1, "dritt": 2, "viert": 3, "letzt": -1, "ander": "other"}
_DE_ARTICLES = frozenset("der die den dem des".split())
_DE_NEXT = frozenset(
    "person herr mann frau unterzeichner zeuge zeugin davon von ist war hat hatte sagte sagt gesagt macht "
    "gemacht tat unterschrieb unterschrieben unterzeichnete bitte gemeint "
    # a question of its own after a comma ("und der zweite, was ist seine Funktion?")
    "was wer wie welche welcher welches wo wann".split()
)
_DE_WORD = re.compile(r"^(erst|zweit|dritt|viert|letzt|ander)(?:e|er|en|em|es|erer|eren)$")
_ZH = re.compile(
    r"(第[一二三四](?:位|个人|名)|第[一二三四]个(?=呢|是|$)|另(?:外)?(?:一|那)?位|另(?:外)?一个人|另一人|前者|后者|最后(?:一|那)位|最后(?:一|那)?个(?=呢|是|$)|"
    r"另(?:外)?(?:一|那)个人|另(?:外)?一个(?=呢|是|的|说|$))"
)
_ZH_PICK: dict[str, Pick] = {"一": 0, "二": 1, "三": 2, "四": 3}


_WHICH = re.compile(
    r"\b(?:which|who) (?:one )?of (?:the|these|those) two\b|\b(?:which|who) (?:one )?of them\b|"
    r"\b(?:welche[rs]?|wer) (?:von )?(?:den |der |die )?beiden\b|"
    r"\b(?:welche[rs]?|wer) (?:von|unter) (?:denen|ihnen)\b|"
    # "der chinesische der beiden", "the German one of the two": picked by what the word says.
    r"\b(?:der|die) (?!(?:erst|zweit|dritt|letzt|ander)e\b)\w+e (?:der|von den) beiden\b|"
    r"\bthe (?!(?:first|second|third|last|final|other|former|latter)\b)\w+ one of (?:the|these|those) two\b|"
    r"(?:两位|两个人|两人|他们俩|他们两位|他们|其中)(?:中|之中|当中|里)?(?:哪位|哪一位|哪个|谁)"
)


def ordinal(normalised: str) -> Ordinal | None:
    """A reference to one of several people by position, to "the other one", or to "which of
    the two", or None."""
    which = _WHICH.search(normalised)
    if which is not None:
        return Ordinal(_rest(normalised, which), "which")
    tokens = normalised.split()
    for n, token in enumerate(tokens):
        before = tokens[n - 1] if n else ""
        after = tokens[n + 1] if n + 1 < len(tokens) else ""
        pick = _EN_PICK.get(token)
        if token == "final" and after not in ("", "one", "person", "of"):
            pick = None  # "the final say", "the final version": no one pointed at
        pointing = before in ("the", "that") or after in ("one", "person")
        if pick is not None and pointing and (not after or after in _EN_NEXT):
            return Ordinal(" ".join(tokens[:n] + tokens[n + 1 :]), pick)
        german = _DE_WORD.match(token)
        pointing = before in _DE_ARTICLES or token.endswith(("erer", "eren"))
        if german is not None and pointing and (not after or after in _DE_NEXT):
            return Ordinal(" ".join(tokens[:n] + tokens[n + 1 :]), _DE_PICK[german.group(1)])
    found = _ZH.search(normalised)
    if found is None:
        return None
    word = found.group(1)
    zh_pick: Pick
    if word.startswith("第"):
        zh_pick = _ZH_PICK[word[1]]
    elif word == "前者":
        zh_pick = 0
    elif word.startswith(("后者", "最后")):
        zh_pick = -1
    else:
        zh_pick = "other"
    return Ordinal(_rest(normalised, found), zh_pick)


# A position in a list ("the third area", "der zweite Bereich", "第二个领域", "named first", "zuletzt
# genannt"): where a list follows or was just given, the item there.
_POSITION = re.compile(
    r"\b(?P<en>first|second|third|fourth|fifth|last|final)\b|"
    r"\b(?P<de>erst|zweit|dritt|viert|funft|letzt)(?:e|er|en|em|es)\b|\b(?P<de2>zuerst|zuletzt|erstgenannt\w*)\b|"
    r"第(?P<zh>[一二三四五12345])(?:个|项|条|点|位)|(?P<zh2>最后)(?:一)?(?:个|项|条|点)"
)
# A first or last in time, not in a list ("the first projects planned", "als erstes", "第一批").
_IN_TIME = re.compile(
    r"\b(?:will|would|planned|plans?|start\w*|begin\w*|when|soon|next|upcoming|future|come first|"
    r"geplant|plan\w*|beginn\w*|wann|bald|nachst\w*|zukunft\w*|als erstes|umgesetzt|"
    # ... or a rank or a time of another kind ("second most important", "last year", "das erste Mal",
    # "the first step", "built first", "wer hat zuerst unterschrieben?").
    r"most|meisten|wichtigst\w*|biggest|largest|grosst\w*|year|years|jahr|jahres|time|times|mal|"
    r"half|halfte|step|steps|schritt\w*|date|datum|built|build|gebaut|complet\w*|abgeschlossen|"
    r"vereinbart|agreed|sign\w*|unterschr\w*|unterzeichn\w*|who|wer|ever|came|kam)\b|"
    r"什么时候|何时|计划|将会|首批|落地|启动|最重要|最大|年|次|签|建|完成|谁"
)
_POSITIONS: dict[str, int] = {
    "first": 0, "second": 1, "third": 2, "fourth": 3, "fifth": 4, "last": -1, "final": -1,
    "erst": 0, "zweit": 1, "dritt": 2, "viert": 3, "funft": 4, "letzt": -1, "zuerst": 0, "zuletzt": -1,
    "一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "1": 0, "2": 1, "3": 2, "4": 3, "5": 4, "最后": -1,
}  # fmt: skip


def without_position(normalised: str) -> str:
    """A message without the place it names ("und der bereich" of "und der dritte bereich")."""
    return " ".join(_POSITION.sub(" ", normalised).split())


def position(normalised: str) -> int | None:
    """The position a message names (0 the first, -1 the last), or None."""
    found = _POSITION.search(normalised)
    if found is None or _IN_TIME.search(normalised):
        return None
    word = next(v for v in found.groupdict().values() if v)
    return 0 if word.startswith("erstgenannt") else _POSITIONS[word]


_ONE_OF = re.compile(
    r"\bthe (?:\w+ )?(?:one|guy|man|woman|person) (?:from|of|for|at)\b|"
    r"\b(?:and|what about|how about) the \w+ (?:one|guy|man|woman|person)\b|"
    r"\bthe \w+ (?:one|guy|man|woman|person) s\b|"
    # "What's the title of the company one?": the one of an organisation, at the question's end.
    r"\bthe \w+ (?:one|guy|man|woman|person)$|"
    r"^(?:und |wer ist |wer war )?(?:der|die) (?:von|aus|fur|bei) (?:der |dem |den )?\w+(?: seite)?$|"
    r"那位|那个人|的那位"
)


# A word for the one at the head of an organisation or speaking for it ("the company's boss",
# "der Stadt-Vertreter", "公司的老总"): which of the people just named is meant follows from the
# organisation the message names with it.
_HEAD = re.compile(
    r"\b(?:boss|chief|head|ceo|leader|representative|official|executive|chef|chefin|leiter|"
    r"leiterin|vertreter|vertreterin|spitze)\b|老总|一把手|领导|负责人|老板|掌门人|老大"
)


# A relative clause after the word: the one meant is described by what they did.
_DESCRIBED = re.compile(r"\s+(?:who|that|which|whom|der|die|welche[rs]?)\b")


def head(normalised: str) -> Found | None:
    """A word for the head of an organisation or the one speaking for it, with the rest of the
    message ("what did the company's boss say?"), or None."""
    found = _HEAD.search(normalised)
    if found is None or _DESCRIBED.match(normalised[found.end() :]):
        return None  # "the boss who signed for X" is whoever did that, not the one just named
    return Found(_rest(normalised, found))


def one_of(normalised: str) -> bool:
    """True when a message points at one of the people just named by what it says of them ("the
    one from the city", "und der von der Firma?", "公司那位"), not by position."""
    return bool(_ONE_OF.search(normalised))


# -- corrections -------------------------------------------------------------------------------

_CORRECTION = re.compile(
    r"^(?:(?:no|nope|nah|sorry|oops|actually|wait|ah)\s+)*(?:i meant|i mean|i was asking about|"
    r"i was talking about|i asked about|what i meant was|i wanted to know about)\s+(?P<x>.+)$|"
    r"^(?:no|nope)\s+(?P<y>(?:the|what about)\s+.+)$|\bnot\s+.+?\s+but\s+(?P<z>.+)$|"
    r"^(?:(?:nein|ne|nee|sorry|entschuldigung|pardon|moment|ach)\s+)*(?:ich meinte|ich meine|"
    r"gemeint war|ich wollte wissen|ich fragte nach|ich frage nach|eigentlich meinte ich)\s+(?P<u>.+)$|"
    r"^nein\s+(?P<v>(?:der|die|das|den|dem)\s+.+)$|\bnicht\s+.+?\s+sondern\s+(?P<w>.+)$|"
    r"^(?:不对|不是|错了|不|抱歉|对不起)?\s*(?:我是说|我说的是|我指的是|我的意思是|我问的是|我想问的是)\s*(?P<h>.+)$|"
    r"不是.+?而是\s*(?P<k>.+)$"
)


_NOT_MEANT = re.compile(
    r"\s+(?:and |but )?not (?:the|a|an|his|her|its|their)\b.*$|"
    r"\s+(?:und |aber )?nicht (?:der|die|das|den|dem|ein|eine|einen|seine|ihre)\b.*$|\s*(?:而)?不是.+$"
)


def correction(normalised: str) -> Correction | None:
    """ "No, I meant X" (and its kin): the X that replaces a term of the last question, or None."""
    found = _CORRECTION.search(normalised)
    if found is None:
        return None
    new = next(g for g in found.groups() if g)
    # "the witnesses, not the signatories": what is not meant goes.
    new = _NOT_MEANT.sub("", new)
    return Correction(new.strip()) if new.strip() else None


# -- the same answer in another language -------------------------------------------------------

_LANG_WORDS: dict[str, str] = {
    "english": "en", "englisch": "en", "englische": "en", "german": "de", "deutsch": "de",
    "deutsche": "de", "chinese": "zh", "chinesisch": "zh", "chinesische": "zh", "mandarin": "zh",
    "中文": "zh", "汉语": "zh", "普通话": "zh", "英文": "en", "英语": "en", "德文": "de", "德语": "de",
}  # fmt: skip
# The languages' names in a request (their adjective forms only where a noun follows) and the
# Chinese verbs of answering that ask a reply in one.
_LATIN_LANGS = "english|german|chinese|mandarin|englisch|deutsch|chinesisch"
_HAN_LANGS = "中文|汉语|普通话|英文|英语|德文|德语"
_HAN_ANSWER = "回答|回复|答复|解释|作答|告诉我|告诉"
_IN_LANG = re.compile(
    rf"\b(?:in|into|auf|ins)\s+(?P<w>{_LATIN_LANGS}|englische|deutsche|chinesische)\b|"
    rf"(?:用|换成|改用|翻译成|译成|说|讲)\s*(?P<h>{_HAN_LANGS})"
)
# What may stand around it: asking to answer, say or translate it again, politely.
_AGAIN_WORDS = frozenset(
    "can could would you please pls answer reply say repeat write give it that this again the answer "
    "antworte same one more time bitte kannst konnen konnten sie du das es noch einmal nochmal mal antworten "
    "antwort sagen wiederholen schreiben ubersetzen ubersetzt translate translated version "
    "me us mir uns tell erzahlen how do what is s put wie heisst lautet sagt man "
    # The detail of the last answer named ("the date in English"): the language move checks that
    # the last answer gives it.
    "date day year name names place number datum tag jahr namen ort zahl "
    # Openings that carry on from the last answer ("then in Chinese", "ok, auf Deutsch bitte").
    "then so ok okay now and also dann jetzt nun und "
    # Thanks around it ("Please answer in English, thanks"): still the last answer asked again.
    "thanks thank thx danke dankeschon vielen".split()
)
_AGAIN_HAN = re.compile(
    r"^(?:那么|那就|那|好的|好吧|好)?(?:请|麻烦|能不能|能否|能|可以|可不可以)?(?:你)?(?:再)?(?:说|讲|回答|写|翻译|告诉我|告诉|跟我说|给我说)?(?:一遍|一下|一次)?"
    r"(?:那个|这个|那|这)?(?:日期|时间|年份|名字|地点|数字|答案|回答)?(?:吗|吧|呢)?(?:谢谢|多谢|谢了)?(?:你|您)?$"
)


@dataclass(frozen=True)
class InLanguage(Found):
    """ "Give me the manufacturing part in English": a message asked in a language (de, en, zh),
    and what it asks besides (`rest`)."""

    lang: str


def in_language(normalised: str) -> InLanguage | None:
    """A message that asks for its reply in a language it names, with the rest of the message
    ("could you give me the manufacturing part of that"), or None."""
    found = _IN_LANG.search(normalised)
    if found is None:
        return None
    return InLanguage(_rest(normalised, found), _LANG_WORDS[found["w"] or found["h"]])


# A reply asked for in a language by a verb of answering or a "please" ("Please answer in German:
# who signed?", "Wer hat unterschrieben? Bitte auf Englisch antworten.", "请用英文回答"), not a name
# asked in one ("What is X in English?") or a question about a language ("Is it in English?").
_LANG_ALT = rf"(?P<w>{_LATIN_LANGS})"
_QUESTION_WORD = (
    r"(?:what|who|whom|whose|when|where|which|how|why|whether|if|was|wer|wen|wem|wessen|wann|wo|"
    r"woher|wohin|welche\w*|wie|warum|wieso|weshalb|ob|worum|wofur|womit|wozu)"
)
_SAID = (
    r"quotes?|statements?|answer|reply|text|release|sentences?|words|remarks?|what \w+( \w+)? said|"
    r"zitate?|aussagen?|antwort|texte?|meldung|mitteilung|satze?|worte|was \w+( \w+)? sagte"
)
# The language ends its clause: "in German:", "in English please", "auf Deutsch." ("in Chinese
# cities" names no language of a reply).
_CLAUSE_END = (
    r"(?=\s*(?:$|[,.;:?!，。；：？！]|please\b|bitte\b|pls\b|thanks?\b|danke\b|"
    r"antwort\w*|answer|reply|respond))"
)
_REPLY_IN = re.compile(
    # A request, not a question about someone's language ("Did X reply in German?"): the verb opens
    # the message or a sentence, or follows a please or a "can you".
    r"(?:^|[.?!:;,]\s*|\b(?:please|bitte|pls|can you|could you|would you|kannst du|konnen sie|konnten sie|"
    r"wurden sie)\s+)(answer|reply|respond|write|tell me|explain|antworte\w*|schreib\w*|erklar\w*|sag mir)\b"
    rf".{{0,25}}\b(in|auf) {_LANG_ALT}{_CLAUSE_END}|"
    # "Tell me in German what ...", "Explain in English who ...": the verb opens the message, the
    # language follows it at once and a question word after that ("Explain in German law what ...",
    # "Tell me in Chinese yuan how much ...": the language's name is an adjective there).
    rf"^(?:please |pls |bitte )?(?:answer|reply|respond|write|tell me|tell us|explain|antworte\w*|"
    rf"schreib\w*|erklar\w*|sag mir|sagen sie mir)(?: mir| me| us| uns)? (?:in|auf) "
    rf"{_LANG_ALT.replace('w>', 'x>')}(?: (?={_QUESTION_WORD}\b)|{_CLAUSE_END})|"
    # "In English please: ...", "Who signed? Auf Deutsch bitte.": opening a message or a sentence.
    rf"(?:^|[.?!:]\s*)(in|auf) {_LANG_ALT.replace('w>', 'v>')},? (please|bitte|antwort\w*)\b|"
    rf"\b(please|bitte|pls) (in|auf) {_LANG_ALT.replace('w>', 'u>')}{_CLAUSE_END}|"
    rf"(?:^|[，,：:。？?！!；;]\s*)(?:请|麻烦|能不能|可否|可以)?(?:用|以)(?P<h>{_HAN_LANGS})"
    # ... not "用德语回答问题的是谁？" (who answered in German): no 的 right after the verb.
    rf"({_HAN_ANSWER})(?!了)(?![^，,：:。？?！!；;]{{0,4}}的)|"
    rf"^(?:请|麻烦)(?:用|以)(?P<i>{_HAN_LANGS})(说|讲|写)|"
    # "Translate the quote into German", "übersetze das Zitat ins Englische", "把他的讲话翻译成英文":
    # words said or written, asked in that language (a term's name asked in one is the typed facts'
    # answer, in the asker's language).
    rf"\b(translat\w*|ubersetz\w*)\b.{{0,30}}\b({_SAID})\b.{{0,40}}\b(into|in|ins|auf) "
    rf"{_LANG_ALT.replace('w>', 't>')}e?\b|"
    r"(讲话|说的话|的话|引述|引语|回答|答案|新闻稿|这段|这句|原文).{0,8}(翻译|翻譯|译|譯)成"
    rf"(?P<g>{_HAN_LANGS})"
)
_FOLD = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})


def reply_language(text: str) -> str | None:
    """The language (de, en, zh) a message asks its reply in ("please answer in German:"), or
    None; `text` as typed (its punctuation ends a clause)."""
    found = _REPLY_IN.search(" ".join(simplified(text).casefold().translate(_FOLD).split()))
    if found is None:
        return None
    word = next(found[g] for g in ("w", "v", "u", "x", "h", "i", "t", "g") if found[g])
    return _LANG_WORDS[word]


# A request for the reply's language as a clause of its own before the question ("请用英文回答：
# 谁签字了？", "Please answer in German: who signed?"): the question is read without it.
_REQUEST_LEAD = re.compile(
    r"^(?:(?:please|pls|bitte|can you|could you|kannst du|k(?:o|ö)nnen sie)\s+)?(?:answer|reply|respond|"
    r"write|explain|tell me|tell us|antworte\w*|schreib\w*|erkl(?:a|ä)r\w*|sag mir|sagen sie mir)"
    rf"(?:\s+(?:mir|me|us|uns))?\s+(?:in|auf)\s+(?:{_LATIN_LANGS})"
    r"(?:\s+(?:please|bitte))?\s*[:,;.!：，。！]\s*|"
    rf"^(?:in|auf)\s+(?:{_LATIN_LANGS}),?\s+(?:please|bitte)"
    r"\s*[:,;.!：，。！]\s*|"
    rf"^(?:请|麻烦|能不能|可否|可以)?(?:用|以)(?:{_HAN_LANGS})"
    rf"(?:{_HAN_ANSWER})(?:一下)?(?:吧)?(?:\s*[：:，,。.！!]\s*|\s+)",
    re.IGNORECASE,
)


# Only thanks after the request ("Please answer in English, thanks"): the request is all it asks.
_ONLY_THANKS = re.compile(
    r"^(?:(?:many |vielen )?thanks?(?: you)?|thx|danke(?: ?sch(?:o|ö)n)?|vielen dank|"
    r"谢谢(?:你|您)?|多谢|谢了)[\s.!。！]*$",
    re.IGNORECASE,
)


def without_reply_request(text: str) -> str:
    """`text` less a request for the reply's language that opens it as a clause of its own; the
    text as it is when there is none, or nothing but thanks after it."""
    typed, read = text.strip(), simplified(text).strip()
    found = _REQUEST_LEAD.match(read)
    if found is None or len(read) != len(typed):  # (a phrase simplified to another length: kept)
        return text
    rest = typed[found.end() :].strip()
    return text if not rest or _ONLY_THANKS.match(read[found.end() :].strip()) else rest


def language(normalised: str) -> str | None:
    """ "Can you answer that in English?", "auf Deutsch bitte", "用中文再说一遍": the language
    (de, en, zh) the last answer is asked again in, or None."""
    found = _IN_LANG.search(normalised)
    if found is None:
        return None
    rest = _rest(normalised, found)
    words = [w for w in re.findall(r"[a-z]+", rest)]
    han = "".join(re.findall(r"[\u4e00-\u9fff]+", rest))
    if any(w not in _AGAIN_WORDS for w in words) or not _AGAIN_HAN.match(han):
        return None
    return _LANG_WORDS[found["w"] or found["h"]]


# A message that only asks for the last answer in fewer words: "in one sentence, please",
# "shorter?", "kurz gefasst bitte", "一句话概括一下".
_BRIEFLY = re.compile(
    r"^(?:(?:ok|okay|and|now|then|und|jetzt|dann|also) )*(?:(?:can|could|would) you |kannst du |"
    r"k[oö]nnen sie |k[oö]nnten sie )?(?:please |pls |bitte )?(?:(?:say|put|sum|summari[sz]e|give|tell|"
    r"write|explain|fass|sag|schreib|erklar|erklare)"
    r"(?: me| mir| it| that| this| es| das| bitte| please| pls)*(?: up)? |"
    r"(?:das|es|it|that|this) )?"
    r"(?:in (?:one|a single|a|two|a few|einem|einem einzigen|zwei|wenigen|kurzen) "
    r"(?:sentences?|lines?|words?|satz|satzen|zeilen?|worten)|briefly|shorter|more briefly|in short|"
    r"in brief|short version|the short version|tl ?dr|in a nutshell|kurz|kurzer|kurz gefasst|in kurze|"
    r"knapp|knapper)(?: (?:zusammen|sagen|zusammenfassen|please|pls|bitte|again|nochmal))*$|"
    r"^(?:请|能不能|能否|可以|麻烦)?(?:再)?(?:用)?(?:一句话|一两句话|几句话|简单|简短|简要|简单地|简短地)"
    r"(?:地)?(?:说|讲|概括|总结|回答|介绍)?(?:一下|一点|一些|点)?(?:吗|吧|呢)?$|"
    r"^(?:请|能不能|能否|可以|麻烦)?(?:再)?(?:说|讲|回答|写)得?(?:更)?(?:简短|简单|简洁|简要|短)"
    r"(?:一点|一些|点|些)?(?:吗|吧|呢)?$"
)


# A message that only asks for the last answer as bullet points: "as bullet points please",
# "Stichpunkte bitte", "in Stichpunkten?", "请分点列出".
_BULLETS = re.compile(
    r"^(?:(?:ok|okay|and|now|then|und|jetzt|dann) )*(?:(?:can|could|would) you |kannst du |k[oö]nnen sie )?"
    r"(?:please |pls |bitte )?(?:(?:put|give|write|list|make|show|schreib|gib|mach|liste|zeig|nenn|nenne)"
    r"(?: me| mir| it| that| this| es| das| them| sie| those| these| die| diese| bitte| please)* )?"
    r"(?:(?:as|in) (?:a )?(?:bullet points?|bullets|list|list form|points)|"
    r"(?:als|in) (?:stichpunkte\w*|liste|aufzahlung|punkte\w*)|stichpunkte\w*|stichpunktartig|"
    r"bullet points?|bullets)(?: (?:please|pls|bitte|auf|an))*$|"
    r"^(?:请|能不能|可以)?(?:分点|逐条|按要点|列成要点|用要点|分条)(?:列出|说明|列举|回答|写)?(?:来)?(?:一下)?(?:吗|吧)?$|"
    r"^(?:请|能不能|可以)?(?:帮我)?(?:列成|做成|整理成)(?:一个)?(?:清单|列表)(?:吧|吗)?$"
)


def bullets(normalised: str) -> bool:
    """True for a message that only asks for the last answer as bullet points."""
    return _whole(_BULLETS, normalised)


def briefly(normalised: str) -> bool:
    """True for a message that only asks for the last answer in fewer words."""
    return _whole(_BRIEFLY, normalised)


# A message that only asks where the last answer comes from: "source?", "Quelle bitte", "woher
# stammt das?", "where does it say that?", "出处？", "來源？".
_SOURCE = re.compile(
    r"^(?:(?:and|so|ok|okay|und|also|ok und) )?(?:(?:what s|what is|what are|whats|which is|was ist|"
    r"was sind|give me|gib mir|geben sie mir|nenn mir|nennen sie mir) )?"
    r"(?:the |your |its |die |deine |ihre )?"
    r"(?:sources?|quellen?|quellenangabe|beleg|belege|reference|citation|cite)"
    r"(?: (?:for|of|fur|zu|dafur|dazu) (?:that|this|it|das|dies|the answer|die antwort))?"
    r"(?: (?:please|pls|bitte))?$|"
    r"^(?:(?:and|so|und|also) )?(?:where (?:is|does|did|was) (?:that|this|it) (?:from|come from|coming from|"
    r"say (?:that|so)|stated|written)|where did you (?:get|find|read) (?:that|this|it)(?: from)?|"
    r"which paragraph(?: is (?:that|it) (?:in|from))?|"
    r"woher (?:stammt|kommt|hast du|haben sie|habt ihr) (?:das|dies|diese (?:info|information|angabe))|"
    r"wo steht (?:das|dies)(?: genau| geschrieben)?|in welchem absatz(?: steht (?:das|dies))?|"
    r"welcher absatz)$|"
    r"^(?:那|那么)?(?:消息|信息|资料)?(?:的)?(?:来源|出处)(?:是)?(?:哪里|哪儿|什么|在哪|哪)?(?:呢|吗)?$|"
    r"^(?:这|那|这个|那个)?(?:是)?(?:从)?(?:哪里|哪儿)(?:来的|说的|看到的|写的)(?:呢)?$|^(?:在|出自)?(?:哪一段|哪段)(?:呢)?$"
)


def source_asked(normalised: str) -> bool:
    """True for a message that only asks where the last answer comes from."""
    text = normalised.strip()
    return any(_SOURCE.match(t) for t in (text, simplified(text).replace(" ", "")))


# "And who didn't?", "Und wer nicht?", "那谁没有？": the people the last question's deed leaves out.
_WHO_NOT = re.compile(
    r"^(?:(?:and|but|so|then|und|aber|also|dann) )?(?:who|which ones?|wer|welche)"
    r"(?: (?:did|has|have|hat|haben))? (?:not|didn t|didnt|hasn t|haven t|nicht)"
    r"(?: (?:do it|do that|did|sign|witness|es getan|das getan|unterschrieben|unterzeichnet|bezeugt))?$|"
    r"^(?:那|那么)?(?:谁|哪些人|哪几位|哪位)(?:没有|没|未)(?:签|签字|签署|见证)?(?:呢|的)?$"
)


def who_not(normalised: str) -> bool:
    """True for a message that asks only who did not do what the last question asked about."""
    return _whole(_WHO_NOT, normalised)


# "And who else?", "Und wer noch?", "还有谁？": more people than the last answer named.
_WHO_ELSE = re.compile(
    r"^(?:(?:and|but|so|ok|und|aber|also) )?"
    r"(?:who else|anyone else|wer (?:sonst )?noch|wer sonst|sonst noch wer)"
    r"$|"
    r"^(?:那|那么)?(?:还有|另外还有|其他还有)(?:谁|哪些人|别人)(?:呢|吗)?$"
)


def who_else(normalised: str) -> bool:
    """True for a message that asks only who else, after an answer that names people."""
    return _whole(_WHO_ELSE, normalised)


# -- a year checked against the last answer --------------------------------------------------

_YEAR = re.compile(r"(?<!\d)(?:1[89]|20)\d\d(?!\d)")
# What may stand around the year of a check ("since 2015?", "also schon seit 1995?", "是2023年吗？"):
# asking whether, when, since; nothing that names a subject of its own.
_CHECK_WORDS = frozenset(
    "and so or not already even since in from until by was is it that then right really too only "
    "the year back as early ok okay well und also oder nicht schon erst etwa seit im in ab bis jahr "
    "jahre war ist es das doch wirklich echt bereits damals nur na gut nun jetzt now".split()
)
_CHECK_HAN = re.compile(
    r"^(?:是|不是|还是|就是|在|从|自|于|早在|已经|难道|真的|年|起|开始|以来|吗|吧|呢|嗎|还|就|的|或者|或)*$"
)
# Two years put as alternatives: "2023 or 2024?", "2023 oder 2024?", "2023年还是2024年？".
_EITHER = re.compile(r"(?<!\d)\d{4}\s*(?:年)?\s*(?:or|oder|还是|或者|或)\s*\d{4}(?!\d)")


def year_check(normalised: str) -> tuple[str, ...] | None:
    """ "Since 2015?", "Also schon seit 1995?", "是2023年吗？", "was it 2023 or 2024?": the years put
    to the last answer (one, or two as alternatives; what they are checked against is that answer's
    date), or None."""
    years = _YEAR.findall(normalised)
    if not years or len(years) > 2 or (len(years) == 2 and not _EITHER.search(normalised)):
        return None
    rest = _YEAR.sub(" ", normalised)
    words = re.findall(r"[a-z]+", rest)
    han = "".join(re.findall(r"[\u4e00-\u9fff]+", rest))
    if any(w not in _CHECK_WORDS for w in words) or not _CHECK_HAN.match(han):
        return None
    return tuple(str(y) for y in years)


# -- the span between two turns' dates ----------------------------------------------------------

_SPAN = re.compile(
    r"\b(?:how many (?:years|days)|how long)\b.*\b(?:between|in between|apart|separate[sd]?)\b|"
    r"\b(?:wie ?viele (?:jahre|tage)|wie lange)\b.*\b(?:dazwischen|zwischen|auseinander)\b|"
    r"(?:相隔|间隔|隔了|相差|差了)(?:多少|几)(?:年|天)|(?:之间|中间)(?:隔了|相隔|差了)?(?:多少|几)(?:年|天)|"
    r"(?:多少|几)(?:年|天)(?:之间|间隔)"
)


def span(normalised: str) -> bool:
    """ "How many years lay between them?", "Wie viele Jahre lagen dazwischen?", "相隔几年？": the
    time between the dates of the last two turns."""
    return bool(_SPAN.search(normalised))


# "How many years ... by the time of X?", "wie lange ... bis zu X?", "到……时有多少年": a time counted up
# to an event from one the chat talked about.
_HOW_LONG = re.compile(
    r"\bhow (?:many|much) (?:years?|time)\b|\bhow long\b|\bwie ?viele jahre\b|\bwie lange?\b|"
    r"多少年|几年|多久|多长时间"
)
_UNTIL = re.compile(
    r"\b(?:by the time|until|till|up to|up until|as of|at the time|when|bis|zum zeitpunkt|als)\b|到|时"
)
_AGO = re.compile(r"\b(?:ago|today|now|heute|jetzt)\b|至今|现在|如今|以前")
# German "her" and "zurück" count back from today ("wie lange ist das her?"), unless the message
# names the end it counts to ("wie lange ist das bis zur Unterzeichnung her?").
_BACK_DE = re.compile(r"\b(?:her|zuruck)\b")
_UP_TO_DE = re.compile(r"\bbis (?:zu[mr]?|an|in|ins|hin)\b")


# ... asked as an amount ("wie lange ist das her?", "wie viele Jahre liegt das zurück?"); not
# "Zurück zur Unterzeichnung: wer ...?", which goes back to a topic.
_HOW_LONG_DE = re.compile(r"\b(?:wie lange?|wie ?viel\w*|wie weit)\b")


def counts_back_de(normalised: str) -> bool:
    """True when a German "her" or "zurück" counts back from today, not up to an end named."""
    return (
        bool(_BACK_DE.search(normalised))
        and bool(_HOW_LONG_DE.search(normalised))
        and not _UP_TO_DE.search(normalised)
    )


def counted_until(normalised: str) -> bool:
    """True when a message asks how long something lasted up to a point it names ("so how many
    years of membership by the time of the signing?"), not up to now."""
    return bool(
        _HOW_LONG.search(normalised)
        and _UNTIL.search(normalised)
        and not _AGO.search(normalised)
        and not counts_back_de(normalised)
    )


# -- a region asked past the last answer ----------------------------------------------------

_REGION = re.compile(
    r"\b(?:which|what) (?:region|province|part of (?:the )?(?:country|world)|"
    r"part of (?!(?:the|this|that|it|its|their|our|your)\b)\w+)\b|"
    r"\bwelche[rnms]? (?:region|gegend|landesteil|provinz)\b|"
    r"\bin welche[mnr]? (?:landesteil|region|gegend|provinz)\b|"
    # "In welchem Teil Chinas / des Landes", not "in welchem Teil der Mitteilung".
    r"\bin welchem teil(?: des landes| der welt|$| (?!(?:der|des|dieser|dieses|von|vom|seiner|ihrer)\b)\w+)|"
    r"(?:哪个|哪一个|什么|哪些)(?:地区|区域|省份|省)|哪一带|哪片"
)


def region(normalised: str) -> bool:
    """True when a message asks for a region, wider than a city ("and for which region?", "in
    welchem Teil des Landes?", "是哪个地区？")."""
    return bool(_REGION.search(normalised))


# -- earlier turns -----------------------------------------------------------------------------

_EARLIER = re.compile(
    r"\b(?:(?:(?:go(?:ing)? |come |coming )?back to |from |in |about |to )?(?:my|your) |"
    r"(?:(?:go(?:ing)? |come |coming )?back to|from|in|about) the )"
    r"(?:very )?(?:first|previous|earlier|last) (?:answer|question|reply)\b|"
    r"\b(?:(?:go(?:ing)? |come |coming )?back to|return(?:ing)? to|you (?:mentioned|said|told me|named|gave)|"
    r"did you (?:say|mention|tell me)|"
    r"mentioned (?:before|earlier|previously)|(?:from|said|named) (?:before|earlier)|"
    r"(?:previous|earlier) (?:answer|question|one))\b|"
    r"\b(?:(?:zuruck |noch ?mal )?zu |aus |in )?(?:meine[rnm]?|deine[rnm]?|ihre[rnm]?) "
    r"(?:erste[nrm]?|vorige[nrm]?|vorherige[nrm]?|letzte[nrm]?) (?:frage|antwort)\b|"
    r"\bzuruck zu[mr]? (?:ersten|vorigen|vorherigen) (?:frage|antwort)\b|"
    r"(?:第一(?:个|道)?|最初的|最开始的|一开始的|上一(?:个|道)?|前一(?:个|道)?)(?:问题|回答|题)|"
    r"\b(?:zuruck zu[mr]?|noch ?mal zu[mr]?|von vorhin|vorhin|(?:vorher|zuvor|eben|fruher) "
    r"(?:erwahnt|genannt|gesagt)\w*|"
    r"(?:du|sie) (?:hast|haben|hattest|hatten) .{0,30}(?:erwahnt|genannt|gesagt)|"
    r"fruhere[nm]? antwort)\b|"
    r"(?:回到|说回|再说回)(?:(?:第一(?:个|道)?|最初的|最开始的|一开始的|上一(?:个|道)?|前一(?:个|道)?)(?:问题|回答|题))?|你?(?:之前|刚才|前面|先前|上面)(?:你)?(?:说|提|讲)(?:到|过)?的?|你(?:说|提|讲)(?:到|过)的"
)
_KINDS: dict[AnswerType, re.Pattern[str]] = {
    "date": re.compile(
        r"\b(?:date|day|year|datum|tag|jahr|jahreszahl|zeitpunkt|termin)\b|日期|时间|年份|那天|哪天|哪年|日子"
    ),
    "person": re.compile(
        r"\b(?:person|people|name|man|woman|personen|leute|mann|frau)\b|人物|那位|那个人|名字"
    ),
    "place": re.compile(r"\b(?:place|city|location|ort|stadt)\b|地点|地方|城市"),
    "number": re.compile(r"\b(?:number|figure|count|zahl|anzahl)\b|数字|数量"),
}  # fmt: skip


def kind_named(normalised: str) -> AnswerType | None:
    """The kind of detail a message names ("the date", "那个日期", "den Namen"), or None."""
    return next((k for k, pattern in _KINDS.items() if pattern.search(normalised)), None)


_FIRST = re.compile(r"\bfirst\b|\berste|第一|最初|最开始|一开始")
# "Going back to the first one", "zurück zum ersten", "回到第一位": the first turn's subject.
_FIRST_ONE = re.compile(
    r"^(?:the )?(?:very )?first one\b|^(?:dem |der |den |zum )?(?:ersten?|erster)(?: davon)?\b|^第一(?:位|个)"
)


# "Back to", "zurück zu", "回到": what follows names the turn gone back to.
_BACK_TO = re.compile(r"(?:back to|returning to|return to|zuruck zu[mr]?|noch ?mal zu[mr]?|回到|说回)$")
# Where a question of its own starts after the words naming a turn ("back to the witnesses what is
# ..."): its first asking or auxiliary word, a few words in.
_QUESTION_START = re.compile(
    r"^(?P<s>(?:\S+ ){0,3}?\S+) (?P<q>(?:what|who|whom|whose|when|where|which|how|why|is|was|were|are|"
    r"did|does|do|can|could|has|had|wer|wem|wen|was|wann|wo|welche\w*|wie|warum|ist|war|hat|hatte|gibt|"
    r"sind|waren)\b.*)$"
)
# In Chinese the turn is named by a short run before the pause ("回到见证人，……").
_HAN_QUESTION_START = re.compile(r"^(?P<s>[\u4e00-\u9fff]{1,8}) (?P<q>.+)$")


def earlier(normalised: str) -> Earlier | None:
    """A reference back to an earlier turn, with the kind of detail it names, or None."""
    found = _EARLIER.search(normalised)
    if found is None:
        return None
    kind = next((k for k, pattern in _KINDS.items() if pattern.search(normalised)), None)
    rest = _rest(normalised, found)
    first_one = _FIRST_ONE.search(rest) if found.start() == 0 else None
    if first_one is not None:
        return Earlier(_rest(rest, first_one), kind, True)
    first = bool(_FIRST.search(found.group(0)))
    if found.start() == 0 and not first and _BACK_TO.search(found.group(0).strip()):
        split = _QUESTION_START.match(rest) or _HAN_QUESTION_START.match(rest)
        if split is not None:
            subject = split["s"]
            named = next((k for k, pattern in _KINDS.items() if pattern.search(subject)), None)
            return Earlier(split["q"], kind, False, subject, named)
    return Earlier(rest, kind, first)


def _rest(normalised: str, found: re.Match[str]) -> str:
    return " ".join((normalised[: found.start()] + " " + normalised[found.end() :]).split())
