"""Overview: what the estate holds, and where it is most exposed."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from airgraph.app import state
from airgraph.app.components.links import LINK, link_to
from airgraph.app.components.pickers import assume_picker


def render() -> None:
    st.title("Overview")
    assume = assume_picker()
    t = state.tables()
    sources = state.sources()
    trifecta = state.trifecta(assume).counts  # counts: the id lists run to 10^5 at scale
    c = st.columns(4)
    c[0].metric("Nodes", len(t.nodes))
    c[1].metric("Edges", t.edge_count)
    c[2].metric("Sources", len(sources))
    c[3].metric("Lethal-trifecta agents", len(trifecta))

    left, right = st.columns(2)
    with left:
        st.subheader("Nodes by kind")
        by_kind = t.nodes["kind"].value_counts().rename_axis("kind").reset_index(name="nodes")
        st.dataframe(by_kind, hide_index=True, key="by-kind")
    with right:
        st.subheader("By source")
        st.dataframe(pd.DataFrame([s.to_dict() for s in sources]), hide_index=True,
                     key="by-source")

    st.subheader("Riskiest entry points")
    rows = [{"entry point": e.start, "exposure": e.exposure, "influenced": e.influenced,
             "restricted exposed": e.exposed.get("restricted", 0),
             "confidential exposed": e.exposed.get("confidential", 0),
             "external sinks": e.external_sinks, "exfiltration": e.exfiltration,
             "open": link_to("blast-radius", node=e.start, assume=assume)}
            for e in state.riskiest_first(state.reach_all(assume).entry_points)]
    st.dataframe(pd.DataFrame(rows), hide_index=True, column_config={"open": LINK},
                 key="riskiest")

    st.subheader("Lethal trifecta")
    st.caption("Agents with untrusted input, sensitive data and a way out at once.")
    st.dataframe(pd.DataFrame(
        [{"agent": a.id, "untrusted inputs": _few(a.first.untrusted_inputs, a.untrusted_inputs),
          "sensitive data": a.sensitive_data,
          "external sinks": _few(a.first.external_sinks, a.external_sinks)
          or "interactive reply",
          "open": link_to("blast-radius", node=a.id, assume=assume)} for a in trifecta],
        columns=["agent", "untrusted inputs", "sensitive data", "external sinks", "open"]),
        hide_index=True, column_config={"open": LINK}, key="trifecta")

    st.subheader("Headline findings")  # last: on large estates findings take longest
    with st.spinner("Collecting findings..."):
        found = state.findings(assume).findings
    st.metric("Findings", len(found))
    headline = [f for f in found if f.severity in ("critical", "high")][:15]
    st.dataframe(pd.DataFrame(
        [{"severity": f.severity, "rule": f.rule, "node": f.node, "message": f.message,
          "open": link_to("inventory", node=f.node)} for f in headline],
        columns=["severity", "rule", "node", "message", "open"]),
        hide_index=True, column_config={"open": LINK}, key="headline")


def _few(ids: Sequence[str], count: int) -> str:
    """The first ids of a list, and how many more it holds."""
    more = count - len(ids)
    return ", ".join(ids) + (f" (+{more:,} more)" if more > 0 else "")


render()
