"""The two signals joined: term/fuzzy matcher and learned model -> one ranked list (pure).

The combined score of an intent is the mean of the matcher's score (0..1) and the model's
decision value squashed to 0..1. An intent the model does not know yet (added since it was
trained; a retrain follows a reload) is ranked by the matcher alone.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass

from bot.core.calibration import IDENTITY, Calibration
from bot.core.classifier import LinearModel
from bot.core.features import question_features
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

    def model_scores(self, text: str, lang: str) -> dict[str, float]:
        """The model's decision value for each intent it knows, or {} without a model."""
        if self.model is None:
            return {}
        terms = (term for term, _ in self.matcher.analyzer.analyse(text, lang))
        values = self.model.scores(question_features(normalise(text), terms))
        if values is None:  # not one known feature: the model votes against every intent
            return {intent: -1.0 for _, intent in self._columns}
        listed = values.tolist()
        return {intent: listed[n] for n, intent in self._columns}

    def rank(self, text: str, hint: str | None = None, lang: str | None = None) -> Ranking:
        """The best intents for `text`, best first, each with its calibrated probability."""
        detected = lang or detect_language(text, self.matcher.lang_model, hint)
        found = {c.intent: c for c in self.matcher.candidates(text, detected)}
        model = self.model_scores(text, detected)
        pool = set(found)
        if model:
            pool.update(heapq.nlargest(TOP_K, model, key=model.__getitem__))
        conflicts = self.matcher.conflicting(text, detected)
        exact = self.matcher.exact(text)
        intents = sorted(pool)
        scores = []
        for intent in intents:
            candidate = found.get(intent)
            score = combined(candidate.score if candidate else 0.0, model.get(intent), self.share)
            if intent in conflicts:  # the model does not know that one city is not another
                score *= CONFLICT
            scores.append(score)
        probabilities = self.calibration.probabilities_of(scores)
        items = []
        for intent, score, probability in zip(intents, scores, probabilities, strict=True):
            candidate = found.get(intent)
            model_score = model.get(intent)  # None: an intent newer than the model
            items.append(
                Ranked(
                    intent=intent,
                    score=round(score, 4),
                    matcher=candidate.score if candidate else 0.0,
                    model=None if model_score is None else round(model_score, 4),
                    # The fact base's own wording of an intent is that intent, whatever the calibration.
                    probability=1.0 if intent == exact else round(probability, 4),
                    question=candidate.question if candidate else "",
                )
            )
        items.sort(key=lambda r: (-r.score, r.intent))
        return Ranking(detected, tuple(items[:TOP_K]))


def top_gap(ranking: Ranking) -> float:
    """Distance between the best and the second combined score (1.0 with one candidate)."""
    scores = [r.score for r in ranking.items[:2]]
    return scores[0] - scores[1] if len(scores) == 2 else 1.0
