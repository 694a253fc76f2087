"""Answers computed from the typed facts (knowledge/typed_facts.yaml) through the engine: differences,
orders, counts, yes/no checks, premises, a day asked where only the year is known, the key facts;
and questions the typed facts must leave to the engine. Each kind in de, en and zh."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.engine import Engine
from tests.engines import engine_of, real_engine

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def engine() -> Engine:
    return real_engine()


@pytest.mark.parametrize(
    ("question", "outcome", "wanted"),
    [
        # (1) computations: years between two events, days between two full dates, order, counts
        pytest.param(
            "How many years passed between the start of the cooperation and joining the advisory group?",
            "answered",
            ["23 years", "1995", "2018"],
            id="en-years-between",
        ),
        pytest.param(
            "Wie viele Jahre lagen zwischen dem Beginn der Zusammenarbeit und dem Beitritt zum Beirat?",
            "answered",
            ["23 Jahre"],
            id="de-years-between",
        ),
        pytest.param("从开始合作到加入咨询顾问团相隔多少年？", "answered", ["23年"], id="zh-years-between"),
        # the office (1996) to the branch (2010): an upgrade, read as two events
        pytest.param(
            "How long did it take to upgrade the office to a branch?",
            "answered",
            ["14 years"],
            id="en-office-to-branch",
        ),
        pytest.param(
            "How many days after the signing was the press release published?",
            "answered",
            ["5 days"],
            id="en-days-between",
        ),
        pytest.param(
            "Which came first, the office or the advisory group?",
            "answered",
            ["office in Chongqing (1996) came first"],
            id="en-which-first",
        ),
        pytest.param(
            "Was war zuerst, das Büro oder die Niederlassung?",
            "answered",
            ["Zuerst kam die Eröffnung des Büros"],
            id="de-which-first",
        ),
        pytest.param("办事处和分公司哪个先？", "answered", ["先是重庆办事处设立"], id="zh-which-first"),
        pytest.param("Was the office opened before 2000?", "answered", ["Yes", "1996"], id="en-before-year"),
        pytest.param(
            "Wurde die Niederlassung vor dem Büro eröffnet?",
            "answered",
            ["Nein", "war später als"],
            id="de-before-event-no",
        ),
        pytest.param(
            "How many people from Siemens are named?",
            "answered",
            ["two people", "Roland Busch", "Xiao Song"],
            id="en-count-org",
        ),
        pytest.param(
            "Wie viele Personen von Siemens werden genannt?", "answered", ["zwei Personen"], id="de-count-org"
        ),
        pytest.param("西门子方面有几位人物？", "answered", ["共两位", "肖松"], id="zh-count-org"),
        # (2) yes/no and verification
        pytest.param("Was it signed in 2023?", "answered", ["No", "20 June 2024"], id="en-signed-wrong-year"),
        pytest.param(
            "Wurde die Vereinbarung 2024 unterzeichnet?",
            "answered",
            ["Ja", "20. Juni 2024"],
            id="de-signed-right-year",
        ),
        pytest.param("是2023年签的吗？", "answered", ["不是", "2024年6月20日"], id="zh-signed-wrong-year"),
        pytest.param("Was it signed on 25 June 2024?", "answered", ["No", "20 June 2024"], id="en-wrong-day"),
        pytest.param(
            "Is water treatment one of the areas of cooperation?",
            "answered",
            ["No", "industrial digitalization", "talent training"],
            id="en-area-no",
        ),
        pytest.param(
            "Gehört Verkehr zu den Bereichen?",
            "answered",
            ["Ja", "intelligenter Transport"],
            id="de-area-yes",
        ),
        pytest.param("医疗是合作领域之一吗？", "answered", ["不是", "工业数字化"], id="zh-area-no"),
        # a business area of Siemens is not checked against the areas of the agreement
        pytest.param(
            "Is Smart Infrastructure one of Siemens' business areas?",
            "answered",
            ["Yes", "Smart Infrastructure"],
            id="en-business-area-yes",
        ),
        pytest.param(
            "Did both witnesses come from Siemens?",
            "answered",
            ["No", "Yuan Jiajun", "Roland Busch"],
            id="en-both-witnesses",
        ),
        pytest.param(
            "Kamen beide Zeugen von Siemens?", "answered", ["Nein", "Yuan Jiajun"], id="de-both-witnesses"
        ),
        pytest.param("两位见证人都来自西门子吗？", "answered", ["不是", "袁家军"], id="zh-both-witnesses"),
        pytest.param(
            "Did Roland Busch sign the agreement?",
            "answered",
            ["No", "did not sign", "Chen Xinwu"],
            id="en-deed-no",
        ),
        pytest.param(
            "Hat Xiao Song die Vereinbarung unterschrieben?",
            "answered",
            ["Ja", "unterzeichnet"],
            id="de-deed-yes",
        ),
        # (3) premises: a deed a person did not do, a city the release does not name, a day where
        # only the year is known (said as the engine says it, with the event's own answer)
        pytest.param(
            "When did Roland Busch sign the agreement?",
            "unknown",
            ["did not sign", "Xiao Song", "witnessed the signing on 20 June 2024"],
            id="en-deed-premise",
        ),
        pytest.param(
            "袁家军是什么时候签署协议的？", "unknown", ["并未签署协议", "陈新武"], id="zh-deed-premise"
        ),
        pytest.param(
            "Wann hat Xiao Song die Unterzeichnung bezeugt?",
            "unknown",
            ["war nicht Zeuge", "Yuan Jiajun"],
            id="de-deed-premise",
        ),
        pytest.param(
            "When did Siemens sign its agreement with Hangzhou?",
            "unknown",
            ["Chongqing only", "Hangzhou", "20 June 2024"],
            id="en-place-premise",
        ),
        pytest.param(
            "Wann hat Siemens die Vereinbarung mit Chengdu unterzeichnet?",
            "unknown",
            ["Chengdu", "20. Juni 2024"],
            id="de-place-premise",
        ),
        # A province the release does not name is corrected like a city.
        pytest.param(
            "Why did Siemens agree on the cooperation with the Yunnan provincial government?",
            "unknown",
            ["Chongqing only", "Yunnan"],
            id="en-province-premise",
        ),
        pytest.param("西门子和四川省签署协议了吗？", "unknown", ["重庆"], id="zh-province-premise"),
        pytest.param(
            "On which day of 2018 did Siemens join the advisory group?",
            "not_stated",
            ["Not in the press release: the exact day.", "Since 2018"],
            id="en-day-of-a-year",
        ),
        pytest.param(
            "In welchem Monat wurde 1996 das Büro eröffnet?",
            "not_stated",
            ["Nicht in der Pressemitteilung: der genaue Tag.", "1996"],
            id="de-month-of-a-year",
        ),
        pytest.param(
            "办事处是1996年几月几号设立的？",
            "not_stated",
            ["新闻稿未提及：具体日期。", "1996年"],
            id="zh-day-of-a-year",
        ),
        # a yes/no question on a month where only the year is known
        pytest.param(
            "Was the office opened in June 1996?", "not_stated", ["the exact day"], id="en-yesno-month"
        ),
        # (4) the key facts, composed
        pytest.param(
            "What are the key facts?",
            "answered",
            ["20 June 2024", "1995", "Xiao Song", "smart transportation"],
            id="en-key-facts",
        ),
        pytest.param(
            "Fasse die wichtigsten Fakten zusammen",
            "answered",
            ["20. Juni 2024", "Unterzeichnet von"],
            id="de-key-facts",
        ),
        pytest.param("这条新闻的要点是什么？", "answered", ["2024年6月20日", "见证人"], id="zh-key-facts"),
        # (5) every person named, with who signed and who witnessed
        pytest.param(
            "Which persons does the announcement mention?",
            "answered",
            ["four people", "Signed by", "Witnessed by"],
            id="en-people-named",
        ),
        pytest.param(
            "Welche Leute werden im Text alle genannt?",
            "answered",
            ["vier Personen", "Unterzeichnet von"],
            id="de-people-named",
        ),
        pytest.param("稿件里提到了哪些人物？", "answered", ["四位", "见证人"], id="zh-people-named"),
        # The key facts about one thing are that thing's answer, not the whole summary.
        pytest.param(
            "Main takeaways about the talent training?", "answered", ["talent training"], id="en-takeaways-on"
        ),
        pytest.param(
            "Top five takeaways of the announcement?",
            "answered",
            ["20 June 2024", "Xiao Song"],
            id="en-top-takeaways",
        ),
    ],
)
def test_computed_replies(engine: Engine, question: str, outcome: str, wanted: list[str]) -> None:
    """A question over the typed facts gets the computed reply, with its source."""
    reply = engine.reply(question)
    assert reply.outcome == outcome, reply.text
    assert all(w in reply.text for w in wanted), reply.text
    assert reply.sources


@pytest.mark.parametrize(
    ("question", "text"),
    [
        # Chengdu inside the name of the Chengdu-Chongqing hub is no conflict
        pytest.param("When did Siemens join the Chengdu-Chongqing hub?", "Chongqing only", id="hub-name"),
        # "how many people" about staff is not a count of named people (a known unknown)
        pytest.param("How many people work for Siemens in Chongqing?", "names two", id="staff-count"),
        pytest.param("重庆有多少人口？", "共两位", id="zh-population"),
        # a who-question names a person who is not the subject of the deed
        pytest.param("Who witnessed Xiao Song's signature?", "did not witness", id="who-question"),
        # German "was" is "what": a question, not a yes/no on a deed (the engine says "not stated")
        pytest.param("Was hat Chen Xinwu in seiner Rede betont?", "Nein –", id="de-was-is-what"),
        # a deed that holds, asked openly, is the engine's to answer from its intent
        pytest.param(
            "When did Xiao Song sign the agreement?", "The press release does not say that", id="deed-holds"
        ),
        # one year and no second point: nothing to compute
        pytest.param("How long ago was the agreement signed?", "years passed", id="one-point"),
    ],
)
def test_questions_left_to_the_engine(engine: Engine, question: str, text: str) -> None:
    """Questions the typed facts must not answer keep the engine's reply (no computed line)."""
    assert text not in engine.reply(question).text


def test_without_typed_facts_nothing_is_computed(tmp_path: Path) -> None:
    """A base without typed_facts.yaml answers as before: the wrong year is a corrected premise."""
    for path in (ROOT / "knowledge").rglob("*.yaml"):
        if path.name != "typed_facts.yaml":
            target = tmp_path / path.relative_to(ROOT / "knowledge")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    reply = engine_of(tmp_path).reply("Was it signed in 2023?")
    assert not reply.text.startswith("No –")


@pytest.mark.parametrize(
    ("question", "wanted", "unwanted"),
    [
        # a thing the agreement does not name: every list of the agreement is given
        pytest.param(
            "Gehört Wasseraufbereitung zur Vereinbarung?", ["Nein", "Bereiche", "Ziele"], [], id="de-no"
        ),
        pytest.param("Is the agreement about healthcare?", ["No", "areas", "goals"], [], id="en-no"),
        pytest.param("水处理包括在协议里吗？", ["不是", "合作领域", "合作目标"], [], id="zh-no"),
        # a goal is part of the agreement too, though not one of its areas
        pytest.param(
            "Is building a manufacturing centre part of the agreement?",
            ["Yes", "goals"],
            ["No"],
            id="en-goal-yes",
        ),
    ],
)
def test_membership_in_the_agreement(
    engine: Engine, question: str, wanted: list[str], unwanted: list[str]
) -> None:
    """ "Is X part of the agreement?" is checked against the areas and the goals together."""
    text = engine.reply(question).text
    assert all(w in text for w in wanted), text
    assert not any(u in text for u in unwanted), text


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        # a statement with a tag is a yes/no question too
        pytest.param(
            "Die Vereinbarung wurde 2023 unterzeichnet, oder?", ["Nein", "20. Juni 2024"], id="de-tag"
        ),
        # "before or after" gets what holds, without a yes or a no
        pytest.param(
            "Was the office opened before or after 2000?", ["(1996) came before 2000"], id="en-either"
        ),
        # two years of the release, no event named: still a question about it
        pytest.param("How many years between 1995 and 2018?", ["23 years"], id="en-release-years"),
    ],
)
def test_more_ways_to_ask(engine: Engine, question: str, wanted: list[str]) -> None:
    """Tags, alternatives and bare years of the release are read like the plain questions."""
    text = engine.reply(question).text
    assert all(w in text for w in wanted), text


def test_years_the_release_does_not_name_are_not_arithmetic(engine: Engine) -> None:
    """ "How many years between 1990 and 2000?" is no question about the release: no sum."""
    assert "10 years" not in engine.reply("How many years between 1990 and 2000?").text


@pytest.mark.parametrize(
    ("question", "unwanted"),
    [
        # Names of things, people in one role or one activity: not everyone the release names.
        pytest.param(
            "What are the names of the metro lines mentioned?", "four people", id="en-names-of-things"
        ),
        pytest.param(
            "Which people are named as the mayor of the city?", "four people", id="en-people-as-role"
        ),
        pytest.param("新闻稿提到了哪些人参加人才培养？", "四位", id="zh-people-in-an-activity"),
        # A focus the facts speak of is no premise to correct.
        pytest.param(
            "Given that the partnership centres on innovative technology, what is it meant to achieve?",
            "does not say that",
            id="en-focus-the-facts-speak-of",
        ),
        # The key facts about one thing: that thing, not the whole summary.
        pytest.param("Key takeaways on the advisory group?", "key facts", id="en-takeaways-on-one-thing"),
    ],
)
def test_near_misses_of_the_computed_lists(engine: Engine, question: str, unwanted: str) -> None:
    assert unwanted not in engine.reply(question).text


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        # a compound names the event ("Vertragsunterzeichnung"); "wie viel Zeit" asks for years
        pytest.param(
            "Wie viel Zeit verging zwischen Büroeröffnung und Vertragsunterzeichnung?",
            ["28 Jahre"],
            id="de-compound",
        ),
        # the framework agreement stands for its signing as a point in time
        pytest.param(
            "How many years did it take from the first cooperation to the framework agreement?",
            ["29 years"],
            id="en-agreement-as-signing",
        ),
        pytest.param(
            "Which is older, the office or the branch?",
            ["office in Chongqing (1996) came first"],
            id="en-older",
        ),
        # an organisation between "how many" and the people counted
        pytest.param(
            "How many Siemens representatives were at the signing?",
            ["two people from Siemens"],
            id="en-org-noun",
        ),
        # "when X, had Y already ...": Y (the subject, named by what changed it) before X
        pytest.param(
            "By the time the deal was inked, had Siemens already joined the advisory group?",
            ["Yes", "2018", "20 June 2024"],
            id="en-already-by-the-time",
        ),
        pytest.param(
            "At the time the cooperation began, had the office already opened?",
            ["No", "1996", "1995"],
            id="en-already-not-yet",
        ),
        pytest.param(
            "War das Büro schon zur Niederlassung aufgewertet, als Siemens dem Beirat beitrat?",
            ["Ja", "2010", "2018"],
            id="de-schon-als",
        ),
        pytest.param("签协议那时，办事处已经升级为分公司了吗？", ["是的", "2010年"], id="zh-yijing-nashi"),
        pytest.param("顧問團嘅事之前，辦事處已經升格咗未？", ["2010年", "2018年"], id="yue-wei"),
        # "already there in <year>": by that year, not in it
        pytest.param("Did the branch already exist in 2015?", ["Yes", "2010"], id="en-already-in-year"),
        pytest.param("Gab es 1995 schon ein Büro in Chongqing?", ["Nein", "1996"], id="de-schon-im-jahr"),
        # "how old was X when Y": the years between two events
        pytest.param(
            "How old was the branch at the time of the signing?",
            ["14", "2010", "2024"],
            id="en-how-old-thing",
        ),
        pytest.param(
            "Wie alt war das Büro, als Siemens dem Beirat beitrat?", ["22", "1996", "2018"], id="de-wie-alt"
        ),
        # "running since <year>": a start date to check, not a span ("valid until ...")
        pytest.param("Die Zusammenarbeit läuft seit 1999, oder?", ["Nein", "1995"], id="de-lauft-seit"),
        pytest.param("So the cooperation since 2001 - correct?", ["No", "1995"], id="en-cooperation-since"),
        pytest.param("西门子是1998年才进入重庆的吧？", ["不是", "1995年"], id="zh-jinru"),
        # Two items of a list named and the rest asked for: the whole list, whichever the wording
        # leans to (also when a framed question is read by its last clause).
        pytest.param(
            "Quick one for my notes - subway lines, data centers, what else?",
            ["metro", "data centres", "East Data"],
            id="en-rest-of-projects",
        ),
        pytest.param(
            "Rechenzentren und U-Bahn kenne ich schon. Welche weiteren Projekte?",
            ["U-Bahn", "Rechenzentren", "Ostdaten"],
            id="de-rest-of-projects",
        ),
        pytest.param(
            "除了地铁和数据中心，还有什么？", ["地铁", "数据中心", "东数西算"], id="zh-rest-of-projects"
        ),
        pytest.param(
            "Digitalization and training, and what else is covered?",
            ["green", "transport"],
            id="en-rest-of-areas",
        ),
        # The list named by its own word after something it does not hold: the whole list is all
        # the release names.
        pytest.param(
            "They are also building a new bridge there, I hear - what other projects are mentioned?",
            ["metro", "data centres"],
            id="en-other-projects-after-a-premise",
        ),
        pytest.param(
            "Siemens baut dort auch ein Krankenhaus. Welche weiteren Projekte nennt der Text?",
            ["U-Bahn", "Rechenzentren"],
            id="de-weitere-projekte",
        ),
        # Calling something a thing is words said: a person the release does not quote is
        # corrected with the one it quotes, asked yes/no or "what else did he say".
        pytest.param(
            "Did Busch call the city a powerhouse of the west?", ["No", "Xiao Song"], id="en-call-a-yesno"
        ),
        pytest.param(
            "What did Busch say about digitalization?", ["not quoted", "Xiao Song"], id="en-say-about-topic"
        ),
        pytest.param("博乐仁称重庆为西部明珠吗？", ["不是", "肖松"], id="zh-cheng-wei"),
        # A project the release does not name is no member of the list.
        pytest.param(
            "Is the new airport among Siemens' projects there?", ["No", "metro"], id="en-not-a-project"
        ),
        # Two items of one list asked about together: the whole list, not the item leaned to.
        pytest.param(
            "What metro and data centre work has Siemens done there?",
            ["metro", "data centres"],
            id="en-two-items-which",
        ),
        pytest.param(
            "西門子做過哪些地鐵和資料中心項目？", ["地鐵", "數據中心"], id="zh-traditional-two-items"
        ),
        # "是先……抑或先……" (written Cantonese and formal registers) asks for the order too.
        pytest.param("公司係先升格做分公司，抑或先入顧問團？", ["先是", "2010"], id="zh-yihuo-xian"),
        pytest.param("是先有办事处还是先有顾问团？", ["先是", "1996"], id="zh-shi-xian-haishi"),
        # The release named as "die Mitteilung", coming out ("kam raus") as its publication.
        pytest.param(
            "Wie viele Tage lagen zwischen Unterschrift und dem Tag, an dem die Mitteilung rauskam?",
            ["5 Tage"],
            id="de-mitteilung-rauskam",
        ),
    ],
)
def test_other_wordings_of_computations(engine: Engine, question: str, wanted: list[str]) -> None:
    """Compounds, the agreement as a date, "older" and "how many <org> <people>" are computed too."""
    text = engine.reply(question).text
    assert all(w in text for w in wanted), text


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        # a company the release never names, put in a party's place: corrected with the fact
        pytest.param(
            "Siemens Energy was one of the signing parties, right?",
            ["Siemens Energy", "Siemens Ltd., China"],
            id="en-tag",
        ),
        pytest.param("Hat Bosch die Unterzeichnung bezeugt?", ["Bosch", "Yuan Jiajun"], id="de-deed"),
        pytest.param("是华为和重庆签的协议吗？", ["华为", "西门子"], id="zh-yesno"),
    ],
)
def test_a_company_the_release_never_names_is_a_premise(
    engine: Engine, question: str, wanted: list[str]
) -> None:
    """ "X signed it, right?" with a company the release never names: not answered, corrected."""
    reply = engine.reply(question)
    assert reply.outcome == "unknown" and all(w in reply.text for w in wanted), (reply.outcome, reply.text)


@pytest.mark.parametrize(
    "question",
    [
        pytest.param("When will Tesla release its next model?", id="en-release"),
        pytest.param("Wann stellt Samsung das neue Handy vor?", id="de-phone"),
        pytest.param("小米什么时候发布新车？", id="zh-launch"),
    ],
)
def test_another_companys_news_is_off_topic(engine: Engine, question: str) -> None:
    """A question about a company the release never names, and nothing it does name."""
    assert engine.reply(question).outcome == "offtopic"


@pytest.mark.parametrize(
    ("question", "unwanted"),
    [
        # validity is no check of the signing date
        pytest.param("Is the framework agreement valid until 2030?", "No –", id="en-valid-until"),
        # a kind of person the facts do not type (Chinese officials) is not counted as everybody
        pytest.param("How many Chinese officials are named?", "names four people", id="en-untyped-kind"),
        pytest.param(
            "How many people from the Chinese side are named?", "names four people", id="en-untyped-side"
        ),
    ],
)
def test_near_misses_are_left_alone(engine: Engine, question: str, unwanted: str) -> None:
    """Questions that look like a check or a count but ask something the facts do not type."""
    assert unwanted not in engine.reply(question).text


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        # The cooperation's length up to an event: counted from its start (1995).
        pytest.param(
            "How many years of collaboration did the two sides have behind them at the signing?",
            ["29 years", "1995"],
            id="en-years-of-collaboration",
        ),
        pytest.param(
            "Auf wie viele Jahre Zusammenarbeit blickten beide bei der Unterzeichnung zurück?",
            ["29 Jahre"],
            id="de-jahre-zusammenarbeit",
        ),
        pytest.param("到发布新闻稿那天，双方合作已经多少年了？", ["29年"], id="zh-he-zuo-yi-jing"),
        # "From A to B, how long?": one question over two events, not two parts.
        pytest.param(
            "From the opening of the office to its upgrade, how many years went by?",
            ["14 years"],
            id="en-from-to-how-long",
        ),
        pytest.param("从加入顾问团到签约，一共过了几年？", ["6年"], id="zh-cong-dao-ji-nian"),
        # A negated verb first is a yes/no question too.
        pytest.param("Wasn't the agreement signed in 2022?", ["No", "20 June 2024"], id="en-wasnt"),
        pytest.param("Didn't the office open in 1996?", ["Yes", "1996"], id="en-didnt-holds"),
        # A year that is another event's: that event is said as well.
        pytest.param(
            "The office was opened in 2018, correct?",
            ["No", "1996", "2018", "Advisory"],
            id="en-year-of-other",
        ),
        pytest.param(
            "Ist das Büro 2010 eröffnet worden?", ["Nein", "1996", "Niederlassung"], id="de-year-of-other"
        ),
    ],
)
def test_spans_negations_and_years_of_other_events(engine: Engine, question: str, wanted: list[str]) -> None:
    """The length of the cooperation, "from A to B, how long", "isn't it ...?" and a wrong year
    that belongs to another event are computed and checked from the typed facts."""
    reply = engine.reply(question)
    assert reply.answered and all(w in reply.text for w in wanted), reply.text


def test_a_wrong_year_keeps_the_event_asked_about(engine: Engine) -> None:
    """The fact of the year asked is added, yet the reply stays about the event asked about."""
    assert engine.reply("Was the branch opened in 1996?").intent == "branch_2010"


@pytest.mark.parametrize(
    ("question", "outcome", "wanted"),
    [
        # A focus the release never names, taken for granted in a why-question: corrected.
        pytest.param(
            "Why is the deal mostly about healthcare?",
            "unknown",
            ["does not say", "transportation"],
            id="en-focus",
        ),
        pytest.param(
            "Wieso geht es bei der Kooperation vor allem um Landwirtschaft?",
            "unknown",
            ["nicht", "Transport"],
            id="de-focus",
        ),
        pytest.param("为什么这次合作主要侧重房地产？", "unknown", ["没有", "智慧交通"], id="zh-focus"),
        # The focus taken for granted in a clause the question builds on.
        pytest.param(
            "Given that the agreement centres on shipbuilding, which shipyards take part?",
            "unknown",
            ["does not say", "transportation"],
            id="en-given-that-centres-on",
        ),
        pytest.param(
            "Da sich die Vereinbarung um Raumfahrt dreht: welche Raketen sind geplant?",
            "unknown",
            ["nicht", "Transport"],
            id="de-da-sich-um-dreht",
        ),
        pytest.param("既然协议以核电为核心，涉及哪些电站？", "unknown", ["没有", "智慧交通"], id="zh-jiran"),
        # A focus on one of the areas, or on the areas as such, is no premise to correct.
        pytest.param(
            "Why is the agreement mainly about digitalization?", "answered", ["digitalization"], id="en-item"
        ),
        pytest.param(
            "Why does the cooperation focus mainly on the four areas?", "answered", ["four"], id="en-the-list"
        ),
    ],
)
def test_a_focus_the_release_never_names_is_a_premise(
    engine: Engine, question: str, outcome: str, wanted: list[str]
) -> None:
    """ "Why is the agreement mainly about X?" with an X that is none of its areas: not answered,
    corrected with the areas; one of them, or the areas, is left to the engine."""
    reply = engine.reply(question)
    assert reply.outcome == outcome and all(w in reply.text for w in wanted), (reply.outcome, reply.text)


@pytest.mark.parametrize(
    ("question", "outcome", "wanted"),
    [
        # The quoted person, named by name or by office, asked for a view: his words.
        pytest.param(
            "What does the boss of Siemens China think about Chongqing as a place?",
            "answered",
            ["dynamic"],
            id="en-view-by-office",
        ),
        pytest.param(
            "Was denkt Xiao Song eigentlich über die Stadt?", "answered", ["dynamisch"], id="de-denkt"
        ),
        pytest.param("西门子中国董事长如何看待重庆这座城市？", "answered", ["活力"], id="zh-ru-he-kan-dai"),
        # A person the release does not quote, asked for a view: not answered, the one quoted named.
        pytest.param(
            "What does Roland Busch think of the partnership?", "unknown", ["Xiao Song"], id="en-unquoted"
        ),
        pytest.param("陈新武如何评价这次合作？", "unknown", ["陈新武"], id="zh-unquoted"),
        # A view on a topic the quote does not cover is left to the engine (not the quote given).
        pytest.param("What does Xiao Song think about jobs?", "not_stated", [], id="en-view-on-other-topic"),
    ],
)
def test_a_persons_view_is_their_words(
    engine: Engine, question: str, outcome: str, wanted: list[str]
) -> None:
    """ "What does X think of ...?" asks for X's words: the quote for the person the release quotes
    (by name or office), "not quoted" for anyone else."""
    reply = engine.reply(question)
    assert reply.outcome == outcome and all(w in reply.text for w in wanted), (reply.outcome, reply.text)


@pytest.mark.parametrize(
    "question",
    [
        # One person by name, another's office beside it: the office is what is asked about.
        pytest.param("Is Chen Xinwu the chief executive of Siemens China?", id="en-office-of-another"),
        pytest.param("Ist Chen Xinwu der CEO von Siemens China?", id="de-office-of-another"),
    ],
)
def test_an_office_beside_a_name_is_the_title_asked_about(engine: Engine, question: str) -> None:
    """ "Is X the CEO of Y?" with another person's office: a title X does not hold, denied."""
    assert engine.reply(question).text.startswith(("No", "Nein")), engine.reply(question).text


def test_what_the_agreement_mainly_is_is_no_focus(engine: Engine) -> None:
    """ "Mainly a framework" says what the agreement is, not what it is about: nothing to correct."""
    assert "no such focus" not in engine.reply("Why is the agreement primarily a framework?").text


@pytest.mark.parametrize(
    ("question", "wanted", "unwanted"),
    [
        # What a known unknown is about gets that unknown, not "not part of it".
        pytest.param(
            "Enthält die Vereinbarung einen Investitionsbetrag?",
            "Investitionssumme",
            "Nein –",
            id="de-unknown",
        ),
        # An item of another list (Siemens' projects) is no "No" for the agreement's lists.
        pytest.param("Umfasst das Abkommen auch U-Bahn-Linien?", "U-Bahn", "Nein –", id="de-other-list"),
        # "the host city" is the party, not a role no one is named in.
        pytest.param(
            "Who put pen to paper for the host city?", "Chen Xinwu", "anyone else", id="en-host-city"
        ),
        # The successor of an office is a thing, not a post's next holder.
        pytest.param(
            "What became the successor of the Chongqing office from 1996?",
            "2010",
            "successors",
            id="en-successor-of",
        ),
        # "next after" a dated event is what followed it, not a plan.
        pytest.param(
            "What came next after the office was opened in 1996?", "2010", "future", id="en-next-after"
        ),
        # Presence at the signing is no deed of signing.
        pytest.param(
            "Was it signed in the presence of Roland Busch?", "witnessed", "No –", id="en-in-the-presence-of"
        ),
        # The roles the parties act in add no detail to a date question.
        pytest.param(
            "Was the deal signed on 20 June by two signatories?", "Yes", "does not say", id="en-roles"
        ),
    ],
)
def test_review_near_misses(engine: Engine, question: str, wanted: str, unwanted: str) -> None:
    text = engine.reply(question).text
    assert wanted in text and unwanted not in text, text


@pytest.mark.parametrize(
    ("question", "intent", "wanted"),
    [
        # An organisation's deed asked yes or no, read first as the deed's date: who the parties
        # are (the company that signed is Siemens' Chinese one), not when it was signed.
        pytest.param("Was the agreement signed by Siemens AG?", "parties", "Siemens Ltd., China", id="en"),
        pytest.param(
            "Wurde die Vereinbarung von der Siemens AG unterzeichnet?", "parties", "Siemens (China)", id="de"
        ),
        pytest.param(
            "Was the agreement signed by Siemens China?", "parties", "Siemens Ltd., China", id="en-china"
        ),
        pytest.param(
            "Was the agreement signed by the city government?", "signatories", "Chen Xinwu", id="en-city"
        ),
        # "Which company signed?": the organisations that signed, not who signed for them.
        pytest.param(
            "Welche Firma hat die Vereinbarung unterzeichnet?", "parties", "Siemens (China)", id="de-which"
        ),
        pytest.param("Which company signed the agreement?", "parties", "Siemens Ltd., China", id="en-which"),
        pytest.param(
            "这份协议是由西门子哪一家公司签署的？", "parties", "西门子（中国）有限公司", id="zh-which"
        ),
    ],
)
def test_an_organisations_deed_asked_yes_or_no_is_answered_by_who_did_it(
    engine: Engine, question: str, intent: str, wanted: str
) -> None:
    reply = engine.reply(question)
    assert (reply.outcome, reply.intent) == ("answered", intent)
    assert wanted in reply.text
    assert "20 June" not in reply.text


@pytest.mark.parametrize(
    ("question", "intent"),
    [
        # A title: not the parties (no signatory holds it: tests of the title checks below).
        pytest.param("The agreement was signed by the Mayor of Chongqing, correct?", None, id="mayor"),
        # Past the parties: not the parties' signatories.
        pytest.param(
            "Did any other companies sign similar deals with Chongqing that day?", None, id="others"
        ),
        # People witness, organisations sign: "which company witnessed it?" is the witnesses'.
        pytest.param("Which company witnessed it?", "witnesses", id="which-witnessed"),
    ],
)
def test_an_organisations_deed_with_a_title_or_others_is_left_to_the_engine(
    engine: Engine, question: str, intent: str | None
) -> None:
    reply = engine.reply(question)
    assert reply.intent not in ("parties", "signatories")
    if intent is not None:
        assert reply.intent == intent


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        pytest.param("Wie lange ist die Eröffnung des Büros her?", ["1996", "28 Jahre"], id="de"),
        pytest.param("多久以前开设的办事处？", ["1996", "28年"], id="zh"),
        pytest.param("How long ago did the cooperation start?", ["1995", "29 years"], id="en"),
    ],
)
def test_how_long_ago_counts_up_to_the_releases_own_date(
    engine: Engine, question: str, wanted: list[str]
) -> None:
    """Today is no fact: "how long ago" is counted up to the latest date the release gives (its
    publication), and says so."""
    reply = engine.reply(question)
    assert reply.outcome == "answered"
    assert all(w in reply.text for w in wanted)


@pytest.mark.parametrize(
    ("question", "no"),
    [
        pytest.param("Is Xiao Song Roland Busch?", True, id="en"),
        pytest.param("Ist Xiao Song derselbe wie Roland Busch?", True, id="de"),
        pytest.param("肖松就是博乐仁吗？", True, id="zh"),
        pytest.param("Is Xiao Song the same person as Roland Busch?", True, id="en-same-person"),
        # Two people and something else asked: not this check.
        pytest.param("Did Xiao Song sign with Chen Xinwu?", False, id="deed"),
        pytest.param("Is Xiao Song with Roland Busch?", False, id="with"),
    ],
)
def test_two_people_asked_to_be_one_are_two(engine: Engine, question: str, no: bool) -> None:
    reply = engine.reply(question)
    assert (
        " are two different people" in reply.text
        or "zwei verschiedene" in reply.text
        or "两个不同" in reply.text
    ) is no


@pytest.mark.parametrize(
    "question",
    [
        pytest.param("Hat der CEO von Siemens AG das Agreement selbst signed?", id="de-ceo-von"),
        pytest.param("Hat der CEO der Siemens AG unterschrieben?", id="de-ceo-der"),
    ],
)
def test_a_person_named_by_the_office_did_not_sign(engine: Engine, question: str) -> None:
    """The parent company's CEO, named by his office in German: he witnessed, he did not sign."""
    reply = engine.reply(question)
    assert (reply.intent, reply.text[:5]) == ("person_roland_busch", "Nein ")


@pytest.mark.parametrize(
    "question",
    [
        pytest.param("What does Xiao Song call Chongqing?", id="en"),
        pytest.param("Wie nennt Xiao Song Chongqing?", id="de"),
    ],
)
def test_what_someone_calls_a_thing_is_his_words(engine: Engine, question: str) -> None:
    assert engine.reply(question).intent == "xiao_song_statement"


@pytest.mark.parametrize(
    ("question", "named"),
    [
        # A deed given to a title none of those who did it holds: not so, with who did it.
        pytest.param(
            "Warum war der Bürgermeister von Chongqing Zeuge der Unterzeichnung?", "Yuan Jiajun", id="de"
        ),
        pytest.param("Did the mayor witness the signing?", "Roland Busch", id="en-witness"),
        pytest.param(
            "The agreement was signed by the Mayor of Chongqing, correct?", "Chen Xinwu", id="en-by"
        ),
        pytest.param("市长见证了签约吗？", "袁家军", id="zh"),
    ],
)
def test_a_deed_given_to_a_title_nobody_who_did_it_holds_is_not_so(
    engine: Engine, question: str, named: str
) -> None:
    reply = engine.reply(question)
    assert reply.text.startswith(("Not so", "So steht es nicht", "新闻稿中并非如此")), reply.text[:100]
    assert named in reply.text


@pytest.mark.parametrize(
    "question",
    [
        pytest.param("Did the party secretary witness it?", id="held"),
        pytest.param("Who witnessed the signing for the mayor?", id="for-a-side"),
        pytest.param("西门子加入市长顾问团到这次签约有几年了？", id="two-events"),
    ],
)
def test_a_deed_given_to_a_title_someone_holds_is_left_alone(engine: Engine, question: str) -> None:
    assert not engine.reply(question).text.startswith(("Not so", "新闻稿中并非如此"))
