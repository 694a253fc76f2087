"""Score a question against every intent of the fact base: text -> candidates (pure).

No Telegram, no SQLite, no files: the matcher is built from a `KnowledgeBase` and answers from
memory. How it scores:

1. The analyzer turns every alternative question and the query into terms (synonym concepts,
   word stems, Han bigrams).
2. Each term weighs by how rare it is across intents (IDF): names, years, "metro" weigh more than
   "what" or the company's name. A query word the fact base never uses weighs as much as the rarest term,
   so off-topic questions do not ride on one shared word. Unknown words within a small edit
   distance of a known word (typos) count as that word, a little discounted.
3. Each alternative scores the weighted F1 of the terms it shares with the query (never 100 for a
   mere subset); one that names another person, place or year than the query counts for less.
   Each intent keeps its best alternative; the best few are blended with a character-level
   similarity (rapidfuzz). What to make of the scores is decided downstream (bot.core.ranking joins
   them with the learned model, bot.core.engine decides).

The index is a set of numpy arrays: one posting array per term, so a query costs a few vector
additions over the alternatives that share a term, not a Python loop over all of them.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from rapidfuzz import fuzz, process
from rapidfuzz.distance import DamerauLevenshtein, Indel, Levenshtein

from bot.core.analyzer import Analyzer
from bot.core.lang import HAN_RE, LangModel, is_han, normalise
from bot.knowledge.model import KnowledgeBase

# An alternative that names another person, city or year than the query is scaled down by this.
CONFLICT = 0.6
_CHAR_BLEND = 0.25
_TOP_K = 6
_YEAR = re.compile(r"^W:(19|20)\d\d$")


@dataclass(frozen=True)
class Analysed:
    """What a matcher reads from its fact base before it can score, derived from the questions
    and the synonyms alone: the (term, word) pairs of every alternative question, in the base's
    order (intents, their languages, their questions), each question normalised (in the same order),
    and the de/en word evidence. A new matcher
    of the same base can take it instead of analysing ~11,000 questions again (bot.knowledge.cache
    keeps it on disk)."""

    pairs: tuple[tuple[tuple[str, str], ...], ...]
    norms: tuple[str, ...]
    lang_model: LangModel


def alternatives(kb: KnowledgeBase) -> list[tuple[str, str]]:
    """(language, question) of every alternative question, in the order of `Analysed.pairs`."""
    return [(lang, q) for intent in kb.intents for lang, qs in intent.questions.items() for q in qs]


def analyse(kb: KnowledgeBase, analyzer: Analyzer | None = None) -> Analysed:
    """Read every alternative question of `kb` (with `analyzer`, else one made for it)."""
    analyzer = analyzer or Analyzer(kb.synonyms)
    questions = alternatives(kb)
    return Analysed(
        tuple(tuple(analyzer.analyse(q, lang)) for lang, q in questions),
        tuple(normalise(q) for _, q in questions),
        LangModel.from_texts({lg: [q for lang, q in questions if lang == lg] for lg in ("de", "en")}),
    )


@dataclass(frozen=True)
class _Group:
    """An intent's normalised alternatives of one script ("latin": letters and digits only, "han":
    Han characters only, "mixed"), by length, with their lengths and the most spaces one holds."""

    script: str
    texts: list[str]
    lengths: list[int]
    spaces: int


_LATIN_CHAR = re.compile("[a-z0-9]")


def _script(normalised: str) -> str:
    """ "latin", "han" or "mixed" (both, or neither) for a normalised text."""
    han = HAN_RE.search(normalised) is not None
    latin = _LATIN_CHAR.search(normalised) is not None
    return "mixed" if han == latin else "han" if han else "latin"


@dataclass(frozen=True)
class Candidate:
    """An intent the query may mean, with its score and the alternative that scored best."""

    intent: str
    score: float
    question: str


def _max_typo_distance(word: str) -> int:
    """How many edits (a swap counts as one) a word of this length may carry as a typo."""
    if len(word) < 3:
        return 0
    if len(word) <= 7:
        return 1
    return 2


def _plausible_typo(word: str, known: str) -> bool:
    """A short word may have lost or gained a letter, or swapped two; a long one a bit more.

    A changed letter in a short word is more often another word ("Wetter" is not "weiter",
    "Witz" is not "Sitz"), so short words do not get substitutions.
    """
    if len(word) >= 8:
        return True
    if Indel.distance(word, known) <= 1:
        return True
    return DamerauLevenshtein.distance(word, known) == 1 and Levenshtein.distance(word, known) == 2


@dataclass(frozen=True)
class Index:
    """What a matcher builds from its base's reading before it can score, beyond what the base
    itself gives: the normalised alternatives and the de/en word evidence (as in `Analysed`), which
    alternatives have a term (`kept`, by their number), the known words with the language each came
    in first, the terms' IDF, each term's alternatives (by their number among the kept), each kept
    alternative's weight, and the person, place or year each intent is about. A matcher of the same
    base (and the same code) can take it instead of building it (bot.knowledge.cache keeps it)."""

    norms: tuple[str, ...]
    lang_model: LangModel
    kept: tuple[int, ...]
    vocab: Mapping[str, str]
    idf: Mapping[str, float]
    postings: Mapping[str, NDArray[np.int32]]
    alt_weight: NDArray[np.float64]
    named: tuple[Mapping[int, frozenset[str]], ...]


class Matcher:
    """Scores questions against every alternative question of a fact base."""

    def __init__(
        self, kb: KnowledgeBase, analysed: Analysed | None = None, index: Index | None = None
    ) -> None:
        """`analysed`: this base's `Analysed` (from `self.analysed` of an earlier matcher of the same
        base, or a cache); analysed now when None or when its count of questions does not fit.
        `index`: this base's `Index` (from `self.index` of an earlier matcher, or a cache): then
        nothing is analysed or built (and `self.analysed` is None), unless it does not fit."""
        self.kb = kb
        self.analyzer = Analyzer(kb.synonyms)
        self.groups: dict[str, int] = {}
        for number, group in enumerate(kb.exclusive):
            for concept in group:
                self.groups["C:" + concept] = number
        count = sum(len(qs) for intent in kb.intents for qs in intent.questions.values())
        self.analysed: Analysed | None = None
        if index is None or len(index.norms) != count or len(index.named) != len(kb.intents):
            if analysed is None or len(analysed.pairs) != count:
                analysed = analyse(kb, self.analyzer)
            self.analysed = analysed
            index = self._index(kb, iter(analysed.pairs), analysed.norms, analysed.lang_model)
        self.index = index
        self.lang_model = index.lang_model
        self._adopt(kb, index)

    def _index(
        self,
        kb: KnowledgeBase,
        analysed: Iterator[tuple[tuple[str, str], ...]],
        norms: tuple[str, ...],
        lang_model: LangModel,
    ) -> Index:
        rows: list[frozenset[str]] = []  # the terms of each alternative that has one
        intent_terms: list[set[str]] = []
        vocab: dict[str, str] = {}
        kept: list[int] = []  # the alternatives with a term, by their number in `norms`
        slices: list[tuple[int, int]] = []
        number = 0
        for intent in kb.intents:
            bag: set[str] = set()
            intent_terms.append(bag)
            start = len(rows)
            for lang, questions in intent.questions.items():
                for _ in questions:
                    pairs = next(analysed)
                    terms = frozenset([term for term, _ in pairs])
                    if terms:
                        kept.append(number)
                        rows.append(terms)
                    number += 1
                    bag.update(terms)
                    for _, word in pairs:
                        if word not in vocab and len(word) >= 3 and not word.isdigit():
                            vocab[word] = lang
            slices.append((start, len(rows)))
        for synonyms in kb.synonyms.values():
            for term in synonyms:
                if " " not in term and not is_han(term) and len(term) >= 3:
                    vocab.setdefault(term, "en")
        n_intents = max(1, len(intent_terms))
        df: dict[str, int] = {}
        for bag in intent_terms:
            for term in bag:
                df[term] = df.get(term, 0) + 1
        idf = {t: math.log(1.0 + n_intents / d) for t, d in df.items()}
        alt_weight = np.array([sum(idf[t] for t in terms) for terms in rows], dtype=np.float64)
        postings: dict[str, list[int]] = {}
        for index, terms in enumerate(rows):
            for term in terms:
                postings.setdefault(term, []).append(index)
        grouped = {term: group for term in postings if (group := self._group(term)) is not None}
        # The person, place or year each intent is about (named in a quarter of its alternatives).
        named: list[dict[int, frozenset[str]]] = []
        for start, end in slices:
            counts: dict[str, int] = {}
            for terms in rows[start:end]:
                for term in terms:
                    if term in grouped:
                        counts[term] = counts.get(term, 0) + 1
            by_group: dict[int, set[str]] = {}
            for term, count in counts.items():
                if count * 4 >= max(1, end - start):
                    by_group.setdefault(grouped[term], set()).add(term)
            named.append({g: frozenset(ts) for g, ts in by_group.items()})
        return Index(
            norms=norms,
            lang_model=lang_model,
            kept=tuple(kept),
            vocab=vocab,
            idf=idf,
            postings={t: np.array(ix, dtype=np.int32) for t, ix in postings.items()},
            alt_weight=alt_weight,
            named=tuple(named),
        )

    def _adopt(self, kb: KnowledgeBase, index: Index) -> None:
        """Take the index and set up what follows from it and the base."""
        self.intent_ids = [intent.id for intent in kb.intents]
        n_intents = max(1, len(self.intent_ids))
        every = [
            (number, q)
            for number, intent in enumerate(kb.intents)
            for questions in intent.questions.values()
            for q in questions
        ]
        rows = [every[n] for n in index.kept]
        self.idf = dict(index.idf)
        self.idf_max = math.log(1.0 + n_intents)
        # Alternatives stay in intent order, so each intent owns one slice of every array.
        self.alt_text = [q for _, q in rows]
        self.alt_norm = [index.norms[n] for n in index.kept]
        # Each intent's normalised alternatives by script, each group by length, for the
        # character-level similarity.
        self._by_length: list[list[_Group]] = []
        self._exact: dict[str, int] = {}
        for norm, (number, _) in zip(self.alt_norm, rows, strict=True):
            self._exact.setdefault(norm, number)
        self.alt_intent = np.array([n for n, _ in rows], dtype=np.int32)
        self.alt_weight = index.alt_weight
        self.postings = dict(index.postings)
        n = len(rows)
        starts = np.searchsorted(self.alt_intent, np.arange(n_intents))
        self.slices = [
            (int(starts[i]), int(starts[i + 1]) if i + 1 < n_intents else n) for i in range(n_intents)
        ]
        # Where each intent's slice starts, and the end of the last.
        self._bounds = np.array([a for a, _ in self.slices] + [n], dtype=np.int64)
        for start, end in self.slices:
            ordered = sorted(self.alt_norm[start:end], key=len)
            self._by_length.append(
                [
                    _Group(script, same, [len(a) for a in same], max(a.count(" ") for a in same))
                    for script in ("latin", "han", "mixed")
                    if (same := [a for a in ordered if _script(a) == script])
                ]
            )
        # For the exclusive groups: which alternatives name a group at all, and which term.
        self.group_alts: dict[int, NDArray[np.bool_]] = {}
        self.term_alts: dict[str, NDArray[np.bool_]] = {}
        for term, alts in self.postings.items():
            group = self._group(term)
            if group is None:
                continue
            mask = np.zeros(n, dtype=bool)
            mask[alts] = True
            self.term_alts[term] = mask
            self.group_alts[group] = self.group_alts.get(group, np.zeros(n, dtype=bool)) | mask
        self.named: list[Mapping[int, frozenset[str]]] = list(index.named)
        # The same by group: which intents are about a person (place, year), and which.
        self._named_by_group: dict[int, list[tuple[str, frozenset[str]]]] = {}
        for intent_id, named in zip(self.intent_ids, self.named, strict=True):
            for group, terms in named.items():
                self._named_by_group.setdefault(group, []).append((intent_id, terms))
        self._vocab = dict(index.vocab)
        # Typos rarely touch the first letter: compare only words that share it.
        self._vocab_by_key: dict[tuple[str, int], list[str]] = {}
        for word in self._vocab:
            self._vocab_by_key.setdefault((word[0], len(word)), []).append(word)
        self._corrections: dict[tuple[str, str], tuple[str, float] | None] = {}

    def _group(self, term: str) -> int | None:
        group = self.groups.get(term)
        if group is None and _YEAR.match(term):
            group = -1
        return group

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
                    if new_term not in out:
                        out[new_term] = (self.idf[new_term], similarity)
                    continue
            # A word the fact base never uses: strong evidence the question is about something else.
            penalty = 0.5 if term.startswith("H:") else 1.0
            out[term] = (self.idf_max * penalty, 0.0)
        return out

    def _correct(self, word: str, lang: str) -> tuple[str, float] | None:
        """The term of the known word `word` is a typo of, with a credit below 1 (memoised)."""
        key = (word, lang)
        if key in self._corrections:
            return self._corrections[key]
        found = self._find_correction(word, lang)
        if len(self._corrections) >= 50_000:
            self._corrections.clear()
        self._corrections[key] = found
        return found

    def _find_correction(self, word: str, lang: str) -> tuple[str, float] | None:
        return self._find_typo(word) or self._split_compound(word, lang)

    def typo(self, word: str, lang: str) -> bool:
        """True when a word the fact base never uses reads as a typo of one it does (not as a
        compound: "Wasserstoff" is no typo of "Wasser")."""
        found = self._correct(word, lang)
        typo = self._find_typo(word) if found is not None else None
        # A word the alternatives hold as it is (an off-topic one: "airport") is no typo of another.
        return typo is not None and typo[1] < 1.0

    def _find_typo(self, word: str) -> tuple[str, float] | None:
        limit = _max_typo_distance(word)
        if limit == 0:
            return None
        near = [
            w
            for size in range(len(word) - limit, len(word) + limit + 1)
            for w in self._vocab_by_key.get((word[0], size), ())
        ]
        for fixed, distance, _ in process.extract(
            word, near, scorer=DamerauLevenshtein.distance, score_cutoff=limit, limit=5
        ):
            if not _plausible_typo(word, fixed):
                continue
            term = self.analyzer.word_term(fixed, self._vocab[fixed])
            if term is None or term not in self.idf:
                continue
            return term, 1.0 - 0.5 * float(distance) / max(len(word), len(fixed))
        return None

    def _split_compound(self, word: str, lang: str) -> tuple[str, float] | None:
        """A German compound such as "Vertragsart": the term of its longest known head part."""
        if lang != "de" or len(word) < 7:
            return None
        for cut in range(len(word) - 3, 3, -1):
            head = word[:cut]
            for stem in (head, head[:-1] if head.endswith("s") else ""):
                if len(stem) < 4 or stem not in self._vocab:
                    continue
                term = self.analyzer.word_term(stem, self._vocab[stem])
                if term is not None and term in self.idf:
                    return term, 0.8
        return None

    # -- scoring -----------------------------------------------------------------------------

    def _alt_scores(
        self, query: dict[str, tuple[float, float]]
    ) -> tuple[NDArray[np.intp], NDArray[np.float64]] | None:
        """The alternatives that share a term with the query (their numbers, ascending) and their
        scores; every other alternative scores 0."""
        total = sum(weight for weight, _ in query.values())
        postings: list[NDArray[np.int32]] = []
        credits: list[float] = []
        for term, (weight, credit) in query.items():
            index = self.postings.get(term)
            if credit > 0 and index is not None:
                postings.append(index)
                credits.append(weight * credit)
        if not postings or total <= 0:
            return None
        # One pass over every posting; bincount adds in the order given, term after term, so each
        # sum is the one adding the postings in turn would give.
        matched = np.bincount(
            np.concatenate(postings),
            weights=np.repeat(credits, [len(p) for p in postings]),
            minlength=len(self.alt_text),
        )
        # Only the alternatives that share a term are scored (a few hundred of ~11,000): the same
        # arithmetic, element by element, on fewer elements.
        hit = (matched > 0).nonzero()[0]
        shared = matched[hit]
        precision = shared / total  # how much of the question the alternative explains
        recall = shared / self.alt_weight[hit]  # how much of the alternative the question covers
        f1 = 2 * precision * recall / (precision + recall)
        groups: dict[int, list[str]] = {}
        for term in query:
            group = self._group(term)
            if group is not None:
                groups.setdefault(group, []).append(term)
        for group, terms in groups.items():
            named = self.group_alts.get(group)
            if named is None:
                continue
            same = np.zeros(len(self.alt_text), dtype=bool)
            for term in terms:
                mask = self.term_alts.get(term)
                if mask is not None:
                    same |= mask
            f1[(named & ~same)[hit]] *= CONFLICT
        return hit, np.asarray(f1, dtype=np.float64)

    def _char_similarity(self, query: str, number: int, seed: str) -> float:
        """The best rapidfuzz ratio (0..100) of `query` and an alternative of intent `number`.

        The ratio of two strings of lengths a and b is at most 200 * min(a, b) / (a + b): once
        `seed` (the alternative with the best terms) has scored, only alternatives of a length
        that could beat it are compared; the best stays the best of all. Normalised texts hold
        Han characters, Latin letters and digits, and spaces: a query in one script shares at
        most its spaces with an alternative in the other, so that group is compared only when
        its spaces alone could beat the best.
        """
        best = fuzz.ratio(query, seed)
        size = len(query)
        script = _script(query)
        spaces = query.count(" ")
        for group in self._by_length[number]:
            lengths = group.lengths
            other = script != "mixed" and group.script not in (script, "mixed")
            if other and 200.0 * min(spaces, group.spaces) / (size + lengths[0]) + 1e-6 < best:
                continue  # only spaces in common: none of the group can reach the best
            share = best / 100.0
            if share > 0:
                low = bisect_left(lengths, share * size / (2 - share) - 1e-6)
                high = bisect_right(lengths, size * (2 - share) / share + 1e-6)
            else:
                low, high = 0, len(lengths)
            if low < high:
                found = process.extractOne(query, group.texts[low:high], scorer=fuzz.ratio, score_cutoff=best)
                if found is not None:
                    best = max(best, float(found[1]))
        return best

    def corrects(self, word: str, lang: str) -> bool:
        """True when a word the fact base never uses reads as a typo (or a compound) of one it does."""
        return self._correct(word, lang) is not None

    def exact(self, text: str) -> str | None:
        """The intent one of whose alternatives is `text` (after normalising), if any."""
        number = self._exact.get(normalise(text))
        return None if number is None else self.intent_ids[number]

    def conflicting(self, text: str, lang: str) -> set[str]:
        """Intents about another person, place or year than the one `text` names."""
        asked: dict[int, set[str]] = {}
        for term, _ in self.analyzer.analyse(text, lang):
            group = self._group(term)
            if group is not None:
                asked.setdefault(group, set()).add(term)
        return {
            intent_id
            for group, terms in asked.items()
            for intent_id, named in self._named_by_group.get(group, ())
            if not named & terms
        }

    def candidates(self, text: str, lang: str) -> list[Candidate]:
        """The best intents for `text`, best first, with blended scores."""
        query = self._query_terms(text, lang)
        scored = self._alt_scores(query)
        if scored is None:
            return []
        hit, f1 = scored
        # Each intent's best alternative among those scored: alternatives stay in intent order, so
        # each intent's scored ones are one run of `hit`, found by its slice's bounds; the others
        # score 0.
        edges = np.searchsorted(hit, self._bounds)
        starts, ends = edges[:-1], edges[1:]
        scored_intents = starts < ends
        per_intent = np.zeros(len(self.intent_ids), dtype=np.float64)
        per_intent[scored_intents] = np.maximum.reduceat(f1, starts[scored_intents])
        k = min(_TOP_K, int(np.count_nonzero(per_intent)))
        if k == 0:
            return []
        top = np.argpartition(-per_intent, k - 1)[:k]
        run = edges.tolist()
        norm_query = normalise(text)
        out: list[Candidate] = []
        for number in top.tolist():
            start, end = run[number], run[number + 1]
            # The first best (ties: the first in the base's order), as over the whole slice.
            best_alt = int(hit[start + int(f1[start:end].argmax())])
            score = float(per_intent[number])
            if _CHAR_BLEND and norm_query:
                char = self._char_similarity(norm_query, number, self.alt_norm[best_alt]) / 100.0
                score = (1 - _CHAR_BLEND) * score + _CHAR_BLEND * char
            out.append(Candidate(self.intent_ids[number], round(score, 4), self.alt_text[best_alt]))
        out.sort(key=lambda c: (-c.score, c.intent))
        return out


__all__ = ("Candidate", "Matcher")
