"""The engine knows no announcement: no name that the fact base lists as a person, organisation or
place of its release (knowledge/release.yaml, `names:`) appears anywhere in `bot/`, so that a
second announcement is a second `knowledge/` folder and no code change.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

from bot.knowledge.loader import load
from bot.telegram.format import about_message, start_message
from tests.engines import engine_of

ROOT = Path(__file__).resolve().parents[1]
# Text files of the package; the vendored Bot API table is Telegram's, not the release's.
SUFFIXES = {".py", ".md", ".json", ".txt", ".toml", ".yaml", ".html", ".css", ".js"}


def release_names() -> list[str]:
    """Every name the shipped fact base defines, by kind."""
    names = load(ROOT / "knowledge").release.names
    return [name for kind in ("person", "organisation", "place") for name in names.get(kind, ())]


def named_in(folder: Path, names: Iterable[str]) -> list[str]:
    """`path:line: 'name'` for each line of a text file under `folder` that holds a name."""
    lowered = [(name, name.lower()) for name in names]
    found = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.suffix not in SUFFIXES or "__pycache__" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            low = line.lower()
            found += [f"{path}:{number}: '{name}'" for name, key in lowered if key in low]
    return found


def test_the_fact_base_lists_the_names_of_its_release() -> None:
    """release.yaml names people, organisations and places (else the check below proves nothing)."""
    names = load(ROOT / "knowledge").release.names
    assert all(names.get(kind) for kind in ("person", "organisation", "place")), names


def test_no_release_name_in_the_code() -> None:
    """Nothing in bot/ names a person, organisation or place of the announcement."""
    assert named_in(ROOT / "bot", release_names()) == []


def test_a_name_added_back_is_caught(tmp_path: Path) -> None:
    """The check fails on a copy of bot/ where a module names a place of the release again."""
    copy = tmp_path / "bot"
    shutil.copytree(ROOT / "bot", copy, ignore=shutil.ignore_patterns("__pycache__"))
    place = load(ROOT / "knowledge").release.names["place"][0]
    (copy / "core" / "oops.py").write_text(f'GENERIC = ("{place.lower()}", "company")\n', encoding="utf-8")
    assert named_in(copy, release_names()) == [f"{copy / 'core' / 'oops.py'}:1: '{place}'"]


def test_the_bot_speaks_of_whatever_release_the_folder_describes(tmp_path: Path) -> None:
    """Another release.yaml changes /start, /about and the source line; no code knows the first.
    (The questions are the real base's, so its learned model comes from the session's cache.)"""
    shutil.copytree(ROOT / "knowledge", tmp_path, dirs_exist_ok=True)
    release = tmp_path / "release.yaml"
    text = release.read_text(encoding="utf-8")
    release.write_text(
        text.replace("Hello! I answer", "Welcome to the Example Corp bot! I answer").replace(
            "Siemens press release of 25 June 2024", "Example Corp notice of 1 May 2031"
        ),
        encoding="utf-8",
    )
    engine = engine_of(tmp_path)
    assert start_message(engine, "en").html.startswith("Welcome to the Example Corp bot!")
    assert "Example Corp notice of 1 May 2031" in about_message(engine, "en").html
    reply = engine.reply("When was the agreement signed?")
    assert reply.sources and reply.sources[0].startswith("Example Corp notice of 1 May 2031, para.")


def test_without_release_yaml_the_bot_uses_generic_words(tmp_path: Path) -> None:
    """A fact base with no release.yaml still answers, greets and cites, in neutral words."""
    shutil.copytree(ROOT / "knowledge", tmp_path, dirs_exist_ok=True)
    (tmp_path / "release.yaml").unlink()
    engine = engine_of(tmp_path)
    greeting = start_message(engine, "de").html
    assert greeting.startswith("Hallo! Ich beantworte Fragen zu einer Pressemitteilung")
    assert engine.reply("Wann wurde unterzeichnet?").sources[0].startswith("Pressemitteilung, Abs.")
    assert "{scope}" not in engine.reply("Wie wird das Wetter morgen?").text
    # No summary or key points of its own: a summary in one sentence is the key facts.
    assert engine.reply("Summarize the press release in one sentence.").text.count("\n• ") >= 5
