"""The conversation's moves, in de, en and zh: asking for more, "the second one" and "the other
one", corrections, going back to an earlier turn, a language switch, an elliptic question about a
sibling fact; and a question that stands on its own after all of them is still read on its own.

The conversations are written from the fact files (knowledge/*.yaml); the replies are the real
engine's on the real fact base, the context carried from turn to turn as a channel carries it.
"""

from __future__ import annotations

import pytest

from bot.core import moves
from bot.core.engine import Engine
from bot.core.lang import normalise
from tests.core.conftest import Converse

# ---- asking for more ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("turns", "first_added"),
    [
        # After the signatories, the fuller answer: the signing with its witnesses and signatories.
        pytest.param(["Who signed the agreement?", "Tell me more"], "witnesses", id="en"),
        pytest.param(["Wer hat die Vereinbarung unterschrieben?", "Mehr dazu"], "witnesses", id="de"),
        pytest.param(["谁签署了协议？", "详细说说"], "witnesses", id="zh"),
        # After the branch's year, the history that names 1995, 1996 and 2010.
        pytest.param(
            ["When was the branch founded?", "more details please"], "cooperation_since_1995", id="en-branch"
        ),
        pytest.param(
            ["Wann wurde die Niederlassung gegründet?", "Erzählen Sie mir mehr"],
            "cooperation_since_1995",
            id="de-branch",
        ),
        pytest.param(
            ["西门子重庆分公司是哪年成立的？", "展开说说"], "cooperation_since_1995", id="zh-branch"
        ),
        # After the date alone, the agreement it was the date of.
        pytest.param(["When was the agreement signed?", "go on"], "agreement", id="en-date"),
        # After a person, more about the same person: what he said.
        pytest.param(["肖松是谁？", "多说一点"], "xiao_song_statement", id="zh-person"),
        # After a list with no year or person, the first of its items.
        pytest.param(
            ["Welche Bereiche umfasst die Vereinbarung?", "mehr dazu"], "area_digitalization", id="de-areas"
        ),
    ],
)
def test_more_gives_the_related_facts_not_the_same_answer(
    converse: Converse, turns: list[str], first_added: str
) -> None:
    """ "Tell me more" is answered with facts not yet given, in the asker's language, never a
    repeat of the last answer."""
    first, more = converse(turns)
    assert (more.outcome, more.intent) == ("answered", first_added)
    assert more.lang == first.lang
    assert first.text not in more.text
    assert len(more.sources) >= 1


@pytest.mark.parametrize(
    ("turns", "added", "left_out"),
    [
        # The summary already names the parties and the four areas: the goals and the date add.
        pytest.param(
            ["What is the agreement about?", "Could you tell me a bit more?"], "goals", "parties", id="en"
        ),
        # Politeness around the request names no subject of its own.
        pytest.param(
            ["Seit wann arbeitet Siemens mit Chongqing zusammen?", "Kannst du dazu mehr erzählen?"],
            "office_1996",
            None,
            id="de-polite",
        ),
        pytest.param(
            ["西门子在重庆有哪些业务？", "能说得更详细一些吗？"], "contribution", None, id="zh-polite"
        ),
        pytest.param(
            ["西门子什么时候加入顾问团？", "可以再多说一点吗？"], "xiao_song_advisor", None, id="zh-again"
        ),
    ],
)
def test_more_adds_what_the_last_answer_did_not_say(
    engine: Engine, converse: Converse, turns: list[str], added: str, left_out: str | None
) -> None:
    """ "Tell me more", however politely framed, brings a related fact that says something new,
    not one the last answer already said word for word."""
    _, more = converse(turns)
    assert more.outcome == "answered"
    new = engine.kb.get(added)
    assert new is not None and new.answer[more.lang] in more.text
    if left_out is not None:
        old = engine.kb.get(left_out)
        assert old is not None and old.answer[more.lang] not in more.text


@pytest.mark.parametrize(
    "ask_more",
    [
        pytest.param("tell me more", id="en"),
        pytest.param("mehr dazu", id="de"),
        pytest.param("再说说", id="zh"),
    ],
)
def test_more_again_and_again_never_repeats(converse: Converse, ask_more: str) -> None:
    """Asking for more five times walks on through the related facts: no answer comes twice."""
    replies = converse(["When was the agreement signed?"] + [ask_more] * 5)
    shown = [r.intent for r in replies if r.outcome == "answered"]
    assert len(shown) == len(set(shown)) >= 3
    texts = [r.text for r in replies]
    assert len(texts) == len(set(texts))


def test_more_about_something_named_is_a_question_of_its_own(
    converse: Converse,
) -> None:
    """ "Tell me more about the areas" asks about the areas, whatever came before."""
    last = converse(["Who signed the agreement?", "Tell me more about the areas"])[-1]
    assert (last.outcome, last.intent) == ("answered", "areas")


# ---- a part of the last answer -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("turns", "intent", "lang"),
    [
        # A known unknown about the same thing reads as closely: the fact the answer links to.
        pytest.param(
            ["西门子在重庆做过什么？", "地铁那部分能再具体些吗？"], "metro_lines", "zh", id="zh-na-bufen"
        ),
        pytest.param(
            ["What has Siemens done in Chongqing?", "Tell me more about the data centres"],
            "data_centres",
            "en",
            id="en-more-about-a-part",
        ),
        pytest.param(
            ["Was sind die Ziele?", "Und der Teil zum Wachstumspol?"],
            "growth_pole",
            "de",
            id="de-der-teil-zum",
        ),
        pytest.param(["What are the goals?", "What about the green bit?"], "area_green", "en", id="en-bit"),
        # The part, asked for in another language: that language.
        pytest.param(
            ["合作有哪些目标？", "Could I have the manufacturing bit of that in German?"],
            "goal_manufacturing_centre",
            "de",
            id="en-part-in-german",
        ),
    ],
)
def test_a_part_of_the_last_answer_is_the_fact_it_links_to(
    converse: Converse, turns: list[str], intent: str, lang: str
) -> None:
    """ "The manufacturing part of that", "数据中心那部分": the fact the last answer links to about
    it, never a "did you mean" between it and a known unknown of the same thing."""
    last = converse(turns)[-1]
    assert (last.outcome, last.intent, last.lang) == ("answered", intent, lang)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        pytest.param("Could you give me the manufacturing part of that?", "manufacturing", id="en-x-part"),
        pytest.param("And the part about the metro lines?", "the metro lines", id="en-part-about"),
        pytest.param("Erzähl mir mehr über den Teil zu den Rechenzentren", "den rechenzentren", id="de"),
        pytest.param("关于制造业的部分呢？", "制造业", id="zh-guanyu"),
        pytest.param("协议中关于数字化的部分", "数字化", id="zh-guanyu-inside"),
        pytest.param("数据中心那部分再详细点？", "数据中心", id="zh-na-bufen"),
        # "Part of" as a verb's complement, or a part that names nothing: no part asked for.
        pytest.param("Is talent training part of the deal?", None, id="en-part-of"),
        pytest.param("Which part of the city?", None, id="en-which-part"),
        pytest.param("这部分呢？", None, id="zh-this-part"),
        pytest.param("Can you repeat the last bit?", None, id="en-last-bit"),
    ],
)
def test_a_part_is_named_by_its_words(text: str, words: str | None) -> None:
    """The words that name a part of the last answer, in de, en and zh."""
    found = moves.part(normalise(text))
    assert (found.rest if found is not None else None) == words


@pytest.mark.parametrize(
    "turns",
    [
        pytest.param(["西门子在重庆做过什么？", "数据中心那部分花了多少钱？"], id="zh-cost"),
        pytest.param(
            ["What has Siemens done in Chongqing?", "How much did the metro lines part cost?"], id="en-cost"
        ),
    ],
)
def test_a_part_with_a_question_of_its_own_is_not_that_part_again(
    converse: Converse, turns: list[str]
) -> None:
    """ "What did the data-centre part cost?" asks more than the part: never its plain fact as if
    the cost were given."""
    last = converse(turns)[-1]
    assert (last.outcome, last.intent) not in (("answered", "data_centres"), ("answered", "metro_lines"))


def test_a_part_the_last_answer_does_not_link_to_is_a_question_of_its_own(converse: Converse) -> None:
    """ "The part about the areas" after the signatories: the areas, read on their own."""
    last = converse(["Who signed the agreement?", "What about the part about the areas?"])[-1]
    assert (last.outcome, last.intent) == ("answered", "areas")


# ---- the people just named ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("turns", "person"),
    [
        # The signatories are named Chen Xinwu first, Xiao Song second (people.yaml, signatories).
        pytest.param(
            ["Who signed the agreement?", "And the second one?"], "person_xiao_song", id="en-second"
        ),
        pytest.param(["Wer hat unterschrieben?", "Und der Zweite?"], "person_xiao_song", id="de-second"),
        pytest.param(["谁签署了协议？", "第二位呢？"], "person_xiao_song", id="zh-second"),
        pytest.param(
            ["Who signed the agreement?", "Who is the first one?"], "person_chen_xinwu", id="en-first"
        ),
        # Right after the list, "the other one" is the one not named first.
        pytest.param(["Wer hat unterschrieben?", "Der andere?"], "person_xiao_song", id="de-other"),
        # After one of them, "the other one" is the other.
        pytest.param(
            ["Who signed the agreement?", "Who is the second one?", "And the other one?"],
            "person_chen_xinwu",
            id="en-other-after-second",
        ),
        pytest.param(
            ["Wer hat unterschrieben?", "Wer ist der Erste?", "Und der andere?"],
            "person_xiao_song",
            id="de-other-after-first",
        ),
        pytest.param(
            ["谁签署了协议？", "第一位是谁？", "另一位呢？"], "person_xiao_song", id="zh-other-after-first"
        ),
        # The witnesses' answer names four: Yuan Jiajun, Roland Busch, then the two who signed.
        pytest.param(
            ["Who witnessed the signing?", "the second one?"], "person_roland_busch", id="en-witnesses"
        ),
        pytest.param(["谁见证了签约？", "第一位是谁？"], "person_yuan_jiajun", id="zh-witnesses"),
    ],
)
def test_an_ordinal_or_the_other_one_points_at_a_person_just_named(
    converse: Converse, turns: list[str], person: str
) -> None:
    """ "And the second one?", "der andere?", "另一位呢？" answer about that person."""
    last = converse(turns)[-1]
    assert (last.outcome, last.intent) == ("answered", person)


@pytest.mark.parametrize(
    ("turns", "person"),
    [
        # The last answer named both signatories: the one of the organisation asked about.
        pytest.param(
            ["Wer hat unterschrieben?", "Wer von den beiden unterschrieb für Siemens?"],
            "person_xiao_song",
            id="de",
        ),
        pytest.param(["谁签署了协议？", "他们两位中哪位代表重庆？"], "person_chen_xinwu", id="zh"),
        # Two profiles one after the other are "the two" too.
        pytest.param(
            ["Who is Xiao Song?", "And Chen Xinwu?", "Which of the two signed for the city?"],
            "person_chen_xinwu",
            id="en-two-turns",
        ),
    ],
)
def test_which_of_the_two_is_picked_by_organisation(
    converse: Converse, turns: list[str], person: str
) -> None:
    """ "Which of the two ...?" after two people: the one whose organisation the question names."""
    last = converse(turns)[-1]
    assert (last.outcome, last.intent) == ("answered", person)


@pytest.mark.parametrize(
    ("turns", "item"),
    [
        pytest.param(
            ["What are the four areas of the agreement?", "And the third one?"], "area_transport", id="en"
        ),
        pytest.param(["Welche Bereiche umfasst die Vereinbarung?", "Und der zweite?"], "area_green", id="de"),
        pytest.param(["协议涵盖哪些领域？", "第三个呢？"], "area_transport", id="zh"),
    ],
)
def test_an_ordinal_after_a_list_points_at_its_item(converse: Converse, turns: list[str], item: str) -> None:
    """ "The third one" after the list of the areas (a typed list, no people): that area."""
    last = converse(turns)[-1]
    assert (last.outcome, last.intent) == ("answered", item)


@pytest.mark.parametrize(
    ("turns", "items"),
    [
        pytest.param(
            [
                "Which areas does the agreement cover?",
                "Tell me more about the second one.",
                "And the last one?",
                "and the first one?",
            ],
            ["areas", "area_green", "area_talent", "area_digitalization"],
            id="en",
        ),
        pytest.param(
            [
                "Welche Bereiche umfasst die Vereinbarung?",
                "Erzähl mir mehr über den zweiten.",
                "Und der letzte?",
            ],
            ["areas", "area_green", "area_talent"],
            id="de",
        ),
        pytest.param(
            ["合作涉及哪些领域？", "详细说说第二个", "最后一个呢？"],
            ["areas", "area_green", "area_talent"],
            id="zh",
        ),
    ],
)
def test_a_walk_through_a_list_keeps_pointing_at_its_items(
    converse: Converse, turns: list[str], items: list[str]
) -> None:
    """ "Tell me more about the second one" is that item (not every fact the list links to), and
    "and the last one?" after an item is the list's last item, not a question of its own (a
    reviewer's walk through the areas: the first and the second item, then a suggestion)."""
    assert [(r.outcome, r.intent) for r in converse(turns)] == [("answered", i) for i in items]


def test_an_organisation_named_in_a_question_of_its_own_picks_no_person(converse: Converse) -> None:
    """ "Die von Siemens genannten Ziele?" names Siemens but points at no person: the goals."""
    last = converse(["Wer hat unterschrieben?", "Die von Siemens genannten Ziele?"])[-1]
    assert last.intent not in ("person_xiao_song", "person_chen_xinwu")


@pytest.mark.parametrize(
    ("turns", "person"),
    [
        pytest.param(
            ["Who signed the agreement?", "Who is the one from Chongqing?"], "person_chen_xinwu", id="en"
        ),
        pytest.param(
            ["Who signed the agreement?", "And the Siemens one?"], "person_xiao_song", id="en-elliptic"
        ),
        pytest.param(["Wer hat unterschrieben?", "Und der von Siemens?"], "person_xiao_song", id="de"),
        pytest.param(["谁签署了协议？", "西门子那位是谁？"], "person_xiao_song", id="zh"),
        # After the witnesses (whose answer names the signatories too): the witness.
        pytest.param(
            ["Who witnessed the signing?", "And the Siemens guy, what is his job?"],
            "person_roland_busch",
            id="en-witness",
        ),
        # The possessive: "the Siemens one's job" is the witness of Siemens's.
        pytest.param(
            ["Who witnessed the signing?", "What's the Siemens one's job?"],
            "person_roland_busch",
            id="en-possessive",
        ),
        pytest.param(
            ["Who signed the agreement?", "What is the city one's title?"],
            "person_chen_xinwu",
            id="en-possessive-city",
        ),
    ],
)
def test_the_one_of_an_organisation_points_at_a_person_just_named(
    converse: Converse, turns: list[str], person: str
) -> None:
    """ "The one from the city" after an answer naming both signatories: that one's profile."""
    last = converse(turns)[-1]
    assert (last.outcome, last.intent) == ("answered", person)


@pytest.mark.parametrize(
    "turns",
    [
        pytest.param(
            ["Wer waren die Zeugen der Unterzeichnung?", "Welches Amt hat der chinesische der beiden?"],
            id="de",
        ),
        pytest.param(["Who witnessed the signing?", "What is the German one of the two called?"], id="en"),
    ],
)
def test_one_of_the_two_by_a_word_no_organisation_is_never_someone_else(
    converse: Converse, turns: list[str]
) -> None:
    """ "The Chinese one of the two" picks by nothing the facts type: never the profile of a person
    who is not one of the two (the signatory whose title says China), at most a suggestion."""
    last = converse(turns)[-1]
    assert last.intent not in ("person_xiao_song", "person_chen_xinwu")


@pytest.mark.parametrize(
    ("turns", "says"),
    [
        pytest.param(
            ["Wer hat das Abkommen bezeugt?", "Und welchen Titel trägt der deutsche der beiden?"],
            "CEO",
            id="de",
        ),
        pytest.param(
            ["Who were the witnesses?", "What's the Chinese one of the two's job?"], "Secretary", id="en"
        ),
    ],
)
def test_one_of_the_two_by_a_word_gets_the_answer_naming_both(
    converse: Converse, turns: list[str], says: str
) -> None:
    """ "The German one of the two": no organisation to pick by, but the last fact, which gives
    each one's title, answers it."""
    last = converse(turns)[-1]
    assert (last.outcome, last.intent) == ("answered", "witnesses")
    assert says in last.text


def test_which_of_the_two_after_the_witnesses_means_the_witnesses(converse: Converse) -> None:
    """The witnesses' answer names the signatories too: "which of the two from Siemens" is the
    witness of Siemens, not its signatory."""
    last = converse(["谁见证了签约？", "他们两位中哪位来自西门子？"])[-1]
    assert (last.outcome, last.intent) == ("answered", "person_roland_busch")


@pytest.mark.parametrize(
    "turns",
    [
        # "first" that is no person: the question is read on its own.
        pytest.param(["Who signed the agreement?", "When did Siemens first come to Chongqing?"], id="en"),
        pytest.param(["Wer hat unterschrieben?", "Wann kam Siemens zum ersten Mal nach Chongqing?"], id="de"),
        pytest.param(["谁签署了协议？", "西门子第一次来重庆是哪一年？"], id="zh"),
    ],
)
def test_an_ordinal_that_is_no_person_is_read_on_its_own(converse: Converse, turns: list[str]) -> None:
    """An ordinal word about something else does not turn into a person."""
    last = converse(turns)[-1]
    assert (last.outcome, last.intent) == ("answered", "cooperation_since_1995")


# ---- corrections --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("turns", "intent"),
    [
        pytest.param(
            ["When was the branch founded?", "No, I meant the office"], "office_1996", id="en-office"
        ),
        pytest.param(
            ["Wann wurde die Niederlassung gegründet?", "Nein, ich meinte das Büro"],
            "office_1996",
            id="de-office",
        ),
        pytest.param(["分公司是哪年成立的？", "不对，我是说办事处"], "office_1996", id="zh-office"),
        pytest.param(
            ["Who is Xiao Song?", "sorry, I meant Roland Busch"], "person_roland_busch", id="en-person"
        ),
        pytest.param(
            ["Wer ist Xiao Song?", "Nein, ich meinte Chen Xinwu"], "person_chen_xinwu", id="de-person"
        ),
        pytest.param(["肖松是谁？", "我指的是陈新武"], "person_chen_xinwu", id="zh-person"),
        # The other way round: from the office to the branch.
        pytest.param(
            ["When did Siemens open its office in Chongqing?", "Not the office but the branch"],
            "branch_2010",
            id="en-not-but",
        ),
        # A general concept of the fact base is a subject to correct to as well.
        pytest.param(
            ["Wann wurde die Niederlassung gegründet?", "Nein, ich meinte die Vereinbarung"],
            "signing_date",
            id="de-general-concept",
        ),
        # What is not meant, named after what is, goes.
        pytest.param(
            ["Who signed the agreement?", "No, I meant the witnesses, not the signatories"],
            "witnesses",
            id="en-x-not-y",
        ),
        pytest.param(
            ["Wer hat unterschrieben?", "Ich meinte die Zeugen, nicht die Unterzeichner"],
            "witnesses",
            id="de-x-nicht-y",
        ),
        pytest.param(["谁签的字？", "我是说见证人，不是签字人"], "witnesses", id="zh-x-bushi-y"),
    ],
)
def test_a_correction_replaces_the_earlier_term(converse: Converse, turns: list[str], intent: str) -> None:
    """ "No, I meant X" reads the last question again with X in place of what it named."""
    first, corrected = converse(turns)
    assert (corrected.outcome, corrected.intent) == ("answered", intent)
    assert corrected.intent != first.intent and corrected.lang == first.lang


@pytest.mark.parametrize(
    ("turns", "intent"),
    [
        # A whole question after "I meant": read alone, not as the city's signatory's profile.
        pytest.param(
            ["Who signed for the city?", "Sorry, I meant who is the mayor of Chongqing"],
            "unknown_mayor",
            id="en",
        ),
        pytest.param(
            ["Wer hat für die Stadt unterschrieben?", "Ich meinte, wer der Bürgermeister von Chongqing ist"],
            "unknown_mayor",
            id="de",
        ),
        # An organisation named inside a question of its own: no pick of that organisation's
        # signatory.
        pytest.param(
            ["Who signed for Siemens?", "No, I meant which Siemens entity is the contracting party"],
            "parties",
            id="en-organisation-inside",
        ),
    ],
)
def test_a_correction_that_is_a_question_is_read_as_asked(
    converse: Converse, turns: list[str], intent: str
) -> None:
    """ "I meant who the mayor is": that question's own honest answer."""
    assert converse(turns)[-1].intent == intent


@pytest.mark.parametrize(
    ("turns", "outcome", "intent"),
    [
        # The event is known to the day: its answer gives it.
        pytest.param(
            ["Siemens hat 2023 unterschrieben, oder?", "Nein, ich meine den Tag."],
            "answered",
            "signing_date",
            id="de-day-known",
        ),
        pytest.param(
            ["协议是2023年签的吗？", "不，我是说日期"], "answered", "signing_date", id="zh-day-known"
        ),
        # Known by its year only: the day is not stated (not the signing's date, which "the exact
        # date" reads as alone).
        pytest.param(
            ["When did Siemens open the office?", "No, I meant the exact date."],
            "not_stated",
            "office_1996",
            id="en-year-only",
        ),
        pytest.param(
            ["Wann wurde das Büro eröffnet?", "Nein, ich meine den genauen Tag."],
            "not_stated",
            "office_1996",
            id="de-year-only",
        ),
        # The last answer is about no event: "the date" is the question's own.
        pytest.param(["Who signed?", "No, I mean the date."], "answered", "signing_date", id="en-no-event"),
    ],
)
def test_a_correction_to_the_day_asks_the_day_of_the_last_event(
    converse: Converse, turns: list[str], outcome: str, intent: str
) -> None:
    """ "No, I mean the day" after an answer about an event asks that event's day (a reviewer's
    chat got suggestions)."""
    last = converse(turns)[-1]
    assert (last.outcome, last.intent) == (outcome, intent)


@pytest.mark.parametrize(
    "turns",
    [
        # Something the release does not name: never the answer just given again.
        pytest.param(
            ["When was the office in Chongqing opened?", "No, I meant the one in Munich"],
            id="en-unknown-place",
        ),
        # A new question after "I meant": not read together with the last one.
        pytest.param(["Who signed the agreement?", "No, I meant who paid for it"], id="en-new-question"),
        pytest.param(
            ["Wer hat die Vereinbarung unterschrieben?", "Nein, ich meinte, wer das bezahlt hat"],
            id="de-new-question",
        ),
    ],
)
def test_a_correction_never_gives_the_last_answer_again(converse: Converse, turns: list[str]) -> None:
    """ "No, I meant ..." says the last answer was not what was asked: whatever follows, not that."""
    first, corrected = converse(turns)
    assert corrected.intent != first.intent
    assert corrected.outcome != "answered" or corrected.text != first.text


@pytest.mark.parametrize(
    ("turns", "intent", "outcome"),
    [
        # The witnesses give no date; the turn before did: "when was that?" is its date.
        pytest.param(
            ["When was the agreement signed?", "Who witnessed it?", "When was that again?"],
            "signing_date",
            "answered",
            id="en",
        ),
        pytest.param(
            ["Wann wurde unterzeichnet?", "Wer war Zeuge?", "Wann war das nochmal?"],
            "signing_date",
            "answered",
            id="de",
        ),
        # No turn and no linked fact gives a place: said not to be given, with what is.
        pytest.param(
            ["Who witnessed the signing?", "Where was that?"], "witnesses", "not_stated", id="en-none-gives"
        ),
        # "Since when?" asks when the state the last answer tells of began: the date of a fact it
        # links to is another thing's (the company's membership), so not stated, with that answer.
        pytest.param(
            ["Ist Xiao Song Berater des Bürgermeisters?", "Seit wann?"],
            "xiao_song_advisor",
            "not_stated",
            id="de-since-not-a-linked-date",
        ),
        pytest.param(
            ["Does Xiao Song advise the mayor?", "Since when?"],
            "xiao_song_advisor",
            "not_stated",
            id="en-since-not-a-linked-date",
        ),
        # read alone, "从什么时候开始？" is the start of the cooperation: asked of the last answer
        pytest.param(
            ["肖松是市长顾问吗？", "从什么时候开始？"], "person_xiao_song", "not_stated", id="zh-since"
        ),
    ],
)
def test_a_detail_the_last_answer_lacks_comes_from_the_turn_that_gave_it(
    converse: Converse, turns: list[str], intent: str, outcome: str
) -> None:
    """ "When was that?" about an answer with no date is not "the release does not say" when an
    earlier turn of the chat gave that date."""
    last = converse(turns)[-1]
    assert (last.outcome, last.intent) == (outcome, intent)


@pytest.mark.parametrize(
    "turns",
    [
        pytest.param(["Which fields does the deal cover?", "How many is that overall?"], id="en"),
        # "das" with no noun after it points back like "that"; "insgesamt" names no subject.
        pytest.param(["Welche Bereiche umfasst die Vereinbarung?", "Wie viele sind das zusammen?"], id="de"),
        # Long in characters only because of "加起来一共": still a short question about the list.
        pytest.param(["合作涉及哪些领域？", "加起来一共多少个？"], id="zh-tally-words"),
    ],
)
def test_a_count_asked_of_the_last_list_is_that_lists_answer(converse: Converse, turns: list[str]) -> None:
    """ "How many is that altogether?" after an answer that lists and counts its items reads
    nothing clearly alone: that answer again, which says how many."""
    first, count = converse(turns)
    assert (count.outcome, count.intent) == ("answered", first.intent)


@pytest.mark.parametrize(
    ("turns", "intent"),
    [
        # A count of something of its own is a question of its own, not the last list again.
        pytest.param(
            ["Which fields does the deal cover?", "how many metro lines is that in total?"],
            "unknown_metro_line_numbers",
            id="en-own-subject",
        ),
        # The witnesses' answer counts no one: said not to be given, not invented.
        pytest.param(
            ["Who witnessed the signing?", "how many is that in total?"], "witnesses", id="en-no-count"
        ),
    ],
)
def test_a_count_the_last_answer_does_not_give_is_not_that_answer(
    converse: Converse, turns: list[str], intent: str
) -> None:
    """A count of something the question names, or of an answer that counts nothing, is never
    answered with the last answer as if it said how many."""
    first, count = converse(turns)
    assert count.intent == intent
    assert count.outcome != "answered" or count.intent != first.intent


@pytest.mark.parametrize(
    "turns",
    [
        # German "da" (there) points at the body just described: the near tie of "since when is
        # the company a member" with its history is settled by the chat.
        pytest.param(
            [
                "Was ist die International Economic Advisory Group?",
                "Seit welchem Jahr ist Siemens da Mitglied?",
            ],
            id="de-da-year",
        ),
        pytest.param(
            [
                "Was ist die International Economic Advisory Group?",
                "Wie lange ist Siemens da schon Mitglied?",
            ],
            id="de-da-how-long",
        ),
        # The group is what "da" means, not the mayor its questions also name.
        pytest.param(
            ["Was ist die International Economic Advisory Group?", "Ist Siemens da Mitglied?"], id="de-check"
        ),
        pytest.param(
            [
                "What is the International Economic Advisory Group?",
                "since when has Siemens been a member there?",
            ],
            id="en-there",
        ),
    ],
)
def test_a_place_pointer_reads_the_question_with_the_last_turn(converse: Converse, turns: list[str]) -> None:
    """ "Da", like "there", points back at what the last answer was about."""
    first, then = converse(turns)
    assert (then.outcome, then.intent) == ("answered", first.intent)
    assert "2018" in then.text


@pytest.mark.parametrize(
    ("turns", "said"),
    [
        # With the last turn it would be the signatories again; with his name, his words.
        pytest.param(
            ["Who signed on behalf of the company?", "did he say anything about it?"],
            "Chongqing",
            id="en-said",
        ),
        pytest.param(["谁代表西门子签字？", "他发表过什么讲话吗？"], "重庆", id="zh-said"),
        pytest.param(
            ["Wer hat für Siemens unterschrieben?", "Wird er irgendwo zitiert?"], "Chongqing", id="de-quoted"
        ),
        # The city's signatory is not quoted: said so, naming the one who is.
        pytest.param(
            ["Who signed for the city?", "and is he quoted anywhere?"], "Xiao Song", id="en-not-quoted"
        ),
    ],
)
def test_a_pronoun_asking_something_new_of_the_one_just_named_is_not_the_last_answer(
    converse: Converse, turns: list[str], said: str
) -> None:
    """ "Did he say anything?" after the answer that names him asks something of its own about
    him: not the last answer again."""
    first, then = converse(turns)
    assert then.intent != first.intent
    assert said in then.text


# ---- earlier turns ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("turns", "intent", "outcome"),
    [
        # A loose reading of the question, settled by the turn pointed at: the areas link to the
        # goals, well ahead of anything else the words could mean.
        pytest.param(
            ["协议涵盖哪些领域？", "谁签署了协议？", "回到第一个问题，合作最终要帮重庆打造什么？"],
            "goals",
            "answered",
            id="zh-linked-fact",
        ),
        # Off-topic words after the pointer: off topic, not the first turn again.
        pytest.param(
            [
                "What are the areas?",
                "Who signed it?",
                "Back to my first question: what about the weather there?",
            ],
            None,
            "offtopic",
            id="en-offtopic",
        ),
    ],
)
def test_a_question_about_the_first_turn_is_read_in_its_light(
    converse: Converse, turns: list[str], intent: str | None, outcome: str
) -> None:
    """What the first turn links to settles a loose reading; what it cannot be about stays out."""
    last = converse(turns)[-1]
    assert (last.outcome, last.intent) == (outcome, intent)


@pytest.mark.parametrize(
    ("turns", "intent"),
    [
        # A new question about the first turn: read without the words that point back.
        pytest.param(
            [
                "What did Siemens agree with Chongqing?",
                "Who signed it?",
                "Going back to your first answer: what does the agreement aim for in manufacturing?",
            ],
            "goal_manufacturing_centre",
            id="en-asks-about-it",
        ),
        # "What else besides ..." about the first turn: its related facts not yet given.
        pytest.param(
            [
                "Does Siemens help build metro lines in Chongqing?",
                "Who is Roland Busch?",
                "Back to my first question: what else besides the metro has Siemens helped build?",
            ],
            "contribution",
            id="en-what-else",
        ),
        # Nothing asked beyond the pointer: the first turn again.
        pytest.param(
            [
                "Wann wurde das Büro eröffnet?",
                "Wer hat unterschrieben?",
                "Wer war Zeuge?",
                "Zurück zu meiner ersten Frage",
            ],
            "office_1996",
            id="de-first-again",
        ),
        pytest.param(
            ["西门子重庆分公司是哪年成立的？", "谁签署了协议？", "回到第一个问题"],
            "branch_2010",
            id="zh-first-again",
        ),
    ],
)
def test_the_first_turn_is_found_by_its_place(converse: Converse, turns: list[str], intent: str) -> None:
    """ "Your first answer", "meine erste Frage", "第一个问题" point at the chat's first turn."""
    last = converse(turns)[-1]
    assert (last.outcome, last.intent) == ("answered", intent)


@pytest.mark.parametrize(
    ("turns", "intent"),
    [
        pytest.param(
            ["When was the agreement signed?", "Who witnessed it?", "Back to the date you mentioned before"],
            "signing_date",
            id="en-date",
        ),
        pytest.param(
            ["Wann wurde unterzeichnet?", "Wer war Zeuge?", "Zurück zum Datum von vorhin"],
            "signing_date",
            id="de-date",
        ),
        pytest.param(
            ["协议是什么时候签署的？", "谁见证了签约？", "回到你之前说的日期"], "signing_date", id="zh-date"
        ),
        # Two turns back, past a person: the year of the branch.
        pytest.param(
            [
                "When was the branch founded?",
                "Who is Xiao Song?",
                "What areas does the agreement cover?",
                "What about the year you mentioned earlier?",
            ],
            "branch_2010",
            id="en-two-back",
        ),
        # Named by what it was about rather than by its kind.
        pytest.param(
            ["Wann wurde das Büro eröffnet?", "Wer hat unterschrieben?", "Zurück zum Büro von vorhin"],
            "office_1996",
            id="de-by-subject",
        ),
    ],
)
def test_a_reference_to_an_earlier_turn_gives_that_turn(
    converse: Converse, turns: list[str], intent: str
) -> None:
    """Not the last answer: the earlier one the message points back to."""
    replies = converse(turns)
    assert (replies[-1].outcome, replies[-1].intent) == ("answered", intent)
    assert replies[-1].intent != replies[-2].intent


@pytest.mark.parametrize(
    ("turns", "intent", "says"),
    [
        # The witnesses' answer names the signatories too: "the one from Siemens" there is the
        # Siemens witness.
        pytest.param(
            ["谁见证了签约？", "协议是哪天签的？", "回到见证人，西门子那位是什么职务？"],
            "person_roland_busch",
            "博乐仁",
            id="zh-one-of-the-turns-people",
        ),
        pytest.param(
            [
                "Wer hat unterschrieben?",
                "Wann war das?",
                "Zurück zu den Unterzeichnern: welches Amt hat der von der Stadt?",
            ],
            "person_chen_xinwu",
            "Chen Xinwu",
            id="de-by-organisation",
        ),
        # Nothing clear alone: with that turn's question it is that turn's fact, which gives the
        # titles of all it names.
        pytest.param(
            [
                "Who witnessed the signing?",
                "When was that?",
                "Back to the witnesses - what rank does the party man hold?",
            ],
            "witnesses",
            "Secretary",
            id="en-that-turns-answer-gives-it",
        ),
        # Naming nothing of its own, the question asks of that turn ("das" is the office).
        pytest.param(
            ["Wann wurde das Büro eröffnet?", "Wer hat unterschrieben?", "Zurück zum Büro, wo war das?"],
            "office_1996",
            "Chongqing",
            id="de-asks-of-that-turn",
        ),
        # A question of its own after the turn named: read alone.
        pytest.param(
            [
                "When did the office open?",
                "Who signed the agreement?",
                "Back to the office: when was it upgraded?",
            ],
            "branch_2010",
            "2010",
            id="en-question-of-its-own",
        ),
    ],
)
def test_a_question_about_a_turn_named_is_read_in_that_turns_light(
    converse: Converse, turns: list[str], intent: str, says: str
) -> None:
    """ "Back to the witnesses: what is ...?": the turn those words name, not the last one, is what
    the question is about."""
    last = converse(turns)[-1]
    assert (last.outcome, last.intent) == ("answered", intent)
    assert says in last.text


@pytest.mark.parametrize(
    ("turns", "says", "not_said"),
    [
        pytest.param(
            [
                "When did Siemens start working with Chongqing?",
                "And when did the branch come?",
                "Back to the first one: how many years before the signing was that?",
            ],
            "29",
            "14",
            id="en-first-one",
        ),
        pytest.param(
            [
                "Wann wurde das Büro eröffnet?",
                "Wer hat unterschrieben?",
                "Zurück zum Büro: wie lange vor der Unterzeichnung war das?",
            ],
            "28",
            None,
            id="de-named-turn",
        ),
    ],
)
def test_a_span_asked_about_an_earlier_turn_counts_from_that_turn(
    converse: Converse, turns: list[str], says: str, not_said: str | None
) -> None:
    """ "Back to the first one: how long before the signing was that?": "that" is the turn gone back
    to, not the last answer's event."""
    last = converse(turns)[-1]
    assert last.outcome == "answered"
    assert says in last.text
    assert not_said is None or not_said not in last.text


# ---- language switch ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("turns", "intent", "lang"),
    [
        pytest.param(["Who signed the agreement?", "und wann?"], "signing_date", "de", id="en-to-de"),
        pytest.param(["Wer hat unterschrieben?", "and when?"], "signing_date", "en", id="de-to-en"),
        pytest.param(["谁签署了协议？", "And when?"], "signing_date", "en", id="zh-to-en"),
        pytest.param(["When was the branch founded?", "那办事处呢？"], "office_1996", "zh", id="en-to-zh"),
        pytest.param(["Who signed the agreement?", "mehr dazu"], "witnesses", "de", id="more-en-to-de"),
        pytest.param(
            ["Wer hat unterschrieben?", "另一位呢？"], "person_xiao_song", "zh", id="other-de-to-zh"
        ),
    ],
)
def test_the_reply_follows_the_new_messages_language(
    converse: Converse, turns: list[str], intent: str, lang: str
) -> None:
    """A language switch mid-chat: the follow-up is still read in context, answered in its own
    language."""
    last = converse(turns)[-1]
    assert (last.outcome, last.intent, last.lang) == ("answered", intent, lang)


@pytest.mark.parametrize(
    ("turns", "intent", "lang"),
    [
        pytest.param(
            ["What did Siemens sign with Chongqing?", "Kannst du mir das auf Deutsch sagen?"],
            "agreement",
            "de",
            id="en-to-de-tell-me",
        ),
        pytest.param(
            ["Wer hat unterschrieben?", "Can you tell me that in English?"],
            "signatories",
            "en",
            id="de-to-en",
        ),
        pytest.param(["When was the office opened?", "请用中文告诉我"], "office_1996", "zh", id="en-to-zh"),
        pytest.param(
            ["Wann war die Unterzeichnung?", "How do you say that in English?"],
            "signing_date",
            "en",
            id="how-do-you-say",
        ),
        # With thanks after the request: still the request, not small talk.
        pytest.param(
            ["Wann wurde die Vereinbarung unterzeichnet?", "Please answer in English, thanks"],
            "signing_date",
            "en",
            id="en-thanks",
        ),
        pytest.param(["协议是什么时候签的？", "用英文回答，谢谢"], "signing_date", "en", id="zh-thanks"),
        pytest.param(["Who signed?", "Antworte auf Deutsch, danke!"], "signatories", "de", id="de-danke"),
    ],
)
def test_the_same_answer_is_given_again_in_the_language_asked(
    converse: Converse, turns: list[str], intent: str, lang: str
) -> None:
    """ "Can you tell me that in German?": the last answer again, in that language."""
    first, again = converse(turns)
    assert (again.outcome, again.intent, again.lang) == ("answered", intent, lang)
    assert again.text != first.text


@pytest.mark.parametrize(
    ("turns", "outcome", "intent", "lang"),
    [
        # A part of the last answer, asked for in another language.
        pytest.param(
            ["What areas does the agreement cover?", "Can you say the transport part in Chinese?"],
            "answered",
            "area_transport",
            "zh",
            id="en-part-in-zh",
        ),
        pytest.param(
            ["西门子在重庆做了哪些事？", "地铁这块用英文说一下"],
            "answered",
            "metro_lines",
            "en",
            id="zh-part-in-en",
        ),
        # Off topic whatever the language; what is not understood is not answered in another one.
        pytest.param(
            ["Who signed it?", "What is the weather like in English?"], "offtopic", None, "en", id="offtopic"
        ),
        pytest.param(
            ["Who signed the agreement?", "What is the agreement called in Chinese?"],
            "suggested",
            None,
            "en",
            id="unclear-stays-in-its-language",
        ),
    ],
)
def test_a_question_asked_in_a_language_is_answered_in_it(
    converse: Converse, turns: list[str], outcome: str, intent: str | None, lang: str
) -> None:
    """ "Can you say the transport part in Chinese?": the follow-up, in the language asked for."""
    last = converse(turns)[-1]
    assert (last.outcome, last.intent, last.lang) == (outcome, intent, lang)


# ---- a year put to the last answer --------------------------------------------------------------


@pytest.mark.parametrize(
    ("turns", "intent", "says"),
    [
        pytest.param(
            ["Is Siemens on the mayor's advisory group?", "Since 2015?"], "advisory_council", "2018", id="en"
        ),
        pytest.param(
            ["Wann eröffnete Siemens das Büro?", "Also schon 1995?"], "office_1996", "1996", id="de"
        ),
        pytest.param(["協議何時簽署？", "是2023年嗎？"], "signing_date", "2024", id="zh-hant"),
        pytest.param(["协议是什么时候签署的？", "是2023年吗？"], "signing_date", "2024", id="zh"),
        # A year the release names for something else: still checked against this answer's.
        pytest.param(["When did the branch open?", "In 1996?"], "branch_2010", "2010", id="en-in"),
    ],
)
def test_a_year_put_to_the_last_answer_is_checked_against_its_date(
    converse: Converse, turns: list[str], intent: str, says: str
) -> None:
    """ "Since 2015?" after an answer with a date: that answer's fact, with its own year, never a
    decline nor another fact that happens to name the year."""
    last = converse(turns)[-1]
    assert (last.outcome, last.intent) == ("answered", intent)
    assert says in last.text


@pytest.mark.parametrize(
    ("turns", "intent", "says"),
    [
        # A year the release does not name among the two: said so, with the fact's own year.
        pytest.param(
            ["When did Siemens join the advisory council?", "Right, so 2017 or 2018?"],
            "advisory_council",
            "2018",
            id="en-one-foreign",
        ),
        # Both years named by the release, for two events: the answer says which is whose.
        pytest.param(
            ["Wann kam die Niederlassung?", "War das 1996 oder 2010?"],
            "branch_2010",
            "2010",
            id="de-both-known",
        ),
        pytest.param(["协议是哪天签的？", "是2023年还是2024年？"], "signing_date", "2024", id="zh"),
    ],
)
def test_two_years_put_as_alternatives_are_checked_against_the_last_answer(
    converse: Converse, turns: list[str], intent: str, says: str
) -> None:
    """ "2023 or 2024?" after an answer with a date: that answer's fact with its own year, never a
    decline."""
    last = converse(turns)[-1]
    assert last.outcome in ("answered", "unknown")
    assert last.intent == intent
    assert says in last.text


@pytest.mark.parametrize(
    ("turns", "intent", "says"),
    [
        pytest.param(
            [
                "Seit wann kooperiert Siemens mit Chongqing?",
                "Und das Büro?",
                "Wie viele Jahre lagen dazwischen?",
            ],
            "office_1996",
            "ein Jahr",
            id="de",
        ),
        pytest.param(
            ["When did the cooperation begin?", "And the office?", "How many years were there between them?"],
            "office_1996",
            "One year",
            id="en",
        ),
        pytest.param(
            ["西门子什么时候开始与重庆合作？", "办事处呢？", "相隔几年？"], "office_1996", "1年", id="zh"
        ),
        # Two dates whose fact does not say the span itself ("open since 1996" beside 2010): counted.
        pytest.param(
            [
                "In what year did the Chongqing office open?",
                "and the branch?",
                "how many years apart are they?",
            ],
            "branch_2010",
            "14 years",
            id="en-counted",
        ),
        pytest.param(
            ["重庆办事处是哪一年开的？", "那分公司呢？", "中间相隔几年？"],
            "branch_2010",
            "14年",
            id="zh-counted",
        ),
    ],
)
def test_the_span_between_two_turns_is_counted_from_their_events(
    converse: Converse, turns: list[str], intent: str, says: str
) -> None:
    """ "How many years lay between?" after two dated turns: the years between the two turns'
    events, counted (not only a fact that names both years)."""
    last = converse(turns)[-1]
    assert (last.outcome, last.intent) == ("answered", intent)
    assert says in last.text


@pytest.mark.parametrize(
    "turns",
    [
        pytest.param(
            [
                "Since when has Siemens had an office in Chongqing?",
                "and the upgrade to a branch, when was that? how many years apart?",
            ],
            id="en",
        ),
        pytest.param(
            [
                "Seit wann gibt es das Büro?",
                "und wann kam die Niederlassung? wie viele Jahre liegen dazwischen?",
            ],
            id="de",
        ),
        pytest.param(["办事处是哪年设立的？", "那分公司是哪年？中间隔了几年？"], id="zh"),
    ],
)
def test_a_date_asked_with_the_span_since_the_last_turn_gives_both(
    converse: Converse, turns: list[str]
) -> None:
    """ "And when was the branch? How many years apart?": one question, the years between the last
    answer's date and the date asked, computed (the date asked and the count, not the date alone)."""
    last = converse(turns)[-1]
    assert last.outcome == "answered"
    assert "2010" in last.text
    assert "14" in last.text


@pytest.mark.parametrize(
    ("text", "year"),
    [
        pytest.param("Since 2015?", ("2015",), id="en-since"),
        pytest.param("Also schon seit 1995?", ("1995",), id="de-seit"),
        pytest.param("是2023年嗎？", ("2023",), id="zh-shi-ma"),
        pytest.param("Or was it 2010?", ("2010",), id="en-or-was-it"),
        # Two years as alternatives, in a plain reply's opening: one check of both.
        pytest.param("Okay, so was it 1995 or 1996?", ("1995", "1996"), id="en-either-or"),
        pytest.param("Na gut, war das nun 2009 oder 2010?", ("2009", "2010"), id="de-either-or"),
        pytest.param("是2017年还是2018年？", ("2017", "2018"), id="zh-either-or"),
        # A subject of its own beside the year: a question, no check.
        pytest.param("What happened in 2010?", None, id="en-question-with-year"),
        pytest.param("Und 2010 die Niederlassung?", None, id="de-subject"),
        pytest.param("2010年发生了什么？", None, id="zh-question"),
        # Two years as a range, or three: no check of one date.
        pytest.param("From 1995 to 2010?", None, id="en-two-years"),
        pytest.param("1995, 1996 or 2010?", None, id="en-three-years"),
    ],
)
def test_a_year_check_is_only_a_year(text: str, year: tuple[str, ...] | None) -> None:
    """A bare year (with "since", "seit", "是……吗"), or two put as alternatives, is a check; a year
    beside a subject is not."""
    assert moves.year_check(normalise(text)) == year


# ---- a pronoun for the one person the last turn was about ----------------------------------------


@pytest.mark.parametrize(
    ("turns", "person"),
    [
        # German's demonstrative "der" with no noun after it is the one the last turn singled out.
        pytest.param(
            ["Wer hat für die Stadt unterschrieben?", "welches amt hat der?"],
            "person_chen_xinwu",
            id="de-der",
        ),
        pytest.param(
            ["Wer unterzeichnete für Siemens?", "Und was für eine Position hat der eigentlich?"],
            "person_xiao_song",
            id="de-der-particle",
        ),
    ],
)
def test_a_demonstrative_for_a_person_is_the_one_singled_out(
    converse: Converse, turns: list[str], person: str
) -> None:
    """ "Welches Amt hat der?" after "who signed for the city?": that signatory's profile, not
    someone else's that the question alone resembles."""
    last = converse(turns)[-1]
    assert (last.outcome, last.intent) == ("answered", person)


@pytest.mark.parametrize(
    ("turns", "outcome", "says"),
    [
        # A check on "him" is a check on the person named before: he witnessed, he did not sign.
        pytest.param(
            ["Who is Roland Busch?", "Did he sign the agreement himself?"], "answered", "No", id="en"
        ),
        pytest.param(["Wer ist Roland Busch?", "Hat er selbst unterschrieben?"], "answered", "Nein", id="de"),
        pytest.param(["肖松是谁？", "他亲自签字了吗？"], "answered", "是的", id="zh"),
        # What the facts do not give about him is said not to be given, not his profile instead.
        pytest.param(["肖松是谁？", "他多大了？"], "not_stated", "新闻稿未提及", id="zh-age-not-given"),
    ],
)
def test_a_pronoun_is_read_as_the_person_named_before(
    converse: Converse, turns: list[str], outcome: str, says: str
) -> None:
    """ "Did he sign?" after a person: answered for that person, as the facts say."""
    first, last = converse(turns)
    assert (last.outcome, last.intent) == (outcome, first.intent)
    assert last.text.startswith(says)


@pytest.mark.parametrize(
    ("turns", "intent"),
    [
        # His statement links to the milestone: "how did he describe it" is that, not his profile.
        pytest.param(
            ["Who is quoted in the release?", "How did he describe the signing?"],
            "milestone",
            id="en-statement",
        ),
        # Who he is, asked of him: his profile.
        pytest.param(["Who is quoted in the release?", "What is his job?"], "person_xiao_song", id="en-job"),
        # After his profile, which side he signed for: the signatories, no decline.
        pytest.param(["陈新武是谁？", "那他是代表哪一方签字的？"], "signatories", id="zh-after-profile"),
    ],
)
def test_a_pronoun_does_not_pull_a_linked_fact_to_a_profile(
    converse: Converse, turns: list[str], intent: str
) -> None:
    """The name for "he" may pull a question to his profile; a fact the last answer links to that
    the question reads as on its own is kept, unless the profile is what the last turn gave."""
    last = converse(turns)[-1]
    assert (last.outcome, last.intent) == ("answered", intent)


# ---- elliptic questions about a sibling fact ----------------------------------------------------


@pytest.mark.parametrize(
    ("turns", "says"),
    [
        # "And how long ago ...?" asks its own question: not the signing's date by the last "when".
        pytest.param(
            [
                "Wann kam Siemens erstmals nach Chongqing?",
                "Und wie lange ist das vor der Unterzeichnung gewesen?",
            ],
            "29",
            id="de",
        ),
        pytest.param(
            ["When did Siemens start working with Chongqing?", "And how long before the signing was that?"],
            "29",
            id="en",
        ),
    ],
)
def test_an_elliptic_question_with_its_own_question_word_keeps_it(
    converse: Converse, turns: list[str], says: str
) -> None:
    """ "Und wie lange ...?" after a "when" question is no sibling subject to be asked "when" of."""
    last = converse(turns)[-1]
    assert last.outcome == "answered"
    assert says in last.text
    assert "20. Juni 2024 unterzeichnet" not in last.text


@pytest.mark.parametrize(
    ("turns", "intent"),
    [
        pytest.param(["When was the branch founded?", "And the office?"], "office_1996", id="en-office"),
        pytest.param(
            ["Wann wurde die Niederlassung gegründet?", "Und das Büro?"], "office_1996", id="de-office"
        ),
        pytest.param(["西门子重庆分公司是哪年成立的？", "那办事处呢？"], "office_1996", id="zh-office"),
        pytest.param(
            ["When did Siemens open its office in Chongqing?", "and the branch?"],
            "branch_2010",
            id="en-branch",
        ),
        pytest.param(
            ["When was the agreement signed?", "And the press release?"], "release_date", id="en-release"
        ),
        pytest.param(["Wer ist Xiao Song?", "Und Roland Busch?"], "person_roland_busch", id="de-person"),
        # The last question's "who" does not fit a list of areas: their fact, not "the release
        # does not say who".
        pytest.param(["Who signed the agreement?", "What about the areas?"], "areas", id="en-who-unfit"),
        # The sibling asked with the last question's "when": the new subject's own date.
        pytest.param(["协议是什么时候签的？", "那新闻稿呢？"], "release_date", id="zh-release"),
        # After "how many" the release does not give: the same honest "not said" for the sibling,
        # not the sibling's plain fact ("several data centres" is no count).
        pytest.param(
            ["How many metro lines does Siemens help to build?", "And the data centres?"],
            "unknown_data_centre_details",
            id="en-how-many-unknown",
        ),
        # "And for the whole region?" after what the city gains: the wider aim, read past the last
        # answer (a close second only because the question was read with it).
        pytest.param(
            ["What is the cooperation meant to achieve for Chongqing?", "and for western China as a whole?"],
            "growth_pole",
            id="en-wider-aim",
        ),
        pytest.param(["合作要给重庆带来什么？", "那整个西部地区呢？"], "growth_pole", id="zh-wider-aim"),
    ],
)
def test_an_elliptic_question_gets_the_sibling_fact(
    engine: Engine, converse: Converse, turns: list[str], intent: str
) -> None:
    """ "And the office?" right after the branch's year: the office's fact, not the last answer
    again."""
    first, second = converse(turns)
    assert second.intent == intent
    sibling = engine.kb.get(intent)
    assert sibling is not None
    assert second.outcome == ("unknown" if sibling.kind == "unknown" else "answered")
    assert second.text != first.text and second.lang == first.lang


@pytest.mark.parametrize(
    ("turns", "intent"),
    [
        # The fact names both sides: it again, not a known unknown about the city's officials.
        pytest.param(
            ["Which Siemens company is the party?", "And on the city's side?"], "parties", id="en-parties"
        ),
        pytest.param(["谁代表西门子签的字？", "那重庆那边呢？"], "signatories", id="zh-signatories"),
        pytest.param(
            ["Wer war für Siemens als Zeuge dabei?", "Und für Chongqing?"], "witnesses", id="de-witnesses"
        ),
        # Asked of the other side, the question reads as another fact: that one.
        pytest.param(
            ["What did the city government say?", "And Siemens?"], "xiao_song_statement", id="en-statement"
        ),
        pytest.param(
            ["Was hat Siemens gesagt?", "Und die Stadt?"], "unknown_officials_statements", id="de-statement"
        ),
    ],
)
def test_the_other_side_is_the_last_question_asked_of_it(
    converse: Converse, turns: list[str], intent: str
) -> None:
    """ "And on the city's side?" after a question about the company's: the last question asked of
    the city, whatever fact that is."""
    last = converse(turns)[-1]
    assert last.intent == intent
    assert last.outcome == ("unknown" if intent.startswith("unknown_") else "answered")


# ---- a question on its own after the moves --------------------------------------------------------


@pytest.mark.parametrize(
    ("turns", "intent"),
    [
        pytest.param(
            [
                "Who signed the agreement?",
                "tell me more",
                "the second one?",
                "When was the press release published?",
            ],
            "release_date",
            id="en",
        ),
        pytest.param(
            [
                "Wer hat unterschrieben?",
                "Der andere?",
                "Nein, ich meinte das Büro",
                "Welche Bereiche umfasst die Vereinbarung?",
            ],
            "areas",
            id="de",
        ),
        pytest.param(
            ["谁签署了协议？", "详细说说", "回到你之前说的日期", "肖松是谁？"], "person_xiao_song", id="zh"
        ),
    ],
)
def test_a_standalone_question_after_the_moves_is_read_on_its_own(
    converse: Converse, engine: Engine, turns: list[str], intent: str
) -> None:
    """Whatever the conversation did before, a question with its own subject gets its own answer."""
    last = converse(turns)[-1]
    alone = engine.reply(turns[-1])
    assert (last.outcome, last.intent) == (alone.outcome, alone.intent) == ("answered", intent)


# ---- the moves recognised as text ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "move"),
    [
        pytest.param("Tell me more", "more", id="en-more"),
        pytest.param("Mehr dazu, bitte", "more", id="de-more"),
        pytest.param("详细说说", "more", id="zh-more"),
        pytest.param("Could you tell me a bit more?", "more", id="en-more-polite"),
        pytest.param("Anything more?", "more", id="en-anything-more"),
        pytest.param("Can you be more specific?", "more", id="en-more-specific"),
        pytest.param("What exactly does that mean?", "more", id="en-what-does-that-mean"),
        pytest.param("I'd like to know more", "more", id="en-know-more"),
        pytest.param("Was heißt das genau?", "more", id="de-was-heisst-das"),
        pytest.param("Genauer?", "more", id="de-genauer"),
        pytest.param("Ich möchte mehr wissen", "more", id="de-mehr-wissen"),
        pytest.param("具体一点？", "more", id="zh-juti-yidian"),
        pytest.param("我想了解更多", "more", id="zh-liaojie-gengduo"),
        pytest.param("然后呢？", "more", id="zh-ranhou-ne"),
        # A subject of its own after the same words: a question, no move.
        pytest.param("What does the agreement mean for jobs?", None, id="en-mean-for-something"),
        pytest.param("Und sonst?", "more", id="de-und-sonst"),
        pytest.param("还有别的吗？", "more", id="zh-haiyou-biede"),
        pytest.param("第三个呢？", "ordinal", id="zh-third-of-a-list"),
        pytest.param("Kannst du dazu mehr erzählen?", "more", id="de-more-polite"),
        pytest.param("能说得更详细一些吗？", "more", id="zh-more-polite"),
        pytest.param("and the second one?", "ordinal", id="en-ordinal"),
        pytest.param("Und der andere?", "ordinal", id="de-ordinal"),
        pytest.param("另一位呢？", "ordinal", id="zh-ordinal"),
        pytest.param("No, I meant the office", "correction", id="en-correction"),
        pytest.param("Nein, ich meinte das Büro", "correction", id="de-correction"),
        pytest.param("不对，我是说办事处", "correction", id="zh-correction"),
        pytest.param("back to the date you mentioned before", "earlier", id="en-earlier"),
        pytest.param("Zurück zum Datum von vorhin", "earlier", id="de-earlier"),
        pytest.param("回到你之前说的日期", "earlier", id="zh-earlier"),
        # Near misses: the same words in plain questions make no move.
        pytest.param("When did Siemens first come to Chongqing?", None, id="en-first-is-no-person"),
        pytest.param("Wann wurde die erste Niederlassung eröffnet?", None, id="de-erste-is-no-person"),
        pytest.param("第一个办事处在哪里？", None, id="zh-first-office"),
        pytest.param("What did Siemens do before 2010?", None, id="en-before-is-no-turn"),
        pytest.param("Which came first?", None, id="en-came-first"),
        pytest.param("Back to my first question", "earlier", id="en-first-question"),
        pytest.param("What did you say about the branch earlier?", "earlier", id="en-did-you-say"),
        pytest.param("Zurück zu meiner ersten Frage", "earlier", id="de-first-question"),
        pytest.param("回到第一个问题", "earlier", id="zh-first-question"),
        # Someone else's first question or answer is no turn of this chat.
        pytest.param("Was war die erste Frage der Journalisten?", None, id="de-someone-elses-question"),
        pytest.param(
            "Who gave the first answer at the press conference?", None, id="en-someone-elses-answer"
        ),
        pytest.param("Was hat der andere gesagt?", "ordinal", id="de-ordinal-with-verb"),
        pytest.param("Which of the two signed?", "ordinal", id="en-which-of-the-two"),
        pytest.param("Wer von beiden war Zeuge?", "ordinal", id="de-wer-von-beiden"),
        pytest.param("两位中哪位是西门子的？", "ordinal", id="zh-liangwei-nawei"),
        pytest.param("Welches Amt hat der chinesische der beiden?", "ordinal", id="de-adjective-der-beiden"),
        pytest.param("What is the German one of the two called?", "ordinal", id="en-adjective-one-of-two"),
    ],
)
def test_moves_are_recognised_in_each_language(text: str, move: str | None) -> None:
    """Each move in de, en and zh, and the near misses that are none."""
    norm = normalise(text)
    found = {
        "more": moves.more(norm),
        "ordinal": moves.ordinal(norm),
        "correction": moves.correction(norm),
        "earlier": moves.earlier(norm),
    }
    assert [name for name, hit in found.items() if hit is not None] == ([move] if move else [])


@pytest.mark.parametrize(
    ("text", "subject", "rest"),
    [
        pytest.param(
            "Going back to the witnesses: who is the mayor?", "the witnesses", "who is the mayor", id="en"
        ),
        pytest.param("Zurück zum Büro, wann war das?", "buro", "wann war das", id="de"),
        pytest.param("回到见证人，他是谁？", "见证人", "他是谁", id="zh"),
        # No question after the words: the whole rest names the turn, as before.
        pytest.param("Zurück zum Büro von vorhin", "", "buro von vorhin", id="de-no-question"),
        # "You mentioned ..." names no turn to go back to by the words after it.
        pytest.param(
            "You mentioned Chongqing: when did the office open?",
            "",
            "chongqing when did the office open",
            id="en-mentioned",
        ),
    ],
)
def test_going_back_splits_the_turns_name_from_the_question(text: str, subject: str, rest: str) -> None:
    """ "Back to X: question?": X names the turn, the question is asked about it."""
    found = moves.earlier(normalise(text))
    assert found is not None
    assert (found.subject, found.rest) == (subject, rest)


@pytest.mark.parametrize(
    ("turns", "intent"),
    [
        # The same question for each organisation in turn: the first one is the first asked about.
        pytest.param(
            [
                "Who signed for Siemens?",
                "And for Chongqing?",
                "Going back to the first one: is he also advising the mayor?",
            ],
            "xiao_song_advisor",
            id="en-same-question",
        ),
        pytest.param(
            ["Who is Xiao Song?", "Who is Chen Xinwu?", "Going back to the first one: what did he say?"],
            "xiao_song_statement",
            id="en-profiles",
        ),
        pytest.param(
            ["Wer ist Chen Xinwu?", "Und wer ist Xiao Song?", "Zurück zum ersten: was macht er beruflich?"],
            "person_chen_xinwu",
            id="de-profiles",
        ),
    ],
)
def test_going_back_to_the_first_one_is_the_first_person_asked_about(
    converse: Converse, turns: list[str], intent: str
) -> None:
    """ "Going back to the first one: is he ...?": he is the one the chat was first about, not the
    one just named."""
    last = converse(turns)[-1]
    assert (last.outcome, last.intent) == ("answered", intent)


@pytest.mark.parametrize(
    ("turns", "intent"),
    [
        # "You mentioned" around a subject no earlier turn was about: a question of its own.
        pytest.param(
            [
                "When was the agreement signed?",
                "Who witnessed it?",
                "You mentioned Chongqing: when did the office open?",
            ],
            "office_1996",
            id="en",
        ),
        pytest.param(
            [
                "Wann wurde unterzeichnet?",
                "Wer war Zeuge?",
                "Sie haben vorhin Chongqing erwähnt: seit wann gibt es dort die Niederlassung?",
            ],
            "branch_2010",
            id="de",
        ),
    ],
)
def test_a_mention_of_the_past_about_something_new_is_read_on_its_own(
    converse: Converse, turns: list[str], intent: str
) -> None:
    """Going back needs a turn to go back to; otherwise the question is answered as asked."""
    last = converse(turns)[-1]
    assert (last.outcome, last.intent) == ("answered", intent)


# ---- the first of two, the first question, his other posts, an opening, a region -------------


@pytest.mark.parametrize(
    ("text", "pick"),
    [
        # "von" after a German ordinal still points at a person, as "of" does in English.
        pytest.param("hat der erste von den zwei zugesehen", 0, id="de-first-of"),
        pytest.param("und der zweite von den beiden", 1, id="de-second-of"),
        pytest.param("did the first of the two sign", 0, id="en-first-of"),
    ],
)
def test_an_ordinal_of_the_two_is_found(text: str, pick: int) -> None:
    """ "Der Erste von den zwei", "the first of the two": the person at that position."""
    found = moves.ordinal(text)
    assert found is not None and found.pick == pick


@pytest.mark.parametrize(
    ("turns", "person"),
    [
        # Two one-person turns name no list: "the first" is the one the chat asked about first.
        pytest.param(
            [
                "Welche Funktion hat Yuan Jiajun?",
                "Und Chen Xinwu?",
                "Hat der Erste von den beiden unterschrieben?",
            ],
            "Yuan Jiajun",
            id="de-first",
        ),
        pytest.param(
            ["What is Yuan Jiajun's role?", "And Chen Xinwu's?", "Did the first of the two sign it?"],
            "Yuan Jiajun",
            id="en-first",
        ),
        pytest.param(
            ["What is Yuan Jiajun's role?", "And Chen Xinwu's?", "And the second of the two, did he sign?"],
            "Chen Xinwu",
            id="en-second",
        ),
    ],
)
def test_the_first_of_two_one_person_turns_is_the_first_asked_about(
    converse: Converse, turns: list[str], person: str
) -> None:
    """After a turn about one person and a turn about another, "the first of the two" is counted in
    the chat's order, not the last answer's."""
    last = converse(turns)[-1]
    assert last.intent is not None and last.intent.startswith("person_")
    assert person in last.text


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("第一题里那两位分别代表谁", id="first-question-short"),
        pytest.param("回到第一题 他们俩代表谁", id="back-to-first-question-short"),
        pytest.param("回到第一道题", id="first-question-counter"),
    ],
)
def test_the_first_question_in_its_short_form_is_the_first_turn(text: str) -> None:
    """ "第一题" (the first question, as a quiz counts them) goes back to the first turn."""
    found = moves.earlier(normalise(text))
    assert found is not None and found.first


@pytest.mark.parametrize(
    "turns",
    [
        pytest.param(["谁签的字？", "见证人有哪些？", "第一题里那两位分别代表谁？"], id="zh"),
        pytest.param(
            [
                "Wer hat unterschrieben?",
                "Und wer war Zeuge?",
                "Zurück zur ersten Frage: wen vertraten die beiden?",
            ],
            id="de",
        ),
    ],
)
def test_the_two_of_the_first_turn_are_its_people_not_one_profile(
    converse: Converse, turns: list[str]
) -> None:
    """ "Those two from the first question: whom did each represent?" asks of both signatories at
    once: the first turn's answer, never one of them alone."""
    first, _, last = converse(turns)
    assert (last.outcome, last.intent) == ("answered", first.intent)


@pytest.mark.parametrize(
    ("turns", "person"),
    [
        pytest.param(
            ["Who signed on the city's side?", "What about his other jobs?"], "person_chen_xinwu", id="en"
        ),
        pytest.param(
            ["Wer unterschrieb für die Stadt?", "Und seine anderen Jobs?"], "person_chen_xinwu", id="de"
        ),
        pytest.param(["谁代表西门子签字？", "他的其他职务呢？"], "person_xiao_song", id="zh"),
        # Without "other": his jobs are his posts all the same.
        pytest.param(
            ["Who signed on behalf of the city?", "so what are his jobs?"],
            "person_chen_xinwu",
            id="en-his-jobs",
        ),
        pytest.param(
            ["Wer hat für Siemens unterschrieben?", "und seine Jobs?"], "person_xiao_song", id="de-seine"
        ),
    ],
)
def test_his_other_jobs_are_his_posts_not_the_jobs_the_agreement_creates(
    converse: Converse, turns: list[str], person: str
) -> None:
    """ "His other jobs" asks more of the one just named: his profile, not the known unknown about
    jobs that the word alone reads as."""
    last = converse(turns)[-1]
    assert (last.outcome, last.intent) == ("answered", person)


@pytest.mark.parametrize(
    ("turns", "intent"),
    [
        # The Cantonese opening "咁" ("so, then") is read as Mandarin's 那: what follows asks.
        pytest.param(
            ["西门子同重庆签咗咩？", "咁西门子总部嘅大老板有冇到场？"], "person_roland_busch", id="yue-so"
        ),
        # With no chat to lean on, the question is read by what follows its opening.
        pytest.param(["还有西部地区呢？"], "growth_pole", id="zh-alone"),
        pytest.param(["And what about western China then?"], "growth_pole", id="en-alone"),
    ],
)
def test_an_elliptic_opening_does_not_hide_what_the_question_asks(
    converse: Converse, turns: list[str], intent: str
) -> None:
    """ "And ...", "那……呢", "咁……" open a follow-up and ask nothing themselves: a question that
    reads clearly without them is answered as that."""
    last = converse(turns)[-1]
    assert (last.outcome, last.intent) == ("answered", intent)


@pytest.mark.parametrize(
    ("text", "region"),
    [
        pytest.param("fur welche region denn", True, id="de-region"),
        pytest.param("in welchem teil des landes", True, id="de-part"),
        pytest.param("which part of the country is that for", True, id="en-part"),
        pytest.param("是针对哪个地区的", True, id="zh-region"),
        # A part of a text is no region.
        pytest.param("in welchem teil der mitteilung steht das", False, id="de-part-of-the-text"),
        pytest.param("which part of the agreement", False, id="en-part-of-the-agreement"),
    ],
)
def test_a_region_asked_is_found(text: str, region: bool) -> None:
    """ "Welche Region", "which part of the country", "哪个地区" ask for a region."""
    assert moves.region(text) is region


@pytest.mark.parametrize(
    ("turns", "intent", "outcome"),
    [
        # The goals name the city; the fact they link to names the region.
        pytest.param(
            ["Was will die Kooperation erreichen?", "Für welche Region denn?"],
            "growth_pole",
            "answered",
            id="de",
        ),
        pytest.param(
            ["What does the cooperation aim at?", "Which part of the country is that for?"],
            "growth_pole",
            "answered",
            id="en",
        ),
        pytest.param(["这次合作有什么目标？", "是针对哪个地区的？"], "growth_pole", "answered", id="zh"),
        # No fact the office links to names another place: the honest answer about other regions.
        pytest.param(
            ["When did Siemens open the office in Chongqing?", "And in which region?"],
            "unknown_other_cities",
            "unknown",
            id="en-office",
        ),
    ],
)
def test_a_region_asked_past_the_last_answer_is_the_linked_fact_that_names_it(
    converse: Converse, turns: list[str], intent: str, outcome: str
) -> None:
    """ "And for which region?" after an answer that names only the city: the fact it links to
    that names a place it does not; none, and the question is read as asked."""
    last = converse(turns)[-1]
    assert (last.outcome, last.intent) == (outcome, intent)


@pytest.mark.parametrize(
    ("turns", "wrong"),
    [
        # A part of the city, or of the company, is no region past the last answer.
        pytest.param(
            ["Since when has Siemens been in Chongqing?", "which part of chongqing was it in?"],
            "projects",
            id="en-part-of-the-city",
        ),
        pytest.param(
            ["Why did Siemens choose Chongqing?", "What part of Siemens is behind this?"],
            "xiao_song_statement",
            id="en-part-of-the-company",
        ),
        pytest.param(
            ["What is the goal of the cooperation?", "what part of siemens will deliver it?"],
            "growth_pole",
            id="en-part-of-the-company-after-the-goals",
        ),
        pytest.param(
            ["Which business areas is Siemens active in in Chongqing?", "In welchem Teil Chongqings?"],
            "contribution",
            id="de-part-of-the-city",
        ),
        # The fact linked names the city again (inside a hub's name), no wider region.
        pytest.param(
            ["Is Siemens a member of an advisory council in Chongqing?", "which province is that?"],
            "contribution",
            id="en-city-inside-a-hub-name",
        ),
        pytest.param(
            ["重庆的地铁西门子参与了吗？", "是哪个区域？"], "contribution", id="zh-city-inside-a-hub-name"
        ),
        pytest.param(
            ["Which business areas is Siemens active in in Chongqing?", "welche Region?"],
            "data_centres",
            id="de-city-inside-a-hub-name",
        ),
    ],
)
def test_a_region_is_not_read_past_an_answer_into_a_fact_that_names_none(
    converse: Converse, turns: list[str], wrong: str
) -> None:
    """ "Which part of <the city / the company>?" asks for no region, and a fact that names the
    city only inside a hub's name names none: no linked fact is answered for it, and none with
    certainty."""
    last = converse(turns)[-1]
    assert last.intent not in {wrong, "contribution", "data_centres", "projects"}
    assert last.confidence < 1.0


def test_a_region_read_past_the_last_answer_is_not_certain(converse: Converse) -> None:
    """The linked fact a region is read into is a guess, answered below certainty."""
    last = converse(["Was will die Kooperation erreichen?", "Für welche Region denn?"])[-1]
    assert (last.outcome, last.intent) == ("answered", "growth_pole")
    assert last.confidence <= 0.8


@pytest.mark.parametrize(
    "turns",
    [
        pytest.param(["西门子和重庆签了什么？", "那西门子的总裁有没有出席？"], id="zh"),
        pytest.param(["西門子同重慶簽咗咩？", "咁西門子嘅總裁有冇出席？"], id="yue"),
    ],
)
def test_an_elliptic_question_of_its_own_is_not_the_last_answer_again(
    converse: Converse, turns: list[str]
) -> None:
    """ "那……有没有出席？" names a subject of its own: read with the last question it would only be
    that answer again; read alone, the one it is about is offered."""
    first, last = converse(turns)
    assert last.intent != first.intent
    assert "person_roland_busch" in {last.intent, *(s.intent for s in last.suggestions)}


# ---- people asked about one at a time, both of two, "what does that mean for X" (set P) ---------


@pytest.mark.parametrize(
    ("turns", "person"),
    [
        # The signatories' answer names the city's first; the chat asked for the company's first.
        pytest.param(
            [
                "Who signed on behalf of Siemens?",
                "And who signed for the city?",
                "What does the second one do?",
            ],
            "person_chen_xinwu",
            id="en-second-asked",
        ),
        pytest.param(
            ["Wer hat für Siemens unterschrieben?", "Und wer für die Stadt?", "Welches Amt hat der Erste?"],
            "person_xiao_song",
            id="de-first-asked",
        ),
        pytest.param(
            ["谁代表西门子签的字？", "重庆方面是谁签的？", "第二位是做什么的？"],
            "person_chen_xinwu",
            id="zh-second-asked",
        ),
        # One question about the list, one about its first: "the second one" walks on in the
        # answer's order (no earlier turn singled out someone else).
        pytest.param(
            ["Who witnessed the signing?", "Who is the first one?", "And the second one?"],
            "person_roland_busch",
            id="en-walking-the-list",
        ),
    ],
)
def test_an_ordinal_after_one_person_a_turn_counts_in_the_chats_order(
    converse: Converse, turns: list[str], person: str
) -> None:
    """ "The second one" after two turns that each singled out one of two people is the one asked
    about second, whatever order the answer named them in."""
    last = converse(turns)[-1]
    assert (last.outcome, last.intent) == ("answered", person)


@pytest.mark.parametrize(
    ("turns", "person"),
    [
        pytest.param(
            ["Wer hat den Vertrag bezeugt?", "Wer von ihnen kommt von Siemens?"],
            "person_roland_busch",
            id="de-wer-von-ihnen",
        ),
        pytest.param(
            ["Wer hat unterschrieben?", "welcher von denen vertritt die Stadt"],
            "person_chen_xinwu",
            id="de-welcher-von-denen",
        ),
    ],
)
def test_which_of_them_is_picked_by_organisation(converse: Converse, turns: list[str], person: str) -> None:
    """ "Wer von ihnen ...?" and "welcher von denen ...?" are "which of the two" too."""
    last = converse(turns)[-1]
    assert (last.outcome, last.intent) == ("answered", person)


@pytest.mark.parametrize(
    ("turns", "says"),
    [
        pytest.param(
            ["Who witnessed the signing?", "What positions do those two hold?"], ("Secretary", "CEO"), id="en"
        ),
        pytest.param(
            ["Wer waren die Zeugen der Unterzeichnung?", "Welche Ämter haben die beiden?"],
            ("Sekretär", "CEO"),
            id="de",
        ),
        # No reading with the last question is clear: each of them by name (one profile names
        # the other's title too).
        pytest.param(["谁见证了签约？", "他们俩分别担任什么职务？"], ("书记", "首席执行官"), id="zh"),
        # "each of them", "jeweils", "他们分别": asked of each at once, as "those two" is.
        pytest.param(["谁见证了签约？", "他们分别是什么职务？"], ("书记", "首席执行官"), id="zh-fenbie"),
        pytest.param(
            ["Who signed the agreement?", "What posts do they each hold?"],
            ("Vice Mayor", "CEO"),
            id="en-each",
        ),
        pytest.param(
            ["Wer hat unterschrieben?", "Welche Ämter haben sie jeweils?"],
            ("Bürgermeister", "CEO"),
            id="de-jeweils",
        ),
    ],
)
def test_a_question_about_both_people_just_named_answers_for_both(
    converse: Converse, turns: list[str], says: tuple[str, ...]
) -> None:
    """ "What positions do those two hold?" is asked of both: the answer gives each one's title,
    never one person's profile alone of someone else."""
    last = converse(turns)[-1]
    assert last.outcome == "answered"
    assert all(word in last.text for word in says)


def test_a_question_about_both_that_reads_clearly_alone_is_read_alone(converse: Converse) -> None:
    """ "Was haben die beiden gesagt?" asks what the release quotes of them: its known unknown,
    not the last answer again."""
    last = converse(["Wer waren die Zeugen?", "Was haben die beiden gesagt?"])[-1]
    assert last.intent != "witnesses"


@pytest.mark.parametrize(
    ("turns", "intent"),
    [
        # The goals speak of Chongqing's companies; the milestone is what it means for Siemens.
        pytest.param(["这次合作的目标是什么？", "这对重庆企业意味着什么呢？"], "goals", id="zh-companies"),
        pytest.param(
            ["Welche Ziele hat die Kooperation?", "Und was bedeutet das für die Firmen in Chongqing?"],
            "goals",
            id="de-companies",
        ),
        pytest.param(["这次合作的目标是什么？", "这对西门子意味着什么？"], "milestone", id="zh-siemens"),
        # "What does that mean for X" is no request for more of the last answer.
        pytest.param(
            ["Was ist das Ziel der Kooperation?", "was bedeutet das für Siemens?"],
            "milestone",
            id="de-siemens",
        ),
    ],
)
def test_what_that_means_for_someone_the_last_answer_speaks_of_is_that_answer(
    converse: Converse, turns: list[str], intent: str
) -> None:
    """ "What does that mean for the companies there?" after an answer about them is that answer;
    for someone the last answer does not single out, the fact about them."""
    last = converse(turns)[-1]
    assert (last.outcome, last.intent) == ("answered", intent)


@pytest.mark.parametrize(
    ("turns", "intent"),
    [
        pytest.param(
            ["Was hat Siemens bisher in Chongqing geleistet?", "Mehr zum Rechenzentrumskram bitte"],
            "data_centres",
            id="de-more-about",
        ),
        pytest.param(["Erzähl mir was über das Metrothema"], "metro_lines", id="de-alone"),
    ],
)
def test_a_german_compound_with_a_vague_head_is_about_its_first_part(
    converse: Converse, turns: list[str], intent: str
) -> None:
    """ "Das Rechenzentrumszeug", "das Metrothema": about the data centres, the metro lines."""
    last = converse(turns)[-1]
    assert (last.outcome, last.intent) == ("answered", intent)


# ---- the other side, the other one who did it, an organisation's head among those named ---------


@pytest.mark.parametrize(
    ("turns", "named"),
    [
        # Asked of one party, "the other side" is the other party (the typed facts' two parties).
        pytest.param(["Who signed for the city?", "and for the other side?"], "Xiao Song", id="en-side"),
        pytest.param(
            ["Wer hat für die Stadt unterschrieben?", "Und für die andere Seite?"], "Xiao Song", id="de"
        ),
        pytest.param(["谁代表西门子签字？", "对方呢？"], "陈新武", id="zh"),
    ],
)
def test_the_other_side_is_the_party_the_last_question_did_not_name(
    converse: Converse, turns: list[str], named: str
) -> None:
    """ "And for the other side?": the last question asked of the other party."""
    last = converse(turns)[-1]
    assert last.outcome == "answered"
    assert named in last.text


def test_the_other_side_asked_about_something_of_its_own_is_that_thing(converse: Converse) -> None:
    """ "And the other side's data centres?" asks about the data centres, not who signed."""
    last = converse(["Who signed for Siemens?", "and the other side's data centres?"])[-1]
    assert last.intent != "signatories"


@pytest.mark.parametrize(
    "turns",
    [
        # The last question named its side by a word that is no party ("Chinese"): the new side
        # takes that word's place, and the question is still who witnessed it.
        pytest.param(["Who witnessed the signing on the Chinese side?", "And on the Siemens side?"], id="en"),
        pytest.param(
            ["Wer hat auf chinesischer Seite die Unterzeichnung bezeugt?", "Und auf Seiten von Siemens?"],
            id="de",
        ),
        pytest.param(["中方见证人是谁？", "那西门子方面呢？"], id="zh"),
    ],
)
def test_a_side_named_by_another_word_is_replaced_by_the_party_asked_next(
    converse: Converse, turns: list[str]
) -> None:
    """ "And on the Siemens side?" after the Chinese side's witness asks who witnessed it for the
    company (the answer names him), not who the parties are."""
    last = converse(turns)[-1]
    # (The witnesses' fact, or the company's witness's own profile: "那<公司>方面呢？" is read as
    # "for <company>", the one of the people just named who did the deed.)
    assert last.outcome == "answered"
    assert last.intent in ("witnesses", "person_roland_busch")
    assert "Roland Busch" in last.text


@pytest.mark.parametrize(
    ("turns", "person"),
    [
        # No list in the last answer (a profile): the other one who did what the words name.
        pytest.param(
            ["Wer ist Chen Xinwu?", "Und wer ist der andere Unterzeichner?"],
            "person_xiao_song",
            id="de-signer",
        ),
        pytest.param(["Who is Roland Busch?", "who was the other witness?"], "person_yuan_jiajun", id="en"),
        pytest.param(["袁家军是谁？", "另一位见证人呢？"], "person_roland_busch", id="zh"),
        # "his" is the other signatory, not the one the turns before were about.
        pytest.param(
            ["Who is Xiao Song?", "What did he say?", "and the other signatory, what are his titles?"],
            "person_chen_xinwu",
            id="en-his-titles",
        ),
    ],
)
def test_the_other_one_who_did_it_is_found_without_a_list(
    converse: Converse, turns: list[str], person: str
) -> None:
    """ "And the other witness?" after one witness's profile: the other witness."""
    last = converse(turns)[-1]
    assert (last.outcome, last.intent) == ("answered", person)


def test_the_other_one_unresolved_is_never_the_one_just_talked_about(converse: Converse) -> None:
    """ "And the other fellow?" after one person, with nothing to count from: not that person again."""
    last = converse(["Who is Xiao Song?", "and the other fellow, what does he do?"])[-1]
    assert last.intent not in ("person_xiao_song", "xiao_song_statement", "xiao_song_advisor")


@pytest.mark.parametrize(
    ("turns", "intents"),
    [
        # After the witnesses, the company's chief is the company's witness (quoted nowhere).
        pytest.param(
            ["Who witnessed the signing?", "did the Siemens chief say anything?"],
            ("person_roland_busch", "unknown_busch_statement"),
            id="en-witnesses",
        ),
        pytest.param(
            ["谁见证了签约？", "西门子的老总讲了什么？"], ("unknown_busch_statement",), id="zh-witnesses"
        ),
        # After the signatories, the same words mean the company's signatory, who is quoted.
        pytest.param(
            ["Who signed the agreement?", "what did the Siemens boss say?"],
            ("xiao_song_statement",),
            id="en-signatories",
        ),
        # Described by a deed, the boss is whoever did it (not the one just named).
        pytest.param(
            ["Who is Roland Busch?", "and the boss who signed for Siemens?"],
            ("signatories", "person_xiao_song"),
            id="en-described",
        ),
        # German "und was ..." asks what (not "was" as a verb): still the company's one just named.
        pytest.param(
            ["Wer waren die Zeugen?", "und was hat der Siemens-Chef gesagt?"],
            ("unknown_busch_statement",),
            id="de-und-was",
        ),
        # A yes/no question is checked against whoever holds the role, not the one just named.
        pytest.param(
            ["Who were the witnesses?", "is the Siemens boss also an adviser to the mayor?"],
            ("xiao_song_advisor",),
            id="en-yes-no-role",
        ),
    ],
)
def test_an_organisations_head_is_the_one_of_it_just_named(
    converse: Converse, turns: list[str], intents: tuple[str, ...]
) -> None:
    """ "What did the company's boss say?" asks about the company's one among the people just named."""
    assert converse(turns)[-1].intent in intents


# ---- past the last answer ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("turns", "intent"),
    [
        # The advisory body's answer names no one: "who" asks for the person the fact links to.
        pytest.param(
            [
                "Since when is Siemens a member of the mayor's advisory council?",
                "and who is the Siemens adviser there?",
            ],
            "xiao_song_advisor",
            id="en-who",
        ),
        pytest.param(
            [
                "Seit wann ist Siemens im Beratergremium des Bürgermeisters?",
                "Und wer ist da der Berater von Siemens?",
            ],
            "xiao_song_advisor",
            id="de-who",
        ),
        # "That" is the areas; what comes of them for the city is the goals the areas link to.
        pytest.param(
            [
                "Which fields does the deal cover?",
                "and what is meant to come out of that for Chongqing in the end?",
            ],
            "goals",
            id="en-linked",
        ),
        pytest.param(
            [
                "Welche Felder deckt die Zusammenarbeit ab?",
                "Und was soll dadurch in Chongqing aufgebaut werden?",
            ],
            "goals",
            id="de-linked",
        ),
        # Loose alone; what "that" (the list) means for the firms is the linked fact that speaks of
        # them and names most of the list's items.
        pytest.param(
            ["What areas does the cooperation cover?", "and what does that mean for firms in Chongqing?"],
            "goals",
            id="en-for-firms",
        ),
    ],
)
def test_a_question_past_the_last_answer_is_not_that_answer_again(
    converse: Converse, turns: list[str], intent: str
) -> None:
    """A follow-up the last answer cannot answer is the fact it links to, not that answer again."""
    last = converse(turns)[-1]
    assert (last.outcome, last.intent) == ("answered", intent)


@pytest.mark.parametrize(
    "turns",
    [
        pytest.param(["Who signed for Siemens?", "what other hats does he wear?"], id="en"),
        pytest.param(["Wer hat für Siemens unterschrieben?", "Welche anderen Ämter hat er?"], id="de"),
    ],
)
def test_what_other_roles_he_has_is_never_the_last_answer_again(converse: Converse, turns: list[str]) -> None:
    """ "What other hats does he wear?" asks past the signatories: about him, not them again."""
    last = converse(turns)[-1]
    assert last.intent != "signatories"
    assert last.outcome != "answered" or last.intent == "person_xiao_song"


# ---- a detail again in another language; years counted from an earlier turn ----------------------


@pytest.mark.parametrize(
    ("turns", "intent", "lang", "shown"),
    [
        pytest.param(
            ["Wann wurde die Niederlassung gegründet?", "das Jahr bitte auf Englisch"],
            "branch_2010",
            "en",
            "2010",
            id="de-to-en",
        ),
        pytest.param(
            ["When was the agreement signed?", "请用中文再说一遍这个日期"],
            "signing_date",
            "zh",
            "6月20日",
            id="en-to-zh",
        ),
    ],
)
def test_a_detail_of_the_last_answer_is_given_again_in_the_language_asked(
    converse: Converse, turns: list[str], intent: str, lang: str, shown: str
) -> None:
    """ "The year in English, please": the last answer (which gives it) again, in that language."""
    last = converse(turns)[-1]
    assert (last.outcome, last.intent, last.lang) == ("answered", intent, lang)
    assert shown in last.text


@pytest.mark.parametrize(
    ("turns", "years"),
    [
        # The last turn gives no date: counted from the turn before it, up to the event named.
        pytest.param(
            [
                "Wann kam Siemens in den Beirat des Bürgermeisters?",
                "Wer vertritt Siemens dort?",
                "Wie viele Jahre waren das bis zur Unterzeichnung?",
            ],
            "6",
            id="de",
        ),
        pytest.param(["西门子哪年设立重庆办事处？", "谁签的协议？", "到签约时一共多少年了？"], "28", id="zh"),
    ],
)
def test_years_up_to_an_event_count_from_an_earlier_turns_event(
    converse: Converse, turns: list[str], years: str
) -> None:
    """ "How many years by the time of the signing?" after an undated turn: from the dated one before."""
    last = converse(turns)[-1]
    assert last.outcome == "answered"
    assert years in last.text


@pytest.mark.parametrize(
    ("text", "counted"),
    [
        pytest.param("so how many years was that by the time of the signing", True, id="en"),
        pytest.param("wie viele jahre bis zur unterzeichnung", True, id="de"),
        # Up to now is no event of the release.
        pytest.param("how many years has it been until now", False, id="until-now"),
        pytest.param("how long did the ceremony take", False, id="no-until"),
    ],
)
def test_a_time_counted_up_to_a_point_is_found(text: str, counted: bool) -> None:
    assert moves.counted_until(text) is counted


def test_a_span_between_two_events_the_question_names_counts_those(converse: Converse) -> None:
    """ "How many years between the office and the branch?" after turns about the cooperation's
    start and the office: the two events it names (14 years), not the last two turns' (one year)."""
    last = converse(
        [
            "How long has Siemens worked with Chongqing?",
            "Was the office opened the same year?",
            "So how many years between the office and the branch?",
        ]
    )[-1]
    assert "14" in last.text, last.text


@pytest.mark.parametrize(
    "turns",
    [
        pytest.param(["Who is Yuan Jiajun?", "Is he the mayor?"], id="en"),
        pytest.param(["Wer ist Yuan Jiajun?", "Ist er der Bürgermeister?"], id="de"),
    ],
)
def test_a_title_put_to_the_person_just_named_is_checked_for_him(
    converse: Converse, turns: list[str]
) -> None:
    """ "Is he the mayor?" after a person's profile: "No", with the title the release gives him
    (read alone it was the known unknown about the post, which says nothing of him)."""
    last = converse(turns)[-1]
    assert last.text.startswith(("No –", "Nein –")) and last.intent == "person_yuan_jiajun", last.text


def test_an_ordinal_before_a_question_of_its_own_points_at_that_person(converse: Converse) -> None:
    """ "Und der zweite, was ist seine Funktion?" after the witnesses: the second one's profile,
    and "Hat er etwas gesagt?" then asks of him (was the witnesses again, then the one quote of the
    release, someone else's)."""
    replies = converse(
        ["Wer waren die Zeugen?", "Und der zweite, was ist seine Funktion?", "Hat er etwas gesagt?"]
    )
    assert replies[1].intent == replies[2].intent == "person_roland_busch"
    assert replies[2].text.startswith("Nein"), replies[2].text


@pytest.mark.parametrize(
    ("turns", "person"),
    [
        pytest.param(["Who is Xiao Song?", "Since when?"], "person_xiao_song", id="en"),
        pytest.param(["Wer ist Chen Xinwu?", "Seit wann?"], "person_chen_xinwu", id="de"),
        pytest.param(
            ["谁签署了协议？", "肖松是谁？", "他还担任什么职务？", "Since when?"],
            "person_xiao_song",
            id="zh-en",
        ),
    ],
)
def test_a_bare_since_when_after_a_person_is_asked_of_that_person(
    converse: Converse, turns: list[str], person: str
) -> None:
    """ "Since when?" after a person's profile: the release gives no one's time in a post (read
    alone it was the start of the company's cooperation with the city)."""
    last = converse(turns)[-1]
    assert (last.outcome, last.intent) == ("not_stated", person)


def test_a_thing_pointed_at_with_it_is_not_pulled_to_the_people_just_named(converse: Converse) -> None:
    """ "Who called it a milestone?" after turns about three people names its subject itself: the
    release's own words (was the profile of the last person asked about, as if he had said it)."""
    last = converse(
        [
            "What did Xiao Song say?",
            "Did Roland Busch say anything?",
            "What about Yuan Jiajun?",
            "Who called it a milestone?",
        ]
    )[-1]
    assert last.intent == "milestone", last.text


def test_going_back_to_a_turn_asks_its_subject_what_its_answer_gives(converse: Converse) -> None:
    """ "Go back to the office: in which city was it?": "it" is the office, whose answer gives the
    city (was read alone: where the agreement was signed, which the release does not say)."""
    last = converse(
        [
            "When was the office opened?",
            "No, I meant the branch.",
            "And the cooperation in general?",
            "Go back to the office: in which city was it?",
        ]
    )[-1]
    assert (last.outcome, last.intent) == ("answered", "office_1996")


def test_a_pronoun_question_answered_of_a_post_keeps_the_chat_on_that_person(converse: Converse) -> None:
    """ "Is he the mayor?" is answered with what the release says of the post, which names other
    people; "did he also sign for Siemens?" is still about the one the chat was about (was the
    known unknown about the post again)."""
    last = converse(["Who signed for Chongqing?", "Is he the mayor?", "Did he also sign for Siemens?"])[-1]
    assert last.intent == "person_chen_xinwu" and last.text.startswith("No"), last.text


@pytest.mark.parametrize(
    ("turns", "intent"),
    [
        # the question itself asks who: "he" is the one it names, not the chat's last person
        pytest.param(
            ["Who is Chen Xinwu?", "Who signed for Siemens, was he the CEO?", "Did he say anything?"],
            "xiao_song_statement",
            id="en-who-asked",
        ),
        # 其他 ("other") is no pronoun
        pytest.param(
            ["博乐仁是谁？", "代表重庆签字的是谁？还有其他人吗？", "他说了什么？"], None, id="zh-qita"
        ),
    ],
)
def test_a_pronoun_question_that_names_someone_new_moves_the_chat(
    converse: Converse, turns: list[str], intent: str | None
) -> None:
    """A reviewer's counterexamples (review19) to keeping the chat on its person."""
    last = converse(turns)[-1]
    assert last.intent != "person_roland_busch" and (intent is None or last.intent == intent), last.text


@pytest.mark.parametrize(
    ("turns", "intent", "named"),
    [
        # "With whom" after a place the agreement was not made with: the parties.
        pytest.param(["Did Siemens sign with Chengdu?", "Then with whom?"], "parties", "Chongqing", id="en"),
        pytest.param(["Did Siemens sign with Chengdu?", "Mit wem dann?"], "parties", "Chongqing", id="de"),
        pytest.param(["西门子是和成都签的协议吗？", "那是和谁签的？"], "parties", "重庆", id="zh"),
        # "Who" after a person who did not sign: who did (not his profile again).
        pytest.param(["Did Roland Busch sign it?", "Then who did?"], "signatories", "Xiao Song", id="who"),
        pytest.param(["Hat Roland Busch unterschrieben?", "Wer dann?"], "signatories", "Xiao Song", id="wer"),
    ],
)
def test_then_who_after_a_yes_no_question_asks_it_openly(
    converse: Converse, turns: list[str], intent: str, named: str
) -> None:
    """ "Then with whom?" after "Did Siemens sign with Chengdu?" is that question asked openly,
    without the place it named, not more about the fact the place led to."""
    last = converse(turns)[-1]
    assert (last.outcome, last.intent) == ("answered", intent)
    assert named in last.text


def test_who_then_after_an_open_question_is_no_such_move(converse: Converse) -> None:
    """After a question that asked no yes or no, "who then?" is not read as that question asked
    openly (there was nothing to deny)."""
    last = converse(["Who is Roland Busch?", "Who then?"])[-1]
    assert last.intent != "signatories"


@pytest.mark.parametrize(
    ("turns", "intent"),
    [
        # The last answer named both signatories; "he" is the one the question asked for.
        pytest.param(
            ["Who signed it for Siemens?", "What else does he do?"], "person_xiao_song", id="en-else"
        ),
        pytest.param(
            ["Who signed it for Siemens?", "Tell me more about him"], "person_xiao_song", id="en-more"
        ),
        pytest.param(
            ["Who signed for the city?", "Tell me more about him."], "person_chen_xinwu", id="en-city"
        ),
        pytest.param(
            ["Wer hat für Siemens unterschrieben?", "Erzähl mir mehr über ihn"], "person_xiao_song", id="de"
        ),
        # After one person's profile, more about him is more of what that profile links to.
        pytest.param(["Who is Xiao Song?", "Tell me more about him"], "xiao_song_statement", id="en-one"),
    ],
)
def test_more_about_him_after_several_people_is_more_of_the_one_meant(
    converse: Converse, turns: list[str], intent: str
) -> None:
    """ "What else does he do?" after who signed for the company: that signatory's profile, not
    every fact the signatories' answer links to (the witnesses)."""
    last = converse(turns)[-1]
    assert (last.outcome, last.intent) == ("answered", intent)


def test_since_when_after_his_role_with_he_in_the_question_is_asked_of_him(converse: Converse) -> None:
    """ "Seit wann?" after "Und welche Rolle hat er beim Bürgermeister?": since when he holds that
    role, which the release does not say; not the company's membership year (2018), which the
    question read with "er" alone was switched to."""
    turns = [
        "Wer ist Xiao Song?",
        "Was hat er über Chongqing gesagt?",
        "Und welche Rolle hat er beim Bürgermeister?",
        "Seit wann?",
    ]
    last = converse(turns)[-1]
    assert last.outcome == "not_stated"
    assert "2018" not in last.text.split("\n")[0]
    assert last.intent != "advisory_council"


def test_a_sibling_asked_of_the_last_deed_keeps_the_deed(converse: Converse) -> None:
    """ "Und Yuan Jiajun?" after "Wann hat Roland Busch ... unterschrieben?": whether and when Yuan
    signed, corrected as the last premise was (he did not sign); not "when" of Yuan alone, which
    says only that a date is not stated, as if he had signed."""
    last = converse(["Wann hat Roland Busch die Vereinbarung unterschrieben?", "Und Yuan Jiajun?"])[-1]
    assert last.intent == "person_yuan_jiajun"
    assert not last.text.startswith("Nicht in der Pressemitteilung: wann")
    assert "nicht" in last.text


@pytest.mark.parametrize(
    ("turns", "wanted"),
    [
        # Two dated turns of one year: the days between them.
        pytest.param(
            [
                "Wann wurde die Rahmenvereinbarung unterzeichnet?",
                "Und wann wurde die Pressemitteilung veröffentlicht?",
                "Wie viele Tage liegen dazwischen?",
            ],
            "5 Tage",
            id="de-days",
        ),
        # Two dated turns that no one fact names together: counted from their events.
        pytest.param(
            [
                "When was the office upgraded to a branch?",
                "And when did Siemens join the mayor's advisory group?",
                "How many years between the two?",
            ],
            "8 years",
            id="en-years-no-fact-names-both",
        ),
    ],
)
def test_the_time_between_two_dated_turns_is_counted(
    converse: Converse, turns: list[str], wanted: str
) -> None:
    last = converse(turns)[-1]
    assert last.outcome == "answered"
    assert wanted in last.text


@pytest.mark.parametrize(
    ("turns", "wanted"),
    [
        pytest.param(
            ["Wann hat Siemens das Büro in Chongqing eröffnet?", "Wie lange ist das her?"], "28", id="de"
        ),
        pytest.param(["西门子哪年在重庆设立办事处？", "那是多久以前？"], "28年", id="zh"),
        pytest.param(
            ["When did Siemens start working with Chongqing?", "How long ago was that?"], "29", id="en"
        ),
    ],
)
def test_how_long_ago_after_a_dated_answer_is_counted_up_to_the_release(
    converse: Converse, turns: list[str], wanted: str
) -> None:
    """ "How long ago was that?" after the office's year: the years up to the release's own date
    (today is no fact), not the year again nor a list of suggestions."""
    last = converse(turns)[-1]
    assert last.outcome == "answered"
    assert wanted in last.text


@pytest.mark.parametrize(
    ("turns", "opening"),
    [
        pytest.param(["这次合作涉及哪些领域？", "包括医疗吗？"], "不是", id="zh-no"),
        pytest.param(["What areas does the agreement cover?", "Includes healthcare?"], "No", id="en-no"),
        pytest.param(
            ["What areas does the agreement cover?", "Including smart transportation?"], "Yes", id="en-yes"
        ),
        pytest.param(
            ["In welchen Bereichen soll die Zusammenarbeit gestärkt werden?", "Auch Gesundheit?"],
            "Nein",
            id="de-no",
        ),
    ],
)
def test_includes_x_after_a_list_is_asked_of_that_list(
    converse: Converse, turns: list[str], opening: str
) -> None:
    """ "包括医疗吗？" right after the areas names no subject: asked of the list just given (no, it
    names no such area), not read alone as off topic."""
    last = converse(turns)[-1]
    assert (last.outcome, last.intent) == ("answered", "areas")
    assert last.text.startswith(opening)


@pytest.mark.parametrize(
    "turns",
    [
        pytest.param(["Who is the mayor's economic advisor?", "Is he Roland Busch?"], id="en"),
        pytest.param(["Wer ist Xiao Song?", "Ist er Roland Busch?"], id="de"),
        pytest.param(["谁是市长的经济顾问？", "他就是博乐仁吗？"], id="zh"),
    ],
)
def test_is_he_someone_else_is_a_no(converse: Converse, turns: list[str]) -> None:
    """ "Is he Roland Busch?" after the advisor (Xiao Song): no, two different people, with the
    advisor's profile; not Busch's profile as if he were the one meant."""
    last = converse(turns)[-1]
    assert (last.outcome, last.intent) == ("answered", "person_xiao_song")
    assert last.text.startswith(("No –", "Nein –", "不是"))


def test_is_he_the_same_one_is_no_such_no(converse: Converse) -> None:
    """Near miss: "Is he Xiao Song?" about Xiao Song himself is no two people."""
    last = converse(["Who is Xiao Song?", "Is he Xiao Song?"])[-1]
    assert not last.text.startswith("No")


def test_a_clause_after_and_is_a_question_of_its_own(converse: Converse) -> None:
    """ "Und Siemens arbeitet seit 1995 mit Chongqing zusammen?" after a date check of the signing
    is no sibling subject put in the last question (that read a "Nein" of the signing's date)."""
    last = converse(
        [
            "Wurde die Vereinbarung am 25. Juni unterzeichnet?",
            "Und Siemens arbeitet seit 1995 mit Chongqing zusammen?",
        ]
    )[-1]
    assert last.intent == "cooperation_since_1995"
    assert not last.text.startswith("Nein")


def test_who_then_after_a_pronoun_that_did_not_sign(converse: Converse) -> None:
    """ "hat er unterschrieben?" - "wer dann?": "er" stood where "wer" now does."""
    turns = ["Wer ist Yuan Jiajun?", "hat er unterschrieben?", "wer dann?"]
    last = converse(turns)[-1]
    assert last.intent == "signatories"


@pytest.mark.parametrize(
    "turns",
    [
        pytest.param(["什么是东数西算", "西门子在其中做了什么", "还有其他例子吗"], id="zh"),
        pytest.param(
            ["What does Siemens do in the East Data West Computing hub?", "Any other examples?"], id="en"
        ),
        pytest.param(
            ["Was macht Siemens beim Knotenpunkt Ostdaten Westrechnen?", "Gibt es weitere Beispiele?"],
            id="de",
        ),
    ],
)
def test_other_examples_are_more_of_what_the_last_answer_links_to(
    converse: Converse, turns: list[str]
) -> None:
    """ "还有其他例子吗" after one of the projects: the other projects (what that answer links to),
    not "no other companies are named"."""
    last = converse(turns)[-1]
    assert (last.outcome, last.intent) == ("answered", "contribution")
