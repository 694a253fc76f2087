"""`python run.py bench`: speed and scale figures, printed as a table and written as JSON.

The matcher alone (the engine's ranking without the learned model) and the whole engine reply
(matcher + learned model + decision) on the real base, the cost of training and of loading a
cached model, the matcher at scale, and (bench.e2e) the bot end to end.

Measures, it does not assert: the machine is shared and noisy, so every comparison is made inside
one run (our matcher beside a naive rapidfuzz baseline; our bot beside an echo bot).

Three sizes: "full" (the figures of record), "quick" (small sizes, about a minute) and "tiny"
(every part once at the smallest sizes, seconds: figures too small to compare, what the tests run
to check that every figure is there and of its kind; its engine part trains a tenth of the base).
"""

from __future__ import annotations

import gc
import json
import math
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

from rapidfuzz import fuzz, process

from bot.core.engine import Engine
from bot.core.lang import normalise
from bot.core.matcher import Matcher
from bot.core.ranking import Ranker
from bot.core.training import train_signals
from bot.errors import BotError
from bot.knowledge.cache import SignalsCache
from bot.knowledge.loader import load
from bot.knowledge.model import Intent, KnowledgeBase
from bot.review.reports import nearest_rank

Size = Literal["tiny", "quick", "full"]
REPEAT: dict[Size, int] = {"tiny": 1, "quick": 3, "full": 30}  # timings of each question
SCALE_SIZES: dict[Size, tuple[int, ...]] = {
    "tiny": (500, 1_000),
    "quick": (1_000, 5_000),
    "full": (1_000, 10_000, 50_000),
}
SCALE_QUESTIONS: dict[Size, int | None] = {"tiny": 10, "quick": 40, "full": None}  # None: all
SCALE_REPEAT: dict[Size, int] = {"tiny": 1, "quick": 2, "full": 5}
# The engine part trains and replies on this many alternatives (None: the real base). Training the
# whole base costs most of the tiny run's own CPU; a tenth of it shows every figure just as well.
ENGINE_ALTERNATIVES: dict[Size, int | None] = {"tiny": 1_000, "quick": None, "full": None}


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile (`share` 0..1), as the review reports it."""
    return nearest_rank(values, share * 100)


def timed(func: Callable[[str], object], questions: Iterable[str], repeat: int) -> list[float]:
    """Latency in milliseconds of each call, `repeat` rounds over the questions."""
    qs = list(questions)
    out: list[float] = []
    gc.collect()
    for _ in range(repeat):
        for q in qs:
            start = time.perf_counter()
            func(q)
            out.append((time.perf_counter() - start) * 1000)
    return out


def timed_cpu(func: Callable[[str], object], questions: Iterable[str], repeat: int) -> list[float]:
    """CPU time in milliseconds of each call (this thread's own): on a machine shared with other
    work, what our code costs, without the waits for a core that the wall-clock figure includes."""
    qs = list(questions)
    out: list[float] = []
    gc.collect()
    for _ in range(repeat):
        for q in qs:
            start = time.thread_time()
            func(q)
            out.append((time.thread_time() - start) * 1000)
    return out


def bench_questions(kb: KnowledgeBase) -> list[str]:
    """One alternative per intent and language: the last, least FAQ-like one."""
    return [qs[-1] for i in kb.intents for qs in i.questions.values() if qs]


def vary(kb: KnowledgeBase, copies: int, seed: int = 7) -> KnowledgeBase:
    """A bigger fact base: `copies` variants of every intent, each question reworded.

    Deterministic: words are swapped for another word of the same synonym concept, rotated, or
    dropped, so variants stay plausible questions of their intent.
    """
    rng = random.Random(seed)
    concept_of: dict[str, str] = {}
    for concept, words in kb.synonyms.items():
        for word in words:
            if " " not in word:
                concept_of[word] = concept

    def reword(question: str) -> str:
        words = normalise(question).split()
        if len(words) > 2:
            action = rng.random()
            if action < 0.5:
                i = rng.randrange(len(words))
                concept = concept_of.get(words[i])
                if concept:
                    words[i] = rng.choice(kb.synonyms[concept]).replace(" ", "")
            elif action < 0.8:
                cut = rng.randrange(1, len(words))
                words = words[cut:] + words[:cut]
            else:
                del words[rng.randrange(len(words))]
        return " ".join(words)

    intents: list[Intent] = []
    for copy in range(copies):
        for intent in kb.intents:
            questions = {
                lang: tuple(dict.fromkeys(reword(q) for q in qs) if copy else qs)
                for lang, qs in intent.questions.items()
            }
            intents.append(
                replace(
                    intent,
                    id=intent.id if copy == 0 else f"{intent.id}__v{copy}",
                    related=(),
                    questions=MappingProxyType(questions),
                )
            )
    return KnowledgeBase(intents=tuple(intents), synonyms=kb.synonyms, exclusive=kb.exclusive)


def trim(kb: KnowledgeBase, size: int) -> KnowledgeBase:
    """Keep about `size` alternatives, the same share of every intent's questions."""
    total = sum(len(qs) for i in kb.intents for qs in i.questions.values())
    if total <= size:
        return kb
    share = size / total
    intents = tuple(
        replace(
            i,
            questions=MappingProxyType(
                {lg: qs[: max(1, round(len(qs) * share))] for lg, qs in i.questions.items()}
            ),
        )
        for i in kb.intents
    )
    return replace(kb, intents=intents)


def _sized(kb: KnowledgeBase, alternatives: int | None) -> KnowledgeBase:
    return kb if alternatives is None else trim(kb, alternatives)


def base_id(intent_id: str | None) -> str | None:
    """The real intent a generated variant stands for."""
    return intent_id.split("__v")[0] if intent_id else None


def bench_matcher(kb: KnowledgeBase, questions: list[str], repeat: int) -> dict[str, Any]:
    """p50/p99 of one ranking by the matcher alone (language, candidates, conflicts) on the real
    fact base."""
    ranker = Ranker(Matcher(kb), None)
    ranker.rank(questions[0])
    lat = timed(ranker.rank, questions, repeat)
    return {
        "questions": len(questions),
        "calls": len(lat),
        "p50_ms": percentile(lat, 0.5),
        "p99_ms": percentile(lat, 0.99),
        "mean_ms": statistics.fmean(lat),
    }


def bench_engine(kb: KnowledgeBase, questions: list[str], repeat: int) -> dict[str, Any]:
    """The whole reply on the real base (matcher + learned model + decision), and what training
    and a cache load cost."""
    start = time.perf_counter()
    signals = train_signals(kb)
    train_s = time.perf_counter() - start
    with tempfile.TemporaryDirectory(prefix="bench-cache-") as folder:
        cache = SignalsCache(Path(folder))
        cache.save(signals.fingerprint, signals)
        start = time.perf_counter()
        cache.load(signals.fingerprint)
        load_s = time.perf_counter() - start
    engine = Engine(kb, signals=signals)
    engine.reply(questions[0])
    lat = timed(engine.reply, questions, repeat)
    cpu = timed_cpu(engine.reply, questions, repeat)
    return {
        "calls": len(lat),
        "p50_ms": percentile(lat, 0.5),
        "p99_ms": percentile(lat, 0.99),
        "cpu_p50_ms": percentile(cpu, 0.5),
        "cpu_p99_ms": percentile(cpu, 0.99),
        "train_and_calibrate_s": train_s,
        "cache_load_s": load_s,
    }


def bench_scale(
    kb: KnowledgeBase, questions: list[str], sizes: Sequence[int], repeat: int
) -> list[dict[str, Any]]:
    """Our matcher beside a naive WRatio scan over every alternative, on generated bases."""
    per_copy = sum(len(qs) for i in kb.intents for qs in i.questions.values())
    rows = []
    for size in sizes:
        big = trim(vary(kb, max(1, math.ceil(size / per_copy))), size)
        alternatives = [(i.id, q) for i in big.intents for qs in i.questions.values() for q in qs]
        start = time.perf_counter()
        ranker = Ranker(Matcher(big), None)
        build_s = time.perf_counter() - start
        choices = [normalise(q) for _, q in alternatives]
        owners = [intent for intent, _ in alternatives]

        def naive(question: str, choices: list[str] = choices) -> int | None:
            found = process.extractOne(normalise(question), choices, scorer=fuzz.WRatio)
            return None if found is None else int(found[2])

        ours = timed(ranker.rank, questions, repeat)
        baseline = timed(naive, questions, 1)
        same = 0
        for q in questions:
            best = ranker.rank(q).best
            mine = base_id(best.intent if best else None)
            index = naive(q)
            theirs = base_id(owners[index]) if index is not None else None
            same += mine == theirs
        rows.append(
            {
                "alternatives": len(alternatives),
                "build_s": build_s,
                "ours_p50_ms": percentile(ours, 0.5),
                "ours_p99_ms": percentile(ours, 0.99),
                "naive_p50_ms": percentile(baseline, 0.5),
                "naive_p99_ms": percentile(baseline, 0.99),
                "speedup_p50": percentile(baseline, 0.5) / max(1e-9, percentile(ours, 0.5)),
                "same_intent_share": same / len(questions),
            }
        )
    return rows


def render(results: dict[str, Any]) -> str:
    """The figures as a readable table."""
    lines = []
    m = results.get("matcher")
    if m:
        lines.append(
            f"matcher (real base, {m['calls']} calls): p50 {m['p50_ms']:.3f} ms, p99 {m['p99_ms']:.3f} ms"
        )
    e = results.get("engine")
    if e:
        lines.append(
            f"engine reply, matcher + model (real base, {e['calls']} calls): p50 "
            f"{e['p50_ms']:.3f} ms, p99 {e['p99_ms']:.3f} ms; training + calibration "
            f"{e['train_and_calibrate_s']:.2f} s, cache load {e['cache_load_s']:.3f} s"
        )
        if "cpu_p99_ms" in e:
            lines.append(
                f"  (CPU time of the same calls: p50 {e['cpu_p50_ms']:.3f} ms, p99 {e['cpu_p99_ms']:.3f} ms)"
            )
    scale = results.get("matcher_scale") or []
    if scale:
        lines.append(
            "matcher_scale: alternatives | ours p50 / p99 ms | naive WRatio p50 / p99 ms"
            " | speed-up p50 | same intent"
        )
        for r in scale:
            lines.append(
                f"  {r['alternatives']:>7} | {r['ours_p50_ms']:.3f} / {r['ours_p99_ms']:.3f} | "
                f"{r['naive_p50_ms']:.2f} / {r['naive_p99_ms']:.2f} | {r['speedup_p50']:.1f}x | "
                f"{r['same_intent_share']:.2f}"
            )
    e2e = results.get("e2e")
    if e2e:
        lines.append(
            f"e2e: {e2e['messages']} messages from {e2e['users']} users: bot "
            f"{e2e['bot_replies_per_s']:.0f}/s, echo {e2e['echo_replies_per_s']:.0f}/s, "
            f"ratio {e2e['ratio']:.2f}; log {e2e['log_rows_per_s']:.0f} rows/s, "
            f"lost {e2e['log_rows_lost']}"
        )
        if "echo_unlimited_replies_per_s" in e2e:
            lines.append(
                f"  (both held to {e2e.get('rate_limit_per_s', 30)} msg/s by AIORateLimiter; "
                f"without it: bot {e2e.get('bot_unlimited_replies_per_s', 0):.0f}/s, echo "
                f"{e2e['echo_unlimited_replies_per_s']:.0f}/s, ratio "
                f"{e2e.get('ratio_unlimited', 0):.2f}, lost {e2e.get('log_rows_lost_unlimited', 0)})"
            )
    for key in ("startup_s", "rss_mb_idle", "rss_mb_after_burst"):
        if key in results:
            lines.append(f"{key}: {results[key]:.2f}")
    replicas = results.get("replicas")
    if replicas:
        from bot.bench.replicas import render as render_replicas

        lines.append(f"replicas: {replicas['error']}" if "error" in replicas else render_replicas(replicas))
    return "\n".join(lines)


def run(
    size: Size,
    json_path: Path | None,
    knowledge_dir: Path,
    e2e: Callable[[Size], dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Run every benchmark at `size`; print the table; write JSON if asked."""
    kb = load(knowledge_dir)
    questions = bench_questions(kb)
    repeat = REPEAT[size]
    results: dict[str, Any] = {
        "size": size,
        "python": sys.version.split()[0],
        "matcher": bench_matcher(kb, questions, repeat),
        "engine": bench_engine(_sized(kb, ENGINE_ALTERNATIVES[size]), questions, repeat),
        "matcher_scale": bench_scale(
            kb, questions[: SCALE_QUESTIONS[size]], SCALE_SIZES[size], SCALE_REPEAT[size]
        ),
    }
    if e2e is not None:
        results.update(e2e(size))
    print(render(results))
    if json_path is not None:
        try:
            json_path.write_text(json.dumps(results, indent=2), encoding="utf-8")
        except OSError as exc:
            raise BotError(f"{json_path}: the figures cannot be written ({exc.strerror})") from exc
    return results
