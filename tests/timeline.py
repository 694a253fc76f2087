"""A record of where the suite's time goes, written only when BOT_TEST_TIMELINE names a file.

One JSON line per test (each pytest-xdist worker appends its own): the worker, the test, its wall
start and end (time.time()), and the CPU-seconds (user + sys) it cost in the test process itself
and in the child processes it waited for (bot processes, `run.py` commands). Read it with
`python -m tests.timeline FILE`: per-file wall and CPU, and each worker's busy and idle time, to see
the tail of a run and which files to make cheaper. Loaded by tests/conftest.py as a plugin.

`python -m tests.timeline FILE --durations` writes each test's wall time from such a record to
tests/durations.json, which tests/conftest.py orders the files by (longest first). Refresh it
from a whole run when files change much; a test it does not know counts as a short one (a slow
one as a few seconds), so a stale table costs only a less even spread, never a failure.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from collections import defaultdict
from collections.abc import Generator, Sequence
from pathlib import Path
from typing import Any, Protocol

import pytest

TIMELINE_ENV = "BOT_TEST_TIMELINE"
DURATIONS = Path(__file__).with_name("durations.json")
_SHORT_S = 0.05  # tests under this are left out of the table and count as _UNKNOWN_S
_UNKNOWN_S = 0.01  # the mean of the tests under _SHORT_S in a whole run: 0.008 s
_UNKNOWN_SLOW_S = 5.0


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


def _records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def write_durations(path: Path, target: Path = DURATIONS) -> int:
    """Each test's wall time in the record at `path` (tests of at least _SHORT_S), as JSON."""
    times = {r["test"]: round(r["end"] - r["start"], 2) for r in _records(path)}
    kept = {test: seconds for test, seconds in sorted(times.items()) if seconds >= _SHORT_S}
    target.write_text(json.dumps(kept, indent=0, ensure_ascii=False) + "\n", encoding="utf-8")
    return len(kept)


class Timed(Protocol):
    """What the ordering reads of a collected test (a pytest.Item)."""

    @property
    def nodeid(self) -> str: ...

    @property
    def path(self) -> Path: ...

    def get_closest_marker(self, name: str) -> pytest.Mark | None: ...


def expected_seconds(items: Sequence[Timed], table: Path = DURATIONS) -> dict[Path, float]:
    """Each file's expected wall time: the sum over its tests in the table, unknown ones counted
    as short (slow ones as a few seconds); no table or a broken one: every test unknown."""
    try:
        times: dict[str, float] = json.loads(table.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        times = {}
    per_file: dict[Path, float] = defaultdict(float)
    for item in items:
        unknown = _UNKNOWN_SLOW_S if item.get_closest_marker("slow") is not None else _UNKNOWN_S
        per_file[item.path] += times.get(item.nodeid, unknown)
    return per_file


def summary(path: Path) -> str:
    """Per-file wall and CPU (largest CPU first) and each worker's busy span and idle time."""
    records = _records(path)
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
    if sys.argv[2:] == ["--durations"]:
        print(f"{write_durations(Path(sys.argv[1]))} tests written to {DURATIONS}")
    else:
        print(summary(Path(sys.argv[1])))
