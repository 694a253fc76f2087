"""Update notices sent by the running bot against the fake Bot API: paced beside the replies,
resumed after a stop, failures counted, a superseded or half-sent old notice finished, the admin
told how far it is. (The SIGKILL of the real process: tests/test_notices_crash.py.)"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.core.engine import Engine
from bot.knowledge.loader import load
from bot.store import press as db
from bot.store.store import Store
from bot.telegram.press.notices import ask_about_changes
from bot.telegram.press.sender import CONCURRENT, answer_digest
from bot.testing.fake_bot_api import Call, FakeBotAPI
from tests.fakes.telegram_harness import ADMIN_ID, SMALL_FACTS, SMALL_NEW, SMALL_OLD, USER_ID, running_bot

pytestmark = pytest.mark.slow  # a running bot sending hundreds of paced notices: 5-21 s each

pytest_plugins = ["tests.fakes.telegram_fixtures"]

PRESS = -100_500
FIRST = 50_000  # the subscribers' chat ids
INTENT = "signing_date"
NOTICE_RATE = 20  # notices a second alone (bot.telegram.limits.notices_per_second(1))


def small_engine(tmp_path: Path) -> Engine:
    """A two-intent fact base in tmp_path/knowledge whose signing_date answer is the new one."""
    folder = tmp_path / "knowledge"
    folder.mkdir()
    (folder / "facts.yaml").write_text(SMALL_FACTS.replace(SMALL_OLD, SMALL_NEW), encoding="utf-8")
    return Engine(load(folder))


def seed(tmp_path: Path, n: int, *, seen: str = "told-the-old-answer") -> list[int]:
    """`n` subscribers of signing_date (chat ids from FIRST), told of an older answer."""
    conn = Store.sqlite(tmp_path / "log.sqlite3").connect()
    now = datetime.now(UTC)
    chats = [FIRST + k for k in range(n)]
    try:
        for chat in chats:
            db.subscribe(
                conn, user_ps=f"ps-{chat}", intent=INTENT, chat_id=chat, lang=("en", "de", "zh")[chat % 3],
                digest=seen, now=now, days=30,
            )  # fmt: skip
    finally:
        conn.close()
    return chats


def confirm_in_store(tmp_path: Path, digest: str, *, admin: int | None = ADMIN_ID, plan: bool) -> int:
    """A notice Send was tapped on, as a run stopped before its first send leaves it."""
    conn = Store.sqlite(tmp_path / "log.sqlite3").connect()
    try:
        notice = db.ask_notice(conn, INTENT, digest, datetime.now(UTC))
        assert notice is not None
        db.resolve_notice(conn, notice, "sent", admin_chat_id=admin)
        if plan:
            engine = Engine(load(tmp_path / "knowledge"))
            intent = engine.kb.get(INTENT)
            assert intent is not None
            digests = {lang: db.answer_hash(intent.answer[lang]) for lang in ("de", "en", "zh")}
            db.plan_deliveries(conn, notice, digests, datetime.now(UTC))
        return notice
    finally:
        conn.close()


def told(api: FakeBotAPI, chats: Sequence[int]) -> Counter[int]:
    """Update notices each subscriber received."""
    wanted = set(chats)
    return Counter(c.params["chat_id"] for c in api.sent() if c.params["chat_id"] in wanted)


def admin_texts(api: FakeBotAPI) -> list[str]:
    return [str(c.result["text"]) for c in api.calls() if c.params.get("chat_id") == ADMIN_ID and c.result]


def prompts(api: FakeBotAPI) -> list[str]:
    """The admins' "answer changed, notify?" prompts so far."""
    return [t for t in admin_texts(api) if t.startswith("The answer of signing_date changed")]


def most_in_one_second(calls: Sequence[Call]) -> int:
    """The most calls in any one-second window (half open, starting at a call)."""
    times = sorted(c.at for c in calls)
    most, j = 0, 0
    for i, start in enumerate(times):
        j = max(j, i)
        while j < len(times) and times[j] < start + 1.0:
            j += 1
        most = max(most, j - i)
    return most


def press_bot(tmp_path: Path, api: FakeBotAPI, **overrides: Any) -> Any:
    folder = tmp_path / "knowledge"
    return running_bot(
        tmp_path, engine=Engine(load(folder)), knowledge_dir=folder, press_chat_id=PRESS, api=api, **overrides
    )


def send_button(prompt: Call) -> str:
    markup = prompt.params["reply_markup"]["inline_keyboard"]
    [data] = [b["callback_data"] for row in markup for b in row if b["text"] == "Send"]
    return str(data)


async def test_a_notice_stopped_midway_resumes_after_a_restart_and_tells_each_once(tmp_path: Path) -> None:
    """Send, a stop after about a third, a restart: the rest are told (each subscriber once), the
    admin hears of the resume and of the end; the prompt showed the progress."""
    small_engine(tmp_path)
    chats = seed(tmp_path, 90)
    with FakeBotAPI() as api:
        for chat in (*chats, ADMIN_ID):
            api.chat(chat)
        async with press_bot(tmp_path, api) as tg:
            assert await ask_about_changes(tg.app.bot, tg.runtime) == 1
            [prompt] = api.sent(ADMIN_ID)
            assert "Notify 90 subscriber(s)" in str(prompt.result["text"])
            await tg.tap(prompt, send_button(prompt), user_id=ADMIN_ID)
            await api.until(lambda: sum(told(api, chats).values()) >= 30, 20)
        at_stop = sum(told(api, chats).values())
        async with press_bot(tmp_path, api):
            await api.until(lambda: any("done" in t for t in admin_texts(api)), 30)
        per_chat = told(api, chats)
        rejected = api.rejected()
    assert 30 <= at_stop < 90
    assert (len(per_chat), max(per_chat.values())) == (90, 1)  # everyone, once (a clean stop)
    texts = admin_texts(api)
    assert any(
        f"resumes: {at_stop} of 90 subscriber(s) told before, {90 - at_stop} to go" in t for t in texts
    )
    assert texts[-1].startswith("Update of signing_date done: 90 of 90 subscriber(s) told, 0 could not")
    assert any(t.startswith("Sending the update of signing_date: ") for t in texts)  # a milestone
    assert rejected == []


async def test_failures_and_unsubscribes_are_counted_and_told(tmp_path: Path) -> None:
    """A notice resumed from the store: a blocked subscriber and one whose chat is gone count as
    not reached, one who unsubscribed and one told of this answer since are no longer waiting."""
    engine = small_engine(tmp_path)
    chats = seed(tmp_path, 7)
    confirm_in_store(tmp_path, answer_digest(engine, INTENT) or "", plan=True)
    intent = engine.kb.get(INTENT)
    assert intent is not None
    conn = Store.sqlite(tmp_path / "log.sqlite3").connect()
    try:
        db.unsubscribe(conn, f"ps-{chats[0]}")
        lang = ("en", "de", "zh")[chats[1] % 3]
        current = db.answer_hash(intent.answer[lang])  # "notify me" tapped on the new answer
        db.subscribe(
            conn, user_ps=f"ps-{chats[1]}", intent=INTENT, chat_id=chats[1], lang=lang, digest=current,
            now=datetime.now(UTC), days=30,
        )  # fmt: skip
    finally:
        conn.close()
    with FakeBotAPI() as api:
        for chat in (*chats[:-1], ADMIN_ID):  # the last one's chat is gone
            api.chat(chat)
        api.fail("sendMessage", "403", chat_id=chats[2], times=5)  # blocked the bot
        async with press_bot(tmp_path, api):
            await api.until(lambda: any("done" in t for t in admin_texts(api)), 20)
        per_chat = told(api, chats)
    assert sorted(per_chat) == chats[3:6]
    resumed, done = admin_texts(api)[-2:]
    assert "resumes: 0 of 7 subscriber(s) told before, 7 to go" in resumed
    assert done == (
        "Update of signing_date done: 3 of 7 subscriber(s) told, 2 could not be reached, "
        "2 no longer waiting for it."
    )


async def test_a_notice_whose_answer_changed_again_stops_and_tells_nobody(tmp_path: Path) -> None:
    """Send was tapped on an answer the fact base no longer has: nobody is told that one; the
    admin hears it stopped (the newer change is asked about anew)."""
    small_engine(tmp_path)
    chats = seed(tmp_path, 3)
    notice = confirm_in_store(tmp_path, "an-older-new-answer", plan=False)
    with FakeBotAPI() as api:
        for chat in (*chats, ADMIN_ID):
            api.chat(chat)
        async with press_bot(tmp_path, api):
            await api.until(lambda: any("stopped" in t for t in admin_texts(api)), 20)
    assert told(api, chats) == Counter()
    conn = Store.sqlite(tmp_path / "log.sqlite3").connect()
    try:
        assert db.unfinished_notices(conn) == []
        assert db.notice_progress(conn, notice) == db.Progress(total=0)
    finally:
        conn.close()


async def test_a_notice_the_old_code_left_half_sent_is_finished_and_every_admin_told(tmp_path: Path) -> None:
    """A notice from before deliveries (no admin, nothing planned) is planned and sent at start;
    with no admin on record, every admin hears the end."""
    engine = small_engine(tmp_path)
    chats = seed(tmp_path, 4)
    confirm_in_store(tmp_path, answer_digest(engine, INTENT) or "", admin=None, plan=False)
    other_admin = 901
    with FakeBotAPI() as api:
        for chat in (*chats, ADMIN_ID, other_admin):
            api.chat(chat)
        async with press_bot(tmp_path, api, admin_ids=frozenset({ADMIN_ID, other_admin})):
            await api.until(lambda: len([c for c in api.sent() if "done" in str(c.result["text"])]) == 2, 20)
    assert told(api, chats) == Counter(dict.fromkeys(chats, 1))
    finals = {c.params["chat_id"] for c in api.sent() if "done: 4 of 4" in str(c.result["text"])}
    assert finals == {ADMIN_ID, other_admin}


async def test_a_notice_is_paced_and_replies_and_admin_commands_are_answered_meanwhile(
    tmp_path: Path,
) -> None:
    """While 120 subscribers are told (at most 20 a second, at most 30 messages of the bot in any
    second), a user's question and the admin's /stats are answered at once."""
    small_engine(tmp_path)
    chats = seed(tmp_path, 120)
    with FakeBotAPI() as api:
        for chat in (*chats, ADMIN_ID, USER_ID):
            api.chat(chat)
        async with press_bot(tmp_path, api) as tg:
            await ask_about_changes(tg.app.bot, tg.runtime)
            [prompt] = api.sent(ADMIN_ID)
            await tg.tap(prompt, send_button(prompt), user_id=ADMIN_ID)
            await api.until(lambda: sum(told(api, chats).values()) >= 20, 20)
            waits = []
            for text, user in (("When was the agreement signed?", USER_ID), ("/stats", ADMIN_ID)):
                started = time.monotonic()
                [reply] = await tg.say(text, user_id=user)
                waits.append(time.monotonic() - started)
                assert reply.ok
            during = sum(told(api, chats).values())
            await api.until(lambda: any("done" in t for t in admin_texts(api)), 30)
        notices = [c for c in api.sent() if c.params["chat_id"] in set(chats)]
        everything = [c for c in api.calls() if c.method in ("sendMessage", "editMessageText")]
    assert during < 120  # the replies came while the notice was being sent
    assert max(waits) < 1.5, waits
    # Paced at 20 a second; the few in flight may arrive bunched after waiting behind a reply.
    assert most_in_one_second(notices) <= NOTICE_RATE + CONCURRENT
    assert most_in_one_second(everything) <= 30


async def test_a_reload_that_changes_the_answer_again_stops_the_notice_midway(tmp_path: Path) -> None:
    """The English answer changes again while its notice is sent: the notice stops after the
    batch in hand; the admins are asked about the newer answer, and its notice completes the
    rest: in the end each subscriber heard their answer as it is now, and none the same one twice."""
    small_engine(tmp_path)
    chats = seed(tmp_path, 150)
    with FakeBotAPI() as api:
        for chat in (*chats, ADMIN_ID):
            api.chat(chat)
        async with press_bot(tmp_path, api) as tg:
            await ask_about_changes(tg.app.bot, tg.runtime)
            [prompt] = api.sent(ADMIN_ID)
            await tg.tap(prompt, send_button(prompt), user_id=ADMIN_ID)
            await api.until(lambda: sum(told(api, chats).values()) >= 10, 20)
            facts = tmp_path / "knowledge" / "facts.yaml"
            facts.write_text(
                facts.read_text(encoding="utf-8").replace("20 June", "21 June"), encoding="utf-8"
            )
            await tg.runtime.holder.reload_async()
            await api.until(lambda: any("stopped" in t for t in admin_texts(api)), 20)
            stopped = sum(told(api, chats).values())
            await ask_about_changes(tg.app.bot, tg.runtime)  # unless the watcher's reload did
            await api.until(lambda: len(prompts(api)) == 2, 20)
            newer = next(c for c in api.sent(ADMIN_ID) if str(c.result["text"]) == prompts(api)[1])
            await tg.tap(newer, send_button(newer), user_id=ADMIN_ID)
            await api.until(lambda: any("done" in t for t in admin_texts(api)), 20)
    assert stopped < 150
    assert f"({stopped} of 150 told)" in next(t for t in admin_texts(api) if "stopped" in t)
    texts: dict[int, list[str]] = {c: [] for c in chats}
    for call in api.sent():
        if call.params["chat_id"] in texts:
            texts[call.params["chat_id"]].append(str(call.result["text"]))
    for chat, heard in texts.items():
        assert heard and len(heard) == len(set(heard)), (chat, heard)  # told, never the same twice
        if chat % 3 == 0:  # English: the newest answer last
            assert "21 June" in heard[-1], heard
        else:
            assert len(heard) == 1, heard
