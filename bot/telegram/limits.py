"""Telegram's flood limits divided among replicas (pure: numbers in, numbers out).

Telegram meters a bot by its token, not by process: 30 messages a second in all, 20 a minute per
group. With BOT_REPLICAS replicas each takes a fixed share: 30/N messages a second (20/N a minute
per group), so the replicas together never pass the bot's limits whatever the load balancer
does, without talking to each other on every send. A configured share rather than a counter in
the database: one round trip per message would cost more than the cap it enforces, and an uneven
spread of users only makes a replica slower, never the bot too fast.

The messages a second are a leaky bucket (aiolimiter, under python-telegram-bot's
AIORateLimiter) of ONE message draining at a little under the share: a bucket of size B at rate R
lets B + R messages through in one second, so the default bucket of 30 at 30/s sent 57 in the
first second of a burst. With B = 1 and R = share - 1 - share/30, no one-second window, the first
included, holds more than the share (one message of it left for the timing jitter of the network).
The per-group bucket keeps its burst (20 at once, then 20 a minute), as before.

Update notices (bot.telegram.press.sender) pace themselves below the share, so the replies always
find room in it: a notice to thousands never makes a question or an admin command wait.
"""

from __future__ import annotations

MESSAGES_PER_SECOND = 30
GROUP_MESSAGES_PER_MINUTE = 20
NOTICE_SHARE = 2 / 3  # of a replica's messages a second, for update notices; the rest is the replies'


def messages_per_second(replicas: int) -> float:
    """The steady rate of one of `replicas` replicas (its bucket holds one message more)."""
    share = MESSAGES_PER_SECOND / max(1, replicas)
    return max(share - 1 - share / MESSAGES_PER_SECOND, share / 2)


def limiter_rates(replicas: int) -> dict[str, float]:
    """AIORateLimiter's keyword arguments for one of `replicas` replicas."""
    n = max(1, replicas)
    group_burst = max(1, GROUP_MESSAGES_PER_MINUTE // n)
    return {
        "overall_max_rate": 1,
        "overall_time_period": 1 / messages_per_second(n),
        "group_max_rate": group_burst,
        "group_time_period": group_burst * n * 60 / GROUP_MESSAGES_PER_MINUTE,
    }


def notices_per_second(replicas: int) -> float:
    """How many update-notice messages a second one of `replicas` replicas sends at most: two
    thirds of its share (20 of 30 alone), the rest left to the replies."""
    return MESSAGES_PER_SECOND / max(1, replicas) * NOTICE_SHARE
