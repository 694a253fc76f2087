"""Keyed pseudonyms for user and chat ids, and the key file that sits beside the database.

A pseudonym is HMAC-SHA256(key, "channel:id") cut to 16 hex digits: stable for one key, so the
review can count users and `forget` can find a user's rows, but not reversible without the key.
This module touches only the key file; it knows nothing of SQLite or Telegram.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
import stat
from pathlib import Path

from bot.errors import StoreError

PSEUDONYM_HEX = 16
_log = logging.getLogger(__name__)


def key_path(db_path: Path) -> Path:
    """Where the generated key lives: beside the database, named after it."""
    return db_path.with_name(db_path.name + ".pseudonym-key")


def load_key(db_path: Path, key: str | None, *, create: bool = True) -> bytes | None:
    """Return the key: `key` (BOT_PSEUDONYM_KEY) if given, else the key file, made once if `create`.

    Returns None only when there is no key and `create` is false (nothing was ever logged).
    """
    if key:
        return key.encode("utf-8")
    path = key_path(db_path)
    found = _read_key(path)
    if found is not None or not create:
        return found
    return _create_key(path)


def _read_key(path: Path) -> bytes | None:
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise StoreError(
            f"{path}: the pseudonym key cannot be read ({exc}); fix its permissions or set BOT_PSEUDONYM_KEY"
        ) from exc
    if not text:
        raise StoreError(f"{path}: the pseudonym key file is empty (delete it to make a new one)")
    _tighten(path)
    return text.encode("ascii")


def _create_key(path: Path) -> bytes:
    text = secrets.token_hex(32)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        # Another process made it between our read and our create: use theirs.
        return _read_key(path) or text.encode("ascii")
    except OSError as exc:
        raise StoreError(
            f"{path}: the pseudonym key cannot be created ({exc.strerror}); make the folder "
            "writable or set BOT_PSEUDONYM_KEY"
        ) from exc
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(text + "\n")
    _log.info("created pseudonym key %s (keep it: without it /forget cannot find old rows)", path)
    return text.encode("ascii")


def _tighten(path: Path) -> None:
    """Make a secret file readable by its owner only, if it is not already."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            os.chmod(path, 0o600)
            _log.warning("%s was readable by others (mode %o); set to 600", path, mode)
    except OSError as exc:
        _log.warning("%s: cannot set mode 600 (%s)", path, exc.strerror)


def pseudonymise(key: bytes, channel: str, raw_id: int | str | None) -> str | None:
    """Return the pseudonym of `raw_id` on `channel`, or None when there is no id."""
    if raw_id is None:
        return None
    message = f"{channel}:{raw_id}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:PSEUDONYM_HEX]
