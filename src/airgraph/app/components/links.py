"""Links from table rows to the views that explain them (deep links by query string)."""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

__all__ = ["LINK", "link_to"]

LINK = st.column_config.LinkColumn("open", display_text="open", width="small")
"""Column config for a column of :func:`link_to` URLs."""


def link_to(path: str, **params: str) -> str:
    """A relative URL to page ``path`` with ``params`` percent-encoded."""
    return f"./{path}?{urlencode(params)}"
