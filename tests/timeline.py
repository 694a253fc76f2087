"""A record of where the suite's time goes, written only when BOT_TEST_TIMELINE names a file.

One JSON line per test (each pytest-xdist worker appends its own): the worker, the test, its wall
start and end (time.time()), and the CPU-seconds (user + sys) it cost in the test process itself
and in the child processes it waited for (bot processes, `run.py` commands). Read it with
`python -m tests.timeline FILE`: per-file wall and CPU, and each worker's busy and idle time, to see
the tail of a run and which files to make cheaper. Loaded by tests/conftest.py as a plugin.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from collections import defaultdict
from collections.abc import Generator
from pathlib import Path

import pytest

TIMELINE_ENV = "BOT_TEST_TIMELINE"


def _cpu(who: int) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Generator[None, None, None]:
    """Time one test (setup, call and teardown) when the timeline is asked for."""
    target = os.environ.get(TIMELINE_ENV, "").strip()
    if not target:
        yield
        return
    start = time.time()
    cpu_self = _cpu(resource.RUSAGE_SELF)
    cpu_children = _cpu(resource.RUSAGE_CHILDREN)
    yield
    record = {
        "worker": os.environ.get("PYTEST_XDIST_WORKER", "main"),
        "test": item.nodeid,
        "file": item.nodeid.split("::")[0],
        "start": start,
        "end": time.time(),
        "cpu_self": _cpu(resource.RUSAGE_SELF) - cpu_self,
        "cpu_children": _cpu(resource.RUSAGE_CHILDREN) - cpu_children,
    }
    with open(target, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(record) + "\n")


def summary(path: Path) -> str:
    """Per-file wall and CPU (largest CPU first) and each worker's busy span and idle time."""
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    if not records:
        return "no tests recorded"
    first = min(r["start"] for r in records)
    last = max(r["end"] for r in records)
    files: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for r in records:
        f = files[r["file"]]
        f["wall"] += r["end"] - r["start"]
        f["cpu"] += r["cpu_self"] + r["cpu_children"]
        f["children"] += r["cpu_children"]
        f["tests"] += 1
        f["start"] = min(f.get("start", r["start"]), r["start"])
        f["end"] = max(f.get("end", r["end"]), r["end"])
    lines = [f"{len(records)} tests, {last - first:.1f} s from the first start to the last end"]
    lines.append(f"{'file':58} {'tests':>5} {'wall':>7} {'cpu':>7} {'child':>7} {'from':>6} {'to':>6}")
    for name, f in sorted(files.items(), key=lambda kv: -kv[1]["cpu"]):
        lines.append(
            f"{name:58} {int(f['tests']):5} {f['wall']:7.1f} {f['cpu']:7.1f} {f['children']:7.1f}"
            f" {f['start'] - first:6.1f} {f['end'] - first:6.1f}"
        )
    workers: dict[str, list[dict[str, float]]] = defaultdict(list)
    for r in records:
        workers[r["worker"]].append(r)
    for worker, rs in sorted(workers.items()):
        busy = sum(r["end"] - r["start"] for r in rs)
        cpu = sum(r["cpu_self"] + r["cpu_children"] for r in rs)
        begin = min(r["start"] for r in rs) - first
        end = max(r["end"] for r in rs) - first
        lines.append(
            f"{worker}: busy {busy:.1f} s, cpu {cpu:.1f} s, first start {begin:.1f} s, last end {end:.1f} s"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    print(summary(Path(sys.argv[1])))
