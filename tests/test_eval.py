"""Answer quality: the shared scorer on the dev set (and our own held-out sets) meets the bars."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCORER = ROOT.parent / "shared" / "eval" / "score.py"
BARS = {"coverage": 0.85, "precision": 0.95, "rejection": 0.80, "lang_match": 0.97}
DATA = ROOT / "tests" / "data"
SETS = [
    pytest.param(ROOT.parent / "shared" / "eval" / "dev.yaml", BARS, id="shared-dev"),
    # Written independently of the fact base and of dev.yaml, to catch tuning to the dev set.
    pytest.param(DATA / "heldout.yaml", BARS, id="heldout"),
    # Harder on purpose (chat style, long journalist questions, indirect references): the same
    # bars for precision and rejection; coverage is held at its measured floor against regressions.
    pytest.param(DATA / "heldout2.yaml", {**BARS, "coverage": 0.78}, id="heldout2-hard"),
]


@pytest.mark.skipif(not SCORER.exists(), reason="../shared/eval/score.py is not beside the project")
@pytest.mark.parametrize(("cases", "bars"), SETS)
def test_scorer_meets_the_bars(cases: Path, bars: dict[str, float]) -> None:
    """Coverage, precision, rejection and language match are at or above the issue's bars."""
    proc = subprocess.run(
        [sys.executable, str(SCORER), str(cases), "--cmd", f"{sys.executable} run.py ask --json"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    summary = proc.stdout.strip().splitlines()[-1]
    figures = {k: float(v) for k, v in re.findall(r"(\w+) (\d\.\d+)", summary)}
    for name, bar in bars.items():
        assert figures[name] >= bar, f"{cases.name}: {summary}"
