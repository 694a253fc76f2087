"""`python run.py review ...`: the conversation log for the people who read it, and the short
summaries the admins get in Telegram (/stats, /unanswered).

A readable table by default, `--json` for scripts, `--since`/`--until` on every report. The
options are declared in bot.cli (the one parser tree); each command's docstring is its --help.
The reports themselves are in bot.review.reports, clusters and YAML in bot.review.clusters, the
HTML page in bot.review.html, the SQL in bot.store.queries. Never imports telegram or sqlite3.
`stats_summary` and `unanswered_top` block on SQLite: the Telegram app should run them in a worker
thread (asyncio.to_thread).
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import stat
import sys
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.errors import StoreError
from bot.review.clusters import (
    Cluster,
    cluster,
    suggestion,
)
from bot.review.html import render
from bot.review.reports import (
    Period,
    build_report,
    export,
    format_clusters,
    format_stats,
    format_threshold,
    load_stats,
    load_threshold,
    load_unanswered,
    ms,
    pct,
    plural,
    score,
    short,
)
from bot.store.forget import erase_user
from bot.store.pseudonym import pseudonymise
from bot.store.spill import SpillFile
from bot.store.store import Store


def stats_summary(store: Store, since: datetime | None = None, until: datetime | None = None) -> str:
    """A few lines for /stats in Telegram (plain text). Raises StoreError if there is no log."""
    with store.reading() as conn:
        stats = load_stats(conn, Period(since, until), top=3)
    if not stats.queries:
        return f"Conversation log, {stats.period}: no queries yet."
    shares = ", ".join(
        f"{o} {pct(stats.outcomes[o], stats.queries)}" for o in ("answered", "suggested", "declined")
    )
    langs = ", ".join(f"{r.lang} {r.queries}" for r in stats.languages)
    intents = ", ".join(f"{short(i, 40)} {n}" for i, n in stats.top_intents) or "none"
    return "\n".join(
        [
            f"Conversation log, {stats.period}",
            f"{plural(stats.queries, 'query')} from {plural(stats.users, 'user')}; {shares}",
            f"Languages: {langs}",
            f"Top intents: {intents}",
            f"Latency: median {ms(stats.latency_median_ms)}, p95 {ms(stats.latency_p95_ms)}",
            f"Feedback: {stats.helpful} helpful, {stats.not_helpful} not helpful",
            f"Throttled (not counted as queries): {stats.throttled}",
        ]
    )


def unanswered_top(store: Store, limit: int = 10) -> str:
    """The top clusters for /unanswered in Telegram (plain text, short); off-topic apart."""
    with store.reading() as conn:
        clusters = cluster(load_unanswered(conn, Period()))
    about = [c for c in clusters if not c.offtopic]
    noise = [c for c in clusters if c.offtopic]
    if not clusters:
        return "Unanswered: nothing yet; every query was answered."
    total = sum(c.size for c in about)
    lines = [f"Unanswered: {plural(total, 'query')} in {plural(len(about), 'cluster')}"]
    for i, c in enumerate(about[:limit], start=1):
        near = f" (nearest {c.intent} {score(c.score)})" if c.intent else ""
        lines.append(f"{i}. {c.size}× {short(c.text, 80)}{near}")
    if noise:
        examples = "; ".join(short(c.text, 30) for c in noise[:3])
        lines.append(f"Off-topic: {plural(sum(c.size for c in noise), 'message')} ({examples})")
    return "\n".join(lines)


def _cluster_json(c: Cluster) -> dict[str, Any]:
    data = asdict(c)
    data["questions"] = [{"lang": lang, "text": text} for lang, text in c.questions]
    data["langs"] = dict(c.langs)
    return data


# ---- the command line -----------------------------------------------------------------------


def _cmd_stats(args: argparse.Namespace, store: Store) -> int:
    """Queries, users, answered/suggested/declined rates by language and day, top intents,
    latency and feedback.

    example: python run.py review stats --since 2024-06-01 --until 2024-06-30
    """
    with store.reading() as conn:
        stats = load_stats(conn, args.period, top=args.top)
    print(json.dumps(asdict(stats), ensure_ascii=False, indent=2) if args.json else format_stats(stats))
    return 0


def _cmd_unanswered(args: argparse.Namespace, store: Store) -> int:
    """Declined and low-confidence queries in clusters of similar questions, largest first,
    each with its nearest intent and score: the to-do list for the fact base.

    example: python run.py review unanswered --since 2024-06-01 --limit 20
    """
    clusters = _clusters(args, store)
    if args.json:
        print(json.dumps([_cluster_json(c) for c in clusters[: args.limit]], ensure_ascii=False, indent=2))
    else:
        print(format_clusters(clusters, args.period.label(), args.limit))
    return 0


def _cmd_suggest(args: argparse.Namespace, store: Store) -> int:
    """A YAML snippet per unanswered cluster: a new intent skeleton with the questions the fact
    base does not hold yet, the nearest intent named only as a hint. Together the snippets form
    one YAML list; paste what fits.

    example: python run.py review suggest --limit 5 > suggestions.yaml
    """
    known: frozenset[str] = getattr(args, "known", frozenset())
    found = [c for c in _clusters(args, store) if not c.offtopic]
    pairs = [(c, suggestion(c, i, args.near, known)) for i, c in enumerate(found, start=1)]
    kept = [(c, s) for c, s in pairs if s is not None][: args.limit]
    snippets = [s for _, s in kept]
    if args.json:
        data = [{**_cluster_json(c), "nearest": c.intent, "yaml": s} for c, s in kept]
        print(json.dumps(data, ensure_ascii=False, indent=2))
    elif snippets:
        print("\n\n".join(snippets))
    else:
        print("# nothing to suggest: no unanswered queries in this period")
    return 0


def _clusters(args: argparse.Namespace, store: Store) -> list[Cluster]:
    with store.reading() as conn:
        queries = load_unanswered(conn, args.period, args.below)
    return cluster(queries, args.similarity)


def _cmd_export(args: argparse.Namespace, store: Store) -> int:
    """The raw log for a spreadsheet (csv) or for scripts (jsonl); user and chat are pseudonyms.

    example: python run.py review export --format csv --output log.csv --since 2024-06-01
    """
    fmt = "jsonl" if args.json else (args.format or "csv")
    with store.reading() as conn:
        if args.output is None:
            count = export(conn, args.period, fmt, sys.stdout)
        else:
            # utf-8-sig: spreadsheets then read Chinese and umlauts right; 0600: it holds texts.
            encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
            with open(private_file(args.output), "w", encoding=encoding, newline="") as out:
                count = export(conn, args.period, fmt, out)
            print(f"wrote {count} rows to {args.output}", file=sys.stderr)
    return 0


def _cmd_threshold(args: argparse.Namespace, store: Store) -> int:
    """Coverage and wrong-answer rate at each confidence threshold, over the queries that got
    feedback: what moving MATCH_ANSWER_THRESHOLD would have done.

    example: python run.py review threshold --step 0.1
    """
    with store.reading() as conn:
        report = load_threshold(conn, args.period, args.step)
    print(json.dumps(asdict(report), indent=2) if args.json else format_threshold(report))
    return 0


def _cmd_report(args: argparse.Namespace, store: Store) -> int:
    """One self-contained HTML page (opens offline) with charts: queries per day, answered rate,
    languages, top intents, top unanswered clusters, feedback.

    example: python run.py review report --html review.html --since 2024-06-01
    """
    with store.reading() as conn:
        data = build_report(conn, args.period, args.now)
    with open(private_file(args.html), "w", encoding="utf-8") as out:
        out.write(render(data))
    if args.json:
        print(json.dumps({"html": str(args.html), **asdict(data)}, ensure_ascii=False, indent=2))
    else:
        print(f"wrote {args.html} ({data.queries} queries, {len(data.clusters)} clusters)")
    return 0


def _cmd_forget(args: argparse.Namespace, store: Store) -> int:
    """Erase every logged row of one user (their messages, the replies and their votes), also
    from a spill file the bot left. USER is the Telegram user id (a number) or console name.

    example: python run.py review forget 123456789
    """
    secret = store.key(create=False)
    if secret is None:
        raise StoreError(
            f"{store.key_path}: no pseudonym key (and BOT_PSEUDONYM_KEY is not set), so no "
            "row can be matched to a user; if the bot ran with a key, set it and try again"
        )
    user_ps = pseudonymise(secret, args.channel, args.user)
    assert user_ps is not None
    with store.reading() as conn:
        done = erase_user(conn, user_ps, SpillFile(store.spill_path, max_rows=0))  # and the spill
    # The bot edits the tickets' messages in the press group on /forget; from here, people must.
    shown = [message for _, message in done.tickets]
    if args.json:
        print(
            json.dumps(
                {"user": args.user, "channel": args.channel, "erased": done.erased, "press_messages": shown}
            )
        )
    else:
        print(f"erased {done.erased} rows of {args.channel} user {args.user}")
        if shown:
            print(
                f"{len(shown)} ticket message(s) in the press group still show the question "
                f"(message ids {', '.join(map(str, shown))}): delete them there"
            )
    return 0


def private_file(path: Path) -> int:
    """A descriptor for writing `path` from scratch with mode 0600 (it holds logged texts).

    A symbolic link is refused rather than followed (it could point anywhere, e.g. at a file of
    another user), and a file that exists is tightened to 0600 before anything is written.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    except OSError as exc:
        if exc.errno == errno.ELOOP or path.is_symlink():
            raise OSError(exc.errno, "is a symbolic link; name a regular file instead", str(path)) from exc
        raise
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "is not a regular file; name a regular file instead", str(path))
        os.fchmod(fd, 0o600)
        os.ftruncate(fd, 0)
    except BaseException:
        os.close(fd)
        raise
    return fd


_Command = Callable[[argparse.Namespace, Store], int]
COMMANDS: dict[str, _Command] = {
    "stats": _cmd_stats,
    "unanswered": _cmd_unanswered,
    "suggest": _cmd_suggest,
    "export": _cmd_export,
    "threshold": _cmd_threshold,
    "report": _cmd_report,
    "forget": _cmd_forget,
}


def run(args: argparse.Namespace, store: Store, *, now: datetime | None = None) -> int:
    """Run the review command `args.review` parsed by bot.cli; 0, or 1 with a sentence on stderr."""
    args.period = Period(getattr(args, "since", None), getattr(args, "until", None))
    args.now = now or datetime.now(UTC)
    command: _Command = args.review
    try:
        return command(args, store)
    except StoreError as exc:
        print(f"review: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        raise  # a reader like `head` closed standard output: bot.cli ends quietly
    except OSError as exc:
        print(f"review: {exc.filename or store.describe()}: {exc.strerror or exc}", file=sys.stderr)
        return 1
