"""Telegram's flood limits divided among replicas (pure: numbers in, numbers out).

Telegram meters a bot by its token, not by process: 30 messages a second in all, 20 a minute per
group. With BOT_REPLICAS replicas each takes a fixed share: a token bucket of 30/N messages per
second (20/N a minute per group), so the replicas together never pass the bot's limits whatever
the load balancer does, without talking to each other on every send. A configured share rather
than a counter in the database: one round trip per message would cost more than the cap it
enforces, and an uneven spread of users only makes a replica slower, never the bot too fast.
The bucket keeps its burst as large as the share allows (30 at once with one replica, as
python-telegram-bot's AIORateLimiter does by default).
"""

from __future__ import annotations

MESSAGES_PER_SECOND = 30
GROUP_MESSAGES_PER_MINUTE = 20


def limiter_rates(replicas: int) -> dict[str, float]:
    """AIORateLimiter's keyword arguments for one of `replicas` replicas."""
    n = max(1, replicas)
    burst = max(1, MESSAGES_PER_SECOND // n)
    group_burst = max(1, GROUP_MESSAGES_PER_MINUTE // n)
    return {
        "overall_max_rate": burst,
        "overall_time_period": burst * n / MESSAGES_PER_SECOND,
        "group_max_rate": group_burst,
        "group_time_period": group_burst * n * 60 / GROUP_MESSAGES_PER_MINUTE,
    }
