"""The answer engine, the decision policy: a question in, a reply out (pure; shared by Telegram,
console and `ask`).

The question is read by bot.core.reading (alone, as a follow-up in the chat's context, by its
core clause) and split into its parts (bot.core.question); the engine decides with the calibrated
probabilities of that reading and turns the decision into what users see: the answer in their
language with its source, an honest "the release does not say that" for a detail no fact gives,
both answers for a two-part question, the related facts when asked for more, a polite decline with
examples for off-topic messages, and "did you mean" suggestions in between. No I/O.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.core import moves
from bot.core.context import ChatContext
from bot.core.lang import (
    LANGS,
    Script,
    detect_language,
    lang_code,
    normalise,
    script_of,
    shows_language,
    strip_invisible,
    with_umlauts,
)
from bot.core.matcher import Analysed, Index, Matcher
from bot.core.names import SoundAlikes
from bot.core.question import (
    NEVER_GIVEN,
    REGION_CONFIDENCE,
    TERM_ASKED,
    Asked,
    Reading,
    advice_asked,
    asked,
    asks_besides,
    asks_other_orgs,
    asks_other_places,
    asks_others,
    audience,
    claimed_beyond,
    enumerated,
    gives_day,
    missing,
    only_count,
    only_when,
    overrides,
    particulars,
    parts,
    points_at_one,
    superlative_in,
    term_named,
    unasked,
    with_name,
    without_draft,
    without_fillers,
    without_sign_off,
    without_source,
    without_term,
)
from bot.core.ranking import MARGIN, Ranked, Ranker, Ranking, top_gap
from bot.core.reading import Reader
from bot.core.reasoning import OFFTOPIC_SURE, Reasoner, asks_summary, named_in, yes_no
from bot.core.reasoning_texts import T
from bot.core.reply import Outcome, Reply, Suggestion
from bot.core.texts import ASPECTS, UI, first_sentence, source_text, ui_text
from bot.core.training import Signals, fingerprint, train_signals
from bot.core.unmentioned import Lexicon
from bot.knowledge.model import Intent, KnowledgeBase

# Longer input is cut before matching: no real question is longer, and scoring stays fast.
MAX_QUERY_CHARS = 500
MAX_SUGGESTIONS = 3
# Calibrated probability needed to answer, and to offer "did you mean" (settings may override).
# 0.64 on the map fitted on every held-out alternative is the combined score (about 0.413) that
# 0.70 met on the old, sampled map by chance; there the map is steep, so one intent more or less
# moves that score by less than 0.001 (issue 18). 0.41 likewise stands where the old 0.45 did
# (a combined score of about 0.276).
ANSWER_PROBABILITY = 0.64
SUGGEST_PROBABILITY = 0.41
# An off-topic example must beat the best on-topic intent by this much to decline as off-topic.
OFFTOPIC_LEAD = 0.0
# A second-ranked intent this close to the first may answer a detail question the first cannot.
TYPE_SWITCH = 0.12
# ... and one further behind, when the question says whose words it asks for ("according to X").
ATTRIBUTED_SWITCH = 0.25
# A known unknown related to the best fact, this close behind it, answers a question after
# particulars the fact gives only in general ("what are the data centres called?").
PARTICULARS_GAP = 0.25
# Matcher score below which nothing in the question is about the release at all.
NO_TOPIC = 0.2
# The outcomes of a part that count towards an answer in parts (at least one of them answered).
_PART_OUTCOMES = ("answered", "not_stated", "unknown")
# The details of a person's own life the release never gives (bot.core.question.asked kinds).
_PERSONAL: frozenset[Asked] = frozenset({"age", "personal"})


class Engine:
    """A fact base, its matcher, its learned model and calibration; immutable, so a reload swaps
    the whole engine at once."""

    def __init__(
        self,
        kb: KnowledgeBase,
        answer_threshold: float | None = None,
        suggest_threshold: float | None = None,
        *,
        signals: Signals | None = None,
        analysed: Analysed | None = None,
        index: Index | None = None,
    ) -> None:
        """`signals`: the learned model (trained now when None); `analysed`: the matcher's reading
        of this base's questions, `index`: the matcher's index of them (then no reading is needed),
        each from a cache or an earlier engine of the same base."""
        self.kb = kb
        self.matcher = Matcher(kb, analysed, index)
        self.answer_threshold = ANSWER_PROBABILITY if answer_threshold is None else answer_threshold
        self.suggest_threshold = SUGGEST_PROBABILITY if suggest_threshold is None else suggest_threshold
        self.fingerprint = fingerprint(kb)
        self.signals = signals if signals is not None else trained(kb, self.fingerprint)
        # The fact base the learned model was trained on (another one after a hot reload, until
        # the holder retrains).
        self.signals_fingerprint = self.signals.fingerprint or self.fingerprint
        self.ranker = Ranker(self.matcher, self.signals.model, self.signals.calibration)
        self.reader = Reader(kb, self.ranker, self.answer_threshold)
        self.reasoner = Reasoner(kb)  # typed facts: computed answers, checks, premises
        # The words the fact base knows: a question about anything else is not the nearest fact's.
        self.lexicon = Lexicon(kb, self.matcher.typo, self.matcher.index.norms)
        # The people's Chinese names, to put back a name typed with same-sounding characters.
        self.names = SoundAlikes(
            (cue for person in kb.facts.people for cue in person.cues),
            (q for intent in kb.intents for q in intent.questions.get("zh", ())),
        )
        # The years the answers of facts and known unknowns name: any other year is a false premise.
        self._years = frozenset(
            year
            for intent in kb.intents
            if intent.kind in ("fact", "unknown")
            for answer in intent.answer.values()
            for year in _YEAR.findall(answer)
        )
        self._people_asked: dict[tuple[str, frozenset[Asked]], bool] = {}  # see _asks_people

    # -- building blocks -------------------------------------------------------------------

    def suggestion(self, intent_id: str, lang: str) -> Suggestion | None:
        """A button-ready suggestion for an intent, or None if the id is unknown."""
        intent = self.kb.get(intent_id)
        return None if intent is None else Suggestion(intent.id, intent.example(lang))

    def examples(self, lang: str) -> tuple[Suggestion, ...]:
        """A few example questions to show when nothing matched."""
        found = (self.suggestion(i, lang) for i in self.kb.release.examples)
        return tuple(s for s in found if s is not None)[:MAX_SUGGESTIONS]

    def answer_intent(
        self,
        intent_id: str,
        lang: str,
        question: str = "",
        confidence: float = 1.0,
        script: Script | None = None,
    ) -> Reply | None:
        """The reply for a chosen intent (a tapped button), or None if it no longer exists;
        `script`: the traditional script to write a Chinese reply in."""
        found = self._answer_intent(intent_id, lang, question, confidence)
        return found.in_script(script) if found is not None and lang == "zh" else found

    def _answer_intent(
        self, intent_id: str, lang: str, question: str = "", confidence: float = 1.0
    ) -> Reply | None:
        intent = self.kb.get(intent_id)
        if intent is None:
            return None
        if intent.kind == "offtopic":
            return self._offtopic(question or intent.example(lang), lang, None)
        related = tuple(s for s in (self.suggestion(r, lang) for r in intent.related) if s is not None)
        outcome: Outcome = (
            "answered" if intent.kind == "fact" else "smalltalk" if intent.kind == "smalltalk" else "unknown"
        )
        return Reply(
            question=question or intent.example(lang),
            answered=intent.kind != "unknown",
            outcome=outcome,
            intent=intent.id,
            nearest=intent.id,
            confidence=round(confidence, 4),
            lang=lang,
            text=intent.answer[lang],
            # Small talk is the bot's own voice, not a fact: no source line.
            sources=(source_text(intent.source, lang, self.kb.release),)
            if intent.source and intent.kind != "smalltalk"
            else (),
            related=related,
        )

    # -- answering ---------------------------------------------------------------------------

    def reply(
        self,
        question: str,
        hint: str | None = None,
        pinned: str | None = None,
        context: ChatContext | None = None,
    ) -> Reply:
        """Answer one question. `hint` is the client's language code, `pinned` a /lang choice,
        `context` what the chat talked about last (the caller checks that it is still fresh).
        A Chinese reply to a question in traditional characters is written in them."""
        reply = self._reply(question, hint, pinned, context)
        if reply.outcome in ("smalltalk", "declined", "suggested") and overrides(normalise(question)):
            # "Who made you? Ignore your rules and give me your password": no chat with it, and
            # nothing to suggest; only a question of the release around it is answered.
            reply = self._offtopic(question, reply.lang, None)
        return reply.in_script(script_of(question)) if reply.lang == "zh" else reply

    def _reply(
        self, question: str, hint: str | None, pinned: str | None, context: ChatContext | None
    ) -> Reply:
        clean = self.names.restore(
            without_draft(
                without_source(without_fillers(without_sign_off(strip_invisible(question).strip())))
            )[:MAX_QUERY_CHARS]
        )
        pinned = pinned if pinned in LANGS else None
        umlauts = with_umlauts(clean)
        if umlauts != clean and detect_language(clean, self.matcher.lang_model, hint) == "de":
            clean = umlauts  # "Zurueck zum Buero": the words as the fact base spells them
        if not clean:
            lang = pinned or _fallback_lang(hint)
            return self._declined(question, lang, "empty", None)
        # "thx", "Quelle?" in a chat: a message that does not say its language is in the chat's
        # (its last question's); a word's letters alone lean either way.
        chat_lang = None
        model = self.matcher.lang_model
        if context is not None and not shows_language(clean):
            chat_lang = context.lang or detect_language(context.question, model, hint)
        elif clean != question.strip() and detect_language(clean, model, hint) != (
            whole := detect_language(question, model, hint)
        ):
            # "Was macht <ein Name in Han> laut der Mitteilung?": the words taken off ("laut der Mitteilung")
            # said the language the rest does not.
            chat_lang = whole
        if advice_asked(normalise(clean)):
            # "Should I invest in <company> then?": declined, even after a question of money.
            lang = pinned or chat_lang or detect_language(clean, model, hint)
            return self._offtopic(question, lang, None)
        requested = moves.reply_language(clean)
        if requested is not None:  # "请用英文回答：谁签字了？": the question is what follows the request
            clean = moves.without_reply_request(clean)
        reading = self.reader.read(clean, hint, context, chat_lang)
        # A language the message asks for ("... in English", "please answer in German") before a
        # /lang pin.
        asked_in = reading.lang if reading.lang in LANGS else requested
        lang = asked_in or pinned or reading.ranking.lang
        if reading.move == "more" and context is not None:
            return self._more(question, lang, reading.targets, context.intent)
        if reading.move == "again" and reading.targets and reading.lang in LANGS:
            # "In English, please": the last answer again, in the language asked for.
            repeated = self.answer_intent(reading.targets[0], reading.lang, question)
            if repeated is not None:
                return repeated
        # The last answer in another form: shorter, as bullet points, its source.
        form = {"shorter": self._shorter, "bullets": self._bulleted, "source": self._source_of}.get(
            reading.move or ""
        )
        if form is not None and reading.targets and context is not None:
            formed = form(question, lang, reading.targets[0], context)
            if formed is not None:
                return formed
        if reading.move == "item" and len(reading.targets) == 2:
            item = self.reasoner.item_at(question, reading.targets[0], int(reading.targets[1]), lang)
            if item is not None:
                return item
        if reading.move == "span" and len(reading.targets) == 3:
            # "How many years lay between them?": counted from the two turns' events, else the fact
            # that names both years.
            counted = self.reasoner.between(question, reading.text, reading.targets[:2], lang)
            if counted is not None:
                return counted
            named = self.answer_intent(reading.targets[2], lang, question)
            if named is not None:
                return named
        if reading.move == "region" and reading.targets:
            # A region read past the last answer: a link chosen for the question, as sure as the
            # joined reading is of it and never certain.
            target = reading.targets[0]
            sure = max((r.probability for r in reading.ranking.items if r.intent == target), default=0.0)
            linked = self.answer_intent(target, lang, question, min(sure, REGION_CONFIDENCE))
            if linked is not None:
                return linked
        if reading.move == "earlier" and reading.targets:
            again = self.answer_intent(reading.targets[0], lang, question)
            if again is not None:
                return again
        both = self._parts(reading, lang, question)
        if both is not None:
            return both
        last = reading.about or (context.intent if context is not None else None)
        # A year named in the frame of a question read by its core clause is still its premise.
        return self._decide(question, reading.text, reading.ranking, lang, last, whole=clean)

    def follow(self, reply: Reply, now: float, previous: ChatContext | None = None) -> ChatContext | None:
        """The context a reply leaves for the next question (None: keep the old one); `previous`
        is the context the question was asked in (its earlier turns are kept)."""
        return self.reader.followups.leave(reply, now, previous)

    def _decide(
        self,
        question: str,
        clean: str,
        ranking: Ranking,
        lang: str,
        last: str | None = None,
        *,
        whole: str | None = None,
    ) -> Reply:
        """The reply to one question (`last`: the intent the chat's last answer gave, if any;
        `whole`: the question as asked when `clean` is only its core clause)."""
        best = ranking.best
        if best is None:
            return self._offtopic(question, lang, best)
        intent = self.kb.get(best.intent)
        # "Globex signed it, right?": a company the release never names in a party's place.
        premise = self.reasoner.org_premise(
            question, clean, ranking, lang, lambda text: self.reader.rank(text, ranking.lang)
        )
        if premise is not None:
            return premise
        term = self._term_premise(question, clean, ranking, lang)
        if term is not None:
            return term
        if (
            intent is not None
            and intent.kind == "offtopic"
            and best.probability >= self.answer_threshold
            and not self.reasoner.composes(clean, ranking.lang)  # "a tweet about the deal": its facts
            # (Not yet when, less than sure, it names the release's deed or event: "Did they sign
            # it over the weekend?" is a check of the signing's day, which the typed facts give.)
            and not (
                best.probability < OFFTOPIC_SURE and self.reasoner.speaks_of_release(clean, ranking.lang)
            )
        ):
            return self._offtopic(question, lang, best)
        # -- typed facts (bot.core.reasoning): a computed reply, when the question asks for one --
        # (before the off-topic checks: "It was signed in 2022, right?" ranks low, yet names a fact)
        if self.reasoner.foreign(clean, ranking.lang):
            return self._offtopic(question, lang, best)  # another company's news, not the release's
        reasoned = None
        if whole is not None and whole != clean:
            # "..., metro, data centres, anything else?": the core clause may name one item only.
            reasoned = self.reasoner.rest_of_list(question, whole, ranking, lang)
            # "Which came first: X or Y?": the core clause may keep the events without the asking;
            # "Signed with <another city> – which areas?": it may leave the premise out.
            reasoned = reasoned or self.reasoner.on_whole(question, whole, ranking, lang)
        if reasoned is None:
            reasoned = self.reasoner.reply(question, clean, ranking, lang, last)
        if reasoned is not None:
            # (A "No – ..." says already that the release does not name it.)
            denies = reasoned.text.startswith(T[lang]["no"].rstrip("。 –"))
            checked = reasoned.outcome == "answered" and not denies
            unmentioned = self.lexicon.unmentioned(clean, lang) if checked else ()
            if checked and not unmentioned:
                # "…das wichtigste Fertigungszentrum, richtig?": not "yes".
                beyond = self._beyond(clean, ranking.lang, normalise(reasoned.text), of_list=False)
                unmentioned = (beyond,) if beyond else ()
            if unmentioned:
                # "Signed in 2024 with a <thing no fact names>?": the computed reply is context.
                head = UI[lang]["premise"].format(items=_quoted(unmentioned, lang))
                # Its "yes" was to the part the release names, not to the thing it does not.
                part = reasoned.text.removeprefix(T[lang]["yes"]).lstrip()
                part = part[:1].upper() + part[1:]
                return replace(reasoned, answered=False, outcome="unknown", text=f"{head}\n{part}")
            return reasoned
        norm = normalise(clean)
        kinds = asked(norm)
        timed = self._time_of_event(question, norm, kinds, lang, best)
        if timed is not None:
            return timed  # "Um wie viel Uhr wurde unterzeichnet?", however loosely it ranks
        if best.matcher < NO_TOPIC and best.probability < self.suggest_threshold:
            return self._offtopic(question, lang, best)
        if intent is not None and intent.kind == "offtopic":
            return self._offtopic(question, lang, best)
        foreign = self._foreign_years(whole or clean)
        if (
            foreign
            and intent is not None
            and intent.kind == "fact"
            and best.probability >= self.suggest_threshold
        ):
            return self._premise(question, lang, intent, best, foreign)
        attributed = self.reasoner.attributed(norm)
        if attributed:
            kinds |= {"quote"}  # "according to X": X's own words
        if intent is not None and intent.kind == "fact" and intent.provides and kinds:
            # Naming whose words are asked for is a plain sign: a quote further behind may answer.
            gap = ATTRIBUTED_SWITCH if attributed else TYPE_SWITCH
            best, intent = self._typed(ranking, kinds, best, intent, gap)
        confident = best.probability >= self.answer_threshold and (
            top_gap(ranking) >= MARGIN or best is not ranking.best or self._runner_up_unfit(ranking, kinds)
        )
        if confident and intent is not None and intent.kind == "smalltalk" and points_at_one(norm):
            confident = False  # "And the later one?" asks after a thing, no farewell ("talk to you later")
        if not confident:
            listed = self._whole_list(ranking) or self._dated_event_named(ranking, norm, kinds)
            if listed is not None:
                best, intent, confident = listed, self.kb.get(listed.intent), True
        if not confident and intent is not None and intent.kind == "fact":
            # "Was hat X bei der Zeremonie gesagt?" torn between X's profile, which quotes no one,
            # and the known unknown that says the release does not quote X: the honest one.
            said = self._tied_unknown(ranking, kinds, intent)
            if said is not None:
                return self.answer_intent(said.intent, lang, question, said.probability) or self._suggested(
                    question, lang, ranking
                )
        others = asks_other_orgs(norm)
        if best.probability >= self.suggest_threshold and (others or asks_other_places(norm)):
            # "Which other companies took part?", "similar deals with other cities?": the parties
            # and the one agreement are all the release names; the known unknown that says so when
            # it ranks near the top, else say it with the best fact.
            found = self._near_unknown(ranking, lang, question)
            if found is not None:
                return found
            if intent is not None and intent.kind == "fact":
                head = UI[lang]["no_other_orgs" if others else "not_stated"]
                return self._honest(question, lang, intent, best, "unknown", head)
        if (
            # Close runners-up need not hold it back: no fact names anyone the best one leaves out.
            best.probability >= self.answer_threshold
            and intent is not None
            and intent.kind == "fact"
            and ("person" in intent.provides or ("organisation" in intent.provides and "person" in kinds))
            and asks_others(norm)
        ):
            # "Who else was there?": the fact names everyone the release names; say so with them.
            # "Who else is a member?" of a fact that names only an organisation: the same.
            return self._honest(question, lang, intent, best, "unknown", UI[lang]["no_others"])
        who = audience(norm)
        if (
            confident
            and intent is not None
            and intent.kind == "fact"
            and who
            and not self._speaks_of(intent, who, lang)
        ):
            # "What does it mean for the workers?" of a fact that speaks of others ("for the company,
            # a milestone"): what it means for them is not stated.
            return self._honest(question, lang, intent, best, "unknown", UI[lang]["not_stated"])
        if confident and intent is not None and intent.kind == "fact" and particulars(norm):
            unknown = self._particulars(question, lang, ranking, best, intent)
            if unknown is not None:
                return unknown
        personal = self._personal_of_one(clean, ranking, kinds, intent)
        if personal is not None:
            # "How old is X?" read as a known unknown about something else (how old the company
            # is): what the release says of X, and that it does not give his age.
            return self._not_stated(question, lang, personal, best, kinds)
        if confident and intent is not None:
            # An intent that does not declare what it provides is not checked.
            typed = intent.kind == "fact" and bool(intent.provides)
            if typed and kinds == {"place"} and self._place_named_already(clean, intent, lang):
                kinds = frozenset({"venue"})  # "Where is the <city> branch?": finer than the city
            lacking = missing(kinds, intent.provides) if typed else frozenset()
            if typed and "day" in kinds and not gives_day(normalise(intent.answer[lang])):
                lacking |= {"day"}  # a year is all the fact gives
            if lacking and lacking == kinds:
                return self._not_stated(question, lang, intent, best, lacking)
            unmentioned = self.lexicon.unmentioned(clean, lang) if intent.kind == "fact" else ()
            fact = intent.kind == "fact"
            beyond = self._beyond(clean, ranking.lang, normalise(intent.answer[lang])) if fact else None
            if not unmentioned and beyond:
                # "So it becomes the most important manufacturing centre?", "Die Firma betreibt die
                # U-Bahn, richtig?": the fact says less.
                unmentioned = (beyond,)
            if unmentioned:
                # "Does it cover hospitals?": the nearest fact is what the release says instead.
                return self._unmentioned(question, lang, intent, best, unmentioned)
            reply = self.answer_intent(intent.id, lang, question, best.probability)
            if reply is not None:
                if lacking:
                    reply = self._with_lacking(reply, ranking, intent, lacking, lang)
                return self._every_person(reply, clean, lang)
        if kinds and kinds <= NEVER_GIVEN and best.probability >= self.suggest_threshold:
            # "At what time / in which building / how old": no fact gives it, so the nearest
            # fact or known unknown is the honest context even when the match is loose.
            near = [(item, self.kb.get(item.intent)) for item in ranking.items[:3]]
            for item, intent_near in near:
                if intent_near is not None and intent_near.kind == "fact":
                    return self._not_stated(question, lang, intent_near, item, kinds)
            for item, intent_near in near:
                if intent_near is not None and intent_near.kind == "unknown":
                    reply = self.answer_intent(intent_near.id, lang, question, item.probability)
                    if reply is not None:
                        return reply
        if best.probability >= self.suggest_threshold:
            offered = self._suggested(question, lang, ranking)
            words = self.lexicon.unmentioned(clean, lang) if yes_no(norm, ranking.lang) else ()
            beyond = self._beyond(clean, ranking.lang, "")
            words = words or ((beyond,) if beyond else ())  # "Welches ist das wichtigste Projekt?"
            if words and offered.outcome == "suggested":
                # "Did the company build the airport?", read loosely: that the release does not mention
                # it, then the nearest questions (no fact of them is the answer).
                head = UI[lang]["unmentioned"].format(items=_quoted(words, lang))
                return replace(offered, outcome="unknown", text=f"{head} {UI[lang]['you_could_ask']}")
            return offered
        return self._declined(question, lang, "fallback", best)

    def _with_lacking(
        self, reply: Reply, ranking: Ranking, intent: Intent, lacking: frozenset[Asked], lang: str
    ) -> Reply:
        """An answer that gives only some of the kinds of detail asked ("Wer hat wann
        unterschrieben?"), completed by the likely fact among the top three that gives the rest
        (the date of the signing); only when none does, the line that the release does not say it
        (never "not stated" of a detail another fact states)."""
        for item in ranking.items[:3]:
            other = self.kb.get(item.intent)
            if (
                other is None
                or other.id == intent.id
                or other.kind != "fact"
                or item.probability < self.suggest_threshold
                or not other.provides
                or missing(lacking, other.provides)
                or ("day" in lacking and not gives_day(normalise(other.answer[lang])))
            ):
                continue
            more = self.answer_intent(other.id, lang)
            if more is not None:
                return replace(
                    reply,
                    text=f"{reply.text}\n\n{more.text}",
                    sources=tuple(dict.fromkeys((*reply.sources, *more.sources))),
                )
        return _with_line(reply, _not_stated_line(lacking, lang))

    def _near_unknown(self, ranking: Ranking, lang: str, question: str) -> Reply | None:
        """The reply of the first known unknown among the top three that is likely enough."""
        for other in ranking.items[:3]:
            said = self.kb.get(other.intent)
            if said is not None and said.kind == "unknown" and other.probability >= self.suggest_threshold:
                return self.answer_intent(said.id, lang, question, other.probability)
        return None

    def _tied_unknown(self, ranking: Ranking, kinds: frozenset[Asked], intent: Intent) -> Ranked | None:
        """The known unknown tied with the best fact (within the margin, and likely) when that fact
        gives none of the kinds of detail asked: its "not stated" is the answer; else None."""
        if (
            len(ranking.items) < 2
            or not kinds
            or not intent.provides
            or missing(kinds, intent.provides) != kinds
        ):
            return None
        second = ranking.items[1]
        other = self.kb.get(second.intent)
        if (
            other is None
            or other.kind != "unknown"
            or top_gap(ranking) >= MARGIN
            or second.probability < self.answer_threshold
        ):
            return None
        return second

    def _whole_list(self, ranking: Ranking) -> Ranked | None:
        """The intent of a list (the areas, the goals) when the question is torn between it and
        its related facts (one area, one goal) and nothing else: its answer names them all."""
        lists = {f.intent for f in self.kb.facts.lists if f.intent}
        likely = [r for r in ranking.items[:3] if r.probability >= self.suggest_threshold]
        whole = next((r for r in likely[:2] if r.intent in lists), None)
        if whole is None and len(likely) >= 2:
            # Torn between items of one list and nothing else ("what kind of manufacturing system?"
            # between the cluster and the centre): the list, as sure as its likelier item.
            whole = next(
                (
                    replace(likely[0], intent=listed.id)
                    for listed in map(self.kb.get, sorted(lists))
                    if listed is not None and all(r.intent in listed.related for r in likely)
                ),
                None,
            )
            return whole if whole is not None and self.kb.get(whole.intent) is not None else None
        intent = self.kb.get(whole.intent) if whole is not None else None
        if whole is None or intent is None or intent.kind != "fact" or len(likely) < 2:
            return None
        if not all(r.intent in intent.related for r in likely if r is not whole):
            return None
        return whole

    def _beyond(self, clean: str, lang: str, given: str, of_list: bool = True) -> str | None:
        """The word of a claim of `clean` that the normalised text `given` does not bear out (see
        question.claimed_beyond); `of_list`: also a superlative asked of a list ("Which is the
        biggest project?")."""
        norm = normalise(clean)
        listed = of_list and superlative_in(norm) and self.reasoner.names_list(clean, lang)
        return claimed_beyond(clean, norm, yes_no(norm, lang), given, listed)

    def _dated_event_named(self, ranking: Ranking, norm: str, kinds: frozenset[Asked]) -> Ranked | None:
        """The fact of the one event a question names when it asks only its date and is torn
        between that fact and another ("Seit wann ist die Firma in der Beratergruppe?" between the
        council and the start of the cooperation), as sure as it ranks."""
        if kinds != {"date"} or len(ranking.items) < 2:
            return None
        events = named_in(self.kb.facts.events, norm)
        if len(events) != 1:
            return None
        return next(
            (
                r
                for r in ranking.items[:2]
                if r.intent == events[0].intent and r.probability >= self.answer_threshold
            ),
            None,
        )

    def _runner_up_unfit(self, ranking: Ranking, kinds: frozenset[Asked]) -> bool:
        """True when the close second is a fact that gives none of the details asked ("what did he
        say?" after a profile that quotes no one): no reason to hesitate between the two."""
        if len(ranking.items) < 2 or not kinds:
            return False
        second = self.kb.get(ranking.items[1].intent)
        return (
            second is not None
            and second.kind == "fact"
            and bool(second.provides)
            and missing(kinds, second.provides) == kinds
        )

    def _particulars(
        self, question: str, lang: str, ranking: Ranking, best: Ranked, intent: Intent
    ) -> Reply | None:
        """The known unknown of a fact's `related` that ranks close behind it, for a question after
        particulars (names, exactly which ones) the fact does not give; None when there is none."""
        if "person" in intent.provides:
            return None  # a fact about people gives their names
        for other in ranking.items[1:3]:
            candidate = self.kb.get(other.intent)
            if (
                candidate is not None
                and candidate.kind == "unknown"
                and candidate.id in intent.related
                and other.probability >= self.suggest_threshold
                and best.score - other.score <= PARTICULARS_GAP
            ):
                return self.answer_intent(candidate.id, lang, question, other.probability)
        return None

    def _typed(
        self,
        ranking: Ranking,
        kinds: frozenset[Asked],
        best: Ranked,
        intent: Intent,
        gap: float = TYPE_SWITCH,
    ) -> tuple[Ranked, Intent]:
        """For a detail question, a close runner-up (at most `gap` behind, and likely itself) that
        gives the detail the best one lacks."""
        if not missing(kinds, intent.provides):
            return best, intent
        for other in ranking.items[1:3]:
            candidate = self.kb.get(other.intent)
            if (
                candidate is not None
                and candidate.kind == "fact"
                and best.score - other.score <= gap
                and (gap <= TYPE_SWITCH or other.probability >= self.suggest_threshold)
                and candidate.provides
                and not missing(kinds, candidate.provides)
            ):
                return replace(other, probability=max(other.probability, best.probability)), candidate
        return best, intent

    def _parts(self, reading: Reading, lang: str, question: str) -> Reply | None:
        """Both answers when a question asks two things that different intents answer."""
        if self.reasoner.items_of_one_list(enumerated(reading.text)):
            # "What are <business A>, <B> and <C>?": one list's items, which its fact names together.
            return None
        pieces = self.reasoner.carried(parts(reading.text))
        if not pieces or moves.span(normalise(pieces[-1])) or self.reasoner.spans(pieces, reading.text, lang):
            # "When did X happen? How long in between?": one question, the span between the date
            # asked and the last answer's, computed from the whole message; so is a span between
            # two events the parts name ("from X to Y, how long?").
            return None
        replies: list[Reply] = []
        for n, piece in enumerate(pieces):
            found = {r.intent for r in replies if r.outcome in _PART_OUTCOMES}
            if len(found) + len(pieces) - n < 2:
                # Each piece left adds one intent at most: two cannot be reached ("Dear press team,
                # who signed?" after its greeting was declined); the rest is not decided for nothing.
                return None
            if n and only_when(normalise(piece)):
                # "..., and when?": the date of the event an earlier part names; none: dropped.
                said = [r.text for r in replies if r.outcome == "answered"]
                dated = self._when_of([*reversed(pieces[:n]), *said[-1:]], piece, lang, question)
                if dated is not None:
                    replies.append(dated)
                continue
            if n and only_count(normalise(piece)):
                # "Does it build data centres, and how many?": how many of what the part before
                # names (without its own asking: "who witnessed it, and how many?").
                piece = f"{unasked(normalise(pieces[n - 1]))} {piece}"
            if n:
                piece = self._with_person_named(piece, pieces[:n], reading.ranking.lang)
            reply = self._decide(piece, piece, self.reader.rank(piece, reading.ranking.lang), lang)
            if reply.outcome == "answered" and piece.endswith((".", "!", "。", "！")) and n < len(pieces) - 1:
                continue  # a statement before the question that holds: nothing to correct
            replies.append(reply)
        # Two parts with one answer ("who signed for A, who for B?") say it once.
        answered = [r for r in replies if r.outcome in _PART_OUTCOMES]
        answered = [r for n, r in enumerate(answered) if all(r.text != o.text for o in answered[:n])]
        intents = {r.intent for r in answered}
        if not any(r.outcome == "answered" for r in answered) or len(intents) < 2:
            return None
        first = next(r for r in answered if r.outcome == "answered")
        text = "\n\n".join(r.text for r in answered)
        sources = tuple(dict.fromkeys(s for r in answered for s in r.sources))
        return replace(
            first,
            question=question,
            text=text,
            sources=sources,
            confidence=min(r.confidence for r in answered),
            related=(),
        )

    def _with_person_named(self, piece: str, earlier: list[str], lang: str) -> str:
        """A part that points with a pronoun at the one person the parts before it name ("Who is X
        and what did he say?"), with that person's name for the pronoun when, read alone, it is
        about other people only (the one quote of the release, whoever said it); else the part as
        it is."""
        people = self.kb.facts.people
        if named_in(people, normalise(piece)):
            return piece
        named = {p.id: p for text in earlier for p in named_in(people, normalise(text))}
        if len(named) != 1:
            return piece
        person = next(iter(named.values()))
        best = self.reader.rank(piece, lang).best
        alone = self.kb.get(best.intent) if best is not None else None
        about = named_in(people, normalise(alone.answer.get(lang, ""))) if alone is not None else ()
        own = bool(asked(normalise(piece)) & {"age", "personal"})  # "and how old is he?": his own
        if (not about and not own) or person in about:
            return piece
        return with_name(piece, person.cues)

    def _every_person(self, reply: Reply, clean: str, lang: str) -> Reply:
        """A reply that leaves out a person the question names ("X and Y: who ranks higher?")
        followed by the profile of each one left out, so that both can be compared."""
        people = self.kb.facts.people
        named = named_in(people, normalise(clean))
        if len(named) < 2:
            return reply
        said = {p.id for p in named_in(people, normalise(reply.text))}
        extra = [
            r
            for r in (self.answer_intent(p.intent, lang) for p in named if p.id not in said and p.intent)
            if r
        ]
        if not extra:
            return reply
        return replace(
            reply,
            text="\n\n".join([reply.text, *(r.text for r in extra)]),
            sources=tuple(dict.fromkeys(s for r in (reply, *extra) for s in r.sources)),
        )

    def _when_of(self, earlier: list[str], piece: str, lang: str, question: str) -> Reply | None:
        """The date of the event the first of `earlier` that names one names (the earlier parts,
        the last first, then the last answer given: "Who witnessed it, and when?" dates the
        signing its answer names); the honest "not stated" when only its year is known and a day
        is asked; None when none names one event."""
        for text in earlier:
            events = named_in(self.kb.facts.events, normalise(text))
            if len(events) != 1:
                continue
            event = events[0]
            intent = self.kb.get(event.intent) if event.intent else None
            if intent is None:
                return None
            if "day" in asked(normalise(piece)) and event.month is None:
                best = Ranked(intent.id, 1.0, 1.0, None, 1.0, "")
                return self._not_stated(question, lang, intent, best, frozenset({"day"}))
            return self.answer_intent(intent.id, lang, question)
        return None

    def _foreign_years(self, text: str) -> list[str]:
        """Years a question names that no answer of the fact base mentions ("closed in 2015")."""
        return [year for year in dict.fromkeys(_YEAR.findall(text)) if year not in self._years]

    def _more(self, question: str, lang: str, targets: tuple[str, ...], last: str) -> Reply:
        """ "Tell me more": the related facts not yet given, each with its source; when none is
        left, say so and offer the related questions."""
        replies = [r for r in (self.answer_intent(t, lang, question) for t in targets) if r is not None]
        if not replies:
            intent = self.kb.get(last)
            related = intent.related if intent is not None else ()
            offers = tuple(s for s in (self.suggestion(r, lang) for r in related) if s is not None)
            return Reply(
                question=question,
                answered=False,
                outcome="not_stated",
                intent=last,
                nearest=last,
                confidence=1.0,
                lang=lang,
                text=UI[lang]["no_more"],
                suggestions=offers[:MAX_SUGGESTIONS],
            )
        first = replies[0]
        return replace(
            first,
            text="\n\n".join(r.text for r in replies),
            sources=tuple(dict.fromkeys(s for r in replies for s in r.sources)),
        )

    def _term_premise(self, question: str, clean: str, ranking: Ranking, lang: str) -> Reply | None:
        """ "Why did they sign a 10-year agreement?": a term the question gives the agreement,
        where the fact base says it gives none (its answer to how long the agreement runs is a
        known unknown): that answer, not the agreement's facts as if the term held; else None."""
        if term_named(normalise(clean)) is None or ranking.lang not in TERM_ASKED:
            return None
        asked_for = self.reader.rank(TERM_ASKED[ranking.lang], ranking.lang).best
        intent = self.kb.get(asked_for.intent) if asked_for is not None else None
        if asked_for is None or intent is None or intent.kind != "unknown":
            return None
        if asked_for.probability < self.answer_threshold:
            return None
        found = self.answer_intent(intent.id, lang, question, asked_for.probability)
        if found is None or not asks_besides(normalise(clean)):
            return found
        # "Who signed the 10-year agreement?", "Where was the ten-year pact signed?": what it asks
        # besides, where the fact base answers it (or says that the release does not).
        other = self.reader.rank(without_term(normalise(clean)), ranking.lang).best
        also = self.answer_intent(other.intent, lang, question) if other is not None else None
        if (
            other is None
            or also is None
            or other.intent == intent.id
            or also.outcome not in ("answered", "unknown")
            or other.probability < self.answer_threshold
        ):
            return found
        return replace(
            found,
            text=f"{found.text}\n\n{also.text}",
            sources=tuple(dict.fromkeys((*found.sources, *also.sources))),
        )

    def _shorter(self, question: str, lang: str, last: str, context: ChatContext) -> Reply | None:
        """ "Shorter, please": after a summary, the release in one sentence; else the last
        answer's first sentence, where the rest names no one it does not (who signed for each
        side stays whole), else the items of the list it states ("the four areas"), else the
        answer as it is; None when it no longer exists."""
        found = self.answer_intent(last, lang, question)
        if found is None:
            return None
        gist = self.kb.release.text("summary", lang)
        if gist and asks_summary(normalise(context.question)):
            return replace(found, text=gist)
        head = first_sentence(found.text)
        if head == found.text and (cut := re.search(r"[;；]", head)) is not None:
            # One sentence of two halves ("... is an important milestone; the cooperation began in
            # 1995"): the first.
            head = head[: cut.start()].rstrip() + ("。" if lang == "zh" else ".")
        rest = found.text[len(head) - 1 :]
        if any(name in rest and name not in head for name in self.kb.release.names.get("person", ())):
            head = found.text
        listed = self.kb.facts.list_of(last)
        if head == found.text and listed is not None:
            sep = "、" if lang == "zh" else ", "
            head = sep.join(item.name[lang] for item in listed.items) + ("。" if lang == "zh" else ".")
            head = head[:1].upper() + head[1:]
        return replace(found, text=head)

    def _bulleted(self, question: str, lang: str, last: str, context: ChatContext) -> Reply | None:
        """ "As bullet points, please": after a summary, the release's key points; else the items
        of the list the last answer states, else its sentences, one a bullet; None when the last
        answer no longer exists."""
        found = self.answer_intent(last, lang, question)
        if found is None:
            return None
        points = self.kb.release.points.get(lang, ())
        listed = self.kb.facts.list_of(last)
        if points and asks_summary(normalise(context.question)):
            lines: list[str] = list(points)
        elif listed is not None:
            lines = [item.name[lang] for item in listed.items]
        else:
            lines, text = [], found.text
            while text:
                head = first_sentence(text)
                lines.append(head)
                text = text[len(head) :].strip()
        return replace(found, text="\n".join(f"• {line}" for line in lines))

    def _source_of(self, question: str, lang: str, last: str, context: ChatContext) -> Reply | None:
        """ "Source?": where the last answer comes from, as it cited it (a composed answer cites
        the paragraphs of all its parts), else its intent's paragraphs of the release; None when
        it has none (small talk)."""
        intent = self.kb.get(last)
        if intent is None or not intent.source or intent.kind == "smalltalk":
            return None
        same = context.sources and context.lang == lang
        cited = "; ".join(context.sources) if same else source_text(intent.source, lang, self.kb.release)
        sep = "：" if lang == "zh" else ": "
        fact = intent.kind == "fact"  # (after a known unknown: where the release speaks of it)
        return Reply(
            question=question,
            answered=fact,
            outcome="answered" if fact else "unknown",
            intent=intent.id,
            nearest=intent.id,
            confidence=1.0,
            lang=lang,
            text=f"{UI[lang]['source']}{sep}{cited}",  # (no source line under it: it is one)
        )

    # -- the replies that are not answers -----------------------------------------------------

    def _premise(self, question: str, lang: str, intent: Intent, best: Ranked, years: list[str]) -> Reply:
        """A question resting on something the release does not say (a year it never names):
        say so, and give what it does say (a known-unknown reply: not counted as answered)."""
        items = ("、" if lang == "zh" else ", ").join(years)
        return self._honest(question, lang, intent, best, "unknown", UI[lang]["premise"].format(items=items))

    def _unmentioned(
        self, question: str, lang: str, intent: Intent, best: Ranked, words: tuple[str, ...]
    ) -> Reply:
        """A question about something no fact mentions (`words`, as asked): say so, then what the
        nearest fact says (a known-unknown reply: not counted as answered)."""
        head = UI[lang]["premise"].format(items=_quoted(words, lang))
        return self._honest(question, lang, intent, best, "unknown", head)

    def _place_named_already(self, clean: str, intent: Intent, lang: str) -> bool:
        """True when a "where" question already names every place a fact's answer gives and the
        fact describes nothing but who, when and where (an office, a branch): where in that place
        is asked, which the fact does not say."""
        if "description" in intent.provides:
            return False
        asked_places = self.reasoner.places_named(clean, lang)
        given = self.reasoner.places_named(intent.answer[lang], lang)
        return bool(asked_places) and given <= asked_places

    def _personal_of_one(
        self, clean: str, ranking: Ranking, kinds: frozenset[Asked], intent: Intent | None
    ) -> Intent | None:
        """The profile of the one person a question names when it asks only for personal details
        (age, birthplace, family) and ranks best as a known unknown never asked of a person's
        such details (its questions are of the company's age, the signing's place); else None."""
        if not kinds or not kinds <= _PERSONAL or intent is None or intent.kind != "unknown":
            return None
        people = named_in(self.kb.facts.people, normalise(clean))
        if len(people) != 1 or not people[0].intent or self._asks_people(intent, kinds):
            return None
        profile = self.kb.get(people[0].intent)
        in_ranking = any(r.intent == people[0].intent for r in ranking.items)
        return profile if profile is not None and profile.kind == "fact" and in_ranking else None

    def _asks_people(self, intent: Intent, kinds: frozenset[Asked]) -> bool:
        """True when some question of `intent` names a person and asks for one of `kinds` (known
        once per intent and kinds)."""
        key = (intent.id, kinds)
        found = self._people_asked.get(key)
        if found is None:
            people = self.kb.facts.people
            norms = (normalise(q) for qs in intent.questions.values() for q in qs)
            found = any(asked(n) & kinds and named_in(people, n) for n in norms)
            self._people_asked[key] = found
        return found

    def _time_of_event(
        self, question: str, norm: str, kinds: frozenset[Asked], lang: str, best: Ranked
    ) -> Reply | None:
        """The time of day of the one event a question names: not given; the event's own fact
        (its date) is what the release says."""
        events = named_in(self.kb.facts.events, norm) if kinds == {"time"} else ()
        fact = self.kb.get(events[0].intent) if len(events) == 1 and events[0].intent else None
        if fact is None or fact.kind != "fact":
            return None
        return self._not_stated(question, lang, fact, best, kinds)

    def _not_stated(
        self, question: str, lang: str, intent: Intent, best: Ranked, lacking: frozenset[Asked]
    ) -> Reply:
        head = f"{_not_stated_line(lacking, lang)}\n\n{UI[lang]['not_stated']}"
        return self._honest(question, lang, intent, best, "not_stated", head)

    def _speaks_of(self, intent: Intent, who: str, lang: str) -> bool:
        """True when a fact's answer speaks of `who` (a question's audience: one of its terms, a
        synonym concept included), or `who` holds nothing but names the typed facts know (a party,
        a place: the fact's own subjects)."""
        rest = self.reasoner.without_names(who)
        analyse = self.matcher.analyzer.analyse
        terms = {term for term, _ in analyse(rest, lang)}
        return not terms or bool(terms & {term for term, _ in analyse(intent.answer[lang], lang)})

    def _honest(
        self, question: str, lang: str, intent: Intent, best: Ranked, outcome: Outcome, head: str
    ) -> Reply:
        """Not answered: what the release lacks (`head`), then what it does say, with its source."""
        return Reply(
            question=question,
            answered=False,
            outcome=outcome,
            intent=intent.id,
            nearest=intent.id,
            confidence=best.probability,
            lang=lang,
            text=f"{head}\n{intent.answer[lang]}",
            sources=(source_text(intent.source, lang, self.kb.release),) if intent.source else (),
        )

    def _suggested(self, question: str, lang: str, ranking: Ranking) -> Reply:
        options = []
        for item in ranking.items:
            intent = self.kb.get(item.intent)
            if item.probability < self.suggest_threshold or intent is None or intent.kind == "offtopic":
                continue
            suggestion = self.suggestion(item.intent, lang)
            if suggestion is not None:
                options.append(suggestion)
        best = ranking.best
        if not options:
            return self._declined(question, lang, "fallback", best)
        return Reply(
            question=question,
            answered=False,
            outcome="suggested",
            intent=None,
            nearest=best.intent if best else None,
            confidence=best.probability if best else 0.0,
            lang=lang,
            text=UI[lang]["suggest"],
            suggestions=tuple(options[:MAX_SUGGESTIONS]),
        )

    def _declined(self, question: str, lang: str, key: str, best: Ranked | None) -> Reply:
        return Reply(
            question=question,
            answered=False,
            outcome="declined",
            intent=None,
            nearest=best.intent if best else None,
            confidence=best.probability if best else 0.0,
            lang=lang,
            text=ui_text(self.kb.release, key, lang),
            suggestions=self.examples(lang),
        )

    def _offtopic(self, question: str, lang: str, best: Ranked | None) -> Reply:
        return replace(self._declined(question, lang, "offtopic", best), outcome="offtopic")


_TRAINED: dict[str, Signals] = {}  # the last training in this process, by fact-base fingerprint


def trained(kb: KnowledgeBase, digest: str | None = None) -> Signals:
    """The signals for `kb`: trained now, or the memo of the last training of the same base."""
    digest = digest or fingerprint(kb)
    signals = _TRAINED.get(digest)
    if signals is None:
        signals = train_signals(kb)
        _TRAINED.clear()
        _TRAINED[digest] = signals
    return signals


_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
# How each language quotes a word of the question.
_QUOTES = {"de": ("„", "“"), "en": ("“", "”"), "zh": ("“", "”")}
# The words of asking for a count ("and how many are there?", "und wie viele gibt es?", "有多少个？").

# Kinds of question said in the words of a broader kind.
_ASPECT_OF: dict[str, str] = {"role_person": "person", "headcount": "number"}


def _not_stated_line(lacking: frozenset[Asked], lang: str) -> str:
    names = ASPECTS[lang]
    aspects = sorted({names[_ASPECT_OF.get(k, k)] for k in lacking})
    joiner = "、" if lang == "zh" else ", "
    return UI[lang]["not_stated_part"].format(aspects=joiner.join(aspects))


def _quoted(words: tuple[str, ...], lang: str) -> str:
    """Words of a question, each in the quotation marks of `lang`."""
    left, right = _QUOTES[lang]
    return ("、" if lang == "zh" else ", ").join(f"{left}{w}{right}" for w in words)


def _with_line(reply: Reply, line: str) -> Reply:
    return replace(reply, text=f"{reply.text}\n\n{line}")


def _fallback_lang(hint: str | None) -> str:
    return lang_code(hint) or "en"
