"""A claim that someone did NOT do a deed, put for confirmation, is confirmed when it holds ("Is it
true that X did not sign?" -> yes), where a question asked in the negative asks whether they did
("Didn't X sign?" -> no, X did not); a choice between two deeds ("Did X sign or only witness?")
is answered with the one done. And the release's publisher, which the fact base states, is no
detail the release leaves out.

The wordings are our own; the replies are the real engine's on the real fact base.
"""

from __future__ import annotations

import pytest

from bot.core.engine import Engine

YES = ("Yes", "Ja", "是的")
NO = ("No", "Nein", "不是")


@pytest.mark.parametrize(
    ("question", "opens"),
    [
        # Claims that someone did not: yes when they did not, no when they did.
        pytest.param("Is it true that Roland Busch did not sign the agreement?", YES, id="en-true-that-not"),
        pytest.param("Yuan Jiajun didn't sign it, right?", YES, id="en-tag"),
        pytest.param("Is it correct that Xiao Song didn't sign?", NO, id="en-claim-false"),
        pytest.param("Stimmt es, dass Yuan Jiajun nicht unterschrieben hat?", YES, id="de-dass-nicht"),
        pytest.param("Busch hat nicht unterschrieben, oder?", YES, id="de-tag"),
        pytest.param("是不是袁家军没有签字？", YES, id="zh-shi-bu-shi"),
        pytest.param("肖松没有签字，对吗？", NO, id="zh-claim-false"),
        pytest.param("Is it true that Chen Xinwu did not witness the signing?", YES, id="en-witness"),
        # Near misses: asked in the negative, or a claim without a negation.
        pytest.param("Didn't Yuan Jiajun sign it himself?", NO, id="en-negative-question"),
        pytest.param("Hat nicht Busch unterschrieben?", NO, id="de-negative-question"),
        pytest.param("不是袁家军签的字吗？", NO, id="zh-rhetorical"),
        pytest.param("Is it true that Yuan Jiajun signed?", NO, id="en-plain-claim"),
        pytest.param("Busch hat unterschrieben, nicht wahr?", NO, id="de-nicht-wahr-tag"),
        pytest.param("Xiao Song signed, right?", YES, id="en-plain-tag"),
        # "有没有" asks yes or no; two deeds put together; a negation in another sentence.
        pytest.param("肖松有没有签字？", YES, id="zh-you-mei-you"),
        pytest.param("袁家军有没有见证签约？", YES, id="zh-you-mei-you-witness"),
        pytest.param("Roland Busch witnessed and did not sign, right?", YES, id="en-two-deeds"),
        pytest.param("博乐仁见证了签约，但没有签字，对吧？", YES, id="zh-two-deeds"),
        pytest.param(
            "Is it true that Xiao Song signed? I could not find it.", YES, id="en-negation-elsewhere"
        ),
    ],
)
def test_a_claim_is_confirmed_as_put(engine: Engine, question: str, opens: tuple[str, ...]) -> None:
    reply = engine.reply(question)
    assert reply.outcome == "answered"
    assert reply.text.startswith(opens), reply.text


@pytest.mark.parametrize(
    ("question", "publisher"),
    [
        pytest.param("Who published the press release?", "Siemens", id="en"),
        pytest.param("Von wem stammt die Pressemitteilung?", "Siemens", id="de"),
        pytest.param("这篇新闻稿是谁发布的？", "西门子", id="zh"),
    ],
)
def test_the_publisher_is_answered(engine: Engine, question: str, publisher: str) -> None:
    reply = engine.reply(question)
    assert (reply.outcome, reply.intent) == ("answered", "release_date")
    assert publisher in reply.text


@pytest.mark.parametrize(
    "question",
    [
        pytest.param("Where was the press release issued?", id="en-where"),
        pytest.param("In which city was the press release datelined?", id="en-which-city"),
        pytest.param("新闻稿是在哪里发布的？", id="zh-where"),
    ],
)
def test_the_place_of_publication_is_not_stated(engine: Engine, question: str) -> None:
    """No dateline in the release: the reply says so, whichever way it is reached."""
    text = engine.reply(question).text
    assert any(mark in text for mark in ("not", "nicht", "未")), text


@pytest.mark.parametrize(
    ("question", "did", "not_did"),
    [
        pytest.param(
            "Did Yuan Jiajun sign or only witness?", "witnessed the signing", "did not sign", id="en"
        ),
        pytest.param(
            "Hat Chen Xinwu unterschrieben oder nur bezeugt?", "unterzeichnet", "nicht Zeuge", id="de"
        ),
        pytest.param("肖松是签字人还是见证人？", "签署了协议", "并非签约见证人", id="zh"),
        pytest.param(
            "Was Xiao Song a signatory or a witness?",
            "signed the agreement",
            "did not witness",
            id="en-nouns",
        ),
    ],
)
def test_a_choice_between_two_deeds_is_answered_with_the_one_done(
    engine: Engine, question: str, did: str, not_did: str
) -> None:
    """Neither yes nor no: what the person did of the two, and what not."""
    reply = engine.reply(question)
    assert reply.outcome == "answered"
    assert not reply.text.startswith(YES + NO), reply.text
    first = reply.text.splitlines()[0]
    assert did in first and not_did in first, first


def test_one_deed_with_another_person_is_no_choice(engine: Engine) -> None:
    """Near miss: "or" between two people, one deed: no for the one asked about."""
    assert engine.reply("Did Yuan sign or was it Chen?").text.startswith("No")


@pytest.mark.parametrize(
    ("question", "opens"),
    [
        # A claim that an event did NOT happen at a time: yes when it did not.
        pytest.param("Is it true that the agreement was not signed in 2023?", YES, id="en-not-in-2023"),
        pytest.param(
            "Stimmt es, dass die Vereinbarung nicht 2023 unterschrieben wurde?", YES, id="de-nicht-2023"
        ),
        pytest.param("协议不是2023年签的，对吗？", YES, id="zh-not-2023"),
        pytest.param("The office was not opened in 1996, right?", NO, id="en-false-denial"),
        # Near misses: plain claims, a question opened by 是不是.
        pytest.param("协议是2024年签的，对吗？", YES, id="zh-plain-true"),
        pytest.param("是不是2023年签的？", NO, id="zh-shi-bu-shi-plain"),
        pytest.param("The office was opened in 1996, right?", YES, id="en-plain-tag"),
    ],
)
def test_a_claim_about_a_date_is_confirmed_as_put(
    engine: Engine, question: str, opens: tuple[str, ...]
) -> None:
    assert engine.reply(question).text.startswith(opens)


def test_a_choice_between_two_dates_is_answered_with_the_date(engine: Engine) -> None:
    """Neither yes nor no to "June or July?": the date."""
    text = engine.reply("Was the agreement signed in June or July?").text
    assert not text.startswith(YES + NO) and "20 June 2024" in text, text
