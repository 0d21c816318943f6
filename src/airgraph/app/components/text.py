"""Graph text inside Markdown: every Markdown and HTML character escaped, so an id or a
name is shown as written and never becomes a link, an image or a tag."""

from __future__ import annotations

import re

from airgraph.app.components.graph_view import plain

__all__ = ["md"]

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=\"'])")


def md(text: object, limit: int | None = 120) -> str:
    """``text`` on one line, cut to ``limit``, safe to place in Markdown."""
    return _SPECIAL.sub(r"\\\1", plain(text, limit))
