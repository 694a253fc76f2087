"""What every move of a conversation reads of the fact base (pure): its people in every script,
what each intent is about, which words name a subject of their own, and the ranker.

Computed once per intent, when first needed. The moves (the other modules of bot.core.followups)
take a Basis; none of them keeps state of its own.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import replace

from bot.core.lang import is_han, normalise
from bot.core.question import Asked, Reading, missing
from bot.core.ranking import Ranker, Ranking
from bot.core.reasoning import deed_in, named_in, roles_in
from bot.knowledge.model import Fact, Intent, KnowledgeBase

_YEARS = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


class Basis:
    """Reads the fact base for the follow-ups with its ranker: people, what intents are about,
    which words are specific."""

    def __init__(self, kb: KnowledgeBase, ranker: Ranker, answer_threshold: float) -> None:
        self.kb = kb
        self.ranker = ranker
        self.matcher = ranker.matcher
        self.answer_threshold = answer_threshold
        self._entities: dict[str, tuple[str, ...]] = {}
        self._terms: dict[str, frozenset[str]] = {}
        # The fact base's people, one entry each: all its names, in every script ("A B 甲乙").
        analyzer = self.matcher.analyzer
        people: dict[str, list[str]] = {}
        for name in kb.release.names.get("person", ()):
            terms = [t for t, _ in analyzer.analyse(name, "zh" if is_han(name) else "en")]
            people.setdefault(terms[0] if len(terms) == 1 else normalise(name), []).append(name)
        self.people = [(term, names) for term, names in people.items()]
        self.places = tuple(normalise(name) for name in kb.release.names.get("place", ()))
        self.regions = tuple(normalise(name) for name in kb.release.names.get("region", ()))
        # Names a "part of ..." may be followed by without asking for a region ("what part of <org>").
        self.named = tuple(
            normalise(name) for kind in ("organisation", "place") for name in kb.release.names.get(kind, ())
        )
        # Chinese words of concepts, longest first, for replacing a term inside a run of Han.
        self.han_keys = sorted(analyzer.han_concept, key=len, reverse=True)
        # The typed people with their names only, not their offices ("Is X the CEO of Y?" names Y's
        # CEO too; "Vice President of <company>" holds "President of <company>").
        self.by_name = tuple(
            replace(p, cues=tuple(c for c in p.cues if not roles_in(c))) for p in kb.facts.people
        )

    def rank(self, text: str, lang: str) -> Ranking:
        """The ranking of a text whose language is known."""
        return self.ranker.rank(text, lang=lang)

    def entities(self, intent_id: str) -> tuple[str, ...]:
        """Words for what an intent is about."""
        found = self._entities.get(intent_id)
        if found is None:
            intent = self.kb.get(intent_id)
            found = self._intent_entities(intent) if intent is not None else ()
            self._entities[intent_id] = found
        return found

    def people_in(self, text: str) -> tuple[str, ...]:
        """The fact base's people a text names, in the order it names them (all names of each)."""
        folded = normalise(text)
        found = []
        for _, names in self.people:
            at = [folded.find(normalise(n)) for n in names]
            at = [a for a in at if a >= 0]
            if at:
                found.append((min(at), " ".join(names)))
        return tuple(name for _, name in sorted(found))

    def shown(self, person: Fact) -> str:
        """How the answers' people name a person of the typed facts (all names: "A B 甲乙"), or ""."""
        return next(
            (" ".join(names) for _, names in self.people if named_in((person,), normalise(" ".join(names)))),
            "",
        )

    def places_in(self, text: str) -> frozenset[str]:
        """The fact base's places a text names (a region as well as a city), normalised."""
        folded = normalise(text)
        return frozenset(p for p in self.places if p in folded)

    def regions_in(self, text: str) -> frozenset[str]:
        """The fact base's places wider than a city that a text names, normalised."""
        folded = normalise(text)
        return frozenset(p for p in self.regions if p in folded)

    def doers(self, named: tuple[str, ...], question: str) -> tuple[str, ...]:
        """Of the people an answer named, those who did what the question asked about ("who
        witnessed?" is answered with the signatories too: "the company's one" is the witness), when
        at least two did; else all of them."""
        deed = deed_in(normalise(question))
        if deed is None:
            return named
        doers = self.kb.facts.doers(deed)
        chosen = tuple(shown for shown in named if any(named_in((p,), normalise(shown)) for p in doers))
        return chosen if len(chosen) >= 2 else named

    def asked_for(self, question: str, people: tuple[str, ...]) -> str:
        """The one of `people` a question singled out by organisation ("who signed for X?"), or ""
        (by the typed facts: each person's organisation and the organisations' cues)."""
        text = normalise(question)
        orgs = named_in(self.kb.facts.organisations, text)
        if len(orgs) != 1:
            return ""
        members = [p for p in self.kb.facts.people if p.organisation == orgs[0].id]
        chosen = [
            shown for shown in people if any(named_in((member,), normalise(shown)) for member in members)
        ]
        return chosen[0] if len(chosen) == 1 else ""

    def focus(self, intent_id: str) -> str:
        """The person an intent is about (named in many of its questions), or ""."""
        if intent_id not in self.matcher.intent_ids:
            return ""
        named = self.matcher.named[self.matcher.intent_ids.index(intent_id)]
        terms = {t for group in named.values() for t in group}
        about = [" ".join(names) for term, names in self.people if term in terms]
        return about[0] if len(about) == 1 else ""

    def profiles(self) -> set[str | None]:
        """The intents that are the fact base's people's profiles."""
        return {p.intent for p in self.kb.facts.people}

    def gives(self, ranking: Ranking, kinds: frozenset[Asked]) -> bool:
        """True when the best intent of a ranking can give the kinds of detail asked (or none is)."""
        best = ranking.best
        intent = self.kb.get(best.intent) if best is not None else None
        if not kinds or intent is None or intent.kind != "fact" or not intent.provides:
            return True
        return not missing(kinds, intent.provides)

    def offtopic(self, text: str, lang: str) -> bool:
        """True when a text reads confidently as one of the fact base's off-topic messages."""
        ranking = self.rank(text, lang)
        intent = self.kb.get(ranking.best.intent) if ranking.best is not None else None
        return intent is not None and intent.kind == "offtopic" and top_of(ranking) >= self.answer_threshold

    def specific(self, text: str, lang: str) -> bool:
        """True when a question names a subject of its own: a person, place, year or a concept or
        word that only a few intents share."""
        rare = self.matcher.idf_max * 0.5
        for term, _ in self.matcher.analyzer.analyse(text, lang):
            if term.startswith("C:") and term[2:] not in self.kb.vague:
                return True
            if term.startswith("W:") and term[2:].isdigit():
                return True
            content = term.startswith("W:") or (term.startswith("H:") and len(term) > 3)
            if content and self.matcher.idf.get(term, 0.0) >= rare:
                return True
        return False

    def about(self, intent_id: str) -> frozenset[str]:
        """The specific terms an intent's questions name often (computed once per intent)."""
        found = self._terms.get(intent_id)
        if found is None:
            intent = self.kb.get(intent_id)
            # The fact base's general concepts too ("no, I meant the agreement" is about one).
            found = frozenset(self._frequent(intent, generic=True)[0]) if intent is not None else frozenset()
            self._terms[intent_id] = found
        return found

    def answer_terms(self, intent: Intent) -> frozenset[str]:
        """The terms of an intent's answer (English, else its first language)."""
        lang = "en" if "en" in intent.answer else next(iter(intent.answer), "en")
        return frozenset(term for term, _ in self.matcher.analyzer.analyse(any_answer(intent), lang))

    def _frequent(self, intent: Intent, generic: bool = False) -> tuple[list[str], dict[str, str]]:
        """The concepts and years named in many of an intent's questions, most frequent first,
        with a word for each (the fact base's general concepts only with `generic`)."""
        counts: Counter[str] = Counter()
        surface: dict[str, str] = {}
        total = 0
        for lang, questions in intent.questions.items():
            for q in questions:
                total += 1
                seen = set()
                for term, word in self.matcher.analyzer.analyse(q, lang):
                    year = term.startswith("W:") and term[2:].isdigit()
                    general = term[2:] in self.kb.generic and not generic
                    if term in seen or not (term.startswith("C:") or year) or general:
                        continue
                    seen.add(term)
                    counts[term] += 1
                    surface.setdefault(term, word)
        return [t for t, n in counts.most_common() if n >= max(2, total // 4)], surface

    def _intent_entities(self, intent: Intent) -> tuple[str, ...]:
        """Words for what an intent is about: the people, places and years it names, else its most
        frequent specific concept (what "it" or "there" in a follow-up points back to)."""
        frequent, surface = self._frequent(intent)
        named = [t for t in frequent if t in self.matcher.groups or t.startswith("W:")]
        # What its questions name most often comes too when that is no name ("the advisory group"
        # of a fact whose questions also name the mayor): "there" points at it.
        keep = list(dict.fromkeys([*named[:2], *frequent[:1]]))
        return tuple(n for n in (self._name(t, surface.get(t, "")) for t in keep) if n)

    def _name(self, term: str, fallback: str) -> str:
        """A word for a concept in every language at once: the concept's terms of each script."""
        if term.startswith("W:"):
            return term[2:]
        terms = self.kb.synonyms.get(term[2:], ())
        latin = next((t for t in terms if not is_han(t)), fallback)
        han = next((t for t in terms if is_han(t)), "")
        return " ".join(x for x in (latin, han) if x)


def any_answer(intent: Intent) -> str:
    """The intent's answer in English, else in its first language (all say the same)."""
    return intent.answer.get("en") or next(iter(intent.answer.values()), "")


def years_in(text: str) -> list[str]:
    """The years a text names (1900-2099), in its order."""
    return _YEARS.findall(text)


def says_all_of(answer: str, last: str, people_in: Callable[[str], tuple[str, ...]]) -> bool:
    """True when `answer` names every year and person `last` names, and says more."""
    years = set(years_in(last))
    people = set(people_in(last))
    if len(answer) <= len(last) or not (years or people):
        return False  # an answer that names nothing checkable is not known to be contained
    return years <= set(years_in(answer)) and people <= set(people_in(answer))


def top(reading: Reading) -> float:
    return top_of(reading.ranking)


def second_of(ranking: Ranking) -> float:
    return ranking.items[1].probability if len(ranking.items) > 1 else 0.0


def top_of(ranking: Ranking) -> float:
    best = ranking.best
    return best.probability if best is not None else 0.0
