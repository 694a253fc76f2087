"""The trained signals of a fact base and its matcher's reading of it, cached on disk by the
base's fingerprint and by the code that made them.

Training the learned model and calibrating it takes a few seconds; a start-up with an unchanged
fact base and unchanged training code (bot/core's analyser, language, matcher, features,
classifier, calibration, ranking and training modules, the stemmer and OpenCC) loads the result
instead (numpy arrays, no pickle), with what the calibration was measured on (a later small edit
keeps that calibration, bot.core.training; a record out of order or of another type is not loaded).
Analysing the ~11,000 alternative questions for the matcher takes most of a second of every
start-up (and of every `run.py` command); it is kept as JSON beside the model, keyed by the
fingerprint and by the code and libraries that analyse (bot/core/analyzer.py, bot/core/lang.py,
the stemmer and OpenCC), and a sample of it is analysed again and compared at every load. The cache
is derived data: delete it any time. A cache that cannot be read, does not fit or cannot be written
is ignored (logged) and rebuilt, never fatal.
"""

from __future__ import annotations

import functools
import itertools
import json
import logging
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from bot.core import analyzer, calibration, classifier, features, lang, matcher, ranking, training
from bot.core.calibration import Calibration
from bot.core.classifier import LinearModel
from bot.core.engine import trained
from bot.core.lang import LangModel
from bot.core.matcher import Analysed, Index, Matcher, alternatives, analyse
from bot.core.training import Measured, Signals, fingerprint
from bot.knowledge.cache_files import code_digest, read_cached, write_atomically
from bot.knowledge.model import KnowledgeBase

log = logging.getLogger(__name__)

# Bump when the arrays change meaning (2: deterministic order, 3: written Cantonese normalised to
# Mandarin, 4: what the calibration was measured on); a change of the training code alone is in
# the file's name already (_training_code).
FORMAT = 4
INDEX_FORMAT = 1  # bump when the JSON of the matcher's index changes shape
ANALYSED_FORMAT = 2  # bump when the JSON of the matcher's reading changes shape (2: normalised texts)
# Every this many alternatives one is analysed again at a load and compared with the cached one.
_SAMPLE_EVERY = 97
_SEP = "\x1f"  # between the terms and words of one question (normalised text holds no control character)
_savez: Any = np.savez  # numpy's stub types **arrays as its keyword options


class SignalsCache:
    """One file per fact-base fingerprint in `directory` (None: no cache)."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory

    def _path(self, digest: str) -> Path | None:
        if self.directory is None:
            return None
        return self.directory / f"signals-{FORMAT}-{digest}-{_training_code()}.npz"

    def load(self, digest: str) -> Signals | None:
        """The cached signals of the fact base with this fingerprint, if any."""

        def read(path: Path) -> Signals:
            # Opened here: np.load leaves its own handle open when the zip turns out damaged.
            with path.open("rb") as handle, np.load(handle, allow_pickle=False) as data:
                arrays = {k: data[k] for k in data.files}
            model = LinearModel.from_arrays(arrays)
            calibration = Calibration(
                tuple(float(x) for x in arrays["cal_scores"]),
                tuple(float(x) for x in arrays["cal_probabilities"]),
                int(arrays["cal_samples"]),
            )
            return Signals(model, calibration, digest, _measured_from_arrays(arrays, calibration))

        return read_cached(self._path(digest), "model cache", read)

    def save(self, digest: str, signals: Signals) -> None:
        """Write the signals atomically (a temporary file renamed); failures are only logged."""
        path = self._path(digest)
        if path is None:
            return
        arrays = {
            **signals.model.arrays(),
            "cal_scores": np.asarray(signals.calibration.scores, dtype=np.float64),
            "cal_probabilities": np.asarray(signals.calibration.probabilities, dtype=np.float64),
            "cal_samples": np.asarray(signals.calibration.samples, dtype=np.int64),
        }
        if signals.measured is not None:
            arrays["cal_alternatives"] = np.asarray(signals.measured.alternatives, dtype=np.uint64)
            arrays["cal_reading"] = np.asarray(signals.measured.reading, dtype=np.str_)
        write_atomically(path, "model cache", lambda tmp: _savez(tmp, **arrays), text=False)

    def _analysed_path(self, digest: str) -> Path | None:
        if self.directory is None:
            return None
        return self.directory / f"analysed-{ANALYSED_FORMAT}-{digest}-{_analysing_code()}.json"

    def load_analysed(self, kb: KnowledgeBase, digest: str | None = None) -> Analysed | None:
        """The matcher's cached reading of `kb`, if there is one that fits it."""

        def read(path: Path) -> Analysed | None:
            questions = alternatives(kb)
            found = _analysed_from_json(json.loads(path.read_text(encoding="utf-8")), questions)
            if found is None or not _sample_agrees(kb, found, questions):
                log.warning("matcher cache %s does not fit the fact base; analysing instead", path)
                return None
            return found

        return read_cached(self._analysed_path(digest or fingerprint(kb)), "matcher cache", read)

    def save_analysed(self, kb: KnowledgeBase, analysed: Analysed, digest: str | None = None) -> None:
        """Write the matcher's reading of `kb` atomically; failures are only logged."""
        path = self._analysed_path(digest or fingerprint(kb))
        if path is None:
            return
        data = {
            "format": ANALYSED_FORMAT,
            "alternatives": [
                [question, _SEP.join(part for pair in pairs for part in pair), norm]
                for (_, question), pairs, norm in zip(
                    alternatives(kb), analysed.pairs, analysed.norms, strict=True
                )
            ],
            "log_odds_de": dict(analysed.lang_model.log_odds_de),
            "trigram_odds_de": dict(analysed.lang_model.trigram_odds_de),
        }
        write_atomically(
            path, "matcher cache", lambda tmp: json.dump(data, tmp, ensure_ascii=False, separators=(",", ":"))
        )

    def analysed(self, kb: KnowledgeBase, digest: str | None = None) -> Analysed:
        """The matcher's reading of `kb`: from the cache, else analysed now and cached."""
        digest = digest or fingerprint(kb)
        found = self.load_analysed(kb, digest)
        if found is None:
            found = analyse(kb)
            self.save_analysed(kb, found, digest)
        return found

    def _index_path(self, digest: str) -> Path | None:
        if self.directory is None:
            return None
        return self.directory / f"index-{INDEX_FORMAT}-{digest}-{_training_code()}.json"

    def load_index(self, kb: KnowledgeBase, digest: str | None = None) -> Index | None:
        """The matcher's cached index of `kb`, if there is one that fits it."""

        def read(path: Path) -> Index | None:
            found = _index_from_json(json.loads(path.read_text(encoding="utf-8")), kb)
            if found is None or not _index_sample_agrees(kb, found):
                log.warning("matcher index cache %s does not fit the fact base; building instead", path)
                return None
            return found

        return read_cached(self._index_path(digest or fingerprint(kb)), "matcher index cache", read)

    def save_index(self, kb: KnowledgeBase, index: Index, digest: str | None = None) -> None:
        """Write the matcher's index of `kb` atomically; failures are only logged."""
        path = self._index_path(digest or fingerprint(kb))
        if path is None:
            return
        data = {
            "format": INDEX_FORMAT,
            "norms": list(index.norms),
            "kept": list(index.kept),
            "vocab": dict(index.vocab),
            "idf": dict(index.idf),
            "terms": list(index.postings),
            "lengths": [len(alts) for alts in index.postings.values()],
            "postings": [int(n) for alts in index.postings.values() for n in alts],
            "weights": [float(w) for w in index.alt_weight],
            "named": [[[group, sorted(terms)] for group, terms in named.items()] for named in index.named],
            "log_odds_de": dict(index.lang_model.log_odds_de),
            "trigram_odds_de": dict(index.lang_model.trigram_odds_de),
        }
        write_atomically(
            path,
            "matcher index cache",
            lambda tmp: json.dump(data, tmp, ensure_ascii=False, separators=(",", ":")),
        )

    def index(self, kb: KnowledgeBase, digest: str | None = None) -> Index:
        """The matcher's index of `kb`: from the cache, else built (from the cached reading) and
        cached."""
        digest = digest or fingerprint(kb)
        found = self.load_index(kb, digest)
        if found is None:
            found = Matcher(kb, self.analysed(kb, digest)).index
            self.save_index(kb, found, digest)
        return found

    def signals(self, kb: KnowledgeBase) -> Signals:
        """The signals for `kb`: from the cache (or this process's last training), else trained
        now and cached."""
        digest = fingerprint(kb)
        found = self.load(digest)
        if found is None:
            found = trained(kb, digest)
            self.save(digest, found)
        return found


def _measured_from_arrays(arrays: dict[str, Any], calibration: Calibration) -> Measured | None:
    """What the calibration in `arrays` was measured on; ValueError unless a measured map has it
    whole (digests sorted and unique, the reading's digest 32 hex digits) and the map stands for
    itself without (no knots: nothing was measured)."""
    if "cal_alternatives" not in arrays and "cal_reading" not in arrays and not calibration.scores:
        return None
    alternatives, reading = arrays["cal_alternatives"], arrays["cal_reading"]
    if (
        alternatives.dtype != np.uint64
        or alternatives.ndim != 1
        or not alternatives.size
        or (alternatives[1:] <= alternatives[:-1]).any()
        or reading.dtype.kind != "U"
        or reading.ndim != 0
        or re.fullmatch(r"[0-9a-f]{32}", str(reading)) is None
        or not calibration.scores
    ):
        raise ValueError("the calibration's record of its base does not fit it")
    return Measured(tuple(alternatives.tolist()), str(reading))


@functools.cache
def _analysing_code() -> str:
    """A digest of what the matcher's reading depends on besides the fact base: the analyser's and
    the language module's source, and the installed stemmer and OpenCC."""
    return _code_digest(analyzer, lang)


@functools.cache
def _training_code() -> str:
    """A digest of what the trained signals depend on besides the fact base: every module of the
    reading and the training, and the installed stemmer and OpenCC (an edit of any of them trains
    again, without a FORMAT bump to remember)."""
    return _code_digest(analyzer, lang, matcher, features, classifier, calibration, ranking, training)


def _code_digest(*modules: ModuleType) -> str:
    """The modules' source, and the installed stemmer's and OpenCC's files (their size and time,
    which an upgrade changes); read once per process (the code that runs is what was imported)."""
    return code_digest(modules)


def _analysed_from_json(data: Any, questions: list[tuple[str, str]]) -> Analysed | None:
    """The reading in `data` if it is of this format and holds exactly `questions`, else None."""
    if data.get("format") != ANALYSED_FORMAT or len(data["alternatives"]) != len(questions):
        return None
    pairs: list[tuple[tuple[str, str], ...]] = []
    norms: list[str] = []
    for (_, question), (text, joined, norm) in zip(questions, data["alternatives"], strict=True):
        flat = joined.split(_SEP) if joined else []
        if text != question or len(flat) % 2 or not isinstance(norm, str):
            return None
        parts = iter(flat)  # term, word, term, word, ...: one pass, no slices (11,000 of them)
        pairs.append(tuple(zip(parts, parts, strict=True)))
        norms.append(norm)
    odds = {key: data[key] for key in ("log_odds_de", "trigram_odds_de")}
    for table in odds.values():
        if not all(isinstance(value, float) for value in table.values()):
            return None
    return Analysed(tuple(pairs), tuple(norms), LangModel(odds["log_odds_de"], odds["trigram_odds_de"]))


def _sample_agrees(kb: KnowledgeBase, found: Analysed, questions: list[tuple[str, str]]) -> bool:
    """Every _SAMPLE_EVERY-th alternative (`questions`: alternatives(kb)), analysed now, reads as
    the cache says."""
    now = analyzer.Analyzer(kb.synonyms)
    return all(
        tuple(now.analyse(question, lang_)) == found.pairs[n] and lang.normalise(question) == found.norms[n]
        for n, (lang_, question) in enumerate(questions)
        if n % _SAMPLE_EVERY == 0
    )


def _texts(items: Any) -> bool:
    return isinstance(items, list) and all(type(item) is str for item in items)


def _numbers(table: Any) -> bool:
    return isinstance(table, dict) and all(type(value) is float for value in table.values())


def _index_from_json(data: Any, kb: KnowledgeBase) -> Index | None:
    """The index in `data` if it is of this format and fits `kb` in every count, else None."""
    count = sum(len(qs) for intent in kb.intents for qs in intent.questions.values())
    norms, kept, vocab, terms, lengths = (data[k] for k in ("norms", "kept", "vocab", "terms", "lengths"))
    postings, weights, named = data["postings"], data["weights"], data["named"]
    if (
        data.get("format") != INDEX_FORMAT
        or not _texts(norms)
        or len(norms) != count
        or not isinstance(kept, list)
        or not all(type(n) is int for n in kept)
        or any(b <= a for a, b in itertools.pairwise(kept))
        or (kept and not 0 <= kept[0] <= kept[-1] < count)
        or not isinstance(vocab, dict)
        or not all(type(v) is str for v in vocab.values())
        or not all(_numbers(data[k]) for k in ("idf", "log_odds_de", "trigram_odds_de"))
        or not _texts(terms)
        or not all(type(n) is int and n > 0 for n in lengths)
        or len(terms) != len(lengths)
        or sum(lengths) != len(postings)
        or len(weights) != len(kept)
        or not all(type(w) is float for w in weights)
        or not isinstance(named, list)
        or len(named) != len(kb.intents)
    ):
        return None
    flat = np.asarray(postings, dtype=np.int64)
    if flat.size and not (flat.min() >= 0 and flat.max() < len(kept)):
        return None
    arrays = np.split(flat.astype(np.int32), np.cumsum(lengths)[:-1]) if terms else []
    return Index(
        norms=tuple(norms),
        lang_model=LangModel(data["log_odds_de"], data["trigram_odds_de"]),
        kept=tuple(kept),
        vocab=vocab,
        idf=data["idf"],
        postings=dict(zip(terms, arrays, strict=True)),
        alt_weight=np.asarray(weights, dtype=np.float64),
        named=tuple({int(group): frozenset(map(str, names)) for group, names in one} for one in named),
    )


def _index_sample_agrees(kb: KnowledgeBase, index: Index) -> bool:
    """Every _SAMPLE_EVERY-th alternative, analysed now, has the terms, normalised text and weight
    the index gives it."""
    questions = alternatives(kb)
    sample = range(0, len(questions), _SAMPLE_EVERY)
    row_of = {n: row for row, n in enumerate(index.kept)}
    rows = {row_of[n] for n in sample if n in row_of}
    held: dict[int, set[str]] = {row: set() for row in rows}
    terms = list(index.postings)
    if terms:  # one pass over every term's alternatives: where a sampled one stands, and whose
        flat = np.concatenate(list(index.postings.values()))
        owner = np.repeat(np.arange(len(terms)), [len(alts) for alts in index.postings.values()])
        found = np.flatnonzero(np.isin(flat, np.fromiter(rows, dtype=np.int64, count=len(rows))))
        for row, term in zip(flat[found].tolist(), owner[found].tolist(), strict=True):
            held[row].add(terms[term])
    now = analyzer.Analyzer(kb.synonyms)
    for n in sample:
        lang_, question = questions[n]
        read = {term for term, _ in now.analyse(question, lang_)}
        row = row_of.get(n)
        if lang.normalise(question) != index.norms[n] or read != (held[row] if row is not None else set()):
            return False
        if row is not None and not np.isclose(
            index.alt_weight[row], sum(index.idf.get(t, 0.0) for t in read), rtol=1e-12, atol=0.0
        ):
            return False
    return True
