"""The unit every ingestor yields: all records of one source, validated as a whole."""

from __future__ import annotations

from dataclasses import dataclass, field

from airgraph.schema import EdgeRecord, NodeRecord

__all__ = ["SourceRecords"]


@dataclass(frozen=True, slots=True)
class SourceRecords:
    """Everything one source (a manifest file, an AWS account, ...) says, ready to load.

    ``source`` names what an ingest replaces (``aws:123456789012``, ``k8s:prod``, ...);
    ``ingestor`` is the registry name of what produced it (``manifest``, ``aws``, ...);
    ``label`` is a human description shown by ``airgraph snapshots`` and ``sources``;
    ``warnings`` are what the ingestor skipped or doubted, reported after the load.
    """

    source: str
    nodes: list[NodeRecord]
    edges: list[EdgeRecord]
    label: str = ""
    warnings: list[str] = field(default_factory=list)
    ingestor: str = "manifest"
