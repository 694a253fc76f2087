"""Feedback is bound to its owner: an exchange must exist and have been answered to the voter, and
each user has one vote per exchange. Real SQLite files in tmp_path; the exchange may be anywhere
the log keeps rows (queued, written, or spilled while the database is locked).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.store.log import ConversationLog
from bot.store.store import Store
from tests.store.helpers import KEY, exchange, fetch, locked, ps

OWNER = 111
OTHER = 222


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "conversations.sqlite3"


@pytest.fixture
async def log(db: Path) -> AsyncIterator[ConversationLog]:
    log = ConversationLog(Store.sqlite(db, KEY, busy_timeout=0.05), retry_interval=60.0, batch_interval=10.0)
    await log.start()
    yield log
    await log.close()


async def place(log: ConversationLog, db: Path, where: str) -> None:
    """Log exchange "e1" of OWNER so that it ends up `where`."""
    log.log(exchange(id="e1", user=OWNER))
    if where == "written":
        await log.flush()
    elif where == "spilled":
        with locked(db):
            await log.flush()
        assert log.spill.rows == 1
    # "queued": the batch interval is 10 s, so it is still in memory


@pytest.mark.parametrize("where", ["queued", "written", "spilled"])
@pytest.mark.parametrize(
    ("exchange_id", "user", "channel", "expected"),
    [
        pytest.param("e1", OWNER, "telegram", True, id="owner"),
        pytest.param("e1", OTHER, "telegram", False, id="someone-else"),
        pytest.param("e1", OWNER, "console", False, id="same-id-other-channel"),  # other pseudonym
        pytest.param("e1", None, "telegram", False, id="no-user"),
        pytest.param("0123456789abcdef", OWNER, "telegram", False, id="forged-id"),
        pytest.param("", OWNER, "telegram", False, id="empty-id"),
        pytest.param('e1"', OWNER, "telegram", False, id="near-miss-id"),
    ],
)
async def test_exchange_owner_matches_only_the_user_it_was_answered_to(
    log: ConversationLog,
    db: Path,
    where: str,
    exchange_id: str,
    user: int | None,
    channel: str,
    expected: bool,
) -> None:
    await place(log, db, where)
    assert await log.exchange_owner_matches(exchange_id, user, channel) is expected


async def test_owner_is_found_while_the_database_is_locked(log: ConversationLog, db: Path) -> None:
    """A locked database still reads: a written exchange stays votable while the writer spills."""
    log.log(exchange(id="e1", user=OWNER))
    await log.flush()
    with locked(db):
        log.log(exchange(id="e2", user=OWNER))
        await log.flush()
        assert not log.healthy
        assert await log.exchange_owner_matches("e1", OWNER)
        assert await log.exchange_owner_matches("e2", OWNER)
        assert not await log.exchange_owner_matches("e1", OTHER)


@pytest.mark.parametrize(
    ("votes", "stored"),
    [
        pytest.param([1], [1], id="one"),
        pytest.param([1, 1, 1, 1], [1], id="repeated-taps"),  # 500 taps give one row, not 500
        pytest.param([1, -1], [-1], id="changed-mind"),
        pytest.param([-1, 1, -1], [-1], id="last-wins"),
    ],
)
async def test_one_vote_per_exchange_and_user(
    log: ConversationLog, db: Path, votes: list[int], stored: list[int]
) -> None:
    log.log(exchange(id="e1", user=OWNER))
    for value in votes:
        log.log_feedback("e1", OWNER, value)
        await log.flush()
    assert fetch(db, "SELECT user_ps, value FROM feedback") == [(ps(OWNER), v) for v in stored]
