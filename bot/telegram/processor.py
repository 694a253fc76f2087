"""The update processor: many updates at once, each through the intake.

The intake (bot.telegram.intake) is the one place that orders a chat's updates: it hands the
Application at most one update per chat at a time, so the processor only bounds how many run at
once and hands each update to `Intake.run` (which knows which sends of a replayed update went out
already and marks the update done afterwards).
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

from telegram.ext import BaseUpdateProcessor

from bot.telegram.intake import Intake

MAX_CONCURRENT_UPDATES = 32


class IntakeProcessor(BaseUpdateProcessor):
    """Up to `max_concurrent_updates` updates at once, each handled through `intake`."""

    def __init__(self, max_concurrent_updates: int, intake: Intake) -> None:
        super().__init__(max_concurrent_updates)
        self.intake = intake

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        await self.intake.run(update, coroutine)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""
