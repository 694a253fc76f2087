"""Near misses found with questions written as a stranger would: a post's other holders or a
person's earlier posts, personal details in other words, the holder of a title asked by name
(wordings written for these tests)."""

from __future__ import annotations

import pytest

from bot.core.engine import Engine
from bot.core.lang import normalise
from bot.core.question import asked


@pytest.mark.parametrize(
    ("question", "career"),
    [
        pytest.param("Who ran Siemens China before Xiao Song took over?", False, id="en-ran-before-name"),
        pytest.param("who was the ceo of siemens china before xiao song", True, id="en-ceo-before-name"),
        pytest.param("Who will be Roland Busch's successor?", True, id="en-successor"),
        pytest.param("Wer ist der Nachfolger von Chen Xinwu?", True, id="de-nachfolger"),
        pytest.param(
            "Welchen Posten hatte Yuan Jiajun früher? Sein früherer Job?", True, id="de-frueherer-job"
        ),
        pytest.param("肖松的前任是谁", True, id="zh-qianren"),
        pytest.param("袁家军之前担任什么职务", True, id="zh-zhiqian-danren"),
        # near misses: time around the signing, the office's own history, someone's title now
        pytest.param("Who was there before the signing?", False, id="en-before-the-signing"),
        pytest.param("Wer war vor Ort?", False, id="de-vor-ort"),
        pytest.param("What was the office before it became a branch?", False, id="en-office-history"),
        pytest.param("What is Chen Xinwu's role?", False, id="en-role-now"),
        pytest.param("签约之前西门子在重庆做了什么", False, id="zh-before-signing"),
    ],
)
def test_other_holders_and_earlier_posts_are_a_kind_asked(question: str, career: bool) -> None:
    assert ("career" in asked(normalise(question))) is career


@pytest.mark.parametrize(
    "question",
    [
        pytest.param("Who held the Siemens China CEO job before Dr Xiao?", id="en-before"),
        pytest.param("who is going to succeed Busch as Siemens boss", id="en-succeed"),
        pytest.param("Wer war Yuan Jiajuns Vorgänger als Parteisekretär?", id="de-vorgaenger"),
        pytest.param("陈新武的继任者是谁？", id="zh-jiren"),
        pytest.param("陳新武以前做什麼工作？", id="zh-hant-yiqian"),
        # personal details in other words than the ones listed before
        pytest.param("Is Dr Busch a German citizen?", id="en-citizen"),
        pytest.param("Wo hat Chen Xinwu studiert?", id="de-studiert"),
        # the holder of a title asked by its name, of a fact that names no one
        pytest.param("Wie heißt der Leiter des Büros in Chongqing?", id="de-wie-heisst-leiter"),
        pytest.param("What is the name of the head of the Chongqing branch?", id="en-name-of-head"),
    ],
)
def test_details_no_fact_gives_are_not_stated(engine: Engine, question: str) -> None:
    reply = engine.reply(question)
    assert not reply.answered, (question, reply.text)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        # a post's first holder, who takes it over, what came before the post now held, a life story
        pytest.param("Who was the very first chairman of Siemens China?", "career", id="en-first-chairman"),
        pytest.param("who is going to take over from Xiao Song", "career", id="en-take-over"),
        pytest.param("Was tat Yuan Jiajun vor seinem heutigen Amt?", "career", id="de-vor-seinem-amt"),
        pytest.param("What's Chen Xinwu's bio?", "career", id="en-bio"),
        pytest.param("西门子中国首任总裁是谁", "career", id="zh-shouren"),
        # a family and a way to reach someone are personal details
        pytest.param("Hat Roland Busch Kinder?", "personal", id="de-kinder"),
        pytest.param("What is Chen Xinwu's e-mail address?", "personal", id="en-email"),
        pytest.param("肖松的邮箱是多少", "personal", id="zh-youxiang"),
        # plans after the release
        pytest.param("so what's next for the partnership?", "future", id="en-whats-next"),
        pytest.param("Wie geht es jetzt weiter mit der Kooperation?", "future", id="de-wie-weiter"),
        pytest.param("双方下一步有什么计划", "future", id="zh-xiayibu"),
    ],
)
def test_more_details_no_fact_gives_are_kinds_asked(question: str, kind: str) -> None:
    assert kind in asked(normalise(question))


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        # near misses: the first event, a take-over no one asks about, the release's own steps
        pytest.param("What was the first step of the cooperation?", "career", id="en-first-step"),
        pytest.param("Which areas does the agreement cover?", "future", id="en-areas"),
        pytest.param("Was sind die Schwerpunkte der Vereinbarung?", "future", id="de-schwerpunkte"),
        pytest.param("What is the background of the agreement?", "career", id="en-agreement-background"),
        # "Tochter" of a company is its subsidiary, no one's daughter
        pytest.param("Hat die chinesische Tochter unterschrieben?", "personal", id="de-tochter"),
    ],
)
def test_near_misses_are_not_those_kinds(question: str, kind: str) -> None:
    assert kind not in asked(normalise(question))


@pytest.mark.parametrize(
    "question",
    [
        # a research site: in the scope of the known unknown of sites the release does not name
        pytest.param("Plant Siemens ein Entwicklungszentrum in Chongqing?", id="de-rd-centre"),
        pytest.param("Is Siemens going to open an R&D lab in Chongqing?", id="en-rd-lab"),
    ],
)
def test_what_the_release_does_not_cover_is_not_answered(engine: Engine, question: str) -> None:
    reply = engine.reply(question)
    assert not reply.answered, (question, reply.text)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        # a word between "former" and the post, a profile on a network, praise as words said
        pytest.param("Who was the former party secretary?", "career", id="en-former-party-secretary"),
        pytest.param("Does Xiao Song have a WeChat account?", "personal", id="en-wechat"),
        pytest.param("Hat Yuan Jiajun die Firma gelobt?", "quote", id="de-gelobt"),
        pytest.param("陈新武称赞西门子了吗", "quote", id="zh-chengzan"),
    ],
)
def test_other_wordings_of_those_kinds(question: str, kind: str) -> None:
    assert kind in asked(normalise(question))


@pytest.mark.parametrize(
    "question",
    [
        pytest.param("Did Chen Xinwu praise the company?", id="en-praise-unquoted"),
        pytest.param("Who was the former party secretary of Chongqing?", id="en-former-secretary"),
    ],
)
def test_praise_and_former_holders_are_not_answered(engine: Engine, question: str) -> None:
    reply = engine.reply(question)
    assert not reply.answered, (question, reply.text)


@pytest.mark.parametrize(
    ("question", "wanted", "never"),
    [
        # review9: the city's top official is the party secretary the release names, not the
        # head of the company's China business
        pytest.param("Who runs Chongqing these days?", "Yuan Jiajun", "Xiao Song is", id="en-runs-city"),
        pytest.param("And who is the top official of the city?", "Yuan Jiajun", "Xiao Song is", id="en-top"),
        # a board the release names no one of: not the people it does name as its answer
        pytest.param(
            "Who is the supervisory board chairman of Siemens?",
            "does not name",
            "Dr Xiao Song is",
            id="en-board",
        ),
        pytest.param(
            "Wer leitet den Aufsichtsrat der Siemens AG?", "nennt", "Dr. Roland Busch ist", id="de-board"
        ),
        # near misses: the company's own heads are named
        pytest.param(
            "Who runs Siemens in China?", "Xiao Song", "The press release does not", id="en-runs-company"
        ),
        pytest.param("Who heads Siemens AG?", "Roland Busch", "The press release does not", id="en-heads-ag"),
    ],
)
def test_who_runs_the_city_or_chairs_a_board(engine: Engine, question: str, wanted: str, never: str) -> None:
    """Never the wrong person's profile; a reply that gives something gives the right thing (a
    "did you mean" is no wrong answer)."""
    reply = engine.reply(question)
    assert not reply.text.startswith(never), (question, reply.text)
    assert wanted in reply.text or reply.outcome == "suggested", (question, reply.text)
