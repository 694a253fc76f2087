"""Answers computed from the typed facts (knowledge/typed_facts.yaml), in de, en and zh (pure, no I/O).

Given a question and the ranking of intents, it finds the facts the question names (events, people,
organisations, places, list items, years and days) and handles what a fixed answer cannot: years or
days between two events, which came first, how many named people, yes/no checks of a date, a deed
or a list, a premise that does not hold (a city the release does not name, a deed a person did not
do) and a day asked where only the year is known, and the key facts composed. When it is unsure it
returns None and the engine answers as before: a wrong computed answer is worse than none.

One module a kind of check: `asked` (what a question names and how it asks, the cue tables),
`named` (the question read against the facts: the base of the checks), `premises`, `people`,
`counts`, `dates`, `lists`, `summary`, and `reasoner` (the Reasoner: the ordered table of checks).
Other modules import from here only.
"""

from bot.core.reasoning.asked import OFFTOPIC_SURE, deed_in, named_in, roles_in, without_named, yes_no
from bot.core.reasoning.dates import ago_asked
from bot.core.reasoning.reasoner import Reasoner
from bot.core.reasoning.summary import asks_summary, limit_asked

__all__ = [
    "OFFTOPIC_SURE",
    "Reasoner",
    "ago_asked",
    "asks_summary",
    "deed_in",
    "limit_asked",
    "named_in",
    "roles_in",
    "without_named",
    "yes_no",
]
