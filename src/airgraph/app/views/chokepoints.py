"""Choke points: where paths from untrusted entry points to restricted data can be cut."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from airgraph.app import state
from airgraph.app.components.pickers import assume_picker
from airgraph.queries.results import ChokeEdge, PairSet


def render() -> None:
    st.title("Choke points")
    st.caption("Pairs are (untrusted entry point, restricted store) joined by an attack path. "
               "Removing an edge or a node cuts the pairs listed; the blast-radius reduction "
               "sums influenced and exposed nodes over untrusted entry points.")
    a, b = st.columns([3, 2])
    with a:
        top = st.slider("Ranked edges and nodes", 3, 50, _top(), key="top")
        state.keep(top=top)
    with b:
        assume = assume_picker()
    c = state.choke_points(assume, top)
    if c.evaluated < len(c.entries):
        st.warning(f"Estimated: what each removal cuts comes from {c.evaluated} of "
                   f"{len(c.entries)} untrusted entry points (an even sample), scaled. Pairs "
                   "and the cut are exact.")
    elif not c.exact:
        st.warning("The node ranking may miss a tool whose removal was only bounded.")
    m = st.columns(4)
    m[0].metric("Pairs", c.pairs.count)
    m[1].metric("Minimum cut (edges)", len(c.cut.edges))
    m[2].metric("Blast radius before cut", c.cut.radius_before)
    m[3].metric("Blast radius after cut", c.cut.radius_after,
                delta=-c.cut.radius_reduction, delta_color="inverse")
    if c.cut.uncuttable.count:
        st.warning(f"{c.cut.uncuttable.count} pairs are joined by non-removable edges only.")

    st.subheader("Minimum cut")
    st.dataframe(_edges(c.cut.edges), hide_index=True, key="cut")
    st.subheader("Edges, ranked by pairs cut")
    st.dataframe(_edges(c.edges), hide_index=True, key="edges")
    st.subheader("Nodes, ranked by pairs cut")
    st.dataframe(pd.DataFrame(
        [{"node": n.id, "kind": n.kind, "pairs cut": n.cut.count, "pairs routed": n.routed.count,
          "radius reduction": n.radius_reduction, "cuts": _pairs(n.cut)} for n in c.nodes],
        columns=["node", "kind", "pairs cut", "pairs routed", "radius reduction", "cuts"]),
        hide_index=True, key="nodes")


def _top() -> int:
    given = state.param("top", "10") or "10"
    return min(max(int(given), 3), 50) if given.isdigit() else 10


def _edges(edges: tuple[ChokeEdge, ...]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"from": e.source, "edge": e.kind, "to": e.target, "via": e.via or "",
          "in minimum cut": e.in_cut, "pairs cut": None if e.cut is None else e.cut.count,
          "pairs routed": e.routed.count, "radius reduction": e.radius_reduction,
          "cuts": None if e.cut is None else _pairs(e.cut)} for e in edges],
        columns=["from", "edge", "to", "via", "in minimum cut", "pairs cut", "pairs routed",
                 "radius reduction", "cuts"])


def _pairs(pairs: PairSet, shown: int = 3) -> str:
    listed = "; ".join(f"{a} → {b}" for a, b in pairs.pairs[:shown])
    more = pairs.count - min(shown, len(pairs.pairs))
    return listed + (f" (+{more} more)" if more > 0 else "")


render()
