"""/console: an admin in a private chat gets a one-use sign-in link to the review console; nobody
else does, and the link never reaches the conversation log."""

from __future__ import annotations

import sqlite3

from bot.review.console.app import create_app
from bot.testing.fake_bot_api import BOT_USERNAME
from tests.fakes.telegram_harness import ADMIN_ID, BotHarness
from tests.review.console.helpers import spend

pytest_plugins = ["tests.fakes.telegram_fixtures"]


async def test_an_admin_gets_a_link_that_signs_in_once(tg: BotHarness) -> None:
    from starlette.testclient import TestClient

    [reply] = await tg.say("/console", user_id=ADMIN_ID)
    text = str(reply.params["text"])
    base = tg.settings.console_url
    link = next(word for word in text.split() if word.startswith(f"{base}/login?token="))
    assert reply.params["link_preview_options"] == {"is_disabled": True}
    await tg.rows()
    conn = sqlite3.connect(tg.settings.db_path)
    logged = " ".join(r[0] + r[1] for r in conn.execute("SELECT text, reply FROM exchanges"))
    conn.close()
    assert link.split("token=")[1] not in logged  # the log keeps only the link's hash
    app = create_app(tg.runtime.store, tg.settings.knowledge_dir, base)
    assert spend(TestClient(app, base_url=base), link) == (303, "/overview")
    assert spend(TestClient(app, base_url=base), link) == (303, "/signin?note=bad")


async def test_no_link_for_others_or_in_a_group(tg: BotHarness) -> None:
    for kwargs in (
        {"user_id": 4242},
        {"chat_id": -100_999, "chat_type": "supergroup", "user_id": ADMIN_ID},
    ):
        command = "/console" if "chat_id" not in kwargs else f"/console@{BOT_USERNAME}"
        calls = await tg.say(command, **kwargs)
        assert all("token=" not in str(c.params.get("text", "")) for c in calls)
