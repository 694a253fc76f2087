"""review promote: a logged query lands in the right intent, every other byte stays as it was."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.core.engine import Engine
from bot.knowledge.loader import load
from bot.knowledge.promote import PromoteError, add_question, new_intent

ROOT = Path(__file__).resolve().parents[2]

FILE = """\
# yaml-language-server: $schema=schema.json
# Dates of the release.   (a comment with odd  spacing that must survive)
intents:
  - id: signing_date   # the signing
    topic: agreement
    source: [p1]
    answer:
      de: Am 20. Juni 2024.
      en: >-
        On 20 June
        2024.
      zh: 2024年6月20日。
    questions:
      de:
        - Wann wurde unterschrieben?
        # keep this comment between items
        - "Unterzeichnungsdatum?"
      en: [When was it signed, 'Signing date?']
      zh:
        - 协议什么时候签的？

  - id: office
    topic: history
    source: [p4]
    answer: {de: Büro 1996., en: Office 1996., zh: 1996年办事处。}
    questions:
      de:
      - Wann wurde das Büro eröffnet?
      en:
      - When did the office open?
      zh:
      - 办事处什么时候成立的？
"""


@pytest.fixture()
def kb_dir(tmp_path: Path) -> Path:
    (tmp_path / "facts.yaml").write_text(FILE, encoding="utf-8")
    return tmp_path


def inserted_lines(before: str, after: str) -> list[str]:
    """The lines of `after` that are not in `before`, asserting nothing else changed."""
    old, new = before.splitlines(keepends=True), after.splitlines(keepends=True)
    added = [line for line in new if line not in old or new.count(line) > old.count(line)]
    for line in added:
        new.remove(line)
    assert new == old, "bytes outside the inserted lines changed"
    return added


@pytest.mark.parametrize(
    ("query", "intent", "lang", "expected_line"),
    [
        # After the last item, past the comment between items, same indentation.
        pytest.param(
            "Wann genau war die Unterzeichnung",
            "signing_date",
            "de",
            "        - Wann genau war die Unterzeichnung\n",
            id="block-list",
        ),
        # A list indented without the usual two spaces keeps its own style.
        pytest.param(
            "Seit wann gibt es das Büro",
            "office",
            "de",
            "      - Seit wann gibt es das Büro\n",
            id="zero-indent-list",
        ),
        # A colon needs quotes or YAML would read a mapping.
        pytest.param(
            "Büro: wann eröffnet?", "office", "de", '      - "Büro: wann eröffnet?"\n', id="needs-quotes"
        ),
        pytest.param("办事处哪年开的", "office", "zh", "      - 办事处哪年开的\n", id="chinese"),
    ],
)
def test_add_to_block_list(kb_dir: Path, query: str, intent: str, lang: str, expected_line: str) -> None:
    """One line is inserted; the file still validates and the new question is served."""
    path = kb_dir / "facts.yaml"
    done = add_question(kb_dir, query, intent, lang)
    after = path.read_text(encoding="utf-8")
    assert inserted_lines(FILE, after) == [expected_line]
    assert after.splitlines(keepends=True)[done.line - 1] == expected_line
    kb = load(kb_dir)
    assert query in kb.get(intent).questions[lang]  # type: ignore[union-attr]
    assert Engine(kb).reply(query).intent == intent


def test_add_to_flow_list(kb_dir: Path) -> None:
    """A [a, b] list gets ", c" before its bracket and nothing else moves."""
    path = kb_dir / "facts.yaml"
    add_question(kb_dir, "what day was the deal done", "signing_date", "en")
    after = path.read_text(encoding="utf-8")
    assert after == FILE.replace("'Signing date?']", "'Signing date?', what day was the deal done]")


@pytest.mark.parametrize(
    ("query", "intent", "message"),
    [
        pytest.param(
            "wann wurde unterschrieben",
            "signing_date",
            "already a question",
            id="duplicate-after-normalising",
        ),
        pytest.param("Wer war Zeuge?", "witnesses", "no intent 'witnesses'", id="unknown-intent"),
        pytest.param("?!", "office", "no letters", id="empty-query"),
    ],
)
def test_refusals_leave_the_file_alone(kb_dir: Path, query: str, intent: str, message: str) -> None:
    """A promote that cannot be done says why and changes no byte."""
    with pytest.raises(PromoteError, match=message):
        add_question(kb_dir, query, intent, "de")
    assert (kb_dir / "facts.yaml").read_text(encoding="utf-8") == FILE


def test_new_intent_is_a_draft_not_served(kb_dir: Path) -> None:
    """--new writes a skeleton draft into <topic>.yaml; it validates and is not answered yet."""
    done = new_intent(kb_dir, "Gibt es einen Livestream der Unterzeichnung?", "livestream", "events", "de")
    assert done.path == kb_dir / "events.yaml"
    kb = load(kb_dir)
    assert [d.id for d in kb.drafts] == ["livestream"]
    assert kb.get("livestream") is None
    assert "1 draft(s) not served" in kb.summary()
    # A second draft in the same topic file is appended below, the first kept byte for byte.
    first = (kb_dir / "events.yaml").read_text(encoding="utf-8")
    new_intent(kb_dir, "Is there a recording?", "recording", "events", "en")
    assert (kb_dir / "events.yaml").read_text(encoding="utf-8").startswith(first)
    assert [d.id for d in load(kb_dir).drafts] == ["livestream", "recording"]


def test_cli_promote(kb_dir: Path) -> None:
    """`python run.py review promote` works end to end and reports path:line."""
    env = {**os.environ, "KNOWLEDGE_DIR": str(kb_dir)}
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "run.py"),
            "review",
            "promote",
            "When exactly did they sign?",
            "--to",
            "signing_date",
        ],
        cwd=kb_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"added to signing_date (en) at {kb_dir / 'facts.yaml'}:" in proc.stdout
    proc = subprocess.run(
        [sys.executable, str(ROOT / "run.py"), "review", "promote", "x", "--to", "nope"],
        cwd=kb_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1 and "no intent 'nope'" in proc.stderr and not proc.stdout
