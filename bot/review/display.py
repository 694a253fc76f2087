"""Logged text made safe to show: control and bidi characters made visible (pure, no I/O).

Whatever a user sent is shown later to people: on a reviewer's terminal (where ESC starts an
escape sequence and CR overwrites the line), in the HTML report and in admin messages (where
U+202E turns the rest of a line around). `visible()` replaces every such character with a
readable `<U+XXXX>` mark; tab and newline stay.
"""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, C1 controls, zero-width and direction marks, line and
# paragraph separators, bidi embeddings, overrides and isolates, word joiners, the BOM, and
# interlinear annotation marks.
_HIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]"
)


def visible(text: str) -> str:
    """`text` with control and bidi characters shown as <U+XXXX>."""
    return _HIDDEN.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)


def without_hidden(text: str) -> str:
    """`text` without its control and bidi characters (tab and newline stay): what the console
    hands to the fact base, and keeps in form fields, where a <U+XXXX> mark would be taken
    literally."""
    return _HIDDEN.sub("", text)
