"""The snapshot as plain JSON: merged nodes and edges with their source and evidence."""

from __future__ import annotations

from typing import Any

from airgraph.export.records import Snapshot

__all__ = ["to_json"]


def to_json(snap: Snapshot) -> dict[str, Any]:
    return {
        "snapshot": snap.number,
        "created_at": snap.created_at,
        "nodes": [{"id": r.id, "kind": str(r.kind), "name": r.name, "source": r.source,
                   "evidence": r.evidence, "properties": dict(sorted(r.props.items()))}
                  for r in snap.nodes],
        "edges": [{"from": e.src, "kind": str(e.kind), "to": e.dst, "source": e.source,
                   "evidence": e.evidence, "properties": dict(sorted(e.props.items()))}
                  for e in snap.edges],
    }
