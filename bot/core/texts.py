"""The bot's own words (not facts): fallbacks, prompts and labels in de, en and zh."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

RELEASE_TITLE = {
    "de": "Siemens unterzeichnet Rahmenvereinbarung zur strategischen Zusammenarbeit mit Chongqing",
    "en": "Siemens signs strategic cooperation framework agreement with Chongqing",
    "zh": "西门子与重庆市人民政府签署战略合作框架协议",
}

UI: Mapping[str, Mapping[str, str]] = {
    "de": {
        "fallback": (
            "Dazu kann ich aus der Pressemitteilung nichts sagen – entweder steht es nicht darin, "
            "oder ich habe die Frage nicht verstanden. Ich beantworte Fragen zur Rahmenvereinbarung "
            "zwischen Siemens und der Stadtregierung Chongqing: Unterzeichnung, Beteiligte, "
            "Bereiche, Ziele und die Geschichte von Siemens in Chongqing. Beispiele:"
        ),
        "empty": "Bitte schreiben Sie eine Frage, z. B.:",
        "suggest": "Ich bin nicht sicher, was Sie meinen. Meinten Sie:",
        "source": "Quelle",
        "release": "Siemens-Pressemitteilung vom 25. Juni 2024",
        "paragraph": "Abs.",
        "title": "Überschrift",
        "see_also": "Siehe auch",
        "not_stated": "Das steht nicht in der Pressemitteilung. Was sie dazu sagt:",
        "not_stated_part": "Nicht in der Pressemitteilung: {aspects}.",
        "offtopic": (
            "Das gehört nicht zu meinem Thema. Ich beantworte Fragen zur Vereinbarung zwischen "
            "Siemens und der Stadt Chongqing vom Juni 2024, zum Beispiel:"
        ),
        "and": "und",
    },
    "en": {
        "fallback": (
            "I can't answer that from the press release: either it does not say, or I did not "
            "understand the question. I answer questions about the framework agreement between "
            "Siemens and the Chongqing Municipal People's Government: the signing, the people, "
            "the areas, the goals and Siemens' history in Chongqing. For example:"
        ),
        "empty": "Please type a question, for example:",
        "suggest": "I'm not sure what you mean. Did you mean:",
        "source": "Source",
        "release": "Siemens press release of 25 June 2024",
        "paragraph": "para.",
        "title": "headline",
        "see_also": "See also",
        "not_stated": "The press release does not say that. What it does say:",
        "not_stated_part": "Not in the press release: {aspects}.",
        "offtopic": (
            "That is outside what I cover. I answer questions about the June 2024 agreement between "
            "Siemens and the city of Chongqing, for example:"
        ),
        "and": "and",
    },
    "zh": {
        "fallback": (
            "新闻稿中没有相关信息，或者我没有理解您的问题。我可以回答关于西门子与重庆市人民政府"
            "战略合作框架协议的问题：签约、相关人物、合作领域、目标以及西门子在重庆的发展历程。例如："
        ),
        "empty": "请输入您的问题，例如：",
        "suggest": "我不太确定您的意思。您是想问：",
        "source": "来源",
        "release": "西门子2024年6月25日新闻稿",
        "paragraph": "第{n}段",
        "title": "标题",
        "see_also": "相关问题",
        "not_stated": "新闻稿中没有提到这一点。新闻稿中相关的内容是：",
        "not_stated_part": "新闻稿未提及：{aspects}。",
        "offtopic": "这不在我能回答的范围内。我回答关于西门子与重庆市2024年6月所签协议的问题，例如：",
        "and": "和",
    },
}

EXAMPLE_INTENTS = ("agreement", "signing_date", "areas", "witnesses")


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
    },
}


def source_text(sources: Sequence[str], lang: str) -> str:
    """One reference for paragraph ids such as ("p2", "p4"): the release named once, then the
    paragraphs ("Siemens press release of 25 June 2024, para. 2 and 4")."""
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
    if lang == "zh":
        return ui["release"] + "，" + "，".join(parts)
    return ui["release"] + ", " + ", ".join(parts)
