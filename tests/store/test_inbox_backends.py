"""The inbox's statements through its real class on both backends (same assertions)."""

from __future__ import annotations

from bot.store.inbox import Inbox
from bot.store.store import Store
from tests.store.helpers import KEY
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
