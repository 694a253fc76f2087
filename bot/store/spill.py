"""The spill file: log rows the database could not take, kept as JSON lines until it can.

Bounded by a row count; past the bound rows are refused (the caller counts them as lost). Rows are
already pseudonymised, and the file is created with mode 0600. Importing renames the file aside
first so that rows spilled during the import land in a fresh file. A small lock file serialises
the bot and `review forget`, which may run in another process. No SQLite here.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

if sys.platform != "win32":
    import fcntl

Record = dict[str, str | int | float | None]
_log = logging.getLogger(__name__)


class SpillFile:
    """Append, take and forget rows in `path` (and `path.importing` while an import runs)."""

    def __init__(self, path: Path, max_rows: int) -> None:
        self.path = path
        self.importing = path.with_name(path.name + ".importing")
        self.max_rows = max_rows
        self.rows = sum(_count_lines(p) for p in (self.path, self.importing))

    def append(self, records: Sequence[Record]) -> int:
        """Append as many records as the bound allows; return how many were kept.

        Raises OSError when the file cannot be written (then none were kept).
        """
        keep = list(records[: max(0, self.max_rows - self.rows)])
        if not keep:
            return 0
        data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in keep).encode("utf-8")
        with self._locked():
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, data)
            finally:
                os.close(fd)
        self.rows += len(keep)
        return len(keep)

    def take(self) -> tuple[list[Record], int]:
        """Move the spill aside (unless an earlier import left one) and read it: (records, bad).

        `bad` counts lines that are not valid JSON objects; they cannot be imported.
        """
        with self._locked():
            if not self.importing.exists() and self.path.exists():
                os.replace(self.path, self.importing)
            try:
                text = self.importing.read_text(encoding="utf-8", errors="replace")
            except FileNotFoundError:
                return [], 0
        records: list[Record] = []
        bad = 0
        for lineno, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except ValueError:
                value = None
            if isinstance(value, dict):
                records.append(value)
            else:
                bad += 1
                _log.warning("%s:%d: not a spilled row (skipped)", self.importing, lineno)
        return records, bad

    def taken(self) -> None:
        """The records from `take` are in the database: drop the file that held them."""
        with self._locked():
            self.importing.unlink(missing_ok=True)
            self.rows = _count_lines(self.path)

    def forget(self, user_ps: str) -> int:
        """Remove every record of pseudonym `user_ps` from both files; return how many."""
        removed = 0
        with self._locked():
            for path in (self.path, self.importing):
                try:
                    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
                except FileNotFoundError:
                    continue
                kept = [line for line in lines if not _belongs_to(line, user_ps)]
                if len(kept) == len(lines):
                    continue
                removed += len(lines) - len(kept)
                tmp = path.with_name(path.name + ".tmp")
                fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    handle.writelines(line + "\n" for line in kept)
                os.replace(tmp, path)
        self.rows = max(0, self.rows - removed)
        return removed

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if sys.platform == "win32":
            yield
            return
        lock = self.path.with_name(self.path.name + ".lock")
        fd = os.open(lock, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)


def _belongs_to(line: str, user_ps: str) -> bool:
    try:
        value = json.loads(line)
    except ValueError:
        return False
    return isinstance(value, dict) and value.get("user_ps") == user_ps


def _count_lines(path: Path) -> int:
    try:
        with path.open("rb") as handle:
            return sum(1 for line in handle if line.strip())
    except FileNotFoundError:
        return 0
