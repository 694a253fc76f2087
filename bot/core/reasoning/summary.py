"""The key facts composed into one reply (when a question asks for a summary)."""

from __future__ import annotations

import re

from bot.core.ranking import Ranking
from bot.core.reasoning.asked import Found, _Asked, roles_in
from bot.core.reasoning.named import _Named
from bot.core.reasoning_texts import T, count_word
from bot.knowledge.model import Deed

_SUMMARY = re.compile(
    r"\b(key facts|key points|main facts|main points|the facts|summary|summari[sz]e|sum up|overview|"
    r"(top|most important|essential|important|key|main) (\w+ )?(facts|points|takeaways)|takeaways|"
    r"eckdaten|kernpunkte|kernfakten|wichtigsten (fakten|punkte|infos?)|zusammenfass\w*|uberblick)\b|"
    r"要点|概括|总结|摘要|关键信息|主要内容|概要|重点"
)

# A request to compose something short about the release ("draft a tweet about the deal", "Schreib
# einen Tweet zur Unterzeichnung", "写一条关于签约的微博"): the key facts are what it can be made of.
_COMPOSE = re.compile(
    r"\b(write|draft|compose|create|make|give me|need|want|suggest|propose|schreib\w*|verfass\w*|"
    r"formulier\w*|entw[iu]rf\w*|erstell\w*|brauche|brauchen|hatte gern|vorschlag\w*)\b.{0,40}\b(tweets?|"
    r"x posts?|social media posts?|linkedin posts?|blog posts?|blurbs?|teasers?|captions?|headlines?|"
    r"(?:a|an|einen|eine) (?:\w+ )?(?:title|titel)|one liners?|press summary|newsletter (items?|blurbs?)|"
    r"schlagzeilen?|uberschrift\w*|bildunterschrift\w*|kurzmeldung\w*)\b|"
    r"(写|拟|起草|编|来)(一条|一则|一段|一个|个|条)?.{0,12}(推文|微博|朋友圈|文案|短讯|标题|图片说明|配图说明)"
)
# The short forms of such a request: a headline, a tweet, a caption: the release in one sentence.
# (Not "the titles of the witnesses": their posts.)
_SHORT_FORM = re.compile(
    r"\b(tweets?|x posts?|headlines?|(?:a|an|einen|eine) (?:\w+ )?(?:title|titel)|captions?|one liners?|"
    r"teasers?|schlagzeilen?|uberschrift\w*|bildunterschrift\w*)\b|推文|微博|标题|图片说明|配图说明"
)
# A request about something named ("a tweet about football", "ein Post zum Wetter"): the release's
# only when that names it.
_ABOUT = re.compile(r"\b(about|on|regarding|for|uber|zum|zur|zu|fur)\b|关于")
# A summary asked for in so many sentences or points ("in one sentence", "in 3 Stichpunkten",
# "maximal drei Sätze", "用一句话", "三点"): the count, and whether points ("p") or sentences.
_LIMIT = re.compile(
    r"\b(?P<n>one|a single|two|three|four|five|ein|einem|einen|eine|einer|zwei|drei|vier|funf|[1-5])\s+"
    r"(?:short |brief |kurzen |kurze |knappen |einzigen )?"
    r"(?:(?P<s>sentences?|lines?|satz|satze|satzen|zeilen?)|"
    r"(?P<p>bullets?|bullet points?|points?|key points?|takeaways?|stichpunkten?|punkten?))\b|"
    r"(?P<hn>[一两二三四五1-5])(?:个|条)?(?:(?P<hs>句话|句)|(?P<hp>个?要点|点|条))"
)
_COUNTS = {
    "one": 1, "a single": 1, "ein": 1, "einem": 1, "einen": 1, "eine": 1, "einer": 1, "一": 1,
    "two": 2, "zwei": 2, "两": 2, "二": 2, "three": 3, "drei": 3, "三": 3,
    "four": 4, "vier": 4, "四": 4, "five": 5, "funf": 5, "五": 5,
}  # fmt: skip
# What asks for the gist besides the summary words: "fass ... zusammen", "简述".
_GIST = re.compile(
    r"\bfass\w*\b.{0,60}\bzusammen\b|\bzusammengefasst\b|简述|简要说明|(?:^|\s)请?分点列出(?:\s|$)"
)


def asks_summary(normalised: str) -> bool:
    """True for a request for the release's key facts or gist ("summarise it", "fass zusammen",
    "概括一下", "a tweet about the deal")."""
    return any(p.search(normalised) for p in (_SUMMARY, _GIST, _COMPOSE))


# What names a part of the release's story rather than the release ("the history in two sentences"):
# no summary of the whole in that length.
_STORY_PART = re.compile(r"\b(?:history|historie|geschichte|werdegang|track record)\b|历史|历程")


def limit_asked(joined: str) -> tuple[int, bool] | None:
    """The number of sentences or points a summary is asked in, and whether points, or None."""
    found = _LIMIT.search(joined)
    if found is None:
        return None
    count = found["n"] or found["hn"]
    n = int(count) if count.isdigit() else _COUNTS[count]
    return n, bool(found["p"] or found["hp"])


# What names the release's subject in such a request, besides the typed facts' cues ("the deal").
_RELEASE_SUBJECT = re.compile(
    r"\b(deal|agreement|partnership|cooperation|news|announcement|vereinbarung|abkommen|kooperation|"
    r"partnerschaft|zusammenarbeit|meldung|nachricht)\b|协议|合作|签约|新闻"
)

# Every person the release names: "which people does it mention?", "alle genannten Personen",
# "新闻稿提到了哪些人". Not a count ("how many people ..." is the counts' question).
_EVERYONE = re.compile(
    r"\b(which|what|all|every|list)\b.{0,20}\b(people|persons|individuals|personalities)\b.{0,30}"
    r"\b(named|names?|mention\w*|appear\w*|cite[sd]?|feature[sd]?|in the (release|text|announcement|news|"
    r"statement))\b|"
    r"\bnames of (all )?(the )?(people|persons|individuals)\b|"
    # "Name everyone the release mentions", "everybody it names".
    r"\b(everyone|everybody|every person|all persons|all the people)\b.{0,30}"
    r"\b(named|names?|mention\w*|cited|cites?|in the)\b|"
    r"\bwho (is|are|gets?|was|were) (named|mentioned|cited) (in|by) (the|this) (press release|release|text|"
    r"announcement|news|statement|article)\b|"
    r"\b(welche|alle)\b.{0,20}\b(personen|leute|menschen|personlichkeiten|namen)\b.{0,40}"
    r"\b(genannt|nennt|nennen|erwahnt|erwahnen|aufgefuhrt|auffuhrt|vor)\b|"
    r"\b(alle|jede) (genannten|erwahnten) (personen|leute)\b|"
    r"\bwer (wird|werden|ist|sind|wurde|wurden) in der (presse)?(mitteilung|meldung|pm)\b.{0,20}"
    r"\b(genannt|erwahnt)\b|"
    r"(提到|提及|出现|点名|涉及)了?(哪些|哪几)(个|位)?(人|人物)[？?呢]?$|所有人名|哪些人物[？?呢]?$|"
    r"(新闻稿|通稿|公告|稿子)(里|中|里面)?(提到|提及|点名)了?(谁|哪些人|哪几个人|哪几位)"
)

# The deeds a summary lists, with the text each is introduced by.
_DEEDS: tuple[tuple[Deed, str], ...] = (
    ("signed", "signed_by"),
    ("witnessed", "witnessed_by"),
    ("quoted", "quoted"),
)


class _Summary(_Named):
    """The key facts composed, and the people named."""

    def _people_named(self, q: _Asked, lang: str, _r: Ranking) -> Found | None:
        """ "Which people does the release name?": all of them with their roles, as a count of
        them gives them, then who signed, witnessed and was quoted."""
        people = self.facts.people
        if (
            not _EVERYONE.search(q.joined)
            or q.people
            or q.orgs
            or q.yesno
            or q.deed is not None
            or not people
        ):
            return None
        if roles_in(q.text) or self._about_one_thing(q):
            return None  # "which people are named as the mayor / in the training?": not everyone
        sep = "：" if lang == "zh" else ": "
        names = self._join([p.name[lang] for p in people], lang)
        lines = [T[lang]["count"].format(n=count_word(len(people), lang), who=T[lang]["people"], names=names)]
        for deed, key in _DEEDS:
            doers = [p.name[lang] for p in self.facts.doers(deed)]
            if doers:
                lines.append(f"• {T[lang][key]}{sep}{self._join(doers, lang)}")
        return (
            "\n".join(lines),
            "answered",
            people[0].intent,
            tuple(dict.fromkeys(s for p in people for s in p.source)),
        )

    def _about_one_thing(self, q: _Asked) -> bool:
        """True when a question names a list or one of its items ("the areas", "talent training"),
        or an event other than the latest (the release itself, which every question is about)."""
        return any(e is not self._by_date[-1] for e in q.events) or self._list_named(q)

    def composes(self, clean: str, lang: str) -> bool:
        """True for a request to compose something short about the release ("draft a tweet about
        the deal"): not a task off the topic, its key facts are the answer."""
        return self._composed(self._read(clean, lang))

    def speaks_of_release(self, clean: str, lang: str) -> bool:
        """True for a question that names a deed or an event of the release's typed facts."""
        q = self._read(clean, lang)
        return q.deed is not None or bool(q.events)

    def names_list(self, clean: str, lang: str) -> bool:
        """True for a question that names one of the typed lists by its own word ("the areas", "the
        projects") or one of its items."""
        return self._list_named(self._read(clean, lang))

    def _composed(self, q: _Asked) -> bool:
        if _COMPOSE.search(q.joined) is None:
            return False
        # An event of the release, or both parties: "a tweet about the signing", "about the company
        # and the city"; one party alone is any of its news ("the city's hotpot", "the company's
        # results"), which the release is not.
        both = len({o.id for o in q.orgs}) >= 2
        if q.events or both or _RELEASE_SUBJECT.search(q.joined):
            return True
        # "Give me a headline of under 10 words.": no subject named, the release's own.
        return _SHORT_FORM.search(q.joined) is not None and _ABOUT.search(q.joined) is None and not q.orgs

    def _key_facts(self, q: _Asked, lang: str, _r: Ranking) -> Found | None:
        """The key facts, composed: the events in order, who signed, witnessed and was quoted, the
        lists; in so many sentences or points, where asked so and the fact base gives them."""
        composed = self._composed(q)
        summary = bool(_SUMMARY.search(q.joined) or _GIST.search(q.joined))
        if not (composed or summary) or q.people or q.yesno or len(q.events) > 1:
            return None
        if self._list_named(q) or (not composed and self._about_one_thing(q)):
            # The key facts about one thing: "takeaways on talent training" (a tweet about the
            # signing is one about the release).
            return None
        if any(p.role != "party" for p in q.places):
            return None
        # (Not "the executive quote in two lines": a summary of one thing said.)
        # (Nor "the history in two sentences": a part of the story.)
        limit = (
            limit_asked(q.joined)
            if (summary or composed) and q.deed is None and not _STORY_PART.search(q.joined)
            else None
        )
        if limit is None and composed and _SHORT_FORM.search(q.joined):
            limit = (1, False)  # a headline, a tweet, a caption: the release in one sentence
        if limit is not None:
            limited = self._limited(lang, *limit)
            if limited is not None:
                return limited
        lines = [T[lang]["key_facts"]]
        events = self._by_date
        sep = "：" if lang == "zh" else ": "
        for event in events:
            lines.append(f"• {self._date(event, lang)}{sep}{event.says[lang]}")
        for deed, key in _DEEDS:
            people = [p.name[lang] for p in self.facts.doers(deed)]
            if people:
                lines.append(f"• {T[lang][key]}{sep}{self._join(people, lang)}")
        for fact_list in self.facts.lists:
            name = fact_list.name[lang]
            items = self._join([i.name[lang] for i in fact_list.items], lang)
            lines.append(f"• {name[0].upper() + name[1:]}{sep}{items}")
        latest = next((e.intent for e in reversed(events) if e.intent and self.kb.get(e.intent)), None)
        return "\n".join(lines), "answered", latest, self._all_sources()

    def _limited(self, lang: str, n: int, points: bool) -> Found | None:
        """The release in one sentence, or its first `n` key points (as bullets, or as running
        text where sentences are asked for), or None where the fact base gives neither."""
        release = self.kb.release
        summary, lines = release.text("summary", lang), release.points.get(lang, ())
        if n == 1 and summary:
            text = summary
        elif lines:
            kept = lines[:n]
            text = (
                "\n".join(f"• {line}" for line in kept)
                if points
                else ("" if lang == "zh" else " ").join(kept)
            )
        else:
            return None
        latest = self._by_date[-1]
        intent = latest.intent if latest.intent and self.kb.get(latest.intent) else None
        if n == 1:  # the agreement itself: where the release states it
            found = self.kb.get(intent) if intent else None
            return text, "answered", intent, found.source if found is not None else ()
        return text, "answered", intent, self._all_sources()

    def _all_sources(self) -> tuple[str, ...]:
        """The paragraphs every typed fact comes from, the headline first."""
        facts = self.facts
        sources = dict.fromkeys(
            s for fact in (*self._by_date, *facts.people, *facts.lists) for s in fact.source
        )
        order = {s: n for n, s in enumerate(("title", "p1", "p2", "p3", "p4", "p5"))}
        return tuple(sorted(sources, key=lambda s: order.get(s, 99)))
