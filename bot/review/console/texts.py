"""The console's own words in de, en and zh, chosen from the browser's Accept-Language.

Logged text is never translated or rewritten here; these are labels, headings and messages.
"""

from __future__ import annotations

LANGS = ("en", "de", "zh")

# key: (en, de, zh)
_TEXTS: dict[str, tuple[str, str, str]] = {
    "title": ("Review console", "Review-Konsole", "审阅控制台"),
    "nav": ("Sections", "Bereiche", "栏目"),
    "overview": ("Overview", "Überblick", "概览"),
    "conversations": ("Conversations", "Gespräche", "对话"),
    "unanswered": ("Unanswered", "Unbeantwortet", "未回答"),
    "facts": ("Fact base", "Faktenbasis", "事实库"),
    "thresholds": ("Thresholds", "Schwellen", "阈值"),
    "export": ("Export", "Export", "导出"),
    "sign_out": ("Sign out", "Abmelden", "退出"),
    "sign_in": ("Sign in", "Anmelden", "登录"),
    "signin_help": (
        "Send /console to the bot in a private chat (admins only), or run `python run.py review "
        "login` on the server, and open the link you get. A link works once, for 10 minutes.",
        "Senden Sie /console im privaten Chat an den Bot (nur Admins) oder führen Sie `python run.py "
        "review login` auf dem Server aus, und öffnen Sie den Link. Ein Link gilt einmal, 10 Minuten lang.",
        "在私聊中向机器人发送 /console（仅限管理员），或在服务器上运行 `python run.py review login`，"
        "然后打开得到的链接。链接只能使用一次，有效期 10 分钟。",
    ),
    "signin_confirm": (
        "Sign in to the review console with this link?",
        "Mit diesem Link in der Review-Konsole anmelden?",
        "使用此链接登录审阅控制台？",
    ),
    "link_bad": (
        "This sign-in link is not valid (unknown, used already or expired). Ask for a new one.",
        "Dieser Anmeldelink ist ungültig (unbekannt, schon benutzt oder abgelaufen). "
        "Fordern Sie einen neuen an.",
        "此登录链接无效（未知、已使用或已过期）。请重新获取。",
    ),
    "too_many": (
        "Too many bad sign-in links. Try again in a few minutes.",
        "Zu viele ungültige Anmeldelinks. Versuchen Sie es in einigen Minuten erneut.",
        "无效登录链接过多。请几分钟后再试。",
    ),
    "signed_out": ("You are signed out.", "Sie sind abgemeldet.", "您已退出。"),
    "since": ("From", "Von", "从"),
    "until": ("Until", "Bis", "到"),
    "apply": ("Apply", "Anwenden", "应用"),
    "auto_refresh": (
        "Figures update every {s} seconds.",
        "Die Zahlen werden alle {s} Sekunden aktualisiert.",
        "数据每 {s} 秒更新一次。",
    ),
    "queries": ("Queries", "Anfragen", "提问"),
    "users": ("Users", "Nutzer", "用户"),
    "outcomes": ("Outcomes", "Ergebnisse", "结果"),
    "outcome": ("Outcome", "Ergebnis", "结果"),
    "share": ("Share", "Anteil", "占比"),
    "answered": ("answered", "beantwortet", "已回答"),
    "suggested": ("did you mean", "meinten Sie", "您是想问"),
    "not_stated": ("not stated in the release", "nicht in der Mitteilung", "新闻稿未提及"),
    "unknown": ("known unknown", "bekannt unbekannt", "已知未知"),
    "declined": ("declined", "abgelehnt", "无法回答"),
    "offtopic": ("off-topic", "themenfremd", "无关话题"),
    "smalltalk": ("small talk", "Smalltalk", "闲聊"),
    "other": ("other", "sonstige", "其他"),
    "throttled": ("throttled (not counted as queries)", "gedrosselt (nicht gezählt)", "被限流（不计入提问）"),
    "per_day": ("Per day", "Pro Tag", "按日"),
    "per_language": ("Per language", "Nach Sprache", "按语言"),
    "day": ("Day", "Tag", "日期"),
    "language": ("Language", "Sprache", "语言"),
    "latency": ("Latency", "Antwortzeit", "延迟"),
    "median": ("median", "Median", "中位数"),
    "feedback": ("Feedback", "Rückmeldungen", "反馈"),
    "helpful": ("helpful", "hilfreich", "有帮助"),
    "not_helpful": ("not helpful", "nicht hilfreich", "没有帮助"),
    "tickets": ("Press office tickets", "Tickets der Pressestelle", "新闻办工单"),
    "opened": ("opened", "eröffnet", "已开"),
    "open": ("open", "offen", "未结"),
    "time_to_answer": ("median time to answer", "mediane Antwortzeit", "回复时间中位数"),
    "queries_per_day": ("Queries per day", "Anfragen pro Tag", "每日提问"),
    "search": ("Search text", "Text suchen", "搜索文本"),
    "intent": ("Intent", "Intent", "意图"),
    "any": ("any", "alle", "全部"),
    "time": ("Time (UTC)", "Zeit (UTC)", "时间（UTC）"),
    "user": ("User (pseudonym)", "Nutzer (Pseudonym)", "用户（化名）"),
    "question": ("Question", "Frage", "问题"),
    "reply": ("Reply sent", "Gesendete Antwort", "发送的回复"),
    "confidence": ("Confidence", "Konfidenz", "置信度"),
    "source": ("Source", "Quelle", "来源"),
    "none": ("Nothing in this period.", "Nichts in diesem Zeitraum.", "此期间没有数据。"),
    "more": ("Older", "Ältere", "更早"),
    "cluster_size": ("queries", "Anfragen", "次提问"),
    "nearest": ("nearest intent", "nächster Intent", "最接近的意图"),
    "add_to": ("Add to intent", "Zu Intent hinzufügen", "添加到意图"),
    "add": ("Add", "Hinzufügen", "添加"),
    "draft": ("Draft a new intent", "Neuen Intent entwerfen", "起草新意图"),
    "new_id": ("New intent id", "Neue Intent-ID", "新意图 ID"),
    "topic": ("Topic", "Thema", "主题"),
    "draft_button": ("Draft", "Entwerfen", "起草"),
    "mark_offtopic": ("Mark off-topic", "Als themenfremd markieren", "标记为无关"),
    "to_press": ("Hand to the press office", "An die Pressestelle geben", "转交新闻办"),
    "marked": ("Marked", "Markiert", "已标记"),
    "recent_actions": ("Recent actions", "Letzte Aktionen", "最近操作"),
    "undo": ("Undo", "Rückgängig", "撤销"),
    "undone": ("undone", "rückgängig gemacht", "已撤销"),
    "done_add": (
        "Added to the intent; the bot serves it within seconds.",
        "Zum Intent hinzugefügt; der Bot nutzt es in wenigen Sekunden.",
        "已添加到意图；机器人几秒内生效。",
    ),
    "done_undo": ("Undone.", "Rückgängig gemacht.", "已撤销。"),
    "done_mark": ("Marked.", "Markiert.", "已标记。"),
    "done_press": (
        "Queued for the press office: the bot posts it to the press group within seconds; "
        "until then it can be undone.",
        "Für die Pressestelle vorgemerkt: Der Bot stellt es in wenigen Sekunden in die Gruppe der "
        "Pressestelle; bis dahin lässt es sich rückgängig machen.",
        "已排队转交新闻办：机器人几秒内发到新闻办群组；在此之前可以撤销。",
    ),
    "handoffs": ("Handed to the press office", "An die Pressestelle gegeben", "已转交新闻办"),
    "handoffs_help": (
        "Staff answer in the press group by replying. Askers waiting on a request of their own "
        "with the same question get the answer; nobody else can be reached from the log, so for "
        "them the answer goes to the fact base only.",
        "Die Pressestelle antwortet in ihrer Gruppe per Antwort auf die Nachricht. Wer mit derselben "
        "Frage auf eine eigene Anfrage wartet, erhält die Antwort; alle anderen sind aus dem "
        "Protokoll nicht erreichbar: Für sie fließt die Antwort nur in die Faktenbasis.",
        "新闻办在群组中以回复作答。以同一问题提交过请求且仍在等待的提问者会收到答复；"
        "其他人无法通过日志联系，答复只会进入事实库。",
    ),
    "state": ("State", "Stand", "状态"),
    "asked": ("Asked", "Gefragt", "提问次数"),
    "askers_told": ("Askers reached", "Erreichbare Fragende", "可联系的提问者"),
    "ticket": ("Ticket", "Anfrage", "工单"),
    "state_queued": ("queued", "wartet", "排队中"),
    "state_posted": ("posted", "gepostet", "已发布"),
    "state_answered": ("answered", "beantwortet", "已答复"),
    "state_dismissed": ("dismissed", "abgelehnt", "已驳回"),
    "state_undone": ("undone", "rückgängig gemacht", "已撤销"),
    "error": ("Not done", "Nicht ausgeführt", "未完成"),
    "problems": ("Validation problems", "Validierungsfehler", "验证问题"),
    "facts_ok": ("The fact base validates.", "Die Faktenbasis ist gültig.", "事实库验证通过。"),
    "facts_readonly": (
        "Read only: edit the files in knowledge/.",
        "Nur lesen: bearbeiten Sie die Dateien in knowledge/.",
        "只读：请编辑 knowledge/ 中的文件。",
    ),
    "answer": ("Answer", "Antwort", "回答"),
    "questions": ("Questions", "Fragen", "问题"),
    "kind": ("Kind", "Art", "类型"),
    "threshold": ("Threshold", "Schwelle", "阈值"),
    "coverage": ("coverage", "Abdeckung", "覆盖率"),
    "wrong": ("wrong", "falsch", "错误"),
    "wrong_rate": ("wrong rate", "Fehlerquote", "错误率"),
    "labelled": ("queries with feedback", "Anfragen mit Rückmeldung", "有反馈的提问"),
    "threshold_help": (
        "What each answer threshold would have done to the rated answers.",
        "Was jede Antwortschwelle mit den bewerteten Antworten gemacht hätte.",
        "各回答阈值对已评价回答的影响。",
    ),
    "format": ("Format", "Format", "格式"),
    "download": ("Download", "Herunterladen", "下载"),
    "export_help": (
        "The log with pseudonyms only; in CSV a text a spreadsheet would run as a formula gets a "
        "leading apostrophe.",
        "Das Protokoll nur mit Pseudonymen; in CSV erhält ein Text, den eine Tabelle als Formel "
        "ausführen würde, ein Apostroph.",
        "日志仅含化名；CSV 中可能被电子表格当作公式执行的文本前会加上撇号。",
    ),
    "skip": ("Skip to content", "Zum Inhalt", "跳到内容"),
}

LANG_INDEX = {"en": 0, "de": 1, "zh": 2}


def pick_lang(accept_language: str | None) -> str:
    """de, en or zh: the first the browser prefers (by q), English if none fits."""
    best: list[tuple[float, int, str]] = []
    for n, part in enumerate((accept_language or "").split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                q = float(params[2:])
            except ValueError:
                q = 0.0
        lang = tag.strip().lower()[:2]
        if lang in LANG_INDEX and q > 0:
            best.append((-q, n, lang))
    return min(best)[2] if best else "en"


def texts(lang: str) -> dict[str, str]:
    """Every label in `lang`."""
    i = LANG_INDEX.get(lang, 0)
    return {key: values[i] for key, values in _TEXTS.items()}
