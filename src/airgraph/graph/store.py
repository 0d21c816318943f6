"""The ``GraphStore`` protocol both stores implement, and what they return."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

from airgraph.graph.merge import StoredEdge, StoredNode
from airgraph.ingest.records import SourceRecords
from airgraph.schema import EdgeRecord, NodeKind, NodeRecord

__all__ = ["GraphStore", "ProjectionRows", "SnapshotInfo"]


@dataclass(frozen=True, slots=True)
class SnapshotInfo:
    """One committed snapshot: the union of the latest ingest of every source."""

    number: int
    source: str
    label: str
    created_at: str
    nodes: int
    edges: int
    ingestor: str = "manifest"
    """Registry name of the ingestor, or ``forget`` for a snapshot that removed a source."""


@dataclass(frozen=True, slots=True)
class ProjectionRows:
    """A snapshot as flat columns, integer-keyed, for building the CSR projection.

    Node columns are aligned with ``ids``. Edge endpoints are indices into ``ids``
    (edges whose endpoint is not in the snapshot are already dropped).
    ``edge_likelihood`` is NaN where the edge has no likelihood of its own.
    """

    ids: list[str]
    names: list[str]
    node_kind: np.ndarray  # int8, NodeKind order of schema
    capabilities_execute: np.ndarray  # bool: a tool whose capabilities include execute
    guard_mode: list[str | None]  # Guardrail mode, None elsewhere
    sensitivity: list[str | None]  # DataStore sensitivity
    external: np.ndarray  # bool: Sink.external
    interactive: np.ndarray  # bool: EntryPoint.interactive
    exposure: list[str | None]  # EntryPoint.exposure
    edge_src: np.ndarray  # int64
    edge_dst: np.ndarray  # int64
    edge_kind: np.ndarray  # int8, EdgeKind order of schema
    edge_likelihood: np.ndarray  # float64
    edge_evidence: np.ndarray  # int8, EVIDENCE_STRENGTH codes (0 strongest)


@runtime_checkable
class GraphStore(Protocol):
    """Snapshots of the graph, one per ingest, with full history."""

    uri: str

    def ingest(self, records: SourceRecords) -> SnapshotInfo:
        """Replace the records of ``records.source`` in a new snapshot; all or nothing."""

    def snapshots(self) -> list[SnapshotInfo]:
        """Every committed snapshot, oldest first."""

    def latest(self) -> int | None:
        """The newest committed snapshot number, or None for an empty store."""

    def nodes(self, snapshot: int) -> list[NodeRecord]:
        """Every node visible in ``snapshot``, merged across sources, sorted by id."""

    def edges(self, snapshot: int) -> list[EdgeRecord]:
        """Every edge visible in ``snapshot`` (both ends visible), merged, sorted by key."""

    def node_rows(self, snapshot: int, ids: list[str] | None = None) -> list[StoredNode]:
        """Each source's record of the nodes ``ids`` (every node when None), unmerged."""

    def edge_rows(self, snapshot: int, ids: list[str] | None = None) -> list[StoredEdge]:
        """Each source's record of the edges out of or into ``ids`` (every edge when None)
        whose ends are both visible, unmerged."""

    def source_counts(self, snapshot: int) -> dict[str, tuple[int, int]]:
        """Source -> (node records, edge records) visible in ``snapshot``."""

    def node_kinds(self, snapshot: int, *, exclude_source: str | None = None) -> dict[str, NodeKind]:
        """Id to kind for every node of ``snapshot``, optionally ignoring one source."""

    def projection_rows(self, snapshot: int) -> ProjectionRows:
        """The snapshot as integer-keyed columns for the projection."""

    def close(self) -> None:
        """Release connections."""
