"""People and words: who did a deed (one person or several), the doers asked, what a person is
quoted as saying, and whether a question attributes its words to a source.
"""

from __future__ import annotations

import functools
import re

from bot.core.lang import HAN_RE, normalise
from bot.core.question import BESIDES_WORDS, CLAIMED_LATIN, asked, asks_other_orgs, asks_others
from bot.core.ranking import MARGIN, Ranking, top_gap
from bot.core.reasoning.asked import (
    CLAIM_FRAME,
    CONFIRM_TAG,
    DEEDS,
    FALSE_FRAME,
    NEGATION,
    NEGATION_HAN_WORDS,
    Found,
    _Asked,
    deed_in,
    deed_in_text,
    deed_spot,
    named_in,
    negated_claim,
    only_claimed,
    roles_in,
)
from bot.core.reasoning.premises import _FOR, _Premises
from bot.core.reasoning_texts import DEED_TEXT, T
from bot.core.reply import Outcome
from bot.core.texts import UI
from bot.knowledge.model import Deed, Intent, Person

# A role a deed was done in ("signed as mayor", "als Bürgermeister", "以市长身份"): generic titles,
# each with its words in the three languages, and the words that make it a deputy's.
# What a question that asks whether two people are one holds besides their names ("is X
# actually Y?", "ist X derselbe wie Y?", "X就是Y吗？").
_SAME_WORDS = frozenset(
    "is was are the same person as actually really one and dr mr herr ist war sind derselbe dieselbe "
    "die gleiche person wie eigentlich etwa identisch mit".split()
)
_SAME_HAN = re.compile(r"(?:是|就是|其实是|和|与|跟|同一个人|同一人|吗|么|嗎|麼|对吗|对吧|对不对|是吧)*")
# The agent of a deed in the passive: "signed by the mayor", "von dem Bürgermeister unterzeichnet".
_BY_TITLE = re.compile(r"\b(?:by|von|vom|durch)\s+(?:the\s+|dem\s+|den\s+)?((?:\w+\s+){0,2}\w+)")
# An organisation asked for: "which company signed?", "welche Firma", "哪家公司".
_WHICH_ORG = re.compile(
    r"\b(?:which|what) (?:\w+ )?(?:company|companies|firm|organi[sz]ation|entity|parties|party)\b|"
    r"\bwelche[rsmn]? (?:\w+ )?(?:firma|firmen|unternehmen|gesellschaft|organisation|vertragsparteien|"
    r"partei)\b|"
    r"(?:哪家|哪一家|哪个|什么)(?:公司|企业|机构)"
)
_IN_ROLE = re.compile(
    r"\b(as(?! well\b)|als|in (his|her|seiner|ihrer) (role|capacity|funktion|eigenschaft))\b|"
    r"作为|身为|以.{0,12}身份"
)


# A deed said before its doer ("signed by X"), or a choice between deeds ("X signed or only
# witnessed?"): the deed after a name is not the one put with it.
# A deed given to one person in passing, as what they were there as ("What did X say as a witness
# of the signing?", "Was sagte X als Unterzeichner?", "X作为见证人说了什么？").
_AS_DOER: dict[Deed, re.Pattern[str]] = {
    "witnessed": re.compile(
        r"\b(?:as|als) (?:an? |the |der )?(?:witness|zeuge)\b|作为见证|以见证人|身为见证"
    ),
    "signed": re.compile(
        r"\b(?:as|als) (?:an? |the |der )?(?:signatory|signer|unterzeichner)\b|"
        r"作为签署|作为签字|作为签约|以签署人"
    ),
}
# What may stand between two people named as doing one thing together.
_JOINING = frozenset(
    "and alongside with together along as well und sowie mit zusammen gemeinsam".split()
    + "和 与 跟 同 及 以及 一起 还有".split()
)
_ARTICLES = frozenset("the a an it der die das den dem es".split())
# "Weder X noch Y ...", "Neither X nor Y ...", "X和Y都没有……": a claim that none of them did it.
_NEITHER = re.compile(r"\bweder\b.*\bnoch\b|\bneither\b.*\bnor\b|都没|都未|均未|都不是|既不")
# Asking what someone is called: "wie heißt", "what is X called", "叫什么名字".
_NAME_ASKED = re.compile(r"\b(name|named|called|heisst|hiess)\b|叫什么|名字|姓名|是谁")
_NOT_PAIRED = re.compile(r"\b(by|von|durch|vom|or|oder|either|entweder)\b|由|被|还是|或")
# A claim that someone did NOT do a deed, put for confirmation ("Is it true that X did not sign?",
# "Stimmt es, dass X nicht unterschrieben hat?", "X hat nicht unterschrieben, oder?", "X没有签字，
# 对吗？", "是不是X没有签字？"): yes when X did not. The negation stands right before the deed's
# word; a question asked in the negative ("Didn't X sign?", "不是X签的吗？", "难道X没有签字吗？")
# asks whether X did, and "有没有" asks yes or no: no claim of their own.
_NEGATION_HAN = re.compile(rf"(?<!有)({NEGATION_HAN_WORDS})(亲自)?$")
_NEGATION_REACH = 16  # characters before the deed's word (Latin); Han: four
# A choice between two deeds: "sign or witness", "unterschrieben oder bezeugt", "签字人还是见证人".
_EITHER = re.compile(r"\b(or|oder)\b|还是|或者|抑或")
# "Who did not sign / did not witness it?", "Wer hat nicht unterschrieben?", "谁没有签字？": the deed
# negated right before (or, in German, right after) its verb.
_NOT_DEED: dict[Deed, re.Pattern[str]] = {
    "signed": re.compile(
        r"\b(didn t|did not|didnt|not|never) (put pen to paper|sign)|\bnicht (mit ?)?(unterschr|unterzeichn)|"
        r"\b(unterschrieb|unterzeichnete)\w* nicht\b|(没有|没|未|并未)[^，。？?]{0,6}签"
    ),
    # Not attendance: the signatories were there too ("Who did not attend?" asks of no deed).
    "witnessed": re.compile(
        r"\b(didn t|did not|didnt|not|never) witness|\bnicht (bezeug|zeuge)|"
        r"\b(bezeugte|bezeugten)\w* nicht\b|(没有|没|未|并未)[^，。？?]{0,6}见证"
    ),
}
# How far after a name (characters from its start) the deed put with it stands.
_REACH = 28
_HAN_REACH = 6
# How sure a ranking must be that its best intent is the question's for a deed's premise to be
# left to it.
_SURE = 0.7
# "Which manager / welcher Vorstand / 哪位高管": a person asked for by a word for one.
_WHICH_PERSON = re.compile(
    r"\b(which|what|welche[rnms]?)\b.{0,25}\b(managers?|executives?|officials?|representatives?|persons?|people|"
    r"personen|leute|"
    r"leaders?|boss|chiefs?|vertreter\w*|politiker\w*|beamte\w*|funktionar\w*|chef\w*|fuhrungskraft\w*|"
    r"vorstand\w*|manager\w*)\b|哪位|哪一位"
)
# What may follow a post named with its organisation ("who runs <company> today?").
_AFTER_POST = frozenset(
    "now today currently globally worldwide overall heute derzeit aktuell weltweit "
    "of in von der des the".split()
)
# How far down the ranking the answer quoting a person may stand ("what does X think?").
_QUOTE_RANKS = 3
# "According to X", "laut X", "据X": what follows is X's view, a quote when X is a person.
_ACCORDING = re.compile(
    r"\b(according to|in the (view|words|eyes) of|as seen by|laut|gemass|"
    r"nach (ansicht|meinung|worten) (von|des|der))\s"
)
# "X zufolge", "X认为", "在X看来": the person comes first.
_ZUFOLGE = re.compile(r"^\W*\w*\W*(zufolge|nach)\b")
_ZUFOLGE_HAN = re.compile(r"^.{0,4}?(认为|看来|認為|看來|所说|所說)")


def _negated_claim(q: _Asked, deed: Deed) -> bool:
    """True when a yes/no question puts for confirmation that someone did NOT do `deed`, the one
    deed it names."""
    if "难道" in q.han or sum(1 for d in DEEDS if deed_in_text(d, q.text, q.han)) != 1:
        return False
    framed = (
        CLAIM_FRAME.search(q.text)
        or CONFIRM_TAG.search(q.text)
        or CONFIRM_TAG.search(q.han)
        or "是不是" in q.han
    )
    if not framed:
        return False
    latin = deed_spot(deed, q.text)
    if latin >= 0 and NEGATION.search(q.text[max(0, latin - _NEGATION_REACH) : latin]):
        return True
    han = deed_spot(deed, q.han)
    return han >= 0 and bool(_NEGATION_HAN.search(q.han[max(0, han - 4) : han]))


# A claim put back as a question: "So <the parent company> signed it?", "Also hat X unterschrieben?".
_SO_CLAIM = re.compile(CLAIMED_LATIN)
# "Apart from X", "außer X", "除了X": someone set aside in a question about the others.
_BESIDES = re.compile(rf"\b({BESIDES_WORDS})\b|除了|之外|以外")


class _People(_Premises):
    """Checks of who did what and who said what."""

    def attributed(self, normalised: str) -> bool:
        """True when a question asks after a person's view ("according to X", "laut X", "X zufolge",
        "在X看来"): the answer must be what that person said, a quote."""
        han = normalised.replace(" ", "")
        for person in self.facts.people:
            cues = self._pattern(person.cues)
            if cues.latin is not None:
                for found in cues.latin.finditer(normalised):
                    before = normalised[max(0, found.start() - 30) : found.start()]
                    if any(m.end() >= len(before) - 8 for m in _ACCORDING.finditer(before)):
                        return True
                    if _ZUFOLGE.search(normalised[found.end() :]):
                        return True
            for cue in cues.han:
                spot = han.find(cue)
                if spot < 0:
                    continue
                if han[max(0, spot - 1) : spot] == "据" or _ZUFOLGE_HAN.search(han[spot + len(cue) :]):
                    return True
        return False

    def _head_of_item(self, q: _Asked, lang: str, ranking: Ranking) -> Found | None:
        """ "Who heads <a business or area the facts list>?": the best answer is a person whose
        answer never names that unit (a title held in the whole company): the release does not
        say who heads it; the person's answer is said as what it does say."""
        if q.people or q.yesno or "role_person" not in asked(q.text) or not ranking.items:
            return None
        items = [i for f in self.facts.lists for i in self._named(f.items, q.text, q.han)]
        # The person the engine would give: the first fact near the top that names one.
        top = next(
            (
                intent
                for item in ranking.items[:3]
                if item.probability >= 0.3
                and (intent := self.kb.get(item.intent)) is not None
                and intent.kind == "fact"
                and "person" in intent.provides
            ),
            None,
        )
        if not items or top is None:
            return None
        said = [normalise(text) for text in top.answer.values()]
        if any(self._first(i.cues, t, t.replace(" ", "")) >= 0 for i in items for t in said):
            return None  # the answer names the unit: the person's part in it is the answer
        return f"{UI[lang]['not_stated']}\n{top.answer[lang]}", "not_stated", top.id, top.source

    def _by_office(self, q: _Asked, lang: str, ranking: Ranking) -> Found | None:
        """ "Wie heißt der Vizebürgermeister?", "那位副市长叫什么名字？", "Who's the vice mayor who put
        pen to paper?": who the one person is whom the question names by an office only (and a
        deed of theirs, if any): that person's profile, however loosely the question ranks."""
        if len(q.people) != 1 or q.yesno or q.orgs or q.events[1:] or q.years:
            return None
        person = q.people[0]
        kinds = asked(q.text)
        if not (kinds <= {"person", "role_person"} and (kinds or _NAME_ASKED.search(q.joined))):
            return None
        if q.deed is not None and q.deed not in person.did:
            return None  # "the vice mayor who witnessed it?": a premise, checked elsewhere
        if any(self._at(c, q.text, q.han) >= 0 for c in person.cues if not roles_in(c)):
            return None  # named by name: the engine answers
        best = ranking.best
        if best is not None and best.intent == person.intent and best.probability >= _SURE:
            return None
        found = self._intent_answer(person.intent, lang) if person.intent else None
        return None if found is None else (found[0], "answered", person.intent, found[1])

    def _title_holder(self, q: _Asked, lang: str, ranking: Ranking) -> Found | None:
        """ "Who heads <the body one person's title names>?": that person's profile when the best
        answer is another person's (the head of another unit of the same company), a known unknown
        (an unnamed office holder) or the holder's own profile read unsurely (a near tie with
        another profile); None when the question asks about a deed or yes or no."""
        if q.yesno or q.deed is not None or len(q.people) != 1 or "role_person" not in asked(q.text):
            return None
        person = q.people[0]
        named = normalise(person.name["en"])
        posts = [
            (c, at) for c in person.cues if c.isascii() and c not in named and (at := q.text.find(c)) >= 0
        ]
        # ... words naming the person's own organisation or title may follow ("... of <city>",
        # "runs the party committee" of its secretary).
        own = {
            w
            for o in self.facts.organisations
            if o.id == person.organisation
            for c in o.cues
            for w in c.split()
        }
        own |= {w for name in person.name.values() for w in normalise(name).split()}
        if posts and not any(set(q.text[at + len(c) :].split()) <= _AFTER_POST | own for c, at in posts):
            return None  # "who heads <company>'s <country> business?": a post within it, another one's
        best = ranking.best
        near = self.kb.get(best.intent) if best is not None else None
        profiles = {p.intent for p in self.facts.people if p.intent}
        if near is None or best is None:
            return None
        if near.id == person.intent and best.probability >= _SURE:
            return None  # the holder's own profile, read surely: the engine answers it
        if near.id not in profiles and near.kind != "unknown" and best.probability >= _SURE:
            return None  # a fact about the deal or a deed read surely: its own answer
        found = self._intent_answer(person.intent, lang)
        return None if found is None else (found[0], "answered", person.intent, found[1])

    def _doer_of_side(self, q: _Asked, lang: str, ranking: Ranking) -> Found | None:
        """ "Which top manager of <organisation> witnessed it?" read torn between the list of those
        who did it and the profile of the one of that organisation who did: that profile (the
        only one of them; either answer names them, the profile is the one asked for)."""
        deed = q.deed
        if deed is None or deed == "quoted" or q.people or q.yesno or len(q.orgs) != 1:
            return None
        if not (asked(q.text) & {"person", "role_person"} or _WHICH_PERSON.search(q.joined)):
            return None
        doers = self.facts.doers(deed, q.orgs[0].id)
        if len(doers) != 1 or not doers[0].intent or len(ranking.items) < 2:
            return None
        first, second = ranking.items[:2]
        if top_gap(ranking) >= MARGIN or doers[0].intent not in (first.intent, second.intent):
            return None  # read clearly: the engine answers
        found = self._intent_answer(doers[0].intent, lang)
        return None if found is None else (found[0], "answered", doers[0].intent, found[1])

    def _party_did(self, q: _Asked, lang: str, ranking: Ranking) -> Found | None:
        """ "Was the agreement signed by <the company's parent>?" (a yes/no of an organisation's
        deed, no person, time or item named), often read as the deed's date: the first-ranked fact
        that names only organisations and people, names that organisation, and whose people, if
        any, include one who did the deed (the parties; the signatories); None unless the best is
        an event's fact (its date), or when the question names a title ("signed by the mayor?").
        "Which company signed it?", torn between who signed and who the parties are: the first
        such fact that names organisations and no one."""
        deed = q.deed
        which = deed == "signed" and _WHICH_ORG.search(q.joined) is not None  # (people witness)
        checked = q.yesno or _SO_CLAIM.match(q.text) is not None  # "So <the parent company> signed it?"
        if deed is None or deed == "quoted" or q.people or not ((checked and q.orgs) or which):
            return None
        if q.years or q.month or q.absent_orgs or q.events[1:] or self._list_named(q):
            return None
        if roles_in(q.joined) & self._titles_named:
            return None  # "signed by the mayor?": a title the release names (a known unknown may say more)
        if asks_other_orgs(q.text) or asks_others(q.text):
            return None  # "did any other companies sign?" asks past the parties
        best = ranking.best
        if best is None or not (which or self.facts.event_of(best.intent)):
            return None  # read as a fact of its own (the agreement, a profile): the engine's
        for item in ranking.items:
            fact = self.kb.get(item.intent)
            if fact is None or fact.kind != "fact" or not fact.provides <= {"organisation", "person"}:
                continue
            said = normalise(fact.answer[lang])
            doers = named_in(self.facts.people, said)
            parties = {o.id for o in named_in(self.facts.organisations, said)}
            if not {o.id for o in q.orgs} <= parties or (which and (doers or not parties)):
                continue
            if doers and not any(deed in p.did for p in doers):
                continue
            # "Signed by <the parent company>?": a company form the parties' answer does not name
            # ("<Acme> AG" where it names "<Acme> Ltd., <country>"): no.
            other = checked and any(
                re.search(rf"(?<![a-z0-9]){re.escape(pair)}(?![a-z0-9])", q.text) and pair not in said
                for pair in self._cue_pairs
                if pair.split()[0] in said
            )
            head = T[lang]["no"] if other else ""
            return head + fact.answer[lang], "answered", fact.id, fact.source
        return None

    @functools.cached_property
    def _titles_named(self) -> frozenset[tuple[str, bool]]:
        """Every title the people's names and profiles name (held or another's)."""
        return frozenset(r for p in self.facts.people for r in roles_in(self._said_of(p)))

    def _besides_doer(self, q: _Asked, lang: str, _r: Ranking) -> Found | None:
        """ "Apart from X, who else signed?", "Wer hat außer X noch unterschrieben?", "除了X，还有谁
        签署了协议？": the others who did the deed (or that the release names no other)."""
        deed = q.deed
        if deed is None or deed == "quoted" or len(q.people) != 1 or q.yesno or not _BESIDES.search(q.joined):
            return None
        if not asked(q.text) & {"person", "role_person"}:
            return None
        person = q.people[0]
        doers = self.facts.doers(deed)
        if deed not in person.did:
            # "Apart from <a witness>, who else signed?": he did not; who did.
            did_not, by = DEED_TEXT[lang][deed][1], DEED_TEXT[lang][deed][2]
            names = self._join([p.name[lang] for p in doers], lang)
            text = (
                f"{person.name[lang]}{did_not}。{by}{names}。"
                if lang == "zh"
                else f"{person.name[lang]} {did_not}. {by} {names}."
            )
            return (
                text,
                "answered",
                person.intent,
                tuple(dict.fromkeys(s for p in (person, *doers) for s in p.source)),
            )
        others = [p for p in doers if p.id != person.id]
        label = T[lang]["signed_by" if deed == "signed" else "witnessed_by"]
        label = label if lang == "zh" else label.lower() if lang == "en" else label
        names = self._join([p.name[lang] for p in (others or doers)], lang)
        key = "besides" if others else "besides_none"
        did = DEED_TEXT[lang][deed][0]
        text = T[lang][key].format(person=person.name[lang], label=label, names=names, did=did)
        sources = tuple(dict.fromkeys(s for p in (person, *others) for s in p.source))
        return text, "answered", (others[0] if others else person).intent, sources

    def _same_person(self, q: _Asked, lang: str, _r: Ranking) -> Found | None:
        """ "Is <the signatory> <the witness>?", "Ist er derselbe wie <der andere>?": two people the
        release names asked to be one: no, with the first one's profile."""
        if len(q.people) != 2 or not q.yesno or q.deed is not None or q.orgs or q.events or q.years:
            return None
        rest = self._without(self.facts.people, q.text)
        left = {w for w in rest.split() if w.isascii()}
        han = "".join(HAN_RE.findall(rest))
        if not left <= _SAME_WORDS or (han and _SAME_HAN.fullmatch(han) is None):
            return None
        a, b = q.people
        text = T[lang]["not_same"].format(a=a.name[lang], b=b.name[lang])
        found = self._intent_answer(a.intent, lang)
        said = f"\n{found[0]}" if found else ""
        return text + said, "answered", a.intent, tuple(dict.fromkeys(a.source + b.source))

    def _deed(self, q: _Asked, lang: str, ranking: Ranking) -> Found | None:
        """One named person and a deed: yes/no, or a premise corrected."""
        deed = q.deed
        if deed is None or len(q.people) != 1:
            return None
        person = q.people[0]
        kinds = asked(q.text)
        if "person" in kinds or "role_person" in kinds:
            return None  # "who witnessed X's signature?" names a person who is not the subject
        done = deed in person.did
        if any(o.id != person.organisation for o in q.orgs) and _FOR.search(q.joined):
            # "for the city": the side the deed was done for; corrected when it is the other one.
            return self._other_side(q, person, deed, lang) if done else None
        one_deed = sum(1 for d in DEEDS if deed_in_text(d, q.text, q.han)) == 1
        if done and q.yesno and one_deed and only_claimed(q.joined) and len(self.facts.doers(deed)) > 1:
            # "Did only X sign?" of one of two who did: not only he.
            others, sources = self._doers(deed, lang)
            said = others[:1].lower() + others[1:] if lang == "en" else others
            return (
                f"{T[lang]['no']}{said}",
                "answered",
                person.intent,
                tuple(dict.fromkeys(person.source + sources)),
            )
        titled = self._titled(q, person)
        if done and q.yesno and titled and not titled <= roles_in(self._said_of(person), held=True):
            return None  # "Did Mayor X witness it?" of no mayor: a title the release does not give
        if done and q.yesno and _IN_ROLE.search(q.joined):
            roles = roles_in(q.joined) - roles_in(normalise(" ".join(person.name.values())))
            if roles:
                return None  # "did X sign as mayor?": a role the release does not give X; no "yes"
        if done and (not q.yesno or deed == "quoted"):
            # A deed that holds, and what someone said, are the engine's to answer (its answer
            # types say "not stated" for words the release does not quote).
            return None
        choice = self._deed_choice(q, person, lang)
        if choice is not None:
            return choice
        others, sources = self._doers(deed, lang)
        texts = DEED_TEXT[lang][deed]
        false = FALSE_FRAME.search(q.text) or FALSE_FRAME.search(q.han)
        if q.yesno and (_negated_claim(q, deed) or (false and negated_claim(q.text, q.han))):
            # The claim is that the person did not ("Is it false that X signed?", "X签字，此说是否
            # 有误？" put it so too): confirming it is a yes.
            texts = (texts[1], texts[0], *texts[2:])
            done = not done
        # The person's own profile follows every reply: what the release does say about them.
        found = self._intent_answer(person.intent, lang)
        profile = f"\n{found[0]}" if found else ""
        sources = tuple(dict.fromkeys(person.source + sources + (found[1] if found else ())))
        if q.yesno and done:
            text = T[lang]["yes_deed"].format(person=person.name[lang], deed=texts[0])
            return text + profile, "answered", person.intent, sources
        if q.yesno:
            text = T[lang]["no_deed"].format(person=person.name[lang], deed_not=texts[1], others=others)
            return text.strip() + profile, "answered", person.intent, sources
        best = ranking.best
        near = self.kb.get(best.intent) if best is not None else None
        if near is not None and near.kind == "unknown" and best is not None and best.probability >= _SURE:
            return None  # a known unknown about that person's words says it with more context
        if (
            deed == "quoted"
            and best is not None
            and best.intent == person.intent
            and best.probability >= _SURE
        ):
            return None  # the person's own profile: the engine says what is not stated with it
        text = T[lang]["premise_deed"].format(person=person.name[lang], deed_not=texts[1], others=others)
        if deed == "quoted":
            # "X called the city dynamic – his full quote?": the words are another's; the
            # likeliest answer that quotes that one follows the correction (not the profile of one
            # never quoted).
            words = self._quoting(ranking, lang)
            if words is not None:
                both = tuple(dict.fromkeys(sources + words.source))
                return f"{text.strip()}\n{words.answer[lang]}", "unknown", words.id, both
        return text.strip() + profile, "unknown", person.intent, sources

    def _quoting(self, ranking: Ranking, lang: str) -> Intent | None:
        """The first of the top three facts whose answer quotes someone the release quotes."""
        quoted = {p.id for p in self.facts.doers("quoted")}
        for item in ranking.items[:3]:
            fact = self.kb.get(item.intent)
            if fact is None or fact.kind != "fact" or "quote" not in fact.provides:
                continue
            if {p.id for p in named_in(self.facts.people, normalise(fact.answer[lang]))} & quoted:
                return fact
        return None

    def _deed_choice(self, q: _Asked, person: Person, lang: str) -> Found | None:
        """ "Did X sign or only witness?", "签字人还是见证人？": what X did of the two, and what not
        (a yes or no answers neither)."""
        named = [d for d in DEEDS if d != "quoted" and deed_in_text(d, q.text, q.han)]
        if len(named) != 2 or not _EITHER.search(q.joined):
            return None
        done = [d for d in named if d in person.did]
        if len(done) != 1:
            return None
        other = next(d for d in named if d != done[0])
        did, did_not = DEED_TEXT[lang][done[0]][0], DEED_TEXT[lang][other][1]
        text = T[lang]["deed_choice"].format(person=person.name[lang], did=did, did_not=did_not)
        found = self._intent_answer(person.intent, lang)
        profile = f"\n{found[0]}" if found else ""
        sources = tuple(dict.fromkeys(person.source + (found[1] if found else ())))
        return text + profile, "answered", person.intent, sources

    def _deeds_paired(self, q: _Asked, lang: str, _r: Ranking) -> Found | None:
        """ "So X witnessed while Y signed, correct?": two people, each put with a deed (the deed
        right after the name) in a statement put for confirmation; when one of them did not do the
        deed put with them (roles swapped), no, with what each did, instead of a decline or one
        profile. Roles put as the release gives them are left to the other checks."""
        confirm = CONFIRM_TAG.search(q.text) or CONFIRM_TAG.search(q.han)
        if not confirm or len(q.people) < 2 or _NOT_PAIRED.search(q.joined):
            return None
        if _IN_ROLE.search(q.joined) or _FOR.search(q.joined):
            return None  # "signed as mayor", "for the city": a role or a side the other checks weigh
        claims = self._claims(q)
        if len(claims) < 2 or len({deed for _, deed in claims}) < 2:
            return None
        if all(deed in person.did for person, deed in claims):
            return None
        texts = DEED_TEXT[lang]
        sep, end = ("", "。") if lang == "zh" else (" ", ".")
        lines = []
        for person, claimed in claims:
            done = [d for d in ("signed", "witnessed") if d in person.did]
            did = texts[done[0]][0] if done else texts[claimed][1]
            lines.append(f"{person.name[lang]}{sep}{did}{end}")
        # Then who did each deed, as the release says (those the question left out included).
        sources = tuple(s for person, _ in claims for s in person.source)
        for deed in dict.fromkeys(deed for _, deed in claims):
            doers, found = self._doers(deed, lang)
            lines.append(doers)
            sources += found
        return (
            f"{T[lang]['no']}{sep.join(lines)}",
            "answered",
            q.people[0].intent,
            tuple(dict.fromkeys(sources)),
        )

    def _claims(self, q: _Asked) -> list[tuple[Person, Deed]]:
        """Each person a question names with the deed it names after them, before the next one."""
        han = HAN_RE.search(q.text) is not None  # a Chinese question is read without its spaces
        text = q.han if han else q.text
        spots = sorted(
            (at, n, person)
            for n, person in enumerate(q.people)
            if (at := self._first(person.cues, "" if han else text, text if han else "")) >= 0
        )
        if len({at for at, _, _ in spots}) < len(spots):
            return []  # one word for two people ("the CEO"): whose deed it names is not known
        claims: list[tuple[Person, Deed]] = []
        pending: list[Person] = []  # "X and Y signed": both take the deed after the second
        for n, (at, _, person) in enumerate(spots):
            # The deed right after the name ("X witnessed", "hat X bezeugt", "X签字"), not further on.
            stop = min(
                spots[n + 1][0] if n + 1 < len(spots) else len(text), at + (_HAN_REACH if han else _REACH)
            )
            deed = deed_in(text[at:stop])
            if deed == "signed" or deed == "witnessed":
                claims += [(p, deed) for p in (*pending, person)]
                pending = []
            else:
                pending.append(person)
        return claims

    def _deed_of_several(self, q: _Asked, lang: str, ranking: Ranking) -> Found | None:
        """Several named people and a deed none of them did ("X and Y signed it, right?" of the
        two witnesses): the premise corrected for each, with those who did it. None when one of
        them did it (the others may be named for another part: "signed in Y's presence")."""
        deed = q.deed
        if deed is None or len(q.people) < 2:
            return None
        if asked(q.text) & {"person", "role_person"} or (q.orgs and _FOR.search(q.joined)):
            return None  # "who witnessed X's and Y's signatures?", "for the city": not a premise
        did_not = tuple(p for p in q.people if deed not in p.did)
        if not did_not and q.yesno and _NEITHER.search(q.joined):
            # "Neither X nor Y signed it, right?" of the two who did: no, each did.
            did = DEED_TEXT[lang][deed][0]
            sep = "" if lang == "zh" else " "
            each = sep.join(f"{p.name[lang]}{sep}{did}{'。' if lang == 'zh' else '.'}" for p in q.people)
            sources = tuple(dict.fromkeys(s for p in q.people for s in p.source))
            return f"{T[lang]['no']}{each}", "answered", q.people[0].intent, sources
        if len(did_not) < len(q.people):
            # One of them did it: the others may be named for another part ("signed in Y's
            # presence"); but "Did X and Y witness it?", "X witnessed it alongside Y, correct?"
            # put the deed on each: no, for those who did not.
            if not (q.yesno and did_not and self._joined(q)):
                return None
            others, sources = self._doers(deed, lang)
            texts = DEED_TEXT[lang][deed]
            names = self._join([p.name[lang] for p in did_not], lang)
            text = T[lang]["no_deed"].format(person=names, deed_not=texts[1], others=others).strip()
            sources = tuple(dict.fromkeys(s for p in did_not for s in p.source)) + sources
            return text, "answered", did_not[0].intent, tuple(dict.fromkeys(sources))
        best = ranking.best
        near = self.kb.get(best.intent) if best is not None else None
        if (
            not q.yesno
            and near is not None
            and near.kind == "unknown"
            and best is not None
            and best.probability >= _SURE
        ):
            return None  # a known unknown about their words says it with more context
        others, sources = self._doers(deed, lang)
        deed_not = DEED_TEXT[lang][deed][1]
        if lang == "zh":
            each = "".join(f"{p.name[lang]}{deed_not}。" for p in q.people)
        else:
            each = " ".join(f"{p.name[lang]} {deed_not}." for p in q.people)
        # (A claim that none of them did it, "Weder X noch Y hat unterschrieben, richtig?": yes.)
        denied = q.yesno and (_negated_claim(q, deed) or _NEITHER.search(q.joined) is not None)
        head = T[lang]["yes" if denied else "no"] if q.yesno else T[lang]["not_said"]
        sources = tuple(dict.fromkeys(s for p in q.people for s in p.source)) + sources
        outcome: Outcome = "answered" if q.yesno else "unknown"
        return f"{head}{each} {others}".strip(), outcome, q.people[0].intent, tuple(dict.fromkeys(sources))

    def _joined(self, q: _Asked) -> bool:
        """True when the first two people a question names stand joined: only a word for "and"
        or "with" between them ("X and Y", "X und Y", "X和Y"), or the deed with one ("X witnessed
        the signing alongside Y")."""
        first, second = q.people[0], q.people[1]
        a, b = self._latin_spans(first, q.text), self._latin_spans(second, q.text)
        if a and b and a[1] <= b[0]:
            words = [
                w
                for w in q.text[a[1] : b[0]].split()
                if deed_in(w) is None and w not in _ARTICLES and not named_in(self.facts.events, w)
            ]
            return all(w in _JOINING for w in words) and (not words or words[-1] in _JOINING)
        a, b = self._han_spans(first, q.han), self._han_spans(second, q.han)
        return bool(a and b and a[1] <= b[0] and q.han[a[1] : b[0]] in _JOINING)

    def _not_doers(self, q: _Asked, lang: str, _r: Ranking) -> Found | None:
        """ "Who did not sign?": each person the release names who did not do the deed, then those
        who did (not the doers alone, as if they answered it). None for a named person's question
        ("why did X not sign?": its own check), a yes/no one, or a deed not negated."""
        if q.people or q.yesno or not asked(q.text) & {"person", "role_person"}:
            return None
        negated = [d for d, pattern in _NOT_DEED.items() if pattern.search(q.joined)]
        if len(negated) != 1:
            return None
        deed = negated[0]
        others = [p for p in self.facts.people if deed not in p.did]
        if not others or not self.facts.doers(deed):
            return None
        did_not = DEED_TEXT[lang][deed][1]
        sep = "" if lang == "zh" else " "
        end = "。" if lang == "zh" else "."
        lines = [f"{p.name[lang]}{sep}{did_not}{end}" for p in others]
        text, sources = self._doers(deed, lang)
        found = tuple(dict.fromkeys((*(s for p in others for s in p.source), *sources)))
        intent = next((p.intent for p in others if p.intent), None)
        return (" " if lang != "zh" else "").join([*lines, text]), "answered", intent, found

    def _title_did(self, q: _Asked, lang: str, _r: Ranking) -> Found | None:
        """ "Warum war der Bürgermeister Zeuge?", "Did the mayor sign it?": a deed given to a title
        that none of those who did it holds (in their names or profiles): not so, with who did it;
        None when one of them holds it ("Did the CEO sign?") or the question names a person."""
        deed = q.deed
        if deed is None or deed == "quoted" or q.people or q.events[1:] or q.years or _FOR.search(q.joined):
            return None  # ("signed for the mayor's office" names a side, not the doer)
        # The titles given to the doer: as the whole question reads them, and the agent's ("signed
        # by the mayor", where "by" otherwise marks someone else's title beside the subject's).
        titles = roles_in(q.text, held=True).union(
            *(roles_in(m.group(1)) for m in _BY_TITLE.finditer(q.text))
        )
        doers = self.facts.doers(deed)
        if not titles or not doers:
            return None
        if any(titles & roles_in(self._said_of(p), held=True) for p in doers):
            return None
        text, sources = self._doers(deed, lang)
        return f"{T[lang]['no_title_doer']}\n{text}", "answered", doers[0].intent, sources

    def _deed_in_passing(self, q: _Asked, lang: str, ranking: Ranking) -> Found | None:
        """A deed the question gives one person in passing ("What did X say as a witness?") that
        the release gives others: corrected (who did it), then the best answer to the rest."""
        if len(q.people) != 1 or q.yesno or asked(q.text) & {"person", "role_person"}:
            return None  # ("Who was there as a witness when X signed?": the one asked, not X)
        person = q.people[0]
        deed = next((d for d, p in _AS_DOER.items() if self._after_person(p, person, q)), None)
        best = ranking.best
        near = self.kb.get(best.intent) if best is not None else None
        if deed is None or deed in person.did or near is None or near.kind not in ("fact", "unknown"):
            return None
        others, sources = self._doers(deed, lang)
        texts = DEED_TEXT[lang][deed]
        head = T[lang]["no_deed"].format(person=person.name[lang], deed_not=texts[1], others=others)
        sources = tuple(dict.fromkeys(sources + near.source))
        return f"{head.strip()}\n{near.answer[lang]}", "unknown", near.id, sources

    def _after_person(self, pattern: re.Pattern[str], person: Person, q: _Asked) -> bool:
        """True when `pattern` stands in the question after the person's name ("X as a witness"),
        or opens it ("As a witness, what did X say?")."""
        for text, spans in ((q.text, self._latin_spans), (q.han, self._han_spans)):
            named, found = spans(person, text), pattern.search(text)
            if named is not None and found is not None and (named[1] <= found.start() or found.start() == 0):
                return True
        return False

    def _doers_asked(self, q: _Asked, lang: str, ranking: Ranking) -> Found | None:
        """ "Who witnessed it?" when the best fact names people of whom none did that deed (the
        signatories for the witnesses): the people who did it, from the typed facts; None when
        the best fact names one of them (its answer says more) or names no one."""
        deed = q.deed
        if deed is None or deed == "quoted" or q.people or q.yesno or q.orgs:
            return None
        if not asked(q.text) & {"person", "role_person"}:
            return None
        best = ranking.best
        top = self.kb.get(best.intent) if best is not None else None
        if top is None or top.kind != "fact":
            return None
        named = named_in(self.facts.people, normalise(top.answer[lang]))
        if any(deed in p.did for p in named):
            return None
        if not named and not _WHICH_PERSON.search(q.joined):
            # A fact that names no one answers "who" as well as the ranking says; "which persons
            # signed it?" asks for people by a word for them, which no such fact gives.
            return None
        doers = self.facts.doers(deed)
        if not doers:
            return None
        text, sources = self._doers(deed, lang)
        return text, "answered", doers[0].intent, sources

    def _words_of(self, q: _Asked, lang: str, ranking: Ranking) -> Found | None:
        """ "What does X think of the city?" of the person the release quotes: the best-ranked
        answer that quotes X (among the first few), even when the ranking is torn between it and
        others; a known unknown ranked above it and sure says it with more context."""
        if q.deed != "quoted" or len(q.people) != 1 or q.yesno or q.events or q.years:
            return None
        person = q.people[0]
        if "quoted" not in person.did or not asked(q.text) <= {"quote"}:
            return None
        if any(self._named(f.items, q.text, q.han) for f in self.facts.lists):
            return None  # "what did X say about the metro?": words on a topic the quote may not cover
        about_party = any(p.role == "party" for p in q.places) or any(
            o.id != person.organisation for o in q.orgs
        )
        about_deal = any(f.of and self._first(f.of, q.text, q.han) >= 0 for f in self.facts.lists)
        if not (about_party or about_deal):
            return None  # a view on the city or the deal is what the quote gives
        for item in ranking.items[:_QUOTE_RANKS]:
            intent = self.kb.get(item.intent)
            if intent is None:
                continue
            if intent.kind == "unknown" and item.probability >= _SURE:
                return None  # "what did X say about the metro lines?": the release does not say
            if intent.kind != "fact" or "quote" not in intent.provides:
                continue
            if person in named_in(self.facts.people, normalise(intent.answer[lang])):
                return intent.answer[lang], "answered", intent.id, intent.source
        return None
