"""The shared inbox's claims after a database fault (bot.telegram.intake on PostgreSQL): an update
this process handled whose done mark (and sent record) did not commit, because the server went
away in between, is claimed again once its lease lapses; it is then marked done, not answered or
logged a second time. Skips with the reason when PostgreSQL cannot be started
(tests/fakes/postgres.py).
"""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

from tests.fakes.telegram_harness import BotHarness, running_bot

pytest_plugins = ["tests.fakes.postgres"]

USER = 6160
QUESTION = "When was the agreement signed?"


def query(tg: BotHarness, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    conn = tg.runtime.store.connect()
    try:
        return [tuple(r) for r in conn.execute(sql, params)]
    finally:
        conn.close()


async def until_done(tg: BotHarness, update_id: int) -> None:
    deadline = time.monotonic() + 20
    sql = "SELECT state FROM inbox WHERE update_id = ?"
    while await asyncio.to_thread(query, tg, sql, (update_id,)) != [("done",)]:
        assert time.monotonic() < deadline, f"update {update_id} not done in 20 s"
        await tg.log.flush()
        await asyncio.sleep(0.05)


async def test_an_update_claimed_again_after_its_done_mark_was_lost_is_not_answered_twice(
    pg_url: str, tmp_path: Path
) -> None:
    """Handled and answered; then its row is put back as the outage left it (pending, no send
    recorded, lease lapsed): claimed again, it is marked done, with one reply and one log row."""
    async with running_bot(tmp_path, db_url=pg_url) as tg:
        message = tg.api.message(QUESTION, user_id=USER, lang="en")
        update_id = tg.api.last_update_id
        await until_done(tg, update_id)
        assert len(tg.api.sent(USER)) == 1
        raw = json.dumps({"update_id": update_id, "message": message})
        await asyncio.to_thread(
            query,
            tg,
            "UPDATE inbox SET state = 'pending', raw = ?, sends = 0, claimed_by = NULL, "
            "claim_until = NULL WHERE update_id = ?",
            (raw, update_id),
        )
        await until_done(tg, update_id)
        await asyncio.sleep(0.5)  # a second answer would be on its way now
        await tg.log.flush()
        replies = len(tg.api.sent(USER))
        rows = await asyncio.to_thread(
            query, tg, "SELECT count(*) FROM exchanges WHERE text = ?", (QUESTION,)
        )
    assert (replies, rows) == (1, [(1,)])
