"""Button taps through the real application and the fake Bot API: one handler per action, forum
topics kept, /forget buttons bound to their owner, forged and oversized data refused."""

from __future__ import annotations

import logging

import pytest

from bot.core.lang import simplified
from bot.telegram.buttons import (
    MAX_CALLBACK,
    PATTERNS,
    TOPICS,
    CallbackDataTooLong,
    feedback_data,
    forget_data,
    intent_data,
    lang_data,
    topic_data,
)
from bot.telegram.format import button, keyboard
from bot.telegram.routes import TAPS
from bot.testing.bot_api_rules import parse_html
from bot.testing.fake_bot_api import BOT_USERNAME, Call
from tests.fakes.telegram_harness import USER_ID, BotHarness

pytest_plugins = ["tests.fakes.telegram_fixtures"]

FORUM = -100_555
TOPIC = 77
QUESTION = "When was the agreement signed?"


def buttons(call: Call) -> list[str]:
    markup = call.params.get("reply_markup") or {}
    return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]


def shown(call: Call) -> str:
    return parse_html(call.params["text"])


# ---- routing ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "action"),
    [
        pytest.param(intent_data("signing_date", "en"), "intent", id="intent"),
        pytest.param(intent_data("x" * 64, "zh"), "intent", id="intent-hashed"),
        pytest.param(feedback_data("0123456789abcdef", -1), "feedback", id="feedback"),
        pytest.param(topic_data("agreement"), "topic", id="topic"),
        pytest.param(TOPICS, "topics", id="topics"),
        pytest.param(lang_data("auto"), "lang", id="lang"),
        pytest.param(forget_data(True, 2**52), "forget", id="forget-yes-large-user-id"),
        pytest.param(forget_data(False, 1), "forget", id="forget-no"),
    ],
)
def test_each_button_reaches_exactly_one_handler(data: str, action: str) -> None:
    """The data of each kind of button matches its own action's pattern and no other, in 64 bytes."""
    assert len(data.encode()) <= MAX_CALLBACK
    assert [a for a, p in PATTERNS.items() if p.match(data)] == [action]


def test_every_action_has_a_handler() -> None:
    """No action without its pattern and handler (a new Literal value needs both)."""
    assert set(TAPS) == set(PATTERNS)


def test_oversized_callback_data_is_refused_and_the_keyboard_still_goes_out(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """button() raises on data over 64 bytes (not an assert that -O removes); keyboard() leaves
    that one button out, logs it, and keeps the others."""
    with pytest.raises(CallbackDataTooLong):
        button("too long", "x" * (MAX_CALLBACK + 1))
    with pytest.raises(CallbackDataTooLong):
        button("multi-byte", "中" * 22)  # 66 bytes in 22 characters
    with caplog.at_level(logging.ERROR):
        markup = keyboard([[("ok", TOPICS), ("bad", "y" * 65)], [("bad", "z" * 100)]])
    assert markup is not None
    assert [[b.callback_data for b in row] for row in markup.inline_keyboard] == [[TOPICS]]
    assert "does not fit" in caplog.text
    assert keyboard([[("bad", "z" * 100)]]) is None


# ---- forum topics -----------------------------------------------------------------------------


async def test_a_tap_in_forum_topic_77_is_answered_in_topic_77(tg: BotHarness) -> None:
    """The question, the see-also tap's answer and a topics view sent anew all stay in topic 77."""
    where = {"chat_id": FORUM, "chat_type": "supergroup", "thread_id": TOPIC}
    [answer] = await tg.say(f"@{BOT_USERNAME} {QUESTION}", **where)
    assert answer.params["message_thread_id"] == TOPIC
    related = next(d for d in buttons(answer) if d.startswith("i:"))
    calls = await tg.tap(answer, related, user_id=5)
    assert [c.method for c in calls] == ["answerCallbackQuery", "sendMessage"]
    assert calls[1].params["chat_id"] == FORUM and calls[1].params["message_thread_id"] == TOPIC
    assert calls[1].result["is_topic_message"] is True
    assert tg.api.rejected() == []


@pytest.mark.parametrize(
    ("question", "traditional"),
    [
        pytest.param("協議內容", True, id="traditional"),
        pytest.param("协议内容", False, id="simplified"),
    ],
)
async def test_a_did_you_mean_tap_answers_in_the_question_script(
    tg: BotHarness, question: str, traditional: bool
) -> None:
    """The buttons under a traditional question's "did you mean" are labelled in its script, and
    the answer a tap brings is written in it too; a simplified question's stays simplified."""
    [reply] = await tg.say(question)
    offered = [d for d in buttons(reply) if d.startswith("i:")]
    assert offered and all(d.startswith("i:zh.t:" if traditional else "i:zh:") for d in offered)
    calls = await tg.tap(reply, offered[0])
    answer = shown(calls[-1])
    assert calls[-1].method == "sendMessage" and (simplified(answer) != answer) is traditional
    assert ("來源" in answer) is traditional and tg.api.rejected() == []


async def test_the_general_topic_stays_general(tg: BotHarness) -> None:
    """In a forum's General topic (no thread id) a tap's answer names no topic."""
    tg.api.chat(FORUM, "supergroup", forum=True)
    [answer] = await tg.say(f"@{BOT_USERNAME} {QUESTION}", chat_id=FORUM, chat_type="supergroup")
    related = next(d for d in buttons(answer) if d.startswith("i:"))
    calls = await tg.tap(answer, related)
    assert calls[-1].method == "sendMessage" and "message_thread_id" not in calls[-1].params


# ---- /forget bound to its owner ---------------------------------------------------------------


async def test_another_users_tap_on_forget_buttons_is_refused(tg: BotHarness) -> None:
    """In a group, a member tapping someone else's /forget prompt gets a polite refusal in the
    callback answer; nothing is erased and the prompt stays; its owner can still use it."""
    group = {"chat_id": -100_888, "chat_type": "supergroup"}
    await tg.say(f"@{BOT_USERNAME} {QUESTION}", user_id=2002, **group)
    await tg.say(f"@{BOT_USERNAME} {QUESTION}", user_id=USER_ID, **group)
    [prompt] = await tg.say(f"/forget@{BOT_USERNAME}", user_id=USER_ID, **group)
    for col in (0, 1):  # "yes" and "cancel" alike
        [refusal] = await tg.tap(prompt, col=col, user_id=2002)
        assert refusal.method == "answerCallbackQuery"
        assert "belong to someone else" in refusal.params["text"]
    assert len(await tg.rows()) == 3  # two questions and the /forget command
    [_, done] = await tg.tap(prompt, col=0, user_id=USER_ID)
    assert "entries erased" in parse_html(done.params["text"])
    assert [r["text"] for r in await tg.rows()] == [QUESTION]  # user 2002's question only


async def test_forget_data_naming_another_user_is_refused(tg: BotHarness) -> None:
    """Data claiming another owner fails twice over: it is not on the prompt's keyboard."""
    [prompt] = await tg.say("/forget")
    [toast] = await tg.tap(prompt, forget_data(True, 2002))
    assert "out of date" in toast.params["text"]
    assert len(await tg.rows()) == 1


# ---- forged data ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        # Well-formed, but for an exchange that this message does not carry: a forged vote.
        pytest.param(feedback_data("0123456789abcdef", 1), id="forged-feedback"),
        pytest.param("i:en:" + "a" * 300, id="oversized-intent"),
        pytest.param("f:+:" + "0" * 500, id="oversized-feedback"),
        pytest.param("x:y:1001:extra", id="forget-with-a-tail"),
        pytest.param("t:\x00\x1b[31m", id="control-characters"),
        pytest.param("tt\n", id="trailing-newline"),
        pytest.param("\u202eda:i", id="bidi-override"),
    ],
)
async def test_forged_or_oversized_callback_data_is_refused(tg: BotHarness, data: str) -> None:
    """A client may send any data: it gets the "out of date" toast, no message, no vote, no error."""
    [answer] = await tg.say(QUESTION)
    [toast] = await tg.tap(answer, data)
    assert toast.method == "answerCallbackQuery" and "out of date" in toast.params["text"]
    assert await tg.rows("SELECT * FROM feedback") == []
    assert [r["kind"] for r in await tg.rows()] == ["message"]


async def test_a_real_vote_is_still_counted_after_forged_ones(tg: BotHarness) -> None:
    """Refusing forgeries does not refuse the genuine button of the same message."""
    [answer] = await tg.say(QUESTION)
    await tg.tap(answer, feedback_data("fedcba9876543210", 1))
    [toast] = await tg.tap(answer, col=0)
    assert "Thanks" in toast.params["text"]
    assert len(await tg.rows("SELECT * FROM feedback")) == 1
