"""What the bot sends, in Telegram's terms: HTML-escaped text split under 4096, inline keyboards,
callback data of at most 64 bytes, inline results.

Pure: builds `telegram` objects but never talks to Telegram, reads no settings, touches no store.
Every string from the fact base or from a user is escaped here; nothing else produces HTML.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
)

from bot.core.engine import Engine
from bot.core.lang import LANGS
from bot.core.reply import Reply, Suggestion
from bot.core.texts import RELEASE_TITLE, UI
from bot.telegram.texts import LANG_NAMES, T, topic_name

MAX_TEXT = 4096  # Telegram's limit for a message, "after entities parsing"
MAX_CALLBACK = 64  # bytes of callback_data
MAX_LABEL = 64  # characters shown on a button before we cut
MAX_INLINE_RESULTS = 5
SEPARATORS = ("\n\n", "\n", " ")  # paragraph, line, word: where a long text may be cut


def esc(text: str) -> str:
    """Escape text for parse_mode HTML (`<`, `>` and `&`)."""
    return html.escape(text, quote=False)


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


# ---- splitting --------------------------------------------------------------------------------


def html_chunks(plain: str, limit: int = MAX_TEXT) -> list[str]:
    """Escape `plain` and cut it into chunks of at most `limit` at paragraph boundaries (then lines,
    then words, then characters). The limit holds for the escaped text, hence after parsing too.
    """
    chunks = [c.strip() for c in _pack(plain.strip(), limit, 0)]
    return [c for c in chunks if c] or ["…"]


def _pack(plain: str, limit: int, level: int) -> list[str]:
    whole = esc(plain)
    if utf16_len(whole) <= limit:
        return [whole]
    if level == len(SEPARATORS):
        return _hard_split(plain, limit)
    sep = esc(SEPARATORS[level])
    out: list[str] = []
    current = ""
    for part in plain.split(SEPARATORS[level]):
        for piece in _pack(part, limit, level + 1):
            candidate = piece if not current else current + sep + piece
            if utf16_len(candidate) <= limit:
                current = candidate
            else:
                out.append(current)
                current = piece
    out.append(current)
    return out


def _hard_split(plain: str, limit: int) -> list[str]:
    out: list[str] = []
    current: list[str] = []
    size = 0
    for ch in plain:
        piece = esc(ch)
        n = utf16_len(piece)
        if size + n > limit:
            out.append("".join(current))
            current, size = [], 0
        current.append(piece)
        size += n
    out.append("".join(current))
    return out


def add_footer(chunks: list[str], footer: str, limit: int = MAX_TEXT) -> list[str]:
    """Append an HTML footer to the last chunk, or as a chunk of its own if it does not fit."""
    if not footer:
        return chunks
    joined = chunks[-1] + "\n\n" + footer
    if utf16_len(joined) <= limit:
        return [*chunks[:-1], joined]
    return [*chunks, footer]


# ---- callback data ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Tap:
    """A decoded button press."""

    action: str  # intent | feedback | topic | topics | lang | forget
    arg: str = ""  # intent id, hash, exchange id, topic, language or yes/no
    lang: str = ""  # the language the button was shown in
    hashed: bool = False  # `arg` is a short hash of an id too long to fit
    value: int = 0  # feedback: +1 or -1


FORGET_YES = "x:y"
FORGET_NO = "x:n"
TOPICS = "tt"
_EXCHANGE_RE = re.compile(r"^[0-9a-f]{16}$")
_ID_RE = re.compile(r"^[a-z0-9_]{1,64}$")


def short_hash(text: str) -> str:
    """16 hex digits standing for an id too long for callback data."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _fit(data: str, prefix: str, long_value: str) -> str:
    return data if len(data.encode("utf-8")) <= MAX_CALLBACK else prefix + short_hash(long_value)


def intent_data(intent_id: str, lang: str) -> str:
    """Callback data of a button that answers an intent in `lang`."""
    return _fit(f"i:{lang}:{intent_id}", f"h:{lang}:", intent_id)


def feedback_data(exchange_id: str, value: int) -> str:
    """Callback data of 👍 (+1) or 👎 (-1) on an exchange."""
    return f"f:{'+' if value > 0 else '-'}:{exchange_id}"


def topic_data(topic: str) -> str:
    """Callback data of a topic button."""
    return _fit(f"t:{topic}", "T:", topic)


def lang_data(choice: str) -> str:
    """Callback data of a /lang button (de, en, zh or auto)."""
    return f"l:{choice}"


def parse_data(data: str | None) -> Tap | None:
    """Decode callback data; None for anything this bot did not make (or no longer makes)."""
    if not data:
        return None
    kind, _, rest = data.partition(":")
    if kind in ("i", "h"):
        lang, _, arg = rest.partition(":")
        if lang in LANGS and _ID_RE.match(arg):
            return Tap("intent", arg, lang, hashed=kind == "h")
    elif kind == "f":
        sign, _, exchange_id = rest.partition(":")
        if sign in ("+", "-") and _EXCHANGE_RE.match(exchange_id):
            return Tap("feedback", exchange_id, value=1 if sign == "+" else -1)
    elif kind in ("t", "T") and rest:
        return Tap("topic", rest, hashed=kind == "T")
    elif data == TOPICS:
        return Tap("topics")
    elif kind == "l" and rest in (*LANGS, "auto"):
        return Tap("lang", rest)
    elif data in (FORGET_YES, FORGET_NO):
        return Tap("forget", "yes" if data == FORGET_YES else "no")
    return None


def resolve(tap: Tap, names: Iterable[str]) -> str | None:
    """The intent id or topic a tap refers to, if it still exists in `names`."""
    for name in names:
        if name == tap.arg or (tap.hashed and short_hash(name) == tap.arg):
            return name
    return None


# ---- messages ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutMessage:
    """One message to send: HTML text and an optional inline keyboard."""

    html: str
    keyboard: InlineKeyboardMarkup | None = None


def label(text: str) -> str:
    """A button label: one line, cut to MAX_LABEL characters."""
    line = " ".join(text.split())
    return line if len(line) <= MAX_LABEL else line[: MAX_LABEL - 1].rstrip() + "…"


def button(text: str, data: str) -> InlineKeyboardButton:
    """An inline button with callback data (checked against Telegram's 64-byte limit)."""
    assert 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK, data
    return InlineKeyboardButton(label(text), callback_data=data)


def source_line(reply: Reply) -> str:
    """The short italic source line under an answer ('' when it has no source)."""
    if not reply.sources:
        return ""
    colon = "：" if reply.lang == "zh" else ": "
    return f"<i>{esc(UI[reply.lang]['source'])}{colon}{esc('; '.join(reply.sources))}</i>"


def reply_keyboard(reply: Reply, exchange_id: str | None) -> InlineKeyboardMarkup | None:
    """👍/👎 on answers, then "did you mean" or "see also" buttons."""
    rows: list[list[InlineKeyboardButton]] = []
    if exchange_id and reply.outcome in ("answered", "unknown"):
        rows.append([button("👍", feedback_data(exchange_id, 1)),
                     button("👎", feedback_data(exchange_id, -1))])  # fmt: skip
    if reply.outcome in ("suggested", "declined"):
        rows += [[button(s.question, intent_data(s.intent, reply.lang))] for s in reply.suggestions]
    else:
        rows += [[button("→ " + s.question, intent_data(s.intent, reply.lang))]
                 for s in reply.related]  # fmt: skip
    return InlineKeyboardMarkup(rows) if rows else None


def render_reply(reply: Reply, exchange_id: str | None = None) -> list[OutMessage]:
    """The messages that carry a reply: text chunks, source line and keyboard on the last one."""
    text = reply.text
    chunks = add_footer(html_chunks(text), source_line(reply))
    keyboard = reply_keyboard(reply, exchange_id)
    return [OutMessage(c) for c in chunks[:-1]] + [OutMessage(chunks[-1], keyboard)]


def sent_text(messages: Sequence[OutMessage]) -> str:
    """Plain text of what was sent (for the conversation log)."""
    return "\n\n".join(html.unescape(re.sub(r"<[^>]+>", "", m.html)) for m in messages)


def _intent_rows(suggestions: Iterable[Suggestion], lang: str) -> list[list[InlineKeyboardButton]]:
    return [[button(s.question, intent_data(s.intent, lang))] for s in suggestions]


def start_message(engine: Engine, lang: str) -> OutMessage:
    """/start: greeting, what the bot knows, example questions as buttons."""
    t = T[lang]
    topics = ", ".join(topic_name(name, lang) for name in browsable_topics(engine))
    text = f"{t['greeting']}\n\n{t['knows'].format(topics=topics)}\n\n{t['examples']}"
    rows = _intent_rows(engine.examples(lang), lang)
    return OutMessage(esc(text), InlineKeyboardMarkup(rows) if rows else None)


def help_message(lang: str, bot_username: str) -> OutMessage:
    """/help."""
    return OutMessage(esc(T[lang]["help"].format(bot=bot_username)))


def browsable_topics(engine: Engine) -> dict[str, list[str]]:
    """Topics and the ids of the intents worth browsing (small talk left out), in file order."""
    out: dict[str, list[str]] = {}
    for topic, intents in engine.kb.topics().items():
        shown = [i.id for i in intents if i.kind != "smalltalk"]
        if shown:
            out[topic] = shown
    return out


def topics_message(engine: Engine, lang: str) -> OutMessage:
    """/topics: one button per topic."""
    rows = [[button(topic_name(t, lang), topic_data(t))] for t in browsable_topics(engine)]
    return OutMessage(esc(T[lang]["topics"]), InlineKeyboardMarkup(rows) if rows else None)


def topic_message(engine: Engine, topic: str, lang: str) -> OutMessage:
    """One topic: a button per intent (its first question in `lang`) and a way back."""
    found = (engine.suggestion(i, lang) for i in browsable_topics(engine).get(topic, []))
    suggestions = [s for s in found if s is not None]
    rows = [*_intent_rows(suggestions, lang), [button(T[lang]["back"], TOPICS)]]
    text = T[lang]["topic"].format(topic=topic_name(topic, lang))
    return OutMessage(esc(text), InlineKeyboardMarkup(rows))


def lang_message(pinned: str | None, lang: str) -> OutMessage:
    """/lang without an argument: the choices as buttons."""
    t = T[lang]
    current = LANG_NAMES[pinned] if pinned in LANG_NAMES else t["lang_auto_name"]
    rows = [[button(LANG_NAMES[code], lang_data(code)) for code in LANGS],
            [button(t["lang_auto"], lang_data("auto"))]]  # fmt: skip
    return OutMessage(esc(t["lang_prompt"].format(current=current)), InlineKeyboardMarkup(rows))


def lang_set_text(choice: str) -> str:
    """The confirmation of a /lang choice, in the chosen language (or English for auto)."""
    return esc(T[choice]["lang_set"] if choice in LANGS else T["en"]["lang_follow"])


def about_message(engine: Engine, lang: str) -> OutMessage:
    """/about: the release's title, date and source, and the size of the fact base."""
    t = T[lang]
    topics = browsable_topics(engine)
    questions = sum(len(v) for v in topics.values())
    text = (
        f"<b>{esc(RELEASE_TITLE[lang])}</b>\n{esc(UI[lang]['release'])}\n\n{esc(t['about'])}\n\n"
        f"{esc(t['about_kb'].format(n=len(topics), q=questions))}"
    )
    return OutMessage(text)


def privacy_message(lang: str, retention_days: int) -> OutMessage:
    """/privacy: what is logged, for how long, how to erase it."""
    return OutMessage(esc(T[lang]["privacy"].format(days=retention_days)))


def forget_message(lang: str) -> OutMessage:
    """/forget: the question, with a confirm and a cancel button."""
    t = T[lang]
    keyboard = InlineKeyboardMarkup(
        [[button(t["forget_yes"], FORGET_YES), button(t["forget_no"], FORGET_NO)]]
    )
    return OutMessage(esc(t["forget_prompt"]), keyboard)


def pre_chunks(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Preformatted text (admin reports) as <pre> chunks under the limit."""
    wrap = len("<pre></pre>")
    return [f"<pre>{chunk}</pre>" for chunk in html_chunks(text, limit - wrap)]


# ---- inline mode ------------------------------------------------------------------------------


def inline_article(reply: Reply, result_id: str) -> InlineQueryResultArticle:
    """An inline result that posts the question and its answer with the source line."""
    question = reply.question.strip() or reply.text
    body = html_chunks(reply.text, MAX_TEXT - utf16_len(esc(question)) - 200)[0]
    text = add_footer([f"<b>{esc(label(question))}</b>\n\n{body}"], source_line(reply))[0]
    return InlineQueryResultArticle(
        id=result_id,
        title=label(question),
        description=" ".join(reply.text.split())[:120],
        input_message_content=InputTextMessageContent(text, parse_mode="HTML"),
    )


def inline_results(engine: Engine, query: str, hint: str | None, pinned: str | None,
                   ) -> tuple[Reply | None, list[InlineQueryResultArticle]]:
    """The reply to an inline query and the articles to offer (examples when it is empty)."""
    lang_hint = pinned or hint
    if not query.strip():
        lang = pinned or (hint or "en")[:2]
        lang = lang if lang in LANGS else "en"
        examples = (engine.answer_intent(s.intent, lang) for s in engine.examples(lang))
        return None, [inline_article(r, r.intent) for r in examples if r and r.intent]
    reply = engine.reply(query, hint=lang_hint, pinned=pinned)
    replies: list[Reply] = []
    if reply.answered or reply.outcome == "unknown":
        replies.append(reply)
    for s in (*reply.suggestions, *reply.related):
        other = engine.answer_intent(s.intent, reply.lang, question=s.question)
        if other is not None and other.outcome != "smalltalk":
            replies.append(other)
    seen: set[str] = set()
    articles: list[InlineQueryResultArticle] = []
    for r in replies:
        if r.intent and r.intent not in seen and len(articles) < MAX_INLINE_RESULTS:
            seen.add(r.intent)
            articles.append(inline_article(r, r.intent))
    return reply, articles
