"""Session hooks for the whole suite.

One folder for the learned model's cache (tests/engines.py), named here before the pytest-xdist
workers start (they inherit its name in the environment) and kept between runs (see _KEPT below).
The bot processes and `run.py` commands the tests start find it as BOT_CACHE_DIR, so the real fact
base is trained once for the whole run (or not at all, when the last run left it) and nothing is
written to the user's ~/.cache. A folder of the session's own, removed at the end, keeps the
PostgreSQL template (bot.testing.postgres, PG_TEMPLATE_DIR): the session runs initdb once, and
every other throw-away server (the store tests', the outage tests', the bench's, the replica
example's) starts from a copy of it. When the whole suite runs on pytest-xdist workers,
the model is trained in a process of its own from the start, while the workers start up and
collect, instead of by the first worker that needs it while the others wait for it.

The run writes bytecode for the project's own files even where the environment sets
PYTHONDONTWRITEBYTECODE (this kind of machine does): otherwise each of the ~90 bot processes the
tests start compiles every module of bot/ again (about 0.07 CPU-s each), and each worker rewrites
and compiles every test file again at collection (2 of its 4 CPU-s). The __pycache__ folders are
git-ignored; installed packages have theirs from pip, or, where pip was told not to compile
(README line 2), from the first worker that imports them (tests/stagger.py: the others wait for its
collection instead of compiling the same files at the same time).

The store's and the fake Bot API's tests run first: they need no trained model, and run while the
model is trained (the other tests' first use of it waits for that). In the whole suite the files
holding `slow` tests come next, the end-to-end ones at the top of tests/ before those in
subfolders: pytest-xdist's `--dist loadfile` hands files to the workers in collection order, and
the longest files (the real-process crash, replica and outage runs, the scorer) live at the top
level, collected after every subfolder; started last, they made the tail of the run. Ordered by
their recorded time alone they instead ran beside one another, and a replica starved of CPU by
the others answered more than the 1 % it may twice. Without slow tests (`-m "not slow"`) every
file goes by its recorded wall time, longest first (tests/durations.json, see tests/timeline.py;
the model-free ones first only while a fresh session trains): the fact-file watcher's tests, 22 s
of waiting on debounces, had run last and alone. Tests keep their order within a file.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from bot.testing.postgres import TEMPLATE_ENV
from tests.session import SESSION_CACHE

pytest_plugins = ["tests.timeline", "tests.stagger"]

_MADE = pytest.StashKey[Path]()
_TRAINING = pytest.StashKey["subprocess.Popen[bytes]"]()

# The learned model, the matcher's reading and index and the parsed fact base are kept between
# runs in the checkout (git-ignored), so that the next run of the inner loop does not train again:
# every file is keyed by the fact base and the code that made it, so a stale one is never read, and
# files not written for a week are removed. A fresh clone (CI) trains once, as before;
# BOT_TEST_FRESH_CACHE=1 runs with an empty folder of the session's own.
_KEPT = Path(__file__).resolve().parents[1] / ".pytest_cache" / "stakeholder-bot"
_KEPT_S = 7 * 24 * 3600


def _kept_cache() -> Path:
    """The cache folder kept between runs, without files older than a week."""
    _KEPT.mkdir(parents=True, exist_ok=True)
    now = time.time()
    for path in _KEPT.iterdir():
        with contextlib.suppress(OSError):
            if path.is_file() and now - path.stat().st_mtime > _KEPT_S:
                path.unlink()
    return _KEPT


def pytest_configure(config: pytest.Config) -> None:
    """The session's model cache folder, unless this is a worker of a session that made one."""
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # for the workers and bot processes to come
    sys.dont_write_bytecode = False
    if os.environ.get(SESSION_CACHE):
        return
    folder = Path(tempfile.mkdtemp(prefix="bot-test-cache-"))
    config.stash[_MADE] = folder
    models = folder if os.environ.get("BOT_TEST_FRESH_CACHE") == "1" else _kept_cache()
    os.environ[SESSION_CACHE] = str(models)
    os.environ["BOT_CACHE_DIR"] = str(models)
    os.environ.setdefault(TEMPLATE_ENV, str(folder / "pg-template"))
    # Before anything here imports the engine (and compiles it and what it uses).
    from tests.stagger import STAGGER_ENV, uncompiled  # loaded as a plugin (pytest_plugins) by then

    os.environ[STAGGER_ENV] = "1" if uncompiled() else "0"
    from tests.engines import trained_already

    # Decided once, here, for the workers to inherit: each worker orders its collection, and
    # pytest-xdist aborts a run whose workers collected different orders.
    os.environ[_TRAINS] = "0" if trained_already() else "1"
    whole_suite = config.args_source is pytest.Config.ArgsSource.TESTPATHS
    if whole_suite and config.getoption("numprocesses", None):
        # tests.engines.warm() under its file lock: the workers wait for it, or load its result.
        # At a lower priority: the workers' collection comes first, and the model-free files
        # that run meanwhile mostly wait on their servers and leave it the CPU.
        config.stash[_TRAINING] = subprocess.Popen(
            [sys.executable, "-c", "import os; os.nice(10); from tests.engines import warm; warm()"],
            cwd=Path(__file__).parents[1],
        )


def pytest_unconfigure(config: pytest.Config) -> None:
    """Remove the folder made by pytest_configure (derived data only)."""
    training = config.stash.get(_TRAINING, None)
    if training is not None and training.poll() is None:  # a run ended before it did
        training.kill()
        training.wait()
    folder = config.stash.get(_MADE, None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
        os.environ.pop(SESSION_CACHE, None)
        os.environ.pop("BOT_CACHE_DIR", None)
        if os.environ.get(TEMPLATE_ENV) == str(folder / "pg-template"):
            os.environ.pop(TEMPLATE_ENV, None)


# Tests that need no trained model (the store's and the fake Bot API's): they run first while the
# session's model is trained in its own process (every other test's first use waits for it); when
# the kept cache already holds it, every file is ordered by its time alone.
_MODEL_FREE = ("store", "testing")
_TRAINS = "STAKEHOLDER_BOT_TEST_TRAINS"  # "1": the session trains the real base's model


@pytest.hookimpl(trylast=True)  # after `-m`/`-k` have deselected: the files' times are of what runs
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every file by its expected wall time, longest first (tests/durations.json), the model-free
    ones before the others when the session trains: the long ones (the real processes, outages,
    debounces) do not form the tail. A stable sort: the tests of a file keep their order."""
    top = Path(__file__).parent
    trains = os.environ.get(_TRAINS) != "0"
    free = tuple(top / name for name in _MODEL_FREE)

    from tests.timeline import expected_seconds  # loaded as a plugin (pytest_plugins) by then

    expected = expected_seconds(items)
    items.sort(
        key=lambda item: (
            trains and not any(item.path.is_relative_to(folder) for folder in free),
            -expected[item.path],
        )
    )
