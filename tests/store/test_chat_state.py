"""The chat state replicas share (bot.store.chat_state) on both backends, same assertions: the
flood window counted in one statement (also by concurrent callers), follow-up contexts kept per
chat (per member in groups) and forgotten when stale, rows erased by /forget and by retention,
no raw id in the table.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.core.context import ChatContext
from bot.store.chat_state import SharedChatState, decode_context, encode_context, open_chat_state
from bot.store.contract import AsyncConnection, Connection
from bot.store.forget import erase_user
from bot.store.pseudonym import pseudonymise
from bot.store.retention import cutoff, purge_rows
from tests.store.test_backends import MakeStore, address, make_store, store_at

pytest_plugins = ["tests.fakes.postgres"]
__all__ = ["address", "make_store"]  # the fixtures: one empty database per backend

KEY = b"chat-state-test-key"
T = 1_780_000_000.0  # epoch seconds, well within today's doubles
USER, OTHER, GROUP = 4242, 4343, -100777


@pytest.fixture
async def db(make_store: MakeStore) -> AsyncIterator[AsyncConnection]:
    conn = await make_store().connect_async()
    try:
        yield conn
    finally:
        await conn.close()


@pytest.fixture
def state(db: AsyncConnection) -> SharedChatState:
    return SharedChatState(db, KEY, ttl=600.0)


@contextmanager
def plain(make_store: MakeStore) -> Iterator[Connection]:
    """The plain connection erasure and retention run on."""
    conn = make_store().connect()
    try:
        yield conn
    finally:
        conn.close()


def ctx(intent: str, at: float) -> ChatContext:
    return ChatContext(intent, "Who is Xiao Song?", ("Xiao Song", "肖松"), at)


@pytest.mark.parametrize(
    ("offsets", "counts"),
    [
        pytest.param([0, 1, 2], [1, 2, 3], id="one-window-counts-up"),
        # 59.9 s after the window opened is still inside it; 60 s is a new window.
        pytest.param([0, 59.9, 60.0, 61], [1, 2, 1, 2], id="window-edge"),
        pytest.param([0, 500], [1, 1], id="idle-user-starts-afresh"),
        # Another replica's clock a little behind: the update still counts in the open window.
        pytest.param([0, -0.5, 1], [1, 2, 3], id="skewed-clock"),
    ],
)
async def test_flood_window_counts_updates(
    state: SharedChatState, offsets: list[float], counts: list[int]
) -> None:
    """Each update returns how many the user sent in the current 60-second window."""
    assert [await state.count_update(USER, T + o, 60.0) for o in offsets] == counts


async def test_flood_windows_are_per_user(state: SharedChatState) -> None:
    """One user's flood does not count against another."""
    for _ in range(5):
        await state.count_update(USER, T, 60.0)
    assert await state.count_update(OTHER, T, 60.0) == 1


async def test_concurrent_counts_lose_nothing(make_store: MakeStore, state: SharedChatState) -> None:
    """Two connections (two replicas) counting at once: every update counted exactly once."""
    second_db = await make_store().connect_async()
    try:
        second = SharedChatState(second_db, KEY)
        counts = await asyncio.gather(
            *(s.count_update(USER, T + n / 100, 60.0) for n in range(20) for s in (state, second))
        )
    finally:
        await second_db.close()
    assert sorted(counts) == list(range(1, 41))


@pytest.mark.parametrize(
    ("member", "read_as", "found"),
    [
        pytest.param(None, None, True, id="private-chat"),
        pytest.param(USER, USER, True, id="group-member"),
        # In a group each member has their own conversation.
        pytest.param(USER, OTHER, False, id="group-other-member"),
        pytest.param(USER, None, False, id="group-whole-chat"),
    ],
)
async def test_context_is_kept_per_chat_and_member(
    state: SharedChatState, member: int | None, read_as: int | None, found: bool
) -> None:
    chat = USER if member is None else GROUP
    await state.remember(chat, member, USER, ctx("xiao_song", T))
    expected = ctx("xiao_song", T) if found else None
    assert await state.context(chat, read_as, T + 1) == expected


async def test_context_expires_and_is_replaced(state: SharedChatState) -> None:
    """A context older than the TTL is not used; a new answer replaces it; None keeps it."""
    await state.remember(USER, None, USER, ctx("xiao_song", T))
    assert await state.context(USER, None, T + 600.0) == ctx("xiao_song", T)
    assert await state.context(USER, None, T + 600.5) is None
    await state.remember(USER, None, USER, ctx("signing_date", T + 700))
    await state.remember(USER, None, USER, None)
    assert await state.context(USER, None, T + 701) == ctx("signing_date", T + 700)


async def test_context_and_flood_window_share_the_private_row(state: SharedChatState) -> None:
    """Counting updates does not touch the context, and storing a context does not reset the count."""
    await state.count_update(USER, T, 60.0)
    await state.remember(USER, None, USER, ctx("xiao_song", T))
    assert await state.count_update(USER, T + 1, 60.0) == 2
    assert await state.context(USER, None, T + 2) == ctx("xiao_song", T)


async def test_no_raw_ids_and_erased_by_forget(make_store: MakeStore, state: SharedChatState) -> None:
    """Rows hold pseudonyms only; /forget erases every row of the user (group rows too)."""
    await state.count_update(USER, T, 60.0)
    await state.remember(GROUP, USER, USER, ctx("xiao_song", T))
    await state.count_update(OTHER, T, 60.0)
    with plain(make_store) as conn:
        rows = [tuple(r) for r in conn.execute("SELECT key_ps, user_ps, context FROM chat_state")]
        assert len(rows) == 3
        assert not any(str(USER) in str(value) or str(GROUP) in str(value) for row in rows for value in row)
        user_ps = pseudonymise(KEY, "telegram", USER)
        assert user_ps is not None
        assert erase_user(conn, user_ps, None).erased == 2
        left = [tuple(r) for r in conn.execute("SELECT user_ps FROM chat_state")]
        assert left == [(pseudonymise(KEY, "telegram", OTHER),)]


async def test_retention_purges_old_rows(make_store: MakeStore, state: SharedChatState) -> None:
    """Rows not touched within the retention period go with the old exchanges."""
    now = datetime.fromtimestamp(T, UTC)
    await state.count_update(USER, (now - timedelta(days=200)).timestamp(), 60.0)
    await state.count_update(OTHER, (now - timedelta(days=10)).timestamp(), 60.0)
    with plain(make_store) as conn:
        assert purge_rows(conn, cutoff(now, 180)) == 1
        left = [tuple(r) for r in conn.execute("SELECT user_ps FROM chat_state")]
        assert left == [(pseudonymise(KEY, "telegram", OTHER),)]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(None, id="none"),
        pytest.param("", id="empty"),
        pytest.param("{not json", id="broken"),
        pytest.param('{"intent": "x"}', id="missing-fields"),
        pytest.param("[1, 2]", id="not-an-object"),
    ],
)
def test_unreadable_context_counts_as_none(text: str | None) -> None:
    assert decode_context(text) is None


@pytest.mark.parametrize(
    "found",
    [
        pytest.param(ChatContext("xiao_song", "肖松是谁？", ("肖松", "Xiao Song"), T + 0.25), id="plain"),
        # What the conversation's moves need: the people of a list answer, the one in focus, the
        # turns before ("the second one", "the date you mentioned before").
        pytest.param(
            ChatContext(
                "person_b", "第二位呢？", ("B",), T, ("A 甲", "B 乙"), "B 乙", ("signatories", "signing_date")
            ),
            id="with-moves",
        ),
        pytest.param(
            ChatContext(
                "person_b", "Und der andere?", ("B",), T, (), "B 乙", ("person_a",), ("A 甲", "B 乙")
            ),
            id="with-subjects",
        ),
        pytest.param(
            ChatContext("person_b", "thx", ("B",), T, (), "B 乙", (), ("B 乙",), "de"), id="with-language"
        ),
    ],
)
def test_context_json_round_trip(found: ChatContext) -> None:
    """Entities in any script, the time and the conversation's memory survive the JSON."""
    assert decode_context(encode_context(found)) == found


def test_a_context_stored_before_the_moves_still_reads() -> None:
    """A row written by an older version (no people, focus or earlier turns) is read with none."""
    old = '{"intent": "x", "question": "q", "entities": ["e"], "at": 1.5}'
    assert decode_context(old) == ChatContext("x", "q", ("e",), 1.5)


async def test_sqlite_keeps_state_in_memory(tmp_path: Path) -> None:
    """On a SQLite file there is no shared state: the process keeps its own (None here)."""
    assert await open_chat_state(store_at(str(tmp_path / "log.db")), KEY) is None
