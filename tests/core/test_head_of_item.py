"""Who heads a business or an area the facts list: a person whose answer never names that unit
holds a title in the whole company, so the release does not say who heads the unit. Wordings
written for these tests."""

from __future__ import annotations

import pytest

from bot.core.engine import Engine


@pytest.mark.parametrize(
    ("question", "outcome"),
    [
        # a unit the facts list, a head the release never names
        pytest.param("Who is the boss of Siemens Mobility in China?", "not_stated", id="en-mobility-boss"),
        pytest.param("Who runs the Smart Infrastructure business?", "not_stated", id="en-infrastructure"),
        pytest.param("Wer ist Chef der Sparte Digital Industries?", "not_stated", id="de-sparte"),
        pytest.param("谁领导西门子数字化工业集团？", "not_stated", id="zh-digital-industries"),
        pytest.param("誰負責人才培養這一塊？", "not_stated", id="zh-hant-talent"),
        # near misses: the whole company's head, a deed rather than a post, a unit in a title
        pytest.param("Who runs Siemens in China?", "answered", id="en-whole-company"),
        pytest.param("Wer leitet Siemens China?", "answered", id="de-whole-company"),
        pytest.param("Who signed the agreement covering smart transport?", "answered", id="en-deed"),
    ],
)
def test_the_head_of_a_listed_unit_is_not_stated(engine: Engine, question: str, outcome: str) -> None:
    reply = engine.reply(question)
    assert reply.outcome == outcome, (question, reply.text)
