"""The press office in the loop: a declined question handed off as a ticket, the staff's reply in
the press group relayed to the asker, claim / dismiss, /tickets, and the one-tap promote of a
ticket into the fact base (bot.knowledge.promote, then a hot reload).

Thin handlers: the rules about tickets live in bot.store.press, the messages in
bot.telegram.press.view. Staff are whoever can post in PRESS_CHAT_ID, so every staff button and
reply is accepted only from that chat; a stakeholder's buttons only from the user whose exchange
they name.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime
from pathlib import Path

from telegram import CallbackQuery, Update, User
from telegram.error import TelegramError

from bot.core.engine import Engine
from bot.errors import BotError, KnowledgeError, StoreError
from bot.knowledge.promote import Promoted, PromoteError, add_question, new_intent
from bot.settings import Settings
from bot.store import press as db
from bot.store.press import PressStore, Ticket
from bot.telegram.alerts import tell_admins_once
from bot.telegram.buttons import Action, Tap, parse_data, short_hash
from bot.telegram.context import BotContext, ui_lang
from bot.telegram.format import HANDOFF, OutMessage, esc
from bot.telegram.kit import admitted, edit, on_keyboard, refuse, respond, send, thread_of
from bot.telegram.press.handoffs import handoff_of, relay_to_askers
from bot.telegram.press.texts import PT, STAFF
from bot.telegram.press.view import (
    MAX_OPEN,
    confirm_message,
    dismissed_message,
    dismissed_notice,
    handoff_relayed,
    relay_messages,
    relayed_message,
    ticket_message,
    tickets_message,
    user_name,
)

_log = logging.getLogger(__name__)

DRAFT_TOPIC = "press_office"  # drafts started from answers go to knowledge/press_office.yaml
MAX_PROMOTE_CHOICES = 3


def store_of(context: BotContext) -> PressStore:
    """The press tables of this bot's conversation database (built with the application)."""
    store = context.bot_data.press
    assert store is not None  # the press handlers are registered only with a press office
    return store


def offered(update: Update, action: Action) -> tuple[CallbackQuery, Tap] | None:
    """The query and its tap if the data is this action's and is on the tapped message's own
    keyboard (a message that is not at hand proves nothing, so it is refused too)."""
    query = update.callback_query
    if query is None:
        return None
    tap = parse_data(query.data)
    if tap is None or tap.action != action or on_keyboard(query) is not True:
        return None
    return query, tap


def in_press_chat(update: Update, settings: Settings) -> bool:
    """True if the update comes from the press office's group."""
    chat = update.effective_chat
    return chat is not None and settings.press_chat_id is not None and chat.id == settings.press_chat_id


def staff_name(user: User | None) -> str:
    """How a staff member is named in the group."""
    return user_name(user.first_name, user.last_name, user.username) if user else "?"


# ---- the stakeholder's side ---------------------------------------------------------------------


async def on_handoff(update: Update, context: BotContext) -> None:
    """Ask (show what is shared), send (open the ticket and post it) or cancel a hand-off."""
    if not await admitted(update, context):
        return
    found = offered(update, "handoff")
    settings = context.bot_data.settings
    if found is None or settings.press_chat_id is None:
        await refuse(update, context)
        return
    query, tap = found
    lang = ui_lang(update, context)
    store = store_of(context)
    log = context.bot_data.log
    try:
        if log is not None:
            await log.flush()
        handed = await store.run(lambda conn: db.exchange_for_handoff(conn, tap.arg))
    except StoreError as exc:
        _log.warning("hand-off: %s", exc)
        await query.answer(PT[lang]["unavailable"], show_alert=True)
        await tell_admins_once(context, "Hand-off", exc)
        return
    if handed is None or handed.outcome not in HANDOFF:
        await refuse(update, context)
        return
    if handed.user_ps != store.ps(query.from_user.id):
        _log.info("a hand-off tap on another user's question was refused")
        await query.answer(PT[lang]["not_yours"], show_alert=True)
        return
    lang = handed.lang or lang
    name = staff_name(query.from_user)
    prompts = context.bot_data.prompts
    if tap.op == "h":
        if not prompts.open(tap.arg, time.monotonic()):  # a prompt for it waits above already
            await query.answer(PT[lang]["prompt_open"])
            return
        await query.answer()
        out = confirm_message(handed.text, lang, name, tap.arg)
        chat = update.effective_chat
        if chat is not None:
            await send(context.bot, chat.id, [out], thread=thread_of(query.message))
        return
    prompts.close(tap.arg)
    if tap.op == "c":
        await query.answer()
        await edit(update, context, OutMessage(esc(PT[lang]["cancelled"])))
        return
    await _open_ticket(update, context, query, tap.arg, handed, lang, name)


async def _open_ticket(
    update: Update,
    context: BotContext,
    query: CallbackQuery,
    exchange_id: str,
    handed: db.Handed,
    lang: str,
    name: str,
) -> None:
    settings = context.bot_data.settings
    store = store_of(context)
    chat = update.effective_chat
    assert chat is not None and settings.press_chat_id is not None and handed.user_ps is not None
    try:
        kind, ticket = await store.run(
            lambda conn: db.open_ticket(
                conn,
                exchange_id=exchange_id,
                user_ps=str(handed.user_ps),
                chat_id=chat.id,
                user_name=name,
                lang=lang,
                question=handed.text,
                intent=handed.intent,
                confidence=handed.confidence,
                limit=MAX_OPEN,
                now=datetime.now(UTC),
            )
        )
    except StoreError as exc:
        _log.warning("hand-off: %s", exc)
        await query.answer(PT[lang]["unavailable"], show_alert=True)
        await tell_admins_once(context, "Hand-off", exc)
        return
    await query.answer()
    if kind == "limit" or ticket is None:
        await edit(update, context, OutMessage(esc(PT[lang]["limit"].format(n=MAX_OPEN))))
        return
    if kind == "exists":
        await edit(update, context, OutMessage(esc(PT[lang]["already"].format(n=ticket.id))))
        return
    out = ticket_message(ticket)
    try:
        async with store.posting:
            posted = await context.bot.send_message(
                settings.press_chat_id, out.html, reply_markup=out.keyboard
            )
            await store.run(lambda conn: db.set_group_message(conn, ticket.id, posted.message_id))
    except (TelegramError, StoreError) as exc:
        _log.warning("the ticket could not be posted to the press office's group: %s", exc)
        try:
            await store.run(lambda conn: db.drop_ticket(conn, ticket.id))
        except StoreError as again:
            _log.warning("ticket #%d stays open without a group message: %s", ticket.id, again)
        await edit(update, context, OutMessage(esc(PT[lang]["unavailable"])))
        if isinstance(exc, StoreError):
            await tell_admins_once(context, "Hand-off", exc)
        return
    _log.info("ticket #%d opened", ticket.id)
    await edit(update, context, OutMessage(esc(PT[lang]["sent"].format(n=ticket.id))))


# ---- the press office's side --------------------------------------------------------------------


async def on_staff_reply(update: Update, context: BotContext) -> None:
    """A reply to a ticket in the press group is the answer: relay it to the asker."""
    message = update.effective_message
    settings = context.bot_data.settings
    if message is None or not in_press_chat(update, settings):
        return
    replied = message.reply_to_message
    if replied is None or replied.from_user is None or replied.from_user.id != context.bot.id:
        return
    store = store_of(context)
    async with store.posting:
        ticket = await store.run(lambda conn: db.ticket_by_message(conn, replied.message_id))
    if ticket is None:
        return  # a reply to some other message of the bot: nothing reaches an asker
    answer = (message.text or message.caption or "").strip()
    note = await _relay(context, store, ticket, answer)
    if isinstance(note, OutMessage):
        await send(context.bot, message.chat_id, [note], reply_to=message, thread=thread_of(message))
    else:
        await send(
            context.bot, message.chat_id, [OutMessage(esc(note))], reply_to=message, thread=thread_of(message)
        )
    # Not logged: the staff's answers are not stakeholder questions (the ticket keeps the count).


async def _relay(context: BotContext, store: PressStore, ticket: Ticket, answer: str) -> OutMessage | str:
    """Send the answer to the asker; what to tell the group."""
    if not answer:
        return STAFF["text_only"]
    if ticket.state == "dismissed":
        return STAFF["closed"].format(id=ticket.id)
    if ticket.handoff_id is not None:  # from the review console: its askers' own requests, if any
        told, missed = await relay_to_askers(context, store, ticket, answer)
        done = await store.run(lambda conn: db.record_answer(conn, ticket.id, answer, datetime.now(UTC)))
        text = handoff_relayed(ticket, told, missed)
        _log.info(
            "ticket #%d (hand-off %d): answer recorded, %d asker(s) told", ticket.id, ticket.handoff_id, told
        )
        return relayed_message(done or ticket, promote_choices(context.engine, ticket), first=True, text=text)
    if ticket.chat_id is None:
        return STAFF["gone"]
    try:
        await send(context.bot, ticket.chat_id, relay_messages(ticket, answer))
    except TelegramError as exc:
        _log.warning("ticket #%d: the answer could not be relayed: %s", ticket.id, exc)
        return STAFF["not_sent"].format(error=context.bot_data.redact(str(exc)))
    done = await store.run(lambda conn: db.record_answer(conn, ticket.id, answer, datetime.now(UTC)))
    _log.info("ticket #%d: answer relayed", ticket.id)
    return relayed_message(done or ticket, promote_choices(context.engine, ticket), first=ticket.answers == 0)


def promote_choices(engine: Engine, ticket: Ticket) -> list[str]:
    """The intents a ticket's question may join: the bot's guess, then its suggestions."""
    reply = engine.reply(ticket.question, pinned=ticket.lang)
    candidates = [ticket.intent, reply.intent, reply.nearest, *(s.intent for s in reply.suggestions)]
    chosen: list[str] = []
    for intent_id in candidates:
        intent = engine.kb.get(intent_id) if intent_id else None
        if intent is not None and intent.kind in ("fact", "unknown") and intent.id not in chosen:
            chosen.append(intent.id)
    return chosen[:MAX_PROMOTE_CHOICES]


async def on_ticket(update: Update, context: BotContext) -> None:
    """Staff buttons: claim, dismiss, add the question to an intent, start a draft intent."""
    if not await admitted(update, context):
        return
    found = offered(update, "ticket")
    settings = context.bot_data.settings
    if found is None or not in_press_chat(update, settings):
        await refuse(update, context)
        return
    query, tap = found
    store = store_of(context)
    ticket = await store.run(lambda conn: db.get_ticket(conn, int(tap.arg)))
    if ticket is None:
        await query.answer(STAFF["stale"])
        return
    name = staff_name(query.from_user)
    if tap.op == "k":
        claimed = await store.run(lambda conn: db.claim(conn, ticket.id, name))
        if claimed is None:
            await query.answer(STAFF["stale"])
            return
        await query.answer()
        await edit(update, context, ticket_message(claimed, await handoff_of(store, claimed)))
    elif tap.op == "d":
        closed = await store.run(lambda conn: db.dismiss(conn, ticket.id, datetime.now(UTC)))
        if closed is None:
            await query.answer(STAFF["stale"])
            return
        await query.answer()
        await edit(update, context, dismissed_message(closed, name, await handoff_of(store, closed)))
        if closed.chat_id is not None:
            try:
                await send(context.bot, closed.chat_id, [dismissed_notice(closed)])
            except TelegramError as exc:
                _log.info("ticket #%d: the asker could not be told of the dismissal: %s", ticket.id, exc)
    else:
        await query.answer()
        text = await _promote(context, ticket, tap)
        chat = update.effective_chat
        if chat is not None:
            await send(context.bot, chat.id, [OutMessage(esc(text))], thread=thread_of(query.message))


async def _promote(context: BotContext, ticket: Ticket, tap: Tap) -> str:
    """Add the ticket's question to an intent, or start a draft from its answer; then reload."""
    holder = context.bot_data.holder
    directory = holder.directory
    try:
        if tap.op == "a":
            intent = _intent_of(context.engine, tap)
            if intent is None:
                return STAFF["stale"]
            done = await asyncio.to_thread(
                add_question,
                directory,
                ticket.question,
                intent,
                ticket.lang,
                cache_dir=holder.cache.directory,
            )
            reply = STAFF["promoted"]
        else:
            if not ticket.answer:
                return STAFF["stale"]
            done = await asyncio.to_thread(_draft, directory, ticket, holder.cache.directory)
            reply = STAFF["drafted"]
    except (PromoteError, KnowledgeError) as exc:
        return STAFF["promote_failed"].format(error=str(exc))
    except (BotError, OSError) as exc:
        _log.warning("ticket #%d: promote failed: %s", ticket.id, exc)
        return STAFF["promote_failed"].format(error=str(exc))
    await holder.reload_async()  # served now; the watcher then sees no change
    return reply.format(intent=done.intent, lang=done.lang, path=_short(done.path, directory), line=done.line)


def _draft(directory: Path, ticket: Ticket, cache_dir: Path | None) -> Promoted:
    return new_intent(
        directory,
        ticket.question,
        f"press_{ticket.id}",
        DRAFT_TOPIC,
        ticket.lang,
        answer=ticket.answer,
        cache_dir=cache_dir,
    )


def _intent_of(engine: Engine, tap: Tap) -> str | None:
    for intent in engine.kb.intents:
        if intent.id == tap.extra or (tap.hashed and short_hash(intent.id) == tap.extra):
            return intent.id
    return None


def _short(path: Path, directory: Path) -> str:
    try:
        return str(path.relative_to(directory.parent))
    except ValueError:
        return path.name


async def cmd_tickets(update: Update, context: BotContext) -> None:
    """The press group: list the open tickets."""
    if not in_press_chat(update, context.bot_data.settings) or not await admitted(update, context, "command"):
        return
    started = time.perf_counter()
    tickets = await store_of(context).run(db.open_tickets)
    message = update.effective_message
    await respond(
        update,
        context,
        tickets_message(tickets, datetime.now(UTC)),
        kind="command",
        text=message.text or "" if message else "",
        started=started,
    )
