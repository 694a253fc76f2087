"""Hot reload: valid edits are swapped in whole, broken edits never served, the watcher notices."""

from __future__ import annotations

import asyncio
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.core.training import Measured, Signals
from bot.errors import TrainingStopped
from bot.knowledge.cache import SignalsCache
from bot.knowledge.loader import parse
from bot.knowledge.model import KnowledgeBase
from bot.knowledge.reload import EngineHolder, Quiet, ReloadResult, diff, watch

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
TEAMS = (
    "alpha bravo charlie delta echo foxtrot golf hotel india juliet "
    "kilo lima mike november oscar papa quebec romeo sierra tango"
).split()


def teams_base(*extra: str) -> str:
    """A base of 20 intents of 9 questions (180 alternatives: enough to calibrate, and 1 % of it
    is 1.8); `extra`: English questions added to the first."""
    lines = ["intents:"]
    for team, zh in zip(TEAMS, "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉", strict=True):
        en = [
            f"When does the {team} team meet?",
            f"Who leads the {team} team?",
            f"Where is the {team} team based?",
        ]
        de = [
            f"Wann trifft sich das Team {team}?",
            f"Wer leitet das Team {team}?",
            f"Wo sitzt das Team {team}?",
        ]
        lines += [
            f"  - id: team_{team}",
            "    topic: agreement",
            "    source: [p1]",
            f"    answer: {{de: Das Team {team}., en: The {team} team., zh: {zh}队。}}",
            "    questions:",
            f"      de: [{', '.join(de)}]",
            f"      en: [{', '.join(en + list(extra if team == 'alpha' else ()))}]",
            f"      zh: [{zh}队什么时候开会？, 谁领导{zh}队？, {zh}队在哪里？]",
        ]
    return "\n".join(lines) + "\n"


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


# ---- the watcher never dies: the folder vanishing, returning, replaced; files it must refuse ---

THIRD = "On 20 June 2024, as the third edit says."
SECRET = "root:$6$SECRETHASH:19000:0:99999:7:::\n"


class Watching:
    """A running watch() over `holder`, with every result it reported."""

    def __init__(self, holder: EngineHolder, debounce_s: float = 0.1) -> None:
        self.holder = holder
        self.debounce_s = debounce_s
        self.results: list[ReloadResult] = []
        self.stop = asyncio.Event()

    async def on_result(self, result: ReloadResult) -> None:
        self.results.append(result)

    async def __aenter__(self) -> Watching:
        self.task = asyncio.create_task(
            watch(self.holder, self.on_result, debounce_s=self.debounce_s, stop=self.stop, poll_s=0.2)
        )
        await self.until(lambda: True)
        await asyncio.sleep(0.5)  # the first round (armed, nothing changed) has passed
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.stop.set()
        await asyncio.wait_for(self.task, timeout=10)

    async def until(self, condition: Callable[[], bool], timeout: float = 3.0) -> float:
        """Wait until `condition` holds (seconds taken); fail after `timeout` seconds, or if the
        watcher ended."""
        started = time.monotonic()
        while not condition():
            assert not self.task.done(), "the watcher ended"
            assert time.monotonic() - started < timeout, [r.problems or r.event for r in self.results]
            await asyncio.sleep(0.02)
        return time.monotonic() - started

    def answer(self) -> str:
        return self.holder.engine.reply("When was the agreement signed?").text

    def events(self) -> list[str]:
        """Each result as one word: its event, or vanished/broken/changed for edits."""
        out: list[str] = []
        for r in self.results:
            if r.event != "edit":
                out.append(r.event)
            elif not r.ok:
                gone = ("not a readable folder", "no fact files here")
                out.append("vanished" if any(g in r.problems[0] for g in gone) else "broken")
            else:
                out.append("changed")
        return out


def kb_folder(tmp_path: Path, name: str = "knowledge", text: str = BASE) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    make(folder, text)
    return folder


@pytest.mark.parametrize(
    ("remove", "restore"),
    [
        # rm -r, then a new folder (a new inode: the old inotify watch sees nothing of it).
        pytest.param(
            lambda folder, tmp: shutil.rmtree(folder),
            lambda folder, tmp: (folder.mkdir(), make(folder, BASE.replace("On 20 June 2024.", NEW_ANSWER))),
            id="rm-and-new-folder",
        ),
        # mv away and back: the same inode returns.
        pytest.param(
            lambda folder, tmp: folder.rename(tmp / "away"),
            lambda folder, tmp: (
                make(tmp / "away", BASE.replace("On 20 June 2024.", NEW_ANSWER)),
                (tmp / "away").rename(folder),
            ),
            id="mv-away-and-back",
        ),
    ],
)
async def test_the_watcher_survives_the_folder_vanishing_and_follows_it_back(
    tmp_path: Path, remove: Callable[[Path, Path], object], restore: Callable[[Path, Path], object]
) -> None:
    """The folder vanishes: told once, the last good base served. It returns: told once, its
    content served, and a later edit served within 3 s."""
    folder = kb_folder(tmp_path)
    holder = EngineHolder.from_directory(folder)
    async with Watching(holder) as w:
        remove(folder, tmp_path)
        await w.until(lambda: w.events() == ["vanished"])
        await asyncio.sleep(1.0)  # five polls of the missing folder: still told once
        assert w.events() == ["vanished"] and "20 June 2024" in w.answer()
        restore(folder, tmp_path)
        await w.until(lambda: w.events() == ["vanished", "returned"])
        assert w.answer() == NEW_ANSWER and w.results[-1].diff.edited == ("signing_date",)
        make(folder, BASE.replace("On 20 June 2024.", THIRD))
        assert await w.until(lambda: w.answer() == THIRD) < 3
        assert w.events() == ["vanished", "returned", "changed"]


async def test_the_watcher_follows_a_folder_replaced_by_mv(tmp_path: Path) -> None:
    """`mv knowledge old && mv new knowledge`: the new folder is served and watched; edits to the
    old one (still there, under another name) are not."""
    folder = kb_folder(tmp_path)
    new = kb_folder(tmp_path, "knowledge.new", BASE.replace("On 20 June 2024.", NEW_ANSWER))
    holder = EngineHolder.from_directory(folder)
    async with Watching(holder) as w:
        folder.rename(tmp_path / "knowledge.old")
        new.rename(folder)
        await w.until(lambda: "returned" in w.events())
        assert w.answer() == NEW_ANSWER
        make(tmp_path / "knowledge.old", BASE.replace("On 20 June 2024.", "From the old folder."))
        make(folder, BASE.replace("On 20 June 2024.", THIRD))
        assert await w.until(lambda: w.answer() == THIRD) < 3
        assert w.events() in (["returned", "changed"], ["vanished", "returned", "changed"])


@pytest.mark.parametrize(
    ("link", "message"),
    [
        # Read whole, /dev/zero grew the watcher to 3 GB until a MemoryError ended it.
        pytest.param(Path("/dev/zero"), "symlink to a file outside", id="dev-zero"),
        # /etc/shadow's lines once reached the admins as "unknown top-level keys".
        pytest.param(Path("outside.yaml"), "symlink to a file outside", id="outside-file"),
    ],
)
async def test_the_watcher_refuses_a_symlink_out_of_the_folder_and_lives_on(
    tmp_path: Path, link: Path, message: str
) -> None:
    """A link leaving the folder is refused with `path:0: why`, nothing of its target in the
    message; the watcher keeps serving and serves the next edit."""
    folder = kb_folder(tmp_path)
    (tmp_path / "outside.yaml").write_text(SECRET, encoding="utf-8")
    holder = EngineHolder.from_directory(folder)
    async with Watching(holder) as w:
        (folder / "zz.yaml").symlink_to(link if link.is_absolute() else tmp_path / link)
        await w.until(lambda: w.events() == ["broken"])
        [problem] = w.results[0].problems
        assert problem.startswith(f"{folder / 'zz.yaml'}:0: ") and message in problem
        assert "20 June 2024" in w.answer()
        (folder / "zz.yaml").unlink()
        make(folder, BASE.replace("On 20 June 2024.", NEW_ANSWER))
        assert await w.until(lambda: w.answer() == NEW_ANSWER) < 3
    said = "\n".join(p for r in w.results for p in r.problems)
    assert "SECRETHASH" not in said and "root" not in said.replace(str(tmp_path), "")


async def test_a_failed_training_reaches_the_admins_report(tmp_path: Path) -> None:
    """Training the new base's model fails (memory, anything): the watcher's reporter hears it
    as a `training_failed` result; the edit stays served; the same base is not retrained."""
    folder = kb_folder(tmp_path)

    def out_of_memory(kb: KnowledgeBase, *, previous: Signals | None = None) -> Signals:
        raise MemoryError("no room for the model")

    holder = EngineHolder.from_directory(folder, train=out_of_memory)
    async with Watching(holder) as w:
        make(folder, BASE.replace("When did the office open?", "When did the office open its doors?"))
        await w.until(lambda: w.events() == ["changed", "training_failed"])
        [problem] = w.results[-1].problems
        assert problem.startswith(f"{folder}:0: training the learned model failed (MemoryError: no room")
        assert holder.engine.reply("When did the office open its doors?").answered
        await holder.reload_async()  # nothing new: the failed base is not trained again
        await asyncio.sleep(0.3)
        assert w.events() == ["changed", "training_failed"]


@pytest.mark.parametrize(
    ("base", "question"),
    [
        # Too small to calibrate: the training is the model's alone.
        pytest.param(BASE, "When did the office open its doors?", id="small"),
        # A calibrated base and a small edit: the training keeps the calibration, and still stops.
        pytest.param(teams_base(), "Is the alpha team busy?", id="calibration-kept"),
    ],
)
async def test_a_closed_holder_stops_a_training_at_its_first_step(
    tmp_path: Path, base: str, question: str
) -> None:
    """A stopping bot does not wait for a whole training of the edited base's model: once the
    holder is closed, a training under way (or started) stops at its next step."""
    folder = kb_folder(tmp_path, text=base)
    holder = EngineHolder.from_directory(folder)
    if base == BASE:
        make(folder, BASE.replace("When did the office open?", question))
    else:
        make(folder, teams_base(question))
    assert holder.reload().changed and holder.stale  # served; its model not trained yet
    await holder.close()
    with pytest.raises(TrainingStopped):
        holder.retrain()
    assert holder.stale and holder.engine.reply(question).answered


@pytest.mark.parametrize(
    ("edits", "kept"),
    [
        # One question more of 180 alternatives: within 1 % (1.8), the calibration is kept.
        pytest.param([1], [True], id="small-edit"),
        # Three: past it, calibrated again on the new base.
        pytest.param([3], [False], id="large-edit"),
        # One, then one more: two since the calibration was measured, past 1.8 together; the
        # next one counts from the new calibration.
        pytest.param([1, 2, 3], [True, False, True], id="edits-add-up"),
    ],
)
def test_a_small_edit_is_retrained_with_the_calibration_in_service(
    tmp_path: Path, edits: list[int], kept: list[bool]
) -> None:
    """The holder trains the edited base's model with the calibration in service while the edits
    since it was measured are small; past the bound it calibrates on the base in service. Either
    way the model is the new base's, and the cache keeps what the calibration was measured on."""
    folder = kb_folder(tmp_path, text=teams_base())
    cache = SignalsCache(tmp_path / "cache")
    holder = EngineHolder.from_directory(folder, cache=cache)
    for count, keep in zip(edits, kept, strict=True):
        before = holder.engine.signals
        make(folder, teams_base(*(f"Is the alpha team busy today number {n}?" for n in range(count))))
        assert holder.reload().changed and holder.retrain()
        after = holder.engine.signals
        assert after.fingerprint == holder.engine.fingerprint
        assert (after.calibration == before.calibration and after.measured == before.measured) == keep
        if not keep:
            assert after.measured == Measured.of(holder.engine.kb)
        loaded = cache.load(after.fingerprint)
        assert loaded is not None and loaded.measured == after.measured


def test_a_cold_start_calibrates_the_base_it_starts_with(tmp_path: Path) -> None:
    """A start with no model cached for its base trains it in full, even beside the model of a
    base one question away: only the signals in service lend their calibration."""
    folder = kb_folder(tmp_path, text=teams_base())
    cache = SignalsCache(tmp_path / "cache")
    first = EngineHolder.from_directory(folder, cache=cache).engine.signals
    make(folder, teams_base("Is the alpha team busy?"))
    started = EngineHolder.from_directory(folder, cache=cache).engine
    assert started.signals.measured == Measured.of(started.kb) != first.measured


async def test_a_save_in_several_writes_within_the_debounce_is_read_once_whole(tmp_path: Path) -> None:
    """An editor that writes a file in pieces: the watcher waits until the files have been quiet
    for the debounce, so the half-written state is never read (no "broken" report to the admins)."""
    folder = kb_folder(tmp_path)
    holder = EngineHolder.from_directory(folder)
    edited = BASE.replace("On 20 June 2024.", NEW_ANSWER)
    async with Watching(holder, debounce_s=0.6) as w:
        path = folder / "facts.yaml"
        with path.open("w", encoding="utf-8") as out:  # the first half, then a pause, then the rest
            out.write(edited[: len(edited) // 2])
            out.flush()
            await asyncio.sleep(0.15)
            out.write(edited[len(edited) // 2 :])
        await w.until(lambda: w.answer() == NEW_ANSWER)
        await asyncio.sleep(0.8)
    assert w.events() == ["changed"]


@pytest.mark.parametrize("debounce_s", [0.5, 600.0])
async def test_the_watcher_stops_at_once_whatever_its_debounce(tmp_path: Path, debounce_s: float) -> None:
    """A stopping bot does not wait for the watcher's debounce (it used to wait up to the debounce,
    and with one of minutes gave up after 5 s and left a thread blocked past the process's end):
    the watch ends within a fraction of a second of its stop, and leaves no thread behind."""
    folder = kb_folder(tmp_path)
    holder = EngineHolder.from_directory(folder)
    threads = threading.active_count()
    async with Watching(holder, debounce_s=debounce_s) as w:
        pass_at = time.monotonic()
        w.stop.set()
        await asyncio.wait_for(w.task, timeout=10)
        took = time.monotonic() - pass_at
    assert took < 1.0, took
    await asyncio.sleep(0.1)
    assert threading.active_count() <= threads + 1  # anyio may keep one idle worker thread


def test_an_edit_is_due_once_the_files_are_quiet_or_after_four_debounces() -> None:
    """The watcher's quiet time: a change is read once nothing changed for the debounce, and a
    stream of changes at the latest four debounces after its first change."""
    quiet = Quiet(1.0)
    assert not quiet.ready(False, 0.0)  # nothing changed: nothing to read
    assert not quiet.ready(True, 0.1)  # a change: wait for quiet
    assert not quiet.ready(True, 0.9)  # another: the quiet time starts again
    assert not quiet.ready(False, 1.5)
    assert quiet.ready(False, 2.0)  # quiet for 1.1 s: read it
    assert not quiet.ready(False, 5.0)  # read: nothing due
    stream = [quiet.ready(True, 10.0 + 0.5 * n) for n in range(9)]  # a change every half second
    assert stream == [False] * 8 + [True]  # due 4 s after the first


@pytest.mark.slow  # four debounces of half a second, by design
async def test_an_edit_amid_a_stream_of_new_files_is_read_within_four_debounces(tmp_path: Path) -> None:
    """A sync tool or an editor saving through new temporary names keeps the folder busy without
    pause: the edit made at the start is read at the latest about four debounces later (watchfiles
    held each round for its own debounce of four, and the quiet time began only after it: eight)."""
    folder = kb_folder(tmp_path)
    holder = EngineHolder.from_directory(folder)
    debounce = 0.5
    async with Watching(holder, debounce_s=debounce) as w:

        async def stream() -> None:
            for n in range(400):
                (folder / f"sync-{n}.part").write_text("x", encoding="utf-8")
                await asyncio.sleep(0.02)

        writer = asyncio.create_task(stream())
        make(folder, BASE.replace("On 20 June 2024.", NEW_ANSWER))
        took = await w.until(lambda: w.answer() == NEW_ANSWER, timeout=7.0)
        writer.cancel()
    assert took < 4 * debounce + 1.2, took
