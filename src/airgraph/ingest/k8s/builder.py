"""Collects one cluster's nodes and edges, deduplicated, with ids in airgraph's scheme."""

from __future__ import annotations

from typing import Any

from airgraph.ingest.records import SourceRecords
from airgraph.schema import EdgeKind, EdgeRecord, Evidence, NodeKind, NodeRecord

__all__ = ["GraphBuilder", "object_id"]

_CLUSTER_SCOPED = "_"


def object_id(cluster: str, namespace: str | None, kind: str, name: str) -> str:
    """``k8s:<cluster>:<namespace>:<Kind>:<name>``; ``_`` for cluster-scoped objects."""
    return f"k8s:{cluster}:{namespace or _CLUSTER_SCOPED}:{kind}:{name}"


class GraphBuilder:
    """Nodes by id (the first description wins; later ones add missing properties) and
    edges by (src, kind, dst) (the first wins, so stronger techniques are emitted first)."""

    def __init__(self, cluster: str) -> None:
        self.cluster = cluster
        self.source = f"k8s:{cluster}"
        self._nodes: dict[str, list[Any]] = {}
        self._edges: dict[tuple[str, str, str], EdgeRecord] = {}

    def id(self, namespace: str | None, kind: str, name: str) -> str:
        return object_id(self.cluster, namespace, kind, name)

    @property
    def cluster_admin(self) -> str:
        return self.id(None, "Identity", "cluster-admin")

    def has(self, node_id: str) -> bool:
        return node_id in self._nodes

    def props(self, node_id: str) -> dict[str, Any]:
        return self._nodes[node_id][2]

    def node_kind(self, node_id: str) -> NodeKind:
        return self._nodes[node_id][0]

    def node_name(self, node_id: str) -> str:
        return self._nodes[node_id][1]

    def node(self, node_id: str, kind: NodeKind, name: str, props: dict[str, Any] | None = None,
             evidence: str = Evidence.DISCOVERED.value) -> str:
        entry = self._nodes.get(node_id)
        if entry is None:
            self._nodes[node_id] = [kind, name, dict(props or {}), evidence]
        else:
            for key, value in (props or {}).items():
                entry[2].setdefault(key, value)
        return node_id

    def edge(self, src: str, dst: str, kind: EdgeKind, props: dict[str, Any] | None = None,
             evidence: str = Evidence.DISCOVERED.value) -> None:
        key = (src, kind.value, dst)
        if key not in self._edges:
            self._edges[key] = EdgeRecord(src, dst, kind, self.source, props or {}, evidence)

    def finding(self, node_id: str, rule: str, message: str, evidence: str) -> None:
        found = self._nodes[node_id][2].setdefault("findings", [])
        if not any(f["rule"] == rule for f in found):
            found.append({"rule": rule, "message": message, "evidence": evidence})

    def edges(self) -> list[EdgeRecord]:
        return list(self._edges.values())

    def records(self, label: str, warnings: list[str]) -> SourceRecords:
        nodes = [NodeRecord(i, e[0], e[1], self.source, e[2], e[3])
                 for i, e in sorted(self._nodes.items())]
        edges = sorted(self._edges.values(), key=lambda r: (r.src, r.kind.value, r.dst))
        return SourceRecords(self.source, nodes, edges, label=label, warnings=warnings,
                             ingestor="k8s")
