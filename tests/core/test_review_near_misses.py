"""Near misses a reviewer of this round's follow-up and check rules wrote (each rule's trigger
nearby, a question it must not change), with what each must get instead (de, en, zh)."""

from __future__ import annotations

import pytest

from tests.core.conftest import Converse


@pytest.mark.parametrize(
    ("turns", "intent", "opening"),
    [
        # "Includes X?" after a list asks of that list only when X is a plain thing: not a question,
        # a person, another subject, or a thing the release speaks of elsewhere.
        pytest.param(
            ["What areas does the agreement cover?", "Auch die Zeugen?"], "witnesses", "", id="auch-zeugen"
        ),
        pytest.param(
            ["What areas does the agreement cover?", "Including who signed it?"],
            "signatories",
            "",
            id="incl-who",
        ),
        pytest.param(["这次合作涉及哪些领域？", "包括什么？"], "areas", "协议涵盖", id="zh-includes-what"),
        pytest.param(
            ["What are the goals?", "Auch die Bereiche?"], "areas", "Die Vereinbarung", id="other-list"
        ),
        pytest.param(
            ["What projects does Siemens support in Chongqing?", "Including which metro lines?"],
            "unknown_metro_line_numbers",
            "",
            id="incl-which",
        ),
        pytest.param(
            ["What areas does the agreement cover?", "Covers data centres?"],
            "data_centres",
            "",
            id="known-elsewhere",
        ),
        # "以前" alone is "before", not "how long ago".
        pytest.param(["西门子什么时候在重庆开设办事处？", "那以前呢？"], None, "", id="zh-yiqian-before"),
        # The days up to the release for an event of its own year.
        pytest.param(
            ["When was the agreement signed?", "How long ago was that?"],
            "signing_date",
            "5 days",
            id="ago-days",
        ),
        # "Then who?" after a title asked of someone: the one who holds it.
        pytest.param(
            ["Is Roland Busch the CEO of Siemens China?", "Then who?"],
            "person_xiao_song",
            "",
            id="then-who-title",
        ),
        pytest.param(
            ["Is Chen Xinwu the party secretary?", "Then who?"],
            "person_yuan_jiajun",
            "",
            id="then-who-secretary",
        ),
        pytest.param(["西门子是市长顾问团的成员吗？", "那是谁？"], None, "", id="then-who-nobody-named"),
        # More about "him" after one person's profile: more of what it links to, not the profile again.
        pytest.param(
            ["Who is Roland Busch?", "Tell me more about him"], "person_yuan_jiajun", "", id="more-after-one"
        ),
    ],
)
def test_a_rule_leaves_its_near_misses_alone(
    converse: Converse, turns: list[str], intent: str | None, opening: str
) -> None:
    last = converse(turns)[-1]
    assert last.intent == intent, (last.outcome, last.intent, last.text[:80])
    assert last.text.startswith(opening) or opening in last.text
    assert not last.text.startswith(("No –", "Nein –", "不是"))


@pytest.mark.parametrize(
    ("turns", "unwanted"),
    [
        # Two dated turns, then a question that names something of its own: not their span.
        pytest.param(
            [
                "Wann wurde das Büro eröffnet?",
                "Wann trat Siemens der Beratungsgruppe bei?",
                "Wie lange dauert die Fahrt zwischen Chengdu und Chongqing?",
            ],
            "auseinander",
            id="span-of-its-own",
        ),
        # Days asked of dates known only by their year: never counted in years.
        pytest.param(
            [
                "When did Siemens open its office in Chongqing?",
                "When was it upgraded to a branch?",
                "How many days between them?",
            ],
            "years passed",
            id="days-of-years",
        ),
        # "以前" in a question of its own: no count of years.
        pytest.param(["办事处成立以前，西门子在重庆做了什么？"], "相隔", id="zh-before-alone"),
        # Chat's abbreviations are no names the release fails to mention.
        pytest.param(["Who signed the agreement ASAP?"], "does not mention", id="asap"),
        pytest.param(["Wer hat unterschrieben? DRINGEND"], "erwähnt", id="dringend"),
    ],
)
def test_a_rule_does_not_answer_past_its_trigger(converse: Converse, turns: list[str], unwanted: str) -> None:
    last = converse(turns)[-1]
    assert unwanted not in last.text, last.text[:120]


@pytest.mark.parametrize(
    "question",
    [
        pytest.param("Is Xiao Song the economic adviser of the mayor?", id="adviser-of"),
        pytest.param("Is Xiao Song a mayoral adviser?", id="mayoral"),
        pytest.param("Ist Xiao Song Bürgermeister-Berater?", id="de-compound-hyphen"),
        pytest.param("Ist Xiao Song Berater von Bürgermeister?", id="de-von"),
        pytest.param("Is Chen Xinwu deputy to the mayor?", id="deputy-to"),
    ],
)
def test_a_title_named_as_anothers_is_no_no(converse: Converse, question: str) -> None:
    """Titles of someone else the person relates to (he advises the mayor; he is his deputy)."""
    last = converse([question])[-1]
    assert not last.text.startswith(("No –", "Nein –", "不是")), last.text[:120]


@pytest.mark.parametrize(
    "question",
    [
        # Titles the person holds, said to be of something in other words than the release's.
        pytest.param("Is Yuan Jiajun party secretary of Chongqing?", id="secretary-of-the-city"),
        pytest.param("Is Chen Xinwu vice mayor of the city?", id="vice-mayor-of-the-city"),
        pytest.param("Is Xiao Song the CEO of the company?", id="ceo-of-the-company"),
        pytest.param("Is Xiao Song the CEO of Siemens' Chinese business?", id="ceo-of-the-business"),
        pytest.param("Is Roland Busch the president of the Siemens group?", id="president-of-the-group"),
        pytest.param("Ist Yuan Jiajun Parteisekretär von Chongqing?", id="de-parteisekretaer"),
        pytest.param("Since when is Chen Xinwu vice mayor of the city?", id="since-when-held"),
        pytest.param("Is Xiao Song an adviser to the Chongqing mayor?", id="adviser-to-the-city-mayor"),
        pytest.param("Is Chen Xinwu vice mayor, according to the city?", id="according-to"),
        # Someone else's title beside him: no title given to him.
        pytest.param("Was Xiao Song accompanied by the CEO of Siemens AG?", id="accompanied-by"),
    ],
)
def test_a_title_held_in_other_words_is_no_no(converse: Converse, question: str) -> None:
    last = converse([question])[-1]
    head = last.text.partition("\n")[0]
    assert not head.startswith(("No –", "Nein –", "不是")) and "does not say that" not in head, last.text[
        :120
    ]


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        # A weekday near the event, or asked for: no premise to deny.
        pytest.param("What happened on the Friday after the signing?", None, id="friday-after"),
        pytest.param(
            "On which weekday was the agreement signed, Thursday or Friday?", "Thursday", id="which-weekday"
        ),
    ],
)
def test_a_weekday_near_the_event_is_no_premise(
    converse: Converse, question: str, wanted: str | None
) -> None:
    last = converse([question])[-1]
    assert not last.text.startswith("No –"), last.text[:120]
    if wanted is not None:
        assert wanted in last.text
