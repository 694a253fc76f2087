"""The dated events in order ("put the milestones in chronological order", "what happened between
1995 and 2010?"): every dated event of the typed facts, or those of the stretch asked, as a list.
Near misses: a single year, a schedule of what is to come, the history of one thing, a person.

The wordings are our own; the replies are the real engine's on the real fact base.
"""

from __future__ import annotations

import re

import pytest

from bot.core.engine import Engine

ALL = (0, 9999)


def _bullets(text: str) -> list[str]:
    """The years of the reply's list lines, in order."""
    return re.findall(r"^• (?:\d{1,2}\. \w+ |\d{1,2} \w+ )?(\d{4})", text, flags=re.M)


@pytest.mark.parametrize(
    ("question", "stretch"),
    [
        pytest.param(
            "Put the milestones of Siemens in Chongqing in chronological order.", ALL, id="en-order"
        ),
        pytest.param("Give me a chronology of the relationship with the city.", ALL, id="en-chronology"),
        pytest.param("What is the timeline of Siemens' presence there?", ALL, id="en-timeline"),
        pytest.param("Nenne die Stationen von Siemens in Chongqing der Reihe nach.", ALL, id="de-stationen"),
        pytest.param("Zeig mir die Zeitleiste der Zusammenarbeit.", ALL, id="de-zeitleiste"),
        pytest.param("西门子在重庆的发展历程是怎样的？", ALL, id="zh-history"),
        pytest.param("按時間順序說明西門子在重慶的發展。", ALL, id="zh-traditional"),
        pytest.param("What happened between 1995 and 2010?", (1995, 2010), id="en-between"),
        pytest.param("Was geschah zwischen 1996 und 2018?", (1996, 2018), id="de-zwischen"),
        pytest.param("1995年到2010年之间发生了什么？", (1995, 2010), id="zh-between"),
        pytest.param("What happened after 2018?", (2019, 9999), id="en-after"),
        pytest.param("What happened before 2000?", (0, 1999), id="en-before"),
        pytest.param("Was ist seit 2010 passiert?", (2010, 9999), id="de-seit"),
        pytest.param("What happened after 2010 and before 2024?", (2011, 2023), id="en-after-and-before"),
    ],
)
def test_the_dated_events_of_the_stretch_in_order(
    engine: Engine, question: str, stretch: tuple[int, int]
) -> None:
    reply = engine.reply(question)
    events = sorted(engine.kb.facts.events, key=lambda e: (e.year, e.month or 0, e.day or 0))
    wanted = [str(e.year) for e in events if stretch[0] <= e.year <= stretch[1]]
    assert reply.outcome == "answered"
    assert _bullets(reply.text) == wanted


@pytest.mark.parametrize(
    ("question", "years"),
    [
        pytest.param("What happened in 1996 and in 2018?", ["1996", "2018"], id="en-two-years"),
        pytest.param("What happened in 2018 or 1996?", ["1996", "2018"], id="en-in-order"),
        pytest.param("Was passierte 1995, 1996 und 2010?", ["1995", "1996", "2010"], id="de-three-years"),
        pytest.param("2010年和2018年分别发生了什么？", ["2010", "2018"], id="zh-each"),
        pytest.param("1996年與2010年各發生了甚麼事？", ["1996", "2010"], id="zh-traditional"),
        # A year of two events gives both.
        pytest.param("What happened in 2010 and 2024?", ["2010", "2024", "2024"], id="en-two-in-a-year"),
    ],
)
def test_the_events_of_each_year_named(engine: Engine, question: str, years: list[str]) -> None:
    """Two or more years asked about each (no stretch between them): the events of those years."""
    reply = engine.reply(question)
    assert reply.outcome == "answered"
    assert _bullets(reply.text) == years


@pytest.mark.parametrize(
    ("question", "said"),
    [
        # A year the release gives no event: said to be unmentioned, with the other year's event.
        pytest.param("Was geschah 2010 und 2012?", "2012", id="de-a-year-without-event"),
        pytest.param("How many years between 1996 and 2018?", "22", id="en-a-span"),
    ],
)
def test_years_named_that_are_not_each_asked_about(engine: Engine, question: str, said: str) -> None:
    reply = engine.reply(question)
    assert _bullets(reply.text) == []
    assert said in reply.text


@pytest.mark.parametrize(
    "question",
    [
        pytest.param("What happened in 2010?", id="one-year"),
        pytest.param("What is the timeline for implementing the agreement?", id="to-come-en"),
        pytest.param("Wie sieht der Zeitplan für die Umsetzung aus?", id="to-come-de"),
        pytest.param("合作的实施时间表是什么？", id="to-come-zh"),
        pytest.param("Welche Meilensteine sind als Nächstes geplant?", id="next-milestones"),
        pytest.param("Tell me the history of the office.", id="one-thing"),
        pytest.param("Which milestone does the signing represent?", id="milestone-no-order"),
        pytest.param("What happened at the signing ceremony?", id="happened-no-year"),
        # The order of a list, a plan's timeline, one thing's story, a stretch counted in years.
        pytest.param("请依次介绍合作领域", id="order-of-a-list-zh"),
        pytest.param("List the four areas in the right order.", id="order-of-a-list-en"),
        pytest.param("Nenne die vier Bereiche der Reihe nach.", id="order-of-a-list-de"),
        pytest.param("What is the timeline for the projects?", id="planned"),
        pytest.param("数据中心建设的时间线", id="one-item"),
        pytest.param("时间轴上最早的事件是什么？", id="earliest-alone"),
        pytest.param("What happened to the office after 1996?", id="one-event-and-a-year"),
        pytest.param("Was hat Siemens seit 2018 getan?", id="what-siemens-did"),
        pytest.param("What happened in the 10 years after 1995?", id="years-counted"),
        pytest.param("What happened before 25 June 2024?", id="a-day"),
    ],
)
def test_near_misses_get_no_list_of_events(engine: Engine, question: str) -> None:
    assert _bullets(engine.reply(question).text) == []


@pytest.mark.parametrize(
    "question",
    [
        pytest.param(
            "How long had Siemens been working with Chongqing when the agreement was signed?", id="en"
        ),
        pytest.param("Wie lange arbeitet Siemens schon mit Chongqing zusammen?", id="de"),
        pytest.param("西门子与重庆合作至今多少年了？", id="zh"),
        pytest.param("How many years had the cooperation lasted at the signing?", id="en-lasted"),
        pytest.param("到签约时合作持续了多少年？", id="zh-lasted"),
    ],
)
def test_the_length_of_the_cooperation_is_the_years_between_its_events(engine: Engine, question: str) -> None:
    """Whichever answer gives it, the cooperation's length up to the signing is the difference of
    the two events' years, not a rounded figure alone."""
    events = {e.id: e for e in engine.kb.facts.events}
    years = events["signing"].year - events["cooperation_start"].year
    assert str(years) in engine.reply(question).text


def test_how_long_the_agreement_lasts_is_not_the_cooperations_length(engine: Engine) -> None:
    """Near miss: the agreement's term is a known unknown, not the years since the cooperation began."""
    assert engine.reply("How long will the cooperation last?").intent == "unknown_duration"


@pytest.mark.parametrize(
    ("question", "years"),
    [
        pytest.param(
            "Bring diese Ereignisse in die richtige Reihenfolge: Niederlassung, Beratergruppe, "
            "Büroeröffnung, Unterzeichnung.",
            ["1996", "2010", "2018", "2024"],
            id="de-four-named",
        ),
        pytest.param(
            "Sort these by date: the signing, the branch, the office.", ["1996", "2010", "2024"], id="en"
        ),
        pytest.param(
            "请按时间先后排列：加入顾问团、升级为分公司、设立办事处。", ["1996", "2010", "2018"], id="zh"
        ),
        pytest.param("In what order were the office and the branch opened?", ["1996", "2010"], id="en-two"),
    ],
)
def test_the_events_named_put_in_order(engine: Engine, question: str, years: list[str]) -> None:
    """Events named in a list to put in order: those events (each, though the list's commas are
    gone from the normalised text), by their dates."""
    reply = engine.reply(question)
    assert reply.outcome == "answered"
    assert _bullets(reply.text) == years


@pytest.mark.parametrize(
    ("question", "first", "then"),
    [
        pytest.param(
            "Which came first: the office becoming a branch or Siemens joining the mayor's advisory group?",
            "2010",
            "2018",
            id="en-office-becoming-a-branch",
        ),
        pytest.param(
            "Was kam zuerst: das Büro, das zur Niederlassung wurde, oder der Beitritt zur Beratergruppe?",
            "2010",
            "2018",
            id="de-relative-clause",
        ),
        pytest.param("办事处升级为分公司和加入顾问团，哪个在先？", "2010", "2018", id="zh-zai-xian"),
        pytest.param(
            "Which came first, the office or the branch?", "1996", "2010", id="en-office-and-branch"
        ),
    ],
)
def test_which_came_first_of_an_event_named_with_its_subject(
    engine: Engine, question: str, first: str, then: str
) -> None:
    """ "The office becoming a branch" names the branch's upgrade (the office is what changed), so
    the two events compared are the upgrade and the other one."""
    text = engine.reply(question).text
    assert first in text and then in text
    assert text.index(first) < text.index(then)
