"""Thin Telegram handlers of messages and commands: read the update, ask the engine, send, hand
the exchange to the log. Button taps are in bot.telegram.taps; the routing in bot.telegram.routes.

The engine is read once per update from `context.engine` (an EngineHolder swaps it atomically on a
reload). What the bot says is built in bot.telegram.format (HTML, keyboards) from its texts;
logging goes to the conversation log's queue and never delays a reply. The error handler and the
messages to admins live in bot.telegram.app.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Callable, Sequence

from telegram import Bot, MaybeInaccessibleMessage, Message, MessageEntity, ReplyParameters, Update
from telegram.constants import ChatType

from bot.core.context import ChatContext
from bot.core.engine import Engine
from bot.core.reply import ExchangeKind, Outcome, Reply
from bot.errors import StoreError
from bot.knowledge.reload import ReloadResult
from bot.review.commands import stats_summary, unanswered_top
from bot.review.display import visible
from bot.review.reports import short
from bot.store.log import Exchange
from bot.store.prefs import PinStore
from bot.store.store import Store
from bot.telegram.context import BotContext, is_admin, is_private, ui_lang
from bot.telegram.flood import Verdict, judge
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
    sent_text,
    start_message,
    topics_message,
)
from bot.telegram.inbox import Intake
from bot.telegram.press_view import press_offer
from bot.telegram.texts import ADMIN, T, pick_lang

_log = logging.getLogger(__name__)

Report = Callable[[Store], str]
ATTACHMENTS = (
    "sticker",
    "photo",
    "voice",
    "audio",
    "video",
    "video_note",
    "document",
    "animation",
    "location",
    "venue",
    "contact",
    "poll",
    "dice",
    "game",
    "story",
    "paid_media",
)
THROTTLED_TEXT = 200  # characters of a throttled message kept in the log


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


def attachment_kind(message: Message) -> str:
    """A short name for what a non-text message carries (for the log)."""
    for name in ATTACHMENTS:
        if getattr(message, name, None):
            return name
    return "other"


def new_exchange_id() -> str:
    """16 hex digits: the exchange's id in the log and in its feedback buttons."""
    return uuid.uuid4().hex[:16]


# ---- sending and logging ----------------------------------------------------------------------


def thread_of(message: MaybeInaccessibleMessage | None) -> int | None:
    """The forum topic a message is in (None outside forum topics): answers go to the same one."""
    if isinstance(message, Message) and message.is_topic_message:
        return message.message_thread_id
    return None


async def send(
    bot: Bot,
    chat_id: int,
    messages: Sequence[OutMessage],
    *,
    reply_to: Message | None = None,
    thread: int | None = None,
) -> None:
    """Send the messages in order into `thread` (a forum topic); the first one quotes `reply_to`."""
    for n, out in enumerate(messages):
        quote = None
        if reply_to is not None and n == 0:
            quote = ReplyParameters(reply_to.message_id, allow_sending_without_reply=True)
        await bot.send_message(
            chat_id=chat_id,
            text=out.html,
            reply_markup=out.keyboard,
            message_thread_id=thread,
            reply_parameters=quote,
        )


def log_exchange(
    update: Update,
    context: BotContext,
    *,
    kind: ExchangeKind,
    text: str,
    sent: str,
    started: float,
    reply: Reply | None = None,
    exchange_id: str | None = None,
    outcome: Outcome | None = None,
) -> None:
    """Queue the exchange in the conversation log (never blocks, never raises)."""
    log = context.bot_data.log
    if log is None:
        return
    chat, user = update.effective_chat, update.effective_user
    intake = context.application.update_queue
    exchange = Exchange(
        channel="telegram",
        user_id=user.id if user else None,
        chat_id=chat.id if chat else None,
        chat_type=chat.type if chat else "inline",
        kind=kind,
        text=text,
        reply=sent,
        lang=reply.lang if reply else ui_lang(update, context),
        lang_pinned=context.pinned,
        intent=(reply.intent or reply.nearest) if reply else None,
        confidence=reply.confidence if reply else None,
        outcome=outcome or (reply.outcome if reply else "other"),
        latency_ms=round((time.perf_counter() - started) * 1000, 3),
        id=exchange_id or new_exchange_id(),
        update_id=intake.answering(update.update_id) if isinstance(intake, Intake) else None,
    )
    log.log(exchange)


async def respond(
    update: Update,
    context: BotContext,
    messages: Sequence[OutMessage],
    *,
    kind: ExchangeKind,
    text: str,
    started: float,
    reply: Reply | None = None,
    exchange_id: str | None = None,
    outcome: Outcome | None = None,
) -> None:
    """Send `messages` in answer to the update's message, then log the exchange (even on error)."""
    message, chat = update.effective_message, update.effective_chat
    assert message is not None and chat is not None
    try:
        quote = message if chat.type != ChatType.PRIVATE or update.edited_message else None
        await send(context.bot, chat.id, messages, reply_to=quote, thread=thread_of(message))
    finally:
        log_exchange(
            update,
            context,
            kind=kind,
            text=text,
            sent=sent_text(messages),
            started=started,
            reply=reply,
            exchange_id=exchange_id,
            outcome=outcome,
        )


async def admitted(update: Update, context: BotContext, kind: ExchangeKind | None = None) -> bool:
    """Spend one unit of the user's budget (messages, edits, commands, taps and inline queries
    share it) and load the user's /lang pin; False when the update is throttled.

    Over the budget, the first update gets the one slow-down notice (in the chat, or as the tap's
    alert); the rest are dropped without a call to Telegram: a throttled tap is not answered and
    a throttled inline query gets no results, so a flood never reaches the engine or the shared
    outgoing rate limiter. Throttled messages, commands and taps are logged as "throttled" with
    at most THROTTLED_TEXT characters; inline queries are never logged.
    """
    user = update.effective_user
    if user is None:
        return False
    runtime = context.bot_data
    gate, now = runtime.flood, time.monotonic()
    swept = gate.swept_at
    verdict = gate.check(user.id, now)  # also when shared: it says whose user data may be freed
    if gate.swept_at != swept:
        free_idle_users(context)
    if runtime.shared is not None:  # replicas share one window per user, whichever gets the update
        try:
            verdict = judge(
                await runtime.shared.count_update(user.id, time.time(), gate.window_s), gate.limit
            )
        except StoreError as exc:
            _log.warning("shared flood window unavailable (%s); this replica counted alone", exc)
    if verdict is Verdict.ALLOW:
        await load_pin(context, user.id)
        return True
    await _throttled(update, context, verdict, kind)
    return False


async def _throttled(
    update: Update, context: BotContext, verdict: Verdict, kind: ExchangeKind | None
) -> None:
    if update.inline_query is not None:
        return
    started = time.perf_counter()
    lang = ui_lang(update, context)
    notice = verdict is Verdict.NOTICE
    if notice:
        _log.info("flood control: a user is over %d updates a minute", context.bot_data.flood.limit)
    query = update.callback_query
    if query is not None:
        if notice:
            await query.answer(T[lang]["flood"], show_alert=True)
        log_exchange(
            update,
            context,
            kind="callback",
            text=(query.data or "")[:THROTTLED_TEXT],
            sent="",
            started=started,
            outcome="throttled",
        )
        return
    message = update.effective_message
    if message is None:
        return
    text = (message.text or f"[{attachment_kind(message)}]")[:THROTTLED_TEXT]
    kind = kind or "message"
    if notice and update.effective_chat is not None:
        out = [OutMessage(esc(T[lang]["flood"]))]
        await respond(update, context, out, kind=kind, text=text, started=started, outcome="throttled")
    else:
        log_exchange(update, context, kind=kind, text=text, sent="", started=started, outcome="throttled")


def free_idle_users(context: BotContext) -> None:
    """Drop the in-memory data of users the flood gate forgot (idle for a whole window); their
    /lang pin is in the database and comes back with their next update."""
    application, gate = context.application, context.bot_data.flood
    for user_id in [u for u in application.user_data if u not in gate]:
        application.drop_user_data(user_id)


def pins(context: BotContext) -> PinStore:
    """The /lang pin store (made on first use, beside the conversation log)."""
    runtime = context.bot_data
    if runtime.prefs is None:
        runtime.prefs = PinStore(runtime.store)
    return runtime.prefs


async def load_pin(context: BotContext, user_id: int) -> None:
    """Put the user's stored /lang pin into their user data (once per update)."""
    if context.user_data is not None:
        context.user_data.lang = await pins(context).get(user_id)


async def pin_language(context: BotContext, user_id: int, choice: str) -> None:
    """Pin `choice` (de, en, zh; "auto" follows the question) now and across restarts."""
    context.pin(choice)
    await pins(context).set(user_id, None if choice == "auto" else choice)


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


RELOAD_PROBLEMS = 10  # problems named in an admin's reload message; `validate` lists them all
PROBLEM_CHARS = 300  # characters of each


def reload_report(result: ReloadResult, engine: Engine) -> str:
    """What admins read about a reload: what changed, or the first problems that kept the old
    base (one short message, whatever the number of problems; hidden characters made visible).
    The fact folder's return and a failed training say so first."""
    head = [ADMIN[result.event]] if result.event != "edit" else []
    if result.event == "training_failed":
        return "\n".join([*head, *(visible(short(p, PROBLEM_CHARS)) for p in result.problems[:1])])
    if not result.ok:
        shown = [visible(short(p, PROBLEM_CHARS)) for p in result.problems[:RELOAD_PROBLEMS]]
        more = len(result.problems) - len(shown)
        tail = [ADMIN["reload_more"].format(n=more)] if more > 0 else []
        return "\n".join([*head, ADMIN["reload_failed"], *shown, *tail])
    changes = short(result.diff.summary(), 2000)
    return "\n".join([*head, ADMIN["reload_ok"].format(summary=engine.kb.summary(), changes=changes)])


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
