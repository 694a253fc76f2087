"""The bot's own words (not facts): fallbacks, prompts and labels in de, en and zh."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from bot.knowledge.model import Release, ReleaseText

UI: Mapping[str, Mapping[str, str]] = {
    "de": {
        "fallback": (
            "Dazu kann ich aus der Pressemitteilung nichts sagen – entweder steht es nicht darin, "
            "oder ich habe die Frage nicht verstanden. {scope} Beispiele:"
        ),
        "empty": "Bitte schreiben Sie eine Frage, z. B.:",
        "suggest": "Ich bin nicht sicher, was Sie meinen. Meinten Sie:",
        "source": "Quelle",
        "release": "Pressemitteilung",
        "scope": "Ich beantworte Fragen zu der Pressemitteilung, über die ich Bescheid weiß.",
        "paragraph": "Abs.",
        "title": "Überschrift",
        "see_also": "Siehe auch",
        "not_stated": "Das steht nicht in der Pressemitteilung. Was sie dazu sagt:",
        "not_stated_part": "Nicht in der Pressemitteilung: {aspects}.",
        "premise": "Die Pressemitteilung erwähnt {items} nicht. Was sie dazu sagt:",
        "unmentioned": "Die Pressemitteilung erwähnt {items} nicht.",
        "you_could_ask": "Sie könnten fragen:",
        "no_others": "Weitere Personen nennt die Pressemitteilung nicht. Sie nennt:",
        "no_other_orgs": "Weitere Unternehmen nennt die Pressemitteilung nicht. Was sie sagt:",
        "offtopic": "Das gehört nicht zu meinem Thema. {scope} Zum Beispiel:",
        "and": "und",
        "no_more": "Mehr sagt die Pressemitteilung dazu nicht. Weitere Fragen:",
    },
    "en": {
        "fallback": (
            "I can't answer that from the press release: either it does not say, or I did not "
            "understand the question. {scope} For example:"
        ),
        "empty": "Please type a question, for example:",
        "suggest": "I'm not sure what you mean. Did you mean:",
        "source": "Source",
        "release": "press release",
        "scope": "I answer questions about the press release I know.",
        "paragraph": "para.",
        "title": "headline",
        "see_also": "See also",
        "not_stated": "The press release does not say that. What it does say:",
        "not_stated_part": "Not in the press release: {aspects}.",
        "premise": "The press release does not mention {items}. What it does say:",
        "unmentioned": "The press release does not mention {items}.",
        "you_could_ask": "You could ask:",
        "no_others": "The press release does not name anyone else. Whom it does name:",
        "no_other_orgs": "The press release names no other company. What it does say:",
        "offtopic": "That is outside what I cover. {scope} For example:",
        "and": "and",
        "no_more": "The press release says no more about that. You could ask:",
    },
    "zh": {
        "fallback": "新闻稿中没有相关信息，或者我没有理解您的问题。{scope}例如：",
        "empty": "请输入您的问题，例如：",
        "suggest": "我不太确定您的意思。您是想问：",
        "source": "来源",
        "release": "新闻稿",
        "scope": "我可以回答关于我所了解的新闻稿的问题。",
        "paragraph": "第{n}段",
        "title": "标题",
        "see_also": "相关问题",
        "not_stated": "新闻稿中没有提到这一点。新闻稿中相关的内容是：",
        "not_stated_part": "新闻稿未提及：{aspects}。",
        "premise": "新闻稿没有提到{items}。新闻稿中相关的内容是：",
        "unmentioned": "新闻稿没有提到{items}。",
        "you_could_ask": "您可以问：",
        "no_others": "新闻稿没有提到其他人。新闻稿中提到的是：",
        "no_other_orgs": "新闻稿没有提到其他企业或机构。新闻稿中相关的内容是：",
        "offtopic": "这不在我能回答的范围内。{scope}例如：",
        "and": "和",
        "no_more": "关于这一点，新闻稿没有更多内容。您还可以问：",
    },
}


# What a detail question asks for, as the honest line names it ("Not in the press release: where").
ASPECTS: Mapping[str, Mapping[str, str]] = {
    "de": {
        "person": "wer",
        "place": "wo",
        "city": "welche Stadt",
        "venue": "der genaue Ort",
        "date": "wann",
        "time": "die Uhrzeit",
        "number": "wie viele",
        "money": "welcher Betrag",
        "age": "das Alter",
        "personal": "persönliche Angaben (etwa Herkunft, Familie, Studium, Auto, Hobbys)",
        "career": "Vorgänger, Nachfolger und frühere Ämter",
        "employment": "offene Stellen, Bewerbungen, Gehälter und Arbeitsbedingungen",
        "day": "der genaue Tag",
        "quote": "was gesagt wurde",
        "future": "künftige Termine und Pläne",
        "rank": "ob es die erste, einzige oder größte ihrer Art ist",
    },
    "en": {
        "person": "who",
        "place": "where",
        "city": "which city",
        "venue": "the exact venue",
        "date": "when",
        "time": "the time of day",
        "number": "how many",
        "money": "the amount",
        "age": "anyone's age",
        "personal": "personal details (such as nationality, family, studies, car, hobbies)",
        "career": "predecessors, successors and earlier posts",
        "employment": "vacancies, applications, pay and working conditions",
        "day": "the exact day",
        "quote": "what was said",
        "future": "future dates and plans",
        "rank": "whether it is the first, only or biggest of its kind",
    },
    "zh": {
        "person": "具体人员",
        "place": "地点",
        "city": "城市",
        "venue": "具体场所",
        "date": "时间",
        "time": "具体时刻",
        "number": "数量",
        "money": "金额",
        "age": "年龄",
        "personal": "个人信息（如国籍、家庭、学历、座驾、爱好）",
        "career": "前任、继任者及此前职务",
        "employment": "招聘、求职、薪酬和工作条件",
        "day": "具体日期",
        "quote": "发言内容",
        "future": "今后的安排",
        "rank": "是否为首个、唯一或最大的同类协议",
    },
}


def release_text(release: Release, key: ReleaseText, lang: str) -> str:
    """The announcement's own text for `key` (knowledge/release.yaml), else the bot's generic one."""
    found = release.text(key, lang)
    if found is not None:
        return found
    return UI[lang].get("release" if key in ("source", "title") else key, "")


def ui_text(release: Release, key: str, lang: str) -> str:
    """A text of the bot's own, with the announcement's scope filled in where it has a place."""
    return UI[lang][key].replace("{scope}", release_text(release, "scope", lang))


def source_text(sources: Sequence[str], lang: str, release: Release) -> str:
    """One reference for paragraph ids such as ("p2", "p4"): the release named once, then the
    paragraphs ("<the release's source label>, para. 2 and 4")."""
    ui = UI[lang]
    numbers = [s.lstrip("p") for s in sources if s != "title"]
    parts = [ui["title"]] if "title" in sources else []
    if numbers:
        if lang == "zh":
            parts.append(ui["paragraph"].format(n="、".join(numbers)))
        else:
            joined = (
                numbers[0] if len(numbers) == 1 else (", ".join(numbers[:-1]) + f" {ui['and']} {numbers[-1]}")
            )
            parts.append(f"{ui['paragraph']} {joined}")
    label = release_text(release, "source", lang)
    if lang == "zh":
        return label + "，" + "，".join(parts)
    return label + ", " + ", ".join(parts)


# Where a sentence ends: after ". ! ?" and before a capital or an opening quote, not after a day
# ("am 20. Juni") or an abbreviation of a title or a company form ("Dr. Smith", "Co., Ltd. und");
# after "。！？".
_SENTENCE_END = re.compile(
    r"(?<![A-Z])(?<!\b[0-9])(?<!\b[0-9][0-9])(?<!\bDr)(?<!\bCo)(?<!\bLtd)(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bNr)(?<!\bAbs)(?<!\bca)(?<!\bSt)"
    r"(?<!\bProf)(?<!\bbzw)[.!?][\"“”„]?\s+(?=[A-ZÄÖÜ„\"“])|(?<=[。！？])"
)
_QUOTES = {"„": "“", "“": "”", '"': '"'}


def first_sentence(text: str) -> str:
    """The first sentence of an answer, or the whole where that would cut a quote in two."""
    for found in _SENTENCE_END.finditer(text):
        head = text[: found.end()].strip()
        if head and head != text.strip() and _quotes_closed(head):
            return head
    return text


def _quotes_closed(text: str) -> bool:
    """True when every quote opened in `text` is closed in it."""
    depth = 0
    for char in text:
        if char == '"':
            depth = 0 if depth else 1
        elif char in "„“" and (char == "„" or depth == 0):
            depth += 1 if char == "„" or depth == 0 else 0
        elif char in "“”" and depth:
            depth -= 1
    return depth == 0
