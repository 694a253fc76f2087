"""The kit every update handler shares (messages, commands, taps, the press office): the per-user
budget (admission), sending into the right chat and forum topic, answering with a logged exchange,
editing a tapped message, refusing a stale tap, the /lang pins.

Handlers, taps, the press office and notices import this module, never one another. It holds no
handler of its own except `stale` (the answer to a tap no pattern accepts).
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Sequence

from telegram import Bot, CallbackQuery, MaybeInaccessibleMessage, Message, ReplyParameters, Update
from telegram.constants import ChatType
from telegram.error import BadRequest

from bot.core.reply import ExchangeKind, Outcome, Reply
from bot.errors import StoreError
from bot.settings import Settings
from bot.store.log import Exchange
from bot.store.prefs import PinStore
from bot.telegram.context import BotContext, ui_lang
from bot.telegram.flood import Verdict, judge
from bot.telegram.format import OutMessage, PressOffer, esc, sent_text
from bot.telegram.intake import Intake
from bot.telegram.texts import T

_log = logging.getLogger(__name__)

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


def attachment_kind(message: Message) -> str:
    """A short name for what a non-text message carries (for the log)."""
    for name in ATTACHMENTS:
        if getattr(message, name, None):
            return name
    return "other"


def new_exchange_id() -> str:
    """16 hex digits: the exchange's id in the log and in its feedback buttons."""
    return uuid.uuid4().hex[:16]


def press_offer(settings: Settings) -> PressOffer | None:
    """What replies offer: None when neither PRESS_CHAT_ID nor PRESS_CONTACT is set."""
    if settings.press_chat_id is None and not settings.press_contact:
        return None
    return PressOffer(handoff=settings.press_chat_id is not None, contact=settings.press_contact, notify=True)


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
    intake = context.application.update_queue
    cut = intake.cut_short(update.update_id) if isinstance(intake, Intake) else None
    if cut is not None:  # its update stays in the inbox: the replay logs the exchange, once
        if cut.sent_now:  # a reply went out: the log owes this row until the replay
            log.left_to_replay()
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


# ---- taps -------------------------------------------------------------------------------------


def on_keyboard(query: CallbackQuery) -> bool | None:
    """Whether the tapped message carries a button with this data (None: the message is not at
    hand, e.g. a message older than 48 hours)."""
    message = query.message
    if not isinstance(message, Message):
        return None
    markup = message.reply_markup
    return markup is not None and any(
        b.callback_data == query.data for row in markup.inline_keyboard for b in row
    )


async def stale(update: Update, context: BotContext) -> None:
    """Answer a tap no pattern accepts (unknown, forged or out-of-date data) with a polite note."""
    if await admitted(update, context):
        await refuse(update, context)


async def refuse(update: Update, context: BotContext) -> None:
    """Tell the tapper the button is out of date (the tap was already admitted)."""
    query = update.callback_query
    if query is not None:
        await query.answer(T[ui_lang(update, context)]["stale"])


async def edit(update: Update, context: BotContext, out: OutMessage) -> None:
    """Replace the tapped message (or send a new one into its topic if it cannot be edited)."""
    query = update.callback_query
    if query is None:
        return
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
        await send(context.bot, update.effective_chat.id, [out], thread=thread_of(message))
