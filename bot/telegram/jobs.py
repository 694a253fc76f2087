"""Periodic work, on the framework's scheduler (python-telegram-bot's JobQueue): the retention
purges of the conversation log, the inbox and the press tables, the look for answers a /reload or
a promote changed, the review console's hand-offs to the press group, and the update notices'
sender (started and, should it die, restarted by a job; a confirmed notice resumes at start);
once at start, OpenCC's converters. Nothing periodic runs off incoming updates.

The jobs start with the application (`Application.start`) and stop with it; each logs what it
could not do and runs again at its next turn.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.ext import JobQueue

from bot.core.lang import load_converters
from bot.errors import StoreError
from bot.telegram.context import App, BotContext
from bot.telegram.intake import PURGE_EVERY_S as INBOX_PURGE_EVERY_S
from bot.telegram.intake import Intake
from bot.telegram.press.handoffs import HANDOFF_EVERY_S, post_handoffs
from bot.telegram.press.notices import (
    HOUSEKEEPING_EVERY_S,
    NOTICE_CHECK_S,
    NOTICE_RESUME_S,
    housekeeping,
    notice_changes,
    resume_notices,
)
from bot.telegram.press.sender import NoticeSender

_log = logging.getLogger(__name__)

LOG_PURGE_EVERY_S = 24 * 3600
Job = Callable[[BotContext], Coroutine[Any, Any, None]]


async def warm_scripts(context: BotContext) -> None:
    """Build the traditional-Chinese converters (a few hundredths of a second, once a process)."""
    load_converters()


async def purge_log(context: BotContext) -> None:
    """Erase the conversation log's rows older than the retention."""
    log = context.bot_data.log
    if log is None:
        return
    try:
        await log.purge_expired()
    except StoreError as exc:
        _log.warning("%s", exc)


async def purge_inbox(context: BotContext) -> None:
    """Drop the inbox rows done long enough ago."""
    queue = context.application.update_queue
    if not isinstance(queue, Intake):
        return
    try:
        await queue.purge()
    except StoreError as exc:
        _log.warning("inbox purge: %s", exc)


def _now_and_every(jobs: JobQueue[BotContext], callback: Job, every: float, name: str) -> None:
    """Run `callback` once at start and then every `every` seconds. (A repeating job's `first=0`
    is skipped: its start lies before the scheduler starts, and the interval trigger goes on from
    the next turn; a one-off job runs however late the start is.)"""
    jobs.run_once(callback, 0, name=f"{name}-at-start", job_kwargs={"misfire_grace_time": None})
    jobs.run_repeating(callback, every, first=every, name=name)


def schedule(app: App) -> None:
    """Put the periodic work on the application's JobQueue (it starts with the application)."""
    jobs = app.job_queue
    if jobs is None:  # python-telegram-bot without its job-queue extra
        raise RuntimeError('the JobQueue is missing: pip install "python-telegram-bot[job-queue]"')
    # OpenCC's script converters read their dictionaries once they are built: the bot builds them
    # right after its start, not at the first reply in traditional characters (nor before polling).
    jobs.run_once(warm_scripts, 0, name="warm-scripts", job_kwargs={"misfire_grace_time": None})
    _now_and_every(jobs, purge_log, LOG_PURGE_EVERY_S, "log-purge")
    # The inbox is purged when the intake opens, before the first update is stored.
    jobs.run_repeating(purge_inbox, INBOX_PURGE_EVERY_S, first=INBOX_PURGE_EVERY_S, name="inbox-purge")
    runtime = app.bot_data
    if runtime.press is not None:
        runtime.notices = NoticeSender(
            app.bot,
            runtime.press,
            lambda: runtime.holder.engine,
            admins=runtime.settings.admin_ids,
            replicas=runtime.settings.replicas,
        )
        _now_and_every(jobs, housekeeping, HOUSEKEEPING_EVERY_S, "press-housekeeping")
        jobs.run_repeating(notice_changes, NOTICE_CHECK_S, first=NOTICE_CHECK_S, name="press-notices")
        # A notice a crash or a stop cut short resumes at start.
        _now_and_every(jobs, resume_notices, NOTICE_RESUME_S, "press-notice-sender")
        if runtime.settings.press_chat_id is not None:
            # The review console's hand-offs, posted to the press group (claimed: one replica each).
            _now_and_every(jobs, post_handoffs, HANDOFF_EVERY_S, "press-handoffs")


async def stop_background(app: App) -> None:
    """Stop what the jobs started and still runs (the notice sender, after its sends in flight)."""
    sender = app.bot_data.notices
    if sender is not None:
        await sender.stop()
