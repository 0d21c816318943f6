"""The one way records reach a store: validate against the schema and the other
sources' ids, then load as one snapshot (all or nothing)."""

from __future__ import annotations

from dataclasses import dataclass

from airgraph.demo import DEMO_SOURCE
from airgraph.graph.store import GraphStore, SnapshotInfo
from airgraph.ingest.records import SourceRecords
from airgraph.ingest.validate import validate_records

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
    info = store.ingest(records)
    demo = (records.source != DEMO_SOURCE
            and store.source_counts(info.number).get(DEMO_SOURCE, (0, 0)) != (0, 0))
    return IngestReport(info, records.source, records.ingestor, len(records.nodes),
                        len(records.edges), tuple(records.warnings), demo)
