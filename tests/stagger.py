"""One pytest-xdist worker compiles, the others then collect from its bytecode.

README line 2 installs with `pip install --no-compile` (pip byte-compiling every installed file on
one core cost more than it saved), so in a fresh environment nothing the suite imports has its
bytecode yet. Four workers started together each compiled the same few thousand files (about
6 CPU-s each on a 2-core machine, before the first test): here the first worker to start holds a
lock until its collection is done, and the others wait for it and read what it wrote. Only when the
controller finds the environment uncompiled (`STAGGER_ENV` is "1"): with bytecode present the
workers collect side by side, as before. Loaded by tests/conftest.py as a plugin.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import IO

import pytest

from tests.session import session_cache_dir

STAGGER_ENV = "STAKEHOLDER_BOT_TEST_STAGGER"
_LOCK = pytest.StashKey[IO[bytes]]()
# Packages whose bytecode tells a fresh environment from a used one (imported by every worker).
_PROBES = ("numpy", "telegram", "rapidfuzz", "yaml")


def uncompiled() -> bool:
    """Whether some package every worker imports has no bytecode yet (found without importing it)."""
    for name in _PROBES:
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None or not spec.origin.endswith(".py"):
            continue
        if not Path(importlib.util.cache_from_source(spec.origin)).exists():
            return True
    return False


def lock_path() -> Path | None:
    """The lock file in the session's model cache folder (None outside a whole-suite session)."""
    folder = session_cache_dir()
    return None if folder is None else folder / "collect.lock"


def pytest_configure(config: pytest.Config) -> None:
    """A worker of a staggered session: the first to come compiles and collects under the lock;
    the others wait until it is done."""
    if not os.environ.get("PYTEST_XDIST_WORKER") or os.environ.get(STAGGER_ENV) != "1":
        return
    path = lock_path()
    try:
        import fcntl
    except ImportError:  # not POSIX: collect side by side
        return
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+b")  # noqa: SIM115 - held until the collection is done
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        fcntl.flock(handle, fcntl.LOCK_SH)  # waits for the first worker's collection
        handle.close()
        return
    config.stash[_LOCK] = handle


def pytest_collection_finish(session: pytest.Session) -> None:
    """The first worker's collection is done: the others may start theirs."""
    handle = session.config.stash.get(_LOCK, None)
    if handle is not None:
        handle.close()  # closing releases the lock
        del session.config.stash[_LOCK]
