"""A yes/no about an event's date that adds a detail no fact gives ("in <year> with <a project>?")
gets no "yes": the year is said as what the release does say. Wordings written for these tests."""

from __future__ import annotations

import pytest

from bot.core.engine import Engine
from bot.core.reasoning.detail import Vocabulary


@pytest.mark.parametrize(
    ("question", "outcome"),
    [
        # the year holds, the added detail no fact gives
        pytest.param("Did the office open in 1996 with twelve staff?", "not_stated", id="en-staff"),
        pytest.param("Was the branch founded in 2010 near the Jiangbei airport?", "not_stated", id="en-near"),
        pytest.param(
            "Wurde das Büro 1996 in einem Hochhaus am Flussufer eröffnet?", "not_stated", id="de-hochhaus"
        ),
        pytest.param("办事处是1996年在观音桥开设的吗？", "not_stated", id="zh-place-name"),
        pytest.param("分公司是2010年由德国总部批准升级的吗？", "not_stated", id="zh-approved-by"),
        pytest.param(
            "Was the agreement signed on 20 June 2024 during a trade fair?", "not_stated", id="en-trade-fair"
        ),
        # near misses: the same years asked plainly, with frame words only
        pytest.param("Did the office really open back in 1996?", "answered", id="en-plain-office"),
        pytest.param("Did the branch exist in 2012 already?", "answered", id="en-already-exist"),
        pytest.param("Ist die Niederlassung 2010 entstanden?", "answered", id="de-plain-branch"),
        pytest.param("办事处是1996年设立的吗？", "answered", id="zh-plain-office"),
        pytest.param(
            "Is it right that Siemens became a member of the advisory body in 2018?",
            "answered",
            id="en-became-member",
        ),
    ],
)
def test_no_yes_to_a_date_with_a_detail_no_fact_gives(engine: Engine, question: str, outcome: str) -> None:
    reply = engine.reply(question)
    assert reply.outcome == outcome, (question, reply.text)


@pytest.mark.parametrize(
    ("question", "extra"),
    [
        pytest.param("was it opened in 1996 in the harbour", ("harbour",), id="en-new-word"),
        pytest.param("was it opened in 1996", (), id="en-frame-only"),
        # a new word outside a phrase of circumstance is the asker's own naming of the event
        pytest.param("was the harbour office opened in 1996", (), id="en-new-word-as-a-name"),
        pytest.param("were the offices opened in 1996", (), id="en-form-of-a-known-word"),  # "office"
        # every pair of content characters the texts never use, the one into the verb too
        pytest.param("是1996年在码头开的吗", ("码头", "头开"), id="zh-new-pair"),
        pytest.param("是1996年开的吗", (), id="zh-function-characters"),
    ],
)
def test_vocabulary_names_the_words_it_does_not_hold(question: str, extra: tuple[str, ...]) -> None:
    words = Vocabulary(["The office opened in 1996.", "办事处1996年开设。"])
    assert words.extra(question, question.replace(" ", "")) == extra
