"""`python run.py review serve` and `python run.py review login`."""

from __future__ import annotations

import argparse
import logging
import threading

from bot.errors import BotError
from bot.review.console.auth import issue_link
from bot.review.console.data import Log, Period, Store
from bot.settings import Settings


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    """Serve the review console over the conversation log and the fact base. Sign in with a link
    from `python run.py review login` or from /console in Telegram (admins).

    Example: python run.py review serve --host 127.0.0.1 --port 8080
    """
    import uvicorn

    from bot.review.console.app import create_app

    logging.getLogger("httpx").setLevel(logging.WARNING)
    db = Store.from_settings(settings)
    app = create_app(
        db,
        settings.knowledge_dir,
        settings.console_url,
        press_office=settings.press_chat_id is not None,
        cache_dir=settings.cache_dir,
    )
    # Sum up the closed days now (seconds on a long log, once) rather than in the first request.
    threading.Thread(target=_warm, args=(Log(db),), daemon=True).start()
    print(f"review console on http://{args.host}:{args.port} (public address {settings.console_url})")
    # Behind a reverse proxy on the same machine, X-Forwarded-For names the client (uvicorn trusts
    # it from 127.0.0.1 only): the brake on bad links then counts per client, not per proxy.
    uvicorn.run(app, host=args.host, port=args.port, proxy_headers=True, log_level="warning")
    return 0


def cmd_login(args: argparse.Namespace, settings: Settings) -> int:
    """Print a one-use sign-in link for the review console (valid for 10 minutes), built on
    CONSOLE_URL.

    Example: python run.py review login
    """
    print(issue_link(Log(Store.from_settings(settings)), settings.console_url, "operator"))
    return 0


def _warm(log: Log) -> None:
    try:
        log.stats(Period())
    except BotError as exc:  # no log yet, or not reachable now: the first overview says so
        logging.getLogger(__name__).info("overview not prepared: %s", exc)
    except Exception:  # a warm-up only: the first overview meets the same fault and reports it
        logging.getLogger(__name__).exception("overview not prepared")
