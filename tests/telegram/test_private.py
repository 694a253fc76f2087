"""Private chats, end to end: the real Application answers over HTTP through the fake Bot API.

Every test ends with the fake's check that no request broke a Bot API rule (the `tg` fixture).
"""

from __future__ import annotations

import pytest

from bot.telegram.buttons import TOPICS, forget_data, intent_data, lang_data, topic_data
from bot.testing.bot_api_rules import parse_html
from bot.testing.fake_bot_api import Call
from tests.fakes.telegram_harness import USER_ID, BotHarness, shared_engine

pytest_plugins = ["tests.fakes.telegram_fixtures"]


def shown(call: Call) -> str:
    """What the user sees of a sent message."""
    return str(call.result["text"])


def buttons(call: Call) -> list[str]:
    """The callback data of every button of a sent message."""
    markup = call.params.get("reply_markup") or {}
    return [b["callback_data"] for row in markup.get("inline_keyboard", []) for b in row]


@pytest.mark.parametrize(
    ("question", "lang", "source"),
    [
        pytest.param("When was the agreement signed?", "en", "Source", id="en"),
        pytest.param("Wann wurde die Vereinbarung unterzeichnet?", "de", "Quelle", id="de"),
        pytest.param("协议是什么时候签署的？", "zh", "来源", id="zh"),
    ],
)
async def test_a_question_is_answered_in_its_language(
    tg: BotHarness, question: str, lang: str, source: str
) -> None:
    """One answer, in the question's language, with its source line, 👍/👎 and see-also buttons;
    the exchange is logged with a pseudonym instead of the user id."""
    expected = shared_engine().reply(question)
    [call] = await tg.say(question, lang="en")
    assert call.params["parse_mode"] == "HTML"
    assert shown(call).startswith(expected.text[:30]) and source in shown(call)
    data = buttons(call)
    assert data[0].startswith("f:+:") and data[1].startswith("f:-:")
    assert intent_data(expected.related[0].intent, lang) in data
    [row] = await tg.rows()
    assert (row["kind"], row["lang"], row["intent"], row["outcome"]) == (
        "message",
        lang,
        expected.intent,
        "answered",
    )
    assert row["text"] == question and row["reply"].startswith(expected.text[:30])
    assert row["latency_ms"] > 0 and row["id"] == data[0][4:]
    assert str(USER_ID) not in (row["user_ps"] or "") and row["chat_type"] == "private"


async def test_answers_keep_the_order_of_questions(tg: BotHarness) -> None:
    """Several questions from one user are answered one at a time, in order."""
    questions = [
        "Who signed the agreement?",
        "When was the agreement signed?",
        "Hello",
        "Who were the witnesses?",
        "What are the four areas?",
    ]
    for q in questions:
        tg.api.message(q)
    await tg.settle()
    expected = [shared_engine().reply(q).text[:25] for q in questions]
    assert [t[:25] for t in tg.api.texts()] == expected


async def test_see_also_button_answers_at_once(tg: BotHarness) -> None:
    """A tap is answered (answerCallbackQuery) and the related answer follows, with its own
    feedback buttons; the tap is logged."""
    [answer] = await tg.say("When was the agreement signed?")
    related = next(d for d in buttons(answer) if d.startswith("i:"))
    calls = await tg.tap(answer, related)
    assert [c.method for c in calls] == ["answerCallbackQuery", "sendMessage"]
    assert "text" not in calls[0].params
    target = shared_engine().answer_intent(related.split(":", 2)[2], "en")
    assert target is not None and shown(calls[1]).startswith(target.text[:30])
    rows = await tg.rows()
    assert [r["kind"] for r in rows] == ["message", "callback"]
    assert rows[1]["intent"] == target.intent


@pytest.mark.parametrize(("col", "value"), [(0, 1), (1, -1)], ids=["thumbs-up", "thumbs-down"])
async def test_feedback_is_thanked_and_logged(tg: BotHarness, col: int, value: int) -> None:
    """👍/👎 answers the tap with thanks and stores the vote against the exchange."""
    [answer] = await tg.say("When was the agreement signed?")
    [toast] = await tg.tap(answer, col=col)
    assert toast.method == "answerCallbackQuery" and "Thanks" in toast.params["text"]
    [vote] = await tg.rows("SELECT * FROM feedback")
    assert vote["value"] == value and vote["exchange_id"] == buttons(answer)[0][4:]


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(intent_data("intent_removed_by_a_reload", "en"), id="removed-intent"),
        pytest.param("legacy:signing_date", id="data-of-an-older-version"),
        pytest.param(topic_data("no_such_topic"), id="removed-topic"),
    ],
)
async def test_a_stale_button_gets_a_polite_note(tg: BotHarness, data: str) -> None:
    """A button the bot no longer knows: a polite toast, no message, no error."""
    [answer] = await tg.say("When was the agreement signed?")
    [toast] = await tg.tap(answer, data)
    assert toast.method == "answerCallbackQuery" and "out of date" in toast.params["text"]


async def test_did_you_mean_buttons(tg: BotHarness) -> None:
    """In the middle band the bot asks back with buttons; a tap answers the chosen intent."""
    engine = shared_engine()
    question = next(
        (q for q in ("who", "which", "what", "wer", "谁") if engine.reply(q).outcome == "suggested"), None
    )
    if question is None:
        pytest.skip("the fact base puts none of the probes in the suggestion band")
    reply = engine.reply(question)
    [ask] = await tg.say(question)
    assert shown(ask) == reply.text.splitlines()[0]
    assert buttons(ask) == [intent_data(s.intent, reply.lang) for s in reply.suggestions]
    calls = await tg.tap(ask)
    chosen = engine.answer_intent(reply.suggestions[0].intent, reply.lang)
    assert chosen is not None and shown(calls[-1]).startswith(chosen.text[:30])


# ---- commands ---------------------------------------------------------------------------------


async def test_the_command_menu_is_published_in_three_languages(tg: BotHarness) -> None:
    """setMyCommands per language (de, en, zh) and a default; admins get their commands too."""
    languages = {lang for (_, lang) in tg.api.commands}
    assert {"de", "en", "zh", ""} <= languages
    default = tg.api.commands[('{"type": "default"}', "")]
    assert [c["command"] for c in default] == [
        "start",
        "help",
        "topics",
        "lang",
        "about",
        "privacy",
        "forget",
    ]


@pytest.mark.parametrize(
    ("command", "lang", "fragment"),
    [
        pytest.param("/start", "en", "Just type your question", id="start-en"),
        pytest.param("/start", "de", "Schreiben Sie einfach Ihre Frage", id="start-de"),
        pytest.param("/start", "zh", "请直接输入您的问题", id="start-zh"),
        pytest.param("/help", "en", "@announcement_test_bot", id="help"),
        pytest.param("/topics", "en", "Pick a topic", id="topics"),
        pytest.param("/lang", "en", "Which language", id="lang"),
        pytest.param("/about", "en", "25 June 2024", id="about"),
        pytest.param("/privacy", "en", "180 days", id="privacy"),
        pytest.param("/forget", "en", "Erase all your logged", id="forget"),
        pytest.param("/frobnicate", "en", "I don't know that command", id="unknown-command"),
        pytest.param("/stats", "en", "I don't know that command", id="stats-not-for-users"),
        pytest.param("/unanswered", "en", "I don't know that command", id="unanswered-not-for-users"),
        pytest.param("/reload", "de", "Diesen Befehl kenne ich nicht", id="reload-not-for-users"),
    ],
)
async def test_commands(tg: BotHarness, command: str, lang: str, fragment: str) -> None:
    """Each command answers once, in the user's client language; commands are logged."""
    [call] = await tg.say(command, lang=lang)
    assert fragment in shown(call)
    [row] = await tg.rows()
    assert row["kind"] == "command" and row["text"] == command and row["outcome"] == "other"


async def test_start_offers_example_questions_as_buttons(tg: BotHarness) -> None:
    """The examples of /start are buttons that answer when tapped."""
    [start] = await tg.say("/start")
    examples = shared_engine().examples("en")
    assert buttons(start) == [intent_data(s.intent, "en") for s in examples]
    calls = await tg.tap(start)
    first = shared_engine().answer_intent(examples[0].intent, "en")
    assert first is not None and shown(calls[-1]).startswith(first.text[:30])


async def test_topics_are_browsed_in_place(tg: BotHarness) -> None:
    """/topics → a topic → its questions → back: the same message is edited each time."""
    [menu] = await tg.say("/topics")
    first_topic = buttons(menu)[0]
    [toast, edit] = await tg.tap(menu, first_topic)
    assert toast.method == "answerCallbackQuery" and edit.method == "editMessageText"
    assert buttons(edit)[-1] == TOPICS and all(d.startswith("i:en:") for d in buttons(edit)[:-1])
    [_, back] = await tg.tap(edit, TOPICS)
    assert back.method == "editMessageText" and buttons(back) == buttons(menu)


async def test_lang_pins_the_reply_language(tg: BotHarness) -> None:
    """/lang zh (or its button) makes English questions get Chinese answers; auto undoes it."""
    [menu] = await tg.say("/lang")
    assert lang_data("zh") in buttons(menu)
    [_, confirm] = await tg.tap(menu, lang_data("zh"))
    assert "中文" in shown(confirm)
    [answer] = await tg.say("When was the agreement signed?")
    pinned = shared_engine().reply("When was the agreement signed?", pinned="zh")
    assert shown(answer).startswith(pinned.text[:10]) and pinned.lang == "zh"
    [row] = [r for r in await tg.rows() if r["kind"] == "message"]
    assert row["lang_pinned"] == "zh" and row["lang"] == "zh"
    await tg.say("/lang auto")
    [again] = await tg.say("When was the agreement signed?")
    unpinned = shared_engine().reply("When was the agreement signed?")
    assert shown(again).startswith(unpinned.text[:30])


async def test_forget_erases_the_users_rows_after_confirmation(tg: BotHarness) -> None:
    """/forget asks first; "yes" erases every row and vote of this user and of nobody else."""
    [answer] = await tg.say("When was the agreement signed?")
    await tg.tap(answer, col=0)
    await tg.say("Who signed the agreement?", user_id=2002)
    [question] = await tg.say("/forget")
    assert buttons(question) == [forget_data(True, USER_ID), forget_data(False, USER_ID)]
    [_, cancelled] = await tg.tap(question, col=1)
    assert "nothing erased" in shown(cancelled)
    assert len(await tg.rows()) == 3  # nothing erased yet (the cancelled tap is not logged)
    [question] = await tg.say("/forget")
    [_, done] = await tg.tap(question, col=0)
    assert "entries erased" in shown(done)
    rows = await tg.rows()
    assert [r["text"] for r in rows] == ["Who signed the agreement?"]
    assert await tg.rows("SELECT * FROM feedback") == []


# ---- everything that is not a question ---------------------------------------------------------

STICKER = {
    "file_id": "s1",
    "file_unique_id": "u1",
    "type": "regular",
    "width": 512,
    "height": 512,
    "is_animated": False,
    "is_video": False,
}
PHOTO = [{"file_id": "p1", "file_unique_id": "u2", "width": 90, "height": 90}]


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        pytest.param({"sticker": STICKER}, "sticker", id="sticker"),
        pytest.param({"photo": PHOTO}, "photo", id="photo"),
        pytest.param({"photo": PHOTO, "caption": "When was it signed?"}, "photo", id="photo-with-caption"),
        pytest.param({"voice": {"file_id": "v", "file_unique_id": "u3", "duration": 2}}, "voice", id="voice"),
        pytest.param({"document": {"file_id": "d", "file_unique_id": "u4"}}, "document", id="document"),
        pytest.param({"location": {"latitude": 29.56, "longitude": 106.55}}, "location", id="location"),
        pytest.param({"contact": {"phone_number": "+1", "first_name": "A"}}, "contact", id="contact"),
        pytest.param({"dice": {"emoji": "🎲", "value": 3}}, "dice", id="dice"),
    ],
)
async def test_non_text_gets_a_short_helpful_reply(
    tg: BotHarness, content: dict[str, object], kind: str
) -> None:
    """Stickers, photos, voice ... in a private chat: "I can only read text", logged as such."""
    [call] = await tg.say(None, **content)
    assert shown(call) == "I can only read text. Please type your question."
    [row] = await tg.rows()
    assert row["text"] == f"[{kind}]"


async def test_an_edited_question_is_answered_again(tg: BotHarness) -> None:
    """Editing a question (a typo fixed) gets the corrected answer, quoting the edited message."""
    [call] = await tg.say("When was the agreement signed?", kind="edited_message")
    assert call.params["reply_parameters"]["allow_sending_without_reply"] is True
    assert "2024" in shown(call)


@pytest.mark.parametrize(
    "update",
    [
        pytest.param({"is_bot": True}, id="message-from-another-bot"),
        pytest.param({"kind": "channel_post", "chat_id": -100500, "chat_type": "channel"}, id="channel-post"),
        pytest.param(
            {"kind": "edited_channel_post", "chat_id": -100500, "chat_type": "channel"},
            id="edited-channel-post",
        ),
        pytest.param(
            {
                "via_bot": {
                    "id": 123456,
                    "is_bot": True,
                    "first_name": "Announcement Bot",
                    "username": "announcement_test_bot",
                }
            },
            id="own-inline-result",
        ),
    ],
)
async def test_deliberate_silence(tg: BotHarness, update: dict[str, object]) -> None:
    """Updates that need no answer get none, and raise nothing."""
    assert await tg.say("When was the agreement signed?", **update) == []


async def test_a_service_message_is_ignored(tg: BotHarness) -> None:
    """Members joining a group is not a question."""
    member = {"id": 77, "is_bot": False, "first_name": "New"}
    assert await tg.say(None, chat_id=-300, chat_type="group", new_chat_members=[member]) == []


async def test_html_in_questions_is_shown_literally(tg: BotHarness) -> None:
    """A question full of markup is echoed nowhere unescaped; Telegram accepts every reply."""
    [call] = await tg.say("<b>When</b> & <i>was it signed?")
    assert "<b>" not in parse_html(call.params["text"]) or "&lt;" in call.params["text"]
