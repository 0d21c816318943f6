"""Records as the property values Neo4j stores: JSON truth plus readable copies (pure)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from airgraph.errors import IngestError
from airgraph.schema import EdgeRecord, NodeRecord, canonical_json

__all__ = ["EdgeRow", "NodeRow", "anchor_state", "edge_properties", "edge_rows", "node_rows",
           "readable"]

NodeRow = tuple[str, str, str, str, dict[str, Any]]
"""kind, name, props JSON, evidence, readable copies."""
EdgeRow = tuple[float | None, str, str, dict[str, Any]]
"""likelihood, props JSON (without the likelihood), evidence, readable copies."""

RESERVED_NODE = frozenset({"id", "key", "kind", "name", "source", "props", "since", "until",
                           "rev", "evidence"})
RESERVED_EDGE = frozenset({"source", "props", "since", "until", "likelihood", "evidence"})
_INT64 = (-(1 << 63), (1 << 63) - 1)
_EMPTY: dict[str, Any] = {}


def _storable(value: Any) -> Any:
    """``value`` as a Neo4j property: scalars and lists of one scalar type as they are,
    anything else (nested values, mixed lists, huge integers) as canonical JSON text."""
    kind = type(value)
    if kind in (str, bool, float) or (kind is int and _INT64[0] <= value <= _INT64[1]):
        return value
    if kind is list:
        kinds = {type(item) for item in value}
        if len(kinds) <= 1 and kinds <= {str, bool, float, int} and all(
                type(item) is not int or _INT64[0] <= item <= _INT64[1] for item in value):
            return value
    return canonical_json(value)


def readable(props: Mapping[str, Any], reserved: frozenset[str]) -> dict[str, Any]:
    """Properties to copy beside the JSON, for Browser queries (the JSON stays the truth)."""
    return {key: _storable(value) for key, value in props.items()
            if value is not None and key and "\x00" not in key and key not in reserved}


def node_rows(nodes: Iterable[NodeRecord]) -> dict[str, NodeRow]:
    """Node rows by id; an id twice in one ingest is an error."""
    rows: dict[str, NodeRow] = {}
    for node in nodes:
        if node.id in rows:
            raise IngestError("duplicate node id in one ingest", obj=node.id)
        props = dict(node.props)
        rows[node.id] = (str(node.kind), node.name, canonical_json(props), node.evidence,
                         readable(props, RESERVED_NODE))
    return rows


def edge_rows(edges: Iterable[EdgeRecord], keys: Mapping[str, int]
              ) -> dict[tuple[int, str, int], EdgeRow]:
    """Edge rows by (src key, kind, dst key); a later record of the same edge replaces an
    earlier."""
    rows: dict[tuple[int, str, int], EdgeRow] = {}
    for edge in edges:
        pair = (keys[edge.src], str(edge.kind), keys[edge.dst])
        if not edge.props:  # most edges: skip the JSON encoder
            rows[pair] = (None, "{}", edge.evidence, _EMPTY)
            continue
        props = dict(edge.props)
        likelihood = props.pop("likelihood", None)
        if type(likelihood) is int:  # the embedded store keeps likelihoods as REAL
            likelihood = float(likelihood)
        rows[pair] = (likelihood, canonical_json(props), edge.evidence,
                      readable(props, RESERVED_EDGE))
    return rows


def edge_properties(row: EdgeRow) -> dict[str, Any] | None:
    """A relationship's properties besides source, since and evidence; None when it has
    none (``props`` is left out when empty)."""
    likelihood, props, _, copies = row
    if likelihood is None and props == "{}" and not copies:
        return None
    extra = dict(copies)
    if likelihood is not None:
        extra["likelihood"] = likelihood
    if props != "{}":
        extra["props"] = props
    return extra


def anchor_state(versions: list[list[Any]]) -> dict[str, Any]:
    """An anchor's properties: its versions visible now merged as ``nodes()`` merges them,
    or, for a node no longer visible, the versions the last snapshot that had it saw.

    ``versions`` rows: key, id, kind, name, source, props JSON, since, until.
    """
    versions = sorted(versions, key=lambda v: v[6])
    group = [v for v in versions if v[7] is None]
    until = None
    if not group:
        until = max(v[7] for v in versions)
        group = [v for v in versions if v[7] == until]
    props: dict[str, Any] = {}
    for v in group:
        props.update(json.loads(v[5]))
    key, node_id, kind, name, source = group[-1][:5]
    state = {**readable(props, RESERVED_NODE), "id": node_id, "key": key, "kind": kind,
             "name": name, "source": source, "props": canonical_json(props),
             "since": group[0][6]}
    if until is not None:
        state["until"] = until
    return state
