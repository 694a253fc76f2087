"""Sign-in without passwords: one-use links valid for 10 minutes, sessions in an HttpOnly,
SameSite=Strict cookie, a CSRF token per session, and a brake on repeated bad links.

Only hashes of link tokens and session ids are stored (bot.store.console, through data.Log): a
copy of the log signs nobody in. The clock is passed in, so tests can let a link expire.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.review.console.data import Log

LINK_TTL = timedelta(minutes=10)
SESSION_TTL = timedelta(hours=8)
SESSION_COOKIE = "console_session"
LOGIN_COOKIE = "console_login"  # the sign-in form's own CSRF token (double submit)
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf"

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def digest(secret: str) -> str:
    """What the log keeps of a token or session id."""
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_link(log: Log, console_url: str, issued_to: str, now: datetime | None = None) -> str:
    """A new one-use sign-in link on `console_url`, valid for LINK_TTL."""
    now = now or utc_now()
    token = secrets.token_urlsafe(32)
    log.add_link(digest(token), now, now + LINK_TTL, issued_to)
    return f"{console_url.rstrip('/')}/login?token={token}"


@dataclass(frozen=True)
class Session:
    """A signed-in reviewer: the session's hash (to end it) and its CSRF token."""

    id_hash: str
    csrf: str


def open_session(log: Log, now: datetime) -> tuple[str, Session]:
    """A new session: the cookie's value, and the session."""
    session_id = secrets.token_urlsafe(32)
    session = Session(digest(session_id), secrets.token_urlsafe(24))
    log.add_session(session.id_hash, session.csrf, now, now + SESSION_TTL)
    return session_id, session


def find_session(log: Log, cookie: str | None, now: datetime) -> Session | None:
    """The live session a cookie names, or None."""
    if not cookie or len(cookie) > 100:
        return None
    id_hash = digest(cookie)
    csrf = log.session_csrf(id_hash, now)
    return None if csrf is None else Session(id_hash, csrf)


def same_token(given: str | None, expected: str) -> bool:
    """Constant-time comparison of a submitted CSRF token."""
    return given is not None and secrets.compare_digest(given.encode(), expected.encode())


class BadLinks:
    """Repeated bad sign-in links from one client are slowed down, then refused for a while.

    Each bad link in the last `window` seconds adds `step` seconds of wait before the next answer;
    from `limit` bad links on, the client is refused (429) until the window has passed.
    """

    def __init__(self, step: float = 0.5, limit: int = 10, window: float = 600.0) -> None:
        self.step, self.limit, self.window = step, limit, window
        self._seen: dict[str, deque[float]] = {}

    def _recent(self, client: str) -> deque[float]:
        seen = self._seen.setdefault(client, deque())
        cut = time.monotonic() - self.window
        while seen and seen[0] < cut:
            seen.popleft()
        if len(self._seen) > 10_000:  # a flood of clients: keep the memory bounded
            self._seen = {client: seen}
        return seen

    def refused(self, client: str) -> bool:
        return len(self._recent(client)) >= self.limit

    def delay(self, client: str) -> float:
        return min(self.step * len(self._recent(client)), 10.0)

    def failed(self, client: str) -> None:
        self._recent(client).append(time.monotonic())


def new_nonce() -> str:
    """The sign-in form's CSRF token (also set as a cookie scoped to /login)."""
    return secrets.token_urlsafe(24)
