"""Attack paths: the k most likely paths from one node to another (or to any restricted
store), each drawn and explained hop by hop."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from airgraph.app import state
from airgraph.app.components import graph_view
from airgraph.app.components.pickers import assume_picker, node_picker
from airgraph.app.components.subgraphs import describe, paths_graph
from airgraph.queries.results import AttackPath

ANY_RESTRICTED = "any restricted store"
_MAX_TARGETS = 25  # restricted stores searched for "any restricted store", one search each


def render() -> None:
    st.title("Attack paths")
    st.caption("Simple paths of control edges from the start, ending with one control, read "
               "or send edge into the target; most likely first, then shortest.")
    a, b = st.columns(2)
    with a:
        start = node_picker("From", "from", key="from",
                            default=state.riskiest_entry(state.assume_param()))
    with b:
        target = node_picker("To", "to", key="to", extra=(ANY_RESTRICTED,),
                             default=ANY_RESTRICTED)
    c, d = st.columns([3, 2])
    with c:
        k = st.slider("Paths (k)", 1, 10, _k(), key="k")
        state.keep(k=k)
    with d:
        assume = assume_picker()
    if start is None or target is None:
        return
    found = _paths(start, target, k, assume)
    if not found:
        st.info("No attack path: the target is outside the start's blast radius under this "
                "assumption.")
        return
    st.metric("Most likely path", f"{found[0].likelihood:.3f}")
    t = state.tables()
    graph_view.show(graph_view.build(*paths_graph(found, t), layered=True, height=420,
                                     describe=describe(t)))
    st.caption("The most likely path is drawn in red.")
    for rank, path in enumerate(found, 1):
        with st.expander(f"Path {rank}: likelihood {path.likelihood:.3f}, "
                         f"{len(path.edges)} hops, weakest evidence "
                         f"{path.weakest_evidence or 'none'}", expanded=rank == 1):
            st.dataframe(_hops(path), hide_index=True, key=f"hops-{rank}")


def _k() -> int:
    given = state.param("k", "5") or "5"
    return min(max(int(given), 1), 10) if given.isdigit() else 5


def _paths(start: str, target: str, k: int, assume: str) -> list[AttackPath]:
    if target != ANY_RESTRICTED:
        return list(state.paths(start, target, k, assume).paths)
    stores = [e.id for e in state.radius(start, assume).exposed
              if e.sensitivity == "restricted"]
    if len(stores) > _MAX_TARGETS:
        st.caption(f"Searching the first {_MAX_TARGETS} of {len(stores)} restricted stores.")
    found = [p for s in stores[:_MAX_TARGETS] for p in state.paths(start, s, k, assume).paths]
    return sorted(found, key=lambda p: (-p.likelihood, len(p.nodes), p.nodes))[:k]


def _hops(path: AttackPath) -> pd.DataFrame:
    """One row per hop: the edge kind, its technique (``via``), the guardrails on the node
    it enters, and how the edge is known."""
    t = state.tables()
    rows = []
    for i, kind in enumerate(path.edges):
        a, b = path.nodes[i], path.nodes[i + 1]
        via = next((n.props.get("via") for n in state.detail(a).out
                    if n.id == b and n.kind == kind), None)
        guards = [f"{g.id} ({t.prop(g.id, 'mode') or '?'})" for g in state.detail(b).out
                  if g.kind == "GUARDED_BY"]
        rows.append({"hop": i + 1, "from": a, "edge": kind, "via": via or "", "to": b,
                     "to name": t.names.get(b), "guardrails": ", ".join(guards) or None,
                     "evidence": path.evidence[i] if i < len(path.evidence) else None})
    return pd.DataFrame(rows)


render()
