"""The python-telegram-bot Application and its life cycle: build, start, run, stop.

`run_bot(settings, engine, store)` is what `python run.py` calls with a token. It logs without secrets
(bot.telegram.redaction), builds the Application (the intake as its update queue and processor,
the rate limiter, the handlers' routes, the error handler of bot.telegram.alerts), and runs it
with long polling or a webhook until SIGTERM/SIGINT. Start: the conversation log, the intake
(last run's unfinished updates first), the shared chat state, the command menu, the fact-file
watcher (bot.telegram.watcher), the periodic jobs (bot.telegram.jobs). Stop: the watcher, then
the log is flushed and closed, then the intake; returns 0.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import logging
import ssl
import sys
from typing import Any

import httpx
from telegram import Bot, BotCommand, BotCommandScopeChat, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import InvalidToken, TelegramError
from telegram.ext import ApplicationBuilder, Defaults
from telegram.request import HTTPXRequest

from bot.core.engine import Engine
from bot.core.lang import LANGS
from bot.errors import SettingsError, StoreError
from bot.knowledge.reload import EngineHolder
from bot.settings import Settings
from bot.store.chat_state import open_chat_state
from bot.store.inbox import Inbox
from bot.store.log import ConversationLog
from bot.store.store import Store
from bot.telegram import jobs
from bot.telegram.alerts import notify_admins, on_error
from bot.telegram.context import CONTEXT_TYPES, App
from bot.telegram.flood import FloodGate
from bot.telegram.intake import Intake, SendGuard
from bot.telegram.limiter import RetryingRateLimiter
from bot.telegram.processor import MAX_CONCURRENT_UPDATES, IntakeProcessor
from bot.telegram.redaction import Redactor, configure_logging
from bot.telegram.routes import register
from bot.telegram.texts import ADMIN, ADMIN_MENU, MENU
from bot.telegram.watcher import start_watcher, stop_watcher
from bot.telegram.webhook import new_secret, run_webhook

__all__ = ["App", "build_application", "intake_of", "run_bot"]

_log = logging.getLogger(__name__)

MAX_IN_FLIGHT = 2 * MAX_CONCURRENT_UPDATES  # updates handed to the handlers at once (bounds a stop)
BOOTSTRAP_RETRIES = 0


@functools.cache
def _tls() -> ssl.SSLContext:
    # One TLS context for both HTTP clients, and for every Application of a test session:
    # loading the CA bundle takes ~0.1 s each time.
    return httpx.create_ssl_context()


def _http(pool: int) -> HTTPXRequest:
    return HTTPXRequest(**_http_options(pool))


def _http_options(pool: int) -> dict[str, Any]:
    return {
        "connection_pool_size": pool,
        "connect_timeout": 10,
        "read_timeout": 15,
        "write_timeout": 15,
        "pool_timeout": 15,
        "httpx_kwargs": {"verify": _tls()},
    }


def build_application(settings: Settings, engine: Engine, store: Store) -> App:
    """The Application with handlers, rate limiter, defaults and life-cycle hooks, on `store`."""
    if not settings.token:
        raise ValueError("build_application needs settings.token")
    # Updates are stored in the inbox before Telegram is told they arrived (bot.telegram.intake).
    key = store.key()
    assert key is not None  # made when there is none
    intake = Intake(
        Inbox(store, key),
        max_in_flight=MAX_IN_FLIGHT,
        lease_s=settings.claim_lease_s,
        on_alert=lambda text: notify_admins(
            app.bot, settings.admin_ids, ADMIN["inbox_alert"].format(message=text)
        ),
    )
    app: App = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(settings.api_url)
        .context_types(CONTEXT_TYPES)
        .defaults(
            Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True))
        )
        .rate_limiter(RetryingRateLimiter(limited=settings.rate_limit, replicas=settings.replicas))
        .update_queue(intake)
        .concurrent_updates(IntakeProcessor(MAX_CONCURRENT_UPDATES, intake))
        .request(SendGuard(intake, **_http_options(pool=256)))
        .get_updates_request(_http(pool=1))
        .post_init(_post_init)
        .post_stop(_post_stop)
        .post_shutdown(_post_shutdown)
        .build()
    )
    log = ConversationLog(
        store,
        retention_days=settings.retention_days,
        on_alert=lambda text: notify_admins(
            app.bot, settings.admin_ids, ADMIN["store_alert"].format(message=text)
        ),
    )
    holder = EngineHolder.for_settings(engine, settings)
    redact = Redactor(settings.token, settings.webhook_secret).redact
    app.bot_data.setup(settings, store, holder, log, FloodGate(settings.flood_per_minute), redact)
    register(app)
    app.add_error_handler(on_error)
    jobs.schedule(app)
    return app


async def publish_commands(app: App) -> None:
    """The command menu in de, en and zh (English as the default), admin commands for admins."""
    bot = app.bot
    try:
        for lang in LANGS:
            await bot.set_my_commands([BotCommand(c, d) for c, d in MENU[lang]], language_code=lang)
        await bot.set_my_commands([BotCommand(c, d) for c, d in MENU["en"]])
    except TelegramError as exc:
        _log.warning("could not publish the command menu: %s", exc)
    admin_menu = [BotCommand(c, d) for c, d in (*MENU["en"], *ADMIN_MENU)]
    for admin_id in sorted(app.bot_data.settings.admin_ids):
        try:
            await bot.set_my_commands(admin_menu, scope=BotCommandScopeChat(admin_id))
        except TelegramError as exc:  # e.g. the admin has not opened a chat with the bot yet
            _log.info("no admin command menu for one admin: %s", exc)


def intake_of(app: App) -> Intake | None:
    """The durable update queue of `app` (None for an application built otherwise)."""
    queue = app.update_queue
    return queue if isinstance(queue, Intake) else None


async def open_shared_state(app: App) -> None:
    """When replicas share the store, keep follow-up contexts and flood windows there; on a
    SQLite file (or when the server cannot be reached now) they stay in this process's memory."""
    settings, store = app.bot_data.settings, app.bot_data.store
    try:
        key = store.key()
        assert key is not None  # made when there is none
        app.bot_data.shared = await open_chat_state(store, key, ttl=settings.context_ttl_s)
    except StoreError as exc:
        _log.warning("shared chat state unavailable (%s); contexts and flood windows stay per replica", exc)


async def _post_init(app: App) -> None:
    log = app.bot_data.log
    if log is not None:  # its purge is a job (bot.telegram.jobs)
        await log.start()
        # Spilled exchanges go in first: their updates are done, not replayed by the intake.
        await log.flush()
    intake = intake_of(app)
    if intake is not None:  # before polling starts: last run's unfinished updates come first
        await intake.start(app)
    await open_shared_state(app)
    await publish_commands(app)
    start_watcher(app)
    _log.info("bot @%s ready: %s", app.bot.username, app.bot_data.holder.engine.kb.summary())


async def _post_stop(app: App) -> None:
    # Every handler has finished (Application.stop waits for them): flush and close the log.
    await stop_watcher(app)
    await jobs.stop_background(app)
    log, app.bot_data.log = app.bot_data.log, None
    if log is not None:
        await log.close()
        _log.info("conversation log flushed and closed")
    intake = intake_of(app)
    if intake is not None:  # after the log: its last commit marks updates done
        await intake.close()
    shared, app.bot_data.shared = app.bot_data.shared, None
    if shared is not None:
        await shared.close()


async def _post_shutdown(app: App) -> None:
    await _post_stop(app)  # does nothing after post_stop; closes the log after a failed start


def serve(app: App, settings: Settings) -> None:
    """Run until SIGTERM/SIGINT: long polling, or a webhook when WEBHOOK_URL is set (behind the
    checks of bot.telegram.webhook, always with a secret: see `with_webhook_secret`)."""
    if settings.webhook_url:
        assert settings.webhook_secret is not None  # with_webhook_secret gave one
        asyncio.run(
            run_webhook(
                app,
                url=settings.webhook_url,
                listen=settings.webhook_listen,
                port=settings.webhook_port,
                secret=settings.webhook_secret,
                bootstrap_retries=BOOTSTRAP_RETRIES,
            )
        )
    else:
        app.run_polling(bootstrap_retries=BOOTSTRAP_RETRIES)


def with_webhook_secret(settings: Settings) -> Settings:
    """`settings` with a webhook secret: WEBHOOK_SECRET, or in webhook mode without it a random
    one for this run (registered with setWebhook), so no webhook runs open. Replicas must share
    one, so with BOT_REPLICAS > 1 it must be set (SettingsError otherwise)."""
    if not settings.webhook_url or settings.webhook_secret:
        return settings
    if settings.replicas > 1:
        raise SettingsError(
            "WEBHOOK_SECRET is required with BOT_REPLICAS > 1 (every replica must check the same secret)"
        )
    return dataclasses.replace(settings, webhook_secret=new_secret())


async def preflight(settings: Settings) -> None:
    """Ask the Bot API who we are, once and without retries: a refused token or an unreachable
    server ends the start with one line instead of a minute of retries and chained tracebacks."""
    # Both of its clients on the shared TLS context: left out, the one for getUpdates would load
    # the CA bundle again (a tenth of a second of every start).
    bot = Bot(
        settings.token or "",
        base_url=settings.api_url,
        request=_http(pool=1),
        get_updates_request=_http(pool=1),
    )
    async with bot:  # initialize() calls getMe; __aexit__ closes the HTTP client
        pass


def run_bot(settings: Settings, engine: Engine, store: Store) -> int:
    """Run the Telegram bot on `store` until a stop signal; 0 on a clean stop, 1 with one line if
    it cannot."""
    generated = bool(settings.webhook_url) and not settings.webhook_secret
    try:
        settings = with_webhook_secret(settings)
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    redactor = configure_logging(settings)
    if generated:
        _log.info("webhook: WEBHOOK_SECRET not set; a random secret was generated for this run")
    try:
        asyncio.run(preflight(settings))
        app = build_application(settings, engine, store)
        serve(app, settings)
    except InvalidToken:
        print(
            "error: Telegram refused TELEGRAM_BOT_TOKEN (unauthorized); copy the token from @BotFather again",
            file=sys.stderr,
        )
        return 1
    except TelegramError as exc:
        print(
            f"error: cannot reach the Bot API at {settings.api_url}: "
            f"{redactor.redact(str(exc))} (check TELEGRAM_API_URL and the network)",
            file=sys.stderr,
        )
        return 1
    except StoreError as exc:
        print(f"error: {redactor.redact(str(exc))}", file=sys.stderr)
        return 1
    return 0
