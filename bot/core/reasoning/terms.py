"""A thing's name in another language ("How do you say X in Chinese?", "X auf Deutsch?",
"X用德语怎么说", "Roland Busch's Chinese name"): the name the typed facts give it in the language
asked, beside its name in the question's."""

from __future__ import annotations

import re

from bot.core.lang import normalise
from bot.core.ranking import Ranking
from bot.core.reasoning.asked import Found, _Asked
from bot.core.reasoning.named import _Named
from bot.core.reasoning_texts import LANGUAGE_NAMES, T
from bot.knowledge.model import Fact

# The language a name is asked in, by the words for it in the three languages.
_TARGETS = {
    "zh": re.compile(r"\b(chinese|chinesisch\w*|mandarin)\b|中文|汉语|漢語|华文|華文|普通话|普通話"),
    "en": re.compile(r"\b(english|englisch\w*)\b|英文|英语|英語"),
    "de": re.compile(r"\b(german|deutsch\w*)\b|德语|德文|德語"),
}
# A request for a name or a translation, not a question in that language ("auf Deutsch bitte").
_NAMING = re.compile(
    r"\b(how do you say|how would you say|how do (you|i|we) (write|spell|call)|translat\w*|"
    r"(name|names|word|term|called|written|spelt|spelled|said) (of|for|in)|"
    r"(chinese|english|german) (name|word|term|characters|spelling|version)|"
    r"ubersetz\w*|wie heisst|wie heissen|wie lautet|wie sagt man|wie schreibt man|"
    r"(chinesische|englische|deutsche)[nrs]? (name|namen|bezeichnung|begriff|wort|schreibweise))\b|"
    r"怎么说|怎样说|如何说|怎麼說|怎么写|怎麼寫|叫什么|叫什麼|翻译|翻譯|译成|譯成|中文名|英文名|德文名|"
    r"名称|名稱|名字|写法|寫法|"
    # "What's X in English?", "Was ist X auf Chinesisch?": a name asked in a language named last.
    r"^(what s|what is|whats|was ist|was heisst)\b.{1,60}\b(in|auf) "
    r"(english|chinese|german|englisch|chinesisch|deutsch)$"
)


def _name_of(name: str) -> str:
    """A name as a question writes it: normalised, without what a parenthesis adds."""
    return normalise(name.split("(")[0].split("（")[0])


class _Terms(_Named):
    """Names of the typed facts in the language a question asks for."""

    def _name_in(self, q: _Asked, lang: str, _r: Ranking) -> Found | None:
        """ "How do you say <area> in Chinese?": the item's name in that language."""
        if q.yesno or not (_NAMING.search(q.text) or _NAMING.search(q.han)):
            return None
        targets = [t for t, words in _TARGETS.items() if words.search(q.joined)]
        if len(targets) != 1:
            return None
        target = targets[0]
        items = [i for f in self.facts.lists for i in self._named(f.items, q.text, q.han)]
        named: list[Fact] = [*q.people, *items, *q.orgs, *q.places]
        if len(named) > 1:
            # "smart transportation" names the area by its name, a business area only by a cue.
            named = [f for f in named if any(_name_of(n) in q.joined for n in f.name.values())]
        if len(named) != 1:
            return None  # none, or several: which one's name is asked is not clear
        thing = named[0]
        asked, own = thing.name.get(target), thing.name.get(lang)
        if not asked:
            return None
        text = T[lang]["name_in"].format(language=LANGUAGE_NAMES[lang][target], name=asked)
        if own and own != asked and lang != target:
            text += T[lang]["name_here"].format(name=own)
        owner = next((f for f in self.facts.lists if thing in f.items), None)
        intent = thing.intent or (owner.intent if owner is not None else None)
        sources = thing.source or (owner.source if owner is not None else ())
        return text, "answered", intent, sources
