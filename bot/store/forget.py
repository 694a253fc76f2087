"""Erasing one user: the single implementation behind `/forget` and `review forget`.

Complete or nothing. The erasure takes the database's write lock, deletes the rows, rewrites the
spill files aside under the spill's lock, commits, and only then puts the rewritten spill files in
place; when any step before the commit fails, the database rolls back and the spill files stay as
they were. Deleted text would live on in the WAL (and in freed pages) until a checkpoint, so the
delete runs with `secure_delete` and is wrapped in two `wal_checkpoint(TRUNCATE)`s, each retried
for a bounded time while another connection reads or writes: the one before refuses to start
(nothing erased) when the log stays busy, the one after wipes the copies. Plain sqlite3 only, so
the review and the bot (from a worker thread) share it. No telegram here.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from bot.store.faults import StoreUnavailable, describe_fault
from bot.store.spill import SpillFile, SpillRewrite, spill_path_for
from bot.store.transaction import immediate

FORGET_SQL = (
    "DELETE FROM feedback WHERE user_ps = :ps "
    "OR exchange_id IN (SELECT id FROM exchanges WHERE user_ps = :ps)",
    "DELETE FROM exchanges WHERE user_ps = :ps",
    "DELETE FROM press_tickets WHERE user_ps = :ps",  # the press office's tickets (raw chat ids)
    "DELETE FROM press_subscriptions WHERE user_ps = :ps",
    "DELETE FROM prefs WHERE user_ps = :ps",  # the /lang pin (bot.store.prefs)
    "DELETE FROM chat_state WHERE user_ps = :ps",  # follow-up context, flood window (bot.store.chat_state)
)
ERASE_TIMEOUT = 5.0  # seconds to wait for other connections before giving up (or after: warning)


class _Beside:
    """The spill file beside the database, where the bot keeps it unless told otherwise."""


BESIDE: Final = _Beside()
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Erasure:
    """What `erase_user` did: rows erased, and whether old copies may still sit in the files."""

    erased: int
    residue: bool  # the final checkpoint could not finish in time: copies wait for the next one


def forget_rows(
    conn: sqlite3.Connection,
    user_ps: str,
    *,
    spill: SpillFile | _Beside | None = BESIDE,
    timeout: float = ERASE_TIMEOUT,
) -> int:
    """Erase every exchange and vote of pseudonym `user_ps`, in the database and in the spill
    file (by default the one beside the database), in one step; return how many rows.

    Raises StoreUnavailable, with nothing erased, when the log cannot be written within `timeout`.
    """
    if isinstance(spill, _Beside):
        spill = SpillFile(spill_path_for(database_file(conn)), max_rows=0)
    return erase_user(conn, user_ps, spill, timeout=timeout).erased


def erase_user(
    conn: sqlite3.Connection, user_ps: str, spill: SpillFile | None, *, timeout: float = ERASE_TIMEOUT
) -> Erasure:
    """The erasure itself (see the module docstring); `conn` must be in autocommit mode."""
    where = database_file(conn)
    deadline = time.monotonic() + timeout
    on_file = isinstance(conn, sqlite3.Connection)  # else a server (bot.store.postgres): no WAL here
    try:
        conn.execute("PRAGMA secure_delete = ON")  # freed pages are zeroed, not left as they were
        if on_file and not checkpoint(conn, deadline):
            raise StoreUnavailable(
                "locked",
                f"{where}: another connection is using the log, so nothing was erased; try again later",
            )
        rewrite: SpillRewrite | None = None
        try:
            with immediate(conn):
                erased = sum(conn.execute(sql, {"ps": user_ps}).rowcount for sql in FORGET_SQL)
                if spill is not None:
                    rewrite = spill.without(user_ps)
        except BaseException:
            if rewrite is not None:
                rewrite.discard()
            raise
    except (sqlite3.Error, OSError) as exc:  # OSError: the spill file cannot be rewritten
        kind, reason = describe_fault(exc)
        raise StoreUnavailable(
            kind, f"{where}: could not erase ({reason}), so nothing was erased; try again later"
        ) from exc
    if rewrite is not None:
        rewrite.apply()
        erased += rewrite.removed
    try:
        clean = not on_file or checkpoint(conn, max(deadline, time.monotonic() + timeout / 2))
    except sqlite3.Error as exc:
        _log.warning("%s: checkpoint after the erasure failed (%s)", where, exc)
        clean = False
    if not clean:
        _log.warning(
            "%s: rows erased, but a reader kept the WAL busy; old copies stay in the file until "
            "the next checkpoint",
            where,
        )
    return Erasure(erased, residue=not clean)


def checkpoint(conn: sqlite3.Connection, deadline: float) -> bool:
    """Copy the WAL into the database and truncate it to 0 bytes; True when that happened.

    Retried until `deadline` (time.monotonic()) while another connection reads or writes.
    """
    saved = conn.execute("PRAGMA busy_timeout").fetchone()[0]
    try:
        while True:
            remaining = deadline - time.monotonic()
            conn.execute(f"PRAGMA busy_timeout = {max(0, int(remaining * 1000))}")
            try:
                busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            except sqlite3.OperationalError as exc:
                if describe_fault(exc)[0] != "locked":
                    raise
                busy = 1
            if not busy:
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(min(0.05, max(0.0, remaining)))
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(saved)}")


def database_file(conn: sqlite3.Connection) -> Path:
    """The file of `conn`'s main database (for a server: the log's local path, see bot.store.database)."""
    local = getattr(conn, "local_path", None)
    if isinstance(local, Path):
        return local
    for _, name, file in conn.execute("PRAGMA database_list"):
        if name == "main":
            return Path(file)
    raise ValueError("connection has no main database")  # pragma: no cover - sqlite always has one
