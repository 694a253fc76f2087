"""The command line: the `ask --json` contract, the console chat, start-up without a token.

The answers, the console and start-up run `python run.py` as a process; the parser's checks, the
edge values and each command's --help call the same entry point (bot.cli.main) in the test's
process, with the same clean environment and folder, which spares a Python start and the import
of the whole stack for each of forty cases (a few of them stay processes: the top-level --help).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from tests.engines import cache_env, warm

ROOT = Path(__file__).resolve().parents[1]
KEYS = {"question", "answered", "intent", "confidence", "lang", "answer", "suggestions", "source"}


def run(
    args: list[str], stdin: str = "", env: dict[str, str] | None = None, cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "BOT_"))}
    warm()
    full_env.update({**cache_env(), **(env or {})})
    return subprocess.run(
        [sys.executable, str(ROOT / "run.py"), *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env=full_env,
    )


def run_in_process(
    args: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    env: dict[str, str] | None = None,
    cwd: Path = ROOT,
) -> subprocess.CompletedProcess[str]:
    """What `run(args, env=env, cwd=cwd)` would give, from bot.cli.main in this process: the same
    environment (no TELEGRAM_* or BOT_* but those given), folder, exit code, stdout and stderr."""
    for key in list(os.environ):
        if key.startswith(("TELEGRAM_", "BOT_")):
            monkeypatch.delenv(key)
    for key, value in {**cache_env(), **(env or {})}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.chdir(cwd)
    capsys.readouterr()
    try:
        code = main(args)
    except SystemExit as exc:  # argparse: --help (0) and usage errors (2)
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    return subprocess.CompletedProcess(["run.py", *args], code, out, err)


def test_ask_json_one_object_per_line_in_order() -> None:
    """Every stdin line gets exactly one JSON object, in order, with the contract's keys."""
    questions = [
        "Wann wurde die Vereinbarung unterzeichnet?",
        "Who witnessed the signing?",
        "谁签署了协议？",
        "",
        "Wie wird das Wetter morgen?",
        "How many jobs will the agreement create?",
        "x" * 10_000,
        "🙂🙂🙂",
    ]
    proc = run(["ask", "--json"], stdin="\n".join(questions) + "\n")
    assert proc.returncode == 0, proc.stderr
    replies = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["question"] for r in replies] == questions
    for reply in replies:
        assert reply.keys() >= KEYS
        assert isinstance(reply["answered"], bool)
        assert 0.0 <= reply["confidence"] <= 1.0
        assert reply["lang"] in {"de", "en", "zh"}
        assert reply["answer"]
        for suggestion in reply["suggestions"]:
            assert set(suggestion) == {"intent", "question"}
    date, witness, signers, empty, weather, jobs, long, emoji = replies
    assert date["answered"] and date["intent"] == "signing_date" and date["lang"] == "de"
    assert "20. Juni 2024" in date["answer"] and date["source"]
    assert witness["answered"] and "Busch" in witness["answer"] and witness["lang"] == "en"
    assert signers["answered"] and "肖松" in signers["answer"] and signers["lang"] == "zh"
    assert not empty["answered"] and empty["intent"] is None
    assert not weather["answered"] and weather["intent"] is None
    assert not jobs["answered"] and jobs["intent"] == "unknown_jobs" and "not" in jobs["answer"]
    assert not long["answered"] and not emoji["answered"]


def test_ask_with_arguments_and_lang() -> None:
    """Each argument is one question; --lang pins the answer language."""
    proc = run(["ask", "--json", "--lang", "zh", "When was the agreement signed?", "Who is Xiao Song?"])
    assert proc.returncode == 0, proc.stderr
    first, second = [json.loads(line) for line in proc.stdout.splitlines()]
    assert first["question"] == "When was the agreement signed?"
    assert first["lang"] == "zh" and "2024年6月20日" in first["answer"]
    assert second["intent"] == "person_xiao_song" and "肖松" in second["answer"]


def test_ask_chat_carries_the_conversations_moves() -> None:
    """`ask --chat`: "the second one" and "the date you mentioned before" are read in the lines
    before them; after `---` the same words have nothing to point at."""
    lines = ["When was the agreement signed?", "Who signed it?", "And the second one?"]
    lines += ["Back to the date you mentioned before", "---", "And the second one?"]
    proc = run(["ask", "--json", "--chat"], stdin="\n".join(lines) + "\n")
    assert proc.returncode == 0, proc.stderr
    intents = [json.loads(line)["intent"] for line in proc.stdout.splitlines()]
    assert intents[:4] == ["signing_date", "signatories", "person_xiao_song", "signing_date"]
    assert intents[4] != "person_xiao_song"


def test_console_without_token(tmp_path: Path) -> None:
    """`python run.py` with no token opens the console chat and says how to connect Telegram."""
    script = (
        "\n".join(
            [
                "Hallo",
                "/lang en",
                "Wer hat unterschrieben?",
                "/topics",
                "/lang xx",
                "/nonsense",
                "/help",
            ]
        )
        + "\n"
    )
    proc = run([], stdin=script, cwd=tmp_path, env={"KNOWLEDGE_DIR": str(ROOT / "knowledge")})
    assert proc.returncode == 0, proc.stderr
    assert "TELEGRAM_BOT_TOKEN" in proc.stderr and "@BotFather" in proc.stderr
    out = proc.stdout
    assert "Chongqing" in out
    assert "Answers now in en." in out
    assert "Chen Xinwu" in out  # the German question answered in pinned English
    assert "Usage: /lang" in out and "Unknown command" in out and "Ctrl-D" in out


def test_console_numbered_suggestions(tmp_path: Path) -> None:
    """A vague question offers numbered choices; typing a number answers that intent."""
    proc = run(["console"], stdin="Xiao\n1\n", cwd=tmp_path, env={"KNOWLEDGE_DIR": str(ROOT / "knowledge")})
    assert proc.returncode == 0, proc.stderr
    assert "[1]" in proc.stdout
    # After picking 1 there is a second answer block with a source line.
    assert proc.stdout.count("—") >= 1


@pytest.mark.parametrize(
    ("env", "message"),
    [
        pytest.param(
            {"TELEGRAM_BOT_TOKEN": "not-a-token"}, "TELEGRAM_BOT_TOKEN is malformed", id="malformed-token"
        ),
        pytest.param({"KNOWLEDGE_DIR": "/nonexistent/dir"}, "not a readable folder", id="missing-knowledge"),
        pytest.param({"LOG_RETENTION_DAYS": "soon"}, "not a whole number", id="bad-number"),
        pytest.param({"BOT_ADMIN_IDS": "alice"}, "not a numeric Telegram user id", id="bad-admin"),
    ],
)
def test_start_up_fails_fast_with_one_line(tmp_path: Path, env: dict[str, str], message: str) -> None:
    """Bad settings stop start-up with one clear line and exit 1, no traceback."""
    proc = run([], env=env, cwd=tmp_path)
    assert proc.returncode == 1
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr
    assert "not-a-token" not in proc.stderr + proc.stdout


@pytest.mark.slow
def test_console_logs_every_exchange(tmp_path: Path) -> None:
    """Console questions land in the conversation log (channel console), pseudonymised."""
    import getpass
    import sqlite3

    db = tmp_path / "log.sqlite3"
    proc = run(
        ["console"],
        stdin="Wer hat unterschrieben?\nHello!\n/help\n",
        cwd=tmp_path,
        env={"KNOWLEDGE_DIR": str(ROOT / "knowledge"), "BOT_DB_PATH": str(db)},
    )
    assert proc.returncode == 0, proc.stderr
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT channel, text, outcome FROM exchanges ORDER BY ts").fetchall()
        users = {r[0] for r in conn.execute("SELECT user_ps FROM exchanges")}
    assert [(c, t) for c, t, _ in rows] == [("console", "Wer hat unterschrieben?"), ("console", "Hello!")]
    assert rows[0][2] == "answered" and rows[1][2] == "smalltalk"
    assert getpass.getuser() not in users and None not in users


# ---- one parser tree: errors are one line on stderr, never a traceback --------------------------


def seeded_log(folder: Path) -> Path:
    """A small real conversation log (the known log of tests/store/helpers.py)."""
    from tests.store.helpers import KNOWN_EXCHANGES, KNOWN_VOTES, seed

    db = folder / "log.sqlite3"
    seed(db, KNOWN_EXCHANGES, KNOWN_VOTES)
    return db


@pytest.mark.parametrize(
    ("args", "env", "code", "message"),
    [
        pytest.param(
            ["review", "threshold", "--step", "0"], {}, 2, "--step: 0 is invalid", id="threshold-step-zero"
        ),
        # 1e-9 would ask for a billion rows: steps under 0.001 are refused, not run
        pytest.param(
            ["review", "threshold", "--step", "1e-9"], {}, 2, "use 0.001 to 1", id="threshold-step-tiny"
        ),
        pytest.param(
            ["review", "threshold", "--step", "nan"], {}, 2, "--step: nan is invalid", id="threshold-step-nan"
        ),
        pytest.param(
            ["review", "unanswered", "--similarity", "500"],
            {},
            2,
            "use 0 to 100",
            id="similarity-out-of-range",
        ),
        pytest.param(
            ["review", "unanswered", "--limit", "0"], {}, 2, "--limit: 0 is invalid", id="limit-zero"
        ),
        pytest.param(
            ["review", "suggest", "--near", "2"], {}, 2, "--near: 2 is invalid", id="near-out-of-range"
        ),
        pytest.param(["review", "stats", "--top", "-3"], {}, 2, "--top: -3 is invalid", id="top-negative"),
        pytest.param(
            ["review", "stats", "--top", "1e20"], {}, 2, "'1e20' is not a whole number", id="top-not-whole"
        ),
        pytest.param(
            ["review", "stats", "--top", "100000000000000000000"],
            {},
            2,
            "--top: 100000000000000000000 is invalid",
            id="top-beyond-sqlite",
        ),
        pytest.param(["review", "stats", "--since", "2024-13-01"], {}, 2, "is not a date", id="bad-date"),
        pytest.param(
            ["review", "report", "--html", "/no/such/dir/r.html"],
            {},
            2,
            "the folder /no/such/dir does not exist",
            id="report-into-missing-folder",
        ),
        pytest.param(
            ["review", "export", "-o", "/no/such/dir/x.csv"],
            {},
            2,
            "the folder /no/such/dir does not exist",
            id="export-into-missing-folder",
        ),
        # checked before the benchmark runs: no minutes of work lost to a typo in the path
        pytest.param(
            ["bench", "--json", "/no/such/dir/x.json"],
            {},
            2,
            "the folder /no/such/dir does not exist",
            id="bench-json-missing-folder",
        ),
        pytest.param(
            ["review", "promote", "x", "--new", "y"],
            {},
            2,
            "--new needs --topic",
            id="promote-new-without-topic",
        ),
        pytest.param(["review"], {}, 2, "required: COMMAND", id="review-without-command"),
        pytest.param(["nonsense"], {}, 2, "invalid choice", id="unknown-command"),
        pytest.param(
            ["ask", "hi"],
            {"MATCH_ANSWER_THRESHOLD": "0.3", "MATCH_SUGGEST_THRESHOLD": "0.4"},
            1,
            "MATCH_ANSWER_THRESHOLD=0.3 is below MATCH_SUGGEST_THRESHOLD=0.4",
            id="inverted-thresholds",
        ),
        # the default answer threshold (0.64) is below a suggest threshold set alone at 0.9
        pytest.param(
            ["ask", "hi"],
            {"MATCH_SUGGEST_THRESHOLD": "0.9"},
            1,
            "MATCH_ANSWER_THRESHOLD=0.64 (the default) is below",
            id="inverted-by-default",
        ),
        pytest.param(
            ["review", "stats"],
            {"BOT_DB_PATH": "/no/such/log.sqlite3"},
            1,
            "no conversation log here",
            id="no-log",
        ),
        pytest.param(
            ["review", "forget", "abc"], {}, 2, "'abc' is not a Telegram user id", id="forget-not-a-number"
        ),
        pytest.param(
            ["review", "stats", "--since", "2024-07-01", "--until", "2024-06-01"],
            {},
            2,
            "--since is after --until",
            id="empty-range",
        ),
        pytest.param(
            ["review", "export", "--json", "--format", "csv"],
            {},
            2,
            "--json writes JSON lines",
            id="export-formats",
        ),
        # Files that are not question sets: one line naming the file and the format, exit 1.
        pytest.param(
            ["bench", "--ablation", str(ROOT / "README.md")],
            {},
            1,
            "README.md:1: not YAML text",
            id="ablation-markdown",
        ),
        pytest.param(
            ["bench", "--ablation", str(ROOT / "knowledge" / "agreement.yaml")],
            {},
            1,
            "agreement.yaml: not a question set; expected a YAML list of questions",
            id="ablation-fact-file",
        ),
    ],
)
def test_command_line_errors_are_one_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    env: dict[str, str],
    code: int,
    message: str,
) -> None:
    """A bad command line (2) or a problem found (1): one line on stderr naming it, no traceback."""
    proc = run_in_process(args, monkeypatch, capsys, env=env, cwd=tmp_path)
    assert proc.returncode == code, proc.stderr
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.splitlines()) == 1, proc.stderr
    assert message in proc.stderr
    assert proc.stdout == ""


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        pytest.param(
            ["review", "stats", "--until", "9999-12-31"], "until 9999-12-31", id="until-end-of-calendar"
        ),
        pytest.param(
            ["review", "stats", "--since", "0001-01-01"], "from 0001-01-01", id="since-start-of-calendar"
        ),
        pytest.param(["review", "threshold", "--step", "0.001"], "1.00", id="smallest-step"),
        pytest.param(
            ["review", "unanswered", "--limit", "1", "--similarity", "100"],
            "Unanswered queries",
            id="edge-values",
        ),
    ],
)
def test_edge_values_run(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    expected: str,
) -> None:
    """Values at the edge of what an option accepts run the report."""
    db = seeded_log(tmp_path)
    proc = run_in_process(args, monkeypatch, capsys, env={"BOT_DB_PATH": str(db)}, cwd=tmp_path)
    assert (proc.returncode, proc.stderr) == (0, "")
    assert expected in proc.stdout


@pytest.mark.parametrize(
    ("args", "options"),
    [
        pytest.param(["review", "stats"], ["--top", "--since", "--until", "--json"], id="stats"),
        pytest.param(["review", "unanswered"], ["--limit", "--similarity", "--below"], id="unanswered"),
        pytest.param(["review", "suggest"], ["--near", "--limit"], id="suggest"),
        pytest.param(["review", "export"], ["--format", "--output"], id="export"),
        pytest.param(["review", "threshold"], ["--step"], id="threshold"),
        pytest.param(["review", "report"], ["--html"], id="report"),
        pytest.param(["review", "forget"], ["USER", "--channel"], id="forget"),
        pytest.param(["review", "promote"], ["--to", "--new", "--topic"], id="promote"),
        pytest.param(["bench"], ["--quick", "--tiny", "--json", "--no-e2e"], id="bench"),
        pytest.param(["ask"], ["--json", "--lang"], id="ask"),
        pytest.param(["validate"], ["dir"], id="validate"),
    ],
)
def test_help_lists_the_real_options_and_an_example(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], args: list[str], options: list[str]
) -> None:
    """`--help` of every sub-command shows its options, its docstring's example, the exit codes."""
    proc = run_in_process([*args, "--help"], monkeypatch, capsys)
    assert (proc.returncode, proc.stderr) == (0, "")
    for option in options:
        assert option in proc.stdout
    assert "python run.py " + " ".join(args) in proc.stdout
    assert "exit codes:" in proc.stdout


def test_top_level_help_documents_exit_codes() -> None:
    proc = run(["--help"])
    assert proc.returncode == 0
    assert "exit codes:" in proc.stdout and "2  usage" in proc.stdout
    for command in ("run", "console", "ask", "validate", "review", "bench"):
        assert f"    {command} " in proc.stdout


def test_export_into_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    """`review export | head -1`: exit 0, nothing on stderr, once the reader has gone."""
    from tests.store.helpers import exchange, seed

    db = tmp_path / "big.sqlite3"
    seed(db, [exchange("When was it signed? " * 20, id=f"x{i:05}") for i in range(3000)])
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "BOT_"))}
    env["BOT_DB_PATH"] = str(db)
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "run.py"), "review", "export"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline().startswith(b"id,ts,")
    proc.stdout.close()  # what `head -1` does after its line
    with proc.stderr:
        err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0
    assert err == ""


@pytest.mark.parametrize(
    ("venv", "runs"),
    [
        pytest.param(".venv", True, id="venv"),
        pytest.param(".ci-venv", True, id="ci-venv"),
        pytest.param("", False, id="none"),
    ],
)
def test_run_py_outside_the_venv_runs_in_the_projects_own(tmp_path: Path, venv: str, runs: bool) -> None:
    """`python run.py` with an interpreter that lacks the packages (a scorer's `python`, the venv
    not activated) starts itself again with the project's .venv or .ci-venv; with none, it says
    in one line to install the project (exit 1)."""
    (tmp_path / "run.py").write_text((ROOT / "run.py").read_text(encoding="utf-8"), encoding="utf-8")
    if venv:
        # The project's venv: this interpreter with its packages (a script that runs it, as a
        # symlink would lose the venv's own site-packages).
        python = tmp_path / venv / "bin" / "python"
        python.parent.mkdir(parents=True)
        python.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n', encoding="utf-8")
        python.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k != "STAKEHOLDER_BOT_IN_VENV"}
    # -S: no site-packages, so the project's packages are missing, as for a bare `python`.
    proc = subprocess.run(
        [sys.executable, "-S", str(tmp_path / "run.py"), "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    if runs:
        assert proc.returncode == 0 and "usage" in proc.stdout.lower(), proc.stderr
    else:
        assert proc.returncode == 1 and "install the project first" in proc.stderr
