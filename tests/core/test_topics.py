"""/topics: the same topics, under human names in the reader's language, in Telegram and console."""

from __future__ import annotations

import io

import pytest

from bot.console import ConsoleChat
from bot.core.lang import LANGS
from bot.core.topics import topic_listing, topic_name
from bot.telegram.format import topic_message, topics_message
from tests.fakes.telegram_harness import shared_engine


def console_topics(lang: str) -> list[str]:
    """The headings the console prints for /topics after /lang `lang`."""
    out = io.StringIO()
    chat = ConsoleChat(shared_engine(), out)
    chat.handle(f"/lang {lang}")
    out.seek(0), out.truncate()
    chat.handle("/topics")
    return [line[:-1] for line in out.getvalue().splitlines() if not line.startswith(" ")]


@pytest.mark.parametrize("lang", LANGS)
def test_console_and_telegram_list_the_same_topics_by_name(lang: str) -> None:
    """Both channels show one listing: the same names, in the same order, in the user's language."""
    names = [t.name for t in topic_listing(shared_engine(), lang)]
    markup = topics_message(shared_engine(), lang).keyboard
    assert markup is not None
    assert [row[0].text for row in markup.inline_keyboard] == names
    assert console_topics(lang) == names


def test_every_topic_of_the_fact_base_has_a_human_name_in_every_language() -> None:
    """No file name or raw topic id ("agreement", "unknowns") shows as a heading."""
    engine = shared_engine()
    for topic in topic_listing(engine, "en"):
        assert topic.id in engine.kb.release.topics, f"topic {topic.id!r} has no name in release.yaml"
        for lang in LANGS:
            name = topic_name(engine, topic.id, lang)
            assert name != topic.id and "_" not in name and not name.endswith(".yaml")


def test_small_talk_is_not_a_topic_in_either_channel() -> None:
    """Greetings and thanks are not browsable anywhere."""
    listing = topic_listing(shared_engine(), "en")
    intents = {s.intent for t in listing for s in t.questions}
    smalltalk = {i.id for i in shared_engine().kb.intents if i.kind == "smalltalk"}
    assert smalltalk and not intents & smalltalk
    assert all("small" not in line.lower() for line in console_topics("en"))


def test_a_topic_view_lists_the_questions_of_the_console_listing() -> None:
    """The buttons under one topic in Telegram are the questions the console prints under it."""
    first = topic_listing(shared_engine(), "zh")[0]
    markup = topic_message(shared_engine(), first.id, "zh").keyboard
    assert markup is not None
    labels = [row[0].text for row in markup.inline_keyboard[:-1]]  # the last row goes back
    assert labels == [s.question for s in first.questions]
