"""Erasing one user: the single implementation behind `/forget` and `review forget`.

Complete or nothing. The erasure takes the database's write lock, deletes the rows, rewrites the
spill files aside under the spill's lock, commits, and only then puts the rewritten spill files in
place; when any step before the commit fails, the database rolls back and the spill files stay as
they were. Deleted text would live on in the WAL (and in freed pages) until a checkpoint, so the
delete runs with `secure_delete` and is wrapped in two `wal_checkpoint(TRUNCATE)`s, each retried
for a bounded time while another connection reads or writes: the one before refuses to start
(nothing erased) when the log stays busy, the one after wipes the copies (`Connection.wipe`; a server's WAL is
out of our reach). On a plain connection of the store, so the review and the bot (from a worker
thread) share it. No telegram here.

Every table that holds a row of a user or of the user's private chat is named in FORGET_SQL or
FORGET_INBOX (a private chat's pseudonym is the user's: its id is the user's id); the review
console's tables hold admins' sign-ins and actions, press_handoffs a cluster's questions with
no pseudonym (bot.store.handoffs), and press_notices no user. The inbox keeps a
finished update's id, chat key and times (no text): those rows go too, and so does the row of the
update being handled (`handling`, the /forget tap itself); updates of the chat still waiting to
be answered stay, to be answered. The press office's group still shows the user's tickets:
`Erasure.tickets` names their messages so that the caller (the bot) can edit them.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from bot.errors import StoreUnavailable
from bot.store.contract import Connection
from bot.store.spill import SpillFile, SpillRewrite

FORGET_SQL = (
    "DELETE FROM feedback WHERE user_ps = :ps "
    "OR exchange_id IN (SELECT id FROM exchanges WHERE user_ps = :ps)",
    "DELETE FROM exchanges WHERE user_ps = :ps",
    "DELETE FROM press_tickets WHERE user_ps = :ps",  # the press office's tickets (raw chat ids)
    "DELETE FROM press_subscriptions WHERE user_ps = :ps",
    "DELETE FROM press_deliveries WHERE user_ps = :ps",  # a notice under way to them: not sent
    "DELETE FROM prefs WHERE user_ps = :ps",  # the /lang pin (bot.store.prefs)
    "DELETE FROM chat_state WHERE user_ps = :ps",  # follow-up context, flood window (bot.store.chat_state)
)
# The inbox (bot.store.inbox) under the private chat's key: finished updates, and the one being
# handled (its later "sent"/"done" marks then change nothing). Not counted: no entry of the user's,
# only ids and times.
FORGET_INBOX = (
    "DELETE FROM inbox WHERE chat_key = :ps AND (state IN ('done', 'failed') OR update_id <= :upto)"
)
# The user's tickets whose message in the press office's group shows the question.
TICKET_MESSAGES = (
    "SELECT id, group_message_id FROM press_tickets WHERE user_ps = :ps "
    "AND group_message_id IS NOT NULL ORDER BY id"
)
ERASE_TIMEOUT = 5.0  # seconds to wait for other connections before giving up (or after: warning)


_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Erasure:
    """What `erase_user` did: rows erased, and whether old copies may still sit in the files."""

    erased: int
    residue: bool  # the final checkpoint could not finish in time: copies wait for the next one
    tickets: tuple[tuple[int, int], ...] = ()  # (ticket id, its message id in the press group)


def forget_rows(
    conn: Connection,
    user_ps: str,
    spill: SpillFile | None,
    *,
    timeout: float = ERASE_TIMEOUT,
    handling: int | None = None,
) -> int:
    """Erase every row of pseudonym `user_ps`, in the database and in `spill` (the store's spill
    file, bot.store.store.Store.spill_path), in one step; return how many rows.

    Raises StoreUnavailable, with nothing erased, when the log cannot be written within `timeout`.
    """
    return erase_user(conn, user_ps, spill, timeout=timeout, handling=handling).erased


def erase_user(
    conn: Connection,
    user_ps: str,
    spill: SpillFile | None,
    *,
    timeout: float = ERASE_TIMEOUT,
    handling: int | None = None,
) -> Erasure:
    """The erasure itself (see the module docstring); `handling` is the id of the update being
    handled (the bot's /forget), whose inbox row goes too."""
    deadline = time.monotonic() + timeout
    try:
        conn.execute("PRAGMA secure_delete = ON")  # freed pages are zeroed, not left as they were
        busy = not conn.wipe(deadline)
    except StoreUnavailable as exc:
        raise StoreUnavailable(
            exc.kind, f"could not erase ({exc}), so nothing was erased; try again later"
        ) from exc
    if busy:
        raise StoreUnavailable(
            "locked", "another connection is using the log, so nothing was erased; try again later"
        )
    try:
        rewrite: SpillRewrite | None = None
        try:
            with conn.transaction():
                tickets = tuple(
                    (int(r[0]), int(r[1])) for r in conn.execute(TICKET_MESSAGES, {"ps": user_ps}).fetchall()
                )
                params = {"ps": user_ps, "upto": -1 if handling is None else handling}
                erased = sum(conn.execute(sql, params).rowcount for sql in FORGET_SQL)
                conn.execute(FORGET_INBOX, params)
                if spill is not None:
                    rewrite = spill.without(user_ps)
        except BaseException:
            if rewrite is not None:
                rewrite.discard()
            raise
    except StoreUnavailable as exc:
        raise StoreUnavailable(
            exc.kind, f"could not erase ({exc}), so nothing was erased; try again later"
        ) from exc
    except OSError as exc:  # the spill file cannot be rewritten
        raise StoreUnavailable(
            "spill",
            f"{spill.path if spill else ''}: could not erase ({exc.strerror or exc}), so nothing "
            "was erased; try again later",
        ) from exc
    if rewrite is not None:
        rewrite.apply()
        erased += rewrite.removed
    try:
        clean = conn.wipe(max(deadline, time.monotonic() + timeout / 2))
    except StoreUnavailable as exc:
        _log.warning("checkpoint after the erasure failed (%s)", exc)
        clean = False
    if not clean:
        _log.warning(
            "rows erased, but a reader kept the WAL busy; old copies stay in the file until the "
            "next checkpoint"
        )
    return Erasure(erased, residue=not clean, tickets=tickets)
