"""The console over HTTP (Starlette's TestClient): sign-in by one-use link, sessions, CSRF, every
route refused without a session, the pages' figures and the actions on the fact base with undo."""

from __future__ import annotations

import csv
import html
import io
import sqlite3
from pathlib import Path

import pytest
from httpx2 import Response
from starlette.testclient import TestClient

from bot.review.console.auth import SESSION_TTL, BadLinks
from bot.review.console.data import Log
from bot.review.console.texts import pick_lang
from bot.review.reports import Period, load_stats
from bot.store.store import Store
from tests.review.console.helpers import Console, csrf_of, make_console, signed_in, spend
from tests.store.helpers import exchange

# Every route behind the session: (method, path). A page answers a stranger with a redirect to the
# sign-in page, an API route and any POST with 401.
PAGES = [
    "/",
    "/overview",
    "/overview?fragment=1",
    "/conversations",
    "/unanswered",
    "/facts",
    "/thresholds",
    "/export",
]
API = ["/api/overview", "/api/conversations", "/api/export?format=csv", "/api/export?format=jsonl"]
POSTS = ["/logout", "/actions/add", "/actions/draft", "/actions/offtopic", "/actions/press", "/actions/undo"]


@pytest.fixture
def console(tmp_path: Path) -> Console:
    return make_console(tmp_path)


@pytest.mark.parametrize("path", PAGES)
def test_a_page_without_a_session_sends_to_the_sign_in_page(console: Console, path: str) -> None:
    answer = console.client().get(path, follow_redirects=False)
    assert (answer.status_code, answer.headers["location"]) == (303, "/signin")


@pytest.mark.parametrize("path", API)
def test_an_api_route_without_a_session_is_401(console: Console, path: str) -> None:
    answer = console.client().get(path)
    assert answer.status_code == 401
    assert "conversations" not in answer.text.lower() or answer.json() == {"error": "sign in first"}


@pytest.mark.parametrize("path", POSTS)
def test_a_post_without_a_session_is_401_and_changes_nothing(console: Console, path: str) -> None:
    before = _files(console.knowledge)
    answer = console.client().post(path, data={"query": "Who paid for the metro?", "intent": "parties"})
    assert answer.status_code == 401
    assert _files(console.knowledge) == before


@pytest.mark.parametrize("path", POSTS)
@pytest.mark.parametrize("token", [None, "forged"], ids=["no-token", "wrong-token"])
def test_a_post_without_the_csrf_token_is_403_and_changes_nothing(
    console: Console, path: str, token: str | None
) -> None:
    client = signed_in(console)
    before = _files(console.knowledge)
    data = {"query": "Who paid for the metro?", "intent": "parties", "topic": "extra", "action": "1"}
    if token:
        data["csrf"] = token
    answer = client.post(path, data=data, follow_redirects=False)
    assert answer.status_code == 403
    assert _files(console.knowledge) == before
    assert client.get("/overview", follow_redirects=False).status_code == 200  # still signed in


def test_the_open_routes_are_only_the_sign_in_ones(console: Console) -> None:
    """/signin and /login answer strangers; they show nothing of the log."""
    client = console.client()
    for path in ("/signin", "/login?token=x"):
        page = client.get(path)
        assert page.status_code == 200
        assert "Who paid" not in page.text


# ---- sign-in ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "secure"),
    [
        pytest.param("http://testserver", False, id="http"),
        pytest.param("https://testserver", True, id="https-marks-secure"),
    ],
)
def test_a_link_signs_in_with_a_strict_httponly_cookie(tmp_path: Path, url: str, secure: bool) -> None:
    console = make_console(tmp_path, url=url)
    client = console.client()
    page = client.get(console.link().removeprefix(url))
    nonce = page.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    token = console.link()  # a second link: each is independent
    done = client.post(
        "/login", data={"token": token.split("token=")[1], "csrf": nonce}, follow_redirects=False
    )
    assert (done.status_code, done.headers["location"]) == (303, "/overview")
    cookie = next(c for c in done.headers.get_list("set-cookie") if c.startswith("console_session="))
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie
    assert ("Secure" in cookie) is secure
    assert client.get("/overview").status_code == 200


def test_a_link_works_once(console: Console) -> None:
    link = console.link()
    assert spend(console.client(), link) == (303, "/overview")
    stranger = console.client()
    assert spend(stranger, link) == (303, "/signin?note=bad")
    assert stranger.get("/overview", follow_redirects=False).status_code == 303


@pytest.mark.parametrize(
    ("minutes", "works"),
    [
        pytest.param(9.9, True, id="just-inside-10-minutes"),
        pytest.param(10.0, False, id="expired-at-10-minutes"),
        pytest.param(60 * 24, False, id="a-day-old"),
    ],
)
def test_a_link_expires_after_10_minutes(console: Console, minutes: float, works: bool) -> None:
    link = console.link()
    console.clock.advance(minutes=minutes)
    client = console.client()
    assert spend(client, link) == ((303, "/overview") if works else (303, "/signin?note=bad"))


def test_an_unknown_token_signs_nobody_in(console: Console) -> None:
    client = console.client()
    assert spend(client, "http://testserver/login?token=made-up") == (303, "/signin?note=bad")
    assert "console_session" not in client.cookies


def test_sign_in_without_the_forms_token_is_refused(console: Console) -> None:
    """The sign-in form carries its own CSRF token (cookie + field): a cross-site post fails."""
    token = console.link().split("token=")[1]
    answer = console.client().post("/login", data={"token": token}, follow_redirects=False)
    assert answer.status_code == 403


def test_repeated_bad_links_are_refused_for_a_while(tmp_path: Path) -> None:
    console = make_console(tmp_path, bad_links=BadLinks(step=0.0, limit=3))
    client = console.client()
    for _ in range(3):
        assert spend(client, "http://testserver/login?token=guess") == (303, "/signin?note=bad")
    # From the limit on, even a good link is refused for this client until the window passes.
    assert spend(client, console.link()) == (303, "/signin?note=many")


def test_bad_links_add_wait_before_the_answer() -> None:
    brake = BadLinks(step=0.5, limit=10)
    waits = []
    for _ in range(4):
        waits.append(brake.delay("client"))
        brake.failed("client")
    assert waits == [0.0, 0.5, 1.0, 1.5]
    assert brake.delay("another client") == 0.0


def test_sign_out_ends_the_session(console: Console) -> None:
    client = signed_in(console)
    cookie = client.cookies["console_session"]
    answer = client.post("/logout", data={"csrf": csrf_of(client)}, follow_redirects=False)
    assert (answer.status_code, answer.headers["location"]) == (303, "/signin?note=out")
    replay = console.client()
    replay.cookies.set("console_session", cookie)
    assert replay.get("/api/overview").status_code == 401


def test_a_session_expires(console: Console) -> None:
    client = signed_in(console)
    console.clock.advance(seconds=SESSION_TTL.total_seconds() - 1)
    assert client.get("/api/overview").status_code == 200
    console.clock.advance(seconds=2)
    assert client.get("/api/overview").status_code == 401


# ---- pages --------------------------------------------------------------------------------------


def test_every_page_answers_with_the_security_headers(console: Console) -> None:
    client = signed_in(console)
    for path in [*PAGES, *API]:
        answer = client.get(path)
        assert answer.status_code == 200, path
        assert "script-src 'self'" in answer.headers["content-security-policy"]
        assert answer.headers["cache-control"] == "no-store"
        assert answer.headers["referrer-policy"] == "no-referrer"


def test_the_overview_figures_are_the_logs(console: Console) -> None:
    client = signed_in(console)
    figures = client.get("/api/overview").json()
    with Store.sqlite(console.db).reading() as conn:
        stats = load_stats(conn, Period())
    assert figures["queries"] == stats.queries == 14
    assert figures["users"] == stats.users == 5
    assert figures["outcomes"] == stats.outcomes
    page = client.get("/overview").text
    assert '<b id="fig-queries">14</b>' in page
    assert '<b id="fig-users">5</b>' in page


def test_the_overview_takes_a_date_range(console: Console) -> None:
    client = signed_in(console)
    day = client.get("/api/overview?since=2024-06-25&until=2024-06-25").json()
    assert day["queries"] == 4  # the known log's first day
    assert client.get("/api/overview?since=nonsense").json()["queries"] == 14  # a bad date is ignored


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        pytest.param("outcome=declined", 4, id="by-outcome"),
        pytest.param("lang=de", 2, id="by-language"),
        pytest.param("intent=metro_lines", 3, id="by-intent"),
        pytest.param("q=METRO", 3, id="search-ignores-case"),
        pytest.param("q=100%25", 0, id="percent-is-literal"),
    ],
)
def test_conversations_filter(console: Console, query: str, expected: int) -> None:
    rows = signed_in(console).get(f"/api/conversations?{query}").json()
    assert len(rows) == expected
    assert all("user_id" not in r and "chat_id" not in r for r in rows)  # pseudonyms only


def test_export_defuses_formulas_as_the_cli_does(tmp_path: Path) -> None:
    console = make_console(
        tmp_path, exchanges=[exchange("=HYPERLINK(1)", id="x1"), exchange("fine", id="x2")]
    )
    body = signed_in(console).get("/api/export?format=csv").text
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
    assert [r[9] for r in rows[1:]] == ["'=HYPERLINK(1)", "fine"]


@pytest.mark.parametrize(
    ("header", "lang", "word"),
    [
        pytest.param("de-DE,de;q=0.9,en;q=0.8", "de", "Überblick", id="german"),
        pytest.param("zh-CN,zh;q=0.9", "zh", "概览", id="chinese"),
        pytest.param("fr-FR,en;q=0.5", "en", "Overview", id="french-falls-back-to-english"),
        pytest.param("en;q=0.2,de;q=0.8", "de", "Überblick", id="by-q"),
    ],
)
def test_the_console_speaks_the_browsers_language(
    console: Console, header: str, lang: str, word: str
) -> None:
    assert pick_lang(header) == lang
    page = signed_in(console).get("/overview", headers={"Accept-Language": header}).text
    assert f'<html lang="{lang}">' in page
    assert word in page


def test_the_fact_base_page_shows_problems_as_path_and_line(console: Console) -> None:
    client = signed_in(console)
    assert "signing_date" in client.get("/facts").text
    broken = console.knowledge / "broken.yaml"
    broken.write_text("intents:\n  - id: Bad Id\n", encoding="utf-8")
    page = client.get("/facts").text
    assert 'id="problems"' in page
    assert "broken.yaml:" in page


# ---- actions ----------------------------------------------------------------------------------


def _post(client: TestClient, path: str, **data: str) -> Response:
    return client.post(path, data={"csrf": csrf_of(client), **data}, follow_redirects=False)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.yaml"))}


def _last_action(client: TestClient) -> str:
    page: str = client.get("/unanswered").text
    return page.split('name="action" value="', 1)[1].split('"', 1)[0]


def test_add_to_an_intent_then_undo_restores_the_file(console: Console) -> None:
    client = signed_in(console)
    before = _files(console.knowledge)
    answer = _post(client, "/actions/add", query="Who paid for the metro?", intent="parties", lang="en")
    assert (answer.status_code, answer.headers["location"]) == (303, "/unanswered?done=add")
    after = _files(console.knowledge)
    changed = [name for name in after if after[name] != before[name]]
    assert changed == ["agreement.yaml"]
    assert b"Who paid for the metro?" in after["agreement.yaml"]
    assert _post(client, "/actions/undo", action=_last_action(client)).status_code == 303
    assert _files(console.knowledge) == before


def test_the_pages_read_the_fact_base_kept_parsed_and_follow_each_edit(tmp_path: Path) -> None:
    """With a cache folder (as `review serve` has the bot's), the fact base is parsed once per
    version of its files and kept: a page after an edit shows the edited version, one after the
    undo the original again (read back from the cache, not parsed anew)."""
    cache = tmp_path / "cache"
    console = make_console(tmp_path)
    console.app.state.console.cache_dir = cache
    client = signed_in(console)
    assert "Who paid for the metro?" not in html.unescape(client.get("/facts").text)
    assert len(list(cache.glob("parsed-*.json"))) == 1
    _post(client, "/actions/add", query="Who paid for the metro?", intent="parties", lang="en")
    assert "Who paid for the metro?" in html.unescape(client.get("/facts").text)
    assert len(list(cache.glob("parsed-*.json"))) == 2  # the edited version, parsed once
    _post(client, "/actions/undo", action=_last_action(client))
    assert "Who paid for the metro?" not in html.unescape(client.get("/facts").text)
    assert len(list(cache.glob("parsed-*.json"))) == 2


def test_a_draft_intent_is_a_new_file_and_undo_removes_it(console: Console) -> None:
    client = signed_in(console)
    before = _files(console.knowledge)
    answer = _post(
        client, "/actions/draft", query="Who paid for the metro?", intent="metro_funding", topic="extra"
    )
    assert answer.status_code == 303
    assert "metro_funding" in (console.knowledge / "extra.yaml").read_text(encoding="utf-8")
    assert _post(client, "/actions/undo", action=_last_action(client)).status_code == 303
    assert _files(console.knowledge) == before


@pytest.mark.parametrize(
    ("path", "data", "message"),
    [
        pytest.param(
            "/actions/add", {"query": "Who paid?", "intent": "no_such"}, "no intent", id="unknown-intent"
        ),
        pytest.param(
            "/actions/add",
            {"query": "When was it signed?", "intent": "signing_date"},
            "already",
            id="duplicate",
        ),
        pytest.param(
            "/actions/draft", {"query": "Who paid?", "intent": "Bad Id", "topic": "x"}, "must be", id="bad-id"
        ),
        pytest.param("/actions/undo", {"action": "999"}, "nothing to undo", id="unknown-action"),
        pytest.param("/actions/offtopic", {"query": ""}, "no question", id="empty-mark"),
    ],
)
def test_a_refused_action_says_why_and_changes_nothing(
    console: Console, path: str, data: dict[str, str], message: str
) -> None:
    client = signed_in(console)
    before = _files(console.knowledge)
    answer = _post(client, path, **data)
    assert answer.status_code == 400
    assert message in answer.text
    assert _files(console.knowledge) == before


@pytest.mark.slow
def test_undo_refuses_when_the_file_changed_since(console: Console) -> None:
    client = signed_in(console)
    _post(client, "/actions/add", query="Who paid for the metro?", intent="parties", lang="en")
    path = console.knowledge / "agreement.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# edited by hand\n", encoding="utf-8")
    answer = _post(client, "/actions/undo", action=_last_action(client))
    assert answer.status_code == 400
    assert "changed since" in answer.text
    assert path.read_text(encoding="utf-8").endswith("# edited by hand\n")


@pytest.mark.parametrize("mark", ["offtopic", "press"])
def test_a_marked_cluster_leaves_the_list_until_undone(console: Console, mark: str) -> None:
    client = signed_in(console)
    page = client.get("/unanswered").text
    text = (
        page.split('<h2><span class="count">', 1)[1].split('<bdi class="text">', 1)[1].split("</bdi>", 1)[0]
    )
    assert _post(client, f"/actions/{mark}", query=text).status_code == 303
    assert f'<bdi class="text">{text}</bdi></h2>' not in client.get("/unanswered").text
    _post(client, "/actions/undo", action=_last_action(client))
    assert f'<bdi class="text">{text}</bdi></h2>' in client.get("/unanswered").text


@pytest.mark.parametrize("mark", ["offtopic", "press"])
def test_an_action_comes_back_to_the_range_it_was_posted_from(console: Console, mark: str) -> None:
    client = signed_in(console)
    shown = "since=2024-06-01&until=2024-06-30"
    page = client.get(f"/unanswered?{shown}").text
    forms = page.count('<form method="post" action="/actions/')
    assert forms > 0
    # every action form of the page carries the range it shows
    assert page.count('<input type="hidden" name="since" value="2024-06-01">') == forms
    text = (
        page.split('<h2><span class="count">', 1)[1].split('<bdi class="text">', 1)[1].split("</bdi>", 1)[0]
    )
    answer = _post(client, f"/actions/{mark}", query=text, since="2024-06-01", until="2024-06-30")
    assert (answer.status_code, answer.headers["location"]) == (303, f"/unanswered?{shown}&done={mark}")


def test_the_same_rows_are_clustered_once(console: Console) -> None:
    """The hand-off's POST and the page it redirects to read the same rows: the clusters are
    worked out once, and again as soon as a row differs."""
    log = Log(Store.sqlite(console.db))
    first = log.clusters(Period())
    again = log.clusters(Period())
    assert again == first
    assert all(a is b for a, b in zip(again, first, strict=True))  # the same objects: not recomputed
    with sqlite3.connect(console.db) as conn:
        conn.execute(
            "UPDATE exchanges SET text = text || ' (edited)' WHERE id = "
            "(SELECT id FROM exchanges WHERE outcome = 'declined' LIMIT 1)"
        )
    changed = log.clusters(Period())
    assert changed != first


def test_a_log_that_cannot_be_read_is_a_503_with_a_sentence(console: Console) -> None:
    client = signed_in(console)
    console.db.write_bytes(b"this is not a database" * 100)
    answer = client.get("/api/overview")
    assert answer.status_code == 503
    assert "not available just now" in answer.text
