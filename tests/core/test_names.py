"""Chinese names typed by sound (bot.core.names): a slip of the input method put back, and only that."""

from __future__ import annotations

import pytest

from bot.core.engine import Engine
from bot.core.names import SoundAlikes

NAMES = SoundAlikes(["王晓明", "李华", "欧阳春燕", "Anna Berg"])


@pytest.mark.parametrize(
    ("text", "restored"),
    [
        # the given name typed with other characters of the same reading, tones aside
        pytest.param("王小明今天来了吗", "王晓明今天来了吗", id="given-name-same-tones"),
        pytest.param("李画负责什么？", "李华负责什么？", id="given-name-other-tone"),
        pytest.param("欧阳春艳和王晓鸣", "欧阳春燕和王晓明", id="compound-surname-and-two-names"),
        # the name as written, and text without Han characters, stay as they are
        pytest.param("王晓明是谁", "王晓明是谁", id="the-name-itself"),
        pytest.param("Who is Wang Xiaoming?", "Who is Wang Xiaoming?", id="latin-only"),
        # another first character is more often a word of its own than a slip
        pytest.param("汪晓明是谁", "汪晓明是谁", id="other-surname-kept"),
        pytest.param("理化课几点开始", "理化课几点开始", id="same-sound-word-kept"),
        # a sound that is only part of a name is not the name
        pytest.param("王小姐好", "王小姐好", id="partial-sound-kept"),
    ],
)
def test_a_name_typed_by_sound_is_put_back(text: str, restored: str) -> None:
    assert NAMES.restore(text) == restored


def test_names_that_are_not_han_are_left_out() -> None:
    """Latin names and one-character cues teach nothing about sound."""
    assert SoundAlikes(["Anna Berg", "王"]).restore("王小明") == "王小明"


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        # a person of the release named with a slip of the given name (the fact base's names)
        pytest.param("陈新舞的职务是什么", "person_chen_xinwu", id="zh-slip-role"),
        pytest.param("袁家君是谁啊", "person_yuan_jiajun", id="zh-slip-who"),
    ],
)
def test_a_person_typed_by_sound_is_found(engine: Engine, question: str, intent: str) -> None:
    reply = engine.reply(question)
    assert reply.answered and reply.intent == intent, (reply.intent, reply.text)
