"""A thing's name in another language ("How do you say X in Chinese?", "X auf Deutsch?", "X用德语
怎么说"): the typed facts' name of it in the language asked. Near misses: a language named without
a request for a name, a question about the thing, a yes/no question.

The wordings are our own; the replies are the real engine's on the real fact base.
"""

from __future__ import annotations

import pytest

from bot.core.engine import Engine


@pytest.mark.parametrize(
    ("question", "name"),
    [
        pytest.param('How do you say "smart transportation" in Chinese?', "智慧交通", id="en-to-zh"),
        pytest.param('What\'s "智慧交通" in English?', "smart transportation", id="zh-term-to-en"),
        pytest.param("Was ist Smart Transportation auf Chinesisch?", "智慧交通", id="de-to-zh"),
        pytest.param(
            'Wie heißt "industrial digitalization" auf Deutsch?', "industrielle Digitalisierung", id="de"
        ),
        pytest.param("“绿色低碳”用德语怎么说？", "kohlenstoffarme", id="zh-to-de"),
        pytest.param("智慧交通的英文是什么？", "smart transportation", id="zh-de-yingwen"),
        pytest.param("What is East Data West Computing in Chinese?", "东数西算", id="project-term"),
        # An office that names its holder: the holder's name with the office, not the city's name.
        pytest.param("中共重庆市委书记用英语怎么说？", "Secretary of the CPC", id="an-office"),
        pytest.param("What is Roland Busch's Chinese name?", "博乐仁", id="person"),
        pytest.param("How is Xiao Song written in Chinese characters?", "肖松", id="person-characters"),
    ],
)
def test_a_name_in_the_language_asked(engine: Engine, question: str, name: str) -> None:
    reply = engine.reply(question)
    assert reply.outcome == "answered"
    assert name in reply.text, reply.text


@pytest.mark.parametrize(
    "question",
    [
        pytest.param("Please answer in German: who signed?", id="reply-language"),
        pytest.param("Is the release available in English?", id="yes-no"),
        pytest.param("What does smart transportation cover?", id="about-the-thing"),
        pytest.param("Which areas does the agreement name in Chinese and English?", id="several-things"),
        # A language as an adjective, an organisation's label, a person's thing or title.
        pytest.param("What is the name of the Chinese city?", id="adjective"),
        pytest.param("What's the name of the Chinese government body that signed?", id="adjective-body"),
        pytest.param("重庆市人民政府的英文名称是什么？", id="organisation"),
        pytest.param("What is the English name of Chen Xinwu's committee?", id="persons-thing"),
        pytest.param("What's Xiao Song's title in English?", id="title"),
        pytest.param("Translate the quote of Xiao Song into German.", id="words-said"),
    ],
)
def test_near_misses_get_no_name(engine: Engine, question: str) -> None:
    text = engine.reply(question).text
    assert not text.startswith(
        ("In Chinese:", "In German:", "In English:", "Auf ", "英语：", "Auf Deutsch:")
    ), text
