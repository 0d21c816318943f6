"""Collects nodes and edges once each: the first description of a node wins, findings add up."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from airgraph.ingest.records import SourceRecords
from airgraph.schema import EdgeKind, EdgeRecord, NodeKind, NodeRecord, validate_node_props

__all__ = ["GraphBuilder"]


class GraphBuilder:
    def __init__(self, source: str) -> None:
        self._source = source
        self._nodes: dict[str, tuple[NodeKind, str, dict[str, Any], str]] = {}
        self._edges: dict[tuple[str, str, str], EdgeRecord] = {}

    def node(self, node_id: str, kind: NodeKind, name: str, props: dict[str, Any],
             evidence: str = "discovered") -> None:
        if node_id not in self._nodes:
            self._nodes[node_id] = (kind, name, dict(props), evidence)

    def props(self, node_id: str) -> dict[str, Any]:
        return self._nodes[node_id][2]

    def add_findings(self, node_id: str, findings: Iterable[dict[str, Any]]) -> None:
        found = list(findings)
        if found:
            self._nodes[node_id][2].setdefault("findings", []).extend(found)

    def edge(self, src: str, dst: str, kind: EdgeKind, *, evidence: str = "discovered") -> None:
        self._edges.setdefault((src, str(kind), dst),
                               EdgeRecord(src, dst, kind, self._source, {}, evidence))

    def records(self, *, label: str, warnings: list[str], ingestor: str) -> SourceRecords:
        nodes = [NodeRecord(i, kind, name, self._source, validate_node_props(kind, props),
                            evidence)
                 for i, (kind, name, props, evidence) in sorted(self._nodes.items())]
        edges = [self._edges[k] for k in sorted(self._edges)]
        return SourceRecords(self._source, nodes, edges, label=label, warnings=warnings,
                             ingestor=ingestor)
