"""A snapshot's merged nodes and edges, read once for the graph exports."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from airgraph.schema import EdgeRecord, NodeRecord

if TYPE_CHECKING:
    from airgraph.api import Graph

__all__ = ["Snapshot", "flat", "read_snapshot"]


@dataclass(frozen=True, slots=True)
class Snapshot:
    number: int
    created_at: str
    nodes: tuple[NodeRecord, ...]
    """Sorted by id."""
    edges: tuple[EdgeRecord, ...]
    """Sorted by (source, kind, target)."""


def read_snapshot(g: Graph) -> Snapshot:
    nodes = sorted(g.store.nodes(g.snapshot), key=lambda r: r.id)
    edges = sorted(g.store.edges(g.snapshot), key=lambda e: (e.src, str(e.kind), e.dst))
    return Snapshot(g.snapshot, g.info.created_at, tuple(nodes), tuple(edges))


def flat(value: Any) -> Any:
    """A primitive, or a homogeneous list of primitives; anything else as canonical JSON.
    None stays None (callers drop it)."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, (list, tuple)):
        kinds = {type(v) for v in value}
        if len(kinds) <= 1 and kinds <= {str, bool, int, float}:
            return list(value)
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
