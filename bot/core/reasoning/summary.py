"""The key facts composed into one reply (when a question asks for a summary)."""

from __future__ import annotations

import re

from bot.core.ranking import Ranking
from bot.core.reasoning.asked import Found, _Asked
from bot.core.reasoning.named import _Named
from bot.core.reasoning_texts import T
from bot.knowledge.model import Deed

_SUMMARY = re.compile(
    r"\b(key facts|key points|main facts|main points|the facts|summary|summari[sz]e|sum up|overview|"
    r"eckdaten|kernpunkte|kernfakten|wichtigsten (fakten|punkte|infos?)|zusammenfass\w*|uberblick)\b|"
    r"要点|概括|总结|摘要|关键信息|主要内容|概要|重点"
)


class _Summary(_Named):
    """The key facts composed."""

    def _key_facts(self, q: _Asked, lang: str, _r: Ranking) -> Found | None:
        """The key facts, composed: the events in order, who signed, witnessed and was quoted, the lists."""
        if not _SUMMARY.search(q.joined) or q.people or q.yesno or len(q.events) > 1:
            return None
        if any(p.role != "party" for p in q.places):
            return None
        lines = [T[lang]["key_facts"]]
        events = sorted(self.facts.events, key=lambda e: (e.year, e.month or 0, e.day or 0))
        sep = "：" if lang == "zh" else ": "
        for event in events:
            lines.append(f"• {self._date(event, lang)}{sep}{event.says[lang]}")
        deeds: tuple[tuple[Deed, str], ...] = (
            ("signed", "signed_by"),
            ("witnessed", "witnessed_by"),
            ("quoted", "quoted"),
        )
        for deed, key in deeds:
            people = [p.name[lang] for p in self.facts.doers(deed)]
            if people:
                lines.append(f"• {T[lang][key]}{sep}{self._join(people, lang)}")
        for fact_list in self.facts.lists:
            name = fact_list.name[lang]
            items = self._join([i.name[lang] for i in fact_list.items], lang)
            lines.append(f"• {name[0].upper() + name[1:]}{sep}{items}")
        sources = tuple(
            dict.fromkeys(s for fact in (*events, *self.facts.people, *self.facts.lists) for s in fact.source)
        )
        order = {s: n for n, s in enumerate(("title", "p1", "p2", "p3", "p4", "p5"))}
        latest = next((e.intent for e in reversed(events) if e.intent and self.kb.get(e.intent)), None)
        return "\n".join(lines), "answered", latest, tuple(sorted(sources, key=lambda s: order.get(s, 99)))
