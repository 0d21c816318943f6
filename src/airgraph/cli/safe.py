"""Data on a terminal: control characters made visible, Rich markup escaped.

Ids, names and descriptions come from attackers; an ESC or OSC sequence in them must
never reach the terminal (clear screen, window title, hidden links). Every piece of
data a human output prints goes through :func:`safe` (markup strings) or
:func:`visible` (plain text for ``rich.text.Text``). JSON output stays exact.
"""

from __future__ import annotations

import re

from rich.markup import escape
from rich.text import Text

__all__ = ["safe", "text", "visible"]

# C0 and C1 controls, DEL, and the Unicode line/paragraph separators and bidi controls
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _show(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: object) -> str:
    """``text`` with every control character written as an escape (``\\x1b``)."""
    return _CONTROL.sub(_show, str(text))


def safe(text: object) -> str:
    """``text`` ready for a Rich markup string: controls visible, markup escaped."""
    return escape(visible(text))


def text(value: object, style: str = "") -> Text:
    """``value`` as a Rich Text (never parsed as markup), controls visible."""
    return Text(visible(value), style=style)
