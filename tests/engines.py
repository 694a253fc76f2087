"""The engine over the real fact base, its learned model trained once per test session.

Training the real base takes seconds of CPU; every test process (each pytest-xdist worker) needs
it, and a test that trains another base would evict the engine's one-entry memo
(bot.core.engine.trained), so the next module retrained. Here the model goes through the
product's own disk cache (bot.knowledge.cache.SignalsCache) in one folder for the whole session
(tests/conftest.py makes it and names it in SESSION_CACHE): the first process to ask trains under a
file lock, the others wait and load the arrays. The bot processes the tests start use the same
folder (BOT_CACHE_DIR), so neither they nor the tests write to the user's ~/.cache.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from pathlib import Path

from bot.core.engine import Engine, trained
from bot.core.training import Signals, fingerprint
from bot.knowledge.cache import SignalsCache
from bot.knowledge.loader import load
from bot.knowledge.model import KnowledgeBase
from bot.knowledge.parsed import ParsedCache
from tests.session import session_cache_dir

ROOT = Path(__file__).resolve().parents[1]
KNOWLEDGE = ROOT / "knowledge"


def cache_env() -> dict[str, str]:
    """BOT_CACHE_DIR for a process the tests start with a cleaned environment."""
    folder = session_cache_dir()
    return {} if folder is None else {"BOT_CACHE_DIR": str(folder)}


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """One process at a time (an advisory lock; where there is none, all may train: the cache's
    writes are atomic, so that only costs time)."""
    try:
        import fcntl
    except ImportError:  # not POSIX
        yield
        return
    with open(path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def signals(kb: KnowledgeBase) -> Signals:
    """The learned model of `kb`: from the session's cache, else trained now (and cached)."""
    folder = session_cache_dir()
    if folder is None:
        return trained(kb)
    folder.mkdir(parents=True, exist_ok=True)
    with _locked(folder / "train.lock"):
        return SignalsCache(folder).signals(kb)


def _engine(kb: KnowledgeBase) -> Engine:
    """The engine over `kb` as the bot builds it (bot/cli.py): the learned model and the
    matcher's index from the session's cache."""
    folder = session_cache_dir()
    index = None if folder is None else SignalsCache(folder).index(kb)
    return Engine(kb, signals=signals(kb), index=index)


@functools.cache
def real_engine() -> Engine:
    """The engine over the real fact base, one per process (it is immutable)."""
    return _engine(load(KNOWLEDGE))


def engine_of(folder: Path) -> Engine:
    """The engine over the fact base in `folder` (a copy of the real one loads its model and the
    matcher's reading from the cache; another base is trained and read once per session)."""
    return _engine(load(folder))


def trained_already() -> bool:
    """Whether the session's cache holds the real base's learned model (a run that needs not
    train orders its files otherwise, tests/conftest.py)."""
    folder = session_cache_dir()
    if folder is None:
        return False
    kb = ParsedCache(folder).load(KNOWLEDGE)
    return SignalsCache(folder).load(fingerprint(kb)) is not None


@functools.cache
def warm() -> None:
    """Parse, train, read and index the real base into the session's cache before a bot process (or
    `run.py ask`) starts, so that processes started together do not each parse, train and index it."""
    folder = session_cache_dir()
    kb = ParsedCache(folder).load(KNOWLEDGE)
    signals(kb)
    if folder is not None:
        SignalsCache(folder).index(kb)
