"""The command line of `python run.py` (and the `stakeholder-bot` script): one argparse tree for run,
console, ask, validate, review <report> and bench.

Parses arguments, builds Settings once, and hands over. Each sub-command's docstring, with its
example, is its --help. Errors the user can fix are one line on stderr: exit 2 for a wrong command
line (argparse), exit 1 for a problem found at run time; never a traceback.
"""

from __future__ import annotations

import argparse
import inspect
import json
import math
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn, TypeVar

from bot.core.context import ChatContext
from bot.core.engine import Engine
from bot.errors import BotError, KnowledgeError
from bot.knowledge.cache import SignalsCache
from bot.knowledge.loader import load
from bot.knowledge.parsed import ParsedCache
from bot.settings import Settings

LANG_CHOICES = ("de", "en", "zh")
EXIT_CODES = """\
exit codes:
  0  ok
  1  a problem found (invalid fact files, no conversation log, ...) or a runtime error
  2  usage: unknown command, bad option or value (the message says which)"""

_N = TypeVar("_N", int, float)


def _engine(settings: Settings, directory: Path | None = None) -> Engine:
    # The parsed base from the cache when the files are unchanged (validate always parses).
    kb = ParsedCache(settings.cache_dir).load(directory or settings.knowledge_dir)
    cache = SignalsCache(settings.cache_dir)
    return Engine(
        kb,
        settings.answer_threshold,
        settings.suggest_threshold,
        signals=cache.signals(kb),
        index=cache.index(kb),
    )


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

    With --chat the lines are conversations: each line is read in the light of the lines before it,
    and a line holding only `---` ends the conversation (no reply is printed for it).

    Example: python run.py ask --json "Wann wurde die Vereinbarung unterzeichnet?" "Who signed?"
    """
    engine = _engine(settings)
    questions: Sequence[str] = list(args.question)
    stream = questions if questions else (line.rstrip("\r\n") for line in sys.stdin)
    context: ChatContext | None = None
    turn = 0.0  # a clock that advances one second a line: conversations here never time out
    for question in stream:
        if args.chat and question.strip() == "---":
            context = None
            continue
        turn += 1.0
        reply = engine.reply(question, pinned=args.lang, context=context if args.chat else None)
        if args.chat:
            context = engine.follow(reply, turn, context) or context
        if args.json:
            print(json.dumps(reply.to_json(), ensure_ascii=False), flush=not questions)
        else:
            print(reply.text)
            for n, s in enumerate(reply.suggestions, 1):
                print(f"  {n}. {s.question}")
            if reply.sources:
                print(f"  [{'; '.join(reply.sources)}]")
            print(
                f"  ({reply.outcome}, {reply.intent or reply.nearest or '-'}, "
                f"confidence {reply.confidence:.2f}, {reply.lang})"
            )
    return 0


def cmd_console(args: argparse.Namespace, settings: Settings) -> int:
    """Chat with the bot in this terminal (the same engine as in Telegram).

    Example: python run.py console
    """
    from bot.console import run_console
    from bot.store.store import Store

    return run_console(settings, _engine(settings), Store.from_settings(settings))


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    """Run the Telegram bot if TELEGRAM_BOT_TOKEN is set, else open the console chat.

    Example: TELEGRAM_BOT_TOKEN=123:abc python run.py run
    """
    if not settings.token:
        print(
            "No TELEGRAM_BOT_TOKEN set: opening the console chat. To connect Telegram, get a token "
            "from @BotFather and put TELEGRAM_BOT_TOKEN=... into .env (see .env.example).",
            file=sys.stderr,
        )
        return cmd_console(args, settings)
    from bot.store.store import Store
    from bot.telegram.app import run_bot

    return run_bot(settings, _engine(settings), Store.from_settings(settings))


def cmd_review(args: argparse.Namespace, settings: Settings) -> int:
    """Run one review report over the conversation log (BOT_DB_PATH)."""
    from bot.review import commands as review
    from bot.store.store import Store

    if args.review_command == "suggest":  # leave out what the fact base holds already
        from bot.core.lang import normalise
        from bot.knowledge.loader import load

        base = load(settings.knowledge_dir)
        args.known = frozenset(normalise(q) for i in base.intents for qs in i.questions.values() for q in qs)
    return review.run(args, Store.from_settings(settings))


def cmd_promote(args: argparse.Namespace, settings: Settings) -> int:
    """Add a logged query to the fact base (KNOWLEDGE_DIR)."""
    from bot.knowledge import promote

    return promote.run(args, settings)


def cmd_bench(args: argparse.Namespace, settings: Settings) -> int:
    """Measure matcher and engine latency, training, scale against a naive baseline, and the bot
    end to end; with --ablation, the answer quality of each signal alone and both together.

    Example: python run.py bench --quick --json bench.json
    Example: python run.py bench --ablation tests/data/heldout.yaml tests/data/blind.yaml
    Example: python run.py bench --console 1000000
    """
    if args.console is not None:
        from bot.bench import console

        console.run(args.console)
        return 0
    if args.ablation:
        from bot.bench.ablation import ablation, render

        print(render(ablation(settings.knowledge_dir, args.ablation)))
        return 0
    from bot.bench import matcher as bench
    from bot.bench.e2e import run_e2e

    size: bench.Size = "tiny" if args.tiny else "quick" if args.quick else "full"
    bench.run(size, args.json, settings.knowledge_dir, e2e=None if args.no_e2e else run_e2e)
    return 0


# ---- argument types: a bad value is a usage error (exit 2) with a sentence, not a traceback ----


def whole_number(lo: int, hi: int) -> Callable[[str], int]:
    """An argparse type: a whole number from `lo` to `hi`."""
    return _bounded(int, "a whole number", lo, hi)


def number(lo: float, hi: float) -> Callable[[str], float]:
    """An argparse type: a finite number from `lo` to `hi`."""
    return _bounded(float, "a number", lo, hi)


def _bounded(kind: Callable[[str], _N], noun: str, lo: _N, hi: _N) -> Callable[[str], _N]:
    def parse(text: str) -> _N:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not {noun}") from None
        if not math.isfinite(value) or not lo <= value <= hi:
            shown = "{:g}" if kind is float else "{}"
            raise argparse.ArgumentTypeError(
                f"{text} is invalid: use {shown.format(lo)} to {shown.format(hi)}"
            )
        return value

    return parse


def output_file(text: str) -> Path:
    """An argparse type: a file to write, in a folder that exists (checked before any work)."""
    path = Path(text)
    folder = path.parent
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"{text} is a folder; name a file in it")
    if not folder.is_dir():
        raise argparse.ArgumentTypeError(f"{text}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise argparse.ArgumentTypeError(f"{text}: the folder {folder} is not writable")
    return path


def input_file(text: str) -> Path:
    """An argparse type: a file that exists and can be read."""
    path = Path(text)
    if not path.is_file() or not os.access(path, os.R_OK):
        raise argparse.ArgumentTypeError(f"{text}: no readable file there")
    return path


def _until(text: str) -> object:
    from bot.review.reports import parse_when

    return parse_when(text, end=True)


def _since(text: str) -> object:
    from bot.review.reports import parse_when

    return parse_when(text)


# ---- checks across arguments: a usage error (exit 2) with a sentence ----------------------------


def _check_forget(args: argparse.Namespace) -> str | None:
    if args.channel == "telegram" and not args.user.lstrip("-").isdigit():
        return (
            f"USER '{args.user[:40]}' is not a Telegram user id "
            "(a whole number; use --channel console for a name)"
        )
    return None


def _check_range(args: argparse.Namespace) -> str | None:
    since, until = getattr(args, "since", None), getattr(args, "until", None)
    if since is not None and until is not None and since >= until:
        return "--since is after --until: the date range is empty"
    return None


def _check_export(args: argparse.Namespace) -> str | None:
    if args.json and args.format == "csv":
        return "--json writes JSON lines; drop it or --format csv"
    args.format = args.format or ("jsonl" if args.json else "csv")
    return _check_range(args)


# ---- the parser tree ---------------------------------------------------------------------------


class Parser(argparse.ArgumentParser):
    """argparse with one-line errors: `prog: error: what is wrong (see prog --help)`, exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _doc(func: Callable[..., object]) -> str:
    return inspect.cleandoc(func.__doc__ or "")


def _summary(doc: str) -> str:
    first = doc.split("\n\n")[0].replace("\n", " ")
    return first[0].lower() + first[1:].rstrip(".") if first else first


def add(
    group: argparse._SubParsersAction[Parser],
    name: str,
    func: Callable[..., object],
    doc_of: Callable[..., object] | None = None,
) -> Parser:
    """A sub-command `name` running `func`, its --help the docstring of `doc_of` (else of `func`)."""
    doc = _doc(doc_of or func)
    p = group.add_parser(
        name,
        help=_summary(doc),
        description=doc,
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.set_defaults(func=func)
    return p


def build_parser(review: bool = True) -> Parser:
    """The whole command line of `python run.py`: every sub-command and its options (`review`:
    False leaves out the options of the review's commands, which import the review's modules)."""
    parser = Parser(
        prog="run.py",
        description="Answers stakeholders' questions about the announcement in knowledge/. "
        "Without a command: run.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.set_defaults(func=cmd_run)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)

    add(sub, "run", cmd_run)
    add(sub, "console", cmd_console)
    p = add(sub, "ask", cmd_ask)
    p.add_argument("--json", action="store_true", help="one JSON object per question per line")
    p.add_argument("--lang", choices=LANG_CHOICES, help="answer in this language")
    p.add_argument(
        "--chat", action="store_true", help="read follow-ups in context; a line '---' ends a conversation"
    )
    p.add_argument("question", nargs="*", help="questions, one per argument (else one per line of stdin)")
    p = add(sub, "validate", cmd_validate)
    p.add_argument("dir", nargs="?", help="folder of fact files (default: KNOWLEDGE_DIR)")
    p = add(sub, "bench", cmd_bench)
    sizes = p.add_mutually_exclusive_group()
    sizes.add_argument("--quick", action="store_true", help="small sizes, about a minute")
    sizes.add_argument(
        "--tiny",
        action="store_true",
        help="every part once at the smallest sizes, seconds (what the tests run)",
    )
    p.add_argument("--json", metavar="FILE", type=output_file, help="also write the figures as JSON")
    p.add_argument("--no-e2e", action="store_true", help="skip the Telegram end-to-end part")
    p.add_argument(
        "--console",
        nargs="?",
        const=1_000_000,
        type=whole_number(100, 100_000_000),
        metavar="N",
        help="instead: the review console's overview over a generated SQLite log of N exchanges "
        "(default 1000000)",
    )
    p.add_argument(
        "--ablation",
        nargs="+",
        metavar="SET",
        type=input_file,
        help="instead: matcher alone, model alone and combined on these question sets",
    )

    p = sub.add_parser(
        "review",
        help="reports over the conversation log, and promote into the fact base",
        description="Read the conversation log (BOT_DB_PATH): what people ask, what the bot "
        "missed, what to add. `run.py review COMMAND --help` shows each command's options.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    reviews = p.add_subparsers(dest="review_command", metavar="COMMAND", required=True, parser_class=Parser)
    if review:
        _add_review(reviews)
    return parser


def _add_review(reviews: argparse._SubParsersAction[Parser]) -> None:
    """The review's commands and their options."""
    from bot.knowledge import promote
    from bot.review import commands as review
    from bot.review.clusters import DEFAULT_NEAR, DEFAULT_SIMILARITY
    from bot.review.console import serve as serve_doc

    for name, command in review.COMMANDS.items():
        r = add(reviews, name, cmd_review, command)
        r.set_defaults(review=command)
        r.add_argument("--json", action="store_true", help="machine-readable output")
        if name == "forget":
            r.add_argument("user", metavar="USER", help="Telegram user id, or console name")
            r.add_argument(
                "--channel",
                choices=("telegram", "console"),
                default="telegram",
                help="where the user wrote (default: telegram)",
            )
            r.set_defaults(check=_check_forget, parser=r)
            continue
        r.add_argument("--since", type=_since, metavar="DATE", help="from this day (UTC)")
        r.add_argument("--until", type=_until, metavar="DATE", help="up to and including this day (UTC)")
        r.set_defaults(check=_check_range, parser=r)
        if name == "stats":
            r.add_argument(
                "--top",
                type=whole_number(1, 10_000),
                default=10,
                help="how many intents, 1-10000 (default 10)",
            )
        if name in ("unanswered", "suggest"):
            default = 10 if name == "suggest" else 20
            r.add_argument(
                "--limit",
                type=whole_number(1, 100_000),
                default=default,
                help=f"how many clusters, at least 1 (default {default})",
            )
            r.add_argument(
                "--similarity",
                type=number(0, 100),
                default=DEFAULT_SIMILARITY,
                help=f"0-100, how alike questions in a cluster are (default {DEFAULT_SIMILARITY:g})",
            )
            r.add_argument(
                "--below",
                type=number(0, 1),
                default=None,
                metavar="CONFIDENCE",
                help="also count answers with a confidence under this (0-1) as unanswered",
            )
        if name == "suggest":
            r.add_argument(
                "--near",
                type=number(0, 1),
                default=DEFAULT_NEAR,
                help=f"from this score (0-1) a cluster adds questions to its intent "
                f"(default {DEFAULT_NEAR:g})",
            )
        if name == "export":
            r.add_argument(
                "--format", choices=("csv", "jsonl"), default=None, help="default csv (--json means jsonl)"
            )
            r.set_defaults(check=_check_export, parser=r)
            r.add_argument("--output", "-o", type=output_file, metavar="FILE", help="default: stdout")
        if name == "threshold":
            r.add_argument(
                "--step",
                type=number(0.001, 1),
                default=0.05,
                help="distance between thresholds, 0.001-1 (default 0.05)",
            )
        if name == "report":
            r.add_argument(
                "--html", type=output_file, metavar="FILE", required=True, help="the page to write"
            )
    r = add(reviews, "promote", cmd_promote, promote.run)
    r.add_argument("query", help="the question as people asked it")
    target = r.add_mutually_exclusive_group(required=True)
    target.add_argument("--to", metavar="INTENT", help="add it to this intent's questions")
    target.add_argument("--new", metavar="ID", help="start a new draft intent with this id")
    r.add_argument("--topic", help="with --new: the topic (and file <topic>.yaml)")
    r.add_argument("--lang", choices=LANG_CHOICES, help="the query's language (default: detected)")
    r.set_defaults(check=lambda a: "--new needs --topic" if a.new and not a.topic else None, parser=r)
    r = add(reviews, "serve", _console("cmd_serve"), serve_doc.cmd_serve)
    r.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    r.add_argument("--port", type=whole_number(1, 65535), default=8080, help="port (default 8080)")
    add(reviews, "login", _console("cmd_login"), serve_doc.cmd_login)


def _console(name: str) -> Callable[[argparse.Namespace, Settings], int]:
    """`review serve` / `review login`, importing the console (Starlette, Jinja2) only when run."""

    def run(args: argparse.Namespace, settings: Settings) -> int:
        from bot.review.console import serve

        command: Callable[[argparse.Namespace, Settings], int] = getattr(serve, name)
        return command(args, settings)

    return run


def _quiet_stdout() -> None:
    """After a reader closed our standard output (`| head`): drop what is still buffered."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of `python run.py` and the `stakeholder-bot` script."""
    given = sys.argv[1:] if argv is None else argv
    args = build_parser(review="review" in given).parse_args(given)
    check = getattr(args, "check", None)
    if check is not None and (problem := check(args)):
        args.parser.error(problem)
    try:
        settings = Settings.from_env()
        code: int = args.func(args, settings)
        sys.stdout.flush()  # a closed pipe shows here, inside the handler below
        return code
    except KnowledgeError as exc:
        for line in exc.problems:
            print(line, file=sys.stderr)
        return 1
    except BotError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `run.py review export | head -1`: the reader has what it wanted
        _quiet_stdout()
        return 0
    except KeyboardInterrupt:
        return 130
