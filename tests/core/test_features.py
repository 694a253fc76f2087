"""The model's feature rows: FeatureRows (each token's rows kept) finds exactly the rows that
looking up every feature of `question_features` finds."""

from __future__ import annotations

import pytest

from bot.core.features import FeatureRows, question_features
from bot.core.lang import normalise

# A vocabulary from a few questions, as training builds one from the fact base's (every feature
# numbered); the questions below share some of its words and not others.
_TRAINED = (
    ("Wer hat die Vereinbarung unterzeichnet?", ("C:sign", "W:vereinbar")),
    ("When was the agreement signed?", ("C:sign", "W:agreement")),
    ("协议是哪天签署的？", ("C:sign", "H:协议")),
)
_VOCAB = {
    feature: n
    for n, feature in enumerate(
        sorted({f for text, terms in _TRAINED for f in question_features(normalise(text), terms)})
    )
}


def _looked_up(text: str, terms: tuple[str, ...]) -> list[int]:
    return sorted(_VOCAB[f] for f in question_features(normalise(text), terms) if f in _VOCAB)


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        pytest.param("Wer hat die Vereinbarung unterzeichnet?", ("C:sign",), id="known-words"),
        pytest.param("Who signed the Buero lease?", ("C:sign", "W:lease"), id="folded-digraph-unknown-word"),
        pytest.param("签署 协议 签署", ("C:sign",), id="han-runs-repeated"),
        pytest.param("Wann wurde 协议 signed?", (), id="mixed-scripts-no-terms"),
        pytest.param("zzz qqq", ("W:zzz",), id="nothing-known"),
        pytest.param("", (), id="empty"),
    ],
)
def test_rows_are_the_looked_up_features(text: str, terms: tuple[str, ...]) -> None:
    """The same rows the first time a token is seen and again from the kept tokens."""
    rows = FeatureRows(_VOCAB)
    first = rows.rows(normalise(text), terms)
    again = rows.rows(normalise(text), terms)
    assert first == again == _looked_up(text, terms)
