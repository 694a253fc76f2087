"""The answer engine: a question in, a reply out (pure; shared by Telegram, console and `ask`).

It wraps the matcher with what users see: the answer in their language, the fallback, the
"did you mean" suggestions and the source references. No I/O.
"""

from __future__ import annotations

from bot.core.lang import LANGS, strip_invisible
from bot.core.matcher import Matcher, MatchResult
from bot.core.reply import Outcome, Reply, Suggestion
from bot.core.texts import EXAMPLE_INTENTS, UI, source_label
from bot.knowledge.model import KnowledgeBase

# Longer input is cut before matching: no real question is longer, and scoring stays fast.
MAX_QUERY_CHARS = 500
MAX_SUGGESTIONS = 3


class Engine:
    """A fact base and its matcher; immutable, so a reload swaps the whole engine at once."""

    def __init__(
        self,
        kb: KnowledgeBase,
        answer_threshold: float | None = None,
        suggest_threshold: float | None = None,
    ) -> None:
        self.kb = kb
        self.matcher = Matcher(kb, answer_threshold, suggest_threshold)

    def suggestion(self, intent_id: str, lang: str) -> Suggestion | None:
        """A button-ready suggestion for an intent, or None if the id is unknown."""
        intent = self.kb.get(intent_id)
        return None if intent is None else Suggestion(intent.id, intent.example(lang))

    def examples(self, lang: str) -> tuple[Suggestion, ...]:
        """A few example questions to show when nothing matched."""
        found = (self.suggestion(i, lang) for i in EXAMPLE_INTENTS)
        return tuple(s for s in found if s is not None)

    def answer_intent(
        self, intent_id: str, lang: str, question: str = "", confidence: float = 1.0
    ) -> Reply | None:
        """The reply for a chosen intent (a tapped button), or None if it no longer exists."""
        intent = self.kb.get(intent_id)
        if intent is None:
            return None
        related = tuple(
            s for s in (self.suggestion(r, lang) for r in intent.related) if s is not None
        )
        outcome: Outcome = (
            "answered" if intent.kind == "fact" else "smalltalk" if intent.kind == "smalltalk" else "unknown"
        )
        return Reply(
            question=question or intent.example(lang),
            answered=intent.kind != "unknown",
            outcome=outcome,
            intent=intent.id,
            nearest=intent.id,
            confidence=confidence,
            lang=lang,
            text=intent.answer[lang],
            # Small talk is the bot's own voice, not a fact: no source line.
            sources=tuple(source_label(s, lang) for s in intent.source)
            if intent.kind != "smalltalk" else (),
            related=related,
        )

    def reply(self, question: str, hint: str | None = None, pinned: str | None = None) -> Reply:
        """Answer one question. `hint` is the client's language code, `pinned` a /lang choice."""
        clean = strip_invisible(question).strip()[:MAX_QUERY_CHARS]
        pinned = pinned if pinned in LANGS else None
        result = self.matcher.match(clean, hint=hint) if clean else None
        lang = pinned or (result.lang if result else _fallback_lang(hint))
        if result is None:
            return self._declined(question, lang, "empty", None)
        best = result.best
        if result.outcome == "answer" and best is not None:
            reply = self.answer_intent(best.intent, lang, question, result.confidence)
            if reply is not None:
                return reply
        if result.outcome == "suggest":
            return self._suggested(question, lang, result)
        return self._declined(question, lang, "fallback", result)

    def _suggested(self, question: str, lang: str, result: MatchResult) -> Reply:
        floor = self.matcher.suggest_threshold
        options = tuple(
            s
            for s in (self.suggestion(c.intent, lang) for c in result.candidates if c.score >= floor)
            if s is not None
        )[:MAX_SUGGESTIONS]
        return Reply(
            question=question,
            answered=False,
            outcome="suggested",
            intent=None,
            nearest=result.best.intent if result.best else None,
            confidence=result.confidence,
            lang=lang,
            text=UI[lang]["suggest"],
            suggestions=options,
        )

    def _declined(
        self, question: str, lang: str, key: str, result: MatchResult | None
    ) -> Reply:
        examples = self.examples(lang)
        return Reply(
            question=question,
            answered=False,
            outcome="declined",
            intent=None,
            nearest=result.best.intent if result and result.best else None,
            confidence=result.confidence if result else 0.0,
            lang=lang,
            text=UI[lang][key],
            suggestions=examples,
        )


def _fallback_lang(hint: str | None) -> str:
    base = (hint or "").lower()[:2]
    return base if base in LANGS else "en"
