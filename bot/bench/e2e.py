"""The end-to-end part of `python run.py bench`: the real bot process against the fake Bot API.

`run_e2e(size)` starts the fake Bot API server (tests/fakes) on 127.0.0.1, runs `python run.py`
against it and pushes a burst of private questions from many users; then, on a fresh fake, a minimal
echo bot built on the same stack (the same rate limiter, update processor and HTTP pools, so the
ratio is the cost of our engine and logging). It measures start-up, memory, replies per second and
the conversation log; it asserts nothing. `python -m bot.bench.e2e [--unlimited]` is the echo bot.

Both bots send through AIORateLimiter, which holds every bot to Telegram's 30 messages a second;
the echo bot without it (`--unlimited`) shows the framework's own ceiling beside them.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.errors import BotError
from bot.knowledge.loader import load
from bot.settings import Settings
from bot.store.queries import count_exchanges
from bot.store.store import Store

if TYPE_CHECKING:
    from bot.bench.matcher import Size
    from bot.testing.fake_bot_api import FakeBotAPI

ROOT = Path(__file__).resolve().parents[2]
BENCH_TOKEN = "123456:BENCH-token-abcdefghijklmnop"
TELEGRAM_RATE_PER_S = 30  # AIORateLimiter's default overall limit: Telegram's broadcast limit
PER_USER = 5  # messages each user sends in the burst
FLOOD_PER_MINUTE = 1000  # far above PER_USER: nobody in the burst is throttled
STARTUP_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 60.0
QUIET_S = 0.5  # no new reply for this long after the last expected one: the burst is over
IDLE_SETTLE_S = 1.0  # after the first getUpdates, before reading the idle RSS
BURST: dict[Size, tuple[int, int]] = {
    "tiny": (30, 6),
    "quick": (150, 30),
    "full": (5_000, 1_000),
}  # messages, users


@dataclass(frozen=True)
class Run:
    """What one bot process did with one burst."""

    startup_s: float
    rss_mb_idle: float
    rss_mb_after_burst: float
    burst_s: float
    replies: int  # sendMessage calls the fake accepted during the burst
    exit_code: int

    def per_s(self, messages: int) -> float:
        """Messages answered per second."""
        return messages / self.burst_s if self.burst_s > 0 else 0.0


def burst_questions(knowledge_dir: Path) -> list[tuple[str, str]]:
    """(language, question) for every alternative question of the fact base."""
    kb = load(knowledge_dir)
    return [(lang, q) for i in kb.intents for lang, qs in i.questions.items() for q in qs]


def rss_mb(pid: int) -> float:
    """Resident memory of a process in MiB, from /proc/PID/status (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text(encoding="ascii").splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise BotError(f"/proc/{pid}/status has no VmRSS line (is this Linux?)")


def child_env(tmp: Path, api: FakeBotAPI, knowledge_dir: Path, limited: bool = True) -> dict[str, str]:
    """A clean environment for a bot against `api` that writes only into `tmp` (and the trained
    model cache BOT_CACHE_DIR names, if set: derived data, the same for every bot)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "BOT_", "WEBHOOK_", "KNOWLEDGE_", "LOG_")) or k == "BOT_CACHE_DIR"
    }
    env.update(
        {
            "TELEGRAM_BOT_TOKEN": BENCH_TOKEN,
            "TELEGRAM_API_URL": api.base_url,
            "KNOWLEDGE_DIR": str(knowledge_dir),
            "BOT_DB_PATH": str(tmp / "log.sqlite3"),
            "BOT_FLOOD_PER_MINUTE": str(FLOOD_PER_MINUTE),
            "PYTHONPATH": str(ROOT),
            "PYTHONUNBUFFERED": "1",
            "TELEGRAM_RATE_LIMIT": "on" if limited else "off",
        }
    )
    return env


def push_burst(api: FakeBotAPI, questions: Sequence[tuple[str, str]], messages: int, users: int) -> int:
    """Queue `messages` private questions, round-robin over `users`; return the last update id."""
    for n in range(messages):
        lang, question = questions[(n * 7) % len(questions)]
        api.message(question, user_id=100_000 + n % users, lang=lang)
    return api.last_update_id


def _tail(path: Path, lines: int = 5) -> str:
    try:
        return " | ".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no output)"


def wait_replies(
    api: FakeBotAPI,
    proc: subprocess.Popen[bytes],
    expected: int,
    last_update: int,
    timeout: float,
    stderr: Path,
) -> tuple[float, int]:
    """Wait until every update was fetched and `expected` replies were sent and no more come;
    return (when the last reply was recorded, how many replies)."""
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise BotError(f"the bot exited with {proc.returncode} during the burst: {_tail(stderr)}")
        sent = api.sent()
        done = len(sent) >= expected and api.confirmed > last_update
        if done and time.monotonic() - sent[-1].at >= QUIET_S:
            return sent[-1].at, len(sent)
        if time.monotonic() > deadline:
            raise BotError(f"only {len(sent)} of {expected} replies after {timeout:.0f}s: {_tail(stderr)}")
        time.sleep(0.05)


def run_one(
    argv: Sequence[str],
    tmp: Path,
    questions: Sequence[tuple[str, str]],
    messages: int,
    users: int,
    knowledge_dir: Path,
    limited: bool = True,
) -> Run:
    """Start a bot process against a fresh fake, time its start-up and the burst, stop it."""
    from bot.testing.fake_bot_api import FakeBotAPI

    tmp.mkdir(parents=True, exist_ok=True)
    api = FakeBotAPI(BENCH_TOKEN).start()
    proc: subprocess.Popen[bytes] | None = None
    try:
        with open(tmp / "stdout.txt", "wb") as out, open(tmp / "stderr.txt", "wb") as err:
            started = time.monotonic()
            proc = subprocess.Popen(
                [sys.executable, *argv],
                cwd=tmp,
                env=child_env(tmp, api, knowledge_dir, limited),
                stdout=out,
                stderr=err,
            )
        running = proc
        try:
            api.wait(lambda: api.polls > 0 or running.poll() is not None, timeout=STARTUP_TIMEOUT_S)
        except AssertionError as exc:
            raise BotError(
                f"no getUpdates within {STARTUP_TIMEOUT_S:.0f}s: {_tail(tmp / 'stderr.txt')}"
            ) from exc
        startup_s = time.monotonic() - started
        if proc.poll() is not None:
            raise BotError(f"the bot exited with {proc.returncode} at start-up: {_tail(tmp / 'stderr.txt')}")
        time.sleep(IDLE_SETTLE_S)
        idle = rss_mb(proc.pid)
        before = len(api.sent())
        begin = time.monotonic()
        last = push_burst(api, questions, messages, users)
        # Both bots are held to TELEGRAM_RATE_PER_S; allow twice that time and a margin.
        timeout = 2 * messages / TELEGRAM_RATE_PER_S + 60
        end, sent = wait_replies(api, proc, before + messages, last, timeout, tmp / "stderr.txt")
        after = rss_mb(proc.pid)
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(timeout=STOP_TIMEOUT_S)
        return Run(startup_s, idle, after, end - begin, sent - before, code)
    finally:
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
        api.stop()


def run_e2e(size: Size) -> dict[str, Any]:
    """The bot and the echo bot through the same burst; start-up, memory and log figures."""
    messages, users = BURST[size]
    knowledge_dir = Settings.from_env().knowledge_dir.resolve()
    questions = burst_questions(knowledge_dir)
    with tempfile.TemporaryDirectory(prefix="bench-e2e-") as tmp_name:
        tmp = Path(tmp_name)
        bot = run_one([str(ROOT / "run.py")], tmp / "bot", questions, messages, users, knowledge_dir)
        logged = count_exchanges(Store.sqlite(tmp / "bot" / "log.sqlite3"))
        echo = run_one(["-m", "bot.bench.e2e"], tmp / "echo", questions, messages, users, knowledge_dir)
        unlimited = run_one(
            ["-m", "bot.bench.e2e", "--unlimited"],
            tmp / "unlimited",
            questions,
            messages,
            users,
            knowledge_dir,
        )
        # The same pair without the 30/s cap: what our engine and logging cost over the floor.
        bot_free = run_one(
            [str(ROOT / "run.py")], tmp / "bot-free", questions, messages, users, knowledge_dir, limited=False
        )
        free_logged = count_exchanges(Store.sqlite(tmp / "bot-free" / "log.sqlite3"))
    bot_rate, echo_rate = bot.per_s(messages), echo.per_s(messages)
    return {
        "e2e": {
            "messages": messages,
            "users": users,
            "bot_replies_per_s": bot_rate,
            "echo_replies_per_s": echo_rate,
            "ratio": bot_rate / echo_rate if echo_rate else 0.0,
            "log_rows_per_s": logged / bot.burst_s if bot.burst_s > 0 else 0.0,
            "log_rows_lost": messages - logged,
            "log_rows": logged,
            "bot_burst_s": bot.burst_s,
            "bot_send_calls": bot.replies,
            "bot_exit_code": bot.exit_code,
            "echo_burst_s": echo.burst_s,
            "echo_unlimited_replies_per_s": unlimited.per_s(messages),
            "bot_unlimited_replies_per_s": bot_free.per_s(messages),
            "ratio_unlimited": (
                bot_free.per_s(messages) / unlimited.per_s(messages) if unlimited.per_s(messages) else 0.0
            ),
            "log_rows_lost_unlimited": messages - free_logged,
            "rate_limit_per_s": TELEGRAM_RATE_PER_S,
        },
        "startup_s": bot.startup_s,
        "rss_mb_idle": bot.rss_mb_idle,
        "rss_mb_after_burst": bot.rss_mb_after_burst,
        **_replicas(size),
    }


def _replicas(size: Size) -> dict[str, Any]:
    """The webhook replica row (bot.bench.replicas); its failure costs the row, not the bench."""
    from bot.bench.replicas import run_replicas

    try:
        return run_replicas(size)
    except (BotError, OSError, RuntimeError, subprocess.SubprocessError) as exc:
        return {"replicas": {"error": str(exc)}}


# ---- the echo bot -----------------------------------------------------------------------------


def echo_main(argv: Sequence[str]) -> int:
    """A minimal echo bot on our stack: long polling, every text sent back as it came."""
    import logging

    from telegram import Update
    from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

    from bot.telegram.app import _http as http
    from bot.telegram.intake import Intake
    from bot.telegram.limiter import RetryingRateLimiter
    from bot.telegram.processor import MAX_CONCURRENT_UPDATES, IntakeProcessor

    logging.basicConfig(level=logging.WARNING)
    settings = Settings.from_env()
    if not settings.token:
        print("error: the echo bot needs TELEGRAM_BOT_TOKEN", file=sys.stderr)
        return 1
    # The bot's intake without an inbox: the same one-per-chat ordering, nothing stored.
    intake = Intake(None, max_in_flight=2 * MAX_CONCURRENT_UPDATES)

    async def start_intake(app: Any) -> None:
        await intake.start(app)

    builder: Any = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(settings.api_url)
        .update_queue(intake)
        .concurrent_updates(IntakeProcessor(MAX_CONCURRENT_UPDATES, intake))
        .post_init(start_intake)
        .request(http(pool=256))
        .get_updates_request(http(pool=1))
    )
    # The same limiter as the bot; --unlimited drops its 30/s cap, as TELEGRAM_RATE_LIMIT=off does.
    builder = builder.rate_limiter(RetryingRateLimiter(limited="--unlimited" not in argv))

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Send the text back."""
        chat, message = update.effective_chat, update.effective_message
        if chat is not None and message is not None and message.text:
            await context.bot.send_message(chat.id, message.text)

    app = builder.build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    app.run_polling(bootstrap_retries=0)
    return 0


if __name__ == "__main__":
    sys.exit(echo_main(sys.argv[1:]))
