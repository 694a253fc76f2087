"""The trained signals of a fact base and its matcher's reading of it, cached on disk by the
base's fingerprint and by the code that made them.

Training the learned model and calibrating it takes a few seconds; a start-up with an unchanged
fact base and unchanged training code (bot/core's analyser, language, matcher, features,
classifier, calibration, ranking and training modules, the stemmer and OpenCC) loads the result
instead (numpy arrays, no pickle). Analysing the ~11,000 alternative
questions for the matcher takes most of a second of every start-up (and of every `run.py`
command); it is kept as JSON beside the model, keyed by the fingerprint and by the code and
libraries that analyse (bot/core/analyzer.py, bot/core/lang.py, the stemmer and OpenCC), and a
sample of it is analysed again and compared at every load. The cache is derived data: delete it
any time. A cache that cannot be read, does not fit or cannot be written is ignored (logged) and
rebuilt, never fatal.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from bot.core import analyzer, calibration, classifier, features, lang, matcher, ranking, training
from bot.core.calibration import Calibration
from bot.core.classifier import LinearModel
from bot.core.engine import trained
from bot.core.lang import LangModel
from bot.core.matcher import Analysed, Matcher, alternatives
from bot.core.training import Signals, fingerprint
from bot.knowledge.model import KnowledgeBase
from bot.knowledge.parsed import code_digest

log = logging.getLogger(__name__)

# Bump when the arrays change meaning (2: deterministic order, 3: written Cantonese normalised to
# Mandarin); a change of the training code alone is in the file's name already (_training_code).
FORMAT = 3
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
        path = self._path(digest)
        if path is None or not path.is_file():
            return None
        try:
            with np.load(path, allow_pickle=False) as data:
                arrays = {k: data[k] for k in data.files}
            model = LinearModel.from_arrays(arrays)
            calibration = Calibration(
                tuple(float(x) for x in arrays["cal_scores"]),
                tuple(float(x) for x in arrays["cal_probabilities"]),
                int(arrays["cal_samples"]),
            )
        except (OSError, ValueError, KeyError) as exc:
            log.warning("model cache %s unreadable (%s); training instead", path, exc)
            return None
        return Signals(model, calibration, digest)

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
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as tmp:
                _savez(tmp, **arrays)
            os.replace(tmp.name, path)
        except OSError as exc:
            log.warning("model cache %s not written (%s)", path, exc)

    def _analysed_path(self, digest: str) -> Path | None:
        if self.directory is None:
            return None
        return self.directory / f"analysed-{ANALYSED_FORMAT}-{digest}-{_analysing_code()}.json"

    def load_analysed(self, kb: KnowledgeBase, digest: str | None = None) -> Analysed | None:
        """The matcher's cached reading of `kb`, if there is one that fits it."""
        path = self._analysed_path(digest or fingerprint(kb))
        if path is None or not path.is_file():
            return None
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            questions = alternatives(kb)
            found = _analysed_from_json(data, questions)
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            log.warning("matcher cache %s unreadable (%s); analysing instead", path, exc)
            return None
        if found is None or not _sample_agrees(kb, found, questions):
            log.warning("matcher cache %s does not fit the fact base; analysing instead", path)
            return None
        return found

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
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(
                "w", encoding="utf-8", dir=path.parent, suffix=".tmp", delete=False
            ) as tmp:
                json.dump(data, tmp, ensure_ascii=False, separators=(",", ":"))
            os.replace(tmp.name, path)
        except OSError as exc:
            log.warning("matcher cache %s not written (%s)", path, exc)

    def analysed(self, kb: KnowledgeBase, digest: str | None = None) -> Analysed:
        """The matcher's reading of `kb`: from the cache, else analysed now and cached."""
        digest = digest or fingerprint(kb)
        found = self.load_analysed(kb, digest)
        if found is None:
            found = Matcher(kb).analysed
            self.save_analysed(kb, found, digest)
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
