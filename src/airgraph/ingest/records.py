"""The unit every ingestor yields: all records of one source, validated as a whole."""

from __future__ import annotations

from dataclasses import dataclass, field

from airgraph.schema import EdgeRecord, NodeRecord

__all__ = ["SourceRecords"]


@dataclass(frozen=True, slots=True)
class SourceRecords:
    """Everything one source (a manifest file, an AWS account, ...) says, ready to load.

    ``label`` is a human description of the ingest shown by ``airgraph snapshots``.
    """

    source: str
    nodes: list[NodeRecord]
    edges: list[EdgeRecord]
    label: str = ""
    warnings: list[str] = field(default_factory=list)
