"""What the log keeps: the `Exchange` a channel hands over, and the pseudonymised row made of it.

A row (`Record`) is a plain dict with a `t` of "exchange" or "feedback" and one key per column
(an exchange also carries the `update_id` of the Telegram update it answers, for the inbox);
the writer commits it and the spill file stores it as one JSON line. Raw user and chat ids stop
here: `exchange_record` replaces them by keyed pseudonyms. No SQL and no I/O in this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from uuid import uuid4

from bot.core.reply import Channel, ExchangeKind, Outcome
from bot.store.db import format_ts
from bot.store.inbox import claim_update_id
from bot.store.pseudonym import pseudonymise
from bot.store.spill import Record

MAX_TEXT = 10_000  # characters kept of a message or reply; Telegram's own limit is 4096


@dataclass(frozen=True)
class Exchange:
    """One incoming message (or tap) and the bot's reply."""

    channel: Channel
    user_id: int | str | None  # RAW id; the store pseudonymises it, never stores it
    chat_id: int | str | None  # RAW id
    chat_type: str  # private, group, supergroup, channel, inline, console
    kind: ExchangeKind
    text: str  # what the user sent (or the command / button)
    reply: str  # what the bot answered (plain text)
    lang: str | None  # detected language de/en/zh
    lang_pinned: str | None  # language pinned by /lang
    intent: str | None  # matched intent, or the nearest one when not answered
    confidence: float | None
    outcome: Outcome
    latency_ms: float | None
    id: str = field(default_factory=lambda: uuid4().hex[:16])  # callback data refers to it
    ts: datetime = field(default_factory=lambda: datetime.now(UTC))
    # The Telegram update it answers (made while handling one): the writer marks that update
    # done in the inbox in the transaction that commits this exchange.
    update_id: int | None = field(default_factory=claim_update_id)


@dataclass
class LogCounts:
    """What became of the rows handed to the log since it was made."""

    written: int = 0  # rows committed by the writer
    spilled: int = 0  # rows put in the spill file
    lost: int = 0  # rows neither written nor spilled (spill full or unwritable, unreadable)
    imported: int = 0  # spilled rows later committed
    batches: int = 0  # transactions the writer committed


def exchange_record(exchange: Exchange, key: bytes) -> Record:
    """The row for `exchange`, ids replaced by pseudonyms; what the writer and the spill keep."""
    channel = str(exchange.channel)
    return {
        "t": "exchange",
        "id": str(exchange.id),
        "ts": format_ts(exchange.ts),
        "channel": channel,
        "user_ps": pseudonymise(key, channel, exchange.user_id),
        "chat_ps": pseudonymise(key, channel, exchange.chat_id),
        "chat_type": str(exchange.chat_type),
        "kind": str(exchange.kind),
        "text": _clean(exchange.text),
        "reply": _clean(exchange.reply),
        "lang": exchange.lang,
        "lang_pinned": exchange.lang_pinned,
        "intent": exchange.intent,
        "confidence": None if exchange.confidence is None else float(exchange.confidence),
        "outcome": str(exchange.outcome),
        "latency_ms": None if exchange.latency_ms is None else float(exchange.latency_ms),
        "update_id": None if exchange.update_id is None else int(exchange.update_id),
    }


def feedback_record(exchange_id: str, user_ps: str, value: int, channel: str, ts: datetime) -> Record:
    """The row for one vote (+1 helpful, -1 not helpful) by pseudonym `user_ps`."""
    return {
        "t": "feedback",
        "exchange_id": str(exchange_id),
        "user_ps": user_ps,
        "channel": channel,
        "value": value,
        "ts": format_ts(ts),
    }


_NUMBER = (int, float)
_TYPES: dict[str, dict[str, tuple[type, ...]]] = {
    "exchange": {
        **{c: (str,) for c in ("id", "ts", "channel", "chat_type", "kind", "text", "reply")},
        **{c: (str, type(None)) for c in ("user_ps", "chat_ps", "lang", "lang_pinned", "intent")},
        **{c: (*_NUMBER, type(None)) for c in ("confidence", "latency_ms")},
        "outcome": (str,),
    },
    "feedback": {
        **{c: (str,) for c in ("exchange_id", "user_ps", "channel", "ts")},
        "value": (int,),
    },
}


def valid_record(record: Record) -> bool:
    """True if a (spilled) record has every column of its table with a storable type."""
    types = _TYPES.get(str(record.get("t")))
    if types is None:
        return False
    if record.get("t") == "feedback" and record.get("value") not in (1, -1):
        return False
    if record.get("t") == "exchange" and not isinstance(record.get("update_id"), int | None):
        return False  # absent (None) in rows spilled before the inbox existed
    return all(c in record and isinstance(record[c], t) for c, t in types.items())


def is_exchange_of(record: Record, exchange_id: str, user_ps: str) -> bool:
    """True if `record` is exchange `exchange_id` and was answered to pseudonym `user_ps`."""
    return (
        record.get("t") == "exchange" and record.get("id") == exchange_id and record.get("user_ps") == user_ps
    )


def _clean(text: str) -> str:
    # Lone surrogates cannot be stored as UTF-8; one such row must not stall the writer.
    return str(text)[:MAX_TEXT].encode("utf-8", "replace").decode("utf-8")
