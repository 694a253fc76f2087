"""Which handler gets which update: commands, questions, one CallbackQueryHandler per button
action (routed by its `pattern=`), inline mode. Everything else is met with silence."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping
from typing import Any

from telegram import Message, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ChosenInlineResultHandler,
    CommandHandler,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot.telegram import console_link, kit, taps
from bot.telegram import handlers as h
from bot.telegram.buttons import PATTERNS, Action
from bot.telegram.context import BotContext
from bot.telegram.press import handlers as press
from bot.telegram.press import notices

TapHandler = Callable[[Update, BotContext], Coroutine[Any, Any, None]]
# One handler per action: a new Action without a handler fails the routing test.
TAPS: Mapping[Action, TapHandler] = {
    "intent": taps.on_intent,
    "feedback": taps.on_feedback,
    "topic": taps.on_topic,
    "topics": taps.on_topics,
    "lang": taps.on_lang,
    "forget": taps.on_forget,
    "handoff": press.on_handoff,
    "ticket": press.on_ticket,
    "notify": notices.on_notify,
    "notice": notices.on_notice,
}


class _Human(filters.MessageFilter):
    """Messages from a person (not from a bot, not posted via a bot)."""

    def filter(self, message: Message) -> bool:
        user = message.from_user
        return user is not None and not user.is_bot and message.via_bot is None


def register(app: Application[Any, BotContext, Any, Any, Any, Any]) -> None:
    """Add every update handler to `app` (the error handler is added by bot.telegram.app)."""
    human = filters.UpdateType.MESSAGE & _Human()
    private = filters.ChatType.PRIVATE
    commands = {
        "start": h.cmd_start,
        "help": h.cmd_help,
        "topics": h.cmd_topics,
        "lang": h.cmd_lang,
        "about": h.cmd_about,
        "privacy": h.cmd_privacy,
        "forget": h.cmd_forget,
        "stats": h.cmd_stats,
        "unanswered": h.cmd_unanswered,
        "reload": h.cmd_reload,
        "console": console_link.cmd_console,
    }
    for name, callback in commands.items():
        app.add_handler(CommandHandler(name, callback, filters=human))
    _register_press(app, human)
    app.add_handler(MessageHandler(filters.COMMAND & human, h.unknown_command))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND & human, h.ask))
    edited = filters.UpdateType.EDITED_MESSAGE & private & filters.TEXT & ~filters.COMMAND
    app.add_handler(MessageHandler(edited & ~filters.VIA_BOT, h.ask))
    service = filters.StatusUpdate.ALL
    app.add_handler(MessageHandler(human & private & ~filters.TEXT & ~service, h.non_text))
    for action, pattern in PATTERNS.items():
        app.add_handler(CallbackQueryHandler(TAPS[action], pattern=pattern))
    app.add_handler(CallbackQueryHandler(kit.stale))  # what no pattern accepts: forged or old
    app.add_handler(InlineQueryHandler(h.on_inline_query))
    app.add_handler(ChosenInlineResultHandler(h.on_chosen_inline))


def _register_press(app: Application[Any, BotContext, Any, Any, Any, Any], human: filters.BaseFilter) -> None:
    """The press office (PRESS_CHAT_ID, PRESS_CONTACT): staff replies in the press group before
    the question handler sees them, /tickets there, /unsubscribe anywhere (its housekeeping is
    a job, bot.telegram.jobs)."""
    settings = app.bot_data.settings
    if app.bot_data.press is None:
        return
    app.add_handler(CommandHandler("unsubscribe", notices.cmd_unsubscribe, filters=human))
    if settings.press_chat_id is None:
        return
    group = filters.Chat(chat_id=settings.press_chat_id)
    app.add_handler(CommandHandler("tickets", press.cmd_tickets, filters=human & group))
    app.add_handler(MessageHandler(human & group & filters.REPLY & ~filters.COMMAND, press.on_staff_reply))
