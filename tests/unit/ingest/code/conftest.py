"""Scans of the sample projects under tests/data/code, and ways to look at them."""

from __future__ import annotations

from pathlib import Path

import pytest

from airgraph.ingest.code import scan_source
from airgraph.ingest.records import SourceRecords

DATA = Path(__file__).resolve().parents[3] / "data" / "code"


class Scan:
    """A sample project's records, indexed for assertions."""

    def __init__(self, records: SourceRecords) -> None:
        self.records = records
        self.nodes = {n.id: n for n in records.nodes}
        self.edges = {(e.src, str(e.kind), e.dst): e for e in records.edges}

    def out(self, src: str, kind: str) -> set[str]:
        return {d for s, k, d in self.edges if s == src and k == kind}

    def into(self, dst: str, kind: str) -> set[str]:
        return {s for s, k, d in self.edges if d == dst and k == kind}


@pytest.fixture(scope="session")
def scan() -> object:
    cache: dict[str, Scan] = {}

    def get(name: str) -> Scan:
        if name not in cache:
            cache[name] = Scan(scan_source(DATA / name, workers=1))
        return cache[name]

    return get
