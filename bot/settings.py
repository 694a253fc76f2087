"""One typed Settings object, built once from the environment and `.env`, validated at start.

Nothing else in the project reads `os.environ`. Every variable is documented in `.env.example`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from bot.errors import SettingsError

TOKEN_RE = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{20,}$")
DEFAULT_API_URL = "https://api.telegram.org/bot"
LANGS = ("de", "en", "zh")


def read_env_file(path: Path) -> dict[str, str]:
    """Parse a `.env` file of `KEY=value` lines; comments and blank lines are skipped."""
    values: dict[str, str] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return values
    except OSError as exc:
        raise SettingsError(f"{path}: cannot be read ({exc.strerror})") from exc
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[len("export ") :].lstrip()
        key, sep, value = line.partition("=")
        if not sep or not key.strip():
            raise SettingsError(f"{path}:{lineno}: expected KEY=value")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip()] = value
    return values


N = TypeVar("N", int, float)


def _number(env: Mapping[str, str], name: str, default: N, lo: N, hi: N, cast: type[N]) -> N:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = cast(raw)
    except ValueError:
        kind = "a whole number" if cast is int else "a number"
        raise SettingsError(f"{name}={raw!r} is not {kind}") from None
    if not lo <= value <= hi:
        raise SettingsError(f"{name}={value} is out of range ({lo} to {hi})")
    return value


def _int(env: Mapping[str, str], name: str, default: int, lo: int, hi: int) -> int:
    return _number(env, name, default, lo, hi, int)


def _float(env: Mapping[str, str], name: str, default: float, lo: float, hi: float) -> float:
    return _number(env, name, default, lo, hi, float)


def _switch(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in {"1", "on", "true", "yes"}:
        return True
    if raw in {"0", "off", "false", "no"}:
        return False
    raise SettingsError(f"{name}={raw!r} must be on or off")


def _cache_dir(env: Mapping[str, str]) -> Path | None:
    """BOT_CACHE_DIR: a folder, 'off', or empty for $XDG_CACHE_HOME (or ~/.cache)/stakeholder-bot."""
    value = env.get("BOT_CACHE_DIR", "").strip()
    if value.lower() == "off":
        return None
    if value:
        return Path(value)
    base = env.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / "stakeholder-bot"


def _check_bands(answer: float | None, suggest: float | None) -> None:
    """Refuse an answer threshold below the suggest threshold (a default fills in an unset one)."""
    from bot.core.engine import ANSWER_PROBABILITY, SUGGEST_PROBABILITY

    a = ANSWER_PROBABILITY if answer is None else answer
    s = SUGGEST_PROBABILITY if suggest is None else suggest
    if a < s:
        shown_a = f"MATCH_ANSWER_THRESHOLD={a:g}" + (" (the default)" if answer is None else "")
        shown_s = f"MATCH_SUGGEST_THRESHOLD={s:g}" + (" (the default)" if suggest is None else "")
        raise SettingsError(
            f"{shown_a} is below {shown_s}: the bot answers at or above the first and offers "
            "'did you mean' between the two, so set the answer threshold at or above the "
            "suggest threshold"
        )


def _press_chat(env: Mapping[str, str]) -> int | None:
    """PRESS_CHAT_ID: the numeric id of the press office's Telegram group, or empty (off)."""
    raw = env.get("PRESS_CHAT_ID", "").strip()
    if not raw:
        return None
    if not re.fullmatch(r"-\d+", raw):
        raise SettingsError(
            f"PRESS_CHAT_ID={raw!r} must be the numeric id of a group (negative, e.g. "
            "-1001234567890); add the bot to the group and read the id from an update"
        )
    return int(raw)


def _db_url(merged: Mapping[str, str]) -> str | None:
    """BOT_DB_URL when it names a PostgreSQL server (checked by the store's parser), else None.

    Replicas on several machines must pseudonymise alike, so a server needs BOT_PSEUDONYM_KEY.
    """
    raw = merged.get("BOT_DB_URL", "").strip()
    if not raw:
        return None
    from bot.errors import StoreError
    from bot.store.dialect import PostgresTarget, parse_db_url

    try:
        target = parse_db_url(raw, Path("unused"))
    except StoreError as exc:
        raise SettingsError(str(exc)) from None
    if not isinstance(target, PostgresTarget):
        raise SettingsError(
            "BOT_DB_URL names a SQLite file: set BOT_DB_PATH to it instead (BOT_DB_URL is for a server)"
        )
    if not merged.get("BOT_PSEUDONYM_KEY", "").strip():
        raise SettingsError(
            "BOT_DB_URL names a server shared by replicas: set BOT_PSEUDONYM_KEY (the same secret "
            "in every replica) so that a user has one pseudonym whichever replica answers"
        )
    return target.url


def _console_url(env: Mapping[str, str]) -> str:
    """CONSOLE_URL: the review console's public address, http(s)://host[:port][/path]."""
    raw = env.get("CONSOLE_URL", "").strip() or "http://127.0.0.1:8080"
    if not re.fullmatch(r"https?://[A-Za-z0-9.\-\[\]:]+(/[A-Za-z0-9._~/-]*)?", raw):
        raise SettingsError(
            f"CONSOLE_URL={raw[:80]!r} must be the console's address, e.g. https://review.example.org"
        )
    return raw.rstrip("/")


@dataclass(frozen=True)
class Settings:
    """Everything the bot can be told from outside; see `.env.example`."""

    token: str | None = field(default=None, repr=False)
    api_url: str = DEFAULT_API_URL
    admin_ids: frozenset[int] = frozenset()
    knowledge_dir: Path = Path("knowledge")
    db_path: Path = Path("data/conversations.sqlite3")
    pseudonym_key: str | None = field(default=None, repr=False)
    db_url: str | None = field(default=None, repr=False)  # BOT_DB_URL: a server (holds its password)
    spill_dir: Path | None = None  # BOT_SPILL_DIR: spill and sent-record files; None: beside BOT_DB_PATH
    retention_days: int = 180
    webhook_url: str | None = None
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8443
    webhook_secret: str | None = field(default=None, repr=False)
    log_level: str = "INFO"
    flood_per_minute: int = 20
    answer_threshold: float | None = None
    suggest_threshold: float | None = None
    reload_debounce_s: float = 0.5
    rate_limit: bool = True
    replicas: int = 1  # BOT_REPLICAS: replicas sharing Telegram's limits; each takes 1/replicas of them
    claim_lease_s: float = 30.0  # replicas: a claim not renewed this long is taken over (bot.store.queue)
    cache_dir: Path | None = None  # trained model cache; None: no cache
    context_ttl_s: float = 600.0  # how long a chat's follow-up context lasts
    press_chat_id: int | None = None  # the press office's group: hand-off, relay, /tickets
    press_contact: str | None = None  # contact line shown in declines when there is no group
    press_retention_days: int = 30  # a closed ticket keeps the asker's chat id this long
    subscription_days: int = 30  # "notify me if this changes" lasts this long
    console_url: str = "http://127.0.0.1:8080"  # the review console's public address (sign-in links)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, env_file: Path | None = Path(".env")) -> Settings:
        """Build from `.env` (if present) overlaid by the process environment; fail on bad values."""
        merged: dict[str, str] = dict(read_env_file(env_file)) if env_file else {}
        merged.update(os.environ if env is None else env)
        token = merged.get("TELEGRAM_BOT_TOKEN", "").strip() or None
        if token is not None and not TOKEN_RE.match(token):
            raise SettingsError(
                "TELEGRAM_BOT_TOKEN is malformed (expected digits, a colon and the secret, "
                "as @BotFather gives it)"
            )
        api_url = merged.get("TELEGRAM_API_URL", "").strip() or DEFAULT_API_URL
        if not re.match(r"^https?://", api_url):
            raise SettingsError(f"TELEGRAM_API_URL={api_url!r} must start with http:// or https://")
        admins: set[int] = set()
        for part in re.split(r"[,\s]+", merged.get("BOT_ADMIN_IDS", "").strip()):
            if not part:
                continue
            if not re.fullmatch(r"-?\d+", part):
                raise SettingsError(f"BOT_ADMIN_IDS: {part!r} is not a numeric Telegram user id")
            admins.add(int(part))
        webhook_url = merged.get("WEBHOOK_URL", "").strip() or None
        if webhook_url is not None and not webhook_url.startswith("https://"):
            raise SettingsError("WEBHOOK_URL must start with https:// (Telegram requires HTTPS)")
        secret = merged.get("WEBHOOK_SECRET", "").strip() or None
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
            raise SettingsError("WEBHOOK_SECRET may hold only A-Z, a-z, 0-9, _ and - (1-256)")
        level = (merged.get("BOT_LOG_LEVEL", "").strip() or "INFO").upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise SettingsError(f"BOT_LOG_LEVEL={level!r} must be DEBUG, INFO, WARNING or ERROR")
        db_url = _db_url(merged)
        answer_t = _float(merged, "MATCH_ANSWER_THRESHOLD", -1.0, 0.0, 1.0)
        suggest_t = _float(merged, "MATCH_SUGGEST_THRESHOLD", -1.0, 0.0, 1.0)
        _check_bands(None if answer_t < 0 else answer_t, None if suggest_t < 0 else suggest_t)
        return cls(
            token=token,
            api_url=api_url.rstrip("/") if api_url != DEFAULT_API_URL else api_url,
            admin_ids=frozenset(admins),
            knowledge_dir=Path(merged.get("KNOWLEDGE_DIR", "").strip() or "knowledge"),
            db_path=Path(merged.get("BOT_DB_PATH", "").strip() or "data/conversations.sqlite3"),
            pseudonym_key=merged.get("BOT_PSEUDONYM_KEY", "").strip() or None,
            db_url=db_url,
            spill_dir=Path(v) if (v := merged.get("BOT_SPILL_DIR", "").strip()) else None,
            retention_days=_int(merged, "LOG_RETENTION_DAYS", 180, 1, 36500),
            webhook_url=webhook_url,
            webhook_listen=merged.get("WEBHOOK_LISTEN", "").strip() or "0.0.0.0",
            webhook_port=_int(merged, "WEBHOOK_PORT", 8443, 1, 65535),
            webhook_secret=secret,
            log_level=level,
            flood_per_minute=_int(merged, "BOT_FLOOD_PER_MINUTE", 20, 1, 10000),
            answer_threshold=None if answer_t < 0 else answer_t,
            suggest_threshold=None if suggest_t < 0 else suggest_t,
            reload_debounce_s=_float(merged, "KNOWLEDGE_RELOAD_DEBOUNCE", 0.5, 0.05, 60.0),
            rate_limit=_switch(merged, "TELEGRAM_RATE_LIMIT", True),
            replicas=_int(merged, "BOT_REPLICAS", 1, 1, 64),
            claim_lease_s=_float(merged, "BOT_CLAIM_LEASE_SECONDS", 30.0, 1.0, 3600.0),
            cache_dir=_cache_dir(merged),
            context_ttl_s=_float(merged, "BOT_CONTEXT_MINUTES", 10.0, 0.0, 1440.0) * 60.0,
            press_chat_id=_press_chat(merged),
            press_contact=" ".join(merged.get("PRESS_CONTACT", "").split())[:300] or None,
            press_retention_days=_int(merged, "PRESS_TICKET_RETENTION_DAYS", 30, 1, 3650),
            subscription_days=_int(merged, "PRESS_SUBSCRIPTION_DAYS", 30, 1, 3650),
            console_url=_console_url(merged),
        )
