"""Snapshots: the history, and how reachable (entry point, restricted store) pairs changed."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from airgraph.app import state
from airgraph.app.components.pickers import assume_picker


def render() -> None:
    st.title("Snapshots")
    history = state.snapshots()
    st.dataframe(pd.DataFrame([{"snapshot": s.number, "source": s.source, "label": s.label,
                                "ingestor": s.ingestor, "created": s.created_at,
                                "nodes": s.nodes, "edges": s.edges} for s in history]),
                 hide_index=True, key="history")
    st.subheader("Reachable (untrusted entry point, restricted store) pairs")
    numbers = [s.number for s in history]
    a, b, c = st.columns([1, 1, 2])
    with a:
        old = st.selectbox("From snapshot", numbers, key="from",
                           index=numbers.index(_number("from", numbers[0], numbers)))
    with b:
        new = st.selectbox("To snapshot", numbers, key="to",
                           index=numbers.index(_number("to", numbers[-1], numbers)))
    with c:
        assume = assume_picker()
    state.keep(**{"from": old, "to": new})
    before = set(state.restricted_pairs(assume, number=old))
    after = set(state.restricted_pairs(assume, number=new))
    m = st.columns(4)
    m[0].metric(f"Pairs at {old}", len(before))
    m[1].metric(f"Pairs at {new}", len(after), delta=len(after) - len(before),
                delta_color="inverse")
    m[2].metric("New", len(after - before))
    m[3].metric("Gone", len(before - after))
    rows = ([{"change": "new", "entry point": e, "restricted store": s}
             for e, s in sorted(after - before)]
            + [{"change": "gone", "entry point": e, "restricted store": s}
               for e, s in sorted(before - after)])
    st.dataframe(pd.DataFrame(rows, columns=["change", "entry point", "restricted store"]),
                 hide_index=True, key="pairs")


def _number(name: str, default: int, numbers: list[int]) -> int:
    given = state.param(name) or ""
    return int(given) if given.isdigit() and int(given) in numbers else default


render()
