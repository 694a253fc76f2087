"""Fact-file reports through the real application and the fake Bot API: a hostile edit (alias
amplification) gives each admin one short message, and a fix saved after it is served at once."""

from __future__ import annotations

import asyncio
import shutil
import time
from pathlib import Path

import pytest

from tests.fakes.amplified_yaml import amplified
from tests.fakes.telegram_harness import ADMIN_ID, KNOWLEDGE, running_bot

pytest_plugins = ["tests.fakes.telegram_fixtures"]

FIXED = """\
intents:
  - id: amp_fixed
    topic: agreement
    source: [p1]
    answer: {de: Repariert., en: Fixed., zh: 已修复。}
    questions:
      de: [Ist die Datei repariert?]
      en: [Is the file fixed now?]
      zh: [文件修好了吗？]
"""


@pytest.mark.slow  # the fixed base's model is retrained in the background (calibration kept: ~2 CPU-s)
async def test_a_hostile_edit_gives_one_short_message_and_the_fix_is_served_in_seconds(
    tmp_path: Path,
) -> None:
    """Before: 298,500 problem lines, 14,776 messages queued to each admin, and a fix saved 5 s
    later not served within 120 s. Now: one message per admin, the fix in service within the wait
    of 10 s (about 1 s on a quiet machine: printed, not asserted, as the machine is shared)."""
    knowledge = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, knowledge)
    async with running_bot(tmp_path, knowledge_dir=knowledge, reload_debounce_s=0.1) as tg:
        await tg.say("/start", user_id=ADMIN_ID)  # the admin's chat exists from now on
        before = len(tg.api.sent(ADMIN_ID))
        (knowledge / "amp.yaml").write_text(amplified(), encoding="utf-8")
        await tg.api.until(lambda: len(tg.api.sent(ADMIN_ID)) > before, 30)
        await asyncio.sleep(0.5)  # room for more messages, if any were coming
        [note] = tg.api.texts(ADMIN_ID)[before:]
        assert "NOT reloaded" in note and "the alias *q" in note and len(note) < 1000
        saved = time.monotonic()
        (knowledge / "amp.yaml").write_text(FIXED, encoding="utf-8")
        holder = tg.runtime.holder
        await tg.api.until(lambda: any(i.id == "amp_fixed" for i in holder.engine.kb.intents), 10)
        print(f"\n[reload] the fixed file served {time.monotonic() - saved:.2f} s after its save")
        [answer] = await tg.say("Is the file fixed now?")
        assert "Fixed." in answer.result["text"]
        assert len(tg.api.sent(ADMIN_ID)) == before + 1  # a good edit is not a problem to report


async def test_admin_messages_show_hidden_characters_visibly(tmp_path: Path) -> None:
    """A question with NUL, ESC and U+202E reaches the admin's /unanswered as <U+XXXX> marks."""
    async with running_bot(tmp_path) as tg:
        await tg.say("\u202eWho\x1b[2J won the\x00 lottery?")
        [report] = await tg.say("/unanswered", user_id=ADMIN_ID)
        text = report.result["text"]
        assert "<U+202E>" in text and "<U+001B>" in text
        assert not any(ch in text for ch in ("\u202e", "\x1b", "\x00"))


def test_debug_leaves_the_framework_at_info(tmp_path: Path) -> None:
    """BOT_LOG_LEVEL=DEBUG: python-telegram-bot, which would log raw updates (ids, names, texts),
    stays at INFO; httpx, which logs URLs with the token, at WARNING."""
    import dataclasses
    import logging

    from bot.settings import Settings
    from bot.telegram.redaction import configure_logging

    saved = {n: logging.getLogger(n).level for n in ("telegram", "apscheduler", "aiosqlite", "httpx")}
    try:
        configure_logging(dataclasses.replace(Settings(), log_level="DEBUG"))
        assert logging.getLogger("telegram.ext.Application").getEffectiveLevel() == logging.INFO
        assert logging.getLogger("aiosqlite").getEffectiveLevel() == logging.INFO
        assert logging.getLogger("httpx").getEffectiveLevel() == logging.WARNING
    finally:
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)
