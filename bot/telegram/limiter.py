"""Telegram's limits and faults on the way out: python-telegram-bot's AIORateLimiter (the flood
limits, 429 retry_after waited out) with this bot's share of them (bot.telegram.limits), plus
retries of network errors and 5xx answers with exponential backoff.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import BadRequest, NetworkError, TimedOut
from telegram.ext import AIORateLimiter

from bot.telegram.limits import limiter_rates

_log = logging.getLogger(__name__)

NETWORK_RETRIES = 6  # 0.5 + 1 + 2 + 4 + 4 + 4 s: rides out a Bot API outage of over 10 s
MAX_BACKOFF_S = 4.0


class RetryingRateLimiter(AIORateLimiter):
    """Telegram's flood limits (AIORateLimiter, which waits out 429 retry_after), plus retries of
    network errors and 5xx answers with exponential backoff.

    Not retried: 400 Bad Request (it would fail again) and timeouts (the request may have been
    carried out, and a retry would send the message twice).
    """

    def __init__(
        self,
        *,
        network_retries: int = NETWORK_RETRIES,
        backoff_s: float = 0.5,
        max_retries: int = 5,
        limited: bool = True,
        replicas: int = 1,
    ) -> None:
        # limited=False (TELEGRAM_RATE_LIMIT=off) keeps the retries but drops the 30/s cap: for a
        # self-hosted Bot API server without Telegram's limits, and for the benchmark.
        # With BOT_REPLICAS replicas each takes its share of the bot's limits (bot.telegram.limits).
        rates: dict[str, float] = (
            limiter_rates(replicas) if limited else {"overall_max_rate": 0, "group_max_rate": 0}
        )
        super().__init__(max_retries=max_retries, **rates)
        self.network_retries = network_retries
        self.backoff_s = backoff_s

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        delay = self.backoff_s
        for attempt in range(self.network_retries + 1):
            try:
                return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
            except (BadRequest, TimedOut):
                raise
            except NetworkError as exc:
                if attempt == self.network_retries:
                    raise
                _log.warning("%s failed (%s); retry %d in %.1fs", endpoint, exc, attempt + 1, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, MAX_BACKOFF_S)
        raise AssertionError("unreachable")  # pragma: no cover
