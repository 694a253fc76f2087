"""The press office's words: to stakeholders in de, en and zh (PT), to the press office's group
and to admins in English (STAFF), as the admins' own texts are. Plain text; bot.telegram.format
escapes it.
"""

from __future__ import annotations

from collections.abc import Mapping

PT: Mapping[str, Mapping[str, str]] = {
    "de": {
        "handoff": "📨 Frage an die Pressestelle",
        "contact": "Pressestelle: {contact}",
        "notify": "🔔 Benachrichtigen, wenn sich das ändert",
        "confirm": (
            "Ich leite Ihre Frage an die Pressestelle weiter. Geteilt werden:\n"
            "• die Frage: „{question}“\n• ihre Sprache: {lang}\n• Ihr Telegram-Name: {name}\n\n"
            "Die Antwort kommt hier in diesen Chat. Senden?"
        ),
        "send": "Senden",
        "cancel": "Abbrechen",
        "prompt_open": "Ihre Frage steht in der Nachricht oben: dort senden oder abbrechen.",
        "cancelled": "Abgebrochen, nichts wurde weitergeleitet.",
        "sent": ("Ihre Frage ist bei der Pressestelle (Anfrage {n}). Die Antwort kommt hier in diesen Chat."),
        "already": "Diese Frage ist schon bei der Pressestelle (Anfrage {n}).",
        "limit": (
            "Sie haben schon {n} offene Anfragen bei der Pressestelle. Bitte warten Sie auf eine "
            "Antwort, bevor Sie weitere stellen."
        ),
        "not_yours": "Diese Schaltfläche gehört zu einer anderen Person.",
        "unavailable": "Die Weiterleitung ist gerade nicht möglich. Bitte versuchen Sie es später.",
        "answer": "Antwort der Pressestelle auf Ihre Frage „{question}“:",
        "addition": "Ergänzung der Pressestelle zu Ihrer Frage „{question}“:",
        "dismissed": (
            "Die Pressestelle hat Ihre Frage „{question}“ gelesen, kann sie hier aber nicht beantworten."
        ),
        "subscribed": "Ich sage Ihnen Bescheid, wenn sich diese Antwort ändert. /unsubscribe beendet das.",
        "unsubscribed": "Erledigt: {n} Benachrichtigungen beendet.",
        "update": "Aktualisiert: Die Antwort auf „{question}“ lautet jetzt:",
        "update_footer": "/unsubscribe beendet diese Benachrichtigungen.",
    },
    "en": {
        "handoff": "📨 Ask the press office",
        "contact": "Press office: {contact}",
        "notify": "🔔 Notify me if this changes",
        "confirm": (
            "I will pass your question to the press office. This is what they will see:\n"
            '• the question: "{question}"\n• its language: {lang}\n• your Telegram name: {name}'
            "\n\nThe answer comes back here, in this chat. Send it?"
        ),
        "send": "Send to the press office",
        "cancel": "Cancel",
        "prompt_open": "Your question is in the message above: Send or Cancel there.",
        "cancelled": "Cancelled, nothing was passed on.",
        "sent": "Your question went to the press office (request {n}). The answer will come here.",
        "already": "This question is with the press office already (request {n}).",
        "limit": (
            "You already have {n} open questions with the press office. Please wait for an "
            "answer before you send more."
        ),
        "not_yours": "This button belongs to someone else.",
        "unavailable": "The press office cannot be reached just now. Please try again later.",
        "answer": 'Answer from the press office to your question "{question}":',
        "addition": 'Addition from the press office to your question "{question}":',
        "dismissed": ('The press office has read your question "{question}" but cannot answer it here.'),
        "subscribed": "I'll tell you if this answer changes. /unsubscribe stops that.",
        "unsubscribed": "Done: {n} notifications ended.",
        "update": 'Update: the answer to "{question}" is now:',
        "update_footer": "/unsubscribe ends these notifications.",
    },
    "zh": {
        "handoff": "📨 咨询新闻办公室",
        "contact": "新闻办公室：{contact}",
        "notify": "🔔 答案变更时通知我",
        "confirm": (
            "我会把您的问题转给新闻办公室。对方将看到：\n"
            "• 问题：“{question}”\n• 语言：{lang}\n• 您的Telegram名称：{name}\n\n"
            "答复会发到这个聊天中。确定发送吗？"
        ),
        "send": "发送给新闻办公室",
        "cancel": "取消",
        "prompt_open": "您的问题在上面的消息中：请在那里发送或取消。",
        "cancelled": "已取消，没有转发任何内容。",
        "sent": "您的问题已转给新闻办公室（请求{n}）。答复会发到这里。",
        "already": "这个问题已经在新闻办公室（请求{n}）。",
        "limit": "您在新闻办公室已有{n}个未答复的问题。请先等待答复，再提出新问题。",
        "not_yours": "此按钮属于其他用户。",
        "unavailable": "目前无法联系新闻办公室，请稍后再试。",
        "answer": "新闻办公室对您的问题“{question}”的答复：",
        "addition": "新闻办公室对您的问题“{question}”的补充：",
        "dismissed": "新闻办公室已阅读您的问题“{question}”，但无法在此答复。",
        "subscribed": "这个答案变更时我会通知您。发送 /unsubscribe 可取消。",
        "unsubscribed": "已完成：取消了{n}个通知。",
        "update": "更新：“{question}”的答案现在是：",
        "update_footer": "发送 /unsubscribe 可取消这些通知。",
    },
}

# For the press office's group and the admins; they read English, like bot.telegram.texts.ADMIN.
STAFF = {
    "ticket": "Ticket #{id} · {lang} · from {name}\n\n{question}\n\nBot's best guess: {guess}",
    "no_guess": "none",
    "claim": "✋ Claim",
    "dismiss": "🗑 Dismiss",
    "claimed": "Claimed by {name}. Reply to this message to answer.",
    "dismissed": "Dismissed by {name}.",
    "hint": "Reply to this message to answer the asker.",
    "relayed": "Sent to the asker (ticket #{id}). Into the fact base in one tap:",
    "relayed_more": "Sent to the asker as an addition (ticket #{id}).",
    "add_to": "➕ Add the question to {intent}",
    "draft": "📝 Start a draft intent from this answer",
    "promoted": "Added to {intent} ({lang}) at {path}:{line}; in service now.",
    "drafted": "Draft intent {intent} started at {path}:{line} with this answer ({lang}); "
    "write the other languages and set kind: fact to serve it.",
    "promote_failed": "Not changed: {error}",
    "gone": "The asker's contact was erased (retention or /forget); nothing was sent.",
    "erased": "Ticket #{id}: the asker erased their data with /forget; their question and name "
    "are no longer shown, and replies here reach nobody.",
    "not_sent": "Could not reach the asker: {error}",
    "text_only": "Only text can be relayed; send the answer as a text reply.",
    "closed": "Ticket #{id} is dismissed; nothing was sent.",
    "stale": "This ticket is no longer open.",
    "tickets": "Open tickets: {n}",
    "no_tickets": "No open tickets.",
    "ticket_line": "#{id} · {lang} · {age} · {claimed}{question}",
    "notice": "The answer of {intent} changed. Notify {n} subscriber(s) with the new answer?",
    "notice_send": "Send",
    "notice_skip": "Skip",
    "notice_sending": "Sending the update of {intent} to its subscribers; the progress shows here.",
    "notice_progress": "Sending the update of {intent}: {done} of {total} handled, {sent} told…",
    "notice_resumed": "The update of {intent} was stopped by a restart and resumes: {sent} of "
    "{total} subscriber(s) told before, {left} to go.",
    "notice_sent": "Update of {intent} done: {sent} of {total} subscriber(s) told, {failed} could not "
    "be reached, {dropped} no longer waiting for it.",
    "notice_superseded": "Update of {intent} stopped: the answer changed again or is gone ({sent} of "
    "{total} told). You will be asked about the newer answer.",
    "notice_skipped": "Update of {intent} skipped; nobody was told.",
    "notice_done": "Already decided.",
    # A cluster handed over from the review console: no asker of its own behind it.
    "handoff": "Ticket #{id} · hand-off {n} from the review console · {lang}\n\nAsked {asked} "
    "time(s) by {users} user(s):\n\n{question}{others}\n\nBot's nearest intent, a hint only: {guess}"
    "\n\n{reach}",
    "handoff_others": "\n\nAlso asked as:\n{lines}",
    "handoff_reach": "Your reply also goes to the {n} asker(s) waiting on a request of their own "
    "with this question (ticket {tickets}). The other askers cannot be reached from the log: for "
    "them the answer goes to the fact base only (one tap after you reply).",
    "handoff_nobody": "None of the askers can be reached (the log keeps no contact): your reply "
    "goes to the fact base only, in one tap after you reply.",
    "handoff_relayed": "Recorded for hand-off {n} (ticket #{id}): sent to {told} asker(s){missed}. "
    "Into the fact base in one tap:",
    "handoff_missed": ", {n} could not be reached",
    "handoff_kept": "Recorded for hand-off {n} (ticket #{id}); nobody to tell, so it reaches the fact "
    "base only. In one tap:",
}
