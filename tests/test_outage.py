"""A PostgreSQL outage under the real process (`python run.py` against the fake Bot API and a
PostgreSQL server of its own, stopped and started again mid-burst): the bot is not restarted,
every update is answered (at most 1 % twice) and logged once the server is back, each chat in
order, admins hear of the outage and of the recovery; an update the inbox could not store is
never acknowledged (polling holds its offset, the webhook answers 503), so Telegram's retries of
it get one reply. Also two poisoned webhook bodies, after which the log still works.

Each probe prints one line of figures (`-s`). OUTAGE_S (default 5 s) is how long the server is
down; `BOT_TEST_OUTAGE_S=20` runs the issue's 20 s by hand. Skips with the reason when the
PostgreSQL binaries (initdb, pg_ctl) are missing: the test stops and starts a server of its own.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from bot.testing.fake_bot_api import TOKEN, FakeBotAPI, running
from bot.testing.postgres import PostgresServer, find_bin
from tests.telegram.test_run import BotProcess, start_bot, start_webhook_bot

pytestmark = pytest.mark.slow

OUTAGE_S = float(os.environ.get("BOT_TEST_OUTAGE_S", "5"))
KEY = "outage-test-pseudonym-key"
SECRET = "outage-hook-secret"
ADMIN = 4242
QUESTIONS = [
    "When was the agreement signed?",
    "Wer hat die Vereinbarung unterzeichnet?",
    "协议是什么时候签署的？",
    "What are the four areas?",
    "Who signed the agreement?",
]


@pytest.fixture
def server() -> Iterator[PostgresServer]:
    """A PostgreSQL server of this test's own (it is stopped and started again)."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("outage tests skipped: psycopg is not installed (pip install 'psycopg[binary]')")
    bin_dir = find_bin()
    if bin_dir is None:
        pytest.skip(
            "outage tests skipped: they stop and start a PostgreSQL server of their own, and "
            "initdb/pg_ctl were not found (apt install postgresql, or set PG_BIN)"
        )
    folder = Path(tempfile.mkdtemp(prefix="bot-pg-outage-"))
    pg = PostgresServer(folder, bin_dir)
    try:
        pg.start()
    except Exception as exc:
        pg.stop()
        shutil.rmtree(folder, ignore_errors=True)
        pytest.skip(f"outage tests skipped: PostgreSQL could not be started ({exc})")
    pg.stop_when_gone(os.getpid())
    try:
        yield pg
    finally:
        pg.stop()
        shutil.rmtree(folder, ignore_errors=True)


def env(pg: PostgresServer) -> dict[str, str]:
    return {"BOT_DB_URL": pg.url, "BOT_PSEUDONYM_KEY": KEY, "BOT_ADMIN_IDS": str(ADMIN)}


def figures(probe: str, **values: object) -> None:
    print(f"\n[outage] {probe}: " + " ".join(f"{k}={v}" for k, v in values.items()))


def logged(url: str) -> Counter[str]:
    """How often each message text is in the shared log."""
    import psycopg

    with psycopg.connect(url) as conn:
        return Counter(t for (t,) in conn.execute("SELECT text FROM exchanges WHERE kind = 'message'"))


def inbox_states(url: str) -> Counter[str]:
    import psycopg

    with psycopg.connect(url) as conn:
        return Counter(
            {s: int(n) for s, n in conn.execute("SELECT state, count(*) FROM inbox GROUP BY state")}
        )


def questions(first_user: int, users: int, per_user: int, tag: str) -> list[tuple[int, str]]:
    """(chat, text) of `users` users asking `per_user` distinct questions each, round robin."""
    return [
        (first_user + u, f"{QUESTIONS[(n + u) % len(QUESTIONS)]} ({tag}{u}-{n})")
        for n in range(per_user)
        for u in range(users)
    ]


def admin_notes(api: FakeBotAPI) -> list[str]:
    return [str(t) for t in api.texts(chat_id=ADMIN)]


def all_replied(api: FakeBotAPI, asked: dict[int, list[str]]) -> bool:
    """Every chat has as many replies as it asked questions (one pass over the calls: the fake
    calls this at every call it records)."""
    per_chat = Counter(c.params["chat_id"] for c in api.sent())
    return all(per_chat[c] >= len(t) for c, t in asked.items())


def settle(api: FakeBotAPI, asked: dict[int, list[str]], timeout: float) -> None:
    """Wait until every chat has all its replies (or `timeout`), then a moment for extras."""
    with contextlib.suppress(AssertionError):
        api.wait(lambda: all_replied(api, asked), timeout=timeout)
    time.sleep(1.0)


def tally(api: FakeBotAPI, url: str, asked: dict[int, list[str]]) -> dict[str, int]:
    """answered / unanswered / twice / unlogged / out-of-order figures for `asked`."""
    per_chat = Counter(int(c.params["chat_id"]) for c in api.sent() if c.params["chat_id"] != ADMIN)
    texts = logged(url)
    total = sum(len(t) for t in asked.values())
    return {
        "updates": total,
        "answered": sum(min(per_chat[c], len(t)) for c, t in asked.items()),
        "unanswered": sum(max(0, len(t) - per_chat[c]) for c, t in asked.items()),
        "twice": sum(max(0, per_chat[c] - len(t)) for c, t in asked.items()),
        "unlogged": sum(1 for t in asked.values() for q in t if not texts[q]),
        "logged_twice": sum(1 for t in asked.values() for q in t if texts[q] > 1),
    }


@contextlib.contextmanager
def killed_at_end(process: BotProcess) -> Iterator[BotProcess]:
    try:
        yield process
    finally:
        if process.proc.poll() is None:
            process.proc.kill()
            process.proc.wait()


def test_polling_outage_mid_burst_heals_without_a_restart(server: PostgresServer, tmp_path: Path) -> None:
    """Polling, 300 messages from 60 users; the server is stopped after 60 replies for OUTAGE_S,
    then 60 more messages come once it is back: every message answered (at most 1 % twice) and
    logged, no restart, admins told of the outage and of the recovery."""
    with running() as api:
        api.chat(ADMIN)
        process = start_bot(tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_URL=api.base_url, **env(server))
        with killed_at_end(process):
            api.wait(lambda: api.polls > 0 or process.proc.poll() is not None, timeout=60)
            assert process.proc.poll() is None, process.stderr
            asked: dict[int, list[str]] = {}
            for chat, text in questions(60_000, 60, 5, "p"):
                api.message(text, user_id=chat)
                asked.setdefault(chat, []).append(text)
            api.wait(lambda: len(api.sent()) >= 60, timeout=60)
            server.stop()
            down_at = len(api.sent())
            time.sleep(OUTAGE_S)
            server.resume()
            for chat, text in questions(60_000, 60, 1, "after"):
                api.message(text, user_id=chat)
                asked[chat].append(text)
            settle(api, asked, timeout=90 + OUTAGE_S)
            alive = process.proc.poll() is None
            assert process.stop(signal.SIGTERM, timeout=30) == 0, process.stderr
        assert api.rejected() == []
        notes = admin_notes(api)
    counts = tally(api, server.url, asked)
    states = inbox_states(server.url)
    figures(
        f"polling, server down {OUTAGE_S:.0f} s",
        answered_at_stop=down_at,
        **counts,
        unfinished=states["pending"] + states["sent"],
        admin_messages=len(notes),
        notes=notes,
    )
    assert alive
    assert (counts["unanswered"], counts["unlogged"]) == (0, 0)
    assert counts["twice"] <= counts["updates"] // 100
    assert any("cannot" in n for n in notes) and any("again" in n for n in notes)


# One HTTP client for every POST of this file (thread-safe, keep-alive as Telegram's): a client of
# its own per request, as `httpx.post` makes, builds a TLS context each time, 25 ms of CPU, which
# was most of what the webhook burst cost the test process.
POSTER = httpx.Client(timeout=30)


@pytest.fixture(scope="module", autouse=True)
def _close_poster() -> Iterator[None]:
    yield
    POSTER.close()


def post_until_stored(url: str, update: dict[str, object], codes: list[int], deadline: float) -> None:
    """POST `update` as Telegram does: again (after a short wait) until it is answered 200."""
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    while time.monotonic() < deadline:
        try:
            code = POSTER.post(url, json=update, headers=headers).status_code
        except httpx.TransportError:
            code = 0
        codes.append(code)
        if code == 200:
            return
        time.sleep(0.5)


def test_webhook_outage_mid_burst_heals_without_a_restart(server: PostgresServer, tmp_path: Path) -> None:
    """Webhook, 300 updates from 60 users posted 8 at a time, each again until it gets 200; the
    server is stopped after 60 replies for OUTAGE_S: what the inbox could not store is answered
    503 (never 200), everything is answered (at most 1 % twice) and logged, no restart, admins
    told of the outage and of the recovery."""
    with running() as api:
        api.chat(ADMIN)
        process, url = start_webhook_bot(tmp_path, api, "/hook", SECRET, **env(server))
        with killed_at_end(process):
            asked: dict[int, list[str]] = {}
            updates = []
            for n, (chat, text) in enumerate(questions(70_000, 60, 5, "w")):
                updates.append({"update_id": 1000 + n, "message": api.message(text, user_id=chat)})
                asked.setdefault(chat, []).append(text)
            codes: list[int] = []
            deadline = time.monotonic() + 120 + OUTAGE_S

            def outage() -> None:
                api.wait(lambda: len(api.sent()) >= 60, timeout=60)
                server.stop()
                time.sleep(OUTAGE_S)
                server.resume()

            cut = threading.Thread(target=outage)
            cut.start()
            # One chat's updates go in its order: a round (one question per user) once the
            # round before is stored, as Telegram sends a chat's updates one after the other.
            with ThreadPoolExecutor(8) as pool:
                for start in range(0, len(updates), 60):
                    list(
                        pool.map(
                            lambda u: post_until_stored(url, u, codes, deadline), updates[start : start + 60]
                        )
                    )
            cut.join()
            settle(api, asked, timeout=60)
            alive = process.proc.poll() is None
            assert process.stop(signal.SIGTERM, timeout=30) == 0, process.stderr
        assert api.rejected() == []
        notes = admin_notes(api)
    counts = tally(api, server.url, asked)
    refused = Counter(codes)
    figures(
        f"webhook, server down {OUTAGE_S:.0f} s",
        **counts,
        posts=len(codes),
        answered_503=refused[503],
        other_codes={c: n for c, n in refused.items() if c not in (200, 503)},
        admin_messages=len(notes),
        notes=notes,
    )
    assert alive
    assert (counts["unanswered"], counts["unlogged"]) == (0, 0)
    assert counts["twice"] <= counts["updates"] // 100
    assert refused[200] == counts["updates"]  # each update acknowledged once it was stored
    assert any("cannot" in n for n in notes) and any("again" in n for n in notes)


@pytest.mark.parametrize("mode", ["polling", "webhook"])
def test_retries_of_one_update_inside_an_outage_get_one_reply(
    server: PostgresServer, tmp_path: Path, mode: str
) -> None:
    """The server is down when an update arrives; Telegram delivers it again and again (the
    webhook: a POST every 0.2 s while it is answered 503; polling: the same getUpdates batch,
    unconfirmed): once the server is back it is answered exactly once, and logged."""
    with running() as api:
        api.chat(ADMIN)
        if mode == "webhook":
            process, url = start_webhook_bot(tmp_path, api, "/hook", SECRET, **env(server))
        else:
            process, url = (
                start_bot(tmp_path, TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_URL=api.base_url, **env(server)),
                "",
            )
        with killed_at_end(process):
            if mode == "polling":
                api.wait(lambda: api.polls > 0 or process.proc.poll() is not None, timeout=60)
            server.stop()
            text = "When was the agreement signed? (retried)"
            posts: list[int] = []
            if mode == "webhook":
                update = {"update_id": 777, "message": api.message(text, user_id=77_000)}
                headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
                until = time.monotonic() + OUTAGE_S
                while time.monotonic() < until:
                    posts.append(POSTER.post(url, json=update, headers=headers).status_code)
                    time.sleep(0.2)
            else:
                api.message(text, user_id=77_000)
                time.sleep(OUTAGE_S)
            unconfirmed = api.confirmed <= api.last_update_id
            server.resume()
            if mode == "webhook":
                post_until_stored(url, update, posts, time.monotonic() + 60)
            settle(api, {77_000: [text]}, timeout=60)
            time.sleep(2.0)  # a second reply would come now
            assert process.stop(signal.SIGTERM, timeout=30) == 0, process.stderr
        replies = len(api.sent(chat_id=77_000))
    texts = logged(server.url)
    figures(
        f"retries inside an outage ({mode})",
        replies=replies,
        logged=texts[text],
        posts_503=posts.count(503),
        posts_200=posts.count(200),
        unconfirmed_during_outage=unconfirmed,
    )
    assert (replies, texts[text]) == (1, 1)
    if mode == "webhook":
        assert posts.count(503) >= 2 and posts[-1] == 200
    else:
        assert unconfirmed  # polling held its confirmation while the inbox could not store


def test_two_poisoned_webhook_bodies_leave_the_log_working(server: PostgresServer, tmp_path: Path) -> None:
    """An authenticated update_id "abc", then one of 2**70: each refused; the next 20 exchanges
    are logged, at most 20 error lines in the bot's output, SIGTERM exits 0 within 10 s."""
    with running() as api:
        process, url = start_webhook_bot(tmp_path, api, "/hook", SECRET, **env(server))
        with killed_at_end(process):
            headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
            poisoned = [
                POSTER.post(
                    url,
                    json={"update_id": bad, "message": api.message("poison", user_id=66_000)},
                    headers=headers,
                ).status_code
                for bad in ("abc", 2**70)
            ]
            asked = {66_001 + n: [f"{QUESTIONS[n % len(QUESTIONS)]} (after poison {n})"] for n in range(20)}
            codes: list[int] = []
            for n, (chat, (text,)) in enumerate(asked.items()):
                update = {"update_id": 5000 + n, "message": api.message(text, user_id=chat)}
                post_until_stored(url, update, codes, time.monotonic() + 30)
            settle(api, asked, timeout=60)
            started = time.monotonic()
            code = process.stop(signal.SIGTERM, timeout=30)
            took = time.monotonic() - started
        output = process.stdout + process.stderr
    counts = tally(api, server.url, asked)
    errors = sum(1 for line in output.splitlines() if "ERROR" in line or "CRITICAL" in line)
    figures(
        "two poisoned bodies",
        refused=poisoned,
        logged_after=counts["updates"] - counts["unlogged"],
        answered_after=counts["answered"],
        error_lines=errors,
        stop_s=round(took, 2),
        exit=code,
    )
    assert poisoned == [400, 400]
    assert (counts["answered"], counts["unlogged"]) == (20, 0)
    assert errors <= 20
    assert code == 0 and took < 10


async def _store_unfinished(url: str, update_id: int, chat: int, update: dict[str, object]) -> None:
    """Store `update` in the shared inbox as a replica does before it dies: stored, never claimed
    by anyone still running."""
    import json

    from bot.store.dialect import PostgresTarget, parse_db_url
    from bot.store.inbox import Inbox
    from bot.store.postgres import PostgresBackend
    from bot.store.store import Store

    target = parse_db_url(url, Path("unused.db"))
    assert isinstance(target, PostgresTarget)
    store = Store(PostgresBackend(target), Path(tempfile.mkdtemp()) / "other.db", KEY)
    inbox = Inbox(store, KEY.encode())
    await inbox.open()
    try:
        assert await inbox.add(update_id, chat, json.dumps(update)) == "new"
    finally:
        await inbox.close()


def test_a_replica_started_while_the_server_is_down_claims_from_the_shared_inbox_once_it_is_back(
    server: PostgresServer, tmp_path: Path
) -> None:
    """A replica that starts while the server is down still starts, and once the server is back
    it takes part in the shared queue: an update another replica stored and left is answered."""
    server.stop()
    with running() as api:
        process, _ = start_webhook_bot(tmp_path, api, "/hook", SECRET, **env(server))
        with killed_at_end(process):
            server.resume()
            chat = 78_001
            update = {"update_id": 9000, "message": api.message(QUESTIONS[0], user_id=chat)}
            asyncio.run(_store_unfinished(server.url, 9000, chat, update))
            with contextlib.suppress(AssertionError):
                api.wait(lambda: len(api.sent(chat_id=chat)) >= 1, timeout=30)
            replies = [str(t) for t in api.texts(chat_id=chat)]
            assert process.stop(signal.SIGTERM, timeout=30) == 0, process.stderr
    figures("started while the server was down", replies=len(replies))
    assert len(replies) == 1, process.stderr[-2000:]
    assert inbox_states(server.url)["done"] == 1
