"""Inventory: searchable tables by kind, and one node's detail with its neighbours."""

from __future__ import annotations

import json

import pandas as pd
import streamlit as st

from airgraph.app import state
from airgraph.app.components.links import LINK, link_to
from airgraph.app.components.pickers import node_picker
from airgraph.app.components.text import md
from airgraph.queries.inventory import Neighbour
from airgraph.schema import NodeKind

_KINDS = [str(k) for k in NodeKind]


def render() -> None:
    st.title("Inventory")
    _detail()
    st.divider()
    _table()


def _table() -> None:
    t = state.tables()
    a, b = st.columns([1, 2])
    with a:
        given = state.param("kind")
        kind = st.selectbox("Kind", _KINDS, key="kind",
                            index=_KINDS.index(given) if given in _KINDS else 0)
        state.keep(kind=kind)
    with b:
        text = st.text_input("Filter by id, name, owner or source", key="filter")
    nodes = t.nodes[t.nodes["kind"] == kind]
    frame = pd.DataFrame({
        "id": nodes["id"], "name": nodes["name"],
        "owner": nodes["owner"] if "owner" in nodes.columns else None,
        "source": nodes["source"], "evidence": nodes["evidence"],
        "open": [link_to("inventory", node=i, kind=kind) for i in nodes["id"]]})
    if text:
        needle = text.casefold()
        hit = frame[["id", "name", "owner", "source"]].astype(str).apply(
            lambda col: col.str.casefold().str.contains(needle, regex=False))
        frame = frame[hit.any(axis=1)]
    st.caption(f"{len(frame)} of {len(nodes)} nodes of kind {kind}")
    st.dataframe(frame, hide_index=True, column_config={"open": LINK}, key="nodes")


def _detail() -> None:
    node = node_picker("Node", "node", key="node")
    if node is None:
        return
    d = state.detail(node)
    st.subheader(md(d.node.get("name") or node), anchor=False)
    st.caption(f"{md(d.node.get('kind'))} · sources: {md(', '.join(d.sources))}")
    st.dataframe(pd.DataFrame(
        [{"property": k, "value": v if isinstance(v, str) else json.dumps(v, default=str),
          "source": d.provenance.get(k)} for k, v in d.node.items()],
        columns=["property", "value", "source"]), hide_index=True, key="properties")
    left, right = st.columns(2)
    with left:
        st.markdown("**Out**")
        st.dataframe(_neighbours(d.out, "to"), hide_index=True,
                     column_config={"open": LINK}, key="out")
    with right:
        st.markdown("**In**")
        st.dataframe(_neighbours(d.into, "from"), hide_index=True,
                     column_config={"open": LINK}, key="in")


def _neighbours(edges: tuple[Neighbour, ...], direction: str) -> pd.DataFrame:
    names = state.node_names()
    return pd.DataFrame(
        [{"edge": n.kind, direction: n.id, "name": names.get(n.id), "evidence": n.evidence,
          "via": n.props.get("via") or "", "open": link_to("inventory", node=n.id)} for n in edges],
        columns=["edge", direction, "name", "evidence", "via", "open"])


render()
