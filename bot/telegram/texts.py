"""The Telegram bot's own words in de, en and zh: the command menu, /help, /privacy, /about and the
short replies to everything that is not a question. Plain text; telegram_format escapes it.

The engine's words (fallbacks, "did you mean", source labels) stay in bot.core.texts.
"""

from __future__ import annotations

from collections.abc import Mapping

from bot.core.lang import LANGS, lang_code

# The command menu, in the order Telegram shows it. Admin commands are published separately.
MENU: Mapping[str, tuple[tuple[str, str], ...]] = {
    "de": (
        ("start", "Begrüßung und Beispielfragen"),
        ("help", "So stellen Sie Fragen"),
        ("topics", "Alle Themen durchblättern"),
        ("lang", "Antwortsprache festlegen (de, en, zh)"),
        ("about", "Über die Pressemitteilung"),
        ("privacy", "Was gespeichert wird und wie lange"),
        ("forget", "Meine gespeicherten Daten löschen"),
    ),
    "en": (
        ("start", "Welcome and example questions"),
        ("help", "How to ask"),
        ("topics", "Browse every topic"),
        ("lang", "Pin the reply language (de, en, zh)"),
        ("about", "About the press release"),
        ("privacy", "What is logged and for how long"),
        ("forget", "Erase my logged data"),
    ),
    "zh": (
        ("start", "欢迎和示例问题"),
        ("help", "如何提问"),
        ("topics", "按主题浏览"),
        ("lang", "设置回复语言（de、en、zh）"),
        ("about", "关于这篇新闻稿"),
        ("privacy", "记录哪些数据、保存多久"),
        ("forget", "删除我的记录"),
    ),
}
ADMIN_MENU: tuple[tuple[str, str], ...] = (
    ("stats", "Admin: summary of the conversation log"),
    ("unanswered", "Admin: top unanswered question clusters"),
    ("reload", "Admin: reload the fact base now"),
    ("console", "Admin: a sign-in link for the review console"),
)

LANG_NAMES = {"de": "Deutsch", "en": "English", "zh": "中文"}

T: Mapping[str, Mapping[str, str]] = {
    "de": {
        "greeting": (
            "Hallo! Ich beantworte Fragen zu einer Pressemitteilung – auf Deutsch, Englisch oder "
            "Chinesisch. Schreiben Sie einfach Ihre Frage."
        ),
        "ask": "Schreiben Sie eine Frage zur Pressemitteilung.",
        "knows": "Ich weiß etwas über: {topics}.",
        "examples": "Zum Beispiel:",
        "help": (
            "{ask} Ich antworte in der Sprache Ihrer Frage.\n\n"
            "/topics – alle Themen durchblättern\n"
            "/lang – Antwortsprache festlegen\n"
            "/about – über die Quelle\n"
            "/privacy – was gespeichert wird\n"
            "/forget – Ihre gespeicherten Daten löschen\n\n"
            "In Gruppen antworte ich, wenn Sie mich erwähnen (@{bot}) oder auf meine Nachricht "
            "antworten. In jedem Chat: „@{bot} Ihre Frage“."
        ),
        "topics": "Wählen Sie ein Thema:",
        "topic": "{topic} – wählen Sie eine Frage:",
        "back": "« Alle Themen",
        "lang_prompt": "In welcher Sprache soll ich antworten? Jetzt: {current}.",
        "lang_auto_name": "wie die Frage",
        "lang_auto": "Automatisch (wie die Frage)",
        "lang_set": "Ich antworte jetzt auf Deutsch.",
        "lang_follow": "Ich antworte jetzt in der Sprache Ihrer Frage.",
        "about": (
            "Quelle aller Antworten ist eine einzige Pressemitteilung. Ich antworte nur, was darin steht."
        ),
        "about_kb": "Wissensbasis: {n} Themen, {q} Fragen.",
        "privacy": (
            "Was ich speichere: Ihre Fragen und meine Antworten, die erkannte Sprache, das "
            "gefundene Thema, die Antwortzeit und Ihre 👍/👎-Bewertungen – mit einem Pseudonym "
            "statt Ihrer Telegram-ID (die ID selbst wird nie gespeichert). Wozu: damit das "
            "Kommunikationsteam sieht, welche Fragen noch fehlen. Wie lange: {days} Tage, dann "
            "wird automatisch gelöscht. Löschen: /forget entfernt sofort alles von Ihnen.\n\n"
            "Ausnahme: Wenn Sie eine Frage an die Pressestelle senden oder um Benachrichtigung "
            "bitten, speichere ich Ihre Chat-ID, damit die Antwort Sie erreicht – bis die Anfrage "
            "geschlossen ist (plus Aufbewahrungsfrist) bzw. die Benachrichtigung endet. /forget "
            "löscht auch das, /unsubscribe beendet Benachrichtigungen."
        ),
        "forget_prompt": "Alle gespeicherten Fragen, Antworten und Bewertungen von Ihnen löschen?",
        "forget_yes": "Ja, löschen",
        "forget_no": "Abbrechen",
        "forget_done": "Erledigt: {n} Einträge gelöscht.",
        "forget_cancelled": "Abgebrochen, nichts gelöscht.",
        "forget_failed": "Das Löschen ist gerade nicht möglich. Bitte versuchen Sie es später.",
        "flood": (
            "Sie senden sehr viele Nachrichten. Bitte warten Sie eine Minute und fragen Sie "
            "dann erneut – ich beantworte eine Frage nach der anderen."
        ),
        "unknown_command": "Diesen Befehl kenne ich nicht. /help zeigt, was ich kann.",
        "non_text": "Ich kann nur Text lesen. Bitte schreiben Sie Ihre Frage.",
        "stale": "Diese Schaltfläche ist veraltet. Bitte stellen Sie Ihre Frage erneut.",
        "thanks": "Danke für Ihre Bewertung!",
        "vote_not_yours": "Bewerten kann nur, wer diese Antwort erhalten hat.",
        "ask_private": "Das zeige ich nur im privaten Chat. Bitte fragen Sie mich dort.",
        "not_yours": "Diese Schaltflächen gehören zu einer anderen Person. Senden Sie selbst /forget.",
        "error": (
            "Entschuldigung, bei mir ist etwas schiefgegangen. Bitte versuchen Sie es gleich noch einmal."
        ),
    },
    "en": {
        "greeting": (
            "Hello! I answer questions about one press release – in German, English or Chinese. "
            "Just type your question."
        ),
        "ask": "Type a question about the press release.",
        "knows": "I know about: {topics}.",
        "examples": "For example:",
        "help": (
            "{ask} I answer in the language of your question.\n\n"
            "/topics – browse every topic\n"
            "/lang – pin the reply language\n"
            "/about – about the source\n"
            "/privacy – what is logged\n"
            "/forget – erase your logged data\n\n"
            "In groups I answer when you mention me (@{bot}) or reply to my message. In any "
            'chat: "@{bot} your question".'
        ),
        "topics": "Pick a topic:",
        "topic": "{topic} – pick a question:",
        "back": "« All topics",
        "lang_prompt": "Which language should I answer in? Now: {current}.",
        "lang_auto_name": "same as the question",
        "lang_auto": "Automatic (same as the question)",
        "lang_set": "I'll answer in English from now on.",
        "lang_follow": "I'll answer in the language of your question from now on.",
        "about": "Every answer comes from one source: a press release. I only say what it says.",
        "about_kb": "Fact base: {n} topics, {q} questions.",
        "privacy": (
            "What I keep: your questions and my answers, the detected language, the matched "
            "topic, the response time and your 👍/👎 votes – under a pseudonym instead of your "
            "Telegram id (the id itself is never stored). Why: so the communications team can "
            "see which questions are still missing. How long: {days} days, then it is deleted "
            "automatically. Erasing: /forget removes everything of yours at once.\n\n"
            "One exception: when you send a question to the press office or ask to be notified, "
            "I keep your chat id so that the answer reaches you – until the request is closed "
            "(plus a retention period) or the notification ends. /forget erases that too, "
            "/unsubscribe ends notifications."
        ),
        "forget_prompt": "Erase all your logged questions, answers and votes?",
        "forget_yes": "Yes, erase",
        "forget_no": "Cancel",
        "forget_done": "Done: {n} entries erased.",
        "forget_cancelled": "Cancelled, nothing erased.",
        "forget_failed": "Erasing is not possible right now. Please try again later.",
        "flood": (
            "You're sending a lot of messages. Please wait a minute, then ask again – I answer "
            "one question at a time."
        ),
        "unknown_command": "I don't know that command. /help lists what I can do.",
        "non_text": "I can only read text. Please type your question.",
        "stale": "This button is out of date. Please ask your question again.",
        "thanks": "Thanks for your feedback!",
        "vote_not_yours": "Only the person this answer was for can rate it.",
        "ask_private": "I only show that in a private chat. Please ask me there.",
        "not_yours": "These buttons belong to someone else. Send /forget yourself.",
        "error": "Sorry, something went wrong on my side. Please try again in a moment.",
    },
    "zh": {
        "greeting": "您好！我可以回答有关一篇新闻稿的问题，支持德语、英语和中文。请直接输入您的问题。",
        "ask": "请输入关于这篇新闻稿的问题。",
        "knows": "我了解：{topics}。",
        "examples": "例如：",
        "help": (
            "{ask}我会用您提问的语言回答。\n\n"
            "/topics – 按主题浏览\n"
            "/lang – 设置回复语言\n"
            "/about – 关于信息来源\n"
            "/privacy – 记录哪些数据\n"
            "/forget – 删除您的记录\n\n"
            "在群组中，请提及我（@{bot}）或回复我的消息。在任何聊天中都可以输入“@{bot} 您的问题”。"
        ),
        "topics": "请选择主题：",
        "topic": "{topic} – 请选择问题：",
        "back": "« 所有主题",
        "lang_prompt": "您希望我用哪种语言回答？当前：{current}。",
        "lang_auto_name": "与问题相同",
        "lang_auto": "自动（与问题语言相同）",
        "lang_set": "今后我将用中文回答。",
        "lang_follow": "今后我将用您提问的语言回答。",
        "about": "所有回答都来自同一个来源：一篇新闻稿。我只回答新闻稿中提到的内容。",
        "about_kb": "知识库：{n}个主题，{q}个问题。",
        "privacy": (
            "我保存的内容：您的问题和我的回答、识别出的语言、匹配的主题、响应时间以及您的👍/👎评价，"
            "使用假名而不是您的Telegram ID（ID本身从不保存）。"
            "目的：让传播团队了解还缺少哪些问题的答案。"
            "保存期限：{days}天，之后自动删除。删除：/forget 会立即删除您的所有记录。\n\n"
            "例外：当您把问题发送给新闻办公室或要求接收通知时，我会保存您的聊天ID，以便答复能送达您——"
            "直到请求关闭（外加保留期）或通知结束。/forget 也会删除这些数据，/unsubscribe 可取消通知。"
        ),
        "forget_prompt": "删除您所有已记录的问题、回答和评价吗？",
        "forget_yes": "是，删除",
        "forget_no": "取消",
        "forget_done": "已完成：删除了{n}条记录。",
        "forget_cancelled": "已取消，没有删除任何内容。",
        "forget_failed": "暂时无法删除，请稍后再试。",
        "flood": "您发送的消息太多了。请等一分钟后再提问——我会逐一回答。",
        "unknown_command": "我不认识这个命令。/help 可查看我能做什么。",
        "non_text": "我只能阅读文字。请输入您的问题。",
        "stale": "此按钮已过期。请重新提问。",
        "thanks": "感谢您的评价！",
        "vote_not_yours": "只有收到此回答的用户才能评价。",
        "ask_private": "此内容只在私聊中显示。请在私聊中问我。",
        "not_yours": "这些按钮属于其他用户。请自己发送 /forget。",
        "error": "抱歉，我这边出了点问题。请稍后再试。",
    },
}

# For admins only; they read English.
ADMIN = {
    "reload_ok": "Fact base in service: {summary}\nChanges: {changes}",
    "reload_failed": "The fact base was NOT reloaded; the previous version stays in service. "
    "Fix these problems and /reload again:",
    "alert": "Bot error (shown once): {error}",
    "reload_more": "... and {n} more; run `python run.py validate` for the full list",
    "returned": "The fact folder is back (or was replaced); the watcher follows it again.",
    "training_failed": "Training the learned model for the fact base in service failed:",
    "store_alert": "Conversation log: {message}",
    "request_failed": "{what} failed, and the user was asked to try again later: {error}\n"
    "(shown once) If the database's files or their folder changed owner or mode, give them back "
    "to the user the bot runs as.",
    "tickets_kept": "After a /forget, {n} ticket message(s) in the press group still show the "
    "erased question (message ids {ids}: {error}); delete them there by hand.",
    "inbox_alert": "Incoming updates: {message}",
}


def pick_lang(pinned: str | None, language_code: str | None) -> str:
    """The language of the bot's own words: the pinned one, else the client's, else English."""
    if pinned in LANGS:
        return str(pinned)
    return lang_code(language_code) or "en"
