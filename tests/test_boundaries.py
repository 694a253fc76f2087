"""The architecture, checked: which package may import what, and where SQL may live.

Rules (see the README's layout):
- `bot.core` is pure: no telegram, no database, no files, no network, and nothing of the packages
  around it (store, telegram, review, console, cli, the fact-file loader), only the fact-base model;
- only `bot.store` talks SQL: it alone holds SQL statements; inside it each driver belongs to its
  backend module (sqlite3/aiosqlite to `bot.store.sqlite`, psycopg to `bot.store.postgres`), and
  only `bot.store.store` (the Store built from the settings) picks a backend;
- only `bot.telegram` (and the benchmark's echo bot) imports python-telegram-bot;
- in `bot.core`, the follow-ups (`bot.core.followups`, one module a kind of move) are read through
  `bot.core.reading` only and never import the reader or the engine; the chat's context record
  (`bot.core.context`, kept by the store and the channel) imports none of them;
- the typed-fact checks (`bot.core.reasoning`, one module a kind of check) are imported through the
  package only, and import neither the reader, the follow-ups nor the engine;
- `bot.review` formats reports and imports neither telegram nor a database driver;
- nothing in `bot/` imports the test suite;
- the Telegram rooms: the handlers of messages (`handlers`), of taps (`taps`) and of the press
  office (`press`, a subpackage) share `bot.telegram.kit` and import neither one another nor the
  routing or the application; the kit imports none of them; only the CLI and the benchmark import
  the application (`bot.telegram.app`, the life cycle); no module imports a private module of
  python-telegram-bot (`telegram._utils` and the like).

The checker reads the source with `ast` (nothing is imported or run). It fails when a core
module imports telegram; for example, a file `bot/core/oops.py` holding `from telegram import
Update` is reported as

    bot/core/oops.py:1: bot.core must not import telegram

which `test_a_core_module_importing_telegram_is_caught` shows on a copy of the rule set.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# The Telegram layer's rooms of handlers: each imports the kit, none another room or the wiring.
_ROOMS = (
    "bot.telegram.handlers",
    "bot.telegram.taps",
    "bot.telegram.press.handlers",
    "bot.telegram.press.handoffs",
    "bot.telegram.press.notices",
    "bot.telegram.press.sender",
    "bot.telegram.routes",
    "bot.telegram.app",
)
# The typed-fact checks, one module a kind (bot.core.reasoning): the rest of the bot imports the
# package (its Reasoner, named_in, deed_in, roles_in), never one kind's module.
_CHECKS = tuple(
    f"bot.core.reasoning.{m}"
    for m in (
        "asked",
        "named",
        "detail",
        "premises",
        "people",
        "counts",
        "dates",
        "lists",
        "summary",
        "terms",
        "reasoner",
    )
)
# package prefix -> module prefixes it must not import
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "bot.core": (
        "telegram",
        "aiosqlite",
        "sqlite3",
        "httpx",
        "yaml",
        "watchfiles",
        "asyncio",
        "os",
        "pathlib",
        "socket",
        "subprocess",
        "bot.store",
        "bot.telegram",
        "bot.review",
        "bot.console",
        "bot.cli",
        "bot.settings",
        "bot.bench",
        "bot.testing",
        "bot.knowledge.loader",
        "bot.knowledge.reload",
        "bot.knowledge.cache",
        "bot.knowledge.cache_files",
        "bot.knowledge.promote",
    ),
    # The chat's context record is plain data the store and the channel keep: it reads nothing.
    "bot.core.context": ("bot.core.followups", "bot.core.reading", "bot.core.engine", "bot.core.ranking"),
    # The moves of a conversation never reach up into what reads or answers a question.
    "bot.core.followups": ("bot.core.reading", "bot.core.engine"),
    # The checks compute from the facts alone: they never reach into what reads, follows or answers.
    "bot.core.reasoning": ("bot.core.reading", "bot.core.followups", "bot.core.engine"),
    "bot.review": ("telegram", "aiosqlite", "sqlite3", "bot.telegram"),
    "bot.knowledge": ("telegram", "aiosqlite", "sqlite3", "bot.telegram", "bot.store"),
    "bot.store": ("telegram", "bot.telegram", "bot.review"),
    "bot.telegram.kit": (*_ROOMS, "bot.telegram.press"),
    "bot.telegram.handlers": _ROOMS,
    "bot.telegram.taps": _ROOMS,
    "bot.telegram.press": tuple(r for r in _ROOMS if not r.startswith("bot.telegram.press.")),
    "bot": ("tests",),
}
# Only these packages may import the database drivers, the backends or python-telegram-bot.
ONLY: dict[str, tuple[str, ...]] = {
    "sqlite3": ("bot.store.sqlite",),
    "aiosqlite": ("bot.store.sqlite",),
    "psycopg": ("bot.store.postgres",),
    "bot.store.sqlite": ("bot.store.store",),
    "bot.store.postgres": ("bot.store.store",),
    "telegram": ("bot.telegram", "bot.bench.e2e"),
    "bot.telegram.app": ("bot.cli", "bot.bench"),
    # The follow-ups are read through their reader (bot.core.reading.Reader) only.
    "bot.core.followups": ("bot.core.followups", "bot.core.reading"),
    **{check: ("bot.core.reasoning",) for check in _CHECKS},
    "starlette": ("bot.review.console",),
    "jinja2": ("bot.review.console",),
    "uvicorn": ("bot.review.console",),
    # pypinyin writes bot/core/han_sounds.py (tests/core/test_han_sounds.py); the bot reads the table.
    "pypinyin": (),
}
SQL = re.compile(
    r"\b(SELECT\s.+\sFROM|INSERT\s+(OR\s+\w+\s+)?INTO|DELETE\s+FROM|UPDATE\s+\w+\s+SET|CREATE\s+"
    r"(TABLE|INDEX)|BEGIN\s+IMMEDIATE|PRAGMA\s+\w+)\b",
    re.IGNORECASE | re.DOTALL,
)


def module_name(path: Path, root: Path) -> str:
    """`bot/core/engine.py` -> `bot.core.engine`."""
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """(line, module) of every import, including those inside functions."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module


def _under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def violations(root: Path) -> list[str]:
    """Every broken rule under `root/bot`, as `path:line: message`."""
    found: list[str] = []
    for path in sorted((root / "bot").rglob("*.py")):
        name = module_name(path, root)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = path.relative_to(root).as_posix()
        for line, imported in imports(tree):
            for package, banned in FORBIDDEN.items():
                if _under(name, package) and any(_under(imported, b) for b in banned):
                    found.append(f"{where}:{line}: {package} must not import {imported}")
            for driver, allowed in ONLY.items():
                if _under(imported, driver) and not any(_under(name, a) for a in allowed):
                    found.append(f"{where}:{line}: only {', '.join(allowed)} may import {driver}")
            if _under(imported, "telegram") and any(p.startswith("_") for p in imported.split(".")[1:]):
                found.append(f"{where}:{line}: {imported} is private to python-telegram-bot")
        if not _under(name, "bot.store"):
            for node in ast.walk(tree):
                if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                    continue
                if SQL.search(node.value) and not _docstring_like(node.value):
                    found.append(f"{where}:{node.lineno}: SQL outside bot.store")
    return found


def _docstring_like(text: str) -> bool:
    # Prose that mentions a statement ("the writer's BEGIN IMMEDIATE") is not a query.
    return len(text.split()) > 12 and text.rstrip().endswith((".", ":"))


def test_every_kind_of_check_is_ruled() -> None:
    """Each module of bot.core.reasoning is in _CHECKS, so the rule that keeps it private covers it."""
    found = {f"bot.core.reasoning.{p.stem}" for p in (ROOT / "bot/core/reasoning").glob("*.py")}
    assert found - {"bot.core.reasoning.__init__"} == set(_CHECKS)


def test_the_package_keeps_its_boundaries() -> None:
    """core is pure, only store holds SQL, only telegram imports telegram, nothing imports tests."""
    assert violations(ROOT) == []


@pytest.mark.parametrize(
    ("relative", "source", "message"),
    [
        pytest.param(
            "bot/core/oops.py",
            "from telegram import Update\n",
            "bot/core/oops.py:1: bot.core must not import telegram",
            id="core-imports-telegram",
        ),
        pytest.param(
            "bot/core/oops.py",
            "import sqlite3\n",
            "bot/core/oops.py:1: bot.core must not import sqlite3",
            id="core-imports-sqlite",
        ),
        pytest.param(
            "bot/review/oops.py",
            'Q = "SELECT text FROM exchanges"\n',
            "bot/review/oops.py:1: SQL outside bot.store",
            id="sql-in-review",
        ),
        pytest.param(
            "bot/console2.py",
            "def f():\n    from tests.fakes import x\n",
            "bot/console2.py:2: bot must not import tests.fakes",
            id="product-imports-tests",
        ),
        pytest.param(
            "bot/telegram/taps.py",
            "from bot.telegram.handlers import respond\n",
            "bot/telegram/taps.py:1: bot.telegram.taps must not import bot.telegram.handlers",
            id="taps-import-handlers",
        ),
        pytest.param(
            "bot/telegram/press/notices.py",
            "from bot.telegram.taps import edit\n",
            "bot/telegram/press/notices.py:1: bot.telegram.press must not import bot.telegram.taps",
            id="press-imports-taps",
        ),
        pytest.param(
            "bot/telegram/kit.py",
            "from bot.telegram.press.view import quote\n",
            "bot/telegram/kit.py:1: bot.telegram.kit must not import bot.telegram.press.view",
            id="kit-imports-a-room",
        ),
        pytest.param(
            "bot/telegram/watcher.py",
            "from bot.telegram.app import App\n",
            "bot/telegram/watcher.py:1: only bot.cli, bot.bench may import bot.telegram.app",
            id="wiring-imports-the-application",
        ),
        pytest.param(
            "bot/telegram/intake.py",
            "from telegram._utils.types import ODVInput\n",
            "bot/telegram/intake.py:1: telegram._utils.types is private to python-telegram-bot",
            id="private-framework-module",
        ),
        pytest.param(
            "bot/review/oops.py",
            "import aiosqlite\n",
            "bot/review/oops.py:1: only bot.store.sqlite may import aiosqlite",
            id="driver-outside-store",
        ),
        pytest.param(
            "bot/store/inbox.py",
            "import psycopg\n",
            "bot/store/inbox.py:1: only bot.store.postgres may import psycopg",
            id="driver-outside-its-backend",  # the store's other modules speak the contract only
        ),
        pytest.param(
            "bot/core/engine.py",
            "from bot.core.followups.pointed import pick\n",
            "bot/core/engine.py:1: only bot.core.followups, bot.core.reading may import bot.core.followups",
            id="engine-reads-a-move-itself",  # the engine gets readings from the Reader
        ),
        pytest.param(
            "bot/core/engine.py",
            "from bot.core.reasoning.dates import _Time\n",
            "bot/core/engine.py:1: only bot.core.reasoning may import bot.core.reasoning.dates",
            id="engine-imports-one-kind-of-check",  # the engine imports the package's Reasoner
        ),
        pytest.param(
            "bot/core/reasoning/people.py",
            "from bot.core.reading import Reader\n",
            "bot/core/reasoning/people.py:1: bot.core.reasoning must not import bot.core.reading",
            id="check-imports-the-reader",
        ),
        pytest.param(
            "bot/core/followups/more.py",
            "from bot.core.engine import Engine\n",
            "bot/core/followups/more.py:1: bot.core.followups must not import bot.core.engine",
            id="move-imports-the-engine",
        ),
        pytest.param(
            "bot/core/context.py",
            "from bot.core.followups.basis import Basis\n",
            "bot/core/context.py:1: bot.core.context must not import bot.core.followups.basis",
            id="context-record-reads",  # the store keeps the record without loading the readers
        ),
        pytest.param(
            "bot/telegram/app.py",
            "from bot.store.sqlite import SqliteBackend\n",
            "bot/telegram/app.py:1: only bot.store.store may import bot.store.sqlite",
            id="backend-picked-outside-the-store",  # the one Store built from the settings picks it
        ),
    ],
)
def test_a_broken_rule_is_caught(tmp_path: Path, relative: str, source: str, message: str) -> None:
    """The checker is not blind: each kind of breach in a scratch tree is reported."""
    target = tmp_path / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(source, encoding="utf-8")
    assert message in violations(tmp_path)


def test_a_core_module_importing_telegram_is_caught(tmp_path: Path) -> None:
    """The example of the module docstring, on a copy of the real package plus one bad file."""
    for path in (ROOT / "bot" / "core").rglob("*.py"):
        copy = tmp_path / path.relative_to(ROOT)
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "bot" / "core" / "oops.py").write_text("from telegram import Update\n", encoding="utf-8")
    found = violations(tmp_path)
    assert "bot/core/oops.py:1: bot.core must not import telegram" in found
    assert {line.split(":")[0] for line in found} == {"bot/core/oops.py"}


def test_the_console_reaches_the_store_through_one_module() -> None:
    """bot.review.console talks to bot.store only in data.py (one file to change with the store)."""
    found = []
    for path in sorted((ROOT / "bot" / "review" / "console").rglob("*.py")):
        if path.name == "data.py":
            continue
        for line, imported in imports(ast.parse(path.read_text(encoding="utf-8"))):
            if _under(imported, "bot.store"):
                found.append(f"{path.relative_to(ROOT).as_posix()}:{line}: imports {imported}")
    assert found == []
