"""Chinese names typed by sound (pure): a name written with other characters of the same reading, an
input method's slip ("王小明" for "王晓明": both wang xiao ming), is put back in the fact base's
spelling before the question is read, so that the matcher and the typed facts know whom it names.

Only a run of characters that reads like a known name, tones aside, and starts with the name's
own first character (its surname) counts: a same-sounding word with another first character is
more often a word of its own than a slip.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from bot.core.han_sounds import SOUNDS
from bot.core.lang import HAN_RE

# A Chinese personal name: a surname and a one- or two-character given name (a compound surname
# makes four).
_NAME_CHARS = range(2, 5)


@cache
def _readings() -> dict[str, str]:
    """Each Han character's syllable (about 21,000; some 2 MB, built on first use)."""
    out: dict[str, str] = {}
    for entry in SOUNDS:
        sound, chars = entry.split(" ")
        out.update(dict.fromkeys(chars, sound))
    return out


def _sound(text: str) -> tuple[str, ...]:
    """The syllables of a Han text, without tones (a character of no known reading as itself)."""
    readings = _readings()
    return tuple(readings.get(ch, ch) for ch in text)


class SoundAlikes:
    """The Han names of one fact base by their sound."""

    def __init__(self, names: Iterable[str], words: Iterable[str] = ()) -> None:
        """`names`: the people's names (others are left out); `words`: texts of the fact base, whose
        pairs of characters tell a word of its own from a slip ("李化学", chemistry after a surname, is no
        slip of the name 李华)."""
        self._names: dict[tuple[str, ...], str] = {}
        for name in names:
            if len(name) in _NAME_CHARS and all(HAN_RE.fullmatch(ch) for ch in name):
                self._names.setdefault(_sound(name), name)
        self._firsts = frozenset(name[0] for name in self._names.values())
        self._lengths = sorted({len(name) for name in self._names.values()}, reverse=True)
        # Only pairs that start with a character sounding like a name's last one can matter.
        lasts = {_readings().get(name[-1]) for name in self._names.values()}
        alike = frozenset(ch for ch, sound in _readings().items() if sound in lasts)
        self._pairs = frozenset(
            text[i : i + 2]
            for text in words
            for i in range(len(text) - 1)
            if text[i] in alike and HAN_RE.fullmatch(text[i + 1])
        )

    def restore(self, text: str) -> str:
        """`text` with each slip of a known name written as the name; unchanged when it has none."""
        if not self._names or not any(ch in self._firsts for ch in text):
            return text
        out: list[str] = []
        n = 0
        while n < len(text):
            found = self._name_at(text, n) if text[n] in self._firsts else None
            if found is None:
                out.append(text[n])
                n += 1
            else:
                out.append(found)
                n += len(found)
        return "".join(out)

    def _name_at(self, text: str, start: int) -> str | None:
        for size in self._lengths:
            piece = text[start : start + size]
            if len(piece) < size or not all(HAN_RE.fullmatch(ch) for ch in piece):
                continue
            name = self._names.get(_sound(piece))
            if name is None or name[0] != piece[0]:
                continue
            after = text[start + size : start + size + 1]
            if name != piece and after and piece[-1] + after in self._pairs:
                continue  # the run ends inside a word the fact base writes ("人口")
            return name
        return None
