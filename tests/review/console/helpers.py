"""Helpers for the console's tests: a log, a copy of the fact base, a settable clock, sign-in."""

from __future__ import annotations

import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from starlette.applications import Starlette
from starlette.testclient import TestClient

from bot.review.console.app import create_app
from bot.review.console.auth import BadLinks, issue_link
from bot.review.console.data import Log, Store
from bot.store.records import Exchange
from tests.session import session_cache_dir
from tests.store.helpers import KNOWN_EXCHANGES, KNOWN_VOTES, seed

ROOT = Path(__file__).resolve().parents[3]
NOW = datetime(2024, 7, 1, 12, 0, tzinfo=UTC)


@dataclass
class Clock:
    """A clock the test moves."""

    now: datetime = NOW

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Console:
    """A console over a seeded log and a private copy of the fact base."""

    db: Path
    knowledge: Path
    clock: Clock
    app: Starlette
    url: str

    def client(self) -> TestClient:
        return TestClient(self.app, base_url=self.url)

    def link(self) -> str:
        return issue_link(Log(Store.sqlite(self.db)), self.url, "test", self.clock())


def copy_knowledge(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", target)
    return target


def make_console(
    tmp_path: Path,
    *,
    exchanges: Sequence[Exchange] = KNOWN_EXCHANGES,
    url: str = "http://testserver",
    bad_links: BadLinks | None = None,
    knowledge: Path | None = None,
) -> Console:
    db = tmp_path / "conversations.sqlite3"
    seed(db, exchanges, KNOWN_VOTES if exchanges is KNOWN_EXCHANGES else ())
    folder = knowledge or copy_knowledge(tmp_path)
    clock = Clock()
    # The parsed fact base is kept in the session's cache, as `review serve` keeps it in the bot's.
    app = create_app(
        Store.sqlite(db),
        folder,
        url,
        clock=clock,
        bad_links=bad_links or BadLinks(step=0.0),
        cache_dir=session_cache_dir(),
    )
    return Console(db, folder, clock, app, url)


def spend(client: TestClient, link: str) -> tuple[int, str]:
    """Open a sign-in link and press its button: (status, where it sent us)."""
    page = client.get(link.removeprefix(str(client.base_url).rstrip("/")))
    nonce = re.search(r'name="csrf" value="([^"]+)"', page.text)
    token = link.split("token=", 1)[1]
    assert nonce is not None
    done = client.post("/login", data={"token": token, "csrf": nonce.group(1)}, follow_redirects=False)
    return done.status_code, done.headers.get("location", "")


def signed_in(console: Console) -> TestClient:
    client = console.client()
    assert spend(client, console.link()) == (303, "/overview")
    return client


def csrf_of(client: TestClient) -> str:
    page = client.get("/overview")
    found = re.search(r'name="csrf-token" content="([^"]+)"', page.text)
    assert found is not None
    return found.group(1)
