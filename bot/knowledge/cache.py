"""The trained signals of a fact base, cached on disk by the base's fingerprint.

Training the learned model and calibrating it takes a few seconds; a start-up with an unchanged
fact base loads the result instead (numpy arrays, no pickle). The cache is derived data: delete
it any time. A cache that cannot be read or written is ignored (logged), never fatal.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from bot.core.calibration import Calibration
from bot.core.classifier import LinearModel
from bot.core.engine import trained
from bot.core.training import Signals, fingerprint
from bot.knowledge.model import KnowledgeBase

log = logging.getLogger(__name__)

FORMAT = 3  # bump when the arrays change meaning or training changes (2: deterministic order,
# 3: written Cantonese normalised to Mandarin)
_savez: Any = np.savez  # numpy's stub types **arrays as its keyword options


class SignalsCache:
    """One file per fact-base fingerprint in `directory` (None: no cache)."""

    def __init__(self, directory: Path | None) -> None:
        self.directory = directory

    def _path(self, digest: str) -> Path | None:
        return None if self.directory is None else self.directory / f"signals-{FORMAT}-{digest}.npz"

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

    def signals(self, kb: KnowledgeBase) -> Signals:
        """The signals for `kb`: from the cache (or this process's last training), else trained
        now and cached."""
        digest = fingerprint(kb)
        found = self.load(digest)
        if found is None:
            found = trained(kb, digest)
            self.save(digest, found)
        return found
