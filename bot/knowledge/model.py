"""The fact base as immutable dataclasses: intents, their kinds and answer types (pure, no I/O)."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal, get_args

from bot.core.lang import LANGS

# offtopic: examples of messages that are not about the release, so that they are declined.
Kind = Literal["fact", "unknown", "smalltalk", "offtopic", "draft"]
KINDS: tuple[Kind, ...] = get_args(Kind)
# What kind of detail an answer gives; a question asking for a kind its intent lacks is told
# that the release does not say it (see bot.core.question).
AnswerType = Literal[
    "date",
    "time",
    "person",
    "organisation",
    "place",
    "number",
    "money",
    "list",
    "quote",
    "reason",
    "description",
]
ANSWER_TYPES: tuple[AnswerType, ...] = get_args(AnswerType)
SOURCES = ("title", "p1", "p2", "p3", "p4", "p5")
ID_RE = re.compile(r"^[a-z][a-z0-9_]{1,63}$")
MAX_ANSWER = 4096


@dataclass(frozen=True)
class Intent:
    """One thing people ask about, with its answer and the ways they ask it, in every language."""

    id: str
    topic: str
    kind: Kind
    source: tuple[str, ...]
    related: tuple[str, ...]
    answer: Mapping[str, str]
    questions: Mapping[str, tuple[str, ...]]
    provides: frozenset[AnswerType] = frozenset()
    path: str = ""
    line: int = 0

    def example(self, lang: str) -> str:
        """The first question of the intent in `lang` (to show as a suggestion or a button)."""
        qs = self.questions.get(lang) or next(iter(self.questions.values()), ())
        return qs[0] if qs else self.id


# The texts an announcement gives the bot (knowledge/release.yaml), each in every language:
# its title, how answers cite it, what the bot answers about, the greeting, help and /about lines.
# The release in one sentence (`summary`), for a summary asked for in one sentence.
ReleaseText = Literal["title", "source", "scope", "greeting", "ask", "about", "summary"]
RELEASE_TEXTS: tuple[ReleaseText, ...] = get_args(ReleaseText)


@dataclass(frozen=True)
class Release:
    """What the fact base says about its announcement, beside the intents: texts, topic names,
    example intents and the names it is about (knowledge/release.yaml). Empty: generic words."""

    texts: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # key -> lang -> text
    topics: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # topic id -> lang -> name
    examples: tuple[str, ...] = ()  # intent ids shown as example questions
    # Names the announcement is about, by kind (person, organisation, place): kept out of bot/.
    names: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Its key points, most important first, by language (a summary asked for in so many points).
    points: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def text(self, key: ReleaseText, lang: str) -> str | None:
        """The announcement's text for `key` in `lang`, or None where the base gives none."""
        return self.texts.get(key, {}).get(lang)

    def topic_name(self, topic: str, lang: str) -> str:
        """A reader's name for a topic id ("agreement" -> "The agreement"); unnamed ids are tidied."""
        name = self.topics.get(topic, {}).get(lang)
        return name if name is not None else topic.replace("_", " ").capitalize()


# -- typed facts (knowledge/typed_facts.yaml): what the release states, as records the core computes with

# What a person did at the signing, as the release tells it.
Deed = Literal["signed", "witnessed", "quoted"]
DEEDS: tuple[Deed, ...] = get_args(Deed)
# A place's part in the release: the city of the agreement, a name found only inside another name
# (a hub named after two cities), a place the release never names, or one wider than the party's
# (the country around the city): a fact about the party's place is no answer about the wider one.
PlaceRole = Literal["party", "within", "absent", "wider"]
PLACE_ROLES: tuple[PlaceRole, ...] = get_args(PlaceRole)
# An organisation's part in the release: a party to it, or one the release never names (another
# company a question may put in a party's place).
OrgRole = Literal["party", "absent"]
ORG_ROLES: tuple[OrgRole, ...] = get_args(OrgRole)


@dataclass(frozen=True)
class Fact:
    """One typed fact: its id, its name in every language, the cue words that name it in a question
    (normalised; a Latin cue matches the start of a word, a Han cue anywhere) and its paragraphs."""

    id: str
    name: Mapping[str, str]
    cues: tuple[str, ...]
    source: tuple[str, ...]
    intent: str | None = None  # the intent whose answer states it, for the honest context
    line: int = 0


@dataclass(frozen=True)
class Event(Fact):
    """A dated event: a year, or a full day (`month` and `day` set)."""

    year: int = 0
    month: int | None = None
    day: int | None = None
    says: Mapping[str, str] = field(default_factory=dict)  # one sentence per language


@dataclass(frozen=True)
class Person(Fact):
    """A person named in the release, the organisation they act for and what they did."""

    organisation: str = ""
    did: frozenset[Deed] = frozenset()


@dataclass(frozen=True)
class Place(Fact):
    """A place and its part in the release; `inside` names the enclosing names of a `within` place,
    and of a `wider` place the names its cue stands in without naming it (a company's name)."""

    role: PlaceRole = "party"
    inside: tuple[str, ...] = ()


@dataclass(frozen=True)
class FactList(Fact):
    """A named list (the areas of cooperation) and its items, each a fact without a source."""

    items: tuple[Fact, ...] = ()
    of: tuple[str, ...] = ()  # cues of what the list belongs to ("the agreement")
    # Items done at times the release does not give (projects): "the first project" may mean the
    # earliest, so a place in the list is read only where the question says "named" or "listed".
    timed: bool = False


@dataclass(frozen=True)
class Facts:
    """Every typed fact of the base (empty when there is no typed_facts.yaml)."""

    events: tuple[Event, ...] = ()
    organisations: tuple[Fact, ...] = ()  # the parties (role "party")
    people: tuple[Person, ...] = ()
    places: tuple[Place, ...] = ()
    lists: tuple[FactList, ...] = ()
    # Organisations the release never names (role "absent"), kept apart from the parties.
    absent_organisations: tuple[Fact, ...] = ()

    @functools.cached_property
    def by_date(self) -> tuple[Event, ...]:
        """The events, earliest first (the last is the release's present, its publication)."""
        return tuple(sorted(self.events, key=lambda e: (e.year, e.month or 0, e.day or 0)))

    def event_of(self, intent_id: str | None) -> Event | None:
        """The event whose date `intent_id`'s answer states, if any."""
        return next((e for e in self.events if intent_id is not None and e.intent == intent_id), None)

    def list_of(self, intent_id: str | None) -> FactList | None:
        """The list whose items `intent_id`'s answer states, if any."""
        return next((f for f in self.lists if intent_id is not None and f.intent == intent_id), None)

    def doers(self, deed: Deed, organisation: str | None = None) -> tuple[Person, ...]:
        """The people who did `deed` (of one organisation, by id, when given), in file order."""
        return tuple(
            p
            for p in self.people
            if deed in p.did and (organisation is None or p.organisation == organisation)
        )

    def count(self) -> int:
        """How many typed facts there are (list items not counted apart)."""
        every = (
            self.events,
            self.organisations,
            self.absent_organisations,
            self.people,
            self.places,
            self.lists,
        )
        return sum(map(len, every))


@dataclass(frozen=True)
class KnowledgeBase:
    """The whole fact base: intents in file order and the synonym concepts."""

    intents: tuple[Intent, ...]
    synonyms: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Groups of concepts that exclude each other (one person is not another): see synonyms.yaml.
    exclusive: tuple[frozenset[str], ...] = ()
    # Intents of kind "draft": valid in form, not served until their answers are written.
    drafts: tuple[Intent, ...] = ()
    release: Release = field(default_factory=Release)
    # Concepts too general to carry a follow-up ("what", the company, "the agreement"), and those
    # that name no subject of their own (a question made only of them leans on the last one).
    generic: frozenset[str] = frozenset()
    vague: frozenset[str] = frozenset()
    facts: Facts = field(default_factory=Facts)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", MappingProxyType({intent.id: intent for intent in self.intents}))

    def get(self, intent_id: str) -> Intent | None:
        """The intent with this id, or None."""
        by_id: Mapping[str, Intent] = self.__dict__["_by_id"]
        return by_id.get(intent_id)

    def topics(self) -> dict[str, list[Intent]]:
        """Intents grouped by topic, in file order."""
        grouped: dict[str, list[Intent]] = {}
        for intent in self.intents:
            grouped.setdefault(intent.topic, []).append(intent)
        return grouped

    def summary(self) -> str:
        """One line: intents by kind and alternatives per language."""
        kinds = {k: sum(1 for i in self.intents if i.kind == k) for k in KINDS}
        per_lang = {lg: sum(len(i.questions.get(lg, ())) for i in self.intents) for lg in LANGS}
        return (
            f"{len(self.intents)} intents ({kinds['fact']} facts, {kinds['unknown']} known unknowns, "
            f"{kinds['smalltalk']} small talk, {kinds['offtopic']} off-topic); alternative questions: "
            + ", ".join(f"{lg} {n}" for lg, n in per_lang.items())
            + f"; {len(self.synonyms)} synonym concepts"
            + (f"; {self.facts.count()} typed facts" if self.facts.count() else "")
            + (f"; {len(self.drafts)} draft(s) not served" if self.drafts else "")
        )
