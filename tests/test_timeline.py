"""The recorded test times that order the files (tests/timeline.py, tests/conftest.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.timeline import expected_seconds, write_durations


def _record(test: str, seconds: float) -> str:
    return json.dumps(
        {
            "worker": "gw0",
            "test": test,
            "file": test.split("::")[0],
            "start": 100.0,
            "end": 100.0 + seconds,
            "cpu_self": 0.0,
            "cpu_children": 0.0,
        }
    )


def test_the_table_keeps_the_tests_that_take_time(tmp_path: Path) -> None:
    timeline = tmp_path / "timeline.jsonl"
    records = [
        _record("tests/a.py::long", 12.3456),
        _record("tests/a.py::short", 0.01),
        _record("tests/b.py::x", 0.5),
    ]
    timeline.write_text("\n".join(records) + "\n", encoding="utf-8")
    table = tmp_path / "durations.json"
    assert write_durations(timeline, table) == 2
    assert json.loads(table.read_text(encoding="utf-8")) == {"tests/a.py::long": 12.35, "tests/b.py::x": 0.5}


@dataclass
class FakeItem:
    """A collected test as the ordering reads it."""

    nodeid: str
    slow: bool = False

    @property
    def path(self) -> Path:
        return Path(self.nodeid.split("::")[0])

    def get_closest_marker(self, name: str) -> pytest.Mark | None:
        return pytest.mark.slow.mark if name == "slow" and self.slow else None


_ITEMS = [FakeItem("a.py::one"), FakeItem("a.py::two", slow=True), FakeItem("b.py::three")]


@pytest.mark.parametrize(
    ("table_text", "a_seconds", "b_seconds"),
    [
        pytest.param(None, 0.01 + 5.0, 0.01, id="no-table-short-and-slow-unknown"),
        pytest.param("{not json", 0.01 + 5.0, 0.01, id="broken-table-as-none"),
        pytest.param(json.dumps({"a.py::two": 1.5, "b.py::three": 9.0}), 0.01 + 1.5, 9.0, id="known-times"),
        pytest.param(json.dumps({"gone.py::x": 30.0}), 0.01 + 5.0, 0.01, id="a-stale-entry-counts-nothing"),
    ],
)
def test_a_files_expected_time_sums_its_tests(
    tmp_path: Path, table_text: str | None, a_seconds: float, b_seconds: float
) -> None:
    table = tmp_path / "durations.json"
    if table_text is not None:
        table.write_text(table_text, encoding="utf-8")
    expected = expected_seconds(_ITEMS, table)
    assert expected == {Path("a.py"): pytest.approx(a_seconds), Path("b.py"): pytest.approx(b_seconds)}
