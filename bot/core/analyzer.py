"""Turn text into matcher terms: synonym concepts, word stems and Han bigrams (pure).

`C:witness` for Zeuge / witnessed / 见证 (from knowledge/synonyms.yaml), `W:unterzeichn` for a word
stem (Snowball), `H:签署` for a pair of Chinese characters. Stopwords drop out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import snowballstemmer

from bot.core.lang import STOPWORDS, is_han, normalise, words

HAN_STOP = frozenset("的了吗呢吧啊呀请问一下个这那和与跟及是在也都就还")
# German heads that name nothing of their own: "das Rechenzentrumszeug" (the data-centre stuff) is
# about what the word before them names; longest first.
_VAGUE_HEADS = (
    "geschichten",
    "geschichte",
    "dinger",
    "sachen",
    "themen",
    "thema",
    "dinge",
    "sache",
    "kram",
    "zeug",
)
_MIN_MODIFIER = 4
_MAX_PHRASE = 4
_RECENT = 8


class Analyzer:
    """Turn text into terms, using the synonym concepts of the fact base."""

    def __init__(self, synonyms: Mapping[str, Iterable[str]]) -> None:
        self._stemmers = {
            "de": snowballstemmer.stemmer("german"),
            "en": snowballstemmer.stemmer("english"),
        }
        self.word_concept: dict[str, str] = {}
        self.stem_concept: dict[str, str] = {}
        self.phrase_concept: dict[tuple[str, ...], str] = {}
        self.han_concept: dict[str, str] = {}
        for concept, terms in synonyms.items():
            for term in terms:
                parts = term.split()
                if len(parts) == 1 and is_han(parts[0]):
                    self.han_concept[parts[0]] = concept
                elif len(parts) == 1:
                    self.word_concept[parts[0]] = concept
                    for stemmer in self._stemmers.values():
                        self.stem_concept.setdefault(stemmer.stemWord(parts[0]), concept)
                else:
                    self.phrase_concept[tuple(parts)] = concept
        self._phrase_starts = frozenset(p[0] for p in self.phrase_concept)
        # Chinese entries by first character, longest first: 数据中心 wins over 中心.
        self._han_keys: dict[str, list[str]] = {}
        for key in sorted(self.han_concept, key=len, reverse=True):
            self._han_keys.setdefault(key[0], []).append(key)
        self._cache: dict[tuple[str, str], str] = {}
        self._recent: dict[tuple[str, str], list[tuple[str, str]]] = {}

    def stem(self, word: str, lang: str) -> str:
        """The stem of a Latin word in `lang` (English rules for zh texts)."""
        key = (word, lang)
        cached = self._cache.get(key)
        if cached is None:
            stemmer = self._stemmers["de" if lang == "de" else "en"]
            cached = stemmer.stemWord(word)
            if len(self._cache) < 100_000:
                self._cache[key] = cached
        return cached

    def word_term(self, word: str, lang: str) -> str | None:
        """The term of one Latin word, or None for a stopword."""
        if word in STOPWORDS.get(lang, frozenset()):
            return None
        concept = self.word_concept.get(word)
        if concept is not None:
            return "C:" + concept
        stem = self.stem(word, lang)
        concept = self.stem_concept.get(stem)
        if concept is not None:
            return "C:" + concept
        if lang == "de":
            concept = self._modifier_concept(word)
            if concept is not None:
                return "C:" + concept
        return "W:" + stem

    def _modifier_concept(self, word: str) -> str | None:
        """The concept a German compound with a vague head is about ("rechenzentrumszeug" ->
        data_centre, its linking "s" dropped), or None."""
        head = next((h for h in _VAGUE_HEADS if word.endswith(h)), None)
        if head is None or len(word) - len(head) < _MIN_MODIFIER:
            return None
        modifier = word[: -len(head)]
        for candidate in (modifier, modifier[:-1] if modifier.endswith("s") else ""):
            concept = self.word_concept.get(candidate) if candidate else None
            if candidate and concept is None:
                concept = self.stem_concept.get(self.stem(candidate, "de"))
            if concept is not None:
                return concept
        return None

    def analyse(self, text: str, lang: str) -> list[tuple[str, str]]:
        """Return the (term, source word) pairs of a text in `lang`; the word is "" for concepts.

        The last few results are remembered: one reply analyses its question for the matcher, the
        learned model and the name-conflict check."""
        key = (text, lang)
        found = self._recent.get(key)
        if found is None:
            found = self._analyse(text, lang)
            if len(self._recent) >= _RECENT:
                self._recent.pop(next(iter(self._recent)))
            self._recent[key] = found
        return list(found)

    def _analyse(self, text: str, lang: str) -> list[tuple[str, str]]:
        tokens = words(normalise(text))
        terms: list[tuple[str, str]] = []
        i = 0
        while i < len(tokens):
            token = tokens[i]
            if is_han(token):
                terms.extend((term, "") for term in self._han_terms(token))
                i += 1
                continue
            matched = False
            longest = min(_MAX_PHRASE, len(tokens) - i) if token in self._phrase_starts else 1
            for n in range(longest, 1, -1):
                concept = self.phrase_concept.get(tuple(tokens[i : i + n]))
                if concept is not None:
                    terms.append(("C:" + concept, ""))
                    i += n
                    matched = True
                    break
            if matched:
                continue
            term = self.word_term(token, lang)
            if term is not None:
                terms.append((term, token))
            i += 1
        return terms

    def _han_terms(self, run: str) -> list[str]:
        terms: list[str] = []
        rest: list[str] = []
        i = 0
        segment = ""
        while i < len(run):
            for key in self._han_keys.get(run[i], ()):
                if run.startswith(key, i):
                    terms.append("C:" + self.han_concept[key])
                    rest.append(segment)
                    segment = ""
                    i += len(key)
                    break
            else:
                if run[i] not in HAN_STOP:
                    segment += run[i]
                else:
                    rest.append(segment)
                    segment = ""
                i += 1
        rest.append(segment)
        for seg in rest:
            if len(seg) == 1:
                terms.append("H:" + seg)
            else:
                terms.extend("H:" + seg[j : j + 2] for j in range(len(seg) - 1))
        return terms
