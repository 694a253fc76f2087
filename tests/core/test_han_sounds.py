"""The table of Han characters by their sound (bot/core/han_sounds.py) is what pypinyin reads.

The bot reads the table, not pypinyin: pypinyin's dictionaries hold about 57 MB in memory, the
table of one reading per character about 2 MB. `python -m tests.core.test_han_sounds` writes the
table again from the installed pypinyin (a test dependency).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bot.core import han_sounds

MODULE = Path(han_sounds.__file__)
# The CJK Unified Ideographs block: the characters of names written today.
BLOCK = range(0x4E00, 0xA000)
PER_LINE = 40  # characters per line of the table (ruff counts a Han character as two columns)
HEADER = '''"""Han characters by their sound, without tones: one reading each, the first pypinyin gives
(generated data, derived from pypinyin's dictionary, MIT licence: `python -m
tests.core.test_han_sounds` writes it; tests/core/test_han_sounds.py checks it against the pinned
pypinyin). Each entry is a syllable and characters read so; a syllable may take several entries.
"""

from __future__ import annotations

SOUNDS: tuple[str, ...] = (
'''


def generated() -> str:
    """The module's text from the installed pypinyin."""
    from pypinyin import Style, lazy_pinyin
    from pypinyin.pinyin_dict import pinyin_dict

    by_sound: dict[str, list[str]] = {}
    for point in BLOCK:
        if point in pinyin_dict:
            char = chr(point)
            by_sound.setdefault(lazy_pinyin(char, style=Style.NORMAL)[0], []).append(char)
    lines = [HEADER]
    for sound, chars in sorted(by_sound.items()):
        for start in range(0, len(chars), PER_LINE):
            lines.append(f'    "{sound} {"".join(chars[start : start + PER_LINE])}",\n')
    lines.append(")\n")
    return "".join(lines)


def test_the_table_is_what_pypinyin_reads() -> None:
    pytest.importorskip("pypinyin", reason="pypinyin (the test extra) writes the table")
    assert MODULE.read_text(encoding="utf-8") == generated(), "run: python -m tests.core.test_han_sounds"


def test_every_character_has_one_sound() -> None:
    chars = [c for entry in han_sounds.SOUNDS for c in entry.split(" ")[1]]
    assert len(chars) == len(set(chars)) > 20_000
    assert all(entry.split(" ")[0].isascii() for entry in han_sounds.SOUNDS)


if __name__ == "__main__":
    MODULE.write_text(generated(), encoding="utf-8")
    sys.exit(0)
