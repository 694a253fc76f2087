"""The matcher's reading of the fact base, cached on disk (bot.knowledge.cache): a start-up with an
unchanged base loads it, an edit or a damaged file makes it analyse again, and the answers are the
same either way."""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType, ModuleType
from typing import Any

import numpy as np
import pytest

from bot.core.calibration import IDENTITY
from bot.core.engine import Engine
from bot.core.matcher import Analysed, Index, Matcher, analyse
from bot.core.training import Measured
from bot.knowledge.cache import FORMAT, SignalsCache, _code_digest, _training_code
from bot.knowledge.cache_files import KEEP, read_cached, write_atomically
from bot.knowledge.loader import load
from bot.knowledge.model import KnowledgeBase
from bot.knowledge.parsed import ParsedCache
from tests.engines import KNOWLEDGE, signals


@functools.cache
def real() -> tuple[KnowledgeBase, Analysed]:
    """The real base and its reading, analysed now (no cache)."""
    kb = load(KNOWLEDGE)
    return kb, analyse(kb)


@functools.cache
def small() -> tuple[KnowledgeBase, Analysed]:
    """The real base with its first three questions per intent and language (about 600: the
    checks below do not depend on the size, and each analyses it again), and its reading."""
    kb = load(KNOWLEDGE)
    kb = replace(
        kb,
        intents=tuple(
            replace(i, questions=MappingProxyType({lg: qs[:3] for lg, qs in i.questions.items()}))
            for i in kb.intents
        ),
    )
    return kb, analyse(kb)


@functools.cache
def uncached_engine() -> Engine:
    """The engine over the real base that analysed and indexed it itself (no cache of either),
    built once for the tests that compare a cached one with it."""
    kb, _ = real()
    return Engine(kb, signals=signals(kb))


def cached_file(folder: Path) -> Path:
    (found,) = folder.glob("analysed-*.json")
    return found


@pytest.mark.slow
def test_a_second_start_loads_what_the_first_wrote(tmp_path: Path) -> None:
    """The first start analyses and writes the file; the next loads the same reading from it, and
    does not write it again."""
    kb, fresh = real()
    cache = SignalsCache(tmp_path)
    assert cache.load_analysed(kb) is None
    assert cache.analysed(kb) == fresh
    path = cached_file(tmp_path)
    written = path.stat().st_ino  # a write renames a new file into place; a read only marks it used
    assert cache.load_analysed(kb) == fresh
    assert cache.analysed(kb) == fresh
    assert path.stat().st_ino == written


def test_an_edited_base_is_analysed_again(tmp_path: Path) -> None:
    """One question reworded: the old file does not serve the new base; its own reading is
    analysed and cached beside it."""
    kb, _ = small()
    cache = SignalsCache(tmp_path)
    cache.analysed(kb)
    first = kb.intents[0]
    lang, questions = next(iter(first.questions.items()))
    questions_now = {**first.questions, lang: ("Who paid for the new metro line?", *questions[1:])}
    edited = replace(kb, intents=(replace(first, questions=MappingProxyType(questions_now)), *kb.intents[1:]))
    assert cache.load_analysed(edited) is None
    assert cache.analysed(edited) == analyse(edited)
    assert len(list(tmp_path.glob("analysed-*.json"))) == 2
    assert cache.load_analysed(edited) is not None


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _edit(change: Callable[[dict[str, Any]], None]) -> Callable[[Path], None]:
    def rewrite(path: Path) -> None:
        data = json.loads(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(json.dumps(data), encoding="utf-8")

    return rewrite


def _set(index: int, slot: int, value: object) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        data["alternatives"][index][slot] = value

    return change


@pytest.mark.parametrize(
    "damage",
    [
        # A write cut short (a full disk, a kill before the rename of another tool's copy).
        pytest.param(_truncate, id="truncated"),
        pytest.param(lambda p: p.write_bytes(b"\x00\xff" * 50), id="not-json"),
        pytest.param(lambda p: p.write_text("[1, 2]", encoding="utf-8"), id="json-of-another-shape"),
        pytest.param(_edit(lambda d: d["alternatives"].pop()), id="one-question-missing"),
        pytest.param(_edit(_set(5, 0, "another question")), id="another-question-text"),
        pytest.param(_edit(_set(3, 1, "W:odd")), id="odd-count-of-parts"),
        pytest.param(_edit(_set(3, 1, 42)), id="parts-not-text"),
        # Well formed, but the first question (sampled at every load) reads otherwise than cached:
        # the analyser changed in a way the key did not see.
        pytest.param(_edit(_set(0, 1, "W:nonsense\x1fnonsense")), id="stale-reading"),
        pytest.param(_edit(_set(0, 2, "another normalised text")), id="stale-normalised-text"),
        pytest.param(_edit(_set(7, 2, None)), id="normalised-text-missing"),
        pytest.param(_edit(lambda d: d.update(format=0)), id="older-format"),
        pytest.param(_edit(lambda d: d["log_odds_de"].update(und="high")), id="odds-not-numbers"),
    ],
)
def test_a_damaged_file_is_ignored_and_rebuilt(tmp_path: Path, damage: Callable[[Path], None]) -> None:
    """A file that does not fit is not used (analysed again, with a warning) and is replaced by a
    good one."""
    kb, fresh = small()
    cache = SignalsCache(tmp_path)
    cache.analysed(kb)
    damage(cached_file(tmp_path))
    assert cache.load_analysed(kb) is None
    assert cache.analysed(kb) == fresh
    assert cache.load_analysed(kb) == fresh


def test_without_a_folder_nothing_is_cached() -> None:
    """SignalsCache(None) (BOT_CACHE_DIR=off): analysed every time, nothing written."""
    kb, fresh = small()
    assert SignalsCache(None).analysed(kb) == fresh


QUESTIONS = [
    "When was the agreement signed?",
    "Wer hat die Vereinbarung unterzeichnet?",
    "协议是什么时候签署的？",
    "What are the four areas?",
    "wer hat unterschriben",  # a typo: the corrections come from the vocabulary the reading built
    "Does the agreement cover hydrogen?",
    "Was ist das Wetter morgen?",
    "hi",
]


def test_the_answers_are_the_same_with_and_without_the_cache(tmp_path: Path) -> None:
    """An engine built from the cached reading replies exactly as one that analysed the base."""
    kb, _ = real()
    cache = SignalsCache(tmp_path)
    cache.analysed(kb)
    loaded = cache.load_analysed(kb)
    assert loaded is not None
    with_cache, without = Engine(kb, signals=signals(kb), analysed=loaded), uncached_engine()
    for question in QUESTIONS:
        assert with_cache.reply(question) == without.reply(question), question


def test_the_code_digest_follows_the_source(tmp_path: Path) -> None:
    """An edit of a module the cache depends on changes its digest (so a model trained by other
    code is not loaded: no FORMAT bump to remember)."""
    source = tmp_path / "training_step.py"
    source.write_text("WEIGHT = 1\n", encoding="utf-8")
    module = ModuleType("training_step")
    module.__file__ = str(source)
    before = _code_digest(module)
    assert _code_digest(module) == before
    source.write_text("WEIGHT = 2\n", encoding="utf-8")
    assert _code_digest(module) != before


def test_signals_are_kept_under_the_training_codes_digest(tmp_path: Path) -> None:
    """The trained signals are written under the fact base's fingerprint and the training code's
    digest; a file another version of the code wrote is not loaded."""
    trained = signals(real()[0])
    cache = SignalsCache(tmp_path)
    cache.save(trained.fingerprint, trained)
    (written,) = tmp_path.glob("signals-*.npz")
    assert written.name == f"signals-{FORMAT}-{trained.fingerprint}-{_training_code()}.npz"
    assert cache.load(trained.fingerprint) is not None
    written.rename(written.with_name(written.name.replace(_training_code(), "0" * 16)))
    assert cache.load(trained.fingerprint) is None


def rewrite_signals(change: Callable[[dict[str, Any]], object]) -> Callable[[Path], None]:
    """Damage a signals file: its arrays, changed by `change`, written back in place."""

    def damage(path: Path) -> None:
        with np.load(path, allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files}
        change(arrays)
        with path.open("wb") as handle:
            np.savez(handle, **arrays)

    return damage


def _swap_first_two(arrays: dict[str, Any]) -> None:
    digests = arrays["cal_alternatives"].copy()
    digests[[0, 1]] = digests[[1, 0]]
    arrays["cal_alternatives"] = digests


@pytest.mark.parametrize(
    "damage",
    [
        # Only half of the record, or none under a measured map.
        pytest.param(rewrite_signals(lambda a: a.pop("cal_reading")), id="no-reading"),
        pytest.param(rewrite_signals(lambda a: a.pop("cal_alternatives")), id="no-alternatives"),
        pytest.param(
            rewrite_signals(lambda a: (a.pop("cal_reading"), a.pop("cal_alternatives"))), id="no-record"
        ),
        # The digests must be sorted and unique 64-bit numbers (a drift is a set difference).
        pytest.param(rewrite_signals(_swap_first_two), id="unsorted"),
        pytest.param(
            rewrite_signals(lambda a: a.__setitem__("cal_alternatives", a["cal_alternatives"][[0, 0, 1]])),
            id="duplicate",
        ),
        pytest.param(
            rewrite_signals(
                lambda a: a.__setitem__("cal_alternatives", a["cal_alternatives"].astype(np.float64))
            ),
            id="floats",
        ),
        pytest.param(
            rewrite_signals(lambda a: a.__setitem__("cal_alternatives", a["cal_alternatives"][:0])),
            id="empty",
        ),
        pytest.param(
            rewrite_signals(lambda a: a.__setitem__("cal_reading", np.asarray("not a digest"))), id="reading"
        ),
        pytest.param(
            rewrite_signals(lambda a: a.__setitem__("cal_reading", np.asarray([1, 2]))), id="reading-numbers"
        ),
    ],
)
def test_a_damaged_record_of_the_calibration_is_not_loaded(
    tmp_path: Path, damage: Callable[[Path], None]
) -> None:
    """What the calibration was measured on comes back as it was saved (a later small edit
    counts its drift from it); a file whose record is missing, out of order or not of its type is
    ignored (trained again), as any damaged model file."""
    trained = signals(real()[0])
    assert trained.measured == Measured.of(real()[0])
    cache = SignalsCache(tmp_path)
    cache.save(trained.fingerprint, trained)
    loaded = cache.load(trained.fingerprint)
    assert loaded is not None and loaded.measured == trained.measured
    damage(next(tmp_path.glob("signals-*.npz")))
    assert cache.load(trained.fingerprint) is None


def test_signals_measured_on_nothing_load_without_a_record(tmp_path: Path) -> None:
    """A base too small to calibrate has no record, and its file loads as such."""
    trained = signals(real()[0])
    bare = replace(trained, calibration=IDENTITY, measured=None)
    cache = SignalsCache(tmp_path)
    cache.save(trained.fingerprint, bare)
    loaded = cache.load(trained.fingerprint)
    assert loaded is not None and loaded.measured is None and loaded.calibration == IDENTITY


# -- the matcher's index (what it builds from the reading), cached beside it ------------------------


def index_file(folder: Path) -> Path:
    (found,) = folder.glob("index-*.json")
    return found


def same_index(a: Index, b: Index) -> bool:
    """Two indexes hold the same (numpy arrays compared by value)."""
    return (
        (a.norms, a.kept, dict(a.vocab), dict(a.idf), list(a.named), a.lang_model)
        == (b.norms, b.kept, dict(b.vocab), dict(b.idf), list(b.named), b.lang_model)
        and list(a.postings) == list(b.postings)
        and all(np.array_equal(a.postings[t], b.postings[t]) for t in a.postings)
        and np.array_equal(a.alt_weight, b.alt_weight)
    )


def test_a_second_start_loads_the_index_the_first_wrote(tmp_path: Path) -> None:
    """The first start builds the index and writes it; the next loads the same, does not write it
    again, and its matcher scores as one that built its own."""
    kb, analysed = small()
    built = Matcher(kb, analysed).index
    cache = SignalsCache(tmp_path)
    assert cache.load_index(kb) is None
    assert same_index(cache.index(kb), built)
    path = index_file(tmp_path)
    written = path.stat().st_ino  # a write renames a new file into place; a read only marks it used
    loaded = cache.load_index(kb)
    assert loaded is not None and same_index(loaded, built)
    assert path.stat().st_ino == written
    fresh, from_cache = Matcher(kb, analysed), Matcher(kb, index=loaded)
    assert from_cache.analysed is None  # nothing was analysed
    for question in QUESTIONS:
        for lang in ("de", "en", "zh"):
            assert from_cache.candidates(question, lang) == fresh.candidates(question, lang), question


def test_an_edited_base_builds_its_own_index(tmp_path: Path) -> None:
    """One question reworded: the old index does not serve; the new base's is built and cached."""
    kb, _ = small()
    cache = SignalsCache(tmp_path)
    cache.index(kb)
    first = kb.intents[0]
    lang, questions = next(iter(first.questions.items()))
    questions_now = {**first.questions, lang: ("Who paid for the new metro line?", *questions[1:])}
    edited = replace(kb, intents=(replace(first, questions=MappingProxyType(questions_now)), *kb.intents[1:]))
    assert cache.load_index(edited) is None
    assert same_index(cache.index(edited), Matcher(edited).index)
    assert len(list(tmp_path.glob("index-*.json"))) == 2


def _set_in(key: str, change: Callable[[Any], None]) -> Callable[[dict[str, Any]], None]:
    def apply(data: dict[str, Any]) -> None:
        change(data[key])

    return apply


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(_truncate, id="truncated"),
        pytest.param(lambda p: p.write_bytes(b"\x00\xff" * 50), id="not-json"),
        pytest.param(lambda p: p.write_text("[1, 2]", encoding="utf-8"), id="json-of-another-shape"),
        pytest.param(_edit(lambda d: d.update(format=0)), id="older-format"),
        pytest.param(_edit(_set_in("norms", lambda v: v.pop())), id="one-question-missing"),
        pytest.param(_edit(_set_in("kept", lambda v: v.reverse())), id="kept-out-of-order"),
        pytest.param(_edit(_set_in("postings", lambda v: v.append(10**6))), id="postings-beyond-the-count"),
        pytest.param(_edit(_set_in("postings", lambda v: v.__setitem__(0, 10**6))), id="no-such-alternative"),
        pytest.param(
            _edit(_set_in("weights", lambda v: v.__setitem__(0, "heavy"))), id="weight-not-a-number"
        ),
        pytest.param(_edit(_set_in("idf", lambda v: v.update(und="rare"))), id="idf-not-a-number"),
        pytest.param(_edit(_set_in("named", lambda v: v.pop())), id="an-intent-missing"),
        pytest.param(
            _edit(_set_in("named", lambda v: v.__setitem__(0, [["x", []]]))), id="group-not-a-number"
        ),
        # Well formed and of the right counts, but the first question (sampled at every load) reads
        # otherwise than cached: the matcher changed in a way the key did not see.
        pytest.param(_edit(_set_in("terms", lambda v: v.__setitem__(0, "W:nonsense"))), id="stale-terms"),
        pytest.param(_edit(_set_in("norms", lambda v: v.__setitem__(0, "another text"))), id="stale-norm"),
        pytest.param(_edit(_set_in("weights", lambda v: v.__setitem__(0, v[0] + 1.0))), id="stale-weight"),
    ],
)
def test_a_damaged_index_is_ignored_and_rebuilt(tmp_path: Path, damage: Callable[[Path], None]) -> None:
    """An index file that does not fit is not used (built again, with a warning) and is replaced
    by a good one."""
    kb, analysed = small()
    built = Matcher(kb, analysed).index
    cache = SignalsCache(tmp_path)
    cache.index(kb)
    damage(index_file(tmp_path))
    assert cache.load_index(kb) is None
    assert same_index(cache.index(kb), built)
    loaded = cache.load_index(kb)
    assert loaded is not None and same_index(loaded, built)


def test_an_index_other_code_wrote_is_not_loaded(tmp_path: Path) -> None:
    """The index is kept under the training code's digest (the matcher's module is part of it):
    a file another version of the code wrote is not loaded."""
    kb, _ = small()
    cache = SignalsCache(tmp_path)
    cache.index(kb)
    written = index_file(tmp_path)
    assert written.name.endswith(f"-{_training_code()}.json")
    written.rename(written.with_name(written.name.replace(_training_code(), "0" * 16)))
    assert cache.load_index(kb) is None


def test_the_answers_are_the_same_with_the_cached_index(tmp_path: Path) -> None:
    """An engine built from the cached index replies exactly as one that analysed the base."""
    kb, _ = real()
    cache = SignalsCache(tmp_path)
    cache.index(kb)
    loaded = cache.load_index(kb)
    assert loaded is not None
    with_cache, without = Engine(kb, signals=signals(kb), index=loaded), uncached_engine()
    for question in QUESTIONS:
        assert with_cache.reply(question) == without.reply(question), question


def _flip_middle(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "damage",
    [
        # A copy cut short, an empty file, one byte changed: each is another error of the zip
        # reader (BadZipFile, EOFError, a CRC error), none of them OSError or ValueError.
        pytest.param(lambda p: p.write_bytes(p.read_bytes()[: p.stat().st_size // 3]), id="cut-short"),
        pytest.param(lambda p: p.write_bytes(b""), id="empty"),
        pytest.param(_flip_middle, id="one-byte-changed"),
    ],
)
def test_a_damaged_model_file_is_trained_anew_not_fatal(
    tmp_path: Path, damage: Callable[[Path], None]
) -> None:
    """A damaged model file is not loaded (a start or a reload trains instead of ending in a
    traceback); the next save replaces it."""
    trained = signals(real()[0])
    cache = SignalsCache(tmp_path)
    cache.save(trained.fingerprint, trained)
    damage(next(tmp_path.glob("signals-*.npz")))
    assert cache.load(trained.fingerprint) is None
    cache.save(trained.fingerprint, trained)
    assert cache.load(trained.fingerprint) is not None


def test_a_cache_folder_whose_files_cannot_be_looked_up_is_no_cache(tmp_path: Path) -> None:
    """A cache folder in which a file cannot even be looked up (another user's folder of mode
    600 gives EACCES; here, for any user, root too: a folder name longer than the file system
    allows gives ENAMETOOLONG) is read as an empty cache and written with a warning: the fact base,
    its reading and its model are made as without a cache, nothing ends in a traceback."""
    kb, fresh = small()
    folder = tmp_path / ("x" * 300)
    assert SignalsCache(folder).analysed(kb) == fresh
    assert SignalsCache(folder).load_index(kb) is None
    assert SignalsCache(folder).load("0" * 32) is None
    assert ParsedCache(folder).load(KNOWLEDGE) == load(KNOWLEDGE)


def test_each_kind_of_cache_file_keeps_its_newest_versions(tmp_path: Path) -> None:
    """The folder keeps KEEP versions of each kind of file, those used last: a version read again
    stays while the versions of old edits go, and the other kinds are left alone."""
    for n in range(KEEP + 3):
        path = tmp_path / f"parsed-1-{n:02d}.json"
        path.write_text("{}", encoding="utf-8")
        os.utime(path, (1_000 + n, 1_000 + n))
    (tmp_path / "signals-4-a.npz").write_bytes(b"x")
    os.utime(tmp_path / "signals-4-a.npz", (1, 1))
    assert read_cached(tmp_path / "parsed-1-00.json", "test", lambda p: p.read_text()) == "{}"  # used now
    write_atomically(tmp_path / "parsed-1-new.json", "test", lambda tmp: tmp.write("{}"))
    kept = sorted(p.name for p in tmp_path.glob("parsed-*"))
    assert len(kept) == KEEP
    assert "parsed-1-new.json" in kept and "parsed-1-00.json" in kept  # new, and read again
    assert "parsed-1-01.json" not in kept  # the oldest not used since
    assert (tmp_path / "signals-4-a.npz").exists()
