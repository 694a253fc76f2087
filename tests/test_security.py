"""Security checks as tests: admin commands, the token in logs, file modes, secrets in the repository.

Already covered elsewhere, so not repeated here: /stats, /unanswered and /reload refused to a
member in a private chat (test_telegram_private::test_commands, test_telegram_admin), the token
absent from a subprocess's stderr and files at DEBUG level (test_telegram_run), the store's own
file modes (test_store). What is added: the same refusal in groups, the token in no log record of
a whole in-process run with faults and errors, the modes of every file the running bot makes, the
ignore rules, and a scan of the repository (working tree and history) for secrets.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.settings import Settings
from bot.telegram.redaction import configure_logging
from bot.testing.fake_bot_api import BOT_USERNAME, TOKEN
from tests.fakes.telegram_harness import ADMIN_ID, ROOT, ExplodingEngine, running_bot, shared_engine
from tests.store.helpers import exchange

SECRET = TOKEN.split(":", 1)[1]
QUESTION = "When was the agreement signed?"
# PTB 22 warns that `retry_after` will become a timedelta whenever it builds a RetryAfter.
IGNORE_RETRY_AFTER_WARNING = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")


# ---- admin commands in groups ---------------------------------------------------------------


@pytest.mark.parametrize("command", ["/stats", "/unanswered", "/reload"])
async def test_admin_commands_are_refused_to_members_in_groups(tmp_path: Path, command: str) -> None:
    """A member naming the bot gets the unknown-command reply; without the name, silence. Neither
    shows anything of the log or the fact base."""
    async with running_bot(tmp_path) as tg:
        group = {"chat_id": -100_777, "chat_type": "supergroup", "user_id": 1001}
        [refusal] = await tg.say(f"{command}@{BOT_USERNAME}", **group)
        assert "don't know that command" in str(refusal.result["text"])
        assert await tg.say(command, **group) == []
        assert tg.api.rejected() == []


# ---- the token in no log record --------------------------------------------------------------


def token_in_error(question: str) -> Exception:
    return RuntimeError(f"could not reach https://api.telegram.org/bot{TOKEN}/sendMessage")


@pytest.fixture
def production_logging(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """Capture at DEBUG with the logging set-up `run.py` uses (its redaction filter on every
    handler, httpx quiet); undone afterwards."""
    caplog.set_level(logging.DEBUG)
    levels = {name: logging.getLogger(name).level for name in ("httpx", "httpcore")}
    redactor = configure_logging(Settings(token=TOKEN, log_level="DEBUG"))
    try:
        yield caplog
    finally:
        for handler in logging.getLogger().handlers:
            handler.removeFilter(redactor)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


@IGNORE_RETRY_AFTER_WARNING
@pytest.mark.slow
async def test_no_log_record_of_a_whole_run_holds_the_token(
    tmp_path: Path, production_logging: pytest.LogCaptureFixture
) -> None:
    """Questions, buttons, inline mode, admin commands, 429, 502, a blocked user and a handler
    that raises with the token in its message: no record, message or traceback, holds the token,
    and neither does anything sent to admins."""
    async with running_bot(
        tmp_path,
        engine=ExplodingEngine(
            shared_engine(),
            token_in_error,
        ),
    ) as tg:
        tg.api.chat(ADMIN_ID)
        [answer] = await tg.say(QUESTION)
        await tg.tap(answer)  # 👍
        tg.api.inline_query(QUESTION)
        tg.api.fail("sendMessage", "502", times=2)
        await tg.say("Who signed the agreement?")
        tg.api.fail("sendMessage", "429", value=1)
        await tg.say("Hello")
        tg.api.fail("sendMessage", "403", chat_id=2002)
        await tg.say(QUESTION, user_id=2002)
        await tg.say("boom")
        for command in ("/stats", "/unanswered", "/reload"):
            await tg.say(command, user_id=ADMIN_ID)
        admin_texts = [str(c.params) for c in tg.api.calls(ok=None) if c.params.get("chat_id") == ADMIN_ID]
    records = production_logging.records
    # A whole run at DEBUG, not an empty capture (the framework and aiosqlite stay at INFO).
    assert len(records) > 10
    assert any(r.exc_info or r.exc_text for r in records)  # tracebacks were logged too
    formatted = [production_logging.handler.format(r) for r in records]
    for line in formatted:
        assert SECRET not in line, line
    assert any("[REDACTED]" in line for line in formatted)  # it was there, and was hidden
    assert any("RuntimeError: could not reach" in t for t in admin_texts)
    assert not any(SECRET in t for t in admin_texts)


# ---- file modes ------------------------------------------------------------------------------


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """umask 0 for the test: a mode of 600 must come from the code, not from the environment."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


async def test_every_file_the_bot_makes_is_mode_600(tmp_path: Path, open_umask: None) -> None:
    """Database, -wal, -shm, the generated pseudonym key, the spill file and its lock: 600; the
    data folder the bot creates: 700."""
    data = tmp_path / "data"
    db = data / "log.sqlite3"
    async with running_bot(tmp_path, db_path=db, pseudonym_key=None) as tg:
        await tg.say(QUESTION)
        await tg.log.flush()
        # A directory where the database was: the log cannot open it, so the next row spills.
        for suffix in ("", "-wal", "-shm"):
            db.with_name(db.name + suffix).unlink(missing_ok=True)
        db.mkdir()
        # (An update would now wait unacknowledged: the inbox cannot store it either. The row
        # is handed to the log directly.)
        tg.log.log(exchange(QUESTION, user=2002))
        await tg.log.flush()
        assert tg.log.counts.spilled == 1 and tg.log.spill.path.exists()
        spill_mode = mode(tg.log.spill.path)
        shutil.rmtree(db)
        rows = await tg.rows()  # recovered: the spilled row imported into a new database
        assert len(rows) == 1 and tg.log.counts.imported == 1
        await tg.say(QUESTION, user_id=3003)
        await tg.log.flush()
        made = {p.name: mode(p) for p in data.iterdir() if p.is_file()}
    assert spill_mode == 0o600
    assert {
        "log.sqlite3",
        "log.sqlite3-wal",
        "log.sqlite3-shm",
        "log.sqlite3.pseudonym-key",
        "log.sqlite3.spill.jsonl.lock",
    } <= set(made)
    assert made == dict.fromkeys(made, 0o600), made
    assert mode(data) == 0o700


# ---- the repository ----------------------------------------------------------------------------


def git(*args: str) -> subprocess.CompletedProcess[str]:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False, timeout=60)


@pytest.mark.parametrize(
    "path",
    [
        pytest.param(".env", id="env"),
        pytest.param("data/conversations.sqlite3", id="default-database"),
        pytest.param("data/conversations.sqlite3.pseudonym-key", id="default-key"),
        pytest.param("data/conversations.sqlite3.spill.jsonl", id="default-spill"),
        pytest.param("elsewhere/log.sqlite3-wal", id="any-database-wal"),
        # BOT_DB_PATH may name any file: the key and spill files follow its name.
        pytest.param("var/lib/bot/log.db.pseudonym-key", id="key-beside-any-database"),
        pytest.param("var/lib/bot/log.db.spill.jsonl", id="spill-beside-any-database"),
        pytest.param("srv/chat.sqlite.spill.jsonl.importing", id="spill-being-imported"),
        pytest.param("srv/chat.sqlite-shm", id="any-database-shm"),
    ],
)
def test_secret_files_are_git_ignored_and_untracked(path: str) -> None:
    """The token's .env and the log's files can never be committed by accident."""
    assert git("check-ignore", "-q", "--no-index", path).returncode == 0, path
    assert git("ls-files", "--", path).stdout == ""


TOKEN_SHAPE = re.compile(r"\b\d{6,}:[A-Za-z0-9_-]{30,}")
PRIVATE_KEY = re.compile(r"-----BEGIN ((RSA|DSA|EC|OPENSSH|ENCRYPTED|PGP) )?PRIVATE KEY( BLOCK)?-----")


# Telegram's own example token from the Bot API documentation: public, never a real bot's.
DOCUMENTED_EXAMPLES = frozenset({"123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11"})


def looks_fake(token: str) -> bool:
    """Test tokens say so, are Telegram's documented example, or are too regular to be real."""
    if token in DOCUMENTED_EXAMPLES:
        return True
    secret = token.split(":", 1)[1]
    return bool(re.search(r"test|fake|example|dummy|revoked|x{6}", secret, re.I)) or len(set(secret)) < 10


def secrets_in(text: str) -> list[str]:
    found = [m.group(0) for m in TOKEN_SHAPE.finditer(text) if not looks_fake(m.group(0))]
    return found + [m.group(0) for m in PRIVATE_KEY.finditer(text)]


def test_no_secret_in_the_working_tree() -> None:
    """No Telegram token (other than obvious fakes) and no private key in any file git would
    commit: tracked files and new files that are not ignored."""
    listed = git("ls-files", "-z", "--cached", "--others", "--exclude-standard").stdout
    leaks: dict[str, list[str]] = {}
    for name in filter(None, listed.split("\0")):
        path = ROOT / name
        if not path.is_file():
            continue
        found = secrets_in(path.read_bytes().decode("utf-8", "replace"))
        if found:
            leaks[name] = found
    assert leaks == {}


def test_no_secret_in_the_history() -> None:
    """Nor in any commit: a token once committed and later removed is still leaked."""
    history = git("log", "--all", "-p", "--no-color", "--no-ext-diff")
    assert history.returncode == 0, history.stderr
    added = "\n".join(line for line in history.stdout.splitlines() if line.startswith("+"))
    assert secrets_in(added) == []


def test_the_scan_would_find_a_real_looking_token() -> None:
    """The patterns are not vacuous: a realistic token and a key header are found, fakes are not."""
    real = "7412589630:" + "AAH3kq9ZxW2vLmN8pQr5sT1uVy7bC4dEfGh"
    header = "-----BEGIN " + "OPENSSH PRIVATE KEY-----"
    assert secrets_in(f"token={real}\n{header}\n") == [real, header]
    assert secrets_in(TOKEN) == [] and secrets_in("123456789:" + "x" * 35) == []
