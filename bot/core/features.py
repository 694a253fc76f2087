"""Features of a question for the learned intent model (pure).

Character 3- and 4-grams of each Latin word (with its edges, so "zeug" in "Zeugen" and "bezeugt"
meet), Han characters and character pairs (Chinese needs no segmenter), words, word pairs, and the
matcher's terms (synonym concepts tie "Zeuge", "witness" and "见证" together across languages).
German written without umlauts ("Buero", "Buergermeister") is folded the same way as "Büro".
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

from bot.core.lang import is_han

_DIGRAPHS = re.compile(r"(?<=[a-z])(ae|oe|ue)")
_FOLDED = {"ae": "a", "oe": "o", "ue": "u"}
_NGRAMS = (3, 4)


def fold_digraphs(word: str) -> str:
    """ "buero" -> "buro", as normalise() folds "büro"; the same rule applies to every language."""
    if "e" not in word:  # most words: no digraph to fold
        return word
    return _DIGRAPHS.sub(lambda m: _FOLDED[m.group(1)], word)


# Words recur from question to question: the features of the last few thousand are kept (about
# 1 kB each), in the order they are added, so the set of a question is built as before.
@lru_cache(maxsize=2048)
def _word_features(token: str) -> tuple[str, tuple[str, ...]]:
    """A Latin word folded, and its features: the word, then its character n-grams."""
    word = fold_digraphs(token)
    padded = f" {word} "
    grams = ["c:" + padded[i : i + size] for size in _NGRAMS for i in range(len(padded) - size + 1)]
    return word, ("w:" + word, *grams)


def question_features(normalised: str, terms: Iterable[str]) -> set[str]:
    """The feature strings of one normalised question and its matcher terms."""
    out: set[str] = set()
    tokens = normalised.split()
    folded: list[str] = []
    for token in tokens:
        word, features = _token_features(token)
        folded.append(word)
        out.update(features)
    for first, second in itertools.pairwise(folded):
        out.add(f"b:{first}_{second}")
    out.update("t:" + term for term in terms)
    return out


def _token_features(token: str) -> tuple[str, tuple[str, ...]]:
    """One token as it joins its neighbours in word pairs, and its own features."""
    if not is_han(token):
        return _word_features(token)
    grams: list[str] = []
    for i, ch in enumerate(token):
        grams.append("h:" + ch)
        if i + 1 < len(token):
            grams.append("hh:" + token[i : i + 2])
    return token, tuple(grams)


# Tokens whose rows a FeatureRows keeps before it starts afresh.
_KEPT_TOKENS = 4096


class FeatureRows:
    """The rows (feature numbers of a model's `vocab`) of a question's features, as looking up
    each of `question_features` would find them; each Latin word's own rows are kept, so a word
    seen before costs one lookup, not one per character n-gram."""

    def __init__(self, vocab: Mapping[str, int]) -> None:
        self._vocab = vocab
        self._tokens: dict[str, tuple[str, tuple[int, ...]]] = {}

    def rows(self, normalised: str, terms: Iterable[str]) -> list[int]:
        """The rows of the features of one normalised question and its matcher terms, ascending."""
        get = self._vocab.get
        out: set[int] = set()
        folded: list[str] = []
        for token in normalised.split():
            found = self._tokens.get(token)
            if found is None:
                word, features = _token_features(token)
                found = (word, tuple(n for n in map(get, features) if n is not None))
                # Words recur from question to question; a run of Han characters is most often a
                # whole clause, so it is not kept.
                if not is_han(token):
                    if len(self._tokens) >= _KEPT_TOKENS:
                        self._tokens.clear()
                    self._tokens[token] = found
            folded.append(found[0])
            out.update(found[1])
        for first, second in itertools.pairwise(folded):
            pair = get(f"b:{first}_{second}")
            if pair is not None:
                out.add(pair)
        for term in terms:
            row = get("t:" + term)
            if row is not None:
                out.add(row)
        return sorted(out)
