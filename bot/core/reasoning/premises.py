"""Premises that do not hold: a place, an organisation, a role or a focus the question puts where
the release has another, the roles named in passing and the other side of an agreement.
"""

from __future__ import annotations

import functools
import re

from bot.core.lang import normalise
from bot.core.question import asked
from bot.core.ranking import MARGIN, Ranking, top_gap
from bot.core.reasoning.asked import (
    CONFIDENCE,
    Found,
    _Asked,
    _starts,
    after_role,
    deed_in,
    named_in,
    negated_claim,
    role_qualifiers,
    roles_in,
)
from bot.core.reasoning.named import _Named
from bot.core.reasoning_texts import DEED_TEXT, T
from bot.core.texts import UI
from bot.knowledge.model import Deed, Fact, Person, Place

# "Why is the deal mainly about X?": a focus the question takes for granted.
_FOCUS = re.compile(
    r"\b(mainly|mostly|chiefly|primarily|largely|principally|above all|first and foremost|"
    r"hauptsachlich|vor allem|vorwiegend|uberwiegend|in erster linie|primar|schwerpunktmassig) "
    r"(about|on|around|um|auf)\b|"
    # "... centres on X", "dreht sich um X": the focus in a clause the question builds on.
    r"\b(centres|centers|centred|centered|focuses|focused|revolves|concentrates) (on|around)\b|"
    r"\b(dreht sich|konzentriert sich) (hauptsachlich |vor allem )?(um|auf)\b|"
    r"\b(um|auf) (?P<x>[\w-]+) (dreht|konzentriert)\b|"
    r"主要(围绕|涉及|关于|集中在|针对|聚焦|侧重)|侧重|为主|聚焦于|以(?P<y>.{1,8})为核心"
)
# Why, or a clause that takes the focus for granted ("since the deal centres on X, ...").
# Words after a focus cue that name no focus ("centres on the question of ...").
_PLAIN = frozenset({"that", "this", "what", "which", "with", "from", "their", "these", "those", "mainly"})
_WHY = re.compile(
    r"\b(why|how come|warum|wieso|weshalb|weswegen|given that|seeing that|da ja|wo doch)\b|"
    r"^(since|as|da|weil) (the|it|die|der|das|es|sie|sich)\b|为什么|为何|为啥|怎么会|既然"
)
# A role given to a person in passing: "as / als + role" right after the name or its verb ("X, as
# the mayor, ...", "X signed as mayor", "X als Bürgermeister"), not "as well as", "as opposed to",
# "served as" or "such as"; in Chinese 作为/身为 + role next to the name, or 以……身份.
_AS_ROLE = re.compile(
    r"(?<!\bwell )(?<!\bserved )(?<!\bserve )(?<!\bserves )(?<!\bserving )(?<!\bsuch )(?<!\bso )"
    r"\b(?:as|als|in (?:his|her|seiner|ihrer) (?:role|capacity|funktion|eigenschaft)(?: as| als)?)\b"
    r"(?! well\b| opposed\b| long\b| soon\b| far\b| much\b| many\b)"
)
_AS_ROLE_HAN = re.compile(r"(?:作为|身为|作為|身為)(?P<role>[^，,。？?]{1,12})|以(?P<own>.{1,12}?)身份")
# A title put after a name with "to be": "ist X (der) <title>", "has X been <title>", "X担任<title>".
_COPULA_BEFORE = re.compile(r"\b(?:is|was|has|had|ist|war|wird|wurde|bleibt)\s+(?:\w+\s+)?$")
_PREDICATE = re.compile(
    r"^\s+(?:(?:been|gewesen|schon|already|bereits|denn|eigentlich)\s+)*(?:(?:the|a|an|der|die|ein|eine)\s+)?"
    r"(\w+(?:\s+\w+){0,3})"
)
_PREDICATE_HAN = re.compile(r"^(?:担任|出任|任|是|当|擔任)(.{1,10})")
# What may stand between a name and "as" in one clause ("X signed the agreement as ..."): a few words,
# none of them opening another clause.
_AS_GAP = re.compile(
    r"^[ ,]*(?:(?!(?:but|and|or|who|whom|when|while|aber|und|oder|wer|wann|als)\b)\w+ ){0,3}[ ,]*$"
)
# Where a place lies: "where is X (located)", "X's location", "wo liegt X", "X位于哪里".
_LIES = re.compile(
    r"\b(where (is|s|lies)|located|situated|positioned|location|geographic\w*|whereabouts|"
    r"wo (liegt|befindet)|geografisch\w*|geographisch\w*)\b|"
    r"位于|位置|在哪里|在哪儿|哪个地区|哪个区域|地处"
)
_AS_END = re.compile(r"[,;:?!.]| (?:but|and|or|who|when|while|aber|und|oder|wer|wann)\b")
_FOR = re.compile(r"\b(for|on behalf|fur|im namen)\b|代表")
# A member of a body ("member", "Mitglied", "成员"): what a person is asked to be of one.
_MEMBER_WORD = re.compile(r"\b(members?|membership|mitglied\w*)\b|成员|會員|会员|成員")
# What may follow a title given in passing in a yes/no question: nothing, or its complement.
_ROLE_TAIL = re.compile(r"^(?:(?:of|for|von|fur|der|des|in|im|at|bei)\b.*)?$")
# What may stand between "for" and the side a deed was done for ("on behalf of the government of
# X", "im Namen der Stadt"); any other word makes it a purpose ("for the future of X").
_TO_SIDE = re.compile(
    r"^ *(?:of )?(?:(?:the|die|der|den|das|dem|des) )?"
    r"(?:(?:(?:municipal|people s|peoples) )*(?:city|government|stadt|regierung) (?:of|von) (?:the )?)?"
)
_TO_SIDE_HAN = re.compile(r"^(?:的是|了)?")


class _Premises(_Named):
    """Corrections of a question's premise (a place, an organisation, a role, a focus)."""

    def _place_premise(self, q: _Asked, lang: str, ranking: Ranking) -> Found | None:
        """A city the release does not name, or one named only inside another name, put in the
        agreement's place: correct it and give the nearest fact."""
        wrong = [
            p
            for p in q.places
            if p.role == "absent"
            or (p.role == "within" and not any(self._at(c, q.text, q.han) >= 0 for c in p.inside))
        ]
        party = next((p for p in self.facts.places if p.role == "party"), None)
        if not wrong or party is None:
            return None
        near = None
        for item in ranking.items[:3]:
            intent = self.kb.get(item.intent)
            if intent is not None and intent.kind == "unknown" and item is ranking.items[0]:
                if intent.id in self._about_other_places:
                    # A known unknown about other places says it better, even when the question's
                    # frame keeps it from ranking sure of itself.
                    return intent.answer[lang], "unknown", intent.id, intent.source
                near = intent  # one about the party's place ("its mayor"): said after the correction
                break
            if intent is not None and intent.kind == "fact" and item.probability >= 0.3:
                near = intent
                break
        if near is None:
            return None
        place = wrong[0]
        shown = place.name[lang] if place.role == "within" else self._surface(place, q)
        head = T[lang]["place"].format(party=party.name[lang], place=shown)
        return f"{head}\n{near.answer[lang]}", "unknown", near.id, near.source

    def _wider_place(self, q: _Asked, lang: str, ranking: Ranking) -> Found | None:
        """A place wider than the party's ("When did X come to <the country>?") asked of where the
        facts speak of the party's place only: the best fact, when its answer does not itself
        speak of the wider place, is said as what the release does say, not as the answer."""
        party = next((p for p in self.facts.places if p.role == "party"), None)
        if not self._wider or party is None or any(p.role == "party" for p in q.places):
            return None
        if q.deed in ("signed", "witnessed"):
            return None  # "What did the company sign in <the country>?": the release's deed, there too
        wider = next((p for p in self._wider if self._names_place(p, q)), None)
        if wider is None or not ranking.items:
            return None
        top = self.kb.get(ranking.items[0].intent)
        if top is None or top.kind != "fact" or ranking.items[0].probability < 0.3:
            return None
        event = self.facts.event_of(top.id)
        if event is None or asked(q.text) & {"place", "city"}:
            return None  # "which city in <country>?" asks for the place inside the wider one
        named = self._pattern(party.cues)
        if not any(named.first(n, n.replace(" ", "")) >= 0 for n in map(normalise, event.name.values())):
            return None  # only an event named by the party's place is bound to it (not the signing)
        cues = self._pattern(wider.cues)
        for text in top.answer.values():
            said = normalise(text)
            if cues.first(said, said.replace(" ", "")) >= 0:
                return None  # the fact speaks of the wider place itself (a title "CEO of Acme <country>")
        head = T[lang]["place_wider"].format(party=party.name[lang], place=wider.name[lang])
        return f"{head}\n{top.answer[lang]}", "not_stated", top.id, top.source

    def _where_lies(self, q: _Asked, lang: str, _r: Ranking) -> Found | None:
        """ "Where is <the party's city>?", "Wo liegt ...?", "……位于哪里？": where it lies is said only
        by the fact that names it with a region wider than the city (the fact base's
        `names.region`); that fact, introduced as the one place the release says it. None when the
        question names anything else (an event, a person, a company, a list or its item: "where is
        its branch?", "where are the data centres in the city?")."""
        party = next((p for p in self.facts.places if p.role == "party"), None)
        if (
            party is None
            or _LIES.search(q.joined) is None
            or any(e is not self._by_date[-1] for e in q.events)  # the release itself is no event asked
            or q.people
            or any(not set(o.cues) & set(party.cues) for o in q.orgs)  # the city's government is the city
            or not any(p.role == "party" for p in q.places)
            or self._list_named(q)  # "where are the data centres in <city>?": the item's, not the city's
        ):
            return None
        regions = [normalise(r) for r in self.kb.release.names.get("region", ())]
        for intent in self.kb.intents:
            if intent.kind != "fact":
                continue
            said = normalise(intent.answer[lang])
            if self._pattern(party.cues).first(said, said.replace(" ", "")) < 0:
                continue
            if any(r and (r in said or r.replace(" ", "") in said.replace(" ", "")) for r in regions):
                head = T[lang]["where_lies"].format(party=party.name[lang])
                return f"{head}\n{intent.answer[lang]}", "answered", intent.id, intent.source
        return None

    def _names_place(self, place: Place, q: _Asked) -> bool:
        """True when the question names `place` outside the names its cues stand in (`inside`)."""
        text, han = q.text, q.han
        for name in place.inside:
            text = re.sub(rf"(?<![a-z0-9]){re.escape(name)}(?![a-z0-9])", " ", text)
            han = han.replace(name.replace(" ", ""), " ")
        return self._first(place.cues, text, han) >= 0

    def _org_premise(self, q: _Asked, lang: str, ranking: Ranking) -> Found | None:
        """A company the release never names, put in a party's place ("Globex signed it, right?",
        "Did Globex attend?"): the release does not mention it; what it does say, from the nearest
        fact."""
        if not q.absent_orgs or not (q.yesno or q.deed is not None):
            return None
        near = [
            intent
            for item in ranking.items[:3]
            if (intent := self.kb.get(item.intent)) is not None
            and intent.kind == "fact"
            and item.probability >= 0.3
        ]
        if not near:
            return None
        # The company stands where a party does: a fact that names organisations says who does.
        near = [n for n in near if "organisation" in n.provides] or near
        org = q.absent_orgs[0]
        shown = next(
            (c if not c[0].isascii() else c.title() for c in org.cues if self._at(c, q.text, q.han) >= 0),
            org.name[lang],
        )
        head = UI[lang]["premise"].format(items=shown)
        return f"{head}\n{near[0].answer[lang]}", "unknown", near[0].id, near[0].source

    def _surface(self, place: Place, q: _Asked) -> str:
        """The place as the question wrote it (an absent place has no name of its own)."""
        for cue in place.cues:
            at = self._at(cue, q.text, q.han)
            if at >= 0:
                return cue if not cue[0].isascii() else cue.title()
        return place.name.get("en", place.id)

    def _other_side(self, q: _Asked, person: Person, deed: Deed, lang: str) -> Found | None:
        """ "Why did X sign for the city?" when X signed for the other party: the side X did it for,
        and who did it for the side named; None when the side named right after "for" is X's own or
        none ("for the future of the city" names a purpose: left to the engine)."""
        if deed == "quoted":
            return None
        sides = self._sides_for(q)
        own = next((o for o in self.facts.organisations if o.id == person.organisation), None)
        if len(sides) != 1 or own is None or sides[0].id == own.id:
            return None
        side = sides[0]
        doers = self.facts.doers(deed, side.id)
        if not doers:
            return None
        texts = DEED_TEXT[lang][deed]
        text = T[lang]["other_side"].format(
            person=person.name[lang],
            deed=texts[0],
            own=own.name[lang],
            side=side.name[lang],
            names=self._join([p.name[lang] for p in doers], lang),
        )
        head = T[lang]["no"] if q.yesno else T[lang]["not_said"]
        sources = tuple(dict.fromkeys(s for p in (person, *doers) for s in p.source))
        return head + text, "answered" if q.yesno else "unknown", person.intent, sources

    def _sides_for(self, q: _Asked) -> tuple[Fact, ...]:
        """The parties a question names right after "for", "on behalf of", "für", "im Namen",
        "代表" (an article or "the city / government of" between allowed), in the order named."""
        found: dict[str, Fact] = {}
        for text, pattern, latin in ((q.text, _TO_SIDE, True), (q.han, _TO_SIDE_HAN, False)):
            for spot in _FOR.finditer(text):
                rest = text[spot.end() :]
                lead = pattern.match(rest)
                rest = rest[lead.end() :] if lead is not None else rest
                for org in self.facts.organisations:
                    if any(c.isascii() is latin and _starts(rest, c) for c in org.cues):
                        found.setdefault(org.id, org)
        return tuple(found.values())

    def _roles_in_passing(
        self, q: _Asked, person: Person, strict: bool = False
    ) -> frozenset[tuple[str, bool]]:
        """The titles a question gives `person` in passing: "as / als + title" right after the name
        or its verb, or opening the sentence ("As the mayor, X ..."); "作为/身为 + title" next to the
        name, or "以……身份". Not "as well as", "as opposed to", "served as", "as X signed".
        `strict` (a yes/no question, where a wrong title is a "No"): only a title that ends its
        clause or is followed by its complement ("of the city") or the question's deed ("als
        Bürgermeister unterschrieben"), not "as / als" meaning when ("as the secretary looked on",
        "als der Parteisekretär zusah") or a title of someone else's ("as the mayor's guest")."""
        found: set[tuple[str, bool]] = set()
        cues = self._pattern(person.cues)
        names = [m.end() for m in cues.latin.finditer(q.text)] if cues.latin is not None else []
        for spot in _AS_ROLE.finditer(q.text):
            rest = q.text[spot.end() :]
            end = _AS_END.search(rest)
            clause = rest[: end.start()] if end is not None else rest
            roles = roles_in(clause)
            tail = after_role(clause) if strict and roles else ""
            if tail and not _ROLE_TAIL.match(tail) and not deed_in(tail):
                continue
            near = spot.start() == 0 or any(
                at <= spot.start() and _AS_GAP.match(q.text[at : spot.start()]) for at in names
            )
            if roles and near:
                found |= roles
        if not strict:
            # "Seit wann ist X Wirtschaftsberater ...?", "How long has X been adviser ...?", "X担任
            # ……顾问多久了？": a title put after the name with "to be" (a question that asks more).
            for spot in cues.latin.finditer(q.text) if cues.latin is not None else ():
                if _COPULA_BEFORE.search(q.text[: spot.start()]):
                    said = _PREDICATE.match(q.text[spot.end() :])
                    if said is not None:  # (held as the whole question reads it: "the mayor's adviser")
                        found |= roles_in(said.group(1)) & roles_in(q.text, held=True)
            for cue in cues.han:
                at = q.han.find(cue)
                said = _PREDICATE_HAN.match(q.han[at + len(cue) :]) if at >= 0 else None
                if said is not None:
                    found |= roles_in(said.group(1)) & roles_in(q.han, held=True)
        for spot in _AS_ROLE_HAN.finditer(q.han):
            if spot["own"] is not None:
                found |= roles_in(spot["own"])
                continue
            before, after = q.han[: spot.start()], q.han[spot.end() :].lstrip("，,")
            if spot.start() == 0 or any(before.endswith(c) or after.startswith(c) for c in cues.han):
                found |= roles_in(spot["role"])
        return frozenset(found | self._titled(q, person))

    def _role_premise(self, q: _Asked, lang: str, ranking: Ranking) -> Found | None:
        """ "Is X the vice mayor?": no, when neither X's name nor X's profile gives that title (a
        deputy's title is not the full one); the profile follows."""
        if len(q.people) != 1 or negated_claim(q.text, q.han):
            return None  # ("Isn't it true that X is not the mayor?": its "no" would deny a truth)
        person = q.people[0]
        # "Why did X, as the mayor, attend?", "Did X sign as mayor?": a title given to X in passing
        # is a premise too (a yes/no question names it so only with a deed).
        passing = (
            self._roles_in_passing(q, person, strict=q.yesno)
            if not q.yesno or q.deed is not None
            else frozenset()
        )
        in_role = bool(passing)
        if not (in_role or (q.deed is None and (q.yesno or q.han.endswith("吧")))):
            return None
        known = self._said_of(person)
        # The titles the question gives the person, checked against those the release gives (and
        # what each is of: "CEO of the parent company" is not the subsidiary's CEO's); and those it
        # names as another's ("adviser to the party secretary"), checked against the ones the
        # release names so ("adviser to the mayor"), where it names any.
        held = roles_in(q.text, held=True)
        asked_roles = passing if in_role else held
        others = roles_in(q.text) - held
        given = roles_in(known, held=True)
        given_others = roles_in(known) - given
        wrong_title = bool(asked_roles) and not (
            asked_roles <= given
            and (
                not (asked_of := role_qualifiers(q.text, asked_roles))
                or self._same_qualifier(asked_of, role_qualifiers(known, asked_roles))
            )
        )
        # (Only of a title the question gives the person: "adviser to <whom>?", not "accompanied
        # by <someone's title>?".)
        wrong_other = bool(others and given_others and asked_roles) and not others <= given_others
        # An office the question gives him that names another person ("X是<子公司>的首席执行官吗？": the
        # subsidiary's CEO is someone else): not his.
        wrong_title = wrong_title or (bool(held) and not in_role and self._office_of_another(q, person))
        if not (wrong_title or wrong_other):
            return None
        best = ranking.best
        near = self.kb.get(best.intent) if best is not None else None
        if (
            near is not None
            and near.kind == "unknown"
            and best is not None
            and best.probability >= CONFIDENCE
            and top_gap(ranking) >= MARGIN
        ):
            # A known unknown about that role says it with more context ("Is X the mayor?": the
            # release names no mayor, and who it does name), after the "no" a yes/no question
            # asks for; not when the engine would only offer it among others (beside X's fact).
            if in_role or not q.yesno:
                return None
            head = T[lang]["no_role"].format(person=person.name[lang])
            return f"{head}\n{near.answer[lang]}", "answered", near.id, near.source
        found = self._intent_answer(person.intent, lang)
        sources = tuple(dict.fromkeys(person.source + (found[1] if found else ())))
        said = f"\n{found[0]}" if found else ""
        if in_role and not q.yesno:
            text = T[lang]["not_said"] + T[lang]["role_is"].format(person=person.name[lang])
            return text + said, "unknown", person.intent, sources
        text = T[lang]["no_role"].format(person=person.name[lang])
        return text + said, "answered", person.intent, sources

    def _office_of_another(self, q: _Asked, person: Person) -> bool:
        """True when a question names, by an office (a cue with a title), someone other than
        `person`; Chinese read also without 的 ("<公司>的首席执行官")."""
        han = q.han.replace("的", "")
        own = self._said_of(person)
        own_han = own.replace(" ", "")
        for other in self.facts.people:
            if other.id == person.id:
                continue
            # (Not an office his own texts give him too: "Vice President of <the parent>".)
            offices = tuple(c for c in other.cues if roles_in(c) and c not in own and c not in own_han)
            if offices and self._first(offices, q.text, han) >= 0:
                return True
        return False

    def _same_qualifier(self, asked: frozenset[str], given: frozenset[str]) -> bool:
        """False only when what a question's title is of differs from everything the release gives
        it of as one name from another ("acme ag" is not "acme china": both two words of the facts'
        cues, the same first word). Any other wording ("of the company", "of the group", "to the
        city's mayor") may mean the same: no denial rests on it."""
        named = self._cue_pairs
        for a in asked:
            if a not in named:
                return True
            rivals = [g for g in given if g.split()[0] == a.split()[0]]
            if not rivals or any(g == a or g not in named for g in rivals):
                return True
        return False

    @functools.cached_property
    def _cue_pairs(self) -> frozenset[str]:
        """Every two neighbouring words of the cues of the people, organisations and places."""
        facts = (*self.facts.people, *self.facts.organisations, *self.facts.places)
        return frozenset(
            " ".join(words[n : n + 2])
            for f in facts
            for c in f.cues
            if len(words := c.split()) >= 2
            for n in range(len(words) - 1)
        )

    @functools.cached_property
    def _about_other_places(self) -> frozenset[str]:
        """The known unknowns asked of places the release does not name (some of their questions
        name one): each says what the release covers instead."""
        cues = [c for p in self.facts.places if p.role == "absent" for c in p.cues]
        latin = "|".join(re.escape(c) for c in cues if c.isascii())
        han = [re.escape(c.replace(" ", "")) for c in cues if not c.isascii()]
        # One pattern for them all, on the questions in lower case (some thousand are read once;
        # place names need no more normalising than that).
        named = re.compile("|".join([*([rf"(?<![a-z0-9])(?:{latin})"] if latin else []), *han]) or "(?!)")
        return frozenset(
            intent.id
            for intent in self.kb.intents
            if intent.kind == "unknown"
            and any(named.search(q.lower()) for qs in intent.questions.values() for q in qs)
        )

    @functools.cached_property
    def _memberships(self) -> dict[str, str]:
        """The events the release tells as one organisation's membership ("<company> becomes a
        member of the advisory group"), by id, each with that organisation: a sentence about a
        membership that names it first, no person and no deed."""
        found: dict[str, str] = {}
        for event in self.facts.events:
            says = [normalise(text) for text in event.says.values()]
            first = [named_in(self.facts.organisations, text)[:1] for text in says]
            if (
                all(first)
                and len({f[0].id for f in first}) == 1
                and all(_MEMBER_WORD.search(text) for text in says)
                and not any(named_in(self.facts.people, text) for text in says)
                and not any(deed_in(text) for text in says)
            ):
                found[event.id] = first[0][0].id
        return found

    def _person_as_member(self, q: _Asked, lang: str, _r: Ranking) -> Found | None:
        """ "Is X a member of the advisory group (since 2018)?" of a membership the release tells
        of an organisation: not said of that person; what the release says of it follows."""
        if not q.yesno or len(q.people) != 1 or len(q.events) != 1 or q.deed is not None:
            return None
        event = q.events[0]
        member = self._memberships.get(event.id)
        if member is None or not _MEMBER_WORD.search(q.joined) or any(o.id == member for o in q.orgs):
            return None
        found = self._intent_answer(event.intent, lang)
        if found is None:
            return None
        head = T[lang]["not_of_person"].format(person=q.people[0].name[lang])
        return f"{head}\n{found[0]}", "unknown", event.intent, tuple(dict.fromkeys(event.source + found[1]))

    @functools.cached_property
    def _fact_answers(self) -> str:
        """Every fact answer of the base, normalised, in every language (read once, when needed)."""
        return " ".join(
            normalise(i.answer[lang]) for i in self.kb.intents if i.kind == "fact" for lang in i.answer
        )

    def _said(self, tail: str) -> bool:
        """True when the focus a question names (the words after "centres on", the X of "以X为核心")
        are words some fact's answer uses: the focus may well hold."""
        said = self._fact_answers
        words = [w for w in re.findall(r"[a-z]{4,}", re.split(r"[,.;:?!]", tail)[0])[:3] if w not in _PLAIN]
        han = "".join(ch for ch in tail[:6] if "\u4e00" <= ch <= "\u9fff")
        pairs = [han[k : k + 2] for k in range(len(han) - 1)]
        return any(w[:6] in said for w in words) or any(p in said for p in pairs)

    def _focus_premise(self, q: _Asked, lang: str, _r: Ranking) -> Found | None:
        """ "Why is the agreement mainly about X?" with an X that is none of its items: the premise
        does not hold; the first list of the agreement (its areas) corrects it. Only a question that
        names nothing else the facts know (no item, list, person, party or place)."""
        if q.yesno or q.people or q.orgs or q.places or q.events or q.years:
            return None
        focus = _FOCUS.search(q.joined)
        if not (_WHY.search(q.joined) and focus):
            return None
        if self._said(focus.group("x") or focus.group("y") or q.joined[focus.end() :]):
            return None  # "given that it centres on technology": a focus the facts speak of
        owned = [f for f in self.facts.lists if f.of and self._first(f.of, q.text, q.han) >= 0]
        if not owned:
            return None
        if self._list_named(q):
            return None  # "why mainly these areas?", "why mainly digitalization?": no premise to correct
        first = owned[0]
        head = first.name[lang]
        every = self._join([i.name[lang] for i in first.items], lang)
        text = T[lang]["focus_no"].format(list=head[0].upper() + head[1:], items=every)
        return text, "unknown", first.intent, first.source
