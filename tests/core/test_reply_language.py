"""A reply asked for in a language ("Please answer in German: who signed?", "请用英文回答"): the
reply is written in it, whatever language the question is in. Near misses: a name asked in a
language, a question about a language.

The wordings are our own; the replies are the real engine's on the real fact base.
"""

from __future__ import annotations

import pytest

from bot.core.engine import Engine


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        pytest.param("Please answer in German: who signed?", "de", id="en-to-de"),
        pytest.param("Who signed? Answer in Chinese please.", "zh", id="en-to-zh"),
        pytest.param("Wer hat unterschrieben? Bitte auf Englisch antworten.", "en", id="de-to-en"),
        pytest.param("谁签署的协议？请用英文回答。", "en", id="zh-to-en"),
        pytest.param("In English please: wann wurde unterschrieben?", "en", id="frame-en"),
        pytest.param("Auf Deutsch bitte: when was it signed?", "de", id="frame-de"),
        pytest.param("请用德语告诉我签约日期", "de", id="zh-to-de"),
        # Near misses: the question's own language.
        pytest.param("What's smart transportation in English?", "en", id="name-asked"),
        pytest.param("Gibt es die Pressemitteilung auf Englisch?", "de", id="about-a-language"),
        pytest.param("How do you say smart transportation in Chinese?", "en", id="name-in-chinese"),
    ],
)
def test_the_reply_is_in_the_language_asked(engine: Engine, question: str, lang: str) -> None:
    assert engine.reply(question).lang == lang
