"""The webhook's door: a small tornado server (python-telegram-bot's own web server library) in
front of the intake, in place of the framework's built-in one, so that what comes in is checked
before anything parses or stores it.

A POST is refused with 403 without the secret (`X-Telegram-Bot-Api-Secret-Token`; there is always
one: WEBHOOK_SECRET, or one generated at start and registered with setWebhook), with 413 when its
body is over MAX_BODY, and with 400 when it is not an update whose ids are Telegram's integers
(an `update_id` of "abc" or 2**70 never reaches the inbox). Each refusal is one log line that
names the reason, never the body. An accepted update is answered 200 only once the intake has
stored it (`Intake.offer`), and 503 when the inbox cannot store it now, so Telegram delivers
again what was not stored.

`run_webhook` runs the application as python-telegram-bot's `Application.run_webhook` does (same
hooks, same order), with this server instead of the Updater's.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import secrets
import signal
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

import tornado.web
from telegram import Update
from tornado.http1connection import HTTP1Connection
from tornado.httpserver import HTTPServer

from bot.telegram.context import App
from bot.telegram.intake import Intake, telegram_id

_log = logging.getLogger(__name__)

MAX_BODY = 1_000_000  # bytes of one update; Telegram's own are far smaller
MAX_DISCARDED = 64_000_000  # a refused body is read and dropped up to this, then the line is cut
# Objects of an update that name a chat or a user: their "id" must be one of Telegram's integers.
ID_HOLDERS = frozenset(
    {
        "chat",
        "from",
        "sender_chat",
        "user",
        "via_bot",
        "forward_from",
        "forward_from_chat",
        "sender_business_bot",
    }
)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def new_secret() -> str:
    """A webhook secret for one run when WEBHOOK_SECRET is not set (43 characters of A-Z, a-z,
    0-9, _ and -, as Telegram allows)."""
    return secrets.token_urlsafe(32)


def refusal(data: object) -> str | None:
    """Why `data` (a parsed webhook body) is not an update to accept, or None."""
    if not isinstance(data, dict):
        return "not a JSON object"
    update_id = data.get("update_id")
    if not telegram_id(update_id) or not isinstance(update_id, int) or update_id < 0:
        return "update_id is not a Telegram update id"
    stack: list[object] = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key, value in item.items():
                if key in ID_HOLDERS and isinstance(value, Mapping) and not telegram_id(value.get("id")):
                    return f"the id of its {key} is not a Telegram id"
                stack.append(value)
        elif isinstance(item, list):
            stack.extend(item)
    return None


@tornado.web.stream_request_body
class Door(tornado.web.RequestHandler):
    """POST of one update: secret, size and ids checked, then stored by the intake, then 200."""

    SUPPORTED_METHODS = ("POST",)

    def initialize(self, app: App, secret: str) -> None:  # tornado's per-request set-up
        """Keep the application and the secret for this request."""
        self.app, self.secret = app, secret
        self.chunks: list[bytes] = []
        self.size = 0
        self.refused: HTTPStatus | None = None

    def prepare(self) -> None:
        """Judge the headers: the secret, and the size the body announces. A refused body is
        still read (and dropped, never kept), so the client gets its answer, not a reset."""
        connection = self.request.connection
        if isinstance(connection, HTTP1Connection):
            connection.set_max_body_size(MAX_DISCARDED)
        given = self.request.headers.get(SECRET_HEADER, "")
        length = self.request.headers.get("Content-Length")
        if not hmac.compare_digest(given.encode(), self.secret.encode()):
            self._refuse(HTTPStatus.FORBIDDEN, "a request without the right secret")
        elif length is not None and (not length.isdigit() or int(length) > MAX_BODY):
            self._refuse(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"a body over {MAX_BODY} bytes")

    def data_received(self, chunk: bytes) -> None:
        """Collect the body; past MAX_BODY (a chunked request) it is refused and dropped."""
        self.size += len(chunk)
        if self.refused is None and self.size > MAX_BODY:
            self._refuse(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"a body over {MAX_BODY} bytes")
        if self.refused is None:
            self.chunks.append(chunk)

    def _refuse(self, status: HTTPStatus, what: str) -> None:
        _log.warning("webhook: %s was refused", what)
        self.refused = status
        self.chunks = []

    async def post(self) -> None:
        """Check the update, store it through the intake, answer 200."""
        if self.refused is not None:
            raise tornado.web.HTTPError(self.refused)
        content_type = self.request.headers.get("Content-Type", "").split(";")[0].strip()
        if content_type != "application/json":
            self._refuse(HTTPStatus.FORBIDDEN, "a request that is not JSON")
            raise tornado.web.HTTPError(HTTPStatus.FORBIDDEN)
        try:
            data = json.loads(b"".join(self.chunks))
        except (ValueError, RecursionError):
            data = None
        reason = "not JSON" if data is None else refusal(data)
        update: Update | None = None
        if reason is None:
            try:
                update = Update.de_json(data, self.app.bot)
            except Exception as exc:  # any shape the framework cannot read; its text may hold user words
                reason = f"not an update ({type(exc).__name__})"
        if update is None:
            _log.warning("webhook: an update was refused: %s", reason or "empty")
            raise tornado.web.HTTPError(HTTPStatus.BAD_REQUEST)
        self.app.bot.insert_callback_data(update)
        intake = self.app.update_queue
        if isinstance(intake, Intake):
            if not await intake.offer(update):  # not stored: Telegram delivers it again
                raise tornado.web.HTTPError(HTTPStatus.SERVICE_UNAVAILABLE)
        else:
            await intake.put(update)
        self.set_status(HTTPStatus.OK)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """A bare status: no traceback, no body echoed."""
        self.finish()

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        """Refusals are logged where they are made; other errors once, without the request."""
        if not isinstance(value, tornado.web.HTTPError):
            _log.error("webhook: %s while taking an update", type(value).__name__, exc_info=(typ, value, tb))


class _Quiet(tornado.web.Application):
    def log_request(self, handler: tornado.web.RequestHandler) -> None:
        """No access log: the bot logs what it refuses, and the path holds nothing of use."""


async def run_webhook(
    app: App, *, url: str, listen: str, port: int, secret: str, bootstrap_retries: int = 0
) -> None:
    """Run `app` behind the webhook until SIGTERM/SIGINT, as `Application.run_webhook` does:
    initialize, post_init, serve, setWebhook (with `secret`), start; then stop serving, stop,
    post_stop, shutdown, post_shutdown."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    path = "/" + urlsplit(url).path.lstrip("/")
    server = HTTPServer(_Quiet([(rf"{path}/?", Door, {"app": app, "secret": secret})]))
    started = False
    try:
        await app.initialize()
        if app.post_init is not None:
            await app.post_init(app)
        server.listen(port, address=listen)
        for attempt in range(bootstrap_retries + 1):
            try:
                await app.bot.set_webhook(url=url, secret_token=secret)
                break
            except Exception:
                if attempt == bootstrap_retries:
                    raise
                await asyncio.sleep(1)
        await app.start()
        started = True
        await stop.wait()
        _log.info("stop signal received; stopping")
    finally:
        server.stop()
        with contextlib.suppress(Exception):
            await server.close_all_connections()
        if started and app.running:
            await app.stop()
            if app.post_stop is not None:
                await app.post_stop(app)
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)
