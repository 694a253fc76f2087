"""The durable intake between Telegram and the handlers: nothing fetched is lost to a crash, and
each chat's updates (in a group: each member's) are handled one at a time, in order (the one
place that orders them).

`Intake` is the Application's update queue. python-telegram-bot's Updater awaits
`update_queue.put(update)` for every update of a batch before it confirms the batch with the next
`getUpdates` offset; `Intake.put` returns only once the update is committed to the inbox
(bot.store.inbox), trying again every STORE_RETRY_S while the database fails, so polling holds
its confirmation and Telegram keeps what was not stored. The webhook's door (bot.telegram.webhook)
calls `Intake.offer`, which tries once: the door answers 200 only for a stored update and 503
otherwise, so Telegram delivers it again. No update is ever handled without a stored copy; admins
hear once when the inbox cannot store and once when it can again, with how many updates waited.

From there updates go to the handlers at most one per chat (in a group: per member, see
`order_key`) at a time (in turn, each in the order of arrival) and at most `max_in_flight` at
once; the rest wait here, and in the inbox.

An update is done when its exchange is committed (the log writer marks it in the same
transaction) or, for an update that logs no exchange, once it was handled. At start, what a
previous run left unfinished is handed to the handlers first. Each successful send is recorded
(`SendGuard`); a replay skips the sends that went out before and only logs the exchange. So a
handler cut short by a stop logs nothing (`cut_short`): the replay logs its exchange, once. A send
the database refuses to record is held by the inbox in memory (and at a stop in the sent file) and
counted before anything is replayed.

On stop (`put` of the Application's stop signal) new updates are no longer handed out; what waits
is handled for up to `drain_s` seconds, then left in the inbox (pending) and the handlers still
running are cut short, so the process ends in seconds whatever was queued.

When several replicas share the store (bot.store.queue.open_queue gives a queue), an update is not
handed out by the replica that received it: every replica claims the updates it handles from the
shared inbox (each chat's oldest unfinished one only, under a lease it renews), so a chat's updates
are handled in order whichever replica received them, and the updates of a replica that died are
claimed by another once its lease lapses. On stop, the claims still held are given back.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import inspect
import json
import logging
import time
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, Literal

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import Application
from telegram.request import BaseRequest, HTTPXRequest, RequestData

from bot.errors import StoreError
from bot.store.inbox import Inbox
from bot.store.queue import LEASE_S, WorkQueue, open_queue, replica_id

_log = logging.getLogger(__name__)

DRAIN_S = 4.5  # on stop: how long waiting updates are still handed out before they stay in the inbox
FINISH_S = 2.0  # then: how long the handlers running get to finish (at most max_in_flight of them)
CUT_WAIT_S = 0.5  # then: how long those cut short get to unwind
PURGE_EVERY_S = 6 * 3600  # how often done rows are purged (bot.telegram.jobs)
CLAIM_POLL_S = 0.05  # shared queue: how often to look for updates other replicas received
CLAIM_RETRY_S = 1.0  # shared queue: how often claims are tried again while the database fails
HANDLED_KEPT = 10_000  # shared queue: how many handled update ids are remembered (see Intake)
RENEWALS_PER_LEASE = 3  # shared queue: the leases of the updates held are renewed this often per lease
STORE_RETRY_S = 0.5  # polling: how often an update the inbox could not store is tried again
# How many of an update's sends may be between going out and being recorded at once (SendGuard):
# what a killed process had sent but not recorded goes out again after its restart or take-over,
# so this bounds the answers a crash repeats, however starved of CPU the process was. At a Bot API
# round trip of 200 ms, 8 lanes still carry 40 sends a second, more than Telegram's 30/s.
SEND_LANES = 8
# Bot API methods that reach the user: a replay must not repeat those that went out before.
SENDS = frozenset(
    {"sendMessage", "editMessageText", "editMessageReplyMarkup", "answerCallbackQuery", "answerInlineQuery"}
)


@dataclass
class Delivery:
    """The update being handled in this task: how many of its sends went out before, and now."""

    update_id: int
    sends_before: int = 0
    sends: int = 0  # successful sends in this run, skipped ones included
    exchanges: int = 0  # exchanges logged for it (the writer marks it done with them)
    stored: bool = True  # False without an inbox (nothing to mark)
    cut: bool = False  # cut short by a stop: it stays unfinished and logs nothing (Intake.cut_short)

    @property
    def sent_now(self) -> bool:
        """True once a message for it went out in this run (not one skipped as sent before)."""
        return self.sends > self.sends_before


# The delivery a handler's task works for, read by SendGuard at the HTTP layer (set by Intake.run).
DELIVERY: contextvars.ContextVar[Delivery | None] = contextvars.ContextVar("inbox_delivery", default=None)


MAX_ID = 2**53  # Telegram's ids have at most 52 significant bits (update, chat and user ids)


def telegram_id(value: object) -> bool:
    """True for an integer Telegram could have sent as an id (not a bool, a string or 2**70)."""
    return type(value) is int and -MAX_ID < value < MAX_ID


def chat_key(update: object) -> int | None:
    """The chat an update belongs to (the user's id for inline queries and the like)."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    return update.effective_user.id if update.effective_user is not None else None


def order_key(update: Update) -> Hashable:
    """Whose updates are handled one at a time, in order: a private chat's; in a group each
    member's own (answers to different members need no order between them, and one member's
    flood must not hold up the others); an update of no chat alone."""
    chat, user = update.effective_chat, update.effective_user
    if chat is not None and user is not None and chat.type != ChatType.PRIVATE:
        return (chat.id, user.id)
    key = chat_key(update)
    return ("update", update.update_id) if key is None else key


class Intake(asyncio.Queue[object]):
    """The update queue of the Application: store first, then hand out in each chat's order."""

    def __init__(
        self,
        inbox: Inbox | None,
        *,
        max_in_flight: int,
        drain_s: float = DRAIN_S,
        lease_s: float = LEASE_S,
        on_alert: Callable[[str], Awaitable[None]] | None = None,
    ) -> None:
        super().__init__()
        self.on_alert = on_alert  # tells admins of an outage of the inbox and of its end
        self.inbox = inbox
        self.max_in_flight = max(1, max_in_flight)
        self.drain_s = drain_s
        self.lease_s = lease_s  # shared queue: how long a claim lasts unless renewed
        self._waiting: dict[Hashable, deque[tuple[Update, Delivery]]] = {}
        self._ready: deque[Hashable] = deque()  # chats with nothing in flight and something waiting
        self._busy: set[Hashable] = set()
        self._deliveries: dict[int, Delivery] = {}  # of the updates handed out, by update id
        self._running: dict[asyncio.Task[Any], Delivery] = {}
        self._changed = asyncio.Event()
        self._closed = False
        self._cut = False
        self._outage: Outage | None = None  # since when the inbox cannot store, and what waited
        self._claims_failing: float | None = None  # since when the shared queue cannot claim
        self._alerts: set[asyncio.Task[None]] = set()
        # Updates this run handled from the shared inbox (the latest HANDLED_KEPT): claimed again
        # because their done mark did not commit (the database failed meanwhile; the log writer
        # keeps their exchanges), they are marked done instead of being answered twice.
        self._handled: OrderedDict[int, None] = OrderedDict()
        self.opened = False  # the inbox opened at start
        self.queue: WorkQueue | None = None  # set when replicas share the store
        self.replica = replica_id()
        self._claim_task: asyncio.Task[None] | None = None
        self._claim_wake = asyncio.Event()
        self._app: Application[Any, Any, Any, Any, Any, Any] | None = None
        self._direct: set[asyncio.Task[None]] = set()  # updates handled here while draining

    # ---- life cycle -----------------------------------------------------------------------------

    async def start(self, app: Application[Any, Any, Any, Any, Any, Any]) -> int:
        """Open the inbox, purge old rows, and queue what a previous run left unfinished (first,
        in each chat's order). Return how many updates were recovered."""
        self._app = app
        if self.inbox is None:
            return 0
        try:
            await self.inbox.open()
        except Exception as exc:  # StoreError (the server is down), or anything else: never a failed start
            _log.warning("inbox unavailable at start (%s); updates wait until it can store them", exc)
            if not self.inbox.store.shared:
                return 0
            # A server: its link reconnects by itself, so this replica joins the shared queue
            # below and claims from it once the server is back.
        else:
            await self.inbox.purge()  # before the first update: later purges are a job (bot.telegram.jobs)
        self.opened = True
        try:
            self.queue = await open_queue(self.inbox.store, self.replica, lease_s=self.lease_s)
        except StoreError as exc:
            _log.warning("shared queue unavailable (%s); this replica hands out what it receives", exc)
        if self.queue is not None:  # unfinished updates are claimed as their leases lapse
            self._claim_task = asyncio.create_task(self._claim_loop(), name="inbox-claims")
            return 0
        recovered = 0
        for row in await self.inbox.unfinished():
            try:
                update = Update.de_json(json.loads(row.raw), app.bot)
            except (ValueError, TypeError, KeyError) as exc:
                _log.warning("inbox: update %d cannot be read back (%s); dropped", row.update_id, exc)
                await self.inbox.mark_done([row.update_id])
                continue
            self._submit(update, Delivery(row.update_id, sends_before=row.sends))
            recovered += 1
        if recovered:
            _log.info("inbox: %d unfinished updates from the last run are handled first", recovered)
        return recovered

    async def close(self) -> None:
        """Stop claiming and close the inbox (after the log is flushed)."""
        task, self._claim_task = self._claim_task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        queue, self.queue = self.queue, None  # closed once (post_stop, then post_shutdown)
        if queue is not None:  # what this replica still holds is free for the others at once
            try:
                await queue.release()
            except StoreError as exc:
                _log.warning(
                    "shared queue: claims not released (%s); they lapse in %.0f s", exc, self.lease_s
                )
            finally:
                await queue.close()
        if self.inbox is not None:
            await self.inbox.close()

    async def purge(self) -> int:
        """Drop the inbox rows done long enough ago (a job on the JobQueue); how many."""
        if self.inbox is None or not self.opened:
            return 0
        return await self.inbox.purge()

    # ---- updates in -----------------------------------------------------------------------------

    async def put(self, item: object) -> None:
        """An update: store it (trying again until the inbox takes it: polling confirms the batch
        only afterwards), then hand it out. The Application's stop signal: drain first."""
        if isinstance(item, Update):
            await self._receive(item, wait=True)
            return
        await self.drain()
        await super().put(item)

    async def offer(self, update: Update) -> bool:
        """The webhook's door: store `update` and hand it out; False when the inbox cannot store
        it now (the door answers 503 and Telegram delivers it again). One try, no waiting."""
        return await self._receive(update, wait=False)

    async def _receive(self, update: Update, *, wait: bool) -> bool:
        key = chat_key(update)
        if not telegram_id(update.update_id) or (key is not None and not telegram_id(key)):
            _log.warning("intake: an update whose ids are not Telegram's integers was refused")
            return True  # never stored: a poisoned id must not reach the inbox or the log
        stored = await self._store(update, wait=wait)
        if stored == "unstored":
            return False  # not acknowledged: Telegram keeps it and delivers it again
        if stored == "known":
            return True  # a copy Telegram sent again: done already, or being handled from the inbox
        if self._closed:
            return True  # stopping: it waits in the inbox for the next start
        if self.queue is not None and stored == "new":
            self._claim_wake.set()  # claimed from the shared inbox, by this replica or another
            return True
        self._submit(update, Delivery(update.update_id, stored=stored == "new"))
        return True

    async def _claim_loop(self) -> None:
        """Shared queue: claim what there are free hands for; renew the leases of what is held."""
        assert self.queue is not None and self.inbox is not None and self._app is not None
        renewed = time.monotonic()
        while not self._closed:
            free = self.max_in_flight - len(self._busy) - self.waiting
            try:
                claimed = await self.queue.claim(free) if free > 0 else []
                if time.monotonic() - renewed > self.lease_s / RENEWALS_PER_LEASE:
                    held = [*self._deliveries, *(d.update_id for q in self._waiting.values() for _, d in q)]
                    await self.queue.renew(held)
                    renewed = time.monotonic()
            except StoreError as exc:
                if self._claims_failing is None:  # once per outage; the store reconnects by itself
                    self._claims_failing = time.monotonic()
                    _log.warning("shared queue: %s; trying again every %.0f s", exc, CLAIM_RETRY_S)
                else:
                    _log.debug("shared queue: %s", exc)
                claimed = []
                await asyncio.sleep(CLAIM_RETRY_S)
            else:
                if self._claims_failing is not None:
                    took = time.monotonic() - self._claims_failing
                    self._claims_failing = None
                    _log.warning("shared queue: claims again after %.0f s", took)
            for row in claimed:
                sends = self.inbox.recorded(row.update_id, row.sends)  # with what memory holds
                if sends is None:
                    continue  # done, the database not yet told (the inbox holds the mark)
                if row.update_id in self._handled:  # handled here; its done mark was not committed
                    _log.info("inbox: update %d was handled already; marked done", row.update_id)
                    await self.inbox.mark_done([row.update_id])
                    continue
                try:
                    update = Update.de_json(json.loads(row.raw), self._app.bot)
                except (ValueError, TypeError, KeyError) as exc:
                    _log.warning("inbox: update %d cannot be read back (%s); dropped", row.update_id, exc)
                    await self.inbox.mark_done([row.update_id])
                    continue
                self._submit(update, Delivery(row.update_id, sends_before=sends))
            if not claimed:
                self._claim_wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._claim_wake.wait(), CLAIM_POLL_S)

    async def _store(self, update: Update, *, wait: bool) -> Literal["new", "known", "unstored", "none"]:
        """Commit `update` to the inbox: "new", "known" (stored before), "unstored" (the database
        fails; with `wait`, tried again every STORE_RETRY_S until it works or the task is
        cancelled, as the Updater's stop does), "none" (no inbox: handled without one)."""
        if self.inbox is None:
            return "none"
        while True:
            added = await self.inbox.add(update.update_id, chat_key(update), update.to_json())
            if added != "unstored":
                if self._outage is not None:
                    self._store_back()
                return added
            self._store_failed(update.update_id)
            if not wait:
                return "unstored"
            await asyncio.sleep(STORE_RETRY_S)

    def _store_failed(self, update_id: int) -> None:
        if self._outage is None:
            self._outage = Outage(time.monotonic())
            self._alert(
                "the inbox cannot store updates (see the log); they are not acknowledged, so "
                "Telegram keeps them and delivers them again once it can"
            )
        self._outage.waited.add(update_id)

    def _store_back(self) -> None:
        outage, self._outage = self._outage, None
        if outage is None:
            return
        took = time.monotonic() - outage.since
        waited = len(outage.waited)
        self._alert(
            f"the inbox stores updates again after {took:.0f} s; {waited} "
            f"{'update' if waited == 1 else 'updates'} could not be stored meanwhile and "
            f"{'was' if waited == 1 else 'were'} not acknowledged (Telegram kept them), 0 lost"
        )

    def _alert(self, message: str) -> None:
        _log.warning("inbox: %s", message)
        if self.on_alert is None:
            return
        task = asyncio.get_running_loop().create_task(self._deliver(self.on_alert, message))
        self._alerts.add(task)
        task.add_done_callback(self._alerts.discard)

    @staticmethod
    async def _deliver(on_alert: Callable[[str], Awaitable[None]], message: str) -> None:
        try:
            await on_alert(message)
        except Exception:  # an admin we cannot reach must not stop the intake
            _log.exception("inbox: alert could not be delivered")

    # ---- handing out, one per chat ----------------------------------------------------------------

    @property
    def waiting(self) -> int:
        """Updates received and not yet handed to the handlers."""
        return sum(len(q) for q in self._waiting.values())

    def _submit(self, update: Update, delivery: Delivery) -> None:
        key = order_key(update)
        queue = self._waiting.setdefault(key, deque())
        queue.append((update, delivery))
        if key not in self._busy and len(queue) == 1:
            self._ready.append(key)
        self._pump()

    def _pump(self) -> None:
        # Called without an await in between the release of one update and the hand-out of the
        # next: the queue's unfinished count never drops to zero while updates still wait here.
        while self._ready and len(self._busy) < self.max_in_flight and not self._cut:
            key = self._ready.popleft()
            update, delivery = self._waiting[key].popleft()
            self._busy.add(key)
            self._deliveries[update.update_id] = delivery
            if self._closed:  # the Application stops: it takes no more from the queue
                self._handle_directly(update)
            else:
                self.put_nowait(update)

    def _handle_directly(self, update: Update) -> None:
        """While draining, handle `update` here, through the update processor as the Application
        would (chat order, concurrency limit, this queue's `run`)."""
        app = self._app
        if app is None:  # never started: nothing can handle it; it stays in the inbox
            self._deliveries.pop(update.update_id, None)
            self._release(update)
            return
        work = app.update_processor.process_update(update, app.process_update(update))
        task: asyncio.Task[None] = asyncio.get_running_loop().create_task(work)
        self._direct.add(task)
        task.add_done_callback(self._direct_done)

    def _direct_done(self, task: asyncio.Task[None]) -> None:
        self._direct.discard(task)
        self._changed.set()

    def _release(self, update: Update) -> None:
        key = order_key(update)
        self._busy.discard(key)
        queue = self._waiting.get(key)
        if queue:
            self._ready.append(key)
        elif queue is not None:
            del self._waiting[key]
        self._pump()
        self._changed.set()
        self._claim_wake.set()  # a free hand: claim more (the chat's next update, once done)

    async def run(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Handle one update handed out by this queue (called by the update processor)."""
        if not isinstance(update, Update) or update.update_id not in self._deliveries:
            await coroutine
            return
        delivery = self._deliveries.pop(update.update_id)
        if self._cut:  # stopping and out of time: it stays in the inbox
            if inspect.iscoroutine(coroutine):
                coroutine.close()  # never awaited: say so to Python, not with a warning
            self._release(update)
            return
        context = contextvars.copy_context()
        context.run(DELIVERY.set, delivery)
        task = asyncio.get_running_loop().create_task(_await(coroutine), context=context)
        self._running[task] = delivery
        handled = False
        try:
            await task
            handled = True
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if not task.cancelled() or (current is not None and current.cancelling()):
                raise
            _log.info("update %d cut short by the stop; it stays in the inbox", update.update_id)
        finally:
            del self._running[task]
            self._release(update)
        if handled and delivery.stored and self.queue is not None:
            self._handled[delivery.update_id] = None
            while len(self._handled) > HANDLED_KEPT:
                self._handled.popitem(last=False)
        if handled and delivery.stored and not delivery.exchanges and self.inbox is not None:
            await self.inbox.mark_done([delivery.update_id])

    def cut_short(self, update_id: int) -> Delivery | None:
        """The delivery of update `update_id` while its handler unwinds from a stop that cut it
        short, else None. Such a handler logs no exchange: the update stays in the inbox and its
        replay logs it at the next start (a row from each run would log it twice, and the row of
        a handler cut short before its reply went out would log a reply never sent)."""
        for delivery in self._running.values():
            if delivery.update_id == update_id and delivery.stored and delivery.cut:
                return delivery
        return None

    def answering(self, update_id: int) -> int | None:
        """The update id an exchange logged while handling update `update_id` carries: the id
        itself when the inbox holds the update and it is running (the exchange is counted as
        its, so the writer marks it done), else None."""
        for delivery in self._running.values():
            if delivery.update_id == update_id:
                if not delivery.stored or delivery.cut:
                    return None
                delivery.exchanges += 1
                return update_id
        return None

    async def sent(self, delivery: Delivery) -> None:
        """A message for `delivery` went out: record it, so a replay does not send it again."""
        if delivery.stored and self.inbox is not None:
            await self.inbox.mark_sent(delivery.update_id, delivery.sends)

    # ---- stopping -------------------------------------------------------------------------------

    async def drain(self) -> None:
        """Stop handing out new updates; handle what waits for up to `drain_s`, then leave the
        rest in the inbox and cut short the handlers still running."""
        if self._closed:
            return
        self._closed = True
        # Updates handed out a moment ago that the Application has not taken: handled here now.
        while not self.empty():
            item = self.get_nowait()
            self.task_done()
            if isinstance(item, Update):
                self._handle_directly(item)
        deadline = time.monotonic() + self.drain_s
        while self._waiting or self._busy:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), left)
        if not (self._waiting or self._busy):
            return
        # Out of time: what waits stays in the inbox; the handlers running may finish.
        left_over = self.waiting
        self._cut = True
        self._waiting.clear()
        self._ready.clear()
        await self._until_idle(FINISH_S)
        cut = len(self._running)
        for task, delivery in list(self._running.items()):
            delivery.cut = True  # it stays unfinished: what it logs while it unwinds is dropped
            task.cancel()
        await self._until_idle(CUT_WAIT_S)
        _log.info("stopping: %d updates left in the inbox for the next start, %d cut short", left_over, cut)

    async def _until_idle(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while (self._running or self._direct) and time.monotonic() < deadline:
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), deadline - time.monotonic())


@dataclass
class Outage:
    """The inbox cannot store updates: since when (time.monotonic()) and which waited."""

    since: float
    waited: set[int] = field(default_factory=set)


async def _await(awaitable: Awaitable[Any]) -> Any:
    return await awaitable


class SendGuard(HTTPXRequest):
    """The HTTP client the bot sends with: each successful send of an update is recorded in the
    inbox, and a replay after a crash skips the sends that went out before (answering them with a
    stand-in result instead), so a user is not answered twice where the send is known to have
    happened. A send and its record take one of SEND_LANES lanes: at most that many sends are
    unrecorded at any moment, so a crash repeats at most that many answers."""

    def __init__(self, intake: Intake, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.intake = intake
        self._lanes = asyncio.Semaphore(SEND_LANES)

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        # python-telegram-bot's own default marker (BaseRequest.DEFAULT_NONE, its public name):
        # "not given", passed on unchanged.
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        delivery = DELIVERY.get()
        endpoint = url.rsplit("/", 1)[-1]
        if delivery is not None and endpoint in SENDS and delivery.sends < delivery.sends_before:
            delivery.sends += 1
            body = {"ok": True, "result": _stand_in(endpoint, request_data)}
            return 200, json.dumps(body).encode("utf-8")
        lane = self._lanes if delivery is not None and endpoint in SENDS and delivery.stored else None
        async with lane or contextlib.nullcontext():  # held from the request until its record is committed
            code, payload = await super().do_request(
                url,
                method,
                request_data,
                read_timeout=read_timeout,
                write_timeout=write_timeout,
                connect_timeout=connect_timeout,
                pool_timeout=pool_timeout,
            )
            if delivery is not None and endpoint in SENDS and code == 200:
                delivery.sends += 1
                await self.intake.sent(delivery)
        return code, payload


def _stand_in(endpoint: str, request_data: RequestData | None) -> object:
    """What Telegram answered to a send that went out before the restart, as far as it matters:
    True, or a message in the chat it was sent to."""
    params = request_data.parameters if request_data is not None else {}
    if endpoint.startswith("answer") or "inline_message_id" in params:
        return True
    chat_id = params.get("chat_id")
    message_id = params.get("message_id")
    return {
        "message_id": message_id if isinstance(message_id, int) else 0,
        "date": int(time.time()),
        "chat": {"id": chat_id if isinstance(chat_id, int) else 0, "type": "private"},
        "text": str(params.get("text", "")),
    }
