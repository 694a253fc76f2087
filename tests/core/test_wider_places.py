"""A place wider than the agreement's city (the country, the continent) asked where the facts speak
of the city only: the city's fact is said as what the release does say, never as the answer; a
fact that itself speaks of the wider place still answers. Wordings written for these tests."""

from __future__ import annotations

import pytest

from bot.core.engine import Engine


@pytest.mark.parametrize(
    ("question", "outcome"),
    [
        # the country or continent as a whole: the city's start, office and branch do not answer
        pytest.param("In what year did Siemens first set foot in China?", "not_stated", id="en-china-start"),
        pytest.param("Wann kam Siemens erstmals nach China?", "not_stated", id="de-china-start"),
        pytest.param("西门子哪一年开始在中国开展业务？", "not_stated", id="zh-china-start"),
        pytest.param("西門子哪一年在中國開設第一間辦公室？", "not_stated", id="zh-hant-china-office"),
        pytest.param("When did Siemens set up its first Asian office?", "not_stated", id="en-asia-office"),
        pytest.param("Seit wann ist Siemens auf dem chinesischen Markt?", "not_stated", id="de-markt"),
        # near misses: the city named beside the country, the country inside the company's name,
        # and a fact that speaks of the country itself
        pytest.param(
            "When did Siemens begin working with Chongqing in China?", "answered", id="en-city-named-too"
        ),
        pytest.param("Wer ist der Chef von Siemens China?", "answered", id="de-company-name"),
        pytest.param("西门子中国的首席执行官是谁？", "answered", id="zh-company-name"),
        pytest.param(
            "What kind of centre in China is the cooperation meant to build?",
            "answered",
            id="en-fact-speaks-of-china",
        ),
    ],
)
def test_a_wider_place_is_not_answered_with_the_citys_fact(
    engine: Engine, question: str, outcome: str
) -> None:
    reply = engine.reply(question)
    assert reply.outcome == outcome, (question, reply.text)
