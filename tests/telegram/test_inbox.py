"""The durable inbox, through the real Application against the fake Bot API and a real SQLite file:
every update stored before Telegram is told it arrived, marked done once answered and logged,
unfinished ones handled first after a restart (in each chat's order), sends that went out before
not repeated, and a stop that leaves what it could not finish in the inbox.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dtm
import sqlite3
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.store.inbox import Inbox
from bot.store.records import format_ts
from bot.store.store import Store
from bot.telegram.app import App, build_application, intake_of
from bot.telegram.intake import CUT_WAIT_S, FINISH_S, SEND_LANES
from bot.testing.fake_bot_api import FakeBotAPI
from tests.fakes.telegram_harness import make_settings, shared_engine

KEY = b"test-key"  # make_settings' pseudonym key
Q = ["When was the agreement signed?", "What are the four areas?", "Who signed the agreement?"]


@contextlib.asynccontextmanager
async def bot_on(
    api: FakeBotAPI, tmp_path: Path, *, drain_s: float | None = None, **overrides: Any
) -> AsyncIterator[App]:
    """The application against `api` (started as run_polling does), stopped likewise at the end;
    several runs may share one api and one database, as a restart does."""
    settings = make_settings(api, tmp_path, **overrides)
    app = build_application(settings, shared_engine(), Store.from_settings(settings))
    intake = intake_of(app)
    assert intake is not None
    if drain_s is not None:
        intake.drain_s = drain_s
    try:
        await app.initialize()
        assert app.post_init is not None and app.updater is not None
        await app.post_init(app)
        await app.updater.start_polling(poll_interval=0, timeout=dtm.timedelta(seconds=5))
        await app.start()
        yield app
    finally:
        await stop(app)


async def stop(app: App) -> None:
    """What run_polling does on SIGTERM (idempotent)."""
    if app.updater is not None and app.updater.running:
        await app.updater.stop()
    if app.running:
        await app.stop()
        assert app.post_stop is not None
        await app.post_stop(app)
    if app._initialized:  # shutdown refuses a second call
        await app.shutdown()
        assert app.post_shutdown is not None
        await app.post_shutdown(app)


async def settle(api: FakeBotAPI, app: App, timeout: float = 30, *, pushed: bool = True) -> None:
    """Return once every update pushed (if `pushed`) was fetched, and everything was handled."""
    target = api.last_update_id
    if pushed:
        await api.until(lambda: api.confirmed > target, timeout)
    await asyncio.wait_for(app.update_queue.join(), timeout)
    assert app.bot_data.log is not None
    await app.bot_data.log.flush()


def inbox(db: Path) -> dict[int, sqlite3.Row]:
    """Every inbox row by update id."""
    with contextlib.closing(sqlite3.connect(db, timeout=10)) as conn:
        conn.row_factory = sqlite3.Row
        return {r["update_id"]: r for r in conn.execute("SELECT * FROM inbox")}


def logged(db: Path) -> list[str]:
    """The texts of the exchanges, in the order they were logged."""
    with contextlib.closing(sqlite3.connect(db, timeout=10)) as conn:
        return [t for (t,) in conn.execute("SELECT text FROM exchanges ORDER BY ts")]


def update(api: FakeBotAPI, update_id: int, text: str, user_id: int) -> dict[str, Any]:
    """A private text message as Telegram would send it, not queued in the fake (a previous run
    fetched it); its chat is known to the fake, so the bot may answer there."""
    chat = api.chat(user_id)
    message = {
        "message_id": update_id,
        "date": int(time.time()),
        "chat": chat,
        "from": api.user(user_id),
        "text": text,
    }
    return {"update_id": update_id, "message": message}


async def left_over(db: Path, *updates: dict[str, Any], sends: dict[int, int] | None = None) -> None:
    """What a killed run left behind: `updates` stored in the inbox, unfinished (with `sends`
    messages already sent for some)."""
    import json

    box = Inbox(Store.sqlite(db), KEY)
    await box.open()
    try:
        for u in updates:
            chat = u["message"]["chat"]["id"]
            assert await box.add(u["update_id"], chat, json.dumps(u)) == "new"
        for update_id, count in (sends or {}).items():
            await box.mark_sent(update_id, count)
    finally:
        await box.close()


# ---- stored before confirmed, done when answered and logged ---------------------------------------


async def test_every_update_is_stored_before_telegram_is_told_it_arrived(tmp_path: Path) -> None:
    """At each getUpdates offset, every update below it is already in the inbox; once answered
    and logged each is done, its raw copy erased (no raw ids or text left behind)."""
    db = tmp_path / "log.sqlite3"
    missing: list[int] = []
    confirms: list[int] = []

    def check(offset: int) -> None:
        stored = set(inbox(db))
        below = range(max(confirms, default=1), offset)
        missing.extend(u for u in below if u not in stored)
        confirms.append(offset)

    with FakeBotAPI() as api:
        async with bot_on(api, tmp_path) as app:
            api.on_confirm = check
            for n in range(30):
                api.message(f"{Q[n % 3]} ({n})", user_id=4000 + n % 3)
            await settle(api, app)
            rows = inbox(db)
        assert api.rejected() == []
    assert confirms and max(confirms) == 31
    assert missing == []
    assert sorted(rows) == list(range(1, 31))
    assert {r["state"] for r in rows.values()} == {"done"}
    assert all(r["raw"] is None for r in rows.values())
    assert all(r["chat_key"] and "4000" not in r["chat_key"] for r in rows.values())  # pseudonyms


@pytest.mark.parametrize(
    "push",
    [
        pytest.param(lambda api: api.inline_query("When was it signed?", user_id=4100), id="inline-query"),
        # In a group without a mention the bot stays silent: nothing to log, done all the same.
        pytest.param(
            lambda api: api.message("just chatting", user_id=4101, chat_id=-4101, chat_type="group"),
            id="group-chatter",
        ),
    ],
)
async def test_an_update_without_an_exchange_is_done_after_handling(tmp_path: Path, push: Any) -> None:
    """Updates that log no exchange are marked done once handled."""
    with FakeBotAPI() as api:
        async with bot_on(api, tmp_path) as app:
            push(api)
            await settle(api, app)
            await api.until(
                lambda: (
                    inbox(tmp_path / "log.sqlite3").get(1) is not None
                    and inbox(tmp_path / "log.sqlite3")[1]["state"] == "done"
                )
            )


# ---- after a crash --------------------------------------------------------------------------------


async def test_unfinished_updates_are_handled_first_in_each_chats_order(tmp_path: Path) -> None:
    """Updates a killed run left unfinished are answered after the restart, before a new message
    in the same chat, in the order they came; each is logged once and done."""
    db = tmp_path / "log.sqlite3"
    with FakeBotAPI(first_update_id=100) as api:
        old = [update(api, 10 + n, f"{Q[n]} (old {n})", 4200) for n in range(3)]
        other = update(api, 13, f"{Q[0]} (other)", 4201)
        await left_over(db, *old, other)
        async with bot_on(api, tmp_path) as app:
            api.message(f"{Q[1]} (new)", user_id=4200)
            await settle(api, app)
            await api.until(lambda: len(api.sent(chat_id=4200)) == 4 and len(api.sent(chat_id=4201)) == 1)
        texts = logged(db)
        rows = inbox(db)
        assert api.rejected() == []
    mine = [t for t in texts if t != f"{Q[0]} (other)"]
    assert mine == [f"{Q[0]} (old 0)", f"{Q[1]} (old 1)", f"{Q[2]} (old 2)", f"{Q[1]} (new)"]
    assert {u: r["state"] for u, r in rows.items()} == {
        10: "done",
        11: "done",
        12: "done",
        13: "done",
        100: "done",
    }
    assert {u: r["attempts"] for u, r in rows.items() if u < 100} == {10: 1, 11: 1, 12: 1, 13: 1}


async def test_a_replay_does_not_send_again_what_went_out_before(tmp_path: Path) -> None:
    """An update whose reply was sent before the crash (but not logged) is only logged after the
    restart: no second message to the user; one that was not sent is answered."""
    db = tmp_path / "log.sqlite3"
    with FakeBotAPI(first_update_id=100) as api:
        was_sent = update(api, 20, f"{Q[0]} (sent)", 4300)
        not_sent = update(api, 21, f"{Q[0]} (not sent)", 4301)
        await left_over(db, was_sent, not_sent, sends={20: 1})
        async with bot_on(api, tmp_path) as app:
            await api.until(lambda: len(api.sent(chat_id=4301)) == 1)
            await settle(api, app, pushed=False)
            assert app.bot_data.log is not None
            await app.bot_data.log.flush()
            await api.until(lambda: inbox(db)[20]["state"] == "done")
        texts = logged(db)
        assert api.rejected() == []
    assert api.sent(chat_id=4300) == []  # sent before the crash: not again
    assert sorted(texts) == [f"{Q[0]} (not sent)", f"{Q[0]} (sent)"]  # both logged, once


async def test_at_most_send_lanes_sends_are_out_and_unrecorded_at_once(tmp_path: Path) -> None:
    """Sends wait for a lane: with every reply slow to come back, no more than SEND_LANES are
    between going out and being recorded at any moment (what a kill would answer again), though
    twice as many chats wait; each reply recorded, every chat answered once."""
    db = tmp_path / "log.sqlite3"
    slow_s, chats = 1.0, 2 * SEND_LANES
    with FakeBotAPI() as api:
        api.fail("sendMessage", "slow", slow_s, times=chats)
        async with bot_on(api, tmp_path) as app:
            for n in range(chats):
                api.message(f"{Q[n % len(Q)]} (n{n})", user_id=4600 + n)
            await api.until(lambda: len(api.sent()) == chats, 60)
            await settle(api, app)
        ends = sorted(call.at for call in api.sent())
    # A slow reply is recorded by the fake at the end of its wait: its request was out during the
    # `slow_s` before. The most requests out at one moment:
    most = max(sum(1 for other in ends if end - slow_s < other <= end) for end in ends)
    assert most <= SEND_LANES
    assert all(len(api.sent(chat_id=4600 + n)) == 1 for n in range(chats))
    assert all(row["state"] == "done" for row in inbox(db).values())


async def test_a_copy_telegram_delivers_again_is_not_answered_again(tmp_path: Path) -> None:
    """An update already in the inbox (Telegram re-sends what was not confirmed before a crash)
    is recognised by its id: handled once."""
    db = tmp_path / "log.sqlite3"
    with FakeBotAPI(first_update_id=30) as api:
        first = update(api, 30, f"{Q[2]} (twice)", 4400)
        await left_over(db, first)
        api.push({"message": first["message"]})  # the same update again, id 30
        async with bot_on(api, tmp_path) as app:
            await settle(api, app)
        assert api.rejected() == []
    assert len(api.sent(chat_id=4400)) == 1
    assert logged(db) == [f"{Q[2]} (twice)"]


async def test_an_update_that_keeps_failing_is_given_up(tmp_path: Path) -> None:
    """An update left unfinished by more starts than MAX_ATTEMPTS (say, one that crashes the bot
    each time) is marked failed, its copy erased, and not handled again."""
    db = tmp_path / "log.sqlite3"
    with FakeBotAPI(first_update_id=100) as api:
        await left_over(db, update(api, 40, f"{Q[0]} (poison)", 4500))
        with contextlib.closing(sqlite3.connect(db)) as conn, conn:
            conn.execute("UPDATE inbox SET attempts = 5 WHERE update_id = 40")
        async with bot_on(api, tmp_path):
            pass
    assert api.sent(chat_id=4500) == []
    row = inbox(db)[40]
    assert (row["state"], row["raw"], row["attempts"]) == ("failed", None, 6)


# ---- stopping ---------------------------------------------------------------------------------


@pytest.mark.slow
async def test_a_stop_leaves_what_it_could_not_finish_in_the_inbox(tmp_path: Path) -> None:
    """A stop with 200 updates queued ends within its drain time plus a second; the updates not
    answered stay pending and are answered (once) by the next run."""
    db = tmp_path / "log.sqlite3"
    with FakeBotAPI() as api:
        api.fail("sendMessage", "slow", value=0.05, times=10_000)
        for n in range(200):
            api.message(f"{Q[n % 3]} (s{n})", user_id=5000 + n)
        app_cm = bot_on(api, tmp_path, drain_s=0.5)
        await app_cm.__aenter__()
        await api.until(lambda: api.confirmed > 200 and len(api.sent()) >= 5)
        started = time.monotonic()
        await app_cm.__aexit__(None, None, None)
        took = time.monotonic() - started
        answered = len(api.sent())
        rows = inbox(db)
        assert took < 0.5 + FINISH_S + CUT_WAIT_S + 1.0  # drain, finish, cut, the rest of the stop
        assert answered < 200
        pending = [u for u, r in rows.items() if r["state"] != "done"]
        assert len(rows) == 200 and len(pending) >= 200 - answered
        async with bot_on(api, tmp_path) as again:
            # One pass over the calls per look (not one per chat: 200 of them every 10 ms slowed the bot).
            everyone = set(range(5000, 5200))
            await api.until(lambda: everyone <= {c.params["chat_id"] for c in api.sent()}, 60)
            await settle(api, again, pushed=False)
        assert api.rejected() == []
    replies = [len(api.sent(chat_id=5000 + n)) for n in range(200)]
    assert replies.count(1) >= 199 and max(replies) <= 2  # a reply cut short in flight may repeat
    texts = logged(db)
    assert len(set(texts)) == 200 and len(texts) == 200  # each logged once: a handler cut short logs nothing
    assert {r["state"] for r in inbox(db).values()} == {"done"}


# ---- the store alone --------------------------------------------------------------------------


async def test_purge_keeps_a_bounded_number_of_days(tmp_path: Path) -> None:
    """Done rows older than keep_days go; an unfinished row that old is given up; newer stay."""
    db = tmp_path / "log.sqlite3"
    box = Inbox(Store.sqlite(db), KEY, keep_days=2)
    await box.open()
    try:
        for update_id in (1, 2, 3, 4):
            assert await box.add(update_id, 7, "{}") == "new"
        await box.mark_done([1, 3])
        old = format_ts(datetime.now(UTC) - timedelta(days=3))
        with contextlib.closing(sqlite3.connect(db)) as conn, conn:
            conn.execute(
                "UPDATE inbox SET updated_at = ?, received_at = ? WHERE update_id IN (1, 2)", (old, old)
            )
        assert await box.purge() == 1  # row 1: done and old
        assert await box.add(1, 7, "{}") == "new"  # purged ids are forgotten
        counts = await box.counts()
    finally:
        await box.close()
    rows = inbox(db)
    assert (rows[2]["state"], rows[2]["raw"]) == ("failed", None)  # unfinished and too old
    assert rows[3]["state"] == "done" and rows[4]["state"] == "pending"
    assert counts == {"pending": 2, "failed": 1, "done": 1}
