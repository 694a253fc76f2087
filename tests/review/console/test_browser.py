"""The console in a real browser (Playwright for Python driving Debian's Chromium, headless):
sign in by link, the overview's figures equal the log's, one click adds a logged question to an
intent and the running engine (the hot reload) then answers it, undo restores the file, hostile
text runs nothing; a screenshot of each page goes to the test's tmp folder.

Skipped, with the reason, where /usr/bin/chromium or playwright is missing (`.ci/run` installs
the chromium package where it can; no browser is downloaded).
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from bot.knowledge.cache import SignalsCache
from bot.knowledge.reload import EngineHolder, ReloadResult, watch
from bot.review.console.app import create_app
from bot.review.console.auth import BadLinks, issue_link
from bot.review.console.data import Log, Store
from bot.review.reports import Period, load_stats
from tests.engines import warm
from tests.review.console.helpers import copy_knowledge
from tests.review.console.test_hostile import HOSTILE
from tests.session import session_cache_dir
from tests.store.helpers import KNOWN_EXCHANGES, KNOWN_VOTES, exchange, seed

CHROMIUM = Path("/usr/bin/chromium")
playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install playwright)"
)
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="no /usr/bin/chromium (apt-get install chromium)"),
]

# A question the fact base does not hold: the engine only offers "did you mean" for it.
MISSED = "Wie heißt der Hund des Pförtners?"
TARGET = "parties"
PAGES = ["overview", "conversations", "unanswered", "facts", "thresholds", "export"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def serving(db: Path, knowledge: Path) -> Iterator[str]:
    """The console under uvicorn on a free loopback port, in a thread."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    app = create_app(Store.sqlite(db), knowledge, url, bad_links=BadLinks(step=0.0), refresh_s=1.0)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextlib.contextmanager
def running_engine(knowledge: Path) -> Iterator[EngineHolder]:
    """The bot's engine with its file watcher, as the running bot has them, in a thread (the copy
    of the real base starts from the session's trained model, as the bot starts from its cache)."""
    warm()
    holder = EngineHolder.from_directory(knowledge, cache=SignalsCache(session_cache_dir()))
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()

    async def on_result(result: ReloadResult) -> None:
        return None

    async def main() -> None:
        await watch(holder, on_result, debounce_s=0.2, stop=stop)
        await holder.close()

    thread = threading.Thread(target=loop.run_until_complete, args=(main(),), daemon=True)
    thread.start()
    time.sleep(0.5)  # the watcher is listening
    try:
        yield holder
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(timeout=10)
        loop.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One Chromium for the module's tests (each opens pages of its own)."""
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
        try:
            yield chromium
        finally:
            chromium.close()


def _sign_in(page: Any, db: Path, url: str) -> None:
    page.goto(issue_link(Log(Store.sqlite(db)), url, "browser test"))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{url}/overview")


def test_sign_in_figures_one_click_fix_and_undo(tmp_path: Path, browser: Any) -> None:
    db = tmp_path / "conversations.sqlite3"
    missed = exchange(
        MISSED, id="missed", user=4242, outcome="suggested", intent=TARGET, confidence=0.57, lang="de"
    )
    seed(db, [*KNOWN_EXCHANGES, missed], KNOWN_VOTES)
    knowledge = copy_knowledge(tmp_path)
    target_file = knowledge / "agreement.yaml"
    before = target_file.read_bytes()
    shots = tmp_path / "screenshots"
    shots.mkdir()
    with Store.sqlite(db).reading() as conn:
        stats = load_stats(conn, Period())
    with running_engine(knowledge) as holder, serving(db, knowledge) as url:
        assert holder.engine.reply(MISSED).outcome != "answered"
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        _sign_in(page, db, url)

        # The overview's figures are the log's.
        assert page.locator("#fig-queries").inner_text() == str(stats.queries)
        assert page.locator("#fig-users").inner_text() == str(stats.users)
        for outcome, count in stats.outcomes.items():
            row = page.locator(f'#outcomes tr[data-outcome="{outcome}"] td').nth(1)
            assert row.inner_text() == str(count), outcome
        # The open overview follows the log: a new question shows without a reload.
        seed(db, [exchange("A question asked while the page is open", id="live", user=777)])
        playwright_api.expect(page.locator("#fig-queries")).to_have_text(str(stats.queries + 1), timeout=5000)
        for name in PAGES:
            page.goto(f"{url}/{name}")
            page.screenshot(path=str(shots / f"{name}.png"), full_page=name != "facts")
        page.set_viewport_size({"width": 390, "height": 844})  # a phone
        page.goto(f"{url}/overview")
        page.screenshot(path=str(shots / "overview-phone.png"))
        page.set_viewport_size({"width": 1200, "height": 900})

        # One click: the logged question goes to the intent, the running engine answers it.
        page.goto(f"{url}/unanswered")
        item = page.locator("ul.wordings li", has_text=MISSED).first
        item.get_by_label("Add to intent").fill(TARGET)
        item.get_by_role("button", name="Add").click()
        page.wait_for_url(re.compile(rf"{re.escape(url)}/unanswered\?since=[\d-]+&until=[\d-]+&done=add"))
        assert MISSED in target_file.read_text(encoding="utf-8")
        deadline = time.monotonic() + 3.0
        while holder.engine.reply(MISSED).outcome != "answered" and time.monotonic() < deadline:
            time.sleep(0.1)
        reply = holder.engine.reply(MISSED)
        assert (reply.outcome, reply.intent) == ("answered", TARGET)
        page.screenshot(path=str(shots / "unanswered-after-add.png"))

        # Undo puts the file back byte for byte.
        page.locator("#actions button.undo").first.click()
        page.wait_for_url(re.compile(rf"{re.escape(url)}/unanswered\?since=[\d-]+&until=[\d-]+&done=undo"))
        assert target_file.read_bytes() == before

        # Sign out: the pages are closed again.
        page.get_by_role("button", name="Sign out").click()
        page.wait_for_url(f"{url}/signin?note=out")
        page.goto(f"{url}/overview")
        assert page.url == f"{url}/signin"
    assert sorted(p.name for p in shots.iterdir()) == sorted(
        [*(f"{n}.png" for n in PAGES), "overview-phone.png", "unanswered-after-add.png"]
    )


def test_hostile_log_runs_nothing_in_the_browser(tmp_path: Path, browser: Any) -> None:
    db = tmp_path / "conversations.sqlite3"
    rows = [
        exchange(text, id=f"h{n}{o}", user=3000 + n, outcome=o, reply=text, lang="en")
        for n, text in enumerate(HOSTILE)
        for o in ("declined", "answered")
    ]
    seed(db, rows)
    knowledge = copy_knowledge(tmp_path)
    with serving(db, knowledge) as url:
        page = browser.new_page()
        dialogs: list[str] = []

        def on_dialog(dialog: Any) -> None:
            dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        _sign_in(page, db, url)
        for name in PAGES:
            page.goto(f"{url}/{name}")
            assert page.evaluate("typeof window.pwned") == "undefined", name
            assert page.locator("h1").first.inner_text() != "forged", name
            page.screenshot(path=str(tmp_path / f"hostile-{name}.png"))
        page.goto(f"{url}/conversations")
        assert page.get_by_text("<script>window.pwned=1</script>").first.is_visible()
    assert dialogs == []
