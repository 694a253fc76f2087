"""The fake Bot API refuses what Telegram refuses, answers what it answers, and injects faults."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, InvalidToken, NetworkError, RetryAfter

from bot.testing.bot_api_rules import ApiError, parse_html
from bot.testing.fake_bot_api import TOKEN, FakeBotAPI, running, text_entities


@pytest.fixture(scope="module")
def http() -> Iterator[httpx.Client]:
    with httpx.Client() as client:  # one client: each costs an SSL context (~0.1 s)
        yield client


@pytest.fixture
def api(http: httpx.Client) -> Iterator[FakeBotAPI]:
    with running() as server:
        server.chat(1)
        server.http = http  # type: ignore[attr-defined]
        yield server


def post(
    api: FakeBotAPI, method: str, params: dict[str, Any], *, form: bool = False, token: str = TOKEN
) -> httpx.Response:
    client: httpx.Client = api.http  # type: ignore[attr-defined]
    url = f"http://127.0.0.1:{api.port}/bot{token}/{method}"
    if form:
        data = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
        return client.post(url, data=data)
    return client.post(url, json=params)


# ---- what Telegram refuses --------------------------------------------------------------------

OK_BUTTON = {"text": "ok", "callback_data": "i:en:x"}


@pytest.mark.parametrize(
    ("method", "params", "status", "fragment"),
    [
        pytest.param("sendMesage", {"chat_id": 1, "text": "x"}, 404, "Not Found", id="typo-method"),
        pytest.param("sendMessage", {"chat_id": 1}, 400, '"text" is required', id="missing-field"),
        pytest.param(
            "sendMessage",
            {"chat_id": 1, "text": "x", "colour": "red"},
            400,
            'unknown field "colour"',
            id="unknown-field",
        ),
        pytest.param("sendMessage", {"chat_id": 1, "text": ""}, 400, "text is empty", id="empty-text"),
        pytest.param(
            "sendMessage",
            {"chat_id": 1, "text": "<b> </b>", "parse_mode": "HTML"},
            400,
            "text is empty",
            id="empty-after-parsing",
        ),
        pytest.param("sendMessage", {"chat_id": 1, "text": "x" * 4097}, 400, "too long", id="4097-chars"),
        # Telegram counts UTF-16 units: 2049 emoji are 4098 units.
        pytest.param(
            "sendMessage",
            {"chat_id": 1, "text": "😀" * 2049},
            400,
            "too long",
            id="astral-chars-count-double",
        ),
        pytest.param(
            "sendMessage",
            {"chat_id": 1, "text": "a < b", "parse_mode": "HTML"},
            400,
            "can't parse entities",
            id="bare-lt",
        ),
        pytest.param(
            "sendMessage",
            {"chat_id": 1, "text": "R&D", "parse_mode": "HTML"},
            400,
            "can't parse entities",
            id="bare-amp",
        ),
        pytest.param(
            "sendMessage",
            {"chat_id": 1, "text": "<blink>x</blink>", "parse_mode": "HTML"},
            400,
            "can't parse entities",
            id="unknown-tag",
        ),
        pytest.param(
            "sendMessage",
            {"chat_id": 1, "text": "<b>x", "parse_mode": "HTML"},
            400,
            "can't parse entities",
            id="unclosed-tag",
        ),
        pytest.param(
            "sendMessage",
            {"chat_id": 1, "text": "<b>x</i>", "parse_mode": "HTML"},
            400,
            "can't parse entities",
            id="crossed-tags",
        ),
        pytest.param(
            "sendMessage",
            {
                "chat_id": 1,
                "text": "x",
                "reply_markup": {"inline_keyboard": [[{"text": "b", "callback_data": "x" * 65}]]},
            },
            400,
            "allowed 1-64",
            id="callback-data-65-bytes",
        ),
        pytest.param(
            "sendMessage",
            {
                "chat_id": 1,
                "text": "x",
                "reply_markup": {"inline_keyboard": [[{"text": "b", "callback_data": "ü" * 33}]]},
            },
            400,
            "allowed 1-64",
            id="callback-data-counts-bytes",
        ),
        pytest.param(
            "sendMessage",
            {
                "chat_id": 1,
                "text": "x",
                "reply_markup": {"inline_keyboard": [[{"text": "b", "callback_data": ""}]]},
            },
            400,
            "empty",
            id="callback-data-empty",
        ),
        pytest.param(
            "sendMessage",
            {"chat_id": 1, "text": "x", "reply_markup": {"inline_keyboard": [[{"text": "b"}]]}},
            400,
            "exactly one button kind",
            id="button-without-action",
        ),
        pytest.param(
            "sendMessage",
            {"chat_id": 1, "text": "x", "reply_markup": {"inline_keyboard": [[{**OK_BUTTON, "colour": 1}]]}},
            400,
            'unknown field "colour"',
            id="unknown-nested-field",
        ),
        pytest.param("sendMessage", {"chat_id": 2, "text": "x"}, 400, "chat not found", id="unknown-chat"),
        pytest.param(
            "setMyCommands",
            {"commands": [{"command": "Start", "description": "x"}]},
            400,
            "BOT_COMMAND_INVALID",
            id="uppercase-command",
        ),
        pytest.param(
            "answerCallbackQuery",
            {"callback_query_id": "nope"},
            400,
            "query is too old",
            id="unknown-callback-query",
        ),
        pytest.param(
            "answerCallbackQuery",
            {"callback_query_id": "x", "text": "t" * 201},
            400,
            "allowed 0-200",
            id="toast-too-long",
        ),
        pytest.param(
            "editMessageText",
            {"chat_id": 1, "message_id": 999, "text": "x"},
            400,
            "message to edit not found",
            id="edit-unknown-message",
        ),
        pytest.param(
            "answerInlineQuery",
            {
                "inline_query_id": "1",
                "results": [
                    {
                        "type": "article",
                        "id": "a" * 65,
                        "title": "t",
                        "input_message_content": {"message_text": "x"},
                    }
                ],
            },
            400,
            "allowed 1-64",
            id="inline-result-id-too-long",
        ),
        pytest.param(
            "answerInlineQuery",
            {
                "inline_query_id": "1",
                "results": [
                    {
                        "type": "article",
                        "id": "a",
                        "title": "t",
                        "input_message_content": {"message_text": "<i>x", "parse_mode": "HTML"},
                    }
                ],
            },
            400,
            "can't parse entities",
            id="inline-message-bad-html",
        ),
    ],
)
@pytest.mark.parametrize("form", [False, True], ids=["json", "form"])
def test_refused_like_telegram(
    api: FakeBotAPI, method: str, params: dict[str, Any], status: int, fragment: str, form: bool
) -> None:
    """A request Telegram would refuse gets its status and description, and is recorded as such."""
    response = post(api, method, params, form=form)
    assert response.status_code == status
    body = response.json()
    assert body["ok"] is False and fragment in body["description"]
    if status == 400:
        assert api.rejected()[-1].method == method


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        pytest.param("<b>bold</b> &amp; <i>it</i>", "bold & it", id="tags-and-entity"),
        pytest.param("&lt;tag&gt; &quot;q&quot; &#33; &#x21;", '<tag> "q" ! !', id="entities"),
        pytest.param('<a href="https://e.com/?a=1&amp;b=2">link</a>', "link", id="link"),
        pytest.param('<span class="tg-spoiler">s</span><tg-spoiler>t</tg-spoiler>', "st", id="spoilers"),
        pytest.param("<pre><code>x = 1 > 0</code></pre>", "x = 1 > 0", id="pre-code-gt"),
        pytest.param("<blockquote expandable>q</blockquote>", "q", id="expandable-quote"),
    ],
)
def test_valid_html_is_parsed_to_what_users_see(text: str, shown: str) -> None:
    """Telegram's HTML subset parses; the text length is counted on what users see."""
    assert parse_html(text) == shown


def test_length_is_counted_after_parsing(api: FakeBotAPI) -> None:
    """4096 visible characters pass even when the markup makes the request longer."""
    text = "<b>" + "x" * 4096 + "</b>"
    assert post(api, "sendMessage", {"chat_id": 1, "text": text, "parse_mode": "HTML"}).is_success


def test_wrong_token_is_unauthorized(api: FakeBotAPI) -> None:
    """Another token gets 401, as Telegram answers a revoked one."""
    assert post(api, "getMe", {}, token="999:nope").status_code == 401


def test_every_request_is_recorded_with_decoded_parameters(api: FakeBotAPI) -> None:
    """Form values are decoded by the spec's types: ints, booleans, JSON objects, raw strings."""
    post(
        api,
        "sendMessage",
        {
            "chat_id": "1",
            "text": "123",
            "disable_notification": "true",
            "reply_markup": {"inline_keyboard": [[OK_BUTTON]]},
        },
        form=True,
    )
    [call] = api.calls("sendMessage")
    assert call.params == {
        "chat_id": 1,
        "text": "123",
        "disable_notification": True,
        "reply_markup": {"inline_keyboard": [[OK_BUTTON]]},
    }
    assert call.result["text"] == "123" and call.result["chat"]["id"] == 1


# ---- python-telegram-bot against the fake -----------------------------------------------------


async def test_python_telegram_bot_talks_to_it(api: FakeBotAPI) -> None:
    """PTB's requests (form-encoded) pass; its BadRequest carries the fake's description."""
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("b", callback_data="i:en:x")]])
    async with Bot(TOKEN, base_url=api.base_url) as bot:
        sent = await bot.send_message(1, "<b>hi</b> &amp; bye", parse_mode="HTML", reply_markup=keyboard)
        assert sent.text == "hi & bye"
        edited = await bot.edit_message_text("new", chat_id=1, message_id=sent.message_id)
        assert not isinstance(edited, bool) and edited.text == "new"
        with pytest.raises(BadRequest, match="not modified"):
            await bot.edit_message_text("new", chat_id=1, message_id=sent.message_id)
        with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
            await bot.send_message(1, "1 < 2", parse_mode="HTML")
    with pytest.raises(InvalidToken):
        async with Bot("999:wrong-token-abcdefghijklmno", base_url=api.base_url):
            pass


async def test_updates_are_long_polled_and_confirmed_by_offset(api: FakeBotAPI) -> None:
    """getUpdates returns pending updates, waits when there are none, forgets confirmed ones."""
    async with Bot(TOKEN, base_url=api.base_url) as bot:
        api.message("hello", user_id=5)
        api.message("/start@announcement_test_bot now", user_id=5)
        first = await bot.get_updates(timeout=0)
        assert [u.message.text for u in first if u.message] == ["hello", "/start@announcement_test_bot now"]
        again = await bot.get_updates(timeout=0)
        assert [u.update_id for u in again] == [u.update_id for u in first]  # not confirmed yet
        started = time.monotonic()
        empty = await bot.get_updates(offset=first[-1].update_id + 1, timeout=1)
        assert empty == () and time.monotonic() - started >= 0.9
        assert api.confirmed == first[-1].update_id + 1


@pytest.mark.parametrize(
    ("text", "entities"),
    [
        pytest.param("/start", [("bot_command", 0, 6)], id="command"),
        pytest.param("/help@some_bot x", [("bot_command", 0, 14)], id="addressed-command"),
        pytest.param("hi @some_bot!", [("mention", 3, 9)], id="mention"),
        pytest.param("😀 @some_bot", [("mention", 3, 9)], id="utf16-offsets"),
        pytest.param("mail a@b.com", [], id="not-a-mention"),
    ],
)
def test_text_entities_are_added_like_telegram(text: str, entities: list[tuple[str, int, int]]) -> None:
    """Commands and mentions get entities with UTF-16 offsets, as clients receive them."""
    assert [(e["type"], e["offset"], e["length"]) for e in text_entities(text)] == entities


# ---- faults -----------------------------------------------------------------------------------


# PTB 22 warns about `retry_after` becoming a timedelta whenever it builds a RetryAfter.
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_injected_429_carries_retry_after(api: FakeBotAPI) -> None:
    """A 429 fault raises RetryAfter with the given delay; the next call succeeds."""
    api.fail("sendMessage", "429", 3)
    async with Bot(TOKEN, base_url=api.base_url) as bot:
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(1, "x")
        assert "Retry in 3" in str(caught.value)
        await bot.send_message(1, "x")
    assert [c.status for c in api.calls("sendMessage", ok=None)] == [429, 200]
    assert api.rejected() == []  # injected faults are not the bot's fault


async def test_injected_502_is_a_network_error(api: FakeBotAPI) -> None:
    """A 502 fault answers with an HTML error page, as a proxy in front of Telegram would."""
    async with Bot(TOKEN, base_url=api.base_url) as bot:
        api.fail("*", "502", times=2)
        for _ in range(2):
            with pytest.raises(NetworkError, match="Bad Gateway"):
                await bot.send_message(1, "x")
        await bot.send_message(1, "x")


async def test_injected_slow_response(api: FakeBotAPI) -> None:
    """A slow fault delays the answer by the given time."""
    api.fail("sendMessage", "slow", 0.5)
    async with Bot(TOKEN, base_url=api.base_url) as bot:
        started = time.monotonic()
        await bot.send_message(1, "x")
        assert time.monotonic() - started >= 0.5


def test_callback_and_inline_queries_are_answerable_once(api: FakeBotAPI) -> None:
    """A button tap and an inline query each accept exactly one answer."""
    sent = post(api, "sendMessage", {"chat_id": 1, "text": "x"}).json()["result"]
    query_id = api.tap(sent, "i:en:x")
    assert post(api, "answerCallbackQuery", {"callback_query_id": query_id}).is_success
    assert post(api, "answerCallbackQuery", {"callback_query_id": query_id}).status_code == 400
    inline_id = api.inline_query("q")
    assert post(api, "answerInlineQuery", {"inline_query_id": inline_id, "results": []}).is_success
    assert post(api, "answerInlineQuery", {"inline_query_id": inline_id, "results": []}).status_code == 400


def test_a_rule_error_names_the_problem() -> None:
    """ApiError carries Telegram's wording."""
    with pytest.raises(ApiError, match=r"^Bad Request: can't parse entities: .* byte offset 2$"):
        parse_html("ab<x>")
