"""Collects one account's nodes and edges: one record per id and per edge, strongest kept."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from airgraph.schema import EDGE_SPECS, EdgeKind, EdgeRecord, Evidence, NodeKind, NodeRecord

__all__ = ["CONDITIONAL_FACTOR", "RecordBuilder"]

CONDITIONAL_FACTOR = 0.5
"""Likelihood multiplier for an edge that holds only under IAM conditions."""


class RecordBuilder:
    """Nodes by id (the first description of an id wins, later ones add findings) and
    edges by (src, kind, dst) (the most likely one wins)."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.nodes: dict[str, NodeRecord] = {}
        self.edges: dict[tuple[str, str, str], EdgeRecord] = {}
        self.warnings: list[str] = []

    def node(self, node_id: str, kind: NodeKind, name: str, props: Mapping[str, Any] | None = None,
             evidence: Evidence = Evidence.DISCOVERED) -> str:
        if node_id not in self.nodes:
            clean = {k: v for k, v in (props or {}).items() if v not in (None, [], {}, "")}
            self.nodes[node_id] = NodeRecord(node_id, kind, name or node_id, self.source, clean,
                                             evidence.value)
        return node_id

    def has(self, node_id: str) -> bool:
        return node_id in self.nodes

    def finding(self, node_id: str, rule: str, message: str, evidence: str) -> None:
        node = self.nodes[node_id]
        findings = [*node.props.get("findings", ()),
                    {"rule": rule, "message": message, "evidence": evidence}]
        self.nodes[node_id] = node._replace(props={**node.props, "findings": findings})

    def edge(self, src: str, dst: str, kind: EdgeKind, *, via: str | None = None,
             conditions: Sequence[Mapping[str, Any]] = (), likelihood: float | None = None,
             evidence: Evidence = Evidence.DISCOVERED) -> None:
        base = EDGE_SPECS[kind].likelihood if likelihood is None else likelihood
        props: dict[str, Any] = {}
        if via:
            props["via"] = via
        if conditions:
            props["conditions"] = list(conditions)
            base *= CONDITIONAL_FACTOR
        if conditions or likelihood is not None:
            props["likelihood"] = round(base, 6)
        key = (src, kind.value, dst)
        old = self.edges.get(key)
        if old is not None and old.props.get("likelihood", EDGE_SPECS[kind].likelihood) >= base:
            return
        self.edges[key] = EdgeRecord(src, dst, kind, self.source, props, evidence.value)
