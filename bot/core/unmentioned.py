"""What a question asks about that the fact base never mentions (pure).

"Does the agreement cover hospitals?", "Is BASF a party?", "合作包括充电桩吗？": the nearest fact
(the areas, the parties) is no answer to a question about a thing no part of the fact base knows.
A word is known when a fact's or a known unknown's question, answer or paraphrase uses it (or a
form of it: the same Snowball stem, a typo the matcher corrects), when a synonym lists it or when
a typed fact names it; a Chinese character is known when it stands in a pair of characters those
texts hold. What is left and names the thing asked about (a noun-like word of a yes/no question,
the word after "which", "welche", "哪个", a name in capitals) is unmentioned. Small talk and
off-topic examples do not count: their words are other topics' words.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

import snowballstemmer

from bot.core.lang import STOPWORDS, is_han, normalise
from bot.core.reasoning import yes_no
from bot.knowledge.model import KnowledgeBase

# Words that name no thing of their own in a question: months and weekdays (dates are checked
# elsewhere), negated auxiliaries, ordinals, pronouns ("anybody"), the frame of a guess, and
# adjectives that stand before any thing ("the whole thing").
_FRAME = frozenset(
    """
    january february march april june july august september october november december
    januar februar marz juni juli oktober dezember janner
    monday tuesday wednesday thursday friday saturday sunday
    montag dienstag mittwoch donnerstag freitag samstag sonntag weekday weekdays wochentag wochentage
    didn doesn isn wasn hasn haven aren weren couldn wouldn shouldn won
    first second third fourth fifth erste ersten erster zweite zweiten dritte dritten
    anybody anyone anything somebody someone something everybody everyone everything nobody
    jemanden irgendwer irgendwas irgendetwas irgendein irgendeine irgendwelche alles
    correct right true okay stimmt richtig
    whole entire exact main overall actual general ganze ganzen gesamte genaue eigentliche
    neither nor either weder noch entweder
    """.split()
)
# Characters that carry no content of their own in a Chinese question, and words of its frame
# ("所以是…对吗": "so it was …, right?").
_HAN_FUNCTION = frozenset(
    "的了吗吧呢么嘛是否在于从就也都还又才这那个一有没不对年月日号时当初正式已经曾首次第请问什怎哪谁几多少会要能可和与跟及"
)
# Words that only head the thing named before them ("机场建设", "医疗领域").
_HAN_HEADS = frozenset({"建设", "项目", "工程", "领域", "产业", "行业", "业务", "方面", "设施"})
# Verbs that link a thing to what it belongs to ("氢能属于……", "航空算在……里"): the stretch before
# them is the thing asked about, not their modifier.
_HAN_LINKS = frozenset({"属于", "算是", "算作", "列入", "纳入", "归入", "包括", "包含", "涵盖"})
_HAN_FRAME = ("所以", "那么", "因此", "其实", "听说", "据说", "难道", "到底", "究竟")
_LATIN = re.compile(r"[a-z][a-z]+")
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
_SURFACE = re.compile(r"[^\W\d_]+")
# The word a "which" question asks after: "which airport", "welcher Flughafen", "哪个机场".
_WHICH = re.compile(
    # "What was the weather like?", "Wer war der Fotograf?": the thing after the article.
    r"\b(?:what|which|who|wie|wer|was) (?:is|was|are|were|ist|war|sind|waren) "
    r"(?:the|his|her|its|their|der|die|das|sein|seine|ihr|ihre) ([a-z]+)|"
    r"\b(?:which|what|welche[mnrs]?|welch)\s+([a-z]+)"
)
_WHICH_HAN = re.compile(r"(?:哪个|哪家|哪座|哪所|哪部|哪条|哪项|哪位|哪一|什么|哪些)(.{2,4})")
_MIN_WORD = 4  # shorter unknown words are more often a slip than a thing
# A name written in capitals, as a word of its own (not a code with digits: "ZEBRA7741"), and
# not chat's abbreviations and shouted words ("ASAP", "FYI", "DRINGEND"), which name no thing.
_CAPITALS = re.compile(r"(?<![\w-])[A-Z]{3,}(?![\w-])")
_SHOUTED = frozenset(
    """
    asap btw fyi tia lol imo imho pls plz thx omg wtf aka eta faq tldr nvm idk afaik iirc rofl lmao
    urgent important please help question answer info update breaking news note attn attention
    dringend wichtig bitte hilfe frage antwort eilig achtung danke
    """.split()
)
# English words after which a noun stands: articles, possessives, quantifiers, prepositions and
# verbs that take a thing as their object in a yes/no question ("to" not: "is it safe to assume").
_NOUN_PLACE = frozenset(
    "a an the any some its his her their our this that these those no of for with without in on at "
    "from about into by than like as cover covers include includes including involve involves "
    "contain contains mention mentions concern concerns feature features build builds fund funds "
    "open opens sign signs get gets have has plan plans name names".split()
)
# "Is X part of / covered by / among ...?": X, the subject after the opening verb, is a thing.
_BE = frozenset({"is", "are", "was", "were"})
_BELONGS = frozenset(
    "part parts one covered included among mentioned named involved listed counted considered planned".split()
)
_MIN_FOCUS = 3  # ... unless a "which" asks after them ("which law")
_MIN_COMPOUND = 8  # letters: a German compound of two words of four letters at least
_MIN_HAN = 2


class Lexicon:
    """The words and Chinese character pairs of a fact base's facts and known unknowns."""

    def __init__(
        self, kb: KnowledgeBase, corrects: Callable[[str, str], bool], norms: Sequence[str] = ()
    ) -> None:
        """`corrects(word, lang)`: True when the matcher reads `word` as a typo of a known word (a
        German compound is read here, by its parts);
        `norms`: every alternative question of `kb` normalised, in the base's order (the matcher's
        index holds them), so that they need not be normalised again."""
        self._corrects = corrects
        self._stemmers = (snowballstemmer.stemmer("german"), snowballstemmer.stemmer("english"))
        words: set[str] = set()
        pairs: set[str] = set()
        for norm in _normalised(kb, norms):
            words.update(_LATIN.findall(norm))
            for run in _HAN_RUN.findall(norm.replace(" ", "")):
                pairs.update(run[i : i + 2] for i in range(len(run) - 1))
        self._words = frozenset(words)
        self._stems = frozenset(stemmer.stemWord(w) for w in words for stemmer in self._stemmers)
        self._pairs = frozenset(pairs)

    def unmentioned(self, question: str, lang: str) -> tuple[str, ...]:
        """The words of `question` (as typed) that name the thing it asks about when no fact
        mentions them, in the question's order; () when it names none (or does not ask after one)."""
        norm = normalise(question)
        if yes_no(norm, lang):
            found = self._unknown(question, norm, lang)
            if found and lang == "en":  # English does not mark its nouns: a name or a noun's place
                found = self._english_things(question, norm, found)
            return tuple(w for w in found if len(w) >= _MIN_WORD or is_han(w))
        # Not yes or no: only the thing a "which" asks after ("Which airport is involved?"); a
        # question that asks after none is not looked through (most questions: the reply path).
        focus = [m.group(1) or m.group(2) for m in _WHICH.finditer(norm)]
        focus += [m.group(1) for m in _WHICH_HAN.finditer(norm.replace(" ", ""))]
        # ... or a name written in capitals ("What did BASF announce?"), not in a message typed
        # all in capitals.
        typed = _SURFACE.findall(question)
        if sum(1 for w in typed if w.isupper()) * 2 < len(typed):
            focus += [w for w in map(normalise, _CAPITALS.findall(question)) if w not in _SHOUTED]
        if not focus:
            return ()
        found = self._unknown(question, norm, lang)
        return tuple(w for w in found if any(f.startswith(normalise(w)) for f in focus))

    def _english_things(self, question: str, norm: str, found: tuple[str, ...]) -> tuple[str, ...]:
        """Of the unknown words of an English yes/no question, those that name a thing: a name
        (capitalised, not as the question's first word: "Is Evonik a party?"), or the head of what
        follows an article, a preposition or a verb that takes an object ("cover hospitals",
        "come with scholarships"), not a modifier before a known word ("a longtime partner") and
        not an adverb or a frame ("is it accurate that", "did he merely witness")."""
        words = norm.split()
        first = next(iter(_SURFACE.findall(question)), "")
        capitalised = {normalise(w) for w in _SURFACE.findall(question)[1:] if w[0].isupper()}
        kept: list[str] = []
        for shown in found:
            if is_han(shown):
                kept.append(shown)
                continue
            if shown[0].isupper() and shown != first:
                kept.append(shown)
                continue
            head = normalise(shown).split()[-1]
            at = words.index(head) if head in words else -1
            after = words[at + 1] if 0 <= at < len(words) - 1 else ""
            if at == 1 and words[0] in _BE and after in _BELONGS:
                kept.append(shown)  # "Is aviation covered by ...?": the subject is the thing asked
                continue
            named_before = at >= 2 and words[at - 2] in _NOUN_PLACE and words[at - 1] in capitalised
            if (at <= 0 or words[at - 1] not in _NOUN_PLACE) and not named_before:
                continue  # (a name before it is its modifier: "the <City> airport")
            after = words[at + 1] if at + 1 < len(words) else ""
            if after and after not in STOPWORDS.get("en", ()) and self._known(after, "en"):
                continue  # a modifier of a word the release knows
            kept.append(shown)
        return tuple(kept)

    def _unknown(self, question: str, norm: str, lang: str) -> tuple[str, ...]:
        surface = {normalise(w): w for w in _SURFACE.findall(question)}
        # German writes nouns capitalised: in a question that does so, a word in lower case names
        # no thing ("mitgemischt"); a question all in lower case tells nothing.
        cased = lang == "de" and any(w[0].isupper() for w in _SURFACE.findall(question)[1:])
        found: list[str] = []
        last = -2  # the place of the last unknown name: neighbours are one ("Olaf Scholz")
        for place, word in enumerate(_LATIN.findall(norm)):
            shown = surface.get(word, word)
            if cased and not shown[0].isupper():
                continue
            if len(word) >= _MIN_FOCUS and not self._known(word, lang):
                if place == last + 1 and shown[0].isupper() and found[-1][0].isupper():
                    found[-1] = f"{found[-1]} {shown}"
                else:
                    found.append(shown)
                last = place
        for run in _HAN_RUN.findall(norm.replace(" ", "")):
            found += self._han_unknown(run)
        return tuple(dict.fromkeys(found))

    def _known(self, word: str, lang: str) -> bool:
        if word in _FRAME or word in STOPWORDS.get(lang, ()) or self._plain(word):
            return True
        if lang == "de" and self._compound(word):
            return True
        # A short word read as a typo is more often another word ("car" is not "can").
        return len(word) > _MIN_FOCUS and self._corrects(word, lang)

    def _plain(self, word: str) -> bool:
        """A word the texts use, or a form of one (the same stem)."""
        return word in self._words or any(stemmer.stemWord(word) in self._stems for stemmer in self._stemmers)

    def _compound(self, word: str) -> bool:
        """A German compound of a known first part whose last part, which names the thing, is known
        too or too short to name one ("Vertragsart", "Kooperationsvertrag"); not "Wasserstoff",
        whose last part names a thing the texts never do. A short word is no compound ("Scholz")."""
        if len(word) < _MIN_COMPOUND:
            return False
        for cut in range(len(word) - 1, _MIN_WORD - 1, -1):
            head, rest = word[:cut], word[cut:]
            if not (self._plain(head) or (head.endswith("s") and self._plain(head[:-1]))):
                continue
            if len(rest) < _MIN_WORD or self._plain(rest):
                return True
        return False

    def _han_unknown(self, run: str) -> list[str]:
        """The stretches of a run of Han characters that no known pair covers (two characters at
        least, no function character)."""
        for frame in _HAN_FRAME:
            run = run.replace(frame, "的")
        covered = [False] * len(run)
        for i in range(len(run) - 1):
            if run[i : i + 2] in self._pairs:
                covered[i] = covered[i + 1] = True
        found: list[str] = []
        stretch = ""
        for at, (char, known) in enumerate(zip([*run, "的"], [*covered, True], strict=True)):
            if known or char in _HAN_FUNCTION:
                # Before a known word, a stretch is most often its verb or its modifier
                # ("兴建捷运": build the metro), unless that word is a mere head ("机场建设").
                # ("机场的建设": before "的" a stretch is the thing the known word is of.)
                after = run[at : at + 2]
                if len(stretch) >= _MIN_HAN and (
                    char == "的" or after not in self._pairs or after in _HAN_HEADS or after in _HAN_LINKS
                ):
                    found.append(stretch)
                stretch = ""
            else:
                stretch += char
        return found


def _normalised(kb: KnowledgeBase, norms: Sequence[str]) -> Iterable[str]:
    """Every text of the facts and known unknowns, the synonyms and the typed facts, normalised;
    the questions taken from `norms` when it holds them all."""
    given = len(norms) == sum(len(qs) for intent in kb.intents for qs in intent.questions.values())
    at = 0
    for intent in kb.intents:
        count = sum(len(qs) for qs in intent.questions.values())
        if intent.kind in ("fact", "unknown"):
            if given:
                yield from norms[at : at + count]
            else:
                yield from (normalise(q) for questions in intent.questions.values() for q in questions)
            yield from map(normalise, intent.answer.values())
        at += count
    yield from map(normalise, _texts(kb))


def _texts(kb: KnowledgeBase) -> Iterable[str]:
    """The synonyms and the texts of the typed facts."""
    for terms in kb.synonyms.values():
        yield from terms
    facts = kb.facts
    items = (item for listed in facts.lists for item in listed.items)
    every = (
        *facts.events,
        *facts.organisations,
        *facts.absent_organisations,
        *facts.people,
        *facts.places,
        *facts.lists,
        *items,
    )
    for fact in every:
        yield from fact.name.values()
        yield from fact.cues
        yield from getattr(fact, "says", {}).values()
        yield from getattr(fact, "inside", ())
