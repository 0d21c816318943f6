"""Data on a terminal: control characters made visible, Rich markup escaped.

Ids, names and descriptions come from attackers; an ESC or OSC sequence in them must
never reach the terminal (clear screen, window title, hidden links). Every piece of
data a human output prints goes through :func:`safe` (markup strings) or
:func:`visible` (plain text for ``rich.text.Text``), or, for a result composed into text
elsewhere (Markdown), :func:`visible_data` first. JSON output stays exact: the
controls JSON leaves raw are written as ``\\u`` escapes (:func:`terminal_json`), which
parse to the same value.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any, TypeVar

from rich.markup import escape
from rich.text import Text

from airgraph.errors import visible

__all__ = ["safe", "terminal_json", "text", "visible", "visible_data"]

_T = TypeVar("_T")
# what json.dumps leaves raw: DEL, C1 controls, line/paragraph separators, bidi controls
_RAW_IN_JSON = re.compile("[\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def safe(text: object) -> str:
    """``text`` ready for a Rich markup string: controls visible, markup escaped."""
    return escape(visible(text))


def text(value: object, style: str = "") -> Text:
    """``value`` as a Rich Text (never parsed as markup), controls visible."""
    return Text(visible(value), style=style)


def visible_data(value: _T) -> _T:
    """A copy of a result (dataclasses, tuples, lists, dicts) with every string made
    visible, so text composed from it keeps its own line breaks only."""
    return _visible_data(value)


def _visible_data(value: Any) -> Any:
    if isinstance(value, str):
        return visible(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{f.name: _visible_data(getattr(value, f.name))
                                             for f in dataclasses.fields(value) if f.init})
    if isinstance(value, tuple) and hasattr(value, "_fields"):  # a NamedTuple
        return type(value)(*(_visible_data(item) for item in value))
    if isinstance(value, (tuple, list)):
        return type(value)(_visible_data(item) for item in value)
    if isinstance(value, dict):
        return {_visible_data(k): _visible_data(v) for k, v in value.items()}
    return value


def terminal_json(json_text: str) -> str:
    """``json_text`` with the controls JSON leaves raw written as ``\\u`` escapes: the same
    value once parsed, and nothing a terminal acts on. (They can only occur inside
    strings, where an escape is valid.)"""
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", json_text)
