"""What the bot sends, in Telegram's terms: HTML-escaped text split under 4096, inline keyboards
(their callback data comes from bot.telegram.buttons), inline results.

Pure: builds `telegram` objects but never talks to Telegram, reads no settings, touches no store.
Every string from the fact base or from a user is escaped here; nothing else produces HTML.
"""

from __future__ import annotations

import html
import logging
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
from bot.core.lang import LANGS, Script, in_script
from bot.core.reply import Outcome, Reply, Suggestion
from bot.core.texts import UI, release_text
from bot.core.topics import browsable_topics, topic_listing, topic_name
from bot.telegram.buttons import (
    TOPICS,
    CallbackDataTooLong,
    checked,
    feedback_data,
    forget_data,
    handoff_data,
    intent_data,
    lang_data,
    notify_data,
    topic_data,
)
from bot.telegram.press.texts import PT
from bot.telegram.texts import LANG_NAMES, T, pick_lang

_log = logging.getLogger(__name__)

MAX_TEXT = 4096  # Telegram's limit for a message, "after entities parsing"
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
    """An inline button with callback data; CallbackDataTooLong if the data exceeds 64 bytes."""
    return InlineKeyboardButton(label(text), callback_data=checked(data))


Row = Sequence[tuple[str, str]]  # (label, callback data) of each button in a row


def keyboard(rows: Iterable[Row]) -> InlineKeyboardMarkup | None:
    """An inline keyboard of (label, data) rows. A button whose data does not fit is left out
    (and logged) so that the message still goes out; None when no button is left."""
    built: list[list[InlineKeyboardButton]] = []
    for row in rows:
        buttons: list[InlineKeyboardButton] = []
        for text, data in row:
            try:
                buttons.append(button(text, data))
            except CallbackDataTooLong:
                continue  # logged by checked(); the rest of the keyboard still works
        if buttons:
            built.append(buttons)
    return InlineKeyboardMarkup(built) if built else None


# Outcomes whose reply offers its suggestions as the choice ("did you mean", off-topic examples).
OFFERS: frozenset[Outcome] = frozenset({"suggested", "declined", "offtopic"})
# Outcomes that can be rated 👍/👎: an answer, or the statement that the release does not say.
RATED: frozenset[Outcome] = frozenset({"answered", "unknown", "not_stated"})


# Outcomes that may go on to the press office: about the release, but not answered by it.
HANDOFF: frozenset[Outcome] = frozenset({"declined", "unknown", "not_stated"})


@dataclass(frozen=True)
class PressOffer:
    """What the press office adds to replies (bot.telegram.press.view builds it from settings):
    a hand-off button on declines, else a contact line; a "notify me" button on answers."""

    handoff: bool = False
    contact: str | None = None
    notify: bool = False


def source_line(reply: Reply) -> str:
    """The short italic source line under an answer ('' when it has no source)."""
    if not reply.sources:
        return ""
    colon = "：" if reply.lang == "zh" else ": "
    label = in_script(UI[reply.lang]["source"], reply.script)  # 來源 under a traditional reply
    return f"<i>{esc(label)}{colon}{esc('; '.join(reply.sources))}</i>"


def reply_keyboard(
    reply: Reply, exchange_id: str | None, offer: PressOffer | None = None
) -> InlineKeyboardMarkup | None:
    """👍/👎 on answers, then "did you mean" or "see also" buttons; with an `offer`, the press
    office's hand-off on declines and "notify me" on answers."""
    rows: list[Row] = []
    if exchange_id and reply.outcome in RATED:
        rows.append([("👍", feedback_data(exchange_id, 1)), ("👎", feedback_data(exchange_id, -1))])
    if reply.outcome in OFFERS:
        rows += _intent_rows(reply.suggestions, reply.lang, script=reply.script)
    else:
        rows += _intent_rows(reply.related, reply.lang, "→ ", reply.script)
    if offer is not None and offer.handoff and exchange_id and reply.outcome in HANDOFF:
        rows.append([(PT[reply.lang]["handoff"], handoff_data("h", exchange_id))])
    if offer is not None and offer.notify and reply.outcome == "answered" and reply.intent:
        rows.append([(PT[reply.lang]["notify"], notify_data(reply.intent, reply.lang))])
    return keyboard(rows)


def contact_line(reply: Reply, offer: PressOffer | None) -> str:
    """The press office's contact under a decline, when there is no group to hand off to."""
    if offer is None or offer.handoff or not offer.contact or reply.outcome not in HANDOFF:
        return ""
    return esc(PT[reply.lang]["contact"].format(contact=offer.contact))


def render_reply(
    reply: Reply, exchange_id: str | None = None, offer: PressOffer | None = None
) -> list[OutMessage]:
    """The messages that carry a reply: text chunks, source line and keyboard on the last one."""
    text = reply.text
    chunks = add_footer(add_footer(html_chunks(text), source_line(reply)), contact_line(reply, offer))
    keyboard = reply_keyboard(reply, exchange_id, offer)
    return [OutMessage(c) for c in chunks[:-1]] + [OutMessage(chunks[-1], keyboard)]


def sent_text(messages: Sequence[OutMessage]) -> str:
    """Plain text of what was sent (for the conversation log)."""
    return "\n\n".join(html.unescape(re.sub(r"<[^>]+>", "", m.html)) for m in messages)


def _intent_rows(
    suggestions: Iterable[Suggestion], lang: str, mark: str = "", script: Script | None = None
) -> list[Row]:
    return [[(mark + s.question, intent_data(s.intent, lang, script))] for s in suggestions]


def start_message(engine: Engine, lang: str) -> OutMessage:
    """/start: greeting, what the bot knows, example questions as buttons."""
    t = T[lang]
    topics = ", ".join(topic_name(engine, name, lang) for name in browsable_topics(engine))
    greeting = engine.kb.release.text("greeting", lang) or t["greeting"]
    text = f"{greeting}\n\n{t['knows'].format(topics=topics)}\n\n{t['examples']}"
    return OutMessage(esc(text), keyboard(_intent_rows(engine.examples(lang), lang)))


def help_message(engine: Engine, lang: str, bot_username: str) -> OutMessage:
    """/help: what to ask (the fact base's words), then the commands."""
    ask = engine.kb.release.text("ask", lang) or T[lang]["ask"]
    return OutMessage(esc(T[lang]["help"].format(bot=bot_username, ask=ask)))


def topics_message(engine: Engine, lang: str) -> OutMessage:
    """/topics: one button per topic."""
    rows = [[(topic.name, topic_data(topic.id))] for topic in topic_listing(engine, lang)]
    return OutMessage(esc(T[lang]["topics"]), keyboard(rows))


def topic_message(engine: Engine, topic: str, lang: str) -> OutMessage:
    """One topic: a button per intent (its first question in `lang`) and a way back."""
    found = next((t for t in topic_listing(engine, lang) if t.id == topic), None)
    questions = found.questions if found is not None else ()
    rows = [*_intent_rows(questions, lang), [(T[lang]["back"], TOPICS)]]
    text = T[lang]["topic"].format(topic=topic_name(engine, topic, lang))
    return OutMessage(esc(text), keyboard(rows))


def lang_message(pinned: str | None, lang: str) -> OutMessage:
    """/lang without an argument: the choices as buttons."""
    t = T[lang]
    current = LANG_NAMES[pinned] if pinned in LANG_NAMES else t["lang_auto_name"]
    rows = [[(LANG_NAMES[code], lang_data(code)) for code in LANGS], [(t["lang_auto"], lang_data("auto"))]]
    return OutMessage(esc(t["lang_prompt"].format(current=current)), keyboard(rows))


def lang_set_text(choice: str) -> str:
    """The confirmation of a /lang choice, in the chosen language (or English for auto)."""
    return esc(T[choice]["lang_set"] if choice in LANGS else T["en"]["lang_follow"])


def about_message(engine: Engine, lang: str) -> OutMessage:
    """/about: the release's title, date and source, and the size of the fact base."""
    t = T[lang]
    release = engine.kb.release
    topics = browsable_topics(engine)
    questions = sum(len(v) for v in topics.values())
    text = (
        f"<b>{esc(release_text(release, 'title', lang))}</b>\n"
        f"{esc(release_text(release, 'source', lang))}\n\n"
        f"{esc(release.text('about', lang) or t['about'])}\n\n"
        f"{esc(t['about_kb'].format(n=len(topics), q=questions))}"
    )
    return OutMessage(text)


def privacy_message(lang: str, retention_days: int) -> OutMessage:
    """/privacy: what is logged, for how long, how to erase it."""
    return OutMessage(esc(T[lang]["privacy"].format(days=retention_days)))


def forget_message(lang: str, owner: int) -> OutMessage:
    """/forget: the question, with a confirm and a cancel button that only `owner` may use."""
    t = T[lang]
    rows = [[(t["forget_yes"], forget_data(True, owner)), (t["forget_no"], forget_data(False, owner))]]
    return OutMessage(esc(t["forget_prompt"]), keyboard(rows))


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


def inline_results(
    engine: Engine,
    query: str,
    hint: str | None,
    pinned: str | None,
) -> tuple[Reply | None, list[InlineQueryResultArticle]]:
    """The reply to an inline query and the articles to offer (examples when it is empty)."""
    lang_hint = pinned or hint
    if not query.strip():
        lang = pick_lang(pinned, hint)
        examples = (engine.answer_intent(s.intent, lang) for s in engine.examples(lang))
        return None, [inline_article(r, r.intent) for r in examples if r and r.intent]
    reply = engine.reply(query, hint=lang_hint, pinned=pinned)
    replies: list[Reply] = []
    if reply.answered or reply.outcome in RATED:
        replies.append(reply)
    for s in (*reply.suggestions, *reply.related):
        other = engine.answer_intent(s.intent, reply.lang, question=s.question, script=reply.script)
        if other is not None and other.outcome != "smalltalk":
            replies.append(other)
    seen: set[str] = set()
    articles: list[InlineQueryResultArticle] = []
    for r in replies:
        if r.intent and r.intent not in seen and len(articles) < MAX_INLINE_RESULTS:
            seen.add(r.intent)
            articles.append(inline_article(r, r.intent))
    return reply, articles
