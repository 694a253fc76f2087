"""Faults while the bot runs: the database deleted or made read-only, the fact folder removed, the
Bot API answering 5xx, SIGKILL in the middle of a burst. The bot keeps answering and loses no row
it could have kept.

Each scenario prints one line of figures (pytest shows them with -s or in a failure report):
answered (messages that got a reply), logged (rows in the database at the end), spilled (rows that
went to the spill file meanwhile) and lost (rows neither written nor spilled). The store-level
versions of these faults are in test_store.py; here they hit the whole running Application.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import sqlite3
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.testing.fake_bot_api import TOKEN, FakeBotAPI, running
from tests.engines import engine_of
from tests.fakes.telegram_harness import ADMIN_ID, KNOWLEDGE, BotHarness, running_bot, shared_engine
from tests.telegram.test_run import BotProcess, start_bot

pytestmark = pytest.mark.slow  # real outages, restarts and scorer runs: seconds each

QUESTIONS = [
    "When was the agreement signed?",
    "Wer hat die Vereinbarung unterzeichnet?",
    "协议是什么时候签署的？",
    "What are the four areas?",
    "Hello",
]


def figures(scenario: str, *, answered: int, logged: int, spilled: int, lost: int, **more: Any) -> None:
    """One line per scenario, the figures the issue asks for."""
    extra = "".join(f" {k}={v}" for k, v in more.items())
    print(f"\n[fault] {scenario}: answered={answered} logged={logged} spilled={spilled} lost={lost}{extra}")


async def burst(tg: BotHarness, n: int, first_user: int, *, timeout: float = 30) -> list[int]:
    """`n` users each ask one question; return their chat ids once all were handled."""
    users = list(range(first_user, first_user + n))
    for i, user in enumerate(users):
        tg.api.message(QUESTIONS[i % len(QUESTIONS)], user_id=user, lang=("en", "de", "zh")[i % 3])
    await tg.settle(timeout)
    return users


def answered_once(tg: BotHarness, users: list[int]) -> int:
    """How many of `users` got exactly one reply (the answer, not an apology)."""
    per_chat = Counter(c.params["chat_id"] for c in tg.api.sent())
    ok = [u for u in users if per_chat[u] == 1]
    assert not any(t.startswith("Sorry") for u in users for t in tg.api.texts(chat_id=u))
    return len(ok)


def db_files(db: Path) -> list[Path]:
    return [db.with_name(db.name + s) for s in ("", "-wal", "-shm")]


@contextlib.contextmanager
def immutable(*paths: Path) -> Iterator[None]:
    """Make files unwritable *for a process that already has them open*: chmod does not reach an
    open descriptor, `chattr +i` does (root only); without it the scenario cannot be staged."""
    if os.geteuid() != 0 or shutil.which("chattr") is None:
        pytest.skip("needs root and chattr +i to make open files read-only")
    present = [p for p in paths if p.exists()]
    done: list[Path] = []
    try:
        for path in present:
            result = subprocess.run(["chattr", "+i", str(path)], capture_output=True, check=False)
            if result.returncode != 0:
                pytest.skip(f"chattr +i fails here: {result.stderr!r}")
            done.append(path)
        yield
    finally:
        for path in done:
            subprocess.run(["chattr", "-i", str(path)], check=True)


def integrity(db: Path) -> str:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


def read_rows(db: Path) -> dict[str, str]:
    """id -> text of every exchange (a fresh connection each time: the bot may be writing)."""
    with contextlib.closing(sqlite3.connect(db, timeout=10)) as conn:
        return dict(conn.execute("SELECT id, text FROM exchanges"))


# ---- the database ------------------------------------------------------------------------------


async def test_database_deleted_mid_run(tmp_path: Path) -> None:
    """The log file deleted under the running bot: answers go on, a new log is started in its
    place (admins are told), every row logged after the deletion is there, none lost."""
    async with running_bot(tmp_path) as tg:
        tg.api.chat(ADMIN_ID)
        before = await burst(tg, 8, 1000)
        await tg.log.flush()
        for path in db_files(tg.settings.db_path):
            path.unlink(missing_ok=True)
        after = await burst(tg, 8, 2000)
        rows = await tg.rows()
        await tg.api.until(lambda: any("deleted" in t for t in tg.api.texts(chat_id=ADMIN_ID)))
        counts = tg.log.counts
        answered = answered_once(tg, before + after)
        figures(
            "database deleted",
            answered=answered,
            logged=len(rows),
            spilled=counts.spilled,
            lost=counts.lost,
            written=counts.written,
        )
        assert answered == 16
        assert len(rows) == 8  # the 8 rows before were deleted with the file, by the operator
        assert (counts.written, counts.lost) == (16, 0)
        assert tg.api.rejected() == []


async def test_database_read_only_mid_run(tmp_path: Path) -> None:
    """The log made read-only under the running bot: what arrives meanwhile is neither answered
    nor confirmed (the inbox cannot store it; Telegram keeps it), admins are told; once writable
    again every message is answered once and logged, nothing lost."""
    async with running_bot(tmp_path) as tg:
        tg.api.chat(ADMIN_ID)
        db = tg.settings.db_path
        before = await burst(tg, 6, 1000)
        await tg.log.flush()
        # Not the -shm: SQLite maps it into memory, and a write to an immutable mapping is SIGBUS.
        with immutable(*db_files(db)[:2]):
            first = tg.api.last_update_id + 1
            during = list(range(2000, 2010))
            for i, user in enumerate(during):
                tg.api.message(QUESTIONS[i % len(QUESTIONS)], user_id=user)
            await tg.api.until(lambda: tg.api.delivered >= first)  # fetched: the bot tries to store
            await tg.api.until(lambda: len(tg.api.texts(chat_id=ADMIN_ID)) >= 1)
            await asyncio.sleep(1.0)  # several more tries
            answered_at_fault = sum(len(tg.api.sent(chat_id=u)) for u in during)
            confirmed_at_fault = tg.api.confirmed
        after = await burst(tg, 4, 3000)
        rows = await tg.rows()
        await tg.api.until(lambda: len(tg.api.texts(chat_id=ADMIN_ID)) >= 2)
        counts = tg.log.counts
        answered = answered_once(tg, before + during + after)
        figures(
            "database read-only",
            answered=answered,
            logged=len(rows),
            spilled=counts.spilled,
            lost=counts.lost,
            answered_at_fault=answered_at_fault,
        )
        assert (answered_at_fault, confirmed_at_fault <= first) == (0, True)  # not acknowledged
        assert answered == 20
        assert (len(rows), counts.lost) == (20, 0)
        alerts = tg.api.texts(chat_id=ADMIN_ID)
        assert "cannot store" in alerts[0] and "again" in alerts[1] and "0 lost" in alerts[1]
        assert tg.api.rejected() == []


# ---- the fact base ------------------------------------------------------------------------------


async def test_knowledge_folder_removed_while_running(tmp_path: Path) -> None:
    """The fact folder removed: admins hear of it once, /reload keeps the old base, and every
    question is answered from the last good version."""
    folder = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, folder)
    async with running_bot(
        tmp_path, engine=engine_of(folder), knowledge_dir=folder, reload_debounce_s=0.1
    ) as tg:
        tg.api.chat(ADMIN_ID)
        shutil.rmtree(folder)
        await tg.api.until(lambda: bool(tg.api.texts(chat_id=ADMIN_ID)), timeout=30)
        users = await burst(tg, 10, 1000)
        [reload] = await tg.say("/reload", user_id=ADMIN_ID)
        users += await burst(tg, 5, 2000)
        rows = await tg.rows()
        counts = tg.log.counts
        answered = answered_once(tg, users)
        figures(
            "knowledge folder removed",
            answered=answered,
            logged=len(rows),
            spilled=counts.spilled,
            lost=counts.lost,
        )
        assert "NOT reloaded" in tg.api.texts(chat_id=ADMIN_ID)[0]
        assert "NOT reloaded" in str(reload.result["text"])
        for i, user in enumerate(users):
            expected = shared_engine().reply(
                QUESTIONS[i % 10 % len(QUESTIONS)], hint=("en", "de", "zh")[i % 10 % 3]
            )
            [text] = tg.api.texts(chat_id=user)
            assert text.startswith(expected.text[:30])
        assert answered == 15 and len(rows) == 16 and counts.lost == 0  # 15 questions + /reload
        assert tg.api.rejected() == []


# ---- the Bot API --------------------------------------------------------------------------------


class Outage:
    """Every request to the fake answers 502 Bad Gateway until `seconds` have passed."""

    def __init__(self, api: FakeBotAPI, seconds: float) -> None:
        self.until = time.monotonic() + seconds
        self.hits: Counter[str] = Counter()
        serve = api.handle

        def handle(method_path: str, params: Any, raw_form: Any) -> tuple[int, dict[str, Any]]:
            if time.monotonic() < self.until:
                self.hits[method_path] += 1
                return 502, {}
            return serve(method_path, params, raw_form)

        api.handle = handle  # type: ignore[method-assign]

    @property
    def left(self) -> float:
        return max(0.0, self.until - time.monotonic())


# Ten seconds of 5xx, as the issue says: longer than polling's back-off steps; the send retries
# (0.5 + 1 + 2 + 4 + 4 + 4 s) outlast it, so replies in flight are delivered afterwards.
OUTAGE_S = 10.0


async def test_bot_api_answering_5xx_for_a_while(tmp_path: Path) -> None:
    """Every Bot API call answers 502 for a few seconds: replies in flight are retried, polling
    backs off and resumes; every message, before, during and after, is answered exactly once and
    logged once."""
    async with running_bot(tmp_path) as tg:
        before = await burst(tg, 5, 1000)
        outage = Outage(tg.api, OUTAGE_S)
        during = list(range(2000, 2005))
        for i, user in enumerate(during):  # the pending long poll takes these at once
            tg.api.message(QUESTIONS[i], user_id=user)
        await asyncio.sleep(outage.left)
        after = list(range(3000, 3005))
        for i, user in enumerate(after):
            tg.api.message(QUESTIONS[i], user_id=user)
        await tg.settle(timeout=60)
        rows = await tg.rows()
        counts = tg.log.counts
        answered = answered_once(tg, before + during + after)
        figures(
            "Bot API 5xx",
            answered=answered,
            logged=len(rows),
            spilled=counts.spilled,
            lost=counts.lost,
            outage_s=OUTAGE_S,
            refused=dict(sorted(outage.hits.items())),
        )
        assert sum(outage.hits.values()) > 0
        assert answered == 15 and len(rows) == 15 and counts.lost == 0
        assert tg.api.confirmed == tg.api.last_update_id + 1
        assert tg.api.rejected() == []


# ---- SIGKILL -----------------------------------------------------------------------------------


def wait_for(predicate: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(0.02)


def ready(api: FakeBotAPI, process: BotProcess) -> None:
    polls = api.polls
    api.wait(lambda: api.polls > polls or process.proc.poll() is not None, timeout=60)
    assert process.proc.poll() is None, process.stderr


def test_sigkill_mid_burst_then_restart(tmp_path: Path) -> None:
    """SIGKILL while a burst is being answered: the database passes `PRAGMA integrity_check`, every
    committed row is intact, and the restarted bot answers new messages (and logs them)."""
    db = tmp_path / "log.sqlite3"
    env = {"TELEGRAM_BOT_TOKEN": TOKEN}
    with running() as api:
        first = start_bot(tmp_path, TELEGRAM_API_URL=api.base_url, **env)
        try:
            ready(api, first)
            for n in range(10):
                api.message(f"{QUESTIONS[n % 5]} c{n}", user_id=6000 + n)
            api.wait(lambda: len(api.sent()) >= 10, timeout=30)
            wait_for(lambda: db.exists() and len(read_rows(db)) == 10, 30, "10 committed rows")
            committed = read_rows(db)
            # The burst: 5 users, 8 questions each, every reply 0.2 s slow to send.
            api.fail("sendMessage", "slow", value=0.2, times=40)
            burst_texts = [f"{QUESTIONS[n % 5]} b{n}" for n in range(40)]
            for n, text in enumerate(burst_texts):
                api.message(text, user_id=7000 + n % 5)
            api.wait(lambda: len(api.sent()) >= 10 + 8, timeout=30)
            first.proc.send_signal(signal.SIGKILL)
            assert first.proc.wait(timeout=30) == -signal.SIGKILL
        finally:
            if first.proc.poll() is None:
                first.proc.kill()
                first.proc.wait()
        time.sleep(0.5)  # a request in flight at the kill still completes in the fake (0.2 s slow)
        answered_at_kill = len(api.sent()) - 10
        assert integrity(db) == "ok"
        at_kill = read_rows(db)
        assert {k: at_kill[k] for k in committed} == committed  # every committed row intact
        logged_at_kill = sum(1 for t in at_kill.values() if t in burst_texts)

        second = start_bot(tmp_path, TELEGRAM_API_URL=api.base_url, **env)
        try:
            ready(api, second)
            for n in range(5):
                api.message(f"{QUESTIONS[n]} r{n}", user_id=8000 + n)
            api.wait(lambda: all(api.sent(chat_id=8000 + n) for n in range(5)), timeout=60)
            api.wait(lambda: api.confirmed > api.last_update_id, timeout=30)
            assert second.stop(signal.SIGTERM) == 0, second.stderr
        finally:
            if second.proc.poll() is None:
                second.proc.kill()
                second.proc.wait()
        assert integrity(db) == "ok"
        final = read_rows(db)
        assert {k: final[k] for k in committed} == committed
        assert sum(1 for t in final.values() if t.endswith(tuple(f" r{n}" for n in range(5)))) == 5
        burst_logged = {t for t in final.values() if t in burst_texts}
        # answered/logged: the burst at the moment of the kill. lost: burst messages with no row
        # even after the restart. Since the durable inbox (tests/test_crash.py measures it) an
        # update is stored before its batch is confirmed and handled again after the restart,
        # so this figure is expected to be 0.
        answered_ever = sum(len(api.sent(chat_id=7000 + u)) for u in range(5))
        figures(
            "SIGKILL mid-burst",
            answered=answered_at_kill,
            logged=logged_at_kill,
            spilled=0,
            lost=len(burst_texts) - len(burst_logged),
            burst=len(burst_texts),
            answered_not_logged=answered_at_kill - logged_at_kill,
            never_answered=len(burst_texts) - answered_ever,
            logged_after_restart=len(burst_logged),
        )
        assert logged_at_kill <= answered_at_kill  # a row is queued only once its reply went out
        assert api.rejected() == []
