"""Checks that keep the engine from answering more than the release says: a finer date than the
fact gives, a financial figure, who started something, the names of things a fact gives only in
general, a year in a question's frame; and the splits that let a message ask up to four things
(each language; wordings written for these tests)."""

from __future__ import annotations

import pytest

from bot.core.engine import Engine
from bot.core.lang import normalise
from bot.core.question import asked, asks_other_orgs, asks_others, particulars, parts, tails, without_sign_off

# -- kinds of detail -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        # The year is named, so "when" asks for the day or month inside it.
        pytest.param(
            "Wann genau im Jahr 2010 wurde das Büro aufgewertet?", "day", id="de-wann-genau-im-jahr"
        ),
        pytest.param("When exactly in 2010 was the branch set up?", "day", id="en-when-exactly-in"),
        pytest.param("2010年什么时候升级为分公司的？", "day", id="zh-year-then-when"),
        # "几月" asks for the month, finer than the year.
        pytest.param("分公司是几月成立的？", "day", id="zh-jiyue"),
        # What a deal earns is a sum of money.
        pytest.param("What margin does Siemens expect from the deal?", "money", id="en-margin"),
        pytest.param("Welchen Umsatz bringt die Kooperation?", "money", id="de-umsatz"),
        pytest.param("这个合作能带来多少利润？", "money", id="zh-profit"),
        # Who started something wants a person, not the organisations.
        pytest.param("Who initiated the partnership?", "role_person", id="en-initiated"),
        pytest.param("Wer hat das Projekt damals angestoßen?", "role_person", id="de-angestossen"),
        pytest.param("这项合作是谁发起的？", "role_person", id="zh-faqi"),
        pytest.param("Who chairs the council?", "role_person", id="en-chairs"),
        # What something costs, or someone earns.
        pytest.param("What does the hub project cost?", "money", id="en-cost"),
        pytest.param("Wie hoch ist das Gehalt des Chefs?", "money", id="de-gehalt"),
        pytest.param("这个项目造价多少？", "money", id="zh-zaojia"),
        # Whether a person said something is a question after a quote.
        pytest.param("Hat der Vizebürgermeister etwas zum Verkehr gesagt?", "quote", id="de-hat-gesagt"),
        pytest.param("Did the CEO say anything about training?", "quote", id="en-did-say"),
        # A street or a district is finer than the city a fact names.
        pytest.param("Wie lautet die Anschrift der Niederlassung?", "venue", id="de-anschrift"),
        pytest.param("In welchem Stadtteil liegt das Büro?", "venue", id="de-stadtteil"),
        pytest.param("Which district is the branch located in?", "venue", id="en-district"),
        pytest.param("On what street did the office open?", "venue", id="en-street"),
        pytest.param("分公司位于哪个区？", "venue", id="zh-which-district"),
        pytest.param("办事处在哪条路上？", "venue", id="zh-which-road"),
        # A title asks for the person who holds it, not for the organisation.
        pytest.param("那家分公司的经理叫什么？", "role_person", id="zh-title-jiao-shenme"),
        pytest.param("辦事處當時的總經理是誰？", "role_person", id="zh-traditional-title"),
        pytest.param("谁担任董事长？", "role_person", id="zh-who-holds-title"),
        pytest.param("Who was the office's managing director back then?", "role_person", id="en-md"),
        pytest.param("Wer ist Geschäftsführer der Niederlassung?", "role_person", id="de-gf"),
        # The hour and minute, or the part of the day, are finer than any date.
        pytest.param("辦事處揭牌是哪天何時幾分？", "time", id="zh-traditional-hour-minute"),
        pytest.param("合作是上午还是下午签的？", "time", id="zh-morning-afternoon"),
        pytest.param("At which hour did they put pen to paper?", "time", id="en-which-hour"),
        pytest.param("Wurde vormittags oder nachmittags unterschrieben?", "time", id="de-vormittags"),
    ],
)
def test_a_detail_question_is_read_as_its_kind(question: str, kind: str) -> None:
    assert kind in asked(normalise(question))


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        # A time frame or span is no time of day.
        pytest.param("What is the exact time frame of the deal?", "time", id="en-exact-time-frame"),
        pytest.param("Over what exact time span does it run?", "time", id="en-exact-time-span"),
    ],
)
def test_a_near_miss_is_not_read_as_the_kind(question: str, kind: str) -> None:
    assert kind not in asked(normalise(question))


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        # "when it opened in 1996" dates the office; the question asks for a person.
        pytest.param("Who ran the office when it opened in 1996?", "day", id="en-when-clause-no-day"),
        pytest.param("Wann wurde die Niederlassung gegründet?", "day", id="de-plain-when-no-day"),
        # A benefit is not a figure.
        pytest.param("What does Chongqing gain from the agreement?", "money", id="en-gain-no-money"),
        # What the release says is no one's quote.
        pytest.param("Did the release say when it was signed?", "quote", id="en-release-say-no-quote"),
        # A region of cooperation (区域) is no district.
        pytest.param("合作覆盖哪个区域的企业？", "venue", id="zh-region-no-district"),
    ],
)
def test_a_near_miss_is_not_read_as_that_kind(question: str, kind: str) -> None:
    assert kind not in asked(normalise(question))


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        pytest.param("What are the metro lines called?", True, id="en-called"),
        pytest.param("Welche Rechenzentren genau?", True, id="de-welche-genau"),
        pytest.param("地铁线路叫什么", True, id="zh-jiaoshenme"),
        pytest.param("Is Siemens building data centres?", False, id="en-general-question"),
    ],
)
def test_a_question_after_particulars_is_recognised(question: str, expected: bool) -> None:
    assert particulars(normalise(question)) is expected


# -- splits ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "count"),
    [
        # Three questions in one line, the last led by a preposition.
        pytest.param("Who signed, who witnessed, and on which day?", 3, id="en-three-with-preposition"),
        pytest.param("Wer hat unterschrieben, wer war Zeuge, und an welchem Tag?", 3, id="de-three"),
        # Short Chinese clauses are whole questions; a closing plea is a piece that asks nothing.
        pytest.param("签了什么、谁签的、啥时候签的？拜托了", 4, id="zh-three-and-plea"),
        pytest.param("Who signed?", 0, id="one-stays-whole"),
        # A statement, then a question: the statement is checked as well.
        pytest.param(
            "The CEO signed for the company. Who signed for the city?", 2, id="en-statement-then-question"
        ),
        pytest.param("Er hat ja unterschrieben. Wer war Zeuge?", 2, id="de-statement-then-question"),
        pytest.param("他代表公司签了字。谁代表市政府签字？", 2, id="zh-statement-then-question"),
        # An abbreviation's dot is no sentence end.
        pytest.param("Dr. Who signed?", 0, id="abbreviation-stays-whole"),
        # A role given to the subject before the question is no question of its own.
        pytest.param("身为公司总裁，他为什么来这座城市？", 0, id="zh-role-opening"),
        pytest.param("作为市长，他为什么签字？", 0, id="zh-zuowei-opening"),
        pytest.param("As the chief executive, why did he come to the city?", 0, id="en-as-opening"),
        # near miss: "as well as" gives no role; the message splits as it did
        pytest.param("As well as the city, who signed? And when?", 3, id="en-as-well-as"),
        # Numbered asks are the parts, the lead-in before them none; one "第一" numbers nothing.
        pytest.param(
            "Hi, for our newsletter I need four things: first, the signing date; second, the witnesses; "
            "third, the areas; fourth, when the office opened.",
            4,
            id="en-lead-in-and-four-numbered",
        ),
        pytest.param("西门子在重庆，第一次设立办公室是哪一年？", 0, id="zh-diyici-is-no-number"),
        pytest.param("合作的领域，其一是什么？", 0, id="zh-one-marker-alone"),
        # A request that only hands over to the question is no question of its own.
        pytest.param(
            "Könnten Sie mir bitte sagen, wer die Vereinbarung für Siemens unterschrieben hat?",
            0,
            id="de-request",
        ),
        pytest.param("Can you tell me, when was it signed and who signed it?", 2, id="en-request-and-two"),
        pytest.param("请问，谁签的？什么时候签的？", 2, id="zh-qingwen-and-two"),
    ],
)
def test_a_message_splits_into_up_to_four_questions(question: str, count: int) -> None:
    assert len(parts(question)) == count


@pytest.mark.parametrize(
    ("message", "wanted"),
    [
        # Numbered asks after a frame, the last one a "whether" that ends in a full stop.
        pytest.param(
            "Hi team, for a board briefing I need three things: first, the day it was signed; second, "
            "who signed on the Siemens side; third, whether smart transportation is among the areas. "
            "Thanks, Tom",
            ["20 June 2024", "Xiao Song", "Smart transportation is one of"],
            id="en-first-second-third",
        ),
        # A long framed message whose whole is unclear is not read by its last clause alone.
        pytest.param(
            "Drei Punkte bitte: erstens, wann wurde unterschrieben; zweitens, wer hat für die Stadt "
            "unterschrieben; drittens, seit wann gibt es das Büro?",
            ["20. Juni 2024", "Chen Xinwu", "1996"],
            id="de-erstens-zweitens-drittens",
        ),
        pytest.param(
            "请说明三点：一是协议签署时间，二是西门子方面的签署人，三是合作领域有哪些。",
            ["2024年6月20日", "肖松", "智慧交通"],
            id="zh-yi-shi-er-shi",
        ),
    ],
)
def test_numbered_asks_are_each_answered(engine: Engine, message: str, wanted: list[str]) -> None:
    text = engine.reply(message).text
    assert all(w in text for w in wanted), text


@pytest.mark.parametrize(
    ("message", "kept"),
    [
        pytest.param("Hello, who signed? Best regards, A. Meyer", "Hello, who signed?", id="en-regards"),
        pytest.param(
            "Wann war das? Mit freundlichen Grüßen\nPressestelle", "Wann war das?", id="de-mfg-newline"
        ),
        pytest.param("请问谁签的？此致敬礼 李四", "请问谁签的？", id="zh-cizhi"),
        # "regards" inside a question is no closing formula.
        pytest.param(
            "Could you tell me who regards the deal as a milestone?",
            "Could you tell me who regards the deal as a milestone?",
            id="en-regards-as-verb",
        ),
        pytest.param("Best regards", "Best regards", id="nothing-left-keeps-whole"),
        # Thanks after the question, with a name and a note: a sign-off too.
        pytest.param(
            "Who witnessed it? Thanks so much, Jonas (intern)", "Who witnessed it?", id="en-thanks-name"
        ),
        pytest.param("Wann war das? Danke vorab, Grüße aus Köln", "Wann war das?", id="de-danke"),
        pytest.param("谁签的字？谢谢！小王", "谁签的字？", id="zh-xiexie"),
        # A request that ends in a full stop, then thanks and a name.
        pytest.param(
            "Please let me know which city signed. Thanks a lot, Mo (Desk B)",
            "Please let me know which city signed.",
            id="en-thanks-after-full-stop",
        ),
        # Officialese and short closings with a name after them; traditional Chinese thanks.
        pytest.param(
            "Welche Funktion hat Dr. Roland Busch? Hochachtungsvoll, Dr. K. Huber",
            "Welche Funktion hat Dr. Roland Busch?",
            id="de-hochachtungsvoll",
        ),
        pytest.param(
            "Who signed it for Siemens? Best, Anna Miller", "Who signed it for Siemens?", id="en-best"
        ),
        pytest.param("Wann wurde unterschrieben? Gruss, Beat", "Wann wurde unterschrieben?", id="ch-gruss"),
        pytest.param("這份協議是誰簽署的？謝謝，林經理", "這份協議是誰簽署的？", id="zh-hant-xiexie"),
        # Thanks before the question is its frame; thanks followed by another question is kept.
        pytest.param("Thanks! Who signed?", "Thanks! Who signed?", id="thanks-first"),
        pytest.param(
            "Who signed? Thanks, and who witnessed?",
            "Who signed? Thanks, and who witnessed?",
            id="thanks-then-a-question",
        ),
    ],
)
def test_a_closing_formula_is_left_out(message: str, kept: str) -> None:
    assert without_sign_off(message) == kept


@pytest.mark.parametrize(
    ("message", "tail", "kept"),
    [
        # A sentence that asks for a detail is a tail of a long message...
        pytest.param(
            "Hi all. Picking up the thread from the board pack. We need to record who signed on each side.",
            "We need to record who signed on each side.",
            True,
            id="en-sentence-asks-who",
        ),
        # ...a sentence that asks for nothing is not ("Dr. Busch" splits no sentence either).
        pytest.param(
            "Who signed the agreement for the city that day? I ask for the archive. It is for a memo.",
            "It is for a memo.",
            False,
            id="en-sentence-asks-nothing",
        ),
        # A clause that only sets a condition asks nothing: the question is before it.
        pytest.param(
            "What consequences would follow for the city government, if Siemens dropped out of it later?",
            "if Siemens dropped out of it later?",
            True,
            id="en-if-may-ask",
        ),
        pytest.param(
            "Welche Folgen hätte es für die Stadtregierung, falls Siemens später einfach aussteigt?",
            "falls Siemens später einfach aussteigt?",
            False,
            id="de-falls-condition",
        ),
        pytest.param(
            "Was würde eigentlich mit den Projekten passieren, wenn die Partner sich zerstreiten?",
            "wenn die Partner sich zerstreiten?",
            False,
            id="de-wenn-condition",
        ),
        pytest.param(
            "这个框架协议到底会有什么样的后果和影响呢，如果重庆方面以后不再继续履行的话？",
            "如果重庆方面以后不再继续履行的话？",
            False,
            id="zh-ru-guo-condition",
        ),
        # The request that hands over to the question, capitalised as typed.
        pytest.param(
            "Dear Sir or Madam, I am preparing a short piece on companies abroad. Could you please tell "
            "me on which date the agreement was signed?",
            "on which date the agreement was signed?",
            True,
            id="en-could-you-capitalised",
        ),
        pytest.param(
            "Ich schreibe gerade einen Artikel über Firmen im Ausland. Könnten Sie mir bitte sagen, "
            "wann unterschrieben wurde?",
            "wann unterschrieben wurde?",
            True,
            id="de-koennten-sie-capitalised",
        ),
        pytest.param(
            "各位好，我是一家電子公司的經理，最近看到簽約的消息。想請問這份協議是由哪一家公司簽署的？",
            "這份協議是由哪一家公司簽署的？",
            True,
            id="zh-hant-qing-wen",
        ),
    ],
)
def test_a_long_message_is_read_by_its_asking_sentence(message: str, tail: str, kept: bool) -> None:
    assert (tail in tails(message)) is kept


@pytest.mark.parametrize(
    "message",
    [
        pytest.param(
            "Hi all. Following up on the call. Our legal team would like to know who signed the framework"
            " agreement and for which side. Many thanks, Sam (Risk, EMEA)",
            id="en-email-signers",
        ),
    ],
)
def test_a_framed_email_is_answered_by_its_asking_sentence(engine: Engine, message: str) -> None:
    reply = engine.reply(message)
    assert reply.answered and "Xiao Song" in reply.text, reply.text


# -- the engine --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        pytest.param("What will the deal add to Siemens' earnings per share?", id="en-eps"),
        pytest.param("Wer hat die Kooperation mit Chongqing seinerzeit initiiert?", id="de-initiated"),
        pytest.param("Wann genau im Jahr 2010 wurde die Niederlassung eröffnet?", id="de-day-in-year"),
        pytest.param("Welche Namen haben die Rechenzentren?", id="de-names-of-data-centres"),
        pytest.param("An welcher Straße hat die Niederlassung ihren Sitz?", id="de-street"),
        pytest.param("辦事處設喺重慶邊個區？", id="yue-which-district"),
        pytest.param("What was the very first job Siemens did for Chongqing?", id="en-first-project"),
        # An office is no factory: the known unknown says so, with what the release does name.
        pytest.param("Did Siemens set up a production plant in the city in 1996?", id="en-factory-premise"),
        pytest.param("重庆的办事处是几月设立的？", id="zh-month-of-a-year-fact"),
        # A month named in a regional form or in Chinese numerals, of a fact known by its year.
        pytest.param("Hat das Büro im Jänner 1996 oder erst später aufgemacht?", id="de-austrian-month"),
        pytest.param("Wurde die Niederlassung im Feber 2010 gegründet?", id="de-austrian-february"),
        pytest.param("办事处是三月成立的吗？", id="zh-han-numeral-month"),
        # The year sits in the frame of a question read by its core clause.
        pytest.param(
            "Zur Vereinbarung aus dem Jahr 2021 – welche Bereiche deckt sie nochmal ab?",
            id="de-year-in-frame",
        ),
    ],
)
def test_a_detail_the_release_lacks_is_not_answered(engine: Engine, question: str) -> None:
    reply = engine.reply(question)
    assert not reply.answered, (reply.intent, reply.text)


@pytest.mark.parametrize(
    ("question", "facts"),
    [
        # "先有 A 还是先有 B" asks which came first.
        pytest.param("先有重庆办事处还是先有分公司？", ["1996", "2010"], id="zh-xianyou-haishi"),
        # A fact about a person gives the name the question asks for.
        pytest.param(
            "What is the name of the Siemens CEO who witnessed it?", ["Busch"], id="en-name-of-person"
        ),
        pytest.param(
            "Who signed, who witnessed, and on which day?",
            ["Xiao Song", "Yuan Jiajun", "20 June"],
            id="en-three-parts",
        ),
        pytest.param(
            "签了什么、谁签的、啥时候签的？拜托了", ["框架协议", "肖松", "6月20日"], id="zh-three-parts"
        ),
        pytest.param(
            "Dear team, when was the agreement signed? Kind regards, P. Novak",
            ["20 June"],
            id="en-signed-off",
        ),
        pytest.param(
            "Hello! For my thesis: who put their names to the deal? Many thanks, Lena (MA student)",
            ["Xiao Song", "Chen Xinwu"],
            id="en-thanked-off",
        ),
        # Written Cantonese is read as Mandarin.
        pytest.param("份協議係邊個簽嘅？", ["肖松", "陳新武"], id="yue-who-signed"),
        pytest.param("西門子幾時喺重慶開辦事處？", ["1996"], id="yue-when-office"),
        pytest.param("升格做分公司之前，辦事處開咗幾多年？", ["14"], id="yue-years-between"),
        # A street or district finer than the city, and a count of the doers of each deed.
        pytest.param(
            "How many people put their signature on it, and how many witnessed it?",
            ["two signatories", "two witnesses"],
            id="en-count-each-deed",
        ),
        # People named by their office, and a cue of the advisory council in German.
        pytest.param(
            "Hat der Konzernchef die Vereinbarung selbst unterschrieben?",
            ["Nein", "Chen Xinwu"],
            id="de-named-by-office",
        ),
        pytest.param(
            "Kam der Beitritt zur Beratergruppe vor oder nach der Aufwertung zur Niederlassung?",
            ["2010", "2018"],
            id="de-beratergruppe",
        ),
    ],
)
def test_each_question_gets_its_facts(engine: Engine, question: str, facts: list[str]) -> None:
    reply = engine.reply(question)
    assert reply.answered, reply.text
    assert all(f in reply.text for f in facts), reply.text


@pytest.mark.parametrize(
    ("question", "name"),
    [
        # The release names everyone it names: "who else" gets that said, with the people it names
        # (a known-unknown reply, not counted as answered).
        pytest.param("Who else from the Siemens side was at the ceremony?", "Busch", id="en-who-else"),
        pytest.param(
            "Wer war außerdem bei der Unterzeichnung anwesend?", "Yuan Jiajun", id="de-wer-ausserdem"
        ),
        pytest.param("签约时还有谁在场？", "袁家军", id="zh-haiyoushui"),
        # A fact that names an organisation, not people: "who else" is still more than it names.
        pytest.param(
            "Apart from Siemens, who else belongs to that mayor's council?", "2018", id="en-who-else-org"
        ),
        # People of a country none of the named people belongs to are others than those named.
        pytest.param("Were any French ministers present at the signing?", "Busch", id="en-foreign-group"),
        pytest.param("有没有外国官员见证签约？", "袁家军", id="zh-foreign-group"),
    ],
)
def test_a_question_after_other_people_names_those_the_release_names(
    engine: Engine, question: str, name: str
) -> None:
    reply = engine.reply(question)
    assert reply.outcome == "unknown" and name in reply.text, (reply.outcome, reply.text)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        pytest.param("who else was present", True, id="en-who-else"),
        pytest.param("wer war noch dabei", True, id="de-wer-war-noch"),
        # "noch mal" is "again", not "besides".
        pytest.param("wer war noch mal der unterzeichner", False, id="de-noch-mal"),
        pytest.param("who signed", False, id="en-plain-who"),
        # a country's officials are others; its representatives or guests may be a company's chief
        pytest.param("were any german officials there", True, id="en-country-officials"),
        pytest.param("were any german representatives present", False, id="en-country-representatives"),
        pytest.param("waren auslandische gaste dabei", False, id="de-foreign-guests"),
        pytest.param("有外国嘉宾出席吗", False, id="zh-foreign-guests"),
        pytest.param("德方代表是谁", False, id="zh-german-side"),
    ],
)
def test_a_question_after_other_people_is_recognised(question: str, expected: bool) -> None:
    assert asks_others(question) is expected


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        pytest.param("were any other firms at the table", True, id="en-other-firms"),
        pytest.param("which companies besides siemens took part", True, id="en-besides"),
        pytest.param("welche weiteren unternehmen sind beteiligt", True, id="de-weitere-unternehmen"),
        pytest.param("还有什么企业参与", True, id="zh-haiyou-qiye"),
        pytest.param("what does the company do", False, id="en-the-company"),
        pytest.param("welche unternehmen in chongqing profitieren", False, id="de-no-other"),
        # The other partner, or the other company of the two, is the other party.
        pytest.param("who is the other partner in the deal", False, id="en-the-other-partner"),
        pytest.param("wer ist der andere partner", False, id="de-der-andere-partner"),
    ],
)
def test_a_question_after_other_organisations_is_recognised(question: str, expected: bool) -> None:
    assert asks_other_orgs(normalise(question)) is expected


@pytest.mark.parametrize(
    "question",
    [
        # The parties are all the release names: never the witnesses or the parties as an answer.
        pytest.param("Were any other firms represented when it was signed?", id="en-other-firms"),
        pytest.param("Welche anderen Konzerne waren beim Termin vertreten?", id="de-andere-konzerne"),
        pytest.param("签约仪式上还有哪些公司的代表？", id="zh-haiyou-gongsi"),
    ],
)
def test_a_question_after_other_organisations_is_not_answered(engine: Engine, question: str) -> None:
    reply = engine.reply(question)
    assert not reply.answered and reply.outcome == "unknown", (reply.outcome, reply.text)


@pytest.mark.parametrize(
    "question",
    [
        # The list item is the container ("part of the green area"): the thing asked about is in no
        # list, so no "yes".
        pytest.param("Is solar power part of the green area?", id="en-item-after-part-of"),
        # People who live in a city are not the people the release names from it.
        pytest.param("How many people live in Chongqing?", id="en-live-in-not-named"),
    ],
)
def test_no_yes_or_count_for_what_no_fact_names(engine: Engine, question: str) -> None:
    reply = engine.reply(question)
    assert not reply.text.startswith(("Yes", "The press release names")), reply.text


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        pytest.param("What does the city aim for, according to Xiao Song?", True, id="en-according-to"),
        pytest.param("Was ist laut Dr. Xiao Song das Ziel der Stadt?", True, id="de-laut"),
        pytest.param("Welche Ziele hat Chongqing gemäß Xiao Song?", True, id="de-gemaess"),
        pytest.param("Was will die Stadt Xiao Song zufolge werden?", True, id="de-zufolge"),
        pytest.param("在肖松看来，重庆要成为什么？", True, id="zh-kanlai"),
        pytest.param("据肖松介绍，合作的目标是什么？", True, id="zh-ju"),
        # What the release says of a person is no one's view.
        pytest.param("According to the release, who is Xiao Song?", False, id="en-according-to-release"),
        pytest.param("Wer ist Xiao Song laut Mitteilung?", False, id="de-laut-mitteilung"),
        pytest.param("Who signed for Siemens according to the release?", False, id="en-no-person-after"),
        pytest.param("你认为肖松是谁？", False, id="zh-renwei-before-person"),
    ],
)
def test_a_view_asked_after_a_person_is_read_as_a_quote(
    engine: Engine, question: str, expected: bool
) -> None:
    assert engine.reasoner.attributed(normalise(question)) is expected


@pytest.mark.parametrize(
    "question",
    [
        pytest.param("What is Chongqing's aim, according to Xiao Song?", id="en-aim-according-to"),
        pytest.param("Welches Ziel verfolgt die Stadt laut Xiao Song?", id="de-ziel-laut"),
        pytest.param("在肖松看来，重庆的目标是什么？", id="zh-goal-kanlai"),
    ],
)
def test_a_persons_view_is_answered_by_what_they_said(engine: Engine, question: str) -> None:
    """The agreement's goals are the release's words, not the person's: his quote, or nothing."""
    reply = engine.reply(question)
    intent = engine.kb.get(reply.intent) if reply.intent else None
    assert not reply.answered or (intent is not None and "quote" in intent.provides), reply.text


@pytest.mark.parametrize(
    "question",
    [
        # The quote ranks well behind the agreement's goals; naming whose view is asked brings it.
        pytest.param("在肖松看来，重庆的目标是什么？", id="zh-goal-kanlai"),
        pytest.param("What is Chongqing aiming for, according to Xiao Song?", id="en-aiming-according-to"),
    ],
)
def test_a_persons_view_is_answered_by_their_quote_further_behind(engine: Engine, question: str) -> None:
    reply = engine.reply(question)
    intent = engine.kb.get(reply.intent) if reply.intent else None
    assert reply.answered and intent is not None and "quote" in intent.provides, (reply.intent, reply.text)


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        # A false statement before the question is corrected, and the question answered.
        pytest.param(
            "Roland Busch signed for Siemens. Who signed for the city?",
            ["did not sign", "Chen Xinwu"],
            id="en-false-statement-corrected",
        ),
        pytest.param(
            "Roland Busch hat ja unterschrieben. Wer unterschrieb für die Stadt?",
            ["Chen Xinwu"],
            id="de-false-statement-corrected",
        ),
        # A statement that holds adds nothing: only the answer to the question.
        pytest.param(
            "Xiao Song signed for Siemens. Who signed for the city?", ["Chen Xinwu"], id="en-true-statement"
        ),
    ],
)
def test_a_statement_before_a_question(engine: Engine, question: str, wanted: list[str]) -> None:
    reply = engine.reply(question)
    assert reply.answered and all(w in reply.text for w in wanted), reply.text
    assert "is Executive Vice President" not in reply.text  # no profile for a statement that holds


def test_an_item_before_part_of_is_still_checked(engine: Engine) -> None:
    """ "Is X part of the agreement?" with X an area: yes, with the areas."""
    reply = engine.reply("Is smart transport part of the deal?")
    assert reply.answered and reply.text.startswith("Yes"), reply.text


@pytest.mark.parametrize(
    ("question", "answered", "wanted"),
    [
        # A part that asks only "when" dates the event an earlier part names.
        pytest.param("Who signed the agreement, and when?", True, "20 June 2024", id="en-signing-and-when"),
        # Only the year of that event is known: the month asked is not stated.
        pytest.param("西门子哪年加入市长顾问团的，具体几月？", False, "2018", id="zh-month-of-year-event"),
        # No earlier part names a dated event: no date of another event is added.
        pytest.param("Which metro line came first, and when?", False, "", id="en-undated-thing"),
    ],
)
def test_a_bare_when_part_asks_about_the_earlier_part(
    engine: Engine, question: str, answered: bool, wanted: str
) -> None:
    reply = engine.reply(question)
    assert reply.answered is answered and wanted in reply.text, (reply.outcome, reply.text)
    if not answered:
        assert "2024" not in reply.text, reply.text


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        # A count or an ordinal the release's list does not have: said so, with the list.
        pytest.param("Which of the five fields covers health care?", "four areas", id="en-five-fields"),
        pytest.param("Was steht im sechsten Bereich?", "vier Bereiche", id="de-sixth-ordinal"),
        pytest.param("协议的五个领域分别是什么？", "四个领域", id="zh-five-areas"),
        pytest.param("Name the three witnesses, please.", "Yuan Jiajun", id="en-three-witnesses"),
    ],
)
def test_a_count_the_release_does_not_give_is_corrected(engine: Engine, question: str, fact: str) -> None:
    reply = engine.reply(question)
    assert reply.outcome == "unknown" and fact in reply.text, (reply.outcome, reply.text)


@pytest.mark.parametrize(
    "question",
    [
        pytest.param("What are the four areas?", id="en-right-count"),
        # A choice among the areas, not a count of them.
        pytest.param("Which two areas matter most?", id="en-choice-not-count"),
        pytest.param("Who were the two signatories?", id="en-right-count-of-people"),
    ],
)
def test_a_count_that_fits_is_no_premise(engine: Engine, question: str) -> None:
    assert engine.reply(question).outcome != "unknown"


@pytest.mark.parametrize(
    ("question", "names"),
    [
        # Two people compared: the profile of each, whichever intent ranked first.
        pytest.param("陈新武和肖松，谁的职位更高？", ["陈新武", "肖松"], id="zh-two-people"),
        pytest.param("袁家军和博乐仁，谁的职务更高？", ["袁家军", "博乐仁"], id="zh-two-people-other-pair"),
    ],
)
def test_a_question_naming_two_people_gets_both(engine: Engine, question: str, names: list[str]) -> None:
    reply = engine.reply(question)
    assert reply.answered and all(n in reply.text for n in names), reply.text


@pytest.mark.parametrize(
    ("message", "intent"),
    [
        # The source every answer has is no event of the question: the signing is asked for.
        pytest.param(
            "According to the announcement, on what day was the deal signed?", "signing_date", id="en"
        ),
        pytest.param(
            "Wann wurde der Pressemitteilung zufolge unterschrieben?", "signing_date", id="de-zufolge"
        ),
        pytest.param("据新闻稿，协议哪天签的？", "signing_date", id="zh-ju"),
        # The publication asked about stays the publication.
        pytest.param(
            "As stated in the release, when was the press release itself put out?",
            "release_date",
            id="en-itself",
        ),
    ],
)
def test_according_to_the_release_is_no_event(engine: Engine, message: str, intent: str) -> None:
    assert engine.reply(message).intent == intent
