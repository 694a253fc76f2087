"""The conversation log's SQLite file: schema migrations, opening it, and the SQL shared by the
writer (bot.store.writer), the erasure (bot.store.forget) and the review.

Plain sqlite3 only, so the review can read the log without an event loop. Timestamps are stored
as fixed-width UTC text (`format_ts`), so text order is time order and a day is `substr(ts, 1, 10)`.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from bot.errors import StoreError
from bot.store.faults import StoreUnavailable, describe_fault
from bot.store.forget import FORGET_SQL, forget_rows
from bot.store.spill import spill_path_for
from bot.store.transaction import immediate

__all__ = [
    "EXCHANGE_COLUMNS",
    "EXCHANGE_OWNED_BY",
    "FEEDBACK_COLUMNS",
    "FORGET_SQL",
    "INSERT_EXCHANGE",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "UPSERT_FEEDBACK",
    "StoreUnavailable",
    "describe_fault",
    "forget_rows",
    "format_ts",
    "migrate",
    "open_db",
    "schema_version",
    "spill_path_for",
]

# Ordered migrations; migration N takes a database from user_version N-1 to N. Never edit one that
# has shipped: add a new one (tests build every older version from this list).
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (  # 1: the exchanges
        """CREATE TABLE exchanges (
            id TEXT PRIMARY KEY, ts TEXT NOT NULL, channel TEXT NOT NULL,
            user_ps TEXT, chat_ps TEXT, chat_type TEXT NOT NULL, kind TEXT NOT NULL,
            text TEXT NOT NULL, reply TEXT NOT NULL, lang TEXT, intent TEXT,
            confidence REAL, outcome TEXT NOT NULL, latency_ms REAL)""",
        "CREATE INDEX exchanges_ts ON exchanges (ts)",
    ),
    (  # 2: the language pinned by /lang, and feedback (one vote per user and exchange)
        "ALTER TABLE exchanges ADD COLUMN lang_pinned TEXT",
        """CREATE TABLE feedback (
            exchange_id TEXT NOT NULL, user_ps TEXT NOT NULL DEFAULT '', channel TEXT NOT NULL,
            value INTEGER NOT NULL CHECK (value IN (-1, 1)), ts TEXT NOT NULL,
            PRIMARY KEY (exchange_id, user_ps)) WITHOUT ROWID""",
        "CREATE INDEX feedback_ts ON feedback (ts)",
    ),
    (  # 3: indexes for the review queries, forget and retention
        "CREATE INDEX exchanges_outcome_ts ON exchanges (outcome, ts)",
        "CREATE INDEX exchanges_intent ON exchanges (intent)",
        "CREATE INDEX exchanges_user ON exchanges (user_ps)",
        "CREATE INDEX feedback_user ON feedback (user_ps)",
    ),
    (  # 4: the press office: tickets, "notify me" subscriptions, update notices (bot.store.press)
        """CREATE TABLE press_tickets (
            id INTEGER PRIMARY KEY AUTOINCREMENT, exchange_id TEXT NOT NULL UNIQUE,
            user_ps TEXT NOT NULL, chat_id INTEGER, user_name TEXT, lang TEXT NOT NULL,
            question TEXT NOT NULL, intent TEXT, confidence REAL,
            state TEXT NOT NULL CHECK (state IN ('open', 'answered', 'dismissed')),
            claimed_by TEXT, group_message_id INTEGER, opened_ts TEXT NOT NULL,
            answered_ts TEXT, closed_ts TEXT, answers INTEGER NOT NULL DEFAULT 0, answer TEXT)""",
        "CREATE INDEX press_tickets_user ON press_tickets (user_ps, state)",
        "CREATE INDEX press_tickets_message ON press_tickets (group_message_id)",
        "CREATE INDEX press_tickets_opened ON press_tickets (opened_ts)",
        """CREATE TABLE press_subscriptions (
            user_ps TEXT NOT NULL, intent TEXT NOT NULL, chat_id INTEGER NOT NULL,
            lang TEXT NOT NULL, answer_hash TEXT NOT NULL, created_ts TEXT NOT NULL,
            expires_ts TEXT NOT NULL, PRIMARY KEY (user_ps, intent)) WITHOUT ROWID""",
        "CREATE INDEX press_subscriptions_intent ON press_subscriptions (intent)",
        """CREATE TABLE press_notices (
            id INTEGER PRIMARY KEY AUTOINCREMENT, intent TEXT NOT NULL,
            answer_hash TEXT NOT NULL, state TEXT NOT NULL CHECK (state IN ('asked', 'sent',
            'skipped')), ts TEXT NOT NULL, sent INTEGER NOT NULL DEFAULT 0,
            UNIQUE (intent, answer_hash))""",
    ),
    (  # 5: the language a user pinned with /lang, under the user's pseudonym (bot.store.prefs)
        """CREATE TABLE prefs (
            user_ps TEXT PRIMARY KEY, lang TEXT NOT NULL, ts TEXT NOT NULL) WITHOUT ROWID""",
    ),
    (  # 6: the inbox: each update stored before Telegram is told it arrived (bot.store.inbox)
        """CREATE TABLE inbox (
            update_id INTEGER PRIMARY KEY, chat_key TEXT, raw TEXT,
            state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'done', 'failed')),
            sends INTEGER NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0,
            received_at TEXT NOT NULL, updated_at TEXT NOT NULL)""",
        "CREATE INDEX inbox_state ON inbox (state, update_id)",
        "CREATE INDEX inbox_updated ON inbox (updated_at)",
    ),
    (  # 7: the inbox as a work queue shared by replicas: who holds an update until when (bot.store.queue)
        "ALTER TABLE inbox ADD COLUMN claimed_by TEXT",
        "ALTER TABLE inbox ADD COLUMN claim_until TEXT",
        "CREATE INDEX inbox_chat ON inbox (chat_key, update_id)",
    ),
    (  # 8: follow-up context and flood window per chat/user, shared by replicas (bot.store.chat_state)
        """CREATE TABLE chat_state (
            key_ps TEXT PRIMARY KEY, user_ps TEXT NOT NULL, context TEXT,
            flood_count INTEGER NOT NULL DEFAULT 0, flood_start REAL,
            updated_at TEXT NOT NULL) WITHOUT ROWID""",
        "CREATE INDEX chat_state_user ON chat_state (user_ps)",
        "CREATE INDEX chat_state_updated ON chat_state (updated_at)",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)

EXCHANGE_COLUMNS = (
    "id",
    "ts",
    "channel",
    "user_ps",
    "chat_ps",
    "chat_type",
    "kind",
    "text",
    "reply",
    "lang",
    "lang_pinned",
    "intent",
    "confidence",
    "outcome",
    "latency_ms",
)
FEEDBACK_COLUMNS = ("exchange_id", "user_ps", "channel", "value", "ts")
INSERT_EXCHANGE = (
    f"INSERT OR IGNORE INTO exchanges ({', '.join(EXCHANGE_COLUMNS)}) "
    f"VALUES ({', '.join(':' + c for c in EXCHANGE_COLUMNS)})"
)
# A user's later vote replaces the earlier one; a stale vote imported late from the spill does not.
UPSERT_FEEDBACK = (
    f"INSERT INTO feedback ({', '.join(FEEDBACK_COLUMNS)}) "
    f"VALUES ({', '.join(':' + c for c in FEEDBACK_COLUMNS)}) "
    "ON CONFLICT (exchange_id, user_ps) DO UPDATE SET value = excluded.value, "
    "ts = excluded.ts, channel = excluded.channel WHERE excluded.ts >= feedback.ts"
)
# Feedback is taken only from the user the exchange was answered to (pseudonyms compared).
EXCHANGE_OWNED_BY = "SELECT 1 FROM exchanges WHERE id = ? AND user_ps = ?"


def format_ts(ts: datetime) -> str:
    """UTC, fixed width, so that text order is time order: 2024-06-25T09:30:00.000000Z."""
    if ts.tzinfo is None:
        ts = ts.replace(tzinfo=UTC)
    return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _create_file(path: Path) -> None:
    """Create the database file with mode 0600 (SQLite gives its -wal and -shm the same mode)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.close(fd)
    except FileExistsError:
        for suffix in ("", "-wal", "-shm"):  # tighten a log made by hand or an older version
            with contextlib.suppress(OSError):
                part = path.with_name(path.name + suffix)
                if stat.S_IMODE(part.stat().st_mode) & 0o077:
                    os.chmod(part, 0o600)
    except OSError as exc:
        raise StoreUnavailable(
            "cannot-open",
            f"{path}: the conversation log cannot be created ({exc.strerror}); "
            "make the folder writable or set BOT_DB_PATH",
        ) from exc


def open_db(path: Path, *, busy_timeout: float = 5.0, create: bool = True) -> sqlite3.Connection:
    """Open the log in WAL mode (autocommit), created if `create`, migrated to the newest schema.

    Raises StoreUnavailable when the file cannot be opened or written just now, StoreError when it
    is missing (and not `create`), not a database, or newer than this code.
    """
    if create:
        _create_file(path)
    elif not path.is_file():
        raise StoreError(
            f"{path}: no conversation log here (the bot creates it when it first starts; check BOT_DB_PATH)"
        )
    try:
        conn = sqlite3.connect(path, timeout=busy_timeout, isolation_level=None)
    except sqlite3.Error as exc:
        raise StoreUnavailable(*_fault_message(path, exc)) from exc
    try:
        with _opening(path):
            conn.execute("PRAGMA journal_mode = WAL")
            migrate(conn, path)
    except StoreError:
        conn.close()
        raise
    except sqlite3.Error as exc:
        conn.close()
        kind, message = _fault_message(path, exc)
        if kind == "corrupt":
            raise StoreError(f"{message} (move it away or set BOT_DB_PATH)") from exc
        raise StoreUnavailable(kind, message) from exc
    return conn


@contextlib.contextmanager
def _opening(path: Path) -> Iterator[None]:
    """Processes and threads opening one log take turns: switching to WAL returns "database is
    locked" at once, without waiting, when another connection switches it at the same moment. The
    turn is an flock on a companion file (never on the database: closing any descriptor of it would
    drop SQLite's own locks of this process)."""
    try:
        fd = os.open(path.with_name(path.name + "-lock"), os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        yield  # a read-only folder: nothing to migrate there anyway
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the flock


def _fault_message(path: Path, exc: BaseException) -> tuple[str, str]:
    kind, reason = describe_fault(exc)
    return kind, f"{path}: {reason}"


def schema_version(conn: sqlite3.Connection) -> int:
    """The database's `PRAGMA user_version`."""
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, path: Path, target: int = SCHEMA_VERSION) -> int:
    """Apply the missing migrations up to `target`, each in its own transaction; return the version.

    `conn` must be in autocommit mode (isolation_level=None). Safe against a second process doing
    the same: each step re-reads the version under the write lock.
    """
    version = schema_version(conn)
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path}: schema version {version} is newer than this bot knows ({SCHEMA_VERSION}); "
            "update the bot or point BOT_DB_PATH at another file"
        )
    for number in range(version + 1, target + 1):
        with immediate(conn):
            if schema_version(conn) < number:
                for statement in MIGRATIONS[number - 1]:
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {number}")
    return max(version, target)
