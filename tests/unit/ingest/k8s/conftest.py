"""Session fixtures: the records of the two offline dumps."""

from __future__ import annotations

import pytest
from k8s_records import load

from airgraph.ingest.records import SourceRecords


@pytest.fixture(scope="session")
def techniques() -> SourceRecords:
    return load("techniques.json")


@pytest.fixture(scope="session")
def estate() -> SourceRecords:
    return load("agent-estate.json")
