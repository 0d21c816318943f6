"""Records of the offline dumps under tests/data/k8s, and edge look-ups for the tests."""

from __future__ import annotations

from pathlib import Path

from airgraph.ingest.k8s import build_records, read_dumps
from airgraph.ingest.records import SourceRecords

DATA = Path(__file__).parents[4] / "tests" / "data" / "k8s"


def load(*names: str, cluster: str = "demo") -> SourceRecords:
    return build_records(read_dumps([DATA / n for n in names]), cluster)


def edges(records: SourceRecords) -> dict[tuple[str, str, str], str | None]:
    """(src, kind, dst) -> the technique named by ``via`` (None when none)."""
    return {(e.src, e.kind.value, e.dst): e.props.get("via") for e in records.edges}


def out(records: SourceRecords, src: str, kind: str | None = None) -> set[str]:
    return {e.dst for e in records.edges if e.src == src and (kind is None or e.kind == kind)}


