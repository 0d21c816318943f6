"""The pickers pages share: a node picker searchable by id or name, and the assumption.

Both read their value from the query string and write it back, so the URL links to the view.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from airgraph.app import state
from airgraph.app.components.graph_view import plain
from airgraph.app.components.text import md
from airgraph.errors import UnknownIdError

__all__ = ["assume_picker", "node_label", "node_picker"]

_SHOWN = 200


def assume_picker(key: str = "assume") -> str:
    """The assumption radio; kept as ``?assume=``."""
    options = list(state.ASSUMPTIONS)
    choice = st.radio("Assumption", options, index=options.index(state.assume_param()),
                      horizontal=True, key=key,
                      help="realistic: tool scope applies, human approval blocks, filters "
                           "lower likelihood. worst: every tool is broad and every guardrail "
                           "fails.")
    state.keep(assume=choice)
    return choice


def node_label(node_id: str) -> str:
    """``name — id`` on one line, for option lists (rendered as text)."""
    name = state.node_names().get(node_id) or ""
    shown = plain(node_id, 90)
    return f"{plain(name, 60)} — {shown}" if name and name != node_id else shown


def node_picker(label: str, name: str, *, kinds: Sequence[str] = (), key: str,
                extra: Sequence[str] = (), default: str | None = None) -> str | None:
    """Pick a node (or one of ``extra``); kept as ``?<name>=ID``; ``default`` when the
    query string names none.

    A deep link may name a node by a unique id suffix or its exact name; it is resolved
    to the id. The search box narrows the list to ids or names containing its text.
    """
    given = state.param(name) or default
    current = None
    if given in extra:
        current = given
    elif given:
        try:
            current = state.resolve(given)
        except UnknownIdError as exc:
            st.warning(md(exc, 300), icon=":material/warning:")
    text = st.text_input(f"Search {label.lower()} by id or name", key=f"{key}-search",
                         placeholder="part of an id or a name")
    options = [*extra, *state.search(text, tuple(kinds), _SHOWN)]
    if current and current not in options:
        options.insert(len(extra), current)
    if not options:
        st.caption("No node matches.")
        return None
    choice = st.selectbox(label, options, index=options.index(current) if current in options
                          else 0, key=key, format_func=lambda i: i if i in extra
                          else node_label(i))
    state.keep(**{name: choice})
    return choice
