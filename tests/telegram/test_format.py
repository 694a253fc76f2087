"""What the bot sends: escaped HTML, chunks under Telegram's limit, short callback data, keyboards.

Every rendered message is checked with the fake Bot API's own rules (tests/fakes/bot_api_rules),
so "Telegram would accept it" is tested without a server.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from telegram import InputTextMessageContent

from bot.core.engine import Engine
from bot.core.lang import LANGS, simplified
from bot.core.reply import Reply, Suggestion
from bot.telegram.buttons import (
    FORGET_NO,
    FORGET_YES,
    MAX_CALLBACK,
    TOPICS,
    Tap,
    feedback_data,
    intent_data,
    lang_data,
    parse_data,
    resolve,
    short_hash,
    topic_data,
)
from bot.telegram.format import (
    about_message,
    esc,
    forget_message,
    help_message,
    html_chunks,
    inline_results,
    lang_message,
    pre_chunks,
    privacy_message,
    render_reply,
    sent_text,
    start_message,
    topic_message,
    topics_message,
)
from bot.testing.bot_api_rules import ApiError, Validator, load_spec, parse_html
from tests.fakes.telegram_harness import shared_engine

VALIDATOR = Validator(load_spec())


def accepted(html: str, keyboard: Any = None) -> str:
    """Check a sendMessage with this text and keyboard against the Bot API rules; return the
    plain text Telegram would show."""
    params: dict[str, Any] = {"chat_id": 1, "text": html, "parse_mode": "HTML"}
    if keyboard is not None:
        params["reply_markup"] = keyboard.to_dict()
    VALIDATOR.check_method("sendMessage", params)
    return parse_html(html)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return shared_engine()


# ---- escaping and splitting -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("a < b && c > d", id="operators"),
        pytest.param("<b>not bold</b>", id="tags-from-users"),
        pytest.param("&amp; stays literal", id="entity-lookalike"),
        pytest.param("Siemens & Chongqing <3", id="ampersand-heart"),
        pytest.param("\"quotes\" and 'apostrophes'", id="quotes"),
    ],
)
def test_escaped_text_shows_exactly_what_was_written(text: str) -> None:
    """User and fact-base strings pass Telegram's HTML parser and show unchanged."""
    assert accepted(esc(text)) == text


def test_unescaped_text_would_be_refused() -> None:
    """The reason for escaping: Telegram refuses a bare `<` or `&`."""
    with pytest.raises(ApiError, match="can't parse entities"):
        accepted("a < b & c")


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        pytest.param("short", 4096, ["short"], id="fits"),
        pytest.param("aaa\n\nbbb", 5, ["aaa", "bbb"], id="paragraphs"),
        pytest.param("aaa\n\nbbb", 8, ["aaa\n\nbbb"], id="two-paragraphs-fit"),
        pytest.param("aa\nbb\n\ncc", 5, ["aa\nbb", "cc"], id="lines-kept-with-paragraph"),
        pytest.param("one two three", 8, ["one two", "three"], id="words"),
        pytest.param("abcdefgh", 3, ["abc", "def", "gh"], id="hard-cut"),
        # `&` becomes `&amp;` (5 units): the limit holds for the escaped text.
        pytest.param("a&b", 6, ["a&amp;", "b"], id="entities-not-cut"),
        pytest.param("  \n\n x \n\n  ", 10, ["x"], id="whitespace-trimmed"),
        pytest.param("", 10, ["…"], id="never-empty"),
    ],
)
def test_html_chunks(text: str, limit: int, expected: list[str]) -> None:
    """Long text is cut at paragraph, then line, then word, then character boundaries."""
    assert html_chunks(text, limit) == expected


@given(
    text=st.text(alphabet=st.sampled_from(list("ab &<>\n中😀")), min_size=0, max_size=400),
    limit=st.integers(min_value=8, max_value=60),
)
def test_chunks_are_valid_and_keep_every_visible_character(text: str, limit: int) -> None:
    """Whatever the text: every chunk parses, is within the limit, and nothing visible is lost."""
    chunks = html_chunks(text, limit)
    plain = [parse_html(c) for c in chunks]
    assert all(len(c.encode("utf-16-le")) // 2 <= limit for c in chunks)
    assert "".join("".join(p.split()) for p in plain) == "".join(text.split()) or text.strip() == ""


def test_a_very_long_answer_is_split_into_valid_messages(engine: Engine) -> None:
    """An answer over 4096 characters goes out as several messages, the source line on the last."""
    base = engine.answer_intent("signing_date", "en")
    assert base is not None
    long_text = "\n\n".join(f"Paragraph {n}: " + "word & <word> " * 60 for n in range(12))
    reply = Reply(**{**base.__dict__, "text": long_text})
    messages = render_reply(reply, "0123456789abcdef")
    assert len(messages) > 1
    for m in messages:
        accepted(m.html, m.keyboard)
    assert all(m.keyboard is None for m in messages[:-1])
    assert "Source" in parse_html(messages[-1].html)
    assert "".join(sent_text(messages).split()).startswith("".join(long_text.split())[:500])


# ---- callback data ----------------------------------------------------------------------------


def test_every_intent_button_fits_in_64_bytes_and_round_trips(engine: Engine) -> None:
    """For every intent and language: callback data ≤ 64 bytes and decodes to the same intent."""
    ids = [i.id for i in engine.kb.intents]
    for intent_id in ids:
        for lang in LANGS:
            data = intent_data(intent_id, lang)
            assert len(data.encode()) <= MAX_CALLBACK
            tap = parse_data(data)
            assert tap is not None and tap.action == "intent" and tap.lang == lang
            assert resolve(tap, ids) == intent_id


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(intent_data("signing_date", "de"), Tap("intent", "signing_date", "de"), id="intent"),
        # A Chinese button shown in a traditional script answers in it; other languages have none.
        pytest.param(
            intent_data("signing_date", "zh", "tw"),
            Tap("intent", "signing_date", "zh", script="tw"),
            id="intent-taiwan-script",
        ),
        pytest.param(
            intent_data("x" * 64, "zh", "hk"),
            Tap("intent", short_hash("x" * 64), "zh", hashed=True, script="hk"),
            id="long-intent-hashed-with-script",
        ),
        pytest.param(
            intent_data("signing_date", "en", "t"), Tap("intent", "signing_date", "en"), id="script-not-zh"
        ),
        # The longest id the fact-base schema allows does not fit: it travels as a hash.
        pytest.param(
            intent_data("x" * 64, "zh"),
            Tap("intent", short_hash("x" * 64), "zh", hashed=True),
            id="long-intent-hashed",
        ),
        pytest.param(
            feedback_data("0123456789abcdef", 1), Tap("feedback", "0123456789abcdef", value=1), id="thumbs-up"
        ),
        pytest.param(
            feedback_data("0123456789abcdef", -1),
            Tap("feedback", "0123456789abcdef", value=-1),
            id="thumbs-down",
        ),
        pytest.param(topic_data("agreement"), Tap("topic", "agreement"), id="topic"),
        pytest.param(
            topic_data("t" * 70), Tap("topic", short_hash("t" * 70), hashed=True), id="long-topic-hashed"
        ),
        pytest.param(TOPICS, Tap("topics"), id="all-topics"),
        pytest.param(lang_data("zh"), Tap("lang", "zh"), id="lang"),
        pytest.param(lang_data("auto"), Tap("lang", "auto"), id="lang-auto"),
        pytest.param(FORGET_YES, Tap("forget", "yes"), id="forget-yes"),
        pytest.param(FORGET_NO, Tap("forget", "no"), id="forget-no"),
    ],
)
def test_callback_data_round_trip(data: str, expected: Tap) -> None:
    """Each kind of button decodes to what it was made from, within 64 bytes."""
    assert len(data.encode()) <= MAX_CALLBACK
    assert parse_data(data) == expected


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(None, id="no-data"),
        pytest.param("", id="empty"),
        pytest.param("i:fr:signing_date", id="unknown-language"),
        pytest.param("i:en:Robert'); DROP TABLE", id="not-an-id"),
        pytest.param("f:+:xyz", id="bad-exchange-id"),
        pytest.param("f:*:0123456789abcdef", id="bad-vote"),
        pytest.param("l:fr", id="unknown-lang-choice"),
        pytest.param("x:maybe", id="bad-forget"),
        pytest.param("old-format-v0|signing_date", id="older-bot-version"),
    ],
)
def test_foreign_or_stale_callback_data_is_rejected(data: str | None) -> None:
    """Data this bot did not make decodes to None (the handler answers politely)."""
    assert parse_data(data) is None


def test_a_removed_intent_no_longer_resolves() -> None:
    """A button for an intent that a reload removed resolves to nothing."""
    tap = parse_data(intent_data("gone_intent", "en"))
    assert tap is not None and resolve(tap, ["signing_date"]) is None


# ---- replies and keyboards --------------------------------------------------------------------


def _buttons(keyboard: Any) -> list[str]:
    return [b.callback_data for row in keyboard.inline_keyboard for b in row]


@pytest.mark.parametrize(
    ("question", "lang"),
    [
        pytest.param("When was the agreement signed?", "en", id="en"),
        pytest.param("Wann wurde die Vereinbarung unterzeichnet?", "de", id="de"),
        pytest.param("协议是什么时候签署的？", "zh", id="zh"),
    ],
)
def test_an_answer_has_source_line_feedback_and_see_also(engine: Engine, question: str, lang: str) -> None:
    """An answer: escaped text, the source line, 👍/👎 with the exchange id, "see also" buttons."""
    reply = engine.reply(question)
    assert reply.outcome == "answered" and reply.lang == lang
    [message] = render_reply(reply, "0123456789abcdef")
    shown = accepted(message.html, message.keyboard)
    assert shown.startswith(reply.text.strip()[:20])
    assert reply.sources[0] in shown
    assert message.keyboard is not None
    data = _buttons(message.keyboard)
    assert data[:2] == ["f:+:0123456789abcdef", "f:-:0123456789abcdef"]
    assert {intent_data(s.intent, lang) for s in reply.related} <= set(data)


def test_did_you_mean_offers_buttons_not_feedback(engine: Engine) -> None:
    """In the middle band the suggestions are buttons; there is no answer to vote on."""
    base = engine.reply("When was the agreement signed?")
    reply = Reply(
        question="signing?",
        answered=False,
        outcome="suggested",
        intent=None,
        nearest="signing_date",
        confidence=0.5,
        lang="en",
        text="I'm not sure what you mean. Did you mean:",
        suggestions=(
            Suggestion("signing_date", "When was it signed?"),
            Suggestion(base.related[0].intent, "Other <question> & more"),
        ),
    )
    [message] = render_reply(reply, "0123456789abcdef")
    shown = accepted(message.html, message.keyboard)
    assert shown == "I'm not sure what you mean. Did you mean:"
    assert message.keyboard is not None
    labels = [b.text for row in message.keyboard.inline_keyboard for b in row]
    assert labels == ["When was it signed?", "Other <question> & more"]
    assert not any(d.startswith("f:") for d in _buttons(message.keyboard))


def test_an_off_topic_question_offers_examples(engine: Engine) -> None:
    """Not about the release: a short decline and example questions as buttons."""
    reply = engine.reply("What is the weather on Mars tomorrow?")
    assert reply.outcome == "offtopic"
    [message] = render_reply(reply, "0123456789abcdef")
    accepted(message.html, message.keyboard)
    assert message.keyboard is not None
    assert _buttons(message.keyboard) == [intent_data(s.intent, reply.lang) for s in reply.suggestions]


# ---- command views ----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_every_command_view_is_valid_in_every_language(engine: Engine, lang: str) -> None:
    """/start, /help, /topics, each topic, /lang, /about, /privacy and /forget pass the rules."""
    views = [
        start_message(engine, lang),
        help_message(engine, lang, "some_bot"),
        topics_message(engine, lang),
        lang_message(None, lang),
        lang_message("zh", lang),
        about_message(engine, lang),
        privacy_message(lang, 180),
        forget_message(lang, 2**40),
    ]
    views += [topic_message(engine, t, lang) for t in engine.kb.topics()]
    for view in views:
        accepted(view.html, view.keyboard)


def test_topics_browse_every_fact_intent(engine: Engine) -> None:
    """Through /topics and its topics every fact and known unknown has a button (small talk and
    off-topic examples have none)."""
    reachable: set[str] = set()
    topics = topics_message(engine, "en").keyboard
    assert topics is not None
    for data in _buttons(topics):
        tap = parse_data(data)
        assert tap is not None
        topic = resolve(tap, engine.kb.topics())
        assert topic is not None
        view = topic_message(engine, topic, "en").keyboard
        assert view is not None
        reachable |= {t.arg for t in map(parse_data, _buttons(view)) if t and t.action == "intent"}
    expected = {i.id for i in engine.kb.intents if i.kind in ("fact", "unknown")}
    assert reachable == expected


def test_privacy_names_the_retention_period() -> None:
    """/privacy states how long rows are kept, as configured."""
    assert "90 days" in parse_html(privacy_message("en", 90).html)


def test_about_names_title_date_and_source(engine: Engine) -> None:
    """/about: the release title, its date and that it is the only source."""
    shown = parse_html(about_message(engine, "en").html)
    assert "Siemens signs strategic cooperation framework agreement with Chongqing" in shown
    assert "25 June 2024" in shown


def test_admin_reports_are_preformatted_chunks() -> None:
    """A long report with table characters goes out as several valid <pre> messages."""
    report = "\n".join(f"{n:>4} | <intent_{n}> & more" for n in range(600))
    chunks = pre_chunks(report)
    assert len(chunks) > 1
    for chunk in chunks:
        assert chunk.startswith("<pre>") and chunk.endswith("</pre>")
        accepted(chunk)


# ---- inline mode ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expect_first"),
    [
        pytest.param("When was the agreement signed?", "signing_date", id="answer-first"),
        pytest.param("", None, id="empty-query-examples"),
    ],
)
def test_inline_results_are_valid(engine: Engine, query: str, expect_first: str | None) -> None:
    """Inline results carry valid HTML messages, unique ids ≤ 64 bytes, at most five."""
    _, articles = inline_results(engine, query, "en", None)
    assert 1 <= len(articles) <= 5
    if expect_first:
        assert articles[0].id == expect_first
    VALIDATOR.check_method(
        "answerInlineQuery",
        {"inline_query_id": "1", "results": [a.to_dict() for a in articles]},
    )


def test_inline_offers_nothing_for_nonsense(engine: Engine) -> None:
    """A query that matches nothing offers no made-up answer, only what it suggests instead."""
    reply, articles = inline_results(engine, "qwertzuiop asdfgh", "en", None)
    assert reply is not None and not reply.answered
    assert all(a.id in {s.intent for s in reply.suggestions} for a in articles)


@pytest.mark.parametrize(
    ("query", "script"),
    [
        pytest.param("協議內容", "t", id="traditional-did-you-mean"),
        pytest.param("簽約日期是哪一天？", "t", id="traditional-answer"),
        pytest.param("协议内容", None, id="simplified"),
    ],
)
def test_inline_results_keep_the_question_script(engine: Engine, query: str, script: str | None) -> None:
    """Every inline article answers a traditional query in its script (the suggestions' answers
    too), with the source label in it; a simplified query gets the fact base's own text."""
    reply, articles = inline_results(engine, query, "zh", None)
    assert reply is not None and reply.script == script and articles
    for article in articles:
        content = article.input_message_content
        assert isinstance(content, InputTextMessageContent)
        text = content.message_text
        if script is None:
            assert "来源" in text and "來源" not in text and simplified(text) == text
        else:
            assert "來源" in text and "来源" not in text and simplified(text) != text
