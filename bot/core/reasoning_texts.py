"""The words of answers computed from typed facts, in de, en and zh (pure; generic: the facts fill
in every name, date and list). Kept apart from texts.py so each file stays small."""

from __future__ import annotations

from collections.abc import Mapping

MONTHS: Mapping[str, tuple[str, ...]] = {
    "de": (
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "zh": tuple(f"{n}月" for n in range(1, 13)),
}

# Small counts written out in prose ("names two signatories", "共两位"); larger ones in digits.
COUNT_WORDS: Mapping[str, tuple[str, ...]] = {
    "de": ("", "", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn", "elf", "zwölf"),
    "en": (
        "",
        "",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
    ),
    "zh": ("", "", "两", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"),
}


def count_word(n: int, lang: str) -> str:
    """A count of two to twelve as a word in `lang`, others in digits."""
    words = COUNT_WORDS[lang]
    return words[n] if 2 <= n < len(words) else str(n)


T: Mapping[str, Mapping[str, str]] = {
    "de": {
        "on": "am {date}",
        "in": "im Jahr {date}",
        "yes_when": "Ja – {name}: {when}.",
        "event_when": "{name}: {when}.",
        "weekday": "{name}: {when}, ein {weekday}.",
        "no_when": "Nein – {name}: {when}.",
        "years": "{a} und {b} liegen {n} Jahre auseinander.",
        "year_one": "{a} und {b} liegen ein Jahr auseinander.",
        "days": "{a} und {b} liegen {n} Tage auseinander.",
        "first": "Zuerst kam {a}, danach {b}.",
        "earliest": "Das früheste Ereignis, das die Pressemitteilung nennt: {a}.",
        "timeline": "Die datierten Ereignisse der Pressemitteilung, der Reihe nach:",
        "deed_choice": "{person} {did} und {did_not}.",
        "name_in": "Auf {language}: {name}",
        "name_here": " (auf Deutsch: {name})",
        "latest_before": "{b}: {when}; das letzte Ereignis davor, das die Pressemitteilung nennt: {a}.",
        "yes": "Ja – ",
        "no": "Nein – ",
        "before_fact": "{a} war früher als {b}.",
        "after_fact": "{a} war später als {b}.",
        "same": "{a} und {b} fallen auf dasselbe Datum.",
        "count": "Die Pressemitteilung nennt {n} {who}: {names}.",
        "people": "Personen",
        "people_of": "Personen ({org})",
        "people_deed": "{deed}",
        "one": "Die Pressemitteilung nennt nur eine Person: {names}.",
        "one_of": "Die Pressemitteilung nennt nur eine Person ({org}): {names}.",
        "one_deed": "Die Pressemitteilung nennt nur eine Person ({deed}): {names}.",
        "people_of_deed": "{deed} ({org})",
        "one_of_deed": "Unter den genannten Personen ({deed}) ist nur eine von {org}: {names}.",
        "yes_deed": "Ja – {person} {deed}.",
        "no_deed": "Nein – {person} {deed_not}. {others}",
        "no_role": "Nein – die Pressemitteilung nennt {person}.",
        "not_same": "Nein – {a} und {b} sind zwei verschiedene Personen.",
        "besides": "Außer {person}: {names} {did}.",
        "item_at": "{list}, wie die Pressemitteilung sie aufzählt: an {place} Stelle {item}.",
        "nth_place": "{n}.",
        "last_place": "letzter",
        "all_items": "(Alle: {items}.)",
        "besides_none": "Außer {person} nennt die Pressemitteilung niemanden: {label} {names}.",
        "no_title_doer": "So steht es nicht in der Pressemitteilung: Keiner der Genannten hat diesen Titel.",
        "not_said": "Das steht so nicht in der Pressemitteilung: ",
        "not_of_person": "Das sagt die Pressemitteilung nicht von {person}, sondern:",
        "role_is": "Sie nennt {person}.",
        "other_side": "{person} {deed} – für {own}. Für {side}: {names}.",
        "premise_deed": ("Das steht so nicht in der Pressemitteilung: {person} {deed_not}. {others}"),
        "all_yes": "Ja – {role} kamen alle von {org}: {names}.",
        "all_no": "Nein – {role}: {names}.",
        "member_yes": "Ja – {item} gehört dazu. {list}: {items}.",
        "member_no": "Nein – als Teil davon nennt die Pressemitteilung das nicht. {list}: {items}.",
        "member_other": "Nein – die Pressemitteilung nennt: {item}. {list}: {items}.",
        "focus_no": (
            "Das steht so nicht in der Pressemitteilung: einen solchen Schwerpunkt nennt sie nicht. "
            "{list}: {items}."
        ),
        "place": (
            "Die Pressemitteilung handelt von einer Vereinbarung mit {party}; {place} kommt darin "
            "so nicht vor. Was sie dazu sagt:"
        ),
        "place_within": "{place} steht dort nur im Namen von {inside}.",
        "place_wider": (
            "Dazu sagt die Pressemitteilung nichts: sie spricht nur von {party}, nicht von {place} "
            "insgesamt. Was sie zu {party} sagt:"
        ),
        "where_lies": "Wo {party} liegt, sagt die Pressemitteilung nur an dieser Stelle:",
        "key_facts": "Die wichtigsten Fakten der Pressemitteilung:",
        "signed_by": "Unterzeichnet von",
        "witnessed_by": "Zeugen",
        "quoted": "Zitiert wird",
        "and": "und",
    },
    "en": {
        "on": "on {date}",
        "in": "in {date}",
        "yes_when": "Yes – {name}: {when}.",
        "event_when": "{name}: {when}.",
        "weekday": "{name}: {when}, a {weekday}.",
        "no_when": "No – {name}: {when}.",
        "years": "{n} years passed between {a} and {b}.",
        "year_one": "One year passed between {a} and {b}.",
        "days": "{n} days passed between {a} and {b}.",
        "first": "{a} came first; {b} followed.",
        "earliest": "The earliest event the release names: {a}.",
        "timeline": "The dated events the release names, in order:",
        "deed_choice": "{person} {did} and {did_not}.",
        "name_in": "In {language}: {name}",
        "name_here": " (in English: {name})",
        "latest_before": "{b}: {when}; the last event before it that the release names: {a}.",
        "yes": "Yes – ",
        "no": "No – ",
        "before_fact": "{a} came before {b}.",
        "after_fact": "{a} came after {b}.",
        "same": "{a} and {b} fall on the same date.",
        "count": "The press release names {n} {who}: {names}.",
        "people": "people",
        "people_of": "people from {org}",
        "people_deed": "{deed}",
        "one": "The press release names only one person: {names}.",
        "one_of": "The press release names only one person from {org}: {names}.",
        "one_deed": "The press release names only one person who {deed}: {names}.",
        "people_of_deed": "{deed} from {org}",
        "one_of_deed": "Of the {deed} the press release names, only one is from {org}: {names}.",
        "yes_deed": "Yes – {person} {deed}.",
        "no_deed": "No – {person} {deed_not}. {others}",
        "no_role": "No – the press release names {person}.",
        "not_same": "No – {a} and {b} are two different people.",
        "besides": "Besides {person}: {names} {did}.",
        "item_at": "{list}, in the order the release names them: {place} is {item}.",
        "nth_place": "number {n}",
        "last_place": "the last",
        "all_items": "(All of them: {items}.)",
        "besides_none": "The press release names no one besides {person}: {label} {names}.",
        "no_title_doer": "Not so in the press release: none of those it names holds that title.",
        "not_said": "The press release does not say that: ",
        "not_of_person": "The press release does not say that of {person}; what it says:",
        "role_is": "it names {person}.",
        "other_side": "{person} {deed} on behalf of {own}. On behalf of {side}: {names}.",
        "premise_deed": "The press release does not say that: {person} {deed_not}. {others}",
        "all_yes": "Yes – {role} all came from {org}: {names}.",
        "all_no": "No – {role}: {names}.",
        "member_yes": "Yes – {item} is one of them. {list}: {items}.",
        "member_no": "No – the press release does not name that as part of it. {list}: {items}.",
        "member_other": "No – the press release names {item}. {list}: {items}.",
        "focus_no": "The press release does not say that: it names no such focus. {list}: {items}.",
        "place": (
            "The press release covers an agreement with {party} only; it does not name {place} "
            "that way. What it does say:"
        ),
        "place_within": "{place} appears only in the name of {inside}.",
        "place_wider": (
            "The press release does not say that: it speaks of {party} only, not of {place} as a "
            "whole. What it says about {party}:"
        ),
        "where_lies": "The press release says where {party} lies only here:",
        "key_facts": "The key facts of the press release:",
        "signed_by": "Signed by",
        "witnessed_by": "Witnessed by",
        "quoted": "Quoted",
        "and": "and",
    },
    "zh": {
        "on": "{date}",
        "in": "{date}",
        "yes_when": "是的。{name}：{when}。",
        "event_when": "{name}：{when}。",
        "weekday": "{name}：{when}，{weekday}。",
        "no_when": "不是。{name}：{when}。",
        "years": "从{a}到{b}相隔{n}年。",
        "year_one": "从{a}到{b}相隔1年。",
        "days": "从{a}到{b}相隔{n}天。",
        "first": "先是{a}，后是{b}。",
        "earliest": "新闻稿提到的最早的事件：{a}。",
        "timeline": "新闻稿提到的有日期的事件，按时间顺序：",
        "deed_choice": "{person}{did}，{did_not}。",
        "name_in": "{language}：{name}",
        "name_here": "（中文：{name}）",
        "latest_before": "{b}：{when}；新闻稿提到的此前最后一件事：{a}。",
        "yes": "是的。",
        "no": "不是。",
        "before_fact": "{a}早于{b}。",
        "after_fact": "{a}晚于{b}。",
        "same": "{a}和{b}在同一天。",
        "count": "新闻稿中提到的{who}共{n}位：{names}。",
        "people": "人物",
        "people_of": "{org}人物",
        "people_deed": "{deed}",
        "one": "新闻稿中只提到一位人物：{names}。",
        "one_of": "新闻稿中提到的{org}人物只有一位：{names}。",
        "one_deed": "新闻稿中提到的{deed}只有一位：{names}。",
        "people_of_deed": "{org}方面的{deed}",
        "one_of_deed": "新闻稿提到的{deed}中，来自{org}的只有一位：{names}。",
        "yes_deed": "是的。{person}{deed}。",
        "no_deed": "不是。{person}{deed_not}。{others}",
        "no_role": "不是。新闻稿中为{person}。",
        "not_same": "不是。{a}和{b}是两个不同的人。",
        "besides": "除{person}外，{names}{did}。",
        "item_at": "按新闻稿列出的顺序，{list}中{place}是{item}。",
        "nth_place": "第{n}项",
        "last_place": "最后一项",
        "all_items": "（全部：{items}。）",
        "besides_none": "除{person}外，新闻稿没有提到其他人。{label}：{names}。",
        "no_title_doer": "新闻稿中并非如此：其中提到的人员没有人担任该职务。",
        "not_said": "新闻稿中没有这样说：",
        "not_of_person": "新闻稿中没有这样说{person}。新闻稿的说法是：",
        "role_is": "新闻稿中为{person}。",
        "other_side": "{person}代表{own}{deed}。代表{side}的是{names}。",
        "premise_deed": "新闻稿中没有这样说：{person}{deed_not}。{others}",
        "all_yes": "是的。{role}都来自{org}：{names}。",
        "all_no": "不是。{role}：{names}。",
        "member_yes": "是的，{item}属于其中。{list}：{items}。",
        "member_no": "不是，新闻稿没有把这一项列为其中的内容。{list}：{items}。",
        "member_other": "不是。新闻稿中为：{item}。{list}：{items}。",
        "focus_no": "新闻稿中没有这样说，也没有提到这样的重点。{list}：{items}。",
        "place": "新闻稿涉及的是与{party}签署的协议，并未以这种方式提到{place}。新闻稿中相关的内容是：",
        "place_within": "{place}只出现在{inside}的名称中。",
        "place_wider": (
            "新闻稿没有提到这一点：它只涉及{party}，没有涉及整个{place}。新闻稿中关于{party}的内容是："
        ),
        "where_lies": "关于{party}的位置，新闻稿只有这一处提到：",
        "key_facts": "新闻稿的要点：",
        "signed_by": "签字人",
        "witnessed_by": "见证人",
        "quoted": "引述",
        "and": "和",
    },
}

# What each deed is called: done, not done, and as the heading of who did it.
# Each: done, not done, the heading of who did it, and the doers as a noun (for counts).
WEEKDAYS: Mapping[str, tuple[str, ...]] = {
    "de": ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "zh": ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"),
}

# The languages by name, in each language ("In Chinese: ...", "Auf Chinesisch: ...", "英语：...").
LANGUAGE_NAMES: Mapping[str, Mapping[str, str]] = {
    "de": {"de": "Deutsch", "en": "Englisch", "zh": "Chinesisch"},
    "en": {"de": "German", "en": "English", "zh": "Chinese"},
    "zh": {"de": "德语", "en": "英语", "zh": "中文"},
}

DEED_TEXT: Mapping[str, Mapping[str, tuple[str, str, str, str]]] = {
    "de": {
        "signed": (
            "hat die Vereinbarung unterzeichnet",
            "hat nicht unterzeichnet",
            "Unterzeichnet haben",
            "Unterzeichner",
        ),
        "witnessed": (
            "war Zeuge der Unterzeichnung",
            "war nicht Zeuge der Unterzeichnung",
            "Zeugen waren",
            "Zeugen",
        ),
        "quoted": (
            "wird in der Pressemitteilung zitiert",
            "wird in der Pressemitteilung nicht zitiert",
            "Zitiert wird nur",
            "zitierte Personen",
        ),
    },
    "en": {
        "signed": ("signed the agreement", "did not sign the agreement", "It was signed by", "signatories"),
        "witnessed": (
            "witnessed the signing",
            "did not witness the signing",
            "The witnesses were",
            "witnesses",
        ),
        "quoted": (
            "is quoted in the press release",
            "is not quoted in the press release",
            "The only person quoted is",
            "people quoted",
        ),
    },
    "zh": {
        "signed": ("签署了协议", "并未签署协议", "签字人是", "签字人"),
        "witnessed": ("见证了签约", "并非签约见证人", "见证人是", "见证人"),
        "quoted": ("的话在新闻稿中被引述", "的话在新闻稿中没有被引述", "新闻稿中只引述了", "被引述的人"),
    },
}
