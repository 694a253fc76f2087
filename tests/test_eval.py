"""Answer quality: the shared scorer on the dev set, the public follow-ups and our own held-out
sets meets the bars. Skipped with the reason when ../shared is not beside the project."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.engines import warm

pytestmark = pytest.mark.slow  # real outages, restarts and scorer runs: seconds each

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
    # Written blind (from the release and glossary only) in other stakeholders' styles: the bars
    # of the independent hidden set.
    pytest.param(
        DATA / "blind.yaml",
        {"coverage": 0.85, "precision": 0.97, "rejection": 0.92, "one_tap": 0.95},
        id="blind",
    ),
]
# Conversations: the share of follow-up cases judged right.
FOLLOWUPS = [
    pytest.param(ROOT.parent / "shared" / "eval" / "followups.yaml", 0.85, id="shared-followups"),
    pytest.param(DATA / "followups_blind.yaml", 0.85, id="blind-followups"),
]


@pytest.mark.skipif(not SCORER.exists(), reason="../shared/eval/score.py is not beside the project")
@pytest.mark.parametrize(("cases", "bars"), SETS)
def test_scorer_meets_the_bars(cases: Path, bars: dict[str, float]) -> None:
    """Coverage, precision, rejection and language match are at or above the issue's bars."""
    warm()  # `run.py ask` loads the real base's model from the session's cache (BOT_CACHE_DIR)
    proc = subprocess.run(
        [sys.executable, str(SCORER), str(cases), "--cmd", f"{sys.executable} run.py ask --json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    summary = proc.stdout.strip().splitlines()[-1]
    figures = {k: float(v) for k, v in re.findall(r"(\w+) (\d\.\d+)", summary)}
    for name, bar in bars.items():
        assert figures[name] >= bar, f"{cases.name}: {summary}"


@pytest.mark.skipif(not SCORER.exists(), reason="../shared/eval/score.py is not beside the project")
@pytest.mark.parametrize(("cases", "share"), FOLLOWUPS)
def test_follow_ups_are_read_in_their_conversation(cases: Path, share: float) -> None:
    """In chat mode (ask --json --chat) enough follow-up questions are answered right."""
    warm()  # `run.py ask` loads the real base's model from the session's cache (BOT_CACHE_DIR)
    proc = subprocess.run(
        [sys.executable, str(SCORER), str(cases), "--cmd", f"{sys.executable} run.py ask --json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    found = re.search(r"follow-ups: (\d+) of (\d+) right", proc.stdout)
    assert found, proc.stdout
    right, total = int(found.group(1)), int(found.group(2))
    assert right >= share * total, proc.stdout
