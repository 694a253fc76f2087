"""/console: an admin, in a private chat, gets a one-use sign-in link to the review console.

The link is sent straight to the admin and never logged (the conversation log keeps only the
link's hash, bot.review.console.auth); no link preview, so Telegram fetches nothing of it.
"""

from __future__ import annotations

import asyncio

from telegram import LinkPreviewOptions, Update

from bot.review.console.auth import LINK_TTL, issue_link
from bot.review.console.data import Log
from bot.telegram.context import BotContext
from bot.telegram.handlers import admin_only


async def cmd_console(update: Update, context: BotContext) -> None:
    """Admins: a sign-in link for the review console, valid once for 10 minutes."""
    message = update.effective_message
    if message is None or not await admin_only(update, context):
        return
    settings = context.bot_data.settings
    user = update.effective_user
    who = f"telegram admin {user.id}" if user else "telegram admin"
    link = await asyncio.to_thread(issue_link, Log(context.bot_data.store), settings.console_url, who)
    minutes = int(LINK_TTL.total_seconds() // 60)
    await message.reply_text(
        f"Review console: {link}\n(one use, valid for {minutes} minutes)",
        link_preview_options=LinkPreviewOptions(is_disabled=True),
    )
