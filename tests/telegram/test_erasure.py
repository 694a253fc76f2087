"""/forget through the real application and the fake Bot API: nothing of the user is left in any
table or file, the press office's group no longer shows their ticket; and a database that was
handed to another owner makes hand-off and /forget fail politely, with one alert to the admins."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.store.pseudonym import pseudonymise
from bot.testing.bot_api_rules import parse_html
from bot.testing.fake_bot_api import Call
from tests.fakes.telegram_harness import ADMIN_ID, USER_ID, BotHarness
from tests.telegram.test_press import PRESS, UNKNOWN, ask_and_hand_off, button, press_bot

SECRET = "ZEBRA7741"  # in every question of the user: must vanish from every file
KEPT = "OKAPI3390"  # in another user's question: must stay (proves the search looks)
OTHER_ID = 2002


def every_row(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table of the database (whatever the migrations added)."""
    with contextlib.closing(sqlite3.connect(db)) as conn:
        tables = [t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: list(conn.execute(f"SELECT * FROM {t}")) for t in tables}


def holding(db: Path, needle: str) -> list[str]:
    """The tables with a row holding `needle` in any column."""
    return [t for t, rows in every_row(db).items() if any(needle in str(v) for r in rows for v in r)]


def file_bytes(db: Path) -> bytes:
    """The database, its WAL and shared memory, and the spill files beside it."""
    return b"".join(p.read_bytes() for p in db.parent.iterdir() if p.name.startswith(db.name) and p.is_file())


def pseudonym(user_id: int) -> str:
    found = pseudonymise(b"test-key", "telegram", user_id)
    assert found is not None
    return found


async def test_forget_leaves_nothing_of_the_user_and_edits_the_ticket_in_the_press_group(
    tmp_path: Path,
) -> None:
    """A user with exchanges, a vote, a /lang pin, a subscription, a ticket in the staff group
    and inbox rows sends /forget: no table holds a row of theirs (inbox included), the text is
    gone from the database, WAL and spill files, the ticket's message in the group says the data
    was erased (no question, no buttons); another user's rows stay."""
    async with press_bot(tmp_path) as tg:
        tg.api.chat(PRESS, "supergroup")
        ticket, _ = await ask_and_hand_off(tg, f"{UNKNOWN} {SECRET}")
        [answer] = await tg.say(f"When was the agreement signed? {SECRET}")
        await tg.tap(answer, col=0)  # 👍
        await tg.tap(answer, button(answer, "Notify me"))
        await tg.say("/lang en")
        await tg.say(f"Who signed the agreement? {KEPT}", user_id=OTHER_ID)
        db = tg.settings.db_path
        await tg.log.flush()
        mine = pseudonym(USER_ID)
        assert {"exchanges", "feedback", "press_tickets", "inbox"} <= set(holding(db, mine))
        assert SECRET.encode() in file_bytes(db)  # else the checks below prove nothing

        [prompt] = await tg.say("/forget")
        calls = await tg.tap(prompt, button(prompt, "Yes"))

        assert any("entries erased" in parse_html(c.params.get("text", "")) for c in calls)
        [edit] = [c for c in calls if c.params.get("chat_id") == PRESS]
        assert edit.method == "editMessageText" and edit.params["message_id"] == ticket.result["message_id"]
        now = tg.api.bot_message(edit)  # the message as the group sees it now
        assert "Ticket #1" in now["text"] and "erased" in now["text"]
        assert SECRET not in now["text"] and UNKNOWN not in now["text"] and "reply_markup" not in now
        await tg.log.flush()
        assert holding(db, mine) == []
        assert holding(db, SECRET) == []
        assert holding(db, KEPT) == ["exchanges"]
        assert SECRET.encode() not in file_bytes(db) and KEPT.encode() in file_bytes(db)
        wal = db.with_name(db.name + "-wal")
        assert not wal.exists() or SECRET.encode() not in wal.read_bytes()
        assert [c for c in tg.api.sent(ADMIN_ID)] == []  # nothing went wrong
        assert tg.api.rejected() == []


async def test_a_ticket_message_that_cannot_be_edited_is_named_to_the_admins(tmp_path: Path) -> None:
    """The bot was removed from the press group (403 on the edit): the erasure still completes,
    and the admins learn which message to delete by hand (its id, nothing of the user)."""
    async with press_bot(tmp_path) as tg:
        tg.api.chat(PRESS, "supergroup")
        tg.api.chat(ADMIN_ID)
        ticket, _ = await ask_and_hand_off(tg, f"{UNKNOWN} {SECRET}")
        tg.api.fail("editMessageText", "403", chat_id=PRESS)
        calls = await forget(tg)
        assert any("entries erased" in parse_html(c.params.get("text", "")) for c in calls)
        [alert] = [str(c.result["text"]) for c in tg.api.sent(ADMIN_ID)]
        assert f"message ids {ticket.result['message_id']}" in alert and "delete them" in alert
        assert SECRET not in alert and UNKNOWN not in alert
        assert holding(tg.settings.db_path, pseudonym(USER_ID)) == []


# ---- a database handed to another owner -------------------------------------------------------


@contextlib.contextmanager
def unwritable(db: Path, what: str) -> Iterator[None]:
    """The database's files (the database, its WAL and shared memory) or its folder no longer
    writable by the bot's user, as after a `chown` to another owner; put back afterwards. Owner
    read-only (0o400, 0o500), not 0o444: the store tightens a log readable by others back to 0o600
    when it opens it, which it can do as the owner (after a real `chown` it cannot)."""
    files = [p for p in db.parent.iterdir() if p.name.startswith(db.name) and p.is_file()]
    targets = {p: 0o400 for p in files} if what == "files" else {db.parent: 0o500}
    modes = {p: p.stat().st_mode for p in targets}
    for path, mode in targets.items():
        path.chmod(mode)
    try:
        yield
    finally:
        for path, mode in modes.items():
            path.chmod(mode)


def admin_alerts(tg: BotHarness) -> list[str]:
    return [str(c.result["text"]) for c in tg.api.sent(ADMIN_ID)]


async def hand_off(tg: BotHarness) -> list[Call]:
    [reply] = await tg.say(UNKNOWN)
    calls = await tg.tap(reply, button(reply, "press office"))
    [prompt] = [c for c in calls if c.method == "sendMessage"]
    return await tg.tap(prompt, button(prompt, "Send"))


async def forget(tg: BotHarness) -> list[Call]:
    [prompt] = await tg.say("/forget")
    return await tg.tap(prompt, button(prompt, "Yes"))


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0,
    reason="root ignores file modes, so chmod cannot take the database away (run as another user)",
)
@pytest.mark.parametrize(
    ("action", "what", "polite"),
    [
        pytest.param(hand_off, "files", "cannot be reached just now", id="hand-off-files"),
        pytest.param(forget, "files", "Erasing is not possible right now", id="forget-files"),
        # The spill file is rewritten beside the database: a folder not the bot's stops the
        # erasure (a hand-off creates no file: it works).
        pytest.param(forget, "folder", "Erasing is not possible right now", id="forget-folder"),
    ],
)
async def test_a_database_handed_to_another_owner_fails_politely_with_one_admin_alert(
    tmp_path: Path, action: object, what: str, polite: str
) -> None:
    """The database's file or folder no longer the bot's to write: the user is told to try
    later, the admins are told once (twice the same failure: still one alert), nothing is erased
    or posted; once the owner is put back the same action works."""
    assert callable(action)
    async with press_bot(tmp_path) as tg:
        tg.api.chat(PRESS, "supergroup")
        tg.api.chat(ADMIN_ID)
        await tg.say("When was the agreement signed?")
        await tg.log.flush()
        with unwritable(tg.settings.db_path, what):
            for _ in range(2):
                calls = await action(tg)
                told = [c.params.get("text", "") for c in calls if c.params.get("chat_id") != ADMIN_ID]
                assert any(polite in parse_html(str(t)) for t in told), told
            alerts = admin_alerts(tg)
            assert tg.api.sent(PRESS) == []
        assert len(alerts) == 1, alerts
        assert "permission denied" in alerts[0].lower() or "read-only" in alerts[0], alerts
        assert str(USER_ID) not in alerts[0] and "agreement" not in alerts[0]  # no user content
        assert "When was the agreement signed?" in [r["text"] for r in await tg.rows()]  # all kept
        calls = await action(tg)  # the owner put back: the same request goes through
        done = [parse_html(str(c.params.get("text", ""))) for c in calls]
        assert any("went to the press office" in t or "entries erased" in t for t in done), done
        assert len(admin_alerts(tg)) == 1
