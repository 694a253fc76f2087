"""The two signals joined: term/fuzzy matcher and learned model -> one ranked list (pure).

The combined score of an intent is the mean of the matcher's score (0..1) and the model's
decision value squashed to 0..1. An intent the model does not know yet (added since it was
trained; a retrain follows a reload) is ranked by the matcher alone.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from bot.core.calibration import IDENTITY, Calibration
from bot.core.classifier import LinearModel
from bot.core.features import FeatureRows
from bot.core.lang import detect_language, normalise
from bot.core.matcher import CONFLICT, Matcher

MODEL_SHARE = 0.5
# Steepness of the squash of the model's decision value (about -1 wrong .. +1 right).
_SQUASH = 3.0
TOP_K = 6


@dataclass(frozen=True)
class Ranked:
    """One intent the question may mean: combined score, its parts and calibrated probability."""

    intent: str
    score: float
    matcher: float
    model: float | None
    probability: float
    question: str  # the intent's alternative that matched best ("" when only the model saw it)


@dataclass(frozen=True)
class Ranking:
    """The detected language and the best intents, best first."""

    lang: str
    items: tuple[Ranked, ...]

    @property
    def best(self) -> Ranked | None:
        """The top intent, if any."""
        return self.items[0] if self.items else None


def squash(value: float) -> float:
    """The model's decision value mapped to 0..1 (0.5 at the margin's middle)."""
    return 1.0 / (1.0 + math.exp(-_SQUASH * value))


def combined(matcher: float, model: float | None, share: float = MODEL_SHARE) -> float:
    """The score both signals give together (`share`: the model's weight, 0..1)."""
    if model is None:
        return matcher
    return (1.0 - share) * matcher + share * squash(model)


class Ranker:
    """Ranks intents for a question with the matcher, the model and the calibration."""

    def __init__(
        self,
        matcher: Matcher,
        model: LinearModel | None,
        calibration: Calibration = IDENTITY,
        share: float = MODEL_SHARE,
    ) -> None:
        self.matcher = matcher
        self.model = model
        self.calibration = calibration
        self.share = share  # 0: the matcher alone, 1: the model alone (for the ablation)
        known = set(matcher.intent_ids)
        # Columns of the model's intents that still exist; intents it lacks use the matcher alone.
        self._columns = (
            [(n, i) for n, i in enumerate(model.intents) if i in known] if model is not None else []
        )
        self._column_numbers = np.array([n for n, _ in self._columns], dtype=np.int64)
        self._position = {intent: k for k, (_, intent) in enumerate(self._columns)}
        self._features = FeatureRows(model.vocab) if model is not None else None
        # One message may rank a text twice (a part read alone to resolve a pronoun, then
        # decided): the last few rankings are kept, as the readings of the checks are.
        self._ranked: Callable[[str, str | None, str | None], Ranking] = lru_cache(maxsize=8)(self._rank)

    def model_scores(self, text: str, lang: str) -> dict[str, float]:
        """The model's decision value for each intent it knows, or {} without a model."""
        values = self._model_values(text, lang)
        if values is None:
            return {}
        return dict(zip([intent for _, intent in self._columns], values.tolist(), strict=True))

    def _model_values(self, text: str, lang: str) -> NDArray[np.float32] | None:
        """The model's decision values in the order of `_columns`, or None without a model."""
        if self.model is None or self._features is None:
            return None
        terms = (term for term, _ in self.matcher.analyzer.analyse(text, lang))
        values = self.model.scores_of_rows(self._features.rows(normalise(text), terms))
        if values is None:  # not one known feature: the model votes against every intent
            return np.full(len(self._columns), -1.0, dtype=np.float32)
        return values[self._column_numbers]

    def rank(self, text: str, hint: str | None = None, lang: str | None = None) -> Ranking:
        """The best intents for `text`, best first, each with its calibrated probability."""
        return self._ranked(text, hint, lang)

    def _rank(self, text: str, hint: str | None, lang: str | None) -> Ranking:
        detected = lang or detect_language(text, self.matcher.lang_model, hint)
        found = {c.intent: c for c in self.matcher.candidates(text, detected)}
        values = self._model_values(text, detected)
        listed: list[float] = []
        pool = set(found)
        if values is not None and len(values):
            listed = values.tolist()
            # The model's best few (ties: the first column), as sorting every intent would give.
            best = np.argsort(-values, kind="stable")[:TOP_K].tolist()
            pool.update(self._columns[n][1] for n in best)
        position = self._position if listed else {}
        model = {intent: listed[position[intent]] for intent in pool if intent in position}
        conflicts = self.matcher.conflicting(text, detected)
        # Each intent's combined score, rounded as shown; only the best TOP_K are kept, and only
        # those are calibrated (the map works on each score alone).
        order: list[tuple[float, str, float]] = []
        for intent in pool:
            candidate = found.get(intent)
            score = combined(candidate.score if candidate else 0.0, model.get(intent), self.share)
            if intent in conflicts:  # the model does not know that one city is not another
                score *= CONFLICT
            order.append((-round(score, 4), intent, score))
        order.sort()  # best first, ties by intent (no two intents are the same)
        kept = order[:TOP_K]
        probabilities = self.calibration.probabilities_of([score for _, _, score in kept])
        exact = self.matcher.exact(text)
        items = []
        for (rounded, intent, _), probability in zip(kept, probabilities, strict=True):
            candidate = found.get(intent)
            model_score = model.get(intent)  # None: an intent newer than the model
            items.append(
                Ranked(
                    intent=intent,
                    score=-rounded,
                    matcher=candidate.score if candidate else 0.0,
                    model=None if model_score is None else round(model_score, 4),
                    # The fact base's own wording of an intent is that intent, whatever the calibration.
                    probability=1.0 if intent == exact else round(probability, 4),
                    question=candidate.question if candidate else "",
                )
            )
        return Ranking(detected, tuple(items))


# Below this distance between the two best combined scores a question is torn between them: the
# engine offers both, and the checks and follow-up readings that settle a tie use the same.
MARGIN = 0.03


def top_gap(ranking: Ranking) -> float:
    """Distance between the best and the second combined score (1.0 with one candidate)."""
    scores = [r.score for r in ranking.items[:2]]
    return scores[0] - scores[1] if len(scores) == 2 else 1.0
