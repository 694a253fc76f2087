"""The words that make a question lean on the chat (pure, on normalised text, in de, en and zh):
pronouns and demonstratives that point back, the openings of an elliptic follow-up ("and ...?",
"und ...?", "那……呢"), question words, and what a short question is.
"""

from __future__ import annotations

import re

from bot.core.lang import is_han

# Words that point back: pronouns, demonstratives, "there"; on normalised text.
_POINTERS = re.compile(
    r"\b(he|him|his|she|her|hers|they|them|their|it|its|this|that|there|these|those|"
    r"er|ihm|ihn|sein|seine|seiner|seinem|seinen|sie|ihr|ihre|ihrem|ihren|es|da|dort|dabei|dazu|"
    r"davon|daran|damit|darin|dafur|dadurch|hierdurch|thereby|diese[rmns]?|dieses|derselbe|selbst)\b|"
    # German's demonstrative "das" where no noun follows it ("wie viele sind das insgesamt?").
    r"\bdas(?= (?:denn|eigentlich|genau|so|da|dort|noch|jetzt|bitte|insgesamt|zusammen|alles|her|"
    r"gewesen|also|nun|wirklich|konkret|fur)\b|$)|"
    # "这" standing for what was just said: "这对……意味着什么", "这意味着……".
    r"他|她|它|他们|她们|其|该|此|那里|这个|那个|这(?=对|意味)"
)
# German's demonstrative "der" for a person: where no noun follows it, only particles ("welches Amt
# hat der?", "was macht der eigentlich?").
_DEMONSTRATIVE = r"\b(?:der|dem|den)(?: (?:denn|eigentlich|genau|so|da|dort|noch|jetzt|bitte))*$"
# Pronouns for one person (not "sie", "ihr": she or they; not "sein": also "to be").
PERSON_PRONOUN = re.compile(
    r"\b(?:he|him|his|she|her|hers|er|ihm|ihn|seine|seiner|seinem|seinen|seines|dessen)\b|"
    + _DEMONSTRATIVE
    + r"|(?<!其)(?:他|她)(?!们)"  # (not 其他: "other")
)
# The person itself, not something of theirs ("his counterpart" is someone else).
SUBJECT_PRONOUN = re.compile(
    r"\b(?:he|him|she|er|ihm|ihn)\b|" + _DEMONSTRATIVE + r"|(?<!其)(?:他|她)(?![们的])"
)
# People pointed at together ("did they sign it too?", "他们也签字了吗？").
THEY = re.compile(r"\b(?:they|them|their|theirs|sie|ihnen)\b|他们|她们|他俩")
# A question word: an elliptic follow-up with one asks something of its own ("und wie lange ist
# das her?"), it names no sibling subject ("und die Niederlassung?").
QUESTION_WORD = re.compile(
    r"\b(?:what|who|whom|whose|when|where|which|why|how|wer|wem|wen|was|wann|wo|welche\w*|wie|warum|"
    r"wieso|weshalb)\b|什么|谁|哪|几|多少|多久|为什么|怎么"
)
# Openings of an elliptic follow-up: "and ...", "what about ...", "und ...", "那……呢", "还有".
_ELLIPSIS = re.compile(
    r"^(and|what about|how about|also|und|und was|was ist mit|wie steht es mit|auch|sowie)\b|"
    r"^(那|还有|另外|以及)|呢$"
)
# The words that open an elliptic follow-up, taken off to leave what it asks about.
_OPENERS = re.compile(
    r"^(?:and|what about|how about|also|und|und was ist mit|was ist mit|wie steht es mit|auch|sowie)\s+|"
    r"^(?:那么|那|还有|另外|以及)|呢$"
)
# Words that ask for a whole count ("how many is that in total?"): part of the asking, no subject.
TALLY = re.compile(
    r"\b(?:in total|total|altogether|all together|overall|in all|insgesamt|zusammen|gesamt|im ganzen)\b|"
    r"总共|一共|总计|加起来|合计"
)
# "His other jobs", "seine anderen Ämter", "他的其他职务": more of the person, not of the matter.
OTHER_OF_PERSON = re.compile(
    r"\b(?:his|her) other\b|\b(?:seine|ihre)[nmrs]? (?:anderen?|weiteren?|sonstigen?)\b|"
    # "What other hat does he wear?", "welche anderen Ämter hat er?", "他还有什么别的职务"
    r"\bwhat other \w+ (?:does|did|do|has|had|is|was) (?:he|she)\b|"
    r"\bwelche[nrs]? (?:anderen?|weiteren?|sonstigen?) \w+ (?:hat|hatte|ubt|bekleidet) (?:er|sie)\b|"
    r"(?:他|她)(?!们)的?(?:其他|其它|别的|另外的)|(?:他|她)(?!们)还有(?:什么|哪些)?(?:其他|其它|别的)"
)
# "His jobs", "seine Ämter", "他的职务": his posts (not the jobs the matter creates).
HIS_POSTS = re.compile(
    r"\b(?:his|her) (?:jobs?|posts?|positions?|roles?|titles?|offices?)\b|"
    r"\b(?:seine|ihre)[nmrs]? (?:jobs?|amter|amt|posten|funktionen|rollen|titel)\b|"
    r"(?:他|她)(?!们)的?(?:职务|职位|工作|头衔)"
)
# The one on the other side of what a person did ("his counterpart", "sein Gegenüber", "who did he
# sign with?", "他和谁一起签的", "对方是谁"): the other party's person who did the same.
COUNTERPART = re.compile(
    # ("gegenüber dem Bürgermeister" is "towards the mayor", no counterpart.)
    r"\b(?:counterparts?|opposite numbers?|gegenuber(?! (?:dem|der|den|des|ihm|ihr|ihnen)\b)|pendants?|"
    r"gegenparts?|gegenspieler)\b|"
    r"对方|对口|对面那位|"
    # "And the other side?" after a turn about one person: the other side's one ("另一方呢？").
    r"^(?:and |und |what about |und was ist mit |und die |and the )*(?:the |die |der )?"
    r"(?:other side|other party|andere seite|andere partei|gegenseite)$|"
    r"^(?:那)?(?:另一方|另外一方|另一边)(?:呢)?$|"
    # "另一方是谁签的？", "对方是谁签字的？": who did it for the other side.
    r"^(?:那)?(?:另一方|另外一方|另一边)(?:是)?(?:谁|哪位)(?:签|签的|签字|签字的|签署的)?(?:呢)?$"
)
# "With whom": the same, when the message names what was done together ("mit wem hat er
# unterschrieben?", not "mit wem hat er gesprochen?").
WITH_WHOM = re.compile(
    r"\bwith whom\b|\bwho\b.{0,40}\b(?:with|alongside)(?: (?:him|her))?$|\bmit wem\b|"
    # "Wer hat zusammen mit ihm unterschrieben?", "who signed together with him?"
    r"\b(?:wer|who)\b(?=.{0,40}\b(?:sign\w*|unterschr\w*|unterzeichn\w*|witness\w*|bezeug\w*)).{0,30}"
    r"\b(?:zusammen mit|gemeinsam mit|mit|together with|along with) (?:ihm|ihr|him|her)\b|"
    r"(?:和|跟|同|与)(?:谁|哪位|哪一位|哪个人)"
)
# ... and in Chinese with the bare verb after it ("他同谁一齐签？"): signed, or witnessed.
WITH_WHOM_HAN = re.compile(
    r"(?:和|跟|同|与)(?:谁|哪位|哪一位|哪个人)(?:一起|一齐|一同|共同)?(?P<verb>签|见证)"
)
# Words for the people just named at once ("those two", "die beiden", "那两位", "each of them"): no one
# person's profile answers.
TWO_PEOPLE = re.compile(
    r"\b(?:both|the two|these two|those two|the pair|beide|beiden|die zwei|den zwei|diese zwei)\b|"
    r"(?:两|俩)(?:位|个人|人)|他们俩|"
    # "What posts do they each hold?", "他们分别是什么职务？": asked of each of them at once.
    r"\beach of them\b|\bthey each\b|\btheir respective\b|(?:他们|她们)(?:分别|各自)|"
    # "Did either of them sign?", "Hat einer von beiden unterschrieben?", "他们中有人签字吗？".
    r"\b(?:either|any|neither|one) of (?:them|the two|those two)\b|"
    r"\b(?:einer|keiner|eine|keine) (?:von )?(?:ihnen|beiden|den beiden|der beiden)\b|"
    r"(?:他们|她们)(?:中|当中|之中)?(?:有人|有谁|谁)"
)
# A question after the start of a state ("since when?", "seit wann?", "从什么时候开始？") or its
# length ("how long?"), not after a dated event; AGO: "how long ago", "wie lange ist das her",
# "多久以前" ask about a dated event.
STATE_START = re.compile(
    r"\bsince when\b|\bhow long\b|\bseit wann\b|\bwie lange?\b|从什么时候|从何时|多久|多长时间"
)
AGO = re.compile(r"\bago\b|\bher\b|以前|之前")
_SHORT_WORDS = 4
_SHORT_HAN = 6


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


def bare(normalised: str) -> str:
    """An elliptic follow-up without its opening ("and the office" -> "the office")."""
    return _OPENERS.sub("", normalised).strip()
