"""The console as a Starlette application: `create_app(...)` builds it over one log and one
knowledge folder; the routes themselves are in bot.review.console.pages.

Every page and API route goes through `guard`: no live session means 401 for /api/..., a redirect
to the sign-in page for a page; a POST without the session's CSRF token is refused (403). The
sign-in routes are the only ones open: /signin (how to get a link), /login (spend one).
Responses carry a strict Content-Security-Policy (no inline script), no-store and no-referrer.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import jinja2
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.errors import BotError
from bot.review.console import auth
from bot.review.console.auth import BadLinks, Clock, Session
from bot.review.console.data import Log, Store
from bot.review.console.texts import pick_lang, texts
from bot.review.display import visible, without_hidden

HERE = Path(__file__).parent
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cache-control", b"no-store"),
]


@dataclass
class Console:
    """What every route needs: the log, the knowledge folder, the clock, the brake on bad links."""

    log: Log
    knowledge_dir: Path
    console_url: str
    clock: Clock = auth.utc_now
    bad_links: BadLinks = field(default_factory=BadLinks)
    refresh_s: float = 30.0  # how often an open overview fetches its figures again
    press_office: bool = True  # a press group to hand questions to (PRESS_CHAT_ID set)
    cache_dir: Path | None = None  # the parsed versions of the fact base (None: parse each time)
    templates: Jinja2Templates = field(init=False)

    def __post_init__(self) -> None:
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True)
        self.templates = Jinja2Templates(env=env)
        self.templates.env.filters["v"] = visible
        self.templates.env.filters["plain"] = without_hidden

    @property
    def secure(self) -> bool:
        return self.console_url.lower().startswith("https://")

    def render(
        self, request: Request, name: str, context: dict[str, Any], status_code: int = 200
    ) -> Response:
        lang = pick_lang(request.headers.get("accept-language"))
        session: Session | None = getattr(request.state, "session", None)
        full = {"t": texts(lang), "lang": lang, "csrf": session.csrf if session else "", **context}
        return self.templates.TemplateResponse(request, name, full, status_code=status_code)


Endpoint = Callable[[Request], Awaitable[Response]]
Kind = Literal["page", "api"]


def guard(console: Console, kind: Kind, endpoint: Endpoint) -> Endpoint:
    """`endpoint` behind the session check, and for POST the CSRF check."""

    async def guarded(request: Request) -> Response:
        cookie = request.cookies.get(auth.SESSION_COOKIE)
        session = await run_in_threadpool(auth.find_session, console.log, cookie, console.clock())
        if session is None:
            if kind == "api" or request.method != "GET":
                return JSONResponse({"error": "sign in first"}, status_code=401)
            return RedirectResponse("/signin", status_code=303)
        if request.method == "POST":
            form = await request.form()
            given = request.headers.get(auth.CSRF_HEADER) or _field(form, auth.CSRF_FIELD)
            if not auth.same_token(given, session.csrf):
                return PlainTextResponse("missing or wrong CSRF token; reload the page", status_code=403)
            request.state.form = form
        request.state.session = session
        return await endpoint(request)

    return guarded


def _field(form: FormData, name: str) -> str | None:
    value = form.get(name)
    return value if isinstance(value, str) else None


class SecurityHeaders:
    """Adds the security headers to every response (pages, API, static files, errors)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (k, v) for k, v in _HEADERS if k not in names
                ]
            await send(message)

        await self.app(scope, receive, sending)


def create_app(
    db: Store,
    knowledge_dir: Path,
    console_url: str,
    *,
    clock: Clock = auth.utc_now,
    bad_links: BadLinks | None = None,
    refresh_s: float = 30.0,
    press_office: bool = True,
    cache_dir: Path | None = None,
) -> Starlette:
    """The console over the log in `db` and the fact base in `knowledge_dir` (`press_office`:
    a press group the running bot posts hand-offs to; `cache_dir`: where the parsed versions of
    the fact base are kept, as the bot keeps them: a page reads the base without parsing it)."""
    from bot.review.console import pages

    console = Console(
        Log(db),
        knowledge_dir,
        console_url,
        clock,
        bad_links or BadLinks(),
        refresh_s,
        press_office,
        cache_dir,
    )
    routes: list[Route | Mount] = [
        Route("/signin", pages.signin_page(console)),
        Route("/login", pages.login_page(console), methods=["GET"]),
        Route("/login", pages.login(console), methods=["POST"]),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    for path, kind, endpoint, methods in pages.guarded_routes(console):
        routes.append(Route(path, guard(console, kind, endpoint), methods=methods))
    app = Starlette(
        routes=routes,
        middleware=[Middleware(SecurityHeaders)],
        exception_handlers={BotError: _unavailable},
    )
    app.state.console = console
    return app


async def _unavailable(request: Request, exc: Exception) -> Response:
    """The log or the fact base cannot be read just now: one sentence, no traceback."""
    return PlainTextResponse(f"not available just now: {exc}", status_code=503)


async def slow_down(console: Console, client: str) -> None:
    """Wait before answering a client that sent bad links recently."""
    delay = console.bad_links.delay(client)
    if delay:
        await asyncio.sleep(delay)
