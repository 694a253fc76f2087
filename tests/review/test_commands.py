"""`python run.py review ...` on the known log of tests/store_helpers.py: each report, exactly."""

from __future__ import annotations

import csv
import io
import json
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from bot import cli
from bot.review import commands as review
from bot.review.clusters import Query, cluster, cluster_key, intent_id, similarity
from bot.review.reports import Period, export, parse_when
from bot.store.spill import SpillFile, spill_path_for
from bot.store.store import Store
from tests.store.helpers import (
    KEY,
    KNOWN_EXCHANGES,
    KNOWN_VOTES,
    count,
    exchange,
    fetch,
    ps,
    seed,
)

NOW = datetime(2024, 7, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "conversations.sqlite3"
    seed(path, KNOWN_EXCHANGES, KNOWN_VOTES)
    return path


def review_main(argv: list[str], db: Path, key: str | None = KEY) -> int:
    """`run.py review ARGV` through the one parser tree of bot.cli, on `db` with `key`."""
    try:
        args = cli.build_parser().parse_args(["review", *argv])
    except SystemExit as exc:  # --help (0) or a usage error (2), as the command line ends
        return int(exc.code or 0)
    return review.run(args, Store.sqlite(db, key), now=NOW)


def run(db: Path, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = review_main(list(argv), db)
    out, err = capsys.readouterr()
    return code, out, err


# ---- stats ----------------------------------------------------------------------------------

STATS = """\
Conversation log, all time (UTC)
15 exchanges: 14 queries, 1 command, 0 button taps, from 5 users
throttled (over a user's budget, not counted as queries): 0

outcome    queries  share
answered         6  42.9%
suggested        2  14.3%
declined         4  28.6%
unknown          1   7.1%
smalltalk        1   7.1%
other            0   0.0%

language  queries  answered
en             11     27.3%
de              2    100.0%
zh              1    100.0%

day         queries  answered  users
2024-06-25        4     75.0%      3
2024-06-26        5     20.0%      4
2024-06-27        5     40.0%      4

top intent    answered
signing_date         3
areas                1
data_centres         1
signatories          1

latency: median 70 ms, p95 140 ms
feedback: 3 helpful, 2 not helpful
"""


def test_stats_table(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Commands are not queries; latency is over every exchange (median 70, p95 nearest-rank)."""
    assert run(db, capsys, "stats") == (0, STATS, "")


def test_stats_json_is_the_same_numbers(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(db, capsys, "stats", "--json")
    data = json.loads(out)
    assert code == 0
    assert (data["queries"], data["users"], data["commands"]) == (14, 5, 1)
    assert data["rates"]["answered"] == 0.4286
    assert data["days"][0] == {"day": "2024-06-25", "queries": 4, "answered": 3, "users": 3}
    assert data["top_intents"][0] == ["signing_date", 3]
    assert (data["latency_median_ms"], data["latency_p95_ms"]) == (70.0, 140.0)


@pytest.mark.parametrize(
    ("argv", "queries", "period"),
    [
        pytest.param([], 14, "all time", id="everything"),
        pytest.param(["--since", "2024-06-26"], 10, "from 2024-06-26", id="since-day"),
        # --until names the last day included, not the first one left out
        pytest.param(["--until", "2024-06-25"], 4, "until 2024-06-25", id="until-day"),
        pytest.param(["--since", "2024-06-26", "--until", "2024-06-26"], 5, "2024-06-26", id="one-day"),
        pytest.param(
            ["--since", "2024-06-25T11:00"], 12, "from 2024-06-25 11:00", id="since-time"
        ),  # 11:00 itself is included
        pytest.param(["--since", "2025-01-01"], 0, "from 2025-01-01", id="empty"),
    ],
)
def test_since_and_until_bound_the_report(
    db: Path, capsys: pytest.CaptureFixture[str], argv: list[str], queries: int, period: str
) -> None:
    data = json.loads(run(db, capsys, "stats", "--json", *argv)[1])
    assert (data["queries"], data["period"]) == (queries, period)


def test_stats_summary_for_telegram(db: Path) -> None:
    assert review.stats_summary(Store.sqlite(db)) == (
        "Conversation log, all time\n"
        "14 queries from 5 users; answered 42.9%, suggested 14.3%, declined 28.6%\n"
        "Languages: en 11, de 2, zh 1\n"
        "Top intents: signing_date 3, areas 1, data_centres 1\n"
        "Latency: median 70 ms, p95 140 ms\n"
        "Feedback: 3 helpful, 2 not helpful\n"
        "Throttled (not counted as queries): 0"
    )
    since = datetime(2025, 1, 1, tzinfo=UTC)
    assert review.stats_summary(Store.sqlite(db), since=since) == (
        "Conversation log, from 2025-01-01: no queries yet."
    )


# ---- unanswered and suggest -----------------------------------------------------------------

UNANSWERED = """\
Unanswered queries, all time (UTC): 8 in 5 clusters

#  queries  users  lang  nearest intent  score  question
1        3      3  en    metro_lines      0.32  Who paid for the metro?
2        2      2  en    history          0.58  How many employees in Chongqing?
3        1      1  de    data_centres     0.74  Was steht im Vertrag über Rechenzentren?
4        1      1  en    areas            0.20  What is the revenue of Siemens China?
5        1      1  en    signatories      0.82  Who signed the agreement?
"""


def test_unanswered_clusters_largest_first(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Declined and suggested queries, plus answers voted down; the known unknown is left out."""
    assert run(db, capsys, "unanswered") == (0, UNANSWERED, "")


def test_unanswered_json_lists_every_wording(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(run(db, capsys, "unanswered", "--json", "--limit", "2")[1])
    assert [c["size"] for c in data] == [3, 2]
    assert data[0]["questions"] == [
        {"lang": "en", "text": "Who paid for the metro?"},
        {"lang": "en", "text": "who paid for the metro lines"},
    ]
    assert (data[0]["intent"], data[0]["score"], data[0]["langs"]) == (
        "metro_lines",
        pytest.approx(0.32),
        {"en": 3},
    )


def test_below_also_counts_answers_with_low_confidence(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(run(db, capsys, "unanswered", "--json", "--below", "0.9")[1])
    assert sum(c["size"] for c in data) == 9  # + "Which areas ..." answered at 0.88


def test_unanswered_top_for_telegram(db: Path) -> None:
    assert review.unanswered_top(Store.sqlite(db), limit=3) == (
        "Unanswered: 8 queries in 5 clusters\n"
        "1. 3× Who paid for the metro? (nearest metro_lines 0.32)\n"
        "2. 2× How many employees in Chongqing? (nearest history 0.58)\n"
        "3. 1× Was steht im Vertrag über Rechenzentren? (nearest data_centres 0.74)"
    )


SUGGEST_FIRST_TWO = """\
# 1. 3 queries from 3 users
# hint: nearest intent metro_lines (score 0.32), not close
# (answer from the press release only; if it does not say, use kind: unknown)
- id: paid_metro
  topic: TODO
  kind: fact
  source:
    - TODO
  answer:
    de: TODO
    en: TODO
    zh: TODO
  questions:
    en:
      - Who paid for the metro?
      - who paid for the metro lines

# 2. 2 queries from 2 users
# hint: nearest intent history (score 0.58), which did not answer them;
# if they ask what it answers, add them there: review promote QUERY --to history
# (answer from the press release only; if it does not say, use kind: unknown)
- id: many_employees_chongqing
  topic: TODO
  kind: fact
  source:
    - TODO
  answer:
    de: TODO
    en: TODO
    zh: TODO
  questions:
    en:
      - How many employees in Chongqing?
      - How many employees does Siemens have in Chongqing?
"""


def test_suggest_writes_yaml_to_paste(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every cluster becomes a new intent skeleton; the nearest intent is a hint, never the target
    (the bot chose it for these questions and did not answer)."""
    assert run(db, capsys, "suggest", "--limit", "2") == (0, SUGGEST_FIRST_TWO, "")
    out = run(db, capsys, "suggest")[1]
    items = yaml.safe_load(out)  # all snippets together are one YAML list
    assert [item["id"] for item in items] == [
        "paid_metro",
        "many_employees_chongqing",
        "steht_vertrag_uber",
        "revenue_siemens_china",
        "signed_agreement",
    ]
    assert all(item["kind"] == "fact" and item["topic"] == "TODO" for item in items)
    assert items[2]["questions"] == {"de": ["Was steht im Vertrag über Rechenzentren?"]}
    assert "answered by signatories but marked not helpful" in out


def test_suggest_json_names_the_nearest_intent_as_a_hint(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads(run(db, capsys, "suggest", "--json")[1])
    assert [d["nearest"] for d in data][:2] == ["metro_lines", "history"]
    assert yaml.safe_load(data[1]["yaml"])[0]["id"] == "many_employees_chongqing"


def test_suggest_leaves_out_questions_the_fact_base_holds(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A question already in the base is not proposed again; a cluster made only of such
    questions is left out (through the command line, which reads KNOWLEDGE_DIR)."""
    args = cli.build_parser().parse_args(["review", "suggest"])
    args.known = frozenset(
        {"who paid for the metro", "who paid for the metro lines", "how many employees in chongqing"}
    )
    assert review.run(args, Store.sqlite(db, KEY), now=NOW) == 0
    items = yaml.safe_load(capsys.readouterr().out)
    assert "paid_metro" not in [item["id"] for item in items]
    assert items[0]["questions"] == {"en": ["How many employees does Siemens have in Chongqing?"]}


@pytest.mark.parametrize(
    ("a", "b", "together"),
    [
        pytest.param("Who paid for the metro?", "who paid for the metro lines", True, id="extra"),
        pytest.param("When was it signed", "when was the agreement signed", True, id="insert"),
        pytest.param("Wer hat unterschrieben?", "Wer hat den Vertrag unterschrieben?", True, id="de"),
        pytest.param("什么时候签的", "什么时候签署的", True, id="zh"),
        # a one-word text is contained in many longer ones; it must not swallow them
        pytest.param("hi", "hi there how are you", False, id="short-subset"),
        pytest.param("who signed the agreement", "who signed the contract", False, id="different-object"),
        pytest.param("What is the revenue?", "Who paid for the metro?", False, id="unrelated"),
    ],
)
def test_which_questions_share_a_cluster(a: str, b: str, together: bool) -> None:
    queries = [Query(t, "en", None, None, "u", "declined") for t in (a, b)]
    assert (len(cluster(queries)) == 1) is together
    assert (similarity(cluster_key(a), cluster_key(b)) >= 75) is together


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Who paid for the metro?", "paid_metro", id="en"),
        pytest.param("Was steht über Rechenzentren drin?", "steht_uber_rechenzentren", id="de"),
        pytest.param("签约时间是什么时候？", "new_intent_3", id="zh-has-no-ascii-words"),
    ],
)
def test_new_intent_ids_come_from_content_words(text: str, expected: str) -> None:
    assert intent_id(text, 3) == expected


# ---- export ---------------------------------------------------------------------------------


def test_export_csv_first_day(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(db, capsys, "export", "--until", "2024-06-25")
    reply = "The agreement was signed on 20 June 2024."
    u1, u2, u3, u4 = (ps(u) for u in (1001, 1002, 1003, 1004))
    assert code == 0
    assert out.split("\r\n") == [
        "id,ts,channel,user_ps,chat_ps,chat_type,kind,lang,lang_pinned,text,reply,intent,"
        "confidence,outcome,latency_ms,feedback",
        f"e01,2024-06-25T09:00:00.000000Z,telegram,{u1},{u1},private,message,en,,"
        f"When was it signed?,{reply},signing_date,0.9,answered,10.0,1",
        f"e02,2024-06-25T10:00:00.000000Z,telegram,{u2},{u2},private,message,en,,"
        f"Who signed the agreement?,{reply},signatories,0.82,answered,20.0,-1",
        f"e03,2024-06-25T11:00:00.000000Z,telegram,{u3},{u3},private,message,de,,"
        f"Wann wurde unterschrieben?,{reply},signing_date,0.9,answered,30.0,",
        f"e04,2024-06-25T12:00:00.000000Z,telegram,{u1},{u1},private,message,en,,"
        f"Who paid for the metro?,{reply},metro_lines,0.31,declined,40.0,",
        f"e05,2024-06-25T13:00:00.000000Z,telegram,{u4},{u4},private,command,en,,/start,{reply},,,other,5.0,",
        "",
    ]


def test_export_jsonl_has_every_row_and_no_raw_id(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = run(db, capsys, "export", "--format", "jsonl")[1]
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in rows] == [f"e{i:02}" for i in range(1, 16)]
    assert rows[1]["feedback"] == -1 and rows[2]["feedback"] is None
    for raw in ("1001", "1002", "1003", "1004", "1005"):
        assert raw not in out


def test_export_defuses_spreadsheet_formulas(tmp_path: Path) -> None:
    """A question like '=HYPERLINK(...)' must stay text when the csv is opened."""
    path = tmp_path / "f.sqlite3"
    seed(path, [exchange('=HYPERLINK("http://x")', id="f1", reply="-1 + 2")])
    out = io.StringIO()
    conn = Store.sqlite(path).connect(create=False)
    try:
        assert export(conn, Period(), "csv", out) == 1
    finally:
        conn.close()
    (row,) = csv.DictReader(io.StringIO(out.getvalue()))
    assert (row["text"], row["reply"]) == ('\'=HYPERLINK("http://x")', "'-1 + 2")


def test_export_to_a_file_is_private_and_opens_in_spreadsheets(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "log.csv"
    code, out, err = run(db, capsys, "export", "--output", str(target))
    assert (code, out, err) == (0, "", f"wrote 15 rows to {target}\n")
    assert target.read_bytes().startswith(b"\xef\xbb\xbfid,ts,")  # BOM: Excel reads UTF-8
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


# ---- threshold ------------------------------------------------------------------------------

THRESHOLD = """\
Answer threshold, all time (UTC): 5 queries with feedback
answered = confidence at or above the threshold; wrong = marked not helpful

threshold  answered  coverage  wrong  wrong rate
     0.00         5    100.0%      2       40.0%
     0.25         5    100.0%      2       40.0%
     0.50         5    100.0%      2       40.0%
     0.75         4     80.0%      1       25.0%
     1.00         0      0.0%      0           -
"""


def test_threshold_table(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Votes: +0.9, -0.82, +0.9, +0.88, -0.74; at 0.75 the wrong 0.74 drops out."""
    assert run(db, capsys, "threshold", "--step", "0.25") == (0, THRESHOLD, "")


def test_threshold_json_edges(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(run(db, capsys, "threshold", "--json")[1])
    rows = {r["threshold"]: r for r in data["rows"]}
    assert len(rows) == 21
    # 0.82 is the wrong answer's own confidence: included at 0.8, gone at 0.85
    assert (rows[0.8]["answered"], rows[0.8]["wrong"]) == (4, 1)
    assert (rows[0.85]["answered"], rows[0.85]["wrong"]) == (3, 0)
    assert rows[0.9]["answered"] == 2  # 0.9 itself counts as at the threshold
    assert rows[1.0]["wrong_rate"] is None


# ---- report, forget, errors -----------------------------------------------------------------


def test_report_writes_a_private_html_file(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "review.html"
    assert run(db, capsys, "report", "--html", str(target)) == (
        0,
        f"wrote {target} (14 queries, 5 clusters)\n",
        "",
    )
    assert target.read_text().startswith("<!DOCTYPE html>")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_forget_erases_the_users_rows_and_spill(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    spill = SpillFile(spill_path_for(db), max_rows=10)
    spill.append([{"t": "exchange", "user_ps": ps(1001)}, {"t": "exchange", "user_ps": ps(1002)}])

    assert run(db, capsys, "forget", "1001") == (0, "erased 5 rows of telegram user 1001\n", "")

    # e01, e04, e11, the vote on e01, and the spilled row; the other spilled row stays
    assert fetch(db, "SELECT count(*) FROM exchanges WHERE user_ps = ?", [ps(1001)]) == [(0,)]
    assert count(db) == 12
    assert count(db, "feedback") == 4
    assert spill.take()[0] == [{"t": "exchange", "user_ps": ps(1002)}]
    assert run(db, capsys, "forget", "1001", "--json")[1] == (
        '{"user": "1001", "channel": "telegram", "erased": 0, "press_messages": []}\n'
    )


def test_forget_names_the_ticket_messages_the_press_group_still_shows(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`review forget` cannot edit Telegram messages (the bot's /forget does): it names them."""
    from bot.store import press

    conn = Store.sqlite(db).connect(create=False)
    try:
        _, ticket = press.open_ticket(
            conn,
            exchange_id="e01",
            user_ps=ps(1001),
            chat_id=1001,
            user_name="Ann",
            lang="en",
            question="Q?",
            intent=None,
            confidence=None,
            limit=3,
            now=datetime(2024, 6, 25, tzinfo=UTC),
        )
        assert ticket is not None
        press.set_group_message(conn, ticket.id, 77)
    finally:
        conn.close()
    code, out, _ = run(db, capsys, "forget", "1001")
    assert (code, out.splitlines()[1:]) == (
        0,
        [
            "1 ticket message(s) in the press group still show the question (message ids 77): "
            "delete them there"
        ],
    )
    assert fetch(db, "SELECT count(*) FROM press_tickets") == [(0,)]


def test_forget_without_a_key_explains(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = review_main(["forget", "1001"], db, None)
    out, err = capsys.readouterr()
    assert (code, out) == (1, "")
    assert err.startswith("review: ") and "no pseudonym key" in err and "BOT_PSEUDONYM_KEY" in err


def test_a_missing_log_is_a_sentence_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere.sqlite3"
    code, out, err = run(missing, capsys, "stats")
    assert (code, out) == (1, "")
    assert err == (
        f"review: {missing}: no conversation log here (the bot creates it when it first "
        "starts; check BOT_DB_PATH)\n"
    )
    assert not missing.exists()
    assert review_main(["stats"], missing, None) == 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        pytest.param(["stats", "--since", "2024-13-01"], "is not a date", id="bad-date"),
        pytest.param(["export", "--format", "xlsx"], "invalid choice", id="bad-format"),
        pytest.param(["report"], "--html", id="report-needs-a-file"),
        pytest.param(["nonsense"], "invalid choice", id="unknown-command"),
    ],
)
def test_usage_errors_exit_2(
    db: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, _, err = run(db, capsys, *argv)
    assert code == 2
    assert message in err


@pytest.mark.parametrize("command", list(review.COMMANDS))
def test_every_command_documents_itself_with_an_example(
    db: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    code, out, _ = run(db, capsys, command, "--help")
    assert code == 0
    assert f"example: python run.py review {command}" in out


@pytest.mark.parametrize(
    ("since", "until", "label"),
    [
        pytest.param(None, None, "all time", id="open"),
        pytest.param("2024-06-01", None, "from 2024-06-01", id="since"),
        pytest.param(None, "2024-06-30", "until 2024-06-30", id="until-inclusive-day"),
        pytest.param("2024-06-01", "2024-06-30", "2024-06-01 to 2024-06-30", id="both"),
        pytest.param(
            "2024-06-01T08:30", "2024-06-01T17:00", "2024-06-01 08:30 to 2024-06-01 17:00", id="times"
        ),
    ],
)
def test_period_labels(since: str | None, until: str | None, label: str) -> None:
    period = Period(
        None if since is None else parse_when(since),
        None if until is None else parse_when(until, end=True),
    )
    assert period.label() == label


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param("   ", id="blank"),
        pytest.param("???!!", id="punctuation"),
        pytest.param("？！。", id="full-width-punctuation"),
        pytest.param("🙂🙂🙂", id="emoji"),
        pytest.param("👍🏽 ❤️", id="emoji-with-modifiers"),
    ],
)
@pytest.mark.parametrize("command", ["unanswered", "suggest"])
def test_messages_without_words_are_not_suggested(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, command: str
) -> None:
    """Nothing to add to the fact base from a message with no letters or digits."""
    db = tmp_path / "log.sqlite3"
    seed(
        db,
        [
            exchange(text, id="w1", outcome="declined", intent=None, confidence=0.0),
            exchange("Who paid for the metro?", id="w2", outcome="declined"),
        ],
    )
    code, out, _ = run(db, capsys, command, "--json")
    assert code == 0
    clusters = json.loads(out)
    assert [c["text"] for c in clusters] == ["Who paid for the metro?"]
