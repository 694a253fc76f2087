"""BOT_DB_URL parsing and the dialect translation, without any database (bot.store.dialect)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import StoreError
from bot.store import forget, inbox, retention
from bot.store.dialect import (
    POSTGRESQL,
    SQLITE,
    PostgresTarget,
    SqliteTarget,
    dialect_of,
    parse_db_url,
    redact_url,
)
from bot.store.schema import EXCHANGE_OWNED_BY, INSERT_EXCHANGE, MIGRATIONS, UPSERT_FEEDBACK

DEFAULT = Path("/var/lib/bot/log.db")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(None, SqliteTarget(DEFAULT), id="unset-keeps-BOT_DB_PATH"),
        pytest.param("", SqliteTarget(DEFAULT), id="empty-keeps-BOT_DB_PATH"),
        pytest.param("  ", SqliteTarget(DEFAULT), id="blank-keeps-BOT_DB_PATH"),
        pytest.param("data/log.db", SqliteTarget(Path("data/log.db")), id="relative-path"),
        pytest.param("/srv/log.db", SqliteTarget(Path("/srv/log.db")), id="absolute-path"),
        pytest.param("sqlite:///data/log.db", SqliteTarget(Path("data/log.db")), id="sqlite-url-relative"),
        pytest.param("sqlite:////srv/log.db", SqliteTarget(Path("/srv/log.db")), id="sqlite-url-absolute"),
        pytest.param("sqlite:///my%20log.db", SqliteTarget(Path("my log.db")), id="sqlite-url-quoted"),
        pytest.param(
            "postgresql://bot:s3cret@db.example:5432/botlog",
            PostgresTarget("postgresql://bot:s3cret@db.example:5432/botlog"),
            id="postgresql",
        ),
        # libpq's older scheme name is accepted too
        pytest.param(
            "postgres://bot@127.0.0.1/botlog",
            PostgresTarget("postgres://bot@127.0.0.1/botlog"),
            id="postgres",
        ),
        # a Unix socket folder given as a query parameter instead of a host
        pytest.param(
            "postgresql:///botlog?host=/run/postgresql",
            PostgresTarget("postgresql:///botlog?host=/run/postgresql"),
            id="socket-in-query",
        ),
    ],
)
def test_db_url_names_the_backend(value: str | None, expected: object) -> None:
    """Unset or a path stays SQLite; a postgresql:// URL selects the server."""
    assert parse_db_url(value, DEFAULT) == expected


@pytest.mark.parametrize(
    ("value", "words"),
    [
        pytest.param("mysql://u:p@h/db", "not supported", id="other-scheme"),
        pytest.param("sqlite://log.db", "sqlite:///", id="sqlite-two-slashes"),
        pytest.param("postgresql://bot:pw@/botlog", "no host", id="no-host"),
        pytest.param("postgresql://bot:pw@db:5432/", "no database", id="no-database"),
        pytest.param("postgresql://bot:pw@db:port/botlog", "port", id="port-not-a-number"),
    ],
)
def test_bad_db_url_is_a_sentence_without_the_password(value: str, words: str) -> None:
    """A wrong URL fails with how to write it, and never echoes the password."""
    with pytest.raises(StoreError) as caught:
        parse_db_url(value, DEFAULT)
    assert words in str(caught.value)
    assert "pw@" not in str(caught.value) and ":p@" not in str(caught.value)


def test_postgres_target_never_shows_its_password() -> None:
    """describe(), repr() and redact_url() hide the password; the URL itself keeps it."""
    target = PostgresTarget("postgresql://bot:hunter2@db:5432/botlog")
    for shown in (target.describe(), repr(target), redact_url(target.url), str(target)):
        assert "hunter2" not in shown
    assert target.describe() == "postgresql://bot:***@db:5432/botlog"
    assert redact_url("postgresql://bot@db/botlog") == "postgresql://bot@db/botlog"


def test_dialect_of_target() -> None:
    """Each target speaks its own dialect."""
    assert dialect_of(SqliteTarget(DEFAULT)) is SQLITE
    assert dialect_of(PostgresTarget("postgresql://h/db")) is POSTGRESQL


@pytest.mark.parametrize(
    ("sqlite", "postgresql"),
    [
        pytest.param(
            "SELECT 1 FROM t WHERE a = ? AND b = ?", "SELECT 1 FROM t WHERE a = %s AND b = %s", id="qmark"
        ),
        pytest.param("DELETE FROM t WHERE ps = :ps", "DELETE FROM t WHERE ps = %(ps)s", id="named"),
        # a ? or :word inside a literal is text, not a placeholder; a literal % is doubled outside
        pytest.param(
            "SELECT coalesce(lang, '?'), ':x' FROM t WHERE a LIKE 'x%' AND b = ?",
            "SELECT coalesce(lang, '?'), ':x' FROM t WHERE a LIKE 'x%' AND b = %s",
            id="literals-left-alone",
        ),
        pytest.param("SELECT a % 2 FROM t", "SELECT a %% 2 FROM t", id="modulo-doubled"),
        pytest.param(
            "INSERT OR IGNORE INTO t (a) VALUES (?)",
            "INSERT INTO t (a) VALUES (%s) ON CONFLICT DO NOTHING",
            id="insert-or-ignore",
        ),
        # two arguments: the scalar; one argument: the aggregate stays
        pytest.param("UPDATE t SET n = max(n, ?)", "UPDATE t SET n = greatest(n, %s)", id="scalar-max"),
        pytest.param("SELECT max(ts), min(ts) FROM t", "SELECT max(ts), min(ts) FROM t", id="aggregate-max"),
        pytest.param(
            "SELECT min(a, coalesce(b, 1))", "SELECT least(a, coalesce(b, 1))", id="scalar-min-nested"
        ),
        pytest.param(
            "SELECT sum(outcome = 'answered') FROM t",
            "SELECT sum(CASE WHEN outcome = 'answered' THEN 1 ELSE 0 END) FROM t",
            id="sum-of-boolean",
        ),
        pytest.param("SELECT sum(value) FROM t", "SELECT sum(value) FROM t", id="sum-of-number"),
        pytest.param("SELECT substr(ts, 1, 10) FROM t", "SELECT substr(ts, 1, 10) FROM t", id="day"),
        pytest.param("SELECT a || char(10, 10)", "SELECT a || (chr(10) || chr(10))", id="char-codes"),
    ],
)
def test_statements_are_spelled_for_postgresql(sqlite: str, postgresql: str) -> None:
    """The store's SQLite spelling becomes PostgreSQL's; SQLite gets it unchanged."""
    assert POSTGRESQL.sql(sqlite) == postgresql
    assert SQLITE.sql(sqlite) == sqlite


def test_pragmas_are_skipped_on_postgresql() -> None:
    """PRAGMA has no PostgreSQL meaning: the statement is dropped, not sent."""
    assert POSTGRESQL.sql("PRAGMA secure_delete = ON") is None
    assert POSTGRESQL.ddl("  pragma user_version = 3") is None
    assert SQLITE.sql("PRAGMA secure_delete = ON") == "PRAGMA secure_delete = ON"


@pytest.mark.parametrize(
    ("sqlite", "postgresql"),
    [
        pytest.param(
            "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, n INTEGER, x REAL)",
            "CREATE TABLE t (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, n BIGINT, "
            "x DOUBLE PRECISION)",
            id="autoincrement-bigint-double",
        ),
        pytest.param(
            "CREATE TABLE p (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID",
            "CREATE TABLE p (k TEXT PRIMARY KEY, v TEXT)",
            id="without-rowid",
        ),
        # the word inside a literal (a CHECK's values) is data
        pytest.param(
            "CREATE TABLE c (s TEXT CHECK (s IN ('INTEGER', 'REAL')))",
            "CREATE TABLE c (s TEXT CHECK (s IN ('INTEGER', 'REAL')))",
            id="literal-words-kept",
        ),
    ],
)
def test_migrations_are_spelled_for_postgresql(sqlite: str, postgresql: str) -> None:
    """DDL: 64-bit integers (Telegram ids pass 2^31), identity columns, no WITHOUT ROWID."""
    assert POSTGRESQL.ddl(sqlite) == postgresql


def test_every_migration_and_store_statement_translates_to_something_postgresql_can_parse() -> None:
    """No statement the store runs keeps a SQLite-only spelling after translation."""
    statements = [s for step in MIGRATIONS for s in step]
    ddl = [POSTGRESQL.ddl(s) for s in statements]
    data = [
        INSERT_EXCHANGE,
        UPSERT_FEEDBACK,
        EXCHANGE_OWNED_BY,
        *forget.FORGET_SQL,
        *retention.PURGE_SQL,
        inbox.INSERT,
        inbox.MARK_DONE,
        inbox.MARK_SENT,
        inbox.UNFINISHED,
        inbox.COUNT_START,
        inbox.GIVE_UP,
        inbox.PURGE,
        inbox.EXPIRE,
        inbox.COUNTS,
    ]
    for text in [*(d for d in ddl if d), *(POSTGRESQL.sql(s) or "" for s in data)]:
        for sqlite_only in ("WITHOUT ROWID", "AUTOINCREMENT", "INSERT OR", " REAL", "?", ":ps", "max(sends"):
            assert sqlite_only not in text, (sqlite_only, text)


# ---- the setting ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("env", "db_url", "error"),
    [
        pytest.param({}, None, None, id="unset-is-sqlite"),
        pytest.param(
            {"BOT_DB_URL": "postgresql://bot:pw@db:5432/log", "BOT_PSEUDONYM_KEY": "k"},
            "postgresql://bot:pw@db:5432/log",
            None,
            id="server-with-key",
        ),
        # replicas on several machines would each make their own key file: pseudonyms would differ
        pytest.param(
            {"BOT_DB_URL": "postgresql://bot:pw@db:5432/log"}, None, "BOT_PSEUDONYM_KEY", id="server-no-key"
        ),
        pytest.param({"BOT_DB_URL": "sqlite:///x.db"}, None, "BOT_DB_PATH", id="sqlite-url-says-use-path"),
        pytest.param({"BOT_DB_URL": "mysql://h/db"}, None, "not supported", id="other-scheme"),
    ],
)
def test_bot_db_url_setting(env: dict[str, str], db_url: str | None, error: str | None) -> None:
    """Settings take BOT_DB_URL for a server, fail with one sentence otherwise, never show it."""
    from bot.errors import SettingsError
    from bot.settings import Settings

    if error is None:
        settings = Settings.from_env(env, env_file=None)
        assert settings.db_url == db_url
        assert "pw" not in repr(settings)
        return
    with pytest.raises(SettingsError, match=error) as caught:
        Settings.from_env(env, env_file=None)
    assert ":pw@" not in str(caught.value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(None, 1, id="default-one"),
        pytest.param("2", 2, id="two"),
        pytest.param("0", None, id="zero-refused"),
        pytest.param("65", None, id="too-many-refused"),
    ],
)
def test_bot_replicas_setting(value: str | None, expected: int | None) -> None:
    """BOT_REPLICAS says how many replicas share Telegram's limits (1..64)."""
    from bot.errors import SettingsError
    from bot.settings import Settings

    env = {} if value is None else {"BOT_REPLICAS": value}
    if expected is None:
        with pytest.raises(SettingsError, match="BOT_REPLICAS"):
            Settings.from_env(env, env_file=None)
    else:
        assert Settings.from_env(env, env_file=None).replicas == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(None, 30.0, id="default-30-s"),  # bot.store.queue.LEASE_S
        pytest.param("5", 5.0, id="five"),
        pytest.param("0.5", None, id="under-a-second-refused"),
        pytest.param("3601", None, id="over-an-hour-refused"),
    ],
)
def test_claim_lease_setting(value: str | None, expected: float | None) -> None:
    """BOT_CLAIM_LEASE_SECONDS: how long a replica's claim on an update lasts unless renewed."""
    from bot.errors import SettingsError
    from bot.settings import Settings
    from bot.store.queue import LEASE_S

    env = {} if value is None else {"BOT_CLAIM_LEASE_SECONDS": value}
    if expected is None:
        with pytest.raises(SettingsError, match="BOT_CLAIM_LEASE_SECONDS"):
            Settings.from_env(env, env_file=None)
    else:
        assert Settings.from_env(env, env_file=None).claim_lease_s == expected
    assert Settings().claim_lease_s == LEASE_S  # the dataclass default is the queue's
