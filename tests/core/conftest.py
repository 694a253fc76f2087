"""The real engine on the real fact base, shared by the core's test files (tests/engines.py:
trained once per session), and a conversation helper that carries the context as a channel does."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.core.context import ChatContext
from bot.core.engine import Engine
from bot.core.reply import Reply
from tests.engines import real_engine

ROOT = Path(__file__).resolve().parents[2]

Converse = Callable[[list[str]], list[Reply]]


@pytest.fixture(scope="module")
def engine() -> Engine:
    return real_engine()


@pytest.fixture(scope="module")
def converse(engine: Engine) -> Converse:
    """Replies to turns asked in one conversation (the context carried as a channel does)."""

    def ask(turns: list[str]) -> list[Reply]:
        context: ChatContext | None = None
        replies: list[Reply] = []
        for n, question in enumerate(turns):
            reply = engine.reply(question, context=context)
            context = engine.follow(reply, float(n), context) or context
            replies.append(reply)
        return replies

    return ask
