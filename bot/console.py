"""The same engine in a terminal: a prompt, answers, numbered suggestions, a few commands.

Like the Telegram bot it logs every exchange to the conversation log (channel "console") and
follows edits of the fact files (hot reload); neither ever stops the chat.
"""

from __future__ import annotations

import asyncio
import getpass
import logging
import sys
import time
from typing import TextIO

from bot.core.context import TTL_SECONDS, ContextMemory
from bot.core.engine import Engine
from bot.core.lang import LANGS, in_script
from bot.core.reply import Reply, Suggestion
from bot.core.texts import UI
from bot.core.topics import topic_listing
from bot.errors import StoreError
from bot.knowledge.reload import EngineHolder, ReloadResult, watch
from bot.settings import Settings
from bot.store.log import ConversationLog, Exchange
from bot.store.store import Store
from bot.telegram.press.texts import PT  # plain strings: no python-telegram-bot behind them

log = logging.getLogger(__name__)
HANDOFF = ("declined", "unknown", "not_stated")  # the replies that would go to the press office

HELP = """Type a question in German, English or Chinese, or:
  a number      pick one of the numbered suggestions
  /topics       list everything the bot knows about
  /lang de|en|zh  answer in that language (/lang auto: follow the question)
  /help         this text
  Ctrl-D        leave"""


class ConsoleChat:
    """State of one console conversation: pinned language and the last numbered options."""

    def __init__(
        self,
        holder: EngineHolder | Engine,
        out: TextIO,
        context_ttl: float = TTL_SECONDS,
        contact: str | None = None,
    ) -> None:
        self._holder = holder
        self.contact = contact  # PRESS_CONTACT, shown under declines (no group to hand off to)
        self.out = out
        self.pinned: str | None = None
        self.options: tuple[Suggestion, ...] = ()
        self.memory = ContextMemory(context_ttl)  # follow-ups, as in Telegram
        self.last_lang = "en"

    @property
    def engine(self) -> Engine:
        """The current engine (a reload swaps it between two lines, never within one)."""
        return self._holder.engine if isinstance(self._holder, EngineHolder) else self._holder

    def show(self, reply: Reply) -> None:
        """Print a reply with its source and numbered suggestions / see-also."""
        self.last_lang = reply.lang
        print(reply.text, file=self.out)
        if reply.sources:
            print(f"  — {'; '.join(reply.sources)}", file=self.out)
        if self.contact and reply.outcome in HANDOFF:
            print(
                f"  {in_script(PT[reply.lang]['contact'], reply.script).format(contact=self.contact)}",
                file=self.out,
            )
        offered = reply.outcome in ("suggested", "declined", "offtopic")
        options = reply.suggestions if offered else reply.related if reply.answered else ()
        self.options = options[:5]
        if self.options and not offered:
            print(f"  {in_script(UI[reply.lang]['see_also'], reply.script)}:", file=self.out)
        for n, s in enumerate(self.options, 1):
            print(f"  [{n}] {s.question}", file=self.out)

    def handle(self, line: str) -> tuple[bool, Reply | None]:
        """Handle one input line; return (go on?, the reply shown if it was a question)."""
        text = line.strip()
        engine = self.engine
        if text in {"/quit", "/exit"}:
            return False, None
        if text in {"/help", "/start"}:
            print(HELP, file=self.out)
        elif text == "/topics":
            for topic in topic_listing(engine, self.pinned or self.last_lang):
                print(f"{topic.name}:", file=self.out)
                for question in topic.questions:
                    print(f"  - {question.question}", file=self.out)
        elif text.startswith("/lang"):
            choice = text[5:].strip().lower()
            if choice in LANGS:
                self.pinned = choice
                print(f"Answers now in {choice}.", file=self.out)
            elif choice == "auto":
                self.pinned = None
                print("Answers now follow the question's language.", file=self.out)
            else:
                print("Usage: /lang de|en|zh|auto", file=self.out)
        elif text.isdigit() and self.options and 1 <= int(text) <= len(self.options):
            picked = self.options[int(text) - 1]
            reply = engine.answer_intent(picked.intent, self.pinned or self.last_lang)
            if reply is not None:
                self.show(reply)
                return True, reply
        elif text.startswith("/"):
            print("Unknown command. /help lists what works.", file=self.out)
        else:
            now = time.monotonic()
            previous = self.memory.get(None, now)
            reply = engine.reply(line, pinned=self.pinned, context=previous)
            self.memory.put(None, engine.follow(reply, now, previous), now)
            self.show(reply)
            return True, reply
        return True, None


def _exchange(line: str, reply: Reply, pinned: str | None, started: float) -> Exchange:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "console"
    return Exchange(
        channel="console",
        user_id=user,
        chat_id=user,
        chat_type="console",
        kind="command" if line.strip().isdigit() else "message",
        text=line,
        reply=reply.text,
        lang=reply.lang,
        lang_pinned=pinned,
        intent=reply.intent or reply.nearest,
        confidence=reply.confidence,
        outcome=reply.outcome,
        latency_ms=(time.perf_counter() - started) * 1000,
    )


async def _chat(
    settings: Settings, database: Store, holder: EngineHolder, stream: TextIO, out: TextIO
) -> int:
    chat = ConsoleChat(holder, out, settings.context_ttl_s, contact=settings.press_contact)
    interactive = stream.isatty()

    async def alert(message: str) -> None:
        print(f"[log] {message}", file=sys.stderr)

    store: ConversationLog | None = ConversationLog(
        database,
        retention_days=settings.retention_days,
        on_alert=alert,
    )
    try:
        await store.start()  # type: ignore[union-attr]
    except StoreError as exc:
        # The chat goes on without a log, and says so.
        print(f"[log] conversation log unavailable ({exc}); chatting without it", file=sys.stderr)
        store = None

    async def on_reload(result: ReloadResult) -> None:
        if result.event == "training_failed":
            print(f"[{result.problems[0]}]", file=out)
        elif result.ok:
            back = "fact folder back; " if result.event == "returned" else ""
            print(f"[{back}fact base reloaded: {result.diff.summary()}]", file=out)
        else:
            print("[fact base edit rejected, still using the last good version:]", file=out)
            for problem in result.problems:
                print(f"  {problem}", file=out)

    stop = asyncio.Event()
    watcher = asyncio.create_task(watch(holder, on_reload, settings.reload_debounce_s, stop))
    greeting = holder.engine.kb.release.text("greeting", "en") or "Ask me about the announcement."
    print(f"{greeting} /help for commands, Ctrl-D to leave.", file=out)
    try:
        while True:
            if interactive:
                out.write("> ")
                out.flush()
            line = await asyncio.to_thread(stream.readline)
            if not line:
                break
            line = line.rstrip("\r\n")
            started = time.perf_counter()
            go_on, reply = chat.handle(line)
            if reply is not None and store is not None:
                store.log(_exchange(line, reply, chat.pinned, started))
            if not go_on:
                break
    finally:
        stop.set()
        watcher.cancel()
        await asyncio.gather(watcher, return_exceptions=True)
        await holder.close()
        if store is not None:
            await store.close()
    if interactive:
        print(file=out)
    return 0


def run_console(
    settings: Settings,
    engine: Engine,
    store: Store,
    stream: TextIO | None = None,
    out: TextIO | None = None,
) -> int:
    """Run the console chat until end of input, logging into `store`."""
    holder = EngineHolder.for_settings(engine, settings)
    return asyncio.run(_chat(settings, store, holder, stream or sys.stdin, out or sys.stdout))
