"""Thin Telegram handlers of messages and commands: read the update, ask the engine, send, hand
the exchange to the log. Button taps are in bot.telegram.taps, the press office in
bot.telegram.press; the routing in bot.telegram.routes; what they share in bot.telegram.kit.

The engine is read once per update from `context.engine` (an EngineHolder swaps it atomically on a
reload). What the bot says is built in bot.telegram.format (HTML, keyboards) from its texts;
logging goes to the conversation log's queue and never delays a reply. The error handler and the
messages to admins live in bot.telegram.alerts.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence

from telegram import Message, MessageEntity, Update
from telegram.constants import ChatType

from bot.core.context import ChatContext
from bot.errors import StoreError
from bot.review.commands import stats_summary, unanswered_top
from bot.store.store import Store
from bot.telegram.alerts import reload_report
from bot.telegram.context import BotContext, is_admin, is_private, ui_lang
from bot.telegram.format import (
    OutMessage,
    about_message,
    esc,
    forget_message,
    help_message,
    inline_results,
    lang_message,
    lang_set_text,
    pre_chunks,
    privacy_message,
    render_reply,
    start_message,
    topics_message,
)
from bot.telegram.kit import (
    admitted,
    attachment_kind,
    load_pin,
    log_exchange,
    new_exchange_id,
    pin_language,
    press_offer,
    respond,
)
from bot.telegram.texts import T, pick_lang

_log = logging.getLogger(__name__)

Report = Callable[[Store], str]


# ---- small readers ----------------------------------------------------------------------------


def addressed_text(message: Message, username: str, bot_id: int) -> str | None:
    """In a group: the question if the message is for this bot (mention or reply), else None."""
    text = message.text or ""
    replied = message.reply_to_message
    addressed = bool(replied and replied.from_user and replied.from_user.id == bot_id)
    cut: list[tuple[int, int]] = []
    for entity, value in message.parse_entities([MessageEntity.MENTION, MessageEntity.TEXT_MENTION]).items():
        is_me = (entity.type == MessageEntity.MENTION and value.lower() == f"@{username.lower()}") or (
            entity.user is not None and entity.user.id == bot_id
        )
        if is_me:
            addressed = True
            start = _char_index(text, entity.offset)
            cut.append((start, start + len(value)))
    if not addressed:
        return None
    for start, end in sorted(cut, reverse=True):
        text = text[:start] + text[end:]
    return " ".join(text.split())


def _char_index(text: str, utf16_offset: int) -> int:
    units = 0
    for index, ch in enumerate(text):
        if units >= utf16_offset:
            return index
        units += 2 if ord(ch) > 0xFFFF else 1
    return len(text)


# ---- questions --------------------------------------------------------------------------------


async def ask(update: Update, context: BotContext) -> None:
    """Answer a text question: every one in private chats, in groups only when addressed."""
    message, chat, user = update.effective_message, update.effective_chat, update.effective_user
    if message is None or chat is None or user is None:
        return
    question = message.text or ""
    if chat.type != ChatType.PRIVATE:
        found = addressed_text(message, context.bot.username, context.bot.id)
        if found is None:
            return
        question = found
    if not await admitted(update, context):
        return
    started = time.perf_counter()
    engine = context.engine
    # A private chat has one conversation; in a group each member has their own.
    member = user.id if chat.type != ChatType.PRIVATE else None
    now = time.time() if context.bot_data.shared is not None else time.monotonic()
    previous = await recall(context, chat.id, member, now)
    reply = engine.reply(question, hint=user.language_code, pinned=context.pinned, context=previous)
    await remember(context, chat.id, member, user.id, engine.follow(reply, now, previous), now)
    exchange_id = new_exchange_id()
    offer = press_offer(context.bot_data.settings)
    await respond(
        update,
        context,
        render_reply(reply, exchange_id, offer),
        kind="message",
        text=question,
        started=started,
        reply=reply,
        exchange_id=exchange_id,
    )


async def recall(context: BotContext, chat_id: int, member: int | None, now: float) -> ChatContext | None:
    """The chat's follow-up context: from the shared store when replicas share one (`now` is then
    wall time, which all replicas agree on), else from this process's memory (monotonic time)."""
    runtime = context.bot_data
    if runtime.shared is not None:
        try:
            return await runtime.shared.context(chat_id, member, now)
        except StoreError as exc:
            _log.warning("shared follow-up context unavailable (%s); answering without it", exc)
            return None
    return runtime.contexts.get((chat_id, member), now)


async def remember(
    context: BotContext, chat_id: int, member: int | None, user_id: int, found: ChatContext | None, now: float
) -> None:
    """Keep the context an answer leaves (None keeps the old one), where `recall` reads it."""
    runtime = context.bot_data
    if runtime.shared is not None:
        try:
            await runtime.shared.remember(chat_id, member, user_id, found)
        except StoreError as exc:
            _log.warning("shared follow-up context not stored (%s)", exc)
        return
    runtime.contexts.put((chat_id, member), found, now)


async def non_text(update: Update, context: BotContext) -> None:
    """Tell a private chat that only text is read (stickers, photos, voice, locations ...)."""
    message = update.effective_message
    if message is None or not await admitted(update, context):
        return
    started = time.perf_counter()
    out = [OutMessage(esc(T[ui_lang(update, context)]["non_text"]))]
    await respond(update, context, out, kind="message", text=f"[{attachment_kind(message)}]", started=started)


# ---- commands ---------------------------------------------------------------------------------


View = Callable[[str], Sequence[OutMessage]]


async def _command(update: Update, context: BotContext, view: View, *, gate: bool = True) -> None:
    """Answer a command with `view(lang)`, after the flood check; log it as a command."""
    message = update.effective_message
    if message is None or (gate and not await admitted(update, context, "command")):
        return
    started = time.perf_counter()
    messages = view(ui_lang(update, context))
    await respond(update, context, messages, kind="command", text=message.text or "", started=started)


async def cmd_start(update: Update, context: BotContext) -> None:
    """Greet, say what the bot knows, offer example questions as buttons."""
    await _command(update, context, lambda lang: [start_message(context.engine, lang)])


async def cmd_help(update: Update, context: BotContext) -> None:
    """Explain how to ask, the commands, groups and inline mode."""
    await _command(update, context, lambda lang: [help_message(context.engine, lang, context.bot.username)])


async def cmd_topics(update: Update, context: BotContext) -> None:
    """Offer every topic as a button."""
    await _command(update, context, lambda lang: [topics_message(context.engine, lang)])


async def cmd_lang(update: Update, context: BotContext) -> None:
    """Pin the reply language (`/lang de|en|zh|auto`), or offer the choice as buttons."""
    user = update.effective_user
    if user is None or not await admitted(update, context, "command"):
        return
    choice = (context.args or [""])[0].lower()
    if choice in ("de", "en", "zh", "auto"):
        await pin_language(context, user.id, choice)
        await _command(update, context, lambda _: [OutMessage(lang_set_text(choice))], gate=False)
        return
    await _command(update, context, lambda lang: [lang_message(context.pinned, lang)], gate=False)


async def cmd_about(update: Update, context: BotContext) -> None:
    """Name the release: title, date and source."""
    await _command(update, context, lambda lang: [about_message(context.engine, lang)])


async def cmd_privacy(update: Update, context: BotContext) -> None:
    """Say what is logged, for how long, and how to erase it."""
    days = context.bot_data.settings.retention_days
    await _command(update, context, lambda lang: [privacy_message(lang, days)])


async def cmd_forget(update: Update, context: BotContext) -> None:
    """Ask for confirmation before erasing the user's logged data (buttons for this user only)."""
    user = update.effective_user
    if user is None:
        return
    await _command(update, context, lambda lang: [forget_message(lang, user.id)])


async def unknown_command(update: Update, context: BotContext) -> None:
    """Reply to a command this bot does not have (in groups only when it names this bot)."""
    message, chat = update.effective_message, update.effective_chat
    if message is None or chat is None:
        return
    command = (message.text or "").split(maxsplit=1)[0] if message.text else ""
    named = command.lower().endswith(f"@{context.bot.username.lower()}")
    if chat.type != ChatType.PRIVATE and not named:
        return  # probably meant for another bot in the group
    await _command(update, context, lambda lang: [OutMessage(esc(T[lang]["unknown_command"]))])


# ---- admin commands ---------------------------------------------------------------------------


async def cmd_stats(update: Update, context: BotContext) -> None:
    """Admins: a short summary of the conversation log."""
    await _admin_report(update, context, lambda path: stats_summary(path))


async def cmd_unanswered(update: Update, context: BotContext) -> None:
    """Admins: the top ten clusters of unanswered questions."""
    await _admin_report(update, context, lambda path: unanswered_top(path, limit=10))


async def admin_only(update: Update, context: BotContext) -> bool:
    """True for an admin in a private chat. Anyone else hears of no admin command; an admin in a
    group is told to ask in private, and nothing logged is shown there."""
    if not is_admin(update, context):
        await unknown_command(update, context)
        return False
    if not is_private(update):
        await _command(update, context, lambda lang: [OutMessage(esc(T[lang]["ask_private"]))])
        return False
    return True


async def _admin_report(update: Update, context: BotContext, report: Report) -> None:
    if not await admin_only(update, context):
        return
    runtime = context.bot_data
    if runtime.log is not None:
        await runtime.log.flush()
    text = await asyncio.to_thread(report, runtime.store)
    await _command(update, context, lambda _: [OutMessage(c) for c in pre_chunks(text)])


async def cmd_reload(update: Update, context: BotContext) -> None:
    """Admins: reload the fact base now; keep the old one if the new one is invalid."""
    if not await admin_only(update, context):
        return
    holder = context.bot_data.holder
    result = await holder.reload_async()
    text = reload_report(result, holder.engine)
    await _command(update, context, lambda _: [OutMessage(c) for c in pre_chunks(text)])


# ---- inline mode ------------------------------------------------------------------------------


async def on_inline_query(update: Update, context: BotContext) -> None:
    """Offer the answer (or example answers) as inline results."""
    query = update.inline_query
    if query is None or not await admitted(update, context, "inline"):
        return
    _, articles = inline_results(context.engine, query.query, query.from_user.language_code, context.pinned)
    await query.answer(articles, cache_time=30, is_personal=True)


async def on_chosen_inline(update: Update, context: BotContext) -> None:
    """Log the inline result a user picked (sent by Telegram when inline feedback is on)."""
    chosen = update.chosen_inline_result
    if chosen is None:
        return
    started = time.perf_counter()
    await load_pin(context, chosen.from_user.id)
    lang = pick_lang(context.pinned, chosen.from_user.language_code)
    reply = context.engine.answer_intent(chosen.result_id, lang, question=chosen.query)
    sent = reply.text if reply else ""
    log_exchange(update, context, kind="inline", text=chosen.query, sent=sent, started=started, reply=reply)
