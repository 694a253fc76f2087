"""Matching on the real fact base (each language, typos, near misses) and the probability bands
that decide between answer, "did you mean" and decline."""

from __future__ import annotations

import pytest
from rapidfuzz import fuzz

from bot.core.engine import Engine
from bot.core.lang import normalise
from bot.core.matcher import Matcher
from bot.core.ranking import Ranked, Ranker
from bot.knowledge.loader import parse


@pytest.mark.parametrize(
    ("question", "intent", "lang"),
    [
        pytest.param("Wann genau wurde unterschrieben?", "signing_date", "de", id="de-date"),
        pytest.param(
            "wer hat als zeuge die unterzeichnung begleitet", "witnesses", "de", id="de-witness-lowercase"
        ),
        pytest.param("Who put their signatures on the deal?", "signatories", "en", id="en-signers"),
        pytest.param("why did siemens pick chongqing", "why_chongqing", "en", id="en-why"),
        pytest.param("肖松是谁？", "person_xiao_song", "zh", id="zh-person"),
        pytest.param("西门子哪年开始和重庆合作的", "cooperation_since_1995", "zh", id="zh-since"),
        # Typos: a letter swapped, dropped or doubled still finds the word.
        pytest.param("Wann wurde die Vereinbrung unterzeichent?", "signing_date", "de", id="typo-de"),
        pytest.param("who witnesed the signing", "witnesses", "en", id="typo-en"),
        pytest.param("Who is Roland Bush?", "person_roland_busch", "en", id="typo-name"),
        # Full-width and mixed punctuation fold away.
        pytest.param(
            "ＷＨＥＮ　ＷＡＳ　ＴＨＥ　ＡＧＲＥＥＭＥＮＴ　ＳＩＧＮＥＤ？",
            "signing_date",
            "en",
            id="full-width",
        ),
        # Known unknowns resolve to their intent, which is not an answer.
        pytest.param(
            "How much money is Siemens investing?", "unknown_investment", "en", id="unknown-investment"
        ),
        pytest.param("Wie heißt der Bürgermeister von Chongqing?", "unknown_mayor", "de", id="unknown-mayor"),
    ],
)
def test_questions_find_their_intent(engine: Engine, question: str, intent: str, lang: str) -> None:
    """Paraphrases that are not in the fact base reach the right intent in the right language."""
    reply = engine.reply(question)
    assert reply.intent == intent, (reply.outcome, reply.nearest, reply.confidence)
    assert reply.lang == lang


@pytest.mark.parametrize(
    "question",
    [
        pytest.param("Wie wird das Wetter am Wochenende?", id="weather-de"),
        pytest.param("tell me something funny", id="joke-en"),
        pytest.param("What does BMW build in Shenyang?", id="other-company"),
        pytest.param("asdkjh qweoiu zxcmnb", id="gibberish"),
        pytest.param("🚀🔥😂", id="emoji-only"),
        pytest.param("", id="empty"),
        pytest.param("   \t  ", id="whitespace"),
        pytest.param("今天股市怎么样？", id="zh-stock-market"),
        pytest.param("\u200b\u200e\u202e", id="invisible-only"),
    ],
)
def test_off_topic_is_not_answered(engine: Engine, question: str) -> None:
    """Weather, jokes, other companies, gibberish and emoji get the fallback, not a fact."""
    reply = engine.reply(question)
    assert not reply.answered
    assert reply.outcome in {"declined", "suggested", "offtopic"}
    assert reply.text


def test_unknown_says_the_release_does_not_say(engine: Engine) -> None:
    """A known unknown is shown with its honest text but not counted as answered."""
    reply = engine.reply("Wie viele Arbeitsplätze entstehen durch die Kooperation?")
    assert reply.outcome == "unknown" and not reply.answered
    assert "nicht" in reply.text


@pytest.mark.parametrize(
    "question",
    [
        pytest.param("x" * 10_000, id="ten-thousand-chars"),
        pytest.param("wer " * 3000, id="repeated-word"),
        pytest.param("Wer\x00hat\x07unterschrieben", id="control-chars"),
        pytest.param("Siemens 重庆 signing 日期 Datum", id="mixed-scripts"),
        pytest.param("<b>Wer</b> hat &amp; unterschrieben?", id="html-looking"),
        pytest.param("'; DROP TABLE exchanges; --", id="sql-looking"),
    ],
)
def test_bad_input_gets_a_reply(engine: Engine, question: str) -> None:
    """Hostile or odd input never raises and always gets text back."""
    reply = engine.reply(question)
    assert reply.text and reply.lang in {"de", "en", "zh"}


def test_pinned_language_wins(engine: Engine) -> None:
    """/lang zh answers a German question in Chinese."""
    reply = engine.reply("Wann wurde die Vereinbarung unterzeichnet?", pinned="zh")
    assert reply.lang == "zh" and "6月" in reply.text


TINY = """\
intents:
  - id: metro
    topic: t
    source: [p4]
    answer: {de: U-Bahn, en: Metro, zh: 地铁}
    questions:
      de: [Baut Siemens U-Bahnen]
      en: [Does Siemens build metro lines]
      zh: [西门子建地铁吗]
  - id: office
    topic: t
    source: [p4]
    answer: {de: Büro, en: Office, zh: 办事处}
    questions:
      de: [Wann wurde das Büro eröffnet]
      en: [When did the office open]
      zh: [办事处什么时候开的]
"""


@pytest.mark.parametrize(
    ("answer_t", "suggest_t", "outcome"),
    [
        # The same query and probability on either side of each threshold.
        pytest.param(0.0, 0.0, "answered", id="above-both"),
        pytest.param(0.99, 0.0, "suggested", id="between"),
        pytest.param(0.99, 0.99, "declined", id="below-both"),
    ],
)
def test_threshold_edges(answer_t: float, suggest_t: float, outcome: str) -> None:
    """The engine's probability bands decide answer / "did you mean" / decline."""
    engine = Engine(parse({"t.yaml": TINY}), answer_t, suggest_t)
    reply = engine.reply("when was the office opened")
    assert reply.nearest == "office"
    assert 0.0 < reply.confidence < 0.99
    assert reply.outcome == outcome


def matcher_alone(text: str) -> Ranked:
    """The best of the engine's ranking by the matcher alone (no learned model) on TINY."""
    best = Ranker(Matcher(parse({"t.yaml": TINY})), None).rank(text).best
    assert best is not None
    return best


def test_subset_does_not_score_full() -> None:
    """A query that is a strict subset of an alternative does not score 1."""
    best = matcher_alone("office")
    assert best.intent == "office" and best.score < 0.9


def test_exact_alternative_scores_near_one() -> None:
    """Asking an alternative verbatim scores near 1 and is that intent for certain."""
    best = matcher_alone("Does Siemens build metro lines?")
    assert best.intent == "metro" and best.score > 0.95 and best.probability == 1.0


@pytest.mark.parametrize(
    "question",
    [
        pytest.param("Wann wurde unterschrieben?", id="short-de"),
        pytest.param("who signed", id="two-words"),
        pytest.param("x", id="one-letter"),  # shorter than every alternative
        pytest.param("肖松是谁？", id="zh"),
        # Script groups: a query in one script skips the alternatives of the other (only spaces in
        # common) unless their spaces alone could beat the best; mixed ones are always compared.
        pytest.param(
            "想請問這份協議是在什麼地方簽署的？是在重慶市政府還是西門子德國總部？", id="zh-two-clauses"
        ),
        pytest.param("签 约 的 是 谁", id="zh-many-spaces"),
        pytest.param("Wer ist 肖松?", id="mixed-scripts"),
        pytest.param("2024", id="digits-only"),
        # Long framed questions: most alternatives are far shorter, so the length window prunes.
        pytest.param(
            "Dear press team, for our supplier database I need the year the branch in the city was "
            "established and who signed the agreement for both sides. Thank you very much!",
            id="long-en",
        ),
        pytest.param(
            "Sehr geehrte Damen und Herren, ich bitte höflich um Mitteilung, an welchem Tag die "
            "Vereinbarung unterzeichnet worden ist. Mit freundlichen Grüßen",
            id="long-de",
        ),
    ],
)
def test_char_similarity_is_the_best_of_all_alternatives(engine: Engine, question: str) -> None:
    """The character-level similarity compares only alternatives of a length (and a script) that
    could beat the seed, and still finds the best ratio of all, whichever alternative seeds it."""
    matcher = engine.matcher
    query = normalise(question)
    for number, (start, end) in enumerate(matcher.slices):
        alternatives = matcher.alt_norm[start:end]
        if not alternatives:
            continue
        brute = max(fuzz.ratio(query, a) for a in alternatives)
        for seed in {alternatives[0], alternatives[-1], min(alternatives, key=len)}:
            assert matcher._char_similarity(query, number, seed) == brute, (number, seed)
