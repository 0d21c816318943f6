"""Two snapshots of the demo estate: the second adds one dangerous tool grant."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import airgraph
from airgraph.api import ingest_source
from airgraph.demo import demo_records
from tests.unit.governance.estate import load_grant


@pytest.fixture(scope="session")
def drifted_uri(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Snapshot 1: the demo estate; snapshot 2: the same plus the grant."""
    uri = f"sqlite:///{tmp_path_factory.mktemp('governance') / 'store.db'}"
    ingest_source(demo_records(), uri)
    load_grant(uri)
    return uri


@pytest.fixture
def graph(drifted_uri: str) -> Iterator[airgraph.Graph]:
    with airgraph.open(drifted_uri) as g:
        yield g
