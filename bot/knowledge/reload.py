"""Hot reload of the fact base: load, validate, diff and swap atomically; watch the folder.

The holder keeps the last good engine. A broken edit is never served: the holder keeps answering
from the previous version and returns the `path:line: message` problems, marked as a first report
once per broken version; it does not print them itself.
The watcher (watchfiles) only triggers reloads; the Telegram app and the console decide what to do
with the result (log it, tell admins).

An edit is served at once by an engine that keeps the previous learned model (the matcher sees
the new questions, every answer is the new one; an intent the model does not know yet is ranked by
the matcher alone). The model for the new base is trained in a worker thread and swapped in when
ready, and cached by the base's fingerprint.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

from bot.core.engine import Engine
from bot.core.training import fingerprint as fingerprint_of
from bot.core.training import train_signals
from bot.errors import KnowledgeError
from bot.knowledge.cache import SignalsCache
from bot.knowledge.loader import parse, read_files
from bot.knowledge.model import KnowledgeBase

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


@dataclass(frozen=True)
class ReloadResult:
    """The outcome of one reload attempt."""

    ok: bool
    changed: bool
    diff: KnowledgeDiff = field(default_factory=KnowledgeDiff)
    problems: tuple[str, ...] = ()
    first_report: bool = True  # False when the same broken version was reported before


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
    ) -> None:
        self.engine = engine
        self.directory = directory
        self._thresholds = (answer_threshold, suggest_threshold)
        self.cache = cache or SignalsCache(None)
        self._training: asyncio.Task[None] | None = None
        self._good: str | None = None
        self._reported_broken: set[str] = set()
        self._lock = asyncio.Lock()

    @classmethod
    def from_directory(
        cls,
        directory: Path,
        answer_threshold: float | None = None,
        suggest_threshold: float | None = None,
        cache: SignalsCache | None = None,
    ) -> EngineHolder:
        """Load the fact base (raising KnowledgeError if it is invalid) and hold its engine."""
        files = read_files(directory)
        kb = parse(files)
        cache = cache or SignalsCache(None)
        engine = Engine(kb, answer_threshold, suggest_threshold, signals=cache.signals(kb))
        holder = cls(engine, directory, answer_threshold, suggest_threshold, cache)
        holder._good = _fingerprint(files)
        return holder

    def reload(self) -> ReloadResult:
        """Read the folder; if valid and different, build a new engine and swap it in."""
        try:
            files = read_files(self.directory)
        except KnowledgeError as exc:
            return self._broken(str(exc.problems), exc.problems)
        fingerprint = _fingerprint(files)
        if fingerprint == self._good:
            # Back to the version in service: the same typo made again is news again.
            self._reported_broken.clear()
            return ReloadResult(ok=True, changed=False)
        try:
            kb = parse(files)
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
        signals = train_signals(engine.kb)
        self.cache.save(engine.fingerprint, signals)
        if self.engine is not engine:
            return False
        self.engine = Engine(engine.kb, *self._thresholds, signals=signals)
        log.info("learned model retrained for the reloaded fact base")
        return True

    async def reload_async(self) -> ReloadResult:
        """Reload in a worker thread (parsing takes a moment), one reload at a time; then retrain
        the learned model in the background if the base changed."""
        async with self._lock:
            result = await asyncio.to_thread(self.reload)
        if self.stale and (self._training is None or self._training.done()):
            self._training = asyncio.create_task(self._retrain_soon())
        return result

    async def _retrain_soon(self) -> None:
        while self.stale:
            if not await asyncio.to_thread(self.retrain):
                await asyncio.sleep(0.1)  # the base changed while training: train again

    async def close(self) -> None:
        """Stop a background retraining (it finishes its current step in its thread)."""
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


OnResult = Callable[[ReloadResult], Awaitable[None]]


async def watch(
    holder: EngineHolder, on_result: OnResult, debounce_s: float = 0.5, stop: asyncio.Event | None = None
) -> None:
    """Reload whenever a file under the folder changes (debounced), until `stop` is set."""
    from watchfiles import awatch

    stop = stop or asyncio.Event()
    while not stop.is_set():
        if not holder.directory.is_dir():
            # The folder was removed: report once, keep serving, look again shortly.
            result = await holder.reload_async()
            if result.first_report:
                await on_result(result)
            await _wait(stop, 1.0)
            continue
        try:
            async for _changes in awatch(
                holder.directory, debounce=int(debounce_s * 1000), stop_event=stop, recursive=False
            ):
                result = await holder.reload_async()
                if result.changed or (not result.ok and result.first_report):
                    await on_result(result)
        except FileNotFoundError:
            continue
        # awatch ends when stop is set, or when the folder itself went away.


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
