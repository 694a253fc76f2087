"""An elliptic question about a sibling fact (pure): "and the office?" right after the branch's
year is the last question with "the office" in place of "the branch"; "and on the city's side?"
after a question about the company's is the last question asked of the other organisation. The
same replacement reads a correction ("no, I meant the office").
"""

from __future__ import annotations

import re

from bot.core.context import ChatContext
from bot.core.followups.basis import Basis, second_of, top
from bot.core.followups.cues import QUESTION_WORD
from bot.core.lang import is_han, normalise
from bot.core.question import Reading, asked, asking
from bot.core.reasoning import named_in

# What names a side besides the organisation itself: "on the city's side", "auf Seiten der Stadt",
# "市政府方面".
_SIDE_WORDS = re.compile(r"\b(?:side|sides|end|seite|seiten|aufseiten)\b|方面|那边|这边|一方")
# "The other side", "die andere Seite", "另一方": the party the last question did not name.
_OTHER_SIDE = re.compile(
    r"\b(?:the )?other (?:side|party|end)\b|\b(?:der |die |den )?anderen? (?:seite|partei)\b|"
    r"另一方|另一边|另外一方|另外一边|对方"
)
# A side the last question named by a word that is no organisation of the fact base ("on the
# Chinese side", "auf chinesischer Seite", "中方"): taken out, the new side is put in its place.
_SIDE_PHRASE = re.compile(
    r"\b(?:on|from|for|at) (?:the )?\w+ (?:side|end)\b|\b(?:auf|von) (?:der )?\w+ seite\b|"
    r"\b(?:auf |von )?(?:seiten|aufseiten) (?:der |des |von )?\w+|[^\s的]{1,4}方面|中方|外方"
)
# An article opening a replacement ("the office"): the last question keeps its own.
_ARTICLE = re.compile(r"^(?:the|a|an|der|die|das|den|dem|des|ein|eine|einen)\s+")
# How far the reading of the last question with a new term must lead its runner-up to be taken.
CLEAR_LEAD = 0.05
# How many terms of the last question a correction may replace, each one ranking (time).
MAX_VARIANTS = 4
# How long a new term may be (words; Han characters): a longer one is a clause, no sibling subject.
MAX_TERM_WORDS = 5
MAX_TERM_HAN = 10


def replaced(base: Basis, context: ChatContext, new: str, lang: str) -> Reading | None:
    """The last question with one of its specific terms replaced by `new` ("no, I meant the
    office"), when that reads confidently as another intent than the last, one about the new
    term; else None."""
    if not new or not base.specific(new, lang):
        return None
    if len(new.split()) > MAX_TERM_WORDS or sum(1 for ch in new if is_han(ch)) > MAX_TERM_HAN:
        return None  # "und arbeitet die Firma seit 1995 mit der Stadt zusammen?" asks of its own
    # The new reading must be about what replaced the old term, not merely rank well.
    wanted = {term for term, _ in base.matcher.analyzer.analyse(new, lang)}
    best: Reading | None = None
    question = normalise(context.question)
    texts = _variants(base, question, _ARTICLE.sub("", normalise(new)), lang)[:MAX_VARIANTS]
    replacements = len(texts)
    if asking(question) and not QUESTION_WORD.search(new):
        # "When was it signed?" - "and the press release?": the new subject with the last "when"
        # (not "and how long before the signing was that?", which asks its own).
        texts.append(f"{normalise(new)} {asking(question)}")
    for n, text in enumerate(texts):
        ranking = base.rank(text, lang)
        first = ranking.best
        if (
            first is not None
            and first.intent != context.intent
            and first.probability >= base.answer_threshold
            and first.probability - second_of(ranking) >= CLEAR_LEAD
            and (best is None or first.probability > top(best))
            and wanted & base.about(first.intent)
            and base.gives(ranking, asked(text))
        ):
            kept = best.ranking.best if best is not None else None
            if n >= replacements and kept is not None and kept.intent == first.intent:
                continue  # the whole last question keeps what it asked (its deed), not "when" alone
            best = Reading(text, ranking)
    return best


def _variants(base: Basis, question: str, new: str, lang: str) -> list[str]:
    """`question` with each of its specific terms (a run of words of one concept, a Chinese
    concept word, a rare word or a year) replaced by `new`."""
    analyzer = base.matcher.analyzer
    tokens = question.split()
    out = []
    n = 0
    while n < len(tokens):
        token = tokens[n]
        if is_han(token):
            for key in base.han_keys:
                concept = analyzer.han_concept[key]
                if key in token and concept not in base.kb.generic and concept not in base.kb.vague:
                    out.append(" ".join([*tokens[:n], token.replace(key, new, 1), *tokens[n + 1 :]]))
            n += 1
            continue
        term = analyzer.word_term(token, lang)
        end = n + 1
        while end < len(tokens) and term is not None and analyzer.word_term(tokens[end], lang) == term:
            end += 1
        if term is not None and _replaceable(base, term):
            out.append(" ".join([*tokens[:n], new, *tokens[end:]]))
        n = end
    return out


def _replaceable(base: Basis, term: str) -> bool:
    if term.startswith("C:"):
        return term[2:] not in base.kb.generic and term[2:] not in base.kb.vague
    if term[2:].isdigit():
        return True
    return base.matcher.idf.get(term, 0.0) >= base.matcher.idf_max * 0.5


def other_side(base: Basis, context: ChatContext, bare: str, lang: str) -> Reading | None:
    """ "And on the city's side?" after a question about the company's: the last question
    asked of the other organisation, when that reads confidently; else None."""
    question = normalise(context.question)
    parties = base.kb.facts.organisations
    said = named_in(parties, question)
    side = named_in(parties, bare)
    if len(said) == 1 and not side and _OTHER_SIDE.search(bare):
        # "And for the other side?" after who signed for the company: the other party, when the
        # message asks nothing else ("the other side's metro lines" asks of its own).
        others = tuple(o for o in parties if o.id != said[0].id)
        left = _OTHER_SIDE.sub(" ", bare)
        if len(others) != 1 or base.specific(left, lang) or asked(left):
            return None
        name = others[0].name.get(lang) or next(iter(others[0].name.values()), "")
        found = _asked_of(base, _swapped(question, cue_words(said[0].cues, question), normalise(name)), lang)
        # (Clearly, or the last question's own reading with the chat decides: "which company of
        # the other side" may read as no one fact.)
        return found if found is not None and top(found) - second_of(found.ranking) >= CLEAR_LEAD else None
    if not said and len(side) == 1 and only_organisation(base, bare, lang):
        # "And on the company's side?" after who witnessed it "on the host country's side": the
        # last question with the new side in place of the one it named by another word.
        unsided = _SIDE_PHRASE.sub(" ", question)
        if unsided == question:
            return None
        return _asked_of(base, " ".join(f"{unsided} {' '.join(cue_words(side[0].cues, bare))}".split()), lang)
    if len(said) != 1 or len(side) != 1 or said[0].id == side[0].id:
        return None
    words = cue_words(side[0].cues, bare)
    if not only_organisation(base, bare, lang):
        return None  # "and the city's metro lines?" asks about something of its own
    return _asked_of(base, _swapped(question, cue_words(said[0].cues, question), " ".join(words)), lang)


def _asked_of(base: Basis, text: str, lang: str) -> Reading | None:
    """The last question asked of the other organisation (`text`), when it reads confidently."""
    ranking = base.rank(text, lang)
    first = ranking.best
    if first is None or first.probability < base.answer_threshold:
        return None
    return Reading(text, ranking)


def only_organisation(base: Basis, text: str, lang: str) -> bool:
    """True when a text names one organisation and asks nothing else ("for the company",
    "auf Seiten der Stadt", "市政府那边"): its words, a side and "for" taken off leave nothing
    specific and no question."""
    found = named_in(base.kb.facts.organisations, text)
    if len(found) != 1:
        return False
    left = _SIDE_WORDS.sub(" ", text)
    for word in cue_words(found[0].cues, text):
        left = left.replace(word, " ")
    return not base.specific(left, lang) and not asked(left)


def cue_words(cues: tuple[str, ...], text: str) -> list[str]:
    """The words of `text` that cues name (a Latin cue the start of a word, a Chinese one anywhere),
    in the text's order."""
    found: list[tuple[int, str]] = []
    for cue in cues:
        if cue.isascii():
            found += [
                (m.start(), m.group(0)) for m in re.finditer(rf"(?<![a-z0-9]){re.escape(cue)}\w*", text)
            ]
        elif (at := text.find(cue)) >= 0:
            found.append((at, cue))
    return list(dict.fromkeys(word for _, word in sorted(found)))


def _swapped(question: str, old: list[str], new: str) -> str:
    """`question` with the first of the words `old` replaced by `new` and the others left out."""
    for n, word in enumerate(old):
        question = question.replace(word, new if n == 0 else " ", 1)
    return " ".join(question.split())
