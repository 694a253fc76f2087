"""Train the learned signal and calibrate the combined score from the fact base itself (pure).

Calibration is cross-validated: the alternatives of every intent are grouped into paraphrase
groups (near-identical wordings stay together), the groups are dealt into folds, and each fold is
scored by a matcher and a model built without it. Whether the top intent was right, against the
combined score, gives the isotonic map of `bot.core.calibration`. Nothing is hard-coded: another
fact base gives another map.

The cross-validation is three quarters of a training's cost, and a small edit hardly moves the
map it gives (issue 18: every held-out alternative is scored). So a training given the signals in
service keeps their calibration when the base differs little from the one it was measured on
(`Measured`: a digest of each alternative, of the synonyms and of the exclusive groups): at most
DRIFT_SHARE of those alternatives added, removed or reworded, counted against that base, not
edit by edit, so the edits since the last measurement add up and a reverted one counts nothing,
and the synonyms and exclusive groups unchanged (they change how every alternative reads). Past
that bound, or without a measured calibration, it calibrates again.
"""

from __future__ import annotations

import hashlib
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from types import MappingProxyType

import numpy as np
from rapidfuzz import fuzz

from bot.core.analyzer import Analyzer
from bot.core.calibration import IDENTITY, Calibration, isotonic
from bot.core.classifier import Design, LinearModel, design, fit
from bot.core.features import question_features
from bot.core.lang import normalise
from bot.core.matcher import Matcher
from bot.core.ranking import MODEL_SHARE, Ranker
from bot.errors import TrainingStopped
from bot.knowledge.model import KnowledgeBase

FOLDS = 3
# Fewer held-out alternatives than this measure nothing (a fact base in a test, a new project).
MIN_EXAMPLES = 150
# Two wordings this similar (rapidfuzz token set ratio) are one paraphrase group.
SAME_GROUP = 80.0
# The share of the alternatives a calibration was measured on that may be added, removed or
# reworded (a rewording counts two) before a training measures it again: 1 % is about 110 of the
# real base's 11,000, four small intents or a few dozen promoted questions. On the real base a full
# calibration after two promoted questions moves the map by up to 0.024 between 0.30 and 0.60, after
# 1 % of the alternatives removed at random by 0.033, after one intent of 24 more by less than 0.04
# (tests/core/test_training.py): the spread of the measurement itself, which keeping the map spares.
DRIFT_SHARE = 0.01


@dataclass(frozen=True)
class Measured:
    """What a calibration was measured on: a 64-bit digest of each alternative (its intent, kind,
    language and wording), sorted and unique, and a digest of the synonyms and exclusive groups."""

    alternatives: tuple[int, ...]
    reading: str

    @classmethod
    def of(cls, kb: KnowledgeBase) -> Measured:
        """The record of `kb` as a calibration measured on it would keep it."""
        found = {
            int.from_bytes(
                hashlib.blake2b(f"{i.id}\x00{i.kind}\x00{lang}\x00{q}".encode(), digest_size=8).digest()
            )
            for i in kb.intents
            for lang, qs in i.questions.items()
            for q in qs
        }
        return cls(tuple(sorted(found)), _reading(kb))

    def drift(self, kb: KnowledgeBase) -> int | None:
        """How many alternatives `kb` has that this base had not, and the reverse (None: the
        synonyms or exclusive groups differ, so every alternative may read otherwise)."""
        now = Measured.of(kb)
        if now.reading != self.reading:
            return None
        return len(set(self.alternatives).symmetric_difference(now.alternatives))

    def holds_for(self, kb: KnowledgeBase, share: float = DRIFT_SHARE) -> bool:
        """True when a calibration measured on this base may serve `kb` (see the module)."""
        drift = self.drift(kb)
        return drift is not None and drift <= share * len(self.alternatives)


@dataclass(frozen=True)
class Signals:
    """What training yields: the model and the calibration of the combined score."""

    model: LinearModel
    calibration: Calibration
    fingerprint: str = ""  # of the fact base it was trained on
    # What the calibration was measured on (None: not measured, the base was too small); the
    # model's own base when the training calibrated, an older one when it kept the calibration.
    measured: Measured | None = None


@dataclass(frozen=True)
class _Example:
    intent: int
    lang: str
    text: str
    group: int  # fold number


def fingerprint(kb: KnowledgeBase) -> str:
    """A digest of everything training reads: intents, kinds, questions and synonyms."""
    digest = hashlib.sha256()
    for intent in kb.intents:
        digest.update(f"\x00{intent.id}\x00{intent.kind}".encode())
        for lang in sorted(intent.questions):
            for q in intent.questions[lang]:
                digest.update(f"\x01{lang}\x01{q}".encode())
    for part in _reading_parts(kb):
        digest.update(part)
    return digest.hexdigest()[:32]


def _reading_parts(kb: KnowledgeBase) -> Iterator[bytes]:
    """The synonyms and exclusive groups as the fingerprints digest them."""
    for concept in sorted(kb.synonyms):
        yield f"\x02{concept}\x02{'|'.join(kb.synonyms[concept])}".encode()
    for group in kb.exclusive:
        yield ("\x03" + "|".join(sorted(group))).encode()


def _reading(kb: KnowledgeBase) -> str:
    """The digest of the synonyms and exclusive groups."""
    digest = hashlib.sha256()
    for part in _reading_parts(kb):
        digest.update(part)
    return digest.hexdigest()[:32]


def examples(kb: KnowledgeBase, folds: int = FOLDS) -> list[_Example]:
    """Every alternative with its intent number and fold; paraphrase groups share a fold."""
    out: list[_Example] = []
    for number, intent in enumerate(kb.intents):
        # Groups span the languages: the same wording listed under two languages is one group.
        heads: list[tuple[str, int]] = []  # (normalised first wording, group id)
        for lang, questions in intent.questions.items():
            for text in questions:
                norm = normalise(text)
                group = next((g for head, g in heads if fuzz.token_set_ratio(norm, head) >= SAME_GROUP), -1)
                if group < 0:
                    group = len(heads)
                    heads.append((norm, group))
                fold = zlib.crc32(f"{intent.id}/{group}".encode()) % folds
                out.append(_Example(number, lang, text, fold))
    return out


def _unfolded(kb: KnowledgeBase) -> list[_Example]:
    """The examples in the order of `examples`, without their folds (the grouping of paraphrases
    costs a third of the model's training, and only the cross-validation needs it)."""
    return [
        _Example(number, lang, text, 0)
        for number, intent in enumerate(kb.intents)
        for lang, questions in intent.questions.items()
        for text in questions
    ]


def _features(analyzer: Analyzer, example: _Example) -> set[str]:
    terms = (term for term, _ in analyzer.analyse(example.text, example.lang))
    return question_features(normalise(example.text), terms)


def _without(kb: KnowledgeBase, held_out: set[tuple[int, str, str]]) -> KnowledgeBase:
    intents = []
    for number, intent in enumerate(kb.intents):
        questions = {
            lang: tuple(q for q in qs if (number, lang, q) not in held_out)
            for lang, qs in intent.questions.items()
        }
        intents.append(replace(intent, questions=MappingProxyType(questions)))
    return replace(kb, intents=tuple(intents))


def cross_validated(
    kb: KnowledgeBase,
    data: list[_Example],
    x: Design,
    folds: int = FOLDS,
    share: float = MODEL_SHARE,
    stop: Callable[[], bool] = lambda: False,
) -> Iterator[tuple[float, bool]]:
    """(combined score of the top intent, was it right) for held-out alternatives of each fold.

    The feature index and weights of `x` are shared by the folds (they only count features);
    the model and the matcher of each fold never see its alternatives.
    """
    ids = tuple(i.id for i in kb.intents)
    labels = np.asarray([e.intent for e in data], dtype=np.int64)
    folds_of = np.asarray([e.group for e in data], dtype=np.int64)
    for fold in range(folds):
        _check(stop)
        rows = np.flatnonzero(folds_of != fold)
        held = np.flatnonzero(folds_of == fold)
        weights = fit(x.matrix[rows], labels[rows], len(ids))
        model = LinearModel(ids, x.vocab, x.idf, weights)
        matcher = Matcher(_without(kb, {(data[n].intent, data[n].lang, data[n].text) for n in held}))
        ranker = Ranker(matcher, model, share=share)
        # Every held-out alternative, not every k-th: a sample picked by position shifts wholesale
        # when one intent is added (k jumps with the fold's size), and with it the map near the
        # answer threshold (issue 18).
        for n in held:
            _check(stop)
            best = ranker.rank(data[n].text, lang=data[n].lang).best
            if best is not None:
                yield best.score, best.intent == ids[data[n].intent]


def train_signals(
    kb: KnowledgeBase,
    folds: int = FOLDS,
    share: float = MODEL_SHARE,
    *,
    stop: Callable[[], bool] = lambda: False,
    previous: Signals | None = None,
) -> Signals:
    """The model on every alternative, and the calibration from `folds`-fold cross-validation
    (of the combined score with the model weighing `share`), or that of `previous` (the signals
    in service) when the base is close enough to the one it was measured on (see the module).
    Raises TrainingStopped between its steps once `stop()` is true (a stopping bot does not wait
    for a whole training)."""
    kept = previous.measured if previous is not None else None
    if previous is not None and kept is not None and kept.holds_for(kb):
        return replace(previous, model=_model(kb, _unfolded(kb), stop), fingerprint=fingerprint(kb))
    data = examples(kb, folds)
    x = _design(kb, data, stop)
    model = _fit(kb, data, x)
    pairs = list(cross_validated(kb, data, x, folds, share, stop)) if len(data) >= MIN_EXAMPLES else []
    digest = fingerprint(kb)
    if len(pairs) < MIN_EXAMPLES:  # too few to measure: the combined score stands for itself
        return Signals(model, IDENTITY, digest)
    calibration = isotonic([s for s, _ in pairs], [r for _, r in pairs])
    return Signals(model, calibration, digest, Measured.of(kb))


def _model(kb: KnowledgeBase, data: list[_Example], stop: Callable[[], bool]) -> LinearModel:
    return _fit(kb, data, _design(kb, data, stop))


def _design(kb: KnowledgeBase, data: list[_Example], stop: Callable[[], bool]) -> Design:
    _check(stop)
    analyzer = Analyzer(kb.synonyms)
    x = design([_features(analyzer, e) for e in data])
    _check(stop)
    return x


def _fit(kb: KnowledgeBase, data: list[_Example], x: Design) -> LinearModel:
    ids = tuple(i.id for i in kb.intents)
    return LinearModel(ids, x.vocab, x.idf, fit(x.matrix, [e.intent for e in data], len(ids)))


def _check(stop: Callable[[], bool]) -> None:
    if stop():
        raise TrainingStopped("training stopped")
