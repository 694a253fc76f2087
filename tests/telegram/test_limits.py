"""Telegram's limits shared among replicas (bot.telegram.limits): the sum never passes the bot's."""

from __future__ import annotations

import bisect
from pathlib import Path

import pytest

from bot.telegram.limits import limiter_rates
from tests.fakes.telegram_harness import running_bot


@pytest.mark.parametrize(
    ("replicas", "per_second"),
    [
        # one message in the bucket, 28 a second: at most 29 in any second, the first included
        pytest.param(1, 28.0, id="one-replica"),
        pytest.param(2, 13.5, id="two-halves"),
        pytest.param(4, 6.25, id="four-uneven"),
        # more replicas than messages a second: one message at a time, spaced out
        pytest.param(64, 30 / 64 / 2, id="many"),
    ],
)
def test_each_replica_takes_its_share(replicas: int, per_second: float) -> None:
    """Each replica's bucket holds one message and drains at a little under 1/replicas of 30/s:
    one second, the first of a burst included, never holds more than the bot's 30 in all."""
    rates = limiter_rates(replicas)
    assert rates["overall_max_rate"] == 1
    assert 1 / rates["overall_time_period"] == pytest.approx(per_second)
    if replicas <= 30:
        assert replicas * (1 + per_second) <= 30 + 1e-9
    group_per_minute = rates["group_max_rate"] / rates["group_time_period"] * 60
    assert replicas * group_per_minute == pytest.approx(20)


def test_the_application_limiter_takes_the_share() -> None:
    """The bot's rate limiter is built with the share of BOT_REPLICAS (python-telegram-bot's
    AIORateLimiter over aiolimiter buckets)."""
    from bot.telegram.limiter import RetryingRateLimiter

    one, two = RetryingRateLimiter(), RetryingRateLimiter(replicas=2)
    assert one._base_limiter is not None and two._base_limiter is not None
    assert one._base_limiter.max_rate == two._base_limiter.max_rate == 1
    assert one._base_limiter.time_period == pytest.approx(1 / 28)
    assert two._base_limiter.time_period == pytest.approx(1 / 13.5)
    assert two._group_max_rate / two._group_time_period == pytest.approx(10 / 60)


def busiest_second(times: list[float]) -> int:
    """The most calls in any one-second window (both ends included)."""
    times = sorted(times)
    return max((bisect.bisect_right(times, t + 1.0) - i for i, t in enumerate(times)), default=0)


@pytest.mark.slow
async def test_a_burst_never_sends_more_than_30_in_any_second(tmp_path: Path) -> None:
    """90 users ask at once: the replies reach the Bot API at no more than 30 in any one-second
    window, the first second of the burst included (before: 57 in the first second)."""
    async with running_bot(tmp_path) as tg:
        for user in range(90):
            tg.api.message("When was the agreement signed?", user_id=20_000 + user)
        await tg.api.until(lambda: len(tg.api.sent()) >= 90, 60)
        await tg.settle()
        sent = [c.at for c in tg.api.sent()]
        assert len(sent) == 90
        assert busiest_second(sent) <= 30
