"""The fact-file watcher, wired to the application: the fact base reloads when its files change;
a rejected edit reaches the admins, and a changed answer that has subscribers is put to them
(Send / Skip). Started after the application is initialised, stopped before the log closes.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging

from bot.knowledge.reload import ReloadResult, watch
from bot.telegram.alerts import tell_admins_about_reload
from bot.telegram.context import App
from bot.telegram.press.notices import ask_about_changes

_log = logging.getLogger(__name__)

MAX_RELOAD_NOTICES = 8  # reload results waiting to be told (older ones are superseded)


def start_watcher(app: App) -> None:
    """Reload the fact base when its files change; a rejected edit reaches the admins."""
    settings, holder = app.bot_data.settings, app.bot_data.holder

    # The watcher only queues what to tell: sending (slow, rate-limited, possibly failing) must
    # never hold up the next reload. Only the newest results wait; older ones are superseded.
    waiting: collections.deque[ReloadResult] = collections.deque(maxlen=MAX_RELOAD_NOTICES)
    ready = asyncio.Event()

    async def on_result(result: ReloadResult) -> None:
        waiting.append(result)
        ready.set()

    async def tell() -> None:
        while True:
            await ready.wait()
            ready.clear()
            while waiting:
                result = waiting.popleft()
                try:
                    await tell_admins_about_reload(app.bot, settings.admin_ids, result, holder.engine)
                    if result.ok and result.changed:  # subscribers follow answers: ask admins
                        await ask_about_changes(app.bot, app.bot_data)
                except Exception:  # the next reload's notice may well get through
                    _log.exception("could not tell the admins about a reload")

    async def run() -> None:
        teller = asyncio.create_task(tell(), name="knowledge-notices")
        try:
            await watch(holder, on_result, settings.reload_debounce_s, stop)
        finally:
            teller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await teller

    stop = asyncio.Event()
    task = asyncio.create_task(run(), name="knowledge-watcher")
    app.bot_data.watcher = (stop, task)


async def stop_watcher(app: App) -> None:
    """Stop the file watcher (if it runs) and wait for it."""
    watcher, app.bot_data.watcher = app.bot_data.watcher, None
    if watcher is None:
        return
    stop, task = watcher
    stop.set()
    try:
        await asyncio.wait_for(task, timeout=5)
    except TimeoutError:
        _log.warning("the knowledge watcher did not stop in time")
    except Exception:
        _log.exception("the knowledge watcher failed")
    await app.bot_data.holder.close()
