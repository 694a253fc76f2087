"""The PostgreSQL fixtures: `pg_server` (one server per session, from bot.testing.postgres, or the
one `BOT_TEST_PG_URL` names, as `.ci/postgres.sh start` sets it) and `pg_url` (a fresh database per
test). Both skip with the reason when PostgreSQL or psycopg is missing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.testing.postgres import ENV_URL, PostgresServer, find_bin


def create_database(admin_url: str) -> str:
    """A new empty database (C collation) on the server of `admin_url`; its URL."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(
            f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'".encode()
        )
    return admin_url.rsplit("/", 1)[0] + "/" + name


def drop_database(admin_url: str, url: str) -> None:
    """Drop the database of `url` (ending its sessions)."""
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)".encode())


# ---- fixtures ------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """The admin URL of a PostgreSQL server for this session (skips when there is none)."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("PostgreSQL tests skipped: psycopg is not installed (pip install 'psycopg[binary]')")
    given = os.environ.get(ENV_URL)
    if given:
        yield given
        return
    bin_dir = find_bin()
    if bin_dir is None:
        pytest.skip(
            "PostgreSQL tests skipped: initdb/pg_ctl not found (apt install postgresql, or set PG_BIN)"
        )
    folder = Path(tempfile.mkdtemp(prefix="bot-pg-"))
    server = PostgresServer(folder, bin_dir)
    try:
        url = server.start()
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
        pytest.skip(f"PostgreSQL tests skipped: the server could not be started ({exc})")
    server.stop_when_gone(os.getpid())  # also when this run is killed before its teardown
    try:
        yield url
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A fresh, empty database on the session's server, dropped afterwards."""
    url = create_database(pg_server)
    try:
        yield url
    finally:
        drop_database(pg_server, url)
