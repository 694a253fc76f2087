"""Near misses found with questions written as a stranger would: how often something happens and
by when (a count and a date no fact gives), roles at the ceremony the release names no one in and
titles no one it names holds, and a guess put with 吧 (wordings written for these tests)."""

from __future__ import annotations

import pytest

from bot.core.engine import Engine
from bot.core.lang import normalise
from bot.core.question import asked, asks_others


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        # a frequency is a count, a deadline a date
        pytest.param("how frequently does the advisory council convene", "number", id="en-frequently"),
        pytest.param("Wie häufig tagt der Beraterkreis?", "number", id="de-haeufig"),
        pytest.param("顾问团多久召开一次会议", "number", id="zh-duojiu-yici"),
        pytest.param("Is there a deadline for the growth pole?", "date", id="en-deadline"),
        pytest.param("Gibt es eine Frist für das Fertigungscluster?", "date", id="de-frist"),
        pytest.param("建设先进制造业中心有没有期限", "date", id="zh-qixian"),
    ],
)
def test_frequency_and_deadline_are_kinds_asked(question: str, kind: str) -> None:
    assert kind in asked(normalise(question))


@pytest.mark.parametrize(
    ("question", "others"),
    [
        pytest.param("Who hosted the signing ceremony?", True, id="en-hosted"),
        pytest.param("Wer hat bei der Unterzeichnung gedolmetscht?", True, id="de-gedolmetscht"),
        pytest.param("签约仪式的主持人是谁", True, id="zh-zhuchiren"),
        pytest.param("Were any reporters present?", True, id="en-reporters"),
        pytest.param("who's the CFO of siemens china", True, id="en-cfo"),
        # near misses: the roles the release does name, a title put to a named person, the release
        pytest.param("Who witnessed the ceremony?", False, id="en-witnessed"),
        pytest.param("Roland Busch ist CFO, oder?", False, id="de-cfo-premise"),
        pytest.param("Who wrote the press release?", False, id="en-press-release"),
    ],
)
def test_unnamed_roles_ask_for_others(question: str, others: bool) -> None:
    assert asks_others(normalise(question)) is others


@pytest.mark.parametrize(
    "question",
    [
        pytest.param("How frequently does the advisory council convene?", id="en-frequency"),
        pytest.param("顾问团多久召开一次会议", id="zh-frequency"),
        pytest.param("By when must the manufacturing centre be finished?", id="en-by-when"),
        pytest.param("Who hosted the signing ceremony?", id="en-host"),
        pytest.param("签约仪式的主持人是谁", id="zh-host"),
        pytest.param("Which ministers were at the ceremony?", id="en-ministers"),
        pytest.param("Welche Journalisten waren dabei?", id="de-journalisten"),
    ],
)
def test_what_no_fact_gives_is_not_answered(engine: Engine, question: str) -> None:
    reply = engine.reply(question)
    assert not reply.answered, (question, reply.text)


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        # a guess with 吧 is a yes/no question: corrected, or confirmed with the list
        pytest.param("这次合作主要是医疗领域吧", "不是", id="zh-guess-wrong"),
        pytest.param("合作领域主要是绿色低碳吧", "是的", id="zh-guess-right"),
        # a title put to a named person is corrected with the one the release gives
        pytest.param("Roland Busch ist CFO, oder?", "CEO", id="de-cfo-premise"),
    ],
)
def test_guesses_are_checked(engine: Engine, question: str, wanted: str) -> None:
    reply = engine.reply(question)
    assert reply.answered, (question, reply.text)
    assert wanted in reply.text, (question, reply.text)
