"""Validation of fact files: every kind of error is reported as `path:line: message`."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from bot.errors import KnowledgeError
from bot.knowledge.loader import MAX_PROBLEMS_PER_FILE, load, parse

ROOT = Path(__file__).resolve().parents[2]

GOOD = """\
# yaml-language-server: $schema=schema.json
intents:
  - id: signing_date
    topic: agreement
    source: [p1]
    related: [release_date]
    answer:
      de: Am 20. Juni 2024.
      en: On 20 June 2024.
      zh: 2024年6月20日。
    questions:
      de:
        - Wann wurde unterschrieben?
      en:
        - When was it signed?
      zh:
        - 什么时候签的？
  - id: release_date
    topic: agreement
    source: [p1]
    answer:
      de: Am 25. Juni 2024.
      en: On 25 June 2024.
      zh: 2024年6月25日。
    questions:
      de:
        - Wann erschien die Meldung?
      en:
        - When was the release published?
      zh:
        - 新闻稿什么时候发布的？
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems_of(tmp_path: Path) -> list[str]:
    with pytest.raises(KnowledgeError) as info:
        load(tmp_path)
    return info.value.problems


def test_good_file_loads(tmp_path: Path) -> None:
    """A well-formed file gives intents with every language."""
    write(tmp_path, "a.yaml", GOOD)
    kb = load(tmp_path)
    assert [i.id for i in kb.intents] == ["signing_date", "release_date"]
    assert kb.get("signing_date") is not None
    assert kb.get("signing_date").answer["zh"] == "2024年6月20日。"  # type: ignore[union-attr]
    assert kb.get("release_date").questions["en"] == ("When was the release published?",)  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        pytest.param(
            "    topic: agreement\n    source: [p1]\n    related",
            "    topic: agreement\n    sauce: [p1]\n    related",
            5,
            "unknown key 'sauce'",
            id="unknown-key",
        ),
        pytest.param(
            "  - id: release_date\n    topic: agreement\n",
            "  - id: release_date\n",
            18,
            "missing key 'topic'",
            id="missing-key",
        ),
        pytest.param(
            "      zh: 2024年6月20日。\n", "", 7, "answer: missing language 'zh'", id="missing-language"
        ),
        pytest.param(
            "      en: On 20 June 2024.", "      en: ''", 9, "answer.en is empty", id="empty-answer"
        ),
        pytest.param(
            "related: [release_date]",
            "related: [release_dat]",
            6,
            "related id 'release_dat' does not exist",
            id="dangling-related",
        ),
        pytest.param(
            "  - id: release_date",
            "  - id: signing_date",
            18,
            "duplicate id 'signing_date'",
            id="duplicate-id",
        ),
        pytest.param(
            "- When was the release published?",
            "- When was it signed?",
            29,
            "also in intent signing_date",
            id="same-question-two-intents",
        ),
        pytest.param(
            "    source: [p1]\n    related",
            "    source: [p9]\n    related",
            5,
            "source 'p9' must be one of",
            id="bad-source",
        ),
        pytest.param("  - id: signing_date", "  - id: Signing-Date", 3, "must be lowercase", id="bad-id"),
        pytest.param(
            "        - Wann wurde unterschrieben?\n",
            "        - Wann wurde unterschrieben?\n        - wann wurde unterschrieben\n",
            14,
            "repeats line 13",
            id="duplicate-question-same-intent",
        ),
        pytest.param(
            "    answer:\n      de: Am 20.",
            "    answer:\n    de: Am 20.",
            9,
            "YAML syntax error",
            id="yaml-syntax",
        ),
    ],
)
def test_each_error_has_path_and_line(tmp_path: Path, old: str, new: str, line: int, message: str) -> None:
    """Each broken edit yields one line naming the file, the line and what is wrong."""
    assert old in GOOD
    path = write(tmp_path, "facts.yaml", GOOD.replace(old, new, 1))
    problems = problems_of(tmp_path)
    expected = f"{path}:{line}: "
    assert any(p.startswith(expected) and message in p for p in problems), problems


def test_answer_longer_than_telegram_allows(tmp_path: Path) -> None:
    """An answer over 4096 characters is refused with its line."""
    long = "x" * 4097
    path = write(tmp_path, "facts.yaml", GOOD.replace("On 20 June 2024.", long))
    problems = problems_of(tmp_path)
    assert any(p.startswith(f"{path}:9: ") and "4097 characters" in p for p in problems)


def test_problems_across_files_are_all_reported(tmp_path: Path) -> None:
    """A question in two files and a broken second file: every problem at once."""
    write(tmp_path, "a.yaml", GOOD)
    other = write(
        tmp_path,
        "b.yaml",
        """\
        intents:
          - id: other
            topic: misc
            kind: smalltalk
            answer: {de: Hallo, en: Hello, zh: 你好}
            questions:
              de: [Hallo]
              en: ['When was it signed?']
              zh: [你好]
          - id: broken
            topic: misc
            kind: maybe
            answer: {de: a, en: b, zh: c}
            questions: {de: [x1], en: [x2], zh: [x3]}
        """,
    )
    problems = problems_of(tmp_path)
    assert any(p.startswith(f"{other}:8: ") and "also in intent signing_date" in p for p in problems)
    assert any(p.startswith(f"{other}:12: ") and "kind 'maybe'" in p for p in problems)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        pytest.param("", 1, "empty", id="empty-file"),
        pytest.param("- a\n- b\n", 1, "mapping with the key 'intents'", id="top-level-list"),
        pytest.param("intent:\n  - id: x\n", 1, "unknown top-level key 'intent'", id="typo-top-key"),
        pytest.param("intents: hello\n", 1, "'intents' must be a list", id="intents-not-list"),
        pytest.param("intents:\n  - just text\n", 2, "must be a mapping", id="intent-not-mapping"),
        pytest.param("intents: [\n", 2, "YAML syntax error", id="unclosed-bracket"),
    ],
)
def test_file_level_errors(tmp_path: Path, text: str, line: int, message: str) -> None:
    """Structural problems of a whole file point at the right line."""
    path = write(tmp_path, "x.yaml", text)
    problems = problems_of(tmp_path)
    assert any(p.startswith(f"{path}:{line}: ") and message in p for p in problems), problems


def test_synonym_word_in_two_concepts(tmp_path: Path) -> None:
    """The synonyms file may not give one word two meanings."""
    write(tmp_path, "a.yaml", GOOD)
    path = write(tmp_path, "synonyms.yaml", "concepts:\n  sign: [sign, signed]\n  date: [date, Signed]\n")
    problems = problems_of(tmp_path)
    assert any(p.startswith(f"{path}:3: ") and "in concept 'sign'" in p for p in problems)


def test_not_utf8(tmp_path: Path) -> None:
    """A file saved in another encoding is named, not a traceback."""
    (tmp_path / "a.yaml").write_bytes(b"intents:\n  - id: x\xff\n")
    problems = problems_of(tmp_path)
    assert problems and "not UTF-8" in problems[0]


def test_parse_is_pure() -> None:
    """parse() works on texts alone, without any file."""
    kb = parse({"mem.yaml": GOOD})
    assert len(kb.intents) == 2


def run_validate(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "run.py", "validate", *args], cwd=ROOT, capture_output=True, text=True, timeout=60
    )


def test_validate_cli_on_the_real_base() -> None:
    """The shipped fact base is valid and the summary is one line."""
    proc = run_validate()
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("ok: ")
    assert "intents" in lines[0] and "de " in lines[0] and "zh " in lines[0]


def test_validate_cli_on_a_broken_base(tmp_path: Path) -> None:
    """A broken base exits 1 with `path:line: message` lines and no traceback."""
    path = write(tmp_path, "a.yaml", GOOD.replace("topic: agreement", "topik: agreement", 1))
    proc = run_validate(str(tmp_path))
    assert proc.returncode == 1
    assert "Traceback" not in proc.stdout + proc.stderr
    assert proc.stdout.startswith(f"{path}:4: unknown key 'topik'")


def test_validate_cli_on_missing_folder(tmp_path: Path) -> None:
    """A folder that does not exist is one clear line."""
    proc = run_validate(str(tmp_path / "nope"))
    assert proc.returncode == 1
    assert "not a readable folder" in proc.stdout
    assert "Traceback" not in proc.stderr


def test_schema_accepts_every_shipped_file() -> None:
    """knowledge/schema.json agrees with the loader on the real files."""
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((ROOT / "knowledge" / "schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    files = [
        p
        for p in (ROOT / "knowledge").glob("*.yaml")
        # the typed facts have their own schema (tests/knowledge/test_facts.py)
        if p.name not in ("synonyms.yaml", "release.yaml", "typed_facts.yaml")
    ]
    assert files
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# yaml-language-server: $schema=schema.json"), path
        errors = list(validator.iter_errors(yaml.safe_load(text)))
        assert not errors, (path, errors[0].message if errors else "")


def test_schema_rejects_what_the_loader_rejects() -> None:
    """The schema catches an unknown key and a missing language, as validate does."""
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((ROOT / "knowledge" / "schema.json").read_text(encoding="utf-8"))
    doc = yaml.safe_load(GOOD)
    doc["intents"][0]["sauce"] = 1
    del doc["intents"][1]["answer"]["zh"]
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(doc))
    assert len(errors) == 2


# ---- one cause, one message --------------------------------------------------------------------

OTHER = """\
intents:
  - id: witnesses
    topic: people
    source: [p2]
    related: [signing_date, release_date]
    answer:
      de: Zeugen.
      en: Witnesses.
      zh: 见证人。
    questions:
      de:
        - Wer war Zeuge?
      en:
        - Who witnessed it?
      zh:
        - 谁见证了？
"""


@pytest.mark.parametrize(
    ("broken", "first"),
    [
        # a flow list left open: the classic typo; every intent of the file is unreadable
        pytest.param(
            GOOD.replace("source: [p1]\n    related", "source: [p1\n    related", 1),
            "YAML syntax error",
            id="yaml-syntax-error",
        ),
        pytest.param(GOOD.replace("    answer:", "   answer:", 1), "YAML syntax error", id="bad-indentation"),
        pytest.param(
            GOOD.replace("intents:", "intentz:", 1),
            "unknown top-level key 'intentz'",
            id="misspelt-top-level-key",
        ),
    ],
)
def test_a_file_that_does_not_parse_gives_one_message(tmp_path: Path, broken: str, first: str) -> None:
    """Ids of a file that cannot be read are not reported missing from the files that name them."""
    write(tmp_path, "a.yaml", broken)
    write(tmp_path, "b.yaml", OTHER)
    problems = problems_of(tmp_path)
    assert all(p.startswith(str(tmp_path / "a.yaml")) for p in problems), problems
    assert first in problems[0]
    assert not any("does not exist" in p for p in problems)


def test_a_rejected_intent_is_not_reported_again_by_its_relatives(tmp_path: Path) -> None:
    """An intent refused for its own typo is not also 'missing' for the intents that relate to it."""
    write(tmp_path, "a.yaml", GOOD.replace("    topic: agreement", "    topik: agreement", 1))
    write(tmp_path, "b.yaml", OTHER)
    problems = problems_of(tmp_path)
    assert "unknown key 'topik'" in problems[0]
    assert not any("does not exist" in p for p in problems), problems


def test_a_misspelt_related_id_is_still_reported_when_another_file_is_broken(tmp_path: Path) -> None:
    """Only ids written in the broken file are spared; a real typo elsewhere is still named."""
    write(tmp_path, "a.yaml", GOOD.replace("source: [p1]\n    related", "source: [p1\n    related", 1))
    write(tmp_path, "b.yaml", OTHER.replace("release_date]", "relase_date]"))
    problems = problems_of(tmp_path)
    assert len(problems) == 2
    assert "YAML syntax error" in problems[0]
    assert "related id 'relase_date' does not exist" in problems[1]


def test_the_shipped_base_with_one_typo_gives_one_message(tmp_path: Path) -> None:
    """The issue's case: one syntax error in a real fact file used to give 17 lines."""
    for path in (ROOT / "knowledge").glob("*.yaml"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    target = tmp_path / "agreement.yaml"
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("source: [", "source: [[", 1), encoding="utf-8")
    problems = problems_of(tmp_path)
    assert len(problems) == 1 and problems[0].startswith(f"{target}:"), problems


@pytest.mark.parametrize(
    "files",
    [
        pytest.param({}, id="empty-folder"),
        pytest.param({"notes.txt": "intents: []"}, id="only-other-files"),
    ],
)
def test_validate_a_folder_without_fact_files_says_so(tmp_path: Path, files: dict[str, str]) -> None:
    """`validate DIR` on a folder with no *.yaml says so and exits 1."""
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    proc = run_validate(str(tmp_path))
    assert proc.returncode == 1
    assert (
        proc.stdout == f"{tmp_path}:0: no fact files here (expected *.yaml files with 'intents:'); "
        "check the folder name or KNOWLEDGE_DIR\n"
    )
    assert "Traceback" not in proc.stderr


# ---- bounded reports (alias amplification, capped problem lists) ------------------------------


def _intent(i: int, questions: str) -> str:
    return (
        f"  - id: dup_{i}\n    topic: agreement\n    source: [p1]\n"
        f"    answer: {{de: a, en: a, zh: a}}\n    questions:\n{questions}"
    )


@pytest.mark.parametrize(
    ("questions", "intents", "refused"),
    [
        # The probe of issue 11: 500 questions under 200 intents, 300,000 entries expanded.
        pytest.param(500, 200, True, id="probe-500x200"),
        pytest.param(10, 2, False, id="small-reuse-is-fine"),
        # Just over the limit: 3,400 added entries per 1,000-question intent, 3 intents.
        pytest.param(1000, 4, True, id="just-over"),
    ],
)
def test_alias_amplification_is_refused_with_path_and_line(
    tmp_path: Path, questions: int, intents: int, refused: bool
) -> None:
    """A file that grows by more than MAX_ALIAS_NODES through aliases gets one `path:line`
    message naming the alias, and nothing else is checked in it."""
    from tests.fakes.amplified_yaml import amplified

    path = tmp_path / "amp.yaml"
    path.write_text(amplified(questions, intents), encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load(tmp_path)
    lines = caught.value.problems
    if refused:
        assert len(lines) == 1, lines[:3]
        assert re.match(rf"^{re.escape(str(path))}:\d+: the alias \*q makes this file", lines[0])
        line = int(lines[0].split(":")[1])
        assert "*q" in path.read_text().splitlines()[line - 1]
    else:
        assert not any("the alias *q" in line for line in lines)


def test_problems_are_capped_per_file_with_a_count_of_the_rest(tmp_path: Path) -> None:
    """200 intents repeating one question, written out (no aliases): 25 lines for the file and
    one line counting the rest, instead of hundreds."""
    block = "      de: [gleich]\n      en: [same]\n      zh: [同样]\n"
    text = "intents:\n" + "".join(_intent(i, block) for i in range(200))
    (tmp_path / "dups.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load(tmp_path)
    lines = caught.value.problems
    assert len(lines) == MAX_PROBLEMS_PER_FILE + 1
    assert re.search(r"dups\.yaml:\d+: \.\.\. and 572 more problems in this file", lines[-1])


def test_a_mis_indented_list_item_is_reported_not_merged(tmp_path: Path) -> None:
    """Items indented deeper than the one above fold into one question ("A - B - C"): reported
    at that question's line, not accepted as one long question."""
    text = GOOD.replace(
        "        - When was it signed?\n",
        "        - When was it signed?\n          - On what day?\n          - Signing date?\n",
    )
    write(tmp_path, "a.yaml", text)
    [problem] = problems_of(tmp_path)
    line = text.splitlines().index("        - When was it signed?") + 1
    assert problem.startswith(f"{tmp_path / 'a.yaml'}:{line}: intent signing_date: question")
    assert "holds ' - ' items" in problem


def test_a_question_with_a_dash_on_one_line_is_fine(tmp_path: Path) -> None:
    """A dash inside a one-line question is the asker's, not a merged list."""
    write(tmp_path, "a.yaml", GOOD.replace("When was it signed?", "Signing - when was it?"))
    assert load(tmp_path).get("signing_date") is not None


PARAPHRASES = """\
de:
  - Wann war das Signing?
en:
  - when did they ink the deal
  - When was it signed?
zh:
  - 何時簽署的
"""


def test_paraphrases_join_their_intent_after_the_curated_questions(tmp_path: Path) -> None:
    """paraphrases/<id>.yaml adds questions after the curated ones (the label stays first); one
    already curated is not added twice."""
    write(tmp_path, "a.yaml", GOOD)
    (tmp_path / "paraphrases").mkdir()
    write(tmp_path / "paraphrases", "signing_date.yaml", PARAPHRASES)
    intent = load(tmp_path).get("signing_date")
    assert intent is not None
    assert intent.questions["en"] == ("When was it signed?", "when did they ink the deal")
    assert intent.questions["zh"] == ("什么时候签的？", "何時簽署的")
    assert intent.example("de") == "Wann wurde unterschrieben?"


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        pytest.param(
            "nosuch.yaml", PARAPHRASES, "paraphrases/nosuch.yaml:1: no intent 'nosuch'", id="unknown-id"
        ),
        pytest.param(
            "signing_date.yaml",
            "fr:\n  - Quand?\n",
            "paraphrases/signing_date.yaml:1: unknown language 'fr'",
            id="lang",
        ),
        # The same wording in two intents is ambiguous training data: one place only.
        pytest.param(
            "signing_date.yaml",
            "en:\n  - When was the release published?\n",
            "paraphrases/signing_date.yaml:2: question 'When was the release published?' "
            "is also in intent release_date",
            id="other-intent",
        ),
    ],
)
def test_paraphrase_problems_name_their_file_and_line(
    tmp_path: Path, name: str, text: str, expected: str
) -> None:
    """A paraphrase file for no intent, in another language or repeating another intent's question."""
    write(tmp_path, "a.yaml", GOOD)
    (tmp_path / "paraphrases").mkdir()
    write(tmp_path / "paraphrases", name, text)
    problems = problems_of(tmp_path)
    assert any(p.startswith(f"{tmp_path}/{expected}") for p in problems), problems


def test_every_fact_intent_has_paraphrases_in_every_language() -> None:
    """The shipped base trains on at least 30 paraphrases per fact intent and language."""
    base = load(ROOT / "knowledge")
    for intent in base.intents:
        if intent.kind != "fact":
            continue
        path = ROOT / "knowledge" / "paraphrases" / f"{intent.id}.yaml"
        extra = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert all(len(extra[lang]) >= 30 for lang in ("de", "en", "zh")), intent.id


@pytest.mark.parametrize(
    ("points", "problem"),
    [
        pytest.param("points:\n  de: Ein Punkt\n", ":2: points.de must be a list", id="text-not-list"),
        pytest.param("points:\n  fr:\n    - Un point\n", ":2: points: unknown key 'fr'", id="language"),
    ],
)
def test_a_malformed_list_of_key_points_is_reported_at_its_line(
    tmp_path: Path, points: str, problem: str
) -> None:
    """release.yaml's key points (a summary asked for "in three bullets") are a list per language."""
    write(tmp_path, "a.yaml", GOOD)
    write(tmp_path, "release.yaml", points)
    problems = problems_of(tmp_path)
    assert problems[0].startswith(str(tmp_path / "release.yaml") + problem), problems


def test_key_points_load_in_their_order(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", GOOD)
    write(tmp_path, "release.yaml", "points:\n  en:\n    - First.\n    - Second.\n")
    assert load(tmp_path).release.points == {"en": ("First.", "Second.")}
