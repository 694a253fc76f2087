"""The review console's hand-offs in the running bot: a job on the JobQueue posts each queued
hand-off to the press office's group as a ticket of its own (claimed in the store first, so that
of several replicas one posts it), and a staff reply to it reaches the askers who wait on a
request of their own with the same question; the one-tap promote is the ticket's
(bot.telegram.press.handlers).

The rules live in bot.store.handoffs, the words in bot.telegram.press.texts, the messages in
bot.telegram.press.view.
"""

from __future__ import annotations

import functools
import logging
from datetime import UTC, datetime

from telegram.error import TelegramError

from bot.errors import StoreError
from bot.store import handoffs as hdb
from bot.store import press as db
from bot.store.contract import Connection
from bot.store.handoffs import Handoff
from bot.store.press import PressStore, Ticket
from bot.telegram.context import BotContext
from bot.telegram.kit import send
from bot.telegram.press.view import relay_messages, ticket_message

_log = logging.getLogger(__name__)

HANDOFF_EVERY_S = 3.0  # how often the console's queued hand-offs are looked for


async def post_handoffs(context: BotContext) -> None:
    """Post the hand-offs the review console queued to the press office's group, each once."""
    runtime = context.bot_data
    store, chat = runtime.press, runtime.settings.press_chat_id
    if store is None or chat is None:
        return
    try:
        due = await store.run(lambda conn: hdb.due(conn, datetime.now(UTC)))
    except StoreError as exc:
        _log.warning("hand-offs: %s", exc)
        return
    for handoff_id in due:  # one that fails now (the store busy, locked) waits for the next turn
        try:
            await _post(context, store, chat, handoff_id)
        except StoreError as exc:
            _log.warning("hand-off %d: %s", handoff_id, exc)


async def _post(context: BotContext, store: PressStore, chat: int, handoff_id: int) -> None:
    claimed = await store.run(lambda conn: hdb.claim(conn, handoff_id, store.holder, datetime.now(UTC)))
    if claimed is None:
        return  # another replica holds it, or the console withdrew it meanwhile
    handoff, ticket = claimed
    out = ticket_message(ticket, handoff)
    async with store.posting:  # a staff reply that comes at once still finds the ticket
        try:
            posted = await context.bot.send_message(chat, out.html, reply_markup=out.keyboard)
        except TelegramError as exc:
            _log.warning("hand-off %d could not be posted to the press office's group: %s", handoff_id, exc)
            await store.run(lambda conn: hdb.release(conn, handoff_id, store.holder))
            return
        done = await store.run(
            lambda conn: hdb.posted(conn, handoff_id, store.holder, posted.message_id, datetime.now(UTC))
        )
    if not done:
        _log.warning("hand-off %d: its lease ran out while it was posted (it may show twice)", handoff_id)
    _log.info(
        "hand-off %d posted as ticket #%d (%d asker(s) reachable)", handoff_id, ticket.id, len(handoff.askers)
    )


async def handoff_of(store: PressStore, ticket: Ticket) -> Handoff | None:
    """The hand-off behind a ticket, or None for an asker's own ticket."""
    if ticket.handoff_id is None:
        return None
    handoff_id = ticket.handoff_id
    return await store.run(lambda conn: hdb.get(conn, handoff_id))


async def relay_to_askers(
    context: BotContext, store: PressStore, ticket: Ticket, answer: str
) -> tuple[int, int]:
    """Send a hand-off's answer to the askers who wait on a request of their own with its
    question, each as the answer to their request; (told, not reachable)."""
    assert ticket.handoff_id is not None
    handoff_id = ticket.handoff_id
    askers, missed = await store.run(lambda conn: hdb.asker_tickets(conn, handoff_id))
    told = 0
    for asker in askers:
        assert asker.chat_id is not None  # asker_tickets gives only tickets whose chat is known
        try:
            await send(context.bot, asker.chat_id, relay_messages(asker, answer))
        except TelegramError as exc:
            _log.warning("hand-off %d: ticket #%d could not be told: %s", handoff_id, asker.id, exc)
            missed += 1
            continue
        await store.run(functools.partial(_answered, ticket_id=asker.id, answer=answer))
        told += 1
    return told, missed


def _answered(conn: Connection, *, ticket_id: int, answer: str) -> Ticket | None:
    return db.record_answer(conn, ticket_id, answer, datetime.now(UTC))
