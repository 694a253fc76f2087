"""One thin handler per button action of the stakeholder's screens (routed by `pattern=` in
bot.telegram.routes); the fallback for taps no pattern accepts (forged, oversized or
older-version data) is bot.telegram.kit.stale, and the press office's taps are in
bot.telegram.press.

Every tap is answered (answerCallbackQuery) at once. Whatever it sends goes to the chat and forum
topic of the tapped message. A tap is accepted only with data that is on the tapped message's own
keyboard: Telegram warns that a client may send any data, and the message it attaches is its own
copy, which a forger cannot change.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

from telegram import CallbackQuery, Update
from telegram.error import TelegramError

from bot.core.topics import browsable_topics
from bot.errors import StoreError
from bot.telegram.alerts import notify_admins, tell_admins_once
from bot.telegram.buttons import Action, Tap, parse_data, resolve
from bot.telegram.context import BotContext, ui_lang
from bot.telegram.format import (
    OutMessage,
    esc,
    lang_set_text,
    render_reply,
    sent_text,
    topic_message,
    topics_message,
)
from bot.telegram.kit import (
    admitted,
    edit,
    log_exchange,
    new_exchange_id,
    on_keyboard,
    pin_language,
    pins,
    press_offer,
    refuse,
    send,
    thread_of,
)
from bot.telegram.press.view import erased_ticket_message
from bot.telegram.texts import ADMIN, T

_log = logging.getLogger(__name__)


def genuine(update: Update, action: Action) -> tuple[CallbackQuery, Tap] | None:
    """The query and its decoded tap if the data is this action's and was really offered."""
    query = update.callback_query
    if query is None:
        return None
    tap = parse_data(query.data)
    if tap is None or tap.action != action:
        return None
    offered = on_keyboard(query)
    # Votes and erasures need proof that the button was shown; browsing buttons are harmless.
    if offered is False or (offered is None and action in ("feedback", "forget")):
        _log.info("a %s tap with data that is not on the tapped message was refused", action)
        return None
    return query, tap


async def on_intent(update: Update, context: BotContext) -> None:
    """Answer the intent of a "see also" / "did you mean" / example button, as a new message."""
    if not await admitted(update, context):
        return
    found = genuine(update, "intent")
    chat = update.effective_chat
    if found is None or chat is None:
        await refuse(update, context)
        return
    query, tap = found
    started = time.perf_counter()
    engine = context.engine
    intent = resolve(tap, (i.id for i in engine.kb.intents))
    reply = engine.answer_intent(intent, tap.lang, script=tap.script) if intent else None
    if reply is None:
        await refuse(update, context)
        return
    await query.answer()
    exchange_id = new_exchange_id()
    messages = render_reply(reply, exchange_id, press_offer(context.bot_data.settings))
    try:
        await send(context.bot, chat.id, messages, thread=thread_of(query.message))
    finally:
        log_exchange(
            update,
            context,
            kind="callback",
            text=reply.question,
            sent=sent_text(messages),
            started=started,
            reply=reply,
            exchange_id=exchange_id,
        )


async def on_feedback(update: Update, context: BotContext) -> None:
    """Store a 👍/👎 vote on an exchange and thank the user."""
    if not await admitted(update, context):
        return
    found = genuine(update, "feedback")
    if found is None:
        await refuse(update, context)
        return
    query, tap = found
    lang = ui_lang(update, context)
    log = context.bot_data.log
    # Only the user the answer went to may rate it, and only an exchange that exists.
    if log is None or not await log.exchange_owner_matches(tap.arg, query.from_user.id):
        await query.answer(T[lang]["vote_not_yours"])
        return
    log.log_feedback(tap.arg, query.from_user.id, tap.value, "telegram")
    await query.answer(T[lang]["thanks"])


async def on_topics(update: Update, context: BotContext) -> None:
    """Show every topic in place of the tapped message."""
    if not await admitted(update, context):
        return
    found = genuine(update, "topics")
    if found is None:
        await refuse(update, context)
        return
    started = time.perf_counter()
    await found[0].answer()
    await edit(update, context, topics_message(context.engine, ui_lang(update, context)))
    _log_tap(update, context, started)


async def on_topic(update: Update, context: BotContext) -> None:
    """Show one topic's questions in place of the tapped message."""
    if not await admitted(update, context):
        return
    found = genuine(update, "topic")
    engine = context.engine
    topic = resolve(found[1], browsable_topics(engine)) if found is not None else None
    if found is None or topic is None:
        await refuse(update, context)
        return
    started = time.perf_counter()
    await found[0].answer()
    await edit(update, context, topic_message(engine, topic, ui_lang(update, context)))
    _log_tap(update, context, started)


async def on_lang(update: Update, context: BotContext) -> None:
    """Pin the reply language chosen on a /lang button."""
    if not await admitted(update, context):
        return
    found = genuine(update, "lang")
    if found is None:
        await refuse(update, context)
        return
    started = time.perf_counter()
    query, tap = found
    await pin_language(context, query.from_user.id, tap.arg)
    await query.answer()
    await edit(update, context, OutMessage(lang_set_text(tap.arg)))
    _log_tap(update, context, started)


async def on_forget(update: Update, context: BotContext) -> None:
    """Erase (or not) the tapper's logged data; the prompt's buttons work only for who asked."""
    if not await admitted(update, context):
        return
    found = genuine(update, "forget")
    if found is None:
        await refuse(update, context)
        return
    query, tap = found
    lang = ui_lang(update, context)
    if not owns(query, tap):
        await query.answer(T[lang]["not_yours"], show_alert=True)
        return
    await query.answer()
    if tap.arg != "yes":
        await edit(update, context, OutMessage(esc(T[lang]["forget_cancelled"])))
        return
    if context.user_data is not None:
        context.user_data.clear()
    log = context.bot_data.log
    try:
        erasure = None
        if log is not None:  # the inbox row of this very tap goes too: its "done" mark changes nothing
            erasure = await log.erase(query.from_user.id, "telegram", handling=update.update_id)
        pins(context).forget(query.from_user.id)  # the stored pin went with the rows
        uid = query.from_user.id  # and the follow-up context this process holds (private chat = user id)
        context.bot_data.contexts.forget_where(
            lambda key: isinstance(key, tuple) and (key == (uid, None) or key[1:] == (uid,))
        )
    except StoreError as exc:
        _log.warning("forget failed: %s", exc)
        await edit(update, context, OutMessage(esc(T[lang]["forget_failed"])))
        await tell_admins_once(context, "/forget", exc)
        return
    # Not logged: an erasure must not leave a fresh row behind.
    erased = erasure.erased if erasure is not None else 0
    await edit(update, context, OutMessage(esc(T[lang]["forget_done"].format(n=erased))))
    if erasure is not None and erasure.tickets:
        await unshow_tickets(context, erasure.tickets)


async def unshow_tickets(context: BotContext, tickets: Sequence[tuple[int, int]]) -> None:
    """Edit the erased user's tickets in the press office's group so that they no longer show the
    question or the name (the rows are gone); admins hear of those that could not be edited."""
    group = context.bot_data.settings.press_chat_id
    kept: list[int] = []
    error = "no press group is configured"
    for ticket_id, message_id in tickets:
        if group is None:
            kept.append(message_id)
            continue
        out = erased_ticket_message(ticket_id)
        try:
            await context.bot.edit_message_text(out.html, chat_id=group, message_id=message_id)
        except TelegramError as exc:
            if "not modified" in str(exc).lower():
                continue
            _log.warning("ticket #%d: its message could not be edited after /forget: %s", ticket_id, exc)
            kept.append(message_id)
            error = context.bot_data.redact(str(exc))
    if kept:
        text = ADMIN["tickets_kept"].format(n=len(kept), ids=", ".join(map(str, kept)), error=error)
        await notify_admins(context.bot, context.bot_data.settings.admin_ids, text)


def owns(query: CallbackQuery, tap: Tap) -> bool:
    """True if the tapper is the user the /forget prompt was made for. Prompts from before the
    owner was part of the data count as owned only in the tapper's own private chat."""
    if tap.owner is not None:
        return tap.owner == query.from_user.id
    message = query.message
    return message is not None and message.chat.id == query.from_user.id


def _log_tap(update: Update, context: BotContext, started: float) -> None:
    query = update.callback_query
    data = query.data if query is not None else None
    log_exchange(update, context, kind="callback", text=data or "", sent="", started=started)
