"""Findings: the catalogue's results, filterable by severity, rule and source."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from airgraph.app import state
from airgraph.app.components.links import LINK, link_to
from airgraph.app.components.pickers import assume_picker
from airgraph.catalogue import SEVERITIES, severity_rank


def render() -> None:
    st.title("Findings")
    found = state.findings(assume_picker()).findings
    rules = sorted({f.rule for f in found})
    sources = sorted({f.source for f in found})
    a, b, c = st.columns(3)
    with a:
        given = state.param("severity")
        severity = st.selectbox("At least", SEVERITIES, key="severity",
                                index=SEVERITIES.index(given) if given in SEVERITIES
                                else len(SEVERITIES) - 1)
    with b:
        rule = st.multiselect("Rules", rules, default=_listed("rule", rules), key="rule")
    with c:
        source = st.multiselect("Sources", sources, default=_listed("source", sources),
                                key="source")
    state.keep(severity=None if severity == SEVERITIES[-1] else severity,
               rule=",".join(rule) or None, source=",".join(source) or None)
    shown = [f for f in found if severity_rank(f.severity) <= severity_rank(severity)
             and (not rule or f.rule in rule) and (not source or f.source in source)]
    m = st.columns(len(SEVERITIES))
    for col, level in zip(m, SEVERITIES):
        col.metric(level, sum(f.severity == level for f in shown))
    st.dataframe(pd.DataFrame(
        [{"severity": f.severity, "rule": f.rule, "node": f.node, "message": f.message,
          "owner": f.owner, "source": f.source, "evidence": f.evidence, "file": f.file,
          "line": f.line, "open": link_to("inventory", node=f.node)} for f in shown],
        columns=["severity", "rule", "node", "message", "owner", "source", "evidence", "file",
                 "line", "open"]),
        hide_index=True, column_config={"open": LINK}, key="findings")


def _listed(name: str, options: list[str]) -> list[str]:
    return [v for v in (state.param(name) or "").split(",") if v in options]


render()
