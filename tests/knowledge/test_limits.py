"""What a reload may cost: files checked before they are read, a base over the documented size
refused in one line, messages that quote at most a short key and never a file outside the folder.
Real files in tmp_path: symlinks, a fifo, /dev/zero, oversized files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.errors import KnowledgeError
from bot.knowledge.loader import (
    MAX_BASE_BYTES,
    MAX_FILE_BYTES,
    MAX_INTENTS,
    MAX_QUESTIONS,
    QUOTE_CHARS,
    load,
    read_files,
)
from tests.knowledge.test_loader import GOOD

ROOT = Path(__file__).resolve().parents[2]
# What an outside file holds: none of it may reach a message (it once did, as "unknown keys").
SECRET = "root:$6$SECRETHASH:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n"


def folder_with(tmp_path: Path, name: str, make: str) -> tuple[Path, Path]:
    """A knowledge folder holding GOOD and one more entry `name` made as `make` says."""
    folder = tmp_path / "knowledge"
    folder.mkdir()
    (folder / "facts.yaml").write_text(GOOD, encoding="utf-8")
    entry = folder / name
    outside = tmp_path / "outside.yaml"
    outside.write_text(SECRET, encoding="utf-8")
    if make == "symlink-outside":
        entry.symlink_to(outside)
    elif make == "symlink-dev-zero":
        entry.symlink_to("/dev/zero")
    elif make == "fifo":
        os.mkfifo(entry)
    elif make == "folder":
        entry.mkdir()
    elif make == "dangling":
        entry.symlink_to(tmp_path / "nowhere.yaml")
    elif make == "oversized":
        entry.write_text("# " + "x" * MAX_FILE_BYTES + "\n", encoding="utf-8")
    elif make == "symlink-to-outside-folder":
        (tmp_path / "elsewhere").mkdir()
        (tmp_path / "elsewhere" / "p.yaml").write_text(SECRET, encoding="utf-8")
        entry.symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    return folder, entry


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        # /etc/shadow once had 10 of its lines quoted to the admins as "unknown top-level keys".
        pytest.param("shadow.yaml", "symlink-outside", "symlink to a file outside", id="symlink-outside"),
        # Read whole, /dev/zero grew the watcher to 3 GB and killed it.
        pytest.param("zero.yaml", "symlink-dev-zero", "symlink to a file outside", id="dev-zero"),
        # Opening a fifo for reading waits for a writer: the reload would hang.
        pytest.param("pipe.yaml", "fifo", "not a regular file", id="fifo"),
        pytest.param("dir.yaml", "folder", "not a regular file", id="folder-named-yaml"),
        pytest.param("gone.yaml", "dangling", "cannot be read", id="dangling-symlink"),
        pytest.param("big.yaml", "oversized", "is over the 1 MB a fact file may hold", id="oversized"),
        # paraphrases/ as a link out of the folder: each file in it is outside.
        pytest.param(
            "paraphrases", "symlink-to-outside-folder", "symlink to a file outside", id="outside-folder"
        ),
    ],
)
def test_files_are_checked_before_they_are_read(tmp_path: Path, name: str, make: str, message: str) -> None:
    """Special files, symlinks leaving the folder and oversized files are refused with
    `path:0: why`, promptly, and nothing of an outside file appears in the message."""
    folder, entry = folder_with(tmp_path, name, make)
    with pytest.raises(KnowledgeError) as caught:
        read_files(folder)
    [problem] = caught.value.problems
    assert problem.startswith(f"{entry}") and ":0: " in problem and message in problem, problem
    for secret in ("root", "SECRETHASH", "daemon", "outside.yaml", "elsewhere"):
        assert secret not in problem.replace(str(tmp_path), "")


def test_a_symlink_inside_the_folder_is_read(tmp_path: Path) -> None:
    """A link to another file of the same folder (one name for two versions) is fine."""
    folder = tmp_path / "knowledge"
    (folder / "versions").mkdir(parents=True)
    (folder / "versions" / "v2.yaml").write_text(GOOD, encoding="utf-8")
    (folder / "facts.yaml").symlink_to(folder / "versions" / "v2.yaml")
    assert [i.id for i in load(folder).intents] == ["signing_date", "release_date"]


def test_a_file_at_the_limit_is_read(tmp_path: Path) -> None:
    """MAX_FILE_BYTES itself is allowed (the limit is 'at most')."""
    folder = tmp_path / "knowledge"
    folder.mkdir()
    padded = GOOD + "#" * (MAX_FILE_BYTES - len(GOOD.encode()) - 1) + "\n"
    (folder / "facts.yaml").write_text(padded, encoding="utf-8")
    assert len((folder / "facts.yaml").read_bytes()) == MAX_FILE_BYTES
    assert len(read_files(folder)) == 1


def test_the_files_together_are_limited_before_any_is_read(tmp_path: Path) -> None:
    """Files each under the limit but over MAX_BASE_BYTES together: one line for the folder."""
    folder = tmp_path / "knowledge"
    folder.mkdir()
    count = MAX_BASE_BYTES // MAX_FILE_BYTES + 1
    for n in range(count):
        (folder / f"part{n}.yaml").write_text("#" * (MAX_FILE_BYTES - 1) + "\n", encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        read_files(folder)
    assert caught.value.problems == [
        f"{folder}:0: the fact files hold {count * MAX_FILE_BYTES / 1e6:.1f} MB together; at most "
        f"{MAX_BASE_BYTES / 1e6:g} MB are read (see README, Limits of the fact base)"
    ]


def _intents(count: int, questions_each: int) -> str:
    """`count` valid intents with `questions_each` distinct English questions each."""
    out = ["intents:"]
    for i in range(count):
        out.append(
            f"  - id: intent_{i}\n    topic: agreement\n    source: [p1]\n"
            "    answer: {de: a, en: a, zh: a}\n    questions:\n"
            f"      de: [frage {i}]\n      zh: [问题 {i}]\n      en:"
        )
        out.extend(f"        - question {i} number {q}" for q in range(questions_each))
    return "\n".join(out) + "\n"


def run_validate(folder: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "run.py", "validate", str(folder)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("files", "found", "limit"),
    [
        # 100,000 intents once took 2.5 GB to train, and the training failed.
        pytest.param(
            {"many.yaml": _intents(MAX_INTENTS + 1, 1)},
            f"{MAX_INTENTS + 1:,} intents",
            MAX_INTENTS,
            id="intents",
        ),
        # Few intents, too many questions, across files (each well under the file limit).
        pytest.param(
            {
                f"q{n}.yaml": _intents(1, MAX_QUESTIONS // 4).replace("intent_0", f"intent_{n}")
                for n in range(4)
            },
            f"{4 * (MAX_QUESTIONS // 4 + 2):,} questions",  # de and zh add one each
            MAX_QUESTIONS,
            id="questions",
        ),
    ],
)
def test_validate_refuses_a_base_over_the_limit_in_one_line(
    tmp_path: Path, files: dict[str, str], found: str, limit: int
) -> None:
    """`python run.py validate` on a base over the documented size: exit 1, one clear line."""
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    proc = run_validate(tmp_path)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stdout.splitlines() == [
        f"{tmp_path}:0: the fact base has {found}; at most {limit:,} are accepted, to keep training "
        "within about 1 GB (see README, Limits of the fact base)"
    ]


def test_a_base_at_the_intent_limit_loads(tmp_path: Path) -> None:
    """MAX_INTENTS intents are accepted (the limit is 'at most')."""
    (tmp_path / "many.yaml").write_text(_intents(MAX_INTENTS, 1), encoding="utf-8")
    assert len(load(tmp_path).intents) == MAX_INTENTS


LONG = "k" * 1_000  # YAML allows implicit keys up to 1,024 characters


@pytest.mark.parametrize(
    ("old", "new"),
    [
        pytest.param("intents:", f"{LONG}: 1\nintents:", id="top-level-key"),
        pytest.param("    topic: agreement\n", f"    topic: agreement\n    {LONG}: 1\n", id="intent-key"),
        pytest.param("id: signing_date", f"id: {LONG}", id="id"),
        pytest.param("source: [p1]", f"source: [{LONG}]", id="source"),
        pytest.param("related: [release_date]", f"related: [{LONG}]", id="related"),
        pytest.param(
            "        - When was it signed?", f"        - {LONG}\n        - {LONG}", id="repeated-question"
        ),
    ],
)
def test_messages_quote_a_key_cut_short(tmp_path: Path, old: str, new: str) -> None:
    """A message names the offending key or word, cut to QUOTE_CHARS characters, never more."""
    assert old in GOOD
    (tmp_path / "a.yaml").write_text(GOOD.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load(tmp_path)
    assert caught.value.problems
    for problem in caught.value.problems:
        assert "k" * (2 * QUOTE_CHARS) not in problem, problem[:200]
    assert any(f"'{'k' * QUOTE_CHARS}…'" in p or f"'{'k' * 60}…'" in p for p in caught.value.problems)
