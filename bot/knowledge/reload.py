"""Hot reload of the fact base: load, validate, diff and swap atomically; watch the folder.

The holder keeps the last good engine. A broken edit is never served: the holder keeps answering
from the previous version and returns the `path:line: message` problems, marked as a first report
once per broken version; it does not print them itself.
The watcher (watchfiles) only triggers reloads; the Telegram app and the console decide what to do
with the result (log it, tell admins). It never ends on its own: a folder that vanishes is
reported once and looked for again; one that comes back, or is replaced (`mv`), is read at once,
reported once and watched anew; a failure of its own is logged and the watch re-armed.

An edit is served at once by an engine that keeps the previous learned model (the matcher sees
the new questions, every answer is the new one; an intent the model does not know yet is ranked by
the matcher alone). The model for the new base is trained in a worker thread and swapped in when
ready, and cached by the base's fingerprint; a training that fails is reported like a reload.
After a small edit that training keeps the calibration in service and only fits the model (about
a fifth of the time); once the edits since the calibration was measured pass the bound of
`bot.core.training` (1 % of the alternatives, or any change of the synonyms), it calibrates again.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import logging
import os
import stat
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal, Protocol

from bot.core.engine import Engine
from bot.core.training import Signals, train_signals
from bot.core.training import fingerprint as fingerprint_of
from bot.errors import KnowledgeError, KnowledgeMissing, TrainingStopped
from bot.knowledge.cache import SignalsCache
from bot.knowledge.loader import PARAPHRASES_DIR, cut, read_files
from bot.knowledge.model import KnowledgeBase
from bot.knowledge.parsed import ParsedCache
from bot.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class KnowledgeDiff:
    """What changed between two fact bases, by intent id."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    edited: tuple[str, ...] = ()
    synonyms_changed: bool = False

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.edited or self.synonyms_changed)

    def summary(self) -> str:
        """One line for the log and the admins."""
        if not self:
            return "no change to intents or synonyms"
        parts = []
        for label, ids in (("added", self.added), ("removed", self.removed), ("edited", self.edited)):
            if ids:
                parts.append(f"{label} {len(ids)}: {', '.join(ids)}")
        if self.synonyms_changed:
            parts.append("synonyms changed")
        return "; ".join(parts)


def diff(old: KnowledgeBase, new: KnowledgeBase) -> KnowledgeDiff:
    """Compare two fact bases intent by intent (answers, questions, related, kind, ...)."""

    def key(kb: KnowledgeBase) -> dict[str, tuple[object, ...]]:
        return {
            i.id: (
                i.topic,
                i.kind,
                i.source,
                i.related,
                dict(i.answer),
                {k: tuple(v) for k, v in i.questions.items()},
            )
            for i in kb.intents
        }

    before, after = key(old), key(new)
    return KnowledgeDiff(
        added=tuple(i for i in after if i not in before),
        removed=tuple(i for i in before if i not in after),
        edited=tuple(i for i in after if i in before and before[i] != after[i]),
        synonyms_changed=(dict(old.synonyms) != dict(new.synonyms) or old.exclusive != new.exclusive),
    )


# What a result reports beside an edit: the folder came back (or was replaced) and is watched
# again; the learned model of the base in service could not be trained.
Event = Literal["edit", "returned", "training_failed"]


@dataclass(frozen=True)
class ReloadResult:
    """The outcome of one reload attempt (or of the training that follows it)."""

    ok: bool
    changed: bool
    diff: KnowledgeDiff = field(default_factory=KnowledgeDiff)
    problems: tuple[str, ...] = ()
    first_report: bool = True  # False when the same broken version was reported before
    event: Event = "edit"


OnResult = Callable[[ReloadResult], Awaitable[None]]


class Train(Protocol):
    """Trains the signals of a base; `previous` (the signals in service) may lend it their
    calibration (bot.core.training.train_signals)."""

    def __call__(self, kb: KnowledgeBase, *, previous: Signals | None = None) -> Signals: ...


def _fingerprint(files: dict[str, str]) -> str:
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.encode() + b"\0" + files[path].encode() + b"\0")
    return digest.hexdigest()


class EngineHolder:
    """The one place handlers read the current engine from; `reload()` swaps it in one step."""

    def __init__(
        self,
        engine: Engine,
        directory: Path,
        answer_threshold: float | None = None,
        suggest_threshold: float | None = None,
        cache: SignalsCache | None = None,
        *,
        train: Train | None = None,
    ) -> None:
        self.engine = engine
        self._stopping = threading.Event()  # close(): a training under way stops at its next step
        # What retrain() runs, given the base and the signals in service (a test passes one that
        # fails).
        self._train: Train = train or functools.partial(train_signals, stop=self._stopping.is_set)
        self.directory = directory
        self._thresholds = (answer_threshold, suggest_threshold)
        self.cache = cache or SignalsCache(None)
        self._training: asyncio.Task[None] | None = None
        self._untrainable: str | None = None  # the base whose training failed (not retried)
        # Where a failed background training is reported; the watcher sets its own on_result.
        self.report: OnResult | None = None
        self._good: str | None = None
        self._reported_broken: set[str] = set()
        self._lock = asyncio.Lock()

    @classmethod
    def for_settings(cls, engine: Engine, settings: Settings) -> EngineHolder:
        """A holder of `engine` that reloads from the settings' folder, thresholds and cache."""
        return cls(
            engine,
            settings.knowledge_dir,
            settings.answer_threshold,
            settings.suggest_threshold,
            SignalsCache(settings.cache_dir),
        )

    @classmethod
    def from_directory(
        cls,
        directory: Path,
        answer_threshold: float | None = None,
        suggest_threshold: float | None = None,
        cache: SignalsCache | None = None,
        *,
        train: Train | None = None,
    ) -> EngineHolder:
        """Load the fact base (raising KnowledgeError if it is invalid) and hold its engine."""
        files = read_files(directory)
        cache = cache or SignalsCache(None)
        kb = ParsedCache(cache.directory).parsed(files, directory)
        engine = Engine(
            kb, answer_threshold, suggest_threshold, signals=cache.signals(kb), index=cache.index(kb)
        )
        holder = cls(engine, directory, answer_threshold, suggest_threshold, cache, train=train)
        holder._good = _fingerprint(files)
        return holder

    def reload(self) -> ReloadResult:
        """Read the folder; if valid and different, build a new engine and swap it in."""
        try:
            files = read_files(self.directory)
        except KnowledgeMissing as exc:
            # Folder gone, or emptied first by `rm -r`: one absence, told once.
            return self._broken("absent", exc.problems)
        except KnowledgeError as exc:
            self._reported_broken.discard("absent")  # the folder is there: a later absence is news
            return self._broken(str(exc.problems), exc.problems)
        self._reported_broken.discard("absent")
        fingerprint = _fingerprint(files)
        if fingerprint == self._good:
            # Back to the version in service: the same typo made again is news again.
            self._reported_broken.clear()
            return ReloadResult(ok=True, changed=False)
        try:
            kb = ParsedCache(self.cache.directory).parsed(files, self.directory)
        except KnowledgeError as exc:
            return self._broken(fingerprint, exc.problems)
        change = diff(self.engine.kb, kb)
        # Build the whole engine before the swap: handlers see the old or the new, never half.
        # The learned model comes from the cache, or is the old one until retrain() replaces it.
        signals = self.cache.load(fingerprint_of(kb)) or self.engine.signals
        self.engine = Engine(kb, *self._thresholds, signals=signals)
        self._good = fingerprint
        self._reported_broken.clear()
        log.info("fact base reloaded: %s", change.summary())
        return ReloadResult(ok=True, changed=bool(change), diff=change)

    def reload_safely(self) -> ReloadResult:
        """reload(), with any failure of its own (a bug, memory) as a result to report: the
        watcher calling it must outlive it."""
        try:
            return self.reload()
        except Exception as exc:
            log.exception("fact base reload failed")
            problem = f"{self.directory}:0: the reload failed ({type(exc).__name__}: {cut(str(exc), 80)})"
            return self._broken(f"failed:{type(exc).__name__}", [problem])

    @property
    def stale(self) -> bool:
        """True while the engine's learned model was trained on another version of the base."""
        return self.engine.signals_fingerprint != self.engine.fingerprint

    def retrain(self) -> bool:
        """Train the learned model for the base in service and swap it in (blocking; seconds).
        False when there was nothing to do or the base changed meanwhile."""
        engine = self.engine
        if engine.signals_fingerprint == engine.fingerprint:
            return False
        signals = self._train(engine.kb, previous=engine.signals)
        self.cache.save(engine.fingerprint, signals)
        if self.engine is not engine:
            return False
        self.engine = Engine(engine.kb, *self._thresholds, signals=signals, index=engine.matcher.index)
        if signals.measured is not None and signals.measured == engine.signals.measured:
            drift = signals.measured.drift(engine.kb)
            log.info(
                "learned model retrained for the reloaded fact base, its calibration kept (%s of "
                "%d alternatives changed since it was measured)",
                drift,
                len(signals.measured.alternatives),
            )
        else:
            log.info("learned model retrained and calibrated for the reloaded fact base")
        return True

    async def reload_async(self) -> ReloadResult:
        """Reload in a worker thread (parsing takes a moment), one reload at a time; then retrain
        the learned model in the background if the base changed."""
        async with self._lock:
            result = await asyncio.to_thread(self.reload_safely)
        if (
            self.stale
            and self.engine.fingerprint != self._untrainable
            and (self._training is None or self._training.done())
        ):
            self._training = asyncio.create_task(self._retrain_soon())
        return result

    async def _retrain_soon(self) -> None:
        while self.stale:
            engine = self.engine
            try:
                if not await asyncio.to_thread(self.retrain):
                    await asyncio.sleep(0.1)  # the base changed while training: train again
            except TrainingStopped:
                return
            except Exception as exc:  # MemoryError included: the admins hear of it, once a base
                log.exception("training the learned model failed")
                self._untrainable = engine.fingerprint
                problem = (
                    f"{self.directory}:0: training the learned model failed "
                    f"({type(exc).__name__}: {cut(str(exc), 80)}); the edit is served, ranked by "
                    "the matcher and the previous model until the next edit"
                )
                if self.report is not None:
                    failed = ReloadResult(
                        ok=False, changed=False, problems=(problem,), event="training_failed"
                    )
                    await self.report(failed)
                return

    async def close(self) -> None:
        """Stop a background retraining (its thread stops at the training's next step)."""
        self._stopping.set()
        if self._training is not None and not self._training.done():
            self._training.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._training

    def _broken(self, fingerprint: str, problems: list[str]) -> ReloadResult:
        # The holder does not print the problems: its caller reports the result (the console
        # prints it, the Telegram app tells the admins). Logging them here as well made the
        # console show every broken edit twice (once through logging's last-resort handler).
        first = fingerprint not in self._reported_broken
        self._reported_broken.add(fingerprint)
        if first:
            log.info(
                "fact base edit rejected (%d problem(s)); still serving the last good version", len(problems)
            )
        return ReloadResult(ok=False, changed=False, problems=tuple(problems), first_report=first)


# How often the watcher checks that the folder it watches is still the one at its path. An inotify
# watch follows the folder's inode: after `rm -r` and a new folder, or `mv`, it watches nothing.
POLL_S = 0.5
# How often the watcher's thread looks for changes and for the stop (watchfiles' step): a stop
# within a tenth of a second, ten wake-ups a second while idle.
STEP_MS = 100
_Identity = tuple[tuple[int, int], tuple[int, int] | None]


def _identity(directory: Path) -> _Identity | None:
    """(device, inode) of the folder and of its paraphrases/ (None: no such folder)."""

    def of(path: Path) -> tuple[int, int] | None:
        try:
            info = os.stat(path)
        except OSError:
            return None
        return (info.st_dev, info.st_ino) if stat.S_ISDIR(info.st_mode) else None

    top = of(directory)
    return None if top is None else (top, of(directory / PARAPHRASES_DIR))


async def watch(
    holder: EngineHolder,
    on_result: OnResult,
    debounce_s: float = 0.5,
    stop: asyncio.Event | None = None,
    poll_s: float = POLL_S,
) -> None:
    """Reload whenever a fact file changes (debounced), until `stop` is set; report what changed,
    a broken version once, the folder's vanishing once and its return once (see the module)."""
    from watchfiles import awatch

    stop = stop or asyncio.Event()
    holder.report = on_result
    watched: _Identity | None = None  # the folder last watched
    started = False  # the first arm follows the holder's own load; a re-arm reads what changed
    returning = False  # the folder came back or was replaced: its first good reload is news
    while not stop.is_set():
        try:
            now = _identity(holder.directory)
            if now is None:
                result = await holder.reload_async()
                if result.ok:  # back between the look and the reload: its return, if it had gone
                    returning = await _tell(on_result, result, returning)
                else:
                    await _tell(on_result, result, returning=False)
                    returning = True
                started = True
                await _wait(stop, poll_s)
                continue
            rearmed, started = started, True
            returning = returning or (watched is not None and now[0] != watched[0])
            watched = now
            paths = [holder.directory] + ([holder.directory / PARAPHRASES_DIR] if now[1] else [])
            # The first round (changes, or none within poll_s) comes once the watch is armed: on a
            # re-arm, the reload it triggers reads whatever changed while nothing was watched.
            # watchfiles looks at `stop` once per step: a short step is a prompt stop whatever the
            # debounce (a step as long as the debounce held every stop up to that long, and a
            # debounce of minutes kept a thread blocked past the process's end). The quiet time is
            # counted here instead: an edit is read once the files have been quiet for debounce_s
            # (an editor's save in several writes is read once, whole), at the latest 4 x
            # debounce_s after its first change.
            rounds = awatch(
                *paths,
                step=STEP_MS,
                # A round at least every min(debounce, poll) while the files keep changing (a
                # stream of new names held a round for its whole debounce, and the quiet time
                # started only then), and every poll_s when nothing changes.
                debounce=int(min(debounce_s, poll_s) * 1000),
                stop_event=stop,
                recursive=False,
                rust_timeout=int(poll_s * 1000),
                yield_on_timeout=True,
            )
            first = rearmed
            quiet = Quiet(debounce_s)
            async with contextlib.aclosing(rounds):
                async for changes in rounds:
                    if _identity(holder.directory) != now:
                        break  # gone, replaced, or paraphrases/ came or went: arm again
                    if first or quiet.ready(bool(changes), time.monotonic()):
                        returning = await _tell(on_result, await holder.reload_async(), returning)
                        first = False
        except Exception:  # the watcher outlives its own failures: look again shortly
            log.exception("the fact-file watcher failed; watching again in %.1f s", poll_s)
            await _wait(stop, poll_s)


class Quiet:
    """When a watched folder's edit is due: once its files have been quiet for `debounce_s` since
    the last change, or `4 x debounce_s` after the first change of the edit."""

    def __init__(self, debounce_s: float) -> None:
        self.debounce_s = debounce_s
        self.first: float | None = None  # the first change not read yet
        self.last = 0.0

    def ready(self, changed: bool, now: float) -> bool:
        """A round of the watch came at `now` (with changes, or none within its timeout)."""
        if changed:
            self.first = now if self.first is None else self.first
            self.last = now
        if self.first is None:
            return False
        if now - self.last >= self.debounce_s or now - self.first >= 4 * self.debounce_s:
            self.first = None
            return True
        return False


async def _tell(on_result: OnResult, result: ReloadResult, returning: bool) -> bool:
    """Report what is news (see watch); True while a return is still to be told."""
    if returning and result.ok:
        await on_result(replace(result, event="returned"))
        return False
    if result.changed or (not result.ok and result.first_report):
        await on_result(result)
    return returning


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
