"""The same engine in a terminal: a prompt, answers, numbered suggestions, a few commands."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from typing import TextIO

from bot.engine import Engine, Reply, Suggestion
from bot.lang import LANGS
from bot.settings import Settings

HELP = """Type a question in German, English or Chinese, or:
  a number      pick one of the numbered suggestions
  /topics       list everything the bot knows about
  /lang de|en|zh  answer in that language (/lang auto: follow the question)
  /help         this text
  Ctrl-D        leave"""


def _lines(stream: TextIO, prompt: Callable[[], None]) -> Iterator[str]:
    while True:
        prompt()
        line = stream.readline()
        if not line:
            return
        yield line.rstrip("\r\n")


class ConsoleChat:
    """State of one console conversation: pinned language and the last numbered options."""

    def __init__(self, engine: Engine, out: TextIO) -> None:
        self.engine = engine
        self.out = out
        self.pinned: str | None = None
        self.options: tuple[Suggestion, ...] = ()
        self.last_lang = "en"

    def show(self, reply: Reply) -> None:
        """Print a reply with its source and numbered suggestions / see-also."""
        self.last_lang = reply.lang
        print(reply.text if reply.outcome != "suggested" else reply.text.splitlines()[0],
              file=self.out)
        if reply.sources:
            print(f"  — {'; '.join(reply.sources)}", file=self.out)
        options = reply.suggestions or reply.related
        if reply.outcome == "suggested" or (reply.related and reply.answered):
            self.options = options[:5]
            if reply.outcome != "suggested":
                print("  See also:", file=self.out)
            for n, s in enumerate(self.options, 1):
                print(f"  [{n}] {s.question}", file=self.out)
        else:
            self.options = ()

    def handle(self, line: str) -> bool:
        """Handle one input line; return False to leave."""
        text = line.strip()
        if text in {"/quit", "/exit"}:
            return False
        if text == "/help" or text == "/start":
            print(HELP, file=self.out)
        elif text == "/topics":
            lang = self.pinned or self.last_lang
            for topic, intents in self.engine.kb.topics().items():
                print(f"{topic}:", file=self.out)
                for intent in intents:
                    print(f"  - {intent.example(lang)}", file=self.out)
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
            reply = self.engine.answer_intent(picked.intent, self.pinned or self.last_lang)
            if reply is not None:
                self.show(reply)
        elif text.startswith("/"):
            print("Unknown command. /help lists what works.", file=self.out)
        else:
            self.show(self.engine.reply(line, pinned=self.pinned))
        return True


def run_console(settings: Settings, engine: Engine, stream: TextIO | None = None,
                out: TextIO | None = None) -> int:
    """Run the console chat until end of input."""
    stream = stream or sys.stdin
    out = out or sys.stdout
    chat = ConsoleChat(engine, out)
    interactive = stream.isatty()
    print("Ask me about Siemens' strategic cooperation framework agreement with Chongqing "
          "(20 June 2024). /help for commands, Ctrl-D to leave.", file=out)

    def prompt() -> None:
        if interactive:
            out.write("> ")
            out.flush()

    for line in _lines(stream, prompt):
        if not chat.handle(line):
            break
    if interactive:
        print(file=out)
    return 0
