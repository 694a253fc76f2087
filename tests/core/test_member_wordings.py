"""Whether the agreement covers something, asked where the best answer is the list itself: a thing
no list names gets "no" with the list, never the bare list; German verb-first wordings of
containing ask yes or no too. Wordings written for these tests."""

from __future__ import annotations

import pytest

from bot.core.engine import Engine


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        # a thing no list of the agreement names: "no", then the list
        pytest.param("Does the agreement cover nuclear power?", "No –", id="en-cover-absent"),
        pytest.param("Does the deal cover water treatment?", "No –", id="en-deal-absent"),
        pytest.param("Umfasst die Vereinbarung Kernkraft?", "Nein –", id="de-umfasst-absent"),
        pytest.param("Beinhaltet die Kooperation Tourismus?", "Nein –", id="de-beinhaltet-absent"),
        pytest.param("协议涵盖核电吗？", "不是", id="zh-hangai-absent"),
        # near misses: an item the list names is a "yes"; a verb-first "which" asks for the list
        pytest.param("Does the agreement cover smart transportation?", "Yes –", id="en-cover-item"),
        pytest.param("Umfasst die Vereinbarung grüne Entwicklung?", "Ja –", id="de-umfasst-item"),
        pytest.param("Umfasst die Vereinbarung welche Bereiche?", "vier Bereiche", id="de-umfasst-welche"),
        # review9: an item in another spelling is the item, never "no" ("digitisation" is the
        # release's "digitalization")
        pytest.param(
            "Does the partnership cover digitisation of industry?", "Yes –", id="en-british-spelling"
        ),
        pytest.param("Is the pact about industrial digitization?", "Yes –", id="en-z-spelling"),
    ],
)
def test_whether_the_agreement_covers_a_thing(engine: Engine, question: str, wanted: str) -> None:
    reply = engine.reply(question)
    assert wanted in reply.text, (question, reply.text)


@pytest.mark.parametrize(
    ("question", "wanted", "never"),
    [
        # review9: the upgrade of 2010 in other words is that event, not the office of 1996 ("Nein")
        pytest.param("Ist das Büro 2010 hochgestuft worden?", "2010", "Nein", id="de-hochgestuft"),
        pytest.param("Was the Chongqing office elevated in 2010?", "2010", "No", id="en-elevated"),
        # near miss: the office was opened in 1996, not 2010
        pytest.param("Wurde das Büro 2010 eröffnet?", "1996", "Ja", id="de-opened-2010"),
    ],
)
def test_the_upgrade_of_the_office_in_other_words(
    engine: Engine, question: str, wanted: str, never: str
) -> None:
    reply = engine.reply(question)
    assert wanted in reply.text and not reply.text.startswith(never), (question, reply.text)
