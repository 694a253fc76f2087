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


@pytest.mark.parametrize(
    ("question", "place", "said"),
    [
        # The known unknown about the party's own mayor: after the correction, not as the answer.
        pytest.param("Who is the mayor of Chengdu?", "Chengdu", "Mayor of Chongqing", id="en-mayor"),
        pytest.param("Wer ist der Bürgermeister von Wuhan?", "Wuhan", "Bürgermeisters", id="de-mayor"),
    ],
)
def test_a_known_unknown_about_the_partys_place_follows_the_correction(
    engine: Engine, question: str, place: str, said: str
) -> None:
    """ "Who is the mayor of <another city>?" read as the known unknown that the release does not
    name the party city's mayor: the other city is corrected first (that answer is about another
    city), then what the release says."""
    reply = engine.reply(question)
    head, _, rest = reply.text.partition("\n")
    assert reply.outcome == "unknown"
    assert place in head
    assert said in rest


def test_a_known_unknown_about_other_places_is_said_as_it_is(engine: Engine) -> None:
    """One asked of other places already says what the release covers instead."""
    reply = engine.reply("Does Siemens have agreements with Shanghai?")
    assert (reply.outcome, reply.intent) == ("unknown", "unknown_other_cities")
    assert "Shanghai" not in reply.text.partition("\n")[0]
