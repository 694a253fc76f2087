"""The replica row of `python run.py bench`: webhook throughput of one replica on SQLite, one on
PostgreSQL and two on one PostgreSQL, in the same run, against the fake Bot API.

Each row starts its own fake Bot API and (for PostgreSQL) its own throw-away server
(bot.testing.postgres), starts the replicas in webhook mode on loopback, POSTs a burst of private
questions alternately to them (8 at a time, as Telegram's webhook connections do) and times the
burst from the first POST to the last reply. Telegram's 30 msg/s cap is off here
(TELEGRAM_RATE_LIMIT=off) so that the figure is the store's and the replicas', not the cap's.
Nothing is asserted; a row that cannot run (no PostgreSQL) says why instead.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from bot.bench.e2e import BENCH_TOKEN, ROOT, burst_questions, child_env
from bot.errors import BotError
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.bench.matcher import Size
    from bot.testing.fake_bot_api import FakeBotAPI

SECRET = "bench-replica-hook"
KEY = "bench-replica-pseudonym-key"
STARTUP_TIMEOUT_S = 90.0
POSTERS = 8
BURST: dict[Size, tuple[int, int]] = {
    "tiny": (40, 8),
    "quick": (120, 24),
    "full": (2_000, 400),
}  # messages, users


def _free_port() -> int:
    from bot.testing.postgres import free_port

    return free_port()


def _burst(
    tmp: Path,
    replicas: int,
    db_url: str | None,
    questions: Sequence[tuple[str, str]],
    messages: int,
    users: int,
    knowledge_dir: Path,
) -> float:
    """Replies per second of `replicas` webhook replicas on `db_url` (None: SQLite) for one burst."""
    from bot.testing.fake_bot_api import FakeBotAPI

    api = FakeBotAPI(BENCH_TOKEN).start()
    procs: list[subprocess.Popen[bytes]] = []
    try:
        urls = []
        for n in range(replicas):
            folder = tmp / f"replica{n}"
            folder.mkdir(parents=True)
            port = _free_port()
            env = child_env(folder, api, knowledge_dir, limited=False)
            env.update(
                {
                    "WEBHOOK_URL": "https://bench.example.org/hook",
                    "WEBHOOK_LISTEN": "127.0.0.1",
                    "WEBHOOK_PORT": str(port),
                    "WEBHOOK_SECRET": SECRET,
                    "BOT_PSEUDONYM_KEY": KEY,
                }
            )
            if db_url:
                env["BOT_DB_URL"] = db_url
            with open(folder / "stderr.txt", "wb") as err:
                procs.append(
                    subprocess.Popen(
                        [sys.executable, str(ROOT / "run.py")],
                        cwd=folder,
                        env=env,
                        stdout=subprocess.DEVNULL,
                        stderr=err,
                    )
                )
            urls.append(f"http://127.0.0.1:{port}/hook")
            _wait_hooks(api, n + 1, procs[-1], folder)
        updates = _updates(api, questions, messages, users)
        began = time.monotonic()
        _post(urls, updates)
        deadline = time.monotonic() + 60 + messages / 5
        while len(api.sent()) < messages:
            if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
                raise BotError(f"replicas answered {len(api.sent())} of {messages}")
            time.sleep(0.02)
        return messages / (api.sent()[-1].at - began)
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        api.stop()


def _wait_hooks(api: FakeBotAPI, count: int, proc: subprocess.Popen[bytes], folder: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while len(api.calls("setWebhook")) < count:
        if proc.poll() is not None or time.monotonic() > deadline:
            tail = (folder / "stderr.txt").read_text(errors="replace").splitlines()[-3:]
            raise BotError(f"a replica did not start: {' | '.join(tail)}")
        time.sleep(0.05)


def _updates(
    api: FakeBotAPI, questions: Sequence[tuple[str, str]], messages: int, users: int
) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for n in range(messages):
        lang, question = questions[(n * 7) % len(questions)]
        message = api.message(question, user_id=200_000 + n % users, lang=lang)
        out.append({"update_id": 10_000 + n, "message": message})
    return out


def _post(urls: list[str], updates: list[dict[str, object]]) -> None:
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    tls = httpx.create_ssl_context()  # one for all of them: each would load the CA bundle
    clients = [httpx.Client(timeout=60, verify=tls) for _ in range(POSTERS)]

    def one(job: tuple[int, dict[str, object]]) -> int:
        i, update = job
        return clients[i % POSTERS].post(urls[i % len(urls)], json=update, headers=headers).status_code

    try:
        with ThreadPoolExecutor(POSTERS) as pool:
            codes = list(pool.map(one, enumerate(updates)))
    finally:
        for client in clients:
            client.close()
    if set(codes) != {200}:
        raise BotError(f"webhook answered {sorted(set(codes))}")


def run_replicas(size: Size) -> dict[str, Any]:
    """Webhook throughput: 1 replica on SQLite, 1 and 2 replicas on PostgreSQL (ratios to SQLite)."""
    from bot.testing.postgres import PostgresServer, find_bin

    messages, users = BURST[size]
    knowledge_dir = Settings.from_env().knowledge_dir.resolve()
    questions = burst_questions(knowledge_dir)
    row: dict[str, Any] = {"messages": messages, "users": users}
    with tempfile.TemporaryDirectory(prefix="bench-replicas-") as name:
        tmp = Path(name)
        row["sqlite_1_per_s"] = _burst(tmp / "sqlite1", 1, None, questions, messages, users, knowledge_dir)
        bin_dir = find_bin()
        if bin_dir is None:
            row["skipped"] = "PostgreSQL not found (initdb/pg_ctl)"
            return {"replicas": row}
        for count in (1, 2):
            folder = Path(tempfile.mkdtemp(prefix="bench-pg-"))  # beside, not inside: the server's user
            server = PostgresServer(folder, bin_dir)  # must reach it
            try:
                url = server.start()
                rate = _burst(tmp / f"run{count}", count, url, questions, messages, users, knowledge_dir)
                row[f"postgresql_{count}_per_s"] = rate
            finally:
                server.stop()
                shutil.rmtree(folder, ignore_errors=True)
    base = row["sqlite_1_per_s"]
    row["ratio_pg1_to_sqlite"] = row["postgresql_1_per_s"] / base if base else 0.0
    row["ratio_pg2_to_sqlite"] = row["postgresql_2_per_s"] / base if base else 0.0
    return {"replicas": row}


def render(row: dict[str, Any]) -> str:
    """One line for the bench table."""
    if "skipped" in row:
        return (
            f"replicas (webhook, {row['messages']} messages): SQLite 1 replica "
            f"{row['sqlite_1_per_s']:.0f}/s; PostgreSQL skipped: {row['skipped']}"
        )
    return (
        f"replicas (webhook, {row['messages']} messages, 30/s cap off): SQLite 1 replica "
        f"{row['sqlite_1_per_s']:.0f}/s; PostgreSQL 1 replica {row['postgresql_1_per_s']:.0f}/s "
        f"({row['ratio_pg1_to_sqlite']:.2f}x), 2 replicas {row['postgresql_2_per_s']:.0f}/s "
        f"({row['ratio_pg2_to_sqlite']:.2f}x)"
    )


if __name__ == "__main__":  # python -m bot.bench.replicas [--quick|--tiny]
    result = run_replicas("quick" if "--quick" in sys.argv else "tiny" if "--tiny" in sys.argv else "full")
    print(render(result["replicas"]))
