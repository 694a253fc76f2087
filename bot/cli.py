"""Sub-commands of `python run.py`: run, console, ask, validate, review.

Parses arguments, builds Settings once, and hands over; errors the user can fix are printed as one
line and exit 1, never as a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.core.engine import Engine
from bot.errors import BotError, KnowledgeError
from bot.knowledge.loader import load
from bot.settings import Settings

LANG_CHOICES = ("de", "en", "zh")


def _engine(settings: Settings, directory: Path | None = None) -> Engine:
    kb = load(directory or settings.knowledge_dir)
    return Engine(kb, settings.answer_threshold, settings.suggest_threshold)


def cmd_validate(args: argparse.Namespace, settings: Settings) -> int:
    """Check every fact file; print `path:line: message` per problem, or a one-line summary.

    Example: python run.py validate knowledge/
    """
    directory = Path(args.dir) if args.dir else settings.knowledge_dir
    try:
        kb = load(directory)
    except KnowledgeError as exc:
        for line in exc.problems:
            print(line)
        print(f"{len(exc.problems)} problem(s) in {directory}", file=sys.stderr)
        return 1
    print(f"ok: {directory}: {kb.summary()}")
    return 0


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    """Answer the questions given (one argument each), or one question per line of standard input.

    Example: python run.py ask --json "Wann wurde die Vereinbarung unterzeichnet?" "Who signed?"
    """
    engine = _engine(settings)
    questions: Sequence[str] = list(args.question)
    stream = questions if questions else (line.rstrip("\r\n") for line in sys.stdin)
    for question in stream:
        reply = engine.reply(question, pinned=args.lang)
        if args.json:
            print(json.dumps(reply.to_json(), ensure_ascii=False), flush=not questions)
        else:
            print(reply.text)
            if reply.sources:
                print(f"  [{'; '.join(reply.sources)}]")
            print(f"  ({reply.outcome}, {reply.intent or reply.nearest or '-'}, "
                  f"confidence {reply.confidence:.2f}, {reply.lang})")
    return 0


def cmd_console(args: argparse.Namespace, settings: Settings) -> int:
    """Chat with the bot in this terminal (the same engine as in Telegram).

    Example: python run.py console
    """
    from bot.console import run_console

    return run_console(settings, _engine(settings))


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    """Run the Telegram bot if TELEGRAM_BOT_TOKEN is set, else open the console chat.

    Example: TELEGRAM_BOT_TOKEN=123:abc python run.py
    """
    if not settings.token:
        print(
            "No TELEGRAM_BOT_TOKEN set: opening the console chat. To connect Telegram, get a token "
            "from @BotFather and put TELEGRAM_BOT_TOKEN=... into .env (see .env.example).",
            file=sys.stderr,
        )
        return cmd_console(args, settings)
    from bot.telegram.app import run_bot

    return run_bot(settings, _engine(settings))


def cmd_review(args: argparse.Namespace, settings: Settings) -> int:
    """Reports over the conversation log: stats, unanswered, suggest, export, threshold, report;
    and promote, which adds a logged query to the fact base.

    Example: python run.py review stats --since 2024-06-25
    """
    rest = list(args.rest)
    if rest[:1] == ["promote"]:
        from bot.knowledge import promote

        return promote.main(rest[1:], settings)
    from bot.review import commands as review

    return review.main(rest, settings.db_path, settings.pseudonym_key)


def cmd_bench(args: argparse.Namespace, settings: Settings) -> int:
    """Measure matcher latency, scale against a naive baseline, and the bot end to end.

    Example: python run.py bench --quick --json bench.json
    """
    from bot.bench import matcher as bench
    from bot.bench.e2e import run_e2e

    bench.run(args.quick, Path(args.json) if args.json else None, settings.knowledge_dir,
              e2e=None if args.no_e2e else run_e2e)
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The command line of `python run.py`."""
    parser = argparse.ArgumentParser(
        prog="run.py",
        description="Answers questions about Siemens' framework agreement with Chongqing.",
    )
    sub = parser.add_subparsers(dest="command")

    def add(name: str, func: object, help_text: str) -> argparse.ArgumentParser:
        doc = (getattr(func, "__doc__", "") or "").strip()
        p = sub.add_parser(name, help=help_text, description=doc,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        p.set_defaults(func=func)
        return p

    add("run", cmd_run, "run the Telegram bot (console chat without a token)")
    add("console", cmd_console, "chat with the bot in this terminal")
    p = add("ask", cmd_ask, "answer questions from the command line or standard input")
    p.add_argument("--json", action="store_true", help="one JSON object per question per line")
    p.add_argument("--lang", choices=LANG_CHOICES, help="answer in this language")
    p.add_argument("question", nargs="*", help="questions, one per argument (else one per line of stdin)")
    p = add("validate", cmd_validate, "check the fact files")
    p.add_argument("dir", nargs="?", help="folder of fact files (default: KNOWLEDGE_DIR)")
    p = add("bench", cmd_bench, "speed, scale and memory figures")
    p.add_argument("--quick", action="store_true", help="small sizes, seconds (what CI runs)")
    p.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    p.add_argument("--no-e2e", action="store_true", help="skip the Telegram end-to-end part")
    p = add("review", cmd_review, "reports over the conversation log")
    p.add_argument("rest", nargs=argparse.REMAINDER, help="review sub-command and its options")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `python run.py` and the `chongqing-bot` script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["run", *(argv or [])])
    try:
        settings = Settings.from_env()
        code: int = args.func(args, settings)
        return code
    except KnowledgeError as exc:
        for line in exc.problems:
            print(line, file=sys.stderr)
        return 1
    except BotError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
