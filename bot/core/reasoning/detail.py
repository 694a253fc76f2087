"""Words a yes/no question about an event's date adds beyond the event: "Did it start in <year>
with a <project>?", "opened in <year> in the <district>?". The year may hold while the rest is
something no fact gives, so the check must not say "yes" to the whole (pure).

A word is the event's own when the fact base uses it for the event (its name and what it says,
its intent's answer and the questions written for the intent, in every language), when it names
any typed fact, or when it is a function word of a question; a Chinese question is read in pairs
of content characters."""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.core.lang import normalise

# Function words and frames of a yes/no question about a date, in de and en (never a fact's term).
_FUNCTION = frozenset(
    """
    a an the this that these those it its it s is are was were be been being did does do done has have
    had not no yes n t isn wasn didn doesn hasn haven really actually indeed truly already back then
    ever just only first officially official in on at of by for from with to into as and or so also
    too there here right correct true so called what when which who year years month day date time
    around about exactly precisely approximately roughly some one ones any exist exists existed existing
    happen happened take took taken place become became get got make made come came go went
    der die das den dem des ein eine einen einem einer eines es ist sind war waren wurde wurden
    worden hat haben hatte hatten nicht kein keine ja nein wirklich tatsachlich schon bereits damals
    erst erstmals offiziell im in am an auf aus bei mit von vom zu zum zur fur als und oder so auch
    da dort richtig stimmt stimmt s wahr gell jahr jahre jahren monat tag datum zeit genau etwa ungefahr
    two three four zwei drei vier signatory signatories signer signers witness witnesses
    unterzeichner unterzeichnern zeuge zeugen
    nun denn eigentlich mal doch existiert existierte existierten gab gibt bestand besteht bestehen
    geschah passiert passierte stattgefunden statt fand findet worden geworden entstand entstanden
    entstehen
    """.split()
)
_MONTHS = frozenset(
    """january february march april may june july august september october november december jan feb
    mar apr jun jul aug sep sept oct nov dec januar februar marz mai juni juli oktober dezember""".split()
)
# Characters that carry no content of their own in a Chinese yes/no question.
_HAN_FUNCTION = frozenset(
    "的了吗吧呢么嘛是否在于从就也都还又才这那个一有没不对年月日号时当初正式已经曾首次第"
)
# Words that open a phrase of circumstance (place, means, company, occasion), and how many words
# (Chinese: characters) after one a word still belongs to its phrase.
_CIRCUMSTANCE = frozenset(
    "with in at near during under through via by inside within mit im in am an bei unter wahrend durch "
    "uber innerhalb nahe".split()
)
_REACH = 4
_HAN_CIRCUMSTANCE = frozenset("在从由以和与跟于靠随")
_HAN_REACH = 6
# How much longer than a question's word a known word may be and still be one of its forms
# ("unterzeichnet" and "unterzeichnung", "sign" and "signing").
_FORM_LONGER = 2
_WORD = re.compile(r"[a-z][a-z]+")
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")


class Vocabulary:
    """The words and Chinese character pairs of an event's texts."""

    def __init__(self, texts: Iterable[str]) -> None:
        words: set[str] = set()
        pairs: set[str] = set()
        for text in texts:
            norm = normalise(text)
            words.update(_WORD.findall(norm))
            for run in _HAN_RUN.findall(norm.replace(" ", "")):
                pairs.update(run[i : i + 2] for i in range(len(run) - 1))
        self.words = frozenset(words)
        self.pairs = frozenset(pairs)

    def extra(self, text: str, han: str) -> tuple[str, ...]:
        """The content words of a normalised question (its names of facts already taken out;
        `han` the same without spaces) that this vocabulary does not hold, each in a phrase that
        adds a circumstance (after "with", "in", "mit", "在", "由" ...): a word elsewhere is more
        likely the asker's own way of naming the event."""
        found: list[str] = []
        words = _WORD.findall(text)
        for i, word in enumerate(words):
            if len(word) <= 2 or word in _FUNCTION or word in _MONTHS or self._known(word):
                continue
            if any(w in _CIRCUMSTANCE for w in words[max(0, i - _REACH) : i]):
                found.append(word)
        for run in _HAN_RUN.findall(han):
            for i in range(len(run) - 1):
                pair = run[i : i + 2]
                if pair[0] in _HAN_FUNCTION or pair[1] in _HAN_FUNCTION or pair in self.pairs:
                    continue
                if any(c in _HAN_CIRCUMSTANCE for c in run[max(0, i - _HAN_REACH) : i]):
                    found.append(pair)
        return tuple(found)

    def _known(self, word: str) -> bool:
        """A word the event's texts hold, or one of its forms ("opened" beside "open"): not a word
        that only begins like a longer one ("Muniz" is no form of "municipal")."""
        if word in self.words:
            return True
        stem = word[:5] if len(word) > 5 else word
        if len(stem) < 4:
            return False
        return any(w.startswith(stem) and len(w) - len(word) <= _FORM_LONGER for w in self.words)
