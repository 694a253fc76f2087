"""The inbox as a shared work queue (bot.store.queue) on both backends, same assertions: each chat's
updates one at a time and in order, no update claimed by two replicas, a dead replica's claims
taken over after the lease (a real subprocess killed with SIGKILL).
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from bot.store import inbox
from bot.store.contract import AsyncConnection
from bot.store.queue import MIGRATION, WorkQueue
from bot.store.records import format_ts
from bot.store.schema import MIGRATIONS
from tests.store.helpers import T0
from tests.store.test_backends import MakeStore, address, make_store, store_at

pytest_plugins = ["tests.fakes.postgres"]
__all__ = ["address", "make_store"]  # the fixtures: one empty database per backend

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
async def db(make_store: MakeStore) -> AsyncIterator[AsyncConnection]:
    conn = await make_store().connect_async()
    try:
        yield conn
    finally:
        await conn.close()


async def store(db: AsyncConnection, *updates: tuple[int, str]) -> None:
    stamp = format_ts(T0)
    async with db.transaction():
        for update_id, chat in updates:
            await db.execute(inbox.INSERT, (update_id, chat, f'{{"update_id": {update_id}}}', stamp, stamp))


async def done(db: AsyncConnection, *update_ids: int) -> None:
    async with db.transaction():
        await db.executemany(inbox.MARK_DONE, inbox.done_records(update_ids, format_ts(T0)))


def test_the_queue_columns_are_a_migration() -> None:
    """The claim columns come from the one migration list, appended after the inbox's."""
    assert MIGRATION in MIGRATIONS


async def test_each_chat_is_handled_one_update_at_a_time_in_order(db: AsyncConnection) -> None:
    """Only a chat's oldest unfinished update is claimable; the next once it is done."""
    await store(db, (1, "a"), (2, "a"), (3, "b"), (4, "a"))
    queue = WorkQueue(db, "r1")
    assert [c.update_id for c in await queue.claim(10, T0)] == [1, 3]
    assert await queue.claim(10, T0) == []  # 2 waits for 1; 1 and 3 are leased
    await done(db, 1)
    assert [c.update_id for c in await queue.claim(10, T0)] == [2]
    await done(db, 2, 3)
    assert [c.update_id for c in await queue.claim(10, T0)] == [4]


async def test_a_lapsed_claim_is_taken_over_with_its_sends(db: AsyncConnection) -> None:
    """A replica that stops renewing loses the update after the lease; the new claimer learns how
    many messages already went out, and the attempt is counted."""
    await store(db, (1, "a"))
    dead, alive = WorkQueue(db, "dead", lease_s=30), WorkQueue(db, "alive", lease_s=30)
    assert [c.update_id for c in await dead.claim(5, T0)] == [1]
    async with db.transaction():
        await db.execute(inbox.MARK_SENT, (1, format_ts(T0), 1))  # one message went out
    assert await alive.claim(5, T0 + timedelta(seconds=29)) == []
    (taken,) = await alive.claim(5, T0 + timedelta(seconds=31))
    assert (taken.update_id, taken.sends, taken.attempts) == (1, 1, 2)
    assert await dead.renew([1], T0 + timedelta(seconds=32)) == 0  # the lease is no longer its own


async def test_renewed_claims_are_kept_and_released_ones_are_free(db: AsyncConnection) -> None:
    """renew() keeps a long handler's lease; release() on a clean stop frees it at once."""
    await store(db, (1, "a"), (2, "b"))
    mine, other = WorkQueue(db, "mine", lease_s=30), WorkQueue(db, "other", lease_s=30)
    assert len(await mine.claim(5, T0)) == 2
    assert await mine.renew([1, 2], T0 + timedelta(seconds=20)) == 2
    assert await other.claim(5, T0 + timedelta(seconds=40)) == []
    assert await mine.release() == 2
    assert [c.update_id for c in await other.claim(5, T0 + timedelta(seconds=40))] == [1, 2]


async def test_replicas_claiming_together_never_share_an_update(make_store: MakeStore) -> None:
    """Four replicas (own connections) drain 300 updates of 40 chats at the same time: every update
    handled exactly once, and each chat's updates in their order."""
    setup = await make_store().connect_async()
    try:
        await store(setup, *((u, f"chat{u % 40}") for u in range(1, 301)))
    finally:
        await setup.close()
    handled: list[tuple[str, int, int]] = []  # (replica, update, chat order seen)

    async def replica(name: str) -> None:
        conn = await make_store().connect_async()
        queue = WorkQueue(conn, name)
        idle = 0
        try:
            while idle < 20:
                claimed = await queue.claim(8)
                if not claimed:
                    idle += 1
                    await asyncio.sleep(0.01)
                    continue
                idle = 0
                for item in claimed:
                    handled.append((name, item.update_id, len(handled)))
                await done(conn, *(c.update_id for c in claimed))
        finally:
            await conn.close()

    await asyncio.gather(*(replica(f"r{i}") for i in range(4)))
    ids = [u for _, u, _ in handled]
    assert sorted(ids) == list(range(1, 301))  # each once, none lost
    per_chat: dict[int, list[int]] = {}
    for u in ids:
        per_chat.setdefault(u % 40, []).append(u)
    assert all(seq == sorted(seq) for seq in per_chat.values())


CLAIMER = textwrap.dedent(
    """
    import asyncio, sys
    from tests.store.test_backends import store_at
    from bot.store.queue import WorkQueue

    async def main():
        db = await store_at(sys.argv[1]).connect_async()
        claimed = await WorkQueue(db, "doomed", lease_s=1.0).claim(10)
        print(",".join(str(c.update_id) for c in claimed), flush=True)
        await asyncio.sleep(3600)  # "handling": killed here

    asyncio.run(main())
    """
)


async def test_a_replica_killed_mid_work_leaves_its_updates_to_another(address: str) -> None:
    """A real process claims updates and is SIGKILLed; after its lease another replica gets them,
    in each chat's order, and no update is lost."""
    db = await store_at(address).connect_async()
    try:
        await store(db, (1, "a"), (2, "a"), (3, "b"))
        url = address
        proc = subprocess.Popen(
            [sys.executable, "-c", CLAIMER, url],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        try:
            assert proc.stdout is not None
            line = await asyncio.wait_for(asyncio.to_thread(proc.stdout.readline), 30)
            assert line.strip() == "1,3"
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
            if proc.stdout is not None:
                proc.stdout.close()
        survivor = WorkQueue(db, "survivor", lease_s=1.0)
        assert await survivor.claim(10) == []  # the dead replica's lease still runs
        await asyncio.sleep(1.2)
        assert [c.update_id for c in await survivor.claim(10)] == [1, 3]
        await done(db, 1, 3)
        assert [c.update_id for c in await survivor.claim(10)] == [2]
    finally:
        await db.close()


async def test_a_queue_is_opened_only_for_a_shared_store(pg_url: str, tmp_path: Path) -> None:
    """open_queue: None for a SQLite file (this process alone hands out its updates), a working
    queue on a store the settings put on a server."""
    from bot.store.queue import open_queue

    assert await open_queue(store_at(str(tmp_path / "log.db")), "r1") is None
    queue = await open_queue(store_at(pg_url), "r1")
    assert queue is not None
    try:
        await store(queue.db, (5, "a"))
        assert [c.update_id for c in await queue.claim(3)] == [5]
    finally:
        await queue.close()
