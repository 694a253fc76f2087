"""The answer engine: a question in, a reply out (pure; shared by Telegram, console and `ask`).

It joins the two signals (bot.core.ranking), decides with calibrated probabilities, and turns the
decision into what users see: the answer in their language with its source, an honest "the
release does not say that" for a detail no fact gives, both answers for a two-part question, a
polite decline with examples for off-topic messages, and "did you mean" suggestions in between.
Follow-ups are read in the light of a `ChatContext` that the channel keeps. No I/O.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from bot.core.answer_types import NEVER_GIVEN, Asked, asked, gives_day, missing
from bot.core.context import ChatContext, has_pointer, leans_on_context, opens_ellipsis
from bot.core.lang import LANGS, is_han, lang_code, normalise, strip_invisible
from bot.core.matcher import Matcher
from bot.core.ranking import Ranked, Ranker, Ranking, top_gap
from bot.core.reasoning import Reasoner
from bot.core.reply import Outcome, Reply, Suggestion
from bot.core.texts import ASPECTS, UI, source_text, ui_text
from bot.core.training import Signals, fingerprint, train_signals
from bot.knowledge.model import Intent, KnowledgeBase

# Longer input is cut before matching: no real question is longer, and scoring stays fast.
MAX_QUERY_CHARS = 500
MAX_SUGGESTIONS = 3
# Calibrated probability needed to answer, and to offer "did you mean" (settings may override).
ANSWER_PROBABILITY = 0.70
SUGGEST_PROBABILITY = 0.45
# Below this distance between the two best combined scores the engine offers both instead.
MARGIN = 0.03
# An off-topic example must beat the best on-topic intent by this much to decline as off-topic.
OFFTOPIC_LEAD = 0.0
# A second-ranked intent this close to the first may answer a detail question the first cannot.
TYPE_SWITCH = 0.12
# Matcher score below which nothing in the question is about the release at all.
NO_TOPIC = 0.2

# Where a question asks two things: "... and who ...", "..., und wann ...", "……，谁……".
_SPLIT = re.compile(
    r"\s(?:and|und|sowie|also|plus)\s+(?=(?:who|whom|when|where|what|which|how|why|since|did|does|is|"
    r"was|were|are|wer|wann|wo|was|welche\w*|wie|warum|seit|hat|ist|sind|gibt)\b)|"
    r"[,;]\s*(?=(?:and\s|und\s)?(?:who|when|where|what|which|how|why|wer|wann|wo|was|welche\w*|wie|"
    r"warum)\b)|[，；、]\s*(?=(?:还有|以及|另外|并且)?.{0,8}(?:谁|什么时候|何时|哪|多少|几|为什么|是否|是不是))|"
    r"(?<=[?？])\s*(?=\S)"
)


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
    ) -> None:
        self.kb = kb
        self.matcher = Matcher(kb)
        self.answer_threshold = ANSWER_PROBABILITY if answer_threshold is None else answer_threshold
        self.suggest_threshold = SUGGEST_PROBABILITY if suggest_threshold is None else suggest_threshold
        self.fingerprint = fingerprint(kb)
        self.signals = signals if signals is not None else trained(kb, self.fingerprint)
        # The fact base the learned model was trained on (another one after a hot reload, until
        # the holder retrains).
        self.signals_fingerprint = self.signals.fingerprint or self.fingerprint
        self.ranker = Ranker(self.matcher, self.signals.model, self.signals.calibration)
        self._entities: dict[str, tuple[str, ...]] = {}  # filled on first use, per intent
        self.reasoner = Reasoner(kb)  # typed facts: computed answers, checks, premises
        # The years the answers of facts and known unknowns name: any other year is a false premise.
        self._years = frozenset(
            year
            for intent in kb.intents
            if intent.kind in ("fact", "unknown")
            for answer in intent.answer.values()
            for year in _YEAR.findall(answer)
        )

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
        self, intent_id: str, lang: str, question: str = "", confidence: float = 1.0
    ) -> Reply | None:
        """The reply for a chosen intent (a tapped button), or None if it no longer exists."""
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
        `context` what the chat talked about last (the caller checks that it is still fresh)."""
        clean = strip_invisible(question).strip()[:MAX_QUERY_CHARS]
        pinned = pinned if pinned in LANGS else None
        if not clean:
            lang = pinned or _fallback_lang(hint)
            return self._declined(question, lang, "empty", None)
        ranking = self.ranker.rank(clean, hint=hint)
        lang = pinned or ranking.lang
        if context is not None:
            ranking = self._with_context(clean, ranking, context)
        ranking, clean = self._core_clause(clean, ranking)
        parts = self._parts(clean, ranking, lang, question)
        if parts is not None:
            return parts
        return self._decide(question, clean, ranking, lang)

    def follow(self, reply: Reply, now: float) -> ChatContext | None:
        """The context a reply leaves for the next question (None: keep the old one)."""
        if reply.intent is None or reply.outcome not in ("answered", "unknown", "not_stated"):
            return None
        return ChatContext(reply.intent, reply.question, self.entities(reply.intent), now)

    def entities(self, intent_id: str) -> tuple[str, ...]:
        """Words for what an intent is about (computed once per intent, when first needed)."""
        found = self._entities.get(intent_id)
        if found is None:
            intent = self.kb.get(intent_id)
            found = self._intent_entities(intent) if intent is not None else ()
            self._entities[intent_id] = found
        return found

    def _decide(self, question: str, clean: str, ranking: Ranking, lang: str) -> Reply:
        best = ranking.best
        if best is None or (best.matcher < NO_TOPIC and best.probability < self.suggest_threshold):
            return self._offtopic(question, lang, best)
        intent = self.kb.get(best.intent)
        if intent is not None and intent.kind == "offtopic":
            return self._offtopic(question, lang, best)
        # -- typed facts (bot.core.reasoning): a computed reply, when the question asks for one --
        reasoned = self.reasoner.reply(question, clean, ranking, lang)
        if reasoned is not None:
            return reasoned
        foreign = self._foreign_years(clean)
        if (
            foreign
            and intent is not None
            and intent.kind == "fact"
            and best.probability >= self.suggest_threshold
        ):
            return self._premise(question, lang, intent, best, foreign)
        kinds = asked(normalise(clean))
        if intent is not None and intent.kind == "fact" and intent.provides and kinds:
            best, intent = self._typed(ranking, kinds, best, intent)
        confident = best.probability >= self.answer_threshold and (
            top_gap(ranking) >= MARGIN or best is not ranking.best or self._runner_up_unfit(ranking, kinds)
        )
        if confident and intent is not None:
            # An intent that does not declare what it provides is not checked.
            typed = intent.kind == "fact" and bool(intent.provides)
            lacking = missing(kinds, intent.provides) if typed else frozenset()
            if typed and "day" in kinds and not gives_day(normalise(intent.answer[lang])):
                lacking |= {"day"}  # a year is all the fact gives
            if lacking and lacking == kinds:
                return self._not_stated(question, lang, intent, best, lacking)
            reply = self.answer_intent(intent.id, lang, question, best.probability)
            if reply is not None:
                if lacking:
                    reply = _with_line(reply, _not_stated_line(lacking, lang))
                return reply
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
            return self._suggested(question, lang, ranking)
        return self._declined(question, lang, "fallback", best)

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

    def _typed(
        self, ranking: Ranking, kinds: frozenset[Asked], best: Ranked, intent: Intent
    ) -> tuple[Ranked, Intent]:
        """For a detail question, a close runner-up that gives the detail the best one lacks."""
        if not missing(kinds, intent.provides):
            return best, intent
        for other in ranking.items[1:3]:
            candidate = self.kb.get(other.intent)
            if (
                candidate is not None
                and candidate.kind == "fact"
                and best.score - other.score <= TYPE_SWITCH
                and candidate.provides
                and not missing(kinds, candidate.provides)
            ):
                return replace(other, probability=max(other.probability, best.probability)), candidate
        return best, intent

    def _core_clause(self, clean: str, whole: Ranking) -> tuple[Ranking, str]:
        """A long question framed by a greeting or the asker's context ("For a piece I'm filing
        tonight on ..., can you confirm who ...") read by its last clauses, when the whole is not
        clear enough to answer and a tail is."""
        best = whole.best
        if best is not None and best.probability >= self.answer_threshold:
            return whole, clean
        chosen, text = whole, clean
        for tail in _tails(clean):
            ranking = self.ranker.rank(tail, lang=whole.lang)
            top = ranking.best
            if (
                top is not None
                and top.probability >= self.answer_threshold
                and (chosen.best is None or top.probability > chosen.best.probability)
            ):
                chosen, text = ranking, tail
        return chosen, text

    def _parts(self, clean: str, whole: Ranking, lang: str, question: str) -> Reply | None:
        """Both answers when a question asks two things that different intents answer."""
        pieces = [p.strip(" ,;，；、?？") for p in _SPLIT.split(clean)]
        pieces = [p for p in pieces if len(p) >= 4]
        if len(pieces) != 2:
            return None
        replies = [self._decide(p, p, self.ranker.rank(p, lang=whole.lang), lang) for p in pieces]
        answered = [r for r in replies if r.outcome in ("answered", "not_stated", "unknown")]
        intents = {r.intent for r in answered}
        if not any(r.outcome == "answered" for r in replies) or len(intents) < 2 or None in intents:
            return None
        first = next(r for r in replies if r.outcome == "answered")
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

    def _with_context(self, clean: str, alone: Ranking, context: ChatContext) -> Ranking:
        """The ranking of a follow-up read together with what the chat talked about.

        A question with a pronoun is read again with the entities of the last answer; one that
        names nothing specific of its own ("since when?", "und die Niederlassung?", "那分公司呢？")
        also together with the last question. A question that names its own subject, small talk
        and off-topic messages are read alone, so context never hijacks them.
        """
        norm = normalise(clean)
        best = alone.best
        own = self.kb.get(best.intent) if best is not None else None
        if (
            best is not None
            and own is not None
            and own.kind in ("offtopic", "smalltalk")
            and best.probability >= self.answer_threshold
        ):
            return alone
        pointer = has_pointer(norm)
        opener = opens_ellipsis(norm)
        vague = leans_on_context(norm) and not self._specific(clean, alone.lang)
        if not (pointer or opener or vague):
            return alone
        options = []
        if best is not None and best.probability >= self.answer_threshold and not vague:
            options.append(alone)
        if context.entities:
            options.append(self.ranker.rank(clean + " " + " ".join(context.entities), lang=alone.lang))
        if opener or vague:
            options.append(self.ranker.rank(context.question + " " + clean, lang=alone.lang))
        scored = [r for r in options if r.best is not None]
        if not scored:
            return alone
        return max(scored, key=lambda r: r.best.probability if r.best else 0.0)

    def _specific(self, text: str, lang: str) -> bool:
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

    def _intent_entities(self, intent: Intent) -> tuple[str, ...]:
        """Words for what an intent is about: the people, places and years it names, else its most
        frequent specific concept (what "it" or "there" in a follow-up points back to)."""
        counts: Counter[str] = Counter()
        surface: dict[str, str] = {}
        total = 0
        for lang, questions in intent.questions.items():
            for q in questions:
                total += 1
                seen = set()
                for term, word in self.matcher.analyzer.analyse(q, lang):
                    year = term.startswith("W:") and term[2:].isdigit()
                    if term in seen or not (term.startswith("C:") or year) or term[2:] in self.kb.generic:
                        continue
                    seen.add(term)
                    counts[term] += 1
                    surface.setdefault(term, word)
        frequent = [t for t, n in counts.most_common() if n >= max(2, total // 4)]
        named = [t for t in frequent if t in self.matcher.groups or t.startswith("W:")]
        keep = named[:2] or frequent[:1]
        return tuple(n for n in (self._name(t, surface.get(t, "")) for t in keep) if n)

    def _name(self, term: str, fallback: str) -> str:
        """A word for a concept in every language at once: the concept's terms of each script."""
        if term.startswith("W:"):
            return term[2:]
        terms = self.kb.synonyms.get(term[2:], ())
        latin = next((t for t in terms if not is_han(t)), fallback)
        han = next((t for t in terms if is_han(t)), "")
        return " ".join(x for x in (latin, han) if x)

    def _foreign_years(self, text: str) -> list[str]:
        """Years a question names that no answer of the fact base mentions ("closed in 2015")."""
        return [year for year in dict.fromkeys(_YEAR.findall(text)) if year not in self._years]

    # -- the replies that are not answers -----------------------------------------------------

    def _premise(self, question: str, lang: str, intent: Intent, best: Ranked, years: list[str]) -> Reply:
        """A question resting on something the release does not say (a year it never names):
        say so, and give what it does say (a known-unknown reply: not counted as answered)."""
        items = ("、" if lang == "zh" else ", ").join(years)
        return self._honest(question, lang, intent, best, "unknown", UI[lang]["premise"].format(items=items))

    def _not_stated(
        self, question: str, lang: str, intent: Intent, best: Ranked, lacking: frozenset[Asked]
    ) -> Reply:
        head = f"{_not_stated_line(lacking, lang)}\n\n{UI[lang]['not_stated']}"
        return self._honest(question, lang, intent, best, "not_stated", head)

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

# Clause boundaries of a framed question: punctuation, and the phrases that hand over to the real
# question ("can you confirm", "könnten Sie mir sagen", "请问").
_CLAUSE = re.compile(
    r"[,;:–—]\s+|[，；：、]|\b(?:can|could|would) you (?:please )?(?:confirm|tell me|say)\b|"
    r"\b(?:k[öo]nnen|k[öo]nnten|w[üu]rden) sie (?:mir )?(?:bitte )?(?:best[äa]tigen|sagen|mitteilen)\b|"
    r"\bbitte teilen sie mir mit\b|请问|想问一下|想了解一下"
)
_MIN_TAIL_WORDS = 3
_MIN_TAIL_HAN = 5
_LONG_QUESTION = 60  # characters: shorter questions are read whole


def _tails(clean: str) -> list[str]:
    """The text after each clause boundary of a long question, longest first."""
    if len(clean) < _LONG_QUESTION:
        return []
    out = []
    for found in _CLAUSE.finditer(clean):
        tail = clean[found.end() :].strip()
        han = sum(1 for ch in tail if is_han(ch))
        if len(tail.split()) >= _MIN_TAIL_WORDS or han >= _MIN_TAIL_HAN:
            out.append(tail)
    return out


def _not_stated_line(lacking: frozenset[Asked], lang: str) -> str:
    names = ASPECTS[lang]
    aspects = sorted({names["person" if k == "role_person" else k] for k in lacking})
    joiner = "、" if lang == "zh" else ", "
    return UI[lang]["not_stated_part"].format(aspects=joiner.join(aspects))


def _with_line(reply: Reply, line: str) -> Reply:
    return replace(reply, text=f"{reply.text}\n\n{line}")


def _fallback_lang(hint: str | None) -> str:
    return lang_code(hint) or "en"
