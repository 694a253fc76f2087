"""Session hooks for the whole suite.

Files holding `slow` tests run first, the end-to-end ones at the top of tests/ before those in
subfolders. pytest-xdist's `--dist loadfile` hands files to the workers in collection order, and
the longest files (the real-process crash, replica and outage runs, the scorer) live at the top
level, collected after every subfolder: started last, they made the tail of the run while the
other workers sat idle. Started first, they overlap with the many short files. Tests keep their
order within a file.
"""

from __future__ import annotations

from pathlib import Path

import pytest


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Put the files with a slow test first (a stable sort: the order is otherwise unchanged)."""
    slow_files = {item.path for item in items if item.get_closest_marker("slow") is not None}
    top = Path(__file__).parent
    items.sort(key=lambda item: (item.path not in slow_files, item.path.parent != top))
