"""A question about a thing no part of the fact base mentions is told so, with what the release
says instead, rather than answered with the nearest fact; questions about what the release does
name are answered as before (each language; wordings written for these tests)."""

from __future__ import annotations

import pytest

from bot.core.engine import Engine
from bot.core.reasoning.detail import Vocabulary
from bot.core.unmentioned import Lexicon


@pytest.mark.parametrize(
    ("question", "word"),
    [
        # A company in a party's place: the parties are what the release says instead.
        pytest.param("Is Evonik a party to the agreement?", "Evonik", id="en-company-party"),
        # A thing asked after with "which": the nearest fact is no answer.
        pytest.param("Which law governs the deal?", "law", id="en-which-law"),
        # Yes/no about an object: German capitalises it, the rest of the question stays lower case.
        pytest.param("War Olaf Scholz Zeuge der Unterzeichnung?", "Olaf Scholz", id="de-person"),
        pytest.param(
            "Does the talent training come with scholarships?", "scholarships", id="en-training-object"
        ),
        # Someone the release never names, as one name.
        pytest.param("Was Angela Merkel a witness?", "Angela Merkel", id="en-unnamed-person"),
        # Chinese: a stretch no known pair of characters covers, before 吗 or a mere head (建设).
        pytest.param("西门子参与重庆体育馆建设吗？", "体育馆", id="zh-object-before-head"),
        pytest.param("西門子參與重慶體育館建設嗎？", "體育館", id="zh-traditional"),
        # An open question about a company written in capitals: not the agreement as its news.
        pytest.param("What did BASF announce in Chongqing?", "BASF", id="en-capitals-open"),
        pytest.param("What did ABB sign with Chongqing?", "ABB", id="en-capitals-three"),
    ],
)
def test_a_question_about_an_unmentioned_thing_says_so(engine: Engine, question: str, word: str) -> None:
    reply = engine.reply(question)
    assert not reply.answered
    assert reply.outcome == "unknown"
    head, _, said = reply.text.partition("\n")
    assert word in head
    assert said  # what the release says instead follows


@pytest.mark.parametrize(
    ("question", "words"),
    [
        pytest.param("Does the deal cover hospitals?", ("hospitals",), id="en-yes-no"),
        pytest.param("Which stadium is involved?", ("stadium",), id="en-which"),
        pytest.param("Was Olaf Scholz there?", ("Olaf Scholz",), id="en-name-is-one"),
        pytest.param("Who was the photographer at the ceremony?", ("photographer",), id="en-who-was-the"),
        pytest.param("What is the goal of the agreement?", (), id="en-what-is-the-known"),
        pytest.param("What is the whole thing for, in short?", (), id="en-what-is-the-whole"),
        pytest.param("Gehören Ladesäulen dazu?", ("Ladesäulen",), id="de-capitalised"),
        pytest.param("gehören ladesäulen dazu?", ("ladesäulen",), id="de-all-lower-case"),
        pytest.param("合作包括充电桩吗？", ("充电桩",), id="zh-yes-no"),
        # Near misses: known words, forms of them and typos of them; frames, pronouns, verbs.
        pytest.param("Does the deal cover data centers?", (), id="en-known-spelling"),
        pytest.param("Does the deal cover digitalisaton?", (), id="en-typo"),
        pytest.param("Who signed the deal, and what's the airport called?", (), id="en-not-yes-no-not-which"),
        pytest.param("Which law applies to it?", ("law",), id="en-which-then-verb"),
        pytest.param("Hat Siemens beim Bau mitgemischt?", (), id="de-lower-case-verb"),
        # A German question opened by a verb the yes/no reading does not list asks nothing here
        # (its nouns are as often the asker's frame: "Stichwort", "Gerücht").
        pytest.param("Unterstützt Siemens dort Seilbahnen?", (), id="de-other-verb-first"),
        pytest.param("Did anybody else sign?", (), id="en-pronoun"),
        pytest.param("Was it signed in July?", (), id="en-month"),
        pytest.param("所以是肖松签的字，对吗？", (), id="zh-frame-word"),
        pytest.param("西门子有协助重庆兴建地铁吗？", (), id="zh-verb-before-known"),
    ],
)
def test_the_lexicon_finds_the_unmentioned_thing(
    engine: Engine, question: str, words: tuple[str, ...]
) -> None:
    lang = engine.reply(question).lang
    assert engine.lexicon.unmentioned(question, lang) == words


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # Near misses: the same frames about what the release does name stay answered.
        pytest.param(
            "Is the Chongqing Municipal People's Government a party?", "People's Government", id="en-party"
        ),
        pytest.param("Hat Xiao Song die Vereinbarung unterschrieben?", "Xiao Song", id="de-signed"),
        pytest.param("Which areas does the agreement cover?", "digitali", id="en-which-areas"),
        pytest.param(
            "Gehören U-Bahnlinien zu den Projekten von Siemens in Chongqing?", "U-Bahn", id="de-metro"
        ),
        pytest.param(
            "Does Siemens help build data centres in Chongqing?", "data centre", id="en-data-centres"
        ),
        pytest.param("西门子参与了重庆地铁建设吗？", "轨道交通", id="zh-metro"),
        # Words the fact base never uses that name no thing: a German verb in lower case, a
        # pronoun, a Chinese verb before a known word.
        pytest.param("Hat Siemens beim Bau der U-Bahn in Chongqing mitgeholfen?", "U-Bahn", id="de-verb"),
        pytest.param("Is Xiao Song an adviser to anybody in Chongqing?", "Xiao Song", id="en-pronoun"),
        pytest.param("西门子有协助重庆兴建地铁吗？", "轨道交通", id="zh-verb-before-known"),
        # Capitals the release uses, and a message typed all in capitals.
        pytest.param(
            "What does the CPC Chongqing Municipal Committee secretary do?", "Yuan Jiajun", id="cpc"
        ),
        pytest.param("WHO SIGNED THE AGREEMENT FOR SIEMENS?", "Xiao Song", id="all-capitals"),
        pytest.param("When was the agreement signed? ZEBRA7741", "20 June", id="capitals-in-a-code"),
    ],
)
def test_a_question_about_what_the_release_names_is_answered(
    engine: Engine, question: str, expected: str
) -> None:
    reply = engine.reply(question)
    assert reply.answered, reply.text
    assert expected in reply.text


@pytest.mark.parametrize(
    ("question", "extra"),
    [
        # A word that only begins like a longer known one is not one of its forms.
        pytest.param("was it signed in munich", ("munich",), id="prefix-of-a-longer-word"),
        pytest.param("was it signed with the minister", ("minister",), id="unknown-after-with"),
        # Near misses: forms of known words stay known.
        pytest.param("was it signed in the municipality", (), id="a-form-two-letters-longer"),
        pytest.param("was it opened in the city", (), id="opened-beside-open"),
    ],
)
def test_a_date_check_reads_a_prefix_as_a_form_only_when_close(question: str, extra: tuple[str, ...]) -> None:
    vocabulary = Vocabulary(["The municipal government opened the office in the city.", "municipalit"])
    assert vocabulary.extra(question, question.replace(" ", "")) == extra


@pytest.mark.parametrize(
    ("question", "answered"),
    [
        pytest.param("Was the agreement signed in 2024 in Munich?", False, id="en-city-never-named"),
        pytest.param("Was the agreement signed in June 2024?", True, id="en-near-miss-month"),
    ],
)
def test_a_yes_to_a_date_needs_every_circumstance_known(
    engine: Engine, question: str, answered: bool
) -> None:
    reply = engine.reply(question)
    assert reply.answered is answered
    assert reply.text.startswith("Yes") is answered


@pytest.mark.parametrize(
    ("question", "outcome", "expected"),
    [
        # The Mayor's council is the city's own: "in China" places it, it asks for no other one.
        pytest.param(
            "Since when does Siemens sit on the advisory council in China?",
            "answered",
            "2018",
            id="en-council",
        ),
        pytest.param("Seit wann ist Siemens im Beirat in China?", "answered", "2018", id="de-council"),
        pytest.param("西门子何时加入中国的市长顾问团？", "answered", "2018", id="zh-council"),
        # Near misses: Siemens' own office and start in the country are not the city's.
        pytest.param(
            "When did Siemens open its first office in China?", "not_stated", "1996", id="en-office"
        ),
        pytest.param("Wann kam Siemens nach China?", "not_stated", "1995", id="de-start"),
    ],
)
def test_a_wider_place_binds_only_events_named_by_the_city(
    engine: Engine, question: str, outcome: str, expected: str
) -> None:
    reply = engine.reply(question)
    assert reply.outcome == outcome
    assert expected in reply.text


@pytest.mark.parametrize(
    ("question", "head", "first"),
    [
        # Roles swapped: corrected, each person with what they did, in the order asked.
        pytest.param("So Busch signed and Xiao Song witnessed, right?", "No", "Busch", id="en-swap"),
        pytest.param(
            "Hat also Yuan Jiajun unterschrieben und Chen Xinwu bezeugt, stimmt das?",
            "Nein",
            "Yuan",
            id="de-swap",
        ),
        pytest.param("所以是肖松见证、博乐仁签字的，对吗？", "不是", "肖松", id="zh-swap"),
        # Two people who both witnessed take the deed named after the second.
        pytest.param(
            "So Busch and Yuan Jiajun signed while Chen Xinwu witnessed, correct?",
            "No",
            "Busch",
            id="en-pair",
        ),
    ],
)
def test_swapped_roles_are_corrected(engine: Engine, question: str, head: str, first: str) -> None:
    reply = engine.reply(question)
    assert reply.answered
    assert reply.text.startswith(head)
    assert first in reply.text.split("\n")[0][:40]


@pytest.mark.parametrize(
    "question",
    [
        # Near misses: the roles as the release gives them, a question that is no statement put
        # for confirmation, a choice, a deed said before its doer, one word for two people.
        pytest.param("So Xiao Song signed while Busch witnessed, correct?", id="en-right-roles"),
        pytest.param("Did Busch sign while Xiao Song witnessed?", id="en-no-tag"),
        pytest.param("Did Busch sign or witness while Xiao Song signed, right?", id="en-choice"),
        pytest.param("It was signed by Busch and witnessed by Xiao Song, right?", id="en-passive"),
    ],
)
def test_other_questions_of_two_deeds_are_left_to_the_other_checks(engine: Engine, question: str) -> None:
    reply = engine.reply(question)
    assert not reply.text.startswith("No – Dr Roland Busch (President and CEO of Siemens AG) witnessed")


def test_one_deed_of_two_people_is_left_to_the_other_checks(engine: Engine) -> None:
    """ "Did X and Y sign?" names one deed: no pairing of deeds, the signatories' answer stands."""
    reply = engine.reply("Did Xiao Song and Chen Xinwu both sign it?")
    assert reply.answered
    assert "Xiao Song" in reply.text and "Chen Xinwu" in reply.text


@pytest.mark.parametrize(
    "question",
    [
        # review9: adverbs, frames and modifiers of known words in English yes/no questions are
        # no things the release fails to mention; the answer stands without a "does not mention".
        pytest.param("Is it accurate that the cooperation started in 1995?", id="en-frame-accurate"),
        pytest.param("Is it plausible that the office opened in 1996?", id="en-frame-plausible"),
        pytest.param("Is it safe to assume that it covers talent training?", id="en-infinitive"),
        pytest.param("Did Roland Busch merely witness the signing?", id="en-adverb"),
        pytest.param("Was the office elevated to a branch in 2010?", id="en-participle"),
        pytest.param("Is Siemens a longtime partner of the city?", id="en-modifier"),
        pytest.param("Did the delegations sign on 20 June 2024?", id="en-subject"),
        # "drive" as in driving a change is no car.
        pytest.param("Does Siemens drive the digital transformation of companies?", id="en-drive-change"),
        pytest.param("What technology drives the cooperation?", id="en-drives-what"),
    ],
)
def test_ordinary_words_of_an_answerable_question_are_not_unmentioned(engine: Engine, question: str) -> None:
    reply = engine.reply(question)
    first = reply.text.split("\n")[0]
    assert "does not mention" not in first and "Not in the press release" not in first, reply.text


@pytest.mark.parametrize(
    ("question", "aspect"),
    [
        # Whether it is the first or only one of its kind: a release ranks nothing among others.
        pytest.param(
            "Is this the first such deal Siemens signed in China?", "first, only", id="en-first-such"
        ),
        pytest.param(
            "Ist das die erste Vereinbarung dieser Art zwischen Siemens und Chongqing?",
            "erste, einzige",
            id="de-dieser-art",
        ),
        pytest.param("这是西门子签的首份此类协议吗？", "首个、唯一", id="zh-shoufen"),
        # The car someone drives is a personal detail, not their profile.
        pytest.param("What car does Chen Xinwu drive?", "personal details", id="en-car"),
        pytest.param("Welchen Dienstwagen fährt Roland Busch?", "persönliche Angaben", id="de-dienstwagen"),
        pytest.param("陈新武开什么车？", "个人信息", id="zh-car"),
    ],
)
def test_a_rank_or_a_personal_detail_is_not_stated(engine: Engine, question: str, aspect: str) -> None:
    reply = engine.reply(question)
    assert not reply.answered
    assert aspect in reply.text.split("\n")[0]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # Near misses: "first" of an event the release dates, the one office, the only quote.
        pytest.param("When did Siemens first cooperate with Chongqing?", "1995", id="en-first-cooperate"),
        pytest.param(
            "Wann hat Siemens sein erstes Büro in Chongqing eröffnet?", "1996", id="de-erstes-buero"
        ),
        pytest.param("西门子在重庆的第一个办事处是哪年设立的？", "1996", id="zh-first-office"),
        pytest.param("Who is the only person quoted in the release?", "Xiao Song", id="en-only-quoted"),
    ],
)
def test_first_of_what_the_release_dates_is_answered(engine: Engine, question: str, expected: str) -> None:
    reply = engine.reply(question)
    assert reply.answered, reply.text
    assert expected in reply.text


@pytest.mark.parametrize(
    ("question", "person"),
    [
        # Who leads a body is the holder of its top title, not another officer of the company nor
        # the unnamed mayor.
        pytest.param("Who runs Siemens AG?", "Roland Busch", id="en-siemens-ag"),
        pytest.param("Who is in charge of Siemens AG these days?", "Roland Busch", id="en-in-charge"),
        pytest.param("Who runs the CPC committee in Chongqing?", "Yuan Jiajun", id="en-committee"),
        pytest.param("Who is the city's party chief?", "Yuan Jiajun", id="en-party-chief"),
        # Near misses: the head of the China business is another person; the mayor is not named.
        pytest.param("Who runs Siemens China?", "Xiao Song", id="en-siemens-china"),
    ],
)
def test_who_leads_a_body_is_its_head(engine: Engine, question: str, person: str) -> None:
    reply = engine.reply(question)
    assert reply.answered
    assert person in reply.text[:40]  # the profile of the one asked for opens the answer


def test_the_unnamed_mayor_stays_unnamed(engine: Engine) -> None:
    """The title of an office no person of the release holds names no one."""
    reply = engine.reply("Who leads the city government of Chongqing as mayor?")
    assert not reply.answered


def test_the_lexicon_reads_the_questions_the_matcher_normalised(engine: Engine) -> None:
    """Built from the matcher's normalised questions, the lexicon holds what it holds built alone."""
    alone = Lexicon(engine.kb, engine.matcher.corrects)
    for question in ("Does the deal cover hospitals?", "合作包括充电桩吗？", "Which law applies to it?"):
        assert alone.unmentioned(question, "en") == engine.lexicon.unmentioned(question, "en")


@pytest.mark.parametrize(
    "question",
    [
        pytest.param("Does Siemens build the airport in Chongqing?", id="airport"),
        pytest.param("Is Siemens building a football stadium in Chongqing?", id="stadium"),
        # a name before the thing is its modifier (was answered with the metro's fact)
        pytest.param("Does Siemens support the construction of the Chongqing airport?", id="city-airport"),
    ],
)
def test_a_word_only_off_topic_questions_use_is_not_mentioned(engine: Engine, question: str) -> None:
    """A word the off-topic questions use ("How do I get from the airport to downtown?") is still
    one no fact mentions: a yes/no about it is not answered with the nearest fact's yes."""
    reply = engine.reply(question)
    assert not reply.answered, reply.text
