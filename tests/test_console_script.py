"""The console chat writes its own labels in the script of a Chinese question, as Telegram does."""

from __future__ import annotations

import io

import pytest

from bot.console import ConsoleChat
from tests.fakes.telegram_harness import shared_engine


@pytest.mark.parametrize(
    ("question", "label", "not_label"),
    [
        ("協議是什麼時候簽署的？", "相關問題", "相关问题"),  # traditional: the label in it too
        ("协议是什么时候签署的？", "相关问题", "相關問題"),  # simplified: unchanged
    ],
)
def test_the_see_also_label_follows_the_questions_script(question: str, label: str, not_label: str) -> None:
    out = io.StringIO()
    ConsoleChat(shared_engine(), out).handle(question)
    printed = out.getvalue()
    assert "2024" in printed and f"{label}:" in printed and not_label not in printed
