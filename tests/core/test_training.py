"""The learned signal and its calibration come from the fact base itself, not from constants."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pytest

from bot.core.calibration import IDENTITY, isotonic
from bot.core.training import (
    DRIFT_SHARE,
    FOLDS,
    Measured,
    Signals,
    _Example,
    examples,
    fingerprint,
    train_signals,
)
from bot.errors import TrainingStopped
from bot.knowledge.loader import load
from bot.knowledge.model import Intent, KnowledgeBase
from tests.engines import signals

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load(ROOT / "knowledge")


@pytest.fixture(scope="module")
def data(kb: KnowledgeBase) -> list[_Example]:
    """The real base's examples with their folds (the grouping of paraphrases takes a second)."""
    return examples(kb)


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


def test_every_held_out_alternative_is_scored(kb: KnowledgeBase, data: list[_Example]) -> None:
    """The map is fitted on all the cross-validated alternatives, not on every k-th one: a sample
    picked by position changed wholesale when one intent was added (issue 18)."""
    assert signals(kb).calibration.samples == len(data)


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


def test_paraphrase_groups_stay_in_one_fold(data: list[_Example]) -> None:
    """Near-identical wordings of an intent are held out together, so cross-validation does not
    score a question against its own twin."""
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


@pytest.mark.parametrize(
    ("steps", "small_edit"),
    [
        pytest.param(0, False, id="full-before-the-features"),
        pytest.param(1, False, id="full-before-the-model"),
        pytest.param(3, False, id="full-in-the-first-fold"),
        # A small edit keeps the calibration: only the features and the model, asked before each.
        pytest.param(0, True, id="kept-before-the-features"),
        pytest.param(1, True, id="kept-before-the-model"),
    ],
)
def test_a_training_stops_at_the_step_after_it_is_asked_to(
    served: tuple[KnowledgeBase, Signals], steps: int, small_edit: bool
) -> None:
    """`stop` is asked between steps (before the features, before the model, before each fold,
    each held-out ranking); the first True ends the training with TrainingStopped, no step later,
    whether it calibrates or keeps the calibration in service."""
    base, signals_in_service = served
    asked: list[int] = []

    def stop() -> bool:
        asked.append(1)
        return len(asked) > steps

    edited = one_question_more(base) if small_edit else base
    with pytest.raises(TrainingStopped):
        train_signals(edited, stop=stop, previous=signals_in_service if small_edit else None)
    assert len(asked) == steps + 1


# -- a small edit keeps the calibration in service ---------------------------------------------------


@pytest.fixture(scope="module")
def served(kb: KnowledgeBase) -> tuple[KnowledgeBase, Signals]:
    """A base in service and its signals, calibrated: every 8th alternative of the real base
    (about 1,500, so 1 % is 14; one calibration takes a second)."""
    base = thinned(kb, 8)
    return base, train_signals(base)


def with_questions(kb: KnowledgeBase, number: int, lang: str, *added: str) -> KnowledgeBase:
    """`kb` with `added` questions in `lang` at the end of its `number`-th intent."""
    intent = kb.intents[number]
    questions = {**intent.questions, lang: (*intent.questions.get(lang, ()), *added)}
    changed = replace(intent, questions=MappingProxyType(questions))
    return replace(kb, intents=(*kb.intents[:number], changed, *kb.intents[number + 1 :]))


def one_question_more(kb: KnowledgeBase) -> KnowledgeBase:
    return with_questions(kb, 0, "en", "Could you say that once more, in other words?")


def reworded(kb: KnowledgeBase) -> KnowledgeBase:
    """The first English question of the first intent with a word more."""
    intent = kb.intents[0]
    first, *rest = intent.questions["en"]
    changed = replace(
        intent, questions=MappingProxyType({**intent.questions, "en": (f"{first} Really?", *rest)})
    )
    return replace(kb, intents=(changed, *kb.intents[1:]))


def small_intent_more(kb: KnowledgeBase, per_lang: int = 3) -> KnowledgeBase:
    """A known unknown of `per_lang` questions a language (LOCAL_EFFECTS) added."""
    model = next(i for i in kb.intents if i.kind == "unknown")
    questions = {lang: qs[:per_lang] for lang, qs in LOCAL_EFFECTS.items()}
    extra = replace(model, id="unknown_local_effects", questions=MappingProxyType(questions))
    return replace(kb, intents=(*kb.intents, extra))


def many_questions_more(kb: KnowledgeBase) -> KnowledgeBase:
    """Twenty questions added, two to each of ten intents."""
    for number in range(10):
        kb = with_questions(
            kb, number, "en", f"Tell me more about point {number}, please?", f"Point {number} again?"
        )
    return kb


def kind_changed(kb: KnowledgeBase) -> KnowledgeBase:
    """The first fact intent made a draft: its alternatives are other examples now."""
    number = next(n for n, i in enumerate(kb.intents) if i.kind == "fact")
    changed: Intent = replace(kb.intents[number], kind="draft")
    return replace(kb, intents=(*kb.intents[:number], changed, *kb.intents[number + 1 :]))


def synonym_more(kb: KnowledgeBase) -> KnowledgeBase:
    concept = sorted(kb.synonyms)[0]
    return replace(kb, synonyms={**kb.synonyms, concept: (*kb.synonyms[concept], "zzword")})


def exclusive_less(kb: KnowledgeBase) -> KnowledgeBase:
    return replace(kb, exclusive=kb.exclusive[1:])


def reordered(kb: KnowledgeBase) -> KnowledgeBase:
    return replace(kb, intents=tuple(reversed(kb.intents)))


def alternatives_of(kb: KnowledgeBase, number: int) -> int:
    return sum(len(qs) for qs in kb.intents[number].questions.values())


@pytest.mark.parametrize(
    ("edit", "drift"),
    [
        pytest.param(lambda kb: kb, 0, id="unchanged"),
        pytest.param(one_question_more, 1, id="one-question-added"),
        # The old wording is gone and the new one is there: two.
        pytest.param(reworded, 2, id="one-question-reworded"),
        pytest.param(small_intent_more, 9, id="small-intent-added"),
        pytest.param(many_questions_more, 20, id="twenty-questions-added"),
        # Another kind ranks otherwise: each of its alternatives is gone and back.
        pytest.param(
            kind_changed,
            lambda kb: 2 * alternatives_of(kb, next(n for n, i in enumerate(kb.intents) if i.kind == "fact")),
            id="kind-changed",
        ),
        # The order of the intents changes no alternative.
        pytest.param(reordered, 0, id="reordered"),
        # The synonyms and exclusive groups change how every alternative reads: no count holds.
        pytest.param(synonym_more, None, id="synonym-added"),
        pytest.param(exclusive_less, None, id="exclusive-group-removed"),
    ],
)
def test_the_drift_counts_the_alternatives_changed(
    kb: KnowledgeBase, edit: Callable[[KnowledgeBase], KnowledgeBase], drift: int | Callable[..., int] | None
) -> None:
    """How far an edited base is from the one a calibration was measured on: its alternatives
    added, removed or reworded, or None when the synonyms or exclusive groups changed."""
    expected = drift(kb) if callable(drift) else drift
    assert Measured.of(kb).drift(edit(kb)) == expected


@pytest.mark.parametrize(
    ("edit", "kept"),
    [
        # An admin's or a promote's edit: a question or a few.
        pytest.param(one_question_more, True, id="one-question-added"),
        pytest.param(reworded, True, id="one-question-reworded"),
        # Nine alternatives of 1,482: within 1 % (the real base's one-intent edit, test above).
        pytest.param(small_intent_more, True, id="small-intent-added"),
        pytest.param(lambda kb: small_intent_more(kb, 8), False, id="intent-of-24-added"),
        pytest.param(many_questions_more, False, id="twenty-questions-added"),
        pytest.param(synonym_more, False, id="synonym-added"),
    ],
)
def test_a_small_edit_keeps_the_calibration_and_a_large_one_measures_it_again(
    served: tuple[KnowledgeBase, Signals], edit: Callable[[KnowledgeBase], KnowledgeBase], kept: bool
) -> None:
    """Given the signals in service, a training of a base within DRIFT_SHARE of the one they
    were calibrated on fits the model to the new base and keeps their calibration (and its record);
    past it, it calibrates on the new base."""
    base, before = served
    edited = edit(base)
    after = train_signals(edited, previous=before)
    assert after.fingerprint == fingerprint(edited) != before.fingerprint
    assert after.model.intents == tuple(i.id for i in edited.intents)  # the new base's model
    assert (after.calibration is before.calibration) == kept
    assert after.measured == (before.measured if kept else Measured.of(edited))


def test_a_kept_calibration_goes_with_the_model_a_full_training_fits(
    served: tuple[KnowledgeBase, Signals],
) -> None:
    """Only the calibration is kept: the model is the one a full training of the edited base
    fits, weight for weight."""
    base, before = served
    edited = one_question_more(base)
    kept, full = train_signals(edited, previous=before), train_signals(edited)
    assert kept.calibration is before.calibration and full.calibration != before.calibration
    assert kept.model.vocab == full.model.vocab
    assert np.array_equal(kept.model.weights, full.model.weights)


@pytest.mark.parametrize(
    "previous",
    [
        pytest.param(None, id="cold-start"),
        # The base in service was too small to measure: nothing to keep.
        pytest.param("identity", id="nothing-measured"),
    ],
)
def test_without_a_measured_calibration_a_training_calibrates(
    served: tuple[KnowledgeBase, Signals], previous: str | None
) -> None:
    """A cold start (no signals in service) or signals without a measured calibration: the
    edited base is trained and calibrated in full."""
    base, before = served
    given = replace(before, calibration=IDENTITY, measured=None) if previous else None
    edited = one_question_more(base)
    after = train_signals(edited, previous=given)
    assert after.measured == Measured.of(edited) and after.calibration.samples == len(examples(edited))


def test_small_edits_add_up_until_the_calibration_is_measured_again(
    served: tuple[KnowledgeBase, Signals],
) -> None:
    """The drift is counted from the base the calibration was measured on, edit after edit: each
    small edit keeps it until together they pass 1 %, then one training calibrates, and the next
    small edit keeps that new calibration; an edit undone counts nothing."""
    base, signals_now = served
    bound = DRIFT_SHARE * len(Measured.of(base).alternatives)
    per = int(bound // 2)  # questions added at each step: two steps stay within the bound, three pass it
    assert 2 * per <= bound < 3 * per
    bases, kept_by_step = [base], []
    for step in range(4):  # per, 2 per, 3 per (past the bound), then per again from the new measure
        bases.append(
            with_questions(bases[-1], step, "en", *(f"Question {n} of step {step}?" for n in range(per)))
        )
        before, signals_now = signals_now, train_signals(bases[-1], previous=signals_now)
        kept_by_step.append(signals_now.calibration is before.calibration)
    assert kept_by_step == [True, True, False, True]
    assert signals_now.measured == Measured.of(bases[3])  # measured at the third step
    assert signals_now.measured is not None and signals_now.measured.drift(bases[4]) == per
    # Back to the base in service: nothing changed since its calibration was measured.
    assert served[1].measured is not None and served[1].measured.drift(base) == 0
