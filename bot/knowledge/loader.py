"""Load and validate the YAML fact base into immutable dataclasses.

Reads the files of one folder and nothing else: no network, no database, no Telegram. Every problem
is reported as `path:line: message` so that an admin can jump straight to it.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType

import yaml

from bot.core.lang import LANGS, normalise
from bot.errors import KnowledgeError, KnowledgeMissing
from bot.knowledge.facts_loader import FACTS_FILE, parse_facts
from bot.knowledge.model import (
    ANSWER_TYPES,
    ID_RE,
    KINDS,
    MAX_ANSWER,
    RELEASE_TEXTS,
    SOURCES,
    AnswerType,
    Facts,
    Intent,
    Kind,
    KnowledgeBase,
    Release,
)

INTENT_KEYS = {"id", "topic", "kind", "source", "provides", "related", "answer", "questions"}
REQUIRED_KEYS = ("id", "topic", "answer", "questions")
SYNONYMS_FILE = "synonyms.yaml"
# Training paraphrases, one file per intent (<id>.yaml mapping de/en/zh to lists), kept apart from
# the curated questions an admin edits; they count as that intent's questions after its own.
PARAPHRASES_DIR = "paraphrases"
RELEASE_FILE = "release.yaml"
RELEASE_KEYS = ("texts", "topics", "examples", "names", "points")
NAME_KINDS = ("person", "organisation", "place", "region")
# libyaml's parser when PyYAML was built with it: the same nodes and line marks, 10x faster.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Aliases (*name) reuse an anchored node (&name) without copying it; every check below walks the
# reused node once per alias, though. One anchored list of 500 questions under 200 intents made
# 300,000 problem lines and 500 MB. A file may add at most this many nodes through aliases.
MAX_ALIAS_NODES = 10_000
# Problems reported per file; the rest are counted in one closing line.
MAX_PROBLEMS_PER_FILE = 25
# What a reload may cost, whatever lands in the folder (README, "Limits of the fact base"). Sizes
# are checked before a file is read; the counts before training (a base at both count limits took
# 75 s and 0.9 GB to train on a 2-core machine; 100,000 intents took 2.5 GB and failed).
MAX_FILE_BYTES = 1_000_000  # one fact file (the largest today: 84 kB)
MAX_BASE_BYTES = 4_000_000  # every fact file together (today: 0.6 MB)
MAX_FILES = 1_000  # fact files, paraphrase files included (today: 62)
MAX_INTENTS = 250  # intents and drafts (today: 65)
MAX_QUESTIONS = 25_000  # curated questions and paraphrases together (today: about 11,000)
# A key, id or word of a file quoted in a message is cut to this many characters: a message names
# what is wrong, it never carries the file (a symlink to /etc/shadow once made 25 "keys").
QUOTE_CHARS = 40


def cut(text: str, limit: int = QUOTE_CHARS) -> str:
    """`text` cut to `limit` characters (an ellipsis marks the cut)."""
    return f"{text[:limit]}…" if len(text) > limit else text


def quoted(text: str, limit: int = QUOTE_CHARS) -> str:
    """`text` in single quotes, cut to `limit` characters."""
    return f"'{cut(text, limit)}'"


# --------------------------------------------------------------------------------------------
# Parsing with line numbers: compose YAML nodes, validate them, then build the dataclasses.


class _Problems:
    def __init__(self) -> None:
        self.items: list[tuple[str, int, str]] = []
        self.per_file: dict[str, int] = {}  # problems found per path, kept or not
        self.first_left_out: dict[str, int] = {}  # the line of the first one not kept
        # What the cross-file checks must not blame on others: the text of files whose intents
        # could not be read at all, and the ids of intents rejected for their own problems.
        self.unread: dict[str, str] = {}
        self.rejected_ids: set[str] = set()
        self.intents_seen = 0  # entries of 'intents:' lists, read or not

    def knock_on(self, intent_id: str) -> bool:
        """True if `intent_id` may well exist, in a file or intent already reported as broken."""
        if intent_id in self.rejected_ids:
            return True
        written = re.compile(rf"\bid\s*:\s*['\"]?{re.escape(intent_id)}(?![\w-])")
        return any(written.search(text) for text in self.unread.values())

    def add(self, path: str, node: yaml.Node | int, message: str) -> None:
        line = node if isinstance(node, int) else node.start_mark.line + 1
        found = self.per_file[path] = self.per_file.get(path, 0) + 1
        if found > MAX_PROBLEMS_PER_FILE:
            self.first_left_out.setdefault(path, line)
            return
        self.items.append((path, line, message))

    def lines(self) -> list[str]:
        out = [f"{p}:{ln}: {msg}" for p, ln, msg in self.items]
        for path, line in self.first_left_out.items():
            more = self.per_file[path] - MAX_PROBLEMS_PER_FILE
            out.append(
                f"{path}:{line}: ... and {more} more problem{'s' if more > 1 else ''} in "
                "this file (fix the ones above first, then validate again)"
            )
        return out


def _mapping_items(node: yaml.MappingNode) -> Iterator[tuple[yaml.ScalarNode, yaml.Node]]:
    yield from node.value


def _scalar_text(node: yaml.Node) -> str | None:
    if isinstance(node, yaml.ScalarNode) and node.tag != "tag:yaml.org,2002:null":
        return str(node.value)
    return None


def alias_overuse(text: str, limit: int = MAX_ALIAS_NODES) -> tuple[int, str, int] | None:
    """(line, anchor, nodes so far) of the first alias that makes `text` grow by more than
    `limit` nodes once every alias is expanded; None if it stays within (or does not parse:
    composing reports that)."""
    if "*" not in text or "&" not in text:
        return None
    sizes: dict[str, int] = {}  # anchor -> nodes of the anchored node, aliases inside expanded
    starts: list[tuple[str | None, int]] = []  # open collections: (anchor, count at their start)
    count = added = 0
    try:
        for event in yaml.parse(text, Loader=_LOADER):
            if isinstance(event, yaml.AliasEvent):
                grow = sizes.get(str(event.anchor), 1)
                count, added = count + grow, added + grow
                if added > limit:
                    line = event.start_mark.line + 1 if event.start_mark is not None else 1
                    return line, str(event.anchor), count
            elif isinstance(event, yaml.ScalarEvent):
                count += 1
                if event.anchor is not None:
                    sizes[event.anchor] = 1
            elif isinstance(event, yaml.CollectionStartEvent):
                starts.append((event.anchor, count))
                count += 1
            elif isinstance(event, yaml.CollectionEndEvent) and starts:
                anchor, start = starts.pop()
                if anchor is not None:
                    sizes[anchor] = count - start
    except yaml.YAMLError:
        return None
    return None


def _compose(path: str, text: str, problems: _Problems) -> yaml.Node | None:
    overuse = alias_overuse(text)
    if overuse is not None:
        line, anchor, nodes = overuse
        problems.add(
            path,
            line,
            f"the alias *{anchor} makes this file expand to over {nodes:,} "
            f"YAML nodes (aliases may add at most {MAX_ALIAS_NODES:,}); write the "
            "entries out instead of reusing a large anchor",
        )
        return None
    try:
        return yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        what = exc.problem or exc.context or "invalid YAML"
        fix = "check indentation and quoting"
        if "'?'" in what:
            fix = "in [a, b] lists put the text in quotes, e.g. ['Wann?'], or use a '- ' list"
        problems.add(path, line, f"YAML syntax error: {cut(what, 120)} ({fix})")
    except yaml.YAMLError as exc:
        problems.add(path, 1, f"YAML error: {cut(str(exc), 120)}")
    return None


def _string_list(path: str, node: yaml.Node, what: str, problems: _Problems) -> list[tuple[str, yaml.Node]]:
    if not isinstance(node, yaml.SequenceNode):
        text = _scalar_text(node)
        if text is not None and what.startswith(("source", "related")):
            return [(text, node)]  # a single id written without brackets
        problems.add(path, node, f"{what} must be a list")
        return []
    out = []
    for item in node.value:
        text = _scalar_text(item)
        if text is None:
            problems.add(path, item, f"{what}: every entry must be text")
        else:
            out.append((text, item))
    return out


def _merged_items(node: yaml.Node) -> bool:
    """A plain scalar over several lines with " - " in it: list items that YAML read as one text,
    because an item was indented less than the one above ("A - B - C")."""
    return (
        isinstance(node, yaml.ScalarNode)
        and not node.style  # plain: None from PyYAML, "" from libyaml
        and node.end_mark.line > node.start_mark.line
        and " - " in str(node.value)
    )


@dataclass
class _RawIntent:
    intent: Intent
    node: yaml.Node
    related_nodes: list[tuple[str, yaml.Node]]
    question_nodes: list[tuple[str, str, yaml.Node, str]]  # lang, text, node, path


def _parse_intent(
    path: str, node: yaml.Node, problems: _Problems, normalised: Callable[[str], str]
) -> _RawIntent | None:
    if not isinstance(node, yaml.MappingNode):
        problems.add(path, node, "each entry of 'intents' must be a mapping (id, topic, answer, ...)")
        return None
    fields: dict[str, yaml.Node] = {}
    keys: dict[str, yaml.Node] = {}
    for key_node, value in _mapping_items(node):
        key = _scalar_text(key_node) or ""
        if key not in INTENT_KEYS:
            allowed = ", ".join(sorted(INTENT_KEYS))
            problems.add(path, key_node, f"unknown key {quoted(key)} (allowed: {allowed})")
            continue
        if key in fields:
            problems.add(path, key_node, f"key {quoted(key)} appears twice in this intent")
        fields[key] = value
        keys[key] = key_node
    missing = [k for k in REQUIRED_KEYS if k not in fields]
    label = _scalar_text(fields["id"]) if "id" in fields else None
    for key in missing:
        problems.add(path, node, f"intent {cut(label) if label else '(no id)'}: missing key '{key}'")
    if missing:
        if label:
            problems.rejected_ids.add(label)
        return None
    ok = True
    intent_id = _scalar_text(fields["id"]) or ""
    who = cut(intent_id)  # as messages name it
    if not ID_RE.match(intent_id):
        problems.add(
            path, fields["id"], f"id {quoted(intent_id)} must be lowercase letters, digits and _ (2-64)"
        )
        ok = False
    topic = (_scalar_text(fields["topic"]) or "").strip()
    if not topic:
        problems.add(path, fields["topic"], f"intent {who}: 'topic' must not be empty")
        ok = False
    kind: Kind = "fact"
    if "kind" in fields:
        kind_text = _scalar_text(fields["kind"]) or ""
        if kind_text in KINDS:
            kind = kind_text
        else:
            problems.add(path, fields["kind"], f"kind {quoted(kind_text)} must be one of {', '.join(KINDS)}")
            ok = False
    # A draft (made by `review promote --new`) is never served, so its content may be unfinished.
    strict = problems if kind != "draft" else _Problems()
    content_ok = True
    sources: list[str] = []
    if "source" in fields:
        for text, item in _string_list(path, fields["source"], "source", strict):
            if text not in SOURCES:
                strict.add(path, item, f"source {quoted(text)} must be one of {', '.join(SOURCES)}")
                content_ok = False
            sources.append(text)
    if kind == "fact" and not sources:
        strict.add(path, node, f"intent {who}: a fact needs 'source' (e.g. [p1])")
        content_ok = False
    provides: set[AnswerType] = set()
    if "provides" in fields:
        for text, item in _string_list(path, fields["provides"], "provides", strict):
            if text in ANSWER_TYPES:
                provides.add(text)
            else:
                strict.add(path, item, f"provides {quoted(text)} must be one of {', '.join(ANSWER_TYPES)}")
                content_ok = False
    related = _string_list(path, fields["related"], "related", strict) if "related" in fields else []
    answers = _lang_map(path, keys["answer"], fields["answer"], who, "answer", strict)
    questions = _lang_map(path, keys["questions"], fields["questions"], who, "questions", strict)
    answer_text: dict[str, str] = {}
    for lang, value in answers.items():
        answer = _scalar_text(value)
        if answer is None or not answer.strip():
            strict.add(path, value, f"intent {who}: answer.{lang} is empty")
            content_ok = False
        elif len(answer.strip()) > MAX_ANSWER:
            strict.add(
                path,
                value,
                f"intent {who}: answer.{lang} has {len(answer.strip())} characters; "
                f"Telegram allows {MAX_ANSWER}",
            )
            content_ok = False
        else:
            answer_text[lang] = answer.strip()
    question_text: dict[str, tuple[str, ...]] = {}
    question_nodes: list[tuple[str, str, yaml.Node, str]] = []
    for lang, value in questions.items():
        items = _string_list(path, value, f"questions.{lang}", strict)
        if not items and isinstance(value, yaml.SequenceNode):
            strict.add(path, value, f"intent {who}: questions.{lang} is empty")
            content_ok = False
        seen: dict[str, int] = {}
        kept: list[str] = []
        for text, item in items:
            key = normalised(text)
            if not key:
                strict.add(path, item, f"intent {who}: empty question in questions.{lang}")
                content_ok = False
                continue
            if _merged_items(item):
                strict.add(
                    path,
                    item,
                    f"intent {who}: question {quoted(text.strip(), 60)} holds ' - ' items: a list item "
                    "indented unlike the one above merged the lines below it (indent every '- ' alike)",
                )
                content_ok = False
                continue
            if key in seen:
                strict.add(
                    path,
                    item,
                    f"intent {who}: question {quoted(text.strip(), 60)} repeats line {seen[key]}",
                )
                content_ok = False
                continue
            seen[key] = item.start_mark.line + 1
            kept.append(text.strip())
            question_nodes.append((lang, text.strip(), item, path))
        question_text[lang] = tuple(kept)
    if len(answers) < len(LANGS) or len(questions) < len(LANGS):
        content_ok = False
    if not ok or (kind != "draft" and not content_ok):
        problems.rejected_ids.add(intent_id)
        return None
    intent = Intent(
        id=intent_id,
        topic=topic,
        kind=kind,
        source=tuple(sources),
        related=tuple(text for text, _ in related),
        provides=frozenset(provides),
        answer=MappingProxyType(answer_text),
        questions=MappingProxyType(question_text),
        path=path,
        line=node.start_mark.line + 1,
    )
    return _RawIntent(intent, node, related, question_nodes)


def _lang_map(
    path: str, key: yaml.Node, node: yaml.Node, intent_id: str, what: str, problems: _Problems
) -> dict[str, yaml.Node]:
    if not isinstance(node, yaml.MappingNode):
        problems.add(path, key, f"intent {intent_id}: '{what}' must map de, en and zh to text")
        return {}
    out: dict[str, yaml.Node] = {}
    for key_node, value in _mapping_items(node):
        lang = _scalar_text(key_node) or ""
        if lang not in LANGS:
            problems.add(
                path,
                key_node,
                f"intent {intent_id}: {what}: unknown language {quoted(lang, 20)} (use de, en, zh)",
            )
            continue
        out[lang] = value
    for lang in LANGS:
        if lang not in out:
            problems.add(path, key, f"intent {intent_id}: {what}: missing language '{lang}'")
    return out


def _parse_intent_file(
    path: str, text: str, problems: _Problems, normalised: Callable[[str], str]
) -> list[_RawIntent]:
    problems.unread[path] = text  # until its list of intents is found
    root = _compose(path, text, problems)
    if root is None:
        if not problems.items or problems.items[-1][0] != path:
            problems.add(path, 1, "the file is empty (expected 'intents:' with a list)")
        return []
    if not isinstance(root, yaml.MappingNode):
        problems.add(path, root, "the file must be a mapping with the key 'intents'")
        return []
    intents_node: yaml.Node | None = None
    for key_node, value in _mapping_items(root):
        key = _scalar_text(key_node)
        if key == "intents":
            intents_node = value
        else:
            problems.add(path, key_node, f"unknown top-level key {quoted(key or '')} (only 'intents')")
    if intents_node is None:
        problems.add(path, root, "missing top-level key 'intents'")
        return []
    if not isinstance(intents_node, yaml.SequenceNode):
        problems.add(path, intents_node, "'intents' must be a list of intents")
        return []
    del problems.unread[path]
    problems.intents_seen += len(intents_node.value)
    if problems.intents_seen > MAX_INTENTS:
        return []  # parse() refuses the whole base in one line
    parsed = [_parse_intent(path, item, problems, normalised) for item in intents_node.value]
    return [p for p in parsed if p is not None]


@dataclass
class _Synonyms:
    concepts: dict[str, tuple[str, ...]]
    exclusive: tuple[frozenset[str], ...] = ()
    generic: frozenset[str] = frozenset()
    vague: frozenset[str] = frozenset()


_SYNONYM_KEYS = ("concepts", "exclusive", "generic", "vague")


def _parse_synonyms(path: str, text: str, problems: _Problems) -> _Synonyms:
    root = _compose(path, text, problems)
    if root is None:
        return _Synonyms({})
    sections: dict[str, yaml.Node] = {}
    if isinstance(root, yaml.MappingNode):
        for key_node, value in _mapping_items(root):
            key = _scalar_text(key_node) or ""
            if key in _SYNONYM_KEYS:
                sections[key] = value
            else:
                problems.add(
                    path,
                    key_node,
                    f"unknown top-level key (only {', '.join(repr(k) for k in _SYNONYM_KEYS)})",
                )
    concepts_node = sections.get("concepts")
    if not isinstance(concepts_node, yaml.MappingNode):
        problems.add(path, root, "expected 'concepts:' mapping each concept to a list of words")
        return _Synonyms({})
    out: dict[str, tuple[str, ...]] = {}
    owner: dict[str, tuple[str, int]] = {}
    for key_node, value in _mapping_items(concepts_node):
        concept = _scalar_text(key_node) or ""
        if not ID_RE.match(concept):
            problems.add(path, key_node, f"concept {quoted(concept)} must be lowercase letters, digits, _")
            continue
        if concept in out:
            problems.add(path, key_node, f"concept {quoted(concept)} appears twice")
            continue
        terms: list[str] = []
        for word, item in _string_list(path, value, f"concept {concept}", problems):
            key = normalise(word)
            if not key:
                problems.add(path, item, f"concept {concept}: {quoted(word)} has no letters or digits")
                continue
            if key in owner and owner[key][0] != concept:
                first, line = owner[key]
                problems.add(path, item, f"{quoted(word)} is in concept '{first}' (line {line}) already")
                continue
            owner[key] = (concept, item.start_mark.line + 1)
            if key not in terms:
                terms.append(key)
        out[concept] = tuple(terms)

    def concept_list(name: str, node: yaml.Node) -> frozenset[str]:
        found = _string_list(path, node, name, problems)
        for concept, item in found:
            if concept not in out:
                problems.add(path, item, f"{name}: {quoted(concept)} is not a concept above")
        return frozenset(concept for concept, _ in found)

    groups: list[frozenset[str]] = []
    exclusive_node = sections.get("exclusive")
    if exclusive_node is not None:
        if not isinstance(exclusive_node, yaml.SequenceNode):
            problems.add(path, exclusive_node, "'exclusive' must be a list of lists of concepts")
        else:
            groups = [concept_list("exclusive", group_node) for group_node in exclusive_node.value]
    generic = concept_list("generic", sections["generic"]) if "generic" in sections else frozenset()
    vague = concept_list("vague", sections["vague"]) if "vague" in sections else frozenset()
    return _Synonyms(out, tuple(groups), generic, vague)


def _per_lang(path: str, node: yaml.Node, what: str, problems: _Problems) -> dict[str, str]:
    """{de: ..., en: ..., zh: ...} with every language present and non-empty."""
    if not isinstance(node, yaml.MappingNode):
        problems.add(path, node, f"{what} must map de, en and zh to a text")
        return {}
    out: dict[str, str] = {}
    given: set[str] = set()
    for key_node, value in _mapping_items(node):
        lang, text = _scalar_text(key_node) or "", _scalar_text(value)
        given.add(lang)
        if lang not in LANGS:
            problems.add(
                path, key_node, f"{what}: unknown language {quoted(lang, 20)} (use {', '.join(LANGS)})"
            )
        elif not text or not text.strip():
            problems.add(path, value, f"{what}: the {lang} text is empty")
        else:
            out[lang] = " ".join(text.split())
    for lang in sorted(set(LANGS) - given):
        problems.add(path, node, f"{what}: missing language '{lang}'")
    return out


def _named_sections(
    path: str, node: yaml.Node, what: str, allowed: tuple[str, ...] | None, problems: _Problems
) -> list[tuple[str, yaml.Node, yaml.Node]]:
    if not isinstance(node, yaml.MappingNode):
        problems.add(path, node, f"'{what}' must be a mapping")
        return []
    out: list[tuple[str, yaml.Node, yaml.Node]] = []
    for key_node, value in _mapping_items(node):
        key = _scalar_text(key_node) or ""
        if allowed is not None and key not in allowed:
            problems.add(path, key_node, f"{what}: unknown key {quoted(key)} (allowed: {', '.join(allowed)})")
        else:
            out.append((key, key_node, value))
    return out


def parse_release(path: str, text: str, problems: _Problems) -> Release:
    """release.yaml: the announcement's texts, topic names, example intents, names and key points."""
    root = _compose(path, text, problems)
    if root is None:
        return Release()
    sections = _named_sections(path, root, "release.yaml", RELEASE_KEYS, problems)
    found = {key: value for key, _, value in sections}
    texts = (
        {
            key: _per_lang(path, value, f"texts.{key}", problems)
            for key, _, value in _named_sections(path, found["texts"], "texts", RELEASE_TEXTS, problems)
        }
        if "texts" in found
        else {}
    )
    topics = {}
    for key, key_node, value in (
        _named_sections(path, found["topics"], "topics", None, problems) if "topics" in found else ()
    ):
        if not ID_RE.match(key):
            problems.add(path, key_node, f"topic {quoted(key)} must be lowercase letters, digits, _")
        topics[key] = _per_lang(path, value, f"topics.{key}", problems)
    examples = (
        [t for t, _ in _string_list(path, found["examples"], "examples", problems)]
        if "examples" in found
        else []
    )
    names = (
        {
            kind: tuple(t for t, _ in _string_list(path, value, f"names.{kind}", problems))
            for kind, _, value in _named_sections(path, found["names"], "names", NAME_KINDS, problems)
        }
        if "names" in found
        else {}
    )
    points = (
        {
            lang: tuple(t for t, _ in _string_list(path, value, f"points.{lang}", problems))
            for lang, _, value in _named_sections(path, found["points"], "points", LANGS, problems)
        }
        if "points" in found
        else {}
    )
    return Release(texts=texts, topics=topics, examples=tuple(examples), names=names, points=points)


def _parse_facts_file(path: str, text: str, problems: _Problems) -> tuple[Facts, list[tuple[str, yaml.Node]]]:
    """typed_facts.yaml: the typed facts (bot.knowledge.facts_loader), problems reported at their lines."""
    root = _compose(path, text, problems)
    if root is None:
        return Facts(), []
    return parse_facts(root, lambda node, message: problems.add(path, node, message))


def _join_paraphrases(
    path: str,
    text: str,
    intents: Mapping[str, _RawIntent],
    problems: _Problems,
    normalise: Callable[[str], str] = normalise,
) -> None:
    """paraphrases/<id>.yaml: its questions appended to intent <id>'s, after the curated ones
    (`normalise`: the parse's memo of it)."""
    intent_id = Path(path).stem
    item = intents.get(intent_id)
    if item is None:
        if not problems.knock_on(intent_id):
            problems.add(
                path, 1, f"no intent {quoted(intent_id)} for these paraphrases (name the file <id>.yaml)"
            )
        return
    root = _compose(path, text, problems)
    if root is None:
        return
    if not isinstance(root, yaml.MappingNode):
        problems.add(path, root, "expected a mapping of de, en and zh to lists of questions")
        return
    questions = {lang: list(qs) for lang, qs in item.intent.questions.items()}
    seen = {normalise(q) for qs in questions.values() for q in qs}
    for key_node, value in _mapping_items(root):
        lang = _scalar_text(key_node) or ""
        if lang not in LANGS:
            problems.add(path, key_node, f"unknown language {quoted(lang, 20)} (use de, en, zh)")
            continue
        for question, node in _string_list(path, value, f"paraphrases {lang}", problems):
            key = normalise(question)
            if not key or key in seen:
                continue  # nothing to match on, or said already
            seen.add(key)
            questions.setdefault(lang, []).append(question.strip())
            item.question_nodes.append((lang, question.strip(), node, path))
    item.intent = replace(
        item.intent, questions=MappingProxyType({lang: tuple(qs) for lang, qs in questions.items()})
    )


def _too_big(folder: str, found: str, limit: int) -> str:
    return (
        f"{folder}:0: the fact base has {found}; at most {limit:,} are accepted, to keep training "
        "within about 1 GB (see README, Limits of the fact base)"
    )


def parse(files: Mapping[str, str]) -> KnowledgeBase:
    """Build a fact base from {path: text}; raise KnowledgeError with every problem found."""
    problems = _Problems()
    raw: list[_RawIntent] = []
    synonyms = _Synonyms({})
    release = Release()
    facts = Facts()
    fact_refs: list[tuple[str, str, yaml.Node]] = []  # path, intent id, node
    # Every question is read by the intents' and the paraphrases' own checks and again by the
    # duplicates' check: normalised once each (11,000 of them, a tenth of a second of every start).
    memo: dict[str, str] = {}

    def normalised(text: str) -> str:
        found = memo.get(text)
        if found is None:
            found = memo[text] = normalise(text)
        return found

    for path in sorted(files):
        if Path(path).name == FACTS_FILE:
            facts, refs = _parse_facts_file(path, files[path], problems)
            fact_refs = [(path, intent_id, node) for intent_id, node in refs]
        elif Path(path).name == SYNONYMS_FILE:
            synonyms = _parse_synonyms(path, files[path], problems)
        elif Path(path).name == RELEASE_FILE:
            release = parse_release(path, files[path], problems)
        elif Path(path).parent.name == PARAPHRASES_DIR:
            continue  # joined to their intents below, once every intent is known
        else:
            raw.extend(_parse_intent_file(path, files[path], problems, normalised))
    folder = str(Path(min(files)).parent) if files else "knowledge"
    if problems.intents_seen > MAX_INTENTS:
        raise KnowledgeError([_too_big(folder, f"{problems.intents_seen:,} intents", MAX_INTENTS)])
    first_seen: dict[str, _RawIntent] = {}
    for item in raw:
        previous = first_seen.get(item.intent.id)
        if previous is not None:
            problems.add(
                item.intent.path,
                item.node,
                f"duplicate id '{item.intent.id}' (first defined at "
                f"{previous.intent.path}:{previous.intent.line})",
            )
        else:
            first_seen[item.intent.id] = item
    paraphrased = {p for p in files if Path(p).parent.name == PARAPHRASES_DIR}
    for path in sorted(paraphrased):
        _join_paraphrases(path, files[path], first_seen, problems, normalised)
    questions = sum(len(item.question_nodes) for item in raw)
    if questions > MAX_QUESTIONS:
        raise KnowledgeError([_too_big(folder, f"{questions:,} questions", MAX_QUESTIONS)])
    owner: dict[str, tuple[str, str, int]] = {}
    for item in raw:
        intent = item.intent
        if intent.kind == "draft":
            continue
        for text, node in item.related_nodes:
            if text == intent.id:
                problems.add(intent.path, node, f"intent {intent.id} lists itself as related")
            elif text not in first_seen and problems.knock_on(text):
                continue  # its file or intent is reported already; one cause, one message
            elif text not in first_seen or first_seen[text].intent.kind == "draft":
                problems.add(
                    intent.path,
                    node,
                    f"intent {intent.id}: related id {quoted(text)} does "
                    "not exist (check the spelling or add that intent)",
                )
    # Curated questions first, so that a paraphrase repeating one is what gets reported.
    nodes = [(item.intent, q) for item in raw if item.intent.kind != "draft" for q in item.question_nodes]
    nodes.sort(key=lambda found: found[1][3] in paraphrased)
    for intent, (_lang, text, node, where) in nodes:
        key = normalised(text)
        other = owner.get(key)
        if other is not None and other[0] != intent.id:
            problems.add(
                where,
                node,
                f"question {quoted(text, 60)} is also in intent {other[0]} ({other[1]}:{other[2]}); "
                "keep it in one intent",
            )
        elif other is None:
            owner[key] = (intent.id, where, node.start_mark.line + 1)
    for path, intent_id, node in fact_refs:
        if intent_id not in first_seen and not problems.knock_on(intent_id):
            problems.add(path, node, f"intent '{intent_id[:40]}' does not exist (check the id)")
    release_path = next((p for p in files if Path(p).name == RELEASE_FILE), "")
    for example in release.examples:
        if example not in first_seen and not problems.knock_on(example):
            problems.add(release_path, 0, f"examples: no intent {quoted(example)} (check the id)")
    if release.topics:
        for item in raw:
            topic = item.intent.topic
            if item.intent.kind in ("fact", "unknown") and topic not in release.topics:
                problems.add(
                    item.intent.path,
                    item.node,
                    f"topic {quoted(topic)} has no reader's name in {RELEASE_FILE} (add it under 'topics:')",
                )
                release = replace(release, topics={**release.topics, topic: {}})  # one message a topic
    if not raw and not problems.items:
        problems.add(folder, 0, "no intents found (expected *.yaml files with 'intents:')")
    if problems.items:
        raise KnowledgeError(problems.lines())
    chosen = [item.intent for item in first_seen.values()]
    return KnowledgeBase(
        intents=tuple(i for i in chosen if i.kind != "draft"),
        synonyms=synonyms.concepts,
        exclusive=synonyms.exclusive,
        drafts=tuple(i for i in chosen if i.kind == "draft"),
        release=release,
        generic=synonyms.generic,
        vague=synonyms.vague,
        facts=facts,
    )


def read_files(directory: Path) -> dict[str, str]:
    """Read every *.yaml / *.yml file of `directory` (and its paraphrases/) as text, keyed by
    its path. Each file is checked before it is read: a regular file inside the folder (a symlink
    may point elsewhere in it), at most MAX_FILE_BYTES; all of them at most MAX_BASE_BYTES."""
    if not directory.is_dir():
        raise KnowledgeMissing(
            [
                f"{directory}:0: not a readable folder of fact files (deleted or renamed?); "
                "the last good version stays in service until it is back"
            ]
        )
    root = directory.resolve()
    found = sorted(
        {
            *directory.glob("*.yaml"),
            *directory.glob("*.yml"),
            *(directory / PARAPHRASES_DIR).glob("*.yaml"),
        }
    )
    if not found:
        raise KnowledgeMissing(
            [
                f"{directory}:0: no fact files here (expected *.yaml files with 'intents:'); "
                "check the folder name or KNOWLEDGE_DIR"
            ]
        )
    if len(found) > MAX_FILES:
        raise KnowledgeError(
            [
                f"{directory}:0: {len(found):,} fact files; at most {MAX_FILES:,} are read "
                "(see README, Limits of the fact base)"
            ]
        )
    problems: list[str] = []
    sizes: dict[Path, int] = {}
    for path in found:
        refused = _refusal(path, root)
        if isinstance(refused, str):
            problems.append(f"{path}:0: {refused}")
        else:
            sizes[path] = refused
    if problems:
        raise KnowledgeError(problems)
    total = sum(sizes.values())
    if total > MAX_BASE_BYTES:
        raise KnowledgeError(
            [
                f"{directory}:0: the fact files hold {total / 1e6:.1f} MB together; at most "
                f"{MAX_BASE_BYTES / 1e6:g} MB are read (see README, Limits of the fact base)"
            ]
        )
    files: dict[str, str] = {}
    for path in found:
        try:
            files[str(path)] = _read_bounded(path, root)
        except UnicodeDecodeError as exc:
            problems.append(f"{path}:1: not UTF-8 text ({exc.reason}); save the file as UTF-8")
        except _Refused as exc:
            problems.append(f"{path}:0: {exc}")
        except OSError as exc:
            problems.append(f"{path}:0: cannot be read ({exc.strerror})")
    if problems:
        raise KnowledgeError(problems)
    return files


class _Refused(Exception):
    """A fact file that is not read (its sentence says why)."""


_OUTSIDE = "is a symlink to a file outside the knowledge folder; refused (copy the file in instead)"
_TOO_LARGE = f"is over the {MAX_FILE_BYTES / 1e6:g} MB a fact file may hold; split it into several files"


def _refusal(path: Path, root: Path) -> int | str:
    """The size of the file at `path` if it may be read, else why not. Nothing is opened, and
    nothing of a file outside the folder is named but its link here."""
    try:
        real = path.resolve(strict=True)
        info = real.stat()
    except (OSError, RuntimeError):  # a dangling link, a loop of links, a file gone meanwhile
        return "cannot be read (a broken symlink, or removed while being read)"
    if not real.is_relative_to(root):
        return _OUTSIDE
    if not stat.S_ISREG(info.st_mode):
        return "is not a regular file (a folder, pipe or device); refused"
    if info.st_size > MAX_FILE_BYTES:
        return _TOO_LARGE
    return info.st_size


def _read_bounded(path: Path, root: Path) -> str:
    """The file's text, read without waiting on a pipe and never beyond MAX_FILE_BYTES (a file
    swapped or grown since `_refusal` looked at it is refused now)."""
    real = path.resolve()
    if not real.is_relative_to(root):
        raise _Refused(_OUTSIDE)
    fd = os.open(real, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise _Refused("is not a regular file (a folder, pipe or device); refused")
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise _Refused(_TOO_LARGE)
    return data.decode("utf-8")


def load(directory: Path) -> KnowledgeBase:
    """Read and validate the fact base in `directory`."""
    return parse(read_files(directory))
