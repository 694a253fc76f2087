"""The review's HTML report: one self-contained page with inline SVG charts.

Pure: a ReportData in, a string out. No scripts, no fonts, no CDN, no external URL of any kind,
so the file opens offline and can be mailed around. Every text from the log is escaped.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH = 640
BAR = 22  # height of one horizontal bar row
LABEL_W = 250  # px left of the bars for their labels (text-anchor end at LABEL_W - 8)
LINE_H = 14  # px between the two lines of a wrapped label
# Glyph widths in px at the charts' 12px font, on the wide side so that a label never runs past
# the left edge: Latin letters about 7, CJK and other full-width characters 12.
_NARROW_PX, _WIDE_PX = 7.0, 12.0


@dataclass(frozen=True)
class ReportData:
    """What the report shows; built by bot.review.commands from the log."""

    title: str
    period: str
    generated: str
    queries: int
    users: int
    answered: int
    days: tuple[tuple[str, int, int], ...]  # (YYYY-MM-DD, queries, answered)
    languages: tuple[tuple[str, int], ...]  # (lang, queries)
    intents: tuple[tuple[str, int], ...]  # (intent, times answered)
    clusters: tuple[tuple[str, int, str | None], ...]  # (question, queries, nearest intent)
    helpful: int
    not_helpful: int
    latency_median_ms: float | None
    latency_p95_ms: float | None
    # Press office: (opened, answered, median seconds to answer), most handed-off questions.
    tickets: tuple[int, int, float | None] = (0, 0, None)
    handed_off: tuple[tuple[str, int], ...] = ()


_CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:46rem;
color:#1d2433;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.2rem}
.meta{color:#5b6473;margin-top:0}
.cards{display:flex;flex-wrap:wrap;gap:.6rem;margin:1.2rem 0}
.card{border:1px solid #d8dde6;border-radius:6px;padding:.5rem .8rem;min-width:7rem}
.card b{display:block;font-size:1.3rem}
figure{margin:1.6rem 0}
figcaption{font-weight:600;margin-bottom:.4rem}
svg{max-width:100%;height:auto}svg text{font:12px system-ui,sans-serif;fill:#1d2433}
.bar{fill:#2f6db5}.bar.good{fill:#2e8b57}.bar.bad{fill:#c0392b}
.line{fill:none;stroke:#2e8b57;stroke-width:2}.dot{fill:#2e8b57}
.axis{stroke:#9aa3b2;stroke-width:1}
table{border-collapse:collapse;width:100%}
td,th{text-align:left;padding:.25rem .4rem;border-bottom:1px solid #e4e8ee;vertical-align:top}
td.n{text-align:right}
"""


def render(data: ReportData) -> str:
    """The whole page."""
    rate = _pct(data.answered, data.queries)
    cards = [
        ("queries", str(data.queries)),
        ("users", str(data.users)),
        ("answered", rate),
        ("median latency", _ms(data.latency_median_ms)),
        ("p95 latency", _ms(data.latency_p95_ms)),
        ("feedback", f"+{data.helpful} / −{data.not_helpful}"),
    ]
    if data.tickets[0]:
        wait = data.tickets[2]
        cards.append(("press office tickets", f"{data.tickets[1]}/{data.tickets[0]} answered"))
        cards.append(("median time to answer", "-" if wait is None else f"{wait / 3600:.1f} h"))
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(data.title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{escape(data.title)}</h1>",
        f'<p class="meta">{escape(data.period)} · generated {escape(data.generated)}</p>',
        '<div class="cards">',
        *(f'<div class="card">{escape(k)}<b>{escape(v)}</b></div>' for k, v in cards),
        "</div>",
        _figure(
            "queries-per-day",
            "Queries per day",
            _columns([d for d, _, _ in data.days], [q for _, q, _ in data.days]),
        ),
        _figure(
            "answered-rate",
            "Answered rate per day (%)",
            _line([d for d, _, _ in data.days], [100 * a / q if q else 0 for _, q, a in data.days]),
        ),
        _figure("languages", "Queries by language", _bars(data.languages)),
        _figure("top-intents", "Top intents (answered)", _bars(data.intents)),
        _figure(
            "unanswered",
            "Top unanswered clusters (queries)",
            _bars([(text, size) for text, size, _ in data.clusters]),
        ),
        _figure(
            "feedback",
            "Feedback",
            _bars([("helpful", data.helpful), ("not helpful", data.not_helpful)], ["good", "bad"]),
        ),
        _cluster_table(data.clusters),
        *(
            [
                _figure(
                    "handed-off",
                    "Questions handed to the press office most often (tickets)",
                    _bars(data.handed_off),
                )
            ]
            if data.tickets[0]
            else []
        ),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def _figure(ident: str, caption: str, svg: str) -> str:
    labelled = svg.replace("<svg ", f'<svg aria-labelledby="cap-{ident}" ', 1)
    return (
        f'<figure id="chart-{ident}"><figcaption id="cap-{ident}">{escape(caption)}</figcaption>'
        f"{labelled}</figure>"
    )


def _svg(height: float, body: list[str]) -> str:
    return (
        f'<svg role="img" width="{WIDTH}" height="{height:.0f}" '
        f'viewBox="0 0 {WIDTH} {height:.0f}">' + "".join(body) + "</svg>"
    )


def _empty() -> str:
    return _svg(30, ['<text x="0" y="20">No data in this period.</text>'])


def _bars(rows: Sequence[tuple[str, int]], classes: Sequence[str] = ()) -> str:
    """Horizontal bars, one row each: label on the left (wrapped to two lines, shortened with
    "…" beyond that, the full text on hover), value at the bar's end."""
    if not rows:
        return _empty()
    label_w, top = LABEL_W, 4
    scale = (WIDTH - label_w - 50) / max(1, max(v for _, v in rows))
    body = []
    y = top
    for i, (label, value) in enumerate(rows):
        lines, cut = wrap_label(label, label_w - 12)
        extra = (len(lines) - 1) * LINE_H
        width = max(value * scale, 1 if value else 0)
        css = f"bar {classes[i]}" if i < len(classes) else "bar"
        hover = f"<title>{escape(label)}</title>" if cut else ""
        first_y = y + 15
        spans = "".join(
            f'<tspan x="{label_w - 8}" y="{first_y + n * LINE_H}">{escape(line)}</tspan>'
            for n, line in enumerate(lines)
        )
        middle = y + extra / 2
        body.append(
            f'<text x="{label_w - 8}" y="{first_y}" text-anchor="end">{hover}{spans}</text>'
            f'<rect class="{css}" x="{label_w}" y="{middle + 3:.0f}" width="{width:.1f}" '
            f'height="{BAR - 6}"><title>{escape(label)}: {value}</title></rect>'
            f'<text x="{label_w + width + 6:.1f}" y="{middle + 15:.0f}">{value}</text>'
        )
        y += BAR + extra
    return _svg(y + top, body)


def _glyph_px(char: str) -> float:
    return _WIDE_PX if unicodedata.east_asian_width(char) in ("W", "F") else _NARROW_PX


def wrap_label(text: str, max_px: float, max_lines: int = 2) -> tuple[list[str], bool]:
    """Split `text` into at most `max_lines` lines that each fit `max_px`, at spaces where there
    are any (CJK breaks anywhere); True as second value if the text had to be shortened ("…")."""
    words = " ".join(text.split())
    lines: list[str] = []
    current, width = "", 0.0
    for char in words:
        px = _glyph_px(char)
        if width + px <= max_px:
            current += char
            width += px
            continue
        if len(lines) == max_lines - 1:  # the last line is full: end it with an ellipsis
            while current and sum(map(_glyph_px, current)) + _NARROW_PX > max_px:
                current = current[:-1]
            lines.append(current.rstrip() + "…")
            return lines, True
        head, sep, tail = current.rpartition(" ")
        if sep and head and char != " ":  # break at the last space, carry the word over
            lines.append(head)
            current = tail + char
        else:
            lines.append(current.rstrip())
            current = "" if char == " " else char
        width = sum(map(_glyph_px, current))
    lines.append(current)
    return lines, False


def _columns(labels: Sequence[str], values: Sequence[int]) -> str:
    """Vertical bars over days, the count above each."""
    if not labels:
        return _empty()
    height, base, left = 200, 170, 30
    step = (WIDTH - left) / len(labels)
    scale = (base - 25) / max(1, max(values))
    every = _label_every(len(labels))
    body = [f'<line class="axis" x1="{left}" y1="{base}" x2="{WIDTH}" y2="{base}"/>']
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = left + i * step + step * 0.15
        h = value * scale
        middle = x + step * 0.35
        body.append(
            f'<rect class="bar" x="{x:.1f}" y="{base - h:.1f}" width="{step * 0.7:.1f}" '
            f'height="{h:.1f}"><title>{escape(label)}: {value}</title></rect>'
        )
        if i % every == 0:
            body.append(
                f'<text x="{middle:.1f}" y="{base - h - 4:.1f}" text-anchor="middle">{value}</text>'
                f'<text x="{middle:.1f}" y="{base + 16}" text-anchor="middle">'
                f"{escape(label[5:])}</text>"
            )
    return _svg(height, body)


def _label_every(count: int) -> int:
    """Label every n-th day so that at most about a dozen labels share the axis."""
    return max(1, math.ceil(count / 12))


def _line(labels: Sequence[str], values: Sequence[float]) -> str:
    """A line over days, 0-100 %, a dot with a tooltip at each day."""
    if not labels:
        return _empty()
    height, base, top, left = 200, 170, 15, 60
    step = (WIDTH - left - 20) / max(1, len(labels) - 1)
    xs = [left + i * step for i in range(len(labels))] if len(labels) > 1 else [WIDTH / 2]
    points = [(x, base - v / 100 * (base - top)) for x, v in zip(xs, values, strict=True)]
    body = [
        f'<line class="axis" x1="{left}" y1="{base}" x2="{WIDTH}" y2="{base}"/>',
        f'<text x="{left - 6}" y="{base}" text-anchor="end">0</text>',
        f'<text x="{left - 6}" y="{top + 4}" text-anchor="end">100</text>',
        '<polyline class="line" points="' + " ".join(f"{x:.1f},{y:.1f}" for x, y in points) + '"/>',
    ]
    every = _label_every(len(labels))
    for i, ((x, y), label, value) in enumerate(zip(points, labels, values, strict=True)):
        body.append(
            f'<circle class="dot" cx="{x:.1f}" cy="{y:.1f}" r="4">'
            f"<title>{escape(label)}: {value:.1f}%</title></circle>"
        )
        if i % every == 0:
            body.append(f'<text x="{x:.1f}" y="{base + 16}" text-anchor="middle">{escape(label[5:])}</text>')
    return _svg(height, body)


def _cluster_table(clusters: Sequence[tuple[str, int, str | None]]) -> str:
    if not clusters:
        return ""
    rows = "".join(
        f'<tr><td class="n">{i}</td><td>{escape(text)}</td><td class="n">{size}</td>'
        f"<td>{escape(intent or '–')}</td></tr>"
        for i, (text, size, intent) in enumerate(clusters, start=1)
    )
    return (
        '<h2>Unanswered: the to-do list</h2><table id="unanswered-table"><thead><tr><th>#</th>'
        "<th>question</th><th>queries</th><th>nearest intent</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "–"


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f} ms"
