"""The learned signal and its calibration come from the fact base itself, not from constants."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pytest

from bot.core.calibration import isotonic
from bot.core.training import FOLDS, examples, fingerprint, train_signals
from bot.errors import TrainingStopped
from bot.knowledge.loader import load
from bot.knowledge.model import KnowledgeBase
from tests.engines import signals

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load(ROOT / "knowledge")


def thinned(kb: KnowledgeBase, every: int) -> KnowledgeBase:
    """The same intents with only every `every`-th alternative question kept: another base, and
    one that trains in a fraction of the time."""
    return replace(
        kb,
        intents=tuple(
            replace(i, questions=MappingProxyType({lg: qs[::every] for lg, qs in i.questions.items()}))
            for i in kb.intents
        ),
    )


@pytest.mark.slow
def test_calibration_is_measured_on_the_fact_base(kb: KnowledgeBase) -> None:
    """Another fact base gives another map: the calibration is computed, not hard-coded. (The
    full base's signals are the session's training of it, tests/engines.py: train_signals once.)"""
    full, half = signals(kb), train_signals(thinned(kb, 4))
    assert full.calibration.samples > 500 and half.calibration.samples > 200
    assert full.calibration != half.calibration
    assert full.fingerprint == fingerprint(kb) != half.fingerprint
    # A probability, never decreasing with the score.
    probs = np.asarray(full.calibration.probabilities)
    assert ((probs >= 0) & (probs <= 1)).all() and (np.diff(probs) >= 0).all()


def test_every_held_out_alternative_is_scored(kb: KnowledgeBase) -> None:
    """The map is fitted on all the cross-validated alternatives, not on every k-th one: a sample
    picked by position changed wholesale when one intent was added (issue 18)."""
    assert signals(kb).calibration.samples == len(examples(kb))


# A small known unknown, in words of no set, eight questions a language: what issue 18 added and
# found many answers turned into declines.
LOCAL_EFFECTS = {
    "de": (
        "Was ändert sich durch die Vereinbarung für die Bürger vor Ort?",
        "Was haben die Einwohner von dem Abkommen?",
        "Welche Folgen hat der Deal für Arbeitnehmer?",
        "Bringt die Zusammenarbeit den Beschäftigten etwas?",
        "Was bedeutet das für Verbraucher?",
        "Merken die Menschen in der Stadt etwas davon?",
        "Werden Kunden von der Kooperation profitieren?",
        "Was heißt das Abkommen für die Leute, die dort arbeiten?",
    ),
    "en": (
        "What does the agreement change for people living there?",
        "How will residents benefit from the deal?",
        "What does this mean for workers?",
        "Will employees feel any effect of the partnership?",
        "What is in it for consumers?",
        "Does the cooperation make a difference for ordinary citizens?",
        "Will customers see anything from this agreement?",
        "What are the consequences for the local workforce?",
    ),
    "zh": (
        "这项协议对当地居民有什么影响？",
        "老百姓能从合作中得到什么？",
        "这对工人意味着什么？",
        "员工会感受到这次合作的影响吗？",
        "消费者能得到什么好处？",
        "协议会给市民生活带来变化吗？",
        "顾客能从中受益吗？",
        "对本地劳动者有什么影响？",
    ),
}


@pytest.mark.slow
def test_one_small_intent_more_hardly_moves_the_map(kb: KnowledgeBase) -> None:
    """Adding one small intent moves the calibrated probability of any score between 0.30 and
    0.60 by less than 0.04 (on the positional sample it moved 0.081 near the answer threshold, and
    a dozen answers of the dev sets turned into declines)."""
    model = next(i for i in kb.intents if i.kind == "unknown")
    extra = replace(model, id="unknown_local_effects", questions=MappingProxyType(LOCAL_EFFECTS))
    before = signals(kb).calibration
    after = train_signals(replace(kb, intents=(*kb.intents, extra))).calibration
    grid = np.linspace(0.30, 0.60, 31).tolist()
    moved = np.abs(np.subtract(before.probabilities_of(grid), after.probabilities_of(grid)))
    assert moved.max() < 0.04


def test_paraphrase_groups_stay_in_one_fold(kb: KnowledgeBase) -> None:
    """Near-identical wordings of an intent are held out together, so cross-validation does not
    score a question against its own twin."""
    data = examples(kb)
    assert {e.group for e in data} == set(range(FOLDS))
    by_text: dict[tuple[int, str], set[int]] = {}
    for e in data:
        key = (e.intent, e.text.lower().rstrip("?？!. "))
        by_text.setdefault(key, set()).add(e.group)
    assert all(len(folds) == 1 for folds in by_text.values())


@pytest.mark.parametrize(
    ("scores", "right", "expected"),
    [
        # Already monotone: each bin keeps its rate.
        pytest.param([0.1, 0.2, 0.8, 0.9], [False, False, True, True], (0.0, 0.0, 1.0, 1.0), id="monotone"),
        # A violation is pooled: the two middle bins share their mean.
        pytest.param([0.1, 0.4, 0.6, 0.9], [False, True, False, True], (0.0, 0.5, 1.0), id="pooled"),
    ],
)
def test_isotonic_map(scores: list[float], right: list[bool], expected: tuple[float, ...]) -> None:
    """Pool adjacent violators: a non-decreasing step map of the observed rates."""
    assert isotonic(scores, right).probabilities == expected


@pytest.mark.parametrize("steps", [0, 1, 3])
def test_a_training_stops_at_the_step_after_it_is_asked_to(kb: KnowledgeBase, steps: int) -> None:
    """`stop` is asked between steps (before the model, before each fold, each held-out
    ranking); the first True ends the training with TrainingStopped, no step later."""
    asked: list[int] = []

    def stop() -> bool:
        asked.append(1)
        return len(asked) > steps

    with pytest.raises(TrainingStopped):
        train_signals(thinned(kb, 10), stop=stop)  # any base of MIN_EXAMPLES: ten times smaller
    assert len(asked) == steps + 1


DETERMINISM_PROBE = """
from bot.core.classifier import train
docs = [{f"w{i}", f"w{(i * 7) % 13}", f"x{i % 5}", f"y{i % 3}", f"z{(i * 3) % 11}"} for i in range(60)]
model = train(docs, [i % 4 for i in range(60)], ("a", "b", "c", "d"))
question = {f"w{i}" for i in range(0, 60, 3)} | {"x2", "y0", "z5", "x4"}
print(model.weights.tobytes().hex(), model.scores(question).tobytes().hex())
"""


def test_the_model_and_its_scores_do_not_depend_on_the_hash_seed() -> None:
    """Feature sets iterate in a hash-seeded order; the trained weights and a question's scores
    come out bit for bit the same in processes with different seeds (float32 sums in column
    order), so a reply's confidence does not change from one start to the next."""
    import os
    import subprocess
    import sys

    outputs = {
        subprocess.run(
            [sys.executable, "-c", DETERMINISM_PROBE],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2", "3", "4")
    }
    assert len(outputs) == 1
