"""What admins are told, and the one error handler: errors (once per distinct error, with where
they happened and no user content), fact-file reloads (what changed, or why the old base stays).

Users never see a traceback: a private chat gets one apology.
"""

from __future__ import annotations

import contextlib
import logging
import traceback
from collections.abc import Iterable

from telegram import Bot, Update
from telegram.constants import ChatType
from telegram.error import TelegramError

from bot.core.engine import Engine
from bot.knowledge.reload import ReloadResult
from bot.review.display import visible
from bot.review.reports import short
from bot.telegram.context import BotContext, ui_lang
from bot.telegram.format import esc, pre_chunks
from bot.telegram.texts import ADMIN, T

_log = logging.getLogger(__name__)

MAX_REPORTED = 1000  # distinct errors remembered for "tell admins once"
MAX_ADMIN_CHUNKS = 3  # messages per note to an admin, whatever the text
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


async def notify_admins(bot: Bot, admin_ids: Iterable[int], text: str) -> None:
    """Send a plain-text note to every admin (control and bidi characters from logged text made
    visible, at most MAX_ADMIN_CHUNKS messages); an admin we cannot reach is logged, not raised."""
    chunks = pre_chunks(visible(text))[:MAX_ADMIN_CHUNKS]
    for admin_id in admin_ids:
        for chunk in chunks:
            try:
                await bot.send_message(chat_id=admin_id, text=chunk)
            except TelegramError as exc:
                _log.warning("cannot notify admin: %s", exc)
                break


async def tell_admins_about_reload(
    bot: Bot, admin_ids: Iterable[int], result: ReloadResult, engine: Engine
) -> None:
    """For the file watcher: a rejected edit reaches the admins (once per broken version), and so
    do the folder's return and a failed training."""
    if not result.ok or result.event != "edit":
        await notify_admins(bot, admin_ids, reload_report(result, engine))


async def tell_admins_once(context: BotContext, what: str, error: Exception) -> None:
    """A user's request (`what`: "Hand-off", "/forget") failed on the store and the user was told
    to try later: tell admins, once per request and kind of fault (the error handler's memory)."""
    runtime = context.bot_data
    key = f"{what}: {getattr(error, 'kind', type(error).__name__)}"
    if key in runtime.reported or len(runtime.reported) >= MAX_REPORTED:
        return
    runtime.reported.add(key)
    text = ADMIN["request_failed"].format(what=what, error=runtime.redact(str(error)))
    await notify_admins(context.bot, runtime.settings.admin_ids, text)


def describe_update(update: object) -> str:
    """Where an error happened, without user content: update id, kind and chat type."""
    if not isinstance(update, Update):
        return "outside an update" if update is None else f"in {type(update).__name__}"
    kinds = (
        "message",
        "edited_message",
        "channel_post",
        "callback_query",
        "inline_query",
        "chosen_inline_result",
        "my_chat_member",
    )
    kind = next((k for k in kinds if getattr(update, k, None) is not None), "update")
    chat = update.effective_chat
    return f"update {update.update_id} ({kind}{f' in a {chat.type} chat' if chat else ''})"


def error_key(error: BaseException) -> str:
    """One line naming an error: type, message and the innermost frame of this project or PTB."""
    frames = traceback.extract_tb(error.__traceback__)
    where = f" at {frames[-1].filename.rsplit('/', 1)[-1]}:{frames[-1].lineno}" if frames else ""
    return f"{type(error).__name__}: {str(error)[:300]}{where}"


async def on_error(update: object, context: BotContext) -> None:
    """Log the error with context, tell admins once per distinct error, apologise to the user."""
    error = context.error
    if error is None:
        return
    where = describe_update(update)
    _log.error("error while handling %s", where, exc_info=error)
    runtime = context.bot_data
    key = runtime.redact(error_key(error))
    if key not in runtime.reported and len(runtime.reported) < MAX_REPORTED:
        runtime.reported.add(key)
        await notify_admins(
            context.bot, runtime.settings.admin_ids, ADMIN["alert"].format(error=f"{key} ({where})")
        )
    if isinstance(error, TelegramError) or not isinstance(update, Update):
        return  # Telegram itself failed: another message would likely fail too
    chat = update.effective_chat
    if chat is not None and chat.type == ChatType.PRIVATE:
        with contextlib.suppress(TelegramError):
            await context.bot.send_message(chat.id, esc(T[ui_lang(update, context)]["error"]))
