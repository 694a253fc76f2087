"""The review console's "Hand to the press office", end to end: the console (over HTTP, Starlette's
TestClient) queues a cluster in the store, the running bot (against the fake Bot API) posts it to
the press group as a ticket of its own, a staff reply reaches the askers who wait on a request of
their own and goes to the fact base in one tap, and the console shows each state; undo before
posting; two bots on one store post each hand-off once (SQLite file and PostgreSQL)."""

from __future__ import annotations

import asyncio
import shutil
import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from httpx2 import Response
from starlette.testclient import TestClient

from bot.review.console.app import create_app
from bot.review.console.auth import BadLinks, issue_link
from bot.review.console.data import Log
from bot.store import handoffs
from bot.store.store import Store
from bot.testing.fake_bot_api import Call, FakeBotAPI
from tests.fakes.telegram_harness import KNOWLEDGE, USER_ID, BotHarness, running_bot
from tests.review.console.helpers import csrf_of, spend
from tests.telegram.test_press import (
    DECLINED,
    OTHER_ID,
    PRESS,
    STAFF_ID,
    ask_and_hand_off,
    button,
    buttons,
    staff_reply,
    text,
)

pytest_plugins = ["tests.fakes.telegram_fixtures", "tests.fakes.postgres"]

URL = "http://testserver"
THIRD_ID = 1003
ANSWER = "Yes: live on the press site at 10:00 CET."


class ConsoleUser:
    """A reviewer signed in to the console over the bot's store; each request off the bot's loop."""

    def __init__(self, store: Store, knowledge: Path, *, press_office: bool = True) -> None:
        app = create_app(store, knowledge, URL, bad_links=BadLinks(step=0.0), press_office=press_office)
        self.client = TestClient(app, base_url=URL)
        assert spend(self.client, issue_link(Log(store), URL, "test")) == (303, "/overview")
        self.csrf = csrf_of(self.client)

    async def post(self, route: str, **data: str) -> Response:
        form = {"csrf": self.csrf, **data}
        return await asyncio.to_thread(
            self.client.post, f"/actions/{route}", data=form, follow_redirects=False
        )

    async def handoffs(self) -> list[dict[str, Any]]:
        answer = await asyncio.to_thread(self.client.get, "/api/handoffs")
        assert answer.status_code == 200
        return list(answer.json())

    async def states(self) -> list[str]:
        return [h["state"] for h in await self.handoffs()]

    async def page(self) -> str:
        return (await asyncio.to_thread(self.client.get, "/unanswered")).text


def hold(tg: BotHarness) -> None:
    """Pause the bot's hand-off job (the framework's Job.enabled), so that a test runs it itself."""
    [job] = tg.app.job_queue.get_jobs_by_name("press-handoffs")  # type: ignore[union-attr]
    job.enabled = False


async def post_due(tg: BotHarness) -> list[Call]:
    """Run the bot's hand-off job now (the framework's Job.run, as the JobQueue would at its next
    turn); the messages it posted to the press group."""
    before = len(tg.api.sent(PRESS))
    [job] = tg.app.job_queue.get_jobs_by_name("press-handoffs")  # type: ignore[union-attr]
    await job.run(tg.app)
    return tg.api.sent(PRESS)[before:]


def press_bot(tmp_path: Path, **overrides: Any) -> Any:
    folder = tmp_path / "knowledge"
    if not folder.exists():
        shutil.copytree(KNOWLEDGE, folder)
    return running_bot(
        tmp_path, press_chat_id=PRESS, knowledge_dir=folder, reload_debounce_s=600, **overrides
    )


@pytest.mark.slow
async def test_a_console_hand_off_reaches_the_group_the_asker_and_the_fact_base(tmp_path: Path) -> None:
    """Three users ask the same declined question (one hands it off himself); the console hands
    the cluster to the press office: queued, then posted by the bot as a ticket naming how many
    asked and whom a reply reaches; undo is refused now; a staff reply reaches the one asker with a
    request of his own (nobody else), the console shows it answered, and one tap adds the
    question to the fact base."""
    async with press_bot(tmp_path) as tg:
        hold(tg)
        tg.api.chat(PRESS, "supergroup")
        await ask_and_hand_off(tg, DECLINED)
        await tg.say(DECLINED, user_id=OTHER_ID)
        await tg.say(DECLINED.lower().rstrip("?"), user_id=THIRD_ID)
        await tg.log.flush()
        console = ConsoleUser(tg.runtime.store, tg.settings.knowledge_dir)
        assert "Hand to the press office" in await console.page()

        answer = await console.post("press", query=DECLINED)
        assert (answer.status_code, answer.headers["location"]) == (303, "/unanswered?done=press")
        assert await console.states() == ["queued"]
        page = await console.page()
        assert "Queued for the press office" not in page  # the note shows after the redirect only
        assert f'<bdi class="text">{DECLINED}</bdi></h2>' not in page  # the cluster left the list

        [posted] = await post_due(tg)
        body = text(posted)
        assert "Ticket #2 · hand-off 1 from the review console · en" in body
        assert "Asked 3 time(s) by 3 user(s)" in body and DECLINED in body
        assert f"Also asked as:\n• {DECLINED.lower().rstrip('?')}" in body
        assert "a hint only" in body
        assert (
            "goes to the 1 asker(s) waiting on a request of their own with this question (ticket #1)" in body
        )
        assert "for them the answer goes to the fact base only" in body
        assert {label for label, _ in buttons(posted)} == {"✋ Claim", "🗑 Dismiss"}
        assert await post_due(tg) == []  # posted once
        [row] = await console.handoffs()
        assert (row["state"], row["ticket_id"], row["asked"], row["users"], row["askers"]) == (
            "posted",
            2,
            3,
            3,
            1,
        )
        refused = await console.post("undo", action=str(row["action_id"]))
        assert refused.status_code == 400
        assert "in the press office&#39;s group already: it can no longer be undone" in refused.text

        claim = await tg.tap(posted, button(posted, "Claim"), user_id=STAFF_ID)
        [edited] = [c for c in claim if c.method == "editMessageText"]
        assert "hand-off 1 from the review console" in str(edited.result["text"])  # its own text kept

        out = await staff_reply(tg, posted, ANSWER)
        to_asker = [c for c in out if c.params["chat_id"] == USER_ID]
        assert len(to_asker) == 1 and ANSWER in text(to_asker[0])
        assert "to your question" in text(to_asker[0]) and DECLINED in text(to_asker[0])
        assert [c for c in out if c.params["chat_id"] in (OTHER_ID, THIRD_ID)] == []
        [note] = [c for c in out if c.params["chat_id"] == PRESS]
        assert "Recorded for hand-off 1 (ticket #2): sent to 1 asker(s). Into the fact base" in text(note)
        assert await console.states() == ["answered"]
        assert '<td class="state">answered</td>' in await console.page()
        rows = await tg.rows("SELECT id, state FROM press_tickets ORDER BY id")
        assert [tuple(r) for r in rows] == [(1, "answered"), (2, "answered")]  # his own request too

        adds = [(label, data) for label, data in buttons(note) if label.startswith("➕")]
        assert adds
        intent_id = adds[0][0].rsplit(" ", 1)[1]
        intent = tg.runtime.holder.engine.kb.get(intent_id)
        assert intent is not None
        path = tg.settings.knowledge_dir / Path(intent.path).relative_to(KNOWLEDGE)  # in the copy
        before = path.read_text(encoding="utf-8")
        calls = await tg.tap(note, adds[0][1], user_id=STAFF_ID)
        [done] = [c for c in calls if c.method == "sendMessage"]
        assert f"Added to {intent_id} (en)" in text(done)
        after = path.read_text(encoding="utf-8")
        assert DECLINED not in before and DECLINED in after
        assert tg.api.rejected() == []


@pytest.mark.slow
async def test_undo_before_posting_withdraws_the_hand_off(tmp_path: Path) -> None:
    """Undone while queued: the bot posts nothing, the console shows it undone and the cluster
    is back in the list; nobody to reach means the ticket says the answer goes to the fact base
    only."""
    async with press_bot(tmp_path) as tg:
        hold(tg)
        tg.api.chat(PRESS, "supergroup")
        await tg.say(DECLINED, user_id=OTHER_ID)
        await tg.log.flush()
        console = ConsoleUser(tg.runtime.store, tg.settings.knowledge_dir)
        assert (await console.post("press", query=DECLINED)).status_code == 303
        [row] = await console.handoffs()
        undone = await console.post("undo", action=str(row["action_id"]))
        assert (undone.status_code, undone.headers["location"]) == (303, "/unanswered?done=undo")
        assert await console.states() == ["undone"]
        assert await post_due(tg) == []
        assert f'<bdi class="text">{DECLINED}</bdi></h2>' in await console.page()

        assert (await console.post("press", query=DECLINED)).status_code == 303
        [posted] = await post_due(tg)
        assert "None of the askers can be reached" in text(posted)
        assert "your reply goes to the fact base only" in text(posted)
        out = await staff_reply(tg, posted, ANSWER)
        assert [c.params["chat_id"] for c in out] == [PRESS]
        assert "nobody to tell, so it reaches the fact base only" in text(out[0])
        assert await console.states() == ["answered", "undone"]


@pytest.mark.parametrize(
    ("reason", "data", "press_office", "message"),
    [
        pytest.param("no-group", {"query": DECLINED}, False, "no press office group is set", id="no-group"),
        pytest.param(
            "gone", {"query": "Not a logged question?"}, True, "no longer among", id="not-a-cluster"
        ),
        pytest.param("empty", {"query": ""}, True, "no question given", id="empty"),
    ],
)
def test_a_hand_off_the_console_cannot_make_is_refused_with_a_sentence(
    tmp_path: Path, reason: str, data: dict[str, str], press_office: bool, message: str
) -> None:
    from tests.review.console.helpers import make_console

    made = make_console(tmp_path)
    store = Store.sqlite(made.db)
    user = ConsoleUser(store, made.knowledge, press_office=press_office)
    answer = user.client.post("/actions/press", data={"csrf": user.csrf, **data}, follow_redirects=False)
    assert answer.status_code == 400, reason
    assert message in answer.text
    assert user.client.get("/api/handoffs").json() == []


@asynccontextmanager
async def two_bots(tmp_path: Path, db_url: str | None) -> AsyncIterator[tuple[BotHarness, BotHarness]]:
    """Two bots (replicas) on one store and one Telegram, each in its own folder."""
    api = FakeBotAPI().start()
    try:
        async with AsyncExitStack() as stack:
            bots = []
            for name in ("a", "b"):
                folder = tmp_path / name
                folder.mkdir()
                overrides: dict[str, Any] = (
                    {"db_url": db_url} if db_url else {"db_path": tmp_path / "log.sqlite3"}
                )
                bots.append(
                    await stack.enter_async_context(
                        running_bot(folder, api=api, press_chat_id=PRESS, **overrides)
                    )
                )
            api.chat(PRESS, "supergroup")
            for bot in bots:
                hold(bot)
            yield bots[0], bots[1]
    finally:
        api.stop()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
async def test_two_bots_on_one_store_post_each_hand_off_once(
    tmp_path: Path, request: pytest.FixtureRequest, backend: str
) -> None:
    """Ten hand-offs queued; both bots' jobs run at once, twice: each is posted exactly once."""
    url = request.getfixturevalue("pg_url") if backend == "postgresql" else None
    async with two_bots(tmp_path, url) as (a, b):
        conn = a.runtime.store.connect()
        try:
            for n in range(10):
                handoffs.record(
                    conn, datetime.now(UTC), question=f"Question {n}?", questions=[("en", f"Question {n}?")],
                    asked=1, users=1, lang="en", intent=None, confidence=None,
                )  # fmt: skip
        finally:
            conn.close()
        # Both at once, turn after turn (the bots' own at-start runs may be under way too; one the
        # store was too busy for is posted at a later turn), until all are posted; then once more.
        deadline = time.monotonic() + 20
        while len(a.api.sent(PRESS)) < 10 and time.monotonic() < deadline:
            await asyncio.gather(post_due(a), post_due(b))
            await asyncio.sleep(0.05)
        await asyncio.gather(post_due(a), post_due(b))
        posted = Counter(text(c).split("\n\n")[2] for c in a.api.sent(PRESS))
        assert posted == Counter({f"Question {n}?": 1 for n in range(10)})
        conn = b.runtime.store.connect()
        try:
            assert [h.state for h in handoffs.listing(conn)] == ["posted"] * 10
        finally:
            conn.close()
