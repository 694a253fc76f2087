"""Telegram's limits shared among replicas (bot.telegram.limits): the sum never passes the bot's."""

from __future__ import annotations

import pytest

from bot.telegram.limits import limiter_rates


@pytest.mark.parametrize(
    ("replicas", "burst", "per_second"),
    [
        pytest.param(1, 30, 30.0, id="one-replica-is-ptb-default"),
        pytest.param(2, 15, 15.0, id="two-halves"),
        # 30 does not divide by 4: the bucket is 7 messages per 0.933 s, 7.5 a second
        pytest.param(4, 7, 7.5, id="four-uneven"),
        # more replicas than messages a second: one message at a time, spaced out
        pytest.param(64, 1, 30 / 64, id="many"),
    ],
)
def test_each_replica_takes_its_share(replicas: int, burst: int, per_second: float) -> None:
    """Each replica's rate is 1/replicas of 30/s, its burst as large as that allows."""
    rates = limiter_rates(replicas)
    assert rates["overall_max_rate"] == burst
    assert rates["overall_max_rate"] / rates["overall_time_period"] == pytest.approx(per_second)
    assert replicas * per_second <= 30 + 1e-9
    group_per_minute = rates["group_max_rate"] / rates["group_time_period"] * 60
    assert replicas * group_per_minute == pytest.approx(20)


def test_the_application_limiter_takes_the_share() -> None:
    """The bot's rate limiter is built with the share of BOT_REPLICAS (python-telegram-bot's
    AIORateLimiter over aiolimiter buckets)."""
    from bot.telegram.limiter import RetryingRateLimiter

    one, two = RetryingRateLimiter(), RetryingRateLimiter(replicas=2)
    assert one._base_limiter is not None and two._base_limiter is not None
    assert (one._base_limiter.max_rate, one._base_limiter.time_period) == (30, 1)
    assert (two._base_limiter.max_rate, two._base_limiter.time_period) == (15, 1)
    assert two._group_max_rate / two._group_time_period == pytest.approx(10 / 60)
