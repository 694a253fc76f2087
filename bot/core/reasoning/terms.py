"""A thing's name in another language ("How do you say <area> in Chinese?", "<area> auf
Deutsch?", "<area>用德语怎么说", "<person>'s Chinese name"): the name the typed facts give a
person or a list's item in the language asked, beside its name in the question's. Organisations
and places are left out: an organisation's typed name is the label of a side ("the city's side"),
and a place stands inside the names of offices and bodies ("the city's party secretary") whose
name is not a typed fact."""

from __future__ import annotations

import re

from bot.core.lang import normalise
from bot.core.ranking import Ranking
from bot.core.reasoning.asked import Found, _Asked
from bot.core.reasoning.named import _Named
from bot.core.reasoning_texts import LANGUAGE_NAMES, T
from bot.knowledge.model import Fact

# A name asked in a language: the language as the goal of a translation or the kind of a name
# ("in Chinese", "ins Englische", "Chinese name", "用德语", "英文名"), not as an adjective of a
# thing ("the Chinese city").
_TARGETS = {
    "zh": re.compile(
        r"\b(in|into|to|auf|ins) (chinese|mandarin|chinesisch|chinesische)\b|"
        r"\b(chinese|chinesische[nrs]?) (name|names|namen|word|wort|term|begriff|characters|zeichen|"
        r"spelling|schreibweise|version|translation|ubersetzung|bezeichnung)\b|"
        r"(用|译成|翻译成|翻成|譯成|翻譯成|的)(中文|汉语|漢語|华文|華文|普通话)|(中文|汉语|漢語)(名|怎么说|怎麼說|叫)"
    ),
    "en": re.compile(
        r"\b(in|into|to|auf|ins) (english|englisch|englische)\b|"
        r"\b(english|englische[nrs]?) (name|names|namen|word|wort|term|begriff|spelling|schreibweise|"
        r"version|translation|ubersetzung|bezeichnung)\b|"
        r"(用|译成|翻译成|翻成|譯成|翻譯成|的)(英文|英语|英語)|(英文|英语|英語)(名|怎么说|怎麼說|叫)"
    ),
    "de": re.compile(
        r"\b(in|into|to|auf|ins) (german|deutsch|deutsche)\b|"
        r"\b(german|deutsche[nrs]?) (name|names|namen|word|wort|term|begriff|spelling|schreibweise|"
        r"version|translation|ubersetzung|bezeichnung)\b|"
        r"(用|译成|翻译成|翻成|譯成|翻譯成|的)(德语|德文|德語)|(德语|德文|德語)(名|怎么说|怎麼說|叫)"
    ),
}
# A request for a name or a translation, not a question in that language ("auf Deutsch bitte").
_NAMING = re.compile(
    r"\b(how do you say|how would you say|how do (you|i|we) (write|spell|call)|how is .{1,40} "
    r"(written|spelt|spelled|said|called)|translat\w*|name|names|word|term|"
    r"ubersetz\w*|wie heisst|wie heissen|wie lautet|wie sagt man|wie schreibt man|namen?|"
    r"bezeichnung|begriff|wort)\b|"
    r"怎么说|怎样说|如何说|怎麼說|怎么写|怎麼寫|叫什么|叫什麼|翻译|翻譯|译成|譯成|名|写法|寫法|"
    # "X的英文是什么": X's English is asked.
    r"的(英文|英语|英語|中文|德语|德文|德語)(是|叫|怎么|怎麼|为|為)|"
    # "What's X in English?", "Was ist X auf Chinesisch?": a name asked in a language named last.
    r"^(what s|what is|whats|was ist|was heisst)\b.{1,60}\b(in|auf) "
    r"(english|chinese|german|englisch|chinesisch|deutsch)$"
)
# Words said, to be translated: X's words in that language, not a name ("how do you say" is one).
_WORDS_SAID = re.compile(
    r"\b(quotes?|quoted|statements?|remarks?|words|said|zitat\w*|aussage\w*|sagte|gesagt)\b|讲话|说的话|的话|引述|引语"
)
# A thing of a person's is asked ("<person>'s committee"), not the person's name.
_POSSESSED = re.compile(r" s (?!(chinese|english|german|full|own)\b|names?\b)\w+")
# A title or a role is asked, not a name ("his title in English", "职务的英文"): the profile says it.
_TITLE = re.compile(
    r"\b(title|titles|position|role|job|office|titel|funktion|amt|posten|stelle|rolle)\b|职务|头衔|職務|頭銜|职位"
)


def _name_of(name: str) -> str:
    """A name as a question writes it: normalised, without what a parenthesis adds."""
    return normalise(name.split("(")[0].split("（")[0])


class _Terms(_Named):
    """Names of the typed facts in the language a question asks for."""

    def _name_in(self, q: _Asked, lang: str, _r: Ranking) -> Found | None:
        """ "How do you say <area> in Chinese?": the item's name in that language."""
        if q.yesno or not (_NAMING.search(q.text) or _NAMING.search(q.han)) or _TITLE.search(q.joined):
            return None
        if _WORDS_SAID.search(q.text) or _WORDS_SAID.search(q.han):
            return None  # "translate what X said": X's words, in the language asked
        targets = [t for t, words in _TARGETS.items() if words.search(q.text) or words.search(q.han)]
        if len(targets) != 1:
            return None
        target = targets[0]
        items = [i for f in self.facts.lists for i in self._named(f.items, q.text, q.han)]
        named: list[Fact] = [*q.people, *items]
        if len(named) > 1:
            # "smart transportation" names the area by its name, a business area only by a cue.
            named = [f for f in named if any(_name_of(n) in q.joined for n in f.name.values())]
        if len(named) != 1 or (q.orgs and not q.people) or (q.people and _POSSESSED.search(q.text)):
            return None  # none, several, an organisation's or a person's thing: not clear whose name
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
