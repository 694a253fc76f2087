"""Per-user flood control: answers up to the limit, one notice, then silence until it slows."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.telegram.flood import FloodGate, Verdict

A, N, D = Verdict.ALLOW, Verdict.NOTICE, Verdict.DROP


@pytest.mark.parametrize(
    ("limit", "times", "expected"),
    [
        pytest.param(3, [0, 1, 2], [A, A, A], id="at-the-limit"),
        pytest.param(3, [0, 1, 2, 3], [A, A, A, N], id="one-over-gets-the-notice"),
        pytest.param(3, [0, 1, 2, 3, 4, 5], [A, A, A, N, D, D], id="then-silence"),
        # The window slides: at t=60 the message of t=0 has left it (the edge is exclusive).
        pytest.param(2, [0, 30, 60], [A, A, A], id="window-edge"),
        pytest.param(2, [0, 0.5, 59.9], [A, A, N], id="just-inside-window"),
        # Dropped messages count too: hammering keeps the user throttled ...
        pytest.param(2, [0, 1, 2, 40, 61, 62], [A, A, N, D, D, D], id="hammering-stays-throttled"),
        # ... but once under the limit again, answers resume and a later flood is noticed again.
        pytest.param(2, [0, 1, 2, 200, 201, 202], [A, A, N, A, A, N], id="new-episode-new-notice"),
        pytest.param(1, [0, 0, 0], [A, N, D], id="limit-one"),
    ],
)
def test_verdicts(limit: int, times: list[float], expected: list[Verdict]) -> None:
    """Each message at its time gets the expected verdict."""
    gate = FloodGate(limit, window_s=60)
    assert [gate.check(7, t) for t in times] == expected


def test_users_are_counted_apart() -> None:
    """One user's flood does not silence another."""
    gate = FloodGate(2)
    assert [gate.check(1, 0), gate.check(1, 0), gate.check(1, 0)] == [A, A, N]
    assert gate.check(2, 0) is A


def test_memory_is_bounded_by_active_users() -> None:
    """Idle users are forgotten once the table is full."""
    gate = FloodGate(5, window_s=60, max_keys=100)
    for user in range(100):
        gate.check(user, 0)
    gate.check(1000, 120)  # everyone else has been idle for a whole window
    assert len(gate) == 1


@pytest.mark.parametrize(("limit", "window"), [(0, 60), (3, 0)])
def test_rejects_nonsense_limits(limit: int, window: float) -> None:
    """A limit below one or an empty window is a programming error."""
    with pytest.raises(ValueError):
        FloodGate(limit, window_s=window)


@given(
    limit=st.integers(1, 10),
    gaps=st.lists(st.floats(0, 30, allow_nan=False), min_size=1, max_size=80),
)
def test_never_more_than_limit_answers_per_window_and_one_notice_per_episode(
    limit: int, gaps: list[float]
) -> None:
    """Whatever the timing: at most `limit` answers in any window, never two notices in a row
    without an answer between them."""
    gate = FloodGate(limit, window_s=60)
    now = 0.0
    allowed: list[float] = []
    verdicts: list[Verdict] = []
    for gap in gaps:
        now += gap
        verdict = gate.check(1, now)
        verdicts.append(verdict)
        if verdict is A:
            allowed.append(now)
            assert sum(1 for t in allowed if t > now - 60) <= limit
    since_answer = [v for v in verdicts if v is not D]
    assert all(not (a is N and b is N) for a, b in itertools.pairwise(since_answer))


def test_idle_users_are_forgotten_once_a_window_whatever_the_table_size() -> None:
    """20,000 users who each sent one update leave nothing behind a window later (before, the
    table was swept only when full, so every user stayed until 10,000 were known). A full table
    with nobody idle is not swept again for every new user (that took 8 s here, 2 minutes in a
    busy test worker; now milliseconds)."""
    gate = FloodGate(5, window_s=60)
    for user in range(20_000):
        gate.check(user, user * 0.001)  # 20 s of arrivals
    assert len(gate) == 20_000  # all inside one window: none may be forgotten yet
    gate.check(1, 100)  # a later update triggers the sweep of everyone idle for a window
    assert len(gate) == 1 and 1 in gate and 2 not in gate


@pytest.mark.parametrize(
    ("times", "idle"),
    [
        pytest.param([0.0], [7], id="idle-a-whole-window"),
        pytest.param([30.0], [], id="active-inside-the-window"),
        # The edge is exclusive, as in check(): an update exactly a window ago has left it.
        pytest.param([0.0, 0.0], [7], id="window-edge"),
        pytest.param([0.0, 0.1], [], id="just-inside"),
    ],
)
def test_sweep_returns_the_keys_it_forgot(times: list[float], idle: list[int]) -> None:
    """The caller frees what else it keeps per user for exactly the keys sweep returns."""
    gate = FloodGate(5, window_s=60)
    for t in times:
        gate.check(7, t)
    assert gate.sweep(60.0) == idle
