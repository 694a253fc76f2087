"""The files of the caches (bot.knowledge.cache, bot.knowledge.parsed): one way to key, write, read
and prune them.

A cache file is keyed by a digest of the code that made it (`code_digest`). It is derived data:
written whole through a temporary file renamed into place (a reader never sees half of one); read
or ignored, never fatal (a file cut short, damaged, of another version, or in a folder this process
may not search is logged and made anew); and pruned, so that a bot whose fact base is edited every
day does not fill its disk: of each kind of file (the part of its name before the first dash:
model, reading, index, parsed base) the folder keeps the KEEP used most recently. Reading a file
marks it as used (its time), so the version in service stays while the versions of old edits go.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import IO, Any, TypeVar

log = logging.getLogger(__name__)

_T = TypeVar("_T")

# Versions of each kind of cache file kept in a folder: at most about 240 MB for a base of the real
# one's size (15 MB a version: model 10, reading 2.5, index 1.5, parsed base 0.6). Several processes
# share one folder (replicas, the console, the CLI, a test run's bots), each reading its own version.
KEEP = 16


# Installed libraries whose upgrade may change a reading without a change of our code.
LIBRARIES = ("snowballstemmer", "Stemmer", "opencc", "opencc.clib.opencc_clib")


def code_digest(modules: tuple[ModuleType, ...], libraries: tuple[str, ...] = LIBRARIES) -> str:
    """The modules' source, and the installed `libraries`' files (their size and time, which an
    upgrade changes); read once per process (the code that runs is what was imported)."""
    digest = hashlib.sha256()
    for module in modules:
        digest.update(Path(module.__file__ or "").read_bytes())
    for name in libraries:
        file = getattr(sys.modules.get(name), "__file__", None)
        if file:
            info = os.stat(file)
            digest.update(f"{name}:{info.st_size}:{info.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def write_atomically(path: Path, what: str, fill: Callable[[IO[Any]], object], *, text: bool = True) -> None:
    """A cache file written through a temporary file in its folder and renamed into place; a
    failure to write is one warning naming `what`. Older files of its kind beyond KEEP are removed."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if text:
            with tempfile.NamedTemporaryFile(
                "w", encoding="utf-8", dir=path.parent, suffix=".tmp", delete=False
            ) as tmp:
                fill(tmp)
            name = tmp.name
        else:
            with tempfile.NamedTemporaryFile("wb", dir=path.parent, suffix=".tmp", delete=False) as raw:
                fill(raw)
            name = raw.name
        os.replace(name, path)
    except OSError as exc:
        log.warning("%s %s not written (%s)", what, path, exc)
        return
    prune(path.parent, path.name.split("-", 1)[0] + "-")


def read_cached(path: Path | None, what: str, read: Callable[[Path], _T | None]) -> _T | None:
    """`read(path)`, or None when there is no such file or it cannot be read: any failure is one
    warning naming `what` (the caller then makes it anew). A file read is marked as used."""
    if path is None:
        return None
    try:
        if not path.is_file():
            return None
        found = read(path)
    except Exception as exc:  # derived data: whatever is wrong with the file, it is made anew
        log.warning("%s %s unreadable (%s: %s); made anew", what, path, type(exc).__name__, exc)
        return None
    if found is not None:
        with contextlib.suppress(OSError):
            os.utime(path)
    return found


def prune(folder: Path, prefix: str, keep: int = KEEP) -> None:
    """Remove the files named `prefix*` in `folder` beyond the `keep` used most recently."""
    try:
        entries = [e for e in os.scandir(folder) if e.is_file() and e.name.startswith(prefix)]
        dated = sorted(((e.stat().st_mtime, e.path) for e in entries), reverse=True)
    except OSError:
        return
    for _, name in dated[keep:]:
        with contextlib.suppress(OSError):
            os.unlink(name)
