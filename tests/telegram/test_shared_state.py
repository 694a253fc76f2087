"""Replicas sharing one PostgreSQL store agree on each user's follow-up context and flood window:
the real application, run twice against the fake Bot API (instance A, then instance B, each with
its own fake and its own folder, both on one database), answers a follow-up from the context the
other instance left, and counts a user's messages in one window whichever instance takes them.
Skips with the reason when PostgreSQL cannot be started (tests/fakes/postgres.py).

The instances run one after the other: while both run, either may claim any update from the shared
inbox (bot.store.queue), so only this order pins down which instance answers which message.
"""

from __future__ import annotations

import asyncio
import time
from contextlib import AbstractAsyncContextManager
from pathlib import Path
from typing import Any

import pytest

from bot.core.engine import Engine
from bot.telegram.texts import T
from tests.fakes.telegram_harness import BotHarness, running_bot, shared_engine

pytest_plugins = ["tests.fakes.postgres"]

USER = 5150


def instance(
    tmp_path: Path, name: str, pg_url: str, serial: int, **overrides: Any
) -> AbstractAsyncContextManager[BotHarness]:
    """One application on the shared store: its own folder, its own fake (distinct update ids)."""
    folder = tmp_path / name
    folder.mkdir(exist_ok=True)
    return running_bot(folder, first_update_id=serial * 100_000, db_url=pg_url, **overrides)


async def ask(tg: BotHarness, text: str) -> list[str]:
    """USER sends `text` to `tg`; once the shared inbox marks it done, the texts sent to USER.

    (`settle()` is not enough here: with a shared store an update is handled once the instance's
    claim loop takes it from the inbox, after the update queue already looks empty.)"""
    before = len(tg.api.sent(USER))
    tg.api.message(text, user_id=USER, lang="en")
    update_id = tg.api.last_update_id

    def done() -> bool:
        conn = tg.runtime.store.connect()
        try:
            rows = list(conn.execute("SELECT state FROM inbox WHERE update_id = ?", (update_id,)))
        finally:
            conn.close()
        return rows == [("done",)]

    deadline = time.monotonic() + 20
    while not await asyncio.to_thread(done):
        assert time.monotonic() < deadline, f"update {update_id} not handled in 20 s"
        await tg.log.flush()
        await asyncio.sleep(0.05)
    return [str(c.result["text"]) for c in tg.api.sent(USER)[before:]]


async def logged_intent(tg: BotHarness, question: str) -> str | None:
    """The intent the shared log holds for the last exchange of `question`."""
    await tg.log.flush()
    conn = tg.runtime.store.connect()
    try:
        rows = list(conn.execute("SELECT intent FROM exchanges WHERE text = ? ORDER BY ts", (question,)))
    finally:
        conn.close()
    return rows[-1][0] if rows else None


@pytest.mark.parametrize(
    ("first", "follow_up", "intent"),
    [
        pytest.param("Who is Xiao Song?", "What did he say?", "xiao_song_statement", id="xiao-song"),
        # Without the first answer's context "What did he say?" reads as Xiao Song's statement: only
        # the context instance A left makes instance B see that "he" is Roland Busch.
        pytest.param("Who is Roland Busch?", "What did he say?", "unknown_busch_statement", id="busch"),
        pytest.param("Who is Xiao Song?", "What is his position?", "person_xiao_song", id="his-position"),
    ],
)
async def test_a_follow_up_is_answered_by_the_other_instance_from_the_shared_context(
    tmp_path: Path, pg_url: str, first: str, follow_up: str, intent: str
) -> None:
    engine: Engine = shared_engine()
    async with instance(tmp_path, "a", pg_url, 1) as a:
        assert a.runtime.shared is not None
        assert await ask(a, first)
    async with instance(tmp_path, "b", pg_url, 2) as b:
        replies = await ask(b, follow_up)
        assert replies, "instance B did not answer"
        assert await logged_intent(b, follow_up) == intent
        expected = engine.answer_intent(intent, "en")
        assert expected is not None
        assert expected.text.split()[0] in replies[0]


async def test_a_users_messages_alternating_between_instances_share_one_flood_window(
    tmp_path: Path, pg_url: str
) -> None:
    """BOT_FLOOD_PER_MINUTE=2: messages 1 (A) and 2 (B) are answered, 3 (A) gets the one notice,
    4 (B) is dropped; each instance alone would have answered all of them."""
    started = time.time()
    got: list[list[str]] = []
    for n, name in enumerate(["a", "b", "a", "b"], start=1):
        async with instance(tmp_path, name, pg_url, n, flood_per_minute=2) as tg:
            got.append(await ask(tg, f"When was the agreement signed? ({n})"))
    if time.time() - started >= 60:  # pragma: no cover - a very slow machine: the window ended
        pytest.skip("the four instances took longer than the one-minute flood window")
    notice = T["en"]["flood"]
    assert [bool(texts) for texts in got] == [True, True, True, False]
    assert all(notice not in text for texts in got[:2] for text in texts)
    assert got[2] == [notice]
