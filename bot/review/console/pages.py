"""The console's routes: sign-in, the pages (overview, conversations, unanswered, fact base,
thresholds, export) and their JSON twins, and the actions on unanswered questions.

Each route is built by a function over the Console (bot.review.console.app); blocking work (the
log, the fact files) runs in Starlette's thread pool. Templates escape everything; logged text
goes through the `v` filter (control and bidi characters made visible) first.
"""

from __future__ import annotations

import argparse
import itertools
from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response, StreamingResponse

from bot.core.lang import LANGS
from bot.review.clusters import intent_id
from bot.review.console import auth, facts
from bot.review.console.app import Console, Endpoint, Kind, slow_down
from bot.review.console.auth import Session
from bot.review.console.texts import pick_lang, texts
from bot.review.display import without_hidden
from bot.review.html import _bars, _columns, _line
from bot.review.reports import Period, Stats, parse_when

OUTCOME_ORDER = (
    "answered",
    "suggested",
    "not_stated",
    "unknown",
    "declined",
    "offtopic",
    "smalltalk",
    "other",
)
PAGE_SIZE = 100
UNANSWERED_DAYS = 30  # the unanswered page's default range


# ---- sign-in ----------------------------------------------------------------------------------


def _client(request: Request) -> str:
    return request.client.host if request.client else "?"


def signin_page(console: Console) -> Endpoint:
    async def signin(request: Request) -> Response:
        """How to get a sign-in link."""
        note = request.query_params.get("note")
        return console.render(
            request, "signin.html", {"note": note if note in ("bad", "out", "many") else None}
        )

    return signin


def login_page(console: Console) -> Endpoint:
    async def login_page(request: Request) -> Response:
        """A link opened: a button to spend it (a link preview or a prefetch spends nothing)."""
        token = request.query_params.get("token", "")[:200]
        nonce = auth.new_nonce()
        response = console.render(request, "login.html", {"token": token, "nonce": nonce})
        response.set_cookie(
            auth.LOGIN_COOKIE,
            nonce,
            max_age=600,
            httponly=True,
            samesite="strict",
            secure=console.secure,
            path="/login",
        )
        return response

    return login_page


def login(console: Console) -> Endpoint:
    async def login(request: Request) -> Response:
        """Spend a link: a session cookie, or back to the sign-in page (slowly when repeated)."""
        client = _client(request)
        if console.bad_links.refused(client):
            return RedirectResponse("/signin?note=many", status_code=303, headers={"Retry-After": "600"})
        await slow_down(console, client)
        form = await request.form()
        token = form.get("token")
        nonce = form.get(auth.CSRF_FIELD)
        if not isinstance(nonce, str) or not auth.same_token(
            nonce, request.cookies.get(auth.LOGIN_COOKIE, "")
        ):
            return Response("missing or wrong CSRF token; open the link again", status_code=403)
        now = console.clock()
        state = "unknown"
        if isinstance(token, str) and 0 < len(token) <= 200:
            state = await run_in_threadpool(console.log.use_link, auth.digest(token), now)
        if state != "ok":
            console.bad_links.failed(client)
            return RedirectResponse("/signin?note=bad", status_code=303)
        session_id, _ = await run_in_threadpool(auth.open_session, console.log, now)
        response = RedirectResponse("/overview", status_code=303)
        response.delete_cookie(auth.LOGIN_COOKIE, path="/login")
        response.set_cookie(
            auth.SESSION_COOKIE,
            session_id,
            max_age=int(auth.SESSION_TTL.total_seconds()),
            httponly=True,
            samesite="strict",
            secure=console.secure,
            path="/",
        )
        return response

    return login


def logout(console: Console) -> Endpoint:
    async def logout(request: Request) -> Response:
        """End the session."""
        session: Session = request.state.session
        await run_in_threadpool(console.log.end_session, session.id_hash, console.clock())
        response = RedirectResponse("/signin?note=out", status_code=303)
        response.delete_cookie(auth.SESSION_COOKIE, path="/")
        return response

    return logout


# ---- helpers --------------------------------------------------------------------------------


def _period(request: Request) -> tuple[Period, dict[str, str]]:
    """The date range of ?since=YYYY-MM-DD&until=YYYY-MM-DD (a bad date is ignored)."""
    return _period_of(lambda name: request.query_params.get(name, "").strip()[:40])


def _period_of(raw_of: Callable[[str], str], *, strict: bool = False) -> tuple[Period, dict[str, str]]:
    """The range `since` and `until` name, with the values read; an unreadable date is left out,
    or with `strict` refused; a range that ends before it starts is the whole log."""
    values: dict[str, str] = {}
    bounds: dict[str, datetime | None] = {"since": None, "until": None}
    for name in bounds:
        raw = raw_of(name)
        if raw:
            try:
                bounds[name] = parse_when(raw, end=name == "until")
            except argparse.ArgumentTypeError:
                if strict:
                    raise facts.ConsoleError(f"unreadable date: {raw}") from None
                continue
            values[name] = raw
    since, until = bounds["since"], bounds["until"]
    if since and until and since >= until:
        return Period(), {}
    return Period(since, until), values


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "–"


def _overview_context(stats: Stats, words: dict[str, str]) -> dict[str, Any]:
    q = stats.queries
    outcomes = [(o, stats.outcomes.get(o, 0), _pct(stats.outcomes.get(o, 0), q)) for o in OUTCOME_ORDER]
    outcomes += [(o, n, _pct(n, q)) for o, n in stats.outcomes.items() if o not in OUTCOME_ORDER]
    days = stats.days
    t = stats.tickets
    return {
        "stats": stats,
        "outcomes": outcomes,
        "chart_days": _columns([d.day for d in days], [d.queries for d in days]),
        "chart_rate": _line(
            [d.day for d in days], [100 * d.answered / d.queries if d.queries else 0 for d in days]
        ),
        "chart_langs": _bars([(r.lang, r.queries) for r in stats.languages]),
        "chart_outcomes": _bars([(words.get(o, o), n) for o, n, _ in outcomes if n]),
        "tickets": t,
        "ticket_wait": None
        if t is None or t.median_answer_s is None
        else f"{t.median_answer_s / 3600:.1f} h",
        "pct": _pct,
    }


# ---- pages ----------------------------------------------------------------------------------


def overview(console: Console) -> Endpoint:
    async def overview(request: Request) -> Response:
        """Queries, users, outcomes, days, languages, latency, feedback, tickets."""
        period, values = _period(request)
        stats = await run_in_threadpool(console.log.stats, period, console.clock())
        context = {
            "page": "overview",
            "range": values,
            "query": urlencode(values),
            "every_ms": int(console.refresh_s * 1000),
            **_overview_context(stats, texts(pick_lang(request.headers.get("accept-language")))),
        }
        name = "overview_figures.html" if request.query_params.get("fragment") else "overview.html"
        return console.render(request, name, context)

    return overview


def overview_api(console: Console) -> Endpoint:
    async def overview_api(request: Request) -> Response:
        """The overview's figures as JSON."""
        period, _ = _period(request)
        stats = await run_in_threadpool(console.log.stats, period, console.clock())
        return JSONResponse(asdict(stats))

    return overview_api


def _filters(request: Request) -> dict[str, str]:
    keep = {}
    for name in ("outcome", "lang", "intent", "q"):
        value = request.query_params.get(name, "").strip()[:200]
        if value:
            keep[name] = value
    return keep


def _conversations(console: Console, request: Request) -> tuple[list[Any], dict[str, str], Period, int]:
    period, values = _period(request)
    filters = _filters(request)
    try:
        offset = max(0, min(int(request.query_params.get("offset", "0")), 10_000_000))
    except ValueError:
        offset = 0
    rows = console.log.conversations(
        period,
        outcome=filters.get("outcome"),
        lang=filters.get("lang"),
        intent=filters.get("intent"),
        search=filters.get("q"),
        limit=PAGE_SIZE,
        offset=offset,
    )
    return rows, {**values, **filters}, period, offset


def conversations(console: Console) -> Endpoint:
    async def conversations(request: Request) -> Response:
        """The log, searchable and filtered; pseudonyms only."""
        rows, values, _, offset = await run_in_threadpool(_conversations, console, request)
        base = await run_in_threadpool(facts.read_facts, console.knowledge_dir, console.cache_dir)
        sources = {i.id: ", ".join(i.source) for i in base.kb.intents} if base.kb else {}
        intents = sorted(sources)
        more = urlencode({**values, "offset": offset + PAGE_SIZE}) if len(rows) == PAGE_SIZE else None
        context = {
            "page": "conversations",
            "rows": rows,
            "sources": sources,
            "intents": intents,
            "outcomes": (*OUTCOME_ORDER, "throttled"),
            "langs": LANGS,
            "f": values,
            "more": more,
        }
        return console.render(request, "conversations.html", context)

    return conversations


def conversations_api(console: Console) -> Endpoint:
    async def conversations_api(request: Request) -> Response:
        """The filtered exchanges as JSON."""
        rows, _, _, _ = await run_in_threadpool(_conversations, console, request)
        return JSONResponse([asdict(r) for r in rows])

    return conversations_api


def unanswered(console: Console) -> Endpoint:
    async def unanswered(request: Request) -> Response:
        """Clusters of unanswered questions with their nearest intents, and the actions on them."""
        return await _unanswered(console, request)

    return unanswered


async def _unanswered(
    console: Console, request: Request, *, error: str | None = None, status_code: int = 200
) -> Response:
    period, values = _unanswered_period(console, _period(request))
    clusters = await run_in_threadpool(console.log.clusters, period)
    marks = await run_in_threadpool(console.log.marked)
    actions = await run_in_threadpool(console.log.recent_actions, 20)
    handoffs = await run_in_threadpool(console.log.handoffs, 20)
    base = await run_in_threadpool(facts.read_facts, console.knowledge_dir, console.cache_dir)
    intents = [i.id for i in base.kb.intents] + [d.id for d in base.kb.drafts] if base.kb else []
    topics = sorted({i.topic for i in base.kb.intents}) if base.kb else []
    shown = [c for c in clusters if not c.offtopic and without_hidden(c.text) not in marks]
    context = {
        "page": "unanswered",
        "clusters": [(n, c, intent_id(c.text, n)) for n, c in enumerate(shown[:100], start=1)],
        "noise": [c for c in clusters if c.offtopic][:50],
        "marks": marks,
        "actions": actions,
        "handoffs": handoffs,
        "handoff_of": {h.action_id: h for h in handoffs},
        "intents": intents,
        "topics": topics,
        "range": values,
        "done": request.query_params.get("done"),
        "error": error,
    }
    return console.render(request, "unanswered.html", context, status_code=status_code)


Range = tuple[Period, dict[str, str]]


def _unanswered_period(console: Console, given: Range) -> Range:
    """The range asked for, else the last 30 days: clustering a long log whole takes minutes."""
    period, values = given
    if not values:
        today = console.clock().date()
        values = {"since": (today - timedelta(days=UNANSWERED_DAYS)).isoformat(), "until": today.isoformat()}
        period = Period(parse_when(values["since"]), parse_when(values["until"], end=True))
    return period, values


def _form_period(request: Request) -> Range:
    """The range a form was posted from (its hidden since / until), read as _period reads a query
    (an unreadable date refused)."""
    return _period_of(lambda name: _form(request, name, 40), strict=True)


async def _hand_off(console: Console, request: Request, now: datetime, query: str) -> None:
    if not console.press_office:
        raise facts.ConsoleError(
            "no press office group is set (PRESS_CHAT_ID): the bot has nowhere to post a hand-off"
        )
    if not query:
        raise facts.ConsoleError("no question given")
    period, _ = _unanswered_period(console, _form_period(request))
    clusters = await run_in_threadpool(console.log.clusters, period)
    await run_in_threadpool(facts.hand_off, console.log, now, query, clusters)


def handoffs_api(console: Console) -> Endpoint:
    async def handoffs_api(request: Request) -> Response:
        """The latest hand-offs to the press office with their state, as JSON."""
        rows = await run_in_threadpool(console.log.handoffs, 50)
        return JSONResponse([asdict(r) for r in rows])

    return handoffs_api


def _form(request: Request, name: str, limit: int = 2000) -> str:
    value = request.state.form.get(name)
    return value.strip()[:limit] if isinstance(value, str) else ""


def act(console: Console) -> Endpoint:
    async def act(request: Request) -> Response:
        """One action on an unanswered question: add, draft, offtopic, press, undo."""
        action = request.path_params["action"]
        now = console.clock()
        query = _form(request, "query")
        directory = console.knowledge_dir
        try:
            if action == "add":
                lang = _form(request, "lang") or None
                await run_in_threadpool(
                    facts.add,
                    console.log,
                    directory,
                    now,
                    query,
                    _form(request, "intent", 64),
                    lang if lang in LANGS else None,
                    console.cache_dir,
                )
            elif action == "draft":
                await run_in_threadpool(
                    facts.draft,
                    console.log,
                    directory,
                    now,
                    query,
                    _form(request, "intent", 64),
                    _form(request, "topic", 64),
                    console.cache_dir,
                )
            elif action == "offtopic":
                if not query:
                    raise facts.ConsoleError("no question given")
                await run_in_threadpool(facts.mark, console.log, now, query, action)
            elif action == "press":
                await _hand_off(console, request, now, query)
            elif action == "undo":
                try:
                    action_id = int(_form(request, "action", 20))
                except ValueError:
                    raise facts.ConsoleError("no action given") from None
                await run_in_threadpool(facts.undo, console.log, directory, now, action_id)
            else:
                return JSONResponse({"error": "unknown action"}, status_code=404)
        except facts.ConsoleError as exc:
            return await _unanswered(console, request, error=str(exc), status_code=400)
        # Back to the range the form was posted from (a hand-off from a chosen range stays there).
        _, values = _period_of(lambda name: _form(request, name, 40))
        return RedirectResponse(f"/unanswered?{urlencode({**values, 'done': action})}", status_code=303)

    return act


def facts_page(console: Console) -> Endpoint:
    async def facts_page(request: Request) -> Response:
        """The fact base by topic (read only), or its validation problems as path:line."""
        base = await run_in_threadpool(facts.read_facts, console.knowledge_dir, console.cache_dir)
        topics = base.kb.topics() if base.kb else {}
        drafts = list(base.kb.drafts) if base.kb else []
        context = {
            "page": "facts",
            "topics": topics,
            "drafts": drafts,
            "problems": base.problems,
            "langs": LANGS,
        }
        return console.render(request, "facts.html", context)

    return facts_page


def thresholds(console: Console) -> Endpoint:
    async def thresholds(request: Request) -> Response:
        """Coverage and wrong-answer rate per answer threshold over rated answers."""
        period, values = _period(request)
        report = await run_in_threadpool(console.log.threshold, period, 0.05)
        return console.render(
            request, "thresholds.html", {"page": "thresholds", "report": report, "range": values}
        )

    return thresholds


def export_page(console: Console) -> Endpoint:
    async def export_page(request: Request) -> Response:
        """The export form."""
        _, values = _period(request)
        return console.render(request, "export.html", {"page": "export", "range": values})

    return export_page


def export_api(console: Console) -> Endpoint:
    async def export_api(request: Request) -> Response:
        """The log as CSV or JSON lines (pseudonyms; formulas defused as the CLI does)."""
        period, _ = _period(request)
        fmt = "jsonl" if request.query_params.get("format") == "jsonl" else "csv"
        pieces = console.log.export(period, fmt)
        first = await run_in_threadpool(next, pieces, "")  # a log that cannot be read fails here
        # csv: a byte-order mark, so that spreadsheets read Chinese and umlauts right.
        body = itertools.chain(["\ufeff" if fmt == "csv" else "", first], pieces)
        media = "text/csv; charset=utf-8" if fmt == "csv" else "application/x-ndjson; charset=utf-8"
        disposition = f'attachment; filename="conversations.{fmt}"'
        return StreamingResponse(body, media_type=media, headers={"Content-Disposition": disposition})

    return export_api


def home(console: Console) -> Endpoint:
    async def home(request: Request) -> Response:
        return RedirectResponse("/overview", status_code=303)

    return home


def guarded_routes(console: Console) -> list[tuple[str, Kind, Endpoint, list[str]]]:
    """Every route behind a session: (path, page or api, endpoint, methods)."""
    return [
        ("/", "page", home(console), ["GET"]),
        ("/overview", "page", overview(console), ["GET"]),
        ("/conversations", "page", conversations(console), ["GET"]),
        ("/unanswered", "page", unanswered(console), ["GET"]),
        ("/facts", "page", facts_page(console), ["GET"]),
        ("/thresholds", "page", thresholds(console), ["GET"]),
        ("/export", "page", export_page(console), ["GET"]),
        ("/logout", "page", logout(console), ["POST"]),
        ("/actions/{action}", "page", act(console), ["POST"]),
        ("/api/overview", "api", overview_api(console), ["GET"]),
        ("/api/conversations", "api", conversations_api(console), ["GET"]),
        ("/api/export", "api", export_api(console), ["GET"]),
        ("/api/handoffs", "api", handoffs_api(console), ["GET"]),
    ]
