"""The inbox's statements through its real class on both backends (same assertions)."""

from __future__ import annotations

import dataclasses

from bot.store.inbox import Inbox
from bot.store.log import ConversationLog
from bot.store.store import Store
from tests.store.helpers import KEY, T0, exchange
from tests.store.test_log_backends import store

pytest_plugins = ["tests.fakes.postgres"]
__all__ = ["store"]  # the fixture, parametrised over both backends


async def test_inbox_stores_each_update_once(store: Store) -> None:
    """The inbox on both: new, then known; unfinished until marked done."""
    box = Inbox(store, KEY.encode())
    await box.open()
    try:
        assert await box.add(1, 42, '{"update_id": 1}') == "new"
        assert await box.add(1, 42, '{"update_id": 1}') == "known"
        assert await box.add(2**40, -100123, '{"update_id": 2}') == "new"
        assert [s.update_id for s in await box.unfinished()] == [1, 2**40]
        await box.mark_sent(1, 2)
        await box.mark_done([1, 2**40])
        assert await box.unfinished() == []
        assert await box.counts() == {"done": 2}
    finally:
        await box.close()


async def test_an_exchange_marks_the_update_it_was_given_done_with_its_commit(store: Store) -> None:
    """The update id is an argument of the exchange (no default that reads a context): the writer
    marks that update done in the transaction that commits the exchange; an exchange given none
    leaves every update as it was."""
    box = Inbox(store, KEY.encode())
    await box.open()
    log = ConversationLog(store, batch_interval=0.01)
    await log.start()
    try:
        assert await box.add(7, 42, '{"update_id": 7}') == "new"
        assert await box.add(8, 43, '{"update_id": 8}') == "new"
        log.log(dataclasses.replace(exchange(id="e7", ts=T0), update_id=7))
        log.log(exchange(id="e8", ts=T0))  # made without an update: marks nothing
        await log.flush()
        assert await box.counts() == {"done": 1, "pending": 1}
        assert [s.update_id for s in await box.unfinished()] == [8]
    finally:
        await log.close()
        await box.close()
