"""Read knowledge/typed_facts.yaml (typed facts) from composed YAML nodes into `Facts`, reporting each
problem at its line through the loader's `add` (no file access here: the loader reads and composes).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from types import MappingProxyType
from typing import Any

import yaml

from bot.core.lang import LANGS, normalise
from bot.knowledge.model import (
    DEEDS,
    ID_RE,
    ORG_ROLES,
    PLACE_ROLES,
    SOURCES,
    Deed,
    Event,
    Fact,
    FactList,
    Facts,
    OrgRole,
    Person,
    Place,
    PlaceRole,
)

FACTS_FILE = "typed_facts.yaml"
SECTIONS = ("events", "organisations", "people", "places", "lists")
COMMON_KEYS = ("id", "source", "intent", "name", "cues")
EXTRA_KEYS: dict[str, tuple[str, ...]] = {
    "events": ("date", "says"),
    "organisations": ("role",),
    "people": ("organisation", "did"),
    "places": ("role", "inside"),
    "lists": ("items", "of", "timed"),
}
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})-(\d{2}))?$")

# add(node or line, message): one problem at that node's line of typed_facts.yaml.
Add = Callable[[yaml.Node | int, str], None]


def _text(node: yaml.Node | None) -> str | None:
    if isinstance(node, yaml.ScalarNode) and node.tag != "tag:yaml.org,2002:null":
        return str(node.value).strip()
    return None


def _items(node: yaml.MappingNode) -> Iterator[tuple[str, yaml.Node, yaml.Node]]:
    for key_node, value in node.value:
        yield _text(key_node) or "", key_node, value


def _texts(node: yaml.Node, what: str, add: Add) -> list[str]:
    if not isinstance(node, yaml.SequenceNode):
        add(node, f"{what} must be a list, e.g. [a, b]")
        return []
    out = []
    for item in node.value:
        text = _text(item)
        if not text:
            add(item, f"{what}: every entry must be a non-empty text")
        else:
            out.append(text)
    return out


def _per_lang(node: yaml.Node, what: str, add: Add) -> dict[str, str]:
    if not isinstance(node, yaml.MappingNode):
        add(node, f"{what} must map de, en and zh to a text")
        return {}
    out: dict[str, str] = {}
    given: set[str] = set()
    for lang, key_node, value in _items(node):
        given.add(lang)
        text = _text(value)
        if lang not in LANGS:
            add(key_node, f"{what}: unknown language '{lang[:20]}' (use de, en, zh)")
        elif not text:
            add(value, f"{what}: the {lang} text is empty")
        else:
            out[lang] = " ".join(text.split())
    for lang in LANGS:
        if lang not in given:
            add(node, f"{what}: missing language '{lang}'")
    return out


class _Reader:
    """Reads one section's records; collects the intent ids they name for the loader to check."""

    def __init__(self, add: Add) -> None:
        self.add = add
        self.intent_refs: list[tuple[str, yaml.Node]] = []
        self.org_refs: list[tuple[str, yaml.Node]] = []

    def record(self, section: str, node: yaml.Node, *, item: bool = False) -> dict[str, Any] | None:
        """The common fields of one record (with its extra nodes under "extra"), or None."""
        label = f"{section} entry" if not item else "list item"
        if not isinstance(node, yaml.MappingNode):
            keys = "name, cues" if item else "id, source, name, cues, ..."
            self.add(node, f"each {label} must be a mapping ({keys})")
            return None
        allowed = ("name", "cues") if item else COMMON_KEYS + EXTRA_KEYS[section]
        fields: dict[str, yaml.Node] = {}
        for key, key_node, value in _items(node):
            if key not in allowed:
                self.add(key_node, f"{label}: unknown key '{key[:40]}' (allowed: {', '.join(allowed)})")
            elif key in fields:
                self.add(key_node, f"{label}: key '{key}' appears twice")
            else:
                fields[key] = value
        required = ("name", "cues") if item else ("id", "source", "name", "cues")
        record_id = _text(fields.get("id")) or "(no id)"
        missing = [k for k in required if k not in fields]
        for key in missing:
            self.add(node, f"{section} {record_id}: missing key '{key}'")
        if missing:
            return None
        ok = True
        if not item and not ID_RE.match(record_id):
            self.add(fields["id"], f"id '{record_id[:40]}' must be lowercase letters, digits and _ (2-64)")
            ok = False
        sources: list[str] = []
        if "source" in fields:
            for text in _texts(fields["source"], f"{section} {record_id}: source", self.add):
                if text not in SOURCES:
                    self.add(
                        fields["source"],
                        f"{section} {record_id}: source '{text[:20]}' must be one of " + ", ".join(SOURCES),
                    )
                    ok = False
                sources.append(text)
        name = _per_lang(fields["name"], f"{section} {record_id}: name", self.add)
        cues = tuple(
            dict.fromkeys(
                normalise(c) for c in _texts(fields["cues"], f"{section} {record_id}: cues", self.add)
            )
        )
        if not cues or "" in cues:
            self.add(fields["cues"], f"{section} {record_id}: cues need at least one word with letters")
            ok = False
        intent = _text(fields.get("intent"))
        if intent is not None:
            self.intent_refs.append((intent, fields["intent"]))
        if not ok or len(name) < len(LANGS):
            return None
        return {
            "id": record_id if not item else "",
            "name": MappingProxyType(name),
            "cues": cues,
            "source": tuple(sources),
            "intent": intent,
            "line": node.start_mark.line + 1,
            "extra": fields,
        }

    def event(self, node: yaml.Node) -> Event | None:
        base = self.record("events", node)
        if base is None:
            return None
        extra: dict[str, yaml.Node] = base.pop("extra")
        label = f"events {base['id']}"
        if "date" not in extra or "says" not in extra:
            self.add(node, f"{label}: needs 'date' (2024-06-20, or a year: 1995) and 'says'")
            return None
        found = _DATE.match(_text(extra["date"]) or "")
        if found is None:
            self.add(extra["date"], f"{label}: date must be YYYY-MM-DD or a year YYYY")
            return None
        year, month, day = int(found[1]), found[2], found[3]
        if month is not None and day is not None and not (1 <= int(month) <= 12 and 1 <= int(day) <= 31):
            self.add(extra["date"], f"{label}: date {found[0]} is not a real day")
            return None
        says = _per_lang(extra["says"], f"{label}: says", self.add)
        if len(says) < len(LANGS):
            return None
        return Event(
            **base,
            year=year,
            month=int(month) if month else None,
            day=int(day) if day else None,
            says=MappingProxyType(says),
        )

    def organisation(self, node: yaml.Node) -> tuple[Fact, OrgRole] | None:
        base = self.record("organisations", node)
        if base is None:
            return None
        extra: dict[str, yaml.Node] = base.pop("extra")
        role_text = (_text(extra["role"]) or "") if "role" in extra else "party"
        if role_text not in ORG_ROLES:
            label = f"organisations {base['id']}"
            self.add(extra.get("role", node), f"{label}: role must be one of {', '.join(ORG_ROLES)}")
            return None
        role: OrgRole = role_text
        return Fact(**base), role

    def person(self, node: yaml.Node) -> Person | None:
        base = self.record("people", node)
        if base is None:
            return None
        extra: dict[str, yaml.Node] = base.pop("extra")
        label = f"people {base['id']}"
        org = _text(extra.get("organisation"))
        if org is None:
            self.add(node, f"{label}: needs 'organisation' (the id of an entry under organisations)")
            return None
        self.org_refs.append((org, extra["organisation"]))
        did: set[Deed] = set()
        for text in _texts(extra["did"], f"{label}: did", self.add) if "did" in extra else []:
            if text in DEEDS:
                did.add(text)
            else:
                self.add(extra["did"], f"{label}: did '{text[:20]}' must be one of {', '.join(DEEDS)}")
                return None
        return Person(**base, organisation=org, did=frozenset(did))

    def place(self, node: yaml.Node) -> Place | None:
        base = self.record("places", node)
        if base is None:
            return None
        extra: dict[str, yaml.Node] = base.pop("extra")
        label = f"places {base['id']}"
        role_text = _text(extra.get("role")) or ""
        if role_text not in PLACE_ROLES:
            self.add(extra.get("role", node), f"{label}: role must be one of {', '.join(PLACE_ROLES)}")
            return None
        role: PlaceRole = role_text
        inside = (
            tuple(normalise(t) for t in _texts(extra["inside"], f"{label}: inside", self.add))
            if ("inside" in extra)
            else ()
        )
        if role == "within" and not inside:
            self.add(node, f"{label}: a place of role 'within' needs 'inside' (the names it stands in)")
            return None
        return Place(**base, role=role, inside=inside)

    def fact_list(self, node: yaml.Node) -> FactList | None:
        base = self.record("lists", node)
        if base is None:
            return None
        extra: dict[str, yaml.Node] = base.pop("extra")
        label = f"lists {base['id']}"
        items_node = extra.get("items")
        if not isinstance(items_node, yaml.SequenceNode) or not items_node.value:
            self.add(items_node or node, f"{label}: needs 'items', a list of {{name, cues}}")
            return None
        items = []
        for item_node in items_node.value:
            item = self.record("lists", item_node, item=True)
            if item is None:
                return None
            item.pop("extra")
            items.append(Fact(**item))
        of = (
            tuple(normalise(t) for t in _texts(extra["of"], f"{label}: of", self.add))
            if "of" in extra
            else ()
        )
        timed = _text(extra.get("timed")) if "timed" in extra else "false"
        if timed not in ("true", "false"):
            self.add(extra["timed"], f"{label}: timed must be true or false")
            return None
        return FactList(**base, items=tuple(items), of=of, timed=timed == "true")


def parse_facts(root: yaml.Node, add: Add) -> tuple[Facts, list[tuple[str, yaml.Node]]]:
    """The typed facts of a composed typed_facts.yaml and the intent ids they name (for the loader to
    check once every intent is known). Problems go to `add`."""
    if not isinstance(root, yaml.MappingNode):
        add(root, f"{FACTS_FILE} must be a mapping of {', '.join(SECTIONS)}")
        return Facts(), []
    reader = _Reader(add)
    found: dict[str, list[Any]] = {s: [] for s in SECTIONS}
    absent: list[Fact] = []  # organisations of role "absent", kept apart from the parties
    readers: dict[str, Callable[[yaml.Node], Any]] = {
        "events": reader.event,
        "organisations": reader.organisation,
        "people": reader.person,
        "places": reader.place,
        "lists": reader.fact_list,
    }
    for section, key_node, value in _items(root):
        if section not in SECTIONS:
            add(key_node, f"unknown top-level key '{section[:40]}' (allowed: {', '.join(SECTIONS)})")
            continue
        if not isinstance(value, yaml.SequenceNode):
            add(value, f"'{section}' must be a list of entries")
            continue
        seen: dict[str, int] = {}
        for node in value.value:
            record = readers[section](node)
            if record is None:
                continue
            into = found[section]
            if section == "organisations":
                record, role = record
                into = absent if role == "absent" else into
            if record.id in seen:
                add(node, f"{section}: duplicate id '{record.id}' (first at line {seen[record.id]})")
                continue
            seen[record.id] = record.line
            into.append(record)
    org_ids = {o.id for o in found["organisations"]}
    for org, node in reader.org_refs:
        if org not in org_ids:
            add(node, f"organisation '{org[:40]}' is not an id under organisations")
    facts = Facts(
        events=tuple(found["events"]),
        organisations=tuple(found["organisations"]),
        absent_organisations=tuple(absent),
        people=tuple(found["people"]),
        places=tuple(found["places"]),
        lists=tuple(found["lists"]),
    )
    return facts, reader.intent_refs
