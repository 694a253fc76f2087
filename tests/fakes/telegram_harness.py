"""The real Telegram Application, run in-process against the fake Bot API (fixtures for the tests).

The `tg` fixture (tests/fakes/telegram_fixtures.py, enabled with
`pytest_plugins = ["tests.fakes.telegram_fixtures"]`) gives each test a fresh bot; use
`async with running_bot(tmp_path, ...) as tg:` for custom settings. Waiting is by
condition, never by sleeping: `settle()` returns once the bot has fetched every update pushed so
far and finished handling them.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dtm
import sqlite3
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from bot.core.context import ChatContext
from bot.core.engine import Engine
from bot.core.reply import Reply
from bot.settings import Settings
from bot.store.log import ConversationLog
from bot.store.store import Store
from bot.telegram.app import App, build_application
from bot.telegram.context import BotData
from bot.testing.fake_bot_api import TOKEN, Call, FakeBotAPI
from tests.engines import real_engine

ROOT = Path(__file__).resolve().parents[2]
KNOWLEDGE = ROOT / "knowledge"
ADMIN_ID = 900
USER_ID = 1001


def shared_engine() -> Engine:
    """The engine over the real fact base, one per process (tests/engines.py: its learned model
    trained once per session)."""
    return real_engine()


@dataclasses.dataclass
class BotHarness:
    """A running bot, its fake Bot API and its settings."""

    api: FakeBotAPI
    app: App
    settings: Settings

    @property
    def runtime(self) -> BotData:
        """The handlers' shared state (the application's typed bot_data)."""
        return self.app.bot_data

    @property
    def log(self) -> ConversationLog:
        """The conversation log the bot writes to."""
        assert self.runtime.log is not None
        return self.runtime.log

    async def settle(self, timeout: float = 20.0) -> None:
        """Return once every update pushed so far was fetched and fully handled."""
        target = self.api.last_update_id
        await self.api.until(lambda: self.api.confirmed > target, timeout)
        await asyncio.wait_for(self.app.update_queue.join(), timeout)

    async def say(self, text: str | None = None, **kwargs: Any) -> list[Call]:
        """A user sends a message; return the sendMessage calls the bot made to that chat."""
        before = len(self.api.sent())
        message = self.api.message(text, **kwargs)
        await self.settle()
        return [c for c in self.api.sent()[before:] if c.params.get("chat_id") == message["chat"]["id"]]

    async def tap(
        self, call: Call, data: str | None = None, *, row: int = 0, col: int = 0, **kwargs: Any
    ) -> list[Call]:
        """A user taps a button of the message sent by `call` (or sends `data` as if it were one);
        return every call the bot made in response.
        """
        message = self.api.bot_message(call)
        if data is None:
            data = message["reply_markup"]["inline_keyboard"][row][col]["callback_data"]
        before = len(self.api.calls(ok=None))
        self.api.tap(message, data, **kwargs)
        await self.settle()
        return [c for c in self.api.calls(ok=None)[before:] if c.method != "getUpdates"]

    async def rows(self, sql: str = "SELECT * FROM exchanges ORDER BY ts") -> list[sqlite3.Row]:
        """Rows of the conversation log, after everything queued so far is written."""
        await self.log.flush()
        with sqlite3.connect(self.settings.db_path) as conn:
            conn.row_factory = sqlite3.Row
            return list(conn.execute(sql))


def make_settings(api: FakeBotAPI, tmp_path: Path, **overrides: Any) -> Settings:
    """Settings for a bot that talks to `api` and logs into tmp_path."""
    base = Settings(
        token=TOKEN,
        api_url=api.base_url,
        admin_ids=frozenset({ADMIN_ID}),
        knowledge_dir=KNOWLEDGE,
        db_path=tmp_path / "log.sqlite3",
        pseudonym_key="test-key",
    )
    return dataclasses.replace(base, **overrides)


@asynccontextmanager
async def running_bot(
    tmp_path: Path,
    *,
    engine: Engine | None = None,
    first_update_id: int = 1,
    api: FakeBotAPI | None = None,
    **overrides: Any,
) -> AsyncIterator[BotHarness]:
    """Start the application as `run_polling` does (same hooks, same order); stop it likewise.
    (`first_update_id`: bots sharing one store need fakes whose update ids do not collide;
    `api`: a running fake to talk to, kept running afterwards, as Telegram stays across a restart.)"""
    own = api is None
    api = FakeBotAPI(first_update_id=first_update_id).start() if api is None else api
    settings = make_settings(api, tmp_path, **overrides)
    app = build_application(settings, engine or shared_engine(), Store.from_settings(settings))
    try:
        await app.initialize()
        assert app.post_init is not None
        await app.post_init(app)
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=dtm.timedelta(seconds=5))
        await app.start()
        yield BotHarness(api, app, settings)
    finally:
        if app.updater is not None and app.updater.running:
            await app.updater.stop()
        if app.running:
            await app.stop()
            assert app.post_stop is not None
            await app.post_stop(app)
        await app.shutdown()
        assert app.post_shutdown is not None
        await app.post_shutdown(app)
        if own:
            api.stop()


# ---- a two-intent fact base for edit and reload tests ------------------------------------------

SMALL_FACTS = """\
# yaml-language-server: $schema=schema.json
intents:
  - id: signing_date
    topic: agreement
    kind: fact
    source: [p1]
    related: [parties]
    answer:
      de: Die Vereinbarung wurde am 20. Juni 2024 unterzeichnet.
      en: The agreement was signed on 20 June 2024.
      zh: 协议于2024年6月20日签署。
    questions:
      de: [Wann wurde die Vereinbarung unterzeichnet?]
      en: [When was the agreement signed?]
      zh: [协议是什么时候签署的？]
  - id: parties
    topic: agreement
    kind: fact
    source: [p1]
    related: [signing_date]
    answer:
      de: Siemens (China) und die Volksregierung der Stadt Chongqing.
      en: Siemens Ltd., China and the Chongqing Municipal People's Government.
      zh: 西门子（中国）有限公司与重庆市人民政府。
    questions:
      de: [Wer sind die Vertragsparteien?]
      en: [Who are the parties to the agreement?]
      zh: [协议双方是谁？]
"""
SMALL_OLD = "The agreement was signed on 20 June 2024."
SMALL_NEW = "It was signed on 20 June 2024, in Chongqing & online."


class ExplodingEngine(Engine):
    """The real engine, except that a question containing "boom" raises `error(question)`."""

    def __init__(self, base: Engine, error: Callable[[str], Exception]) -> None:
        vars(self).update(vars(base))  # every part of the real engine, whatever the engine holds
        self.error = error

    def reply(
        self,
        question: str,
        hint: str | None = None,
        pinned: str | None = None,
        context: ChatContext | None = None,
    ) -> Reply:
        if "boom" in question:
            raise self.error(question)
        return super().reply(question, hint, pinned, context)
