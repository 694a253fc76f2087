"""FollowUps (pure): a follow-up read in the chat's light, each move of the conversation tried in
its order (the modules of bot.core.followups, one a kind of move), and the context a reply leaves
for the next question.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.core import moves
from bot.core.context import EARLIER_TURNS, ChatContext
from bot.core.followups import correction, dates, earlier, language, leaning, more, pointed, region
from bot.core.followups.basis import Basis
from bot.core.followups.cues import SUBJECT_PRONOUN
from bot.core.lang import normalise
from bot.core.question import Reading, asked
from bot.core.ranking import Ranker, Ranking
from bot.core.reply import Reply
from bot.knowledge.model import KnowledgeBase

Move = Callable[[Basis, str, Ranking, ChatContext], Reading | None]


class FollowUps:
    """Reads follow-up questions of a fact base with its ranker; remembers what each intent is
    about (computed once per intent, when first needed)."""

    def __init__(self, kb: KnowledgeBase, ranker: Ranker, answer_threshold: float) -> None:
        self.base = Basis(kb, ranker, answer_threshold)
        # The moves in the order they are tried: the first that finds one reads the message.
        self.in_order: tuple[Move, ...] = (
            language.again,
            language.shorter,
            language.bulleted,
            language.source,
            self._asked_in,
            more.part_named,
            dates.span,
            dates.until_named,
            dates.since_of_person,
            dates.ago_of_last,
            dates.when_of_answer,
            dates.year_checked,
            more.besides,
            more.others,
            more.included,
            more.asked,
            earlier.back,
            pointed.who_not,
            pointed.who_then,
            pointed.counterpart,
            pointed.for_side,
            pointed.one_of,
            pointed.head_of,
            pointed.list_position,
            pointed.ordinal,
            pointed.both,
            correction.meant,
            correction.then_asked,
            region.wider,
        )

    def leave(self, reply: Reply, now: float, previous: ChatContext | None = None) -> ChatContext | None:
        """The context a reply leaves for the next question (None: keep the old one)."""
        if reply.intent is None or reply.outcome not in ("answered", "unknown", "not_stated"):
            return None
        base = self.base
        named = base.doers(base.people_in(reply.text), reply.question)
        focus = base.focus(reply.intent)
        people: tuple[str, ...] = named if len(named) >= 2 else ()
        if people and not focus:
            focus = base.asked_for(reply.question, people)
        if previous is not None and focus and focus in previous.people:
            people = previous.people  # walking through the people of a list answer
        if (
            previous is not None
            and previous.focus
            and SUBJECT_PRONOUN.search(normalise(reply.question))
            and not base.people_in(reply.question)
            and not base.focus(reply.intent)
            and not asked(normalise(reply.question)) & {"person", "role_person"}
        ):
            # "Is he the mayor?" answered by what the release says of the post (naming others):
            # the chat is still about him.
            focus, people = previous.focus, previous.people
        turns: tuple[str, ...] = ()
        if previous is not None:
            done = (previous.intent, *previous.earlier)
            turns = tuple(dict.fromkeys(i for i in done if i != reply.intent))[:EARLIER_TURNS]
        subjects = previous.subjects if previous is not None else ()
        if focus and focus not in subjects:
            subjects = (*subjects, focus)[: EARLIER_TURNS + 1]
        return ChatContext(
            reply.intent,
            reply.question,
            base.entities(reply.intent),
            now,
            people,
            focus,
            turns,
            subjects,
            reply.lang,
            reply.sources,
        )

    def opened(self, clean: str, alone: Ranking) -> Ranking:
        """The ranking of a question read alone: "and what about the whole region?", "那……呢？"
        by what follows its elliptic opening, when the whole reads nothing confidently and
        that does (with or without a chat to lean on, the opening asks nothing)."""
        return leaning.opened(self.base, clean, alone)

    def read(self, clean: str, alone: Ranking, context: ChatContext) -> Reading:
        """The reading of a follow-up: a move of the conversation, or the question read together
        with what the chat talked about; "what is his full title?", when that reads no fact, with
        the name of the one person the last turn was about for "his"."""
        base = self.base
        norm = normalise(clean)
        moved = self._move(norm, alone, context)
        reading = moved if moved is not None else leaning.read(base, clean, alone, context)
        best = reading.ranking.best
        corrected = moves.correction(norm) if reading.move is None else None
        if (
            corrected is not None
            and best is not None
            and best.intent == context.intent
            and reading.about != context.intent
        ):
            # "No, I meant the one in <another city>": whatever it means, not the answer just given (but
            # "no, I meant the day" is read as about the last turn: its event's day); "no, I meant
            # his role for the city" after his profile: the next fact about him, when likely.
            same = base.focus(context.intent)
            kept = [r for r in reading.ranking.items if r.intent != context.intent]
            if (
                same
                and kept
                and base.focus(kept[0].intent) == same
                and kept[0].probability >= base.answer_threshold
            ):
                return Reading(reading.text, Ranking(reading.ranking.lang, tuple(kept)))
            return Reading(corrected.rest, base.rank(corrected.rest, alone.lang))
        gives = earlier.giving_turn(base, reading, context)
        if gives is None and corrected is None and reading.text == clean:
            # (Not "no, I meant who paid for it": a question of its own, whatever it reads as.)
            gives = earlier.last_gives(base, reading, context)
        if gives is not None:
            return Reading(clean, alone, "earlier", (gives,))
        if reading.move is not None or reading.text != clean:
            return reading
        return pointed.pronoun(base, reading, clean, context, alone.lang)

    def _asked_in(self, base: Basis, norm: str, alone: Ranking, context: ChatContext) -> Reading | None:
        """ "... in English?": the rest read as a follow-up, in the language asked for."""
        return language.asked_in(base, norm, alone, context, self.read)

    def _move(self, norm: str, alone: Ranking, context: ChatContext) -> Reading | None:
        """The reading of a move of the conversation, or None when the message makes none."""
        for move in self.in_order:
            found = move(self.base, norm, alone, context)
            if found is not None:
                return found
        return None
