"""Checks of kinds of question a stranger to the fact base asks (issue 18), through the real
engine: a deed put on the other party's side, people asked for by count, the exact date asked in
the other order, other companies of a kind, the agreement asked about its own nature, a span
between two events in two clauses, a source named as saying something, "who else" next to a close
runner-up, counts of executives, a deed answered by a fact about another deed, and clauses that
only point back. Each in the wordings of this file (never an evaluation set's)."""

from __future__ import annotations

import pytest

from bot.core.engine import Engine
from bot.core.lang import normalise
from bot.core.question import asked, points_back


def _check(
    engine: Engine, question: str, outcome: str | None, wanted: list[str], unwanted: list[str]
) -> None:
    """`outcome` None: any outcome, as long as the words wanted and unwanted hold."""
    reply = engine.reply(question)
    assert outcome is None or reply.outcome == outcome, (question, reply.outcome, reply.text)
    for word in wanted:
        assert word in reply.text, (question, word, reply.text)
    for word in unwanted:
        assert word not in reply.text, (question, word, reply.text)


@pytest.mark.parametrize(
    ("question", "outcome", "wanted", "unwanted"),
    [
        # A signatory put on the other party's side: the side he signed for, and who signed for
        # the side named (a "why" keeps it a premise; a yes/no says no).
        pytest.param(
            "Why did Xiao Song sign on behalf of the municipal government?",
            "unknown",
            ["on behalf of Siemens", "Chen Xinwu"],
            [],
            id="en-why-other-side",
        ),
        pytest.param(
            "Hat Chen Xinwu für Siemens unterschrieben?", "answered", ["Nein", "Xiao Song"], [], id="de-yesno"
        ),
        pytest.param("袁家军是代表西门子见证签约的吗？", "answered", ["不是", "博乐仁"], [], id="zh-witness"),
        # near miss: the side he did sign for holds
        pytest.param(
            "Did Xiao Song sign for Siemens?", "answered", ["Yes"], ["On behalf of"], id="en-own-side"
        ),
        # The side follows "for" directly, an article or "the city / government of" between.
        pytest.param(
            "Did Xiao Song sign on behalf of the government of Chongqing?",
            "answered",
            ["No", "on behalf of Siemens", "Chen Xinwu"],
            [],
            id="en-government-of",
        ),
        pytest.param(
            "Hat Xiao Song im Namen der Stadt unterschrieben?",
            "answered",
            ["Nein", "Chen Xinwu"],
            [],
            id="de-im-namen",
        ),
        pytest.param("肖松代表重庆市政府签字了吗？", "answered", ["不是", "陈新武"], [], id="zh-daibiao"),
        # near misses: a deed done "for" a purpose names no side (the party named is further on)
        pytest.param(
            "Did Xiao Song sign the agreement for the future of Chongqing?",
            None,
            [],
            ["No", "On behalf of"],
            id="en-for-a-purpose",
        ),
        pytest.param(
            "Hat Xiao Song für die Zukunft der Stadt unterschrieben?",
            None,
            [],
            ["Nein", "Für Stadt"],
            id="de-fuer-einen-zweck",
        ),
        pytest.param(
            "Did Chen Xinwu sign it for the benefit of Siemens customers?",
            None,
            [],
            ["No", "On behalf of"],
            id="en-for-the-benefit-of",
        ),
    ],
)
def test_a_deed_on_the_other_side_is_corrected(
    engine: Engine, question: str, outcome: str | None, wanted: list[str], unwanted: list[str]
) -> None:
    _check(engine, question, outcome, wanted, unwanted)


@pytest.mark.parametrize(
    ("question", "outcome", "wanted", "unwanted"),
    [
        # "哪两位" counts people: an answer naming only the two parties would not do
        pytest.param(
            "见证这次签约的双方领导是哪两位？", "answered", ["袁家军", "博乐仁"], [], id="zh-which-two"
        ),
        # the best match names the signatories; the question asks who witnessed
        pytest.param(
            "代表双方见证签约的是哪两位？",
            "answered",
            ["袁家军", "博乐仁"],
            ["陈新武"],
            id="zh-witness-not-signers",
        ),
        # near miss: the fact that names the witnesses answers, with all it says
        pytest.param("Who witnessed the signing?", "answered", ["Yuan Jiajun", "Busch"], [], id="en-plain"),
    ],
)
def test_people_asked_for_by_deed_or_count(
    engine: Engine, question: str, outcome: str, wanted: list[str], unwanted: list[str]
) -> None:
    _check(engine, question, outcome, wanted, unwanted)


@pytest.mark.parametrize(
    ("question", "kinds"),
    [
        pytest.param("An welchem Datum genau wurde das Büro eröffnet?", {"day"}, id="de-datum-genau"),
        pytest.param("On which date exactly did the office open?", {"day"}, id="en-date-exactly"),
        pytest.param("What date in 1996 did the office open?", {"day"}, id="en-date-in-year"),
        # near miss: a date without "exactly" or a year is the plain date
        pytest.param("What date did the office open?", {"date"}, id="en-plain-date"),
        pytest.param("签约的是哪两位？", {"role_person"}, id="zh-which-two"),
        pytest.param("签约的是哪位？", {"person"}, id="zh-which-one"),
    ],
)
def test_kinds_asked(question: str, kinds: set[str]) -> None:
    assert asked(normalise(question)) == kinds


@pytest.mark.parametrize(
    "question",
    [
        pytest.param("An welchem Datum genau wurde das Büro eröffnet?", id="de"),
        pytest.param("What date in 1996 did the office open?", id="en"),
    ],
)
def test_the_exact_date_of_a_year_is_not_stated(engine: Engine, question: str) -> None:
    reply = engine.reply(question)
    assert reply.outcome == "not_stated" and not reply.answered
    assert "1996" in reply.text


@pytest.mark.parametrize(
    ("question", "intent", "wanted"),
    [
        pytest.param(
            "顾问团还有哪些其他跨国公司？",
            "unknown_other_companies",
            "没有提到其他企业",
            id="zh-multinationals",
        ),
        pytest.param(
            "Which other foreign companies are on the advisory council?",
            "unknown_other_companies",
            "does not mention any other companies",
            id="en-foreign",
        ),
        # "the mayor's" council: the known unknown about the mayor, which names no other member
        pytest.param(
            "Which other foreign firms are on the mayor's advisory council?",
            "unknown_mayor",
            "does not name the Mayor",
            id="en-foreign-mayors-council",
        ),
        pytest.param(
            "Welche anderen ausländischen Unternehmen sitzen im Beirat?",
            "unknown_other_companies",
            "Weitere Unternehmen oder Partner nennt die Pressemitteilung nicht",
            id="de-auslaendisch",
        ),
    ],
)
def test_other_companies_of_a_kind_are_not_named(
    engine: Engine, question: str, intent: str, wanted: str
) -> None:
    """Other members of a kind: a known unknown that says so, naming no company."""
    reply = engine.reply(question)
    assert (reply.outcome, reply.intent) == ("unknown", intent), reply.text
    assert wanted in reply.text, reply.text


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        # the parts split at the comma; the span is between what the two parts name
        pytest.param("从开始合作到加入顾问团，前后经过了几年", "23年", id="zh-two-clauses"),
        pytest.param("The office opened, and how many years later did the branch come?", "14 years", id="en"),
    ],
)
def test_a_span_across_two_clauses_is_one_question(engine: Engine, question: str, wanted: str) -> None:
    reply = engine.reply(question)
    assert reply.outcome == "answered" and wanted in reply.text, reply.text


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        # each part asks a thing of its own: two answers, not a span between the events they name
        pytest.param(
            "How long did the office exist, and when was the agreement signed?",
            ["1996", "2010", "20 June 2024"],
            id="how-long-and-when",
        ),
        pytest.param(
            "Wer hat unterschrieben, und wie viele Jahre nach der Büroeröffnung?", ["Chen"], id="who-and"
        ),
    ],
)
def test_parts_that_each_ask_are_not_one_span(engine: Engine, question: str, wanted: list[str]) -> None:
    reply = engine.reply(question)
    assert reply.outcome == "answered" and all(w in reply.text for w in wanted), reply.text
    assert "years passed" not in reply.text and "Jahre auseinander" not in reply.text


@pytest.mark.parametrize(
    ("question", "wanted", "unwanted"),
    [
        # the release is the source of the claim, not a second event to order or count
        pytest.param("新闻稿称西门子是2015年加入顾问团的，对吗？", ["不是", "2018"], [], id="zh-says"),
        pytest.param(
            "The press release says the office opened in 1998, is that so?",
            ["1996"],
            ["1998 came"],
            id="en-says",
        ),
    ],
)
def test_a_source_that_says_is_not_an_event(
    engine: Engine, question: str, wanted: list[str], unwanted: list[str]
) -> None:
    reply = engine.reply(question)
    for word in wanted:
        assert word in reply.text, reply.text
    for word in unwanted:
        assert word not in reply.text, reply.text


def test_the_agreement_asked_about_its_own_nature_is_no_list_membership(engine: Engine) -> None:
    """ "Does the signing count as X cooperation?": never "no, it is not one of the areas"."""
    reply = engine.reply("这次签约是否属于全面合作？")
    # Not sure what is meant: the agreement offered, never a list membership denied.
    assert (reply.outcome, reply.intent) == ("suggested", None), reply.text
    # What the model offers moves with its training; it offers the agreement itself.
    assert {s.intent for s in reply.suggestions} & {"agreement", "milestone"}
    assert not reply.text.startswith("不是"), reply.text


def test_who_else_next_to_a_close_runner_up(engine: Engine) -> None:
    """Two people named and "anyone else?": the release names no one else, whatever ranks second."""
    reply = engine.reply("Yuan Jiajun witnessed it with Busch. Who else was in attendance?")
    assert reply.outcome == "unknown"
    assert "does not name anyone else" in reply.text


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        pytest.param(
            "How many officials from Chongqing does the release mention, and who are they?",
            ["two", "Yuan Jiajun", "Chen Xinwu"],
            id="en-officials-then-pronoun",
        ),
        pytest.param(
            "Wie viele Führungskräfte von Siemens nennt die Meldung, und wer sind sie?",
            ["zwei", "Busch", "Xiao Song"],
            id="de-fuehrungskraefte",
        ),
    ],
)
def test_counts_of_executives(engine: Engine, question: str, wanted: list[str]) -> None:
    reply = engine.reply(question)
    assert reply.outcome == "answered"
    for word in wanted:
        assert word in reply.text, reply.text


@pytest.mark.parametrize(
    "question",
    [
        # An organisation alone, with "have" or "work", asks a headcount: not the people named.
        pytest.param("How many managers from Siemens work in Chongqing?", id="en-work"),
        pytest.param("How many leaders does Chongqing have?", id="en-have"),
        pytest.param("How many executives does Siemens China have?", id="en-have-executives"),
        pytest.param("How many people does Chongqing have?", id="en-have-people"),
        pytest.param("Wie viele Amtsträger hat die Stadt?", id="de-hat"),
        pytest.param("重庆有几位领导？", id="zh-you"),
    ],
)
def test_a_headcount_is_no_count_of_the_people_named(engine: Engine, question: str) -> None:
    """ "How many X does Y have?": never "the release names two people"."""
    reply = engine.reply(question)
    assert reply.outcome != "answered", reply.text
    for word in ("names two", "nennt zwei", "共两位", "Yuan Jiajun", "Busch"):
        assert word not in reply.text, reply.text


@pytest.mark.parametrize(
    ("question", "wanted", "unwanted"),
    [
        # One person counted: a singular text, never "1 people".
        pytest.param(
            "How many officials from Chongqing signed?",
            ["only one is from Chongqing", "Chen Xinwu"],
            ["1 people", "Yuan Jiajun"],
            id="en-one",
        ),
        pytest.param(
            "Wie viele Vertreter von Siemens haben unterschrieben?",
            ["nur eine von Siemens", "Xiao Song"],
            ["1 Personen", "Busch"],
            id="de-one",
        ),
        # near miss: the release's naming said with the organisation, two named
        pytest.param(
            "How many Siemens executives are mentioned?", ["two", "Busch", "Xiao Song"], [], id="en-mentioned"
        ),
    ],
)
def test_a_count_of_the_people_named(
    engine: Engine, question: str, wanted: list[str], unwanted: list[str]
) -> None:
    _check(engine, question, "answered", wanted, unwanted)


@pytest.mark.parametrize(
    ("clause", "back"),
    [
        pytest.param("and who are they?", True, id="en-they"),
        pytest.param("und wer sind sie?", True, id="de-sie"),
        pytest.param("他们分别是谁？", True, id="zh-tamen"),
        # near misses: a clause that names something can be read alone
        pytest.param("and who signed it?", False, id="en-verb"),
        pytest.param("and who is Chen Xinwu?", False, id="en-name"),
        pytest.param("签约人是谁？", False, id="zh-noun"),
    ],
)
def test_clauses_that_only_point_back(clause: str, back: bool) -> None:
    assert points_back(clause) is back


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        # a frame ("for our paper") keeps the known unknown about other cities from ranking sure
        pytest.param(
            "Für unsere Zeitung: Was regelt die Vereinbarung, die Siemens mit Peking schloss?",
            "Chongqing",
            id="de",
        ),
        pytest.param("记者想问：西门子和南京市政府签的协议有哪些内容？", "重庆", id="zh"),
    ],
)
def test_another_city_in_the_agreements_place_gets_the_known_unknown(
    engine: Engine, question: str, wanted: str
) -> None:
    reply = engine.reply(question)
    assert reply.outcome == "unknown" and not reply.answered
    assert wanted in reply.text, reply.text


@pytest.mark.parametrize(
    ("question", "outcome", "wanted"),
    [
        # a title given in passing ("as the mayor") that the release does not give: a premise
        pytest.param(
            "Why did Chen Xinwu, as the mayor, sign the deal?",
            "unknown",
            ["does not say", "Vice Mayor"],
            id="en",
        ),
        pytest.param("陈新武作为市长，为什么要签这份协议？", "unknown", ["没有这样说", "副市长"], id="zh"),
        # near miss: the title he holds is no premise; his profile answers
        pytest.param(
            "Why did Chen Xinwu, as vice mayor, sign the deal?", "answered", ["Vice Mayor"], id="en-holds"
        ),
        # right after the verb, in German, and opening the sentence in Chinese
        pytest.param(
            "Why did Chen Xinwu sign as mayor?", "unknown", ["does not say", "Vice Mayor"], id="en-verb"
        ),
        pytest.param(
            "Warum hat Chen Xinwu als Bürgermeister unterschrieben?",
            "unknown",
            ["steht so nicht", "stellvertretender"],
            id="de-als",
        ),
        pytest.param("作为市长，陈新武为什么签字？", "unknown", ["没有这样说", "副市长"], id="zh-opening"),
    ],
)
def test_a_title_given_in_passing_is_checked(
    engine: Engine, question: str, outcome: str, wanted: list[str]
) -> None:
    _check(engine, question, outcome, wanted, [])


@pytest.mark.parametrize(
    "question",
    [
        # Other senses of "as": no title given to the person named.
        pytest.param("Why was Roland Busch there as well as the mayor?", id="en-as-well-as"),
        pytest.param("Who served as mayor when Chen Xinwu signed?", id="en-served-as"),
        pytest.param("What is Chen Xinwu's role, as opposed to the mayor?", id="en-as-opposed-to"),
        # the title he holds given in passing; the other one is asked of someone else
        pytest.param("Chen Xinwu signed as vice mayor, but who signed as mayor?", id="en-other-clause"),
        pytest.param("Who was the mayor as Chen Xinwu signed?", id="en-time-clause"),
    ],
)
def test_other_senses_of_as_give_no_title(engine: Engine, question: str) -> None:
    """ "as well as", "served as", "as opposed to", "as X signed": never "the release does not say
    that: it names X"."""
    reply = engine.reply(question)
    for words in ("does not say that: it names", "No – the press release names"):
        assert words not in reply.text, reply.text


def test_a_role_opening_the_question_is_no_question_of_its_own(engine: Engine) -> None:
    """ "身为西门子CEO，肖松……？": the opening gives the subject a role; the question is about him,
    not about whoever holds the role (no second profile before his)."""
    reply = engine.reply("身为西门子CEO，肖松为什么来重庆？")
    assert reply.intent == "person_xiao_song", reply.text
    assert reply.text.startswith("肖松"), reply.text
    assert "博乐仁" not in reply.text, reply.text


def test_concrete_projects_name_the_earlier_examples(engine: Engine) -> None:
    """No projects of the agreement are named; the examples of what was done before are."""
    reply = engine.reply("Are any concrete projects planned under the agreement?")
    assert reply.outcome == "unknown"
    assert "metro lines" in reply.text and "data centres" in reply.text


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        # the core clause after the colon names both events but not what is asked about them
        pytest.param(
            "For the timeline: which came first - the branch upgrade or joining the advisory group?",
            "2010",
            id="en-dash",
        ),
        pytest.param(
            "Eine Frage zur Chronik: Was war früher, die Eröffnung des Büros oder der Beitritt zum Beirat?",
            "1996",
            id="de-colon",
        ),
    ],
)
def test_an_order_asked_before_the_core_clause_is_computed(
    engine: Engine, question: str, wanted: str
) -> None:
    reply = engine.reply(question)
    assert reply.outcome == "answered" and wanted in reply.text, reply.text


@pytest.mark.parametrize(
    ("question", "wanted", "unwanted"),
    [
        # a count of one organisation's people who did one deed names both conditions: the release
        # names two people of each side, one of each signed and one of each witnessed
        pytest.param(
            "How many Siemens managers witnessed the signing?",
            ["Of the witnesses", "only one is from Siemens", "Busch"],
            ["names only one person from Siemens"],
            id="en-witnessed",
        ),
        pytest.param(
            "How many people from the city government signed?",
            ["Of the signatories", "Chen Xinwu"],
            ["names only one person from"],
            id="en-signed",
        ),
        pytest.param(
            "Wie viele Vertreter von Siemens haben unterschrieben?",
            ["Unterzeichner", "Xiao Song"],
            [],
            id="de",
        ),
        pytest.param("有几位重庆方面的人签了字？", ["签字人中", "陈新武"], [], id="zh"),
    ],
)
def test_a_count_of_one_sides_doers_names_both_conditions(
    engine: Engine, question: str, wanted: list[str], unwanted: list[str]
) -> None:
    reply = engine.reply(question)
    assert reply.outcome == "answered", reply.text
    assert all(w in reply.text for w in wanted) and not any(u in reply.text for u in unwanted), reply.text


@pytest.mark.parametrize(
    ("question", "outcome"),
    [
        # the meaning for people the best fact does not speak of: not stated, with that fact
        pytest.param("Was bedeutet die Vereinbarung für die Bürger?", "unknown", id="de-citizens"),
        pytest.param("What does the deal mean for the workers?", "unknown", id="en-workers"),
        pytest.param("这对重庆市民意味着什么？", "unknown", id="zh-residents"),
        # near misses: the meaning for a party the facts know, or for what the fact speaks of
        pytest.param("What does it mean for Siemens?", "answered", id="en-a-party"),
        pytest.param("What does this mean for the digital transformation?", "answered", id="en-its-subject"),
    ],
)
def test_a_meaning_for_people_no_fact_speaks_of_is_not_stated(
    engine: Engine, question: str, outcome: str
) -> None:
    reply = engine.reply(question)
    assert reply.outcome == outcome, (reply.outcome, reply.intent, reply.text)
