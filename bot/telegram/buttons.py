"""Callback data: what each inline button carries, at most 64 bytes, and how a tap is decoded.

Pure: no Telegram calls, no settings. One `Action` per kind of button; `PATTERNS` holds the regex
that routes a tap of each action to its own CallbackQueryHandler. Data this bot did not make (a
forged, oversized or older-version button) matches no pattern and decodes to None.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from bot.core.lang import LANGS, SCRIPTS, Script

_log = logging.getLogger(__name__)

MAX_CALLBACK = 64  # bytes of callback_data, Telegram's limit

# Every kind of button the bot shows. A typo in an action is a type error, not a dead button.
Action = Literal[
    "intent",
    "feedback",
    "topic",
    "topics",
    "lang",
    "forget",
    "handoff",
    "ticket",
    "notify",
    "notice",
]

FORGET_YES = "x:y"  # followed by ":<user id>" of the user who asked (see forget_data)
FORGET_NO = "x:n"
TOPICS = "tt"

_LANG = "|".join(LANGS)
_SCRIPT = "|".join(SCRIPTS)
_ID = r"[a-z0-9_]{1,64}"
_HEX = r"[0-9a-f]{16}"
_TICKET = r"[1-9][0-9]{0,11}"
# One regex per action; CallbackQueryHandler(pattern=...) routes with re.match, so each pattern is
# anchored at both ends and a tap of one action can never reach another action's handler.
PATTERNS: Mapping[Action, re.Pattern[str]] = {
    # "i:zh.tw:<intent>": a Chinese answer in a traditional script (bot.core.lang.SCRIPTS).
    "intent": re.compile(rf"^(?P<kind>[ih]):(?P<lang>{_LANG})(?:\.(?P<script>{_SCRIPT}))?:(?P<arg>{_ID})\Z"),
    "feedback": re.compile(rf"^f:(?P<sign>[+-]):(?P<arg>{_HEX})\Z"),
    "topic": re.compile(r"^(?P<kind>[tT]):(?P<arg>[^\x00-\x1f]+)\Z"),
    "topics": re.compile(rf"^{TOPICS}\Z"),
    "lang": re.compile(rf"^l:(?P<arg>{_LANG}|auto)\Z"),
    "forget": re.compile(r"^x:(?P<arg>[yn])(?::(?P<owner>[1-9][0-9]{0,19}))?\Z"),
    # Press office. A stakeholder's hand-off (ask, send, cancel) names the declined exchange; the
    # staff's ticket buttons (claim, dismiss, new draft, add to an intent) name the ticket.
    "handoff": re.compile(rf"^p:(?P<op>[hsc]):(?P<arg>{_HEX})\Z"),
    "ticket": re.compile(
        rf"^q:(?:(?P<op>[kdn]):(?P<arg>{_TICKET})|(?P<add>[aA]):(?P<tid>{_TICKET}):(?P<extra>{_ID}))\Z"
    ),
    "notify": re.compile(rf"^(?P<kind>[nN]):(?P<lang>{_LANG}):(?P<arg>{_ID})\Z"),
    "notice": re.compile(rf"^u:(?P<op>[sk]):(?P<arg>{_TICKET})\Z"),
}


class CallbackDataTooLong(ValueError):
    """Callback data over Telegram's 64 bytes: Telegram would refuse the whole message."""


@dataclass(frozen=True)
class Tap:
    """A decoded button press."""

    action: Action
    arg: str = ""  # intent id, hash, exchange id, topic, language or yes/no
    lang: str = ""  # the language the button was shown in
    hashed: bool = False  # `arg` is a short hash of an id too long to fit
    value: int = 0  # feedback: +1 or -1
    owner: int | None = None  # forget: the user the prompt belongs to (None: older buttons)
    op: str = ""  # press office: which of the action's buttons (h, s, c; k, d, n, a; s, k)
    extra: str = ""  # ticket "add to intent": the intent id (or its hash when `hashed`)
    script: Script | None = None  # intent: the traditional script the button was shown in


def short_hash(text: str) -> str:
    """16 hex digits standing for an id too long for callback data."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def fits(data: str) -> bool:
    """True if `data` is valid callback data: 1 to 64 bytes of UTF-8."""
    return 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK


def checked(data: str) -> str:
    """`data` if it fits in a button; CallbackDataTooLong (logged) if it does not."""
    if not fits(data):
        _log.error("callback data of %d bytes does not fit in a button", len(data.encode()))
        raise CallbackDataTooLong(f"callback data must be 1..{MAX_CALLBACK} bytes: {data[:80]!r}")
    return data


def _fit(data: str, prefix: str, long_value: str) -> str:
    return data if fits(data) else prefix + short_hash(long_value)


def intent_data(intent_id: str, lang: str, script: Script | None = None) -> str:
    """Callback data of a button that answers an intent in `lang` (Chinese: in `script`)."""
    shown = f"{lang}.{script}" if script is not None and lang == "zh" else lang
    return _fit(f"i:{shown}:{intent_id}", f"h:{shown}:", intent_id)


def feedback_data(exchange_id: str, value: int) -> str:
    """Callback data of 👍 (+1) or 👎 (-1) on an exchange."""
    return f"f:{'+' if value > 0 else '-'}:{exchange_id}"


def topic_data(topic: str) -> str:
    """Callback data of a topic button."""
    return _fit(f"t:{topic}", "T:", topic)


def lang_data(choice: str) -> str:
    """Callback data of a /lang button (de, en, zh or auto)."""
    return f"l:{choice}"


def forget_data(confirm: bool, owner: int) -> str:
    """Callback data of the /forget prompt's buttons, bound to the user who asked."""
    return f"{FORGET_YES if confirm else FORGET_NO}:{owner}"


def handoff_data(op: Literal["h", "s", "c"], exchange_id: str) -> str:
    """A stakeholder's press-office button: ask (h), send (s) or cancel (c) for an exchange."""
    return f"p:{op}:{exchange_id}"


def ticket_data(op: Literal["k", "d", "n"], ticket_id: int) -> str:
    """A staff button on a ticket: claim (k), dismiss (d), start a draft intent (n)."""
    return f"q:{op}:{ticket_id}"


def ticket_add_data(ticket_id: int, intent_id: str) -> str:
    """A staff button that adds the ticket's question to an intent."""
    return _fit(f"q:a:{ticket_id}:{intent_id}", f"q:A:{ticket_id}:", intent_id)


def notify_data(intent_id: str, lang: str) -> str:
    """The "notify me if this changes" button of an answer."""
    return _fit(f"n:{lang}:{intent_id}", f"N:{lang}:", intent_id)


def notice_data(send: bool, notice_id: int) -> str:
    """An admin's Send / Skip on an update notice."""
    return f"u:{'s' if send else 'k'}:{notice_id}"


def parse_data(data: str | None) -> Tap | None:
    """Decode callback data; None for anything this bot did not make (or no longer makes)."""
    if not data or not fits(data):
        return None
    for action, pattern in PATTERNS.items():
        match = pattern.match(data)
        if match is not None:
            return _tap(action, match)
    return None


def _tap(action: Action, match: re.Match[str]) -> Tap:
    found = match.groupdict()
    arg = found.get("arg") or ""
    if action == "intent":
        script = next((s for s in SCRIPTS if s == found.get("script")), None)
        return Tap(action, arg, found["lang"], hashed=found["kind"] == "h", script=script)
    if action == "feedback":
        return Tap(action, arg, value=1 if found["sign"] == "+" else -1)
    if action == "topic":
        return Tap(action, arg, hashed=found["kind"] == "T")
    if action in ("handoff", "notice"):
        return Tap(action, arg, op=found["op"])
    if action == "ticket":
        if found.get("add"):
            return Tap(action, found["tid"], op="a", extra=found["extra"], hashed=found["add"] == "A")
        return Tap(action, arg, op=found["op"])
    if action == "notify":
        return Tap(action, arg, found["lang"], hashed=found["kind"] == "N")
    if action == "forget":
        owner = found.get("owner")
        return Tap(action, "yes" if arg == "y" else "no", owner=int(owner) if owner else None)
    return Tap(action, arg)


def resolve(tap: Tap, names: Iterable[str]) -> str | None:
    """The intent id or topic a tap refers to, if it still exists in `names`."""
    for name in names:
        if name == tap.arg or (tap.hashed and short_hash(name) == tap.arg):
            return name
    return None
