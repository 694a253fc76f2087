"""Match a question to an intent of the fact base: text -> MatchResult (pure).

No Telegram, no SQLite, no files: the matcher is built from a `KnowledgeBase` and answers from
memory. How it scores:

1. Analyse every alternative question and the query into *terms*: synonym concepts (``C:witness``
   for Zeuge / witnessed / 见证), word stems (``W:unterzeichn``) and Han character bigrams
   (``H:签署``). Stopwords drop out.
2. Weigh each term by how rare it is across intents (IDF): names, years, "metro" weigh more than
   "what" or "Siemens". A query word the fact base has never seen weighs as much as the rarest
   term, so off-topic questions do not ride on one shared word. Unknown words within a small edit
   distance of a known word (typos) count as that word, a little discounted.
3. Score each alternative by the weighted F1 of shared terms (never 100 for a mere subset), blend
   in a character-level similarity (rapidfuzz) for typos and Chinese, and take each intent's best
   alternative. The top score is the confidence; a close runner-up lowers it to a suggestion.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

import snowballstemmer
from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein, Indel

from bot.knowledge import KnowledgeBase
from bot.lang import LangModel, STOPWORDS, detect_language, is_han, normalise, words

Outcome = Literal["answer", "suggest", "none"]

ANSWER_THRESHOLD = 0.50
SUGGEST_THRESHOLD = 0.35
# Below this distance between the best and the next intent the matcher offers both instead.
MARGIN = 0.03
HAN_STOP = frozenset("的了吗呢吧啊呀请问一下个这那")
_MAX_PHRASE = 4
_CHAR_BLEND = 0.25
_TOP_K = 6
# An alternative that names another person, city or year than the query is scaled down by this.
CONFLICT = 0.6
UNEXPLAINED_SCALE = 1.0
UNEXPLAINED_POWER = 1.0
_YEAR = re.compile(r"^W:(19|20)\d\d$")


@dataclass(frozen=True)
class Candidate:
    """An intent the query may mean, with its score and the alternative that scored best."""

    intent: str
    score: float
    question: str


@dataclass(frozen=True)
class MatchResult:
    """What the matcher decided: answer, suggest or none; the confidence; the runners-up."""

    outcome: Outcome
    lang: str
    confidence: float
    candidates: tuple[Candidate, ...]

    @property
    def best(self) -> Candidate | None:
        """The top candidate, if any."""
        return self.candidates[0] if self.candidates else None


@dataclass(frozen=True)
class _Alt:
    intent: str
    lang: str
    text: str
    norm: str
    terms: frozenset[str]
    weight: float
    keys: Mapping[int, frozenset[str]]


def _max_typo_distance(word: str) -> int:
    """How many edits (a swap counts as one) a word of this length may carry as a typo."""
    if len(word) < 3:
        return 0
    if len(word) <= 7:
        return 1
    return 2


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
        # Chinese entries by first character, longest first: 数据中心 wins over 中心.
        self._han_keys: dict[str, list[str]] = {}
        for key in sorted(self.han_concept, key=len, reverse=True):
            self._han_keys.setdefault(key[0], []).append(key)
        self._cache: dict[tuple[str, str], str] = {}

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
        return "W:" + stem

    def analyse(self, text: str, lang: str) -> list[tuple[str, str]]:
        """Return the (term, source word) pairs of a text in `lang`; the word is "" for concepts."""
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
            for n in range(min(_MAX_PHRASE, len(tokens) - i), 1, -1):
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


class Matcher:
    """Scores questions against every alternative question of a fact base."""

    def __init__(
        self,
        kb: KnowledgeBase,
        answer_threshold: float | None = None,
        suggest_threshold: float | None = None,
    ) -> None:
        self.kb = kb
        self.answer_threshold = ANSWER_THRESHOLD if answer_threshold is None else answer_threshold
        self.suggest_threshold = (
            SUGGEST_THRESHOLD if suggest_threshold is None else suggest_threshold
        )
        self.analyzer = Analyzer(kb.synonyms)
        self.groups: dict[str, int] = {}
        for number, group in enumerate(kb.exclusive):
            for concept in group:
                self.groups["C:" + concept] = number
        self.lang_model = LangModel.from_texts(
            {lg: [q for i in kb.intents for q in i.questions.get(lg, ())] for lg in ("de", "en")}
        )
        raw: list[tuple[str, str, str, frozenset[str]]] = []
        intent_terms: dict[str, set[str]] = {}
        vocab: dict[str, str] = {}
        for intent in kb.intents:
            bag = intent_terms.setdefault(intent.id, set())
            for lang, questions in intent.questions.items():
                for q in questions:
                    pairs = self.analyzer.analyse(q, lang)
                    terms = frozenset(term for term, _ in pairs)
                    raw.append((intent.id, lang, q, terms))
                    bag.update(terms)
                    for _, word in pairs:
                        if len(word) >= 3 and not word.isdigit():
                            vocab.setdefault(word, lang)
        for terms in kb.synonyms.values():
            for term in terms:
                if " " not in term and not is_han(term) and len(term) >= 3:
                    vocab.setdefault(term, "en")
        n_intents = max(1, len(intent_terms))
        df: dict[str, int] = {}
        for bag in intent_terms.values():
            for term in bag:
                df[term] = df.get(term, 0) + 1
        self.idf = {t: math.log(1.0 + n_intents / d) for t, d in df.items()}
        self.idf_max = math.log(1.0 + n_intents)
        self.alts: list[_Alt] = []
        self.postings: dict[str, list[int]] = {}
        for intent_id, lang, text, terms in raw:
            weight = sum(self.idf.get(t, self.idf_max) for t in terms)
            if weight <= 0:
                continue
            index = len(self.alts)
            keys = self._keys(terms)
            self.alts.append(_Alt(intent_id, lang, text, normalise(text), terms, weight, keys))
            for term in terms:
                self.postings.setdefault(term, []).append(index)
        self.by_intent: dict[str, list[int]] = {}
        for index, alt in enumerate(self.alts):
            self.by_intent.setdefault(alt.intent, []).append(index)
        self._vocab = vocab
        self._vocab_words = list(vocab)

    def _keys(self, terms: Iterable[str]) -> dict[int, frozenset[str]]:
        """The terms of each exclusive group (persons, places, ...; -1 for years) in `terms`."""
        found: dict[int, set[str]] = {}
        for term in terms:
            group = self.groups.get(term)
            if group is None and _YEAR.match(term):
                group = -1
            if group is not None:
                found.setdefault(group, set()).add(term)
        return {g: frozenset(t) for g, t in found.items()}

    # -- query side ------------------------------------------------------------------------

    def _query_terms(self, text: str, lang: str) -> dict[str, tuple[float, float]]:
        """Map each query term to (weight in the query, credit when matched)."""
        out: dict[str, tuple[float, float]] = {}
        for term, word in self.analyzer.analyse(text, lang):
            if term in out:
                continue
            if term in self.idf:
                out[term] = (self.idf[term], 1.0)
                continue
            if word:
                fixed = self._correct(word, lang)
                if fixed is not None:
                    new_term, similarity = fixed
                    weight = self.idf.get(new_term, self.idf_max)
                    if new_term not in out:
                        out[new_term] = (weight, similarity)
                    continue
            # A word the fact base never uses: strong evidence the question is about something else.
            penalty = 0.5 if term.startswith("H:") else 1.0
            out[term] = (self.idf_max * penalty, 0.0)
        return out

    def _correct(self, word: str, lang: str) -> tuple[str, float] | None:
        if len(word) < 3 or word.isdigit():
            return None
        limit = _max_typo_distance(word)
        if limit == 0:
            return self._split_compound(word, lang)
        # Short words: only a letter left out or added ("bush" for "busch"); "witz" is not "sitz".
        scorer = Indel.distance if len(word) <= 4 else DamerauLevenshtein.distance
        found = process.extractOne(word, self._vocab_words, scorer=scorer, score_cutoff=limit)
        if found is None:
            return self._split_compound(word, lang)
        fixed = str(found[0])
        term = self.analyzer.word_term(fixed, self._vocab[fixed])
        if term is None or term not in self.idf:
            return None
        return term, 1.0 - 0.5 * float(found[1]) / max(len(word), len(fixed))

    def _split_compound(self, word: str, lang: str) -> tuple[str, float] | None:
        """A German compound such as "Vertragsart": the term of its longest known head part."""
        if lang != "de" or len(word) < 7:
            return None
        for cut in range(len(word) - 3, 3, -1):
            head, tail = word[:cut], word[cut:]
            for stem in (head, head[:-1] if head.endswith("s") else ""):
                if len(stem) < 4 or stem not in self._vocab:
                    continue
                term = self.analyzer.word_term(stem, self._vocab[stem])
                if term is not None and term in self.idf:
                    return term, 0.8
        return None

    # -- scoring -----------------------------------------------------------------------------

    def match(self, text: str, hint: str | None = None, lang: str | None = None) -> MatchResult:
        """Find the intent `text` asks about. `hint` is a client language; `lang` forces one."""
        detected = lang or detect_language(text, self.lang_model, hint)
        query = self._query_terms(text, detected)
        total = sum(weight for weight, _ in query.values())
        if total <= 0:
            return MatchResult("none", detected, 0.0, ())
        matched: dict[int, float] = {}
        for term, (weight, credit) in query.items():
            if credit <= 0:
                continue
            for index in self.postings.get(term, ()):
                matched[index] = matched.get(index, 0.0) + weight * credit
        query_keys = self._keys(query)
        best: dict[str, tuple[float, int]] = {}
        for index, value in matched.items():
            alt = self.alts[index]
            # Unexplained query weight counts sublinearly: a long question carries framing words
            # ("for my article, could you confirm ...") that a short off-topic one does not.
            unexplained = max(0.0, total - value)
            precision = value / (value + UNEXPLAINED_SCALE * unexplained**UNEXPLAINED_POWER)
            recall = value / alt.weight
            f1 = 2 * precision * recall / (precision + recall)
            if query_keys and alt.keys and any(
                group in alt.keys and not (terms & alt.keys[group])
                for group, terms in query_keys.items()
            ):
                f1 *= CONFLICT
            current = best.get(alt.intent)
            if current is None or f1 > current[0]:
                best[alt.intent] = (f1, index)
        ranked = sorted(best.items(), key=lambda kv: kv[1][0], reverse=True)[:_TOP_K]
        norm_query = normalise(text)
        candidates: list[Candidate] = []
        for intent_id, (f1, index) in ranked:
            score = f1
            if _CHAR_BLEND and norm_query:
                choices = [self.alts[i].norm for i in self.by_intent[intent_id]]
                found = process.extractOne(norm_query, choices, scorer=fuzz.ratio)
                char = float(found[1]) / 100.0 if found else 0.0
                score = (1 - _CHAR_BLEND) * f1 + _CHAR_BLEND * char
            candidates.append(Candidate(intent_id, round(score, 4), self.alts[index].text))
        candidates.sort(key=lambda c: c.score, reverse=True)
        if not candidates:
            return MatchResult("none", detected, 0.0, ())
        top = candidates[0].score
        runner_up = candidates[1].score if len(candidates) > 1 else 0.0
        if top >= self.answer_threshold and top - runner_up >= MARGIN:
            outcome: Outcome = "answer"
        elif top >= self.suggest_threshold:
            outcome = "suggest"
        else:
            outcome = "none"
        return MatchResult(outcome, detected, round(min(1.0, top), 4), tuple(candidates))
