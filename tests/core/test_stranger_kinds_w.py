"""Kinds of question a stranger writes that the fact base's own wordings did not show: two question
words that share the first of several questions, the start of the cooperation said in Chinese with
the city between its words, and a count of people said with the measure word for people. Each
table has its near misses: what must stay as it was.

The wordings are our own; the replies are the real engine's on the real fact base.
"""

from __future__ import annotations

import pytest

from bot.core.engine import Engine
from bot.core.question import asked, parts
from tests.core.conftest import Converse

# ---- "When and with whom ...? And who ...?" -------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "pieces"),
    [
        # The pair shares the first question only; the second question is a part of its own.
        pytest.param(
            "When and where did they sign? Who watched?",
            ["When did they sign", "where did they sign", "Who watched"],
            id="pair-then-question",
        ),
        pytest.param(
            "Wann und wo war das? Und wer hat unterschrieben?",
            ["Wann war das", "wo war das", "Und wer hat unterschrieben"],
            id="pair-then-question-de",
        ),
        pytest.param(
            "When and with whom did Siemens sign? Who witnessed it, and what are the areas?",
            [
                "When did Siemens sign",
                "with whom did Siemens sign",
                "Who witnessed it",
                "and what are the areas",
            ],
            id="pair-then-two",
        ),
        # Near misses: a pair alone, and a pair that would make more than four parts.
        pytest.param(
            "When and where was it signed?", ["When was it signed", "where was it signed"], id="pair-alone"
        ),
        pytest.param(
            "When and where was it? Who signed, who watched, and what are the goals?",
            [],
            id="too-many",
        ),
        pytest.param("Who signed it?", [], id="one-question"),
    ],
)
def test_a_pair_of_question_words_shares_only_its_own_question(message: str, pieces: list[str]) -> None:
    assert parts(message) == pieces


@pytest.mark.parametrize(
    ("question", "says"),
    [
        pytest.param("When and with whom was it signed? And who was present?", ("20 June", "Busch"), id="en"),
        pytest.param(
            "Wann und mit wem wurde unterzeichnet? Und wer war Zeuge?", ("20. Juni", "Yuan"), id="de"
        ),
    ],
)
def test_the_question_after_a_pair_is_answered_too(
    engine: Engine, question: str, says: tuple[str, ...]
) -> None:
    """The date was once said to be missing: the pair took the witnesses' question as its tail."""
    reply = engine.reply(question)
    assert reply.outcome == "answered"
    assert all(word in reply.text for word in says)
    assert "Not in the press release" not in reply.text and "Nicht in der" not in reply.text


# ---- the start of the cooperation, the city between its words ----------------------------------


@pytest.mark.parametrize(
    ("question", "opening"),
    [
        pytest.param("西门子是2010年才开始与重庆合作的吧？", "不是", id="branch-year"),
        pytest.param("西门子从2018年起开始跟重庆合作，对吗？", "不是", id="council-year"),
        pytest.param("西门子1995年开始同重庆合作，是吗？", "是的", id="right-year"),
    ],
)
def test_a_year_put_to_the_start_of_the_cooperation_is_checked(
    engine: Engine, question: str, opening: str
) -> None:
    reply = engine.reply(question)
    assert reply.text.startswith(opening)
    assert "1995" in reply.text


def test_the_year_of_the_branch_is_still_the_branch(engine: Engine) -> None:
    """Near miss: a question about 2010 itself names no start of the cooperation."""
    reply = engine.reply("2010年西门子在重庆有什么变化？")
    assert (reply.outcome, reply.intent) == ("answered", "branch_2010")


# ---- how many people, with the measure word for people --------------------------------------------


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        pytest.param("签约现场有多少位摄影师", {"headcount"}, id="measure-word"),
        pytest.param("有几位来宾", {"headcount"}, id="ji-wei"),
        pytest.param("仪式上有多少记者", {"headcount"}, id="noun-of-people"),
        pytest.param("how many reporters came", {"headcount"}, id="en"),
        pytest.param("wie viele journalisten kamen", {"headcount"}, id="de"),
        # Near misses: a count of things, a year, a sum.
        pytest.param("合作领域有多少个", {"number"}, id="things"),
        pytest.param("合作了多少年", set(), id="years"),
        pytest.param("投资了多少钱", {"money"}, id="money"),
    ],
)
def test_a_count_of_people_is_a_headcount(text: str, kinds: set[str]) -> None:
    assert asked(text) == kinds


@pytest.mark.parametrize(
    "turns",
    [
        pytest.param(["谁见证了签约？", "当时现场有多少位记者？"], id="after-witnesses"),
        pytest.param(["签约仪式上有多少来宾？"], id="alone"),
    ],
)
def test_how_many_reporters_is_not_answered_with_the_names(converse: Converse, turns: list[str]) -> None:
    """The names of those the release names are no count of everyone there: not answered (the
    honest "not stated", or "did you mean")."""
    reply = converse(turns)[-1]
    assert not reply.answered


@pytest.mark.parametrize(
    ("question", "says"),
    [
        # Near misses: the people the release names are counted.
        pytest.param("新闻稿里有几位见证人？", "两位", id="witnesses"),
        pytest.param("一共提到了几位人物？", "四位", id="people"),
    ],
)
def test_the_people_named_are_still_counted(engine: Engine, question: str, says: str) -> None:
    reply = engine.reply(question)
    assert reply.outcome == "answered"
    assert says in reply.text
