"""knowledge/typed_facts.yaml: typed facts read into records, and every mistake reported as
`path:line: message` (each line of FACTS is the place a mistake is made below)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from bot.errors import KnowledgeError
from bot.knowledge.loader import load, parse
from bot.knowledge.model import Deed

ROOT = Path(__file__).resolve().parents[2]

INTENTS = """\
intents:
  - id: signing_date
    topic: agreement
    source: [p1]
    answer: {de: Am 20. Juni 2024., en: On 20 June 2024., zh: 2024年6月20日。}
    questions: {de: [Wann?], en: [When?], zh: [何时？]}
"""

FACTS = """\
events:
  - id: signing
    source: [p1]
    intent: signing_date
    date: 2024-06-20
    name: {de: die Unterzeichnung, en: the signing, zh: 签约}
    says: {de: Es wird unterzeichnet., en: It is signed., zh: 签约。}
    cues: [sign, 签]
organisations:
  - id: acme
    source: [p1]
    name: {de: Acme, en: Acme, zh: 阿克米}
    cues: [acme]
people:
  - id: jane_doe
    source: [p2]
    organisation: acme
    did: [signed]
    name: {de: Jane Doe, en: Jane Doe, zh: 简}
    cues: [jane]
places:
  - id: hub_city
    source: [p4]
    role: within
    inside: [twin hub]
    name: {de: Nebenstadt, en: Side City, zh: 旁城}
    cues: [side city]
lists:
  - id: areas
    source: [p1]
    name: {de: Bereiche, en: areas, zh: 领域}
    cues: [area]
    items:
      - name: {de: Digitales, en: digital, zh: 数字}
        cues: [digital]
"""


def _load(facts: str) -> list[str]:
    try:
        parse({"k/agreement.yaml": INTENTS, "k/typed_facts.yaml": facts})
    except KnowledgeError as exc:
        return exc.problems
    return []


def test_an_absent_organisation_is_kept_apart_from_the_parties() -> None:
    """An organisation of role "absent" (one the release never names) is no party; "party" is the
    default; another role is reported at its line."""
    absent = "    cues: [acme]\n  - id: rival\n    source: [p1]\n    role: absent\n"
    absent += "    name: {de: Rivale, en: Rival, zh: 对手}\n    cues: [rival]\n"
    facts = parse(
        {"k/agreement.yaml": INTENTS, "k/typed_facts.yaml": FACTS.replace("    cues: [acme]\n", absent)}
    ).facts
    assert [o.id for o in facts.organisations] == ["acme"]
    assert [o.id for o in facts.absent_organisations] == ["rival"]
    problems = _load(FACTS.replace("    cues: [acme]\n", absent.replace("role: absent", "role: rival")))
    assert any(p.startswith("k/typed_facts.yaml:16: ") and "role must be one of" in p for p in problems), (
        problems
    )


def test_good_facts_load() -> None:
    """Every section becomes typed records: a full date, a person's deeds, a place's role, items."""
    facts = parse({"k/agreement.yaml": INTENTS, "k/typed_facts.yaml": FACTS}).facts
    assert (facts.events[0].year, facts.events[0].month, facts.events[0].day) == (2024, 6, 20)
    assert facts.people[0].did == frozenset({"signed"}) and facts.people[0].organisation == "acme"
    assert facts.places[0].role == "within" and facts.places[0].inside == ("twin hub",)
    assert [i.name["en"] for i in facts.lists[0].items] == ["digital"]


@pytest.mark.parametrize(
    ("deed", "organisation", "ids"),
    [
        pytest.param("signed", None, ["jane_doe", "john_roe"], id="signed"),
        pytest.param("signed", "acme", ["jane_doe"], id="signed-of-one-organisation"),
        pytest.param("witnessed", None, ["john_roe"], id="witnessed"),
        # near misses: nobody of that organisation, or of that deed
        pytest.param("witnessed", "acme", [], id="none-of-the-organisation"),
        pytest.param("quoted", None, [], id="no-one-quoted"),
    ],
)
def test_the_doers_of_a_deed(deed: Deed, organisation: str | None, ids: list[str]) -> None:
    """Who did a deed (of one organisation): the one answer every check of "who did X" shares."""
    other = "  - id: john_roe\n    source: [p2]\n    organisation: city\n    did: [signed, witnessed]\n"
    other += "    name: {de: John Roe, en: John Roe, zh: 约翰}\n    cues: [john]\nplaces:\n"
    city = "    cues: [acme]\n  - id: city\n    source: [p1]\n    name: {de: Stadt, en: City, zh: 城}\n"
    city += "    cues: [city]\n"
    text = FACTS.replace("places:\n", other, 1).replace("    cues: [acme]\n", city, 1)
    facts = parse({"k/agreement.yaml": INTENTS, "k/typed_facts.yaml": text}).facts
    assert [p.id for p in facts.doers(deed, organisation)] == ids


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        pytest.param(
            "    date: 2024-06-20", "    date: June 2024", 5, "date must be YYYY-MM-DD", id="bad-date"
        ),
        pytest.param(
            "    date: 2024-06-20", "    date: 2024-13-40", 5, "is not a real day", id="no-such-day"
        ),
        pytest.param(
            "    intent: signing_date",
            "    intent: signing_day",
            4,
            "intent 'signing_day' does not exist",
            id="unknown-intent",
        ),
        pytest.param(
            "    organisation: acme",
            "    organisation: acne",
            17,
            "organisation 'acne' is not an id",
            id="unknown-organisation",
        ),
        pytest.param(
            "    did: [signed]", "    did: [sang]", 18, "did 'sang' must be one of", id="unknown-deed"
        ),
        pytest.param("    role: within", "    role: nearby", 24, "role must be one of", id="unknown-role"),
        pytest.param("    inside: [twin hub]\n", "", 22, "needs 'inside'", id="within-without-inside"),
        pytest.param(
            "    source: [p2]", "    source: [p9]", 16, "source 'p9' must be one of", id="bad-source"
        ),
        pytest.param(
            "    name: {de: Acme, en: Acme, zh: 阿克米}",
            "    name: {de: Acme, en: Acme}",
            12,
            "missing language 'zh'",
            id="missing-language",
        ),
        pytest.param(
            "    cues: [jane]", "    cues: [jane]\n    cue: [doe]", 21, "unknown key 'cue'", id="unknown-key"
        ),
        pytest.param("  - id: jane_doe", "  - id: Jane", 15, "must be lowercase", id="bad-id"),
        pytest.param("lists:", "list:", 28, "unknown top-level key 'list'", id="unknown-section"),
        pytest.param(
            "      - name: {de: Digitales, en: digital, zh: 数字}\n        cues: [digital]\n",
            "      - x\n",
            34,
            "list item must be a mapping",
            id="bad-item",
        ),
        pytest.param(
            "    cues: [area]\n",
            "    cues: [area]\n    timed: sometimes\n",
            33,
            "timed must be true or false",
            id="timed",
        ),
    ],
)
def test_each_mistake_has_path_and_line(old: str, new: str, line: int, message: str) -> None:
    """A mistake in typed_facts.yaml is reported at its line, naming what to fix."""
    assert old in FACTS
    problems = _load(FACTS.replace(old, new, 1))
    assert any(p.startswith(f"k/typed_facts.yaml:{line}: ") and message in p for p in problems), problems


def test_a_duplicate_id_names_the_first() -> None:
    """Two events with one id: the second is reported with the line of the first."""
    second = FACTS.split("organisations:")[0].replace("events:\n", "")
    problems = _load(FACTS.replace("organisations:", second + "organisations:", 1))
    assert any("duplicate id 'signing' (first at line 2)" in p for p in problems), problems


def test_the_shipped_facts_load_and_name_their_intents() -> None:
    """knowledge/typed_facts.yaml loads, and every intent it names exists."""
    kb = load(ROOT / "knowledge")
    assert kb.facts.events and kb.facts.people and kb.facts.lists
    named = [f.intent for f in (*kb.facts.events, *kb.facts.people, *kb.facts.lists) if f.intent]
    assert all(kb.get(i) is not None for i in named)


def test_facts_schema_accepts_the_shipped_file_and_rejects_a_typo() -> None:
    """knowledge/typed_facts.schema.json agrees with the loader on the shipped file and a wrong key."""
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((ROOT / "knowledge" / "typed_facts.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    text = (ROOT / "knowledge" / "typed_facts.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=typed_facts.schema.json")
    doc = yaml.safe_load(text)
    for event in doc["events"]:
        event["date"] = str(event["date"])  # YAML reads a full date as a date; the loader as text
    assert not list(validator.iter_errors(doc))
    doc["people"][0]["did"] = ["sang"]
    assert list(validator.iter_errors(doc))


def test_a_list_may_be_timed() -> None:
    """`timed: true`: its items happened over time ("the first project" may mean the earliest)."""
    timed = FACTS.replace("    cues: [area]\n", "    cues: [area]\n    timed: true\n", 1)
    facts = parse({"k/agreement.yaml": INTENTS, "k/typed_facts.yaml": timed}).facts
    assert [f.timed for f in facts.lists] == [True]
    assert [
        f.timed for f in parse({"k/agreement.yaml": INTENTS, "k/typed_facts.yaml": FACTS}).facts.lists
    ] == [False]
