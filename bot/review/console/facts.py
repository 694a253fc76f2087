"""The console's edits of the fact base, through bot.knowledge.promote (validated, put back when
they do not validate), each recorded with the file as it was so that it can be undone.

Undo restores the file only if nobody changed it since (its hash is the one the edit left);
paths outside the knowledge folder are refused. The running bot's watcher reloads either way.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bot.errors import KnowledgeError
from bot.knowledge.model import KnowledgeBase
from bot.knowledge.parsed import ParsedCache
from bot.knowledge.promote import Promoted, PromoteError, add_question, new_intent
from bot.review.clusters import Cluster
from bot.review.console.data import Log
from bot.review.display import without_hidden

# One edit of the fact files at a time: two reviewers' clicks must not interleave read and write.
_EDITING = threading.Lock()


class ConsoleError(Exception):
    """An action the console refuses, with a sentence for the reviewer."""


def file_hash(text: str | None) -> str:
    return "absent" if text is None else hashlib.sha256(text.encode()).hexdigest()


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


@dataclass(frozen=True)
class FactBase:
    """The fact base, or the problems that keep it from loading (`path:line: message`)."""

    kb: KnowledgeBase | None
    problems: tuple[str, ...]


def read_facts(directory: Path, cache_dir: Path | None = None) -> FactBase:
    """The fact base in `directory`, parsed or from the parsed versions kept in `cache_dir`."""
    try:
        return FactBase(ParsedCache(cache_dir).load(directory), ())
    except KnowledgeError as exc:
        return FactBase(None, tuple(exc.problems))


def _promote(
    log: Log, now: datetime, kind: str, query: str, target: str, path: Path, edit: Callable[[], Promoted]
) -> Promoted:
    with _EDITING:
        before = _read(path)
        done = _run(edit)
        log.add_action(now, kind, query, target, str(done.path), before, file_hash(_read(done.path)))
    return done


def _run(edit: Callable[[], Promoted]) -> Promoted:
    try:
        return edit()
    except PromoteError as exc:
        raise ConsoleError(str(exc)) from exc
    except KnowledgeError as exc:
        raise ConsoleError("the fact base does not validate now:\n" + "\n".join(exc.problems)) from exc


def add(
    log: Log,
    directory: Path,
    now: datetime,
    query: str,
    intent_id: str,
    lang: str | None,
    cache_dir: Path | None = None,
) -> Promoted:
    """Add `query` to `intent_id`'s questions (recorded for undo)."""
    query = without_hidden(query)
    base = read_facts(directory, cache_dir)
    found = None
    if base.kb is not None:
        found = base.kb.get(intent_id) or next((d for d in base.kb.drafts if d.id == intent_id), None)
    if found is None:
        raise ConsoleError(f"no intent '{intent_id}'")
    path = Path(found.path)
    return _promote(
        log,
        now,
        "add",
        query,
        intent_id,
        path,
        lambda: add_question(directory, query, intent_id, lang, cache_dir=cache_dir),
    )


def draft(
    log: Log,
    directory: Path,
    now: datetime,
    query: str,
    intent_id: str,
    topic: str,
    cache_dir: Path | None = None,
) -> Promoted:
    """Start a draft intent with `query` as its first question (recorded for undo)."""
    query = without_hidden(query)
    path = directory / f"{topic}.yaml"
    return _promote(
        log,
        now,
        "draft",
        query,
        intent_id,
        path,
        lambda: new_intent(directory, query, intent_id, topic, cache_dir=cache_dir),
    )


def mark(log: Log, now: datetime, query: str, kind: str) -> None:
    """Mark a query off-topic (undone by undo)."""
    if kind != "offtopic":
        raise ConsoleError("unknown mark")
    log.add_action(now, kind, query, None)


def hand_off(log: Log, now: datetime, query: str, clusters: Sequence[Cluster]) -> int:
    """Queue the cluster shown as `query` for the press office (the running bot posts it to the
    press group within seconds); undo withdraws it until then. The action's id."""
    found = next((c for c in clusters if not c.offtopic and without_hidden(c.text) == query), None)
    if found is None:
        raise ConsoleError(
            "that question is no longer among the unanswered ones of this range; reload the page"
        )
    return log.hand_off(now, found)


def undo(log: Log, directory: Path, now: datetime, action_id: int) -> None:
    """Undo one action: put its file back as it was, or lift its mark."""
    with _EDITING:
        _undo(log, directory, now, action_id)


def _undo(log: Log, directory: Path, now: datetime, action_id: int) -> None:
    action = log.action(action_id)
    if action is None or action.undone_ts is not None:
        raise ConsoleError("nothing to undo (unknown, or undone already)")
    if action.kind == "press":
        state = log.undo_handoff(action_id, now)
        if state == "undone":
            return
        if state == "posting":
            raise ConsoleError(
                "the bot is posting this hand-off to the press office's group just now: "
                "it can no longer be undone (dismiss its ticket in the group)"
            )
        if state == "posted":
            raise ConsoleError(
                "this hand-off is in the press office's group already: it can no longer be undone "
                "(dismiss its ticket in the group)"
            )
    if action.kind in ("add", "draft"):
        if action.path is None:
            raise ConsoleError("the action recorded no file")
        path = Path(action.path)
        root = directory.resolve()
        if not path.resolve().is_relative_to(root):
            raise ConsoleError(f"{path} is outside the knowledge folder")
        if file_hash(_read(path)) != action.after_hash:
            raise ConsoleError(f"{path} changed since; undo it in the file")
        if action.before_text is None:
            path.unlink(missing_ok=True)
        else:
            tmp = path.with_name(f".{path.name}.console.tmp")
            tmp.write_text(action.before_text, encoding="utf-8")
            os.replace(tmp, path)
    if not log.mark_undone(action_id, now):
        raise ConsoleError("undone already")
