"""The next one of an event ("When is the next signing?", 下一次签约): another such event ahead,
which no fact dates, so the dated one is said as what the release does say, never as the answer.
Wordings written for these tests."""

from __future__ import annotations

import pytest

from bot.core.engine import Engine


@pytest.mark.parametrize(
    ("question", "outcome"),
    [
        # another such event, still ahead
        pytest.param("When does the next signing ceremony happen?", "not_stated", id="en-next-ceremony"),
        pytest.param("Is an upcoming framework agreement planned?", "not_stated", id="en-upcoming"),
        pytest.param("Wann kommt die nächste Pressemitteilung?", "not_stated", id="de-naechste"),
        pytest.param("下次签署协议是什么时候？", "not_stated", id="zh-xiaci"),
        # near misses: the event itself, and "next to" (beside)
        pytest.param("When did the signing ceremony happen?", "answered", id="en-the-event"),
        pytest.param("Wann erschien die Pressemitteilung?", "answered", id="de-the-event"),
        pytest.param("Who stood next to Xiao Song at the signing?", "answered", id="en-next-to"),
    ],
)
def test_the_next_event_is_not_the_dated_one(engine: Engine, question: str, outcome: str) -> None:
    reply = engine.reply(question)
    assert reply.outcome == outcome, (question, reply.text)
