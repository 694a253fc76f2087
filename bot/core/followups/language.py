"""The last answer's form (pure): a language switch ("can you answer that in English?", "auf Deutsch
bitte", "用中文再说一遍", "用中文再说一下那个日期": a detail the last answer gives) gives the last
answer again in the language asked; "could you give me the manufacturing part of that in
English?" is the rest of the message read as a follow-up, answered in that language; "in one
sentence?" asks for it shorter, "Quelle?" for where it comes from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from bot.core import moves
from bot.core.context import ChatContext
from bot.core.followups.basis import Basis
from bot.core.question import Reading
from bot.core.ranking import Ranking

# How a follow-up is read in the chat's light (bot.core.followups.reader.FollowUps.read).
ReadFollowUp = Callable[[str, Ranking, ChatContext], Reading]


def again(base: Basis, norm: str, alone: Ranking, context: ChatContext) -> Reading | None:
    """ "In English, please": an "again" move for the last answer in the language named, or None."""
    lang = moves.language(norm)
    if lang is None:
        return None
    kind = moves.kind_named(norm)
    last = base.kb.get(context.intent)
    if kind is not None and (last is None or kind not in last.provides):
        return None  # "that name in Chinese" after a date: not the last answer again
    return Reading(norm, alone, "again", (context.intent,), lang)


def shorter(base: Basis, norm: str, alone: Ranking, context: ChatContext) -> Reading | None:
    """ "In one sentence, please", "kurz gefasst?", "说得简短一点": the last answer shorter (its first
    sentence, or the items of its list: nothing is made up), or None."""
    if not moves.briefly(norm):
        return None
    return Reading(norm, alone, "shorter", (context.intent,))


def bulleted(base: Basis, norm: str, alone: Ranking, context: ChatContext) -> Reading | None:
    """ "As bullet points, please", "Stichpunkte bitte", "请分点列出": the last answer as bullet
    points (its list's items, or its sentences), or None."""
    if not moves.bullets(norm):
        return None
    return Reading(norm, alone, "bullets", (context.intent,))


def source(base: Basis, norm: str, alone: Ranking, context: ChatContext) -> Reading | None:
    """ "Source?", "Wo steht das?", "出处？": where the last answer comes from, or None."""
    if not moves.source_asked(norm):
        return None
    return Reading(norm, alone, "source", (context.intent,))


def asked_in(
    base: Basis, norm: str, alone: Ranking, context: ChatContext, read: ReadFollowUp
) -> Reading | None:
    """ "Could you give me the manufacturing part of that in English?": the rest read as a
    follow-up (by `read`), answered in the language asked for, when it leans on the chat or reads
    clearly where the whole did not ("what is the weather like in English?" stays off topic; what
    is not understood is not answered in another language); else None."""
    found = moves.in_language(norm)
    if found is None or not found.rest:
        return None
    inner = read(found.rest, base.rank(found.rest, alone.lang), context)
    top, inner_top = alone.best, inner.ranking.best
    leans = inner.move is not None or inner.text != found.rest
    clear = inner_top is not None and inner_top.probability >= base.answer_threshold
    if leans or (clear and (top is None or top.probability < base.answer_threshold)):
        return replace(inner, lang=found.lang)
    return None
