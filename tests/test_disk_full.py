"""A full disk under the real process (`python run.py` against the fake Bot API): the database on
a small tmpfs that fills up in the middle of a burst, then a restart. No answer goes out twice, and
what the log loses is counted exactly: the figure the admins get equals the rows missing.

A real small filesystem needs `mount` (root, as in the attack this answers); elsewhere these tests
skip, and tests/store/test_inbox_owed.py covers the same records with a database that refuses
writes. Each test prints one line of figures (`-s` shows them).
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import signal
import subprocess
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.testing.fake_bot_api import FakeBotAPI, running
from tests.test_crash import QUESTIONS, UNPACED, bot_process, logged_texts, wait_until_quiet

pytestmark = pytest.mark.slow

ADMIN = 4242
DISK_BYTES = 16 * 1024 * 1024


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    """A 16 MB tmpfs of its own (a real filesystem that fills up), unmounted afterwards."""
    mount, umount = shutil.which("mount"), shutil.which("umount")
    if os.geteuid() != 0 or mount is None or umount is None:
        pytest.skip("a small filesystem of its own needs root and mount")
    path = tmp_path / "disk"
    path.mkdir()
    done = subprocess.run(
        [mount, "-t", "tmpfs", "-o", f"size={DISK_BYTES},mode=0700", "tmpfs", str(path)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"mount fails here: {done.stderr!r}")
    try:
        yield path
    finally:
        subprocess.run([umount, "-l", str(path)], check=False)


def fill(disk: Path) -> Path:
    """Fill `disk` to the last byte with one file; return it (delete it to free the disk)."""
    filler = disk / "filler"
    chunk = b"\0" * 65536
    with open(filler, "wb", buffering=0) as handle:
        for size in (65536, 4096, 512, 1):
            while True:
                try:
                    handle.write(chunk[:size])
                except OSError as exc:
                    assert exc.errno == errno.ENOSPC
                    break
    return filler


def ask(api: FakeBotAPI, users: int, rounds: range, first_user: int, into: dict[int, list[str]]) -> None:
    """`users` users each send one distinct question per round (round robin), noted in `into`."""
    for n in rounds:
        for u in range(users):
            text = f"{QUESTIONS[(n + u) % len(QUESTIONS)]} (d{u}-{n})"
            api.message(text, user_id=first_user + u, lang=("en", "de", "zh")[u % 3])
            into.setdefault(first_user + u, []).append(text)


def admin_figures(texts: list[str]) -> tuple[int, int]:
    """(lost, to be logged again) in what the admins heard at the end of one run; (0, 0) if
    nothing (the log tells them at its stop when anything was not written)."""
    found = (0, 0)
    for text in texts:
        if match := re.search(r"log stopped: (\d+) rows lost, (\d+) to be logged again", text):
            found = (int(match[1]), int(match[2]))
    return found


def admin_texts(api: FakeBotAPI) -> list[str]:
    return api.texts(chat_id=ADMIN)


@pytest.mark.parametrize(
    ("spill_elsewhere", "stop_while_full"),
    [
        # BOT_SPILL_DIR on another volume: nothing is lost; stopped while the disk is still full,
        # the sends the inbox could not record wait in the sent file for the next start.
        pytest.param(True, True, id="spill-on-another-volume-stopped-while-full"),
        # The spill on the same full disk (the default): rows are lost, counted exactly; the
        # disk frees up before the stop, and the sends held in memory are recorded then.
        pytest.param(False, False, id="spill-on-the-same-disk-freed-before-the-stop"),
    ],
)
def test_a_full_disk_mid_burst_answers_nothing_twice(
    tmp_path: Path, disk: Path, spill_elsewhere: bool, stop_while_full: bool
) -> None:
    """60 users send 6 questions each, the last 3 after 60 replies, when the database's disk has
    just filled up; it stays full for a while;
    a restart then finishes the burst: every chat gets exactly its 6 replies, and the rows the
    admins were told are lost are exactly the rows missing from the log."""
    users, per_user = 60, 6
    db = disk / "log.sqlite3"
    env = {"BOT_DB_PATH": str(db), "BOT_ADMIN_IDS": str(ADMIN)}
    if spill_elsewhere:
        env["BOT_SPILL_DIR"] = str(tmp_path / "spill")
    with running() as api:
        api.chat(ADMIN)
        with bot_process(api, tmp_path, **env) as first:
            asked: dict[int, list[str]] = {}
            ask(api, users, range(per_user // 2), 50_000, asked)
            first_half = api.last_update_id
            # Every update of the first half stored in the inbox (acknowledged) before the disk
            # fills: those are the ones answered while it is full (on a busy machine 60 replies
            # could go out before the rest was fetched, and then nothing was left to answer).
            api.wait(lambda: len(api.sent()) >= 60 and api.confirmed > first_half, timeout=120)
            filler = fill(disk)
            full_at = len(api.sent())
            ask(api, users, range(per_user // 2, per_user), 50_000, asked)  # they arrive on a full disk
            api.wait(lambda: any("disk is full" in t for t in admin_texts(api)), timeout=60)
            api.wait(lambda: len(api.sent()) >= full_at + 120, timeout=120)  # a while: 4 s at 30/s
            if not stop_while_full:
                filler.unlink()
                api.wait(lambda: any("writes again" in t for t in admin_texts(api)), timeout=60)
                wait_until_quiet(api, lambda chats: all(chats[c] >= per_user for c in asked), quiet=5)
            freed_at = len(api.sent())
            assert first.stop(signal.SIGTERM, timeout=60) == 0, first.stderr
            first_err = first.stderr
        first_report = admin_figures(admin_texts(api))
        told_first = len(admin_texts(api))
        with contextlib.suppress(FileNotFoundError):
            filler.unlink()
        # Before the restart, the rows missing of the messages answered are exactly those the
        # admins heard of, plus those waiting in the spill file.
        replied = Counter(c.params["chat_id"] for c in api.sent() if c.params["chat_id"] != ADMIN)
        answered = [t for c, texts in asked.items() for t in texts[: replied[c]]]
        logged_at_stop = logged_texts(db)
        missing_at_stop = sum(1 for t in answered if not logged_at_stop[t])
        spill = tmp_path / "spill" if spill_elsewhere else disk
        spilled = [spill / f"log.sqlite3.spill.jsonl{s}" for s in ("", ".importing")]
        waiting = sum(len(p.read_text().splitlines()) for p in spilled if p.exists())
        sent_file = spill / "log.sqlite3.sent.jsonl"
        kept_at_stop = len(sent_file.read_text().splitlines()) if sent_file.exists() else 0
        with bot_process(api, tmp_path, **env, **UNPACED) as second:
            wait_until_quiet(api, lambda chats: all(chats[c] >= per_user for c in asked), quiet=5)
            assert second.stop(signal.SIGTERM, timeout=60) == 0, second.stderr
        second_report = admin_figures(admin_texts(api)[told_first:])
        per_chat = Counter(c.params["chat_id"] for c in api.sent() if c.params["chat_id"] != ADMIN)
        assert api.rejected() == []
    logged = logged_texts(db)
    texts = [t for chat in asked.values() for t in chat]
    missing = sum(1 for t in texts if not logged[t])
    logged_twice = sum(1 for t in texts if logged[t] > 1)
    twice = sum(max(0, per_chat[c] - per_user) for c in asked)
    unanswered = sum(max(0, per_user - per_chat[c]) for c in asked)
    lost = first_report[0] + second_report[0]
    figures = {
        "messages": len(texts),
        "replies_when_full": full_at,
        "replies_at_free_or_stop": freed_at,
        "sends_kept_in_sent_file": kept_at_stop,
        "missing_at_stop": missing_at_stop,
        "spilled_at_stop": waiting,
        "admins_told_lost": lost,
        "admins_told_to_log_again": first_report[1] + second_report[1],
        "missing_from_log": missing,
        "logged_twice": logged_twice,
        "answered_twice": twice,
        "unanswered": unanswered,
    }
    print(
        "\n[disk] "
        + ("spill elsewhere" if spill_elsewhere else "spill on the same disk")
        + ": "
        + " ".join(f"{k}={v}" for k, v in figures.items())
    )
    assert "Traceback" not in first_err
    assert (twice, unanswered) == (0, 0)
    assert missing_at_stop == first_report[0] + first_report[1] + waiting
    assert missing == lost
    if spill_elsewhere:
        assert lost == 0
    if stop_while_full:  # the sends refused until the stop came back from the sent file
        assert kept_at_stop > 0
    assert logged_twice == 0
