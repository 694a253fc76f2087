"""Near misses found with questions written as a stranger would: other places or deals than the
release's own, and a "yes" to a year whose question adds a detail no fact gives (a district, other
cities); wordings written for these tests."""

from __future__ import annotations

import pytest

from bot.core.engine import Engine
from bot.core.lang import normalise
from bot.core.question import asks_other_places


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        pytest.param("Are there similar deals with other Chinese cities?", True, id="en-other-cities"),
        pytest.param("Gibt es vergleichbare Abkommen mit anderen Provinzen?", True, id="de-andere-provinzen"),
        pytest.param("西门子跟别的城市有类似协议吗", True, id="zh-bie-de-chengshi"),
        # near misses: the agreement's own city and partner
        pytest.param("Which city signed the agreement?", False, id="en-which-city"),
        pytest.param("Mit welcher Stadt wurde die Vereinbarung geschlossen?", False, id="de-welche-stadt"),
        pytest.param("西部地区增长极指什么", False, id="zh-xibu-diqu"),
    ],
)
def test_other_places_and_deals_are_asked(question: str, expected: bool) -> None:
    assert asks_other_places(normalise(question)) is expected


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        # the year holds, the rest no fact gives: no "yes"
        pytest.param(
            "Did Siemens also sign similar agreements with other cities in 2024?", False, id="en-others"
        ),
        pytest.param("Wurde das Büro 1996 im Bezirk Jiangbei eröffnet?", False, id="de-bezirk"),
        pytest.param("Was the office opened in the Yubei district in 1996?", False, id="en-district"),
        # a plain year check still gets its "yes"
        pytest.param("Was the office opened in 1996?", True, id="en-plain-yes"),
        pytest.param("Wurde die Vereinbarung 2024 unterzeichnet?", True, id="de-plain-yes"),
    ],
)
def test_no_yes_to_a_year_with_a_detail_no_fact_gives(engine: Engine, question: str, answered: bool) -> None:
    reply = engine.reply(question)
    assert reply.answered is answered, (question, reply.text)
