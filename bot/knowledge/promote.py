"""From review to fact base: add a logged query to an intent's questions, or start a new intent.

Edits the YAML text in place at the line the parser reports, so comments, order and layout stay
byte-for-byte as they were outside the inserted lines; then validates, and puts the file back if the
result does not validate. The running bot's watcher picks the change up by itself.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.core.lang import LANGS, detect_language, normalise
from bot.errors import BotError, KnowledgeError
from bot.knowledge.model import ID_RE, KnowledgeBase
from bot.knowledge.parsed import ParsedCache
from bot.settings import Settings

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PLAIN_UNSAFE = re.compile(r"[:#,\[\]{}&*!|>'\"%@`]|^[-?\s]|\s$")


class PromoteError(BotError):
    """The query cannot be added where it was asked to go."""


@dataclass(frozen=True)
class Promoted:
    """Where the query went."""

    path: Path
    line: int
    intent: str
    lang: str
    summary: str


def _scalar(text: str) -> str:
    """The query as a YAML scalar: plain where that is safe, else double-quoted."""
    if _PLAIN_UNSAFE.search(text) or text.lower() in {"yes", "no", "true", "false", "null", "~"}:
        return json.dumps(text, ensure_ascii=False)
    return text


def _write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.promote.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _validated(directory: Path, path: Path, before: str | None, cache_dir: Path | None) -> KnowledgeBase:
    """Validate after an edit; on failure restore `before` (or remove the new file)."""
    try:
        return ParsedCache(cache_dir).load(directory)
    except KnowledgeError as exc:
        if before is None:
            path.unlink(missing_ok=True)
        else:
            _write_atomically(path, before)
        raise PromoteError("the edit did not validate and was undone:\n" + "\n".join(exc.problems)) from exc


def _check_new(kb: KnowledgeBase, query: str) -> None:
    key = normalise(query)
    if not key:
        raise PromoteError("the query has no letters or digits")
    for intent in (*kb.intents, *kb.drafts):
        for questions in intent.questions.values():
            if any(normalise(q) == key for q in questions):
                raise PromoteError(f"'{query}' is already a question of intent {intent.id} ({intent.path})")


def _find_sequence(text: str, intent_id: str, lang: str) -> yaml.SequenceNode:
    root = yaml.compose(text, Loader=_LOADER)
    if not isinstance(root, yaml.MappingNode):
        raise PromoteError("the intent's file is not a mapping")
    for key, value in root.value:
        if key.value != "intents" or not isinstance(value, yaml.SequenceNode):
            continue
        for item in value.value:
            fields = {k.value: v for k, v in item.value} if isinstance(item, yaml.MappingNode) else {}
            id_node = fields.get("id")
            if not isinstance(id_node, yaml.ScalarNode) or id_node.value != intent_id:
                continue
            questions = fields.get("questions")
            if isinstance(questions, yaml.MappingNode):
                for lang_key, seq in questions.value:
                    if lang_key.value == lang and isinstance(seq, yaml.SequenceNode):
                        return seq
            raise PromoteError(f"intent {intent_id} has no questions.{lang} list to add to")
    raise PromoteError(f"intent {intent_id} is not in its file any more")


def add_question(
    directory: Path, query: str, intent_id: str, lang: str | None = None, *, cache_dir: Path | None = None
) -> Promoted:
    """Append `query` to `intent_id`'s questions in `lang` (detected if not given). `cache_dir`:
    where parsed versions of the fact base are kept (bot.knowledge.parsed; None: parse each time),
    so that the reload after the edit, and the next edit, read it without parsing it again."""
    query = " ".join(query.split())
    kb = ParsedCache(cache_dir).load(directory)
    intent = kb.get(intent_id) or next((d for d in kb.drafts if d.id == intent_id), None)
    if intent is None:
        raise PromoteError(f"no intent '{intent_id}' (see `python run.py validate` for the ids)")
    _check_new(kb, query)
    lang = lang or detect_language(query)
    path = Path(intent.path)
    before = path.read_text(encoding="utf-8")
    seq = _find_sequence(before, intent_id, lang)
    if seq.flow_style:
        close = seq.end_mark.index - 1  # the "]"
        sep = ", " if seq.value else ""
        after = before[:close] + sep + _scalar(query) + before[close:]
        line = seq.end_mark.line + 1
    else:
        last = seq.value[-1]
        indent = " " * (seq.value[0].start_mark.column - 2)
        lines = before.splitlines(keepends=True)
        insert_at = last.end_mark.line + (1 if last.end_mark.column > 0 else 0)
        if insert_at > 0 and not lines[insert_at - 1].endswith("\n"):
            lines[insert_at - 1] += "\n"
        lines.insert(insert_at, f"{indent}- {_scalar(query)}\n")
        after = "".join(lines)
        line = insert_at + 1
    _write_atomically(path, after)
    new_kb = _validated(directory, path, before, cache_dir)
    return Promoted(path, line, intent_id, lang, new_kb.summary())


SKELETON = """\
  - id: {id}
    topic: {topic}
    kind: draft  # write the answers, set kind to fact (or unknown), and it is served
    source: []
    related: []
    answer:
{answers}    questions:
{questions}"""


def new_intent(
    directory: Path,
    query: str,
    intent_id: str,
    topic: str,
    lang: str | None = None,
    answer: str | None = None,
    *,
    cache_dir: Path | None = None,
) -> Promoted:
    """Start a draft intent in `<topic>.yaml` with `query` as its first question (and `answer`,
    e.g. the press office's reply, as its answer in that language); `cache_dir` as in add_question."""
    query = " ".join(query.split())
    if not ID_RE.match(intent_id):
        raise PromoteError(f"id '{intent_id}' must be lowercase letters, digits and _ (2-64)")
    if not ID_RE.match(topic):
        raise PromoteError(f"topic '{topic}' must be lowercase letters, digits and _ (it names the file)")
    kb = ParsedCache(cache_dir).load(directory)
    if kb.get(intent_id) or any(d.id == intent_id for d in kb.drafts):
        raise PromoteError(f"intent '{intent_id}' exists already; use --to {intent_id}")
    _check_new(kb, query)
    lang = lang or detect_language(query)
    questions = "".join(
        f"      {lg}:\n        - {_scalar(query)}\n" if lg == lang else f"      {lg}: []\n" for lg in LANGS
    )
    answer = (answer or "").strip()
    answers = "".join(
        f"      {lg}: {json.dumps(answer, ensure_ascii=False) if lg == lang and answer else chr(39) * 2}\n"
        for lg in LANGS
    )
    block = SKELETON.format(id=intent_id, topic=topic, questions=questions, answers=answers)
    path = directory / f"{topic}.yaml"
    before = path.read_text(encoding="utf-8") if path.exists() else None
    if before is None:
        text = (
            "# yaml-language-server: $schema=schema.json\n"
            f"# {topic}: intents added from the review.\nintents:\n" + block
        )
        line = 4
    else:
        text = before if before.endswith("\n") else before + "\n"
        line = text.count("\n") + 1
        text += block
    _write_atomically(path, text)
    new_kb = _validated(directory, path, before, cache_dir)
    return Promoted(path, line, intent_id, lang, new_kb.summary())


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Add a logged query to the fact base: to an intent's questions, or as a new draft intent.

    Examples:
      python run.py review promote "Wer hat den Vertrag unterschrieben?" --to signatories
      python run.py review promote "Gibt es einen Livestream?" --new livestream --topic events
    """
    directory = settings.knowledge_dir
    try:
        if args.to:
            done = add_question(directory, args.query, args.to, args.lang, cache_dir=settings.cache_dir)
            print(f"added to {done.intent} ({done.lang}) at {done.path}:{done.line}; ok: {done.summary}")
        else:
            done = new_intent(
                directory, args.query, args.new, args.topic, args.lang, cache_dir=settings.cache_dir
            )
            print(
                f"draft intent {done.intent} started at {done.path}:{done.line}: write its "
                "answers and set kind: fact to serve it"
            )
    except PromoteError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KnowledgeError as exc:
        print("error: the fact base does not validate now; fix these first:", file=sys.stderr)
        for line in exc.problems:
            print(line, file=sys.stderr)
        return 1
    return 0
