"""What a database that refuses writes (a full disk, a lock held too long) must not cost: a send
the inbox could not record is held in memory, written with the next write that succeeds and at a
stop kept in the sent file (BOT_SPILL_DIR) for the next start; an update answered and spilled is
not replayed; rows the log cannot keep are counted exactly, lost apart from those a replay logs
again; a spill write the disk cuts short leaves no half line. The real process on a full tmpfs:
tests/test_disk_full.py.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import resource
import sqlite3
from pathlib import Path

import pytest

from bot.settings import Settings
from bot.store.inbox import Inbox
from bot.store.log import ConversationLog
from bot.store.spill import SpillFile
from bot.store.store import RECONNECT_S, Store
from tests.store.helpers import KEY, T0, exchange, locked


def sends_in(db: Path) -> dict[int, tuple[str, int]]:
    """update id -> (state, sends) of every inbox row."""
    with sqlite3.connect(db) as conn:
        return {u: (s, n) for u, s, n in conn.execute("SELECT update_id, state, sends FROM inbox")}


async def past_the_backoff() -> None:
    """Wait out the reconnect backoff that follows a refused write (bot.store.store.Link)."""
    await asyncio.sleep(RECONNECT_S + 0.1)


async def test_a_refused_send_is_held_in_memory_and_written_with_the_next_write(tmp_path: Path) -> None:
    """While the database refuses, the send counts for a replay (`recorded`); the next write that
    succeeds records it."""
    db = tmp_path / "log.sqlite3"
    box = Inbox(Store.sqlite(db, KEY, busy_timeout=0.05), KEY.encode())
    await box.open()
    try:
        assert await box.add(1, 42, '{"update_id": 1}') == "new"
        with locked(db):
            await box.mark_sent(1, 2)
            await box.mark_done([9])
        assert (box.owed, box.recorded(1, 0), box.recorded(9, 0)) == (2, 2, None)
        assert sends_in(db) == {1: ("pending", 0)}
        await past_the_backoff()
        assert await box.add(2, 43, '{"update_id": 2}') == "new"
        assert box.owed == 0
        assert sends_in(db) == {1: ("sent", 2), 2: ("pending", 0)}
    finally:
        await box.close()


@pytest.mark.parametrize(
    "spill_dir",
    [
        pytest.param(None, id="beside-the-database"),
        pytest.param("elsewhere", id="in-BOT_SPILL_DIR"),  # another volume in production
    ],
)
async def test_sends_refused_until_the_stop_wait_in_the_sent_file_for_the_next_start(
    tmp_path: Path, spill_dir: str | None
) -> None:
    """A stop while the database still refuses writes the owed sends and done marks to the sent
    file; the next start reads them before it replays anything: the update sent before is
    replayed with its send skipped, the one done is not replayed at all."""
    db = tmp_path / "log.sqlite3"
    store = Store.sqlite(db, KEY, busy_timeout=0.05, spill_dir=tmp_path / spill_dir if spill_dir else None)
    first = Inbox(store, KEY.encode())
    await first.open()
    for update_id in (1, 2, 3):
        assert await first.add(update_id, 40 + update_id, f'{{"update_id": {update_id}}}') == "new"
    with locked(db):
        await first.mark_sent(1, 1)
        await first.mark_done([2])
        await first.close()
    assert store.sent_path.parent == (tmp_path / spill_dir if spill_dir else db.parent)
    assert len(store.sent_path.read_text().splitlines()) == 2
    second = Inbox(store, KEY.encode())
    await second.open()
    try:
        replay = await second.unfinished()
        assert [(s.update_id, s.sends) for s in replay] == [(1, 1), (3, 0)]
        assert not store.sent_path.exists()  # recorded in the database now
        assert {u: v for u, v in sends_in(db).items() if u != 2} == {1: ("sent", 1), 3: ("pending", 0)}
        assert sends_in(db)[2][0] == "done"
    finally:
        await second.close()


async def test_an_update_whose_exchange_waits_in_the_spill_is_not_replayed(tmp_path: Path) -> None:
    """Answered and logged to the spill (the database was full): the next start leaves it to the
    spill's import instead of handling it again."""
    db = tmp_path / "log.sqlite3"
    store = Store.sqlite(db, KEY)
    box = Inbox(store, KEY.encode())
    await box.open()
    try:
        for update_id in (5, 6):
            await box.add(update_id, 40 + update_id, f'{{"update_id": {update_id}}}')
        SpillFile(store.spill_path, 10).append([{"t": "exchange", "id": "e5", "update_id": 5}])
        assert [s.update_id for s in await box.unfinished()] == [6]
    finally:
        await box.close()


async def test_rows_neither_written_nor_spilled_are_counted_and_told_at_the_stop(tmp_path: Path) -> None:
    """The spill takes nothing (full): an exchange of an update the inbox holds is left to the
    replay, the others are lost; both figures reach the admins when the log stops."""
    db = tmp_path / "log.sqlite3"
    told: list[str] = []

    async def alert(message: str) -> None:
        told.append(message)

    log = ConversationLog(
        Store.sqlite(db, KEY, busy_timeout=0.05), spill_max_rows=0, retry_interval=60.0, on_alert=alert
    )
    await log.start()
    with locked(db):
        log.log(dataclasses.replace(exchange(id="a", ts=T0), update_id=7))
        log.log(exchange(id="b", ts=T0))
        log.log(exchange(id="c", ts=T0))
        await log.close()
    assert (log.counts.lost, log.counts.replayable, log.counts.spilled) == (2, 1, 0)
    assert told[-1] == (
        "conversation log stopped: 2 rows lost, 1 to be logged again from the inbox at the next "
        "start in this run"
    )


def test_a_spill_write_the_disk_cuts_short_leaves_no_half_line(tmp_path: Path) -> None:
    """The disk refuses in the middle of an append (here a file size limit, as a full disk would):
    the lines already there stay whole, none of the batch is kept or counted kept."""
    spill = SpillFile(tmp_path / "spill.jsonl", 100)
    assert spill.append([{"t": "exchange", "id": "before"}]) == 1
    size = spill.path.stat().st_size
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (size + 100, hard))  # room for part of the batch
    try:
        with pytest.raises(OSError):
            spill.append([{"t": "exchange", "id": f"x{i}", "text": "y" * 40} for i in range(10)])
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    assert spill.path.read_text().splitlines() == ['{"t": "exchange", "id": "before"}']
    assert (spill.rows, os.path.getsize(spill.path)) == (1, size)


@pytest.mark.parametrize(
    ("env", "folder"),
    [
        pytest.param({}, "data", id="unset-beside-the-database"),
        pytest.param({"BOT_SPILL_DIR": "  "}, "data", id="blank-beside-the-database"),
        pytest.param({"BOT_SPILL_DIR": "/mnt/other/spill"}, "/mnt/other/spill", id="another-volume"),
    ],
)
def test_bot_spill_dir_holds_the_spill_and_the_sent_file(env: dict[str, str], folder: str) -> None:
    """BOT_SPILL_DIR moves both files the database's disk must not take down with it."""
    store = Store.from_settings(Settings.from_env({"BOT_DB_PATH": "data/log.sqlite3", **env}, env_file=None))
    assert (store.spill_path, store.sent_path) == (
        Path(folder) / "log.sqlite3.spill.jsonl",
        Path(folder) / "log.sqlite3.sent.jsonl",
    )
