"""The bot's own words (not facts): fallbacks, prompts and labels in de, en and zh."""

from __future__ import annotations

from collections.abc import Mapping

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
    },
}

EXAMPLE_INTENTS = ("agreement", "signing_date", "areas", "witnesses")


def source_label(source: str, lang: str) -> str:
    """Render a paragraph id such as "p2" as a reader's reference in `lang`."""
    ui = UI[lang]
    if source == "title":
        where = ui["title"]
    elif lang == "zh":
        where = ui["paragraph"].format(n=source.lstrip("p"))
    else:
        where = f"{ui['paragraph']} {source.lstrip('p')}"
    return f"{ui['release']}, {where}" if lang != "zh" else f"{ui['release']}，{where}"
