"""Text normalisation, tokenisation and language detection for de, en and zh (pure).

Nothing here reads files or knows the fact base's format: the matcher passes in what it learned.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Literal

import opencc

LANGS = ("de", "en", "zh")

# Folding that users type both ways: "Bürgermeister", "Buergermeister", "Burgermeister".
_FOLD = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "é": "e", "è": "e", "à": "a", "ç": "c"})
_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
HAN_RE = re.compile(f"[{_HAN}]")
_TOKEN_RE = re.compile(f"[{_HAN}]+|[a-z0-9]+")
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Co", "Cs", "Cn"}

STOPWORDS: Mapping[str, frozenset[str]] = {
    # Function words only (umlauts folded). Question words stay: they tell "who" from "when".
    "de": frozenset(
        """der die das den dem des ein eine einer einen einem eines und oder aber ist sind war waren
        wird werden wurde wurden worden sein seid bin bist hat haben hatte hatten habe hast es er
        sie ihr ihre ihren ihrem ihres sich mit von vom zu zum zur im in ins am an auf aus bei beim
        fur uber unter um nach vor als auch noch schon denn doch mal nur so da hier dort bitte mir
        mich ich du dir dich uns wir euch man gibt gab genau eigentlich dieser diese dieses diesen
        diesem jener jene kann kannst konnen konnte konnten soll sollen sollte mochte mochten
        will wollen ja nein nicht kein keine keinen beide beiden beider beides alle allem allen
        aller alles jetzt dann etwa etwas sehr mehr viel wieder ob dass weil wenn durch gegen
        ohne bis seine seinen seinem seiner sein ihm ihn ihnen dabei dazu daran darauf daruber
        davon damit dafur deren dessen denen jemand irgendwie eben halt bzw usw herr frau dr""".split()
    ),
    "en": frozenset(
        """the a an and or but is are was were be been being am has have had having do does did
        doing of to in on at by for from with about as into onto upon this that these those it its
        there their theirs they them he him she his her hers i me my mine we us our ours you your
        yours can could would should will shall may might must please tell me any some just also
        so then than very really s d ll re ve m t both all each every either neither such own same
        other others too only again further once here out up down off over under more most much
        if because while until whether yet still even ever anything something nothing one ones
        kindly pls plz know mr mrs ms dr""".split()
    ),
    "zh": frozenset(),
}

# Words that say which language a text is in, beyond the fact base's own vocabulary.
_LANG_HINT_WORDS: Mapping[str, frozenset[str]] = {
    "de": STOPWORDS["de"]
    | frozenset(
        """wer wie was wann warum wieso weshalb welche welcher welches wo woher wohin wieviel viele
        seit hallo danke tschuss gruss guten tag morgen abend gibt es funktion rolle vertrag""".split()
    ),
    "en": STOPWORDS["en"]
    | frozenset(
        """who what when why which where how many much since hello hi thanks thank bye goodbye role
        signed agreement deal contract""".split()
    ),
}


def strip_invisible(text: str) -> str:
    """Drop control, format (zero-width, bidi), unassigned characters; line breaks become spaces."""
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch in "\n\r\t":
            out.append(" ")
        elif unicodedata.category(ch) not in _INVISIBLE_CATEGORIES:
            out.append(ch)
    return "".join(out)


# The traditional scripts a Chinese question may be written in, by OpenCC's configurations:
# its standard traditional characters ("t"), Taiwan's ("tw") and Hong Kong's ("hk"). Simplified is
# the fact base's own script; a reply to a question in a traditional script is written in it.
Script = Literal["t", "tw", "hk"]
SCRIPTS: tuple[Script, ...] = ("t", "tw", "hk")
# t2s reads Taiwan and Hong Kong forms too; s2tw and s2hk are s2t followed by t2tw and t2hk, so the
# three scripts share one s2t (its phrase tables are the large part: about 26 MB).
_CONVERTERS = ("t2s", "s2t", "t2tw", "t2hk")


@cache
def _converter(config: str) -> opencc.OpenCC:
    # OpenCC's phrase-aware converters read their dictionaries once, when first built.
    return opencc.OpenCC(config)


def load_converters() -> None:
    """Build every script converter now (each reads OpenCC's dictionary files), so that no reply
    reads a file."""
    for config in _CONVERTERS:
        _converter(config)


def simplified(text: str) -> str:
    """Traditional Chinese characters and phrases in their simplified form ("簽署" -> "签署")."""
    return _converter("t2s").convert(text) if HAN_RE.search(text) else text


def script_of(text: str) -> Script | None:
    """The traditional script a text is written in, or None (simplified, or no Chinese at all).

    Traditional when more of its characters change on the way to simplified ("這", "簽") than are
    simplified forms themselves ("这"); then the standard whose spelling of the text agrees with
    most of its characters ("為" and "裡" are Taiwan's, "説" and "衞" Hong Kong's), OpenCC's
    standard on a tie.
    """
    han = "".join(HAN_RE.findall(text))
    simple = _converter("t2s").convert(han) if han else han
    if simple == han:  # no traditional character at all (most questions)
        return None
    generic = _converter("s2t").convert(simple)
    # A character that t2s leaves and s2t changes is a simplified form ("这" among "這條").
    as_traditional = sum(a != b for a, b in zip(han, simple, strict=False))
    as_simplified = sum(a == b != g for a, b, g in zip(han, simple, generic, strict=False))
    if as_traditional <= as_simplified:
        return None
    if generic == han:  # OpenCC's standard to the letter
        return "t"
    spelt = {
        "t": generic,
        "tw": _converter("t2tw").convert(generic),
        "hk": _converter("t2hk").convert(generic),
    }
    return max(SCRIPTS, key=lambda script: sum(a == b for a, b in zip(han, spelt[script], strict=False)))


# The same answers, sources and buttons are written again and again: the last thousand are kept.
@lru_cache(maxsize=1024)
def in_script(text: str, script: Script | None) -> str:
    """A simplified text written in a traditional `script` (unchanged for None)."""
    if script is None or not HAN_RE.search(text):
        return text
    full: str = _converter("s2t").convert(text)
    return full if script == "t" else _converter(f"t2{script}").convert(full)


# Written Cantonese ("協議係邊日簽嘅？") read as Mandarin ("协议是哪天签的"): its function and question
# words, which no Mandarin text uses in these senses, in their Mandarin forms, so that the matcher,
# the model and the detail checks ("哪天" asks for a date) read both alike. Mapped before the
# simplification: 係 (simplified to 系, as in 体系) unless in 關係/聯係, and 嗰 (to a character outside
# the Han range). The rest on simplified text, longest first.
_CANTONESE_BEFORE = re.compile(r"(?<![關关聯联干])係|嗰陣時|嗰陣|嗰")
_CANTONESE_BEFORE_WORDS = {"係": "是", "嗰陣時": "那时候", "嗰陣": "那时", "嗰": "那"}
_CANTONESE = {
    "咗未": "了没有",
    "有冇": "有没有",
    "乜嘢": "什么",
    "咩嘢": "什么",
    "做咩": "为什么",
    "点解": "为什么",
    "点样": "怎样",
    "几多": "多少",
    "边个": "谁",
    "边位": "哪位",
    "边度": "哪里",
    "佢哋": "他们",
    "而家": "现在",
    "咁样": "这样",
    "嘅": "的",
    "咗": "了",
    "冇": "没有",
    "喺": "在",
    "佢": "他",
    "哋": "们",
    "嘢": "东西",
    "啲": "些",
    "乜": "什么",
    "咩": "什么",
    "唔": "不",
    "嚟": "来",
    "睇": "看",
    "畀": "给",
}
# 边 before a counter or a time word is "which" ("边日", "边几个"); alone it is "side" (双边).
_CANTONESE_RE = re.compile(
    "|".join(sorted(map(re.escape, _CANTONESE), key=len, reverse=True))
    + r"|(?<![这那两旁一周身东西南北左右双海江河岸路手外里上下前后])边(?=[日天年月间家条几一些])"
    + r"|呢(?=[个份篇单次间位条些])"
    # 咁 opening a sentence is "so, then" (那), unless "so" of degree ("咁多": so many); in the middle
    # ("点解咁睇好") it is left as it is.
    + r"|(?<![\u4e00-\u9fff])咁(?![多大细快耐早迟远近])"
)


def _cantonese_word(found: re.Match[str]) -> str:
    return _CANTONESE_BEFORE_WORDS[found.group(0)]


# 边个 is "who", and "which" before a noun ("边个区": which district).
_NOUN_AFTER_WHICH = re.compile(r"区|地方|城市|公司|部门|机构|行业|领域|项目|国家|省|街|部分|方面|月|年")


def _mandarin_word(found: re.Match[str]) -> str:
    word = found.group(0)
    if word == "边个" and _NOUN_AFTER_WHICH.match(found.string, found.end()):
        return "哪个"
    return {"边": "哪", "呢": "这", "咁": "那"}.get(word) or _CANTONESE[word]


def mandarin(simplified_text: str) -> str:
    """Written Cantonese in simplified characters in its Mandarin words ("边日签嘅" -> "哪日签的");
    Mandarin text unchanged."""
    return (
        _CANTONESE_RE.sub(_mandarin_word, simplified_text)
        if HAN_RE.search(simplified_text)
        else simplified_text
    )


# One reply normalises its question in every part of the engine (analyser, matcher, model,
# reasoner): the last few results are kept, a few per reply, not a growing memo of all questions.
_RECENT_TEXTS = 32


@lru_cache(maxsize=_RECENT_TEXTS)
def normalise(text: str) -> str:
    """Fold case, width, umlauts and ß, traditional Chinese to simplified; turn punctuation into
    spaces; squeeze whitespace."""
    text = unicodedata.normalize("NFKC", strip_invisible(text)).casefold().translate(_FOLD)
    if not text.isascii():
        text = mandarin(simplified(_CANTONESE_BEFORE.sub(_cantonese_word, text)))
        # Decompose what is left (e.g. "ó") and drop the combining marks.
        decomposed = unicodedata.normalize("NFKD", text)
        if decomposed != text:
            kept = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
            text = unicodedata.normalize("NFKC", kept)
    return " ".join(_TOKEN_RE.findall(text))


# "ae", "oe", "ue" typed for "ä", "ö", "ü" on a keyboard without them ("Buero", "fuer", "Zurueck"),
# not where the letters stand for themselves: after a vowel or "q" ("neue", "Steuer", "Quelle"), at
# a word's end (an English "venue" or "issue" quoted in German), and in the words below ("zuerst",
# "aktuell", "Frequenz", "Koeffizient", "Poesie", "Aerosol", the names "Michael", "Manuel").
_SPELLED_UMLAUT = re.compile(r"(?<![aeiouyq])([aou])e(?=[a-zß])", re.IGNORECASE)
_OWN_LETTERS = re.compile(
    r"^(?:zue(?:rst|inander|rkann|rkenn|nde)|koe|poe|aer)|(?:uell|uenz|uel|ael)(?:e[nrs]?|s)?$", re.IGNORECASE
)
_UMLAUT_OF = {"a": "ä", "o": "ö", "u": "ü", "A": "Ä", "O": "Ö", "U": "Ü"}
_LATIN_WORD = re.compile(r"[a-zA-ZäöüÄÖÜß]+")


def with_umlauts(german: str) -> str:
    """A German text with the umlauts a keyboard without them spelled out put back ("Zurueck zum
    Buero" -> "Zurück zum Büro"); only for text known to be German ("neue", "zuerst" stay)."""

    def word(found: re.Match[str]) -> str:
        text = found.group(0)
        if _OWN_LETTERS.search(text):
            return text
        return _SPELLED_UMLAUT.sub(lambda pair: _UMLAUT_OF[pair.group(1)], text)

    return _LATIN_WORD.sub(word, german)


def words(normalised: str) -> list[str]:
    """Split a normalised text into Latin words and runs of Han characters."""
    return normalised.split()


def is_han(token: str) -> bool:
    """True for a run of Han characters."""
    return bool(HAN_RE.match(token))


@dataclass(frozen=True)
class LangModel:
    """Word evidence for de vs en, learned from the fact base's questions (log-odds per word)."""

    log_odds_de: Mapping[str, float] = field(default_factory=dict)
    # Character trigrams (" ve", "ung", "ing") for words the fact base never used.
    trigram_odds_de: Mapping[str, float] = field(default_factory=dict)

    @classmethod
    def from_texts(cls, texts: Mapping[str, Iterable[str]]) -> LangModel:
        """Count normalised words per language and keep those that lean clearly one way."""
        counts: dict[str, dict[str, int]] = {"de": {}, "en": {}}
        for lang in ("de", "en"):
            for text in texts.get(lang, ()):
                for word in set(words(normalise(text))):
                    if not is_han(word) and not word.isdigit():
                        counts[lang][word] = counts[lang].get(word, 0) + 1
        tri: dict[str, dict[str, int]] = {"de": {}, "en": {}}
        for lang in ("de", "en"):
            for word, n in counts[lang].items():
                for gram in _trigrams(word):
                    tri[lang][gram] = tri[lang].get(gram, 0) + n
        return cls(log_odds_de=_log_odds(counts, 1.0), trigram_odds_de=_log_odds(tri, 0.3))

    def word_evidence(self, word: str) -> float:
        """Log-odds that `word` is German rather than English (> 0 German)."""
        known = self.log_odds_de.get(word)
        if known is not None:
            # Content words travel between languages (names, "Advisory Group"): weaker evidence
            # than function words.
            return max(-1.5, min(1.5, 0.6 * known))
        grams = _trigrams(word)
        if not grams:
            return 0.0
        total = sum(self.trigram_odds_de.get(g, 0.0) for g in grams)
        return max(-0.75, min(0.75, total / math.sqrt(len(grams))))


def _trigrams(word: str) -> list[str]:
    padded = f" {word} "
    return [padded[i : i + 3] for i in range(len(padded) - 2)] if len(word) >= 3 else []


def _log_odds(counts: Mapping[str, Mapping[str, int]], floor: float) -> dict[str, float]:
    total_de = sum(counts["de"].values()) + 1
    total_en = sum(counts["en"].values()) + 1
    odds: dict[str, float] = {}
    for key in set(counts["de"]) | set(counts["en"]):
        p_de = (counts["de"].get(key, 0) + 0.5) / total_de
        p_en = (counts["en"].get(key, 0) + 0.5) / total_en
        value = math.log(p_de / p_en)
        if abs(value) >= floor:
            odds[key] = max(-3.0, min(3.0, value))
    return odds


_GERMAN_LETTERS = re.compile("[äöüß]")
_BRACKETED = re.compile(r"[（(][^（）()]*[）)]")


# Words as German as they are English ("Am 25. Juni also?"), beside those both hint lists hold.
_EITHER_LANGUAGE = frozenset({"also", "am", "so", "in", "was", "will", "dr"})


def detect_language(text: str, model: LangModel | None = None, hint: str | None = None) -> str:
    """Return de, en or zh: Han script means zh; otherwise word evidence; `hint` breaks ties."""
    hint_lang = lang_code(hint)
    folded = normalise(text)
    # A gloss in brackets ("……属于何种性质（type of agreement）？") is not the sentence.
    outside = _BRACKETED.sub(" ", text)
    if HAN_RE.search(outside) and not _latin_sentence(normalise(outside)):
        return "zh"
    raw = text.casefold()
    score = 0.0  # > 0 leans German, < 0 English
    if _GERMAN_LETTERS.search(raw):
        score += 2.0
    for word in words(folded):
        if word in _EITHER_LANGUAGE:
            continue  # "also", "am": as German as English
        # Function words are the surest sign: names and terms travel between languages.
        if word in _LANG_HINT_WORDS["de"]:
            score += 2.0
        if word in _LANG_HINT_WORDS["en"]:
            score -= 2.0
        if model is not None:
            if word not in _LANG_HINT_WORDS["de"] and word not in _LANG_HINT_WORDS["en"]:
                score += model.word_evidence(word)
        elif word.endswith(("ung", "keit", "heit", "lich", "isch")):
            score += 0.5
        elif word.endswith(("ing", "tion", "ment", "ness")):
            score -= 0.5
    if score > 0.5:
        return "de"
    if score < -0.5:
        return "en"
    return hint_lang if hint_lang in ("de", "en", "zh") else ("de" if score > 0 else "en")


def shows_language(text: str) -> bool:
    """True when a text says its language by itself: Chinese characters, German letters or more
    function or question words of German than of English, or the other way round. "thx",
    "Quelle?", "ok", "Also 2012, oder?" do not: in a chat they are read in the chat's language (a
    word's trigrams alone lean either way)."""
    if HAN_RE.search(text) or _GERMAN_LETTERS.search(text.casefold()):
        return True
    found = [w for w in words(normalise(text)) if w not in _EITHER_LANGUAGE]
    german = sum(1 for w in found if w in _LANG_HINT_WORDS["de"] and w not in _LANG_HINT_WORDS["en"])
    english = sum(1 for w in found if w in _LANG_HINT_WORDS["en"] and w not in _LANG_HINT_WORDS["de"])
    # ("Also 2012, oder?": a word of each, "also" English too: no more of one than of the other.)
    return german != english


def _latin_sentence(folded: str) -> bool:
    """True when the Latin words around any Chinese ones make the sentence ("Who is" and a name in
    Chinese characters): at least two of them are German or English question or function words."""
    latin = [w for w in words(folded) if not is_han(w)]
    known = _LANG_HINT_WORDS["de"] | _LANG_HINT_WORDS["en"]
    return sum(1 for w in latin if w in known) >= 2


def lang_code(code: str | None) -> str | None:
    """Map a Telegram `language_code` such as "de-AT" or "zh-hans" to de, en or zh."""
    if not code:
        return None
    base = code.strip().lower().replace("_", "-").split("-")[0]
    return base if base in LANGS else None
