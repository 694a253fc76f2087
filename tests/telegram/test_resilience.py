"""Telegram's limits and faults: flood control, 429/403/502, slow responses, errors in handlers.

No API error stops the bot; users never see a traceback; admins hear of each distinct error once.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fakes.telegram_harness import ADMIN_ID, BotHarness, ExplodingEngine, running_bot, shared_engine

pytest_plugins = ["tests.fakes.telegram_fixtures"]

QUESTION = "When was the agreement signed?"
# PTB 22 warns that `retry_after` will become a timedelta whenever it builds a RetryAfter.
IGNORE_RETRY_AFTER_WARNING = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


# ---- flood control ----------------------------------------------------------------------------


async def test_a_flooding_user_gets_one_notice_not_a_reply_storm(tmp_path: Path) -> None:
    """Over the limit: one slow-down notice, then silence; every message is still logged, and
    other users are answered as usual."""
    async with running_bot(tmp_path, flood_per_minute=5) as tg:
        for n in range(9):
            tg.api.message(f"{QUESTION} ({n})", user_id=1001)
        tg.api.message(QUESTION, user_id=2002)
        await tg.settle()
        flooder = tg.api.texts(chat_id=1001)
        assert len(flooder) == 6
        assert all("2024" in t for t in flooder[:5])
        assert "Please wait a minute" in flooder[5]
        assert len(tg.api.texts(chat_id=2002)) == 1
        rows = await tg.rows()
        assert len(rows) == 10
        assert sum(1 for r in rows if r["reply"] == "") == 3  # the silent ones
        assert tg.api.rejected() == []


# ---- faults from Telegram ---------------------------------------------------------------------


@IGNORE_RETRY_AFTER_WARNING
async def test_429_waits_retry_after_and_sends_once(tg: BotHarness) -> None:
    """Too Many Requests: the bot waits retry_after, then sends the reply exactly once."""
    tg.api.fail("sendMessage", "429", value=1)
    await tg.say(QUESTION)
    attempts = tg.api.calls("sendMessage", ok=None)
    assert [c.status for c in attempts] == [429, 200]
    assert attempts[1].at - attempts[0].at >= 1.0


async def test_502_is_retried_with_backoff(tg: BotHarness) -> None:
    """Bad Gateway twice: retried (after 0.5 s, then 1 s); the user gets one reply."""
    tg.api.fail("sendMessage", "502", times=2)
    [reply] = await tg.say(QUESTION)
    attempts = tg.api.calls("sendMessage", ok=None)
    assert [c.status for c in attempts] == [502, 502, 200]
    assert attempts[2].at - attempts[0].at >= 1.4
    assert "2024" in reply.result["text"]


async def test_polling_survives_a_bad_gateway(tg: BotHarness) -> None:
    """A failed getUpdates is retried; the message waiting behind it is answered."""
    tg.api.fail("getUpdates", "502")
    assert len(await tg.say(QUESTION)) == 1


async def test_a_slow_reply_does_not_hold_up_other_chats(tg: BotHarness) -> None:
    """While one chat's reply is slow to send, another chat is answered."""
    tg.api.fail("sendMessage", "slow", value=1.5, chat_id=1001)
    tg.api.message(QUESTION, user_id=1001)
    tg.api.message(QUESTION, user_id=2002)
    await tg.settle()
    order = [c.params["chat_id"] for c in tg.api.sent()]
    assert order == [2002, 1001]


async def test_a_user_who_blocked_the_bot_breaks_nothing(tg: BotHarness) -> None:
    """403 from Telegram: logged and reported to admins once; the next user is answered and the
    exchange of the blocked user is still logged."""
    tg.api.chat(ADMIN_ID)
    tg.api.fail("sendMessage", "403", chat_id=1001, times=2)
    await tg.say(QUESTION, user_id=1001)
    await tg.say("Who signed it?", user_id=1001)
    assert len(await tg.say(QUESTION, user_id=2002)) == 1
    alerts = tg.api.texts(chat_id=ADMIN_ID)
    assert len(alerts) == 1 and "Forbidden" in alerts[0]
    assert len(await tg.rows()) == 3


# ---- errors in the bot itself ----------------------------------------------------------------


def exploded(question: str) -> Exception:
    return RuntimeError(f"engine exploded on a {len(question)}-character question")


async def test_an_error_is_reported_once_and_never_shown_as_a_traceback(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The user gets an apology, admins get one note per distinct error, the log has the context;
    the bot goes on answering."""
    async with running_bot(
        tmp_path,
        engine=ExplodingEngine(shared_engine(), exploded),
    ) as tg:
        tg.api.chat(ADMIN_ID)
        for _ in range(3):
            [apology] = await tg.say("boom")
            assert apology.result["text"].startswith("Sorry, something went wrong")
            assert "Traceback" not in apology.result["text"]
        await tg.say("a longer boom")  # another message text: another distinct error
        assert len(await tg.say(QUESTION)) == 1
        alerts = tg.api.texts(chat_id=ADMIN_ID)
        assert len(alerts) == 2
        assert all("RuntimeError: engine exploded" in a for a in alerts)
        assert "(message in a private chat)" in alerts[0]
        assert tg.api.rejected() == []
    logged = [r for r in caplog.records if r.name == "bot.telegram.alerts" and r.exc_info]
    assert len(logged) == 4 and "error while handling update" in logged[0].getMessage()
