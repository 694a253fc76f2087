"""The command line: the `ask --json` contract, the console chat, start-up without a token."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
KEYS = {"question", "answered", "intent", "confidence", "lang", "answer", "suggestions", "source"}


def run(args: list[str], stdin: str = "", env: dict[str, str] | None = None,
        cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "BOT_"))}
    full_env.update(env or {})
    return subprocess.run([sys.executable, str(ROOT / "run.py"), *args], cwd=cwd, input=stdin,
                          capture_output=True, text=True, timeout=120, env=full_env)


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


def test_console_without_token(tmp_path: Path) -> None:
    """`python run.py` with no token opens the console chat and says how to connect Telegram."""
    script = "\n".join([
        "Hallo",
        "/lang en",
        "Wer hat unterschrieben?",
        "/topics",
        "/lang xx",
        "/nonsense",
        "/help",
    ]) + "\n"
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
    proc = run(["console"], stdin="Xiao\n1\n", cwd=tmp_path,
               env={"KNOWLEDGE_DIR": str(ROOT / "knowledge")})
    assert proc.returncode == 0, proc.stderr
    assert "[1]" in proc.stdout
    # After picking 1 there is a second answer block with a source line.
    assert proc.stdout.count("—") >= 1


@pytest.mark.parametrize(
    ("env", "message"),
    [
        pytest.param({"TELEGRAM_BOT_TOKEN": "not-a-token"}, "TELEGRAM_BOT_TOKEN is malformed",
                     id="malformed-token"),
        pytest.param({"KNOWLEDGE_DIR": "/nonexistent/dir"}, "not a readable folder",
                     id="missing-knowledge"),
        pytest.param({"LOG_RETENTION_DAYS": "soon"}, "not a whole number", id="bad-number"),
        pytest.param({"BOT_ADMIN_IDS": "alice"}, "not a numeric Telegram user id", id="bad-admin"),
    ],
)
def test_start_up_fails_fast_with_one_line(tmp_path: Path, env: dict[str, str],
                                           message: str) -> None:
    """Bad settings stop start-up with one clear line and exit 1, no traceback."""
    proc = run([], env=env, cwd=tmp_path)
    assert proc.returncode == 1
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr
    assert "not-a-token" not in proc.stderr + proc.stdout


def test_console_logs_every_exchange(tmp_path: Path) -> None:
    """Console questions land in the conversation log (channel console), pseudonymised."""
    import getpass
    import sqlite3

    db = tmp_path / "log.sqlite3"
    proc = run(["console"], stdin="Wer hat unterschrieben?\nHello!\n/help\n", cwd=tmp_path,
               env={"KNOWLEDGE_DIR": str(ROOT / "knowledge"), "BOT_DB_PATH": str(db)})
    assert proc.returncode == 0, proc.stderr
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT channel, text, outcome FROM exchanges ORDER BY ts").fetchall()
        users = {r[0] for r in conn.execute("SELECT user_ps FROM exchanges")}
    assert [(c, t) for c, t, _ in rows] == [("console", "Wer hat unterschrieben?"),
                                           ("console", "Hello!")]
    assert rows[0][2] == "answered" and rows[1][2] == "smalltalk"
    assert getpass.getuser() not in users and None not in users
