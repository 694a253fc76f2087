"""The overview's figures from per-day summaries (pure): a long log is read once per day, the
summaries of closed days are kept in the log (bot.store.console, through data.Log), and an
overview adds them up with the live figures of the last days.

Counts (queries, users, outcomes, languages, days, intents, votes) are exact and equal those of
`review stats`; the latency percentiles come from a histogram in tenths of a millisecond.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from bot.review.reports import OUTCOMES, DayRow, LanguageRow, Stats, TicketFigures

QUERY_KINDS = ("message", "inline")


@dataclass
class Day:
    """One day's figures."""

    rows: int = 0  # exchanges of every kind
    kinds: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[tuple[str, str]] = field(default_factory=Counter)  # (lang, outcome) of queries
    throttled: int = 0
    users: int = 0  # distinct users who asked a query
    intents: Counter[str] = field(default_factory=Counter)  # answered queries per intent
    latencies: Counter[int] = field(default_factory=Counter)  # tenths of a ms -> exchanges

    def to_json(self) -> str:
        return json.dumps(
            {
                "rows": self.rows,
                "kinds": self.kinds,
                "outcomes": [[lang, o, n] for (lang, o), n in self.outcomes.items()],
                "throttled": self.throttled,
                "users": self.users,
                "intents": self.intents,
                "latencies": [[v, n] for v, n in self.latencies.items()],
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> Day:
        data = json.loads(text)
        return cls(
            rows=int(data["rows"]),
            kinds=Counter(data["kinds"]),
            outcomes=Counter({(lang, o): n for lang, o, n in data["outcomes"]}),
            throttled=int(data["throttled"]),
            users=int(data["users"]),
            intents=Counter(data["intents"]),
            latencies=Counter({int(v): n for v, n in data["latencies"]}),
        )


def summarise(
    groups: Iterable[tuple[str, str, str, str, int]],
    users: Iterable[tuple[str, int]],
    intents: Iterable[tuple[str, str, int]],
    latencies: Iterable[tuple[str, int, int]],
) -> dict[str, Day]:
    """Per-day figures from the store's grouped rows (bot.store.console.day_rows)."""
    days: dict[str, Day] = {}
    for day, kind, outcome, lang, n in groups:
        d = days.setdefault(day, Day())
        d.rows += n
        d.kinds[kind] += n
        if outcome == "throttled":
            d.throttled += n
        elif kind in QUERY_KINDS:
            d.outcomes[(lang, outcome)] += n
    for day, n in users:
        days.setdefault(day, Day()).users = n
    for day, intent, n in intents:
        days.setdefault(day, Day()).intents[intent] += n
    for day, tenths, n in latencies:
        days.setdefault(day, Day()).latencies[tenths] += n
    return days


def _at(histogram: Sequence[tuple[int, int]], index: int) -> float:
    """The value at `index` (0-based) of the sorted values the histogram counts, in ms."""
    seen = 0
    for tenths, n in histogram:
        seen += n
        if index < seen:
            return tenths / 10
    return histogram[-1][0] / 10


def stats(
    label: str,
    days: Mapping[str, Day],
    users: int,
    votes: Mapping[int, int],
    tickets: TicketFigures | None,
    top: int = 10,
) -> Stats:
    """The `Stats` of `review stats`, from per-day figures."""
    kinds: Counter[str] = Counter()
    outcomes_seen: Counter[str] = Counter()
    langs: dict[str, list[int]] = {}
    intents: Counter[str] = Counter()
    latencies: Counter[int] = Counter()
    throttled = 0
    day_rows = []
    for day in sorted(days):
        d = days[day]
        kinds.update(d.kinds)
        throttled += d.throttled
        intents.update(d.intents)
        latencies.update(d.latencies)
        queries = answered = 0
        for (lang, outcome), n in d.outcomes.items():
            outcomes_seen[outcome] += n
            row = langs.setdefault(lang, [0, 0])
            row[0] += n
            queries += n
            if outcome == "answered":
                row[1] += n
                answered += n
        if queries:
            day_rows.append(DayRow(day, queries, answered, d.users))
    found = dict(outcomes_seen)
    outcomes = {o: found.pop(o, 0) for o in OUTCOMES} | dict(sorted(found.items()))
    total = sum(outcomes.values())
    histogram = sorted(latencies.items())
    count = sum(latencies.values())
    median = p95 = None
    if count:
        median = (_at(histogram, (count - 1) // 2) + _at(histogram, count // 2)) / 2
        p95 = _at(histogram, min(count - 1, max(0, math.ceil(0.95 * count) - 1)))
    languages = sorted(((lang, q, a) for lang, (q, a) in langs.items()), key=lambda r: (-r[1], r[0]))
    return Stats(
        period=label,
        exchanges=sum(kinds.values()),
        queries=total,
        commands=kinds.get("command", 0),
        taps=kinds.get("callback", 0),
        users=users,
        outcomes=outcomes,
        languages=[LanguageRow(*r) for r in languages],
        days=day_rows,
        top_intents=sorted(intents.items(), key=lambda r: (-r[1], r[0]))[:top],
        latency_median_ms=median,
        latency_p95_ms=p95,
        helpful=votes.get(1, 0),
        not_helpful=votes.get(-1, 0),
        rates={o: round(n / total, 4) for o, n in outcomes.items()} if total else {},
        throttled=throttled,
        tickets=tickets,
    )
