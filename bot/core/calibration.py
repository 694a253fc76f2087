"""From a combined score to a measured chance of being right (pure).

The map is fitted by isotonic regression (pool adjacent violators) on cross-validated scores of
the fact base's own alternative questions: `bot.core.training` holds out groups of paraphrases,
scores them with signals trained without them, and records whether the top intent was right.
Every held-out alternative is scored (about 11,000, bins of about 275), so one intent added or
removed moves the map by a few hundredths at most.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import NDArray


@dataclass(frozen=True)
class Calibration:
    """Knots of a non-decreasing step map: score -> probability that the top intent is right."""

    scores: tuple[float, ...]
    probabilities: tuple[float, ...]
    samples: int = 0

    def probabilities_of(self, scores: Sequence[float]) -> list[float]:
        """The chance that an answer with each combined score is right (linear between knots;
        the score itself, clipped to 0..1, when nothing was measured)."""
        if not self.scores:
            return [max(0.0, min(1.0, s)) for s in scores]
        knots, probabilities = self._arrays
        return np.interp(scores, knots, probabilities).tolist()

    @cached_property
    def _arrays(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """The knots as arrays, made once (not at each call)."""
        return np.asarray(self.scores, dtype=np.float64), np.asarray(self.probabilities, dtype=np.float64)


IDENTITY = Calibration((), ())


def isotonic(scores: Sequence[float], right: Sequence[bool], bins: int = 40) -> Calibration:
    """Fit a non-decreasing map from score to P(right) by pooling adjacent violators.

    The points are first averaged in `bins` quantile bins, so the map has few knots and no step
    rests on a single example.
    """
    if not scores:
        return IDENTITY
    order = np.argsort(np.asarray(scores, dtype=np.float64), kind="stable")
    xs = np.asarray(scores, dtype=np.float64)[order]
    ys = np.asarray(right, dtype=np.float64)[order]
    chunks = [c for c in np.array_split(np.arange(len(xs)), min(bins, len(xs))) if len(c)]
    # Each block: [sum of y, count, mean x]; merge while a block's mean is below its predecessor's.
    blocks: list[list[float]] = []
    for chunk in chunks:
        blocks.append([float(ys[chunk].sum()), float(len(chunk)), float(xs[chunk].mean())])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            y2, n2, x2 = blocks.pop()
            y1, n1, x1 = blocks.pop()
            blocks.append([y1 + y2, n1 + n2, (x1 * n1 + x2 * n2) / (n1 + n2)])
    knots = tuple(round(b[2], 4) for b in blocks)
    probs = tuple(round(b[0] / b[1], 4) for b in blocks)
    return Calibration(knots, probs, len(xs))
