"""Logged text shown safely: control and bidi characters visible on the terminal, in the HTML
report and in admin messages; CSV defusing; export refuses symlinks and writes 0600; every
review number and date bounded with a clean error."""

from __future__ import annotations

import csv
import io
import os
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot import cli
from bot.review import commands as review
from bot.review.display import visible
from bot.review.reports import Period, export
from bot.store.store import Store
from tests.store.helpers import KEY, exchange, seed

NOW = datetime(2024, 7, 1, 12, 0, tzinfo=UTC)
HOSTILE = "\u202eWho\x00 signed\x1b[2J\x1b]0;pwned\x07 it?gnis\r\u2066x\u2069\u200b"


def review_main(argv: list[str], db: Path) -> int:
    try:
        args = cli.build_parser().parse_args(["review", *argv])
    except SystemExit as exc:
        return int(exc.code or 0)
    return review.run(args, Store.sqlite(db, KEY), now=NOW)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "log.sqlite3"
    seed(
        path,
        [
            exchange(HOSTILE, outcome="declined", intent=None, confidence=0.1, id="h1"),
            exchange(HOSTILE, outcome="declined", intent=None, confidence=0.1, id="h2", user=2),
        ],
    )
    return path


HIDDEN = ["\x00", "\x1b", "\x07", "\r", "\u202e", "\u2066", "\u2069", "\u200b"]


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        pytest.param("a\x00b", "a<U+0000>b", id="nul"),
        pytest.param("\x1b[31mred", "<U+001B>[31mred", id="escape-sequence"),
        pytest.param("abc\u202edef", "abc<U+202E>def", id="right-to-left-override"),
        pytest.param("x\u2066y\u2069", "x<U+2066>y<U+2069>", id="bidi-isolates"),
        pytest.param("one\rtwo", "one<U+000D>two", id="carriage-return-overwrites"),
        pytest.param("\x85\u2028", "<U+0085><U+2028>", id="c1-and-line-separator"),
        # What must stay: tabs, newlines, umlauts, Chinese, emoji, ordinary Arabic and Hebrew.
        pytest.param("Tab\tline\nÄß 见证 👍 مرحبا שלום", "Tab\tline\nÄß 见证 👍 مرحبا שלום", id="kept"),
    ],
)
def test_visible(text: str, shown: str) -> None:
    """Each control or bidi character becomes <U+XXXX>; ordinary text is untouched."""
    assert visible(text) == shown


@pytest.mark.parametrize("command", [["unanswered"], ["suggest"], ["stats"]])
def test_terminal_output_carries_no_control_or_bidi_character(
    db: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    """Before: NUL, ESC and U+202E reached the terminal as they were (escape injection)."""
    assert review_main(command, db) == 0
    out = capsys.readouterr().out
    assert [ch for ch in HIDDEN if ch in out] == [], out
    if command == ["unanswered"]:
        assert "<U+202E>" in out and "<U+001B>" in out


def test_the_html_report_carries_no_control_or_bidi_character(db: Path, tmp_path: Path) -> None:
    page = tmp_path / "r.html"
    assert review_main(["report", "--html", str(page)], db) == 0
    html = page.read_text(encoding="utf-8")
    assert not any(ch in html for ch in HIDDEN) and "&lt;U+202E&gt;" in html


def test_the_admins_unanswered_summary_carries_none(db: Path) -> None:
    text = review.unanswered_top(Store.sqlite(db))
    assert not any(ch in text for ch in HIDDEN) and "<U+202E>" in text


@pytest.mark.parametrize(
    ("text", "defused"),
    [
        pytest.param("=1+2", True, id="equals"),
        pytest.param("  =1+2", True, id="leading-spaces"),
        pytest.param("\n=1+2", True, id="leading-newline"),
        pytest.param("\t@SUM(A1)", True, id="leading-tab"),
        pytest.param("\u3000+cmd", True, id="ideographic-space"),
        pytest.param('＝HYPERLINK("x")', True, id="full-width-equals"),
        pytest.param("＋1", True, id="full-width-plus"),
        pytest.param("－1", True, id="full-width-minus"),
        pytest.param("＠A1", True, id="full-width-at"),
        pytest.param("\x00=1", True, id="control-first"),
        # Near misses that stay as they are.
        pytest.param("What is 1+2?", False, id="sign-inside"),
        pytest.param("E-Mail", False, id="minus-inside"),
        pytest.param("中国 = China", False, id="equals-later"),
    ],
)
def test_csv_defusing(tmp_path: Path, text: str, defused: bool) -> None:
    """Whatever a spreadsheet could read as a formula starts with an apostrophe."""
    path = tmp_path / "f.sqlite3"
    seed(path, [exchange(text, id="f1")])
    out = io.StringIO()
    conn = Store.sqlite(path).connect(create=False)
    try:
        export(conn, Period(), "csv", out)
    finally:
        conn.close()
    (row,) = csv.DictReader(io.StringIO(out.getvalue()))
    assert row["text"] == ("'" + text if defused else text)


@pytest.mark.parametrize("command", [["export"], ["report"]])
def test_output_refuses_a_symlink(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    """A symlink named as the output is refused, and the file it points at is left alone."""
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    link = tmp_path / "out.csv"
    link.symlink_to(victim)
    option = "--output" if command == ["export"] else "--html"
    assert review_main([*command, option, str(link)], db) == 1
    err = capsys.readouterr().err
    assert "symbolic link" in err and err.count("\n") == 1
    assert victim.read_text(encoding="utf-8") == "keep me"


def test_an_existing_output_file_is_made_private(db: Path, tmp_path: Path) -> None:
    """A file that was 0644 is 0600 after the export (it holds logged texts)."""
    target = tmp_path / "old.csv"
    target.write_text("x" * 10_000, encoding="utf-8")
    os.chmod(target, 0o644)
    assert review_main(["export", "--output", str(target)], db) == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text(encoding="utf-8-sig").startswith("id,ts,")


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["stats", "--until", "9999-12-31"], id="until-end-of-calendar"),
        pytest.param(["stats", "--since", "0001-01-01"], id="since-start-of-calendar"),
        pytest.param(["stats", "--top", "10000"], id="top-at-its-bound"),
        pytest.param(["threshold", "--step", "0.001"], id="smallest-step"),
    ],
)
def test_edge_values_work(db: Path, argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert review_main(argv, db) == 0


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["stats", "--top", "1e20"], id="top-float"),
        pytest.param(["stats", "--top", "100000000000000000000"], id="top-huge"),
        pytest.param(["threshold", "--step", "1e-9"], id="step-tiny"),
        pytest.param(["threshold", "--step", "nan"], id="step-nan"),
        pytest.param(["unanswered", "--limit", "-1"], id="limit-negative"),
        pytest.param(["unanswered", "--similarity", "inf"], id="similarity-inf"),
        pytest.param(["stats", "--since", "10000-01-01"], id="year-10000"),
        pytest.param(["stats", "--until", "2024-02-30"], id="no-such-day"),
    ],
)
def test_out_of_bounds_values_are_one_clean_error(
    db: Path, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Exit 2 with one line, no traceback (before: --until 9999-12-31 and --top 1e20 tracebacks,
    --step 1e-9 ran unbounded)."""
    assert review_main(argv, db) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
