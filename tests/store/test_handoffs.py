"""The review console's hand-offs in the store, on both backends with the same assertions: queued
by the console, claimed by one bot at a time (a lapsed lease lets another take it, with the same
ticket), posted, undone only while queued, the askers' own open tickets found by wording, the
state the console shows, and the retention."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.settings import Settings
from bot.store import console, handoffs, press
from bot.store.contract import Connection
from bot.store.store import Store
from tests.store.helpers import KEY

pytest_plugins = ["tests.fakes.postgres"]

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
QUESTION = "Will the signing be streamed?"
WORDINGS = ((("en", QUESTION)), ("en", "will the signing be  streamed"), ("de", "Wird es gestreamt?"))


@pytest.fixture(params=["sqlite", "postgresql"])
def conn(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Connection]:
    """A connection to a fresh store: a SQLite file, or a new database on the server."""
    url = request.getfixturevalue("pg_url") if request.param == "postgresql" else None
    store = Store.from_settings(Settings(db_path=tmp_path / "log.sqlite3", db_url=url, pseudonym_key=KEY))
    made = store.connect()
    try:
        yield made
    finally:
        made.close()


def queue(conn: Connection, question: str = QUESTION, now: datetime = NOW) -> int:
    return handoffs.record(
        conn,
        now,
        question=question,
        questions=WORDINGS,
        asked=5,
        users=3,
        lang="en",
        intent="signing_date",
        confidence=0.41,
    )


def own_ticket(conn: Connection, n: int, question: str, user: str = "ps-a") -> press.Ticket:
    _, ticket = press.open_ticket(
        conn,
        exchange_id=f"x{n}",
        user_ps=user,
        chat_id=1000 + n,
        user_name="Ann",
        lang="en",
        question=question,
        intent=None,
        confidence=None,
        limit=3,
        now=NOW,
    )
    assert ticket is not None
    return ticket


def shown(conn: Connection) -> list[str]:
    return [h.state for h in handoffs.listing(conn)]


def test_a_queued_hand_off_is_claimed_by_one_bot_and_posted_once(conn: Connection) -> None:
    """Bot A claims it (its ticket made, no asker's contact on it); bot B gets nothing while A
    holds it; once posted it is due for nobody, and the console shows it posted."""
    action = queue(conn)
    assert [a.kind for a in console.recent_actions(conn)] == ["press"]
    assert console.recent_actions(conn)[0].id == action
    assert shown(conn) == ["queued"]
    [due] = handoffs.due(conn, NOW)
    claimed = handoffs.claim(conn, due, "bot-a", NOW)
    assert claimed is not None
    handoff, ticket = claimed
    assert (handoff.asked, handoff.users, handoff.intent, handoff.questions) == (
        5,
        3,
        "signing_date",
        WORDINGS,
    )
    assert (ticket.handoff_id, ticket.chat_id, ticket.user_ps, ticket.question) == (
        handoff.id,
        None,
        "",
        QUESTION,
    )
    assert handoffs.claim(conn, due, "bot-b", NOW) is None
    assert handoffs.due(conn, NOW + timedelta(seconds=5)) == []
    assert shown(conn) == ["queued"]  # being posted: still queued to the reviewer
    assert handoffs.posted(conn, due, "bot-a", 4242, NOW)
    assert press.ticket_by_message(conn, 4242) == press.get_ticket(conn, ticket.id)
    assert handoffs.due(conn, NOW + timedelta(hours=1)) == []
    assert shown(conn) == ["posted"]
    press.record_answer(conn, ticket.id, "Yes, online.", NOW)
    assert shown(conn) == ["answered"]
    assert press.ticket_figures(conn).opened == 0  # no asker's request: not in the ticket figures


def test_a_lapsed_claim_is_taken_over_with_the_same_ticket(conn: Connection) -> None:
    """A bot that died while posting: after its lease another claims it and finds the same ticket;
    the dead bot's late 'posted' changes nothing."""
    queue(conn)
    [due] = handoffs.due(conn, NOW)
    first = handoffs.claim(conn, due, "bot-a", NOW, lease_s=60)
    assert first is not None
    assert handoffs.due(conn, NOW + timedelta(seconds=59)) == []
    assert handoffs.due(conn, NOW + timedelta(seconds=61)) == [due]
    again = handoffs.claim(conn, due, "bot-b", NOW + timedelta(seconds=61))
    assert again is not None and again[1].id == first[1].id
    assert not handoffs.posted(conn, due, "bot-a", 1, NOW)
    assert handoffs.posted(conn, due, "bot-b", 2, NOW)
    assert conn.execute("SELECT count(*) FROM press_tickets").fetchone()[0] == 1


def test_a_failed_post_goes_back_to_the_queue(conn: Connection) -> None:
    queue(conn)
    [due] = handoffs.due(conn, NOW)
    assert handoffs.claim(conn, due, "bot-a", NOW) is not None
    handoffs.release(conn, due, "bot-a")
    assert handoffs.due(conn, NOW) == [due]


@pytest.mark.parametrize(
    ("steps", "expected", "state"),
    [
        pytest.param((), "undone", "undone", id="queued"),
        # A bot holds it while it posts: the reviewer cannot pull it back.
        pytest.param(("claim",), "posting", "queued", id="being-posted"),
        pytest.param(("claim", "posted"), "posted", "posted", id="posted"),
    ],
)
def test_undo_withdraws_a_hand_off_only_before_it_is_posted(
    conn: Connection, steps: tuple[str, ...], expected: str, state: str
) -> None:
    action = queue(conn)
    [due] = handoffs.due(conn, NOW)
    if "claim" in steps:
        handoffs.claim(conn, due, "bot-a", NOW)
    if "posted" in steps:
        handoffs.posted(conn, due, "bot-a", 7, NOW)
    assert handoffs.undo(conn, action, NOW) == expected
    assert shown(conn) == [state]
    undone = console.get_action(conn, action)
    assert undone is not None and (undone.undone_ts is not None) == (expected == "undone")
    if expected == "undone":
        assert handoffs.due(conn, NOW + timedelta(hours=1)) == []
        assert handoffs.claim(conn, due, "bot-a", NOW) is None
        assert handoffs.undo(conn, action, NOW) == "none"  # twice: nothing left to undo


def test_the_answer_reaches_the_askers_open_tickets_with_the_same_wording(conn: Connection) -> None:
    """Open tickets whose question is one of the cluster's wordings (spaces aside) are named at the
    claim; another question, a dismissed ticket and a ticket whose contact was erased are not."""
    same = own_ticket(conn, 1, QUESTION)
    spaced = own_ticket(conn, 2, " will the signing be streamed ", user="ps-b")
    own_ticket(conn, 3, "Who signed it?", user="ps-c")
    gone = own_ticket(conn, 4, QUESTION, user="ps-d")
    press.dismiss(conn, own_ticket(conn, 5, QUESTION, user="ps-e").id, NOW)
    conn.execute("UPDATE press_tickets SET chat_id = NULL WHERE id = ?", (gone.id,))
    queue(conn)
    [due] = handoffs.due(conn, NOW)
    claimed = handoffs.claim(conn, due, "bot-a", NOW)
    assert claimed is not None
    assert claimed[0].askers == (same.id, spaced.id)
    press.dismiss(conn, spaced.id, NOW)  # dismissed after the hand-off was posted
    reach, missed = handoffs.asker_tickets(conn, due)
    assert ([t.id for t in reach], missed) == ([same.id], 1)
    assert [h.askers for h in handoffs.listing(conn)] == [2]


def test_hand_offs_go_with_the_logs_retention(conn: Connection) -> None:
    queue(conn, "old?", NOW - timedelta(days=200))
    queue(conn, "new?", NOW)
    press.purge(conn, NOW, ticket_days=30, log_days=180)
    assert [h.question for h in handoffs.listing(conn)] == ["new?"]
