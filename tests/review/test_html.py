"""The HTML report, parsed: every chart present with the known log's numbers, nothing external."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

from bot.review.html import ReportData, render
from bot.review.reports import Period, build_report
from bot.store.store import Store
from tests.store.helpers import KNOWN_EXCHANGES, KNOWN_VOTES, seed

CHARTS = (
    "chart-queries-per-day",
    "chart-answered-rate",
    "chart-languages",
    "chart-top-intents",
    "chart-unanswered",
    "chart-feedback",
)
VOID = {"meta", "link", "br", "img", "input", "hr", "line", "circle", "polyline", "rect"}


class Page(HTMLParser):
    """Collects what the tests look at, and checks that every element is closed in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.figure: str | None = None
        self.charts: dict[str, dict[str, list[str]]] = {}
        self.text: list[str] = []
        self._title: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._element(tag, dict(attrs))
        if tag not in VOID:
            self.stack.append(tag)
        if tag == "title" and self.figure:
            self._title = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._element(tag, dict(attrs))

    def _element(self, tag: str, attrs: dict[str, str | None]) -> None:
        self.tags.append((tag, attrs))
        if tag == "figure":
            self.figure = attrs.get("id")
            self.charts[self.figure or ""] = {"svg": [], "bars": [], "titles": [], "points": []}
        if self.figure:
            chart = self.charts[self.figure]
            if tag == "svg":
                chart["svg"].append(attrs.get("viewbox") or "")
            if tag == "rect" and "bar" in (attrs.get("class") or ""):
                chart["bars"].append(attrs.get("width") or "")
            if tag == "polyline":
                chart["points"] = (attrs.get("points") or "").split()

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1:]}>"
        self.stack.pop()
        if tag == "title" and self._title is not None and self.figure:
            self.charts[self.figure]["titles"].append("".join(self._title))
            self._title = None
        if tag == "figure":
            self.figure = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._title is not None:
            self._title.append(data)


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    assert page.stack == [], f"unclosed: {page.stack}"
    return page


@pytest.fixture
def known(tmp_path: Path) -> ReportData:
    db = tmp_path / "log.sqlite3"
    seed(db, KNOWN_EXCHANGES, KNOWN_VOTES)
    conn = Store.sqlite(db).connect(create=False)
    try:
        return build_report(conn, Period(), datetime(2024, 7, 1, 12, tzinfo=UTC))
    finally:
        conn.close()


def test_every_chart_is_an_inline_svg(known: ReportData) -> None:
    page = parse(render(known))
    assert tuple(page.charts) == CHARTS
    for chart in page.charts.values():
        assert len(chart["svg"]) == 1


def test_charts_show_the_known_log(known: ReportData) -> None:
    charts = parse(render(known)).charts
    assert charts["chart-queries-per-day"]["titles"] == [
        "2024-06-25: 4",
        "2024-06-26: 5",
        "2024-06-27: 5",
    ]
    assert charts["chart-answered-rate"]["titles"] == [
        "2024-06-25: 75.0%",
        "2024-06-26: 20.0%",
        "2024-06-27: 40.0%",
    ]
    assert len(charts["chart-answered-rate"]["points"]) == 3
    assert charts["chart-languages"]["titles"] == ["en: 11", "de: 2", "zh: 1"]
    assert charts["chart-top-intents"]["titles"] == [
        "signing_date: 3",
        "areas: 1",
        "data_centres: 1",
        "signatories: 1",
    ]
    assert charts["chart-unanswered"]["titles"] == [
        "Who paid for the metro?: 3",
        "How many employees in Chongqing?: 2",
        "Was steht im Vertrag über Rechenzentren?: 1",
        "What is the revenue of Siemens China?: 1",
        "Who signed the agreement?: 1",
    ]
    assert charts["chart-feedback"]["titles"] == ["helpful: 3", "not helpful: 2"]
    widths = [float(w) for w in charts["chart-languages"]["bars"]]
    assert widths == sorted(widths, reverse=True) and widths[0] > 10 * widths[2]


def test_summary_cards_and_period(known: ReportData) -> None:
    text = " ".join(" ".join(parse(render(known)).text).split())
    for fact in (
        "queries 14",
        "users 5",
        "answered 42.9%",
        "median latency 70 ms",
        "p95 latency 140 ms",
        "all time (UTC) · generated 2024-07-01 12:00 UTC",
    ):
        assert fact in text


def test_the_page_needs_nothing_from_outside(known: ReportData) -> None:
    html = render(known)
    page = parse(html)
    assert not {tag for tag, _ in page.tags} & {"script", "link", "img", "iframe", "object"}
    for _, attrs in page.tags:
        for name, value in attrs.items():
            assert name not in ("src", "href") and "//" not in (value or "")
    assert "url(" not in html and "@import" not in html


def test_texts_from_the_log_are_escaped(known: ReportData) -> None:
    """A user's question is data: it can never become markup in the reviewer's browser."""
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    html = render(replace(known, clusters=((evil, 2, "<b>intent</b>"),)))
    page = parse(html)
    assert not {tag for tag, _ in page.tags} & {"script", "img"}
    assert evil in "".join(page.text)
    assert "<b>intent</b>" in "".join(page.text)


def test_an_empty_period_still_renders_every_chart() -> None:
    empty = ReportData(
        "Review", "from 2030-01-01 (UTC)", "2030-01-02 00:00 UTC", 0, 0, 0, (), (), (), (), 0, 0, None, None
    )
    page = parse(render(empty))
    assert tuple(page.charts) == CHARTS
    assert "".join(page.text).count("No data in this period.") == 5  # feedback shows two zeros


def test_long_periods_label_about_a_dozen_days() -> None:
    days = tuple((f"2024-{m:02}-{d:02}", 3, 1) for m in (5, 6) for d in range(1, 31))
    data = ReportData("Review", "p", "g", 180, 9, 60, days, (), (), (), 0, 0, 1.0, 2.0)
    html = render(data)
    chart = html.split('id="chart-queries-per-day"')[1].split("</figure>")[0]
    assert chart.count("<rect") == 60
    assert chart.count("<text") <= 2 * 12


@pytest.mark.parametrize(
    ("question", "cut"),
    [
        pytest.param("Who paid for the metro?", False, id="short-one-line"),
        pytest.param(
            "Was steht im Vertrag über die Rechenzentren in Chongqing?", False, id="wraps-to-two-lines"
        ),
        pytest.param(
            "What exactly did Siemens and the Chongqing municipal government agree about "
            "the digital transformation of manufacturing?",
            True,
            id="long-english",
        ),
        # CJK glyphs are twice as wide: far fewer characters fit
        pytest.param(
            "西门子和重庆市政府在协议中对制造业数字化转型具体约定了哪些内容以及时间表是什么样的呢请详细说明",
            True,
            id="long-chinese",
        ),
        pytest.param("x" * 300, True, id="no-spaces"),
    ],
)
def test_long_cluster_labels_fit_and_keep_the_full_text_on_hover(
    known: ReportData, question: str, cut: bool
) -> None:
    """A label never runs past the chart's left edge; a shortened one shows the full text on hover."""
    from bot.review.html import LABEL_W, _glyph_px, wrap_label

    lines, was_cut = wrap_label(question, LABEL_W - 12)
    assert was_cut == cut and 1 <= len(lines) <= 2
    assert all(sum(map(_glyph_px, line)) <= LABEL_W - 12 for line in lines)
    assert (lines[-1].endswith("…")) == cut
    html = render(replace(known, clusters=((question, 3, None),)))
    chart = html.split('id="chart-unanswered"')[1].split("</figure>")[0]
    label = chart.split("<text")[1]
    assert (f"<title>{question}</title>" in label) == cut
    for line in lines:
        assert f">{line}</tspan>" in label
