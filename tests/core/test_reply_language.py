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
        pytest.param("Translate the quote of Xiao Song into German.", "de", id="translate-quote-de"),
        pytest.param("Übersetze bitte das Zitat von Xiao Song ins Englische.", "en", id="ubersetze-zitat"),
        pytest.param("把肖松的讲话翻译成英文", "en", id="fanyi-jianghua"),
        pytest.param("Tell me in German what the agreement covers", "de", id="tell-me-in-then-what"),
        pytest.param("Explain in Chinese who signed the agreement", "zh", id="explain-in-then-who"),
        pytest.param("請用英文回答：誰簽字了？", "en", id="traditional-request"),
        pytest.param("Tell us in German: who signed?", "de", id="tell-us"),
        pytest.param("Sagen Sie mir auf Englisch, was die Vereinbarung umfasst", "en", id="sagen-sie-mir"),
        # Near misses: the question's own language.
        pytest.param("智慧交通翻译成英文是什么？", "zh", id="a-terms-translation"),
        pytest.param("Tell me about Siemens' projects in Chinese cities", "en", id="language-as-adjective"),
        pytest.param("Explain the role of Siemens in German industry", "en", id="adjective-after-verb"),
        pytest.param("博乐仁用德语讲话了吗？", "zh", id="spoke-in-a-language"),
        pytest.param("新闻稿是用德语写的吗？", "zh", id="written-in-a-language"),
        pytest.param("Gibt es die Pressemitteilung auf Englisch, bitte?", "de", id="please-at-the-end"),
        pytest.param("Did Busch reply in German?", "en", id="someones-reply"),
        pytest.param("Who can explain in Chinese?", "en", id="who-can"),
        pytest.param("肖松用英文回答了吗？", "zh", id="zh-someones-answer"),
        pytest.param("西门子用德语告诉了谁？", "zh", id="zh-told-whom"),
        pytest.param("What's smart transportation in English?", "en", id="name-asked"),
        pytest.param("Gibt es die Pressemitteilung auf Englisch?", "de", id="about-a-language"),
        pytest.param("How do you say smart transportation in Chinese?", "en", id="name-in-chinese"),
        # The language's name as an adjective after the verb, the question after it.
        pytest.param("Tell me in Chinese yuan how much the agreement is worth", "en", id="chinese-yuan"),
        pytest.param("Explain in German law what a framework agreement is", "en", id="german-law"),
        pytest.param("Tell me in Chinese media how the signing was reported", "en", id="chinese-media"),
        pytest.param("用德語回答問題的是誰？", "zh", id="zh-who-answered-in-a-language"),
    ],
)
def test_the_reply_is_in_the_language_asked(engine: Engine, question: str, lang: str) -> None:
    assert engine.reply(question).lang == lang


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        pytest.param("請用英文回答：誰簽字了？", "signatories", id="zh-traditional"),
        pytest.param("请用德语回答：协议是什么时候签的？", "signing_date", id="zh-simplified"),
        pytest.param("Bitte antworte auf Englisch: Wer hat unterschrieben?", "signatories", id="de"),
        pytest.param("Please answer in English：谁签字了？", "signatories", id="latin-request-chinese-colon"),
        pytest.param("Sagen Sie mir auf Englisch, was die Vereinbarung umfasst", "areas", id="sagen-sie-mir"),
        pytest.param("用英文回答 谁签字了", "signatories", id="zh-space"),
    ],
)
def test_a_request_for_the_language_is_not_read_as_part_of_the_question(
    engine: Engine, question: str, intent: str
) -> None:
    """The request opens the message as a clause of its own: the question after it is answered
    as if asked alone (with the request's words, a short Chinese question was only suggested)."""
    reply = engine.reply(question)
    assert (reply.outcome, reply.intent) == ("answered", intent)
