"""What the press office's features show, in Telegram's terms: the offer on replies, the confirm
prompt, the ticket in the group, the relayed answer, /tickets, the update notice.

Pure like bot.telegram.format: builds messages, never talks to Telegram or the store.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from bot.core.lang import LANGS
from bot.store.handoffs import Handoff
from bot.store.press import Ticket
from bot.telegram.buttons import handoff_data, notice_data, ticket_add_data, ticket_data
from bot.telegram.format import MAX_TEXT, OutMessage, esc, html_chunks, keyboard, label
from bot.telegram.press.texts import PT, STAFF
from bot.telegram.texts import LANG_NAMES

MAX_QUOTE = 200  # characters of the question repeated in a relayed answer
MAX_OPEN = 3  # open tickets a user may hold
MAX_WORDINGS = 5  # other wordings of a hand-off shown in its ticket


def quote(text: str, width: int = MAX_QUOTE) -> str:
    """A question on one line, cut to `width` characters."""
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1].rstrip() + "…"


def confirm_message(question: str, lang: str, name: str, exchange_id: str) -> OutMessage:
    """What will be shared, with Send and Cancel."""
    p = PT[lang]
    text = p["confirm"].format(question=quote(question, 1000), lang=LANG_NAMES.get(lang, lang), name=name)
    rows = [[(p["send"], handoff_data("s", exchange_id))], [(p["cancel"], handoff_data("c", exchange_id))]]
    return OutMessage(html_chunks(text)[0], keyboard(rows))


def _guess(intent: str | None, confidence: float | None) -> str:
    return f"{intent} ({confidence:.2f})" if intent and confidence is not None else STAFF["no_guess"]


def _handoff_text(ticket: Ticket, handoff: Handoff) -> str:
    """A hand-off from the review console: its questions, how many asked, the bot's guess as a
    hint, and whom the answer can reach."""
    others = [quote(q, 200) for _, q in handoff.questions if q != handoff.question][:MAX_WORDINGS]
    tickets = ", ".join(f"#{t}" for t in handoff.askers)
    reach = (
        STAFF["handoff_reach"].format(n=len(handoff.askers), tickets=tickets)
        if handoff.askers
        else STAFF["handoff_nobody"]
    )
    return STAFF["handoff"].format(
        id=ticket.id,
        n=handoff.id,
        lang=ticket.lang,
        asked=handoff.asked,
        users=handoff.users,
        question=quote(handoff.question, 1000),
        others=STAFF["handoff_others"].format(lines="\n".join(f"• {q}" for q in others)) if others else "",
        guess=_guess(handoff.intent, handoff.confidence),
        reach=reach,
    )


def ticket_message(ticket: Ticket, handoff: Handoff | None = None) -> OutMessage:
    """The ticket as the press office's group sees it, with claim and dismiss (while open); a
    hand-off of the review console (`handoff`) with its own text."""
    if handoff is not None:
        text = _handoff_text(ticket, handoff)
    else:
        text = STAFF["ticket"].format(
            id=ticket.id,
            lang=ticket.lang,
            name=ticket.user_name or "?",
            question=quote(ticket.question, 3000),
            guess=_guess(ticket.intent, ticket.confidence),
        )
    if ticket.state == "dismissed":
        return OutMessage(esc(text))
    if ticket.claimed_by:
        text += "\n\n" + STAFF["claimed"].format(name=ticket.claimed_by)
    else:
        text += "\n\n" + STAFF["hint"]
    rows = [[(STAFF["claim"], ticket_data("k", ticket.id)), (STAFF["dismiss"], ticket_data("d", ticket.id))]]
    return OutMessage(esc(text), keyboard(rows))


def dismissed_message(ticket: Ticket, by: str, handoff: Handoff | None = None) -> OutMessage:
    """The ticket after a dismissal: no buttons, who dismissed it."""
    out = ticket_message(ticket, handoff)
    return OutMessage(out.html + "\n\n" + esc(STAFF["dismissed"].format(name=by)))


def erased_ticket_message(ticket_id: int) -> OutMessage:
    """The ticket once its asker used /forget: what is left of it in the group (no buttons)."""
    return OutMessage(esc(STAFF["erased"].format(id=ticket_id)))


def relay_messages(ticket: Ticket, answer: str) -> list[OutMessage]:
    """The staff's answer as the asker receives it: a header naming the question, then the text,
    escaped and split under Telegram's limit."""
    p = PT[ticket.lang if ticket.lang in LANGS else "en"]
    header = p["answer" if ticket.answers == 0 else "addition"].format(question=quote(ticket.question))
    head = f"<b>{esc(header)}</b>\n\n"
    chunks = html_chunks(answer, MAX_TEXT - len(head) * 2)
    return [OutMessage(head + chunks[0]), *(OutMessage(c) for c in chunks[1:])]


def dismissed_notice(ticket: Ticket) -> OutMessage:
    """To the asker: the press office read the question but cannot answer it here."""
    p = PT[ticket.lang if ticket.lang in LANGS else "en"]
    return OutMessage(esc(p["dismissed"].format(question=quote(ticket.question))))


def relayed_message(
    ticket: Ticket, intents: Sequence[str], first: bool, text: str | None = None
) -> OutMessage:
    """The group's confirmation under a relayed answer (`text`, else the ticket's), with the
    one-tap promote buttons."""
    text = text or STAFF["relayed" if first else "relayed_more"].format(id=ticket.id)
    rows = [[(STAFF["add_to"].format(intent=i), ticket_add_data(ticket.id, i))] for i in intents]
    rows.append([(STAFF["draft"], ticket_data("n", ticket.id))])
    return OutMessage(esc(text), keyboard(rows))


def handoff_relayed(ticket: Ticket, told: int, missed: int) -> str:
    """What the group is told under an answer to a hand-off: how many askers it reached."""
    if told == 0 and missed == 0:
        return STAFF["handoff_kept"].format(n=ticket.handoff_id, id=ticket.id)
    return STAFF["handoff_relayed"].format(
        n=ticket.handoff_id,
        id=ticket.id,
        told=told,
        missed=STAFF["handoff_missed"].format(n=missed) if missed else "",
    )


def tickets_message(tickets: Sequence[Ticket], now: datetime) -> list[OutMessage]:
    """/tickets: one line per open ticket, oldest first."""
    if not tickets:
        return [OutMessage(esc(STAFF["no_tickets"]))]
    lines = [STAFF["tickets"].format(n=len(tickets))]
    for t in tickets:
        opened = datetime.strptime(t.opened_ts, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
        claimed = f"[{t.claimed_by}] " if t.claimed_by else ""
        line = STAFF["ticket_line"].format(
            id=t.id, lang=t.lang, age=_age(now - opened), claimed=claimed, question=quote(t.question, 120)
        )
        lines.append(line)
    return [OutMessage(c) for c in html_chunks("\n".join(lines))]


def _age(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds < 3600:
        return f"{max(seconds // 60, 0)} min"
    if seconds < 86400:
        return f"{seconds // 3600} h"
    return f"{seconds // 86400} d"


def notice_prompt(intent: str, subscribers: int, notice_id: int) -> OutMessage:
    """To admins: an answer changed; notify its subscribers? Send / Skip."""
    rows = [
        [
            (STAFF["notice_send"], notice_data(True, notice_id)),
            (STAFF["notice_skip"], notice_data(False, notice_id)),
        ]
    ]
    return OutMessage(esc(STAFF["notice"].format(intent=intent, n=subscribers)), keyboard(rows))


def update_messages(lang: str, question: str, answer: str) -> list[OutMessage]:
    """To a subscriber: the new answer, with how to stop these messages."""
    p = PT[lang if lang in LANGS else "en"]
    head = f"<b>{esc(p['update'].format(question=quote(question)))}</b>\n\n"
    foot = "\n\n<i>" + esc(p["update_footer"]) + "</i>"
    chunks = html_chunks(answer, MAX_TEXT - (len(head) + len(foot)) * 2)
    chunks[0] = head + chunks[0]
    chunks[-1] += foot
    return [OutMessage(c) for c in chunks]


# Bidirectional controls (embeddings, overrides, isolates, marks): in a name they could reverse
# the ticket's text around it; the press office sees names without them.
BIDI_CONTROLS = dict.fromkeys(
    map(ord, "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)


def user_name(first: str, last: str | None, username: str | None) -> str:
    """A user's Telegram name as the press office sees it (bidi controls removed)."""
    name = label(" ".join(x for x in (first, last) if x).translate(BIDI_CONTROLS))
    return f"{name} (@{username})" if username else name
