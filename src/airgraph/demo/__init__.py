"""The bundled demo estate and the synthetic estate generator."""

from __future__ import annotations

from dataclasses import replace
from importlib.resources import as_file, files
from pathlib import Path

from airgraph.ingest.manifest import load_manifest
from airgraph.ingest.records import SourceRecords

__all__ = ["DEMO_SOURCE", "demo_records"]

DEMO_SOURCE = "demo"


def demo_records() -> SourceRecords:
    """The demo estate (a fictional company's AI runtime) as records of source ``demo``."""
    with as_file(files("airgraph.demo") / "estate.yaml") as path:
        records = load_manifest(Path(path), source=DEMO_SOURCE)
    return replace(records, label="demo estate (Corvane Pay, fictional)")
