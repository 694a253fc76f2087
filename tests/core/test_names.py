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


@pytest.mark.parametrize(
    ("text", "restored"),
    [
        # the run ends inside a word the fact base writes: 化学 (chemistry), not 李华 typed 李化
        pytest.param("李化学得好吗", "李化学得好吗", id="ends-in-a-known-word"),
        # a pair the fact base does not write: a slip as before
        pytest.param("李化说了什么", "李华说了什么", id="slip-before-other-text"),
        # the name itself is never changed
        pytest.param("李华学得好吗", "李华学得好吗", id="the-name-itself"),
    ],
)
def test_a_run_ending_in_a_word_of_the_base_is_no_slip(text: str, restored: str) -> None:
    names = SoundAlikes(["李华"], ["化学课几点开始"])
    assert names.restore(text) == restored


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


@pytest.mark.parametrize(
    "question",
    [
        # a place's population sounds like a name plus 口: the fact base writes 人口, no slip
        pytest.param("博乐人口有多少？", id="population-of-a-place"),
    ],
)
def test_a_word_that_sounds_like_a_name_is_no_person(engine: Engine, question: str) -> None:
    reply = engine.reply(question)
    assert not (reply.intent or "").startswith("person_"), (reply.intent, reply.text)
