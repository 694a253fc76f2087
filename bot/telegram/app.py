"""The python-telegram-bot Application: builder, start-up, polling or webhook, shutdown, errors.

`run_bot(settings, engine, store)` is what `python run.py` calls with a token. It logs without the token,
publishes the command menu in de/en/zh, starts the conversation log and the fact-file watcher, runs
until SIGTERM/SIGINT, then stops polling, lets the replies in flight finish, flushes the log and
returns 0. The one error handler lives here; the handlers of updates live in telegram_handlers.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import functools
import logging
import ssl
import sys
import traceback
from collections import Counter
from collections.abc import Awaitable, Callable, Coroutine, Iterable
from typing import Any
from urllib.parse import urlsplit

import httpx
from telegram import Bot, BotCommand, BotCommandScopeChat, LinkPreviewOptions, Update
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, InvalidToken, NetworkError, TelegramError, TimedOut
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    BaseUpdateProcessor,
    Defaults,
    ExtBot,
)
from telegram.request import HTTPXRequest

from bot.core.engine import Engine
from bot.core.lang import LANGS
from bot.errors import StoreError
from bot.knowledge.cache import SignalsCache
from bot.knowledge.reload import EngineHolder, ReloadResult, watch
from bot.review.display import visible
from bot.settings import Settings
from bot.store.chat_state import open_chat_state
from bot.store.inbox import Inbox
from bot.store.log import ConversationLog
from bot.store.store import Store
from bot.telegram.context import CONTEXT_TYPES, BotContext, BotData, UserData, ui_lang
from bot.telegram.flood import FloodGate
from bot.telegram.format import esc, pre_chunks
from bot.telegram.handlers import reload_report
from bot.telegram.inbox import Intake, SendGuard, chat_key
from bot.telegram.limits import limiter_rates
from bot.telegram.notices import ask_about_changes
from bot.telegram.routes import register
from bot.telegram.texts import ADMIN, ADMIN_MENU, MENU, T

_log = logging.getLogger(__name__)

App = Application[ExtBot[Any], BotContext, UserData, dict[Any, Any], BotData, Any]
PURGE_EVERY_S = 24 * 3600
MAX_CONCURRENT_UPDATES = 32
MAX_IN_FLIGHT = 2 * MAX_CONCURRENT_UPDATES  # updates handed to the handlers at once (bounds a stop)
NETWORK_RETRIES = 6  # 0.5 + 1 + 2 + 4 + 4 + 4 s: rides out a Bot API outage of over 10 s
MAX_BACKOFF_S = 4.0
BOOTSTRAP_RETRIES = 0
MAX_REPORTED = 1000  # distinct errors remembered for "tell admins once"
MAX_ADMIN_CHUNKS = 3  # messages per note to an admin, whatever the text
MAX_RELOAD_NOTICES = 8  # reload results waiting to be told (older ones are superseded)


# ---- secrets out of the logs ------------------------------------------------------------------


class Redactor(logging.Filter):
    """Replace secrets (the token, the webhook secret) in every log record, tracebacks included."""

    def __init__(self, *secrets: str | None) -> None:
        super().__init__()
        found = {s for s in secrets if s}
        # The part after the colon is the secret of a token; it must not leak on its own either.
        found |= {s.split(":", 1)[1] for s in found if ":" in s and len(s.split(":", 1)[1]) >= 8}
        self.secrets = sorted(found, key=len, reverse=True)

    def redact(self, text: str) -> str:
        """`text` with every secret replaced."""
        for secret in self.secrets:
            text = text.replace(secret, "[REDACTED]")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True  # a malformed record: logging reports it; it holds no formatted secret
        record.msg, record.args = self.redact(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def configure_logging(settings: Settings) -> Redactor:
    """Log to stderr at settings.log_level; httpx/httpcore quiet; secrets redacted everywhere."""
    logging.basicConfig(
        level=settings.log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    for name in ("httpx", "httpcore"):  # they log request URLs, and the URL holds the token
        logging.getLogger(name).setLevel(logging.WARNING)
    # At DEBUG python-telegram-bot logs every update and request in full: user ids, names and
    # message texts (aiosqlite: every call with its arguments). BOT_LOG_LEVEL=DEBUG is for this
    # bot's own records; the libraries stay at INFO.
    for name in ("telegram", "apscheduler", "aiosqlite"):  # aiosqlite: each call with its arguments
        logging.getLogger(name).setLevel(max(logging.INFO, logging.getLevelName(settings.log_level)))
    redactor = Redactor(settings.token, settings.webhook_secret)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redactor)
    return redactor


# ---- errors and admins ---------------------------------------------------------------------------


async def notify_admins(bot: Bot, admin_ids: Iterable[int], text: str) -> None:
    """Send a plain-text note to every admin (control and bidi characters from logged text made
    visible, at most MAX_ADMIN_CHUNKS messages); an admin we cannot reach is logged, not raised."""
    chunks = pre_chunks(visible(text))[:MAX_ADMIN_CHUNKS]
    for admin_id in admin_ids:
        for chunk in chunks:
            try:
                await bot.send_message(chat_id=admin_id, text=chunk)
            except TelegramError as exc:
                _log.warning("cannot notify admin: %s", exc)
                break


async def tell_admins_about_reload(
    bot: Bot, admin_ids: Iterable[int], result: ReloadResult, engine: Engine
) -> None:
    """For the file watcher: a rejected edit reaches the admins (once per broken version), and so
    do the folder's return and a failed training."""
    if not result.ok or result.event != "edit":
        await notify_admins(bot, admin_ids, reload_report(result, engine))


def describe_update(update: object) -> str:
    """Where an error happened, without user content: update id, kind and chat type."""
    if not isinstance(update, Update):
        return "outside an update" if update is None else f"in {type(update).__name__}"
    kinds = (
        "message",
        "edited_message",
        "channel_post",
        "callback_query",
        "inline_query",
        "chosen_inline_result",
        "my_chat_member",
    )
    kind = next((k for k in kinds if getattr(update, k, None) is not None), "update")
    chat = update.effective_chat
    return f"update {update.update_id} ({kind}{f' in a {chat.type} chat' if chat else ''})"


def error_key(error: BaseException) -> str:
    """One line naming an error: type, message and the innermost frame of this project or PTB."""
    frames = traceback.extract_tb(error.__traceback__)
    where = f" at {frames[-1].filename.rsplit('/', 1)[-1]}:{frames[-1].lineno}" if frames else ""
    return f"{type(error).__name__}: {str(error)[:300]}{where}"


async def on_error(update: object, context: BotContext) -> None:
    """Log the error with context, tell admins once per distinct error, apologise to the user."""
    error = context.error
    if error is None:
        return
    where = describe_update(update)
    _log.error("error while handling %s", where, exc_info=error)
    runtime = context.bot_data
    key = runtime.redact(error_key(error))
    if key not in runtime.reported and len(runtime.reported) < MAX_REPORTED:
        runtime.reported.add(key)
        await notify_admins(
            context.bot, runtime.settings.admin_ids, ADMIN["alert"].format(error=f"{key} ({where})")
        )
    if isinstance(error, TelegramError) or not isinstance(update, Update):
        return  # Telegram itself failed: another message would likely fail too
    chat = update.effective_chat
    if chat is not None and chat.type == ChatType.PRIVATE:
        with contextlib.suppress(TelegramError):
            await context.bot.send_message(chat.id, esc(T[ui_lang(update, context)]["error"]))


# ---- Telegram's limits and faults -------------------------------------------------------------


class RetryingRateLimiter(AIORateLimiter):
    """Telegram's flood limits (AIORateLimiter, which waits out 429 retry_after), plus retries of
    network errors and 5xx answers with exponential backoff.

    Not retried: 400 Bad Request (it would fail again) and timeouts (the request may have been
    carried out, and a retry would send the message twice).
    """

    def __init__(
        self,
        *,
        network_retries: int = NETWORK_RETRIES,
        backoff_s: float = 0.5,
        max_retries: int = 5,
        limited: bool = True,
        replicas: int = 1,
    ) -> None:
        # limited=False (TELEGRAM_RATE_LIMIT=off) keeps the retries but drops the 30/s cap: for a
        # self-hosted Bot API server without Telegram's limits, and for the benchmark.
        # With BOT_REPLICAS replicas each takes its share of the bot's limits (bot.telegram.limits).
        rates: dict[str, float] = (
            limiter_rates(replicas) if limited else {"overall_max_rate": 0, "group_max_rate": 0}
        )
        super().__init__(max_retries=max_retries, **rates)
        self.network_retries = network_retries
        self.backoff_s = backoff_s

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        delay = self.backoff_s
        for attempt in range(self.network_retries + 1):
            try:
                return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
            except (BadRequest, TimedOut):
                raise
            except NetworkError as exc:
                if attempt == self.network_retries:
                    raise
                _log.warning("%s failed (%s); retry %d in %.1fs", endpoint, exc, attempt + 1, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, MAX_BACKOFF_S)
        raise AssertionError("unreachable")  # pragma: no cover


class ChatOrderedProcessor(BaseUpdateProcessor):
    """Many updates at once, but one at a time per chat: answers keep the order of questions.

    With an `intake` (the durable update queue), each update is handled through it: it knows
    which send of a replayed update went out already and marks the update done afterwards.
    """

    def __init__(self, max_concurrent_updates: int, intake: Intake | None = None) -> None:
        super().__init__(max_concurrent_updates)
        self.intake = intake
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: Counter[int] = Counter()

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        work = self.intake.run(update, coroutine) if self.intake is not None else coroutine
        key = _chat_key(update)
        if key is None:
            await work
            return
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] += 1
        try:
            async with lock:
                await work
        finally:
            self._users[key] -= 1
            if not self._users[key]:
                del self._users[key], self._locks[key]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""


_chat_key = chat_key


# ---- building and running ---------------------------------------------------------------------


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
    # Updates are stored in the inbox before Telegram is told they arrived (bot.telegram.inbox).
    key = store.key()
    assert key is not None  # made when there is none
    intake = Intake(Inbox(store, key), max_in_flight=MAX_IN_FLIGHT)
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
        .concurrent_updates(ChatOrderedProcessor(MAX_CONCURRENT_UPDATES, intake))
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
    holder = EngineHolder(
        engine,
        settings.knowledge_dir,
        settings.answer_threshold,
        settings.suggest_threshold,
        SignalsCache(settings.cache_dir),
    )
    redact = Redactor(settings.token, settings.webhook_secret).redact
    app.bot_data.setup(settings, store, holder, log, FloodGate(settings.flood_per_minute), redact)
    register(app)
    app.add_error_handler(on_error)
    return app


def start_watcher(app: App) -> None:
    """Reload the fact base when its files change; a rejected edit reaches the admins."""
    settings, holder = app.bot_data.settings, app.bot_data.holder

    # The watcher only queues what to tell: sending (slow, rate-limited, possibly failing) must
    # never hold up the next reload. Only the newest results wait; older ones are superseded.
    waiting: collections.deque[ReloadResult] = collections.deque(maxlen=MAX_RELOAD_NOTICES)
    ready = asyncio.Event()

    async def on_result(result: ReloadResult) -> None:
        waiting.append(result)
        ready.set()

    async def tell() -> None:
        while True:
            await ready.wait()
            ready.clear()
            while waiting:
                result = waiting.popleft()
                try:
                    await tell_admins_about_reload(app.bot, settings.admin_ids, result, holder.engine)
                    if result.ok and result.changed:  # subscribers follow answers: ask admins
                        await ask_about_changes(app.bot, settings, app.bot_data.store, holder.engine)
                except Exception:  # the next reload's notice may well get through
                    _log.exception("could not tell the admins about a reload")

    async def run() -> None:
        teller = asyncio.create_task(tell(), name="knowledge-notices")
        try:
            await watch(holder, on_result, settings.reload_debounce_s, stop)
        finally:
            teller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await teller

    stop = asyncio.Event()
    task = asyncio.create_task(run(), name="knowledge-watcher")
    app.bot_data.watcher = (stop, task)


async def stop_watcher(app: App) -> None:
    """Stop the file watcher (if it runs) and wait for it."""
    watcher, app.bot_data.watcher = app.bot_data.watcher, None
    if watcher is None:
        return
    stop, task = watcher
    stop.set()
    try:
        await asyncio.wait_for(task, timeout=5)
    except TimeoutError:
        _log.warning("the knowledge watcher did not stop in time")
    except Exception:
        _log.exception("the knowledge watcher failed")
    await app.bot_data.holder.close()


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
    if log is not None:
        await log.start(purge_every=PURGE_EVERY_S)
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
    """Run until SIGTERM/SIGINT: long polling, or a webhook when WEBHOOK_URL is set."""
    if settings.webhook_url:
        app.run_webhook(
            listen=settings.webhook_listen,
            port=settings.webhook_port,
            url_path=urlsplit(settings.webhook_url).path.lstrip("/"),
            webhook_url=settings.webhook_url,
            secret_token=settings.webhook_secret,
            bootstrap_retries=BOOTSTRAP_RETRIES,
        )
    else:
        app.run_polling(bootstrap_retries=BOOTSTRAP_RETRIES)


async def preflight(settings: Settings) -> None:
    """Ask the Bot API who we are, once and without retries: a refused token or an unreachable
    server ends the start with one line instead of a minute of retries and chained tracebacks."""
    bot = Bot(settings.token or "", base_url=settings.api_url, request=_http(pool=1))
    async with bot:  # initialize() calls getMe; __aexit__ closes the HTTP client
        pass


def run_bot(settings: Settings, engine: Engine, store: Store) -> int:
    """Run the Telegram bot on `store` until a stop signal; 0 on a clean stop, 1 with one line if
    it cannot."""
    redactor = configure_logging(settings)
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
