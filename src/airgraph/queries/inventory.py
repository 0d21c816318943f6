"""What the graph says about one node, and which sources the snapshot is made of."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from airgraph.graph.merge import merge_edges, merge_nodes, source_order
from airgraph.graph.store import GraphStore, SnapshotInfo

__all__ = ["Neighbour", "NodeDetail", "SourceInfo", "node_detail", "snapshot_sources"]


@dataclass(frozen=True, slots=True)
class Neighbour:
    """One edge at a node: its kind, the node at the other end, how it is known."""

    kind: str
    id: str
    evidence: str
    props: dict[str, Any]

    def to_dict(self, direction: str) -> dict[str, Any]:
        return {"kind": self.kind, direction: self.id, "evidence": self.evidence,
                **({"props": self.props} if self.props else {})}


@dataclass(frozen=True, slots=True)
class NodeDetail:
    """Everything about one node: merged properties, who gave each, and its edges."""

    snapshot: int
    node: dict[str, Any]
    provenance: dict[str, str]
    sources: tuple[str, ...]
    out: tuple[Neighbour, ...]
    into: tuple[Neighbour, ...]

    @property
    def id(self) -> str:
        return self.node["id"]

    def to_dict(self) -> dict[str, Any]:
        return {"snapshot": self.snapshot, "node": self.node, "provenance": self.provenance,
                "sources": list(self.sources), "out": [n.to_dict("to") for n in self.out],
                "in": [n.to_dict("from") for n in self.into]}


def node_detail(store: GraphStore, info: SnapshotInfo, node_id: str,
                snapshots: list[SnapshotInfo]) -> NodeDetail | None:
    """The node ``node_id`` in ``info``'s snapshot, read by point look-ups; None if absent."""
    order = source_order(((s.number, s.source) for s in snapshots), info.number)
    merged = merge_nodes(store.node_rows(info.number, [node_id]), order)
    if not merged:
        return None
    record, provenance, sources = merged[0]
    node = {**record.props, "id": record.id, "kind": str(record.kind), "name": record.name,
            "evidence": record.evidence}
    edges = merge_edges(store.edge_rows(info.number, [node_id]), order)
    out = tuple(Neighbour(str(e.kind), e.dst, e.evidence, dict(e.props))
                for e in edges if e.src == node_id)
    into = tuple(sorted((Neighbour(str(e.kind), e.src, e.evidence, dict(e.props))
                         for e in edges if e.dst == node_id), key=lambda n: (n.kind, n.id)))
    out = tuple(sorted(out, key=lambda n: (n.kind, n.id)))
    return NodeDetail(info.number, dict(sorted(node.items())), provenance, sources, out, into)


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """One source of a snapshot: its latest ingest and what it contributes."""

    source: str
    ingestor: str
    snapshot: int
    created_at: str
    nodes: int
    edges: int
    label: str

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, "ingestor": self.ingestor, "snapshot": self.snapshot,
                "created_at": self.created_at, "nodes": self.nodes, "edges": self.edges,
                "label": self.label}


def snapshot_sources(store: GraphStore, info: SnapshotInfo,
                     snapshots: list[SnapshotInfo]) -> tuple[SourceInfo, ...]:
    """Every source with records in ``info``'s snapshot, sorted by name."""
    last = {s.source: s for s in snapshots if s.number <= info.number}
    counts = store.source_counts(info.number)
    return tuple(SourceInfo(source, last[source].ingestor, last[source].number,
                            last[source].created_at, nodes, edges, last[source].label)
                 for source, (nodes, edges) in sorted(counts.items())
                 if (nodes or edges) and source in last)
