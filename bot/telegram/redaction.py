"""Secrets and user text out of the logs: one logging filter on every handler of the root logger.

`Redactor` replaces the token (and its secret half) and the webhook secret in every record,
tracebacks included, and drops the raw update body python-telegram-bot quotes in its lines about
updates it cannot read. `configure_logging` sets the levels: httpx and httpcore (they log request
URLs, and the URL holds the token) at WARNING, python-telegram-bot and the drivers at INFO at most.
"""

from __future__ import annotations

import logging
import sys

from bot.settings import Settings


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
        if record.name.startswith("telegram") and any(m in str(record.msg) for m in BODY_MARKERS):
            withhold_body(record)
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


# python-telegram-bot's log lines that quote the raw body of an update (user text, names, ids):
# "Received data was: %r" at CRITICAL for an update it cannot read, "Webhook received data: %s".
BODY_MARKERS = ("Received data was", "received data:")


def withhold_body(record: logging.LogRecord) -> None:
    """Keep the framework's line, without the body it quotes (nor an error text that may)."""
    text = str(record.msg)
    cut = min(i for i in (text.find(m) for m in BODY_MARKERS) if i >= 0)
    error = f" ({record.exc_info[0].__name__})" if record.exc_info and record.exc_info[0] else ""
    record.msg = text[:cut].rstrip() + f" [the update's body is not logged: it may hold user text]{error}"
    record.args, record.exc_info, record.exc_text = None, None, None


def configure_logging(settings: Settings) -> Redactor:
    """Log to stderr at settings.log_level; httpx/httpcore quiet; secrets redacted everywhere."""
    logging.basicConfig(
        level=settings.log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    for name in ("httpx", "httpcore", "apscheduler"):  # URLs hold the token; the JobQueue is chatty
        logging.getLogger(name).setLevel(logging.WARNING)
    # At DEBUG python-telegram-bot logs every update and request in full: user ids, names and
    # message texts (aiosqlite: every call with its arguments). BOT_LOG_LEVEL=DEBUG is for this
    # bot's own records; the libraries stay at INFO.
    for name in ("telegram", "aiosqlite"):  # aiosqlite: each call with its arguments
        logging.getLogger(name).setLevel(max(logging.INFO, logging.getLevelName(settings.log_level)))
    redactor = Redactor(settings.token, settings.webhook_secret)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redactor)
    return redactor
