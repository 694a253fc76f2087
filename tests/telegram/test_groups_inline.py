"""Groups (answer only when addressed) and inline mode (`@bot question` in any chat)."""

from __future__ import annotations

from typing import Any

import pytest

from bot.testing.fake_bot_api import BOT_USERNAME
from tests.fakes.telegram_harness import BotHarness, shared_engine

pytest_plugins = ["tests.fakes.telegram_fixtures"]

GROUP = -1001234
QUESTION = "When was the agreement signed?"


async def in_group(tg: BotHarness, text: str | None, **kwargs: Any) -> list[str]:
    """A group member writes; return what the bot said in the group."""
    calls = await tg.say(text, chat_id=GROUP, chat_type="supergroup", user_id=1001, **kwargs)
    return [str(c.result["text"]) for c in calls]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(QUESTION, id="plain-question"),
        pytest.param("good morning everyone", id="chatter"),
        pytest.param("ask @some_other_bot when it was signed", id="mention-of-another-bot"),
        pytest.param("/frobnicate", id="unknown-command-for-anyone"),
        pytest.param("/frobnicate@some_other_bot", id="command-for-another-bot"),
        pytest.param("/start@some_other_bot", id="known-command-for-another-bot"),
    ],
)
async def test_silent_unless_addressed(tg: BotHarness, text: str) -> None:
    """The bot never answers every message of a group."""
    assert await in_group(tg, text) == []
    assert await tg.rows() == []


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(f"@{BOT_USERNAME} {QUESTION}", id="mention-first"),
        pytest.param(f"{QUESTION} @{BOT_USERNAME}", id="mention-last"),
        pytest.param(f"Hey @{BOT_USERNAME.upper()}, {QUESTION}", id="mention-any-case"),
    ],
)
async def test_answers_when_mentioned(tg: BotHarness, text: str) -> None:
    """A mention is answered (the mention is not part of the question), quoting the message."""
    before = len(tg.api.sent())
    [answer] = await in_group(tg, text)
    assert "2024" in answer
    call = tg.api.sent()[before]
    assert call.params["reply_parameters"]["message_id"] > 0
    [row] = await tg.rows()
    assert BOT_USERNAME not in row["text"] and row["chat_type"] == "supergroup"


async def test_answers_a_reply_to_its_own_message(tg: BotHarness) -> None:
    """Replying to the bot's message counts as addressing it; replying to others does not."""
    [first] = await tg.say(f"@{BOT_USERNAME} {QUESTION}", chat_id=GROUP, chat_type="group")
    bot_message = tg.api.bot_message(first)
    assert len(await in_group(tg, "And who signed it?", reply_to=bot_message)) == 1
    someone = tg.api.message("hello", chat_id=GROUP, chat_type="group", user_id=5)
    await tg.settle()
    assert await in_group(tg, "who signed it?", reply_to=someone) == []


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        pytest.param("/help", "mention me", id="plain-command"),
        pytest.param(f"/help@{BOT_USERNAME}", "mention me", id="addressed-command"),
        pytest.param(
            f"/frobnicate@{BOT_USERNAME}", "don't know that command", id="addressed-unknown-command"
        ),
        pytest.param("/stats", "", id="admin-command-from-a-member-is-silent"),
    ],
)
async def test_commands_in_groups(tg: BotHarness, text: str, fragment: str) -> None:
    """Commands work in groups; unknown ones only get a reply when they name this bot."""
    said = await in_group(tg, text)
    if fragment:
        [answer] = said
        assert fragment in answer
    else:
        assert said == []


async def test_non_text_in_groups_is_ignored(tg: BotHarness) -> None:
    """A sticker in a group is nobody's question."""
    sticker = {
        "file_id": "s",
        "file_unique_id": "u",
        "type": "regular",
        "width": 1,
        "height": 1,
        "is_animated": False,
        "is_video": False,
    }
    assert await in_group(tg, None, sticker=sticker) == []


async def test_buttons_in_groups_answer_in_the_group(tg: BotHarness) -> None:
    """A see-also tap in a group answers there, for everyone."""
    [first] = await tg.say(f"@{BOT_USERNAME} {QUESTION}", chat_id=GROUP, chat_type="group")
    calls = await tg.tap(first, row=1, user_id=5)
    assert calls[-1].method == "sendMessage" and calls[-1].params["chat_id"] == GROUP


# ---- inline mode ------------------------------------------------------------------------------


async def test_inline_query_offers_the_answer(tg: BotHarness) -> None:
    """`@bot question` offers the answer first; the posted message carries its source."""
    tg.api.inline_query(QUESTION)
    await tg.settle()
    [call] = tg.api.calls("answerInlineQuery")
    results = call.params["results"]
    expected = shared_engine().reply(QUESTION)
    assert results[0]["id"] == expected.intent
    content = results[0]["input_message_content"]
    assert content["parse_mode"] == "HTML" and "Source" in content["message_text"]
    assert call.params["is_personal"] is True


async def test_empty_inline_query_offers_examples(tg: BotHarness) -> None:
    """Typing only `@bot` offers the example questions with their answers."""
    tg.api.inline_query("", lang="de")
    await tg.settle()
    [call] = tg.api.calls("answerInlineQuery")
    assert [r["id"] for r in call.params["results"]] == [s.intent for s in shared_engine().examples("de")]


async def test_inline_query_in_nonsense_offers_no_invented_answer(tg: BotHarness) -> None:
    """No answer is made up for a query that matches nothing."""
    tg.api.inline_query("zxqv wplk")
    await tg.settle()
    [call] = tg.api.calls("answerInlineQuery")
    reply = shared_engine().reply("zxqv wplk")
    assert {r["id"] for r in call.params["results"]} <= {s.intent for s in reply.suggestions}


async def test_a_chosen_inline_result_is_logged(tg: BotHarness) -> None:
    """The result a user picked is logged as an inline exchange (keystrokes are not)."""
    tg.api.inline_query(QUESTION)
    tg.api.chosen_inline_result("signing_date", QUESTION)
    await tg.settle()
    [row] = await tg.rows()
    assert (row["kind"], row["chat_type"], row["intent"], row["text"]) == (
        "inline",
        "inline",
        "signing_date",
        QUESTION,
    )


@pytest.mark.parametrize(
    ("first_a", "first_b", "move_a", "move_b", "says_a", "says_b"),
    [
        # A's "which of the two" picks from A's list; B's "he" is B's person, asked in between.
        pytest.param(
            "Who signed the agreement?",
            "Who is Roland Busch?",
            "Which of the two signed for the city?",
            "Did he sign the agreement himself?",
            "Chen Xinwu",
            "did not sign",
            id="en",
        ),
        pytest.param(
            "Wer hat die Vereinbarung unterschrieben?",
            "Wann wurde das Büro eröffnet?",
            "Wer von den beiden unterschrieb für Siemens?",
            "Und die Niederlassung?",
            "Xiao Song",
            "2010",
            id="de",
        ),
    ],
)
async def test_each_group_member_keeps_their_own_conversation(
    tg: BotHarness, first_a: str, first_b: str, move_a: str, move_b: str, says_a: str, says_b: str
) -> None:
    """Two members of one group, their questions interleaved: each follow-up is read in the
    light of its own asker's last answer, not of the message just before it in the group."""

    async def member(user_id: int, text: str) -> str:
        calls = await tg.say(
            f"@{BOT_USERNAME} {text}", chat_id=GROUP, chat_type="supergroup", user_id=user_id
        )
        return str(calls[-1].result["text"])

    await member(1001, first_a)
    await member(1002, first_b)
    answer_a = await member(1001, move_a)
    answer_b = await member(1002, move_b)
    assert says_a in answer_a
    assert says_b in answer_b
