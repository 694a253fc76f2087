"""Hostile input: whatever people paste, the engine answers and the bot replies within Telegram's rules.

Property tests (hypothesis) over random Unicode (right-to-left, zero-width, NUL; no lone surrogates,
which Telegram cannot deliver), texts of 4,096+ characters, SQL-looking and HTML-looking text and
markup injection attempts. Through the engine: no exception, a reply text, a language of de/en/zh.
Through the real Application against the fake Bot API: no error, every message logged once with its
text, every request accepted by the fake's rules, and user markup only ever sent escaped.
Examples are derandomised (the same ones every run) and few, so the file runs in seconds.
"""

from __future__ import annotations

import asyncio
import logging
import re
import tempfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.core.lang import LANGS
from bot.telegram.format import MAX_TEXT, inline_article, inline_results, label, render_reply, utf16_len
from bot.testing.bot_api_rules import TAG_RE, parse_html
from bot.testing.fake_bot_api import BOT_USERNAME, Call
from tests.fakes.telegram_harness import ADMIN_ID, BotHarness, running_bot, shared_engine

MARK = "INJECTED"  # the bot never says this: where it shows up, a user put it there
RTL = ["\u200f", "\u202e", "\u202b", "\u2067", "مرحبا، متى تم التوقيع؟", "מתי נחתם ההסכם?"]
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u034f"]
CONTROL = ["\x00", "\x00\x00", "\x07", "\x1b[31m", "\r\n", "\t", "\x7f", "\u2028", "\ufffd"]
SQL = [
    "'; DROP TABLE exchanges; --",
    '" OR 1=1 --',
    "Robert'); DELETE FROM feedback WHERE 1=1;--",
    "1' UNION SELECT user_ps, text FROM exchanges --",
    "%' AND sqlite_version() --",
    "');PRAGMA writable_schema=1;--",
]
MARKUP = [
    f"<b>{MARK}</b>",
    f"<i>{MARK}",
    f"</pre><b>{MARK}</b><pre>",
    f'<a href="tg://user?id=1">{MARK}</a>',
    f'<a href="javascript:alert(1)">{MARK}</a>',
    f"<script>alert('{MARK}')</script>",
    f'<span class="tg-spoiler">{MARK}</span>',
    f"<tg-emoji emoji-id='1'>{MARK}</tg-emoji>",
    f"&lt;b&gt;{MARK}&amp;",
    f"&#60;b&#62;{MARK}",
    f"<code>{MARK}</code> & <pre>",
    f"*{MARK}* _{MARK}_ `{MARK}` [x](http://e.com)",
    "<",
    ">",
    "&",
    "</b>",
    "<b>",
    "<<>>",
    "&amp;&",
]
WORDS = [
    "When was the agreement signed?",
    "Wer hat unterzeichnet?",
    "协议是什么时候签署的？",
    "Siemens",
    "Chongqing",
    "metro",
    "/start",
    "@someone",
    "👍🏽",
    "𝕳𝖊𝖑𝖑𝖔",
    "e\u0301",
]

# Any character but a lone surrogate (UTF-8 cannot carry one; Telegram never delivers one).
UNICODE = st.text(st.characters(exclude_categories=["Cs"]), max_size=120)
PIECE = st.one_of(
    st.sampled_from(RTL + ZERO_WIDTH + CONTROL + SQL + MARKUP + WORDS),
    UNICODE,
)
MIXED = st.lists(PIECE, min_size=1, max_size=8).map("".join)
# Longer than one Telegram message: a piece repeated past 4,096 characters (cheap to generate).
LONG = st.tuples(st.sampled_from(SQL + MARKUP + WORDS + RTL[-2:]), st.integers(4097, 9000)).map(
    lambda p: (p[0] + " ") * (p[1] // (len(p[0]) + 1) + 1)
)
HOSTILE = st.one_of(UNICODE, MIXED, MIXED, LONG)
HINT = st.sampled_from([None, "en", "de", "zh", "zh-hans", "ar", "he", "", "x" * 40, "\x00"])
PINNED = st.sampled_from([None, "de", "en", "zh", "fr", "'; DROP TABLE x; --"])

FEW = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# Each example of the Telegram property starts its own bot (~0.2 s): keep them few.
BOTS = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

BOT_TAGS = {"b", "i", "pre"}  # the only tags the bot itself writes


# ---- the engine ---------------------------------------------------------------------------------


@FEW
@given(text=HOSTILE, hint=HINT, pinned=PINNED)
def test_the_engine_answers_anything(text: str, hint: str | None, pinned: str | None) -> None:
    """Any text gets a reply: no exception, a non-empty text, a language of de/en/zh."""
    reply = shared_engine().reply(text, hint=hint, pinned=pinned)
    assert reply.question == text
    assert isinstance(reply.text, str) and reply.text.strip()
    assert reply.lang in LANGS
    assert 0.0 <= reply.confidence <= 1.0


@FEW
@given(text=HOSTILE, hint=HINT)
def test_every_rendered_reply_is_valid_telegram_html(text: str, hint: str | None) -> None:
    """Whatever the question, the messages built from the reply (and the inline results, which
    quote the question) parse as Telegram HTML, fit 4,096 characters and show the question as
    typed, never as markup."""
    reply = shared_engine().reply(text, hint=hint)
    for out in render_reply(reply, "0123456789abcdef"):
        assert utf16_len(parse_html(out.html)) <= MAX_TEXT
        assert_only_bot_markup(out.html)
    _, articles = inline_results(shared_engine(), text, hint, None)
    for article in articles:
        body = article.input_message_content.message_text  # type: ignore[attr-defined]
        assert utf16_len(parse_html(body)) <= MAX_TEXT
        assert_only_bot_markup(body)
        assert article.title in parse_html(body)  # the question, shown as the user typed it


# ---- the Telegram handlers against the fake Bot API ------------------------------------------


MESSAGE = st.tuples(
    HOSTILE.filter(lambda t: t.strip()),
    st.sampled_from(["private", "group"]),
    st.sampled_from(["en", "de", "zh", None]),
)


@BOTS
@given(messages=st.lists(MESSAGE, min_size=1, max_size=5))
@pytest.mark.slow
def test_the_bot_survives_hostile_messages(messages: list[tuple[str, str, str | None]]) -> None:
    """Private and group messages (and the same texts as inline queries), then an admin's
    /unanswered, which quotes users' questions back: no error in any handler, every message logged
    once with its text, every request within the fake's rules, user markup only ever escaped."""
    with tempfile.TemporaryDirectory() as tmp, captured_errors() as errors:
        asyncio.run(hostile_run(Path(tmp), messages))
    assert errors == [], errors


async def hostile_run(tmp: Path, messages: list[tuple[str, str, str | None]]) -> None:
    async with running_bot(tmp, flood_per_minute=1000) as tg:
        tg.api.chat(ADMIN_ID)
        expected: Counter[str] = Counter()
        for n, (text, where, lang) in enumerate(messages):
            user = 3000 + n
            if where == "private":
                tg.api.message(text, user_id=user, lang=lang)
                expected[text] += 1
            else:
                tg.api.message(
                    f"@{BOT_USERNAME} {text}",
                    user_id=user,
                    lang=lang,
                    chat_id=-100_000 - n,
                    chat_type="supergroup",
                )
                expected[" ".join(f" {text}".split())] += 1  # the mention cut, spaces squeezed
            tg.api.inline_query(text[:256], user_id=user, lang=lang)  # Telegram's query limit
        await tg.settle()
        await tg.say("/unanswered", user_id=ADMIN_ID)
        expected["/unanswered"] += 1

        rows = await tg.rows()
        assert Counter(r["text"] for r in rows) == expected
        assert tg.api.rejected() == [], tg.api.rejected()
        answered = {c.params["chat_id"] for c in tg.api.sent()}
        assert {
            3000 + n if w == "private" else -100_000 - n for n, (_, w, _) in enumerate(messages)
        } <= answered
        for call in html_calls(tg):
            assert_only_bot_markup(call)
        assert not any(t.startswith("Sorry, something went wrong") for t in tg.api.texts())


def html_calls(tg: BotHarness) -> Iterator[str]:
    """Every HTML text the bot sent: messages, edits and inline results."""
    for call in tg.api.calls(ok=None):
        yield from _html_of(call)


def _html_of(call: Call) -> Iterator[str]:
    if call.method in ("sendMessage", "editMessageText") and call.params.get("parse_mode") == "HTML":
        yield str(call.params["text"])
    if call.method == "answerInlineQuery":
        for result in call.params.get("results", []):
            content = result.get("input_message_content", {})
            if content.get("parse_mode") == "HTML":
                yield str(content["message_text"])


def assert_only_bot_markup(html_text: str) -> None:
    """The HTML holds only the bot's own plain tags; nothing a user typed was rendered."""
    parse_html(html_text)  # raises the fake's "can't parse entities" otherwise
    tags = {m.group(2).lower() for m in TAG_RE.finditer(html_text)}
    attributes = [m.group(0) for m in TAG_RE.finditer(html_text) if m.group(3)]
    assert tags <= BOT_TAGS, (tags, html_text[:300])
    assert attributes == [], attributes
    assert not re.search(rf"<[^>]*>\s*{MARK}", html_text), html_text[:300]


@contextmanager
def captured_errors() -> Iterator[list[str]]:
    """Collect ERROR log records of the bot and PTB (a handler that raised lands there)."""
    errors: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            errors.append(f"{record.name}: {record.getMessage()}")

    handler = Collect(logging.ERROR)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield errors
    finally:
        root.removeHandler(handler)


# ---- injected markup comes back escaped (the places that quote a user) ---------------------


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("<b>x</b>", id="bold"),
        pytest.param('<a href="http://evil.example">tap</a>', id="link"),
        pytest.param("</pre><b>boom</b><pre>", id="breaks-out-of-pre"),  # /unanswered uses <pre>
        pytest.param("&lt;b&gt; already escaped &amp;", id="entities"),
    ],
)
async def test_quoted_user_markup_is_escaped(tmp_path: Path, text: str) -> None:
    """Where the bot quotes a user (an admin's /unanswered, inline results), the markup is sent
    escaped and shows as typed."""
    async with running_bot(tmp_path) as tg:
        tg.api.chat(ADMIN_ID)
        await tg.say(text)
        [report] = await tg.say("/unanswered", user_id=ADMIN_ID)
        assert text in str(report.result["text"])  # shown literally ...
        assert text not in str(report.params["text"])  # ... because it was sent escaped
        tg.api.inline_query(text)  # declined: answered with example results, which must parse
        await tg.settle()
        for call in tg.api.calls("answerInlineQuery"):
            for body in _html_of(call):
                assert_only_bot_markup(body)
        assert tg.api.rejected() == []
    # An answered inline query quotes the query in bold: escaped, shown as typed.
    reply = shared_engine().answer_intent("signing_date", "en", question=text)
    assert reply is not None
    content = inline_article(reply, "r1").input_message_content
    body = str(content.message_text)  # type: ignore[attr-defined]
    assert text not in body and label(text) in parse_html(body)
    assert_only_bot_markup(body)
