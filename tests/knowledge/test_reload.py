"""Hot reload: valid edits are swapped in whole, broken edits never served, the watcher notices."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest

from bot.knowledge.loader import parse
from bot.knowledge.reload import EngineHolder, ReloadResult, diff, watch

BASE = """\
# yaml-language-server: $schema=schema.json
intents:
  - id: signing_date
    topic: agreement
    source: [p1]
    answer:
      de: Am 20. Juni 2024.
      en: On 20 June 2024.
      zh: 2024年6月20日。
    questions:
      de:
        - Wann wurde unterschrieben?
      en:
        - When was the agreement signed?
      zh:
        - 协议什么时候签的？
  - id: office
    topic: history
    source: [p4]
    answer:
      de: 1996 eröffnete Siemens ein Büro in Chongqing.
      en: Siemens opened an office in Chongqing in 1996.
      zh: 西门子于1996年在重庆设立办事处。
    questions:
      de:
        - Wann wurde das Büro eröffnet?
      en:
        - When did the office open?
      zh:
        - 办事处什么时候成立的？
"""
NEW_ANSWER = "On 20 June 2024, in Chongqing's presence of the witnesses."


def make(tmp_path: Path, text: str = BASE) -> Path:
    path = tmp_path / "facts.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_diff_names_added_removed_edited() -> None:
    """The reload log says which intents changed."""
    old = parse({"a.yaml": BASE})
    edited = BASE.replace("On 20 June 2024.", NEW_ANSWER)
    without_office = edited[: edited.index("  - id: office")]
    change = diff(old, parse({"a.yaml": without_office}))
    assert change.edited == ("signing_date",) and change.removed == ("office",)
    assert change.added == () and "removed 1: office" in change.summary()
    assert not diff(old, parse({"b.yaml": BASE}))


def test_valid_edit_is_swapped_in(tmp_path: Path) -> None:
    """After an edit, reload() serves the new answer; an unchanged folder is a no-op."""
    path = make(tmp_path)
    holder = EngineHolder.from_directory(tmp_path)
    assert holder.reload().changed is False
    before = holder.engine
    path.write_text(BASE.replace("On 20 June 2024.", NEW_ANSWER), encoding="utf-8")
    result = holder.reload()
    assert result.ok and result.changed and result.diff.edited == ("signing_date",)
    assert holder.engine is not before
    assert holder.engine.reply("When was the agreement signed?").text == NEW_ANSWER


def test_broken_edit_keeps_the_last_good_base(tmp_path: Path) -> None:
    """A typo is reported with path:line once per broken version; the old answers stay."""
    path = make(tmp_path)
    holder = EngineHolder.from_directory(tmp_path)
    path.write_text(BASE.replace("    topic: history", "    topik: history"), encoding="utf-8")
    first = holder.reload()
    assert not first.ok and first.first_report
    assert any(p.startswith(f"{path}:18: ") and "unknown key 'topik'" in p for p in first.problems)
    assert holder.reload().first_report is False  # same broken version: not reported again
    assert "20 June 2024" in holder.engine.reply("When was the agreement signed?").text
    # Fixing the file brings the new version in.
    path.write_text(BASE.replace("On 20 June 2024.", NEW_ANSWER), encoding="utf-8")
    fixed = holder.reload()
    assert fixed.ok and fixed.changed
    assert holder.engine.reply("When was the agreement signed?").text == NEW_ANSWER


def test_removed_folder_keeps_serving(tmp_path: Path) -> None:
    """Deleting the knowledge folder is a broken version, not an outage."""
    folder = tmp_path / "kb"
    folder.mkdir()
    make(folder)
    holder = EngineHolder.from_directory(folder)
    (folder / "facts.yaml").unlink()
    folder.rmdir()
    result = holder.reload()
    assert not result.ok and "not a readable folder" in result.problems[0]
    assert holder.engine.reply("When did the office open?").answered


def test_burst_during_reloads_sees_old_or_new_never_half(tmp_path: Path) -> None:
    """Replies during repeated swaps come from a whole old or a whole new base."""
    path = make(tmp_path)
    holder = EngineHolder.from_directory(tmp_path)
    texts = [BASE, BASE.replace("On 20 June 2024.", NEW_ANSWER)]
    stop = threading.Event()
    errors: list[BaseException] = []

    def edit_loop() -> None:
        n = 0
        try:
            while not stop.is_set():
                n += 1
                path.write_text(texts[n % 2], encoding="utf-8")
                holder.reload()
        except BaseException as exc:
            errors.append(exc)

    editor = threading.Thread(target=edit_loop)
    editor.start()
    seen = set()
    try:
        for _ in range(400):
            reply = holder.engine.reply("When was the agreement signed?")
            assert reply.answered
            seen.add(reply.text)
    finally:
        stop.set()
        editor.join()
    assert not errors
    assert seen <= {"On 20 June 2024.", NEW_ANSWER}


async def test_watcher_reloads_edits_and_reports_broken_ones(tmp_path: Path) -> None:
    """The file watcher notices an edit within seconds, and a broken edit with its line."""
    path = make(tmp_path)
    holder = EngineHolder.from_directory(tmp_path)
    results: asyncio.Queue[ReloadResult] = asyncio.Queue()

    async def on_result(result: ReloadResult) -> None:
        await results.put(result)

    stop = asyncio.Event()
    task = asyncio.create_task(watch(holder, on_result, debounce_s=0.1, stop=stop))
    try:
        await asyncio.sleep(0.5)  # let the watcher start
        path.write_text(BASE.replace("On 20 June 2024.", NEW_ANSWER), encoding="utf-8")
        result = await asyncio.wait_for(results.get(), timeout=15)
        assert result.ok and result.diff.edited == ("signing_date",)
        assert holder.engine.reply("When was the agreement signed?").text == NEW_ANSWER
        path.write_text(BASE.replace("source: [p4]", "source: [p9]"), encoding="utf-8")
        broken = await asyncio.wait_for(results.get(), timeout=15)
        assert not broken.ok and any(f"{path}:19: " in p for p in broken.problems)
        assert holder.engine.reply("When was the agreement signed?").text == NEW_ANSWER
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=10)


@pytest.mark.parametrize("bad", ["", "intents: [", "\x00"])
def test_from_directory_refuses_a_broken_start(tmp_path: Path, bad: str) -> None:
    """Start-up with a broken base fails (the caller prints the problems and exits 1)."""
    from bot.errors import KnowledgeError

    make(tmp_path, bad)
    with pytest.raises(KnowledgeError):
        EngineHolder.from_directory(tmp_path)


def test_a_broken_edit_is_reported_again_after_a_return_to_the_good_version(tmp_path: Path) -> None:
    """Typo, fix back, the same typo again: the second typo is news again, not silenced."""
    path = make(tmp_path)
    holder = EngineHolder.from_directory(tmp_path)
    broken = BASE.replace("source: [p4]", "source: [p9]")
    path.write_text(broken, encoding="utf-8")
    assert holder.reload().first_report
    path.write_text(BASE, encoding="utf-8")
    assert holder.reload().ok
    path.write_text(broken, encoding="utf-8")
    assert holder.reload().first_report


async def test_the_watcher_reports_a_broken_edit_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """One broken edit reaches the caller once, and the holder does not also print its problems
    (the console used to show them twice: from on_result and from a logged warning)."""
    import logging

    caplog.set_level(logging.DEBUG)
    path = make(tmp_path)
    holder = EngineHolder.from_directory(tmp_path)
    results: list[ReloadResult] = []

    async def on_result(result: ReloadResult) -> None:
        results.append(result)

    stop = asyncio.Event()
    task = asyncio.create_task(watch(holder, on_result, debounce_s=0.1, stop=stop))
    try:
        await asyncio.sleep(0.5)  # let the watcher start
        path.write_text(BASE.replace("source: [p4]", "source: [p9]"), encoding="utf-8")
        for _ in range(100):
            await asyncio.sleep(0.05)
            if results:
                break
        (tmp_path / "facts.yaml").touch()  # the same broken version seen again: not news
        await asyncio.sleep(1.0)
    finally:
        stop.set()
        await asyncio.wait_for(task, timeout=10)
    assert len(results) == 1 and not results[0].ok
    (problem,) = results[0].problems
    assert "source 'p9'" in problem
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name == "bot.knowledge.reload")
    assert "source 'p9'" not in logged
    loud = [r for r in caplog.records if r.name == "bot.knowledge.reload" and r.levelno >= logging.WARNING]
    assert not loud
