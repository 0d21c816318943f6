"""Command help that reads well at any terminal width.

Typer keeps a docstring's line breaks inside a paragraph, so a docstring written to 88
columns wraps into ragged half-lines at 80. Paragraphs are joined into one line each
(Rich wraps them to the terminal); indented paragraphs (commands to paste) and lines
that start a list item keep their breaks.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

__all__ = ["reflowed"]

_ITEM = ("- ", "* ")


def reflowed(command: Callable[..., Any]) -> str:
    """The command's docstring with each prose paragraph on one line."""
    paragraphs = inspect.cleandoc(command.__doc__ or "").split("\n\n")
    return "\n\n".join(_reflow(p) for p in paragraphs)


def _reflow(paragraph: str) -> str:
    lines = paragraph.split("\n")
    if paragraph.startswith("\b") or any(line.startswith((" ", "\t")) for line in lines):
        return paragraph
    out: list[str] = []
    for line in lines:
        if out and not line.startswith(_ITEM):
            out[-1] = f"{out[-1]} {line.strip()}"
        else:
            out.append(line.strip())
    return "\n".join(out)
