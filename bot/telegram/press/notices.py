"""Update notices: "notify me if this changes" on answers, /unsubscribe, the admins' Send / Skip
when an answer's text changed on reload, and the press tables' housekeeping (retention), which
runs on the application's JobQueue.

A subscription remembers a fingerprint of the answer it was shown. After a reload, every
subscribed intent whose answer now differs for some subscriber is put to the admins once per
change (bot.store.press.ask_notice is unique per intent and new answers); on Send the notice goes
to bot.telegram.press.sender, which tells each such subscriber once, moving their fingerprint on,
so one change is never announced twice, and resumes after a crash.
"""

from __future__ import annotations

import functools
import logging
import time
from datetime import UTC, datetime

from telegram import Bot, Message, Update
from telegram.error import TelegramError

from bot.core.lang import LANGS
from bot.errors import StoreError
from bot.store import press as db
from bot.store.press import answer_hash
from bot.telegram.buttons import resolve
from bot.telegram.context import BotContext, BotData, is_admin, ui_lang
from bot.telegram.format import OutMessage, esc
from bot.telegram.kit import admitted, edit, press_offer, refuse, respond
from bot.telegram.press.handlers import offered, store_of
from bot.telegram.press.sender import answer_digest
from bot.telegram.press.texts import PT, STAFF
from bot.telegram.press.view import notice_prompt

_log = logging.getLogger(__name__)

HOUSEKEEPING_EVERY_S = 3600.0  # the press tables' retention
NOTICE_CHECK_S = 5.0  # how often a /reload's or a promote's changed answers are looked for
NOTICE_RESUME_S = 10.0  # how often unfinished notices are looked for (a stopped one resumes)


async def on_notify(update: Update, context: BotContext) -> None:
    """Subscribe the tapper to the answer under the tapped "notify me" button."""
    if not await admitted(update, context):
        return
    found = offered(update, "notify")
    settings = context.bot_data.settings
    engine = context.engine
    intent_id = resolve(found[1], (i.id for i in engine.kb.intents)) if found else None
    intent = engine.kb.get(intent_id) if intent_id else None
    chat = update.effective_chat
    if found is None or intent is None or chat is None or press_offer(settings) is None:
        await refuse(update, context)
        return
    query, tap = found
    lang = tap.lang if tap.lang in LANGS else ui_lang(update, context)
    store = store_of(context)
    try:
        await store.run(
            lambda conn: db.subscribe(
                conn,
                user_ps=store.ps(query.from_user.id),
                intent=intent.id,
                chat_id=chat.id,
                lang=lang,
                digest=answer_hash(intent.answer[lang]),
                now=datetime.now(UTC),
                days=settings.subscription_days,
            )
        )
    except StoreError as exc:
        _log.warning("subscribe: %s", exc)
        await query.answer(PT[lang]["unavailable"], show_alert=True)
        return
    await query.answer(PT[lang]["subscribed"], show_alert=True)


async def cmd_unsubscribe(update: Update, context: BotContext) -> None:
    """End every "notify me" subscription of the user."""
    user, message = update.effective_user, update.effective_message
    if user is None or message is None or not await admitted(update, context):
        return
    started = time.perf_counter()
    store = store_of(context)
    lang = ui_lang(update, context)
    try:
        ended = await store.run(lambda conn: db.unsubscribe(conn, store.ps(user.id)))
        text = PT[lang]["unsubscribed"].format(n=ended)
    except StoreError as exc:
        _log.warning("unsubscribe: %s", exc)
        text = PT[lang]["unavailable"]
    await respond(
        update, context, [OutMessage(esc(text))], kind="command", text=message.text or "", started=started
    )


async def ask_about_changes(bot: Bot, runtime: BotData) -> int:
    """Put every changed, subscribed answer of the engine in service to the admins once (Send /
    Skip); how many prompts."""
    store, settings, engine = runtime.press, runtime.settings, runtime.holder.engine
    runtime.noticed = engine
    if store is None:
        return 0
    now = datetime.now(UTC)
    asked = 0
    for intent_id in await store.run(lambda conn: db.subscribed_intents(conn, now)):
        intent = engine.kb.get(intent_id)
        digest = answer_digest(engine, intent_id)
        if intent is None or digest is None:
            continue
        subs = await store.run(functools.partial(db.subscribers, intent=intent_id, now=now))
        waiting = [s for s in subs if answer_hash(intent.answer[s.lang]) != s.answer_hash]
        if not waiting:
            continue
        notice_id = await store.run(
            functools.partial(db.ask_notice, intent=intent_id, digest=digest, now=now)
        )
        if notice_id is None:
            continue  # asked about this very change before
        asked += 1
        prompt = notice_prompt(intent_id, len(waiting), notice_id)
        for admin_id in sorted(settings.admin_ids):
            try:
                await bot.send_message(admin_id, prompt.html, reply_markup=prompt.keyboard)
            except TelegramError as exc:
                _log.warning("cannot ask an admin about an update notice: %s", exc)
    return asked


async def on_notice(update: Update, context: BotContext) -> None:
    """An admin's Send or Skip on an update notice; the first decision counts. Send hands the
    notice to the sender (bot.telegram.press.sender), which shows its progress in this message."""
    if not await admitted(update, context):
        return
    found = offered(update, "notice")
    if found is None or not is_admin(update, context):
        await refuse(update, context)
        return
    query, tap = found
    store = store_of(context)
    decision: db.NoticeState = "sent" if tap.op == "s" else "skipped"
    shown = query.message if isinstance(query.message, Message) else None
    resolve = functools.partial(
        db.resolve_notice,
        notice_id=int(tap.arg),
        state=decision,
        admin_chat_id=shown.chat.id if shown else None,
        admin_message_id=shown.message_id if shown else None,
    )
    notice = await store.run(resolve)
    if notice is None:
        await query.answer(STAFF["notice_done"])
        await edit(update, context, OutMessage(esc(STAFF["notice_done"])))
        return
    await query.answer()
    if tap.op != "s":
        await edit(update, context, OutMessage(esc(STAFF["notice_skipped"].format(intent=notice.intent))))
        return
    await edit(update, context, OutMessage(esc(STAFF["notice_sending"].format(intent=notice.intent))))
    sender = context.bot_data.notices
    if sender is not None:  # else the job starts it within NOTICE_RESUME_S
        sender.kick()


async def notice_changes(context: BotContext) -> None:
    """Job: when the engine in service changed since the last look (a /reload or a promote, which
    the watcher does not report), put its changed, subscribed answers to the admins."""
    runtime = context.bot_data
    if runtime.holder.engine is runtime.noticed:
        return
    try:
        await ask_about_changes(context.bot, runtime)
    except StoreError as exc:
        _log.warning("press office: changed answers not looked at: %s", exc)


async def resume_notices(context: BotContext) -> None:
    """Job: send the notices admins confirmed that have not finished (at start: those a crash or
    a stop cut short), restarting the sender should it have died."""
    sender = context.bot_data.notices
    if sender is not None:
        sender.kick()


async def housekeeping(context: BotContext) -> None:
    """Job: erase expired contact details, tickets and subscriptions of the press tables."""
    runtime = context.bot_data
    settings, store = runtime.settings, runtime.press
    if store is None:
        return
    purge = functools.partial(
        db.purge,
        now=datetime.now(UTC),
        ticket_days=settings.press_retention_days,
        log_days=settings.retention_days,
    )
    try:
        changed = await store.run(purge)
    except StoreError as exc:
        _log.warning("press office housekeeping: %s", exc)
        return
    if changed:
        _log.info("press office: %d expired contact details erased", changed)
