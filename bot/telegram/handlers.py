"""Thin Telegram handlers: read the update, ask the engine, send, hand the exchange to the log.

The engine is read once per update from `bot_data[ENGINE]` (an EngineHolder), so a reload swaps it
atomically. What the bot says is built in telegram_format (HTML, keyboards) from telegram_texts;
logging goes to the conversation log's queue and never delays a reply. The error handler and the
messages to admins live in telegram_app.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from telegram import Bot, Chat, Message, MessageEntity, ReplyParameters, Update
from telegram.constants import ChatType
from telegram.error import BadRequest
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChosenInlineResultHandler,
    CommandHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot.core.engine import Engine
from bot.core.reply import ExchangeKind, Reply
from bot.errors import StoreError
from bot.knowledge.reload import EngineHolder, ReloadResult
from bot.review.commands import stats_summary, unanswered_top
from bot.settings import Settings
from bot.store.log import ConversationLog, Exchange
from bot.telegram.flood import FloodGate, Verdict
from bot.telegram.format import (
    OutMessage,
    about_message,
    browsable_topics,
    esc,
    forget_message,
    help_message,
    inline_results,
    lang_message,
    lang_set_text,
    parse_data,
    pre_chunks,
    privacy_message,
    render_reply,
    resolve,
    sent_text,
    start_message,
    topic_message,
    topics_message,
)
from bot.telegram.texts import ADMIN, T, pick_lang

_log = logging.getLogger(__name__)

ENGINE = "engine"
RUNTIME = "runtime"
Context = ContextTypes.DEFAULT_TYPE
Report = Callable[[Path], str]
MAX_REPORTED = 1000  # distinct errors remembered for "tell admins once"
ATTACHMENTS = (
    "sticker", "photo", "voice", "audio", "video", "video_note", "document", "animation",
    "location", "venue", "contact", "poll", "dice", "game", "story", "paid_media",
)  # fmt: skip


@dataclass
class Runtime:
    """What the handlers share besides the engine: settings, log, flood gate, reported errors."""

    settings: Settings
    log: ConversationLog | None
    flood: FloodGate
    redact: Callable[[str], str] = str  # hides the token in what admins are told
    reported: set[str] = field(default_factory=set)  # errors admins were told about


def holder_of(context: Context) -> EngineHolder:
    """The holder of the engine in service (hot reload swaps its engine in one step)."""
    holder = context.bot_data[ENGINE]
    assert isinstance(holder, EngineHolder)
    return holder


def engine_of(context: Context) -> Engine:
    """The engine in service now; read it once per update."""
    return holder_of(context).engine


def runtime_of(context: Context) -> Runtime:
    """The shared runtime state."""
    runtime = context.bot_data[RUNTIME]
    assert isinstance(runtime, Runtime)
    return runtime


# ---- small readers ----------------------------------------------------------------------------


def pinned_lang(context: Context) -> str | None:
    """The language the user pinned with /lang, if any."""
    data = context.user_data
    value = data.get("lang") if data is not None else None
    return value if isinstance(value, str) else None


def ui_lang(update: Update, context: Context) -> str:
    """The language of the bot's own words for this user."""
    user = update.effective_user
    return pick_lang(pinned_lang(context), user.language_code if user else None)


def is_admin(update: Update, context: Context) -> bool:
    """True for users listed in BOT_ADMIN_IDS."""
    user = update.effective_user
    return user is not None and user.id in runtime_of(context).settings.admin_ids


def addressed_text(message: Message, username: str, bot_id: int) -> str | None:
    """In a group: the question if the message is for this bot (mention or reply), else None."""
    text = message.text or ""
    replied = message.reply_to_message
    addressed = bool(replied and replied.from_user and replied.from_user.id == bot_id)
    cut: list[tuple[int, int]] = []
    for entity, value in message.parse_entities([MessageEntity.MENTION,
                                                 MessageEntity.TEXT_MENTION]).items():  # fmt: skip
        is_me = (entity.type == MessageEntity.MENTION and value.lower() == f"@{username.lower()}"
                 ) or (entity.user is not None and entity.user.id == bot_id)  # fmt: skip
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


async def send(bot: Bot, chat: Chat, messages: Sequence[OutMessage],
               reply_to: Message | None = None) -> None:
    """Send the messages in order; the first one quotes `reply_to` (in groups)."""
    thread = None
    if reply_to is not None and reply_to.is_topic_message:
        thread = reply_to.message_thread_id
    for n, out in enumerate(messages):
        quote = None
        if reply_to is not None and n == 0:
            quote = ReplyParameters(reply_to.message_id, allow_sending_without_reply=True)
        await bot.send_message(
            chat_id=chat.id,
            text=out.html,
            reply_markup=out.keyboard,
            message_thread_id=thread,
            reply_parameters=quote,
        )


def log_exchange(
    update: Update,
    context: Context,
    *,
    kind: ExchangeKind,
    text: str,
    sent: str,
    started: float,
    reply: Reply | None = None,
    exchange_id: str | None = None,
) -> None:
    """Queue the exchange in the conversation log (never blocks, never raises)."""
    log = runtime_of(context).log
    if log is None:
        return
    chat, user = update.effective_chat, update.effective_user
    exchange = Exchange(
        channel="telegram",
        user_id=user.id if user else None,
        chat_id=chat.id if chat else None,
        chat_type=chat.type if chat else "inline",
        kind=kind,
        text=text,
        reply=sent,
        lang=reply.lang if reply else ui_lang(update, context),
        lang_pinned=pinned_lang(context),
        intent=(reply.intent or reply.nearest) if reply else None,
        confidence=reply.confidence if reply else None,
        outcome=reply.outcome if reply else "other",
        latency_ms=round((time.perf_counter() - started) * 1000, 3),
        id=exchange_id or new_exchange_id(),
    )
    log.log(exchange)


async def respond(
    update: Update,
    context: Context,
    messages: Sequence[OutMessage],
    *,
    kind: ExchangeKind,
    text: str,
    started: float,
    reply: Reply | None = None,
    exchange_id: str | None = None,
) -> None:
    """Send `messages` in answer to the update's message, then log the exchange (even on error)."""
    message, chat = update.effective_message, update.effective_chat
    assert message is not None and chat is not None
    try:
        quote = message if chat.type != ChatType.PRIVATE or update.edited_message else None
        await send(context.bot, chat, messages, quote)
    finally:
        log_exchange(update, context, kind=kind, text=text, sent=sent_text(messages),
                     started=started, reply=reply, exchange_id=exchange_id)  # fmt: skip


async def admitted(update: Update, context: Context) -> bool:
    """Count the message against the user's flood limit; send the one slow-down notice."""
    user, message = update.effective_user, update.effective_message
    if user is None or message is None:
        return False
    started = time.perf_counter()
    verdict = runtime_of(context).flood.check(user.id, time.monotonic())
    if verdict is Verdict.ALLOW:
        return True
    text = message.text or f"[{attachment_kind(message)}]"
    notice = [OutMessage(esc(T[ui_lang(update, context)]["flood"]))]
    if verdict is Verdict.NOTICE:
        _log.info("flood control: user over %d messages a minute", runtime_of(context).flood.limit)
        await respond(update, context, notice, kind="message", text=text, started=started)
    else:
        log_exchange(update, context, kind="message", text=text, sent="", started=started)
    return False


# ---- questions --------------------------------------------------------------------------------


async def ask(update: Update, context: Context) -> None:
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
    reply = engine_of(context).reply(question, hint=user.language_code,
                                     pinned=pinned_lang(context))  # fmt: skip
    exchange_id = new_exchange_id()
    await respond(update, context, render_reply(reply, exchange_id), kind="message",
                  text=question, started=started, reply=reply, exchange_id=exchange_id)  # fmt: skip


async def non_text(update: Update, context: Context) -> None:
    """Tell a private chat that only text is read (stickers, photos, voice, locations ...)."""
    message = update.effective_message
    if message is None or not await admitted(update, context):
        return
    started = time.perf_counter()
    out = [OutMessage(esc(T[ui_lang(update, context)]["non_text"]))]
    await respond(update, context, out, kind="message", text=f"[{attachment_kind(message)}]",
                  started=started)  # fmt: skip


# ---- commands ---------------------------------------------------------------------------------


View = Callable[[str], Sequence[OutMessage]]


async def _command(update: Update, context: Context, view: View, *, gate: bool = True) -> None:
    """Answer a command with `view(lang)`, after the flood check; log it as a command."""
    message = update.effective_message
    if message is None or (gate and not await admitted(update, context)):
        return
    started = time.perf_counter()
    messages = view(ui_lang(update, context))
    await respond(update, context, messages, kind="command", text=message.text or "",
                  started=started)  # fmt: skip


async def cmd_start(update: Update, context: Context) -> None:
    """Greet, say what the bot knows, offer example questions as buttons."""
    await _command(update, context, lambda lang: [start_message(engine_of(context), lang)])


async def cmd_help(update: Update, context: Context) -> None:
    """Explain how to ask, the commands, groups and inline mode."""
    await _command(update, context, lambda lang: [help_message(lang, context.bot.username)])


async def cmd_topics(update: Update, context: Context) -> None:
    """Offer every topic as a button."""
    await _command(update, context, lambda lang: [topics_message(engine_of(context), lang)])


async def cmd_lang(update: Update, context: Context) -> None:
    """Pin the reply language (`/lang de|en|zh|auto`), or offer the choice as buttons."""
    choice = (context.args or [""])[0].lower()

    def view(lang: str) -> list[OutMessage]:
        if choice in ("de", "en", "zh", "auto"):
            set_pinned(context, choice)
            return [OutMessage(lang_set_text(choice))]
        return [lang_message(pinned_lang(context), lang)]

    await _command(update, context, view)


def set_pinned(context: Context, choice: str) -> None:
    """Pin a language for this user, or follow the question again ("auto")."""
    if context.user_data is None:
        return
    if choice == "auto":
        context.user_data.pop("lang", None)
    else:
        context.user_data["lang"] = choice


async def cmd_about(update: Update, context: Context) -> None:
    """Name the release: title, date and source."""
    await _command(update, context, lambda lang: [about_message(engine_of(context), lang)])


async def cmd_privacy(update: Update, context: Context) -> None:
    """Say what is logged, for how long, and how to erase it."""
    days = runtime_of(context).settings.retention_days
    await _command(update, context, lambda lang: [privacy_message(lang, days)])


async def cmd_forget(update: Update, context: Context) -> None:
    """Ask for confirmation before erasing the user's logged data."""
    await _command(update, context, lambda lang: [forget_message(lang)])


async def unknown_command(update: Update, context: Context) -> None:
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


async def cmd_stats(update: Update, context: Context) -> None:
    """Admins: a short summary of the conversation log."""
    await _admin_report(update, context, lambda path: stats_summary(path))


async def cmd_unanswered(update: Update, context: Context) -> None:
    """Admins: the top ten clusters of unanswered questions."""
    await _admin_report(update, context, lambda path: unanswered_top(path, limit=10))


async def _admin_report(update: Update, context: Context, report: Report) -> None:
    if not is_admin(update, context):
        await unknown_command(update, context)
        return
    runtime = runtime_of(context)
    if runtime.log is not None:
        await runtime.log.flush()
    text = await asyncio.to_thread(report, runtime.settings.db_path)
    await _command(update, context, lambda _: [OutMessage(c) for c in pre_chunks(text)])


async def cmd_reload(update: Update, context: Context) -> None:
    """Admins: reload the fact base now; keep the old one if the new one is invalid."""
    if not is_admin(update, context):
        await unknown_command(update, context)
        return
    result = await holder_of(context).reload_async()
    text = reload_report(result, holder_of(context).engine)
    await _command(update, context, lambda _: [OutMessage(c) for c in pre_chunks(text)])


def reload_report(result: ReloadResult, engine: Engine) -> str:
    """What admins read about a reload: what changed, or the problems that kept the old base."""
    if not result.ok:
        return ADMIN["reload_failed"] + "\n" + "\n".join(result.problems)
    return ADMIN["reload_ok"].format(summary=engine.kb.summary(), changes=result.diff.summary())


# ---- buttons ----------------------------------------------------------------------------------


async def on_button(update: Update, context: Context) -> None:
    """Handle a tap: answer it at once; stale or unknown buttons get a polite note."""
    query = update.callback_query
    if query is None:
        return
    started = time.perf_counter()
    lang = ui_lang(update, context)
    tap = parse_data(query.data)
    engine = engine_of(context)
    if tap is None:
        await query.answer(T[lang]["stale"])
        return
    if tap.action == "feedback":
        log = runtime_of(context).log
        if log is not None:
            log.log_feedback(tap.arg, query.from_user.id, tap.value, "telegram")
        await query.answer(T[lang]["thanks"])
        return
    if tap.action == "intent":
        intent = resolve(tap, (i.id for i in engine.kb.intents))
        reply = engine.answer_intent(intent, tap.lang) if intent else None
        if reply is None or update.effective_chat is None:
            await query.answer(T[lang]["stale"])
            return
        await query.answer()
        exchange_id = new_exchange_id()
        messages = render_reply(reply, exchange_id)
        try:
            await send(context.bot, update.effective_chat, messages)
        finally:
            log_exchange(update, context, kind="callback", text=reply.question,
                         sent=sent_text(messages), started=started, reply=reply,
                         exchange_id=exchange_id)  # fmt: skip
        return
    if tap.action == "forget":
        await _forget(update, context, confirmed=tap.arg == "yes")
        return
    if tap.action == "lang":
        set_pinned(context, tap.arg)
        await query.answer()
        await _edit(update, context, OutMessage(lang_set_text(tap.arg)))
    elif tap.action == "topics":
        await query.answer()
        await _edit(update, context, topics_message(engine, lang))
    elif tap.action == "topic":
        topic = resolve(tap, browsable_topics(engine))
        if topic is None:
            await query.answer(T[lang]["stale"])
            return
        await query.answer()
        await _edit(update, context, topic_message(engine, topic, lang))
    log_exchange(update, context, kind="callback", text=query.data or "", sent="", started=started)


async def _edit(update: Update, context: Context, out: OutMessage) -> None:
    """Replace the tapped message (or send a new one if it can no longer be edited)."""
    query = update.callback_query
    assert query is not None
    message = query.message
    if isinstance(message, Message):
        try:
            await query.edit_message_text(out.html, reply_markup=out.keyboard)
            return
        except BadRequest as exc:
            if "not modified" in str(exc).lower():
                return
            if "not found" not in str(exc).lower():
                raise
    if update.effective_chat is not None:
        await send(context.bot, update.effective_chat, [out])


async def _forget(update: Update, context: Context, *, confirmed: bool) -> None:
    query, user = update.callback_query, update.effective_user
    assert query is not None
    lang = ui_lang(update, context)
    await query.answer()
    log = runtime_of(context).log
    if not confirmed or user is None:
        await _edit(update, context, OutMessage(esc(T[lang]["forget_cancelled"])))
        return
    if context.user_data is not None:
        context.user_data.clear()
    try:
        erased = await log.forget(user.id, "telegram") if log is not None else 0
    except StoreError as exc:
        _log.warning("forget failed: %s", exc)
        await _edit(update, context, OutMessage(esc(T[lang]["forget_failed"])))
        return
    # Not logged: an erasure must not leave a fresh row behind.
    await _edit(update, context, OutMessage(esc(T[lang]["forget_done"].format(n=erased))))


# ---- inline mode ------------------------------------------------------------------------------


async def on_inline_query(update: Update, context: Context) -> None:
    """Offer the answer (or example answers) as inline results."""
    query = update.inline_query
    if query is None:
        return
    _, articles = inline_results(engine_of(context), query.query,
                                 query.from_user.language_code, pinned_lang(context))  # fmt: skip
    await query.answer(articles, cache_time=30, is_personal=True)


async def on_chosen_inline(update: Update, context: Context) -> None:
    """Log the inline result a user picked (sent by Telegram when inline feedback is on)."""
    chosen = update.chosen_inline_result
    if chosen is None:
        return
    started = time.perf_counter()
    lang = pick_lang(pinned_lang(context), chosen.from_user.language_code)
    reply = engine_of(context).answer_intent(chosen.result_id, lang, question=chosen.query)
    sent = reply.text if reply else ""
    log_exchange(update, context, kind="inline", text=chosen.query, sent=sent, started=started,
                 reply=reply)  # fmt: skip


# ---- wiring -----------------------------------------------------------------------------------


class _Human(filters.MessageFilter):
    """Messages from a person (not from a bot, not posted via a bot)."""

    def filter(self, message: Message) -> bool:
        user = message.from_user
        return user is not None and not user.is_bot and message.via_bot is None


def register(app: Application) -> None:  # type: ignore[type-arg]
    """Add every handler and the error handler to `app`."""
    human = filters.UpdateType.MESSAGE & _Human()
    private = filters.ChatType.PRIVATE
    commands = {
        "start": cmd_start, "help": cmd_help, "topics": cmd_topics, "lang": cmd_lang,
        "about": cmd_about, "privacy": cmd_privacy, "forget": cmd_forget,
        "stats": cmd_stats, "unanswered": cmd_unanswered, "reload": cmd_reload,
    }  # fmt: skip
    for name, callback in commands.items():
        app.add_handler(CommandHandler(name, callback, filters=human))
    app.add_handler(MessageHandler(filters.COMMAND & human, unknown_command))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND & human, ask))
    edited = filters.UpdateType.EDITED_MESSAGE & private & filters.TEXT & ~filters.COMMAND
    app.add_handler(MessageHandler(edited & ~filters.VIA_BOT, ask))
    service = filters.StatusUpdate.ALL
    app.add_handler(MessageHandler(human & private & ~filters.TEXT & ~service, non_text))
    app.add_handler(CallbackQueryHandler(on_button))
    app.add_handler(InlineQueryHandler(on_inline_query))
    app.add_handler(ChosenInlineResultHandler(on_chosen_inline))
    # Everything else (channel posts, service messages, group chatter, other bots): silence.


