"""`python run.py bench --ablation FILE...`: the matcher alone, the learned model alone, and both
together, on question sets of the form of tests/data/*.yaml (coverage, precision, rejection).

Each variant is calibrated by the same cross-validation over the fact base and answers at the same
calibrated probability, so the rows compare the signals, not their thresholds. The judging follows
the sets' own rules: a fact question is right when it is answered and every keyword group has one
alternative in the answer; unknown and off-topic questions must not be answered (an unknown one
may be, when the answer says plainly that the release does not state it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.core.engine import Engine
from bot.core.ranking import Ranker
from bot.core.training import train_signals
from bot.errors import QuestionSetError
from bot.knowledge.loader import load

VARIANTS = (("matcher alone", 0.0), ("model alone", 1.0), ("combined", 0.5))
_NOT_STATED = re.compile(
    r"nicht|keine|kein\b|not\b|no information|doesn't|does not|isn't|unknown|unbekannt|未|没有|不", re.I
)


@dataclass(frozen=True)
class Scores:
    """The figures of one variant on one set."""

    coverage: float
    precision: float
    rejection: float
    n: int


def judge(case: dict[str, Any], reply: dict[str, Any]) -> str:
    """right | wrong | declined | rejected | invented (see the module docstring)."""
    answer, answered, expect = str(reply.get("answer") or ""), bool(reply.get("answered")), case["expect"]
    if expect == "offtopic":
        return "rejected" if not answered else "invented"
    if expect == "unknown":
        return "rejected" if not answered or _NOT_STATED.search(answer) else "invented"
    if not answered:
        return "declined"
    low = answer.lower()
    return "right" if all(any(a.lower() in low for a in group) for group in expect) else "wrong"


def score(engine: Engine, cases: Sequence[dict[str, Any]]) -> Scores:
    """Coverage, precision and rejection of `engine` on single questions (no follow-ups)."""
    verdicts = [judge(c, engine.reply(str(c["q"])).to_json()) for c in cases if not c.get("after")]
    right, wrong, declined = (verdicts.count(v) for v in ("right", "wrong", "declined"))
    rejected, invented = verdicts.count("rejected"), verdicts.count("invented")
    facts = right + wrong + declined
    return Scores(
        coverage=right / facts if facts else 0.0,
        precision=right / (right + wrong) if right + wrong else 0.0,
        rejection=rejected / (rejected + invented) if rejected + invented else 1.0,
        n=len(verdicts),
    )


SET_FORMAT = (
    "expected a YAML list of questions, each a mapping with 'q' (the question) and 'expect' "
    "(a list of keyword groups, or 'unknown', or 'offtopic'); see the README, Question sets"
)


def read_question_set(path: Path) -> list[dict[str, Any]]:
    """The cases of a question set, or QuestionSetError naming the file and what is wrong."""
    try:
        cases = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        raise QuestionSetError(f"{where}: not YAML text; {SET_FORMAT}") from exc
    if not isinstance(cases, list) or not cases:
        raise QuestionSetError(f"{path}: not a question set; {SET_FORMAT}")
    for number, case in enumerate(cases, 1):
        expect = case.get("expect") if isinstance(case, dict) else None
        valid = expect in ("unknown", "offtopic") or (
            isinstance(expect, list) and all(isinstance(g, list) and g for g in expect)
        )
        if not isinstance(case, dict) or not isinstance(case.get("q"), str) or not valid:
            raise QuestionSetError(f"{path}: item {number} is not a question; {SET_FORMAT}")
    return cases


def ablation(knowledge_dir: Path, files: Sequence[Path]) -> list[dict[str, Any]]:
    """One row per variant and file."""
    sets = {f: read_question_set(f) for f in files}  # before the training: a wrong file fails fast
    kb = load(knowledge_dir)
    base = Engine(kb)
    rows: list[dict[str, Any]] = []
    for name, share in VARIANTS:
        signals = base.signals if share == 0.5 else train_signals(kb, share=share)
        engine = Engine(kb, signals=signals)
        engine.ranker = Ranker(engine.matcher, signals.model, signals.calibration, share=share)
        for path, cases in sets.items():
            s = score(engine, cases)
            rows.append(
                {
                    "variant": name,
                    "set": path.name,
                    "coverage": round(s.coverage, 3),
                    "precision": round(s.precision, 3),
                    "rejection": round(s.rejection, 3),
                    "questions": s.n,
                }
            )
    return rows


def render(rows: Sequence[dict[str, Any]]) -> str:
    """The rows as a table."""
    lines = ["ablation: variant | set | coverage | precision | rejection | questions"]
    lines += [
        f"  {r['variant']:<13} | {r['set']:<14} | {r['coverage']:.3f} | {r['precision']:.3f} | "
        f"{r['rejection']:.3f} | {r['questions']}"
        for r in rows
    ]
    return "\n".join(lines)
