"""The one way records reach a store: validate against the schema and the other
sources' ids, then load as one snapshot (all or nothing).

A source's ingest may change what other sources' edges join. When an id only it
described changes kind, an edge of another source into or out of it may become one the
schema forbids (a CALLS edge into what is now a DataStore): the ingest is refused,
naming those edges and their sources, and the store is left as it was. When such an id
disappears (the source stops describing it, or is forgotten), the other sources' edges
at it are hidden, as every edge with an end no source describes is, and a warning names
them: they come back when a source describes the id again, and ``forget`` stays possible.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from airgraph.demo import DEMO_SOURCE
from airgraph.errors import IngestError, SchemaError
from airgraph.graph.merge import StoredEdge
from airgraph.graph.store import GraphStore, SnapshotInfo
from airgraph.ingest.records import SourceRecords
from airgraph.ingest.validate import validate_records
from airgraph.schema import EdgeKind, NodeKind, check_endpoints

__all__ = ["DEMO_SOURCE", "IngestReport", "ingest_records"]


@dataclass(frozen=True, slots=True)
class IngestReport:
    """What one ingest did."""

    snapshot: SnapshotInfo
    source: str
    ingestor: str
    nodes: int
    """Node records the source gave."""
    edges: int
    warnings: tuple[str, ...]
    demo_loaded: bool
    """The demo estate is still in the store beside a real source."""

    def to_dict(self) -> dict[str, object]:
        return {"snapshot": self.snapshot.number, "source": self.source,
                "ingestor": self.ingestor, "source_nodes": self.nodes,
                "source_edges": self.edges, "nodes": self.snapshot.nodes,
                "edges": self.snapshot.edges, "warnings": list(self.warnings),
                "demo_loaded": self.demo_loaded}


def ingest_records(store: GraphStore, records: SourceRecords) -> IngestReport:
    """Validate ``records`` and load them as a new snapshot replacing their source's."""
    latest = store.latest()
    known = store.node_kinds(latest, exclude_source=records.source) if latest else {}
    validate_records(records, known)
    hidden = _check_other_sources_edges(store, latest, records, known) if latest else []
    info = store.ingest(records)
    demo = (records.source != DEMO_SOURCE
            and store.source_counts(info.number).get(DEMO_SOURCE, (0, 0)) != (0, 0))
    return IngestReport(info, records.source, records.ingestor, len(records.nodes),
                        len(records.edges), (*records.warnings, *hidden), demo)


_NAMED = 3
"""Edges an error or warning names before saying how many more there are."""


def _check_other_sources_edges(store: GraphStore, latest: int, records: SourceRecords,
                               known: Mapping[str, NodeKind]) -> list[str]:
    """Refuse a kind change that breaks another source's edge; warn of edges hidden
    because their end is no longer described (see the module docstring)."""
    counts = store.source_counts(latest)
    if records.source not in counts or not any(
            edges for source, (_, edges) in counts.items() if source != records.source):
        return []  # a first ingest, or no other source has an edge to break
    new = {node.id: node.kind for node in records.nodes}
    changed: dict[str, NodeKind] = {}
    gone: set[str] = set()
    for node_id, kind in store.node_kinds(latest).items():
        if node_id in known:
            continue  # another source describes it too: its kind cannot change
        now = new.get(node_id)
        if now is None:
            gone.add(node_id)
        elif now != kind:
            changed[node_id] = now
    if not changed and not gone:
        return []
    others = [e for e in store.edge_rows(latest, sorted(changed.keys() | gone))
              if e.source != records.source]
    broken: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    hidden: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for edge in others:
        key = (edge.src, edge.kind, edge.dst)
        if edge.src in gone or edge.dst in gone:
            hidden[key].append(edge.source)
        elif _forbidden(edge, new, known):
            broken[key].append(edge.source)
    if broken:
        first = min(broken)
        node_id = first[2] if first[2] in changed else first[0]
        raise IngestError(
            f"would become a {changed[node_id]}, but other sources have edges the schema "
            f"then forbids: {_listed(broken)}; change those sources first (or remove them "
            "with 'airgraph forget SOURCE')", file=f"source {records.source}", obj=node_id)
    if not hidden:
        return []
    return [f"{len(hidden)} edge(s) of other sources are hidden, as an end of each is no "
            f"longer described by any source: {_listed(hidden)}"]


def _forbidden(edge: StoredEdge, new: dict[str, NodeKind], known: Mapping[str, NodeKind]
               ) -> bool:
    """Whether the schema forbids ``edge`` once the ingest's kinds (``new``) replace its
    source's."""
    src = new.get(edge.src) or known.get(edge.src)
    dst = new.get(edge.dst) or known.get(edge.dst)
    try:
        check_endpoints(EdgeKind(edge.kind), src, dst)  # type: ignore[arg-type]
    except SchemaError:
        return True
    return False


def _listed(edges: dict[tuple[str, str, str], list[str]]) -> str:
    """The first few edges with their sources, then how many more."""
    named = [f"{src} -{kind}-> {dst} (source {', '.join(sorted(edges[src, kind, dst]))})"
             for src, kind, dst in sorted(edges)[:_NAMED]]
    more = len(edges) - _NAMED
    return "; ".join(named) + (f"; and {more} more" if more > 0 else "")
