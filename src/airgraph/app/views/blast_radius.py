"""Blast radius: pick any node and an assumption; see what an attacker holding it reaches."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from airgraph.app import state
from airgraph.app.components import graph_view
from airgraph.app.components.links import LINK, link_to
from airgraph.app.components.pickers import assume_picker, node_picker
from airgraph.app.components.text import md


def render() -> None:
    st.title("Blast radius")
    st.caption("What an attacker holding the start node influences (control edges), "
               "exposes (stores read or written) and reaches (sinks).")
    left, right = st.columns([3, 2])
    with left:
        start = node_picker("Start node", "node", key="start",
                            default=state.riskiest_entry(state.assume_param()))
    with right:
        assume = assume_picker()
    if start is None:
        return
    r = state.radius(start, assume)
    st.subheader(f"From {md(state.node_names().get(start) or start)}", anchor=False)
    c = st.columns(4)
    c[0].metric("Influenced", len(r.influenced))
    c[1].metric("Exposed stores", len(r.exposed))
    c[2].metric("Sinks", len(r.sinks))
    c[3].metric("Exfiltration", len(r.exfiltration))
    graph_view.show(state.radius_view(start, assume))
    st.caption(graph_view.LEGEND)

    t = state.tables()
    exfiltration = set(r.exfiltration)
    exposed = pd.DataFrame(
        [{"store": e.id, "name": t.names.get(e.id), "sensitivity": e.sensitivity,
          "read": e.read, "write": e.write, "exfiltration": e.id in exfiltration,
          "paths": link_to("paths", **{"from": start, "to": e.id, "assume": assume})}
         for e in r.exposed],
        columns=["store", "name", "sensitivity", "read", "write", "exfiltration", "paths"])
    st.subheader("Exposed stores")
    st.dataframe(exposed, hide_index=True, key="exposed",
                 column_config={"paths": st.column_config.LinkColumn(
                     "paths", display_text="paths", width="small")})
    left, right = st.columns(2)
    with left:
        st.subheader("Sinks")
        st.dataframe(pd.DataFrame([{"sink": s, "name": t.names.get(s)} for s in r.sinks],
                                  columns=["sink", "name"]), hide_index=True, key="sinks")
    with right:
        st.subheader("Exfiltration")
        st.dataframe(pd.DataFrame([{"store": s, "name": t.names.get(s)}
                                   for s in r.exfiltration], columns=["store", "name"]),
                     hide_index=True, key="exfiltration")
    st.subheader("Influenced")
    st.dataframe(pd.DataFrame(
        [{"node": i, "kind": t.kind(i),
          "name": t.names.get(i), "open": link_to("inventory", node=i)} for i in r.influenced],
        columns=["node", "kind", "name", "open"]),
        hide_index=True, column_config={"open": LINK}, key="influenced")


render()
