"""The parsed fact base, cached on disk as JSON (bot.knowledge.parsed): a start with unchanged
files loads it, an edit or a damaged file makes it parse again, a broken edit is reported at its
line as ever, and the fact base is the same either way."""

from __future__ import annotations

import functools
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bot.errors import KnowledgeError
from bot.knowledge.cache import SignalsCache
from bot.knowledge.loader import load
from bot.knowledge.model import KnowledgeBase
from bot.knowledge.parsed import ParsedCache, _parsing_code
from bot.knowledge.reload import EngineHolder
from tests.engines import KNOWLEDGE
from tests.knowledge.test_reload import BASE, NEW_ANSWER


@functools.cache
def real() -> KnowledgeBase:
    """The real fact base, parsed (no cache)."""
    return load(KNOWLEDGE)


def cached_file(folder: Path) -> Path:
    (found,) = folder.glob("parsed-*.json")
    return found


def small(tmp_path: Path, text: str = BASE) -> Path:
    """A folder with one fact file of two intents (what the reload tests use)."""
    folder = tmp_path / "knowledge"
    folder.mkdir()
    (folder / "facts.yaml").write_text(text, encoding="utf-8")
    return folder


def test_a_second_start_loads_what_the_first_wrote(tmp_path: Path) -> None:
    """The first load parses the real base and writes it; the next one reads that file (an answer
    changed in it is what it gives) and does not write it again."""
    cache = ParsedCache(tmp_path / "cache")
    assert cache.load(KNOWLEDGE) == real()
    path = cached_file(tmp_path / "cache")
    written = path.stat().st_ino  # a write renames a new file into place; a read only marks it used
    assert cache.load(KNOWLEDGE) == real()
    assert path.stat().st_ino == written
    data = json.loads(path.read_text(encoding="utf-8"))
    data["base"]["intents"][0]["answer"]["v"]["en"] = "Read from the cache."
    path.write_text(json.dumps(data), encoding="utf-8")
    assert cache.load(KNOWLEDGE).intents[0].answer["en"] == "Read from the cache."


def test_the_same_files_in_another_folder_share_one_entry(tmp_path: Path) -> None:
    """A copy of the base (or the same folder named otherwise) loads the cached entry, each intent
    with the path of its file in the folder read now, as a parse of that folder gives."""
    copy = tmp_path / "copy"
    shutil.copytree(KNOWLEDGE, copy)
    cache = ParsedCache(tmp_path / "cache")
    cache.load(KNOWLEDGE)
    loaded = cache.load(copy)
    assert len(list((tmp_path / "cache").glob("parsed-*.json"))) == 1
    assert loaded == load(copy)
    assert all(Path(intent.path).is_relative_to(copy) for intent in loaded.intents)


def _reword(folder: Path) -> None:
    path = folder / "facts.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("On 20 June 2024.", NEW_ANSWER), "utf-8")


def _add_file(folder: Path) -> None:
    (folder / "paraphrases").mkdir()
    (folder / "paraphrases" / "office.yaml").write_text("en:\n  - Since when is there an office?\n", "utf-8")


def _rename(folder: Path) -> None:
    (folder / "facts.yaml").rename(folder / "other.yaml")


@pytest.mark.parametrize(
    "edit",
    [
        pytest.param(_reword, id="answer-reworded"),
        pytest.param(_add_file, id="paraphrases-added"),
        # Same bytes, another name: the intents' paths change, so it is another entry.
        pytest.param(_rename, id="file-renamed"),
    ],
)
def test_an_edited_base_is_parsed_again(tmp_path: Path, edit: Callable[[Path], None]) -> None:
    """After an edit the old entry does not serve: the files are parsed again and cached beside it."""
    folder = small(tmp_path)
    cache = ParsedCache(tmp_path / "cache")
    before = cache.load(folder)
    edit(folder)
    after = cache.load(folder)
    assert after == load(folder) != before
    assert len(list((tmp_path / "cache").glob("parsed-*.json"))) == 2
    assert cache.load(folder) == after


def test_a_broken_edit_is_reported_at_its_line(tmp_path: Path) -> None:
    """A typo after a cached start raises every `path:line` problem a parse reports; nothing of it
    is cached."""
    folder = small(tmp_path)
    cache = ParsedCache(tmp_path / "cache")
    cache.load(folder)
    (folder / "facts.yaml").write_text(BASE.replace("    topic: history", "    topik: history"), "utf-8")
    with pytest.raises(KnowledgeError) as cached:
        cache.load(folder)
    with pytest.raises(KnowledgeError) as parsed:
        load(folder)
    assert cached.value.problems == parsed.value.problems
    assert any(p.startswith(f"{folder / 'facts.yaml'}:18: ") for p in cached.value.problems)
    assert len(list((tmp_path / "cache").glob("parsed-*.json"))) == 1


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _edit(change: Callable[[dict[str, Any]], None]) -> Callable[[Path], None]:
    def rewrite(path: Path) -> None:
        data = json.loads(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(json.dumps(data), encoding="utf-8")

    return rewrite


def _intent(change: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    def of_first(data: dict[str, Any]) -> None:
        change(data["base"]["intents"][0])

    return of_first


@pytest.mark.parametrize(
    "damage",
    [
        # A write cut short (a full disk, a kill before the rename of another tool's copy).
        pytest.param(_truncate, id="truncated"),
        pytest.param(lambda p: p.write_bytes(b"\x00\xff" * 50), id="not-json"),
        pytest.param(lambda p: p.write_text("[1, 2]", encoding="utf-8"), id="json-of-another-shape"),
        pytest.param(_edit(lambda d: d.update(format=0)), id="older-format"),
        pytest.param(_edit(lambda d: d["base"].update({"$": "Exploit"})), id="unknown-type"),
        pytest.param(_edit(_intent(lambda i: i.update(colour="red"))), id="unknown-field"),
        pytest.param(_edit(_intent(lambda i: i.pop("answer"))), id="field-missing"),
        pytest.param(_edit(_intent(lambda i: i.update(path={"$": "file", "v": 7}))), id="no-such-file"),
        pytest.param(
            _edit(_intent(lambda i: i.update(path={"$": "file", "v": -1}))), id="file-number-negative"
        ),
        # Well formed JSON of the wrong types: served, they would fail at a reply.
        pytest.param(_edit(_intent(lambda i: i.update(kind="gossip"))), id="kind-not-a-kind"),
        pytest.param(_edit(_intent(lambda i: i.update(questions=["Who?"]))), id="list-for-a-mapping"),
        pytest.param(_edit(_intent(lambda i: i["answer"]["v"].update(en=42))), id="answer-not-text"),
        pytest.param(_edit(lambda d: d["base"].update(intents="abc")), id="text-for-the-intents"),
    ],
)
def test_a_damaged_file_is_ignored_and_rebuilt(tmp_path: Path, damage: Callable[[Path], None]) -> None:
    """A file that does not fit is not used (parsed again, with a warning) and is replaced by a
    good one."""
    folder = small(tmp_path)
    cache = ParsedCache(tmp_path / "cache")
    fresh = cache.load(folder)
    path = cached_file(tmp_path / "cache")
    damage(path)
    damaged = path.read_bytes()
    assert cache.load(folder) == fresh == load(folder)
    assert path.read_bytes() != damaged
    assert cache.load(folder) == fresh


def test_a_file_other_parsing_code_wrote_is_not_loaded(tmp_path: Path) -> None:
    """The entry is kept under the parsing code's digest: a file of another version of the code
    (the same files) is not read; this version parses and writes its own."""
    folder = small(tmp_path)
    cache = ParsedCache(tmp_path / "cache")
    cache.load(folder)
    written = cached_file(tmp_path / "cache")
    assert written.name.endswith(f"-{_parsing_code()}.json")
    _edit(_intent(lambda i: i["answer"]["v"].update(en="Another code's reading.")))(written)
    written.rename(written.with_name(written.name.replace(_parsing_code(), "0" * 16)))
    assert cache.load(folder).intents[0].answer["en"] == "On 20 June 2024."
    assert len(list((tmp_path / "cache").glob("parsed-*.json"))) == 2


def test_without_a_folder_nothing_is_cached(tmp_path: Path) -> None:
    """ParsedCache(None) (BOT_CACHE_DIR=off) parses every time."""
    folder = small(tmp_path)
    assert ParsedCache(None).load(folder) == load(folder)
    assert list(tmp_path.rglob("parsed-*")) == []


def test_a_reload_reads_the_edited_files(tmp_path: Path) -> None:
    """A holder with a cache folder serves an edit at the next reload, and the version it started
    with again after the edit is undone (from the cache)."""
    folder = small(tmp_path)
    holder = EngineHolder.from_directory(folder, cache=SignalsCache(tmp_path / "cache"))
    _reword(folder)
    assert holder.reload().changed
    assert holder.engine.reply("When was the agreement signed?").text == NEW_ANSWER
    (folder / "facts.yaml").write_text(BASE, encoding="utf-8")
    assert holder.reload().changed
    assert holder.engine.reply("When was the agreement signed?").text == "On 20 June 2024."
    assert len(list((tmp_path / "cache").glob("parsed-*.json"))) == 2
