"""What the log keeps: the `Exchange` a channel hands over, and the pseudonymised row made of it.

The columns of the exchanges table follow from `Exchange` (`EXCHANGE_COLUMNS`): each field is a
column of the same name, except the raw ids (stored as pseudonyms, `user_ps` and `chat_ps`) and the
update id (the inbox's, not a column). A row (`Record`) is a plain dict with a `t` of "exchange" or
"feedback" and one key per column (an exchange also carries the `update_id` of the Telegram update
it answers, for the inbox); the writer commits it and the spill file stores it as one JSON line. Raw
user and chat ids stop here: `exchange_record` replaces them by keyed pseudonyms. No SQL and no I/O
in this module.
"""

from __future__ import annotations

import types
import typing
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from uuid import uuid4

from bot.core.reply import Channel, ExchangeKind, Outcome
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
    lang: str | None  # detected language de/en/zh
    lang_pinned: str | None  # language pinned by /lang
    text: str  # what the user sent (or the command / button)
    reply: str  # what the bot answered (plain text)
    intent: str | None  # matched intent, or the nearest one when not answered
    confidence: float | None
    outcome: Outcome
    latency_ms: float | None
    id: str = field(default_factory=lambda: uuid4().hex[:16])  # callback data refers to it
    ts: datetime = field(default_factory=lambda: datetime.now(UTC))
    # The Telegram update it answers, passed by the handler that had it from the intake: the
    # writer marks that update done in the inbox in the transaction that commits this exchange.
    update_id: int | None = None


def format_ts(ts: datetime) -> str:
    """UTC, fixed width, so that text order is time order: 2024-06-25T09:30:00.000000Z."""
    if ts.tzinfo is None:
        ts = ts.replace(tzinfo=UTC)
    return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# ---- the columns, from the record type (as sqlite-utils derives a table from its rows) ----------

_PSEUDONYMS = {"user_id": "user_ps", "chat_id": "chat_ps"}  # raw ids are stored as these
_NOT_COLUMNS = frozenset({"update_id"})  # the inbox's, carried by the record, not a column
_HINTS = typing.get_type_hints(Exchange)


def _column(name: str) -> str:
    return _PSEUDONYMS.get(name, name)


EXCHANGE_COLUMNS: tuple[str, ...] = tuple(
    _column(f.name) for f in fields(Exchange) if f.name not in _NOT_COLUMNS
)
FEEDBACK_COLUMNS: tuple[str, ...] = ("exchange_id", "user_ps", "channel", "value", "ts")


def _storable(hint: object) -> tuple[type, ...]:
    """The Python types a column of annotation `hint` takes in a record (and a spilled line)."""
    args = typing.get_args(hint)
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return tuple(t for a in args for t in _storable(a))
    if hint is type(None):
        return (type(None),)
    if hint is float:
        return (int, float)
    if hint is int:
        return (int,)
    return (str,)  # str, Literal names, datetime (stored as format_ts text)


def _to_column(value: object, hint: object) -> str | int | float | None:
    """`value` of a field annotated `hint` as its column stores it; TypeError for a wrong type."""
    if value is None:
        return None
    storable = _storable(hint)
    if hint is datetime or datetime in typing.get_args(hint):
        if not isinstance(value, datetime):
            raise TypeError(f"{value!r} is not a datetime")
        return format_ts(value)
    if int in storable and (isinstance(value, bool) or not isinstance(value, int | float)):
        raise TypeError(f"{value!r} is not a number")
    if float in storable and isinstance(value, int | float):
        return float(value)
    if int in storable and isinstance(value, int):
        return value
    return _clean(str(value))


@dataclass
class LogCounts:
    """What became of the rows handed to the log since it was made."""

    written: int = 0  # rows committed by the writer
    spilled: int = 0  # rows put in the spill file
    lost: int = 0  # rows neither written nor spilled (spill full or unwritable, unreadable): gone
    replayable: int = 0  # exchanges neither written nor spilled whose update stays in the inbox:
    # the next start replays the update (without sending again) and logs its exchange anew
    imported: int = 0  # spilled rows later committed
    batches: int = 0  # transactions the writer committed


def exchange_record(exchange: Exchange, key: bytes) -> Record:
    """The row for `exchange`, ids replaced by pseudonyms; what the writer and the spill keep."""
    channel = str(exchange.channel)
    record: Record = {"t": "exchange"}
    for f in fields(Exchange):
        value = getattr(exchange, f.name)
        if f.name in _PSEUDONYMS:
            record[_PSEUDONYMS[f.name]] = pseudonymise(key, channel, value)
        else:
            record[f.name] = _to_column(value, _HINTS[f.name])
    return record


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


_TYPES: dict[str, dict[str, tuple[type, ...]]] = {
    "exchange": {
        _column(f.name): (str, type(None)) if f.name in _PSEUDONYMS else _storable(_HINTS[f.name])
        for f in fields(Exchange)
        if f.name not in _NOT_COLUMNS
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
