"""``json.dumps(value, indent=2, ensure_ascii=False)``, byte for byte, at C speed for leaves.

The standard library pretty-prints in pure Python (its C encoder serves only compact
output): a blast radius of a million ids took seconds to print. Here containers are
laid out by a small recursion and every string and number is encoded by the C encoder,
so printing costs about what writing the text does.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring  # the C function when _json is available
from typing import Any

__all__ = ["pretty_json"]

_INDENT = "  "


def pretty_json(value: Any) -> str:
    """The text ``json.dumps(value, indent=2, ensure_ascii=False)`` gives."""
    return "".join(_parts(value, "\n"))


_CONSTANTS = {True: "true", False: "false", None: "null"}


def _parts(value: Any, newline: str) -> list[str]:
    kind = type(value)
    if kind is str:
        return [encode_basestring(value)]
    if kind is bool or value is None:
        return [_CONSTANTS[value]]
    if kind is int:
        return [int.__repr__(value)]
    if isinstance(value, str):
        return [encode_basestring(value)]
    if isinstance(value, dict):
        if not value:
            return ["{}"]
        inner = newline + _INDENT
        out = ["{"]
        for i, (key, item) in enumerate(value.items()):
            if not isinstance(key, str):
                return [json.dumps(value, indent=2, ensure_ascii=False).replace("\n", newline)]
            out += [inner if i == 0 else "," + inner, encode_basestring(key), ": ",
                    *_parts(item, inner)]
        return [*out, newline, "}"]
    if isinstance(value, (list, tuple)):
        if not value:
            return ["[]"]
        inner = newline + _INDENT
        if all(type(item) is str for item in value):
            return ["[", inner, ("," + inner).join(map(encode_basestring, value)), newline, "]"]
        out = ["["]
        for i, item in enumerate(value):
            out += [inner if i == 0 else "," + inner, *_parts(item, inner)]
        return [*out, newline, "]"]
    return [json.dumps(value, ensure_ascii=False)]
