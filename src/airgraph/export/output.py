"""One way to serialise and write every export: stable JSON, UTF-8 files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

__all__ = ["dumps", "write_text"]


def dumps(value: Any) -> str:
    """JSON with two-space indents and a final newline, byte-stable for equal input."""
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` as UTF-8, creating parent folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
