"""What the engine makes of the way people really ask: detail questions the release cannot
answer, two questions in one, follow-ups in a conversation, off-topic messages (each language)."""

from __future__ import annotations

import pytest

from bot.core.context import ChatContext
from bot.core.engine import Engine
from bot.core.question import enumerated
from bot.core.ranking import Ranked, Ranking
from tests.core.conftest import Converse

# ---- answer types -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "nearest"),
    [
        # The topic is covered, the detail is not: who led the office, the venue, the time of day,
        # how many metro lines, anybody's age.
        pytest.param("Who headed the Siemens office in Chongqing?", "office_1996", id="en-who-led-office"),
        pytest.param("Wer hat das Siemens-Büro 1996 geleitet?", "office_1996", id="de-who-led-office"),
        pytest.param("西门子重庆分公司的地址在哪？", "branch_2010", id="zh-branch-address"),
        pytest.param(
            "Um wie viel Uhr wurde der Vertrag unterschrieben?", "signing_date", id="de-time-of-day"
        ),
        pytest.param("What time of day was the agreement signed?", "signing_date", id="en-time-of-day"),
        pytest.param("协议是几点签的？", "signing_date", id="zh-time-of-day"),
    ],
)
def test_a_detail_the_release_lacks_is_not_stated(engine: Engine, question: str, nearest: str) -> None:
    """The honest reply: not answered, the release does not say it, and what it does say."""
    reply = engine.reply(question)
    assert not reply.answered
    assert reply.outcome in ("not_stated", "unknown"), (reply.outcome, reply.intent)
    if reply.outcome == "not_stated":
        assert reply.intent == nearest
        intent = engine.kb.get(nearest)
        assert intent is not None and intent.answer[reply.lang] in reply.text


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        # A detail question whose first guess cannot give the detail: the close runner-up can.
        pytest.param("Who signed the agreement for Siemens?", "signatories", id="en-who-signed"),
        pytest.param("Wer hat für Siemens unterschrieben?", "signatories", id="de-who-signed"),
        pytest.param("代表西门子签字的是谁？", "signatories", id="zh-who-signed"),
        # Questions whose kind of detail the intent gives are answered as before.
        pytest.param("When was the agreement signed?", "signing_date", id="en-when"),
        pytest.param("Seit wann gibt es die Niederlassung in Chongqing?", "branch_2010", id="de-since"),
        pytest.param("西门子重庆办事处是哪一年成立的？", "office_1996", id="zh-which-year"),
    ],
)
def test_a_detail_the_release_gives_is_answered(engine: Engine, question: str, intent: str) -> None:
    """Answered from the intent that provides the asked kind of detail."""
    reply = engine.reply(question)
    assert reply.answered and reply.intent == intent, (reply.outcome, reply.intent, reply.confidence)


# ---- several parts ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "must_contain"),
    [
        pytest.param(
            "When was the agreement signed and who signed it?", ["20 June", "Xiao Song"], id="en-two-facts"
        ),
        pytest.param(
            "Wann wurde unterzeichnet und wer war Zeuge?", ["20. Juni", "Roland Busch"], id="de-two-facts"
        ),
        pytest.param("协议是哪天签的，谁见证了签约？", ["6月20日", "袁家军"], id="zh-two-facts"),
    ],
)
def test_two_questions_in_one_get_both_answers(
    engine: Engine, question: str, must_contain: list[str]
) -> None:
    """Each part answered in one reply, each with its source."""
    reply = engine.reply(question)
    assert reply.answered
    for fact in must_contain:
        assert fact in reply.text, reply.text
    assert reply.sources


@pytest.mark.parametrize(
    ("question", "openings"),
    [
        pytest.param("Did Busch sign? And Xiao Song? And Chen Xinwu?", ["No", "Yes", "Yes"], id="en"),
        pytest.param("Hat Xiao Song unterschrieben? Und Busch?", ["Ja", "Nein"], id="de"),
        pytest.param("肖松签字了吗？那袁家军呢？", ["是的", "不是"], id="zh"),
        # The side a deed was done for is not carried over: the other person did it for the other.
        pytest.param("Did Xiao Song sign for Siemens? And Chen Xinwu?", ["Yes", "Yes"], id="en-for-a-side"),
        pytest.param("肖松代表西门子签字了吗？那陈新武呢？", ["是的", "是的"], id="zh-for-a-side"),
    ],
)
def test_an_elliptic_part_asks_what_the_part_before_asked(
    engine: Engine, question: str, openings: list[str]
) -> None:
    """ "Did X sign? And Y?": Y is asked what X was, each answered."""
    reply = engine.reply(question)
    assert reply.answered
    paragraphs = reply.text.split("\n\n")
    assert [p.split(" ")[0].split("。")[0].rstrip("–").strip() for p in paragraphs] == openings, reply.text


def test_items_of_one_list_are_its_fact(engine: Engine) -> None:
    """Near miss: three items of one typed list asked together are that list's fact, once."""
    reply = engine.reply("What are Digital Industries, Smart Infrastructure and Mobility?")
    assert (reply.intent, reply.text.count("\n\n")) == ("business_areas", 0), reply.text


def test_an_elliptic_part_after_a_persons_title_is_no_second_person(engine: Engine) -> None:
    """Near miss: a title that names someone is no deed to carry over: no profile twice."""
    paragraphs = engine.reply("Is Xiao Song the CEO of Siemens China? And Busch?").text.split("\n\n")
    assert len(paragraphs) == len(set(paragraphs))


def test_an_elliptic_part_without_a_person_is_read_as_before(engine: Engine) -> None:
    """Near miss: "And when?" after a person's deed asks the date, not another person."""
    reply = engine.reply("Did Busch sign? And when?")
    assert "20 June 2024" in reply.text and reply.text.startswith("No")


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        pytest.param(
            "Tell me the four areas, the date, and the Siemens signatory.",
            ["Tell me the four areas", "Tell me the date", "Tell me the Siemens signatory"],
            id="en-tell-me",
        ),
        pytest.param(
            "Nenne mir Datum, Ort und Unterzeichner.",
            ["Nenne mir Datum", "Nenne mir Ort", "Nenne mir Unterzeichner"],
            id="de-nenne",
        ),
        pytest.param(
            "签约时间、地点和签约人分别是什么？",
            ["签约时间是什么", "地点是什么", "签约人是什么"],
            id="zh-fenbie",
        ),
        pytest.param(
            "What is the date, the place and the time of the signing?",
            [
                "What is the date of the signing",
                "What is the place of the signing",
                "What is the time of the signing",
            ],
            id="en-shared-of",
        ),
        # Near misses: two things joined by "and" alone, a question word in a part, one thing.
        pytest.param("What are the goals and areas?", [], id="two-without-comma"),
        pytest.param("Tell me who signed, and when.", [], id="question-words"),
        pytest.param("What are the areas?", [], id="one-thing"),
        pytest.param("What is Chongqing's aim, according to Xiao Song?", [], id="a-thing-and-its-source"),
        pytest.param(
            "What is Xiao Song's title, role and organisation?",
            ["What is Xiao Song's title", "What is Xiao Song's role", "What is Xiao Song's organisation"],
            id="owner-carried",
        ),
        pytest.param(
            "Was ist das Ziel von Siemens, Chongqing und der Regierung?", [], id="one-thing-of-several"
        ),
        pytest.param(
            "I need the date, the place, and the signatories, please",
            ["I need the date", "I need the place", "I need the signatories"],
            id="courtesy-dropped",
        ),
        pytest.param(
            "请告诉我签约时间、签约人和见证人分别是谁",
            ["签约时间是什么", "签约人是谁", "见证人是谁"],
            id="zh-who-of-a-time",
        ),
        pytest.param(
            "簽約時間、地點和簽約人分別是什麼？",
            ["簽約時間是什麼", "地點是什麼", "簽約人是什麼"],
            id="zh-traditional",
        ),
        pytest.param("协议的目标和领域是什么？", [], id="zh-two-without-list"),
    ],
)
def test_things_listed_after_one_verb_are_asked_each(question: str, asks: list[str]) -> None:
    assert enumerated(question) == asks


@pytest.mark.parametrize(
    ("question", "must_contain"),
    [
        pytest.param(
            "Tell me the four areas, the date, and the Siemens signatory.",
            ["smart transportation", "20 June", "Xiao Song"],
            id="en",
        ),
        pytest.param(
            "Nenne mir Datum, Ort und Unterzeichner.", ["20. Juni", "steht nicht", "Chen Xinwu"], id="de"
        ),
        pytest.param("请问签约时间、地点和签约人分别是什么？", ["6月20日", "没有说明", "肖松"], id="zh"),
    ],
)
def test_things_listed_after_one_verb_get_each_answer(
    engine: Engine, question: str, must_contain: list[str]
) -> None:
    reply = engine.reply(question)
    assert reply.answered
    for fact in must_contain:
        assert fact in reply.text, reply.text


@pytest.mark.parametrize(
    "question",
    [
        pytest.param("Who signed for Siemens, who for the city, and who witnessed it?", id="en"),
        pytest.param("Wer hat für Siemens unterschrieben, wer für die Stadt, und wer war Zeuge?", id="de"),
        pytest.param("谁代表西门子签字，谁代表重庆签字，谁见证？", id="zh"),
    ],
)
def test_two_parts_with_one_answer_are_said_once(engine: Engine, question: str) -> None:
    """Two parts with the same answer (who signed for each side) give it once,
    beside the other part's."""
    reply = engine.reply(question)
    assert reply.answered
    paragraphs = reply.text.split("\n\n")
    assert len(paragraphs) == len(set(paragraphs)) == 2, reply.text


def test_two_parts_of_one_intent_with_other_answers_are_both_said(engine: Engine) -> None:
    """Near miss: the same person's two deeds asked apart are two answers, both kept."""
    reply = engine.reply("Did Xiao Song sign? Who witnessed? Did Xiao Song witness?")
    assert "signed the agreement" in reply.text and "did not witness" in reply.text, reply.text


@pytest.mark.parametrize(
    ("question", "fact", "honest"),
    [
        # Two question words for one intent that gives only one of the details.
        pytest.param(
            "When and where exactly was the agreement signed?",
            "20 June",
            ("Not in the press release: where", "does not say where"),
            id="en-when-and-where",
        ),
        # A subordinate "when" the intent gives, a "who led" it does not.
        pytest.param(
            "Who headed the Siemens office in Chongqing when it opened in 1996?",
            "1996",
            ("Not in the press release: who",),
            id="en-who-when",
        ),
        pytest.param(
            "Wann und wo genau wurde die Vereinbarung unterzeichnet?",
            "20. Juni",
            ("Nicht in der Pressemitteilung: wo", "steht nicht in der Pressemitteilung"),
            id="de-wann-und-wo",
        ),
    ],
)
def test_a_part_the_release_lacks_gets_an_honest_line(
    engine: Engine, question: str, fact: str, honest: tuple[str, ...]
) -> None:
    """The part the release covers is answered, the rest named as not in the release."""
    reply = engine.reply(question)
    assert reply.answered and fact in reply.text, reply.text
    assert any(h in reply.text for h in honest), reply.text


# ---- follow-ups ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("turns", "intent"),
    [
        pytest.param(
            ["Who is Xiao Song?", "And what did he say about Chongqing?"],
            "xiao_song_statement",
            id="en-pronoun",
        ),
        pytest.param(
            ["Wer ist Roland Busch?", "Was hat er bei der Unterzeichnung gemacht?"],
            "person_roland_busch",
            id="de-pronoun",
        ),
        pytest.param(["肖松是谁？", "他说了什么？"], "xiao_song_statement", id="zh-pronoun"),
        pytest.param(
            ["Is Siemens a member of the mayor's advisory council?", "since when?"],
            "advisory_council",
            id="en-ellipsis",
        ),
        pytest.param(
            ["西门子是市长国际经济咨询顾问团成员吗？", "从哪年开始的？"], "advisory_council", id="zh-ellipsis"
        ),
        pytest.param(["西门子什么时候进入重庆的？", "那分公司呢？"], "branch_2010", id="zh-na-ne"),
    ],
)
def test_a_follow_up_is_read_in_its_conversation(converse: Converse, turns: list[str], intent: str) -> None:
    """Pronouns and ellipsis resolve against the last answer."""
    last = converse(turns)[-1]
    assert last.intent == intent


@pytest.mark.parametrize(
    ("turns", "intent", "outcome"),
    [
        # A question that names its own subject is answered on its own.
        pytest.param(
            ["Who is Xiao Song?", "When was the press release published?"],
            "release_date",
            "answered",
            id="en-stands-alone",
        ),
        pytest.param(
            ["Wer hat die Vereinbarung unterschrieben?", "Seit wann ist Siemens in Chongqing?"],
            "cooperation_since_1995",
            "answered",
            id="de-stands-alone",
        ),
        pytest.param(
            ["肖松是谁？", "西门子重庆分公司是哪年成立的？"], "branch_2010", "answered", id="zh-stands-alone"
        ),
        # Switching to something off-topic or unknown is still declined.
        pytest.param(
            ["Wer hat die Vereinbarung unterschrieben?", "Wie wird morgen das Wetter in Berlin?"],
            None,
            "offtopic",
            id="de-offtopic-switch",
        ),
        pytest.param(
            ["Who signed the agreement?", "How much is it worth?"],
            "unknown_investment",
            "unknown",
            id="en-unknown-switch",
        ),
    ],
)
def test_context_never_hijacks_a_question_that_stands_alone(
    converse: Converse, engine: Engine, turns: list[str], intent: str | None, outcome: str
) -> None:
    """The earlier turn changes nothing for a question with its own subject."""
    alone = engine.reply(turns[-1])
    last = converse(turns)[-1]
    assert (last.intent, last.outcome) == (alone.intent, alone.outcome)
    assert last.outcome == outcome
    if intent is not None:
        assert last.intent == intent


def test_an_expired_context_is_not_used(engine: Engine) -> None:
    """After the time to live the chat starts afresh."""
    first = engine.reply("Who is Xiao Song?")
    context = engine.follow(first, now=0.0)
    assert context is not None and context.fresh(60.0) and not context.fresh(601.0)


# ---- off-topic ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        pytest.param("What's the weather tomorrow?", id="en-weather"),
        pytest.param("Was ist 17 mal 23?", id="de-maths"),
        pytest.param("给我讲个笑话吧", id="zh-joke"),
        pytest.param("asdfghjkl", id="gibberish"),
    ],
)
def test_off_topic_gets_a_short_decline_with_three_examples(engine: Engine, question: str) -> None:
    """Not "did you mean" unrelated buttons: a decline in the asker's language, three examples."""
    reply = engine.reply(question)
    assert reply.outcome == "offtopic" and not reply.answered
    assert len(reply.suggestions) == 3


def test_context_memory_frees_idle_chats() -> None:
    """2,000 chats that went quiet leave no entries behind; the limit holds meanwhile (four times
    the limit: the oldest goes at each put past it, without a sweep of every entry)."""
    from bot.core.context import ContextMemory

    memory = ContextMemory(ttl=600.0, limit=500)
    for n in range(2_000):
        memory.put(n, ChatContext("signing_date", "When?", (), at=float(n) / 100), now=float(n) / 100)
    assert len(memory) <= 500
    # 256 puts at a late time: one of them is a periodic sweep (every 256th put), which drops
    # every idle chat.
    memory.put("late", ChatContext("signing_date", "When?", (), at=10_000.0), now=10_000.0)
    for n in range(255):
        memory.put(("late", n), ChatContext("signing_date", "When?", (), at=10_000.0), now=10_000.0)
    assert memory.get(1_999, now=10_000.0) is None
    assert len(memory) == 256


def test_a_users_contexts_can_be_forgotten() -> None:
    """/forget drops the user's private-chat context and their contexts in groups, nobody else's."""
    from bot.core.context import ContextMemory

    memory = ContextMemory()
    for key in [(7, None), (-100, 7), (-100, 8), (8, None)]:
        memory.put(key, ChatContext("signing_date", "When?", (), at=0.0), now=0.0)
    gone = memory.forget_where(lambda k: isinstance(k, tuple) and (k == (7, None) or k[1:] == (7,)))
    assert gone == 2
    assert memory.get((-100, 8), 1.0) is not None and memory.get((8, None), 1.0) is not None
    assert memory.get((7, None), 1.0) is None and memory.get((-100, 7), 1.0) is None


@pytest.mark.parametrize(
    ("question", "nearest", "line"),
    [
        # A day or month asked where the fact gives only a year.
        pytest.param(
            "On what exact date in 2010 was the office upgraded to a branch?",
            "branch_2010",
            "Not in the press release: the exact day.",
            id="en-exact-day",
        ),
        pytest.param(
            "In welchem Monat des Jahres 1995 begann die Zusammenarbeit?",
            "cooperation_since_1995",
            "Nicht in der Pressemitteilung: der genaue Tag.",
            id="de-which-month",
        ),
        pytest.param(
            "1996年重庆办事处是几月几号开业的？", "office_1996", "新闻稿未提及：具体日期。", id="zh-which-day"
        ),
        # What someone said, where the release quotes only another person.
        pytest.param(
            "Was hat Chen Xinwu in seiner Rede betont?",
            "person_chen_xinwu",
            "Nicht in der Pressemitteilung: was gesagt wurde.",
            id="de-speech-not-quoted",
        ),
    ],
)
def test_a_finer_detail_than_the_fact_is_not_stated(
    engine: Engine, question: str, nearest: str, line: str
) -> None:
    """Not answered with the coarser fact: the honest line, then what the release does say."""
    reply = engine.reply(question)
    assert (reply.outcome, reply.intent) == ("not_stated", nearest)
    assert reply.text.startswith(line)


@pytest.mark.parametrize(
    ("question", "exact_day_given"),
    [
        pytest.param("On what date was the agreement signed?", True, id="en-the-day-is-there"),
        pytest.param(
            "An welchem Tag wurde die Pressemitteilung veröffentlicht?", True, id="de-the-day-is-there"
        ),
        pytest.param("What did Xiao Song say about Chongqing?", False, id="en-the-quote-is-there"),
    ],
)
def test_a_detail_the_fact_gives_is_answered(engine: Engine, question: str, exact_day_given: bool) -> None:
    """The same checks let through what the fact does give."""
    reply = engine.reply(question)
    assert reply.outcome == "answered", (reply.outcome, reply.intent, reply.text[:80])
    assert ("20 June 2024" in reply.text or "25. Juni 2024" in reply.text) == exact_day_given


@pytest.mark.parametrize(
    ("question", "year", "fact"),
    [
        # (A closure the release does not report either reads as the known unknown that no closure
        # or withdrawal is reported: tests/core/test_precision.py.)
        pytest.param("Warum wurde die Niederlassung 2015 geschlossen?", "2015", "2010", id="de-closed"),
        # (a yes/no question on a wrong year gets "no" with the year from the typed facts:
        # tests/core/test_reasoning.py)
        pytest.param("Why did Siemens open its Chongqing branch in 2015?", "2015", "2010", id="en-opened"),
        pytest.param("西门子为什么在2015年把重庆办事处升级为分公司？", "2015", "2010", id="zh-upgraded"),
    ],
)
def test_a_year_the_release_never_names_is_corrected(
    engine: Engine, question: str, year: str, fact: str
) -> None:
    """A premise resting on a year no fact mentions: said so, with the fact that is there; not
    counted as answered."""
    reply = engine.reply(question)
    assert (reply.answered, reply.outcome) == (False, "unknown")
    first, _, rest = reply.text.partition("\n")
    assert year in first and fact in rest


def _ranking(*items: tuple[str, float]) -> Ranking:
    """A ranking as the ranker would give it: intents with their probabilities, best first."""
    return Ranking("en", tuple(Ranked(i, p / 2, p, None, p, "") for i, p in items))


@pytest.mark.parametrize(
    ("items", "answered"),
    [
        # Torn between a list and one of its related facts: the list's answer names them all.
        pytest.param((("goals", 0.62), ("goal_manufacturing_centre", 0.61)), "goals", id="list-first"),
        pytest.param(
            (("area_green", 0.6), ("areas", 0.59), ("area_digitalization", 0.5)), "areas", id="list-second"
        ),
        # Something else likely too, or the list too far down: no guess.
        pytest.param((("goals", 0.62), ("signing_date", 0.6)), None, id="unrelated-second"),
        pytest.param(
            (("area_green", 0.6), ("area_digitalization", 0.55), ("areas", 0.5)), None, id="list-third"
        ),
        pytest.param((("areas", 0.6), ("goals", 0.3)), None, id="nothing-else-likely"),
    ],
)
def test_a_question_torn_between_a_list_and_its_items_gets_the_list(
    engine: Engine, items: tuple[tuple[str, float], ...], answered: str | None
) -> None:
    reply = engine._decide("?", "?", _ranking(*items), "en")
    assert (reply.intent if reply.answered else None) == answered, (reply.outcome, reply.intent)


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        # A question about one item keeps that item's own answer.
        pytest.param("What does the release say about smart transport?", "area_transport", id="en-one-area"),
        pytest.param(
            "Was ist das fortschrittliche Fertigungszentrum?", "goal_manufacturing_centre", id="de-one-goal"
        ),
    ],
)
def test_a_question_about_one_item_keeps_its_answer(engine: Engine, question: str, intent: str) -> None:
    assert engine.reply(question).intent == intent


@pytest.mark.parametrize(
    ("items", "answered"),
    [
        # The holder of the title the question names, torn with another profile: either order of
        # the near tie gives the holder's profile (the order of two close scores moves with any
        # retraining).
        pytest.param(
            (("person_chen_xinwu", 0.66), ("person_yuan_jiajun", 0.66)),
            "person_yuan_jiajun",
            id="other-first",
        ),
        pytest.param(
            (("person_yuan_jiajun", 0.65), ("person_chen_xinwu", 0.65)), "person_yuan_jiajun", id="own-first"
        ),
    ],
)
def test_who_runs_a_body_is_its_head_whichever_profile_ranks_first(
    engine: Engine, items: tuple[tuple[str, float], ...], answered: str
) -> None:
    question = "Who runs the CPC committee in Chongqing?"
    reply = engine._decide(question, question, _ranking(*items), "en")
    assert (reply.outcome, reply.intent) == ("answered", answered)


@pytest.mark.parametrize(
    ("question", "outcome", "intent"),
    [
        # A person's age or birthplace, read best as a known unknown about something else: what
        # the release says of the person, and that it does not give the detail.
        pytest.param("How old is Xiao Song?", "not_stated", "person_xiao_song", id="age"),
        pytest.param("Where was Xiao Song born?", "not_stated", "person_xiao_song", id="birthplace"),
        # Near misses: a known unknown asked of people's details keeps its answer; the company's
        # age is the company's.
        pytest.param("What is Xiao Song's email address?", "unknown", "unknown_contact", id="contact"),
        pytest.param("How old is Siemens?", "unknown", "unknown_siemens_company_facts", id="company-age"),
    ],
)
def test_a_persons_own_details_are_not_stated_with_what_the_release_says_of_them(
    engine: Engine, question: str, outcome: str, intent: str
) -> None:
    reply = engine.reply(question)
    assert (reply.outcome, reply.intent) == (outcome, intent)


@pytest.mark.parametrize(
    ("question", "outcome"),
    [
        # Where in the place the question names: finer than the city the fact gives.
        pytest.param("Where is the Chongqing branch located?", "not_stated", id="en-branch"),
        pytest.param("Wo genau sitzt die Niederlassung in Chongqing?", "not_stated", id="de-branch"),
        pytest.param("西門子重慶分公司在哪裡？", "not_stated", id="zh-traditional-branch"),
        # Near misses: where, when the question names no place, is the city.
        pytest.param("Where is the Siemens branch?", "answered", id="no-place-named"),
        pytest.param("Where did Siemens open an office in 1996?", "answered", id="where-opened"),
    ],
)
def test_where_in_the_place_a_question_names_is_not_stated(
    engine: Engine, question: str, outcome: str
) -> None:
    assert engine.reply(question).outcome == outcome
