"""A question in traditional Chinese gets its reply in that script: the answer, its sources and its
buttons (the fact base is simplified); simplified questions and other languages are unchanged."""

from __future__ import annotations

import pytest

from bot.core.engine import Engine
from bot.core.lang import HAN_RE, Script, in_script, simplified


@pytest.mark.parametrize(
    ("question", "script", "outcome"),
    [
        pytest.param("簽約日期是哪一天？", "t", "answered", id="answer-generic"),
        pytest.param(
            "西門子自哪一年起成為市長國際經濟諮詢顧問團成員？", "tw", "answered", id="answer-taiwan"
        ),
        pytest.param("肖松喺簽約儀式上面講咗啲咩説話？", "hk", None, id="hong-kong"),
        pytest.param("協議的有效期是多久？", "t", None, id="not-stated-or-unknown"),
        # "Did you mean" buttons: their questions are written in the script too.
        pytest.param("協議內容", "t", "suggested", id="did-you-mean"),
        pytest.param("重慶現在幾度？", "t", "offtopic", id="offtopic-examples"),
    ],
)
def test_traditional_question_gets_traditional_reply(
    engine: Engine, question: str, script: Script, outcome: str | None
) -> None:
    """The same decision as for the question in simplified characters, written in the question's
    script: text, sources and buttons."""
    twin = engine.reply(simplified(question))
    reply = engine.reply(question)
    if outcome is not None:
        assert reply.outcome == outcome
    assert (reply.outcome, reply.intent, reply.confidence, reply.lang) == (
        twin.outcome,
        twin.intent,
        twin.confidence,
        "zh",
    )
    assert reply.script == script and twin.script is None
    assert reply.text == in_script(twin.text, script) != twin.text
    assert reply.sources == tuple(in_script(s, script) for s in twin.sources)
    buttons = [s.question for s in (*reply.suggestions, *reply.related)]
    assert buttons == [in_script(s.question, script) for s in (*twin.suggestions, *twin.related)]
    if outcome in ("suggested", "offtopic"):
        assert buttons and all(b != simplified(b) for b in buttons if HAN_RE.search(b))


@pytest.mark.parametrize(
    ("question", "pinned"),
    [
        pytest.param("签约日期是哪一天？", None, id="simplified"),
        pytest.param("簽約日期是哪一天？", "en", id="traditional-pinned-english"),
        pytest.param("When was the agreement signed?", "zh", id="english-pinned-chinese"),
    ],
)
def test_other_replies_keep_the_fact_base_script(engine: Engine, question: str, pinned: str | None) -> None:
    """A simplified question, a reply in another language, and a Chinese reply to a question with
    no Chinese characters are as the fact base writes them."""
    reply = engine.reply(question, pinned=pinned)
    assert reply.script is None
    assert reply.text == simplified(reply.text) or reply.lang != "zh"


@pytest.mark.parametrize("script", ["t", "tw", "hk"])
def test_a_tapped_button_answers_in_the_script_asked(engine: Engine, script: Script) -> None:
    """A button's answer in a traditional script, when the caller knows it."""
    plain = engine.answer_intent("signing_date", "zh")
    written = engine.answer_intent("signing_date", "zh", script=script)
    assert plain is not None and written is not None
    assert written.text == in_script(plain.text, script) != plain.text and written.script == script
