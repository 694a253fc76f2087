"""Counts of people: how many the release names (of a side, of a role, of a deed), a count a
question states as its premise, and all the people of a role.
"""

from __future__ import annotations

import re

from bot.core.ranking import Ranking
from bot.core.reasoning.asked import Found, _Asked, deed_in
from bot.core.reasoning.named import _Named
from bot.core.reasoning_texts import DEED_TEXT, T, count_word
from bot.core.texts import UI
from bot.knowledge.model import Deed

_COUNT = re.compile(
    r"\bhow many (?:of the )?(\w+ )?(people|ppl|persons|individuals|representatives|names|witnesses|"
    r"signator\w*|executives|officials|managers|leaders)\b|"
    # "..., and how many witnessed it?": the deed says who is counted.
    r"\bhow many (?:of them |people )?(?:have |had |did )?(?=sign|witness)|"
    r"\bwie ?viele (?:von ihnen |personen )?(?:haben|hatten)\b(?=.{0,30}\b(?:unterschr|unterzeichn|bezeug))|"
    r"\bwie ?viele (?:der |von den )?(\w+ )?(personen|leute|menschen|vertreter|namen|zeugen|unterzeichner|"
    r"manager|fuhrungskrafte|vorstande|amtstrager|funktionare)\b|"
    r"几个人(?!口)|几位|几名|多少人(?!口)|多少位|多少名"
)
# "How many of the named people ...", "Wie viele der genannten Personen ...": some of them, by a
# kind that only an organisation or a deed types.
_PARTITIVE = re.compile(r"\bhow many of the\b|\bwie ?viele (?:der|von den)\b")
# A count of people is a count of those the release names: it says "named", a deed, or "from X".
_NAMED = re.compile(
    r"\b(named|mentioned|listed|involved|from|genannt\w*|erwahnt\w*|beteiligt\w*|nennt|von)\b|提到|提及|涉及|出现|人物|来自|方面"
)
# Of one organisation, a word of the release's naming, not only "from X": "how many managers from X
# work there?" asks a headcount.
_MENTIONED = re.compile(
    r"\b(names?|named|mentions?|mentioned|list|lists|listed|involved|release|statement|genannt\w*|erwahnt\w*|"
    r"beteiligt\w*|nennt|nennen|aufgefuhrt\w*|mitteilung|pressemitteilung|meldung)\b|提到|提及|涉及|出现|人物|新闻稿|通稿"
)
# "How many leaders does X have?", "Wie viele Amtsträger hat die Stadt?", "这座城市有几位领导？": a headcount,
# which the release does not give (unless the question says it asks whom the release names).
_HAVE = re.compile(r"\b(have|has|had|hat|haben|hatte|hatten)\b|有")
# A count of people asked about work, staff or attendance is not a count of named people.
_SIDE = re.compile(r"\b(from|von|side|seite|aufseiten)\b|来自|方面")
_NOT_NAMED = re.compile(
    r"\b(work|employ\w*|staff|attend\w*|present|arbeit\w*|beschaftigt|mitarbeiter\w*|anwesend|teilgenommen|"
    r"live|lives|living|inhabitants|residents|wohn\w*|leben|einwohner\w*)\b|"
    r"员工|工作|参加|出席|在场|雇|居住|住在|生活"
)
# What joins a second deed to the first in a count ("signed, including the witnesses", "签字人和见证人").
_BOTH_DEEDS = re.compile(
    r"\b(?:including|incl|plus|as well as|together with|and|or|einschliesslich|inklusive|samt|sowie|"
    r"und|oder)\b|"
    r"包括|加上|以及|和"
)
_BOTH = re.compile(r"\b(both|all|beide\w*|alle)\b|两位|两人|都")
# Numbers a question may put before a list's name ("the five areas", "drei Bereiche", "三个领域") and
# ordinals ("the sixth area", "第五个领域"): a count the release does not give is a false premise.
_CARDINALS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "zwei": 2, "drei": 3, "vier": 4, "funf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10,
    "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
}  # fmt: skip
_ORDINALS = {
    "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9,
    "tenth": 10, "zweit": 2, "dritt": 3, "viert": 4, "funft": 5, "sechst": 6, "siebt": 7, "acht": 8,
    "neunt": 9, "zehnt": 10,
}  # fmt: skip
# A count is a premise only with a definite word before it ("the five areas"; "which two areas
# matter most?" asks for a choice): the, its, all, die, der, alle ...; 的, 这, or 大 after it in Chinese.
_COUNTED_LATIN = re.compile(
    r"\b(?:the|its|all|all the|die|den|der|alle|ihre|seine)\s+(?P<n>\d{1,2}|"
    + "|".join(k for k in _CARDINALS if k.isascii())
    + r")\s+(?P<w1>\w+)(?:\s+(?P<w2>\w+))?"
)
_ORDINAL_LATIN = re.compile(
    r"\b(?P<n>" + "|".join(_ORDINALS) + r")(?:e[nmrs]?)?\s+(?P<w1>\w+)(?:\s+(?P<w2>\w+))?"
)
_COUNTED_HAN = re.compile(
    r"(?:(?P<first>第)|[的这這])(?P<n>\d{1,2}|[两二三四五六七八九十])(?:个|個|项|項|大|位|名)?(?P<noun>.{1,6})|"
    r"(?P<n2>[两二三四五六七八九十])大(?P<noun2>.{1,6})"
)
# Words for the doers of a deed, for counts put before them ("the three signatories").
_DOERS: dict[Deed, tuple[str, ...]] = {
    "signed": ("signator", "signer", "unterzeichner", "签字人", "签署人", "签约人", "簽字人", "簽署人"),
    "witnessed": ("witness", "zeuge", "zeugen", "见证人", "見證人"),
}


class _Counts(_Named):
    """Checks of how many people the release names."""

    def _count_premise(self, q: _Asked, lang: str, _r: Ranking) -> Found | None:
        """ "The five areas", "the sixth field", "三个合作领域": a count or an ordinal that does not
        fit a list the release gives; say so, with the list's fact (a known-unknown reply)."""
        for fact_list in self.facts.lists:
            intent = self.kb.get(fact_list.intent) if fact_list.intent else None
            if intent is None:
                continue
            size = len(fact_list.items)
            for number, ordinal in self._counts_before(fact_list.cues, q):
                if (ordinal and number > size) or (not ordinal and number != size):
                    head = UI[lang]["not_stated"]
                    return f"{head}\n{intent.answer[lang]}", "unknown", intent.id, intent.source
        for deed, words in _DOERS.items():
            size = len(self.facts.doers(deed))
            for number, ordinal in self._counts_before(words, q):
                if size and ((ordinal and number > size) or (not ordinal and number != size)):
                    text, sources = self._doers(deed, lang)
                    best = _r.best
                    return (
                        f"{UI[lang]['not_stated']}\n{text}",
                        "unknown",
                        best.intent if best else None,
                        sources,
                    )
        return None

    def _counts_before(self, cues: tuple[str, ...], q: _Asked) -> list[tuple[int, bool]]:
        """(number, is it an ordinal) for each number a question puts before one of `cues`."""
        found: list[tuple[int, bool]] = []
        for pattern, table, ordinal in (
            (_COUNTED_LATIN, _CARDINALS, False),
            (_ORDINAL_LATIN, _ORDINALS, True),
        ):
            for m in pattern.finditer(q.text):
                nouns = [w for w in (m.group("w1"), m.group("w2")) if w]
                if any(c.isascii() and w.startswith(c) for c in cues for w in nouns):
                    n = m.group("n")
                    found.append((int(n) if n.isdigit() else table[n], ordinal))
        for m in _COUNTED_HAN.finditer(q.han):
            noun = m.group("noun") or m.group("noun2") or ""
            if any(not c.isascii() and c in noun for c in cues):
                n = m.group("n") or m.group("n2")
                found.append((int(n) if n.isdigit() else _CARDINALS[n], m.group("first") is not None))
        return found

    def _count(self, q: _Asked, lang: str, _r: Ranking) -> Found | None:
        """How many named people (of one organisation, or who did one deed)."""
        counted = _COUNT.search(q.joined)
        if not counted or _NOT_NAMED.search(q.joined) or q.people:
            return None
        kind = counted.group(1)
        if kind and not _NAMED.fullmatch(kind.strip()) and not q.orgs:
            return None  # "how many Chinese officials": a kind of person the facts do not type
        if _PARTITIVE.search(q.joined) and not q.orgs and q.deed is None:
            return None  # "how many of the named people are mayors / hold a doctorate?": a kind not typed
        people = list(self.facts.people)
        deed = q.deed
        halves = _BOTH_DEEDS.split(q.text, maxsplit=1)
        both = len(halves) == 2 and {deed_in(h) for h in halves} == {"signed", "witnessed"}
        if both:
            deed = None  # "How many signed, including the witnesses?": both deeds, so everyone named
        if len(q.orgs) > 1 or (deed is None and not both and not q.orgs and not _NAMED.search(q.joined)):
            return None
        # The release's naming, or an event it names ("at the signing"), makes it a count of the named.
        mentioned = _MENTIONED.search(q.joined) is not None or bool(q.events) or both
        if deed is None and q.orgs and not mentioned:
            return None  # "how many managers from X?": an organisation alone is no count of the named
        if deed is None and not mentioned and _HAVE.search(q.joined):
            return None  # "how many leaders does X have?": a headcount
        if not q.orgs and _SIDE.search(q.joined):
            return None  # "from the Chinese side": a side the facts do not name; no count of all
        org = q.orgs[0].id if q.orgs else None
        if deed is not None:
            people = list(self.facts.doers(deed, org))
        elif org is not None:
            people = [p for p in people if p.organisation == org]
        if q.orgs and deed is not None:
            # "How many from X signed?": the people of both conditions, and a text naming both.
            who = T[lang]["people_of_deed"].format(org=q.orgs[0].name[lang], deed=DEED_TEXT[lang][deed][3])
        elif q.orgs:
            who = T[lang]["people_of"].format(org=q.orgs[0].name[lang])
        elif deed is not None:
            who = T[lang]["people_deed"].format(deed=DEED_TEXT[lang][deed][3])
        else:
            who = T[lang]["people"]
        if not people:
            return None
        names = self._join([p.name[lang] for p in people], lang)
        if len(people) == 1:
            # One person: no plural count ("names 1 people").
            if q.orgs and deed is not None:
                text = T[lang]["one_of_deed"].format(
                    deed=DEED_TEXT[lang][deed][3], org=q.orgs[0].name[lang], names=names
                )
            elif q.orgs:
                text = T[lang]["one_of"].format(org=q.orgs[0].name[lang], names=names)
            elif deed is not None:
                text = T[lang]["one_deed"].format(
                    deed=DEED_TEXT[lang][deed][0 if lang == "en" else 3], names=names
                )
            else:
                text = T[lang]["one"].format(names=names)
        else:
            text = T[lang]["count"].format(n=count_word(len(people), lang), who=who, names=names)
        return text, "answered", people[0].intent, tuple(dict.fromkeys(s for p in people for s in p.source))

    def _all_of_role(self, q: _Asked, lang: str, _r: Ranking) -> Found | None:
        """ "Did both witnesses come from X?": check every person of that deed."""
        deed = q.deed
        if not q.yesno or q.people or len(q.orgs) != 1 or deed is None or deed == "quoted":
            return None
        if not _BOTH.search(q.joined):
            return None
        people = list(self.facts.doers(deed))
        if not people:
            return None
        org = q.orgs[0]
        role = DEED_TEXT[lang][deed][2]
        names = self._join([p.name[lang] for p in people], lang)
        if all(p.organisation == org.id for p in people):
            text = T[lang]["all_yes"].format(role=role, org=org.name[lang], names=names)
        else:
            text = T[lang]["all_no"].format(role=role, names=names)
        return text, "answered", people[0].intent, tuple(dict.fromkeys(s for p in people for s in p.source))
