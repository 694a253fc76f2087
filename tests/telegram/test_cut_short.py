"""A stop that cuts a handler short, through the real Application against the fake Bot API and a
real SQLite file: the update stays in the inbox, the next start answers it, and its exchange is
in the log once (the replay logs it; the handler cut short logs nothing).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.testing.fake_bot_api import FakeBotAPI
from tests.fakes.telegram_harness import ADMIN_ID
from tests.store.helpers import locked
from tests.telegram.test_inbox import Q, bot_on, inbox, logged, settle

USER = 4700


@pytest.mark.parametrize(
    ("send_s", "cut", "replies"),
    [
        # The reply's send outlasts the drain (0.1 s) and the time the running handlers get to
        # finish (FINISH_S): the handler is cut short with its send in flight. Its update stays
        # in the inbox and the next start answers it again (the send's outcome was never known:
        # the fake delivers both) and logs it: one row, not one from each run.
        pytest.param(3.0, True, 2, id="cut-short-while-sending"),
        # The send ends after the drain, within the finishing time: answered, logged and done in
        # the first run; the next start has nothing to replay.
        pytest.param(0.5, False, 1, id="finished-after-the-drain"),
    ],
)
@pytest.mark.slow
async def test_an_update_cut_short_by_a_stop_is_logged_once(
    tmp_path: Path, send_s: float, cut: bool, replies: int
) -> None:
    """An exchange is logged once whether its handler finished before the stop or was cut short
    and its update replayed by the next start."""
    db = tmp_path / "log.sqlite3"
    text = f"{Q[0]} (cut short)"
    with FakeBotAPI() as api:
        api.fail("sendMessage", "slow", value=send_s, times=1)
        api.message(text, user_id=USER)
        update_id = api.last_update_id
        first = bot_on(api, tmp_path, drain_s=0.1)
        await first.__aenter__()
        await api.until(lambda: api.confirmed > update_id)  # stored, and handed to a handler
        await first.__aexit__(None, None, None)
        after_stop = inbox(db)[update_id]["state"]
        async with bot_on(api, tmp_path) as again:
            await api.until(lambda: len(api.sent(chat_id=USER)) >= replies, 10)
            await settle(api, again, pushed=False)
        assert api.rejected() == []
    assert (after_stop == "done") is not cut
    assert inbox(db)[update_id]["state"] == "done"
    assert len(api.sent(chat_id=USER)) == replies
    assert logged(db) == [text]


@pytest.mark.slow
async def test_a_reply_out_before_the_cut_is_told_as_a_row_to_log_again(tmp_path: Path) -> None:
    """The reply went out, and the handler is cut short while the inbox waits for the database
    to record the send (here a lock; in production a full disk): no row now, the admins hear at
    the stop that one row is to be logged again, and the next start logs it without sending."""
    db = tmp_path / "log.sqlite3"
    text = f"{Q[1]} (sent, then cut short)"
    with FakeBotAPI() as api:
        api.chat(ADMIN_ID)  # the admins hear the log's figures at the stop
        api.fail("sendMessage", "slow", value=0.5, times=1)  # time to lock the database first
        api.message(text, user_id=USER)
        update_id = api.last_update_id
        first = bot_on(api, tmp_path, drain_s=0.1)
        app = await first.__aenter__()
        log = app.bot_data.log
        assert log is not None
        await api.until(lambda: api.confirmed > update_id)  # stored, and handed to a handler
        with locked(db):  # the send's record waits for the lock (up to the 5 s busy timeout)
            await api.until(lambda: len(api.sent(chat_id=USER)) == 1)
            stopping = asyncio.create_task(first.__aexit__(None, None, None))
            await api.until(lambda: log.counts.replayable == 1, 10)  # cut short, its reply out
        await stopping
        after_stop = inbox(db)[update_id]
        told = api.texts(chat_id=ADMIN_ID)
        async with bot_on(api, tmp_path) as again:
            await settle(api, again, pushed=False)
            await api.until(lambda: inbox(db)[update_id]["state"] == "done")
        assert api.rejected() == []
    assert (after_stop["state"], after_stop["sends"]) == ("sent", 1)
    assert any("log stopped: 0 rows lost, 1 to be logged again from the inbox" in t for t in told)
    assert len(api.sent(chat_id=USER)) == 1  # sent before the stop: not again
    assert logged(db) == [text]
