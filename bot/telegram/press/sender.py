"""Sending the update notices admins confirmed: beside the replies, within Telegram's limits, and
to the end across crashes.

A confirmed notice is a list of deliveries in the store (bot.store.press), one per subscriber,
each with its own state. One sender task per process works through them: it plans a notice's
deliveries once, sends each pending one (through the application's rate limiter) and records it
sent only after Telegram accepted it, in the transaction that moves the subscription on; so a
crash, SIGKILL included, repeats at most the few sends then in flight (CONCURRENT), and the next
start resumes where the last stopped. It paces itself below the bot's share of Telegram's 30
messages a second (bot.telegram.limits.notices_per_second), so replies and admin commands keep
room, and tells the admin who tapped Send how far it is: at each quarter (their prompt edited), on
a resume and at the end (a message each).

The task is started by a JobQueue job (bot.telegram.jobs, at start: a stopped notice resumes; then
every few seconds, restarting it should it have died), woken at once by Send, and stopped with
the application after the sends in flight (bot.telegram.jobs.stop_background). On a shared store
(replicas) a lease on the notice lets one replica send it; another takes it over when that
replica dies.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
import logging
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut

from bot.core.engine import Engine
from bot.core.lang import LANGS
from bot.errors import StoreError
from bot.knowledge.model import Intent
from bot.store import press as db
from bot.store.press import NoticeRun, PressStore, Progress, answer_hash
from bot.store.queue import replica_id
from bot.telegram.format import OutMessage, esc
from bot.telegram.limits import notices_per_second
from bot.telegram.press.texts import STAFF
from bot.telegram.press.view import update_messages

_log = logging.getLogger(__name__)

CONCURRENT = 4  # sends in flight at once: Telegram takes ~0.1 s to answer, one at a time is too slow
BATCH = 100  # deliveries read from the store at once
LEASE_S = 60.0  # how long a notice stays with its sender without a renewal (renewed every batch)
MAX_ATTEMPTS = 5  # network failures of one delivery before it counts as failed
PAUSE_S = 5.0  # after a network failure: Telegram is unreachable for now
STOP_GRACE_S = 3.0  # at a stop, how long the sends in flight may take to finish
MILESTONES = 4  # the admin's prompt shows the progress at each quarter


def answer_digest(engine: Engine, intent_id: str) -> str | None:
    """A fingerprint of an intent's answers in every language (a notice is about one of them)."""
    intent = engine.kb.get(intent_id)
    return None if intent is None else answer_hash("\0".join(intent.answer[lg] for lg in LANGS))


class Pace:
    """At most `rate` starts a second, evenly spaced (and none while paused)."""

    def __init__(self, rate: float) -> None:
        self.interval = 1 / rate
        self._next = 0.0

    def pause(self, seconds: float) -> None:
        """Start nothing for `seconds` (Telegram unreachable, or asked us to wait)."""
        self._next = max(self._next, time.monotonic() + seconds)

    async def wait(self) -> None:
        """Wait for the next free slot, and take it."""
        now = time.monotonic()
        at = max(now, self._next)
        self._next = at + self.interval
        if at > now:
            await asyncio.sleep(at - now)


class NoticeSender:
    """The one task per process that sends confirmed update notices (see the module docstring)."""

    def __init__(
        self,
        bot: Bot,
        store: PressStore,
        engine: Callable[[], Engine],
        *,
        admins: Iterable[int] = (),
        replicas: int = 1,
        rate: float | None = None,
    ) -> None:
        self.bot = bot
        self.store = store
        self.engine = engine  # the engine in service now (a reload swaps it)
        self.admins = sorted(admins)
        self.holder = replica_id()
        self.exclusive = not store.store.shared  # one process on its own file: no other sender
        self.pace = Pace(rate or notices_per_second(replicas))
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stop = asyncio.Event()
        # Why the batch stops starting sends: the store failed (the notice waits for it) or
        # Telegram cannot be reached (the next batch waits for the pause).
        self._halt: StoreError | TelegramError | None = None
        self._slots = asyncio.Semaphore(CONCURRENT)
        self._begun: set[int] = set()  # notices this process began (a later look is no resume)

    # ---- life cycle ---------------------------------------------------------------------------

    def kick(self) -> None:
        """Look for notices to send now (starting the task if it is not running)."""
        if self._stop.is_set():
            return
        if self._task is None or self._task.done():
            # A notice is no update's reply: its sends must not count as the sends of the update
            # that started it (bot.telegram.intake reads that from the context), so a fresh one.
            self._task = asyncio.get_running_loop().create_task(
                self._run(), name="update-notices", context=contextvars.Context()
            )
        self._wake.set()

    async def stop(self, grace: float = STOP_GRACE_S) -> None:
        """Start no new send; let those in flight finish (within `grace`), then end the task."""
        self._stop.set()
        self._wake.set()
        task, self._task = self._task, None
        if task is None:
            return
        done, _ = await asyncio.wait({task}, timeout=grace)
        if not done:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    @property
    def running(self) -> bool:
        """True while the task runs."""
        return self._task is not None and not self._task.done()

    async def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            try:
                for run in await self.store.run(db.unfinished_notices):
                    if self._stop.is_set():
                        break
                    await self._send_notice(run)
            except StoreError as exc:
                _log.warning("update notices wait for the database: %s", exc)
            except Exception:  # a bug must not end notices for good: logged, tried at the next look
                _log.exception("update notices: unexpected error")
            await self._wake.wait()

    # ---- one notice ---------------------------------------------------------------------------

    async def _take(self, notice_id: int) -> NoticeRun | None:
        take = functools.partial(
            db.take_notice,
            notice_id=notice_id,
            holder=self.holder,
            now=datetime.now(UTC),
            lease_s=LEASE_S,
            force=self.exclusive,
        )
        return await self.store.run(take)

    def _current(self, run: NoticeRun) -> Intent | None:
        """The notice's intent as in service now, or None when its answer changed again (or the
        intent went) since Send: the newer change is asked about anew, this notice stops."""
        engine = self.engine()
        intent = engine.kb.get(run.intent)
        return intent if answer_digest(engine, run.intent) == run.answer_hash else None

    async def _send_notice(self, found: NoticeRun) -> None:
        run = await self._take(found.id)
        if run is None:
            return  # finished meanwhile, or another replica sends it
        intent = self._current(run)
        if intent is None:
            await self._finish(run, STAFF["notice_superseded"])
            return
        resumed = run.total is not None and run.id not in self._begun
        self._begun.add(run.id)
        digests = {lang: answer_hash(intent.answer[lang]) for lang in LANGS}
        await self.store.run(lambda conn: db.plan_deliveries(conn, run.id, digests, datetime.now(UTC)))
        if resumed:
            progress = await self.store.run(lambda conn: db.notice_progress(conn, run.id))
            _log.info(
                "update notice for %s resumes: %d of %d told", run.intent, progress.sent, progress.total
            )
            await self._tell(run, STAFF["notice_resumed"], progress, new=True)
        while not self._stop.is_set():
            pending = functools.partial(
                db.pending_deliveries, notice_id=run.id, now=datetime.now(UTC), limit=BATCH
            )
            batch = await self.store.run(pending)
            if not batch:
                await self._finish(run, STAFF["notice_sent"], edit=True)
                return
            self._halt = None
            await asyncio.gather(*(self._deliver(run, intent, d) for d in batch))
            if isinstance(self._halt, StoreError):
                raise self._halt
            # The lease is renewed after each batch; a batch halts early when Telegram cannot be
            # reached, so it never outlasts the lease (a few sends in flight, each retried ~15 s).
            if await self._take(run.id) is None:
                return  # the lease passed to another replica (we stalled past it)
            await self._milestone(run)
            intent = self._current(run)
            if intent is None:  # a reload changed the answer again while it was sent
                await self._finish(run, STAFF["notice_superseded"])
                return

    async def _finish(self, run: NoticeRun, template: str, *, edit: bool = False) -> None:
        progress = await self.store.run(lambda conn: db.finish_notice(conn, run.id, datetime.now(UTC)))
        _log.info(
            "update notice for %s ended: %d of %d told, %d not reached",
            run.intent,
            progress.sent,
            progress.total,
            progress.failed,
        )
        await self._tell(run, template, progress, new=True, edit=edit)

    async def _deliver(self, run: NoticeRun, intent: Intent, d: db.Delivery) -> None:
        async with self._slots:
            if self._stop.is_set() or self._halt is not None:
                return  # stays pending
            try:
                await self._deliver_one(run, intent, d)
            except StoreError as exc:  # the record of a send failed: stop before more could repeat
                self._halt = exc

    async def _settle(
        self, run: NoticeRun, d: db.Delivery, state: db.DeliveryState, told: str | None
    ) -> None:
        settle = functools.partial(
            db.settle_delivery,
            notice_id=run.id,
            user_ps=d.user_ps,
            state=state,
            now=datetime.now(UTC),
            told=(run.intent, told) if told else None,
        )
        await self.store.run(settle)

    async def _deliver_one(self, run: NoticeRun, intent: Intent, d: db.Delivery) -> None:
        if d.chat_id is None or d.lang not in LANGS:
            await self._settle(run, d, "dropped", None)  # unsubscribed, expired or erased since
            return
        answer = intent.answer[d.lang]
        digest = answer_hash(answer)
        if digest == d.answer_hash:
            await self._settle(run, d, "dropped", None)  # told of this answer already
            return
        accepted = 0
        state: db.DeliveryState | None = "failed"
        try:
            for out in update_messages(d.lang, intent.example(d.lang), answer):
                await self.pace.wait()
                if self._stop.is_set() and not accepted:
                    return  # stays pending for the next start
                await self.bot.send_message(d.chat_id, out.html, reply_markup=out.keyboard)
                accepted += 1
            state = "sent"
        except (Forbidden, BadRequest) as exc:  # blocked, chat gone: it would fail again
            _log.info("an update notice could not be delivered: %s", exc)
        except TimedOut as exc:  # it may have arrived: not sent again, counted as not reached
            _log.info("an update notice timed out (not repeated): %s", exc)
        except RetryAfter as exc:  # the rate limiter's own retries were spent
            self.pace.pause(_seconds(exc.retry_after))
            self._halt, state = exc, None
        except NetworkError as exc:
            _log.warning("an update notice waits for Telegram: %s", exc)
            self.pace.pause(PAUSE_S)
            self._halt, state = exc, None
        except TelegramError as exc:
            _log.warning("an update notice could not be delivered: %s", exc)
        if accepted:  # a long answer cut short after its first part still told them
            await self._settle(run, d, "sent", digest)
        elif state is None:
            retry = functools.partial(
                db.retry_delivery,
                notice_id=run.id,
                user_ps=d.user_ps,
                now=datetime.now(UTC),
                max_attempts=MAX_ATTEMPTS,
            )
            await self.store.run(retry)
        else:
            await self._settle(run, d, state, None)

    # ---- the admin's view ---------------------------------------------------------------------

    async def _milestone(self, run: NoticeRun) -> None:
        progress = await self.store.run(lambda conn: db.notice_progress(conn, run.id))
        if not progress.total or not progress.pending:
            return  # the end is told by the final message
        milestone = progress.done * MILESTONES // progress.total
        if milestone < 1 or not await self.store.run(lambda conn: db.note_reported(conn, run.id, milestone)):
            return
        await self._tell(run, STAFF["notice_progress"], progress, edit=True)

    async def _tell(
        self, run: NoticeRun, template: str, progress: Progress, *, new: bool = False, edit: bool = False
    ) -> None:
        """Show the admin who tapped Send `template` filled in: their prompt edited (`edit`), a
        new message (`new`), or both; without a known admin (a notice from before resuming
        existed), a new message to every admin."""
        text = esc(
            template.format(
                intent=run.intent,
                done=progress.done,
                total=progress.total,
                sent=progress.sent,
                failed=progress.failed,
                dropped=progress.dropped,
                left=progress.pending,
            )
        )
        out = OutMessage(text)
        chats = [run.admin_chat_id] if run.admin_chat_id is not None else self.admins
        try:
            if edit and run.admin_chat_id is not None and run.admin_message_id is not None:
                await self.bot.edit_message_text(
                    out.html, chat_id=run.admin_chat_id, message_id=run.admin_message_id
                )
            if new or run.admin_message_id is None:
                for chat in chats:
                    await self.bot.send_message(chat, out.html)
        except TelegramError as exc:
            _log.info("cannot tell the admin about an update notice: %s", exc)


def _seconds(value: int | timedelta) -> float:
    """RetryAfter.retry_after as seconds (python-telegram-bot gives an int or a timedelta)."""
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
