"""A log full of hostile text (markup, scripts, template syntax, bidi and control characters,
10,000-character lines): every page shows it as text, nothing of it runs, no page breaks."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.store.records import Exchange
from tests.review.console.helpers import NOW, Console, make_console, signed_in
from tests.store.helpers import exchange

LONG = "A" * 10_000
HOSTILE = [
    "<script>window.pwned=1</script>",
    '<img src=x onerror="window.pwned=1">',
    '"><svg onload=window.pwned=1>',
    "</bdi></td></tr></table><h1>forged</h1>",
    "{{ 7 * 7 }} {% for x in range(3) %}loop{% endfor %}",
    "\u202eevil.exe\u202c and \u2066isolate\u2069",
    "bell \x07 escape \x1b[31m red \r carriage",
    "javascript:window.pwned=1",
    LONG,
    "zero\u200bwidth\ufeffbom",
]


def _exchanges() -> list[Exchange]:
    rows = []
    for n, text in enumerate(HOSTILE):
        for outcome in ("declined", "answered"):
            rows.append(
                exchange(
                    text,
                    id=f"h{n}{outcome[0]}",
                    user=2000 + n,
                    outcome="declined" if outcome == "declined" else "answered",
                    reply=text,
                    intent=text if outcome == "declined" else "signing_date",
                    lang="en",
                    ts=NOW - timedelta(hours=n + 1),  # inside the pages' default ranges
                )
            )
    return rows


@pytest.fixture(scope="module")
def console(tmp_path_factory: pytest.TempPathFactory) -> Console:
    return make_console(tmp_path_factory.mktemp("hostile"), exchanges=_exchanges())


PAGES = [
    "/overview",
    "/overview?fragment=1",
    "/conversations",
    "/unanswered",
    "/facts",
    "/thresholds",
    "/export",
]


@pytest.mark.parametrize("path", PAGES)
def test_hostile_text_is_shown_not_run(console: Console, path: str) -> None:
    page = signed_in(console).get(path)
    assert page.status_code == 200
    body = page.text
    for raw in (
        "<script>window",
        "<img src=x",
        "<svg onload",
        "<h1>forged",
        "\u202e",
        "\x1b",
        "\x07",
        "\ufeff",
    ):
        assert raw not in body, raw
    assert "looploop" not in body  # logged template syntax is never run
    assert body.count("<script") == (0 if "fragment" in path else 1)  # the console's own script only
    assert body.rstrip().endswith("</html>") or path.endswith("fragment=1")


@pytest.mark.parametrize("path", ["/conversations", "/unanswered"])
def test_hostile_text_appears_escaped_and_visible(console: Console, path: str) -> None:
    body = signed_in(console).get(path).text
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in body
    assert "&lt;U+202E&gt;evil.exe" in body  # the bidi override made visible, as the review does
    assert "{{ 7 * 7 }}" in body
    assert LONG in body  # the long line is there in full; the CSS wraps it


def test_the_json_api_carries_hostile_text_as_data(console: Console) -> None:
    client = signed_in(console)
    answer = client.get("/api/conversations")
    assert answer.headers["content-type"].startswith("application/json")
    texts = {row["text"] for row in answer.json()}
    assert "<script>window.pwned=1</script>" in texts
