"""Per-user flood control (pure: no Telegram, no clock of its own; the caller passes `now`).

A user who sends more than `limit` messages within `window_s` seconds gets one slow-down notice;
further messages are dropped silently until the rate falls back under the limit. Every message
counts, the dropped ones too, so that a user who keeps hammering stays throttled.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from enum import Enum


class Verdict(Enum):
    """What to do with one incoming message."""

    ALLOW = "allow"  # answer it
    NOTICE = "notice"  # the first message over the limit: send the slow-down notice instead
    DROP = "drop"  # over the limit and already told: stay silent


@dataclass
class _Track:
    times: deque[float] = field(default_factory=deque)
    noticed: bool = False


class FloodGate:
    """A sliding window of message times per user key."""

    def __init__(self, limit: int, window_s: float = 60.0, max_keys: int = 10_000) -> None:
        if limit < 1 or window_s <= 0:
            raise ValueError("limit must be at least 1 and window_s positive")
        self.limit = limit
        self.window_s = window_s
        self.max_keys = max_keys
        self._tracks: dict[int, _Track] = {}

    def check(self, key: int, now: float) -> Verdict:
        """Count one message of `key` at time `now` (seconds, monotonic) and judge it."""
        track = self._tracks.get(key)
        if track is None:
            if len(self._tracks) >= self.max_keys:
                self._sweep(now)
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

    def _expire(self, track: _Track, now: float) -> None:
        horizon = now - self.window_s
        while track.times and track.times[0] <= horizon:
            track.times.popleft()

    def _sweep(self, now: float) -> None:
        # Forget users whose window is empty; memory stays bounded by the active users.
        horizon = now - self.window_s
        idle = [k for k, t in self._tracks.items() if not t.times or t.times[-1] <= horizon]
        for key in idle:
            del self._tracks[key]
