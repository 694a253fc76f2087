"""Per-user fair use (pure: no Telegram, no clock of its own; the caller passes `now`).

One budget per user covers every kind of update the user causes: messages, edits, commands,
button taps and inline queries. A user who spends more than `limit` within `window_s` seconds
gets one slow-down notice; further updates are dropped silently until the rate falls back under
the limit. Every update counts, the dropped ones too, so that a user who keeps hammering stays
throttled.

The check is cheap and happens before any answer is computed or sent, so a flooding user's
excess never reaches the engine or the shared outgoing rate limiter (Telegram's 30 messages a
second), and cannot push other users' answers back.

Users idle for a whole window are forgotten (`sweep`, run by `check` once per window), so the
table holds only the users active in the last window, never everyone ever seen.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from enum import Enum


class Verdict(Enum):
    """What to do with one incoming update."""

    ALLOW = "allow"  # answer it
    NOTICE = "notice"  # the first update over the limit: send the slow-down notice instead
    DROP = "drop"  # over the limit and already told: stay silent


@dataclass
class _Track:
    times: deque[float] = field(default_factory=deque)
    noticed: bool = False


def judge(count: int, limit: int) -> Verdict:
    """The verdict on a user's `count`-th update of a window (a window shared by replicas, kept in
    the store: bot.store.chat_state): ALLOW up to `limit`, the one NOTICE just after, then DROP."""
    if count <= limit:
        return Verdict.ALLOW
    return Verdict.NOTICE if count == limit + 1 else Verdict.DROP


class FloodGate:
    """A sliding window of update times per user key."""

    def __init__(self, limit: int, window_s: float = 60.0, max_keys: int = 10_000) -> None:
        if limit < 1 or window_s <= 0:
            raise ValueError("limit must be at least 1 and window_s positive")
        self.limit = limit
        self.window_s = window_s
        self.max_keys = max_keys
        self._tracks: dict[int, _Track] = {}
        self.swept_at: float | None = None  # when idle users were last forgotten
        # A full table swept in vain stays full until its oldest user's last update leaves the
        # window: no sweep before then (sweeping on every new user made 20,000 users in one
        # window cost 10,000 sweeps of 10,000 entries).
        self._full_until = float("-inf")

    def check(self, key: int, now: float) -> Verdict:
        """Count one update of `key` at time `now` (seconds, monotonic) and judge it."""
        if self.swept_at is None:
            self.swept_at = now
        elif now - self.swept_at >= self.window_s:
            self.sweep(now)
        track = self._tracks.get(key)
        if track is None:
            if len(self._tracks) >= self.max_keys and now >= self._full_until:
                self.sweep(now)
                if len(self._tracks) >= self.max_keys:
                    oldest = min((t.times[-1] for t in self._tracks.values() if t.times), default=now)
                    self._full_until = oldest + self.window_s
            track = self._tracks[key] = _Track()
        self._expire(track, now)
        track.times.append(now)
        if len(track.times) <= self.limit:
            track.noticed = False
            return Verdict.ALLOW
        if track.noticed:
            return Verdict.DROP
        track.noticed = True
        return Verdict.NOTICE

    def __len__(self) -> int:
        return len(self._tracks)

    def __contains__(self, key: object) -> bool:
        return key in self._tracks

    def sweep(self, now: float) -> list[int]:
        """Forget the users with nothing in their window; return their keys (the caller frees
        whatever else it keeps per user)."""
        self.swept_at = now
        horizon = now - self.window_s
        idle = [k for k, t in self._tracks.items() if not t.times or t.times[-1] <= horizon]
        for key in idle:
            del self._tracks[key]
        return idle

    def _expire(self, track: _Track, now: float) -> None:
        horizon = now - self.window_s
        while track.times and track.times[0] <= horizon:
            track.times.popleft()
