"""The spill file: log rows the database could not take, kept as JSON lines until it can.

Bounded by a row count; past the bound rows are refused (the caller counts them as lost). Rows are
already pseudonymised, and the file is created with mode 0600. Importing renames the file aside
first so that rows spilled during the import land in a fresh file. A small lock file serialises
the bot and `review forget`, which may run in another process. No SQLite here.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import sys
from collections.abc import Callable, Generator, Iterator, Sequence
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
                size = os.fstat(fd).st_size
                try:
                    _write_all(fd, data)
                except OSError:
                    # A full disk may take part of the lines: cut them off again, so that a row is
                    # either kept whole or counted lost, never both (nor a broken line later).
                    with contextlib.suppress(OSError):
                        os.ftruncate(fd, size)
                    raise
            finally:
                os.close(fd)
            self.rows += len(keep)  # under the lock: a forget in a worker thread adjusts it too
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
        rewrite = self.without(user_ps)
        rewrite.apply()
        return rewrite.removed

    def without(self, user_ps: str) -> SpillRewrite:
        """Lock the spill and write copies of both files without `user_ps`'s lines, not yet in place.

        The caller commits its database delete, then calls `apply()` (or `discard()` if the delete
        failed): the erasure lands in the database and the spill together or in neither. The lock
        is held until then, so no other process appends, imports or forgets in between.
        """
        return SpillRewrite(self, user_ps)

    def contains(self, predicate: Callable[[Record], bool], hint: str = "") -> bool:
        """True if a record in either file satisfies `predicate` (bad lines are skipped).

        Only lines containing `hint` are parsed: a look-up by id stays cheap in a large spill.
        """
        with contextlib.closing(self._records(hint)) as records:  # an early stop frees the lock
            return any(predicate(record) for record in records)

    def update_ids(self) -> set[int]:
        """The updates whose exchanges wait in either file (answered and logged, not yet imported)."""
        return {
            update_id
            for record in self._records('"update_id"')
            if isinstance(update_id := record.get("update_id"), int)
        }

    def _records(self, hint: str) -> Generator[Record]:
        """The readable records of both files (the importing one first) on lines holding `hint`,
        read under the lock (held until the caller stops iterating)."""
        if not (self.path.exists() or self.importing.exists()):
            return
        with self._locked():
            for path in (self.importing, self.path):
                try:
                    handle = path.open(encoding="utf-8", errors="replace")
                except FileNotFoundError:
                    continue
                with handle:
                    for line in handle:
                        if hint in line and (value := _parse(line)) is not None:
                            yield value

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        fd = self._lock()
        try:
            yield
        finally:
            self._unlock(fd)

    def _lock(self) -> int | None:
        """Take the lock file shared with other processes (blocking); its fd, None on Windows."""
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if sys.platform == "win32":
            return None
        lock = self.path.with_name(self.path.name + ".lock")
        fd = os.open(lock, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except BaseException:
            os.close(fd)
            raise
        return fd

    @staticmethod
    def _unlock(fd: int | None) -> None:
        if fd is not None:
            os.close(fd)  # closing the descriptor releases the flock


class SpillRewrite:
    """Both spill files without one user's lines, written aside and held under the spill's lock.

    Made by `SpillFile.without`; exactly one of `apply()` and `discard()` must follow.
    """

    def __init__(self, spill: SpillFile, user_ps: str) -> None:
        self.spill = spill
        self.removed = 0
        self._pending: list[tuple[Path, Path]] = []  # (copy, the file it replaces)
        self._fd = spill._lock()
        try:
            for path in (spill.path, spill.importing):
                self._prepare(path, user_ps)
        except BaseException:
            self.discard()
            raise

    def _prepare(self, path: Path, user_ps: str) -> None:
        try:
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        except FileNotFoundError:
            return
        kept = [line for line in lines if not _belongs_to(line, user_ps)]
        if len(kept) == len(lines):
            return
        tmp = path.with_name(path.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.writelines(line + "\n" for line in kept)
        self._pending.append((tmp, path))
        self.removed += len(lines) - len(kept)

    def apply(self) -> None:
        """Put the copies in place of the files and release the lock."""
        try:
            for tmp, path in self._pending:
                os.replace(tmp, path)
            self.spill.rows = max(0, self.spill.rows - self.removed)
        finally:
            self._release()

    def discard(self) -> None:
        """Leave the files as they were: drop the copies and release the lock."""
        try:
            for tmp, _ in self._pending:
                tmp.unlink(missing_ok=True)
            self.removed = 0
        finally:
            self._release()

    def _release(self) -> None:
        self._pending = []
        fd, self._fd = self._fd, None
        SpillFile._unlock(fd)


def spill_path_for(db_path: Path, spill_dir: Path | None = None) -> Path:
    """Where the store keeps rows it could not write: in `spill_dir` (BOT_SPILL_DIR, best on
    another volume than the database), else beside the database."""
    name = db_path.name + ".spill.jsonl"
    return spill_dir / name if spill_dir is not None else db_path.with_name(name)


def _write_all(fd: int, data: bytes) -> None:
    """Write all of `data` (os.write may write part of it); OSError when the disk refuses."""
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        if written <= 0:
            raise OSError(errno.ENOSPC, "no space left on device")
        view = view[written:]


def _parse(line: str) -> Record | None:
    try:
        value = json.loads(line)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _belongs_to(line: str, user_ps: str) -> bool:
    value = _parse(line)
    return value is not None and value.get("user_ps") == user_ps


def _count_lines(path: Path) -> int:
    try:
        with path.open("rb") as handle:
            return sum(1 for line in handle if line.strip())
    except FileNotFoundError:
        return 0
