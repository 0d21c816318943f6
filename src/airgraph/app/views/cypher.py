"""Cypher (Neo4j stores): the bundled query library, and free queries in read transactions."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import streamlit as st

from airgraph.app import state
from airgraph.app.cypher_read import is_neo4j, run_read
from airgraph.queries.cypher_library import CypherQuery, list_queries


def render() -> None:
    st.title("Cypher")
    live = is_neo4j(state.store_uri())
    if not live:
        st.info("Running Cypher needs a Neo4j store: `airgraph app --store neo4j://HOST:7687`. "
                "The bundled queries below can be pasted into Neo4j Browser.")
    queries = {q.name: q for q in list_queries()}
    given = state.param("query")
    names = list(queries)
    name = st.selectbox("Bundled query", names, key="query",
                        index=names.index(given) if given in names else 0,
                        format_func=lambda n: f"{queries[n].title} ({n})")
    state.keep(query=name)
    q = queries[name]
    st.caption(q.answers)
    st.code(q.text, language="cypher")
    params = {p.name: _value(st.text_input(f"${p.name}", key=f"param-{p.name}",
                                           help=p.description)) for p in q.parameters}
    if live and st.button("Run bundled query", key="run-bundled"):
        _show(q.text, params)
    if live:
        _free(q)


def _free(q: CypherQuery) -> None:
    st.subheader("Free query (read-only)")
    text = st.text_area("Cypher", key="free", placeholder="MATCH (n) RETURN n.id LIMIT 10")
    raw = st.text_input("Parameters (JSON object)", value="{}", key="free-params")
    if st.button("Run in a read transaction", key="run-free") and text.strip():
        try:
            params = json.loads(raw or "{}")
        except json.JSONDecodeError as exc:
            st.error(f"Parameters are not JSON: {exc.msg}")
            return
        _show(text, params if isinstance(params, dict) else {})


def _show(statement: str, params: dict[str, Any]) -> None:
    columns, rows, cut = state.handle().read(lambda g: run_read(g, statement, params))
    frame = pd.DataFrame([[_cell(v) for v in row] for row in rows], columns=columns)
    st.dataframe(frame, hide_index=True, key="result")
    if cut:
        st.caption(f"First {len(rows)} rows shown.")


def _value(text: str) -> Any:
    """A parameter typed as JSON (numbers, lists, true) or, failing that, as a string."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def _cell(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, default=str)


render()
